/**
 * `npx hardhat quantize`'s engine: what each quantization scale costs and buys. For a few scale widths (bits of
 * the input, the weights and the activations alike) it quantizes the model with the given calibration, runs the
 * float model and the integer reference on held-out inputs (MNIST digits for MNIST-shaped models, seeded inputs
 * in range otherwise), and reports float and quantized accuracy (when labels exist), how often their predicted
 * classes agree, the largest absolute error of the dequantized outputs against the float ones, and the circuit's
 * constraints (src/statement/cost.ts constraintCount, exact, no compile) and the powers of tau its Groth16 setup needs.
 * One data model (QuantizeTable); terminal, markdown and JSON are views of it. It sits in the pipeline, above the
 * quantizer, because it asks the statement (cost, layout) and the setup (ptau size).
 */
import { constraintCount } from "../statement/cost";
import { heldOutInterleaved, rng } from "../model/mnist";
import { dequantize, runIR } from "../ir/ir";
import { argmax, forwardFloat, ModelFile } from "../model/format";
import { groth16Power } from "../setup/ptau";
import { quantize, quantizeInput, scaleOptions } from "../quantize/quantize";
import { DEFAULT_VISIBILITY, Visibility } from "../statement/visibility";
import { statementLayout } from "../statement/layout";
import { calibrationFor, isMnistShaped } from "../model/zoo";

export const DEFAULT_SCALES = [4, 6, 8, 10, 12];

export interface ScaleRow {
  scaleBits: number;
  /** null when the evaluation inputs have no labels */
  floatAccuracy: number | null;
  quantizedAccuracy: number | null;
  agreement: number;
  maxAbsError: number;
  constraints: number;
  publicSignals: number;
  ptauPower: number;
}

export interface QuantizeTable {
  model: string;
  visibility: Visibility;
  samples: number;
  evaluation: string;
  calibration: { samples: number; source: string };
  rows: ScaleRow[];
}

export function quantizeTable(model: ModelFile, opts: { scales?: number[]; samples?: number; calibration?: Float64Array[]; calibrationSource?: string; visibility?: Visibility; log?: (s: string) => void } = {}): QuantizeTable {
  const scales = opts.scales ?? DEFAULT_SCALES;
  const vis = opts.visibility ?? DEFAULT_VISIBILITY;
  const samples = opts.samples ?? 200;
  const calibration = opts.calibration ?? calibrationFor(model);
  const mnist = isMnistShaped(model);
  const n = model.input.shape.reduce((a, b) => a * b, 1);
  const [lo, hi] = model.input.range;
  const r = rng(2024);
  const inputs: { values: ArrayLike<number>; label?: number }[] = mnist
    ? heldOutInterleaved(samples).map((s) => ({ values: s.pixels, label: s.label }))
    : [...Array(samples)].map(() => ({ values: Float64Array.from({ length: n }, () => lo + (hi - lo) * r()) }));
  const floats = inputs.map((s) => forwardFloat(model, s.values).data);
  const rows = scales.map((bits) => {
    const q = quantize(model, { ...scaleOptions(bits), calibration });
    let fOk = 0, qOk = 0, agree = 0, maxErr = 0;
    inputs.forEach((s, i) => {
      const out = dequantize(q, runIR(q, quantizeInput(q, s.values)).output);
      const pf = argmax(floats[i]), pq = argmax(out);
      if (s.label !== undefined && pf === s.label) fOk++;
      if (s.label !== undefined && pq === s.label) qOk++;
      if (pf === pq) agree++;
      out.forEach((v, j) => (maxErr = Math.max(maxErr, Math.abs(v - floats[i][j]))));
    });
    const constraints = constraintCount(q, vis).total;
    const pub = statementLayout(q, vis).publicSignals;
    opts.log?.(`${bits} bits: ${constraints.toLocaleString("en-US")} constraints`);
    return {
      scaleBits: bits,
      floatAccuracy: mnist ? fOk / inputs.length : null,
      quantizedAccuracy: mnist ? qOk / inputs.length : null,
      agreement: agree / inputs.length,
      maxAbsError: maxErr,
      constraints,
      publicSignals: pub,
      ptauPower: groth16Power(constraints, pub),
    };
  });
  return {
    model: model.name,
    visibility: vis,
    samples: inputs.length,
    evaluation: mnist ? "held-out MNIST digits (never used in training or calibration)" : "seeded random inputs in the model's range, against the float model",
    calibration: { samples: calibration.length, source: opts.calibrationSource ?? (mnist ? "every 32nd MNIST training digit" : "seeded random inputs (seed 7)") },
    rows,
  };
}

const pct = (v: number | null) => (v === null ? "-" : `${(100 * v).toFixed(2)}%`);

function cells(r: ScaleRow): string[] {
  return [String(r.scaleBits), pct(r.floatAccuracy), pct(r.quantizedAccuracy), pct(r.agreement), r.maxAbsError.toPrecision(3), r.constraints.toLocaleString("en-US"), `2^${r.ptauPower}`];
}
const HEAD = ["scale bits", "float acc.", "quantized acc.", "argmax agree", "max |error|", "constraints", "ptau"];

export function renderQuantizeTerminal(t: QuantizeTable): string {
  const rows = [HEAD, ...t.rows.map(cells)];
  const w = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
  lines.splice(1, 0, w.map((n) => "-".repeat(n)).join("  "));
  return [
    `${t.model}: ${t.samples} ${t.evaluation}; calibration: ${t.calibration.samples} samples (${t.calibration.source})`,
    `statement: input ${t.visibility.input}, weights ${t.visibility.weights}, output ${t.visibility.output}; scale bits = input, weight and activation bits`,
    "",
    ...lines,
  ].join("\n");
}

export function renderQuantizeMarkdown(t: QuantizeTable): string {
  return [
    `### ${t.model}: quantization scales`,
    "",
    `${t.samples} ${t.evaluation}; calibration: ${t.calibration.samples} samples (${t.calibration.source}). Statement: input ${t.visibility.input}, weights ${t.visibility.weights}, output ${t.visibility.output}.`,
    "",
    `| ${HEAD.join(" | ")} |`,
    `|${HEAD.map(() => "---:").join("|")}|`,
    ...t.rows.map((r) => `| ${cells(r).join(" | ")} |`),
  ].join("\n");
}

export function renderQuantizeJson(t: QuantizeTable): string {
  return JSON.stringify(t, null, 2);
}
