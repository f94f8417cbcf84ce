/**
 * `npx hardhat prove-model` in Hardhat 2: its options; the action (../actions/prove-model.ts) is shared with Hardhat 3.
 */
import { task, types } from "hardhat/config";
import { ProveArgs, proveModelAction } from "../actions/prove-model";
import { boundary, withCircuitOptions } from "./common";
import { hardhat2Host } from "./deploy";

export { boundary, PLUGIN } from "./common";

withCircuitOptions(task("prove-model", "Quantize a model, compile its circuit, set up Groth16 (or PLONK, FFLONK), prove one inference and verify it")
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)", undefined, types.string)
  .addOptionalParam("system", "Proof system: groth16 (smallest proof, cheapest to verify, needs a per-circuit ceremony), plonk or fflonk (universal setup, larger ptau), or sumcheck (no setup: the IR proved by sumcheck and lookups; paper0's statement, --input public --weights private --output public)", "groth16", types.string)
  .addOptionalParam("prover", "Who makes a Groth16 proof: native (default; Rust on arkworks, every core) or snarkjs (the reference, WebAssembly; also the only prover of plonk and fflonk)", undefined, types.string)
  .addOptionalParam("bindTo", "With --context sender (the default): the address that will submit the proof (0x...; default: the network's first account, the one deploy-verifier and submit-proof send from), or an application's value (a decimal number below the field modulus); the consumer refuses the proof from anyone else", undefined, types.string)
  .addOptionalParam("inputFile", "A JSON file with the input: an array (flat or nested), {\"input\": [...]} or EZKL's {\"input_data\": [[...]]}; default: a held-out MNIST digit or a seeded random input", undefined, types.string)
  .addOptionalParam(
    "ptau",
    "A phase-2-prepared powers-of-tau file (e.g. powersOfTau28_hez_final_18.ptau), checked against the published hashes; default: zkml.ptau, else a development one generated and cached on this machine",
    undefined,
    types.string,
  )
  .addFlag("downloadPtau", "Fetch the published Perpetual Powers of Tau file of the right size (hash-checked) instead of generating a development one")
  .addFlag("contribute", "Add your own phase-2 contribution (entropy from --entropy or typed in), then close the setup with a beacon")
  .addOptionalParam("entropy", "Entropy for --contribute (otherwise asked for on the terminal)", undefined, types.string)
  .addOptionalParam("beacon", "Hex beacon closing a --contribute setup, e.g. a future block hash; default: derived from the transcript", undefined, types.string)
  .addFlag("json", "Print the report as one JSON object on stdout (progress goes to stderr)")
  .addFlag("force", "Ignore cached artifacts and redo every stage"))
  .setAction(async (args: ProveArgs, hre) => boundary(async () => proveModelAction(args, hardhat2Host(hre)), { json: args.json }));
