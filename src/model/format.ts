/**
 * The float model file: what a user brings, before quantization.
 *
 * A model is JSON (`format: "zkml-model/1"`): an input shape and the real range its values lie in, a list of
 * layers with float weights, and provenance (where the weights came from, how accurate they are). Tensors are
 * channel-major: an image is [C, H, W]; a vector is [N]. Conv weights are [out][in][kh][kw], dense weights
 * [out][in]. A `clip` layer bounds every value to [min, max] (either may be absent), a `leakyrelu` keeps x >= 0 and
 * multiplies the rest by alpha. An `add` layer adds an earlier tensor to the running one (a residual connection): `from` is the
 * index of the layer whose output it adds, -1 for the model's input, and the shapes must be equal (`negate` subtracts one
 * side: x - y); a `mul` layer multiplies the running tensor by an earlier one the same way (x * y, HardSwish). `validateModel` checks every field and names the path of the first problem it finds
 * (`layers[1].weights: expected 16x8, got 16x7`); `forwardFloat` is the float reference used for training,
 * calibration and accuracy.
 */
import * as fs from "fs";
import { ZkmlError } from "../core/errors";
import { readJsonFile } from "../core/files";
import { Shape, windowPlan, WindowPlan } from "../ir/window";
import { concatShape, TABLE_FNS, TableFn, tableFloat } from "../ir/ir";

export const MODEL_FORMAT = "zkml-model/1";

export type DenseLayer = { type: "dense"; units: number; weights: number[][]; bias: number[] };
export type Conv2DLayer = {
  type: "conv2d";
  filters: number;
  kernel: [number, number];
  stride?: [number, number];
  padding?: [number, number];
  /** G (absent: 1): the filters and the input channels in G groups, each filter reading its group's C/G channels; weights
   * [filters][C/G][kh][kw] (depthwise: G = C) */
  groups?: number;
  weights: number[][][][];
  bias: number[];
};
/** padding: zero rows and columns on each side (absent: none), each below the pool; countIncludePad (absent: true) divides
 * every window's sum by its area, false by its in-bounds taps (ONNX's count_include_pad) */
export type AvgPool2DLayer = { type: "avgpool2d"; pool: [number, number]; stride?: [number, number]; padding?: [number, number]; countIncludePad?: boolean };
/** padding as avgpool2d's: the max of each window's in-bounds values (a padded position never wins) */
export type MaxPool2DLayer = { type: "maxpool2d"; pool: [number, number]; stride?: [number, number]; padding?: [number, number] };
export type FlattenLayer = { type: "flatten" };
export type ReluLayer = { type: "relu" };
/** y = x + (the output of layers[from], or the model's input when from = -1): a residual connection; with `negate`, that
 * side subtracted instead (a Sub of two activations: x - t with "from", t - x with "x") */
export type AddLayer = { type: "add"; from: number; negate?: "x" | "from" };
/** y = scale x t, t the output of layers[from] (-1: the input), scale a positive constant (absent: 1): a product of two
 * activations (HardSwish's x * relu6(x + 3) / 6, x * y) */
export type MulLayer = { type: "mul"; from: number; scale?: number };
/** y = min(max(x, min), max), either bound absent for none: ReLU6 is {min: 0, max: 6} */
export type ClipLayer = { type: "clip"; min?: number; max?: number };
/** y = x for x >= 0, alpha x below */
export type LeakyReluLayer = { type: "leakyrelu"; alpha: number };
/** y[i] = s[index[i]], 0 where index[i] is -1 (index absent: the same order), of shape `shape`; s the running tensor, or
 * with `from` the output of layers[from] (-1: the input): Transpose, Reshape, a second branch's start, and Pad */
export type GatherLayer = { type: "gather"; shape: Shape; index?: number[]; from?: number };
/** the output of layers[from] (-1: the input) and the running tensor joined, from's first when fromFirst: torch.cat on the
 * first axis; shape [a0 + b0, ...rest] when both agree past the first axis, else flat */
