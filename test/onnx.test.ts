/**
 * ONNX in and out: graphs written here (each op alone, a Conv followed by BatchNormalization, Gemm with transB 0
 * and 1, MatMul + Add, a padded strided Conv, a symbolic batch dimension) imported, and the project's float path
 * compared with the ONNX Runtime (onnxruntime-web) on the same file; the zoo exported and read back (the same
 * quantized model, so the same circuit and outputs); errors that name the node or the byte; prove-model on an
 * imported model and an input in EZKL's format.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { argmax, forwardFloat, ModelFile } from "../src/model/format";
import { exportOnnx } from "../src/model/onnx/export";
import { loadOnnxModel, onnxToModel, SUPPORTED_OPS } from "../src/model/onnx/import";
import { OnnxNode, OnnxTensor } from "../src/model/onnx/proto";
import { heldOutInterleaved } from "../src/model/mnist";
import { resolveModel } from "../src/model/zoo";
import { runIR } from "../src/ir/ir";
import { quantizeFor, quantizeInput } from "../src/quantize/quantize";
import { constraintCount } from "../src/statement/cost";
import { inspectModel, inspectOnnx } from "../src/pipeline/inspect";
import { encode, floatAttr, int64Tensor, intAttr, intsAttr, onnxGraph, runOrt, tensor, values } from "./helpers/onnx";
import { ROOT, tmpDir } from "./helpers/circuit";

const CLI = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");

/** Import `bytes` (written to a file, as a user has it), run both, and return the largest difference. */
async function compareWithOrt(bytes: Uint8Array, dir: string, name: string): Promise<{ model: ModelFile; diff: number }> {
  const file = path.join(dir, `${name}.onnx`);
  fs.writeFileSync(file, bytes);
  const model = loadOnnxModel(file);
  const n = model.input.shape.reduce((a, b) => a * b, 1);
  let diff = 0;
  for (const seed of [1, 2, 3]) {
    const x = values(n, seed * 101).map((v) => (v + 1) / 2);
    const ours = forwardFloat(model, Float32Array.from(x)).data;
    const theirs = await runOrt(bytes, x, [1, ...model.input.shape]);
    expect(theirs.length, name).to.equal(ours.length);
    for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(ours[i] - theirs[i]) / Math.max(1, Math.abs(theirs[i])));
  }
  return { model, diff };
}

const conv = (name: string, x: string, y: string, f: number, c: number, k: number, attrs: OnnxNode["attribute"] = [], seed = 1): { node: OnnxNode; init: OnnxTensor[] } => ({
  node: { name, opType: "Conv", input: [x, `${name}.w`, `${name}.b`], output: [y], attribute: [intsAttr("kernel_shape", [k, k]), ...attrs] },
  init: [tensor(`${name}.w`, [f, c, k, k], values(f * c * k * k, seed)), tensor(`${name}.b`, [f], values(f, seed + 7))],
});
const bn = (name: string, x: string, y: string, c: number, seed = 3): { node: OnnxNode; init: OnnxTensor[] } => ({
  node: { name, opType: "BatchNormalization", input: [x, `${name}.s`, `${name}.b`, `${name}.m`, `${name}.v`], output: [y], attribute: [floatAttr("epsilon", 1e-3)] },
  init: [tensor(`${name}.s`, [c], values(c, seed)), tensor(`${name}.b`, [c], values(c, seed + 1)), tensor(`${name}.m`, [c], values(c, seed + 2)), tensor(`${name}.v`, [c], values(c, seed + 3).map((v) => 0.5 + Math.abs(v)))],
});

