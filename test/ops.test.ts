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
import { OnnxNode } from "../src/model/onnx/proto";
import { diagnoseNodes } from "../src/model/onnx/support";
import { forwardFloat, ModelFile } from "../src/model/format";
import { analyzeBounds, dequantize, QModel, runIR } from "../src/ir/ir";
import { irFromJson, irToJson } from "../src/ir/serialize";
import { quantize, quantizeInput } from "../src/quantize/quantize";
import { constraintCount } from "../src/statement/cost";
import { buildDirect } from "../src/backends/r1cs/lower";
import { renderCircuit } from "../src/backends/circom/render";
import { firstUnsatisfied, readR1cs } from "../src/core/r1cs";
import { BN254_R } from "../src/core/field";
import { OPEN_VISIBILITY } from "../src/statement/visibility";
import { statementFor } from "../src/statement/statement";
import { sumcheckArch } from "../src/systems/sumcheck/arch";
import { proveModel } from "../src/pipeline/prove";
import { renderSolidity } from "../src/backends/solidity/inference";
import { compileAll, deployInference } from "./helpers/evm";
import { encode, floatAttr, int64Tensor, intAttr, onnxGraph, runOrt, tensor, values } from "./helpers/onnx";
import { ACCOUNT0, compileSource, readSym, ROOT, tmpDir, witness } from "./helpers/circuit";

const scalar = (name: string, v: number) => tensor(name, [], [v]);
const gemm = (name: string, x: string, y: string): OnnxNode => ({ name, opType: "Gemm", input: [x, `${name}.W`, `${name}.b`], output: [y], attribute: [intAttr("transB", 1)] });
const gemmInit = (name: string, out: number, inn: number, seed: number) => [tensor(`${name}.W`, [out, inn], values(out * inn, seed)), tensor(`${name}.b`, [out], values(out, seed + 1))];
const convNode = (name: string, x: string, y: string): OnnxNode => ({ name, opType: "Conv", input: [x, `${name}.w`, `${name}.b`], output: [y], attribute: [{ name: "kernel_shape", type: 7, ints: [3, 3] }, { name: "pads", type: 7, ints: [1, 1, 1, 1] }] });
const convInit = (name: string, f: number, c: number, seed: number) => [tensor(`${name}.w`, [f, c, 3, 3], values(f * c * 9, seed)), tensor(`${name}.b`, [f], values(f, seed + 1))];

/** The graphs: each a small model torch would export for the layer named. */
const GRAPHS: { name: string; ops: string[]; g: Parameters<typeof onnxGraph>[0] }[] = [
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
];

const n = (m: ModelFile) => m.input.shape.reduce((a, b) => a * b, 1);
const inputs = (m: ModelFile, count: number) => [...Array(count)].map((_, s) => values(n(m), 31 * s + 5).map((v) => (v + 1) / 2));

