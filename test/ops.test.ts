/**
 * Issue 29's first batch of ops, each end to end: Clip (ReLU6, torch.clamp), LeakyRelu, HardSigmoid, Mul/Add/Sub/Div
 * with a constant, and the shape ops that fold away (Squeeze, Unsqueeze, x.view(x.size(0), -1)'s Shape/Gather/
 * Unsqueeze/Concat/Reshape). Graphs written as torch.onnx.export writes these layers (opset 13: Clip's bounds as
 * inputs, Squeeze's and Unsqueeze's axes as inputs); the reference interpreter's output, dequantized, against the
 * ONNX Runtime's within the quantization's error; the constraint formula against circom and the direct backend;
 * each new gadget's signals tampered alone in an honest witness (a constraint must fail); a Groth16 proof proved and
 * verified whose output is runIR's bit for bit; the sumcheck system's refusal naming the systems that take them.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { loadOnnxModel } from "../src/model/onnx/import";
import { diagnoseNodes } from "../src/model/onnx/support";
import { forwardFloat, ModelFile } from "../src/model/format";
import { analyzeBounds, dequantize, QModel, runIR } from "../src/ir/ir";
import { quantize, quantizeInput } from "../src/quantize/quantize";
import { constraintCount } from "../src/statement/cost";
import { OPEN_VISIBILITY } from "../src/statement/visibility";
import { sumcheckArch } from "../src/systems/sumcheck/arch";
import { proveModel } from "../src/pipeline/prove";
import { encode, floatAttr, int64Tensor, intAttr, intsAttr, onnxGraph, tensor, values } from "./helpers/onnx";
import { ACCOUNT0, readSym, ROOT, tmpDir } from "./helpers/circuit";
import { bothBackends, convInit, convNode, expectEachChangeFails, expectEveryWireCaught, expectInferenceIsRunIR, expectOrtAgreement, gemm, gemmInit, loadGraph, OpsGraph, sampleInputs } from "./helpers/ops";

const scalar = (name: string, v: number) => tensor(name, [], [v]);

/** The graphs: each a small model torch would export for the layer named. */
const GRAPHS: OpsGraph[] = [
  {
    // nn.Linear -> nn.ReLU6 -> nn.Linear -> nn.LeakyReLU(0.1) -> nn.Linear
    name: "mlp-relu6-leaky",
    ops: ["Clip", "LeakyRelu"],
    g: {
      input: [1, 8],
      output: [1, 3],
      nodes: [
        gemm("fc1", "input", "a"),
        { name: "relu6", opType: "Clip", input: ["a", "zero", "six"], output: ["b"] },
        gemm("fc2", "b", "c"),
        { name: "leaky", opType: "LeakyRelu", input: ["c"], output: ["d"], attribute: [floatAttr("alpha", 0.1)] },
        gemm("fc3", "d", "output"),
      ],
      init: [...gemmInit("fc1", 6, 8, 1), scalar("zero", 0), scalar("six", 6), ...gemmInit("fc2", 5, 6, 3), ...gemmInit("fc3", 3, 5, 5)],
    },
  },
  {
    // nn.Conv2d -> nn.Hardsigmoid -> x * 2 - 0.5 (a per-channel scale, a constant shift) -> torch.clamp(-1, 1) -> x.view(x.size(0), -1) -> nn.Linear
    name: "conv-hardsigmoid-arith-clamp-view",
    ops: ["HardSigmoid", "Mul", "Sub", "Clip", "Shape", "Gather", "Unsqueeze", "Concat", "Reshape"],
    g: {
      input: ["batch", 2, 4, 4],
      output: ["batch", 3],
      nodes: [
        convNode("conv", "input", "a"),
        { name: "hsig", opType: "HardSigmoid", input: ["a"], output: ["b"], attribute: [floatAttr("alpha", 1 / 6), floatAttr("beta", 0.5)] },
        { name: "mul", opType: "Mul", input: ["b", "scale"], output: ["c"] },
        { name: "sub", opType: "Sub", input: ["c", "half"], output: ["d"] },
        { name: "clamp", opType: "Clip", input: ["d", "m1", "p1"], output: ["e"] },
        { name: "shape", opType: "Shape", input: ["e"], output: ["s"] },
        { name: "gather", opType: "Gather", input: ["s", "idx"], output: ["s0"], attribute: [intAttr("axis", 0)] },
        { name: "unsqueeze", opType: "Unsqueeze", input: ["s0", "axes"], output: ["s1"] },
        { name: "concat", opType: "Concat", input: ["s1", "minus1"], output: ["s2"], attribute: [intAttr("axis", 0)] },
        { name: "view", opType: "Reshape", input: ["e", "s2"], output: ["f"] },
        gemm("fc", "f", "output"),
      ],
      init: [...convInit("conv", 3, 2, 7), tensor("scale", [3, 1, 1], [2, 1.5, -1]), scalar("half", 0.5), scalar("m1", -1), scalar("p1", 1), { ...int64Tensor("idx", [0]), dims: [] }, int64Tensor("axes", [0]), int64Tensor("minus1", [-1]), ...gemmInit("fc", 3, 48, 9)],
    },
  },
  {
    // nn.AdaptiveAvgPool2d(1) -> torch.squeeze(x, (2, 3)) -> x / 4 + 1 -> nn.Linear -> x.unsqueeze(0) (on the batch: the same values) -> torch.clamp(min=-0.5)
    name: "gap-squeeze-div-add-unsqueeze-clampmin",
    ops: ["Squeeze", "Div", "Add", "Unsqueeze", "Clip"],
    g: {
      input: [1, 3, 4, 4],
      output: [1, 1, 4],
      nodes: [
        { name: "gap", opType: "GlobalAveragePool", input: ["input"], output: ["a"] },
        { name: "squeeze", opType: "Squeeze", input: ["a", "axes23"], output: ["b"] },
        { name: "div", opType: "Div", input: ["b", "four"], output: ["c"] },
        { name: "add", opType: "Add", input: ["c", "one"], output: ["d"] },
        gemm("fc", "d", "e"),
        { name: "unsq", opType: "Unsqueeze", input: ["e", "axis0"], output: ["f"] },
        { name: "clampmin", opType: "Clip", input: ["f", "mhalf", ""], output: ["output"] },
      ],
      init: [int64Tensor("axes23", [2, 3]), scalar("four", 4), scalar("one", 1), ...gemmInit("fc", 4, 3, 11), int64Tensor("axis0", [0]), scalar("mhalf", -0.5)],
    },
  },
  {
    // two conv branches from the input (nn.Conv2d each, ReLU), torch.cat on the channels, x.permute(0, 2, 3, 1), x.reshape(1, 4, 20),
    // x.transpose(1, 2), nn.Flatten, nn.Linear
    name: "branches-cat-permute-reshape",
    ops: ["Concat", "Transpose", "Reshape"],
    g: {
      input: [1, 2, 4, 4],
      output: [1, 3],
      nodes: [
        convNode("c1", "input", "a"),
        { name: "r1", opType: "Relu", input: ["a"], output: ["ra"] },
        convNode("c2", "input", "b"),
        { name: "r2", opType: "Relu", input: ["b"], output: ["rb"] },
        { name: "cat", opType: "Concat", input: ["ra", "rb"], output: ["c"], attribute: [intAttr("axis", 1)] },
        { name: "permute", opType: "Transpose", input: ["c"], output: ["d"], attribute: [intsAttr("perm", [0, 2, 3, 1])] },
        { name: "reshape", opType: "Reshape", input: ["d", "shp"], output: ["e"] },
        { name: "transpose", opType: "Transpose", input: ["e"], output: ["f"], attribute: [intsAttr("perm", [0, 2, 1])] },
        { name: "flatten", opType: "Flatten", input: ["f"], output: ["h"], attribute: [intAttr("axis", 1)] },
        gemm("fc", "h", "output"),
      ],
      init: [...convInit("c1", 3, 2, 1), ...convInit("c2", 2, 2, 5), int64Tensor("shp", [1, 4, 20]), ...gemmInit("fc", 3, 80, 9)],
    },
  },
  {
    // nn.Linear -> ReLU, then two heads of it (nn.Linear each), each x.view(1, 2, 2), torch.cat on the last axis, x.transpose(1, 2),
    // torch.cat with the hidden layer (flat vectors), nn.Linear
    name: "mlp-heads-cat-lastaxis-transpose-cat-flat",
    ops: ["Concat", "Reshape", "Transpose"],
    g: {
      input: [1, 6],
      output: [1, 3],
      nodes: [
        gemm("fc1", "input", "a"),
        { name: "relu", opType: "Relu", input: ["a"], output: ["r"] },
        gemm("head1", "r", "h1"),
        { name: "view1", opType: "Reshape", input: ["h1", "s122"], output: ["v1"] },
        gemm("head2", "r", "h2"),
        { name: "view2", opType: "Reshape", input: ["h2", "s122"], output: ["v2"] },
        { name: "cat", opType: "Concat", input: ["v1", "v2"], output: ["c"], attribute: [intAttr("axis", -1)] },
        { name: "transpose", opType: "Transpose", input: ["c"], output: ["t"], attribute: [intsAttr("perm", [0, 2, 1])] },
        { name: "flat", opType: "Reshape", input: ["t", "s18"], output: ["f"] },
        { name: "cat2", opType: "Concat", input: ["r", "f"], output: ["g"], attribute: [intAttr("axis", 1)] },
        gemm("fc2", "g", "output"),
      ],
      init: [...gemmInit("fc1", 5, 6, 21), ...gemmInit("head1", 4, 5, 23), ...gemmInit("head2", 4, 5, 25), int64Tensor("s122", [1, 2, 2]), int64Tensor("s18", [1, 8]), ...gemmInit("fc2", 3, 13, 27)],
    },
  },
  {
    // nn.Linear -> ReLU, two heads of it, r - head (torch writes Sub(r, b): the running tensor subtracted), head1 - head2 (two
    // computed tensors), + r (an Add of two activations), nn.Linear
    name: "mlp-sub-heads-add",
    ops: ["Sub", "Add"],
    g: {
      input: [1, 6],
      output: [1, 3],
      nodes: [
        gemm("fc1", "input", "a"),
        { name: "relu", opType: "Relu", input: ["a"], output: ["r"] },
        gemm("head1", "r", "b"),
        { name: "sub1", opType: "Sub", input: ["r", "b"], output: ["c"] },
        gemm("head2", "c", "d"),
        { name: "sub2", opType: "Sub", input: ["d", "b"], output: ["e"] },
        { name: "add", opType: "Add", input: ["e", "r"], output: ["f"] },
        gemm("fc2", "f", "output"),
      ],
      init: [...gemmInit("fc1", 5, 6, 31), ...gemmInit("head1", 5, 5, 33), ...gemmInit("head2", 5, 5, 35), ...gemmInit("fc2", 3, 5, 37)],
    },
  },
  {
    // opset 14: nn.Conv2d -> nn.Hardswish (the HardSwish op), nn.Conv2d -> x * F.relu6(x + 3) / 6 (the form torch writes for
    // a hand-written h_swish: Add, Clip, Mul, Div), nn.Flatten, nn.Linear
    name: "conv-hardswish-both-forms",
    ops: ["HardSwish", "Add", "Clip", "Mul", "Div"],
    g: {
      input: [1, 2, 4, 4],
      output: [1, 3],
      opset: 14,
      nodes: [
        convNode("c1", "input", "a"),
        { name: "hsw", opType: "HardSwish", input: ["a"], output: ["b"] },
        convNode("c2", "b", "c"),
        { name: "plus3", opType: "Add", input: ["c", "three"], output: ["d"] },
        { name: "relu6", opType: "Clip", input: ["d", "zero", "six"], output: ["e"] },
        { name: "times", opType: "Mul", input: ["c", "e"], output: ["f"] },
        { name: "div6", opType: "Div", input: ["f", "six"], output: ["g"] },
        { name: "flatten", opType: "Flatten", input: ["g"], output: ["h"], attribute: [intAttr("axis", 1)] },
        gemm("fc", "h", "output"),
      ],
      init: [...convInit("c1", 3, 2, 41), ...convInit("c2", 3, 3, 43), scalar("three", 3), scalar("zero", 0), scalar("six", 6), ...gemmInit("fc", 3, 48, 45)],
    },
  },
];


