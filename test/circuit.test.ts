/**
 * The circuit is the reference interpreter, bit for bit, and it accepts nothing else.
 *
 * 200 random models (random architectures, weights, input ranges and bit widths) are quantized, rendered and
 * compiled in bundles of 25 (one circom run each); on three inputs each, the witness outputs must equal
 * runIR's and satisfy every constraint. Then witnesses are tampered with: an output, a ReLU sign bit, a
 * rescale remainder bit, an input range bit; each must break a constraint.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { renderBundle, renderCircuit } from "../src/backends/circom/render";
import { inputTopCheck, QModel, runIR } from "../src/ir/ir";
import { OPEN_VISIBILITY } from "../src/statement/visibility";
import { firstUnsatisfied, readR1cs, R1cs, unconstrainedWires, writeWtns } from "../src/core/r1cs";
import { BN254_R, fieldOf } from "../src/core/field";
import { compileSource, readSym, tmpDir, witness } from "./helpers/circuit";
import { prepareModels, Prepared } from "./helpers/random";
import { quantize } from "../src/quantize/quantize";
import { execFileSync } from "child_process";

const toField = fieldOf;

describe("circuit = reference interpreter (property, 200 random models)", function () {
  this.timeout(900_000);
  const BUNDLES = 8;
  const PER = 25;

  for (let b = 0; b < BUNDLES; b++) {
    it(`bundle ${b + 1}/${BUNDLES}: ${PER} random models x 3 inputs, outputs bit for bit, all constraints hold`, async () => {
      const models = prepareModels(PER, 1000 + b);
      const dir = tmpDir("bundle");
      try {
        const bundle = renderBundle(models.map((m) => m.q));
        const compiled = await compileSource(bundle.source, dir);
        const r1cs = readR1cs(compiled.r1cs);
        for (let k = 0; k < 3; k++) {
          const input: Record<string, string[]> = {};
          models.forEach((m, j) => (input[`x${j}`] = m.inputs[k].map((v) => toField(v).toString())));
          const w = await witness(compiled.wasm, input, dir);
          expect(firstUnsatisfied(r1cs, w), "first unsatisfied constraint").to.equal(-1);
          let off = 1; // wire 0 is the constant 1; outputs come next
          models.forEach((m, j) => {
            const expected = runIR(m.q, m.inputs[k]).output.map(toField);
            const got = w.slice(off, off + expected.length);
            expect(got, `model ${j} (${m.q.ops.map((o) => o.op).join(",")}) input ${k}`).to.deep.equal(expected);
            off += expected.length;
          });
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("soundness: tampered witnesses fail the constraint check", function () {
  this.timeout(300_000);
  // Three generated circuits of different kinds: an MLP, a conv+pool net, and one with a signed (non-ReLU) requant.
  const picks = prepareModels(60, 77).filter((m) => m.q.ops.some((o) => o.op === "requant" && o.shift > 0));
  const chosen = [
    picks.find((m) => m.q.ops.some((o) => o.op === "conv2d") && m.q.ops.some((o) => o.op === "sumpool2d")),
    picks.find((m) => !m.q.ops.some((o) => o.op === "conv2d")),
    picks.find((m) => m.q.ops.some((o) => o.op === "requant" && !o.relu && o.shift > 0)),
  ].filter((m): m is Prepared => !!m);

  it("found three kinds of circuit to tamper with", () => expect(chosen.length).to.equal(3));

  chosen.forEach((m, idx) => {
    it(`circuit ${idx + 1} (${m.q.ops.map((o) => o.op).join(" -> ")})`, async () => {
      const dir = tmpDir("tamper");
      try {
        const compiled = await compileSource(renderCircuit(m.q, OPEN_VISIBILITY), dir);
        const r1cs: R1cs = readR1cs(compiled.r1cs);
        const sym = readSym(compiled.sym);
        const w = await witness(compiled.wasm, { x: m.inputs[0].map((v) => toField(v).toString()) }, dir);
        expect(firstUnsatisfied(r1cs, w)).to.equal(-1);

        const tamper = (name: string, delta = 1n) => {
          const i = sym.get(name);
          expect(i, `signal ${name} in the witness`).to.be.a("number");
          const bad = w.slice();
          bad[i!] = (bad[i!] + delta) % BN254_R;
          return bad;
        };
        // 1. an output
        expect(firstUnsatisfied(r1cs, tamper("main.y[0]")), "changed output").to.be.at.least(0);
        // 2. a sign bit and 3. a remainder bit of a requant with a shift
        const k = m.q.ops.findIndex((o) => o.op === "requant" && o.shift > 0);
        const op = m.q.ops[k] as Extract<QModel["ops"][number], { op: "requant" }>;
        const sign = `main.model.rq${k}b[0][${op.bits - 1}]`;
        const flip = (name: string) => (w[sym.get(name)!] === 1n ? BN254_R - 1n : 1n);
        expect(firstUnsatisfied(r1cs, tamper(sign, flip(sign))), "flipped sign bit").to.be.at.least(0);
        const rem = `main.model.rq${k}b[0][0]`;
        expect(firstUnsatisfied(r1cs, tamper(rem, flip(rem))), "flipped remainder bit").to.be.at.least(0);
        // bits[0] += 2 and bits[1] -= 1 keep the recomposed sum: only the boolean constraints can catch it
        const both = tamper(rem, 2n);
        const b1 = sym.get(`main.model.rq${k}b[0][1]`)!;
        both[b1] = (both[b1] + BN254_R - 1n) % BN254_R;
        expect(firstUnsatisfied(r1cs, both), "sum-preserving non-boolean bits").to.be.at.least(0);
        // 4. an input range bit
        const inBit = "main.model.inRange[0].bits[0]";
        expect(firstUnsatisfied(r1cs, tamper(inBit, flip(inBit))), "flipped input range bit").to.be.at.least(0);

        // The stock tool agrees: snarkjs wtns check rejects the tampered witness and accepts the honest one.
        const good = path.join(dir, "good.wtns");
        const bad = path.join(dir, "bad.wtns");
        writeWtns(good, w);
        writeWtns(bad, tamper("main.y[0]"));
        const cli = path.join(__dirname, "..", "node_modules", "snarkjs", "build", "cli.cjs");
        execFileSync("node", [cli, "wtns", "check", compiled.r1cs, good], { stdio: "pipe" });
        expect(() => execFileSync("node", [cli, "wtns", "check", compiled.r1cs, bad], { stdio: "pipe" })).to.throw();

        // Every wire is used by some constraint: nothing is computed and left unchecked.
        expect(unconstrainedWires(r1cs)).to.deep.equal([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe("constraint count follows the formula", function () {
  this.timeout(120_000);
  it("dense 6 -> 4 (relu) -> 3: inputs*(B+1) + neurons*(K+2) + outputs", async () => {
    const q = quantize(
      {
        format: "zkml-model/1",
        name: "count",
        input: { shape: [6], range: [0, 1] },
        layers: [
          { type: "dense", units: 4, weights: [...Array(4)].map((_, o) => [...Array(6)].map((_, i) => ((o + 1) * (i - 2)) / 10)), bias: [0.1, -0.2, 0.3, 0] },
          { type: "relu" },
          { type: "dense", units: 3, weights: [...Array(3)].map((_, o) => [...Array(4)].map((_, i) => (o - i) / 5)), bias: [0, 0, 0] },
        ],
        provenance: {},
      },
      { inputBits: 8, weightBits: 8, activationBits: 8, calibration: [[1, 1, 1, 1, 1, 1], [0, 0.5, 1, 0, 0.5, 1]] },
    );
    const rq = q.ops[1] as Extract<QModel["ops"][number], { op: "requant" }>;
    const dir = tmpDir("count");
    try {
      const compiled = await compileSource(renderCircuit(q, OPEN_VISIBILITY), dir);
      // Each input: B = 8 boolean bits + 1 recomposition = 9, and the declared range [0, 1] ends at
      // min + 2^7 (2^7 + 1 codes need the 8 bits): the top bit times the lower bits = 0, 1 more.  6 * 10 = 60
      // Each hidden neuron: K boolean bits + 1 recomposition + 1 relu product.  4 * (K + 2)
      // Each output: one linear constraint binding y to its accumulator.  3
      expect(inputTopCheck(q)).to.equal("half");
      expect(compiled.constraints).to.equal(6 * (8 + 1 + 1) + 4 * (rq.bits + 2) + 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
