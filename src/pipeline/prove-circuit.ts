/**
 * prove-model's first stages: the input quantized with the reference's output (quantize), the circuit's source
 * (render), its r1cs (compile), and the size of the setup it needs under the run's proof system.
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { checkDigest, digestFile, readJsonFile, readMeta, writeFileAtomic } from "../core/files";
import { QModel, runIR } from "../ir/ir";
import { defaultInput, defaultInputs, readInputFile } from "../model/zoo";
import { forwardFloat } from "../model/format";
import { quantizeInput } from "../quantize/quantize";
import { quantizedFor } from "./quantized";
import { describeChoice } from "../quantize/choose";
import { parseCalibration } from "../quantize/scales";
import type { CompileResult } from "../backends/compiled";
import { statementFor } from "../statement/statement";
import { batchOf } from "../statement/visibility";
import { readR1cs } from "../core/r1cs";
import { plonkGates } from "../systems/plonk/gates";
import { RenderResult, renderSource } from "./circuit";
import type { ProofSystemImpl } from "../systems/system";
import type { CircuitSize, ProveOptions, Run, Subject } from "./options";
import { runStage } from "./runner";
import type { StageSpec } from "./stage";

/** The model and the input quantized, with the reference's output: what every system proves from. */
export type Quantized = Omit<Subject, "statement">;

/** quantizeStage without the circuit statement (an IR system has no public signals to derive, and a hashed
 * statement's Poseidon commitment of every weight would be work for nothing). */
export function quantizeOnlyStage(run: Run<ProofSystemImpl>): StageSpec<Quantized> {
  return { stage: "quantize", title: "quantizing the model and the input", run: async () => ({ result: quantizeSubject(run) }), summary: (s) => `input ${s.given.source}` };
}

function quantizeSubject(run: Run<ProofSystemImpl>): Quantized {
  const { opts } = run;
  const q = run.exec.quantized ?? quantizedFor(opts.root, opts.model, run.circuit.quant);
  const n = batchOf(run.circuit.visibility);
  const given = n === 1 ? oneInput(opts) : batchInput(opts, n);
  // a batch is its inputs concatenated, and their outputs (statement.ts)
  const xs = given.values.map((v, i) => quantizeInput(q, v, opts.inputFile ? `${opts.inputFile}${n === 1 ? "" : ` inputs[${i}]`}` : "input"));
  return { q, given, x: xs.flat(), reference: xs.flatMap((xi) => runIR(q, xi).output) };
}

/** What the report says of the quantization: the width, how it was chosen, and the proved output's (the
 * reference's, which the proof is checked to equal) largest absolute error against the float model. */
export function quantizationReport(run: Run<ProofSystemImpl>, s: Quantized): { scaleBits: number; choice?: string; maxAbsError: number } {
  const real = s.reference.map((r) => Number(r) * s.q.output.step);
  const float = s.given.values.flatMap((v) => Array.from(forwardFloat(run.opts.model, v).data));
  const maxAbsError = real.reduce((m, v, i) => Math.max(m, Math.abs(v - float[i])), 0);
  const choice = run.circuit.quant.choice;
  return { scaleBits: s.q.input.bits, ...(choice ? { choice: describeChoice(choice) } : {}), maxAbsError };
}

export function quantizeStage(run: Run<ProofSystemImpl>): StageSpec<Subject> {
  const { opts } = run;
  return {
    stage: "quantize",
    title: "quantizing the model and the input",
    run: async () => {
      const { q, given, x, reference } = quantizeSubject(run);
      // hashed inputs and outputs get a fresh salt (kept in the run's input.json, beside the proof)
      return { result: { q, given, x, reference, statement: await statementFor(q, run.circuit.visibility, x, reference, { context: opts.context }) } };
    },
    summary: (s) => `input ${s.given.source}`,
  };
}

function oneInput(opts: ProveOptions): { values: ArrayLike<number>[]; source: string; label?: number } {
  if (opts.inputFile) return { values: [readInputFile(opts.inputFile, opts.model.input.shape)], source: opts.inputFile };
  const d = defaultInput(opts.model);
  return { values: [d.values], source: d.source, label: d.label };
}

/** A batch's inputs: the file's N inputs ({"inputs": [[...], ...]} or [[...], ...]), or N default ones. */
function batchInput(opts: ProveOptions, n: number): { values: ArrayLike<number>[]; source: string } {
  if (!opts.inputFile) return defaultInputs(opts.model, n);
  const values = parseCalibration(readJsonFile(opts.inputFile, "INPUT_INVALID", "check the path given to --input-file"), opts.model, opts.inputFile);
  if (values.length !== n)
    throw new ZkmlError("INPUT_INVALID", `inputs: expected ${n} inputs for --batch ${n}, got ${values.length}`, { file: opts.inputFile, hint: `give ${n} inputs, or --batch ${values.length}` });
  return { values, source: `${opts.inputFile} (${n} inputs)` };
}

