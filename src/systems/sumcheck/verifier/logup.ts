/**
 * The logUp-GKR lookup verifier of native/src/sumcheck/logup.rs: every row of a committed column set f (2^k rows,
 * the columns folded by beta) lies in a table T (2^l rows) the verifier knows, by
 * sum_i 1 / (alpha - f(i)) = sum_j m_j / (alpha - t(j)), each side a binary tree of fractions walked from its root
 * to its leaves by one degree-3 sumcheck per layer.
 *
 * Transcript, in order: the table's words ("logup table"), [k, columns] ("logup sizes"), alpha, beta (only with
 * two columns), the roots [p_f, q_f, p_t, q_t] ("logup roots"); the f tree's layers (mu, the layer's sumcheck,
 * its four values [p0, p1, q0, q1] ("logup layer evals"), lambda); the columns' values at the f leaves ("logup f
 * evals"); the table tree's layers. Checks: both root denominators non-zero, p_f q_t = p_t q_f; each layer's
 * final value eq(rho, r) (p0 q1 + p1 q0 + mu q0 q1); at the f leaves p = 1 and q = alpha - sum_c beta^c f_c; at
 * the table leaves q = alpha - sum_c beta^c t_c~ (the table's MLE, computed here in O(l)). What is left for the
 * caller to open: f_c~ at the f leaves' point, m~ at the table leaves' point.
 */
import { add, fr, mul, R, sub, eqEval } from "./field";
import { verifySumcheck } from "./sumcheck";
import { Reject } from "./reject";
import { Transcript } from "./transcript";
import type { LookupProof, TreeLayer } from "./decode";

/** The largest table (logup.rs MAX_TABLE_LOG). */
export const MAX_TABLE_LOG = 20;

/** A table fixed by the verifier: a range offset + j, or the pairs (t, min(max(t, lo), hi)), t = offset + j. */
export type Table = { kind: "range"; offset: bigint; logSize: number } | { kind: "activation"; offset: bigint; logSize: number; lo?: bigint; hi?: bigint };

export const tableColumns = (t: Table): number => (t.kind === "range" ? 1 : 2);

/** The words the transcript absorbs for a table: [kind, offset, log size, has lo, lo, has hi, hi]. */
export function tableWords(t: Table): bigint[] {
  const opt = (v: bigint | undefined) => [v === undefined ? 0n : 1n, fr(v ?? 0n)];
  if (t.kind === "range") return [1n, fr(t.offset), BigInt(t.logSize), 0n, 0n, 0n, 0n];
  return [2n, fr(t.offset), BigInt(t.logSize), ...opt(t.lo), ...opt(t.hi)];
}

/** The MLE of j -> j at x (little-endian bits). */
function indexMle(x: readonly bigint[]): bigint {
  let s = 0n;
  x.forEach((xb, b) => (s += (1n << BigInt(b)) * xb));
  return s % R;
}

/**
 * The MLE of j -> (j - c) [j >= c] over l = x.length variables, at x. j >= c exactly when, at the highest bit i
 * where j and c differ, c has 0 and j has 1; the bits of j above i are c's (weight e_b = x_b or 1 - x_b by c's
 * bit), the bits below are free (their MLE averages to x_b), so that part adds x_i prod_{b>i} e_b (c_high + 2^i +
 * sum_{b<i} 2^b x_b - c).
 */
function rampMle(x: readonly bigint[], c: bigint): bigint {
  const l = x.length;
  if (c <= 0n) return sub(indexMle(x), fr(c));
  if (c >= 1n << BigInt(l)) return 0n;
  const low: bigint[] = [0n];
  for (let b = 0; b < l; b++) low.push((low[b] + (1n << BigInt(b)) * x[b]) % R);
  let acc = 0n;
  let prod = 1n;
  let high = 0n;
  for (let i = l - 1; i >= 0; i--) {
    const ci = (c >> BigInt(i)) & 1n;
    if (ci === 0n) {
      acc = add(acc, mul(mul(x[i], prod), add(fr(high + (1n << BigInt(i)) - c), low[i])));
      prod = mul(prod, sub(1n, x[i]));
    } else prod = mul(prod, x[i]);
    high += ci << BigInt(i);
  }
  return acc;
}

