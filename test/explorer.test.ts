/**
 * deploy-verifier --verify in both majors (src/plugin/actions/explorer.ts, src/plugin/hardhat3/verify.ts), offline:
 * what is checked before anything is deployed (a local chain, the plugin, its module, the API key), the call each
 * major's hardhat-verify gets, and the error naming the command to finish by hand. Etherscan itself is not reached:
 * Hardhat 3's verifyContract and Hardhat 2's verify:verify are stood in for.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import hre from "hardhat";
import { ZkmlError } from "../src/core/errors";
import type { DeployResult } from "../src/evm/deploy";
import { markInProcessNetwork } from "../src/evm/networks";
import { checkVerifyReadiness, publishSources, SourceToVerify } from "../src/plugin/actions/explorer";
import { hardhat2VerifyReadiness } from "../src/plugin/hardhat2/deploy";
import { hardhat3Explorer, loadVerifyContract, VerifyContract } from "../src/plugin/hardhat3/verify";

function refusal(fn: () => unknown): ZkmlError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ZkmlError);
    return e as ZkmlError;
  }
  throw new Error("expected a ZkmlError");
}

async function refusalOf(p: Promise<unknown>): Promise<ZkmlError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(ZkmlError);
    return e as ZkmlError;
  }
  throw new Error("expected a ZkmlError");
}

const contract = (name: string, address: string, args: string[]) => ({ contract: name, fullyQualifiedName: `contracts/generated/${name}.sol:${name}`, address, constructorArguments: args });
const deployed = { record: { verifier: contract("TinyVerifier", "0x" + "11".repeat(20), []), consumer: contract("TinyConsumer", "0x" + "22".repeat(20), ["0x" + "11".repeat(20), "42"]) } } as unknown as DeployResult;

/** A Hardhat 3 runtime environment as far as --verify reads it: the root, and hardhat-verify 3's resolved `verify` config. */
function hre3(verify: unknown) {
  return { config: { paths: { root: "/nowhere" }, verify } };
}
const key = (value: string | undefined) => ({ get: async () => (value === undefined ? Promise.reject(new Error("HHE7: Configuration variable ETHERSCAN_API_KEY not found")) : value) });

