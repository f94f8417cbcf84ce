/**
 * Where models come from: a built-in name (models/<name>.json, or worldcoin-proxy, generated in code), a paper0 network (`paper0/FC_3_layers`, built
 * from data/paper0/suites.json with seeded random weights), or a path to a model file. Also the calibration
 * inputs and the default input for each.
 */
import * as fs from "fs";
import * as path from "path";
import { heldOutInterleaved, mnistCalibration, rng } from "./mnist";
import { ZkmlError } from "../core/errors";
import { readJsonFile } from "../core/files";
import { Conv2DLayer, DenseLayer, flattenInput, Layer, loadModelFile, MODEL_FORMAT, ModelFile } from "./format";
import type { Shape } from "../ir/window";
import { loadOnnxModel } from "./onnx/import";
import { PACKAGE_ROOT } from "../core/paths";

/** this package's folder (see PACKAGE_ROOT) */
export const ROOT = PACKAGE_ROOT;
export const MODELS_DIR = path.join(ROOT, "models");
export const PAPER0_SUITES = path.join(ROOT, "data", "paper0", "suites.json");

interface Paper0Net {
  name: string;
  layers: [number, number, boolean][];
  params: number;
  /** weights (no biases): the number in the parameter suite's names */
  macs: number;
  numLayers: number;
  inputDim: number;
}

export function paper0Networks(): { suite: string; net: Paper0Net }[] {
  const data = JSON.parse(fs.readFileSync(PAPER0_SUITES, "utf8")) as { suites: Record<string, Paper0Net[]> };
  return Object.entries(data.suites).flatMap(([suite, nets]) => nets.map((net) => ({ suite, net })));
}

export function builtinModels(): string[] {
  const files = fs.existsSync(MODELS_DIR) ? fs.readdirSync(MODELS_DIR).filter((f) => f.endsWith(".json")) : [];
  return [...files.map((f) => f.replace(/\.json$/, "")), ...Object.keys(GENERATED), ...paper0Networks().map((n) => `paper0/${n.net.name}`)];
}

/** A paper0 network with weights drawn uniformly from +-1/sqrt(fan-in), seeded by the network's name. */
export function paper0Model(name: string, seed = 1): ModelFile {
  const found = paper0Networks().find((n) => n.net.name === name);
  if (!found)
    throw new ZkmlError("MODEL_NOT_FOUND", `no paper0 network "${name}"`, {
      hint: `known: ${paper0Networks().map((n) => n.net.name).join(", ")}`,
    });
  const { net, suite } = found;
  let h = seed;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  const random = rng(h);
  const layers: Layer[] = [];
  for (const [inDim, outDim, relu] of net.layers) {
    const a = 1 / Math.sqrt(inDim);
    const weights = [...Array(outDim)].map(() => [...Array(inDim)].map(() => (2 * random() - 1) * a));
    const bias = [...Array(outDim)].map(() => (2 * random() - 1) * a);
    layers.push({ type: "dense", units: outDim, weights, bias } as DenseLayer);
    if (relu) layers.push({ type: "relu" });
  }
  return {
    format: MODEL_FORMAT,
    name: `paper0/${name}`,
    description: `paper0 (Modulus Labs, The Cost of Intelligence) ${suite} suite network ${name}`,
    input: { shape: [net.inputDim], range: [-1, 1] },
    layers,
    provenance: { source: "paper0 architecture, seeded random weights", suites: "data/paper0/suites.json", seed, weightInit: "uniform +-1/sqrt(fan_in)" },
  };
}

/**
 * worldcoin-proxy: a stand-in of the shape of Worldcoin's iris-code network as paper0 (Modulus Labs, The Cost
 * of Intelligence, 2023) describes it: a CNN of about 1.8M parameters and 50 layers on a one-channel iris image,
 * proved on a phone with the image private. This is NOT Worldcoin's model: the same shape class (a residual CNN,
 * 50 conv + dense layers, 1,851,074 parameters, a 1x64x64 input in [0, 1]) with seeded random weights, to
 * measure what proving a network of that size costs.
 *
 * Ops: conv2d, relu, avgpool2d, add, flatten, dense (no maxpool). A 3x3 stem conv (1 -> 8) at 64x64, then four
 * stages at 64x64, 32x32, 16x16 and 8x8 with 8, 16, 32 and 96 channels and 2, 4, 6 and 10 residual blocks; a
 * stage after the first opens with a 3x3 stride-2 conv that halves the resolution and widens the channels. A
 * block is conv 3x3, relu, conv 3x3, add (the block's input), relu: every add reads the output of a relu layer
 * (the block's input), of the same shape. The head: a 4x4 average pool (96x2x2), flatten, dense 384 -> 64, relu,
 * dense 64 -> 2. Layers: 1 stem + 3 downsampling + 2 x 22 block convs + 2 dense = 50.
 */
