/**
 * Issue 29's fourth batch of ops, each end to end as the earlier batches (test/ops.test.ts): padded MaxPool and
 * AveragePool (ResNet's stem, count_include_pad 0 and 1), Pad (folded into the Conv or pool after it, else a gather with
 * zeros), Slice (a gather) and grouped and depthwise Conv. Graphs written as torch.onnx.export writes these layers; the
 * reference interpreter's output, dequantized, against the ONNX Runtime's within the quantization's error at 8 and 12
 * bits; the constraint formula against circom and the direct backend; each new signal and every private wire tampered
 * alone; the Solidity inference contract bit for bit; the sumcheck system's refusal naming groth16; a Groth16 proof.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { loadOnnxModel, sliceIndex } from "../src/model/onnx/import";
import { OnnxNode } from "../src/model/onnx/proto";
import { diagnoseNodes } from "../src/model/onnx/support";
import { forwardFloat, ModelFile } from "../src/model/format";
import { countMacs, dequantize, opPlan, QModel, QOp, runIR, sumPoolScale } from "../src/ir/ir";
import { quantize, quantizeInput } from "../src/quantize/quantize";
import { constraintCount } from "../src/statement/cost";
import { privateWeightsModel } from "../src/statement/widths";
import { OPEN_VISIBILITY, Visibility } from "../src/statement/visibility";
import { sumcheckArch } from "../src/systems/sumcheck/arch";
import { proveModel } from "../src/pipeline/prove";
import { encode, int64Tensor, intAttr, intsAttr, onnxGraph, tensor, values } from "./helpers/onnx";
import { ACCOUNT0, readSym, ROOT, tmpDir } from "./helpers/circuit";
import { bothBackends, convInit, convNode, expectEachChangeFails, expectEveryWireCaught, expectInferenceIsRunIR, expectOrtAgreement, gemm, gemmInit, loadGraph, OpsGraph, sampleInputs } from "./helpers/ops";

/** nn.MaxPool2d / nn.AvgPool2d(k, s, p) as torch exports them (AvgPool2d writes count_include_pad, 1 unless count_include_pad=False) */
const pool = (name: string, op: "MaxPool" | "AveragePool", x: string, y: string, k: number, s: number, p: number, countIncludePad?: 0 | 1): OnnxNode => ({
  name,
  opType: op,
  input: [x],
  output: [y],
  attribute: [intsAttr("kernel_shape", [k, k]), intsAttr("strides", [s, s]), intsAttr("pads", [p, p, p, p]), ...(countIncludePad === undefined ? [] : [intAttr("count_include_pad", countIncludePad)])],
});