export type ConcatLayer = { type: "concat"; from: number; fromFirst: boolean };
/** y = f(x) element-wise for f one of ir.ts TABLE_FNS (Sigmoid, Tanh, Exp, Erf, GELU): quantized as a table lookup; `tensor`
 * names the ONNX tensor it reads, for messages */
export type TableLayer = { type: "table"; fn: TableFn; tensor?: string };
export type Layer = DenseLayer | Conv2DLayer | AvgPool2DLayer | MaxPool2DLayer | FlattenLayer | ReluLayer | AddLayer | MulLayer | ClipLayer | LeakyReluLayer | GatherLayer | ConcatLayer | TableLayer;
export const LAYER_TYPES = ["dense", "conv2d", "avgpool2d", "maxpool2d", "flatten", "relu", "add", "mul", "clip", "leakyrelu", "gather", "concat", "table"] as const;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  name: string;
  description?: string;
  input: { shape: Shape; range: [number, number] };
  layers: Layer[];
  provenance: Record<string, unknown>;
}

const fmt = (s: Shape) => s.join("x");

function fail(path: string, message: string, hint?: string, file?: string): never {
  throw new ZkmlError("MODEL_INVALID", `${path}: ${message}`, { hint, file });
}

function isPosInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

function pair(v: unknown, path: string, file: string | undefined, min: number): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= min))
    fail(path, `expected two integers >= ${min}, got ${JSON.stringify(v)}`, undefined, file);
  return v as [number, number];
}

/** A bad value as a user wrote it: JSON reads 1e999 as Infinity, which JSON.stringify would print as null. */
function describeNumber(x: unknown): string {
  return typeof x === "number" ? `${x} (not finite: a number past 1.8e308, such as 1e999, overflows)` : JSON.stringify(x);
}

/** Check that `v` is a nested array of finite numbers of exactly `dims`; name the first bad path. */
function checkTensor(v: unknown, dims: number[], path: string, file?: string): void {
  const want = fmt(dims);
  const walk = (x: unknown, d: number, p: string, got: number[]): void => {
    if (d === dims.length) {
      if (typeof x !== "number" || !Number.isFinite(x)) fail(p, `expected a finite number, got ${describeNumber(x)}`, undefined, file);
      return;
    }
    if (!Array.isArray(x)) fail(p, `expected an array (tensor of shape ${want}), got ${typeof x}`, undefined, file);
    if (x.length !== dims[d]) {
      const gotShape = [...got, x.length];
      fail(path, `expected ${want}, got ${fmt(gotShape)}${d > 0 ? ` at ${p}` : ""}`, "re-export the weights with the layer's declared shape", file);
    }
    for (let i = 0; i < x.length; i++) walk(x[i], d + 1, `${p}[${i}]`, [...got, dims[d]]);
  };
  walk(v, 0, path, []);
}

/** Output shape of a layer applied to `shape`; throws with the layer's path if the shapes do not fit. `earlier(j)`: the
 * shape of layers[j]'s output (-1: the input), for a concat. */
export function layerOutputShape(layer: Layer, shape: Shape, path: string, file?: string, earlier?: (j: number) => Shape): Shape {
  switch (layer.type) {
    case "gather":
      return layer.shape;
    case "concat": {
      const t = earlier?.(layer.from);
      if (!t) fail(path, `a concat needs the shape of layers[${layer.from}]`, undefined, file);
      return concatShape(layer.fromFirst ? t : shape, layer.fromFirst ? shape : t);
    }
    case "dense":
      if (shape.length !== 1) fail(path, `dense needs a flat input, got shape ${fmt(shape)}`, "insert a flatten layer before it", file);
      return [layer.units];
    case "conv2d":
    case "avgpool2d":
    case "maxpool2d": {
      if (shape.length !== 3) fail(path, `${layer.type} needs a [C, H, W] input, got shape ${fmt(shape)}`, undefined, file);
      const [c, h, w] = shape;
      const [kh, kw] = layer.type === "conv2d" ? layer.kernel : layer.pool;
      const [sh, sw] = layer.stride ?? (layer.type === "conv2d" ? [1, 1] : [kh, kw]);
      const [ph, pw] = layer.padding ?? [0, 0];
      const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
      const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
      if (oh < 1 || ow < 1) fail(path, `window ${kh}x${kw} does not fit input ${fmt(shape)}`, undefined, file);
      return [layer.type === "conv2d" ? layer.filters : c, oh, ow];
    }
    case "flatten":
      return [shape.reduce((a, b) => a * b, 1)];
    case "relu":
    case "add":
    case "mul":
    case "clip":
    case "leakyrelu":
    case "table":
      return shape;
    default: {
      const never: never = layer;
      return never;
    }
  }
}