/** Each column's MLE at x (logSize coordinates). */
export function tableEvaluate(t: Table, x: readonly bigint[]): bigint[] {
  if (x.length !== t.logSize) throw new Error("table point of the wrong length");
  const col0 = add(fr(t.offset), indexMle(x));
  if (t.kind === "range") return [col0];
  const { lo, hi } = t;
  if (lo !== undefined && hi !== undefined && lo > hi) return [col0, fr(hi)];
  // act(t) = lo + ramp_{lo}(t) - ramp_{hi}(t), in the index j = t - offset.
  let a = lo !== undefined ? add(fr(lo), rampMle(x, lo - t.offset)) : col0;
  if (hi !== undefined) a = sub(a, rampMle(x, hi - t.offset));
  return [col0, a];
}

/** sum_c beta^c v_c. */
export function foldColumns(v: readonly bigint[], beta: bigint): bigint {
  return v.reduceRight((acc, x) => add(mul(acc, beta), x), 0n);
}

/** One tree, root to leaves: returns the leaves' point and the (p, q) claimed there. */
function verifyTree(layers: readonly TreeLayer[], n: number, root: readonly [bigint, bigint], t: Transcript, what: string): { point: bigint[]; p: bigint; q: bigint } {
  if (layers.length !== n) throw new Reject(`${what}: ${layers.length} tree layers, expected ${n}`);
  let [cp, cq] = root;
  let rho: bigint[] = [];
  layers.forEach((layer, j) => {
    const mu = t.challenge();
    const { point: r, value } = verifySumcheck(layer.rounds, add(cp, mul(mu, cq)), rho.length, 3, t, `${what} layer ${j}`);
    const [p0, p1, q0, q1] = layer.evals;
    const expect = mul(eqEval(rho, r), add(add(mul(p0, q1), mul(p1, q0)), mul(mu, mul(q0, q1))));
    if (value !== expect) throw new Reject(`${what} layer ${j}: the sumcheck's final value is not the layer's`);
    t.absorbFrs("logup layer evals", layer.evals);
    const lambda = t.challenge();
    cp = add(p0, mul(lambda, sub(p1, p0)));
    cq = add(q0, mul(lambda, sub(q1, q0)));
    rho = [...r, lambda];
  });
  return { point: rho, p: cp, q: cq };
}

export interface LookupClaims {
  fPoint: bigint[];
  fValues: bigint[];
  mPoint: bigint[];
  mValue: bigint;
}

/** logup.rs draw_challenges: the table and the sizes absorbed, alpha, and beta for two columns (else 0); the
 * zero-knowledge lookups (logup-zk.ts) draw theirs the same way. */
export function drawChallenges(table: Table, k: number, t: Transcript): [bigint, bigint] {
  t.absorbFrs("logup table", tableWords(table));
  t.absorbFrs("logup sizes", [BigInt(k), BigInt(tableColumns(table))]);
  const alpha = t.challenge();
  return [alpha, tableColumns(table) > 1 ? t.challenge() : 0n];
}

/** Checks a lookup of 2^k rows into `table`; returns the claims the caller must open. */
export function verifyLogup(proof: LookupProof, k: number, table: Table, t: Transcript, what: string): LookupClaims {
  const cols = tableColumns(table);
  if (proof.fEvals.length !== cols) throw new Reject(`${what}: ${proof.fEvals.length} column evaluations, expected ${cols}`);
  if (table.logSize > MAX_TABLE_LOG) throw new Reject(`${what}: a table of 2^${table.logSize} rows`);
  const [alpha, beta] = drawChallenges(table, k, t);
  const [pf, qf] = proof.fRoot;
  const [pt, qt] = proof.tRoot;
  t.absorbFrs("logup roots", [pf, qf, pt, qt]);
  if (qf === 0n || qt === 0n) throw new Reject(`${what}: a zero root denominator`);
  if (mul(pf, qt) !== mul(pt, qf)) throw new Reject(`${what}: the two fractional sums differ`);
  const f = verifyTree(proof.fLayers, k, proof.fRoot, t, `${what} looked-up tree`);
  if (f.p !== 1n) throw new Reject(`${what}: a looked-up numerator is not 1`);
  t.absorbFrs("logup f evals", proof.fEvals);
  if (f.q !== sub(alpha, foldColumns(proof.fEvals, beta))) throw new Reject(`${what}: the looked-up values' denominator`);
  const m = verifyTree(proof.tLayers, table.logSize, proof.tRoot, t, `${what} table tree`);
  if (m.q !== sub(alpha, foldColumns(tableEvaluate(table, m.point), beta))) throw new Reject(`${what}: the table's denominator`);
  return { fPoint: f.point, fValues: proof.fEvals, mPoint: m.point, mValue: m.p };
}
