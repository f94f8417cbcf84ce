/**
 * Issue 29's fifth batch of ops: activations by table lookup (Sigmoid, Tanh, Exp, Erf, GELU as torch.onnx.export writes
 * nn.GELU() before opset 20 (Div, Erf, Add, Mul, Mul) and opset 20's Gelu, approximate "none" and "tanh").
 *
 * Design. One IR op, `{ op: "table"; fn; inStep; outStep; lo; bits }`: y = T[x - lo] for x in [lo, lo + 2^bits), where
 * T[j] = round(f((lo + j) inStep) / outStep) is computed once, in TypeScript, by ir.ts tableValues (from tableFloat, the
 * one definition of each f; erf by its series and continued fraction, to about 1e-15), and read by runIR, both circuit
 * backends and the Solidity renderer: no backend recomputes f, so all agree bit for bit. The quantizer sets lo and bits
 * from the bound analysis of the op's input (its worst case over every admissible input) and outStep to the finest power
 * of two at which every entry fits the activation width; an input range past 2^12 values is refused, naming the layer,
 * the tensor, its range and the fixes (fewer --scale-bits, a Clip before). In R1CS: x - lo's B bits (B booleans and
 * their sum), then a multiplexer tree over T (ir.ts tableMux): a node at level l picks between its two children by bit
 * l - 1; a node over two constants is linear in its bit, a node over two equal constants that constant (no constraint
 * either), every other node one product b (m1 - m0) = m - m0; so a table costs B + 1 + P constraints a value, P the
 * product nodes (2^(B-1) - 1 when no two neighbouring entries at the bottom repeat a pattern; fewer where the table is
 * flat, as a sigmoid's saturated ends). Circom writes the same tree (renderer), the direct backend builds it (gadgets.ts
 * table). Solidity: the table packed in the contract's blob, indexed by x - lo. The sumcheck system refuses the op,
 * naming it and --system groth16 (its logUp activation tables are a later step).
 *
 * Checked: each fn imported from a graph torch would export (and SiLU, x * sigmoid(x): a sigmoid table and a mul), runIR against onnxruntime within the quantization's error at
 * 8 and 12 bits and every table entry against f within half an output step; a model of all five in the Groth16 circuit:
 * constraints = the formula = circom = the direct backend, each table's output signals and every private wire tampered
 * alone refused, the Solidity inference contract bit for bit, a Groth16 proof verified with runIR's output; the
 * sumcheck refusal; a range too wide refused.
 */
import { expect } from "chai";
import * as fs from "fs";
import { analyzeBounds, dequantize, irShapes, QModel, QOp, runIR, tableDomain, tableFloat, tableProducts, tableValues } from "../src/ir/ir";
import { forwardFloat } from "../src/model/format";
import { quantize, quantizeInput } from "../src/quantize/quantize";
import { constraintCount, GADGET_COST } from "../src/statement/cost";
import { OPEN_VISIBILITY, Visibility } from "../src/statement/visibility";
import { privateWeightsModel } from "../src/statement/widths";
import { sumcheckArch } from "../src/systems/sumcheck/arch";
import { proveModel } from "../src/pipeline/prove";
import { ATTRIBUTE_TYPE, DATA_TYPE, OnnxNode } from "../src/model/onnx/proto";
import { ACCOUNT0, readSym, ROOT, tmpDir } from "./helpers/circuit";
import { bothBackends, expectEachChangeFails, expectEveryWireCaught, expectInferenceIsRunIR, expectOrtAgreement, gemm, gemmInit, loadGraph, OpsGraph, sampleInputs } from "./helpers/ops";

type Table = Extract<QOp, { op: "table" }>;
type Requant = Extract<QOp, { op: "requant" }>;

/** A scalar as torch writes it: a Constant node (value a 0-d tensor). */
const constant = (name: string, v: number): OnnxNode => ({
  name,
  opType: "Constant",
  input: [],
  output: [name],
  attribute: [{ name: "value", type: ATTRIBUTE_TYPE.TENSOR, t: { name, dims: [], dataType: DATA_TYPE.FLOAT, floatData: [v] } }],
});

