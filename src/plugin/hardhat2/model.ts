/**
 * `npx hardhat inspect-model` and `npx hardhat export-model`: a model's layers and costs before compiling anything,
 * and the zoo (or any model file) written as ONNX for other tools.
 */
import { task, types } from "hardhat/config";
import { exportModelAction, inspectModelAction } from "../actions/model";
import { boundary } from "./common";

task("inspect-model", "A model's layers, parameters and MACs, and per statement its constraints, public signals and ptau size, with every approximation made (ONNX folds, quantization)")
  .addPositionalParam("model", "A built-in model, paper0/<network>, or a model file (.json or .onnx)", undefined, types.string)
  .addFlag("json", "Print one JSON object on stdout")
  .setAction(async (args: { model: string; json: boolean }) => boundary(async () => inspectModelAction(args), { json: args.json }));

task("export-model", "Write a model (the zoo, paper0/<network> or a model file) as ONNX, for other tools (EZKL reads ONNX)")
  .addParam("model", "A built-in model, paper0/<network>, or a model file", undefined, types.string)
  .addParam("out", "The .onnx file to write", undefined, types.string)
  .setAction(async (args: { model: string; out: string }) => boundary(async () => exportModelAction(args)));
