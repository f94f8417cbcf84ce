/**
 * Known answers for the integer semantics, and the error messages users see for bad models and inputs.
 */
import { expect } from "chai";
import fc from "fast-check";
import { analyzeBounds, assignRequantBits, clampHighBits, floorDiv, IR_FORMAT, QModel, requantValue, runIR, validateIR } from "../src/ir/ir";
import { MODEL_FORMAT, ModelFile, validateModel } from "../src/model/format";
import { quantize, quantizeInput } from "../src/quantize/quantize";
import { isZkmlError, ZkmlError } from "../src/core/errors";
import { rng } from "../src/model/mnist";
import { randomModel } from "./helpers/random";

function throwsZkml(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isZkmlError(e), String(e)).to.equal(true);
    expect((e as ZkmlError).code).to.equal(code);
    expect((e as ZkmlError).message).to.match(message);
    return;
  }
  expect.fail("expected a ZkmlError");
}

describe("IR semantics: known answers", () => {
  it("requant is floor division by 2^shift, then ReLU", () => {
    expect(floorDiv(7n, 2)).to.equal(1n);
    expect(floorDiv(-7n, 2)).to.equal(-2n); // floor, not truncation toward zero
    expect(floorDiv(-8n, 2)).to.equal(-2n);
    expect(requantValue(-7n, 2, true)).to.equal(0n);
    expect(requantValue(-7n, 2, false)).to.equal(-2n);
    expect(requantValue(12n, 0, true)).to.equal(12n);
  });

  it("a saturating requant clamps to its width: [0, 2^A - 1] after ReLU, [-2^(A-1), 2^(A-1) - 1] signed", () => {
    expect(requantValue(100n, 2, true, 4)).to.equal(15n); // 25 -> 15
    expect(requantValue(60n, 2, true, 4)).to.equal(15n); // exactly 15: unchanged
    expect(requantValue(-100n, 2, true, 4)).to.equal(0n);
    expect(requantValue(100n, 2, false, 4)).to.equal(7n);
    expect(requantValue(-100n, 2, false, 4)).to.equal(-8n); // floor(-25) clamped
    expect(requantValue(-29n, 2, false, 4)).to.equal(-8n); // floor(-7.25) = -8: unchanged
    expect(requantValue(-27n, 2, false, 4)).to.equal(-7n);
    // the high bits above the clamp: K - 1 - S - A after ReLU, K - S - A signed; none when the clamp cannot act
    expect(clampHighBits({ op: "requant", shift: 2, relu: true, bits: 10, clamp: 4 })).to.equal(3);
    expect(clampHighBits({ op: "requant", shift: 2, relu: false, bits: 10, clamp: 4 })).to.equal(4);
    expect(clampHighBits({ op: "requant", shift: 2, relu: true, bits: 7, clamp: 4 })).to.equal(0);
    expect(clampHighBits({ op: "requant", shift: 2, relu: true, bits: 10 })).to.equal(0);
  });

  it("assignRequantBits keeps a clamp only where the worst case reaches past it", () => {
    const base = (clamp: number): QModel => ({
      format: IR_FORMAT,
      name: "clamp",
      input: { shape: [1], min: 0n, bits: 4, step: 1, range: [0, 15] },
      ops: [
        { op: "dense", inSize: 1, units: 2, weights: [1n, -3n], bias: [0n, 0n] },
        { op: "requant", shift: 0, relu: true, bits: 1, clamp },
        { op: "dense", inSize: 2, units: 1, weights: [1n, 1n], bias: [0n] },
      ],
      output: { step: 1 },
    });
    // x in [0, 15]: the ReLU outputs reach 15 and 0, so a 4-bit clamp never acts and is dropped; a 3-bit one stays
    expect((assignRequantBits(base(4)).ops[1] as { clamp?: number }).clamp).to.equal(undefined);
    const q3 = assignRequantBits(base(3));
    expect((q3.ops[1] as { clamp?: number }).clamp).to.equal(3);
    validateIR(q3);
    expect(runIR(q3, [12n]).output).to.deep.equal([7n]);
    expect(analyzeBounds(q3)[3]).to.deep.equal([[0n, 7n]]);
  });

  it("floorDiv agrees with mathematical floor on random values", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }), fc.integer({ min: 0, max: 60 }), (x, s) => {
        const d = 1n << BigInt(s);
        const q = floorDiv(x, s);
        return q * d <= x && x < (q + 1n) * d;
      }),
    );
  });

  // conv 1->1 with a 2x2 kernel on a 3x3 input, padding 0, stride 1; then ReLU-requant by 1; sum pool 2x2; dense.
  const kat: QModel = {
    format: IR_FORMAT,
    name: "kat",
    input: { shape: [1, 3, 3], min: -4n, bits: 4, step: 1, range: [-4, 11] },
    ops: [
      { op: "conv2d", filters: 1, kernel: [2, 2], stride: [1, 1], padding: [0, 0], weights: [1n, -2n, 3n, 0n], bias: [1n] },
      { op: "requant", shift: 1, relu: true, bits: 12 },
      { op: "sumpool2d", pool: [2, 2], stride: [2, 2] },
      { op: "flatten" },
      { op: "dense", inSize: 1, units: 2, weights: [2n, -1n], bias: [0n, 5n] },
    ],
    output: { step: 1 },
  };

  it("a hand-computed model", () => {
    validateIR(kat);
    // input  1 2 3 / 4 5 6 / 7 8 -4
    // conv at (0,0): 1*1 - 2*2 + 3*4 + 0*5 + 1 = 10; (0,1): 2 - 6 + 15 + 1 = 12; (1,0): 4 - 10 + 21 + 1 = 16;
    //         (1,1): 5 - 12 + 24 + 1 = 18  -> requant /2: 5, 6, 8, 9 -> sum pool: 28 -> dense: [56, -23]
    const out = runIR(kat, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, -4n]).output;
    expect(out).to.deep.equal([56n, -23n]);
  });

  it("bounds contain every value the interpreter produces (property; with residual connections too)", () => {
    const rand = rng(5);
    for (let i = 0; i < 60; i++) {
      const c = randomModel(rand, `b${i}`, { residual: i >= 40 });
      const q = quantize(c.model, { ...c.bits, calibration: c.inputs.slice(0, 1), saturate: c.saturate });
      const bounds = analyzeBounds(q);
      for (const x of c.inputs) {
        const trace = runIR(q, quantizeInput(q, x)).trace;
        trace.forEach((t, k) => t.forEach((v, j) => expect(v >= bounds[k][j][0] && v <= bounds[k][j][1], `tensor ${k}[${j}]`).to.equal(true)));
      }
    }
  });

  it("the bounds' float64 path gives the exact bigint path's intervals (property, convs, pools and residuals)", () => {
    const rand = rng(11);
    for (let i = 0; i < 40; i++) {
      const c = randomModel(rand, `f${i}`, { residual: i >= 25 });
      const q = quantize(c.model, { ...c.bits, calibration: c.inputs.slice(0, 1), saturate: c.saturate });
      expect(analyzeBounds(q), q.name).to.deep.equal(analyzeBounds(q, { exact: true }));
    }
    // past 2^50 the float path steps aside: weights of 2^40 on inputs of 2^12
    const big = { ...kat, input: { ...kat.input, bits: 13 }, ops: kat.ops.map((o) => (o.op === "conv2d" ? { ...o, weights: o.weights.map((w) => w * (1n << 40n)) } : o)) };
    expect(analyzeBounds(big)).to.deep.equal(analyzeBounds(big, { exact: true }));
  });

  it("validateIR rejects a requant too narrow for its worst case", () => {
    const narrow = { ...kat, ops: kat.ops.map((o) => (o.op === "requant" ? { ...o, bits: 5 } : o)) };
    throwsZkml(() => validateIR(narrow), "IR_INVALID", /ops\[1\]\.bits: worst-case input needs \d+ bits, the op checks 5/);
  });

  it("runIR refuses an input outside the circuit's range", () => {
    throwsZkml(() => runIR(kat, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 12n]), "INPUT_OUT_OF_RANGE", /input\[8\]: quantized value 12 is outside \[-4, 11\]/);
  });
});

