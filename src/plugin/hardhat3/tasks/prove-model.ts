/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat prove-model` in Hardhat 3: the shared action (../../actions/prove-model.ts). */
import { proveModelAction } from "../../actions/prove-model";
import { boundary, circuitNumbers, hardhat3Host, required } from "../common";

export default async function proveModel(args: any, hre: any) {
  return boundary(async () => proveModelAction({ ...circuitNumbers(args), model: required(args.model, "--model", "prove-model --model lenet5") } as any, hardhat3Host(hre)), { json: args.json });
}