describe("issue 29 ops: import, quantization and the reference interpreter against onnxruntime", function () {
  this.timeout(300_000);
  const dir = tmpDir("ops");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (name: string) => loadGraph(dir, GRAPHS.find((g) => g.name === name)!);

  for (const c of GRAPHS)
    it(`${c.name} (${c.ops.join(", ")}): every node accepted; the float path = onnxruntime within 1e-5; runIR, dequantized, within the quantization's error at 8 and 12 bits`, () => expectOrtAgreement(dir, c));

  it("the imported layers: ReLU6's lower bound fused into the requant before it (one comparison left), LeakyRelu's alpha at the weights' width, HardSigmoid and the arithmetic folded into the conv, the shape chain computed", () => {
    const a = load("mlp-relu6-leaky").model;
    expect(a.layers.map((l) => l.type)).to.deep.equal(["dense", "clip", "dense", "leakyrelu", "dense"]);
    const qa = quantize(a, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: sampleInputs(a, 8) });
    const clip = qa.ops.find((o) => o.op === "clip")!;
    expect(clip.op === "clip" && clip.lo === undefined && clip.hi !== undefined).to.equal(true);
    expect(qa.ops[qa.ops.indexOf(clip) - 1]).to.deep.include({ op: "requant", relu: true });
    const leaky = qa.ops.find((o) => o.op === "leakyrelu");
    // 0.1 at 8-bit weights: the largest F with round(0.1 * 2^F) <= 127 is 10: alpha = 102 / 1024
    expect(leaky).to.deep.include({ op: "leakyrelu", alpha: 102n, shift: 10 });
    const b = load("conv-hardsigmoid-arith-clamp-view").model;
    expect(b.layers.map((l) => l.type)).to.deep.equal(["conv2d", "clip", "conv2d", "clip", "flatten", "dense"]);
    expect((b.provenance.importNotes as string[]).some((s) => /HardSigmoid.*folded into layers\[0\]/.test(s))).to.equal(true);
    const c = load("gap-squeeze-div-add-unsqueeze-clampmin").model;
    expect(c.layers.map((l) => l.type)).to.deep.equal(["avgpool2d", "flatten", "dense", "dense", "clip"]);
  });

  it("the second batch's layers: a branch's start and the joins are gathers and concats; a concat on the channels is pure wiring (no gather after it), on the last axis a gather re-indexes the join", () => {
    const a = load("branches-cat-permute-reshape").model;
    expect(a.layers.map((l) => l.type)).to.deep.equal(["conv2d", "relu", "gather", "conv2d", "relu", "concat", "gather", "gather", "gather", "flatten", "dense"]);
    expect(a.layers[2]).to.deep.equal({ type: "gather", shape: [2, 4, 4], from: -1 });
    expect(a.layers[5]).to.deep.equal({ type: "concat", from: 1, fromFirst: true });
    // x.reshape keeps the order (no index); the permutes re-index
    expect([6, 7, 8].map((i) => (a.layers[i] as { index?: number[] }).index !== undefined)).to.deep.equal([true, false, true]);
    const q = quantize(a, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: sampleInputs(a, 8) });
    // the two branches' requants land on one step: the concat has no multiplier
    expect(q.ops.find((o) => o.op === "concat")).to.deep.include({ mul: 1, fromMul: 1 });
    const b = load("mlp-heads-cat-lastaxis-transpose-cat-flat").model;
    expect(b.layers.map((l) => l.type)).to.deep.equal(["dense", "relu", "dense", "gather", "gather", "dense", "gather", "concat", "gather", "gather", "flatten", "concat", "dense"]);
  });

  it("the third batch's layers: a Sub of two activations is an add with one side negated (either side), an Add of two activations an add; HardSwish and torch's x * relu6(x + 3) / 6 are one pattern (an affine, a clip, a product), the / 6 in the product's scale", () => {
    const a = load("mlp-sub-heads-add").model;
    expect(a.layers.map((l) => (l.type === "add" ? `add(${l.from}${l.negate ? `, -${l.negate}` : ""})` : l.type))).to.deep.equal(["dense", "relu", "dense", "add(1, -x)", "dense", "add(2, -from)", "add(1)", "dense"]);
    const b = load("conv-hardswish-both-forms").model;
    expect(b.layers.map((l) => (l.type === "mul" ? `mul(${l.from})` : l.type))).to.deep.equal(["conv2d", "conv2d", "clip", "mul(0)", "conv2d", "conv2d", "clip", "mul(4)", "flatten", "dense"]);
    expect(b.layers[2]).to.deep.equal({ type: "clip", min: 0, max: 1 });
    expect(b.layers[6]).to.deep.equal({ type: "clip", min: 0, max: 6 });
    expect((b.layers[7] as { scale?: number }).scale).to.be.closeTo(1 / 6, 1e-12);
    const q = quantize(b, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: sampleInputs(b, 8) });
    // each form: the affine's requant takes the clip's lower bound (ReLU), the clip its upper, the product a requant of its own
    expect(q.ops.map((o) => (o.op === "requant" ? `rq${o.relu ? "+" : ""}` : o.op))).to.deep.equal(["conv2d", "rq", "conv2d", "rq+", "clip", "mul", "rq", "conv2d", "rq", "conv2d", "rq+", "clip", "mul", "rq", "flatten", "dense"]);
  });

  it("still refused, each with its own fix: a Div of two activations, a Concat of a constant and an activation; a per-pixel constant (HardSwish and a Mul of two activations import now)", () => {
    const v = diagnoseNodes(
      onnxGraph({
        input: [1, 4],
        output: [1, 8],
        nodes: [
          gemm("fc", "input", "a"),
          { name: "hsw", opType: "HardSwish", input: ["a"], output: ["b"] },
          { name: "sq", opType: "Mul", input: ["b", "b"], output: ["b2"] },
          { name: "ratio", opType: "Div", input: ["b2", "b"], output: ["c"] },
          { name: "cat", opType: "Concat", input: ["c", "pad"], output: ["output"], attribute: [intAttr("axis", 1)] },
        ],
        init: [...gemmInit("fc", 4, 4, 1), tensor("pad", [1, 4], values(4, 2))],
      }),
    );
    expect(v.filter((x) => !x.supported).map((x) => `${x.name}: ${x.reason}`)).to.deep.equal(["ratio: op Div of two computed tensors", "cat: a Concat of a constant and computed tensors"]);
    expect(v[3].fix).to.match(/divide by a constant instead/);
    const g = onnxGraph({ input: [1, 2, 2, 2], output: [1, 2, 2, 2], nodes: [{ name: "m", opType: "Mul", input: ["input", "px"], output: ["output"] }], init: [tensor("px", [1, 2, 2, 2], values(8, 3))] });
    const file = path.join(dir, "px.onnx");
    fs.writeFileSync(file, encode(g));
    expect(() => loadOnnxModel(file)).to.throw(/only one value for all or one per channel/);
  });
});

