/**
 * Quantization: float model -> integer IR, with power-of-two scales and worst-case bounds.
 *
 * Every tensor carries a `step`, the real value of one integer unit. The input uses step 2^-s with the largest
 * s for which the input's real range fits `inputBits` bits. Each dense or conv layer gets its own weight scale
 * 2^s_w (the largest that keeps |w| within `weightBits` signed bits); its accumulator then has step
 * step_in * 2^-s_w, and biases are quantized at that step. After it, a requant shifts right by the smallest
 * amount that brings the calibrated activations within `activationBits` bits (ReLU is fused into it). An
 * average pool becomes an exact sum pool whose division is folded into the step. The last linear layer is not
 * rescaled: its accumulators are the output. Finally the bound analysis (ir.ts) sizes every requant's range
 * check for the worst case over all admissible inputs, not just the calibration set, so nothing can wrap.
 *
 * Saturation: without it a requant's output is only as bounded as its input, so the worst case grows with every
 * layer (paper0's 150-layer network would need 243-bit range checks). A saturating requant clamps its result
 * to the activation width (int8-style), which resets the bound at every layer for 4 more constraints a neuron.
 * `saturate: "auto"` (the default) quantizes both ways and keeps the one whose circuit has fewer constraints;
 * the calibrated activations fit the width either way, so saturation only acts beyond the calibration set.
 */
import { ZkmlError } from "../core/errors";
import { constraintCount } from "../statement/cost";
import { analyzeBounds, assignRequantBits, inputTop, IR_FORMAT, MAX_TABLE_BITS, QModel, QOp, sumPoolScale, tableDomain, tableFloat, tableTooWide, validateIR } from "../ir/ir";
import { AvgPool2DLayer, forwardTrace, layerOutputShape, layerShapes, MaxPool2DLayer, ModelFile, planOf } from "../model/format";
import type { Shape } from "../ir/window";
import { calibrationFor } from "../model/zoo";
import { INPUT_RANGE_KEY } from "../model/onnx/export";

export interface QuantizeOptions {
  inputBits: number;
  weightBits: number;
  activationBits: number;
  /** Inputs used to choose activation scales (real values, flat, channel-major). At least one. */
  calibration: ArrayLike<number>[];
  /** Saturating requants: "on", "off", or "auto" (default): whichever circuit has fewer constraints. */
  saturate?: Saturate;
  /** Refuse, before any allocation, a model whose circuit would have more constraints than this (default MAX_CONSTRAINTS). */
  maxConstraints?: number;
}

export const SATURATE_MODES = ["auto", "on", "off"] as const;
export type Saturate = (typeof SATURATE_MODES)[number];

export function parseSaturate(v: string, source = "--saturate"): Saturate {
  if (!(SATURATE_MODES as readonly string[]).includes(v))
    throw new ZkmlError("OPTION_INVALID", `${source}: expected one of ${SATURATE_MODES.join(", ")}, got "${v}"`, {
      hint: "auto (the default) picks the cheaper circuit; on clamps every rescaled activation to its width",
    });
  return v as Saturate;
}

/** The library's width when none is given (quantizeFor without scaleBits); the tasks choose one by --max-error instead. */
export const DEFAULT_QUANT = { inputBits: 8, weightBits: 8, activationBits: 8 } as const;

/** Quantization options for a scale width (--scale-bits): inputs, weights and activations all at `bits`. */
export function scaleOptions(bits: number): { inputBits: number; weightBits: number; activationBits: number } {
  if (!Number.isInteger(bits) || bits < 2 || bits > 32)
    throw new ZkmlError("OPTION_INVALID", `--scale-bits: expected a whole number of bits in 2..32, got ${bits}`, { hint: "e.g. --scale-bits 12; without it the narrowest width of 8-16 bits that meets --max-error is chosen" });
  return { inputBits: bits, weightBits: bits, activationBits: bits };
}

const MAX_SCALE = 30;