/** Each case: a graph on a [1, 2, 6, 6] image or a [1, 12] vector, the ops it exercises, and its output dims. */
const CASES: { name: string; ops: string[]; build: () => Parameters<typeof onnxGraph>[0] }[] = [
  {
    // issue 29's fifth batch: activations by table lookup (opset 20 for Gelu)
    name: "gemm-sigmoid-tanh-exp-erf-gelu",
    ops: ["Gemm", "Sigmoid", "Tanh", "Exp", "Erf", "Gelu"],
    build: () => ({
      input: [1, 6],
      output: [1, 6],
      opset: 20,
      nodes: [
        { name: "g", opType: "Gemm", input: ["input", "W"], output: ["a"], attribute: [intAttr("transB", 1)] },
        { name: "sig", opType: "Sigmoid", input: ["a"], output: ["b"] },
        { name: "tanh", opType: "Tanh", input: ["b"], output: ["c"] },
        { name: "exp", opType: "Exp", input: ["c"], output: ["d"] },
        { name: "erf", opType: "Erf", input: ["d"], output: ["e"] },
        { name: "gelu", opType: "Gelu", input: ["e"], output: ["output"] },
      ],
      init: [tensor("W", [6, 6], values(36, 7))],
    }),
  },
  {
    name: "gemm-transB1-alpha-beta",
    ops: ["Gemm"],
    build: () => ({ input: [1, 12], output: [1, 5], nodes: [{ name: "g", opType: "Gemm", input: ["input", "W", "C"], output: ["output"], attribute: [intAttr("transB", 1), floatAttr("alpha", 0.5), floatAttr("beta", 2)] }], init: [tensor("W", [5, 12], values(60, 1)), tensor("C", [5], values(5, 2))] }),
  },
  {
    name: "gemm-transB0",
    ops: ["Gemm"],
    build: () => ({ input: [1, 12], output: [1, 5], nodes: [{ name: "g", opType: "Gemm", input: ["input", "W", "C"], output: ["output"] }], init: [tensor("W", [12, 5], values(60, 3)), tensor("C", [1, 5], values(5, 4))] }),
  },
  {
    name: "matmul-add-relu-identity-dropout",
    ops: ["MatMul", "Add", "Relu", "Identity", "Dropout"],
    build: () => ({
      input: ["batch", 12],
      output: ["batch", 4],
      nodes: [
        { name: "mm", opType: "MatMul", input: ["input", "W"], output: ["a"] },
        { name: "add", opType: "Add", input: ["a", "B"], output: ["b"] },
        { name: "id", opType: "Identity", input: ["b"], output: ["c"] },
        { name: "relu", opType: "Relu", input: ["c"], output: ["d"] },
        { name: "drop", opType: "Dropout", input: ["d"], output: ["e"] },
        { name: "mm2", opType: "MatMul", input: ["e", "W2"], output: ["output"] },
      ],
      init: [tensor("W", [12, 8], values(96, 5)), tensor("B", [8], values(8, 6)), tensor("W2", [8, 4], values(32, 7))],
    }),
  },
  {
    name: "conv-padded-strided-bn-folded",
    ops: ["Conv", "BatchNormalization"],
    build: () => {
      const c = conv("c", "input", "a", 3, 2, 3, [intsAttr("pads", [1, 1, 1, 1]), intsAttr("strides", [2, 2])]);
      const b = bn("bn", "a", "b", 3);
      return { input: [1, 2, 6, 6], output: [1, 27], nodes: [c.node, b.node, { name: "flat", opType: "Flatten", input: ["b"], output: ["output"], attribute: [intAttr("axis", 1)] }], init: [...c.init, ...b.init] };
    },
  },
  {
    name: "standalone-bn-maxpool-avgpool-reshape",
    ops: ["Conv", "Relu", "BatchNormalization", "MaxPool", "AveragePool", "Reshape", "Constant"],
    build: () => {
      const c = conv("c", "input", "a", 4, 2, 1, [], 9);
      const b = bn("bn", "r", "b", 4, 11);
      return {
        input: [1, 2, 6, 6],
        output: [1, 4],
        nodes: [
          c.node,
          { name: "relu", opType: "Relu", input: ["a"], output: ["r"] },
          b.node,
          { name: "mp", opType: "MaxPool", input: ["b"], output: ["m"], attribute: [intsAttr("kernel_shape", [2, 2]), intsAttr("strides", [2, 2])] },
          { name: "ap", opType: "AveragePool", input: ["m"], output: ["p"], attribute: [intsAttr("kernel_shape", [3, 3]), intsAttr("strides", [3, 3])] },
          { name: "shape", opType: "Constant", input: [], output: ["s"], attribute: [{ name: "value", type: 4, t: int64Tensor("", [1, -1]) }] },
          { name: "reshape", opType: "Reshape", input: ["p", "s"], output: ["output"] },
        ],
        init: [...c.init, ...b.init],
      };
    },
  },
  {
    name: "residual-block",
    ops: ["Conv", "Relu", "BatchNormalization", "Add", "GlobalAveragePool", "Flatten", "Gemm"],
    build: () => {
      // ResNet's basic block: conv -> relu -> conv -> bn, plus the block's input (here the first relu's output)
      const c0 = conv("c0", "input", "a", 2, 2, 3, [intsAttr("pads", [1, 1, 1, 1])], 21);
      const c1 = conv("c1", "r0", "b", 2, 2, 3, [intsAttr("pads", [1, 1, 1, 1])], 23);
      const c2 = conv("c2", "r1", "c", 2, 2, 3, [intsAttr("pads", [1, 1, 1, 1])], 25);
      const b = bn("bn", "c", "d", 2, 27);
      return {
        input: [1, 2, 5, 5],
        output: [1, 3],
        nodes: [
          c0.node,
          { name: "relu0", opType: "Relu", input: ["a"], output: ["r0"] },
          c1.node,
          { name: "relu1", opType: "Relu", input: ["b"], output: ["r1"] },
          c2.node,
          b.node,
          { name: "skip", opType: "Add", input: ["d", "r0"], output: ["e"] },
          { name: "relu2", opType: "Relu", input: ["e"], output: ["f"] },
          { name: "gap", opType: "GlobalAveragePool", input: ["f"], output: ["g"] },
          { name: "flat", opType: "Flatten", input: ["g"], output: ["h"] },
          { name: "fc", opType: "Gemm", input: ["h", "W", "C"], output: ["output"], attribute: [intAttr("transB", 1)] },
        ],
        init: [...c0.init, ...c1.init, ...c2.init, ...b.init, tensor("W", [3, 2], values(6, 29)), tensor("C", [3], values(3, 30))],
      };
    },
  },
  {
    name: "global-average-pool-gemm",
    ops: ["Conv", "GlobalAveragePool", "Flatten", "Gemm"],
    build: () => {
      const c = conv("c", "input", "a", 3, 2, 3, [], 13);
      return {
        input: [1, 2, 6, 6],
        output: [1, 2],
        nodes: [
          c.node,
          { name: "gap", opType: "GlobalAveragePool", input: ["a"], output: ["g"] },
          { name: "flat", opType: "Flatten", input: ["g"], output: ["f"] },
          { name: "fc", opType: "Gemm", input: ["f", "W", "C"], output: ["output"], attribute: [intAttr("transB", 1)] },
        ],
        init: [...c.init, tensor("W", [2, 3], values(6, 14)), tensor("C", [2], values(2, 15))],
      };
    },
  },
];