/** A model with every new op kind in the IR: clip with both bounds and with one, leakyrelu, on signed values. */
function opsModel(): { model: ModelFile; q: QModel; x: bigint[] } {
  const model: ModelFile = {
    format: "zkml-model/1",
    name: "ops-kat",
    input: { shape: [6], range: [-1, 1] },
    layers: [
      { type: "dense", units: 5, weights: [...Array(5)].map((_, o) => values(6, 40 + o)), bias: values(5, 50) },
      { type: "clip", min: -0.25, max: 0.5 },
      { type: "leakyrelu", alpha: 0.2 },
      { type: "dense", units: 4, weights: [...Array(4)].map((_, o) => values(5, 60 + o)), bias: values(4, 70) },
      { type: "clip", min: 0, max: 0.3 },
      { type: "dense", units: 3, weights: [...Array(3)].map((_, o) => values(4, 80 + o)), bias: values(3, 90) },
    ],
    provenance: { source: "test" },
  };
  const cal = [...Array(16)].map((_, s) => values(6, 100 + s));
  const q = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: cal, saturate: "off" });
  // an input whose clip both saturates and passes values, and whose leaky ReLU sees both signs
  const x = quantizeInput(q, values(6, 7));
  return { model, q, x };
}

describe("issue 29 ops in the Groth16 circuit: the formula, both backends, tampering, a proof", function () {
  this.timeout(600_000);
  const { model, q, x } = opsModel();

  it("the IR has clip (both bounds, and the upper alone after a ReLU requant) and leakyrelu; the chosen input exercises both sides of each", () => {
    expect(q.ops.map((o) => o.op)).to.deep.equal(["dense", "requant", "clip", "leakyrelu", "dense", "requant", "clip", "dense"]);
    const t = runIR(q, x).trace;
    const c = q.ops[2] as Extract<QModel["ops"][number], { op: "clip" }>;
    expect(t[2].some((v) => v < c.lo!) && t[2].some((v) => v > c.hi!) && t[2].some((v) => v > c.lo! && v < c.hi!)).to.equal(true);
    expect(t[3].some((v) => v < 0n) && t[3].some((v) => v > 0n)).to.equal(true);
    // bounds of the clip's output are its bounds; of the leaky ReLU's, alpha lo .. 2^F hi
    const b = analyzeBounds(q);
    expect(b[3].every(([l, h]) => l >= c.lo! && h <= c.hi!)).to.equal(true);
  });

  it("circom and the direct backend: constraints = the formula (R + 2 per clip bound and value, K + 2 per leaky value); same public signals; every new signal tampered alone fails", async () => {
    const dir = tmpDir("ops-circom");
    try {
      const vis = OPEN_VISIBILITY;
      const count = constraintCount(q, vis);
      const { compiled, r1csFile, d, wit, r1cs } = await bothBackends(q, x, vis, dir, count.total);
      // the nonlinear part, by op: requants K + 2, clips (R + 2) per bound, the leaky ReLU K + 2
      const per = q.ops.map((o) => (o.op === "requant" ? 5 * (o.bits + 2) : 0));
      const c1 = q.ops[2] as Extract<QModel["ops"][number], { op: "clip" }>, lr = q.ops[3] as Extract<QModel["ops"][number], { op: "leakyrelu" }>, c2 = q.ops[6] as Extract<QModel["ops"][number], { op: "clip" }>;
      const rq2 = q.ops[5] as Extract<QModel["ops"][number], { op: "requant" }>;
      expect(count.nonlinear).to.equal(per[1] + 5 * 2 * (c1.bits + 2) + 5 * (lr.bits + 2) + 4 * (rq2.bits + 2) + 4 * (c2.bits + 2));
      const sym = readSym(compiled.sym);
      const targets: [string, boolean][] = [];
      for (let i = 0; i < 5; i++) {
        targets.push([`main.model.cl2b[${i}][0][${c1.bits - 1}]`, true], [`main.model.cl2b[${i}][1][${c1.bits - 1}]`, true], [`main.model.cl2b[${i}][0][0]`, true], [`main.model.cl2[${i}][0]`, false], [`main.model.cl2[${i}][1]`, false]);
        targets.push([`main.model.lr3b[${i}][${lr.bits - 1}]`, true], [`main.model.lr3b[${i}][0]`, true], [`main.model.lr3[${i}]`, false]);
      }
      for (let i = 0; i < 4; i++) targets.push([`main.model.cl6b[${i}][0][${c2.bits - 1}]`, true], [`main.model.cl6[${i}][0]`, false]);
      expectEachChangeFails(r1cs, wit, sym, targets);
      // the direct backend's r1cs rejects a changed wire too: every private wire, one at a time
      expectEveryWireCaught(r1csFile, d.witness!);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the Solidity inference contract returns runIR's output bit for bit (clip, leakyrelu), on three inputs", async () => {
    await expectInferenceIsRunIR(q, "OpsInference", [x, quantizeInput(q, values(6, 8)), quantizeInput(q, values(6, 9))]);
  });

  it("the sumcheck system refuses clip and leakyrelu, naming the systems that prove them", () => {
    expect(() => sumcheckArch(q)).to.throw(/ops\[2\] clip: the sumcheck system does not take a clip/).that.satisfies((e: { code: string; hint: string }) => e.code === "IR_INVALID" && /--system groth16/.test(e.hint));
  });

  it("prove-model (Groth16): proved and verified; the proved output is runIR's bit for bit", async () => {
    const calibration = [...Array(16)].map((_, s) => values(6, 100 + s));
    const r = await proveModel({ root: ROOT, model, circuit: { visibility: OPEN_VISIBILITY, quant: { scaleBits: 8, calibration, saturate: "off" } }, context: ACCOUNT0 });
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    // the default input (seeded, in the declared range), through the same quantization
    const qx = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration, saturate: "off" });
    expect(JSON.stringify(qx.ops, (_k, v) => (typeof v === "bigint" ? String(v) : v))).to.equal(JSON.stringify(q.ops, (_k, v) => (typeof v === "bigint" ? String(v) : v)));
    expect(r.prediction.outputs.length).to.equal(3);
  });
});