/** The graphs: each a small model torch would export for the layers named. */
const GRAPHS: OpsGraph[] = [
  {
    // nn.Conv2d (no ReLU: signed values, so a padded position would win a max of negatives) -> nn.MaxPool2d(3, 2, 1) (ResNet's
    // stem) -> nn.AvgPool2d(3, 1, 1, count_include_pad=False) -> nn.AvgPool2d(2, 1, 1) -> nn.MaxPool2d(2, 2, 1) -> nn.Flatten -> nn.Linear
    name: "conv-maxpool-stem-avgpools-padded",
    ops: ["MaxPool", "AveragePool"],
    g: {
      input: [1, 2, 5, 5],
      output: [1, 3],
      nodes: [
        convNode("conv", "input", "a"),
        pool("stem", "MaxPool", "a", "b", 3, 2, 1),
        pool("avg0", "AveragePool", "b", "c", 3, 1, 1, 0),
        pool("avg1", "AveragePool", "c", "d", 2, 1, 1, 1),
        pool("max2", "MaxPool", "d", "e", 2, 2, 1),
        { name: "flatten", opType: "Flatten", input: ["e"], output: ["f"], attribute: [intAttr("axis", 1)] },
        gemm("fc", "f", "output"),
      ],
      init: [...convInit("conv", 3, 2, 601), ...gemmInit("fc", 3, 27, 603)],
    },
  },
  {
    // nn.ZeroPad2d(1) -> nn.Conv2d(2, 3, 3) (folded into the conv's padding); nn.ZeroPad2d(1) -> nn.AvgPool2d(3, 2) (folded: its
    // zeros count); F.pad(x, (0, 1, 1, 0)) -> nn.MaxPool2d(2) (a gather with zeros: they may win a max); F.pad(x, (1, 0, 0, 1)) ->
    // nn.Conv2d(3, 2, 2) (asymmetric: a gather with zeros); nn.Flatten -> nn.Linear
    name: "pads-folded-and-gathered",
    ops: ["Pad", "Conv", "AveragePool", "MaxPool"],
    g: {
      input: [1, 2, 5, 5],
      output: [1, 3],
      nodes: [
        { name: "pad1", opType: "Pad", input: ["input", "p1111"], output: ["a"] },
        { ...convNode("conv1", "a", "b"), attribute: [intsAttr("kernel_shape", [3, 3])] },
        { name: "pad2", opType: "Pad", input: ["b", "p1111"], output: ["c"] },
        { name: "avg", opType: "AveragePool", input: ["c"], output: ["d"], attribute: [intsAttr("kernel_shape", [3, 3]), intsAttr("strides", [2, 2])] },
        { name: "pad3", opType: "Pad", input: ["d", "pTopRight"], output: ["e"] },
        { name: "max", opType: "MaxPool", input: ["e"], output: ["f"], attribute: [intsAttr("kernel_shape", [2, 2]), intsAttr("strides", [2, 2])] },
        { name: "pad4", opType: "Pad", input: ["f", "pLeftBottom", "zero"], output: ["h"] },
        { name: "conv2", opType: "Conv", input: ["h", "conv2.w", "conv2.b"], output: ["i"], attribute: [intsAttr("kernel_shape", [2, 2])] },
        { name: "flatten", opType: "Flatten", input: ["i"], output: ["j"], attribute: [intAttr("axis", 1)] },
        gemm("fc", "j", "output"),
      ],
      init: [
        int64Tensor("p1111", [0, 0, 1, 1, 0, 0, 1, 1]),
        ...convInit("conv1", 3, 2, 611),
        int64Tensor("pTopRight", [0, 0, 1, 0, 0, 0, 0, 1]),
        int64Tensor("pLeftBottom", [0, 0, 0, 1, 0, 0, 1, 0]),
        tensor("zero", [], [0]),
        tensor("conv2.w", [2, 3, 2, 2], values(24, 613)),
        tensor("conv2.b", [2], values(2, 614)),
        ...gemmInit("fc", 3, 8, 615),
      ],
    },
  },
  {
    // nn.Conv2d -> ReLU -> x[:, :2, 1:5:2, ::2] (opset 13: starts, ends, axes and steps as inputs) -> its last axis reversed
    // (a step of -1) -> nn.Flatten -> nn.Linear -> ReLU -> x[:, 2:7] -> nn.Linear
    name: "slices",
    ops: ["Slice"],
    g: {
      input: [1, 2, 6, 6],
      output: [1, 3],
      nodes: [
        convNode("conv", "input", "a"),
        { name: "relu", opType: "Relu", input: ["a"], output: ["b"] },
        { name: "slice1", opType: "Slice", input: ["b", "s1.starts", "s1.ends", "s1.axes", "s1.steps"], output: ["c"] },
        { name: "flip", opType: "Slice", input: ["c", "s2.starts", "s2.ends", "s2.axes", "s2.steps"], output: ["d"] },
        { name: "flatten", opType: "Flatten", input: ["d"], output: ["e"], attribute: [intAttr("axis", 1)] },
        gemm("fc1", "e", "f"),
        { name: "relu2", opType: "Relu", input: ["f"], output: ["h"] },
        { name: "slice3", opType: "Slice", input: ["h", "s3.starts", "s3.ends", "s3.axes"], output: ["i"] },
        gemm("fc2", "i", "output"),
      ],
      init: [
        ...convInit("conv", 3, 2, 621),
        int64Tensor("s1.starts", [0, 1, 0]),
        int64Tensor("s1.ends", [2, 5, 1000]),
        int64Tensor("s1.axes", [1, 2, 3]),
        int64Tensor("s1.steps", [1, 2, 2]),
        int64Tensor("s2.starts", [-1]),
        int64Tensor("s2.ends", [-1000]),
        int64Tensor("s2.axes", [-1]),
        int64Tensor("s2.steps", [-1]),
        ...gemmInit("fc1", 8, 12, 623),
        int64Tensor("s3.starts", [2]),
        int64Tensor("s3.ends", [7]),
        int64Tensor("s3.axes", [1]),
        ...gemmInit("fc2", 3, 5, 625),
      ],
    },
  },
  {
    // a MobileNet block: nn.Conv2d(4, 4, 3, padding=1, groups=4) (depthwise) -> nn.BatchNorm2d (folded) -> nn.ReLU6 ->
    // nn.Conv2d(4, 6, 1) (pointwise) -> nn.Conv2d(6, 4, 3, stride=2, padding=1, groups=2) -> ReLU -> nn.Flatten -> nn.Linear
    name: "mobilenet-depthwise-grouped",
    ops: ["Conv", "BatchNormalization", "Clip"],
    g: {
      input: [1, 4, 6, 6],
      output: [1, 3],
      nodes: [
        { name: "dw", opType: "Conv", input: ["input", "dw.w", "dw.b"], output: ["a"], attribute: [intsAttr("kernel_shape", [3, 3]), intsAttr("pads", [1, 1, 1, 1]), intAttr("group", 4)] },
        { name: "bn", opType: "BatchNormalization", input: ["a", "bn.s", "bn.b", "bn.m", "bn.v"], output: ["b"] },
        { name: "relu6", opType: "Clip", input: ["b", "zero", "six"], output: ["c"] },
        { name: "pw", opType: "Conv", input: ["c", "pw.w", "pw.b"], output: ["d"], attribute: [intsAttr("kernel_shape", [1, 1])] },
        { name: "gc", opType: "Conv", input: ["d", "gc.w", "gc.b"], output: ["e"], attribute: [intsAttr("kernel_shape", [3, 3]), intsAttr("strides", [2, 2]), intsAttr("pads", [1, 1, 1, 1]), intAttr("group", 2)] },
        { name: "relu", opType: "Relu", input: ["e"], output: ["f"] },
        { name: "flatten", opType: "Flatten", input: ["f"], output: ["h"], attribute: [intAttr("axis", 1)] },
        gemm("fc", "h", "output"),
      ],
      init: [
        tensor("dw.w", [4, 1, 3, 3], values(36, 631)),
        tensor("dw.b", [4], values(4, 632)),
        tensor("bn.s", [4], values(4, 633).map((v) => 1 + v / 2)),
        tensor("bn.b", [4], values(4, 634)),
        tensor("bn.m", [4], values(4, 635)),
        tensor("bn.v", [4], values(4, 636).map((v) => 0.5 + Math.abs(v))),
        tensor("zero", [], [0]),
        tensor("six", [], [6]),
        tensor("pw.w", [6, 4, 1, 1], values(24, 637)),
        tensor("pw.b", [6], values(6, 638)),
        tensor("gc.w", [4, 3, 3, 3], values(108, 639)),
        tensor("gc.b", [4], values(4, 640)),
        ...gemmInit("fc", 3, 36, 641),
      ],
    },
  },
];


