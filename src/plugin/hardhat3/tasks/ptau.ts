/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat ptau` in Hardhat 3: the shared action (../../actions/setup.ts). */
import { ptauAction } from "../../actions/setup";
import { boundary, whole } from "../common";

export default async function ptau(args: any, hre: any) {
  return boundary(async () => ptauAction({ ...args, power: whole(args.power, "--power") }, { root: hre.config.paths.root, zkml: hre.config.zkml }));
}
