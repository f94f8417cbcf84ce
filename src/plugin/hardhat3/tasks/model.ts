/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat inspect-model <model>` in Hardhat 3: the shared action (../../actions/model.ts). */
import { inspectModelAction } from "../../actions/model";
import { boundary, required } from "../common";

export default async function inspectModel(args: any) {
  return boundary(async () => inspectModelAction({ model: required(args.model, "the model", "inspect-model lenet5"), json: args.json }), { json: args.json });
}