describe("issue 29 fourth batch: import, quantization and the reference interpreter against onnxruntime", function () {
  this.timeout(300_000);
  const dir = tmpDir("ops4");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const c of GRAPHS)
    it(`${c.name} (${c.ops.join(", ")}): every node accepted; the float path = onnxruntime within 1e-5; runIR, dequantized, within the quantization's error at 8 and 12 bits`, () => expectOrtAgreement(dir, c));

  it("the imported layers: the pools keep their padding; an AveragePool's count_include_pad as written (ONNX's default 0 when absent)", () => {
    const { model } = loadGraph(dir, GRAPHS[0]);
    expect(model.layers.slice(1, 5)).to.deep.equal([
      { type: "maxpool2d", pool: [3, 3], stride: [2, 2], padding: [1, 1] },
      { type: "avgpool2d", pool: [3, 3], stride: [1, 1], padding: [1, 1], countIncludePad: false },
      { type: "avgpool2d", pool: [2, 2], stride: [1, 1], padding: [1, 1], countIncludePad: true },
      { type: "maxpool2d", pool: [2, 2], stride: [2, 2], padding: [1, 1] },
    ]);
    const absent = GRAPHS[0].g.nodes.map((node) => (node.name === "avg0" ? { ...node, attribute: node.attribute!.slice(0, 3) } : node));
    const file = path.join(dir, "absent.onnx");
    fs.writeFileSync(file, encode(onnxGraph({ ...GRAPHS[0].g, nodes: absent, range: [0, 1] })));
    expect(loadOnnxModel(file).layers[2]).to.deep.include({ countIncludePad: false });
  });

  it("Pad: folded into the Conv's padding and into an AveragePool's (its zeros counted); before a MaxPool and asymmetric, a gather whose border reads -1 (a zero); what is not zero padding of an image is refused with its reason", () => {
    const { model } = loadGraph(dir, GRAPHS[1]);
    expect(model.layers.map((l) => l.type)).to.deep.equal(["conv2d", "avgpool2d", "gather", "maxpool2d", "gather", "conv2d", "flatten", "dense"]);
    expect(model.layers[0]).to.deep.include({ padding: [1, 1] });
    expect(model.layers[1]).to.deep.equal({ type: "avgpool2d", pool: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad: true });
    const g = model.layers[2] as Extract<ModelFile["layers"][number], { type: "gather" }>;
    expect(g.shape).to.deep.equal([3, 4, 4]);
    // row 0 and column 3 are the border; value (1, 0) of channel 0 is input (0, 0)
    expect(g.index!.slice(0, 8)).to.deep.equal([-1, -1, -1, -1, 0, 1, 2, -1]);
    expect((model.provenance.importNotes as string[]).filter((t) => /Pad\) folded into the padding/.test(t))).to.have.length(2);
    const refused = (pads: number[], extra: Partial<OnnxNode> = {}) =>
      diagnoseNodes(onnxGraph({ input: [1, 2, 4, 4], output: [1, 2, 6, 6], nodes: [{ name: "pad", opType: "Pad", input: ["input", "p"], output: ["output"], ...extra }], init: [int64Tensor("p", pads)] })).filter((v) => !v.supported).map((v) => v.reason);
    expect(refused([0, 1, 1, 1, 0, 0, 1, 1])).to.deep.equal(["pads [0, 1, 1, 1, 0, 0, 1, 1]: padding of the batch or the channels"]);
    expect(refused([0, 0, -1, 0, 0, 0, 0, 0])).to.deep.equal(["pads [0, 0, -1, 0, 0, 0, 0, 0]: a negative pad (a crop)"]);
    expect(refused([0, 0, 1, 1, 0, 0, 1, 1], { attribute: [{ name: "mode", type: 3, s: Buffer.from("reflect") }] })).to.deep.equal(["mode reflect (only constant: zeros)"]);
  });

  it("Slice: ONNX's clamping (negative starts and ends from the end, past-the-end ends, a negative step's own ranges); a slice of constants computed at import; computed bounds and an empty slice refused", () => {
    // [4] with start -3, end 1000: 1, 2, 3; step -2 from -1 to -1000: 3, 1; [2, 3] rows 1: and columns ::-1
    expect(sliceIndex([4], [-3], [1000])).to.deep.equal({ dims: [3], index: [1, 2, 3] });
    expect(sliceIndex([4], [-1], [-1000], [0], [-2])).to.deep.equal({ dims: [2], index: [3, 1] });
    expect(sliceIndex([2, 3], [1, -1], [2, -1000], undefined, [1, -1])).to.deep.equal({ dims: [1, 3], index: [5, 4, 3] });
    expect(sliceIndex([4], [3], [1])).to.equal("an empty slice of axis 0 (4 values, start 3, end 1, step 1)");
    // x.view(x.shape[0], -1) written with a Slice of the shape: computed at import
    const viaShape = onnxGraph({
      input: [1, 2, 2, 2],
      output: [1, 8],
      nodes: [
        { name: "shape", opType: "Shape", input: ["input"], output: ["s"] },
        { name: "batch", opType: "Slice", input: ["s", "zero", "one"], output: ["b"] },
        { name: "cat", opType: "Concat", input: ["b", "minus1"], output: ["t"], attribute: [intAttr("axis", 0)] },
        { name: "view", opType: "Reshape", input: ["input", "t"], output: ["output"] },
      ],
      init: [int64Tensor("zero", [0]), int64Tensor("one", [1]), int64Tensor("minus1", [-1])],
    });
    const file = path.join(dir, "slice-shape.onnx");
    fs.writeFileSync(file, encode(viaShape));
    expect(loadOnnxModel(file).layers.map((l) => l.type)).to.deep.equal(["flatten"]);
    const computed = onnxGraph({
      input: [1, 4],
      output: [1, 2],
      nodes: [
        { name: "shape", opType: "Shape", input: ["input"], output: ["s"] },
        { name: "relu", opType: "Relu", input: ["input"], output: ["r"] },
        { name: "slice", opType: "Slice", input: ["r", "zero", "r"], output: ["output"] },
      ],
      init: [int64Tensor("zero", [0])],
    });
    expect(diagnoseNodes(computed).filter((v) => !v.supported).map((v) => v.reason)).to.deep.equal(["a Slice whose starts, ends, axes or steps are computed at run time"]);
  });
});

