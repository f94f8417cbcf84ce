/**
 * The joint merge and opening's verifier (native/src/sumcheck/joint.rs): every claim a zero-knowledge proof leaves
 * on its hiding-committed vectors, merged by one zero-knowledge sumcheck (zk.ts) and proved by one zero-knowledge
 * opening a vector (dot-product.ts) and one proof of dot product on the merge's own mask commitment C_M.
 *
 * Vectors V_0..V_{K-1} of 2^(n_i) entries (Hyrax, each its own shape, one H and G_v) are laid end to end as one
 * virtual vector P of n = log2ceil(sum 2^(n_i)) variables, largest first (ties by index), V_i at offset o_i;
 * lambda_i(s) = eq(bits of o_i >> n_i, s[n_i..]) is V_i's weight at s. A claim is a sum of pieces (coeff times a
 * vector's segment's MLE at a point, or public weights on a vector's entries) equal to a value; claim k's weight in
 * the merge is alpha^k. The merge's mask (C_M = sum_j m_j M_j + r H, M_j = hashToG1("zkml-merge-mask", j)): rho_P at
 * entry 0, then Libra's mask of the merge's sumcheck (2 factors, E public and P hidden).
 *
 * Transcript: ("joint values", the claims' values), alpha, the merge's zero-knowledge sumcheck (claim sum_k alpha^k
 * v_k, no corrections), final check e = E(s) P^, ("joint value", P^), each vector's opening at s[..n_i] (its Y_i
 * first), gamma, then C_M's proof of <Z(s) e_0 + gamma w_K + gamma^2 w_y, m> against
 * Y = (P^ + gamma K_M + gamma^2 y_M) G_v - sum_i lambda_i Y_i. The openings' and C_M's group equations are
 * checked together at the end (dot-product.ts PointChecks).
 */
import { add, eqEval, eqTable, fr, log2Ceil, mul, neg } from "./field";
import type { Affine } from "./g1";
import { msm } from "./g1";
import { generators, hyraxShape } from "./hyrax";
import { blindingGens, DotProof, PointChecks, verifyDot, verifyOpeningZk } from "./dot-product";
import { libraFor, LibraMask, MaskAlloc, MaskClaim, verifyZk, Weights, ZkShape, ZkSumcheckProof } from "./zk";
import { Reject } from "./reject";
import { Transcript } from "./transcript";

export const MERGE_MASK_TAG = "zkml-merge-mask";

/** One part of a joint claim. */
export type Piece = { kind: "eq"; vector: number; offset: number; point: bigint[]; coeff: bigint } | { kind: "weights"; vector: number; weights: Weights };

export interface JointClaim {
  pieces: Piece[];
  value: bigint;
}

/** A claim in a protocol step's own names for columns: sum coeff col~(point) + <mask, weights> = value. */
export interface ColClaim<C> {
  evals: { col: C; point: bigint[]; coeff: bigint }[];
  mask: Weights;
  value: bigint;
}

/** A claim on the mask vector alone. */
export const onMask = <C>(c: MaskClaim): ColClaim<C> => ({ evals: [], mask: c.weights, value: c.value });

/** The joint claim: `place(col)` is [vector, offset]; the mask entries are vector `maskVector`'s. */
export function intoJoint<C>(c: ColClaim<C>, place: (col: C) => [number, number], maskVector: number): JointClaim {
  const pieces: Piece[] = c.evals.map(({ col, point, coeff }) => {
    const [vector, offset] = place(col);
    return { kind: "eq", vector, offset, point, coeff };
  });
  if (c.mask.length > 0) pieces.push({ kind: "weights", vector: maskVector, weights: c.mask });
  return { pieces, value: c.value };
}

/** The public shape: the vectors' variable counts, their offsets in P, the merge mask's layout. */
export interface JointParams {
  tag: string;
  vectorVars: number[];
  offsets: number[];
  numVars: number;
  maskShape: ZkShape;
  maskLibra: LibraMask;
  maskLen: number;
}

export function jointParams(tag: string, vectorVars: number[]): JointParams {
  const order = vectorVars.map((_, i) => i).sort((a, b) => vectorVars[b] - vectorVars[a] || a - b);
  const offsets = new Array<number>(vectorVars.length).fill(0);
  let end = 0;
  for (const i of order) {
    offsets[i] = end;
    end += 2 ** vectorVars[i];
  }
  const numVars = log2Ceil(end);
  const alloc = new MaskAlloc();
  const rho = alloc.take(1);
  const maskShape: ZkShape = { numVars, slots: [null, rho] };
  const maskLibra = libraFor(maskShape, alloc);
  return { tag, vectorVars, offsets, numVars, maskShape, maskLibra, maskLen: alloc.len };
}

/** eq(bits of idx, r): prod_j (bit j ? r_j : 1 - r_j). */
export function eqBits(idx: number, r: readonly bigint[]): bigint {
  let e = 1n;
  r.forEach((x, j) => (e = mul(e, Math.floor(idx / 2 ** j) % 2 === 1 ? x : add(1n, neg(x)))));
  return e;
}

