/**
 * `npx hardhat compare-gas` in Hardhat 2: its options; the action (../actions/gas.ts) is shared with Hardhat 3.
 */
import { task, types } from "hardhat/config";
import { CompareGasArgs, compareGasAction } from "../actions/gas";
import { boundary, withCircuitOptions } from "./common";
import { hardhat2Host } from "./deploy";

withCircuitOptions(task("compare-gas", "Gas of running a model in the EVM against verifying a proof of it: per call, deployment, crossover and break-even (real receipts, in-process network)")
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)", undefined, types.string)
  .addOptionalParam("systems", "Comma-separated proof systems to measure: groth16, plonk, fflonk", "groth16", types.string)
  .addOptionalParam("blockGasLimit", "Block gas limit to flag transactions against (default: zkml.blockGasLimit, else 30,000,000)", undefined, types.int)
  .addFlag("json", "Print the report as one JSON object on stdout (progress goes to stderr)")
  .addOptionalParam("markdown", "Also write the report as markdown to this file", undefined, types.string)
  .addOptionalParam("statements", "Several statements side by side, comma-separated input/weights/output[/batch] items (e.g. packed/fixed/label,hashed/fixed/label,hashed/fixed/label/64); instead of --input, --weights, --output", undefined, types.string))
  .setAction(async (args: CompareGasArgs, hre) =>
    boundary(async () => compareGasAction(args, hardhat2Host(hre)), { json: args.json }),
  );