type Pool<K extends "sumpool2d" | "maxpool2d"> = Extract<QOp, { op: K }>;

/** The stem graph's layers as a model file, on signed inputs: a padded max pool (ResNet's stem), both kinds of padded
 * average pool, and a padded max pool whose corner windows hold one value. */
function poolsModel(): { model: ModelFile; q: QModel; x: bigint[] } {
  const model: ModelFile = {
    format: "zkml-model/1",
    name: "pools-kat",
    input: { shape: [2, 5, 5], range: [-1, 1] },
    layers: [
      { type: "conv2d", filters: 3, kernel: [3, 3], padding: [1, 1], weights: [...Array(3)].map((_, f) => [...Array(2)].map((_, c) => [...Array(3)].map((_, y) => values(3, 700 + 9 * f + 3 * c + y)))), bias: values(3, 720) },
      { type: "maxpool2d", pool: [3, 3], stride: [2, 2], padding: [1, 1] },
      { type: "avgpool2d", pool: [3, 3], stride: [1, 1], padding: [1, 1], countIncludePad: false },
      { type: "avgpool2d", pool: [2, 2], stride: [1, 1], padding: [1, 1] },
      { type: "maxpool2d", pool: [2, 2], stride: [2, 2], padding: [1, 1] },
      { type: "flatten" },
      { type: "dense", units: 3, weights: [...Array(3)].map((_, o) => values(27, 730 + o)), bias: values(3, 740) },
    ],
    provenance: { source: "test" },
  };
  const cal = [...Array(16)].map((_, s) => values(50, 750 + s));
  const q = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: cal, saturate: "off" });
  return { model, q, x: quantizeInput(q, values(50, 17)) };
}

