import "@nomicfoundation/hardhat-toolbox";
import type { HardhatUserConfig } from "hardhat/config";
// the package's Hardhat 2 plugin, as a user's project loads it with `import "zkml-hardhat"`: every task, the zkml
// config, hre.zkml and the pinned solc (src/plugin/hardhat2/)
import { etherscanSettings, hardhatNetworks, lookup, SOLC_SETTINGS, SOLC_VERSION } from "./src/plugin/hardhat2";
import * as path from "path";

// the processes this one starts (the tests spawn `npx hardhat` well over a hundred times) load src/ through ts-node:
// tsconfig.test.json keeps its transpiled files on disk, keyed by their content (scripts/ts-cache-transpiler.js),
// which spares each start about 2 s of transpiling on 2 cores; this process was set up before reading this file
process.env.TS_NODE_PROJECT ??= path.join(__dirname, "tsconfig.test.json");

export { SOLC_VERSION };

const config: HardhatUserConfig = {
  solidity: { version: SOLC_VERSION, settings: SOLC_SETTINGS },
  // localhost and five testnets; URLs and keys from the environment or `npx hardhat vars set` (src/evm/networks.ts)
  networks: {
    hardhat: {},
    ...hardhatNetworks(lookup),
  },
  // hardhat-verify, for deploy-verifier --verify: one Etherscan key (v2 API) for every chain
  etherscan: etherscanSettings(lookup),
  sourcify: { enabled: false },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    offline: true, // no price or gas-price lookups: this machine, and CI, have no internet
    currency: "USD",
    reportPureAndViewMethods: true, // verifyProof and infer are views: report them too (from eth_call gas)
  },
  // the spec reporter plus the slowest test files at the end (test/helpers/file-times-reporter.ts)
  mocha: { timeout: 600000, reporter: "./test/helpers/file-times-reporter.ts" },
};

export default config;