/** Every layer's output shape, in order (a concat reads an earlier one's). */
export function layerShapes(model: Pick<ModelFile, "input" | "layers">, file?: string): Shape[] {
  const out: Shape[] = [];
  let shape = model.input.shape;
  model.layers.forEach((l, i) => {
    shape = layerOutputShape(l, shape, `layers[${i}]`, file, (j) => (j === -1 ? model.input.shape : out[j]));
    out.push(shape);
  });
  return out;
}

/** The shape of a nested array (its lengths level by level), or undefined when rows of one level differ in length or depth. */
export function nestedShape(v: unknown): number[] | undefined {
  if (!Array.isArray(v)) return [];
  if (v.length === 0) return [0];
  const inner = v.map(nestedShape);
  const first = inner[0];
  if (first === undefined || inner.some((s) => s === undefined || s.join("x") !== first.join("x"))) return undefined;
  return [v.length, ...first];
}

/**
 * One input as a flat array, checked against the model's input shape: a flat array is taken as it is (its
 * length is checked by the quantizer), a nested one must have the model's shape (dimensions of size 1, such as
 * a batch of one or a single channel, may be left out or added), so values nested another way (2x1x18 for a
 * 1x6x6 model) are refused rather than silently reordered.
 */
export function flattenInput(v: unknown, shape: Shape, where: string, file?: string): unknown[] {
  if (!Array.isArray(v)) throw new ZkmlError("INPUT_INVALID", `${where}: expected an array of numbers, got ${JSON.stringify(v)?.slice(0, 40)}`, { file, hint: `give ${shape.reduce((a, b) => a * b, 1)} numbers, flat or nested as ${fmt(shape)}` });
  const got = nestedShape(v);
  const n = shape.reduce((a, b) => a * b, 1);
  const hint = `nest the values as ${fmt(shape)} (channels, rows, columns: the model's input shape), or give them flat, ${n} numbers in that order`;
  if (got === undefined) throw new ZkmlError("INPUT_INVALID", `${where}: nested arrays of unequal lengths; expected shape ${fmt(shape)}`, { file, hint });
  if (got.length <= 1) return v;
  const squeeze = (s: number[]) => s.filter((d) => d !== 1).join("x");
  if (squeeze(got) !== squeeze(shape)) throw new ZkmlError("INPUT_INVALID", `${where}: expected shape ${fmt(shape)} (or ${n} values flat), got shape ${fmt(got)}`, { file, hint });
  return (v as unknown[]).flat(got.length - 1);
}

