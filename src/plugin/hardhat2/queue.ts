/**
 * `npx hardhat prove-worker` and `npx hardhat prove-jobs submit|status|results` in Hardhat 2 (options: the task table,
 * ../actions/tasks.ts); the actions (../actions/queue.ts) are shared with Hardhat 3. Redis is named by --redis, else REDIS_URL,
 * else zkml.queue in hardhat.config.ts, else redis://127.0.0.1:6379.
 */
import { ProveJobsArgs, proveJobsAction, ProveWorkerArgs, proveWorkerAction } from "../actions/queue";
import { boundary, defineTask } from "./common";
import { hardhat2Host } from "./deploy";

defineTask("prove-worker")
  .setAction(async (args: ProveWorkerArgs, hre) => boundary(async () => proveWorkerAction(args, { root: hre.config.paths.root, zkml: hre.config.zkml })));

defineTask("prove-jobs")
  .setAction(async (args: ProveJobsArgs, hre) => boundary(async () => proveJobsAction(args, hardhat2Host(hre)), { json: args.json }));