/** Largest s <= MAX_SCALE (possibly negative) with round(maxAbs * 2^s) <= limit; maxAbs finite and non-negative. */
function scaleFor(maxAbs: number, limit: number): number {
  if (maxAbs === 0) return 0;
  // below about 7e-307, limit / maxAbs is Infinity: start from the finest scale (the collapse check refuses the layer)
  let s = Math.min(MAX_SCALE, Math.floor(Math.log2(limit / maxAbs)));
  while (Math.round(maxAbs * 2 ** (s + 1)) <= limit && s < MAX_SCALE) s++;
  while (Math.round(maxAbs * 2 ** s) > limit && s > -1100) s--;
  return Math.min(s, MAX_SCALE);
}

/**
 * The largest circuit quantize accepts: 2^25 constraints, 16 times paper0's largest (FC_500_layers, 2,071,140;
 * lenet5 is 146,750). Its Groth16 setup and proof would take about 1 KB of memory a constraint (2.6 GB for
 * FC_500_layers here), tens of GB at the limit.
 */
export const MAX_CONSTRAINTS = 2 ** 25;

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * A floor on the constraints of a model's circuit under the default statement, from its shapes alone (nothing is
 * allocated): each input value costs its range check (inputBits + 1), each neuron rescaled after a dense or conv
 * at least its activation width + 2, each max-pooled output (window - 1)(activationBits + 2), each sum-pooled or
 * added output and each output 1. The exact count (statement/cost.ts) needs the quantized model.
 */
export function constraintFloor(model: Pick<ModelFile, "input" | "layers">, bits: { inputBits: number; activationBits: number }): { constraints: number; values: number } {
  let shape = model.input.shape;
  let constraints = product(shape) * (bits.inputBits + 1);
  let values = product(shape);
  const layers = model.layers;
  const shapes = layerShapes(model);
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    shape = shapes[i];
    const n = product(shape);
    values += n;
    if (l.type === "dense" || l.type === "conv2d") constraints += i === layers.length - 1 ? n : n * (bits.activationBits + 2);
    else if (l.type === "maxpool2d") constraints += Array.from(planOf(l, i === 0 ? model.input.shape : shapes[i - 1]).count, (c) => c - 1).reduce((a, b) => a + b, 0) * (bits.activationBits + 2);
    else if (l.type === "avgpool2d" || l.type === "add") constraints += n;
    else if (l.type === "mul") constraints += i === layers.length - 1 ? n : n * (bits.activationBits + 3);
    // a gather is wiring; a concat too, or a wire per value at worst (a side brought to the other's step)
    else if (l.type === "relu" && layers[i - 1]?.type !== "dense" && layers[i - 1]?.type !== "conv2d") constraints += n;
    else if (l.type === "clip") constraints += n * ((l.min !== undefined && l.min !== 0 ? 1 : 0) + (l.max !== undefined ? 1 : 0)) * (bits.activationBits + 2);
    else if (l.type === "leakyrelu") constraints += n * (bits.activationBits + 2);
    // a table: at least 2 bits of its input, their sum and the root's product
    else if (l.type === "table") constraints += n * 4;
  }
  return { constraints, values };
}

/** Refuse a model whose circuit is past `limit` constraints, before anything is allocated for it. */
function checkSize(model: ModelFile, bits: { inputBits: number; activationBits: number }, limit: number): void {
  const { constraints, values } = constraintFloor(model, bits);
  if (constraints <= limit) return;
  const gb = (constraints * 1024) / 2 ** 30;
  throw new ZkmlError(
    "MODEL_TOO_LARGE",
    `${model.name}: its circuit would have at least ${constraints.toLocaleString("en-US")} constraints (input ${model.input.shape.join("x")}, ${values.toLocaleString("en-US")} values through its layers), past the limit of ${limit.toLocaleString("en-US")} (2^${Math.log2(limit).toFixed(0)}); setting it up and proving would take about ${gb.toFixed(0)} GB`,
    {
      hint: "shrink the input (downsample it, or add a strided or pooling layer first) or the layers; from the API, QuantizeOptions.maxConstraints (QuantChoice.maxConstraints) raises the limit",
    },
  );
}