describe("issue 29 fourth batch (padded pools) in the Groth16 circuit: the formula, both backends, tampering, Solidity, a proof", function () {
  this.timeout(600_000);
  const { model, q, x } = poolsModel();

  it("the IR: padded pools, the exclusive one's multipliers L / n (L = 36 over 4, 6 and 9 taps); runIR is the in-bounds max and the scaled sum; the float model within the quantization's error", () => {
    expect(q.ops.map((o) => o.op)).to.deep.equal(["conv2d", "requant", "maxpool2d", "sumpool2d", "sumpool2d", "maxpool2d", "flatten", "dense"]);
    const [m1, s1, s2, m2] = [q.ops[2], q.ops[3], q.ops[4], q.ops[5]] as [Pool<"maxpool2d">, Pool<"sumpool2d">, Pool<"sumpool2d">, Pool<"maxpool2d">];
    expect(m1).to.deep.include({ padding: [1, 1] });
    expect(s1).to.deep.include({ padding: [1, 1], exclusive: true });
    expect(s2).to.deep.include({ padding: [1, 1] }).and.not.have.property("exclusive");
    const t = runIR(q, x).trace;
    // the in-bounds max: a window of negatives gives a negative (zero padding would have given 0)
    const p1 = opPlan(m1, [3, 5, 5]);
    t[3].forEach((v, o) => expect(v).to.equal(Array.from(p1.input.slice(o * p1.taps, o * p1.taps + p1.count[o]), (i) => t[2][i]).reduce((a, b) => (b > a ? b : a))));
    expect(t[3].some((v) => v < 0n), "a window of negative values only").to.equal(true);
    const sc = sumPoolScale(s1, [3, 3, 3]);
    expect(sc.divisor).to.equal(36);
    expect(sc.mul.slice(0, 9)).to.deep.equal([9, 6, 9, 6, 4, 6, 9, 6, 9]);
    const p2 = opPlan(s1, [3, 3, 3]);
    t[4].forEach((v, o) => expect(v).to.equal(BigInt(sc.mul[o]) * Array.from(p2.input.slice(o * p2.taps, o * p2.taps + p2.count[o]), (i) => t[3][i]).reduce((a, b) => a + b)));
    expect(sumPoolScale(s2, [3, 3, 3])).to.deep.include({ divisor: 4 });
    expect(Array.from(opPlan(m2, [3, 4, 4]).count.slice(0, 9))).to.deep.equal([1, 2, 1, 2, 4, 2, 1, 2, 1]);
    const fl = forwardFloat(model, values(50, 17)).data;
    const scale = Math.max(1, ...Array.from(fl, Math.abs));
    dequantize(q, runIR(q, x).output).forEach((v, i) => expect(Math.abs(v - fl[i]), `output ${i}: ${v} against ${fl[i]}`).to.be.below(0.08 * scale));
    const q12 = quantize(model, { inputBits: 12, weightBits: 12, activationBits: 12, calibration: [...Array(16)].map((_, s) => values(50, 750 + s)), saturate: "off" });
    dequantize(q12, runIR(q12, quantizeInput(q12, values(50, 17))).output).forEach((v, i) => expect(Math.abs(v - fl[i]), `12 bits, output ${i}: ${v} against ${fl[i]}`).to.be.below(0.006 * scale));
  });

  it("circom and the direct backend: constraints = the formula (a max pool (T - 1)(R + 2) an output of T in-bounds taps; a sum pool 1 an output; an output of one tap at multiplier 1 a copy, 0); every signal and wire tampered alone fails", async () => {
    const dir = tmpDir("pools-circom");
    try {
      const vis = OPEN_VISIBILITY;
      const count = constraintCount(q, vis);
      const rq = q.ops[1] as Extract<QOp, { op: "requant" }>, m1 = q.ops[2] as Pool<"maxpool2d">, m2 = q.ops[5] as Pool<"maxpool2d">;
      // the stem: per channel taps 4 6 4 / 6 9 6 / 4 6 4, so 40 steps; the last pool: 1 2 1 / 2 4 2 / 1 2 1, 7 steps (its
      // corners copies, which circom substitutes)
      expect(count.nonlinear).to.equal(75 * (rq.bits + 2) + 3 * 40 * (m1.bits + 2) + 3 * 7 * (m2.bits + 2));
      // the sum pools' 27 + 48 values but the second's 4 corners a channel (one tap at multiplier 1: copies), the dense's 3 outputs
      expect(count.linearOutputs).to.equal(27 + 48 - 3 * 4 + 3);
      const { compiled, r1csFile, d, wit, r1cs } = await bothBackends(q, x, vis, dir, count.total);
      const sym = readSym(compiled.sym);
      const targets: [string, boolean][] = [];
      const corner = (i: number) => [0, 2, 6, 8].includes(i % 9);
      for (let i = 0; i < 27; i++) targets.push([`main.model.mp2y[${i}]`, false], [`main.model.sp3[${i}]`, false], ...(corner(i) ? [] : [[`main.model.mp5y[${i}]`, false] as [string, boolean]]));
      for (let s = 0; s < 3 * 40; s++) targets.push([`main.model.mp2b[${s}][${m1.bits - 1}]`, true], [`main.model.mp2b[${s}][0]`, true]);
      for (let s = 0; s < 3 * 7; s++) targets.push([`main.model.mp5b[${s}][${m2.bits - 1}]`, true]);
      for (let i = 0; i < 48; i++) if (![0, 3, 12, 15].includes(i % 16)) targets.push([`main.model.sp4[${i}]`, false]);
      expectEachChangeFails(r1cs, wit, sym, targets);
      expectEveryWireCaught(r1csFile, d.witness!);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a padded pool as the model's last op, every output public: an output of one tap is bound to its public signal (1), formula = circom = direct", async () => {
    for (const last of [{ type: "maxpool2d", pool: [2, 2], stride: [2, 2], padding: [1, 1] }, { type: "avgpool2d", pool: [2, 2], stride: [1, 1], padding: [1, 1] }] as ModelFile["layers"]) {
      const m: ModelFile = { format: "zkml-model/1", name: "pool-last", input: { shape: [1, 4, 4], range: [-1, 1] }, layers: [last], provenance: { source: "test" } };
      const ql = quantize(m, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: [values(16, 3)], saturate: "off" });
      const count = constraintCount(ql, OPEN_VISIBILITY);
      // the four corners' copies (1 each) on top of the input's range checks, and the rest of the pool
      const p = opPlan(ql.ops[0] as Pool<"maxpool2d" | "sumpool2d">, [1, 4, 4]);
      const copies = Array.from(p.count).filter((t) => t === 1).length;
      expect(copies).to.equal(4);
      const rest = ql.ops[0].op === "maxpool2d" ? Array.from(p.count, (t) => Math.max(0, t - 1) * ((ql.ops[0] as Pool<"maxpool2d">).bits + 2)).reduce((a, b) => a + b, 0) : p.count.length - copies;
      expect(count.nonlinear + count.linearOutputs).to.equal(copies + rest);
      const ldir = tmpDir("pool-last");
      try {
        await bothBackends(ql, quantizeInput(ql, values(16, 5)), OPEN_VISIBILITY, ldir, count.total);
      } finally {
        fs.rmSync(ldir, { recursive: true, force: true });
      }
    }
  });

  it("the Solidity inference contract returns runIR's output bit for bit (padded max and sum pools, the exclusive one's multipliers), on three inputs", async () => {
    await expectInferenceIsRunIR(q, "PoolsInference", [x, quantizeInput(q, values(50, 18)), quantizeInput(q, values(50, 19))]);
  });

  it("the sumcheck system refuses a padded pool, naming the systems that prove it", () => {
    expect(() => sumcheckArch(q)).to.throw(/ops\[2\] maxpool2d: the sumcheck system does not take a padded pool \(padding 1x1\)/).that.satisfies((e: { code: string; hint: string }) => e.code === "IR_INVALID" && /--system groth16/.test(e.hint));
    const avgFirst = { ...q, ops: q.ops.filter((_, k) => k !== 2) };
    expect(() => sumcheckArch(avgFirst)).to.throw(/ops\[2\] sumpool2d: the sumcheck system does not take a padded pool \(padding 1x1, padded taps not counted\)/);
  });

  it("prove-model (Groth16): proved and verified; the proved output is runIR's bit for bit", async () => {
    const calibration = [...Array(16)].map((_, s) => values(50, 750 + s));
    const r = await proveModel({ root: ROOT, model, circuit: { visibility: OPEN_VISIBILITY, quant: { scaleBits: 8, calibration, saturate: "off" } }, context: ACCOUNT0 });
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.prediction.outputs.length).to.equal(3);
  });
});

