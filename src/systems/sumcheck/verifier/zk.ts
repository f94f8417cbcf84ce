/**
 * The zero-knowledge sumcheck's verifier (native/src/sumcheck/zk.rs): Libra's masking polynomial for the rounds
 * and one slot a hidden factor, all entries of one committed mask vector that this module allocates.
 *
 * A sumcheck of sum_x prod_i F_i(x) over n >= 1 variables whose public claim v carries corrections l (the true sum is
 * v - <l, mask>). Each hidden factor F_i is sent as F^_i = F_i + rho_i Z, Z(x) = prod_j x_j (1 - x_j), so the last
 * round's degree is d + m (m hidden factors), every other round's d. Libra's g(x) = a_0 + sum_j g_j(x_j), g_j of
 * round j's degree, stored by its values on 0..=D_j; G = 2^n a_0 + 2^(n-1) sum_j (g_j(0) + g_j(1)).
 *
 * Transcript: ("zk sumcheck claim", [v, n, d, m]), eta, ("zk sumcheck sum", K), per round ("sumcheck round",
 * g_j(0..=D_j)) then r_j, ("zk mask eval", y). Checks: n rounds, each of D_j + 1 values, g_j(0) + g_j(1) equal to
 * the running claim from v + K. The caller checks prod_i F^_i(r) = e - eta y against the revealed values; left on
 * the mask vector: K = eta G - <l, mask> and y = g(r).
 */
import { add, fr, interpolate, mul, neg, sub } from "./field";
import { Reject } from "./reject";
import { Transcript } from "./transcript";

/** Weights on the mask vector's entries: [index, weight] pairs (an index may repeat: the weights add). */
export type Weights = [number, bigint][];

/** A linear claim on the mask vector: sum of weight * mask[index] equals `value`. */
export interface MaskClaim {
  weights: Weights;
  value: bigint;
}

/** Hands out entries of the mask vector in order (zk.rs MaskAlloc). */
export class MaskAlloc {
  len = 0;
  take(n: number): number {
    this.len += n;
    return this.len - n;
  }
}

/** n variables, and per factor its slot in the mask vector when hidden (null for a factor the verifier knows). */
export interface ZkShape {
  numVars: number;
  slots: (number | null)[];
}

export const hiddenFactors = (s: ZkShape): number => s.slots.filter((x) => x !== null).length;

/** Round j's degree: the factor count, raised by one per hidden factor in the last round. */
export function roundDegree(s: ZkShape, j: number): number {
  return s.slots.length + (j + 1 === s.numVars ? hiddenFactors(s) : 0);
}

/** Libra's mask: a_0 at mask[a0], g_j's values on 0..=degrees[j] from mask[offsets[j]]. */
export interface LibraMask {
  a0: number;
  offsets: number[];
  degrees: number[];
}

/** Libra's mask for this shape, each g_j of its round's degree. */
export function libraFor(s: ZkShape, alloc: MaskAlloc): LibraMask {
  const degrees = Array.from({ length: s.numVars }, (_, j) => roundDegree(s, j));
  const a0 = alloc.take(1);
  return { a0, offsets: degrees.map((d) => alloc.take(d + 1)), degrees };
}

const pow2 = (e: number): bigint => fr(1n << BigInt(e));

/** G = sum of g over the cube, as weights: 2^n on a_0, 2^(n-1) on each g_j(0) and g_j(1). */
function sumWeights(g: LibraMask): Weights {
  const half = pow2(g.offsets.length - 1);
  const w: Weights = [[g.a0, add(half, half)]];
  for (const o of g.offsets) w.push([o, half], [o + 1, half]);
  return w;
}

/** L_0(r) .. L_{n-1}(r): Lagrange's basis on the nodes 0..n-1 at r, each the polynomial through one unit vector. */
function lagrangeBasis(n: number, r: bigint): bigint[] {
  return Array.from({ length: n }, (_, k) => interpolate(Array.from({ length: n }, (_, j) => (j === k ? 1n : 0n)), r));
}

/** g(r) as weights: 1 on a_0, L_k(r_j) on g_j's value at k. */
function evalWeights(g: LibraMask, r: readonly bigint[]): Weights {
  const w: Weights = [[g.a0, 1n]];
  g.offsets.forEach((o, j) => lagrangeBasis(g.degrees[j] + 1, r[j]).forEach((l, k) => w.push([o + k, l])));
  return w;
}

/** Z(r) = prod_j r_j (1 - r_j). */
export function vanishing(r: readonly bigint[]): bigint {
  return r.reduce((p, x) => mul(p, mul(x, sub(1n, x))), 1n);
}

/** The prover's messages besides the revealed factor values. */
export interface ZkSumcheckProof {
  k: bigint;
  rounds: bigint[][];
  y: bigint;
}

export interface ZkVerified {
  point: bigint[];
  /** What prod_i F^_i(r) must be. */
  finalValue: bigint;
  z: bigint;
  maskClaims: MaskClaim[];
}

function maskClaims(g: LibraMask, eta: bigint, l: Weights, point: readonly bigint[], k: bigint, y: bigint): MaskClaim[] {
  const kWeights: Weights = sumWeights(g).map(([i, w]) => [i, mul(eta, w)]);
  for (const [i, w] of l) kWeights.push([i, neg(w)]);
  return [
    { weights: kWeights, value: k },
    { weights: evalWeights(g, point), value: y },
  ];
}

/** Checks a zero-knowledge sumcheck of the public claim `claim` with corrections `l` (module doc). */
export function verifyZk(proof: ZkSumcheckProof, shape: ZkShape, g: LibraMask, claim: bigint, l: Weights, t: Transcript, what: string): ZkVerified {
  const n = shape.numVars;
  if (n === 0) throw new Reject(`${what}: a zero-knowledge sumcheck of no variables`);
  if (proof.rounds.length !== n) throw new Reject(`${what}: ${proof.rounds.length} rounds, expected ${n}`);
  t.absorbFrs("zk sumcheck claim", [claim, BigInt(n), BigInt(shape.slots.length), BigInt(hiddenFactors(shape))]);
  const eta = t.challenge();
  t.absorbFr("zk sumcheck sum", proof.k);
  let e = add(claim, proof.k);
  const point: bigint[] = [];
  proof.rounds.forEach((gj, j) => {
    const expected = roundDegree(shape, j) + 1;
    if (gj.length !== expected) throw new Reject(`${what}: round ${j} has ${gj.length} values, expected ${expected}`);
    if (add(gj[0], gj[1]) !== e) throw new Reject(`${what}: round ${j}: g(0) + g(1) differs from the claim`);
    t.absorbFrs("sumcheck round", gj);
    const r = t.challenge();
    e = interpolate(gj, r);
    point.push(r);
  });
  t.absorbFr("zk mask eval", proof.y);
  return { point, finalValue: sub(e, mul(eta, proof.y)), z: vanishing(point), maskClaims: maskClaims(g, eta, l, point, proof.k, proof.y) };
}
