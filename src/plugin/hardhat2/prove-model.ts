/**
 * `npx hardhat prove-model` in Hardhat 2 (options: the task table, ../actions/tasks.ts); the action (../actions/prove-model.ts) is shared with Hardhat 3.
 */
import { ProveArgs, proveModelAction } from "../actions/prove-model";
import { boundary, defineTask } from "./common";
import { hardhat2Host } from "./deploy";

export { boundary, PLUGIN } from "./common";

defineTask("prove-model")
  .setAction(async (args: ProveArgs, hre) => boundary(async () => proveModelAction(args, hardhat2Host(hre)), { json: args.json }));
