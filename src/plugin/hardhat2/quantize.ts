/**
 * `npx hardhat quantize` (options: the task table, ../actions/tasks.ts); the action (../actions/model.ts) is shared with Hardhat 3.
 */
import { QuantizeArgs, quantizeAction } from "../actions/model";
import { boundary, defineTask } from "./common";

defineTask("quantize")
  .setAction(async (args: QuantizeArgs, hre) => boundary(async () => quantizeAction(args, hre.config.zkml), { json: args.json }));