/** Weights and biases must be finite numbers (a model made in code skips validateModel's check). */
function checkFinite(model: ModelFile): void {
  model.layers.forEach((l, i) => {
    if (l.type !== "dense" && l.type !== "conv2d") return;
    const flat = (l.type === "dense" ? l.weights.flat() : l.weights.flat(3)) as number[];
    for (const [field, values] of [["weights", flat], ["bias", l.bias]] as const) {
      const j = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
      if (j >= 0)
        throw new ZkmlError("QUANTIZE_FAILED", `layers[${i}].${field}: value ${j} (flat) is ${values[j]}, expected a finite number`, {
          hint: "export the model's weights again: a NaN or an infinity has no quantized value",
        });
    }
  });
}

/**
 * The quantized layer must keep its weights. Refused: every weight below the finest scale 2^-30 (a subnormal
 * 1e-310: the layer would compute only its bias), and a layer whose typical weight is lost to a few huge ones
 * (1e300 among weights near 1: the scale it sets zeroes the rest), that is more than half of its non-zero weights
 * rounding to 0 while the median one is over 2^10 times below the scale's unit. Coarse scales zero small weights
 * too (mlp-mnist at 4 bits: 61% of its first layer, median 0.4 of a unit, and still 93% accurate): not refused.
 */
/** How far below one unit of its layer's scale (2^-10) the median weight must be for the layer to count as collapsed. */
const LOST_UNITS = 10;

function checkCollapse(i: number, layer: { type: string }, flat: number[], weights: bigint[], sW: number, maxW: number, weightBits: number): void {
  let nonzero = 0;
  let zeroed = 0;
  let at = 0;
  flat.forEach((w, j) => {
    if (w === 0) return;
    nonzero++;
    if (weights[j] === 0n) zeroed++;
    if (Math.abs(w) === maxW) at = j;
  });
  if (zeroed * 2 <= nonzero) return;
  const nz = Float64Array.from(flat.filter((w) => w !== 0).map(Math.abs)).sort();
  if (zeroed < nonzero && nz[nz.length >> 1] * 2 ** sW >= 2 ** -LOST_UNITS) return;
  const where = `layers[${i}] (${layer.type})`;
  if (zeroed === nonzero)
    throw new ZkmlError("QUANTIZE_FAILED", `${where}.weights: every weight rounds to 0: the largest |weight| is ${maxW}, below 2^-${MAX_SCALE + 1} (the finest scale, 2^-${MAX_SCALE}, is its unit); the quantized layer would compute only its bias`, {
      hint: "scale the layer's weights up by a power of two and the next layer's (or the outputs) down by the same, or drop the layer",
    });
  throw new ZkmlError(
    "QUANTIZE_FAILED",
    `${where}.weights: ${zeroed} of ${nonzero} non-zero weights round to 0 at ${weightBits} bits: weights[${at}] (flat) = ${maxW} sets the scale to 2^${sW}, and the median |weight| ${nz[nz.length >> 1]} is far below its unit`,
    { hint: `clip or retrain that weight (it dwarfs the rest of the layer), or quantize with more bits (--scale-bits; ${weightBits} now)` },
  );
}

function inputScale(lo: number, hi: number, bits: number): number {
  const limit = 2 ** bits - 1;
  let s = MAX_SCALE;
  while (s > -MAX_SCALE && Math.round(hi * 2 ** s) - Math.round(lo * 2 ** s) > limit) s--;
  return s;
}

/**
 * calibrate's result per model and sample set (by identity): the float passes do not depend on the width, so a
 * width search (choose.ts) and every stage of one run quantizing the same model pay for them once (worldcoin-proxy:
 * 64 passes, about 35 s).
 */
const calibrated = new WeakMap<ModelFile, WeakMap<object, number[]>>();

function calibrateOnce(model: ModelFile, samples: ArrayLike<number>[]): number[] {
  let byModel = calibrated.get(model);
  if (!byModel) calibrated.set(model, (byModel = new WeakMap()));
  let maxAbs = byModel.get(samples);
  if (!maxAbs) byModel.set(samples, (maxAbs = calibrate(model, samples)));
  return [...maxAbs];
}