/** A model with the second batch's ops in the IR: a branch's start (gather from an earlier tensor), a concat of two
 * requants' outputs (one step: wiring), a concat with the input (two steps: a multiplier), a permutation. */
function joinsModel(): { model: ModelFile; q: QModel; x: bigint[] } {
  const model: ModelFile = {
    format: "zkml-model/1",
    name: "joins-kat",
    input: { shape: [6], range: [-1, 1] },
    layers: [
      { type: "dense", units: 5, weights: [...Array(5)].map((_, o) => values(6, 140 + o)), bias: values(5, 150) },
      { type: "relu" },
      { type: "dense", units: 4, weights: [...Array(4)].map((_, o) => values(5, 160 + o)), bias: values(4, 170) },
      { type: "relu" },
      { type: "gather", shape: [5], from: 1 },
      { type: "dense", units: 3, weights: [...Array(3)].map((_, o) => values(5, 180 + o).map((v) => 4 * v)), bias: values(3, 190) },
      { type: "concat", from: 3, fromFirst: true },
      { type: "concat", from: -1, fromFirst: false },
      { type: "gather", shape: [13], index: [...Array(13)].map((_, i) => (5 * i) % 13) },
      { type: "dense", units: 3, weights: [...Array(3)].map((_, o) => values(13, 200 + o)), bias: values(3, 210) },
    ],
    provenance: { source: "test" },
  };
  const cal = [...Array(16)].map((_, s) => values(6, 300 + s));
  const q = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: cal, saturate: "off" });
  return { model, q, x: quantizeInput(q, values(6, 17)) };
}

