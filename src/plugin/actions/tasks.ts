/**
 * Every task of the plugin, declared once for both majors: its description, its options (name, description, kind,
 * default, whether required) and positional arguments. The Hardhat 2 plugin adds them with its task builder
 * (../hardhat2/common.ts defineTask), the Hardhat 3 plugin turns them into its option objects (../hardhat3/index.ts),
 * so a task's help reads the same in both; test/package-hardhat3.test.ts compares the two tables as each Hardhat
 * builds them. Hardhat 3 has no required options in a plugin's tasks and no number options without a default: its
 * actions check `required` options and read numbers from text (../hardhat3/common.ts).
 */

export type OptionKind = "string" | "int" | "float" | "flag";

export interface OptionSpec {
  /** camel-cased, as the actions read it (`scaleBits`; `--scale-bits` on the command line) */
  name: string;
  kind: OptionKind;
  default?: string | number;
  required?: boolean;
  description: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
}

export interface TaskSpec {
  description: string;
  /** the task takes the circuit options (CIRCUIT_OPTIONS, after its own) */
  circuit: boolean;
  options: readonly OptionSpec[];
  positional?: readonly PositionalSpec[];
}

/** The options that decide which circuit a model compiles to: the statement, the backend, the quantization. */
export const CIRCUIT_OPTIONS: readonly OptionSpec[] = [
  { name: "input", kind: "string", description: "What the verifier sees of the input: public (every value), packed (values packed into as few signals as fit 253 bits), private (nothing), hashed (a Poseidon commitment); default zkml.visibility.input, else packed (the default statement fits EIP-170 for every model)" },
  { name: "weights", kind: "string", description: "fixed (constants of the circuit: proves this public model), hashed (private, with a public Poseidon commitment: proves the committed model), private (private and unbound: proves only that SOME weights of this architecture give the output, paper0's statement); default fixed" },
  { name: "batch", kind: "int", description: "Inferences one proof covers (default 1): their inputs and outputs make one statement; with --output label the consumer records each one's label" },
  { name: "output", kind: "string", description: "public (every output), label (the argmax class only, proved in the circuit), hashed (a Poseidon commitment); default zkml.visibility.output, else label" },
  { name: "context", kind: "string", description: "sender (a last public signal the consumer requires to equal uint160(msg.sender): a proof copied from the mempool is refused when anyone else submits it; prove-model binds it to --bind-to, else to the network's first account) or none (anyone holding the proof can submit it); default zkml.visibility.context, else sender (none for --system sumcheck, which has no consumer contract)" },
  { name: "backend", kind: "string", default: "auto", description: "circom (the readable circom source, compiled by circom2), direct (r1cs and witness written straight from the IR) or auto (the direct path when circom2 would be slow or out of memory)" },
  { name: "scaleBits", kind: "int", description: "Bits of the quantized input, weights and activations (see `npx hardhat quantize`); default: the narrowest of 8-16 bits that meets --max-error" },
  { name: "maxError", kind: "float", description: "Without --scale-bits: the largest absolute output error against the float model, on held-out inputs, that the narrowest width chosen must meet (default zkml.quantize.maxError, else 0.005)" },
  { name: "saturate", kind: "string", default: "auto", description: "Saturating requants: auto picks the circuit with fewer constraints (deep networks: on), on, off" },
  { name: "calibration", kind: "string", description: "A JSON file of sample inputs ([[...], ...] or {\"inputs\": [...]}) that sets the activation scales; default: MNIST training digits, or seeded inputs" },
];

