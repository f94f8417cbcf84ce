/**
 * `npx hardhat prove-model`: parse arguments, call the core, print. All logic lives in src/.
 */
import { runLabel } from "../../pipeline/report";
import * as fs from "fs";
import { task, types } from "hardhat/config";
import { ZkmlError } from "../../core/errors";
import { boundary, CircuitArgs, circuitOptions, print, quiet, say, withCircuitOptions } from "./common";

export { boundary, PLUGIN } from "./common";

interface Args extends CircuitArgs {
  model: string;
  system: string;
  prover?: string;
  inputFile?: string;
  ptau?: string;
  downloadPtau: boolean;
  contribute: boolean;
  entropy?: string;
  beacon?: string;
  json: boolean;
  force: boolean;
  bindTo?: string;
}

withCircuitOptions(task("prove-model", "Quantize a model, compile its circuit, set up Groth16 (or PLONK, FFLONK), prove one inference and verify it")
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)", undefined, types.string)
  .addOptionalParam("system", "Proof system: groth16 (smallest proof, cheapest to verify, needs a per-circuit ceremony), plonk or fflonk (universal setup, larger ptau), or sumcheck (no setup: the IR proved by sumcheck and lookups; paper0's statement, --input public --weights private --output public)", "groth16", types.string)
  .addOptionalParam("prover", "Who makes a Groth16 proof: native (default; Rust on arkworks, every core) or snarkjs (the reference, WebAssembly; also the only prover of plonk and fflonk)", undefined, types.string)
  .addOptionalParam("bindTo", "With --context sender: the address that will submit the proof (0x...), or an application's value (a decimal number below the field modulus); the consumer refuses the proof from anyone else", undefined, types.string)
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
  .setAction(async (args: Args, hre) =>
    boundary(async () => {
      const { proveModel } = await import("../../pipeline/prove");
      const { resolveModel } = await import("../../model/zoo");
      const { renderJson, renderTerminal } = await import("../../report/prove");
      const root = hre.config.paths.root;
      const { ptauTrust } = await import("../../core/config");
      const model = resolveModel(args.model);
      const { parseProver, parseSystem } = await import("../../systems/registry");
      const system = parseSystem(args.system, "--system");
      const prover = args.prover === undefined ? undefined : parseProver(args.prover, "--prover");
      if ((args.entropy || args.beacon) && !args.contribute)
        throw new ZkmlError("OPTION_INVALID", "--entropy and --beacon only apply with --contribute", { hint: "add --contribute" });
      const contribute = args.contribute ? { entropy: args.entropy ?? (await askEntropy()), beacon: args.beacon } : undefined;
      const { INPUT_VISIBILITY } = await import("../../statement/visibility");
      // --input once took the input file; a value that is not a visibility keyword still means that
      let inputFile = args.inputFile;
      if (args.input !== undefined && !(INPUT_VISIBILITY as readonly string[]).includes(args.input) && (args.input.endsWith(".json") || fs.existsSync(args.input))) {
        if (inputFile) throw new ZkmlError("OPTION_INVALID", `--input ${args.input}: give the input file once, with --input-file`, { hint: "drop one of the two" });
        inputFile = args.input;
        args = { ...args, input: undefined };
      }
      const circuit = await circuitOptions(args, hre, model);
      const { parseContext } = await import("../../statement/statement");
      const context = parseContext(args.bindTo, circuit.visibility, "--bind-to");
      const report = await proveModel({
        root,
        model,
        system,
        prover,
        inputFile,
        circuit,
        context,
        trust: { ...ptauTrust(hre.config.zkml, args), contribute },
        execution: { force: args.force },
        observe: {
          log: say,
          // live lines on a terminal; plain lines when stderr is a pipe or a file
          progress: process.stderr.isTTY && !quiet() ? (await import("../../report/progress")).terminalProgress() : undefined,
        },
      });
      if (!report.verified && args.json)
        throw new ZkmlError("PROOF_INVALID", `the proof of ${report.model} did not verify (${runLabel(report)}); it was not kept`, { hint: "run prove-model again with --force; if the key was damaged, the setup is redone" });
      print(args.json ? renderJson(report) : renderTerminal(report, root));
      if (!report.verified)
        throw new ZkmlError("PROOF_INVALID", `the proof of ${report.model} did not verify (${runLabel(report)}); it was not kept`, { hint: "run prove-model again with --force; if the key was damaged, the setup is redone" });
      return report;
    }, { json: args.json }),
  );

/** Entropy typed by the user; refused when there is no terminal to type it in. */
async function askEntropy(): Promise<string> {
  if (!process.stdin.isTTY)
    throw new ZkmlError("OPTION_INVALID", "--contribute needs entropy and there is no terminal to ask for it", { hint: "pass --entropy \"<random text>\"" });
  const readline = await import("readline/promises");
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const text = await rl.question("  Type some random text for your contribution (it is hashed with system randomness, never stored): ");
    if (!text.trim()) throw new ZkmlError("OPTION_INVALID", "the entropy was empty", { hint: "type some random characters, or pass --entropy" });
    return text;
  } finally {
    rl.close();
  }
}