describe("issue 29 second batch (gather, concat) in the Groth16 circuit: the formula, both backends, tampering, Solidity, a proof", function () {
  this.timeout(600_000);
  const { model, q, x } = joinsModel();
  type Concat = Extract<QModel["ops"][number], { op: "concat" }>;
  const concats = q.ops.filter((o): o is Concat => o.op === "concat");

  it("the IR: a branch's gather, a concat of two requants at one step (no multiplier), a concat with the input at a multiplier, a permutation; runIR = the float model within the quantization's error", () => {
    expect(q.ops.map((o) => o.op)).to.deep.equal(["dense", "requant", "dense", "requant", "gather", "dense", "requant", "concat", "concat", "gather", "dense"]);
    expect(q.ops[4]).to.deep.include({ op: "gather", from: 2 });
    expect(concats[0]).to.deep.include({ from: 4, fromFirst: true, mul: 1, fromMul: 1 });
    expect(concats[1].from).to.equal(0);
    expect(concats[1].mul * concats[1].fromMul, "the input and the join are at different steps").to.be.above(1);
    const t = runIR(q, x).trace;
    // the join: tensor 4 (the first branch's ReLU) then the second branch's values, then the input (each times its multiplier)
    expect(t[8]).to.deep.equal([...t[4], ...t[7]]);
    expect(t[9]).to.deep.equal([...t[8].map((v) => BigInt(concats[1].mul) * v), ...t[0].map((v) => BigInt(concats[1].fromMul) * v)]);
    expect(t[10]).to.deep.equal([...Array(13)].map((_, i) => t[9][(5 * i) % 13]));
    const fl = forwardFloat(model, values(6, 17)).data;
    const scale = Math.max(1, ...Array.from(fl, Math.abs));
    // 8 bits through three layers and a coarsened join: a few of the last step's units; 12 bits: 16 times finer
    dequantize(q, runIR(q, x).output).forEach((v, i) => expect(Math.abs(v - fl[i]), `output ${i}: ${v} against ${fl[i]}`).to.be.below(0.15 * scale));
    const q12 = quantize(model, { inputBits: 12, weightBits: 12, activationBits: 12, calibration: [...Array(16)].map((_, s) => values(6, 300 + s)), saturate: "off" });
    dequantize(q12, runIR(q12, quantizeInput(q12, values(6, 17))).output).forEach((v, i) => expect(Math.abs(v - fl[i]), `12 bits, output ${i}: ${v} against ${fl[i]}`).to.be.below(0.01 * scale));
  });

  it("circom and the direct backend: constraints = the formula (the gathers and the one-step concat 0; the other concat one bound wire per value of its scaled side); every wire tampered alone fails", async () => {
    const dir = tmpDir("joins-circom");
    try {
      const vis = OPEN_VISIBILITY;
      const count = constraintCount(q, vis);
      const requants = q.ops.filter((o): o is Extract<QModel["ops"][number], { op: "requant" }> => o.op === "requant");
      expect(count.nonlinear).to.equal(5 * (requants[0].bits + 2) + 4 * (requants[1].bits + 2) + 3 * (requants[2].bits + 2));
      const c = concats[1];
      // its sides: the 7 joined values at mul, the 6 inputs at fromMul; the last dense's 3 outputs bound as always
      expect(count.linearOutputs).to.equal(3 + (c.mul !== 1 ? 7 : 0) + (c.fromMul !== 1 ? 6 : 0));
      const { compiled, r1csFile, d, wit, r1cs } = await bothBackends(q, x, vis, dir, count.total);
      // the scaled side's signals in circom
      const sym = readSym(compiled.sym);
      const k = q.ops.indexOf(c);
      const side = c.mul !== 1 ? 0 : 1;
      expectEachChangeFails(r1cs, wit, sym, Array.from({ length: side === 0 ? 7 : 6 }, (_, i): [string, boolean] => [`main.model.cc${k}_${side}[${i}]`, false]));
      expectEveryWireCaught(r1csFile, d.witness!);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the Solidity inference contract returns runIR's output bit for bit (gather, concat), on three inputs", async () => {
    await expectInferenceIsRunIR(q, "JoinsInference", [x, quantizeInput(q, values(6, 18)), quantizeInput(q, values(6, 19))]);
  });

  it("the sumcheck system refuses gather and concat, naming the systems that prove them", () => {
    expect(() => sumcheckArch(q)).to.throw(/ops\[4\] gather: the sumcheck system does not take a re-indexing/).that.satisfies((e: { code: string; hint: string }) => e.code === "IR_INVALID" && /--system groth16/.test(e.hint));
  });

  it("prove-model (Groth16): proved and verified; the proved output is runIR's bit for bit", async () => {
    const calibration = [...Array(16)].map((_, s) => values(6, 300 + s));
    const r = await proveModel({ root: ROOT, model, circuit: { visibility: OPEN_VISIBILITY, quant: { scaleBits: 8, calibration, saturate: "off" } }, context: ACCOUNT0 });
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.prediction.outputs.length).to.equal(3);
  });
});