/** What a graph's circuit test checks beyond the common ones: its IR, the nonlinear and linear-output parts of the
 * formula as derived by hand, the circom signals to tamper, and the sumcheck system's refusal. */
interface GraphCircuit {
  title: string;
  graph: string;
  /** a second statement whose count is checked too (formula = circom = direct, the honest witness holding): private weights */
  alsoUnder?: Visibility;
  ir: (q: QModel, x: bigint[]) => void;
  formula: (q: QModel, vis: Visibility) => { nonlinear: number; linearOutputs: number; products?: number };
  targets: (q: QModel) => [string, boolean][];
  refusal: RegExp;
}

/** An imported graph, quantized at 8 bits, in the Groth16 circuit: its IR; circom and the direct backend equal to the
 * formula; its signals and every wire tampered; Solidity bit for bit; the sumcheck refusal; a Groth16 proof. */
function describeCircuit(c: GraphCircuit): void {
  describe(`issue 29 fourth batch (${c.title}) in the Groth16 circuit: the formula, both backends, tampering, Solidity, a proof`, function () {
    this.timeout(600_000);
    const dir = tmpDir("ops4-graph");
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const { model } = loadGraph(dir, GRAPHS.find((g) => g.name === c.graph)!);
    const calibration = sampleInputs(model, 16);
    const q = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration, saturate: "off" });
    const x = quantizeInput(q, sampleInputs(model, 7)[6]);

    it(`the IR of ${c.graph}`, () => c.ir(q, x));

    it("circom and the direct backend: constraints = the formula as derived; every new signal and every wire tampered alone fails", async () => {
      const cdir = tmpDir("ops4-circom");
      try {
        const count = constraintCount(q, OPEN_VISIBILITY);
        expect({ nonlinear: count.nonlinear, linearOutputs: count.linearOutputs }).to.deep.equal(c.formula(q, OPEN_VISIBILITY));
        const { compiled, r1csFile, d, wit, r1cs } = await bothBackends(q, x, OPEN_VISIBILITY, cdir, count.total);
        expectEachChangeFails(r1cs, wit, readSym(compiled.sym), c.targets(q));
        expectEveryWireCaught(r1csFile, d.witness!);
      } finally {
        fs.rmSync(cdir, { recursive: true, force: true });
      }
    });

    if (c.alsoUnder)
      it(`under ${JSON.stringify(c.alsoUnder)}: constraints = the formula as derived = circom = the direct backend; the honest witness holds`, async () => {
        const cdir = tmpDir("ops4-circom");
        try {
          const count = constraintCount(q, c.alsoUnder!);
          expect({ nonlinear: count.nonlinear, linearOutputs: count.linearOutputs, products: count.products }).to.deep.equal(c.formula(q, c.alsoUnder!));
          await bothBackends(q, x, c.alsoUnder!, cdir, count.total);
        } finally {
          fs.rmSync(cdir, { recursive: true, force: true });
        }
      });

    it("the Solidity inference contract returns runIR's output bit for bit, on three inputs", async () => {
      await expectInferenceIsRunIR(q, "GraphInference", [x, ...sampleInputs(model, 9).slice(7).map((v) => quantizeInput(q, v))]);
    });

    it("the sumcheck system refuses it, naming groth16", () => {
      expect(() => sumcheckArch(q)).to.throw(c.refusal).that.satisfies((e: { code: string; hint: string }) => e.code === "IR_INVALID" && /--system groth16/.test(e.hint));
    });

    it("prove-model (Groth16): proved and verified; the proved output is runIR's bit for bit", async () => {
      const r = await proveModel({ root: ROOT, model, circuit: { visibility: OPEN_VISIBILITY, quant: { scaleBits: 8, calibration, saturate: "off" } }, context: ACCOUNT0 });
      expect(r.verified).to.equal(true);
      expect(r.matchesReference).to.equal(true);
      expect(r.prediction.outputs.length).to.equal(3);
    });
  });
}

