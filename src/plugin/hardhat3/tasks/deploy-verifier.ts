/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat deploy-verifier` in Hardhat 3: the shared action (../../actions/deploy.ts). */
import { deployVerifierAction } from "../../actions/deploy";
import { boundary, circuitNumbers, hardhat3Host, required, whole } from "../common";

export default async function deployVerifier(args: any, hre: any) {
  return boundary(async () =>
    deployVerifierAction({ ...circuitNumbers(args), model: required(args.model, "--model", "deploy-verifier --model lenet5"), confirmations: whole(args.confirmations, "--confirmations") } as any, hardhat3Host(hre)),
  );
}
