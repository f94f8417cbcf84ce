/**
 * Hand-made test models shared by the soundness harness and the circuit fingerprints.
 */
import { rng } from "../../src/model/mnist";
import { ModelFile } from "../../src/model/format";
import { inputTop, QModel } from "../../src/ir/ir";

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
