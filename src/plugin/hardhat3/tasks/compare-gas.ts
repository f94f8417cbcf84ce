/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat compare-gas` in Hardhat 3: the shared action (../../actions/gas.ts), on two fresh in-process networks. */
import { compareGasAction } from "../../actions/gas";
import { boundary, circuitNumbers, hardhat3Host, required, whole } from "../common";

export default async function compareGas(args: any, hre: any) {
  return boundary(
    async () => compareGasAction({ ...circuitNumbers(args), model: required(args.model, "--model", "compare-gas --model lenet5"), blockGasLimit: whole(args.blockGasLimit, "--block-gas-limit") } as any, hardhat3Host(hre)),
    { json: args.json },
  );
}
