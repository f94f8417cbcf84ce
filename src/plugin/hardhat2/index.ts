/**
 * zkml-hardhat's Hardhat 2 plugin: one `import "zkml-hardhat"` (or `require`) in hardhat.config registers every task
 * (prove-model, deploy-verifier, submit-proof, verify-proof, compare-gas, quantize, ptau, verify-setup, bench,
 * inspect-model, export-model and the proof queue's), the validated `zkml` config section, `hre.zkml` (typed calls
 * of the tasks for scripts and tests, ./api.ts) and the compiler: solc 0.8.30 from the pinned `solc` npm package,
 * so compiling never downloads. A project that names no `solidity` gets that version with the settings the gas
 * measurements use (src/evm/solc.ts). It loads hardhat-ethers (a peer dependency) for the signers.
 */
import type {} from "@nomicfoundation/hardhat-ethers"; // hre.ethers's types; the module itself is loaded below
import { extendConfig, extendEnvironment, subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { lazyObject } from "hardhat/plugins";
import { defaultSolcOutputSelection } from "hardhat/internal/core/config/default-config";
import { SOLC_SETTINGS } from "../../evm/solc";
import { loadPeer } from "./common";
import { zkmlRuntime, ZkmlRuntime } from "./api";
import "./config";
import "./prove-model";
import "./setup";
import "./gas";
import "./quantize";
import "./bench";
import "./queue";
import "./model";
import "./deploy";

// the signers: hardhat-ethers 3, an optional peer (Hardhat 3 projects use hardhat-ethers 4 through the other plugin)
loadPeer("@nomicfoundation/hardhat-ethers", "npm install --save-dev @nomicfoundation/hardhat-ethers@^3 (hardhat-toolbox 6 brings it)");

export type { ZkmlCircuitOptions, ZkmlCompareGasOptions, ZkmlDeployOptions, ZkmlProveOptions, ZkmlRuntime, ZkmlSubmitOptions } from "./api";
export type { ZkmlConfig, ZkmlUserConfig } from "../../core/config";
export type { CircuitProveReport, IrProveReport, ProveReport } from "../../pipeline/report";
export type { DeployResult, SubmitResult } from "../../evm/deploy";
export type { GasReport } from "../../evm/gas";
export { ZkmlError, isZkmlError } from "../../core/errors";
export { lookup } from "./deploy";
export { etherscanSettings, hardhatNetworks } from "../../evm/networks";
export { SOLC_SETTINGS } from "../../evm/solc";

/** The one Solidity version, shipped by the pinned `solc` npm package: compiling it never downloads. */
export const SOLC_VERSION = "0.8.30";

declare module "hardhat/types/runtime" {
  interface HardhatRuntimeEnvironment {
    zkml: ZkmlRuntime;
  }
}

// a project that names no compiler gets the pinned one (Hardhat 2's own default, 0.7.3, would be downloaded)
extendConfig((config, userConfig) => {
  if (userConfig.solidity === undefined) config.solidity = { compilers: [{ version: SOLC_VERSION, settings: { ...SOLC_SETTINGS, outputSelection: defaultSolcOutputSelection } }], overrides: {} };
});

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

extendEnvironment((hre) => {
  hre.zkml = lazyObject(() => zkmlRuntime(hre));
});