/** nn.GELU() as torch.onnx.export writes it before opset 20: x / sqrt 2, erf, + 1, x times it, times 0.5. */
const geluNodes = (p: string, x: string, y: string): OnnxNode[] => [
  constant(`${p}.c0`, Math.SQRT2),
  { name: `${p}/Div`, opType: "Div", input: [x, `${p}.c0`], output: [`${p}.div`] },
  { name: `${p}/Erf`, opType: "Erf", input: [`${p}.div`], output: [`${p}.erf`] },
  constant(`${p}.c1`, 1),
  { name: `${p}/Add`, opType: "Add", input: [`${p}.erf`, `${p}.c1`], output: [`${p}.add`] },
  { name: `${p}/Mul`, opType: "Mul", input: [x, `${p}.add`], output: [`${p}.mul`] },
  constant(`${p}.c2`, 0.5),
  { name: `${p}/Mul_1`, opType: "Mul", input: [`${p}.mul`, `${p}.c2`], output: [y] },
];

const act = (op: string, x: string, y: string, approximate?: string): OnnxNode => ({
  name: `act/${op}`,
  opType: op,
  input: [x],
  output: [y],
  ...(approximate ? { attribute: [{ name: "approximate", type: ATTRIBUTE_TYPE.STRING, s: Buffer.from(approximate) }] } : {}),
});

/** nn.Linear(4, 6) -> the activation -> nn.Linear(6, 3). */
const oneActivation = (name: string, nodes: (x: string, y: string) => OnnxNode[], opset?: number): OpsGraph => ({
  name,
  ops: [name],
  g: { input: [1, 4], output: [1, 3], nodes: [gemm("fc1", "input", "a"), ...nodes("a", "b"), gemm("fc2", "b", "output")], init: [...gemmInit("fc1", 6, 4, 901), ...gemmInit("fc2", 3, 6, 903)], ...(opset ? { opset } : {}) },
});

const GRAPHS: OpsGraph[] = [
  oneActivation("Sigmoid", (x, y) => [act("Sigmoid", x, y)]),
  oneActivation("Tanh", (x, y) => [act("Tanh", x, y)]),
  oneActivation("Exp", (x, y) => [act("Exp", x, y)]),
  oneActivation("Erf", (x, y) => [act("Erf", x, y)]),
  oneActivation("GELU (torch: Div, Erf, Add, Mul, Mul)", (x, y) => geluNodes("gelu", x, y)),
  oneActivation("Gelu (opset 20)", (x, y) => [act("Gelu", x, y)], 20),
  oneActivation("Gelu tanh (opset 20)", (x, y) => [act("Gelu", x, y, "tanh")], 20),
];

/** Every activation in one model: Linear -> GELU -> Linear -> Sigmoid -> Linear -> Tanh -> Linear -> Erf -> Linear -> Exp -> Linear. */
const ALL: OpsGraph = {
  name: "all-tables",
  ops: ["GELU", "Sigmoid", "Tanh", "Erf", "Exp"],
  g: {
    input: [1, 4],
    output: [1, 3],
    nodes: [
      gemm("fc1", "input", "a"),
      ...geluNodes("gelu", "a", "b"),
      gemm("fc2", "b", "c"),
      act("Sigmoid", "c", "d"),
      gemm("fc3", "d", "e"),
      act("Tanh", "e", "f"),
      gemm("fc4", "f", "g"),
      act("Erf", "g", "h"),
      gemm("fc5", "h", "i"),
      act("Exp", "i", "j"),
      gemm("fc6", "j", "output"),
    ],
    init: [...gemmInit("fc1", 3, 4, 911), ...gemmInit("fc2", 2, 3, 913), ...gemmInit("fc3", 2, 2, 915), ...gemmInit("fc4", 2, 2, 917), ...gemmInit("fc5", 2, 2, 919), ...gemmInit("fc6", 3, 2, 921)],
  },
};