type Gather = Extract<QOp, { op: "gather" }>;
type Requant = Extract<QOp, { op: "requant" }>;
const requants = (q: QModel) => q.ops.filter((o): o is Requant => o.op === "requant");

describeCircuit({
  title: "Pad: folded, and a gather with zeros",
  graph: "pads-folded-and-gathered",
  ir: (q, x) => {
    // the folded pads are the conv's and the sum pool's padding, the others gathers whose border is 0
    expect(q.ops.map((o) => o.op)).to.deep.equal(["conv2d", "requant", "sumpool2d", "gather", "maxpool2d", "gather", "conv2d", "requant", "flatten", "dense"]);
    expect(q.ops[0]).to.deep.include({ padding: [1, 1] });
    expect(q.ops[2]).to.deep.include({ padding: [1, 1] }).and.not.have.property("exclusive");
    const t = runIR(q, x).trace;
    const g = q.ops[3] as Gather;
    t[4].forEach((v, i) => expect(v).to.equal(g.index![i] === -1 ? 0n : t[3][g.index![i]]));
    // some window of the max pool holds a padded zero and negatives only: its max is the zero
    const p = opPlan(q.ops[4] as Pool<"maxpool2d">, [3, 4, 4]);
    const zeroWins = t[5].some((v, o) => {
      const taps = Array.from(p.input.slice(o * p.taps, o * p.taps + p.count[o]));
      return v === 0n && taps.some((i) => g.index![i] === -1) && taps.every((i) => g.index![i] === -1 || t[4][i] < 0n);
    });
    expect(zeroWins, "a padded zero is the max of a window of negatives").to.equal(true);
  },
  // the requants' 75 and 8 values, the max pool's 12 outputs of 4 taps (3 steps each); the sum pool's 27 values and the
  // dense's 3; the gathers 0 (their copies and constants substituted)
  formula: (q) => {
    const rq = requants(q), mp = q.ops[4] as Pool<"maxpool2d">;
    return { nonlinear: 75 * (rq[0].bits + 2) + 8 * (rq[1].bits + 2) + 12 * 3 * (mp.bits + 2), linearOutputs: 27 + 3 };
  },
  targets: (q) => {
    const mp = q.ops[4] as Pool<"maxpool2d">;
    const t: [string, boolean][] = [];
    for (let i = 0; i < 12; i++) t.push([`main.model.mp4y[${i}]`, false], [`main.model.mp4b[${3 * i}][${mp.bits - 1}]`, true]);
    for (let i = 0; i < 8; i++) t.push([`main.model.rq7[${i}]`, false]);
    return t;
  },
  // at its padded pool (its gathers are refused as before)
  refusal: /ops\[2\] sumpool2d: the sumcheck system does not take a padded pool/,
});

