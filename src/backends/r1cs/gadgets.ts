/**
 * The gadget library: every non-linear piece of a circuit, as constraints on an R1csBuilder. Each gadget's
 * constraint count is the one the cost model (src/statement/cost.ts GADGET_COST) states; test/gadgets.test.ts
 * checks each against it. Every comparison is a bounded decomposition of at most 240 bits, far below the 254-bit
 * field, so it is unique (never Num2Bits(254), which x and x + r both satisfy).
 */
import { fieldInverse, fieldOf, signedOf } from "../../core/field";
import { clampHighBits, leakyValue, MuxNode, QOp, requantValue, tableMux, tableValue } from "../../ir/ir";
import { argmax as firstLargest } from "../../model/format";
import type { R1csBuilder } from "./builder";
import { addScaled, addTerm, LC, lc, ONE } from "./lc";

type Requant = Extract<QOp, { op: "requant" }>;

/**
 * The K bits of u, a linear combination whose value is uVal in [0, 2^K): K booleans b_j and u = sum b_j 2^j.
 * K + 1 constraints. Returns the bit wires, least significant first.
 */
export function bitsOf(b: R1csBuilder, u: LC, uVal: bigint, K: number): number[] {
  const sum = lc();
  addScaled(sum, u, -1n);
  const bits: number[] = [];
  for (let j = 0; j < K; j++) {
    const bit = b.wire((uVal >> BigInt(j)) & 1n);
    b.boolean(bit);
    addTerm(sum, bit, 1n << BigInt(j));
    bits.push(bit);
  }
  b.zero(sum);
  return bits;
}

/** x in [min, min + 2^B): the B bits of x - min. B + 1 constraints. */
export function inRange(b: R1csBuilder, x: number, xVal: bigint, B: number, min: bigint): number[] {
  return bitsOf(b, lc([x, 1n], [ONE, -min]), xVal - min, B);
}

/** u <= 2^(K-1) for u's K bits: the top bit times the lower bits' sum is zero. 1 constraint. */
export function topBitAlone(b: R1csBuilder, bits: number[]): void {
  const low = lc();
  bits.slice(0, -1).forEach((w, j) => addTerm(low, w, 1n << BigInt(j)));
  b.constrain(lc([bits[bits.length - 1], 1n]), low, new Map());
}

/** x <= top, given x's own range check: top - x decomposed into B bits (B + 1 constraints, as inRange). */
export function atMost(b: R1csBuilder, x: number, xVal: bigint, B: number, top: bigint): number[] {
  return bitsOf(b, lc([ONE, top], [x, -1n]), top - xVal, B);
}

/** w = m, as m - w = 0: a wire bound to a linear combination (a sum, a hash), given m's value. 1 constraint. */
export function bind(b: R1csBuilder, w: number, m: LC): void {
  b.set(w, b.value(m));
  const e = lc([w, -1n]);
  addScaled(e, m, 1n);
  b.zero(e);
}

/** y = x for two wires, as y - x = 0 (a copy circom keeps: a public output, a one-value window). 1 constraint. */
export function copy(b: R1csBuilder, y: number, x: number): void {
  b.set(y, b.val(x));
  b.zero(lc([y, 1n], [x, -1n]));
}

/** p = x * y, a new wire. 1 constraint. */
export function product(b: R1csBuilder, x: LC, y: LC): number {
  const p = b.wire(fieldOf(b.value(x) * b.value(y)));
  b.constrain(x, y, lc([p, 1n]));
  return p;
}

/**
 * o = [h != 0], with its inverse: o = h inv, h (1 - o) = 0, (1 - o) inv = 0. The third pins inv to 0 when h = 0,
 * so every wire is determined by the inputs (circomlib's IsZero leaves it free). 3 constraints.
 */
export function isNonZero(b: R1csBuilder, h: LC): number {
  const hv = b.value(h);
  const inv = b.wire(hv === 0n ? 0n : fieldInverse(hv));
  const o = b.wire(hv === 0n ? 0n : 1n);
  b.constrain(h, lc([inv, 1n]), lc([o, 1n]));
  b.constrain(h, lc([ONE, 1n], [o, -1n]), new Map());
  b.constrain(lc([ONE, 1n], [o, -1n]), lc([inv, 1n]), new Map());
  return o;
}

