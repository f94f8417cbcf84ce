/**
 * Random small models for property tests: random architectures (conv, pool, dense, relu in legal orders),
 * random float weights, random input ranges, quantized with random bit widths.
 */
import fc from "fast-check";
import { Layer, layerOutputShape, MODEL_FORMAT, ModelFile } from "../../src/model/format";
import type { Shape } from "../../src/ir/window";
import { QModel } from "../../src/ir/ir";
import { quantize, quantizeInput, Saturate } from "../../src/quantize/quantize";
import { rng } from "../../src/model/mnist";

export interface RandomCase {
  model: ModelFile;
  bits: { inputBits: number; weightBits: number; activationBits: number };
  inputs: number[][];
  /** saturating requants: drawn last, so the rest of each model is what it was before saturation existed */
  saturate: Saturate;
}

const arbRange = fc.constantFrom<[number, number]>([0, 1], [-1, 1], [0, 255], [-3, 0.5], [-100, 100]);

function weightsFor(dims: number[], next: () => number, scale: number): unknown {
  if (dims.length === 0) return (next() * 2 - 1) * scale;
  return [...Array(dims[0])].map(() => weightsFor(dims.slice(1), next, scale));
}

/**
 * One random model; `rand` supplies uniform numbers in [0, 1). With `residual`, blocks may end in a residual
 * connection (a shape-keeping conv or dense, then an add of the tensor before it, sometimes the input); the
 * numbers for it are drawn only then, so the models without it are what they always were.
 */
export function randomModel(rand: () => number, name: string, opts: { residual?: boolean } = {}): RandomCase {
  const pick = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const range = (fc.sample(arbRange, { numRuns: 1, seed: Math.floor(rand() * 1e9) })[0]);
  const image = rand() < 0.5;
  let shape: Shape = image ? [pick(1, 2), pick(3, 7), pick(3, 7)] : [pick(1, 12)];
  const input = { shape, range };
  const layers: Layer[] = [];
  const scale = [0.05, 0.5, 1, 4][pick(0, 3)];
  const add = (l: Layer) => {
    layers.push(l);
    shape = layerOutputShape(l, shape, "random");
  };
  if (image) {
    for (let b = pick(0, 2); b > 0; b--) {
      const kh = pick(1, Math.min(3, shape[1])), kw = pick(1, Math.min(3, shape[2]));
      const filters = pick(1, 3);
      add({
        type: "conv2d",
        filters,
        kernel: [kh, kw],
        stride: [pick(1, 2), pick(1, 2)],
        padding: [pick(0, 1), pick(0, 1)],
        weights: weightsFor([filters, shape[0], kh, kw], rand, scale) as number[][][][],
        bias: weightsFor([filters], rand, scale) as number[],
      });
      if (rand() < 0.7) add({ type: "relu" });
      if (rand() < 0.5 && shape[1] >= 2 && shape[2] >= 2) add({ type: rand() < 0.5 ? "avgpool2d" : "maxpool2d", pool: [2, 2], stride: [pick(1, 2), pick(1, 2)] });
      if (rand() < 0.2) add({ type: "relu" });
      if (opts.residual && rand() < 0.7) {
        const from = layers.length - 1;
        const k = shape[1] >= 3 && shape[2] >= 3 && rand() < 0.5 ? 3 : 1;
        add({ type: "conv2d", filters: shape[0], kernel: [k, k], stride: [1, 1], padding: [(k - 1) / 2, (k - 1) / 2], weights: weightsFor([shape[0], shape[0], k, k], rand, scale) as number[][][][], bias: weightsFor([shape[0]], rand, scale) as number[] });
        if (rand() < 0.5) add({ type: "relu" });
        add({ type: "add", from });
        if (rand() < 0.5) add({ type: "relu" });
      }
    }
    add({ type: "flatten" });
  }
  for (let d = pick(0, 2); d > 0; d--) {
    const units = pick(1, 8);
    add({ type: "dense", units, weights: weightsFor([units, shape[0]], rand, scale) as number[][], bias: weightsFor([units], rand, scale) as number[] });
    if (rand() < 0.7) add({ type: "relu" });
    if (opts.residual && rand() < 0.7) {
      const from = layers.length - 1;
      add({ type: "dense", units: shape[0], weights: weightsFor([shape[0], shape[0]], rand, scale) as number[][], bias: weightsFor([shape[0]], rand, scale) as number[] });
      if (rand() < 0.5) add({ type: "relu" });
      add({ type: "add", from });
    }
  }
  const units = pick(1, 5);
  add({ type: "dense", units, weights: weightsFor([units, shape[0]], rand, scale) as number[][], bias: weightsFor([units], rand, scale) as number[] });
  const model: ModelFile = { format: MODEL_FORMAT, name, input, layers, provenance: { source: "random test model" } };
  const n = input.shape.reduce((a, b) => a * b, 1);
  const sample = () => [...Array(n)].map(() => {
    const r = rand();
    // hit the ends of the range often: that is where overflow would show
    return r < 0.15 ? range[0] : r > 0.85 ? range[1] : range[0] + (range[1] - range[0]) * rand();
  });
  return {
    model,
    bits: { inputBits: pick(2, 10), weightBits: pick(2, 10), activationBits: pick(2, 10) },
    inputs: [sample(), sample(), sample()],
    saturate: (["on", "off", "auto"] as const)[pick(0, 2)],
  };
}

export interface Prepared {
  q: QModel;
  inputs: bigint[][];
}

/** `count` random models, quantized, with three quantized inputs each; deterministic in `seed` (and `residual`). */
export function prepareModels(count: number, seed: number, opts: { residual?: boolean } = {}): Prepared[] {
  const rand = rng(seed);
  const out: Prepared[] = [];
  for (let i = 0; i < count; i++) {
    const c = randomModel(rand, `random-${seed}-${i}`, opts);
    // calibrated on the first input alone, so the other two can go past it and make saturating requants act
    const q = quantize(c.model, { ...c.bits, calibration: c.inputs.slice(0, 1), saturate: c.saturate });
    out.push({ q, inputs: c.inputs.map((x) => quantizeInput(q, x)) });
  }
  return out;
}
