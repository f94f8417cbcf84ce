/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat bench` in Hardhat 3: the shared action (../../actions/bench.ts); --throughput's workers are this Hardhat's prove-worker. */
import { benchAction } from "../../actions/bench";
import { boundary, hardhat3Host, whole } from "../common";

export default async function bench(args: any, hre: any) {
  return boundary(async () =>
    benchAction(
      { ...args, maxConstraints: whole(args.maxConstraints, "--max-constraints"), repeat: whole(args.repeat, "--repeat"), batch: whole(args.batch, "--batch"), jobs: whole(args.jobs, "--jobs") },
      hardhat3Host(hre),
    ),
  );
}
