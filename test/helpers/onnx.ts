/**
 * Test helpers: ONNX graphs written in the tests (no PyTorch): a chain of nodes with their initializers, encoded
 * with the project's schema; and onnxruntime-web (the ONNX Runtime, as WebAssembly) running a file.
 */
import { floatTensor, valueInfo } from "../../src/model/onnx/export";
import { DATA_TYPE, encodeOnnx, OnnxModel, OnnxNode, OnnxTensor } from "../../src/model/onnx/proto";

export { floatAttr, floatTensor, intAttr, intsAttr } from "../../src/model/onnx/export";

export const int64Tensor = (name: string, values: number[]): OnnxTensor => ({ name, dims: [values.length], dataType: DATA_TYPE.INT64, int64Data: values });

/** Seeded values in [-1, 1) (a small LCG: the tests need no quality, only repeatability). */
export function values(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((s / 2 ** 32) * 2000 - 1000) / 1000;
  });
}

export function onnxGraph(g: { input: (number | string)[]; output: (number | string)[]; nodes: OnnxNode[]; init?: OnnxTensor[]; opset?: number; range?: [number, number] }): OnnxModel {
  return {
    irVersion: 8,
    producerName: "zkml-hardhat tests",
    opsetImport: [{ domain: "", version: g.opset ?? 13 }],
    metadataProps: g.range ? [{ key: "zkml.input_range", value: JSON.stringify(g.range) }] : [],
    graph: { name: "test_graph", node: g.nodes, initializer: g.init ?? [], input: [valueInfo("input", g.input)], output: [valueInfo("output", g.output)] },
  };
}

export const encode = (m: OnnxModel) => encodeOnnx(m);

/** onnxruntime-web's output for one input (the graph's "input" -> "output"). */
export async function runOrt(bytes: Uint8Array, input: ArrayLike<number>, dims: number[]): Promise<Float32Array> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require("onnxruntime-web") as typeof import("onnxruntime-web");
  ort.env.logLevel = "error";
  // the graph as written, unoptimized: onnxruntime-web's Pad fusion fails on a zero Pad before a MaxPool (the wasm throws)
  const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "disabled" });
  const r = await s.run({ input: new ort.Tensor("float32", Float32Array.from(input), dims) });
  await s.release();
  return r.output.data as Float32Array;
}

export { floatTensor as tensor };