export const WORLDCOIN_PROXY = {
  channels: [8, 16, 32, 96],
  blocks: [2, 4, 6, 10],
  hidden: 64,
  classes: 2,
  pool: 4,
} as const;

export function worldcoinProxyModel(seed = 27): ModelFile {
  const random = rng(seed);
  const uniform = (a: number) => (2 * random() - 1) * a;
  const layers: Layer[] = [];
  const conv = (cin: number, cout: number, stride: number): void => {
    const a = 1 / Math.sqrt(cin * 9);
    const weights = [...Array(cout)].map(() => [...Array(cin)].map(() => [...Array(3)].map(() => [...Array(3)].map(() => uniform(a)))));
    const bias = [...Array(cout)].map(() => uniform(a));
    layers.push({ type: "conv2d", filters: cout, kernel: [3, 3], stride: [stride, stride], padding: [1, 1], weights, bias } as Conv2DLayer);
  };
  const dense = (inDim: number, outDim: number): void => {
    const a = 1 / Math.sqrt(inDim);
    const weights = [...Array(outDim)].map(() => [...Array(inDim)].map(() => uniform(a)));
    const bias = [...Array(outDim)].map(() => uniform(a));
    layers.push({ type: "dense", units: outDim, weights, bias } as DenseLayer);
  };
  const { channels, blocks, hidden, classes, pool } = WORLDCOIN_PROXY;
  conv(1, channels[0], 1);
  layers.push({ type: "relu" });
  let c: number = channels[0];
  let size = 64;
  channels.forEach((width, stage) => {
    if (stage > 0) {
      conv(c, width, 2);
      layers.push({ type: "relu" });
      c = width;
      size /= 2;
    }
    for (let b = 0; b < blocks[stage]; b++) {
      const input = layers.length - 1; // a relu: the block's input
      conv(c, c, 1);
      layers.push({ type: "relu" });
      conv(c, c, 1);
      layers.push({ type: "add", from: input });
      layers.push({ type: "relu" });
    }
  });
  layers.push({ type: "avgpool2d", pool: [pool, pool] });
  layers.push({ type: "flatten" });
  dense(c * (size / pool) ** 2, hidden);
  layers.push({ type: "relu" });
  dense(hidden, classes);
  return {
    format: MODEL_FORMAT,
    name: "worldcoin-proxy",
    description: "a proxy of Worldcoin's iris-code CNN (about 1.8M parameters, 50 layers, per paper0): a residual CNN of that shape on a 1x64x64 image, seeded random weights",
    input: { shape: [1, 64, 64], range: [0, 1] },
    layers,
    provenance: {
      source: "seeded random weights (NOT Worldcoin's model): a proxy of the shape of Worldcoin's iris-code network",
      proxyOf: "Worldcoin's iris-code CNN as paper0 (Modulus Labs, The Cost of Intelligence, 2023) describes it: about 1.8M parameters, 50 layers, one-channel iris image, private input, proved on a phone",
      architecture: "stem conv 3x3 1->8; residual stages 64x64/32x32/16x16/8x8 of 8/16/32/96 channels and 2/4/6/10 blocks (conv, relu, conv, add, relu), stride-2 3x3 convs between stages; avgpool 4x4, flatten, dense 384->64, relu, dense 64->2",
      seed,
      weightInit: "uniform +-1/sqrt(fan_in)",
    },
  };
}

/** Built-in models generated in code (too large to commit as JSON), by name. */
const GENERATED: Record<string, () => ModelFile> = { "worldcoin-proxy": () => worldcoinProxyModel() };

/** Resolve `--model`: a built-in name, paper0/<network>, or a path to a model file. */
export function resolveModel(nameOrPath: string): ModelFile {
  if (nameOrPath.startsWith("paper0/")) return paper0Model(nameOrPath.slice("paper0/".length));
  if (Object.hasOwn(GENERATED, nameOrPath)) return GENERATED[nameOrPath]();
  const builtin = path.join(MODELS_DIR, `${nameOrPath}.json`);
  if (/^[A-Za-z0-9_-]+$/.test(nameOrPath) && fs.existsSync(builtin)) return loadModelFile(builtin);
  if (fs.existsSync(nameOrPath)) {
    if (fs.statSync(nameOrPath).isFile() && nameOrPath.toLowerCase().endsWith(".onnx")) return loadOnnxModel(nameOrPath);
    return loadModelFile(nameOrPath);
  }
  throw new ZkmlError("MODEL_NOT_FOUND", `no model "${nameOrPath}"`, {
    hint: `pass a model file path (.json, or .onnx), or one of: ${builtinModels().slice(0, 8).join(", ")}, ... (paper0/<network> for paper0's suites)`,
  });
}