export const TASKS = {
  "prove-model": {
    description: "Quantize a model, compile its circuit, set up Groth16 (or PLONK, FFLONK), prove one inference and verify it",
    circuit: true,
    options: [
      { name: "model", kind: "string", required: true, description: "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)" },
      { name: "system", kind: "string", default: "groth16", description: "Proof system: groth16 (smallest proof, cheapest to verify, needs a per-circuit ceremony), plonk or fflonk (universal setup, larger ptau), or sumcheck (no setup: the IR proved by sumcheck and lookups; paper0's statement, --input public --weights private --output public)" },
      { name: "prover", kind: "string", description: "Who makes a Groth16 proof: native (default; Rust on arkworks, every core) or snarkjs (the reference, WebAssembly; also the only prover of plonk and fflonk)" },
      { name: "bindTo", kind: "string", description: "With --context sender (the default): the address that will submit the proof (0x...; default: the network's first account, the one deploy-verifier and submit-proof send from), or an application's value (a decimal number below the field modulus); the consumer refuses the proof from anyone else" },
      { name: "inputFile", kind: "string", description: "A JSON file with the input: an array (flat or nested), {\"input\": [...]} or EZKL's {\"input_data\": [[...]]}; default: a held-out MNIST digit or a seeded random input" },
      { name: "ptau", kind: "string", description: "A phase-2-prepared powers-of-tau file (e.g. powersOfTau28_hez_final_18.ptau), checked against the published hashes; default: zkml.ptau, else a development one generated and cached on this machine" },
      { name: "downloadPtau", kind: "flag", description: "Fetch the published Perpetual Powers of Tau file of the right size (hash-checked) instead of generating a development one" },
      { name: "contribute", kind: "flag", description: "Add your own phase-2 contribution (entropy from --entropy or typed in), then close the setup with a beacon" },
      { name: "entropy", kind: "string", description: "Entropy for --contribute (otherwise asked for on the terminal)" },
      { name: "beacon", kind: "string", description: "Hex beacon closing a --contribute setup, e.g. a future block hash; default: derived from the transcript" },
      { name: "zk", kind: "flag", description: "Zero knowledge for --system sumcheck: nothing of the weights, the activations or a private input revealed (masked sumchecks, hiding commitments; every op and statement it proves; committed weights keep their secret beside the commitment; not yet verifiable on-chain). Groth16, PLONK and FFLONK proofs are zero knowledge always" },
      { name: "pcs", kind: "string", description: "The sumcheck system's commitment: hyrax (default: no setup, the fastest prover) or kzg (one pairing check on-chain: the smaller proof and a far cheaper Solidity verifier; a powers of tau, from --ptau, --download-ptau or a development one, whose trust the proof then carries)" },
      { name: "json", kind: "flag", description: "Print the report as one JSON object on stdout (progress goes to stderr)" },
      { name: "force", kind: "flag", description: "Ignore cached artifacts and redo every stage" },
    ],
  },
  "deploy-verifier": {
    description: "Deploy a circuit's verifier and consumer contract to --network and record them in deployments/<network>/<circuit>-<system>.json",
    circuit: true,
    options: [
      { name: "model", kind: "string", required: true, description: "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others) (prove it first with prove-model, with the same circuit options)" },
      { name: "system", kind: "string", default: "groth16", description: "Proof system of the verifier: groth16, plonk, fflonk, or sumcheck (an MLP with --weights hashed --input public --output public; the context defaults to sender: its consumer binds every proof to its submitter)" },
      { name: "confirmations", kind: "int", description: "Blocks to wait for after each deployment (default: 1 on localhost, 2 on testnets)" },
      { name: "force", kind: "flag", description: "Deploy again even when the record matches the chain" },
      { name: "verify", kind: "flag", description: "Then publish the verifier's and consumer's sources on the network's Etherscan-style explorer, with the project's @nomicfoundation/hardhat-verify (2 for Hardhat 2, 3 for Hardhat 3; needs an Etherscan API key, ETHERSCAN_API_KEY, and internet; checked before anything is deployed)" },
      { name: "allowDevelopmentSetup", kind: "flag", description: "Deploy (or submit to) a verifier whose key comes from a development powers of tau on a real network anyway: anyone holding its secrets can forge proofs; the record is marked forgeable" },
      { name: "pcs", kind: "string", description: "--system sumcheck: the verifier of hyrax proofs (default) or kzg ones (prove-model --pcs kzg: one pairing check, a third of the gas; its ptau's trust is checked as Groth16's)" },
    ],
  },
  "submit-proof": {
    description: "Send a proof of a model's inference to its deployed consumer contract on --network; print the transaction, its gas and the recorded output",
    circuit: true,
    options: [
      { name: "model", kind: "string", required: true, description: "The model whose verifier deploy-verifier deployed (with the same circuit options)" },
      { name: "system", kind: "string", default: "groth16", description: "Proof system: groth16, plonk, fflonk or sumcheck (as deployed)" },
      { name: "proof", kind: "string", description: "A folder with the proof (default: prove the model's default input with prove-model's cache)" },
      { name: "job", kind: "string", description: "A finished proof-queue job's id (prove-jobs results lists them): send its proof" },
      { name: "allowDevelopmentSetup", kind: "flag", description: "Deploy (or submit to) a verifier whose key comes from a development powers of tau on a real network anyway: anyone holding its secrets can forge proofs; the record is marked forgeable" },
      { name: "pcs", kind: "string", description: "--system sumcheck: submit to the verifier of hyrax proofs (default) or of kzg ones (deploy-verifier --pcs kzg)" },
    ],
  },
  "verify-proof": {
    description: "Check a proof.json and public.json against a verification key (--vkey, or --model's circuit) or a deployed verifier (--address on --network); exit 0 if valid, 1 if not",
    circuit: true,
    options: [
      { name: "proof", kind: "string", required: true, description: "The proof (proof.json, as prove-model or snarkjs writes it)" },
      { name: "public", kind: "string", required: true, description: "Its public signals (public.json)" },
      { name: "vkey", kind: "string", description: "A verification key (verification_key.json); its system is read from its protocol" },
      { name: "model", kind: "string", description: "Instead of --vkey: the model whose circuit (with the circuit options) prove-model set up" },
      { name: "address", kind: "string", description: "Instead of a key: a deployed verifier contract on --network, asked with a call (nothing is sent)" },
      { name: "system", kind: "string", description: "groth16, plonk, fflonk or sumcheck (default: the key's protocol; with --model or --address, groth16; sumcheck needs --model)" },
    ],
  },
  "compare-gas": {
    description: "Gas of running a model in the EVM against verifying a proof of it: per call, deployment, crossover and break-even (real receipts, in-process network)",
    circuit: true,
    options: [
      { name: "model", kind: "string", required: true, description: "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)" },
      { name: "systems", kind: "string", default: "groth16", description: "Comma-separated proof systems to measure: groth16, plonk, fflonk, sumcheck (measured under its on-chain statement: committed weights, a public input and output, bound to the sender)" },
      { name: "blockGasLimit", kind: "int", description: "Block gas limit to flag transactions against (default: zkml.blockGasLimit, else 30,000,000)" },
      { name: "json", kind: "flag", description: "Print the report as one JSON object on stdout (progress goes to stderr)" },
      { name: "markdown", kind: "string", description: "Also write the report as markdown to this file" },
      { name: "statements", kind: "string", description: "Several statements side by side, comma-separated input/weights/output[/batch] items (e.g. packed/fixed/label,hashed/fixed/label,hashed/fixed/label/64); instead of --input, --weights, --output" },
      { name: "pcs", kind: "string", description: "The sumcheck row's commitment: hyrax (default) or kzg (its format-4 verifier: one pairing check)" },
    ],
  },
  "inspect-model": {
    description: "A model's layers, parameters and MACs, and per statement its constraints, public signals and ptau size, with every approximation made (ONNX folds, quantization)",
    circuit: false,
    options: [
      { name: "json", kind: "flag", description: "Print one JSON object on stdout" },
    ],
    positional: [{ name: "model", description: "A built-in model, paper0/<network>, or a model file (.json or .onnx)" }],
  },
  "export-model": {
    description: "Write a model (the zoo, paper0/<network> or a model file) as ONNX, for other tools (EZKL reads ONNX)",
    circuit: false,
    options: [
      { name: "model", kind: "string", required: true, description: "A built-in model, paper0/<network>, or a model file" },
      { name: "out", kind: "string", required: true, description: "The .onnx file to write" },
    ],
  },
  "quantize": {
    description: "What each quantization scale costs and buys: float and quantized accuracy, argmax agreement, max error, Groth16 constraints and ptau size, the sumcheck system's largest lookup table, and the narrowest width within --max-error",
    circuit: false,
    options: [
      { name: "model", kind: "string", required: true, description: "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)" },
      { name: "scales", kind: "string", default: "8,9,10,11,12,13,14,15,16", description: "Comma-separated scale widths in bits (input, weights and activations alike)" },
      { name: "samples", kind: "int", default: 200, description: "Held-out inputs to evaluate on (MNIST digits for MNIST-shaped models, else seeded inputs)" },
      { name: "calibration", kind: "string", description: "A JSON file of sample inputs that sets the activation scales (default: MNIST training digits, or seeded inputs)" },
      { name: "maxError", kind: "float", description: "The largest absolute output error against the float model a width must meet (default zkml.quantize.maxError, else 0.005)" },
      { name: "input", kind: "string", description: "Input visibility for the constraint count: public, packed, private or hashed (default zkml.visibility)" },
      { name: "weights", kind: "string", description: "Weights visibility for the constraint count: fixed, private or hashed" },
      { name: "output", kind: "string", description: "Output visibility for the constraint count: public, label or hashed" },
      { name: "json", kind: "flag", description: "Print the table as JSON on stdout" },
      { name: "markdown", kind: "string", description: "Also write the table as markdown to this file" },
    ],
  },
  "ptau": {
    description: "Make a development powers of tau (seconds, not hours), fetch a published ceremony file, or check a ptau file",
    circuit: false,
    options: [
      { name: "power", kind: "int", description: "Number of powers as a power of two (the circuit needs 2^power > constraints + public signals)" },
      { name: "out", kind: "string", description: "Where to write a development ptau (default: build/ptau/pot<power>.ptau)" },
      { name: "download", kind: "flag", description: "Fetch the published Perpetual Powers of Tau file for --power instead (hash-checked; needs network)" },
      { name: "check", kind: "string", description: "Check this ptau file: format, BN254, hash against the published table" },
      { name: "verify", kind: "flag", description: "Also run `snarkjs powersoftau verify` on the result (slow for large powers)" },
    ],
  },
  "verify-setup": {
    description: "Check a model's Groth16 proving key against its r1cs and ptau (snarkjs zkey verify), listing its contributions",
    circuit: true,
    options: [
      { name: "model", kind: "string", required: true, description: "The model whose setup to check, with the circuit options it was proved with" },
    ],
  },
  "bench": {
    description: "Benchmark paper0's suites (or any models) through the whole pipeline: each stage in its own process, seconds and peak memory, constraints, proof size and verification gas, beside paper0's figures",
    circuit: false,
    options: [
      { name: "suite", kind: "string", default: "depth", description: "parameter, depth, zoo, or a comma-separated list of models (built-in names, paper0/<network>, paths)" },
      { name: "systems", kind: "string", default: "groth16", description: "Comma-separated proof systems: groth16, plonk, fflonk, sumcheck (--throughput too: sumcheck proves --batch inferences a job, the weights committed)" },
      { name: "weights", kind: "string", default: "fixed", description: "fixed (circuit constants), hashed (private, bound by a public Poseidon commitment) or private (unbound: paper0's own statement, the like-for-like series)" },
      { name: "input", kind: "string", default: "public", description: "public (default) or private (the sumcheck system: the input committed in each proof, range-checked there)" },
      { name: "zk", kind: "flag", description: "Every proof in zero knowledge (prove-model --zk: the sumcheck system's format 3; Groth16, PLONK and FFLONK always are)" },
      { name: "pcs", kind: "string", description: "The sumcheck system's commitment in every proof: hyrax (default) or kzg (prove-model --pcs kzg: its on-chain form, measured on-chain with --weights hashed)" },
      { name: "prover", kind: "string", description: "Groth16's prover: native (default) or snarkjs" },
      { name: "maxConstraints", kind: "int", description: "Skip (and record why) every circuit with more constraints than this, by the exact constraint formula (default 4,000,000)" },
      { name: "repeat", kind: "int", default: 1, description: "Measure each network this many times (the reports show medians)" },
      { name: "out", kind: "string", description: "Folder for results.json (appended to, so a stopped run resumes) and the reports (default build/bench)" },
      { name: "force", kind: "flag", description: "Measure again what results.json already holds" },
      { name: "reportOnly", kind: "flag", description: "Only write the reports from results.json" },
      { name: "throughput", kind: "flag", description: "Instead: proofs a minute through the proof queue (--model, --batch, --jobs, --workers), and the machines one AI Arena round needs" },
      { name: "model", kind: "string", default: "mlp-mnist", description: "--throughput: the model" },
      { name: "batch", kind: "int", description: "--throughput: also measure a batch statement of this many inferences a proof" },
      { name: "jobs", kind: "int", default: 24, description: "--throughput: jobs a case" },
      { name: "workers", kind: "string", default: "1,2", description: "--throughput: comma-separated worker counts to measure" },
      { name: "redis", kind: "string", description: "--throughput: a Redis URL to use (default: a private redis-server started for the run)" },
      { name: "ezkl", kind: "flag", description: "Instead: EZKL beside us on --models (setup, prove, verify, memory, proof size, accuracy); needs EZKL for --python (scripts/ezkl/requirements.txt)" },
      { name: "python", kind: "string", default: "python3", description: "--ezkl: the Python that has EZKL installed" },
      { name: "models", kind: "string", default: "mlp-mnist,lenet5", description: "--ezkl: comma-separated models" },
    ],
  },
  "prove-worker": {
    description: "Prove jobs from the proof queue (Redis at --redis or REDIS_URL) until stopped (Ctrl-C); run one per machine, or several",
    circuit: false,
    options: [
      { name: "concurrency", kind: "int", default: 1, description: "Jobs proved at once by this worker" },
      { name: "redis", kind: "string", description: "Redis URL (default REDIS_URL, else zkml.queue, else redis://127.0.0.1:6379)" },
    ],
  },
  "prove-jobs": {
    description: "The proof queue: submit inference proofs (--model, --inputs), print their status, or collect their results",
    circuit: true,
    options: [
      { name: "model", kind: "string", description: "submit: the model (built-in name, paper0/<network> or a model file)" },
      { name: "inputs", kind: "string", description: "submit: a JSON file of inputs ({\"inputs\": [[...], ...]} or [[...], ...]), one job each" },
      { name: "system", kind: "string", default: "groth16", description: "submit: proof system" },
      { name: "redis", kind: "string", description: "Redis URL (default REDIS_URL, else zkml.queue, else redis://127.0.0.1:6379)" },
      { name: "out", kind: "string", description: "results: write each job's result as <out>/<job>.json" },
      { name: "bindTo", kind: "string", description: "submit, a statement with a context (the default): the address that will submit the proofs (default: the network's first account), or an application's value" },
      { name: "watch", kind: "flag", description: "status: follow the queue live (done, failed, proofs a minute, time left) until nothing is waiting or running" },
      { name: "interval", kind: "float", default: 2, description: "status --watch: seconds between samples" },
      { name: "json", kind: "flag", description: "Print one JSON object on stdout (with --watch, one per sample)" },
    ],
    positional: [{ name: "action", description: "submit, status or results" }],
  },
} satisfies Record<string, TaskSpec>;

export type TaskId = keyof typeof TASKS;

/** A task's options in the order both plugins declare them: its own, then the circuit options when it takes them. */
export function taskOptions(id: TaskId): readonly OptionSpec[] {
  const spec: TaskSpec = TASKS[id];
  return spec.circuit ? [...spec.options, ...CIRCUIT_OPTIONS] : spec.options;
}
