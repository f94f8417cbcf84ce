/**
 * The scale width chosen by accuracy: the narrowest width from 8 to 16 bits whose quantized model's outputs are
 * within a target of the float model's (the largest absolute difference over held-out inputs), so a model is as
 * cheap as its accuracy allows instead of 8 bits whatever it loses. Scales stay per tensor (quantize.ts: each
 * layer's weight scale from its own largest weight, each requant's shift from the calibrated activations), so the
 * width is the one knob; every width costs more constraints (about 1,100 a width for mlp-mnist, 13,800 for
 * lenet5) and, for the sumcheck system, bigger lookup tables, which it refuses past 2^20 rows: a caller passes
 * `accepts` to keep the choice to what its proof system takes.
 *
 * The error falls with the width (lenet5 on 32 held-out digits: 1.25 at 8 bits, 0.063 at 12, 0.0042 at 16), so the
 * search is a binary search over the widths: at most five quantizations and evaluations, and the width chosen is
 * one whose next narrower width was measured to miss the target (or 8).
 */
import { ZkmlError } from "../core/errors";
import { dequantize, QModel, runIR } from "../ir/ir";
import { argmax, forwardFloat, ModelFile } from "../model/format";
import { heldOutInterleaved, rng } from "../model/mnist";
import { calibrationFor, isMnistShaped } from "../model/zoo";
import { quantize, quantizeInput, Saturate, scaleOptions, type WidthChoice } from "./quantize";

/** The default target: the largest absolute output error against the float model, about EZKL's on lenet5 and mlp-mnist (0.0041, 0.0017). */
export const DEFAULT_MAX_ERROR = 0.005;
/** The widths searched. */
export const MIN_SCALE_BITS = 8;
export const MAX_SCALE_BITS = 16;
/** Held-out inputs the error is measured on. */
export const CHOICE_SAMPLES = 32;

/** --max-error (or zkml.quantize.maxError): a positive finite number. */
export function parseMaxError(v: unknown, source = "--max-error"): number {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0)
    throw new ZkmlError("OPTION_INVALID", `${source}: expected a positive number (the largest absolute output error against the float model), got ${JSON.stringify(v)}`, {
      hint: `e.g. ${source} 0.005 (the default); or fix the width with --scale-bits`,
    });
  return n;
}

export interface EvalInput {
  values: ArrayLike<number>;
  label?: number;
}

/**
 * The inputs a width's error is measured on: MNIST digits never used in training or calibration for MNIST-shaped
 * models; else a user's calibration inputs when given (real data: seeded inputs may lie far from it); else seeded
 * inputs in the model's range (seed 2024; the default calibration's is 7).
 */
export function evaluationInputs(model: ModelFile, samples: number, userCalibration?: ArrayLike<number>[]): { inputs: EvalInput[]; source: string } {
  if (isMnistShaped(model)) return { inputs: heldOutInterleaved(samples).map((s) => ({ values: s.pixels, label: s.label })), source: "held-out MNIST digits (never used in training or calibration)" };
  if (userCalibration && userCalibration.length > 0) return { inputs: userCalibration.slice(0, samples).map((values) => ({ values })), source: "inputs of the calibration file" };
  const n = model.input.shape.reduce((a, b) => a * b, 1);
  const [lo, hi] = model.input.range;
  const r = rng(2024);
  return { inputs: [...Array(samples)].map(() => ({ values: Float64Array.from({ length: n }, () => lo + (hi - lo) * r()) })), source: "seeded random inputs in the model's range" };
}

export interface ErrorMeasure {
  /** largest |dequantized output - float output| over the inputs */
  maxAbsError: number;
  /** fraction of inputs whose predicted classes agree */
  agreement: number;
  /** correct predictions, when the inputs have labels */
  floatCorrect: number;
  quantizedCorrect: number;
}

/** The quantized model's outputs against the float model's (`floats`: forwardFloat's, computed once per input). */
export function measureError(q: QModel, inputs: EvalInput[], floats: ArrayLike<number>[]): ErrorMeasure {
  let maxAbsError = 0, agree = 0, floatCorrect = 0, quantizedCorrect = 0;
  inputs.forEach((s, i) => {
    const out = dequantize(q, runIR(q, quantizeInput(q, s.values)).output);
    const pf = argmax(floats[i]), pq = argmax(out);
    if (s.label !== undefined && pf === s.label) floatCorrect++;
    if (s.label !== undefined && pq === s.label) quantizedCorrect++;
    if (pf === pq) agree++;
    out.forEach((v, j) => (maxAbsError = Math.max(maxAbsError, Math.abs(v - floats[i][j]))));
  });
  return { maxAbsError, agreement: agree / inputs.length, floatCorrect, quantizedCorrect };
}

/** The choice and what it measured (declared beside QuantChoice, which carries it to the report). */
export type { WidthChoice };