describe("model files: errors name the path, expected and got", () => {
  const good = (): ModelFile => ({
    format: MODEL_FORMAT,
    name: "t",
    input: { shape: [3], range: [0, 1] },
    layers: [{ type: "dense", units: 2, weights: [[1, 2, 3], [4, 5, 6]], bias: [0, 0] }],
    provenance: { source: "test" },
  });

  it("accepts a valid model", () => expect(validateModel(good()).name).to.equal("t"));

  it("wrong weight shape", () => {
    const m = good();
    (m.layers[0] as { weights: number[][] }).weights[1] = [4, 5];
    throwsZkml(() => validateModel(m, "m.json"), "MODEL_INVALID", /^m\.json: layers\[0\]\.weights: expected 2x3, got 2x2 at layers\[0\]\.weights\[1\]/);
  });

  it("wrong format tag, bad range, unknown layer, dense on an image", () => {
    throwsZkml(() => validateModel({ ...good(), format: "x" }), "MODEL_INVALID", /format: expected "zkml-model\/1", got "x"/);
    throwsZkml(() => validateModel({ ...good(), input: { shape: [3], range: [1, 0] } }), "MODEL_INVALID", /input\.range: expected \[lo, hi\] with lo < hi, got \[1,0\]/);
    throwsZkml(() => validateModel({ ...good(), layers: [{ type: "softmax" }] }), "MODEL_INVALID", /layers\[0\]\.type: expected one of .*got "softmax"/);
    throwsZkml(
      () => validateModel({ ...good(), input: { shape: [1, 2, 2], range: [0, 1] }, layers: [{ type: "dense", units: 1, weights: [[1]], bias: [0] }] }),
      "MODEL_INVALID",
      /layers\[0\]: dense needs a flat input, got shape 1x2x2/,
    );
  });

  it("a non-number weight names its element", () => {
    const m = good();
    (m.layers[0] as { weights: unknown[][] }).weights[0][2] = "3";
    throwsZkml(() => validateModel(m), "MODEL_INVALID", /layers\[0\]\.weights\[0\]\[2\]: expected a finite number, got "3"/);
  });
});

describe("input quantization", () => {
  const q = quantize(
    { format: MODEL_FORMAT, name: "t", input: { shape: [2], range: [0, 1] }, layers: [{ type: "dense", units: 1, weights: [[0.5, -0.5]], bias: [0] }], provenance: {} },
    { inputBits: 8, weightBits: 8, activationBits: 8, calibration: [[1, 0]] },
  );
  it("picks the largest scale that fits the range in the bits: [0,1] in 8 bits is step 2^-7", () => {
    expect(q.input.step).to.equal(2 ** -7);
    expect(quantizeInput(q, [1, 0.5])).to.deep.equal([128n, 64n]);
  });
  it("refuses values out of range and wrong lengths, naming the element", () => {
    throwsZkml(() => quantizeInput(q, [1.5, 0], "in.json"), "INPUT_OUT_OF_RANGE", /in\.json\[0\]: 1\.5 is outside the model's declared input range \[0, 1\]/);
    throwsZkml(() => quantizeInput(q, [1, 0, 0]), "INPUT_INVALID", /expected 2 values \(shape 2\), got 3/);
  });
});
