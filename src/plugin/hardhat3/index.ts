/**
 * zkml-hardhat's Hardhat 3 plugin: `import zkml from "zkml-hardhat/hardhat3"` and `plugins: [zkml]` in
 * hardhat.config.ts. The same tasks and options as the Hardhat 2 plugin (prove-model, deploy-verifier, submit-proof,
 * verify-proof, compare-gas, inspect-model, export-model, quantize, ptau, verify-setup, bench, prove-worker,
 * prove-jobs), running the same actions (../actions/); `hre.zkml`, the same typed calls of the tasks as Hardhat 2's
 * (./hooks/hre.ts); the validated `zkml` config section; and the
 * compiler: a project that names no `solidity` gets solc 0.8.30 from the pinned `solc` npm package, so compiling
 * never downloads.
 *
 * The tasks are Hardhat 3's task definitions as plain objects (what its task builders produce), their actions
 * imported lazily, so loading the plugin imports nothing from Hardhat. Hardhat 3 has no required options in a
 * plugin's tasks and no integer option without a default: --model is checked in the action, numbers are read from
 * strings there.
 */
import type { ZkmlConfig, ZkmlUserConfig } from "../../core/config";
import type { Visibility } from "../../statement/visibility";
import type { ZkmlRuntime } from "../actions/api";

// the `zkml` section in a Hardhat 3 config's types (in this repository the same augmentation Hardhat 2's config.ts makes)
declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    zkml?: ZkmlUserConfig<Visibility>;
  }
  interface HardhatConfig {
    zkml: ZkmlConfig<Visibility>;
  }
}

// `hre.zkml` (the hre hook, ./hooks/hre.ts) in a Hardhat 3 project's types
declare module "hardhat/types/hre" {
  interface HardhatRuntimeEnvironment {
    zkml: ZkmlRuntime;
  }
}

interface Option {
  name: string;
  description: string;
  type: "STRING" | "STRING_WITHOUT_DEFAULT" | "FLAG";
  defaultValue: string | boolean | undefined;
}

const text = (name: string, description: string, defaultValue?: string): Option => ({ name, description, type: defaultValue === undefined ? "STRING_WITHOUT_DEFAULT" : "STRING", defaultValue });
const flag = (name: string, description: string): Option => ({ name, description, type: "FLAG", defaultValue: false });

const MODEL = "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx); required";
const REDIS = "Redis URL (default REDIS_URL, else zkml.queue, else redis://127.0.0.1:6379)";
const ALLOW_DEV_SETUP = "Deploy (or submit to) a verifier whose key comes from a development powers of tau on a real network anyway: anyone holding its secrets can forge proofs; the record is marked forgeable";

/** The options that decide which circuit a model compiles to (as Hardhat 2's withCircuitOptions). */
const circuit: Option[] = [
  text("input", "What the verifier sees of the input: public, packed, private or hashed; default zkml.visibility.input, else packed"),
  text("weights", "fixed (this public model), hashed (a committed private model) or private (any weights of this architecture); default fixed"),
  text("batch", "Inferences one proof covers (default 1)"),
  text("output", "public, label (the argmax class) or hashed; default zkml.visibility.output, else label"),
  text("context", "sender (the consumer requires the proof's last signal to be msg.sender; prove-model binds it with --bind-to) or none"),
  text("backend", "circom, direct or auto", "auto"),
  text("scaleBits", "Bits of the quantized input, weights and activations; default: the narrowest of 8-16 bits that meets --max-error"),
  text("maxError", "Without --scale-bits: the largest absolute output error against the float model, on held-out inputs, that the narrowest width chosen must meet (default zkml.quantize.maxError, else 0.005)"),
  text("saturate", "Saturating requants: auto, on or off", "auto"),
  text("calibration", "A JSON file of sample inputs that sets the activation scales"),
];

interface Positional {
  name: string;
  description: string;
  type: "STRING";
  defaultValue: undefined;
  isVariadic: false;
}

function task(id: string, description: string, options: Option[], action: () => Promise<{ default: (args: never, hre: never) => Promise<unknown> }>, positionalArguments: Positional[] = []) {
  return { type: "NEW_TASK" as const, id: [id], description, options: Object.fromEntries(options.map((o) => [o.name, o])), positionalArguments, action };
}