describe("issue 29 ops: import, quantization and the reference interpreter against onnxruntime", function () {
  this.timeout(300_000);
  const dir = tmpDir("ops");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (name: string): { model: ModelFile; bytes: Uint8Array } => {
    const c = GRAPHS.find((g) => g.name === name)!;
    const bytes = encode(onnxGraph({ ...c.g, range: [0, 1] }));
    const file = path.join(dir, `${name}.onnx`);
    fs.writeFileSync(file, bytes);
    return { model: loadOnnxModel(file), bytes };
  };

  for (const c of GRAPHS)
    it(`${c.name} (${c.ops.join(", ")}): every node accepted; the float path = onnxruntime within 1e-5; runIR, dequantized, within the quantization's error at 8 and 12 bits`, async () => {
      expect(diagnoseNodes(onnxGraph(c.g)).filter((v) => !v.supported)).to.deep.equal([]);
      const { model, bytes } = load(c.name);
      const errs: number[] = [];
      for (const bits of [8, 12]) {
        const q = quantize(model, { inputBits: bits, weightBits: bits, activationBits: bits, calibration: inputs(model, 16) });
        expect(irFromJson(irToJson(q))).to.deep.equal(q); // clip's bounds and leakyrelu's alpha survive the JSON
        let err = 0, scale = 0;
        for (const x of inputs(model, 6)) {
          const ort = await runOrt(bytes, x, [1, ...model.input.shape]);
          const fl = forwardFloat(model, x).data;
          for (let i = 0; i < ort.length; i++) expect(Math.abs(fl[i] - ort[i]), `${c.name} float[${i}]`).to.be.below(1e-5);
          const ours = dequantize(q, runIR(q, quantizeInput(q, x)).output);
          ort.forEach((v, i) => {
            err = Math.max(err, Math.abs(ours[i] - v));
            scale = Math.max(scale, Math.abs(v));
          });
        }
        errs.push(err);
        // the quantization's error: a few units of the activations' steps, relative to the outputs' size
        expect(err, `${c.name} at ${bits} bits`).to.be.below((bits === 8 ? 0.08 : 0.006) * Math.max(1, scale));
      }
      expect(errs[1], "12 bits are more accurate than 8").to.be.below(errs[0]);
    });

  it("the imported layers: ReLU6's lower bound fused into the requant before it (one comparison left), LeakyRelu's alpha at the weights' width, HardSigmoid and the arithmetic folded into the conv, the shape chain computed", () => {
    const a = load("mlp-relu6-leaky").model;
    expect(a.layers.map((l) => l.type)).to.deep.equal(["dense", "clip", "dense", "leakyrelu", "dense"]);
    const qa = quantize(a, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: inputs(a, 8) });
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

  it("still refused, each with its own fix: a Mul of two activations, a Concat of two branches, a per-pixel constant, HardSwish", () => {
    const v = diagnoseNodes(
      onnxGraph({
        input: [1, 4],
        output: [1, 8],
        nodes: [
          gemm("fc", "input", "a"),
          { name: "hsw", opType: "HardSwish", input: ["a"], output: ["b"] },
          { name: "sq", opType: "Mul", input: ["b", "b"], output: ["c"] },
          { name: "cat", opType: "Concat", input: ["b", "c"], output: ["output"], attribute: [intAttr("axis", 1)] },
        ],
        init: gemmInit("fc", 4, 4, 1),
      }),
    );
    expect(v.filter((x) => !x.supported).map((x) => `${x.name}: ${x.reason}`)).to.deep.equal(["hsw: op HardSwish is not supported", "sq: op Mul of two computed tensors", "cat: op Concat of computed tensors"]);
    expect(v[1].fix).to.match(/product of two activations/);
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
      const compiled = await compileSource(renderCircuit(q, vis), dir, { inspect: true });
      expect(compiled.log.split("\n").filter((l) => /warning/i.test(l)), compiled.log).to.deep.equal([]);
      expect(compiled.constraints).to.equal(count.total);
      const r1csFile = path.join(dir, "direct.r1cs");
      const d = buildDirect(q, vis, { r1csFile, x });
      expect(d.constraints).to.equal(count.total);
      // the nonlinear part, by op: requants K + 2, clips (R + 2) per bound, the leaky ReLU K + 2
      const per = q.ops.map((o) => (o.op === "requant" ? 5 * (o.bits + 2) : 0));
      const c1 = q.ops[2] as Extract<QModel["ops"][number], { op: "clip" }>, lr = q.ops[3] as Extract<QModel["ops"][number], { op: "leakyrelu" }>, c2 = q.ops[6] as Extract<QModel["ops"][number], { op: "clip" }>;
      const rq2 = q.ops[5] as Extract<QModel["ops"][number], { op: "requant" }>;
      expect(count.nonlinear).to.equal(per[1] + 5 * 2 * (c1.bits + 2) + 5 * (lr.bits + 2) + 4 * (rq2.bits + 2) + 4 * (c2.bits + 2));
      const st = await statementFor(q, vis, x, runIR(q, x).output);
      const wit = await witness(compiled.wasm, st.witnessInput, dir);
      const r1cs = readR1cs(compiled.r1cs);
      expect(firstUnsatisfied(r1cs, wit)).to.equal(-1);
      expect(wit.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn).map(String)).to.deep.equal(st.publicSignals.map(String));
      expect(d.witness!.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn).map(String)).to.deep.equal(st.publicSignals.map(String));
      const sym = readSym(compiled.sym);
      const targets: [string, boolean][] = [];
      for (let i = 0; i < 5; i++) {
        targets.push([`main.model.cl2b[${i}][0][${c1.bits - 1}]`, true], [`main.model.cl2b[${i}][1][${c1.bits - 1}]`, true], [`main.model.cl2b[${i}][0][0]`, true], [`main.model.cl2[${i}][0]`, false], [`main.model.cl2[${i}][1]`, false]);
        targets.push([`main.model.lr3b[${i}][${lr.bits - 1}]`, true], [`main.model.lr3b[${i}][0]`, true], [`main.model.lr3[${i}]`, false]);
      }
      for (let i = 0; i < 4; i++) targets.push([`main.model.cl6b[${i}][0][${c2.bits - 1}]`, true], [`main.model.cl6[${i}][0]`, false]);
      for (const [name, bit] of targets) {
        const at = sym.get(name);
        expect(at, name).to.be.a("number");
        const bad = wit.slice();
        bad[at!] = bit ? (bad[at!] === 1n ? 0n : 1n) : (bad[at!] + 1n) % BN254_R;
        expect(firstUnsatisfied(r1cs, bad), `${name} changed`).to.be.at.least(0);
      }
      // the direct backend's r1cs rejects a changed wire too: every output of the leaky ReLU's op, one at a time
      const dr = readR1cs(r1csFile);
      expect(firstUnsatisfied(dr, d.witness!)).to.equal(-1);
      let caught = 0;
      for (let w = 1 + dr.nPubOut + dr.nPubIn; w < d.witness!.length; w++) {
        const bad = d.witness!.slice();
        bad[w] = (bad[w] + 1n) % BN254_R;
        if (firstUnsatisfied(dr, bad) >= 0) caught++;
      }
      expect(caught).to.equal(d.witness!.length - 1 - dr.nPubOut - dr.nPubIn);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the Solidity inference contract returns runIR's output bit for bit (clip, leakyrelu), on three inputs", async () => {
    const bundle = renderSolidity(q, "OpsInference");
    const c = await deployInference(bundle, compileAll([bundle]).get("OpsInference")!);
    for (const xi of [x, quantizeInput(q, values(6, 8)), quantizeInput(q, values(6, 9))]) expect((await c.infer(xi)).map(String)).to.deep.equal(runIR(q, xi).output.map(String));
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
