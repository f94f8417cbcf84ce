/**
 * A multilinear polynomial's KZG opening checked (issue 28's second commitment, docs/design/kzg-pcs.md section 1.5:
 * Gemini's folds, Shplonk's batch, one pairing check), written apart from native/src/sumcheck/gemini.rs from the
 * design. The pairing is ffjavascript's (an implementation independent of arkworks); the MSM is g1.ts's.
 *
 * For F of 2^n coefficients committed as C, a point s (s_0 the lowest index bit) and a claimed v = F~(s), after the
 * caller absorbed C and v: absorb the n - 1 folds ("gemini folds"), draw r, w_i = r^(2^i); absorb the n evaluations
 * a_i = A_i(-w_i) ("gemini evals"), draw nu; absorb Q ("shplonk q"), draw z; absorb W ("kzg w"). Derive b_n = v and
 * b_i = (2 w_i b_(i+1) - a_i (w_i (1 - s_i) - s_i)) / (w_i (1 - s_i) + s_i); with c_i^- = nu^(2i) / (z - w_i),
 * c_i^+ = nu^(2i+1) / (z + w_i): [L] = sum (c_i^- + c_i^+) [A_i] - (sum c_i^- b_i + c_i^+ a_i) [1]_1 - [Q],
 * [A_0] = C; accept when e([L] + z [W], [1]_2) = e([W], [tau]_2). Refused first: the identity anywhere, r = 0, a
 * fold denominator 0, z = +-w_i.
 */
import { add, inv, mul, neg, sub } from "./field";
import { msm, type Affine } from "./g1";
import { Reader } from "./decode";
import { Reject } from "./reject";
import type { Transcript } from "./transcript";

export interface GeminiProof {
  folds: (Affine | null)[];
  evals: bigint[];
  q: Affine | null;
  w: Affine | null;
}

/** [tau]_2 as ((x.c0, x.c1), (y.c0, y.c1)); [1]_2 is G2's generator. */
export type G2Point = [[bigint, bigint], [bigint, bigint]];

/** An opening of n variables: n - 1 folds, n evaluations, Q, W (gemini.rs `GeminiProof::to_bytes`). */
export function decodeGemini(bytes: Uint8Array, n: number): GeminiProof {
  const r = new Reader(bytes, "gemini opening bytes", "the opening is truncated or corrupted");
  const folds = Array.from({ length: n - 1 }, (_, i) => r.point(`gemini fold ${i + 1}`));
  const evals = r.frs(n, (i) => `gemini evaluation ${i}`);
  const proof = { folds, evals, q: r.point("shplonk q"), w: r.point("kzg w") };
  if (!r.done()) r.fail(`${bytes.length - r.at} bytes after the opening's end`);
  return proof;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let curve: Promise<any> | undefined;
/** ffjavascript's BN254, single-threaded (no worker threads to end), built once, loaded only when a KZG opening is
 * checked. */
function bn128() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  curve ??= require("ffjavascript").buildBn128(true);
  return curve;
}

/** Whether e(a, [1]_2) = e(w, tauG2), i.e. e(a, [1]_2) e(-w, tauG2) = 1. */
async function pairingHolds(a: Affine | null, w: Affine, tauG2: G2Point): Promise<boolean> {
  const c = await bn128();
  const g1 = (p: Affine | null) => (p === null ? c.G1.zero : c.G1.fromObject([p.x, p.y, 1n]));
  const t2 = c.G2.fromObject([tauG2[0], tauG2[1], [1n, 0n]]);
  return c.pairingEq(g1(a), c.G2.g, c.G1.neg(g1(w)), t2);
}

/** (c_i^-, c_i^+) for each w_i, or null when z = +-w_i. */
function shplonkWeights(nu: bigint, z: bigint, ws: readonly bigint[]): [bigint, bigint][] | null {
  const out: [bigint, bigint][] = [];
  let power = 1n;
  for (const w of ws) {
    if (z === w || z === neg(w)) return null;
    const minus = mul(power, inv(sub(z, w)));
    power = mul(power, nu);
    out.push([minus, mul(power, inv(add(z, w)))]);
    power = mul(power, nu);
  }
  return out;
}

/** The fold chain from b_n = v down (never read from the proof), or null at a zero denominator. */
function foldChain(v: bigint, s: readonly bigint[], ws: readonly bigint[], evals: readonly bigint[]): bigint[] | null {
  const b: bigint[] = new Array(s.length + 1);
  b[s.length] = v;
  for (let i = s.length - 1; i >= 0; i--) {
    const oneMinus = sub(1n, s[i]);
    const den = add(mul(ws[i], oneMinus), s[i]);
    if (den === 0n) return null;
    b[i] = mul(sub(mul(add(ws[i], ws[i]), b[i + 1]), mul(evals[i], sub(mul(ws[i], oneMinus), s[i]))), inv(den));
  }
  return b;
}

/** Checks the opening; throws Reject naming the failed check. `t` has absorbed C and v. */
export async function verifyGemini(tauG2: G2Point, c: Affine | null, s: readonly bigint[], v: bigint, proof: GeminiProof, t: Transcript): Promise<void> {
  const n = s.length;
  if (n === 0) throw new Reject("gemini point: length 0, expected 1");
  if (proof.folds.length !== n - 1) throw new Reject(`gemini folds: length ${proof.folds.length}, expected ${n - 1}`);
  if (proof.evals.length !== n) throw new Reject(`gemini evaluations: length ${proof.evals.length}, expected ${n}`);
  if (c === null || proof.q === null || proof.w === null || proof.folds.some((p) => p === null)) throw new Reject("gemini: the identity as a commitment, fold, Q or W");
  t.absorbPoints("gemini folds", proof.folds);
  const r = t.challenge();
  if (r === 0n) throw new Reject("gemini: r = 0");
  const ws = [r];
  for (let i = 1; i < n; i++) ws.push(mul(ws[i - 1], ws[i - 1]));
  t.absorbFrs("gemini evals", proof.evals);
  const nu = t.challenge();
  t.absorbPoints("shplonk q", [proof.q]);
  const z = t.challenge();
  t.absorbPoints("kzg w", [proof.w]);
  const b = foldChain(v, s, ws, proof.evals);
  if (b === null) throw new Reject("gemini: a fold's denominator is zero");
  const weights = shplonkWeights(nu, z, ws);
  if (weights === null) throw new Reject("gemini: z is a point opened");
  const constant = weights.reduce((acc, [m, p], i) => add(acc, add(mul(m, b[i]), mul(p, proof.evals[i]))), 0n);
  const lhs = msm([c, ...proof.folds, { x: 1n, y: 2n }, proof.q, proof.w], [...weights.map(([m, p]) => add(m, p)), neg(constant), neg(1n), z]);
  if (!(await pairingHolds(lhs, proof.w, tauG2))) throw new Reject("gemini: the KZG check e([L] + z[W], [1]_2) = e([W], [tau]_2) fails");
}
