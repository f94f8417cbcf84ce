/**
 * The lookup's verifier in zero knowledge (native/src/sumcheck/logup_zk.rs: committed helper columns, Haboeck's
 * logUp): the looked-up columns f_c (2^k rows) and the multiplicities m (2^l, one a table row) are committed before
 * alpha and beta; then the helpers h_f = 1 / (alpha - f), h_t = m / (alpha - t) (f = sum_c beta^c f_c, t alike from
 * the table) are committed, and
 * - sum h_f = sum h_t is left to the joint merge as a claim on the two helpers at (1/2, ..., 1/2) (times 2^k, 2^l);
 * - h_f (alpha - f) = 1 everywhere: the zero-knowledge sumcheck of sum_i eq(tau, i) h_f(i) G(i) = 1, G = alpha - f
 *   (h_f and G hidden), ending on the sent h_f^(r) and G^(r);
 * - h_t (alpha - t) = m: the zero-knowledge sumcheck of sum_j eq(tau', j) h_t(j) (alpha - t(j)) = M - rho_m, M =
 *   m~(tau') + rho_m sent, ending on the sent h_t^(r') and the table's own MLE at r'.
 *
 * Transcript: the caller's `drawChallenges` (the table's words, [k, columns], alpha, beta when two columns) and the
 * helpers' rows; then tau (k challenges), tau' (l), the first sumcheck, ("lookup f values", [h_f^, G^]), the second,
 * ("lookup t value", h_t^).
 */
import { eqEval, fr, inv, mul, neg, sub } from "./field";
import { foldColumns, tableColumns, tableEvaluate, type Table } from "./logup";
import { libraFor, LibraMask, MaskAlloc, verifyZk, ZkShape, ZkSumcheckProof } from "./zk";
import { ColClaim, onMask } from "./joint";
import { Reject } from "./reject";
import { Transcript } from "./transcript";

/** The columns a lookup's claims name: looked-up column c, the multiplicities, the two helpers. */
export type LookupCol = { kind: "f"; c: number } | { kind: "m" } | { kind: "hf" } | { kind: "ht" };

/** One lookup's masks, allocated from the architecture (logup_zk.rs LookupMasks::new). */
export interface LookupMasks {
  fShape: ZkShape;
  fLibra: LibraMask;
  tShape: ZkShape;
  tLibra: LibraMask;
  rhoM: number;
}

/** The masks for 2^k looked-up rows into a table of 2^l rows (k, l >= 1). */
export function lookupMasks(alloc: MaskAlloc, k: number, l: number): LookupMasks {
  const fShape: ZkShape = { numVars: k, slots: [null, alloc.take(1), alloc.take(1)] };
  const fLibra = libraFor(fShape, alloc);
  const tShape: ZkShape = { numVars: l, slots: [null, alloc.take(1), null] };
  const tLibra = libraFor(tShape, alloc);
  return { fShape, fLibra, tShape, tLibra, rhoM: alloc.take(1) };
}

export interface ZkLookupProof {
  fSumcheck: ZkSumcheckProof;
  /** h_f^(r), G^(r). */
  fValues: [bigint, bigint];
  mHat: bigint;
  tSumcheck: ZkSumcheckProof;
  tValue: bigint;
}

const HALF = inv(2n);

const slot = (s: ZkShape, i: number): number => s.slots[i] as number;

interface Ends {
  alpha: bigint;
  beta: bigint;
  tauT: bigint[];
  r: bigint[];
  rT: bigint[];
  z: bigint;
  zT: bigint;
}

/** The claims a lookup leaves to the joint merge (logup_zk.rs `claims`). */
function lookupClaims(m: LookupMasks, columns: number, l: number, e: Ends, proof: ZkLookupProof): ColClaim<LookupCol>[] {
  const k = m.fShape.numVars;
  const half = (n: number) => new Array<bigint>(n).fill(HALF);
  const pow2 = (n: number) => fr(1n << BigInt(n));
  // G = alpha - sum_c beta^c f_c: the claim G^ - alpha on the columns with weights -beta^c
  let power = neg(1n);
  const gEvals = Array.from({ length: columns }, (_, c) => {
    const term = { col: { kind: "f", c } as LookupCol, point: e.r, coeff: power };
    power = mul(power, e.beta);
    return term;
  });
  return [
    { evals: [{ col: { kind: "hf" }, point: half(k), coeff: pow2(k) }, { col: { kind: "ht" }, point: half(l), coeff: neg(pow2(l)) }], mask: [], value: 0n },
    { evals: [{ col: { kind: "hf" }, point: e.r, coeff: 1n }], mask: [[slot(m.fShape, 1), e.z]], value: proof.fValues[0] },
    { evals: gEvals, mask: [[slot(m.fShape, 2), e.z]], value: sub(proof.fValues[1], e.alpha) },
    { evals: [{ col: { kind: "m" }, point: e.tauT, coeff: 1n }], mask: [[m.rhoM, 1n]], value: proof.mHat },
    { evals: [{ col: { kind: "ht" }, point: e.rT, coeff: 1n }], mask: [[slot(m.tShape, 1), e.zT]], value: proof.tValue },
  ];
}

/**
 * Checks a lookup's two sumcheck and their final values, given alpha and beta (`drawChallenges`) and the helpers'
 * rows absorbed; returns the claims the joint merge must prove.
 */
export function verifyLookupZk(proof: ZkLookupProof, table: Table, m: LookupMasks, [alpha, beta]: [bigint, bigint], t: Transcript, what: string): ColClaim<LookupCol>[] {
  const k = m.fShape.numVars;
  const l = table.logSize;
  const tau = t.challenges(k);
  const tauT = t.challenges(l);
  const f = verifyZk(proof.fSumcheck, m.fShape, m.fLibra, 1n, [], t, `${what} first sumcheck`);
  if (f.finalValue !== mul(mul(eqEval(tau, f.point), proof.fValues[0]), proof.fValues[1])) throw new Reject(`${what}: the first sumcheck's final value is not eq h_f^ G^`);
  t.absorbFrs("lookup f values", proof.fValues);
  const tv = verifyZk(proof.tSumcheck, m.tShape, m.tLibra, proof.mHat, [[m.rhoM, 1n]], t, `${what} second sumcheck`);
  const tAt = foldColumns(tableEvaluate(table, tv.point), beta);
  if (tv.finalValue !== mul(mul(eqEval(tauT, tv.point), proof.tValue), sub(alpha, tAt))) throw new Reject(`${what}: the second sumcheck's final value is not eq h_t^ (alpha - t)`);
  t.absorbFr("lookup t value", proof.tValue);
  const ends = { alpha, beta, tauT, r: f.point, rT: tv.point, z: f.z, zT: tv.z };
  return [...lookupClaims(m, tableColumns(table), l, ends, proof), ...[...f.maskClaims, ...tv.maskClaims].map((c) => onMask<LookupCol>(c))];
}
