/**
 * Network settings: every configured network exists whatever is set; a missing RPC URL or key is an error naming
 * the variable, raised only for the network in use; hardhat-verify gets one Etherscan key and the chains it lacks.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { etherscanSettings, hardhatNetworks, NETWORKS, requireNetworkSettings } from "../src/evm/networks";
import { isZkmlError } from "../src/core/errors";
import { ROOT } from "./helpers/circuit";

const from = (env: Record<string, string>) => (v: string) => env[v];
const KEY = `0x${"11".repeat(32)}`;

describe("networks: localhost and five testnets from variables", () => {
  it("every network is configured with its chain id, set or not; localhost defaults to a local node", () => {
    const n = hardhatNetworks(from({}));
    expect(Object.keys(n)).to.deep.equal(["localhost", "sepolia", "hoodi", "base-sepolia", "arbitrum-sepolia", "optimism-sepolia"]);
    expect(n.localhost).to.deep.equal({ url: "http://127.0.0.1:8545", chainId: 31337 });
    expect(n.sepolia.chainId).to.equal(11155111);
    expect(n.sepolia.accounts).to.deep.equal([]);
    const set = hardhatNetworks(from({ SEPOLIA_RPC_URL: "https://rpc.example", DEPLOYER_PRIVATE_KEY: KEY, HOODI_PRIVATE_KEY: "22".repeat(32) }));
    expect(set.sepolia).to.deep.equal({ url: "https://rpc.example", chainId: 11155111, accounts: [KEY] });
    expect(set.hoodi.accounts, "a network's own key wins over the shared one; 0x added").to.deep.equal([`0x${"22".repeat(32)}`]);
    expect(set.localhost.accounts, "the shared testnet key never signs on localhost").to.equal(undefined);
  });

  it("a missing URL or key is an error naming the variable, only for the network in use", () => {
    const err = (f: () => void) => {
      try {
        f();
      } catch (e) {
        expect(isZkmlError(e)).to.equal(true);
        return (e as Error & { describe(): string }).describe();
      }
      throw new Error("no error");
    };
    expect(err(() => requireNetworkSettings("base-sepolia", from({}), { signing: false }))).to.match(/network base-sepolia: no RPC URL; BASE_SEPOLIA_RPC_URL is not set\n  fix: npx hardhat vars set BASE_SEPOLIA_RPC_URL/);
    expect(err(() => requireNetworkSettings("sepolia", from({ SEPOLIA_RPC_URL: "https://x" }), { signing: true }))).to.match(/neither SEPOLIA_PRIVATE_KEY nor DEPLOYER_PRIVATE_KEY is set/);
    expect(err(() => requireNetworkSettings("sepolia", from({ SEPOLIA_RPC_URL: "https://x", SEPOLIA_PRIVATE_KEY: "0x1234" }), { signing: true }))).to.match(/SEPOLIA_PRIVATE_KEY: expected a private key of 32 bytes in hex \(64 hex digits\), got 6 characters/);
    // nothing needed: reading a configured testnet, localhost, the in-process network, a network of the user's
    requireNetworkSettings("sepolia", from({ SEPOLIA_RPC_URL: "https://x" }), { signing: false });
    requireNetworkSettings("localhost", from({}), { signing: true });
    requireNetworkSettings("hardhat", from({}), { signing: true });
    requireNetworkSettings("my-chain", from({}), { signing: true });
  });

  it("hardhat-verify: one Etherscan key (v2 API) and a custom chain per testnet", () => {
    const e = etherscanSettings(from({ ETHERSCAN_API_KEY: "K" }));
    expect(e.apiKey).to.equal("K");
    expect(e.customChains.map((c) => c.chainId)).to.deep.equal(NETWORKS.filter((n) => n.explorer).map((n) => n.chainId));
    expect(e.customChains[0].urls.apiURL).to.equal("https://api.etherscan.io/v2/api?chainid=11155111");
  });

  it("the CLI: `--network sepolia` without SEPOLIA_RPC_URL exits non-zero naming it; other commands are unaffected", () => {
    const cli = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
    const env: NodeJS.ProcessEnv = { ...process.env, SEPOLIA_RPC_URL: "" };
    delete env.HARDHAT_VAR_SEPOLIA_RPC_URL;
    const r = spawnSync("node", [cli, "deploy-verifier", "--model", "lenet5", "--network", "sepolia"], { cwd: ROOT, encoding: "utf8", env });
    expect(r.status).to.not.equal(0);
    expect(`${r.stdout}${r.stderr}`).to.contain("network sepolia: no RPC URL; SEPOLIA_RPC_URL is not set");
    const help = spawnSync("node", [cli, "deploy-verifier", "--help"], { cwd: ROOT, encoding: "utf8", env });
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.contain("--confirmations");
  });
});