/** Every entry of a table is f at its input, rounded to the output step: within half a step of the float function. */
function expectTableIsF(op: Table): void {
  tableValues(op).forEach((t, j) => {
    const f = tableFloat(op.fn, Number(op.lo + BigInt(j)) * op.inStep);
    expect(Math.abs(Number(t) * op.outStep - f), `${op.fn} entry ${j}`).to.be.at.most(op.outStep / 2 + 1e-12);
  });
}

describe("issue 29 fifth batch: activations by table lookup, imported and quantized, against onnxruntime", function () {
  this.timeout(120_000);
  const dir = tmpDir("ops5");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const c of GRAPHS)
    it(`${c.name}: every node accepted; the float path = onnxruntime within 1e-5; runIR, dequantized, within the quantization's error at 8 and 12 bits`, () => expectOrtAgreement(dir, c));

  it("each imports as one table layer (torch's GELU pattern too, its five nodes one layer); each table entry is f within half an output step; runIR reads the table", () => {
    const fns = ["sigmoid", "tanh", "exp", "erf", "gelu", "gelu", "gelu_tanh"];
    GRAPHS.forEach((c, i) => {
      const { model } = loadGraph(dir, c);
      expect(model.layers.map((l) => l.type)).to.deep.equal(["dense", "table", "dense"]);
      expect(model.layers[1]).to.deep.include({ fn: fns[i], tensor: "a" });
      const q = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: sampleInputs(model, 8) });
      expect(q.ops.map((o) => o.op)).to.deep.equal(["dense", "requant", "table", "dense"]);
      const t = q.ops[2] as Table, rq = q.ops[1] as Requant;
      // the table covers the requant's output range exactly: [-2^(A-1), 2^(A-1)) at 8 bits
      const d = tableDomain(analyzeBounds(q)[2]);
      expect([t.lo, t.bits]).to.deep.equal([d.lo, d.bits]);
      if (rq.clamp !== undefined) expect([t.lo, t.bits]).to.deep.equal([-128n, 8]);
      expectTableIsF(t);
      const tr = runIR(q, quantizeInput(q, sampleInputs(model, 1)[0])).trace;
      tr[3].forEach((y, j) => expect(y).to.equal(tableValues(t)[Number(tr[2][j] - t.lo)]));
    });
  });

  it("SiLU (nn.SiLU: x * sigmoid(x), a Sigmoid and a Mul of two activations) imports as a sigmoid table and a mul, within the quantization's error of onnxruntime", async () => {
    const silu = oneActivation("SiLU", (x, y) => [act("Sigmoid", x, `${x}.sig`), { name: "act/Mul", opType: "Mul", input: [x, `${x}.sig`], output: [y] }]);
    await expectOrtAgreement(dir, silu);
    expect(loadGraph(dir, silu).model.layers.map((l) => l.type)).to.deep.equal(["dense", "table", "mul", "dense"]);
  });

  it("an input range past 2^12 values is refused, naming the layer, the tensor, its range and the fixes", () => {
    const { model } = loadGraph(dir, GRAPHS[0]);
    expect(() => quantize(model, { inputBits: 14, weightBits: 14, activationBits: 14, calibration: sampleInputs(model, 4) }))
      .to.throw(/layers\[1\] \(sigmoid of tensor "a"\): its input ranges over \[-8192, 8191\] in the worst case, 16384 values, more than a table of 2\^12 = 4096 entries/)
      .that.satisfies((e: { code: string; hint: string }) => e.code === "QUANTIZE_FAILED" && /--scale-bits/.test(e.hint) && /Clip/.test(e.hint));
  });

  it("the sumcheck system refuses a table, naming the op and --system groth16", () => {
    const { model } = loadGraph(dir, GRAPHS[1]);
    const q = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: sampleInputs(model, 4) });
    expect(() => sumcheckArch(q))
      .to.throw(/ops\[2\] table tanh: the sumcheck system does not take an activation by table lookup \(tanh/)
      .that.satisfies((e: { code: string; hint: string }) => /--system groth16/.test(e.hint));
  });
});