/**
 * A requant of acc (value accVal, |accVal| < 2^(K-1)): floor(acc / 2^S), with ReLU fused or signed, clamped to
 * the op's width when saturating. The K-bit decomposition of u = acc + 2^(K-1), then (see requantValue):
 *   ReLU:   out = b_{K-1} * m, m = sum_{S<=j<K-1} b_j 2^(j-S)                 (1 constraint)
 *   signed: out = m - (1 - b_{K-1}) 2^(K-1-S)                                 (1 linear constraint)
 * K + 2 constraints, K + 6 saturated (saturatedTail). The result goes to `into` when given, else a new wire.
 */
export function requant(b: R1csBuilder, acc: LC, accVal: bigint, op: Requant, into?: number): number {
  const K = op.bits, S = op.shift;
  const u = lc([ONE, 1n << BigInt(K - 1)]);
  addScaled(u, acc, 1n);
  const bits = bitsOf(b, u, accVal + (1n << BigInt(K - 1)), K);
  const out = into ?? b.wire();
  b.set(out, fieldOf(requantValue(accVal, S, op.relu, op.clamp)));
  if (clampHighBits(op) > 0) {
    saturatedTail(b, bits, op, out);
    return out;
  }
  const m = lc();
  for (let j = S; j < K - 1; j++) addTerm(m, bits[j], 1n << BigInt(j - S));
  if (op.relu) b.constrain(lc([bits[K - 1], 1n]), m, lc([out, 1n]));
  else {
    const c = 1n << BigInt(K - 1 - S);
    const e = lc([out, 1n], [ONE, c], [bits[K - 1], -c]);
    addScaled(e, m, -1n);
    b.zero(e);
  }
  return out;
}

/**
 * A saturating requant's output from its bits (clamp A, H = clampHighBits(op) bits above the clamp's range):
 *   ReLU:   lo = bits S..S+A-1 as a number, h = the count of set bits S+A..K-2; o = [h != 0] (the value reached
 *           2^A); t = o (2^A - 1 - lo); out = sign * (lo + t)
 *   signed: lo = bits S..S+A-2 as a number; h = the count of high bits S+A-1..K-2 that differ from the sign
 *           (h = hs + (1 - sign)(H - 2 hs), one product); in range iff h = 0;
 *           out = lo - (1 - sign) 2^(A-1) + o (sign (2^(A-1) - 1) - lo)
 * 5 constraints past the decomposition (isNonZero's 3, then 2 for ReLU, or 1 for h and 1 for out when signed).
 */
function saturatedTail(b: R1csBuilder, bits: number[], op: Requant, out: number): void {
  const K = op.bits, S = op.shift, A = op.clamp!, H = clampHighBits(op);
  const sign = bits[K - 1];
  const lo = lc();
  for (let j = S; j < (op.relu ? S + A : S + A - 1); j++) addTerm(lo, bits[j], 1n << BigInt(j - S));
  const hs = lc();
  for (let j = K - 1 - H; j < K - 1; j++) addTerm(hs, bits[j], 1n);
  let h = hs;
  if (!op.relu) {
    // h = hs + (1 - sign)(H - 2 hs), as (1 - sign) * (H - 2 hs) = hw - hs
    const hsv = b.value(hs), sv = b.val(sign);
    const hw = b.wire(fieldOf(hsv + (1n - sv) * (BigInt(H) - 2n * hsv)));
    const f = lc([ONE, BigInt(H)]);
    addScaled(f, hs, -2n);
    const rhs = lc([hw, 1n]);
    addScaled(rhs, hs, -1n);
    b.constrain(lc([ONE, 1n], [sign, -1n]), f, rhs);
    h = lc([hw, 1n]);
  }
  const o = isNonZero(b, h);
  if (op.relu) {
    const cMinusLo = lc([ONE, (1n << BigInt(A)) - 1n]);
    addScaled(cMinusLo, lo, -1n);
    const t = product(b, lc([o, 1n]), cMinusLo);
    const loT = lc([t, 1n]);
    addScaled(loT, lo, 1n);
    b.constrain(lc([sign, 1n]), loT, lc([out, 1n]));
  } else {
    // o (sign (2^(A-1) - 1) - lo) = out - lo + (1 - sign) 2^(A-1)
    const half = 1n << BigInt(A - 1);
    const d = lc([sign, half - 1n]);
    addScaled(d, lo, -1n);
    const rhs = lc([out, 1n], [ONE, half], [sign, -half]);
    addScaled(rhs, lo, -1n);
    b.constrain(lc([o, 1n]), d, rhs);
  }
}

