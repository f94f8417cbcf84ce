/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat prove-worker` in Hardhat 3: the shared action (../../actions/queue.ts). */
import { proveWorkerAction } from "../../actions/queue";
import { boundary, whole } from "../common";

export default async function proveWorker(args: any, hre: any) {
  return boundary(async () => proveWorkerAction({ redis: args.redis, concurrency: whole(args.concurrency, "--concurrency")! }, { root: hre.config.paths.root, zkml: hre.config.zkml }));
}