describe("issue 29 fifth batch (tables) in the Groth16 circuit: the formula, both backends, tampering, Solidity, a proof", function () {
  this.timeout(600_000);
  const dir = tmpDir("ops5-circuit");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { model } = loadGraph(dir, ALL);
  const calibration = sampleInputs(model, 16);
  const q: QModel = quantize(model, { inputBits: 8, weightBits: 8, activationBits: 8, calibration, saturate: "off" });
  const x = quantizeInput(q, sampleInputs(model, 7)[6]);
  const tables = q.ops.flatMap((o, k) => (o.op === "table" ? [{ k, t: o }] : []));

  it("the IR: five tables, each after its requant; runIR within the quantization's error of the float model", () => {
    expect(tables.map(({ t }) => t.fn)).to.deep.equal(["gelu", "sigmoid", "tanh", "erf", "exp"]);
    for (const { t } of tables) expectTableIsF(t);
    const fl = Array.from(forwardFloat(model, sampleInputs(model, 7)[6]).data);
    const scale = Math.max(1, ...fl.map(Math.abs));
    dequantize(q, runIR(q, x).output).forEach((v, i) => expect(Math.abs(v - fl[i]), `output ${i}: ${v} against ${fl[i]}`).to.be.below(0.15 * scale));
  });

  it("circom and the direct backend: constraints = the formula (a table B + 1 + P a value: x - lo's bits, their sum, P products of its multiplexer tree); each table's outputs and every wire tampered alone fails", async () => {
    const count = constraintCount(q, OPEN_VISIBILITY);
    // by hand: each requant K + 2 a value (unsaturated), each table B + 1 + P a value, P at most 2^(B-1) - 1
    const shapes = irShapes(q);
    let nonlinear = 0;
    q.ops.forEach((op, k) => {
      const n = shapes[k + 1][0];
      if (op.op === "requant") nonlinear += n * (op.bits + 2);
      if (op.op === "table") {
        const P = tableProducts(op);
        expect(P).to.be.at.most(2 ** (op.bits - 1) - 1);
        expect(GADGET_COST.table(op.bits, P)).to.equal(op.bits + 1 + P);
        nonlinear += n * (op.bits + 1 + P);
      }
    });
    expect(count.nonlinear).to.equal(nonlinear);
    const { compiled, r1csFile, d, wit, r1cs } = await bothBackends(q, x, OPEN_VISIBILITY, dir, count.total);
    const targets: [string, boolean][] = [];
    for (const { k, t } of tables) {
      for (let i = 0; i < shapes[k + 1][0]; i++) targets.push([`main.model.tb${k}[${i}]`, false], [`main.model.tb${k}b[${i}][0]`, true], [`main.model.tb${k}b[${i}][${t.bits - 1}]`, true]);
    }
    expectEachChangeFails(r1cs, wit, readSym(compiled.sym), targets);
    expectEveryWireCaught(r1csFile, d.witness!);
  });

  it("under private weights (each table widened to any input the weights' widths admit): constraints = the formula = circom = the direct backend; the honest witness holds", async () => {
    const vis: Visibility = { ...OPEN_VISIBILITY, weights: "private" };
    const count = constraintCount(q, vis);
    const wide = privateWeightsModel(q).ops.filter((o): o is Table => o.op === "table");
    wide.forEach((t, i) => expect(t.lo <= tables[i].t.lo && t.lo + (1n << BigInt(t.bits)) >= tables[i].t.lo + (1n << BigInt(tables[i].t.bits))).to.equal(true));
    const cdir = tmpDir("ops5-private");
    try {
      await bothBackends(q, x, vis, cdir, count.total);
    } finally {
      fs.rmSync(cdir, { recursive: true, force: true });
    }
  });

  it("the Solidity inference contract returns runIR's output bit for bit, on three inputs", async () => {
    await expectInferenceIsRunIR(q, "TablesInference", [x, ...sampleInputs(model, 9).slice(7).map((v) => quantizeInput(q, v))]);
  });

  it("prove-model (Groth16): proved and verified; the proved output is runIR's bit for bit", async () => {
    const r = await proveModel({ root: ROOT, model, circuit: { visibility: OPEN_VISIBILITY, quant: { scaleBits: 8, calibration, saturate: "off" } }, context: ACCOUNT0 });
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.prediction.outputs.length).to.equal(3);
  });
});
