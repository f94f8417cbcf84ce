import "@nomicfoundation/hardhat-toolbox";
import { subtask, HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { SOLC_SETTINGS } from "./src/evm/solc";
import "./tasks/config";
import "./tasks/prove-model";
import "./tasks/setup";
import "./tasks/gas";
import "./tasks/quantize";
import "./tasks/bench";
import "./tasks/queue";
import "./tasks/model";
import { lookup } from "./tasks/deploy";
import { etherscanSettings, hardhatNetworks } from "./src/evm/networks";

/** The one Solidity version, shipped by the pinned `solc` npm package: compiling never downloads. */
export const SOLC_VERSION = "0.8.30";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  return {
    version: SOLC_VERSION,
    longVersion: solc.version().replace(/\.Emscripten\.clang$/, ""),
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
  };
});

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