const scalar = (name: string, v: number) => tensor(name, [], [v]);
CASES.push(
  {
    name: "relu6-leaky-hardsigmoid-arith",
    ops: ["Gemm", "Clip", "LeakyRelu", "HardSigmoid", "Mul", "Sub", "Div", "Add"],
    build: () => ({
      input: [1, 12],
      output: [1, 5],
      nodes: [
        { name: "g", opType: "Gemm", input: ["input", "W", "C"], output: ["a"], attribute: [intAttr("transB", 1)] },
        { name: "relu6", opType: "Clip", input: ["a", "zero", "six"], output: ["b"] },
        { name: "leaky", opType: "LeakyRelu", input: ["b"], output: ["c"], attribute: [floatAttr("alpha", 0.05)] },
        { name: "mul", opType: "Mul", input: ["three", "c"], output: ["d"] },
        { name: "sub", opType: "Sub", input: ["one", "d"], output: ["e"] },
        { name: "div", opType: "Div", input: ["e", "two"], output: ["f"] },
        { name: "add", opType: "Add", input: ["f", "bias"], output: ["h"] },
        { name: "hsig", opType: "HardSigmoid", input: ["h"], output: ["output"], attribute: [floatAttr("alpha", 1 / 6), floatAttr("beta", 0.5)] },
      ],
      init: [tensor("W", [5, 12], values(60, 41)), tensor("C", [5], values(5, 42)), scalar("zero", 0), scalar("six", 6), scalar("three", 3), scalar("one", 1), scalar("two", 2), tensor("bias", [5], values(5, 43))],
    }),
  },
  {
    name: "view-squeeze-unsqueeze-shape-chain",
    ops: ["Conv", "GlobalAveragePool", "Squeeze", "Unsqueeze", "Shape", "Gather", "Concat", "Cast", "Reshape", "Gemm"],
    build: () => {
      const c = conv("c", "input", "a", 3, 2, 3, [], 44);
      return {
        input: ["batch", 2, 5, 5],
        output: ["batch", 2],
        nodes: [
          c.node,
          { name: "gap", opType: "GlobalAveragePool", input: ["a"], output: ["g"] },
          { name: "squeeze", opType: "Squeeze", input: ["g", "axes23"], output: ["sq"] },
          { name: "unsqueeze", opType: "Unsqueeze", input: ["sq", "axes0"], output: ["us"] },
          { name: "shape", opType: "Shape", input: ["us"], output: ["s"] },
          { name: "gather", opType: "Gather", input: ["s", "idx"], output: ["s0"], attribute: [intAttr("axis", 0)] },
          { name: "unsq", opType: "Unsqueeze", input: ["s0", "axes0"], output: ["s1"] },
          { name: "concat", opType: "Concat", input: ["s1", "minus1"], output: ["s2"], attribute: [intAttr("axis", 0)] },
          { name: "cast", opType: "Cast", input: ["s2"], output: ["s3"], attribute: [intAttr("to", 7)] },
          { name: "view", opType: "Reshape", input: ["us", "s3"], output: ["v"] },
          { name: "fc", opType: "Gemm", input: ["v", "W", "C"], output: ["output"], attribute: [intAttr("transB", 1)] },
        ],
        init: [...c.init, int64Tensor("axes23", [2, 3]), int64Tensor("axes0", [0]), { ...int64Tensor("idx", [1]), dims: [] }, int64Tensor("minus1", [-1]), tensor("W", [2, 3], values(6, 45)), tensor("C", [2], values(2, 46))],
      };
    },
  },
  {
    // a projection shortcut (a second branch from the first Linear's output, added back), torch.cat of two branches on the
    // channels, x.permute(0, 2, 3, 1), x.reshape(1, 6, 4) (issue 29's second batch)
    name: "branches-cat-permute-reshape",
    ops: ["Conv", "Relu", "Concat", "Transpose", "Reshape", "Gemm", "Add"],
    build: () => {
      const c1 = conv("c1", "input", "a", 3, 2, 3, [intsAttr("pads", [1, 1, 1, 1])], 51);
      const c2 = conv("c2", "input", "b", 3, 2, 1, [], 52);
      return {
        input: [1, 2, 2, 4],
        output: [1, 4],
        nodes: [
          c1.node,
          { name: "r1", opType: "Relu", input: ["a"], output: ["ra"] },
          c2.node,
          { name: "cat", opType: "Concat", input: ["ra", "b"], output: ["c"], attribute: [intAttr("axis", 1)] },
          { name: "permute", opType: "Transpose", input: ["c"], output: ["d"], attribute: [intsAttr("perm", [0, 2, 3, 1])] },
          { name: "reshape", opType: "Reshape", input: ["d", "shp"], output: ["e"] },
          { name: "flat", opType: "Flatten", input: ["e"], output: ["f"], attribute: [intAttr("axis", 1)] },
          { name: "fc", opType: "Gemm", input: ["f", "W", "C"], output: ["g"], attribute: [intAttr("transB", 1)] },
          { name: "relu", opType: "Relu", input: ["g"], output: ["h"] },
          { name: "proj", opType: "Gemm", input: ["g", "W2", "C2"], output: ["p"], attribute: [intAttr("transB", 1)] },
          { name: "res", opType: "Add", input: ["h", "p"], output: ["output"] },
        ],
        init: [...c1.init, ...c2.init, int64Tensor("shp", [1, 6, 8]), tensor("W", [4, 48], values(192, 53)), tensor("C", [4], values(4, 54)), tensor("W2", [4, 4], values(16, 55)), tensor("C2", [4], values(4, 56))],
      };
    },
  },
  {
    // issue 29's third batch (opset 14): nn.Hardswish, then two heads subtracted (x - y) and multiplied (x * y)
    name: "gemm-hardswish-sub-mul",
    ops: ["Gemm", "HardSwish", "Sub", "Mul"],
    build: () => ({
      input: [1, 12],
      output: [1, 5],
      opset: 14,
      nodes: [
        { name: "fc", opType: "Gemm", input: ["input", "W", "C"], output: ["a"], attribute: [intAttr("transB", 1)] },
        { name: "hsw", opType: "HardSwish", input: ["a"], output: ["b"] },
        { name: "h1", opType: "Gemm", input: ["b", "W1", "C1"], output: ["c"], attribute: [intAttr("transB", 1)] },
        { name: "h2", opType: "Gemm", input: ["b", "W2", "C2"], output: ["d"], attribute: [intAttr("transB", 1)] },
        { name: "sub", opType: "Sub", input: ["c", "d"], output: ["e"] },
        { name: "mul", opType: "Mul", input: ["e", "b"], output: ["output"] },
      ],
      init: [tensor("W", [5, 12], values(60, 61)), tensor("C", [5], values(5, 62)), tensor("W1", [5, 5], values(25, 63)), tensor("C1", [5], values(5, 64)), tensor("W2", [5, 5], values(25, 65)), tensor("C2", [5], values(5, 66))],
    }),
  },
  {
    // issue 29's fourth batch: nn.ZeroPad2d(1) before a Conv (folded into its padding), F.pad(x, (0, 1, 2, 0)) before a
    // MaxPool (a gather with zeros: a Pad's zeros may win a max)
    name: "pad-conv-pad-maxpool",
    ops: ["Pad", "Conv", "MaxPool"],
    build: () => ({
      input: [1, 2, 4, 4],
      output: [1, 3, 3, 2],
      nodes: [
        { name: "pad1", opType: "Pad", input: ["input", "p1"], output: ["a"] },
        conv("c", "a", "b", 3, 2, 3, [], 71).node,
        { name: "pad2", opType: "Pad", input: ["b", "p2", "zero"], output: ["d"] },
        { name: "pool", opType: "MaxPool", input: ["d"], output: ["output"], attribute: [intsAttr("kernel_shape", [2, 2]), intsAttr("strides", [2, 2])] },
      ],
      init: [int64Tensor("p1", [0, 0, 1, 1, 0, 0, 1, 1]), ...conv("c", "a", "b", 3, 2, 3, [], 71).init, int64Tensor("p2", [0, 0, 2, 0, 0, 0, 0, 1]), tensor("zero", [], [0])],
    }),
  },
  {
    // issue 29's fourth batch: x[:, 1:, ::2, 1:-1] of a conv's output (a gather), no axes or steps given on the second
    name: "conv-slice-slice",
    ops: ["Conv", "Slice"],
    build: () => ({
      input: [1, 2, 5, 5],
      output: [1, 1, 3, 1],
      nodes: [
        conv("c", "input", "a", 3, 2, 3, [intsAttr("pads", [1, 1, 1, 1])], 81).node,
        { name: "s1", opType: "Slice", input: ["a", "st", "en", "ax", "sp"], output: ["b"] },
        { name: "s2", opType: "Slice", input: ["b", "st2", "en2"], output: ["output"] },
      ],
      init: [...conv("c", "input", "a", 3, 2, 3, [], 81).init, int64Tensor("st", [1, 0, 1]), int64Tensor("en", [1000, 1000, -1]), int64Tensor("ax", [1, 2, 3]), int64Tensor("sp", [1, 2, 1]), int64Tensor("st2", [0, 1, 0, 0]), int64Tensor("en2", [1, 2, 3, 1])],
    }),
  },
  {
    // issue 29's fourth batch: a depthwise conv (nn.Conv2d(4, 4, 3, padding=1, groups=4)), then a grouped one (groups=2, 4 -> 6)
    name: "conv-depthwise-grouped",
    ops: ["Conv"],
    build: () => ({
      input: [1, 4, 5, 5],
      output: [1, 6, 3, 3],
      nodes: [
        { name: "dw", opType: "Conv", input: ["input", "dw.w", "dw.b"], output: ["a"], attribute: [intsAttr("kernel_shape", [3, 3]), intsAttr("pads", [1, 1, 1, 1]), intAttr("group", 4)] },
        { name: "gc", opType: "Conv", input: ["a", "gc.w", "gc.b"], output: ["output"], attribute: [intsAttr("kernel_shape", [3, 3]), intsAttr("strides", [2, 2]), intsAttr("pads", [1, 1, 1, 1]), intAttr("group", 2)] },
      ],
      init: [tensor("dw.w", [4, 1, 3, 3], values(36, 91)), tensor("dw.b", [4], values(4, 92)), tensor("gc.w", [6, 2, 3, 3], values(108, 93)), tensor("gc.b", [6], values(6, 94))],
    }),
  },
);
/** Three kinds of unsupported op (Elu, Selu twice, a Concat of a constant and an activation, a Softmax) among supported ones. */
const UNSUPPORTED: Parameters<typeof onnxGraph>[0] = {
  input: [1, 4],
  output: [1, 2],
  nodes: [
    { name: "fc", opType: "Gemm", input: ["input", "W"], output: ["a"], attribute: [intAttr("transB", 1)] },
    { name: "elu", opType: "Elu", input: ["a"], output: ["b"] },
    { name: "selu1", opType: "Selu", input: ["b"], output: ["c"] },
    { name: "selu2", opType: "Selu", input: ["c"], output: ["d"] },
    { name: "fc1", opType: "Gemm", input: ["d", "W"], output: ["e"], attribute: [intAttr("transB", 1)] },
    { name: "fc2", opType: "Gemm", input: ["d", "W"], output: ["f"], attribute: [intAttr("transB", 1)] },
    { name: "cat", opType: "Concat", input: ["e", "pad"], output: ["g"], attribute: [intAttr("axis", 1)] },
    { name: "softmax", opType: "Softmax", input: ["g"], output: ["h"], attribute: [intAttr("axis", 1)] },
    { name: "fc3", opType: "Gemm", input: ["h", "W3"], output: ["output"], attribute: [intAttr("transB", 1)] },
  ],
  init: [tensor("W", [4, 4], values(16, 1)), scalar("zero", 0), scalar("six", 6), tensor("W3", [2, 8], values(16, 2)), tensor("pad", [1, 4], values(4, 3))],
};
/** LayerNorm as torch exports it before opset 17, a Linear, then GELU's erf form. */
const TRANSFORMERISH: Parameters<typeof onnxGraph>[0] = {
  input: [1, 8],
  output: [1, 8],
  nodes: [
    { name: "ln.mean", opType: "ReduceMean", input: ["input"], output: ["m"], attribute: [intsAttr("axes", [-1])] },
    { name: "ln.sub", opType: "Sub", input: ["input", "m"], output: ["d"] },
    { name: "ln.pow", opType: "Pow", input: ["d", "two"], output: ["d2"] },
    { name: "ln.var", opType: "ReduceMean", input: ["d2"], output: ["v"], attribute: [intsAttr("axes", [-1])] },
    { name: "ln.eps", opType: "Add", input: ["v", "eps"], output: ["ve"] },
    { name: "ln.sqrt", opType: "Sqrt", input: ["ve"], output: ["sd"] },
    { name: "ln.div", opType: "Div", input: ["d", "sd"], output: ["n"] },
    { name: "ln.gamma", opType: "Mul", input: ["n", "gamma"], output: ["ng"] },
    { name: "ln.beta", opType: "Add", input: ["ng", "beta"], output: ["x1"] },
    { name: "fc", opType: "Gemm", input: ["x1", "W"], output: ["h"], attribute: [intAttr("transB", 1)] },
    { name: "gelu.div", opType: "Div", input: ["h", "sqrt2"], output: ["g1"] },
    { name: "gelu.erf", opType: "Erf", input: ["g1"], output: ["g2"] },
    { name: "gelu.add", opType: "Add", input: ["g2", "one"], output: ["g3"] },
    { name: "gelu.mul", opType: "Mul", input: ["h", "g3"], output: ["g4"] },
    { name: "gelu.half", opType: "Mul", input: ["g4", "half"], output: ["output"] },
  ],
  init: [scalar("two", 2), scalar("eps", 1e-5), tensor("gamma", [8], values(8, 3)), tensor("beta", [8], values(8, 4)), tensor("W", [8, 8], values(64, 5)), scalar("sqrt2", Math.SQRT2), scalar("one", 1), scalar("half", 0.5)],
};
/** A padded MaxPool, then x.view(x.size(0), -1) with a dynamic batch: Shape/Gather/Unsqueeze/Concat feeding a Reshape. */
const VIEW: Parameters<typeof onnxGraph>[0] = {
  input: ["batch", 2, 4, 4],
  output: ["batch", 27],
  nodes: [
    conv("c", "input", "a", 3, 2, 3, [intsAttr("pads", [1, 1, 1, 1])]).node,
    { name: "pool", opType: "MaxPool", input: ["a"], output: ["p"], attribute: [intsAttr("kernel_shape", [2, 2]), intsAttr("strides", [2, 2]), intsAttr("pads", [1, 1, 1, 1])] },
    { name: "shape", opType: "Shape", input: ["p"], output: ["s"] },
    { name: "gather", opType: "Gather", input: ["s", "idx"], output: ["s0"], attribute: [intAttr("axis", 0)] },
    { name: "unsqueeze", opType: "Unsqueeze", input: ["s0", "axes"], output: ["s1"] },
    { name: "concat", opType: "Concat", input: ["s1", "minus1"], output: ["s2"], attribute: [intAttr("axis", 0)] },
    { name: "view", opType: "Reshape", input: ["p", "s2"], output: ["output"] },
  ],
  init: [...conv("c", "input", "a", 3, 2, 3).init, int64Tensor("idx", [0]), int64Tensor("axes", [0]), int64Tensor("minus1", [-1])],
};