/**
 * One step of a running max: m' = max(m, v) for |v - m| < 2^(R-1). The R bits of v - m + 2^(R-1); the top one, c,
 * is "v >= m", and c (v - m) = m' - m. R + 2 constraints. The result goes to `into` when given.
 */
export function maxStep(b: R1csBuilder, m: number, v: number, R: number, into?: number): number {
  const half = 1n << BigInt(R - 1);
  const d = signedOf(b.val(v)) - signedOf(b.val(m)) + half;
  const bits = bitsOf(b, lc([v, 1n], [m, -1n], [ONE, half]), d, R);
  const c = bits[R - 1];
  const next = into ?? b.wire();
  b.set(next, b.val(c) === 1n ? b.val(v) : b.val(m));
  b.constrain(lc([c, 1n]), lc([v, 1n], [m, -1n]), lc([next, 1n], [m, -1n]));
  return next;
}

/**
 * One bound of a clip: max(m, c) (`lower`) or min(m, c) for a constant c, |m - c| < 2^(R-1). The R bits of
 * d = m - c + 2^(R-1) (lower) or c - m + 2^(R-1); the top one, s, is "m >= c" (or "m <= c"), and
 * s (m - c) = y - c. R + 2 constraints. The result goes to `into` when given.
 */
export function clampStep(b: R1csBuilder, m: LC, mVal: bigint, c: bigint, lower: boolean, R: number, into?: number): number {
  const half = 1n << BigInt(R - 1);
  const sgn = lower ? 1n : -1n;
  const d = lc([ONE, half - sgn * c]);
  addScaled(d, m, sgn);
  const bits = bitsOf(b, d, sgn * (mVal - c) + half, R);
  const s = bits[R - 1];
  const y = into ?? b.wire();
  b.set(y, fieldOf(b.val(s) === 1n ? mVal : c));
  const mc = lc([ONE, -c]);
  addScaled(mc, m, 1n);
  b.constrain(lc([s, 1n]), mc, lc([y, 1n], [ONE, -c]));
  return y;
}

/**
 * A leaky ReLU, y = 2^F x for x >= 0, alpha x below (exact), for |x| < 2^(K-1): the K bits of x + 2^(K-1), whose
 * top one s is "x >= 0", and s ((2^F - alpha) x) = y - alpha x. K + 2 constraints. The result goes to `into` when given.
 */
export function leaky(b: R1csBuilder, x: LC, xVal: bigint, op: Extract<QOp, { op: "leakyrelu" }>, into?: number): number {
  const K = op.bits;
  const u = lc([ONE, 1n << BigInt(K - 1)]);
  addScaled(u, x, 1n);
  const bits = bitsOf(b, u, xVal + (1n << BigInt(K - 1)), K);
  const s = bits[K - 1];
  const y = into ?? b.wire();
  b.set(y, fieldOf(leakyValue(xVal, op)));
  const scaled = lc();
  addScaled(scaled, x, (1n << BigInt(op.shift)) - op.alpha);
  const rhs = lc([y, 1n]);
  addScaled(rhs, x, -op.alpha);
  b.constrain(lc([s, 1n]), scaled, rhs);
  return y;
}

