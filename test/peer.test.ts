/** A Hardhat 2 project without a peer the plugin loads at start: a ZkmlError naming the install, not Node's "Cannot find module". */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
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
    // a module that fails as it loads, even with a missing module of its own: passed on as it is
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-peer-"));
    try {
      const broken = path.join(dir, "broken.js");
      fs.writeFileSync(broken, 'require("./not-there");\n');
      expect(() => loadPeer(broken, "")).to.throw(/Cannot find module '\.\/not-there'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