describe("ONNX import: each op against the ONNX Runtime", function () {
  this.timeout(120_000);
  const dir = tmpDir("onnx");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the cases cover every supported op", () => {
    expect(new Set(CASES.flatMap((c) => c.ops))).to.deep.equal(new Set(SUPPORTED_OPS));
  });

  for (const c of CASES)
    it(`${c.name} (${c.ops.join(", ")}): the float path equals onnxruntime's within 1e-5`, async () => {
      const { model, diff } = await compareWithOrt(encode(onnxGraph(c.build())), dir, c.name);
      expect(diff, c.name).to.be.below(1e-5);
      expect(model.layers.length).to.be.above(0);
    });

  it("a residual block imports as an add layer reading the first ReLU's output; the BatchNormalization folds into the conv before it", () => {
    const m = onnxToModel(onnxGraph(CASES.find((c) => c.name === "residual-block")!.build()), "res.onnx");
    expect(m.layers.map((l) => (l.type === "add" ? `add(${l.from})` : l.type))).to.deep.equal(["conv2d", "relu", "conv2d", "relu", "conv2d", "add(1)", "relu", "avgpool2d", "flatten", "dense"]);
  });

  it("export-model writes an add as ONNX's Add: onnxruntime runs the exported residual model as the float path does, and it reads back the same", async () => {
    const m = onnxToModel(onnxGraph(CASES.find((c) => c.name === "residual-block")!.build()), "res.onnx");
    const { model, diff } = await compareWithOrt(exportOnnx(m), dir, "residual-exported");
    expect(diff).to.be.below(1e-5);
    expect(model.layers.map((l) => l.type)).to.deep.equal(m.layers.map((l) => l.type));
  });

  it("BatchNormalization after a Conv is folded into it (no layer of its own), and said so; after a Relu it is a layer", () => {
    const folded = onnxToModel(onnxGraph(CASES.find((c) => c.name === "conv-padded-strided-bn-folded")!.build()), "folded.onnx");
    expect(folded.layers.map((l) => l.type)).to.deep.equal(["conv2d", "flatten"]);
    expect((folded.provenance.importNotes as string[]).join("\n")).to.match(/node 1 \("bn", BatchNormalization\) folded into layers\[0\] \(conv2d\)/);
    const standalone = onnxToModel(onnxGraph(CASES.find((c) => c.name === "standalone-bn-maxpool-avgpool-reshape")!.build()), "standalone.onnx");
    expect(standalone.layers.map((l) => l.type)).to.deep.equal(["conv2d", "relu", "conv2d", "maxpool2d", "avgpool2d", "flatten"]);
  });
});