const selector = (p: JointParams, i: number, s: readonly bigint[]): bigint => eqBits(p.offsets[i] / 2 ** p.vectorVars[i], s.slice(p.vectorVars[i]));

/** A piece's value at the merge's end point s (weights' eq tables kept per vector). */
function pieceAt(p: JointParams, piece: Piece, s: readonly bigint[], tables: Map<number, bigint[]>): bigint {
  const n = p.vectorVars[piece.vector];
  const sel = selector(p, piece.vector, s);
  if (piece.kind === "eq") {
    const len = piece.point.length;
    return mul(mul(piece.coeff, eqEval(piece.point, s.slice(0, len))), mul(eqBits(piece.offset / 2 ** len, s.slice(len, n)), sel));
  }
  let table = tables.get(piece.vector);
  if (!table) tables.set(piece.vector, (table = eqTable(s.slice(0, n))));
  let sum = 0n;
  for (const [idx, w] of piece.weights) sum += w * table[idx];
  return mul(fr(sum), sel);
}

/** E(s) = sum_k alpha^k E_k(s). */
function mergedE(p: JointParams, claims: readonly JointClaim[], alpha: bigint, s: readonly bigint[]): bigint {
  const tables = new Map<number, bigint[]>();
  let e = 0n;
  let power = 1n;
  for (const c of claims) {
    e = add(e, mul(power, c.pieces.reduce((acc, piece) => add(acc, pieceAt(p, piece, s, tables)), 0n)));
    power = mul(power, alpha);
  }
  return e;
}

/** Every piece inside its vector (joint.rs check_pieces: a guard on the verifier's own claims). */
function checkPieces(p: JointParams, claims: readonly JointClaim[]): void {
  for (const piece of claims.flatMap((c) => c.pieces)) {
    const n = p.vectorVars[piece.vector];
    const fits =
      n !== undefined &&
      (piece.kind === "eq"
        ? piece.point.length <= n && piece.offset % 2 ** piece.point.length === 0 && piece.offset + 2 ** piece.point.length <= 2 ** n
        : piece.weights.every(([i]) => i < 2 ** n));
    if (!fits) throw new Error(`joint claim piece outside vector ${piece.vector}`);
  }
}

export interface JointProof {
  merge: ZkSumcheckProof;
  pHat: bigint;
  evals: (Affine | null)[];
  openings: DotProof[];
  maskProof: DotProof;
}

/** C_M's dot product: its coefficients and its value's public part. */
function maskRelation(p: JointParams, z: bigint, maskClaims: readonly MaskClaim[], pHat: bigint, gamma: bigint): { a: bigint[]; value: bigint } {
  const a = new Array<bigint>(p.maskLen).fill(0n);
  const rho = p.maskShape.slots[1] as number;
  a[rho] = add(a[rho], z);
  let value = pHat;
  let power = gamma;
  for (const c of maskClaims) {
    for (const [i, w] of c.weights) a[i] = add(a[i], mul(power, w));
    value = add(value, mul(power, c.value));
    power = mul(power, gamma);
  }
  return { a, value };
}

/** Checks the joint proof of `claims` against the vectors' commitments and C_M (all absorbed by the caller). */
export function verifyJoint(p: JointParams, comms: readonly (readonly (Affine | null)[])[], maskComm: Affine | null, claims: readonly JointClaim[], proof: JointProof, t: Transcript): void {
  const k = p.vectorVars.length;
  if (comms.length !== k || proof.evals.length !== k || proof.openings.length !== k) throw new Reject(`joint: ${k} vectors expected`);
  checkPieces(p, claims);
  t.absorbFrs("joint values", claims.map((c) => c.value));
  const alpha = t.challenge();
  const merged = claims.reduceRight((acc, c) => add(mul(acc, alpha), c.value), 0n);
  const v = verifyZk(proof.merge, p.maskShape, p.maskLibra, merged, [], t, "joint merge");
  const s = v.point;
  if (v.finalValue !== mul(mergedE(p, claims, alpha, s), proof.pHat)) throw new Reject("joint merge: the final value is not E(s) P^(s)");
  t.absorbFr("joint value", proof.pHat);
  const checks = new PointChecks();
  p.vectorVars.forEach((n, i) => verifyOpeningZk(p.tag, n, comms[i], s.slice(0, n), proof.evals[i], proof.openings[i], t, `vector ${i} opening`, checks));
  const gamma = t.challenge();
  const { a, value } = maskRelation(p, v.z, v.maskClaims, proof.pHat, gamma);
  const { h, gV } = blindingGens(p.tag);
  const yComm = msm([gV, ...proof.evals], [value, ...p.vectorVars.map((_, i) => neg(selector(p, i, s)))]);
  const gens = { g: generators(MERGE_MASK_TAG, p.maskLen), gV, h };
  verifyDot(gens, a, { points: [maskComm], scalars: [1n] }, yComm, proof.maskProof, t, "merge mask proof", checks);
  checks.verify();
}

/** A vector's Hyrax shape (rows, columns) under the joint parameters. */
export const vectorShape = (p: JointParams, i: number) => hyraxShape(p.vectorVars[i]);
