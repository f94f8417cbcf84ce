/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat prove-jobs submit|status|results` in Hardhat 3: the shared action (../../actions/queue.ts). */
import { proveJobsAction } from "../../actions/queue";
import { boundary, circuitNumbers, decimal, hardhat3Host, required } from "../common";

export default async function proveJobs(args: any, hre: any) {
  return boundary(
    async () =>
      proveJobsAction(
        { ...circuitNumbers(args), action: required(args.action, "the action (submit, status or results)", "prove-jobs status"), interval: decimal(args.interval, "--interval") } as any,
        hardhat3Host(hre),
      ),
    { json: args.json },
  );
}