/** Is this an MNIST-shaped model (28x28 grey image, flat or [1,28,28])? */
export function isMnistShaped(m: ModelFile): boolean {
  const s = m.input.shape.join("x");
  return (s === "784" || s === "1x28x28") && m.input.range[0] === 0 && m.input.range[1] === 1;
}

/** calibrationFor's sets per model and count: one array each, so what is computed from it can be kept by identity. */
const calibrations = new WeakMap<ModelFile, Map<number, ArrayLike<number>[]>>();

/** Calibration inputs: MNIST training digits for MNIST-shaped models, seeded uniform inputs otherwise (the same array for the same model and count: do not change it). */
export function calibrationFor(m: ModelFile, count = 64): ArrayLike<number>[] {
  let byCount = calibrations.get(m);
  if (!byCount) calibrations.set(m, (byCount = new Map()));
  let set = byCount.get(count);
  if (!set) byCount.set(count, (set = makeCalibration(m, count)));
  return set;
}

function makeCalibration(m: ModelFile, count: number): ArrayLike<number>[] {
  if (isMnistShaped(m)) return mnistCalibration();
  const n = m.input.shape.reduce((a, b) => a * b, 1);
  const random = rng(7);
  const [lo, hi] = m.input.range;
  return [...Array(count)].map(() => Float64Array.from({ length: n }, () => lo + (hi - lo) * random()));
}

/** The input used when the user gives none: the first held-out MNIST digit, or a seeded random input. */
export function defaultInput(m: ModelFile): { values: ArrayLike<number>; label?: number; source: string } {
  if (isMnistShaped(m)) {
    const s = heldOutInterleaved(8)[7]; // a held-out "7", never seen in training
    return { values: s.pixels, label: s.label, source: `held-out MNIST digit ${s.id}` };
  }
  const n = m.input.shape.reduce((a, b) => a * b, 1);
  const random = rng(12345);
  const [lo, hi] = m.input.range;
  return { values: Float64Array.from({ length: n }, () => lo + (hi - lo) * random()), source: "seeded random input (seed 12345)" };
}

/**
 * The inputs of a batch when the user gives none: N held-out MNIST digits (the first N of the interleaved
 * held-out set, every class in turn), or N seeded random inputs; one input is defaultInput's.
 */
export function defaultInputs(m: ModelFile, n: number): { values: ArrayLike<number>[]; source: string } {
  if (n === 1) {
    const one = defaultInput(m);
    return { values: [one.values], source: one.source };
  }
  if (isMnistShaped(m)) return { values: heldOutInterleaved(n).map((s) => s.pixels), source: `${n} held-out MNIST digits` };
  const size = m.input.shape.reduce((a, b) => a * b, 1);
  const [lo, hi] = m.input.range;
  const values = Array.from({ length: n }, (_, i) => {
    const random = rng(12345 + i);
    return Float64Array.from({ length: size }, () => lo + (hi - lo) * random());
  });
  return { values, source: `${n} seeded random inputs (seeds 12345..${12345 + n - 1})` };
}

/**
 * Read a user's input file: {"input": [...]}, a bare array (nested or flat), or EZKL's {"input_data": [[...]]}.
 * Given the model's input shape, a nested array must have it (format.ts flattenInput).
 */
export function readInputFile(file: string, shape?: Shape): number[] {
  const raw = readJsonFile(file, "INPUT_INVALID", "check the path given to --input");
  const ezkl = (raw as { input_data?: unknown })?.input_data;
  if (ezkl !== undefined) {
    // EZKL: one flat list per input tensor of the model; these models have one
    if (!Array.isArray(ezkl) || ezkl.length !== 1 || !Array.isArray(ezkl[0]))
      throw new ZkmlError("INPUT_INVALID", `input_data: expected one list of values (EZKL's format for a model with one input), got ${Array.isArray(ezkl) ? `${ezkl.length} entries` : typeof ezkl}`, { file, hint: 'write {"input_data": [[0, 0.5, ...]]}' });
    return (shape ? flattenInput(ezkl[0], shape, "input_data[0]", file) : (ezkl[0] as unknown[]).flat(3)) as number[];
  }
  const arr = Array.isArray(raw) ? raw : (raw as { input?: unknown })?.input;
  if (!Array.isArray(arr)) throw new ZkmlError("INPUT_INVALID", 'expected a JSON array, an object with an "input" array, or EZKL\'s {"input_data": [[...]]}', { file, hint: 'write {"input": [0, 0.5, ...]}' });
  return (shape ? flattenInput(arr, shape, "input", file) : (arr as unknown[]).flat(3)) as number[];
}
