/**
 * `npx hardhat quantize`: its options; the action (../actions/model.ts) is shared with Hardhat 3.
 */
import { task, types } from "hardhat/config";
import { QuantizeArgs, quantizeAction } from "../actions/model";
import { boundary } from "./common";

task("quantize", "What each quantization scale costs and buys: float and quantized accuracy, argmax agreement, max error, Groth16 constraints and ptau size, the sumcheck system's largest lookup table, and the narrowest width within --max-error")
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)", undefined, types.string)
  .addOptionalParam("scales", "Comma-separated scale widths in bits (input, weights and activations alike)", "8,9,10,11,12,13,14,15,16", types.string)
  .addOptionalParam("samples", "Held-out inputs to evaluate on (MNIST digits for MNIST-shaped models, else seeded inputs)", 200, types.int)
  .addOptionalParam("calibration", "A JSON file of sample inputs that sets the activation scales (default: MNIST training digits, or seeded inputs)", undefined, types.string)
  .addOptionalParam("maxError", "The largest absolute output error against the float model a width must meet (default zkml.quantize.maxError, else 0.005)", undefined, types.float)
  .addOptionalParam("input", "Input visibility for the constraint count: public, packed, private or hashed (default zkml.visibility)", undefined, types.string)
  .addOptionalParam("weights", "Weights visibility for the constraint count: fixed, private or hashed", undefined, types.string)
  .addOptionalParam("output", "Output visibility for the constraint count: public, label or hashed", undefined, types.string)
  .addFlag("json", "Print the table as JSON on stdout")
  .addOptionalParam("markdown", "Also write the table as markdown to this file", undefined, types.string)
  .setAction(async (args: QuantizeArgs, hre) => boundary(async () => quantizeAction(args, hre.config.zkml), { json: args.json }));
