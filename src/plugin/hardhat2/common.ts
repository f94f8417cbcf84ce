/**
 * What every task shares: the plugin name and the boundary where a ZkmlError becomes a HardhatPluginError
 * (message with the file, field, expected and got, plus the fix), so Hardhat prints it and exits non-zero.
 */
import { AsyncLocalStorage } from "async_hooks";
import { HardhatPluginError } from "hardhat/plugins";
import { types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import { isZkmlError, ZkmlError } from "../../core/errors";

export const PLUGIN = "zkml-hardhat";

export async function boundary<T>(fn: () => Promise<T>, opts: { json?: boolean } = {}): Promise<T> {
  try {
    return await fn();
  } catch (caught) {
    // a file the system would not let us read or write (a read-only build folder, a full disk) is named, not a stack
    const { anyFileError } = await import("../../core/files");
    const e = anyFileError(caught);
    // with --json, stdout carries one JSON object whatever happens: the report, or the error
    if (opts.json) process.stdout.write(JSON.stringify({ error: isZkmlError(e) ? e.toJSON() : { code: "INTERNAL", message: String((e as Error)?.message ?? e) } }) + "\n");
    if (isZkmlError(e)) throw new HardhatPluginError(PLUGIN, `[${e.code}] ${e.describe()}`);
    throw e;
  }
}

/**
 * Where a task's output goes. From the command line: the report to stdout, progress lines to stderr. Called through
 * `hre.zkml` (./api.ts), a task runs inside `api.run`: nothing is printed, progress lines go to the caller's `log`
 * if it gave one, and the task's return value is the result.
 */
const api = new AsyncLocalStorage<{ log?: (line: string) => void }>();

export function runQuietly<T>(log: ((line: string) => void) | undefined, fn: () => Promise<T>): Promise<T> {
  return api.run({ log }, fn);
}

/** True inside `hre.zkml`'s calls (no terminal output). */
export const quiet = (): boolean => api.getStore() !== undefined;

export const say = (line: string) => {
  const ctx = api.getStore();
  if (ctx) ctx.log?.(line);
  else process.stderr.write(`  ${line}\n`);
};

/** A line of the task's report on stdout (nothing when called through `hre.zkml`). */
export const print = (text: string) => {
  if (!quiet()) process.stdout.write(`${text}\n`);
};

/** The options that decide which circuit a model compiles to, as every task that builds or finds one takes them. */
export interface CircuitArgs {
  input?: string;
  weights?: string;
  output?: string;
  backend: string;
  scaleBits?: number;
  saturate: string;
  calibration?: string;
  batch?: number;
  context?: string;
}

/** Adds the circuit options (statement, backend, quantization) to a task. */
export function withCircuitOptions<T extends ConfigurableTaskDefinition>(t: T): T {
  t.addOptionalParam(
    "input",
    "What the verifier sees of the input: public (every value), packed (values packed into as few signals as fit 253 bits), private (nothing), hashed (a Poseidon commitment); default zkml.visibility.input, else packed (the default statement fits EIP-170 for every model)",
    undefined,
    types.string,
  )
    .addOptionalParam(
      "weights",
      "fixed (constants of the circuit: proves this public model), hashed (private, with a public Poseidon commitment: proves the committed model), private (private and unbound: proves only that SOME weights of this architecture give the output, paper0's statement); default fixed",
      undefined,
      types.string,
    )
    .addOptionalParam("batch", "Inferences one proof covers (default 1): their inputs and outputs make one statement; with --output label the consumer records each one's label", undefined, types.int)
    .addOptionalParam("output", "public (every output), label (the argmax class only, proved in the circuit), hashed (a Poseidon commitment); default zkml.visibility.output, else label", undefined, types.string)
    .addOptionalParam(
      "context",
      "sender (a last public signal the consumer requires to equal uint160(msg.sender): a proof copied from the mempool is refused when anyone else submits it; prove-model binds it with --bind-to) or none; default zkml.visibility.context, else none",
      undefined,
      types.string,
    )
    .addOptionalParam("backend", "circom (the readable circom source, compiled by circom2), direct (r1cs and witness written straight from the IR) or auto (the direct path when circom2 would be slow or out of memory)", "auto", types.string)
    .addOptionalParam("scaleBits", "Bits of the quantized input, weights and activations (see `npx hardhat quantize`); default 8", undefined, types.int)
    .addOptionalParam("saturate", "Saturating requants: auto picks the circuit with fewer constraints (deep networks: on), on, off", "auto", types.string)
    .addOptionalParam("calibration", "A JSON file of sample inputs ([[...], ...] or {\"inputs\": [...]}) that sets the activation scales; default: MNIST training digits, or seeded inputs", undefined, types.string);
  return t;
}

/** The circuit options from a task's arguments and `zkml.visibility`, validated (errors name the option). */
export async function circuitOptions(args: CircuitArgs, hre: HardhatRuntimeEnvironment, model: import("../../model/format").ModelFile): Promise<import("../../pipeline/circuit").CircuitOptions> {
  const { batchOf, parseVisibility } = await import("../../statement/visibility");
  const { parseSaturate } = await import("../../quantize/quantize");
  const { BACKENDS } = await import("../../pipeline/circuit");
  const cfg = hre.config.zkml;
  const visibility = parseVisibility({ input: args.input ?? cfg.visibility.input, weights: args.weights ?? cfg.visibility.weights, output: args.output ?? cfg.visibility.output, context: args.context ?? cfg.visibility.context }, (k) => `--${k}`);
  if (args.batch !== undefined && batchOf({ batch: args.batch }) > 1) visibility.batch = args.batch;
  if (!(BACKENDS as readonly string[]).includes(args.backend))
    throw new ZkmlError("OPTION_INVALID", `--backend: expected one of ${BACKENDS.join(", ")}, got ${JSON.stringify(args.backend)}`, { hint: "e.g. --backend direct" });
  const calibration = args.calibration ? await readCalibration(args.calibration, model) : undefined;
  return { visibility, backend: args.backend as import("../../pipeline/circuit").Backend, quant: { scaleBits: args.scaleBits, saturate: parseSaturate(args.saturate), calibration } };
}

/** Calibration inputs from a JSON file, checked against the model's input shape. */
export async function readCalibration(file: string, model: import("../../model/format").ModelFile): Promise<Float64Array[]> {
  const { readJsonFile } = await import("../../core/files");
  const { parseCalibration } = await import("../../quantize/scales");
  return parseCalibration(readJsonFile(file, "INPUT_INVALID", "check the path given to --calibration"), model, file);
}

/** The circuit options as they were given, to repeat in a hint (`npx hardhat prove-model --model m<flags>`). */
export function circuitFlags(args: CircuitArgs): string {
  const out: string[] = [];
  for (const [k, flag] of [["input", "--input"], ["weights", "--weights"], ["output", "--output"], ["context", "--context"], ["batch", "--batch"], ["scaleBits", "--scale-bits"], ["calibration", "--calibration"]] as const)
    if (args[k] !== undefined) out.push(` ${flag} ${args[k]}`);
  if (args.backend !== "auto") out.push(` --backend ${args.backend}`);
  if (args.saturate !== "auto") out.push(` --saturate ${args.saturate}`);
  return out.join("");
}