describe("deploy-verifier --verify (offline: Etherscan is not reached)", () => {
  it("is refused before deploying on a local chain, without the plugin, with Etherscan disabled or without an API key, each naming the fix for its major", () => {
    const ready = { network: "sepolia", chainId: 11155111, plugin: true, apiKey: "KEY" };
    checkVerifyReadiness({ ...ready, major: 3 });
    checkVerifyReadiness({ ...ready, major: 2 });

    markInProcessNetwork("default", "edr-simulated");
    for (const network of ["hardhat", "default"]) {
      const e = refusal(() => checkVerifyReadiness({ ...ready, major: 3, network, chainId: 31337 }));
      expect(e.code).to.equal("OPTION_INVALID");
      expect(e.describe()).to.contain(`network ${network} is a local chain`).and.contain("--network sepolia --verify");
    }
    const none3 = refusal(() => checkVerifyReadiness({ ...ready, major: 3, plugin: false }));
    expect(none3.code).to.equal("CONFIG_INVALID");
    expect(none3.describe()).to.contain("Hardhat 3's hardhat-verify plugin is not loaded").and.contain("npm install --save-dev @nomicfoundation/hardhat-verify@3.1.1").and.contain("plugins: [hardhatVerify, zkml]").and.contain('apiKey: configVariable("ETHERSCAN_API_KEY")');
    const none2 = refusal(() => checkVerifyReadiness({ ...ready, major: 2, plugin: false }));
    expect(none2.describe()).to.contain("@nomicfoundation/hardhat-verify@^2").and.contain("npx hardhat vars set ETHERSCAN_API_KEY");
    expect(refusal(() => checkVerifyReadiness({ ...ready, major: 3, enabled: false })).describe()).to.contain("verify.etherscan.enabled: false");
    for (const apiKey of [undefined, ""]) {
      const e = refusal(() => checkVerifyReadiness({ ...ready, major: 3, apiKey }));
      expect(e.code).to.equal("CONFIG_INVALID");
      expect(e.describe()).to.contain("no Etherscan API key (ETHERSCAN_API_KEY)").and.contain("npx hardhat keystore set ETHERSCAN_API_KEY");
    }
  });

  it("Hardhat 3: reads hardhat-verify 3's resolved config (an unset configVariable is no key), then calls its verifyContract for the verifier and the consumer with their addresses, constructor arguments and sources on etherscan", async () => {
    const calls: unknown[] = [];
    let loadedFrom: string | undefined;
    const fake: VerifyContract = async (args, h) => {
      calls.push({ args, sameHre: h === env });
      return true;
    };
    const load = async (root: string) => {
      loadedFrom = root;
      return fake;
    };
    const sepolia = { name: "sepolia", chainId: 11155111 };

    const noPlugin = await refusalOf(hardhat3Explorer(hre3(undefined), sepolia, load));
    expect(noPlugin.describe()).to.contain("plugin is not loaded");
    expect(loadedFrom).to.equal(undefined);
    const unset = await refusalOf(hardhat3Explorer(hre3({ etherscan: { apiKey: key(undefined), enabled: true } }), sepolia, load));
    expect(unset.describe()).to.contain("no Etherscan API key");
    expect(loadedFrom, "the module is found before the key is asked for").to.equal("/nowhere");
    expect((await refusalOf(hardhat3Explorer(hre3({ etherscan: { apiKey: key(""), enabled: true } }), sepolia, load))).describe()).to.contain("no Etherscan API key");

    const env = hre3({ etherscan: { apiKey: key("KEY"), enabled: true } });
    const publish = await hardhat3Explorer(env, sepolia, load);
    await publishSources(deployed, { root: "/p", recordFile: "/p/deployments/sepolia/tiny-groth16.json", network: "sepolia", major: 3 }, publish);
    expect(calls).to.deep.equal([
      { args: { address: "0x" + "11".repeat(20), constructorArgs: [], contract: "contracts/generated/TinyVerifier.sol:TinyVerifier", provider: "etherscan" }, sameHre: true },
      { args: { address: "0x" + "22".repeat(20), constructorArgs: ["0x" + "11".repeat(20), "42"], contract: "contracts/generated/TinyConsumer.sol:TinyConsumer", provider: "etherscan" }, sameHre: true },
    ]);
  });

  it("an explorer's failure is CHAIN_FAILED naming the deployment record and the command that verifies that contract by hand", async () => {
    const seen: SourceToVerify[] = [];
    const e = await refusalOf(
      publishSources(deployed, { root: "/p", recordFile: "/p/deployments/sepolia/tiny-groth16.json", network: "sepolia", major: 3 }, async (c) => {
        seen.push(c);
        if (c.contract === "TinyConsumer") throw new Error("Invalid API Key (#err2)|sepolia\nmore");
      }),
    );
    expect(seen.map((c) => c.contract)).to.deep.equal(["TinyVerifier", "TinyConsumer"]);
    expect(e.code).to.equal("CHAIN_FAILED");
    expect(e.describe()).to.contain(`--verify: TinyConsumer at 0x${"22".repeat(20)}: Invalid API Key (#err2)|sepolia`).and.not.contain("more");
    expect(e.describe()).to.contain(`deployments/sepolia/tiny-groth16.json`).and.contain(`npx hardhat verify --network sepolia --contract contracts/generated/TinyConsumer.sol:TinyConsumer 0x${"22".repeat(20)} 0x${"11".repeat(20)} 42`);
  });

  it("Hardhat 3: the project's hardhat-verify is found from its root; missing, or Hardhat 2's version 2, is CONFIG_INVALID naming version 3.1.1", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-verify-"));
    try {
      const missing = await refusalOf(loadVerifyContract(root));
      expect(missing.describe()).to.contain("@nomicfoundation/hardhat-verify is not installed").and.contain("npm install --save-dev @nomicfoundation/hardhat-verify@3.1.1");
      // this repository's own is hardhat-verify 2 (hardhat-toolbox 6's, for Hardhat 2)
      const two = await refusalOf(loadVerifyContract(path.join(__dirname, "..")));
      expect(two.describe()).to.match(/hardhat-verify 2\.\d+\.\d+ is Hardhat 2's; Hardhat 3 needs version 3/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("Hardhat 2: the option is the task table's, hardhat-verify 2 is seen loaded, and on the in-process network --verify is refused before anything is deployed", async () => {
    expect(hre.tasks["deploy-verifier"].paramDefinitions.verify.isFlag).to.equal(true);
    const r = hardhat2VerifyReadiness(hre);
    expect(r).to.include({ major: 2, network: "hardhat", plugin: true });
    let message = "";
    try {
      await hre.run("deploy-verifier", { model: "no-such-model.json", verify: true });
    } catch (e) {
      message = (e as Error).message;
    }
    // refused on --verify, before the model is even looked for
    expect(message).to.contain("[OPTION_INVALID] --verify: network hardhat is a local chain");
  });
});
