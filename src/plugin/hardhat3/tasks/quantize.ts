/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat quantize` in Hardhat 3: the shared action (../../actions/model.ts). */
import { quantizeAction } from "../../actions/model";
import { boundary, decimal, required, whole } from "../common";

export default async function quantize(args: any, hre: any) {
  return boundary(async () => quantizeAction({ ...args, model: required(args.model, "--model", "quantize --model lenet5"), samples: whole(args.samples, "--samples"), maxError: decimal(args.maxError, "--max-error") } as any, hre.config.zkml), { json: args.json });
}
