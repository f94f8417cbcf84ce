/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat verify-proof` in Hardhat 3: the shared action (../../actions/deploy.ts). */
import { verifyProofAction } from "../../actions/deploy";
import { boundary, circuitNumbers, hardhat3Host, required } from "../common";

export default async function verifyProof(args: any, hre: any) {
  return boundary(async () => {
    const example = "verify-proof --proof proof.json --public public.json --vkey verification_key.json";
    return verifyProofAction({ ...circuitNumbers(args), proof: required(args.proof, "--proof", example), public: required(args.public, "--public", example) } as any, hardhat3Host(hre));
  });
}
