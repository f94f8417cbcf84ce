/**
 * `npx hardhat bench` in Hardhat 2 (options: the task table, ../actions/tasks.ts); the action (../actions/bench.ts) is shared with Hardhat 3.
 */
import { BenchArgs, benchAction } from "../actions/bench";
import { boundary, defineTask } from "./common";
import { hardhat2Host } from "./deploy";

defineTask("bench")
  .setAction(async (args: BenchArgs, hre) => boundary(async () => benchAction(args, hardhat2Host(hre))));