/** A model with issue 29's third batch in the IR: a Sub each way (add with mul < 0, then with fromMul < 0), a product of two
 * activations requantized, and HardSwish as x / 6 + 1/2 (a diagonal dense), a clip to [0, 1] and the product with x. */
function arithModel(): { model: ModelFile; q: QModel; x: bigint[] } {
  const diag = [...Array(5)].map((_, o) => [...Array(5)].map((_, i) => (i === o ? 1 / 6 : 0)));
  const model: ModelFile = {
    format: "zkml-model/1",
    name: "arith-kat",
    input: { shape: [6], range: [-1, 1] },
    layers: [
      { type: "dense", units: 5, weights: [...Array(5)].map((_, o) => values(6, 400 + o)), bias: values(5, 410) },
      { type: "dense", units: 5, weights: [...Array(5)].map((_, o) => values(5, 420 + o)), bias: values(5, 430) },
      { type: "add", from: 0, negate: "x" },
      { type: "mul", from: 0 },
      { type: "add", from: 1, negate: "from" },
      { type: "dense", units: 5, weights: diag, bias: Array(5).fill(0.5) },
      { type: "clip", min: 0, max: 1 },
      { type: "mul", from: 4 },
      { type: "dense", units: 3, weights: [...Array(3)].map((_, o) => values(5, 440 + o)), bias: values(3, 450) },
    ],
    provenance: { source: "test" },
  };
  const cal = [...Array(16)].map((_, s) => values(6, 500 + s));
  const q = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: cal, saturate: "off" });
  return { model, q, x: quantizeInput(q, values(6, 17)) };
}

