/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat submit-proof` in Hardhat 3: the shared action (../../actions/deploy.ts). */
import { submitProofAction } from "../../actions/deploy";
import { boundary, circuitNumbers, hardhat3Host, required } from "../common";

export default async function submitProof(args: any, hre: any) {
  return boundary(async () => submitProofAction({ ...circuitNumbers(args), model: required(args.model, "--model", "submit-proof --model lenet5") } as any, hardhat3Host(hre)));
}
