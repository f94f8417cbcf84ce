/**
 * The render stage: a quantized model written out as the circuit's source, either the circom file (the readable,
 * auditable form) or, for the direct backend, the IR the r1cs is written from. Also where the choice between the
 * two backends is made and where a circuit's id (the content hash its build folder is named by) comes from.
 * It runs in prove-model's process, or (`renderStage`) in a child process of its own so the bench can measure it.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { renderCircuit } from "../backends/circom/render";
import { irToJson } from "../ir/serialize";
import { writeFileAtomic } from "../core/files";
import { QModel } from "../ir/ir";
import { ModelFile } from "../model/format";
import { Paths, ProofSystem } from "../core/paths";
import { batchOf, Visibility } from "../statement/visibility";
import { resolveModel } from "../model/zoo";
import { QuantChoice, quantizeFor } from "../quantize/quantize";
import { quantizedFor } from "./quantized";

export const TOOLCHAIN = "circom2@0.2.23 snarkjs@0.7.6 O1";
export const TOOLCHAIN_DIRECT = "zkml-direct/1";
/** The id scheme: a new one whenever what a circuit id covers changes. */
export const CIRCUIT_FORMAT = "zkml-circuit/2";

export type Backend = "circom" | "direct" | "auto";
export const BACKENDS: readonly Backend[] = ["circom", "direct", "auto"];

/**
 * Which backend renders the circuit, and why. `auto` is the direct backend: it writes the same R1CS and witness
 * as circom2 compiles from the rendered source (test/direct.test.ts, test/soundness.test.ts), and is always the
 * faster path: circom2's compile grows with every constant weight (lenet5 74 s and 670 MB where the direct
 * backend takes under 2 s, measured for issue 18), and past ~400k constants it runs out of its 4 GB. The
 * circom source stays one option away (`--backend circom`) for whoever audits the circuit in circom.
 */
export function chooseBackend(requested: Backend): { backend: "circom" | "direct"; reason: string } {
  if (requested === "circom") return { backend: "circom", reason: "--backend circom" };
  if (requested === "direct") return { backend: "direct", reason: "--backend direct" };
  return { backend: "direct", reason: "auto: r1cs and witness written straight from the IR (--backend circom compiles the circom source instead)" };
}


/**
 * The options that decide which circuit a model compiles to: the statement, the backend (auto chooses) and the
 * quantization. Every task that needs a built circuit takes the same ones.
 */
export interface CircuitOptions {
  visibility: Visibility;
  backend: Backend;
  quant: QuantChoice;
}

/** A circuit, identified without rendering it. */
export interface CircuitRef {
  /** `<model>-<hash>`: names its folder under build/circuits/ and its contracts */
  id: string;
  model: string;
  q: QModel;
  visibility: Visibility;
  backend: "circom" | "direct";
  /** why that backend (auto's reasoning, or the option that forced it) */
  reason: string;
}

/**
 * A circuit's id: a hash of what decides it (the quantized model, the statement, the backend and its
 * toolchain), so every task finds the circuit prove-model built without rendering anything.
 */
export function circuitId(model: string, q: QModel, vis: Visibility, backend: "circom" | "direct", ir: string = irToJson(q)): string {
  const slug = model.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "");
  // a batch of 1 is the single-inference circuit, whether or not it was named
  const base = batchOf(vis) === 1 ? { input: vis.input, weights: vis.weights, output: vis.output } : { ...vis, context: undefined };
  // a context is part of the statement; so is the commitments' form (domain-separated and salted since
  // zkml-commitment/2), which keeps circuits with hashes built before it from being reused
  const hashed = vis.input === "hashed" || vis.weights === "hashed" || vis.output === "hashed";
  const statement = { ...base, ...(vis.context === "sender" ? { context: vis.context } : {}), ...(hashed ? { commitments: "zkml-commitment/2" } : {}) };
  const h = createHash("sha256").update(`${CIRCUIT_FORMAT}\n${backend === "direct" ? TOOLCHAIN_DIRECT : TOOLCHAIN}\n${JSON.stringify(statement)}\n`).update(ir);
  return `${slug}-${h.digest("hex").slice(0, 16)}`;
}

/** Quantize (unless given), choose the backend, identify. */
export function resolveCircuit(model: ModelFile, opts: CircuitOptions, q: QModel = quantizeFor(model, opts.quant), ir?: string): CircuitRef {
  const chosen = chooseBackend(opts.backend);
  return { id: circuitId(model.name, q, opts.visibility, chosen.backend, ir), model: model.name, q, visibility: opts.visibility, backend: chosen.backend, reason: chosen.reason };
}

/** A built circuit's key files, for the tasks that use one (deploy-verifier, submit-proof, verify-setup). */
export function circuitFiles(root: string, id: string, system: ProofSystem): { r1cs: string; zkey: string; vkey: string; setupMeta: string } {
  const paths = new Paths(root);
  return {
    r1cs: paths.get({ kind: "r1cs", circuit: id }),
    zkey: paths.get({ kind: "zkey", circuit: id, system }),
    vkey: paths.get({ kind: "vkey", circuit: id, system }),
    setupMeta: paths.get({ kind: "setupMeta", circuit: id, system }),
  };
}

export interface RenderResult {
  id: string;
  sourceFile: string;
  backend: "circom" | "direct";
  reason: string;
  /** the file already held exactly this source */
  cached: boolean;
}

export interface RenderArgs extends CircuitOptions {
  root: string;
  force: boolean;
}

/** Choose the backend, render, and write the source under build/ (atomically; untouched when it is the same). */
export function renderSource(a: RenderArgs & { model: ModelFile; q?: QModel }): RenderResult {
  const q = a.q ?? quantizedFor(a.root, a.model, a.quant);
  // the IR is large for big models: serialized once, for the id and (direct backend) as the source
  const ir = irToJson(q);
  const c = resolveCircuit(a.model, a, q, ir);
  const written = c.backend === "direct" ? ir : renderCircuit(q, a.visibility);
  const sourceFile = new Paths(a.root).get({ kind: c.backend === "direct" ? "ir" : "circom", circuit: c.id });
  const cached = !a.force && fs.existsSync(sourceFile) && fs.statSync(sourceFile).size === Buffer.byteLength(written) && fs.readFileSync(sourceFile, "utf8") === written;
  if (!cached) writeFileAtomic(sourceFile, written);
  return { id: c.id, sourceFile, backend: c.backend, reason: c.reason, cached };
}

/** Stage (child process): resolve the model by name or path, quantize, render, write. */
export async function renderStage(a: RenderArgs & { modelRef: string }): Promise<RenderResult> {
  return renderSource({ ...a, model: resolveModel(a.modelRef) });
}
