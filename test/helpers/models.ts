/**
 * Hand-made test models shared by the soundness harness and the circuit fingerprints.
 */
import { rng } from "../../src/model/mnist";
import { ModelFile } from "../../src/model/format";
import { assignRequantBits, inputTop, IR_FORMAT, QModel } from "../../src/ir/ir";
import { quantize } from "../../src/quantize/quantize";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Every layer type: conv (padded) + ReLU requant, max pool, conv + signed requant, average (sum) pool, dense. */
export function allOpsModel(): ModelFile {
  const r = rng(7);
  const t = (dims: number[]): any => (dims.length === 0 ? r() * 2 - 1 : [...Array(dims[0])].map(() => t(dims.slice(1))));
  return {
    format: "zkml-model/1",
    name: "all-ops",
    input: { shape: [1, 6, 6], range: [0, 1] },
    layers: [
      { type: "conv2d", filters: 2, kernel: [3, 3], padding: [1, 1], weights: t([2, 1, 3, 3]), bias: t([2]) },
      { type: "relu" },
      { type: "maxpool2d", pool: [2, 2] },
      { type: "conv2d", filters: 2, kernel: [2, 2], weights: t([2, 2, 2, 2]), bias: t([2]) },
      { type: "avgpool2d", pool: [2, 2] },
      { type: "flatten" },
      { type: "dense", units: 4, weights: t([4, 2]), bias: t([4]) },
      { type: "relu" },
      { type: "dense", units: 3, weights: t([3, 4]), bias: t([3]) },
    ],
    provenance: {},
  } as unknown as ModelFile;
}

/** n admissible inputs spread over the model's declared range [min, inputTop]: min + (i * step) mod the range's size. */
export function spreadInput(q: QModel, step = 37): bigint[] {
  const span = inputTop(q) - q.input.min + 1n;
  const n = q.input.shape.reduce((a, b) => a * b, 1);
  return [...Array(n)].map((_, i) => q.input.min + (BigInt(i * step) % span));
}

/**
 * A residual connection by hand: y = relu(t2) + 3 t2, t2 the requant of a dense sum. The add reads t2 after a
 * requant (ReLU) has been applied to it, so a renderer that requantizes in place would add the wrong tensor.
 * For x = [1, 3]: sums [-2, 6], t2 = [-2, 6], relu [0, 6], y = [0 - 6, 6 + 18] = [-6, 24].
 */
export function residualKat(): QModel {
  return assignRequantBits({
    format: IR_FORMAT,
    name: "residual-kat",
    input: { shape: [2], min: -4n, bits: 4, step: 1, range: [-4, 11] },
    ops: [
      { op: "dense", inSize: 2, units: 2, weights: [1n, -1n, 2n, 1n], bias: [0n, 1n] },
      { op: "requant", shift: 0, relu: false, bits: 1 },
      { op: "requant", shift: 0, relu: true, bits: 1 },
      { op: "add", from: 2, mul: 1, fromMul: 3 },
    ],
    output: { step: 1 },
  });
}

/** The all-ops model as the soundness harness quantizes it (8-bit, two calibration inputs), and its spread input. */
export function allOpsCase(): { q: QModel; x: bigint[] } {
  const cal = [[...Array(36)].map((_, i) => (i % 7) / 7), [...Array(36)].map((_, i) => ((i * 5) % 11) / 11)];
  const q = quantize(allOpsModel(), { inputBits: 8, weightBits: 8, activationBits: 8, calibration: cal });
  return { q, x: spreadInput(q) };
}