/** Calibrated max |activation| after every layer: maxAbs[i] is after layers[i]. Refuses a float pass that overflows. */
function calibrate(model: ModelFile, samples: ArrayLike<number>[]): number[] {
  const maxAbs = new Array(model.layers.length).fill(0);
  samples.forEach((s, k) =>
    forwardTrace(model, s).forEach((x, i) => {
      for (const v of x.data) {
        if (!Number.isFinite(v))
          throw new ZkmlError("QUANTIZE_FAILED", `layers[${i}] (${model.layers[i].type}): the float model's output is ${v} on calibration sample ${k}: its values overflow float64 (past 1.8e308)`, {
            hint: "the weights are far too large (1e200 and up multiply past the largest float): rescale them, or check the export; the float reference, and so the quantization, has no meaning here",
          });
        if (Math.abs(v) > maxAbs[i]) maxAbs[i] = Math.abs(v);
      }
    }),
  );
  return maxAbs;
}

/**
 * Two steps as integer multiples of one: a = s1 / s, b = s2 / s for the largest s that makes both whole (steps
 * are powers of two over products of pool areas, so a small denominator always does). An add of tensors at steps
 * s1 and s2 is then exact: a x1 + b x2 at step s.
 */
export function commonStep(s1: number, s2: number, layer: number): [number, number, number] {
  const m = Math.min(s1, s2);
  const whole = (v: number) => Math.abs(v - Math.round(v)) <= 1e-9 * Math.max(1, v);
  for (let d = 1; d <= 1 << 12; d++) {
    const a = (s1 / m) * d, b = (s2 / m) * d;
    if (whole(a) && whole(b) && Math.round(a) <= 1 << 20 && Math.round(b) <= 1 << 20) return [Math.round(a), Math.round(b), m / d];
  }
  throw new ZkmlError("QUANTIZE_FAILED", `layers[${layer}] add: the two tensors' scales (${s1} and ${s2}) have no common step with small multipliers`, { hint: "a residual connection over pools of unusual sizes: use pools whose areas are powers of two" });
}

/** A pool layer's padding for its op: none written when it has none (the IR's default). */
const poolPadding = (l: AvgPool2DLayer | MaxPool2DLayer): { padding?: [number, number] } => (l.padding && l.padding.some((v) => v > 0) ? { padding: l.padding } : {});

