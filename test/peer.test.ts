/** A Hardhat 2 project without a peer the plugin loads at start: a ZkmlError naming the install, not Node's "Cannot find module". */
import { expect } from "chai";
import { loadPeer } from "../src/plugin/hardhat2/common";
import { isZkmlError } from "../src/core/errors";

describe("the Hardhat 2 plugin's peers", () => {
  it("a missing peer is named with its install command", () => {
    let thrown: unknown;
    try {
      loadPeer("@nomicfoundation/no-such-peer", "npm install --save-dev @nomicfoundation/no-such-peer");
    } catch (e) {
      thrown = e;
    }
    expect(isZkmlError(thrown) && thrown.code).to.equal("CONFIG_INVALID");
    expect((thrown as Error).message).to.contain("@nomicfoundation/no-such-peer is not installed");
    expect(isZkmlError(thrown) && thrown.hint).to.equal("npm install --save-dev @nomicfoundation/no-such-peer");
  });

  it("an installed one loads; an error raised inside one is its own, not a missing peer", () => {
    expect(() => loadPeer("chai", "")).to.not.throw();
    // hardhat-ethers outside a Hardhat run: Hardhat's own HH5, passed on as it is
    expect(() => loadPeer("@nomicfoundation/hardhat-ethers", "")).to.throw(/HH5/);
  });
});