export interface ChooseOptions {
  /** the target (default DEFAULT_MAX_ERROR) */
  maxError?: number;
  /** a user's calibration inputs (default calibrationFor): a model not MNIST-shaped is also measured on them */
  calibration?: ArrayLike<number>[];
  saturate?: Saturate;
  maxConstraints?: number;
  /** throws (a ZkmlError) when the caller's system cannot prove a quantized model; the choice stays within the
   * widths it takes, and when it takes none, its refusal of the narrowest is thrown as it is */
  accepts?: (q: QModel) => void;
  /** held-out inputs to measure on (default CHOICE_SAMPLES) */
  samples?: number;
}

/**
 * The narrowest width in MIN_SCALE_BITS..MAX_SCALE_BITS (within what `accepts` takes) whose max absolute error
 * on held-out inputs is at most the target; the widest accepted when none is (met: false, the caller says so); the
 * narrowest when `accepts` refuses every width (nothing measured; the system refuses the model later, as it would).
 */
export function chooseScaleBits(model: ModelFile, opts: ChooseOptions = {}): WidthChoice {
  const t0 = Date.now();
  const target = opts.maxError === undefined ? DEFAULT_MAX_ERROR : parseMaxError(opts.maxError, "maxError");
  const calibration = opts.calibration ?? calibrationFor(model);
  // per width: the quantized model, or why it cannot be a candidate (too large, weights lost, refused by the system)
  const models = new Map<number, QModel | Error>();
  const candidate = (bits: number): QModel | Error => {
    try {
      const q = quantize(model, { ...scaleOptions(bits), calibration, saturate: opts.saturate, maxConstraints: opts.maxConstraints });
      opts.accepts?.(q);
      return q;
    } catch (e) {
      // too large or weights lost at this width (quantize), or the system refuses it (accepts)
      if (e instanceof ZkmlError) return e;
      throw e;
    }
  };
  const quantized = (bits: number): QModel | Error => {
    let q = models.get(bits);
    if (q === undefined) models.set(bits, (q = candidate(bits)));
    return q;
  };
  // the widest width taken (refusals grow with the width: lookup tables, the size limit)
  let lo = MIN_SCALE_BITS, hi = MAX_SCALE_BITS;
  if (quantized(hi) instanceof Error) {
    let a = lo, b = hi; // widths below a are taken, b is refused
    while (a < b) {
      const mid = (a + b) >> 1;
      if (quantized(mid) instanceof Error) b = mid;
      else a = mid + 1;
    }
    hi = a - 1;
    // not even the narrowest: the refusal is not the width's (an op or a statement the system lacks), which the
    // system says itself where it always does; the width is the narrowest's
    if (hi < lo) {
      const why = (quantized(lo) as Error).message;
      return { bits: lo, target, met: false, maxAbsError: NaN, measured: [{ bits: lo, refused: why }], widest: lo, samples: 0, evaluation: `none: the proof system refuses every width (at ${lo} bits: ${why})`, seconds: (Date.now() - t0) / 1000 };
    }
  }
  const widest = hi;
  const { inputs, source } = evaluationInputs(model, opts.samples ?? CHOICE_SAMPLES, opts.calibration);
  const floats = inputs.map((s) => forwardFloat(model, s.values).data);
  const errors = new Map<number, number>();
  const errorAt = (bits: number): number => {
    let e = errors.get(bits);
    if (e === undefined) {
      const q = quantized(bits);
      e = q instanceof Error ? Infinity : measureError(q, inputs, floats).maxAbsError;
      errors.set(bits, e);
    }
    return e;
  };
  let bits = hi;
  if (errorAt(hi) <= target) {
    // binary search: errorAt(hi) meets the target; every width below lo was measured to miss it
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (errorAt(mid) <= target) hi = mid;
      else lo = mid + 1;
    }
    bits = lo;
  }
  const measured = [...new Set([...models.keys(), ...errors.keys()])]
    .sort((a, b) => a - b)
    .map((b) => {
      const q = models.get(b);
      return q instanceof Error ? { bits: b, refused: q.message } : { bits: b, ...(errors.has(b) ? { maxAbsError: errors.get(b) } : {}) };
    });
  const maxAbsError = errorAt(bits);
  return { bits, target, met: maxAbsError <= target, maxAbsError, measured, widest, samples: inputs.length, evaluation: source, seconds: (Date.now() - t0) / 1000 };
}

/** One line for a report: which width, why, and what it measured. */
export function describeChoice(c: WidthChoice): string {
  if (c.samples === 0) return `${c.bits}-bit scales: ${c.evaluation}`;
  const err = `max |error| ${c.maxAbsError.toPrecision(3)} on ${c.samples} ${c.evaluation}; ${c.measured.length} widths tried in ${c.seconds.toFixed(1)} s`;
  if (c.met) return `${c.bits}-bit scales: the narrowest of ${MIN_SCALE_BITS}-${c.widest} bits within --max-error ${c.target} (${err})`;
  return `${c.bits}-bit scales: no width of ${MIN_SCALE_BITS}-${c.widest} bits${c.widest < MAX_SCALE_BITS ? " (the widest this proof system takes)" : ""} is within --max-error ${c.target}; the widest was taken (${err})`;
}