export function quantize(model: ModelFile, options: QuantizeOptions): QModel {
  const { inputBits, weightBits, activationBits } = options;
  for (const [k, v, lo, hi] of [
    ["inputBits", inputBits, 1, 32],
    ["weightBits", weightBits, 2, 32],
    ["activationBits", activationBits, 2, 32],
  ] as const)
    if (!Number.isInteger(v) || v < lo || v > hi) throw new ZkmlError("OPTION_INVALID", `${k}: expected an integer in ${lo}..${hi}, got ${v}`);
  if (options.calibration.length === 0) throw new ZkmlError("QUANTIZE_FAILED", "calibration: at least one sample input is needed");
  // refused before anything is allocated: a circuit too large to prove, weights with no quantized value
  checkSize(model, options, options.maxConstraints ?? MAX_CONSTRAINTS);
  checkFinite(model);

  const [lo, hi] = model.input.range;
  const sIn = inputScale(lo, hi, inputBits);
  const maxAct = calibrateOnce(model, options.calibration);
  const ops: QOp[] = [];
  let step = 2 ** -sIn;
  let shape = model.input.shape;
  // per layer: the trace index of its output and that tensor's step (an add layer reads an earlier one); a
  // layer an add reads keeps its ReLU as an op of its own, so its output is a tensor the circuit holds
  const tensorOf: number[] = [];
  const stepOf: number[] = [];
  const read = new Set(model.layers.flatMap((l) => (l.type === "add" || l.type === "mul" || l.type === "concat" || (l.type === "gather" && l.from !== undefined) ? [l.from!] : [])));
  const shapesOf: Shape[] = [];
  /** the requant before a clip at 0 applied its ReLU: the clip keeps only its upper bound */
  let reluBefore = false;

  for (let i = 0; i < model.layers.length; i++) {
    const layer = model.layers[i];
    const next = model.layers[i + 1];
    switch (layer.type) {
      case "dense":
      case "conv2d": {
        const flat = layer.type === "dense" ? layer.weights.flat() : layer.weights.flat(3);
        const maxW = flat.reduce((m, w) => Math.max(m, Math.abs(w)), 0);
        const sW = scaleFor(maxW, 2 ** (weightBits - 1) - 1);
        const weights = flat.map((w) => BigInt(Math.round(w * 2 ** sW)));
        checkCollapse(i, layer, flat, weights, sW, maxW, weightBits);
        step = step * 2 ** -sW;
        const bias = layer.bias.map((b, j) => {
          const v = Math.round(b / step);
          if (!Number.isFinite(v))
            throw new ZkmlError("QUANTIZE_FAILED", `layers[${i}] (${layer.type}).bias[${j}]: ${b} at the layer's step ${step} is ${v}, past any integer`, { hint: "the layer's weights and bias are of wildly different sizes: rescale them" });
          return BigInt(v);
        });
        if (layer.type === "dense") ops.push({ op: "dense", inSize: shape[0], units: layer.units, weights, bias });
        else
          ops.push({
            op: "conv2d",
            filters: layer.filters,
            kernel: layer.kernel,
            stride: layer.stride ?? [1, 1],
            padding: layer.padding ?? [0, 0],
            ...(layer.groups !== undefined && layer.groups > 1 ? { groups: layer.groups } : {}),
            weights,
            bias,
          });
        if (i === model.layers.length - 1) break; // the last layer's accumulators are the output
        // a clip at 0 (ReLU6) takes its lower bound from a ReLU fused here, and nothing past its bounds matters
        const clipNext = next?.type === "clip" && !read.has(i) ? next : undefined;
        const relu = (next?.type === "relu" || clipNext?.min === 0) && !read.has(i);
        let act = next?.type === "relu" && relu ? maxAct[i + 1] : maxAct[i];
        if (clipNext) act = Math.min(act, Math.max(Math.abs(clipNext.min ?? Infinity), Math.abs(clipNext.max ?? Infinity)));
        const limit = relu ? 2 ** activationBits - 1 : 2 ** (activationBits - 1) - 1;
        // smallest shift with act / (step * 2^shift) <= limit
        let shift = act > 0 ? Math.max(0, Math.ceil(Math.log2(act / (limit * step)))) : 0;
        while (shift > 0 && act / (step * 2 ** (shift - 1)) <= limit) shift--;
        ops.push({ op: "requant", shift, relu, bits: shift + 1, clamp: activationBits });
        step = step * 2 ** shift;
        if (relu && clipNext) reluBefore = true;
        else if (relu) {
          // the relu is fused into the requant: both layers' output is its output
          tensorOf.push(ops.length);
          stepOf.push(step);
          i++;
        }
        break;
      }
      case "relu":
        ops.push({ op: "requant", shift: 0, relu: true, bits: 1 });
        break;
      case "avgpool2d": {
        // the sum (each output times L / n when padded taps do not count) at the step over the divisor: exact
        const pool: QOp = { op: "sumpool2d", pool: layer.pool, stride: layer.stride ?? layer.pool, ...poolPadding(layer), ...(layer.countIncludePad === false ? { exclusive: true } : {}) };
        ops.push(pool);
        step = step / sumPoolScale(pool, shape).divisor;
        break;
      }
      case "maxpool2d":
        // max commutes with the monotone quantization: same step, exact
        ops.push({ op: "maxpool2d", pool: layer.pool, stride: layer.stride ?? layer.pool, ...poolPadding(layer), bits: 2 }); // bits: sized below
        break;
      case "flatten":
        ops.push({ op: "flatten" });
        break;
      case "clip": {
        // the bounds at the running step, rounded to the nearest unit (exact at power-of-two steps: 6 / 2^-s)
        const at = (v: number | undefined) => (v === undefined ? undefined : BigInt(Math.round(v / step)));
        const lo = reluBefore ? undefined : at(layer.min), hi = at(layer.max);
        reluBefore = false;
        if (lo === undefined && hi === undefined) break; // a clip at 0 alone, applied by the ReLU before it
        ops.push({ op: "clip", ...(lo !== undefined ? { lo } : {}), ...(hi !== undefined ? { hi } : {}), bits: 2 }); // bits: sized below
        break;
      }
      case "leakyrelu": {
        // alpha as a fixed-point constant at the weights' width: alpha ~ a / 2^F, the nearest; the output is exact
        // (x 2^F above 0, a x below) at the step / 2^F
        const F = Math.max(0, scaleFor(Math.abs(layer.alpha), 2 ** (weightBits - 1) - 1));
        ops.push({ op: "leakyrelu", alpha: BigInt(Math.round(layer.alpha * 2 ** F)), shift: F, bits: 1 }); // bits: sized below
        step = step * 2 ** -F;
        break;
      }
      case "add": {
        const from = layer.from === -1 ? { tensor: 0, step: 2 ** -sIn } : { tensor: tensorOf[layer.from], step: stepOf[layer.from] };
        const [mul, fromMul, common] = commonStep(step, from.step, i);
        // a Sub: the negated side's multiplier negative
        ops.push({ op: "add", from: from.tensor, mul: layer.negate === "x" ? -mul : mul, fromMul: layer.negate === "from" ? -fromMul : fromMul });
        step = common;
        break;
      }
      case "mul": {
        // x t exact at the product of the steps (a positive scale folded into the step), then requantized to the
        // activations' width as a dense layer's sum is (the last layer's product is the output)
        const from = layer.from === -1 ? { tensor: 0, step: 2 ** -sIn } : { tensor: tensorOf[layer.from], step: stepOf[layer.from] };
        ops.push({ op: "mul", from: from.tensor });
        step = step * from.step * (layer.scale ?? 1);
        if (i === model.layers.length - 1) break;
        const act = maxAct[i];
        const limit = 2 ** (activationBits - 1) - 1;
        let shift = act > 0 ? Math.max(0, Math.ceil(Math.log2(act / (limit * step)))) : 0;
        while (shift > 0 && act / (step * 2 ** (shift - 1)) <= limit) shift--;
        ops.push({ op: "requant", shift, relu: false, bits: shift + 1, clamp: activationBits });
        step = step * 2 ** shift;
        break;
      }
      case "gather":
        if (layer.from === undefined) ops.push({ op: "gather", shape: layer.shape, ...(layer.index ? { index: layer.index } : {}) });
        else {
          // a branch's start: the running tensor set back to an earlier one, at its step
          const from = layer.from === -1 ? { tensor: 0, step: 2 ** -sIn } : { tensor: tensorOf[layer.from], step: stepOf[layer.from] };
          ops.push({ op: "gather", shape: layer.shape, ...(layer.index ? { index: layer.index } : {}), from: from.tensor });
          step = from.step;
        }
        break;
      case "concat": {
        const fromTensor = layer.from === -1 ? 0 : tensorOf[layer.from];
        const stepFrom = () => (layer.from === -1 ? 2 ** -sIn : stepOf[layer.from]);
        // the two sides at one step with no multiplier (a concat of pure wiring) where the finer one is a requant's
        // output nothing has read yet: its shift grows by the steps' ratio (a power of two), so it lands on the coarser step
        const ratio = Math.log2(Math.max(step, stepFrom()) / Math.min(step, stepFrom()));
        if (ratio > 0 && Math.abs(ratio - Math.round(ratio)) < 1e-9) {
          if (step < stepFrom()) {
            if (coarsen(ops, ops.length, Math.round(ratio))) step = stepFrom();
          } else if (coarsen(ops, fromTensor, Math.round(ratio))) for (let j = 0; j < tensorOf.length; j++) if (tensorOf[j] === fromTensor) stepOf[j] = step;
        }
        const [mul, fromMul, common] = commonStep(step, stepFrom(), i);
        ops.push({ op: "concat", from: fromTensor, fromFirst: layer.fromFirst, mul, fromMul });
        step = common;
        break;
      }
      case "table": {
        // an activation by table lookup over its input's worst-case integer range (the bound analysis of the ops so
        // far), each entry f(x) at the finest power-of-two step at which every entry fits the activation width
        const bounds = analyzeBounds({ input: { shape: model.input.shape, min: BigInt(Math.round(lo * 2 ** sIn)), bits: inputBits, step: 2 ** -sIn, range: [lo, hi] }, ops });
        const d = tableDomain(bounds[bounds.length - 1]);
        if (d.bits > MAX_TABLE_BITS) throw tableTooWide(`layers[${i}] (${layer.fn}${layer.tensor ? ` of tensor "${layer.tensor}"` : ""})`, d);
        let maxOut = 0;
        for (let j = 0n; j < 1n << BigInt(d.bits); j++) maxOut = Math.max(maxOut, Math.abs(tableFloat(layer.fn, Number(d.lo + j) * step)));
        const sOut = scaleFor(maxOut, 2 ** (activationBits - 1) - 1);
        ops.push({ op: "table", fn: layer.fn, inStep: step, outStep: 2 ** -sOut, lo: d.lo, bits: d.bits });
        step = 2 ** -sOut;
        break;
      }
      default: {
        const never: never = layer;
        throw new Error(`unknown layer ${JSON.stringify(never)}`);
      }
    }
    shape = layerOutputShape(layer, shape, `layers[${i}]`, undefined, (j) => (j === -1 ? model.input.shape : shapesOf[j]));
    while (shapesOf.length <= i) shapesOf.push(shape);
    tensorOf.push(ops.length);
    stepOf.push(step);
  }

  const saturate = parseSaturate(options.saturate ?? "auto", "saturate");
  const build = (clamped: boolean) =>
    assignRequantBits({
      format: IR_FORMAT,
      name: model.name,
      input: { shape: model.input.shape, min: BigInt(Math.round(lo * 2 ** sIn)), bits: inputBits, step: 2 ** -sIn, range: [lo, hi] },
      ops: clamped ? ops : ops.map((op) => (op.op === "requant" ? { op: "requant", shift: op.shift, relu: op.relu, bits: op.bits } : op)),
      output: { step },
    });
  let q: QModel;
  if (saturate !== "auto") q = build(saturate === "on");
  else {
    const on = build(true);
    let off: QModel | undefined;
    try {
      off = build(false);
    } catch (e) {
      if (!(e instanceof ZkmlError && e.code === "QUANTIZE_FAILED")) throw e;
    }
    // ties keep the plain model: saturation changes results beyond the calibration set
    q = off !== undefined && constraintCount(off).total <= constraintCount(on).total ? off : on;
  }
  validateIR(q);
  return q;
}

