/**
 * The options that decide which circuit a model compiles to, as every task that builds or finds one takes them,
 * read against the project's `zkml` config: free of Hardhat, shared by both plugins.
 */
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import type { ZkmlConfig } from "../../core/config";
import type { Visibility } from "../../statement/visibility";
import type { ModelFile } from "../../model/format";
import type { Backend, CircuitOptions } from "../../pipeline/circuit";
import type { QModel } from "../../ir/ir";
import type { WidthChoice } from "../../quantize/choose";
import { say } from "./output";

export interface CircuitArgs {
  input?: string;
  weights?: string;
  output?: string;
  backend: string;
  scaleBits?: number;
  /** the largest absolute output error against the float model the narrowest width must meet (when no --scale-bits) */
  maxError?: number | string;
  saturate: string;
  calibration?: string;
  batch?: number;
  context?: string;
  /** the proof system, when the task names one: a system without a consumer contract has no default context */
  system?: string;
}

/**
 * The circuit options from a task's arguments and `zkml.visibility`, validated (errors name the option). A system
 * without a consumer contract (an IR system: sumcheck, so far) has nothing to check a context, so the default one
 * (zkml.visibility's, or DEFAULT_VISIBILITY's sender) does not apply to it; only --context asks it for one (and the
 * system refuses what it cannot prove).
 */
export async function circuitOptions(args: CircuitArgs, cfg: ZkmlConfig<Visibility>, model: ModelFile, root?: string): Promise<CircuitOptions> {
  const { batchOf, contextOf, parseVisibility, DEFAULT_VISIBILITY } = await import("../../statement/visibility");
  const { parseSaturate } = await import("../../quantize/quantize");
  const { BACKENDS } = await import("../../pipeline/circuit");
  const { parseSystem, systemFor } = await import("../../systems/registry");
  const consumer = args.system === undefined || systemFor({ system: parseSystem(args.system, "--system") }).form === "r1cs";
  // a field neither given nor set by the project: the system's own default statement (an IR system proves the
  // output public; the global default's label output is a circuit's)
  const irSystem = args.system === undefined ? undefined : systemFor({ system: parseSystem(args.system, "--system") });
  const statementDefault = <K extends "input" | "weights" | "output">(k: K): Visibility[K] =>
    irSystem?.form === "ir" && cfg.visibility[k] === DEFAULT_VISIBILITY[k] ? (irSystem.defaultVisibility[k] ?? cfg.visibility[k]) : cfg.visibility[k];
  // the resolved config's visibility is complete: no context there is `none`, not "take the default"
  const context = args.context ?? (consumer ? contextOf(cfg.visibility) : "none");
  const visibility = parseVisibility({ input: args.input ?? statementDefault("input"), weights: args.weights ?? statementDefault("weights"), output: args.output ?? statementDefault("output"), context }, (k) => `--${k}`);
  if (args.batch !== undefined && batchOf({ batch: args.batch }) > 1) visibility.batch = args.batch;
  if (!(BACKENDS as readonly string[]).includes(args.backend))
    throw new ZkmlError("OPTION_INVALID", `--backend: expected one of ${BACKENDS.join(", ")}, got ${JSON.stringify(args.backend)}`, { hint: "e.g. --backend direct" });
  const calibration = args.calibration ? await readCalibration(args.calibration, model) : undefined;
  const saturate = parseSaturate(args.saturate);
  if (args.scaleBits !== undefined) return { visibility, backend: args.backend as Backend, quant: { scaleBits: args.scaleBits, saturate, calibration } };
  // no --scale-bits: the narrowest width whose error meets --max-error (zkml.quantize.maxError, else the default),
  // among the widths the system proves; resolved here, once, so every stage (and child process) quantizes alike
  const { chooseScaleBits, describeChoice, parseMaxError } = await import("../../quantize/choose");
  const maxError = args.maxError !== undefined ? parseMaxError(args.maxError) : cfg.quantize?.maxError;
  const sys = args.system === undefined ? undefined : systemFor({ system: parseSystem(args.system, "--system") });
  if (sys?.form === "ir") sys.checkStatement(visibility); // refused before the width search quantizes anything
  const accepts = sys?.form === "ir" ? (q: QModel) => sys.check(q, visibility) : undefined;
  const key = JSON.stringify([maxError, saturate, args.calibration, sys?.form === "ir" ? [sys.protocol, visibility] : null]);
  let byModel = choices.get(model);
  if (!byModel) choices.set(model, (byModel = new Map()));
  let choice = byModel.get(key);
  if (!choice) {
    const choose = () => chooseScaleBits(model, { maxError, calibration, saturate, accepts });
    // with a project: kept under build/quantized by the model's content and these options (a later command reads it)
    byModel.set(key, (choice = root === undefined ? choose() : await keptChoice(root, model, [maxError, saturate, calibration, sys?.form === "ir" ? [sys.protocol, visibility] : null], choose)));
    say(`width: ${describeChoice(choice)}`);
  }
  return { visibility, backend: args.backend as Backend, quant: { scaleBits: choice.bits, saturate, calibration, choice } };
}

async function keptChoice(root: string, model: ModelFile, options: [unknown, unknown, ArrayLike<number>[] | undefined, unknown], choose: () => WidthChoice): Promise<WidthChoice> {
  const { cachedForModel } = await import("../../pipeline/quantized");
  const { sha256 } = await import("../../core/files");
  const [maxError, saturate, calibration, system] = options;
  const values = calibration && sha256(Buffer.concat(calibration.map((v) => Buffer.from(Float64Array.from(v).buffer))));
  return cachedForModel(root, model, "width", [maxError ?? null, saturate ?? null, values ?? null, system], choose, (file) => say(`width: kept from an earlier run (${path.relative(root, file)})`));
}

/** Widths chosen in this process, per model and options (compare-gas and the queue ask for the same circuit more than once). */
const choices = new WeakMap<ModelFile, Map<string, WidthChoice>>();

/** Calibration inputs from a JSON file, checked against the model's input shape. */
export async function readCalibration(file: string, model: ModelFile): Promise<Float64Array[]> {
  const { readJsonFile } = await import("../../core/files");
  const { parseCalibration } = await import("../../quantize/scales");
  return parseCalibration(readJsonFile(file, "INPUT_INVALID", "check the path given to --calibration"), model, file);
}

/** The circuit options as they were given, to repeat in a hint (`npx hardhat prove-model --model m<flags>`). */
export function circuitFlags(args: CircuitArgs): string {
  const out: string[] = [];
  for (const [k, flag] of [["input", "--input"], ["weights", "--weights"], ["output", "--output"], ["context", "--context"], ["batch", "--batch"], ["scaleBits", "--scale-bits"], ["maxError", "--max-error"], ["calibration", "--calibration"]] as const)
    if (args[k] !== undefined) out.push(` ${flag} ${args[k]}`);
  if (args.backend !== "auto") out.push(` --backend ${args.backend}`);
  if (args.saturate !== "auto") out.push(` --saturate ${args.saturate}`);
  return out.join("");
}
