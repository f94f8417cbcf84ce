/**
 * `hre.zkml` in Hardhat 2: the tasks as typed functions for scripts and tests (../actions/api.ts), each run with
 * `hre.run`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ZkmlRuntime, zkmlRuntimeOn } from "../actions/api";

export type { ZkmlCircuitOptions, ZkmlCompareGasOptions, ZkmlDeployOptions, ZkmlProveOptions, ZkmlRuntime, ZkmlSubmitOptions } from "../actions/api";

export function zkmlRuntime(hre: HardhatRuntimeEnvironment): ZkmlRuntime {
  return zkmlRuntimeOn((task, args) => hre.run(task, args));
}
