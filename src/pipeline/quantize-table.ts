/**
 * `npx hardhat quantize`'s engine: what each quantization scale costs and buys. For a few scale widths (bits of
 * the input, the weights and the activations alike) it quantizes the model with the given calibration, runs the
 * float model and the integer reference on held-out inputs (MNIST digits for MNIST-shaped models, seeded inputs
 * in range otherwise), and reports float and quantized accuracy (when labels exist), how often their predicted
 * classes agree, the largest absolute error of the dequantized outputs against the float ones, and what the width
 * costs each proof system: the circuit's constraints (src/statement/cost.ts constraintCount, exact, no compile) and
 * the powers of tau its Groth16 setup needs; the sumcheck system's largest lookup table, or its refusal. Against a
 * target (--max-error) it names the narrowest width that meets it per system, as prove-model chooses by default.
 * One data model (QuantizeTable); terminal, markdown and JSON are views of it. It sits in the pipeline, above the
 * quantizer, because it asks the statement (cost, layout) and the setup (ptau size).
 */
import { constraintCount } from "../statement/cost";
import { QModel } from "../ir/ir";
import { forwardFloat, ModelFile } from "../model/format";
import { groth16Power } from "../setup/ptau";
import { quantize, scaleOptions } from "../quantize/quantize";
import { DEFAULT_MAX_ERROR, evaluationInputs, measureError, parseMaxError } from "../quantize/choose";
import { DEFAULT_VISIBILITY, Visibility } from "../statement/visibility";
import { statementLayout } from "../statement/layout";
import { calibrationFor, isMnistShaped } from "../model/zoo";
import { sumcheckArch } from "../systems/sumcheck/arch";

/** Every width the tasks choose from (src/quantize/choose.ts), 8 to 16 bits. */
export const DEFAULT_SCALES = [8, 9, 10, 11, 12, 13, 14, 15, 16];

/** What a width costs the sumcheck system: its largest lookup table (log2 of its rows), or why it refuses the model. */
export type SumcheckCost = { tableLog: number } | { refused: string };

export interface ScaleRow {
  scaleBits: number;
  /** null when the evaluation inputs have no labels */
  floatAccuracy: number | null;
  quantizedAccuracy: number | null;
  agreement: number;
  maxAbsError: number;
  /** maxAbsError <= the table's maxError */
  meets: boolean;
  /** Groth16 (and the other circuit systems): the circuit's constraints under the statement */
  constraints: number;
  publicSignals: number;
  ptauPower: number;
  sumcheck: SumcheckCost;
}

export interface QuantizeTable {
  model: string;
  visibility: Visibility;
  samples: number;
  evaluation: string;
  calibration: { samples: number; source: string };
  /** the target: the largest absolute output error against the float model */
  maxError: number;
  /** per system, the narrowest listed width that meets maxError on these inputs (sumcheck: among those it takes); null: none does */
  chosen: { groth16: number | null; sumcheck: number | null };
  rows: ScaleRow[];
}

/**
 * The sumcheck system's largest lookup table for a quantized model, as log2 of its rows: per requant its range table
 * (2^shift) and its activation table (2^(bits - shift)), per max pool its range table (2^(bits - 1)), a private
 * input's range table (2^inputBits); or the refusal of sumcheckArch (a table past 2^20 rows, a shift past 16).
 */
export function sumcheckCost(q: QModel, vis: Visibility = DEFAULT_VISIBILITY): SumcheckCost {
  try {
    sumcheckArch(q);
  } catch (e) {
    return { refused: (e as Error).message };
  }
  let tableLog = vis.input === "private" ? q.input.bits : 0;
  for (const op of q.ops) {
    if (op.op === "requant") tableLog = Math.max(tableLog, op.shift, op.bits - op.shift);
    else if (op.op === "maxpool2d") tableLog = Math.max(tableLog, op.bits - 1);
  }
  return { tableLog };
}