/** Validate a parsed model file; returns it typed. `file` is named in every message. */
export function validateModel(raw: unknown, file?: string): ModelFile {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("(root)", "expected a JSON object", undefined, file);
  const m = raw as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT) fail("format", `expected "${MODEL_FORMAT}", got ${JSON.stringify(m.format)}`, `set "format": "${MODEL_FORMAT}"`, file);
  if (typeof m.name !== "string" || !/^[A-Za-z0-9_.\-/]+$/.test(m.name)) fail("name", `expected a name of letters, digits, _ . - /, got ${JSON.stringify(m.name)}`, undefined, file);
  const input = m.input as Record<string, unknown> | undefined;
  if (typeof input !== "object" || input === null) fail("input", "missing", 'add "input": {"shape": [...], "range": [lo, hi]}', file);
  if (!Array.isArray(input.shape) || input.shape.length < 1 || input.shape.length > 3 || !input.shape.every(isPosInt))
    fail("input.shape", `expected 1 to 3 positive integers, got ${JSON.stringify(input.shape)}`, undefined, file);
  const range = input.range;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => typeof x === "number" && Number.isFinite(x)) || !(range[0] < range[1]))
    fail("input.range", `expected [lo, hi] with lo < hi, got ${JSON.stringify(range)}`, undefined, file);
  if (!Array.isArray(m.layers) || m.layers.length === 0) fail("layers", "expected a non-empty array of layers", undefined, file);
  if (typeof m.provenance !== "object" || m.provenance === null) fail("provenance", "missing", 'add "provenance": {"source": "..."} saying where the weights come from', file);

  let shape: Shape = input.shape as Shape;
  const shapes: Shape[] = []; // shapes[i]: the output of layers[i]
  (m.layers as unknown[]).forEach((l, i) => {
    const p = `layers[${i}]`;
    if (typeof l !== "object" || l === null) fail(p, "expected an object", undefined, file);
    const layer = l as Record<string, unknown>;
    if (!LAYER_TYPES.includes(layer.type as (typeof LAYER_TYPES)[number]))
      fail(`${p}.type`, `expected one of ${LAYER_TYPES.join(", ")}, got ${JSON.stringify(layer.type)}`, undefined, file);
    switch (layer.type) {
      case "dense": {
        if (!isPosInt(layer.units)) fail(`${p}.units`, `expected a positive integer, got ${JSON.stringify(layer.units)}`, undefined, file);
        if (shape.length !== 1) fail(p, `dense needs a flat input, got shape ${fmt(shape)}`, "insert a flatten layer before it", file);
        checkTensor(layer.weights, [layer.units, shape[0]], `${p}.weights`, file);
        checkTensor(layer.bias, [layer.units], `${p}.bias`, file);
        break;
      }
      case "conv2d": {
        if (!isPosInt(layer.filters)) fail(`${p}.filters`, `expected a positive integer, got ${JSON.stringify(layer.filters)}`, undefined, file);
        const [kh, kw] = pair(layer.kernel, `${p}.kernel`, file, 1);
        if (layer.stride !== undefined) pair(layer.stride, `${p}.stride`, file, 1);
        if (layer.padding !== undefined) pair(layer.padding, `${p}.padding`, file, 0);
        if (shape.length !== 3) fail(p, `conv2d needs a [C, H, W] input, got shape ${fmt(shape)}`, undefined, file);
        const g = layer.groups ?? 1;
        if (!isPosInt(g) || shape[0] % g !== 0 || (layer.filters as number) % g !== 0) fail(`${p}.groups`, `expected a positive integer dividing the ${shape[0]} input channels and the ${layer.filters} filters, got ${JSON.stringify(layer.groups)}`, undefined, file);
        checkTensor(layer.weights, [layer.filters, shape[0] / g, kh, kw], `${p}.weights`, file);
        checkTensor(layer.bias, [layer.filters], `${p}.bias`, file);
        break;
      }
      case "avgpool2d":
      case "maxpool2d": {
        const pool = pair(layer.pool, `${p}.pool`, file, 1);
        if (layer.stride !== undefined) pair(layer.stride, `${p}.stride`, file, 1);
        if (layer.padding !== undefined && pair(layer.padding, `${p}.padding`, file, 0).some((v, j) => v >= pool[j])) fail(`${p}.padding`, `expected each side's padding below the pool ${pool.join("x")}, got ${JSON.stringify(layer.padding)}`, undefined, file);
        if (layer.countIncludePad !== undefined && typeof layer.countIncludePad !== "boolean") fail(`${p}.countIncludePad`, `expected true, false or none, got ${JSON.stringify(layer.countIncludePad)}`, undefined, file);
        break;
      }
      case "add":
      case "mul": {
        const from = layer.from;
        if (!Number.isInteger(from) || (from as number) < -1 || (from as number) >= i) fail(`${p}.from`, `expected an earlier layer's index (or -1, the input): -1..${i - 1}, got ${JSON.stringify(from)}`, undefined, file);
        const other = from === -1 ? (input.shape as Shape) : shapes[from as number];
        if (fmt(other) !== fmt(shape)) fail(p, `${layer.type === "add" ? "adds" : "multiplies by"} a ${fmt(other)} tensor (${from === -1 ? "the input" : `layers[${from}]`}) ${layer.type === "add" ? "to" : "of"} a ${fmt(shape)} one: the shapes must be equal`, undefined, file);
        if (layer.type === "add" && layer.negate !== undefined && layer.negate !== "x" && layer.negate !== "from") fail(`${p}.negate`, `expected "x", "from" or none, got ${JSON.stringify(layer.negate)}`, undefined, file);
        if (layer.type === "mul" && layer.scale !== undefined && !(typeof layer.scale === "number" && Number.isFinite(layer.scale) && layer.scale > 0)) fail(`${p}.scale`, `expected a positive finite number or none, got ${describeNumber(layer.scale)}`, undefined, file);
        break;
      }
      case "clip": {
        for (const f of ["min", "max"] as const)
          if (layer[f] !== undefined && (typeof layer[f] !== "number" || !Number.isFinite(layer[f]))) fail(`${p}.${f}`, `expected a finite number or none, got ${describeNumber(layer[f])}`, undefined, file);
        if (layer.min === undefined && layer.max === undefined) fail(p, "a clip needs min, max or both", "a clip at 0 alone is a relu layer", file);
        if (layer.min !== undefined && layer.max !== undefined && !((layer.min as number) < (layer.max as number))) fail(p, `min ${layer.min} is not below max ${layer.max}`, undefined, file);
        break;
      }
      case "table":
        if (!(TABLE_FNS as readonly string[]).includes(layer.fn as string)) fail(`${p}.fn`, `expected one of ${TABLE_FNS.join(", ")}, got ${JSON.stringify(layer.fn)}`, undefined, file);
        break;
      case "leakyrelu":
        if (typeof layer.alpha !== "number" || !Number.isFinite(layer.alpha)) fail(`${p}.alpha`, `expected a finite number, got ${describeNumber(layer.alpha)}`, undefined, file);
        break;
      case "gather": {
        const from = layer.from;
        if (from !== undefined && (!Number.isInteger(from) || (from as number) < -1 || (from as number) >= i)) fail(`${p}.from`, `expected an earlier layer's index (or -1, the input): -1..${i - 1}, got ${JSON.stringify(from)}`, undefined, file);
        if (!Array.isArray(layer.shape) || layer.shape.length < 1 || !layer.shape.every(isPosInt)) fail(`${p}.shape`, `expected positive integers, got ${JSON.stringify(layer.shape)}`, undefined, file);
        const src = from === undefined ? shape : from === -1 ? (input.shape as Shape) : shapes[from as number];
        const n = src.reduce((a, b) => a * b, 1), out = (layer.shape as number[]).reduce((a, b) => a * b, 1);
        if (layer.index === undefined) {
          if (out !== n) fail(p, `reshapes ${n} values to ${fmt(layer.shape as number[])}`, undefined, file);
        } else if (!Array.isArray(layer.index) || layer.index.length !== out || !layer.index.every((j) => Number.isInteger(j) && j >= -1 && j < n))
          fail(`${p}.index`, `expected ${out} positions in 0..${n - 1} (or -1: a zero)`, undefined, file);
        break;
      }
      case "concat": {
        const from = layer.from;
        if (!Number.isInteger(from) || (from as number) < -1 || (from as number) >= i) fail(`${p}.from`, `expected an earlier layer's index (or -1, the input): -1..${i - 1}, got ${JSON.stringify(from)}`, undefined, file);
        if (typeof layer.fromFirst !== "boolean") fail(`${p}.fromFirst`, `expected true or false, got ${JSON.stringify(layer.fromFirst)}`, undefined, file);
        break;
      }
    }
    shape = layerOutputShape(layer as Layer, shape, p, file, (j) => (j === -1 ? (input.shape as Shape) : shapes[j]));
    shapes.push(shape);
  });
  return m as unknown as ModelFile;
}