/**
 * An activation by table lookup, y = T[x - lo] (ir.ts tableValues) for x in [lo, lo + 2^B): the B bits of x - lo (B
 * booleans and their sum), then the multiplexer tree ir.ts tableMux builds: a constant or linear node is a linear
 * combination of the bits, every other node a wire m with b (m1 - m0) = m - m0, in post-order (low child, high child,
 * node); the root's wire is the output. B + 1 + P constraints (GADGET_COST.table). The result goes to `into` when given.
 */
export function table(b: R1csBuilder, x: LC, xVal: bigint, op: Extract<QOp, { op: "table" }>, into?: number): number {
  const u = lc([ONE, -op.lo]);
  addScaled(u, x, 1n);
  const bits = bitsOf(b, u, xVal - op.lo, op.bits);
  const root = tableMux(op);
  const y = into ?? b.wire();
  const node = (m: MuxNode): LC => {
    if (m.kind === "const") return lc([ONE, m.c]);
    if (m.kind === "lin") return lc([ONE, m.c0], [bits[m.bit], m.c1 - m.c0]);
    const m0 = node(m.lo), m1 = node(m.hi);
    const w = m === root ? y : b.wire();
    b.set(w, fieldOf(b.value(m0) + b.val(bits[m.bit]) * (b.value(m1) - b.value(m0))));
    const d = lc();
    addScaled(d, m1, 1n);
    addScaled(d, m0, -1n);
    const c = lc([w, 1n]);
    addScaled(c, m0, -1n);
    b.constrain(lc([bits[m.bit], 1n]), d, c);
    return lc([w, 1n]);
  };
  node(root);
  if (b.withWitness) b.set(y, fieldOf(tableValue(op, xVal)));
  return y;
}

/**
 * label = the index of the first largest of y (signed, pairwise differences below 2^(R-1)). A one-hot selector s
 * picks it (N booleans, sum s = 1, label = sum i s_i), prod_i = s_i y_i, and for every i the difference
 * sum prod - y_i - [i < label] is proved to lie in [0, 2^R). With two outputs the label is s_1 itself and with one
 * the selector is the constant 1 (circom substitutes those copies away too).
 * Constraints: 2N + 1 (+1 if N > 2) + N (R + 1) for N > 1.
 */
export function argmax(b: R1csBuilder, y: number[], label: number, R: number): void {
  const N = y.length;
  const yv = y.map((w) => signedOf(b.val(w)));
  const best = b.withWitness ? firstLargest(yv) : 0;
  const s = y.map((_, i) => (N === 1 ? ONE : N === 2 && i === 1 ? label : b.wire(BigInt(i === best ? 1 : 0))));
  b.set(label, BigInt(best));
  if (N > 1) {
    s.forEach((w) => b.boolean(w));
    b.zero(lc([ONE, -1n], ...s.map((w) => [w, 1n] as [number, bigint])));
  }
  if (N !== 2) b.zero(lc([label, 1n], ...s.map((w, i) => [w, -BigInt(i)] as [number, bigint])));
  const prod = y.map((yw, i) => product(b, lc([s[i], 1n]), lc([yw, 1n])));
  y.forEach((yw, i) => {
    const later = i < best ? 1n : 0n;
    // u = sum prod - y_i - sum_{j > i} s_j
    const u = lc(...prod.map((p) => [p, 1n] as [number, bigint]), [yw, -1n]);
    for (let j = i + 1; j < N; j++) addTerm(u, s[j], -1n);
    bitsOf(b, u, b.withWitness ? yv[best] - yv[i] - later : 0n, R);
  });
}

/** Limb j of values v (wires) in [lo, lo + 2^P): sum_t (v - lo) 2^(P t), floor(253 / P) values a limb. */
export function limbs(vs: readonly number[], P: number, perLimb: number, lo: bigint): LC[] {
  const out: LC[] = [];
  for (let j = 0; j * perLimb < vs.length; j++) {
    const m = lc();
    for (let t = 0; t < perLimb && j * perLimb + t < vs.length; t++) {
      addTerm(m, vs[j * perLimb + t], 1n << BigInt(P * t));
      addTerm(m, ONE, -(lo << BigInt(P * t)));
    }
    out.push(m);
  }
  return out;
}