describeCircuit({
  title: "Slice: a gather with an index table",
  graph: "slices",
  ir: (q, x) => {
    expect(q.ops.map((o) => o.op)).to.deep.equal(["conv2d", "requant", "gather", "gather", "flatten", "dense", "requant", "gather", "dense"]);
    const t = runIR(q, x).trace;
    // x[:, :2, 1:5:2, ::2] of the 3x6x6 ReLU output, then its last axis reversed ([..., ::-1]), then [:, 2:7] of a flat vector
    const at = (c: number, y: number, xx: number) => t[2][(c * 6 + y) * 6 + xx];
    expect(t[3]).to.deep.equal([0, 1].flatMap((c) => [1, 3].flatMap((y) => [0, 2, 4].map((xx) => at(c, y, xx)))));
    expect(t[4]).to.deep.equal([0, 1, 2, 3].flatMap((r) => [2, 1, 0].map((j) => t[3][3 * r + j])));
    expect(t[8]).to.deep.equal(t[7].slice(2, 7));
  },
  // the requants' 108 and 8 values; the dense's 3 outputs; the gathers 0
  formula: (q) => {
    const rq = requants(q);
    return { nonlinear: 108 * (rq[0].bits + 2) + 8 * (rq[1].bits + 2), linearOutputs: 3 };
  },
  targets: (q) => Array.from({ length: 8 }, (_, i): [string, boolean] => [`main.model.rq6b[${i}][${requants(q)[1].bits - 1}]`, true]),
  refusal: /ops\[2\] gather: the sumcheck system does not take a re-indexing/,
});

describeCircuit({
  title: "grouped and depthwise Conv",
  graph: "mobilenet-depthwise-grouped",
  // the weights as signals too: a product a multiply-accumulate, each filter's taps reading its group's channels
  alsoUnder: { input: "public", weights: "private", output: "public" },
  ir: (q, x) => {
    expect(q.ops.map((o) => o.op)).to.deep.equal(["conv2d", "requant", "clip", "conv2d", "requant", "conv2d", "requant", "flatten", "dense"]);
    expect(q.ops[0]).to.deep.include({ groups: 4, filters: 4 });
    expect(q.ops[3]).to.not.have.property("groups");
    expect(q.ops[5]).to.deep.include({ groups: 2, filters: 4 });
    // each filter reads its group's channels: depthwise, output channel f is channel f's 3x3 window
    const t = runIR(q, x).trace;
    const dw = q.ops[0] as Extract<QOp, { op: "conv2d" }>;
    const at = (c: number, y: number, xx: number) => (y >= 0 && y < 6 && xx >= 0 && xx < 6 ? t[0][(c * 6 + y) * 6 + xx] : 0n);
    for (const [f, y, xx] of [[0, 0, 0], [2, 3, 4], [3, 5, 5]]) {
      let acc = dw.bias[f];
      for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) acc += dw.weights[f * 9 + ky * 3 + kx] * at(f, y + ky - 1, xx + kx - 1);
      expect(t[1][(f * 6 + y) * 6 + xx], `depthwise output (${f}, ${y}, ${xx})`).to.equal(acc);
    }
    // multiply-accumulates, in-bounds only: the depthwise 4 filters x 1 channel x 16 x 16 (rows in bounds 2+3+3+3+3+2, so
    // columns) = 1024; the pointwise 6 x 4 x 36 = 864; the grouped 4 filters x 3 channels x 8 x 8 (rows 2+3+3) = 768; the dense 108
    expect(countMacs(q)).to.equal(1024 + 864 + 768 + 108);
  },
  // the requants' 144, 216 and 36 values, ReLU6's upper bound on 144; the dense's 3 outputs; with the weights as signals,
  // a product a multiply-accumulate and every width sized for any weights of the weights' width
  formula: (q, vis) => {
    const signals = vis.weights !== "fixed", qc = signals ? privateWeightsModel(q) : q;
    const rq = requants(qc), clip = qc.ops[2] as Extract<QOp, { op: "clip" }>;
    const nonlinear = 144 * (rq[0].bits + 2) + 144 * (clip.bits + 2) + 216 * (rq[1].bits + 2) + 36 * (rq[2].bits + 2);
    return { nonlinear, linearOutputs: 3, ...(signals ? { products: 1024 + 864 + 768 + 108 } : {}) };
  },
  targets: (q) => [0, 35, 143].map((i): [string, boolean] => [`main.model.rq1b[${i}][${requants(q)[0].bits - 1}]`, true]).concat([0, 17, 35].map((i): [string, boolean] => [`main.model.rq6[${i}]`, false])),
  refusal: /ops\[0\] conv2d: the sumcheck system does not take a grouped convolution \(4 groups: depthwise\)/,
});