export function loadModelFile(file: string): ModelFile {
  if (!fs.existsSync(file)) throw new ZkmlError("MODEL_NOT_FOUND", `model file not found: ${file}`, { hint: "check the path, or pass a built-in model name" });
  return validateModel(readJsonFile(file, "MODEL_INVALID", "check the path"), file);
}

export function countParams(model: Pick<ModelFile, "layers">): number {
  let n = 0;
  for (const l of model.layers) {
    if (l.type === "dense") n += l.weights.length * (l.weights[0]?.length ?? 0) + l.bias.length;
    if (l.type === "conv2d") n += l.weights.flat(3).length + l.bias.length;
  }
  return n;
}

// ---------- float forward pass (flat Float64Array tensors, channel-major) ----------

export type FloatTensor = { shape: Shape; data: Float64Array };

/** The window plan of a conv2d or avgpool2d layer applied to `inShape`. */
export function planOf(layer: Conv2DLayer | AvgPool2DLayer | MaxPool2DLayer, inShape: Shape): WindowPlan {
  const outShape = layerOutputShape(layer, inShape, "layer");
  if (layer.type === "conv2d") return windowPlan(inShape, outShape, layer.kernel, layer.stride ?? [1, 1], layer.padding ?? [0, 0], true, layer.groups ?? 1);
  return windowPlan(inShape, outShape, layer.pool, layer.stride ?? layer.pool, layer.padding ?? [0, 0], false);
}