describe("ONNX: the zoo exported and read back", function () {
  this.timeout(300_000);
  const dir = tmpDir("onnx-zoo");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const name of ["lenet5", "mlp-mnist"])
    it(`${name}: onnxruntime agrees with the float path; re-imported, the same quantized model: the same constraints and outputs on 50 digits`, async () => {
      const m = resolveModel(name);
      const r = spawnSync("node", [CLI, "export-model", "--model", name, "--out", path.join(dir, `${name}.onnx`)], { cwd: ROOT, encoding: "utf8" });
      expect(r.status, r.stderr).to.equal(0);
      const bytes = fs.readFileSync(path.join(dir, `${name}.onnx`));
      const back = loadOnnxModel(path.join(dir, `${name}.onnx`));
      expect(back.input).to.deep.equal(m.input); // the declared range travels in the metadata
      const qa = quantizeFor(m);
      const qb = quantizeFor(back);
      // weights pass through float32 in the file; the quantized weights, shifts and widths come out the same
      expect(qb.ops).to.deep.equal(qa.ops);
      expect(constraintCount(qb).total).to.equal(constraintCount(qa).total);
      let maxDiff = 0;
      let agree = 0;
      let maxQuantErr = 0;
      const digits = heldOutInterleaved(50);
      for (const s of digits) {
        const yq = runIR(qb, quantizeInput(qb, s.pixels, "digit")).output;
        expect(yq).to.deep.equal(runIR(qa, quantizeInput(qa, s.pixels, "digit")).output);
        const ours = forwardFloat(back, s.pixels).data;
        const theirs = await runOrt(bytes, s.pixels, [1, ...m.input.shape]);
        for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]) / Math.max(1, Math.abs(theirs[i])));
        // the quantized path against the runtime: the same class, and the dequantized outputs' largest error
        if (argmax(yq) === argmax(theirs)) agree++;
        yq.forEach((v, i) => (maxQuantErr = Math.max(maxQuantErr, Math.abs(Number(v) * qb.output.step - theirs[i]))));
      }
      expect(maxDiff).to.be.below(1e-5);
      expect(agree / digits.length).to.be.at.least(0.96);
      console.log(`      ${name}: float path vs onnxruntime max relative difference ${maxDiff.toExponential(2)}; quantized path: class agrees on ${agree}/${digits.length} digits, largest output error ${maxQuantErr.toFixed(3)}`);
    });

  it("an exported file is what exportOnnx gives (deterministic), and inspect-model reads it", () => {
    const m = resolveModel("mlp-mnist");
    expect(Buffer.from(exportOnnx(m)).equals(Buffer.from(exportOnnx(m)))).to.equal(true);
    const r = spawnSync("node", [CLI, "inspect-model", path.join(dir, "mlp-mnist.onnx"), "--json"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    const info = JSON.parse(r.stdout);
    expect(info.params).to.equal(44_530);
    // the default (the label, 26 limbs, the context), a hashed input, hashed weights, every value public
    expect(info.statements.map((s: { publicSignals: number }) => s.publicSignals)).to.deep.equal([28, 2, 28, 794]);
    // the per-layer MACs add up to the model's total (a padded convolution counts only its in-bounds taps)
    const lenet = inspectModel(resolveModel("lenet5"), quantizeFor(resolveModel("lenet5")), "lenet5");
    expect(lenet.layers.reduce((a, l) => a + l.macs, 0)).to.equal(lenet.macs);
  });
});