/**
 * Make tensor `t` (a trace index) 2^d times coarser where that is free and exact: it is a requant's output that no
 * op has read yet, so that requant's shift grows by d (its values stay in range; they only lose d low bits). False
 * when it is not (the concat then brings the sides together with a multiplier).
 */
function coarsen(ops: QOp[], t: number, d: number): boolean {
  const rq = ops[t - 1];
  if (!rq || rq.op !== "requant") return false;
  const fromOf = (op: QOp) => (op.op === "add" || op.op === "mul" || op.op === "concat" || (op.op === "gather" && op.from !== undefined) ? op.from : undefined);
  // read by the next op as its running input, or by any later op as its `from`
  const next = ops[t];
  if (next && !(next.op === "gather" && next.from !== undefined)) return false;
  if (ops.slice(t).some((op) => fromOf(op) === t)) return false;
  ops[t - 1] = { ...rq, shift: rq.shift + d, bits: Math.max(rq.bits, rq.shift + d + 1) };
  return true;
}

/**
 * Real input -> integer input. Refuses (naming the element) any value outside the model's declared range,
 * before any witness is computed.
 */
export function quantizeInput(q: QModel, values: ArrayLike<number>, source = "input"): bigint[] {
  const n = q.input.shape.reduce((a, b) => a * b, 1);
  if (values.length !== n)
    throw new ZkmlError("INPUT_INVALID", `${source}: expected ${n} values (shape ${q.input.shape.join("x")}), got ${values.length}`, {
      hint: `give a flat array of ${n} numbers, or nested arrays of shape ${q.input.shape.join("x")}`,
    });
  const [lo, hi] = q.input.range;
  const max = inputTop(q);
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new ZkmlError("INPUT_INVALID", `${source}[${i}]: expected a finite number, got ${JSON.stringify(v)}`);
    if (v < lo || v > hi)
      throw new ZkmlError("INPUT_OUT_OF_RANGE", `${source}[${i}]: ${v} is outside the model's declared input range [${lo}, ${hi}]`, {
        hint: `scale the input into that range, or declare the range the model takes: "input.range" in a model file; in an ONNX file the metadata key ${INPUT_RANGE_KEY} = "[lo, hi]" (without it the importer assumes [0, 1])`,
      });
    let qv = BigInt(Math.round(v / q.input.step));
    if (qv < q.input.min) qv = q.input.min;
    if (qv > max) qv = max; // the top of the real range may round one unit past the bit budget (inputTop)
    out[i] = qv;
  }
  return out;
}