export function quantizeTable(
  model: ModelFile,
  opts: { scales?: number[]; samples?: number; calibration?: Float64Array[]; calibrationSource?: string; visibility?: Visibility; maxError?: number; log?: (s: string) => void } = {},
): QuantizeTable {
  const scales = opts.scales ?? DEFAULT_SCALES;
  const vis = opts.visibility ?? DEFAULT_VISIBILITY;
  const samples = opts.samples ?? 200;
  const maxError = opts.maxError === undefined ? DEFAULT_MAX_ERROR : parseMaxError(opts.maxError, "maxError");
  const calibration = opts.calibration ?? calibrationFor(model);
  const mnist = isMnistShaped(model);
  const { inputs, source } = evaluationInputs(model, samples, opts.calibration);
  const floats = inputs.map((s) => forwardFloat(model, s.values).data);
  const rows = scales.map((bits): ScaleRow => {
    const q = quantize(model, { ...scaleOptions(bits), calibration });
    const e = measureError(q, inputs, floats);
    const constraints = constraintCount(q, vis).total;
    const pub = statementLayout(q, vis).publicSignals;
    const sumcheck = sumcheckCost(q, vis);
    opts.log?.(`${bits} bits: max |error| ${e.maxAbsError.toPrecision(3)}, ${constraints.toLocaleString("en-US")} constraints, sumcheck ${"refused" in sumcheck ? "refused" : `table 2^${sumcheck.tableLog}`}`);
    return {
      scaleBits: bits,
      floatAccuracy: mnist ? e.floatCorrect / inputs.length : null,
      quantizedAccuracy: mnist ? e.quantizedCorrect / inputs.length : null,
      agreement: e.agreement,
      maxAbsError: e.maxAbsError,
      meets: e.maxAbsError <= maxError,
      constraints,
      publicSignals: pub,
      ptauPower: groth16Power(constraints, pub),
      sumcheck,
    };
  });
  const narrowest = (ok: (r: ScaleRow) => boolean) => rows.filter((r) => r.meets && ok(r)).reduce<number | null>((m, r) => (m === null || r.scaleBits < m ? r.scaleBits : m), null);
  return {
    model: model.name,
    visibility: vis,
    samples: inputs.length,
    evaluation: mnist ? `${source}` : `${source}, against the float model`,
    calibration: { samples: calibration.length, source: opts.calibrationSource ?? (mnist ? "every 32nd MNIST training digit" : "seeded random inputs (seed 7)") },
    maxError,
    chosen: { groth16: narrowest(() => true), sumcheck: narrowest((r) => !("refused" in r.sumcheck)) },
    rows,
  };
}

const pct = (v: number | null) => (v === null ? "-" : `${(100 * v).toFixed(2)}%`);

const sumcheckCell = (c: SumcheckCost) => ("refused" in c ? "refused" : `2^${c.tableLog} rows`);

function cells(r: ScaleRow): string[] {
  return [String(r.scaleBits), pct(r.floatAccuracy), pct(r.quantizedAccuracy), pct(r.agreement), r.maxAbsError.toPrecision(3), r.constraints.toLocaleString("en-US"), `2^${r.ptauPower}`, sumcheckCell(r.sumcheck), r.meets ? "yes" : "no"];
}
/** constraints and ptau: Groth16's circuit; sumcheck table: its largest lookup table; meets: max |error| <= --max-error */
const HEAD = ["scale bits", "float acc.", "quantized acc.", "argmax agree", "max |error|", "constraints", "ptau", "sumcheck table", "meets"];

/** Which width each system would take for the target, in words. */
function chosenLines(t: QuantizeTable): string[] {
  const say = (w: number | null, system: string) => (w === null ? `${system}: no listed width${system === "sumcheck" ? " it takes" : ""} meets it` : `${system} ${w} bits`);
  const sumcheckRefusal = t.rows.find((r) => "refused" in r.sumcheck);
  return [
    `--max-error ${t.maxError}: the narrowest width within it on these inputs: ${say(t.chosen.groth16, "groth16")}, ${say(t.chosen.sumcheck, "sumcheck")}` +
      (sumcheckRefusal ? ` (sumcheck refuses ${sumcheckRefusal.scaleBits} bits: ${(sumcheckRefusal.sumcheck as { refused: string }).refused})` : ""),
    "prove-model, without --scale-bits, chooses the same way on its own held-out inputs (src/quantize/choose.ts)",
  ];
}

export function renderQuantizeTerminal(t: QuantizeTable): string {
  const rows = [HEAD, ...t.rows.map(cells)];
  const w = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
  lines.splice(1, 0, w.map((n) => "-".repeat(n)).join("  "));
  return [
    `${t.model}: ${t.samples} ${t.evaluation}; calibration: ${t.calibration.samples} samples (${t.calibration.source})`,
    `statement: input ${t.visibility.input}, weights ${t.visibility.weights}, output ${t.visibility.output}; scale bits = input, weight and activation bits; constraints and ptau: Groth16's; sumcheck table: the sumcheck system's largest lookup table`,
    "",
    ...lines,
    "",
    ...chosenLines(t),
  ].join("\n");
}

export function renderQuantizeMarkdown(t: QuantizeTable): string {
  return [
    `### ${t.model}: quantization scales`,
    "",
    `${t.samples} ${t.evaluation}; calibration: ${t.calibration.samples} samples (${t.calibration.source}). Statement: input ${t.visibility.input}, weights ${t.visibility.weights}, output ${t.visibility.output}.`,
    "",
    `| ${HEAD.map((h) => h.replace(/\|/g, "\\|")).join(" | ")} |`,
    `|${HEAD.map(() => "---:").join("|")}|`,
    ...t.rows.map((r) => `| ${cells(r).join(" | ")} |`),
    "",
    ...chosenLines(t),
  ].join("\n");
}

export function renderQuantizeJson(t: QuantizeTable): string {
  return JSON.stringify(t, null, 2);
}