describe("issue 29 third batch (add with a negative multiplier, mul, HardSwish) in the Groth16 circuit: the formula, both backends, tampering, Solidity, a proof", function () {
  this.timeout(600_000);
  const { model, q, x } = arithModel();
  type Requant = Extract<QModel["ops"][number], { op: "requant" }>;
  const requants = q.ops.filter((o): o is Requant => o.op === "requant");

  it("the IR: a Sub each way, a product requantized, HardSwish's clip and product; runIR = the float model within the quantization's error; the product's bounds are the four corners'", () => {
    expect(q.ops.map((o) => o.op)).to.deep.equal(["dense", "requant", "dense", "requant", "add", "mul", "requant", "add", "dense", "requant", "clip", "mul", "requant", "dense"]);
    const a1 = q.ops[4] as Extract<QModel["ops"][number], { op: "add" }>, a2 = q.ops[7] as Extract<QModel["ops"][number], { op: "add" }>;
    expect(a1.mul < 0 && a1.fromMul > 0 && a1.from === 2, "t0 - x").to.equal(true);
    expect(a2.mul > 0 && a2.fromMul < 0 && a2.from === 4, "x - t1").to.equal(true);
    expect(q.ops[5]).to.deep.equal({ op: "mul", from: 2 });
    expect(q.ops[11]).to.deep.equal({ op: "mul", from: 8 });
    expect(q.ops[9]).to.deep.include({ op: "requant", relu: true });
    expect(q.ops[10]).to.deep.include({ op: "clip" }).and.not.have.property("lo");
    const t = runIR(q, x).trace;
    expect(t[5]).to.deep.equal(t[4].map((v, i) => BigInt(a1.mul) * v + BigInt(a1.fromMul) * t[2][i]));
    expect(t[6]).to.deep.equal(t[5].map((v, i) => v * t[2][i]));
    expect(t[12]).to.deep.equal(t[11].map((v, i) => v * t[8][i]));
    const b = analyzeBounds(q);
    b[6].forEach(([l, h], i) => {
      const c = [b[5][i][0] * b[2][i][0], b[5][i][0] * b[2][i][1], b[5][i][1] * b[2][i][0], b[5][i][1] * b[2][i][1]];
      expect([l, h]).to.deep.equal([c.reduce((m, v) => (v < m ? v : m)), c.reduce((m, v) => (v > m ? v : m))]);
    });
    const fl = forwardFloat(model, values(6, 17)).data;
    const scale = Math.max(1, ...Array.from(fl, Math.abs));
    // 8 bits through two products of 8-bit activations (each a relative error of about two steps' worth): a fifth of the scale
    // (measured 0.41 of 2.53); 12 bits: 16 times finer (measured 0.0097)
    dequantize(q, runIR(q, x).output).forEach((v, i) => expect(Math.abs(v - fl[i]), `output ${i}: ${v} against ${fl[i]}`).to.be.below(0.2 * scale));
    const q12 = quantize(model, { inputBits: 12, weightBits: 12, activationBits: 12, calibration: [...Array(16)].map((_, s) => values(6, 500 + s)), saturate: "off" });
    dequantize(q12, runIR(q12, quantizeInput(q12, values(6, 17))).output).forEach((v, i) => expect(Math.abs(v - fl[i]), `12 bits, output ${i}: ${v} against ${fl[i]}`).to.be.below(0.01 * scale));
  });

  it("circom and the direct backend: constraints = the formula (a product a value for each mul, plus its requant's K + 2; an add's value one bound wire, its sign a coefficient; the clip R + 2); every wire tampered alone fails", async () => {
    const dir = tmpDir("arith-circom");
    try {
      const vis = OPEN_VISIBILITY;
      const count = constraintCount(q, vis);
      const clip = q.ops[10] as Extract<QModel["ops"][number], { op: "clip" }>;
      // 5 values everywhere: the requants K + 2 each, the two muls 1 each, the clip's one bound R + 2
      expect(count.nonlinear).to.equal(requants.reduce((a, r) => a + 5 * (r.bits + 2), 0) + 2 * 5 + 5 * (clip.bits + 2));
      // the two adds' 5 values each, the last dense's 3 outputs
      expect(count.linearOutputs).to.equal(5 + 5 + 3);
      const { compiled, r1csFile, d, wit, r1cs } = await bothBackends(q, x, vis, dir, count.total);
      const sym = readSym(compiled.sym);
      expectEachChangeFails(r1cs, wit, sym, Array.from({ length: 5 }, (_, i) => [`main.model.ad4[${i}]`, `main.model.ml5[${i}]`, `main.model.ad7[${i}]`, `main.model.ml11[${i}]`]).flat().map((name): [string, boolean] => [name, false]));
      expectEveryWireCaught(r1csFile, d.witness!);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the Solidity inference contract returns runIR's output bit for bit (negative multipliers, products), on three inputs", async () => {
    await expectInferenceIsRunIR(q, "ArithInference", [x, quantizeInput(q, values(6, 18)), quantizeInput(q, values(6, 19))]);
  });

  it("the sumcheck system refuses a Sub and a product, naming the systems that prove them", () => {
    expect(() => sumcheckArch(q)).to.throw(/ops\[4\] add: the sumcheck system does not take a difference of two tensors/).that.satisfies((e: { code: string; hint: string }) => e.code === "IR_INVALID" && /--system groth16/.test(e.hint));
    const onlyMul = { ...q, ops: q.ops.map((o) => (o.op === "add" ? { ...o, mul: Math.abs(o.mul), fromMul: Math.abs(o.fromMul) } : o)) };
    expect(() => sumcheckArch(onlyMul)).to.throw(/ops\[5\] mul: the sumcheck system does not take a product of two activations/).that.satisfies((e: { code: string; hint: string }) => e.code === "IR_INVALID" && /--system groth16/.test(e.hint));
  });

  it("prove-model (Groth16): proved and verified; the proved output is runIR's bit for bit", async () => {
    const calibration = [...Array(16)].map((_, s) => values(6, 500 + s));
    const r = await proveModel({ root: ROOT, model, circuit: { visibility: OPEN_VISIBILITY, quant: { scaleBits: 8, calibration, saturate: "off" } }, context: ACCOUNT0 });
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.prediction.outputs.length).to.equal(3);
  });
});