/** How a width was chosen by accuracy (src/quantize/choose.ts chooseScaleBits) and what it measured. */
export interface WidthChoice {
  /** the width chosen */
  bits: number;
  /** the target, and whether the chosen width meets it */
  target: number;
  met: boolean;
  /** the chosen width's measured error */
  maxAbsError: number;
  /** every width measured on the way, narrowest first; refused: why the caller's system (or the size limit) cannot take it */
  measured: { bits: number; maxAbsError?: number; refused?: string }[];
  /** the widest width the caller's system takes */
  widest: number;
  /** 0 when nothing was measured: the system refuses every width, for a reason of its own (`evaluation` says it) */
  samples: number;
  evaluation: string;
  /** how long the choice took (quantizations and evaluations), seconds */
  seconds: number;
}

/**
 * How a model is quantized for a circuit: a scale width and calibration inputs (default calibrationFor). Without a
 * width, quantizeFor takes DEFAULT_QUANT's 8 bits; the tasks never leave it out: without --scale-bits they choose the
 * narrowest width that meets --max-error (src/quantize/choose.ts, src/plugin/actions/circuit.ts) and record why in `choice`.
 */
export interface QuantChoice {
  scaleBits?: number;
  /** how scaleBits was chosen, when it was (for the report; quantizeFor reads only scaleBits) */
  choice?: WidthChoice;
  calibration?: ArrayLike<number>[];
  /** saturating requants: auto (default), on, off */
  saturate?: Saturate;
  /** the largest circuit accepted (default MAX_CONSTRAINTS) */
  maxConstraints?: number;
}

