/**
 * The render stage: a quantized model written out as the circuit's source, either the circom file (the readable,
 * auditable form) or, for the direct backend, the IR the r1cs is written from. Also where the choice between the
 * two backends is made and where a circuit's id (the content hash its build folder is named by) comes from.
 * It runs in prove-model's process, or (`renderStage`) in a child process of its own so the bench can measure it.
 */
import * as fs from "fs";
import * as path from "path";
import { renderCircuit } from "../backends/circom/render";
import { constraintCount } from "../statement/cost";
import { irToJson } from "../ir/serialize";
import { sha256, writeFileAtomic } from "../core/files";
import { QModel } from "../ir/ir";
import { ModelFile } from "../model/format";
import { Paths } from "../core/paths";
import { Visibility } from "../statement/visibility";
import { QuantChoice, quantizeFor, resolveModel } from "../model/zoo";

export const TOOLCHAIN = "circom2@0.2.23 snarkjs@0.7.6 O1";
export const TOOLCHAIN_DIRECT = "zkml-direct/1";

export type Backend = "circom" | "direct" | "auto";
export const BACKENDS: readonly Backend[] = ["circom", "direct", "auto"];

/** Weights a circuit may hold as constants before auto moves to the direct backend (circom2 ran out of its
 * 4 GB of WebAssembly memory on one 784x512 layer, ~400k constants). */
export const AUTO_MAX_CONSTANTS = 200_000;
/** Constraints past which auto prefers the direct backend (circom2's compile time and memory grow with them). */
export const AUTO_MAX_CONSTRAINTS = 1_000_000;

/** Which backend renders the circuit, and why. */
export function chooseBackend(requested: Backend, q: QModel, vis: Visibility): { backend: "circom" | "direct"; reason: string } {
  if (requested === "circom") return { backend: "circom", reason: "--backend circom" };
  if (requested === "direct") return { backend: "direct", reason: "--backend direct" };
  const constants = vis.weights === "fixed" ? q.ops.reduce((a, op) => a + (op.op === "dense" || op.op === "conv2d" ? op.weights.length + op.bias.length : 0), 0) : 0;
  const constraints = constraintCount(q, vis).total;
  if (constants > AUTO_MAX_CONSTANTS) return { backend: "direct", reason: `auto: ${constants.toLocaleString("en-US")} weight constants, past the ${AUTO_MAX_CONSTANTS.toLocaleString("en-US")} circom2 holds comfortably` };
  if (constraints > AUTO_MAX_CONSTRAINTS) return { backend: "direct", reason: `auto: ${constraints.toLocaleString("en-US")} constraints, past ${AUTO_MAX_CONSTRAINTS.toLocaleString("en-US")}` };
  return { backend: "circom", reason: `auto: ${constants.toLocaleString("en-US")} constants and ${constraints.toLocaleString("en-US")} constraints fit circom` };
}


export function circuitId(model: string, source: string): string {
  const slug = model.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "");
  return `${slug}-${sha256(source + TOOLCHAIN).slice(0, 16)}`;
}

export interface RenderResult {
  id: string;
  sourceFile: string;
  backend: "circom" | "direct";
  reason: string;
  /** the file already held exactly this source */
  cached: boolean;
}

export interface RenderArgs {
  root: string;
  visibility: Visibility;
  backend: Backend;
  quant: QuantChoice;
  force: boolean;
}

/** Choose the backend, render, and write the source under build/ (atomically; untouched when it is the same). */
export function renderSource(a: RenderArgs & { model: ModelFile; q?: QModel }): RenderResult {
  const q = a.q ?? quantizeFor(a.model, a.quant);
  const chosen = chooseBackend(a.backend, q, a.visibility);
  const direct = chosen.backend === "direct";
  // the IR is large for big models: serialized once; the id also covers the backend and the statement, which the
  // IR alone does not name
  const written = direct ? irToJson(q) : renderCircuit(q, a.visibility);
  const id = circuitId(a.model.name, direct ? `direct backend ${TOOLCHAIN_DIRECT}\n${JSON.stringify(a.visibility)}\n${written}` : written);
  const sourceFile = new Paths(a.root).get({ kind: direct ? "ir" : "circom", circuit: id });
  const cached = !a.force && fs.existsSync(sourceFile) && fs.statSync(sourceFile).size === Buffer.byteLength(written) && fs.readFileSync(sourceFile, "utf8") === written;
  if (!cached) {
    fs.mkdirSync(path.dirname(sourceFile), { recursive: true });
    writeFileAtomic(sourceFile, written);
  }
  return { id, sourceFile, backend: chosen.backend, reason: chosen.reason, cached };
}

/** Stage (child process): resolve the model by name or path, quantize, render, write. */
export async function renderStage(a: RenderArgs & { modelRef: string }): Promise<RenderResult> {
  return renderSource({ ...a, model: resolveModel(a.modelRef) });
}