/** The circom source (the auditable form), or for the direct backend the IR it is written from; in a child process of its own when asked (the bench measures its memory). */
export function renderStage(run: Run, q: QModel): StageSpec<RenderResult> {
  const { opts } = run;
  const args = { root: opts.root, ...run.circuit, force: run.force };
  const child = run.exec.renderInChild;
  return {
    stage: "render",
    title: "writing the circuit's source",
    run: async () => {
      if (!child) {
        const result = renderSource({ ...args, model: opts.model, q });
        return { result, cached: result.cached };
      }
      const m = await runStage("render", { ...args, modelRef: child.modelRef });
      return { ...m, cached: m.result.cached };
    },
    summary: (r) => path.relative(opts.root, r.sourceFile),
  };
}

export function compileStage(run: Run, rendered: RenderResult): StageSpec<CompileResult> {
  const { paths } = run;
  const id = rendered.id;
  const direct = rendered.backend === "direct";
  const metaFile = paths.get({ kind: "compileMeta", circuit: id });
  const built = paths.get({ kind: direct ? "r1cs" : "wasm", circuit: id });
  return {
    stage: "compile",
    title: direct ? "writing the r1cs straight from the IR" : "circom2 (WebAssembly)",
    // the circuit id names what decides a circuit, not the renderer's code: a source rewritten since (a renderer
    // changed) is compiled again, and the setup then sees a new r1cs
    // and every file it wrote is checked against the hash recorded when it was written: a changed r1cs (one
    // coefficient zeroed makes a constraint 0 = 0) is compiled again, never set up and proved
    reuse: (stale) => {
      if (run.force || !rendered.cached || !fs.existsSync(built)) return undefined;
      const prev = readMeta<CompileResult>(metaFile);
      if (!prev) return undefined;
      const files = { r1cs: prev.r1cs, ...(direct ? {} : { wasm: prev.wasm }) };
      const digests = { ...prev.digests };
      for (const [k, file] of Object.entries(files) as ["r1cs" | "wasm", string][]) {
        const c = checkDigest(file, prev.digests?.[k]);
        if (!c.ok) return void stale(c.why);
        digests[k] = c.digest;
      }
      const result = { ...prev, digests };
      // a copy with the same bytes: record its new inode facts, so it is not hashed again next time
      if (JSON.stringify(digests) !== JSON.stringify(prev.digests)) writeFileAtomic(metaFile, JSON.stringify({ ...result, log: undefined }, null, 1));
      return result;
    },
    run: async (progress) => {
      const m = direct
        ? await runStage("directCompile", { ir: rendered.sourceFile, visibility: run.circuit.visibility, r1cs: paths.get({ kind: "r1cs", circuit: id }) }, { onProgress: progress })
        : await runStage("compile", { circom: rendered.sourceFile, outDir: paths.get({ kind: "compileDir", circuit: id }), root: run.opts.root }, { onProgress: progress });
      const result: CompileResult = { ...m.result, digests: { r1cs: digestFile(m.result.r1cs), ...(direct ? {} : { wasm: digestFile(m.result.wasm) }) } };
      writeFileAtomic(metaFile, JSON.stringify({ ...result, log: undefined }, null, 1));
      return { ...m, result };
    },
    summary: (c) => `${c.constraints.toLocaleString("en-US")} constraints, ${c.wires.toLocaleString("en-US")} wires`,
  };
}

/** Public signals, gates for a system that counts them (counted once and kept in compile.json), and the powers of
 * tau the system's cost model asks for. */
export function circuitSize(run: Run, id: string, compiled: CompileResult): CircuitSize {
  const nPublic = compiled.publicInputs + compiled.publicOutputs;
  if (run.sys.countsGates && compiled.plonkGates === undefined) {
    compiled.plonkGates = plonkGates(readR1cs(compiled.r1cs));
    writeFileAtomic(run.paths.get({ kind: "compileMeta", circuit: id }), JSON.stringify({ ...compiled, log: undefined }, null, 1));
  }
  const gates = run.sys.countsGates ? compiled.plonkGates : undefined;
  return { nPublic, gates, power: run.sys.ptauPower({ constraints: compiled.constraints, publicSignals: nPublic, gates }) };
}
