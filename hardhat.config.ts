import "@nomicfoundation/hardhat-toolbox";
import type { HardhatUserConfig } from "hardhat/config";
// the package's Hardhat 2 plugin, as a user's project loads it with `import "zkml-hardhat"`: every task, the zkml
// config, hre.zkml and the pinned solc (src/plugin/hardhat2/)
import { etherscanSettings, hardhatNetworks, lookup, SOLC_SETTINGS, SOLC_VERSION } from "./src/plugin/hardhat2";

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
  mocha: { timeout: 600000 },
};

export default config;