const plugin = {
  id: "zkml-hardhat",
  npmPackage: "zkml-hardhat",
  hookHandlers: { config: () => import("./hooks/config"), hre: () => import("./hooks/hre") },
  tasks: [
    task(
      "prove-model",
      "Quantize a model, compile its circuit, set up Groth16 (or PLONK, FFLONK), prove one inference and verify it",
      [
        text("model", MODEL),
        text("system", "Proof system: groth16, plonk, fflonk or sumcheck", "groth16"),
        text("prover", "Who makes a Groth16 proof: native (default) or snarkjs"),
        text("bindTo", "With --context sender: the address that will submit the proof"),
        text("inputFile", "A JSON file with the input; default: a held-out MNIST digit or a seeded random input"),
        text("ptau", "A phase-2-prepared powers-of-tau file; default: zkml.ptau, else a development one"),
        flag("downloadPtau", "Fetch the published Perpetual Powers of Tau file of the right size (hash-checked)"),
        flag("contribute", "Add your own phase-2 contribution, then close the setup with a beacon"),
        text("entropy", "Entropy for --contribute"),
        text("beacon", "Hex beacon closing a --contribute setup"),
        flag("json", "Print the report as one JSON object on stdout (progress goes to stderr)"),
        flag("force", "Ignore cached artifacts and redo every stage"),
        ...circuit,
      ],
      () => import("./tasks/prove-model"),
    ),
    task(
      "deploy-verifier",
      "Deploy a circuit's verifier and consumer contract to --network and record them in deployments/<network>/<circuit>-<system>.json",
      [
        text("model", MODEL),
        text("system", "Proof system of the verifier: groth16, plonk or fflonk", "groth16"),
        text("confirmations", "Blocks to wait for after each deployment (default: 1 on localhost, 2 on testnets)"),
        flag("force", "Deploy again even when the record matches the chain"),
        flag("allowDevelopmentSetup", ALLOW_DEV_SETUP),
        ...circuit,
      ],
      () => import("./tasks/deploy-verifier"),
    ),
    task(
      "submit-proof",
      "Send a proof of a model's inference to its deployed consumer contract on --network; print the transaction, its gas and the recorded output",
      [
        text("model", MODEL),
        text("system", "Proof system: groth16, plonk or fflonk", "groth16"),
        text("proof", "A folder with the proof (default: prove the model's default input with prove-model's cache)"),
        text("job", "A finished proof-queue job's id: send its proof"),
        flag("allowDevelopmentSetup", ALLOW_DEV_SETUP),
        ...circuit,
      ],
      () => import("./tasks/submit-proof"),
    ),
    task(
      "verify-proof",
      "Check a proof.json and public.json against a verification key (--vkey, or --model's circuit) or a deployed verifier (--address on --network); exit 0 if valid, 1 if not",
      [
        text("proof", "The proof (proof.json); required"),
        text("public", "Its public signals (public.json); required"),
        text("vkey", "A verification key (verification_key.json)"),
        text("model", "Instead of --vkey: the model whose circuit (with the circuit options) prove-model set up"),
        text("address", "Instead of a key: a deployed verifier contract on --network, asked with a call"),
        text("system", "groth16, plonk, fflonk or sumcheck (default: the key's protocol; with --model or --address, groth16)"),
        ...circuit,
      ],
      () => import("./tasks/verify-proof"),
    ),
    task(
      "compare-gas",
      "Gas of running a model in the EVM against verifying a proof of it: per call, deployment, crossover and break-even (real receipts, in-process network)",
      [
        text("model", MODEL),
        text("systems", "Comma-separated proof systems to measure: groth16, plonk, fflonk", "groth16"),
        text("blockGasLimit", "Block gas limit to flag transactions against (default: zkml.blockGasLimit, else 30,000,000)"),
        flag("json", "Print the report as one JSON object on stdout (progress goes to stderr)"),
        text("markdown", "Also write the report as markdown to this file"),
        text("statements", "Several statements side by side, comma-separated input/weights/output[/batch] items; instead of --input, --weights, --output"),
        ...circuit,
      ],
      () => import("./tasks/compare-gas"),
    ),
    task(
      "inspect-model",
      "A model's layers, parameters and MACs, and per statement its constraints, public signals and ptau size, with every approximation made (ONNX folds, quantization)",
      [flag("json", "Print one JSON object on stdout")],
      () => import("./tasks/model"),
      [{ name: "model", description: "A built-in model, paper0/<network>, or a model file (.json or .onnx)", type: "STRING", defaultValue: undefined, isVariadic: false }],
    ),
    task(
      "export-model",
      "Write a model (the zoo, paper0/<network> or a model file) as ONNX, for other tools (EZKL reads ONNX)",
      [text("model", "A built-in model, paper0/<network>, or a model file; required"), text("out", "The .onnx file to write; required")],
      () => import("./tasks/export-model"),
    ),
    task(
      "quantize",
      "What each quantization scale costs and buys: float and quantized accuracy, argmax agreement, max error, Groth16 constraints and ptau size, the sumcheck system's largest lookup table, and the narrowest width within --max-error",
      [
        text("model", MODEL),
        text("scales", "Comma-separated scale widths in bits (input, weights and activations alike)", "8,9,10,11,12,13,14,15,16"),
        text("samples", "Held-out inputs to evaluate on (MNIST digits for MNIST-shaped models, else seeded inputs)", "200"),
        text("calibration", "A JSON file of sample inputs that sets the activation scales"),
        text("maxError", "The largest absolute output error against the float model a width must meet (default zkml.quantize.maxError, else 0.005)"),
        text("input", "Input visibility for the constraint count: public, packed, private or hashed (default zkml.visibility)"),
        text("weights", "Weights visibility for the constraint count: fixed, private or hashed"),
        text("output", "Output visibility for the constraint count: public, label or hashed"),
        flag("json", "Print the table as JSON on stdout"),
        text("markdown", "Also write the table as markdown to this file"),
      ],
      () => import("./tasks/quantize"),
    ),
    task(
      "ptau",
      "Make a development powers of tau (seconds, not hours), fetch a published ceremony file, or check a ptau file",
      [
        text("power", "Number of powers as a power of two (the circuit needs 2^power > constraints + public signals)"),
        text("out", "Where to write a development ptau (default: build/ptau/pot<power>.ptau)"),
        flag("download", "Fetch the published Perpetual Powers of Tau file for --power instead (hash-checked; needs network)"),
        text("check", "Check this ptau file: format, BN254, hash against the published table"),
        flag("verify", "Also run `snarkjs powersoftau verify` on the result (slow for large powers)"),
      ],
      () => import("./tasks/ptau"),
    ),
    task(
      "verify-setup",
      "Check a model's Groth16 proving key against its r1cs and ptau (snarkjs zkey verify), listing its contributions",
      [text("model", "The model whose setup to check, with the circuit options it was proved with; required"), ...circuit],
      () => import("./tasks/verify-setup"),
    ),
    task(
      "bench",
      "Benchmark paper0's suites (or any models) through the whole pipeline: each stage in its own process, seconds and peak memory, constraints, proof size and verification gas, beside paper0's figures",
      [
        text("suite", "parameter, depth, zoo, or a comma-separated list of models (built-in names, paper0/<network>, paths)", "depth"),
        text("systems", "Comma-separated proof systems: groth16, plonk, fflonk, sumcheck (--throughput too: sumcheck proves --batch inferences a job, the weights committed)", "groth16"),
        text("weights", "fixed (circuit constants), hashed (private, bound by a public Poseidon commitment) or private (unbound: paper0's own statement, the like-for-like series)", "fixed"),
        text("input", "public (default) or private (the sumcheck system: the input committed in each proof, range-checked there)", "public"),
        text("prover", "Groth16's prover: native (default) or snarkjs"),
        text("maxConstraints", "Skip (and record why) every circuit with more constraints than this, by the exact constraint formula (default 4,000,000)"),
        text("repeat", "Measure each network this many times (the reports show medians)", "1"),
        text("out", "Folder for results.json (appended to, so a stopped run resumes) and the reports (default build/bench)"),
        flag("force", "Measure again what results.json already holds"),
        flag("reportOnly", "Only write the reports from results.json"),
        flag("throughput", "Instead: proofs a minute through the proof queue (--model, --batch, --jobs, --workers), and the machines one AI Arena round needs"),
        text("model", "--throughput: the model", "mlp-mnist"),
        text("batch", "--throughput: also measure a batch statement of this many inferences a proof"),
        text("jobs", "--throughput: jobs a case", "24"),
        text("workers", "--throughput: comma-separated worker counts to measure", "1,2"),
        text("redis", "--throughput: a Redis URL to use (default: a private redis-server started for the run)"),
        flag("ezkl", "Instead: EZKL beside us on --models (setup, prove, verify, memory, proof size, accuracy); needs EZKL for --python (scripts/ezkl/requirements.txt)"),
        text("python", "--ezkl: the Python that has EZKL installed", "python3"),
        text("models", "--ezkl: comma-separated models", "mlp-mnist,lenet5"),
      ],
      () => import("./tasks/bench"),
    ),
    task(
      "prove-worker",
      "Prove jobs from the proof queue (Redis at --redis or REDIS_URL) until stopped (Ctrl-C); run one per machine, or several",
      [text("concurrency", "Jobs proved at once by this worker", "1"), text("redis", REDIS)],
      () => import("./tasks/prove-worker"),
    ),
    task(
      "prove-jobs",
      "The proof queue: submit inference proofs (--model, --inputs), print their status, or collect their results",
      [
        ...circuit,
        text("model", "submit: the model (built-in name, paper0/<network> or a model file)"),
        text("inputs", 'submit: a JSON file of inputs ({"inputs": [[...], ...]} or [[...], ...]), one job each'),
        text("system", "submit: proof system", "groth16"),
        text("redis", REDIS),
        text("out", "results: write each job's result as <out>/<job>.json"),
        text("bindTo", "submit, a statement with a context (the default): the address that will submit the proofs (default: the network's first account), or an application's value"),
        flag("watch", "status: follow the queue live (done, failed, proofs a minute, time left) until nothing is waiting or running"),
        text("interval", "status --watch: seconds between samples", "2"),
        flag("json", "Print one JSON object on stdout (with --watch, one per sample)"),
      ],
      () => import("./tasks/prove-jobs"),
      [{ name: "action", description: "submit, status or results", type: "STRING", defaultValue: undefined, isVariadic: false }],
    ),
  ],
};

/**
 * Hardhat 3's HardhatPlugin, exported untyped: this repository type-checks against Hardhat 2, whose types are not
 * Hardhat 3's (their TaskDefinitionType enum is not a string literal), so a precise type here would not be
 * assignable to a Hardhat 3 config's `plugins`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const hardhatPlugin: any = plugin;
export = hardhatPlugin;