const flatCache = new WeakMap<object, Float64Array>();
/** A conv's weights flattened per filter as [f][in][kh][kw], cached per layer object. */
export function flatKernel(layer: Conv2DLayer): Float64Array {
  let f = flatCache.get(layer.weights);
  if (!f) {
    f = Float64Array.from(layer.weights.flat(3));
    flatCache.set(layer.weights, f);
  }
  return f;
}

/**
 * A conv in float64, directly: per filter, input channel and tap, one multiply-add along each output row (no index
 * plan: worldcoin-proxy's would hold hundreds of MB). Every output sums its bias, then its taps in the plan's order
 * (channel, row, column; padding skipped), so the result is bit for bit windowPlan's.
 */
function convFloat(layer: Conv2DLayer, x: FloatTensor, shape: Shape, out: Float64Array): void {
  const [, H, W] = x.shape;
  const [F, OH, OW] = shape;
  const C = x.shape[0] / (layer.groups ?? 1); // the input channels a filter reads: its group's, from channel c0
  const [KH, KW] = layer.kernel;
  const [SH, SW] = layer.stride ?? [1, 1];
  const [PH, PW] = layer.padding ?? [0, 0];
  const k = flatKernel(layer);
  const xd = x.data;
  for (let f = 0; f < F; f++) {
    const base = f * OH * OW;
    const c0 = Math.floor(f / (F / (layer.groups ?? 1))) * C;
    out.fill(layer.bias[f], base, base + OH * OW);
    for (let c = 0; c < C; c++)
      for (let ky = 0; ky < KH; ky++)
        for (let kx = 0; kx < KW; kx++) {
          const w = k[((f * C + c) * KH + ky) * KW + kx];
          // the output columns whose input column ox*SW - PW + kx is inside the row
          const ox0 = Math.max(0, Math.ceil((PW - kx) / SW));
          const ox1 = Math.min(OW - 1, Math.floor((W - 1 + PW - kx) / SW));
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * SH - PH + ky;
            if (iy < 0 || iy >= H) continue;
            const o = base + oy * OW;
            const row = ((c0 + c) * H + iy) * W - PW + kx;
            for (let ox = ox0; ox <= ox1; ox++) out[o + ox] += w * xd[row + ox * SW];
          }
        }
  }
}

