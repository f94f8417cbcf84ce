/* eslint-disable @typescript-eslint/no-explicit-any */
/** `npx hardhat export-model` in Hardhat 3: the shared action (../../actions/model.ts). */
import { exportModelAction } from "../../actions/model";
import { boundary, required } from "../common";

export default async function exportModel(args: any) {
  return boundary(async () => exportModelAction({ model: required(args.model, "--model", "export-model --model lenet5 --out lenet5.onnx"), out: required(args.out, "--out", "export-model --model lenet5 --out lenet5.onnx") }));
}
