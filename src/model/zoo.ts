/**
 * Where models come from: a built-in name (models/<name>.json), a paper0 network (`paper0/FC_3_layers`, built
 * from data/paper0/suites.json with seeded random weights), or a path to a model file. Also the calibration
 * inputs and the default input for each.
 */
import * as fs from "fs";
import * as path from "path";
import { heldOutInterleaved, mnistCalibration, rng } from "./mnist";
import { ZkmlError } from "../core/errors";
import { readJsonFile } from "../core/files";
import { DenseLayer, flattenInput, Layer, loadModelFile, MODEL_FORMAT, ModelFile } from "./format";
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
  return [...files.map((f) => f.replace(/\.json$/, "")), ...paper0Networks().map((n) => `paper0/${n.net.name}`)];
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

/** Resolve `--model`: a built-in name, paper0/<network>, or a path to a model file. */
export function resolveModel(nameOrPath: string): ModelFile {
  if (nameOrPath.startsWith("paper0/")) return paper0Model(nameOrPath.slice("paper0/".length));
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

/** Calibration inputs: MNIST training digits for MNIST-shaped models, seeded uniform inputs otherwise. */
export function calibrationFor(m: ModelFile, count = 64): ArrayLike<number>[] {
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