/** One layer on x; `earlier(j)` is layers[j]'s output (j = -1: the input), which an add layer reads. */
export function applyLayerFloat(layer: Layer, x: FloatTensor, earlier?: (j: number) => FloatTensor): FloatTensor {
  const shape = layerOutputShape(layer, x.shape, "layer", undefined, earlier && ((j) => earlier(j).shape));
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  switch (layer.type) {
    case "dense": {
      const n = x.data.length;
      for (let o = 0; o < layer.units; o++) {
        const w = layer.weights[o];
        let acc = layer.bias[o];
        for (let i = 0; i < n; i++) acc += w[i] * x.data[i];
        out[o] = acc;
      }
      break;
    }
    case "conv2d":
      convFloat(layer, x, shape, out);
      break;
    case "avgpool2d": {
      const p = planOf(layer, x.shape);
      const area = layer.pool[0] * layer.pool[1];
      for (let o = 0; o < out.length; o++) {
        let acc = 0;
        for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) acc += x.data[p.input[t]];
        out[o] = acc / (layer.countIncludePad === false ? p.count[o] : area);
      }
      break;
    }
    case "maxpool2d": {
      const p = planOf(layer, x.shape);
      for (let o = 0; o < out.length; o++) {
        let m = -Infinity;
        for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) if (x.data[p.input[t]] > m) m = x.data[p.input[t]];
        out[o] = m;
      }
      break;
    }
    case "flatten":
      out.set(x.data);
      break;
    case "relu":
      for (let i = 0; i < out.length; i++) out[i] = x.data[i] > 0 ? x.data[i] : 0;
      break;
    case "clip":
      for (let i = 0; i < out.length; i++) {
        let v = x.data[i];
        if (layer.min !== undefined && v < layer.min) v = layer.min;
        if (layer.max !== undefined && v > layer.max) v = layer.max;
        out[i] = v;
      }
      break;
    case "leakyrelu":
      for (let i = 0; i < out.length; i++) out[i] = x.data[i] >= 0 ? x.data[i] : layer.alpha * x.data[i];
      break;
    case "table":
      for (let i = 0; i < out.length; i++) out[i] = tableFloat(layer.fn, x.data[i]);
      break;
    case "gather": {
      if (layer.from !== undefined && !earlier) throw new Error("a gather of an earlier layer needs the earlier tensors (use forwardTrace)");
      const src = layer.from === undefined ? x.data : earlier!(layer.from).data;
      if (layer.index) layer.index.forEach((j, i) => (out[i] = j === -1 ? 0 : src[j]));
      else out.set(src);
      break;
    }
    case "concat": {
      if (!earlier) throw new Error("a concat layer needs the earlier tensors (use forwardTrace)");
      const t = earlier(layer.from).data;
      const [a, b] = layer.fromFirst ? [t, x.data] : [x.data, t];
      out.set(a);
      out.set(b, a.length);
      break;
    }
    case "add": {
      if (!earlier) throw new Error("an add layer needs the earlier tensors (use forwardTrace)");
      const other = earlier(layer.from).data;
      const sx = layer.negate === "x" ? -1 : 1, st = layer.negate === "from" ? -1 : 1;
      for (let i = 0; i < out.length; i++) out[i] = sx * x.data[i] + st * other[i];
      break;
    }
    case "mul": {
      if (!earlier) throw new Error("a mul layer needs the earlier tensors (use forwardTrace)");
      const other = earlier(layer.from).data;
      const c = layer.scale ?? 1;
      for (let i = 0; i < out.length; i++) out[i] = x.data[i] * other[i] * c;
      break;
    }
  }
  return { shape, data: out };
}

/** Every layer's output in order (the input not included), for models with residual connections too. */
export function forwardTrace(model: Pick<ModelFile, "input" | "layers">, input: ArrayLike<number>): FloatTensor[] {
  const x0: FloatTensor = { shape: model.input.shape, data: Float64Array.from(input) };
  const outs: FloatTensor[] = [];
  const earlier = (j: number) => (j === -1 ? x0 : outs[j]);
  for (const l of model.layers) outs.push(applyLayerFloat(l, outs.length ? outs[outs.length - 1] : x0, earlier));
  return outs;
}

export function forwardFloat(model: Pick<ModelFile, "input" | "layers">, input: ArrayLike<number>): FloatTensor {
  const outs = forwardTrace(model, input);
  return outs[outs.length - 1];
}

export function argmax(values: ArrayLike<number | bigint>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i; // first maximum wins on ties
  return best;
}
