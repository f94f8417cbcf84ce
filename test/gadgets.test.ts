/**
 * The gadget library against the cost model: each r1cs gadget, built alone, emits exactly the constraints
 * GADGET_COST states (the formula constraintCount sums), its honest witness satisfies them, and changing its
 * output wire breaks one. Values are random (property test) and include the edges of each range.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fieldOf, BN254_R } from "../src/core/field";
import { R1csBuilder } from "../src/backends/r1cs/builder";
import { argmax, atMost, inRange, isNonZero, maxStep, requant, topBitAlone } from "../src/backends/r1cs/gadgets";
import { lc, ONE } from "../src/backends/r1cs/lc";
import { R1csWriter } from "../src/backends/r1cs/writer";
import { clampHighBits } from "../src/ir/ir";
import { firstUnsatisfied, readR1cs } from "../src/core/r1cs";
import { GADGET_COST } from "../src/statement/cost";

/** Runs `gadget` on a fresh builder whose first `inputs` wires hold the given values; returns the count, the satisfaction of the witness and of a tampered one. */
function check(inputs: bigint[], gadget: (b: R1csBuilder, w: number[]) => number): { constraints: number; holds: boolean; tamperedFails: boolean } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "zkml-gadget-")), "g.r1cs");
  try {
    const writer = new R1csWriter(file, { nPubOut: 0, nPubIn: inputs.length, nPrvIn: 0 });
    const b = new R1csBuilder(true, writer);
    const w = inputs.map((v) => b.wire(fieldOf(v)));
    const before = b.constraints;
    const out = gadget(b, w);
    const constraints = b.constraints - before;
    writer.finish(b.wires);
    const r = readR1cs(file);
    const witness = b.witness();
    const bad = witness.slice();
    bad[out] = (bad[out] + 1n) % BN254_R;
    return { constraints, holds: firstUnsatisfied(r, witness) === -1, tamperedFails: firstUnsatisfied(r, bad) >= 0 };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe("gadgets: constraints as the cost model states, honest witness holds, a changed output fails", () => {
  it("inRange(B): B + 1", () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: -1000, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (B, min, t) => {
        const x = BigInt(min) + BigInt(Math.floor(t * (2 ** B - 1)));
        const r = check([x], (b, [w]) => inRange(b, w, x, B, BigInt(min))[0]);
        return r.constraints === GADGET_COST.inRange(B) && r.holds && r.tamperedFails;
      }),
      { numRuns: 40 },
    ));

  // The declared input range [min, top] inside B bits: every x of the B-bit range, with the honest decomposition,
  // satisfies the circuit exactly when x <= top (so a witness for x past the declared top does not exist: the bits
  // of x - min, and of top - x, are unique).
  it("input top, half (top - min = 2^(B-1)): 1 constraint past inRange; exactly [min, top] satisfied", () => {
    for (const B of [1, 2, 4, 6])
      for (let u = 0n; u < 1n << BigInt(B); u++) {
        const min = -3n, top = min + (1n << BigInt(B - 1)), x = min + u;
        const r = check([x], (b, [w]) => {
          const bits = inRange(b, w, x, B, min);
          const at = b.constraints;
          topBitAlone(b, bits);
          expect(b.constraints - at).to.equal(GADGET_COST.inputTop.half(B));
          return bits[0];
        });
        expect(r.holds, `B ${B} x ${x}`).to.equal(x <= top);
      }
  });

  it("input top, bits (any other top): B + 1 past inRange; exactly [min, top] satisfied", () => {
    for (const [B, span] of [[3, 5n], [4, 9n], [5, 0n]] as const)
      for (let u = 0n; u < 1n << BigInt(B); u++) {
        const min = 7n, top = min + span, x = min + u;
        // top - x for x past top is negative: its B "bits" as the prover would compute them from the field element
        const r = check([x], (b, [w]) => {
          inRange(b, w, x, B, min);
          const at = b.constraints;
          const bits = atMost(b, w, x, B, top);
          expect(b.constraints - at).to.equal(GADGET_COST.inputTop.bits(B));
          return bits[0];
        });
        expect(r.holds, `B ${B} x ${x}`).to.equal(x <= top);
      }
  });

  it("requant(K), plain and saturated, ReLU and signed: K + 2, K + 6", () =>
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 24 }), fc.integer({ min: 0, max: 4 }), fc.boolean(), fc.boolean(), fc.double({ min: -1, max: 1, noNaN: true }), (K, S, relu, saturate, t) => {
        const acc = BigInt(Math.trunc(t * (2 ** (K - 1) - 1)));
        const clamp = saturate ? 3 : undefined;
        const op = { op: "requant" as const, shift: S, relu, bits: K, clamp };
        let out = -1;
        const r = check([acc], (b, [w]) => (out = requant(b, lc([w, 1n]), acc, op)));
        expect(out).to.be.greaterThan(0);
        return r.constraints === GADGET_COST.requant(K, clampHighBits(op) > 0) && r.holds && r.tamperedFails;
      }),
      { numRuns: 60 },
    ));

  it("isNonZero: 3, for zero and non-zero", () => {
    for (const v of [0n, 1n, -7n, 123456789n]) {
      const r = check([v], (b, [w]) => isNonZero(b, lc([w, 1n])));
      expect(r).to.deep.equal({ constraints: GADGET_COST.isNonZero, holds: true, tamperedFails: true });
    }
  });

  it("maxStep(R): R + 2", () =>
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 20 }), fc.integer(), fc.integer(), (R, a, c) => {
        const lim = 2 ** (R - 2);
        const m = BigInt(a % lim), v = BigInt(c % lim);
        const r = check([m, v], (b, [wm, wv]) => maxStep(b, wm, wv, R));
        return r.constraints === GADGET_COST.maxStep(R) && r.holds && r.tamperedFails;
      }),
      { numRuns: 40 },
    ));

  it("argmax(N, R): 2N + 1 (+1 if N > 2) + N (R + 1), for N = 2..6 with ties", () =>
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 6 }), (ys) => {
        const R = 8;
        const y = ys.map(BigInt);
        let label = -1;
        const r = check(y, (b, w) => {
          label = b.wire();
          argmax(b, w, label, R);
          return label;
        });
        return r.constraints === GADGET_COST.argmax(y.length, R) && r.holds && r.tamperedFails;
      }),
      { numRuns: 40 },
    ));

  it("the constant wire is 1 and a builder without a witness reads every value as 0", () => {
    const b = new R1csBuilder(false);
    const w = b.wire(5n);
    expect([ONE, b.val(w), b.witness()]).to.deep.equal([0, 0n, [1n]]);
  });
});
