/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat verify-setup` in Hardhat 3: the shared action (../../actions/setup.ts). */
import { verifySetupAction } from "../../actions/setup";
import { boundary, circuitNumbers, required } from "../common";

export default async function verifySetup(args: any, hre: any) {
  return boundary(async () => verifySetupAction({ ...circuitNumbers(args), model: required(args.model, "--model", "verify-setup --model lenet5") } as any, { root: hre.config.paths.root, zkml: hre.config.zkml }));
}
