/**
 * `npx hardhat compare-gas` in Hardhat 2 (options: the task table, ../actions/tasks.ts); the action (../actions/gas.ts) is shared with Hardhat 3.
 */
import { CompareGasArgs, compareGasAction } from "../actions/gas";
import { boundary, defineTask } from "./common";
import { hardhat2Host } from "./deploy";

defineTask("compare-gas")
  .setAction(async (args: CompareGasArgs, hre) =>
    boundary(async () => compareGasAction(args, hardhat2Host(hre)), { json: args.json }),
  );