describe("ONNX: errors that say where", () => {
  const load = (m: Parameters<typeof onnxGraph>[0]) => () => onnxToModel(onnxGraph(m), "bad.onnx");
  const fc = (input: string, out: string): OnnxNode => ({ name: "fc", opType: "Gemm", input: [input, "W"], output: [out], attribute: [intAttr("transB", 1)] });

  it("a final Sigmoid (a sigmoid classifier) imports as a table layer (issue 29's fifth batch); an op the importer does not take is refused with the node, its op, the torch layer and a fix, then the supported list", () => {
    expect(load({ input: [1, 4], output: [1, 4], nodes: [fc("input", "a"), { name: "act", opType: "Sigmoid", input: ["a"], output: ["output"] }], init: [tensor("W", [4, 4], values(16, 1))] })().layers[1]).to.deep.equal({ type: "table", fn: "sigmoid", tensor: "a" });
    expect(load({ input: [1, 4], output: [1, 4], nodes: [fc("input", "a"), { name: "act", opType: "Elu", input: ["a"], output: ["output"] }], init: [tensor("W", [4, 4], values(16, 1))] })).to.throw(
      /bad\.onnx: 1 of 2 node\(s\) are not supported \(nothing was imported\):\n {2}- Elu: node act \(nn\.ELU\); fix: [^\n]*\n {2}the importer takes Gemm, MatMul, Add, Conv, BatchNormalization, Relu, MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape, Dropout, Identity, Constant/,
    );
  });
  it("three different unsupported ops (and a repeated one): one error lists them all, each with its own fix; identical ops are grouped", () => {
    let err: (Error & { code?: string; hint?: string }) | undefined;
    try {
      onnxToModel(onnxGraph(UNSUPPORTED), "mixed.onnx");
    } catch (e) {
      err = e as Error;
    }
    expect(err?.code).to.equal("MODEL_INVALID");
    const lines = err!.message.split("\n");
    expect(lines[0]).to.equal("mixed.onnx: 5 of 9 node(s) are not supported (nothing was imported):");
    expect(lines.filter((l) => l.startsWith("  - "))).to.have.length(4);
    expect(err!.message)
      .to.contain("- Elu: node elu (nn.ELU); fix: not supported yet (issue 29 adds activations by table lookup)")
      .and.to.contain("- Softmax: node softmax (nn.Softmax / F.softmax); fix: not supported yet")
      .and.to.contain("- Selu x2: nodes selu1, selu2 (nn.SELU); fix: ")
      .and.to.contain("- Concat: node cat (torch.cat: a Concat of a constant and computed tensors); fix: concatenate computed tensors (torch.cat of two branches is supported)");
    expect(err!.hint).to.equal("npx hardhat inspect-model mixed.onnx lists every node and which proof system takes it");
  });
  it("the patterns torch writes are named: LayerNorm (ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div), an asymmetrically padded MaxPool; x.view(x.size(0), -1) is computed at import, not refused", () => {
    expect(load(TRANSFORMERISH)).to.throw(
      /- LayerNorm \(nn\.LayerNorm, exported before opset 17\): nodes ln\.mean, ln\.sub, ln\.pow, ln\.var, ln\.eps, ln\.sqrt, ln\.div, ln\.gamma, ln\.beta \(ReduceMean\/Sub\/Pow\/ReduceMean\/Add\/Sqrt\/Div\/Mul\/Add\); fix: /,
    );
    // GELU's erf form (Div/Erf/Add/Mul/Mul) imports as one table since issue 29's fifth batch: none of its nodes is listed
    expect(load(TRANSFORMERISH)).to.throw().that.satisfies((e: Error) => !/gelu\./.test(e.message));
    // a padded MaxPool imports (issue 29's fourth batch); asymmetric pads do not
    expect(load(VIEW)().layers[1]).to.deep.equal({ type: "maxpool2d", pool: [2, 2], stride: [2, 2], padding: [1, 1] });
    const asymmetric = { ...VIEW, nodes: VIEW.nodes.map((n) => (n.name === "pool" ? { ...n, attribute: [...n.attribute!.slice(0, 2), intsAttr("pads", [0, 0, 1, 1])] } : n)) };
    expect(load(asymmetric)).to.throw(/^bad\.onnx: 1 of 7 node\(s\) are not supported/);
    expect(load(asymmetric)).to.throw(/- MaxPool: node pool \(nn\.MaxPool2d: pads \[0, 0, 1, 1\]: asymmetric padding\); fix: accepted: nn\.MaxPool2d\(kernel_size, stride, padding\) with padding below the kernel/);
  });
  it("a dynamic dimension other than the batch", () => {
    expect(load({ input: [1, "features"], output: [1, 4], nodes: [fc("input", "output")], init: [tensor("W", [4, 4], values(16, 1))] })).to.throw(/input "input" dimension 1 is dynamic \(features\): only the batch dimension may be/);
  });
  it("a missing initializer names the node and the tensor", () => {
    expect(load({ input: [1, 4], output: [1, 4], nodes: [fc("input", "output")] })).to.throw(/node 0 \("fc", Gemm\): its weight matrix "W" is neither an initializer nor a Constant/);
  });
  it("a graph that branches (a second path from one tensor, as a projection shortcut) imports as a gather back to that tensor and an add, with a note", () => {
    const nodes: OnnxNode[] = [fc("input", "a"), { name: "relu", opType: "Relu", input: ["a"], output: ["b"] }, { name: "fc2", opType: "Gemm", input: ["a", "W"], output: ["c"], attribute: [intAttr("transB", 1)] }, { name: "res", opType: "Add", input: ["b", "c"], output: ["output"] }];
    const m = onnxToModel(onnxGraph({ input: [1, 4], output: [1, 4], nodes, init: [tensor("W", [4, 4], values(16, 1))] }), "branch.onnx");
    expect(m.layers.map((l) => (l.type === "add" || l.type === "gather" ? `${l.type}(${l.from})` : l.type))).to.deep.equal(["dense", "relu", "gather(0)", "dense", "add(1)"]);
    expect((m.provenance.importNotes as string[]).join("\n")).to.match(/node 2 \("fc2", Gemm\) starts a branch from "a"/);
  });
  it("a truncated file names the byte where reading stopped", () => {
    const dir = tmpDir("onnx-bad");
    try {
      const bytes = exportOnnx(resolveModel("mlp-mnist"));
      const file = path.join(dir, "cut.onnx");
      fs.writeFileSync(file, bytes.subarray(0, 5000));
      expect(() => loadOnnxModel(file)).to.throw(/not a readable ONNX model: the protobuf stops making sense at byte \d+ of 5000 \(the file is truncated\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("an opset outside 11..21", () => {
    expect(load({ input: [1, 4], output: [1, 4], nodes: [fc("input", "output")], init: [tensor("W", [4, 4], values(16, 1))], opset: 9 })).to.throw(/opset 9: expected an ONNX opset from 11 to 21/);
  });
});

describe("inspect-model on an ONNX file: every node, and which proof system takes it", function () {
  this.timeout(120_000);
  const dir = tmpDir("onnx-inspect");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a model with unsupported nodes: every node listed, the unsupported ones marked with their fix, all of them in the summary (not only the first); the parameter count", () => {
    const file = path.join(dir, "mixed.onnx");
    fs.writeFileSync(file, encode(onnxGraph(UNSUPPORTED)));
    const json = spawnSync("node", [CLI, "inspect-model", file, "--json"], { cwd: ROOT, encoding: "utf8" });
    expect(json.status, json.stderr).to.equal(0);
    const info = JSON.parse(json.stdout);
    expect(info.nodes.map((n: { name: string }) => n.name)).to.deep.equal(UNSUPPORTED.nodes.map((n) => n.name));
    expect(info.nodes.filter((n: { systems: { groth16: boolean } }) => !n.systems.groth16).map((n: { name: string }) => n.name)).to.deep.equal(["elu", "selu1", "selu2", "cat", "softmax"]);
    expect(info.nodes[0]).to.deep.include({ op: "Gemm", outShape: [4], systems: { groth16: true, plonk: true, fflonk: true, sumcheck: true } });
    expect(info.params).to.equal(16 + 1 + 1 + 16 + 4);
    expect(info.unsupported).to.have.length(4);
    const text = spawnSync("node", [CLI, "inspect-model", file], { cwd: ROOT, encoding: "utf8" });
    expect(text.status, text.stderr).to.equal(0);
    expect(text.stdout).to.contain("ONNX nodes: 9, 5 not supported").and.to.contain("prove-model would refuse this model, for all of these at once:");
    expect(text.stdout).to.match(/ {3}1 {2}elu +Elu +4 +NO +NO +op Elu is not supported; likely nn\.ELU; fix: not supported yet/);
    expect(text.stdout).to.match(/ {3}8 {2}fc3 +Gemm +2 +yes +yes/);
  });

  it("a supported model: its nodes with their layers and shapes, and the sumcheck system's refusal of a max pool not after a ReLU; the layers and statements as for any model", () => {
    const g = onnxGraph(CASES.find((c) => c.name === "standalone-bn-maxpool-avgpool-reshape")!.build());
    const r = inspectOnnx(g, "pool.onnx", "pool.onnx");
    expect(r.unsupported).to.equal(undefined);
    expect(r.nodes!.map((n) => `${n.name}:${n.layer ?? "-"}:${n.outShape?.join("x") ?? "?"}:${n.systems.groth16 ? "y" : "n"}${n.systems.sumcheck ? "y" : "n"}`)).to.deep.equal([
      "c:0:4x6x6:yy",
      "relu:1:4x6x6:yy",
      "bn:2:4x6x6:yy",
      "mp:3:4x3x3:yn",
      "ap:4:4x1x1:yy",
      "shape:-:?:yy",
      "reshape:5:4:yy",
    ]);
    expect(r.nodes![3].note).to.match(/sumcheck: a max pool of a conv2d's output \(it takes a ReLU's output/);
    expect(r.statements.length).to.be.above(0);
    const res = inspectOnnx(onnxGraph(CASES.find((c) => c.name === "residual-block")!.build()), "res.onnx", "res.onnx");
    expect(res.nodes!.every((n) => n.systems.groth16 && n.systems.sumcheck)).to.equal(true); // the residual add reads a ReLU's output
  });
});

describe("prove-model --model <file>.onnx", function () {
  this.timeout(600_000);
  const dir = tmpDir("onnx-prove");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("proves and verifies an imported residual model; the circuit's output equals the reference interpreter's; an input in EZKL's format", () => {
    const g = CASES.find((c) => c.name === "residual-block")!.build();
    const file = path.join(dir, "small-resnet.onnx");
    fs.writeFileSync(file, encode(onnxGraph({ ...g, range: [0, 1] })));
    const input = path.join(dir, "input.json");
    fs.writeFileSync(input, JSON.stringify({ input_data: [values(50, 77).map((v) => (v + 1) / 2)] }));
    const r = spawnSync("node", [CLI, "prove-model", "--model", file, "--input-file", input, "--json"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(report).to.deep.include({ verified: true, matchesReference: true });
  });
});
