/**
 * `npx hardhat inspect-model` and `npx hardhat export-model`: a model's layers and costs before compiling anything,
 * and the zoo (or any model file) written as ONNX for other tools.
 */
import { exportModelAction, inspectModelAction } from "../actions/model";
import { boundary, defineTask } from "./common";

defineTask("inspect-model")
  .setAction(async (args: { model: string; json: boolean }) => boundary(async () => inspectModelAction(args), { json: args.json }));

defineTask("export-model")
  .setAction(async (args: { model: string; out: string }) => boundary(async () => exportModelAction(args)));