/** quantizeFor's results per model (by identity) and choice: the stages of one run, and compare-gas's statements,
 * ask for the same quantized model several times (worldcoin-proxy: about 50 s each). */
const quantizedFor = new WeakMap<ModelFile, { key: string; calibration: unknown; q: QModel }[]>();

export function quantizeFor(m: ModelFile, choice: QuantChoice = {}): QModel {
  const key = JSON.stringify([choice.scaleBits, choice.saturate, choice.maxConstraints]);
  let seen = quantizedFor.get(m);
  if (!seen) quantizedFor.set(m, (seen = []));
  const hit = seen.find((e) => e.key === key && e.calibration === choice.calibration);
  if (hit) return hit.q;
  const q = quantizeOnce(m, choice);
  seen.push({ key, calibration: choice.calibration, q });
  return q;
}

function quantizeOnce(m: ModelFile, choice: QuantChoice): QModel {
  const bits = choice.scaleBits === undefined ? DEFAULT_QUANT : scaleOptions(choice.scaleBits);
  // before the default calibration set, which is 64 inputs of the model's size
  checkSize(m, bits, choice.maxConstraints ?? MAX_CONSTRAINTS);
  return quantize(m, {
    ...bits,
    calibration: choice.calibration ?? calibrationFor(m),
    saturate: choice.saturate,
    maxConstraints: choice.maxConstraints,
  });
}
