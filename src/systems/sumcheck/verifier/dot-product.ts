/**
 * Hyrax's proof of dot product (native/src/sumcheck/dot_product.rs) and the zero-knowledge opening built on it
 * (hyrax.rs `verify_opening_zk`).
 *
 * The prover knows u with T = <u, G> + tau H and a value y with Y = y G_v + r_y H, and shows y = <a, u> for a
 * public a: it sends delta and beta, the challenge c is drawn, then z (one per entry of u), z_delta, z_beta. The
 * verifier checks c T + delta = <z, G> + z_delta H and c Y + beta = <z, a> G_v + z_beta H. Transcript: ("dot
 * claim", Y), ("dot first", [delta, beta]), c, ("dot response", z || z_delta || z_beta). T is the caller's (given
 * here as the terms of an MSM, so it joins the first check's MSM).
 *
 * The zero-knowledge opening of a hiding Hyrax commitment (rows C_i) at r = (r_low || r_high): T = sum_i eq(r_high,
 * i) C_i, a = eq(r_low), Y the value's commitment the caller holds. The generators: G_j = hashToG1(tag, j), H =
 * hashToG1(tag, 2^64 - 1), G_v = hashToG1(tag, 2^64 - 2).
 *
 * The group equations may be kept (`PointChecks`) and checked together at the end, as one MSM of their sum with
 * random 128-bit coefficients drawn here (not from the transcript): a false equation survives that with
 * probability 2^-128; when the sum is not the identity, the first equation that fails is found by halves (each
 * half's combination checked, down to one equation checked alone), so the refusal names it, as checking each at
 * once would. The transcript never depends on their outcome.
 */
import { randomBytes } from "crypto";
import { eqTable, innerProduct, mul, neg, R } from "./field";
import { Affine, msmIsZero } from "./g1";
import { generators, hashToG1, hyraxShape } from "./hyrax";
import { Reject } from "./reject";
import { Transcript } from "./transcript";

export interface DotProof {
  delta: Affine | null;
  beta: Affine | null;
  z: bigint[];
  zDelta: bigint;
  zBeta: bigint;
}

/** G_j (at least as many as the vector's entries), G_v and H. */
export interface DotGens {
  g: Affine[];
  gV: Affine;
  h: Affine;
}

/** A point given as an MSM's terms. */
export interface Terms {
  points: (Affine | null)[];
  scalars: bigint[];
}

const blinders = new Map<string, { h: Affine; gV: Affine }>();

/** H and G_v of a tag (cached). */
export function blindingGens(tag: string): { h: Affine; gV: Affine } {
  let b = blinders.get(tag);
  if (!b) blinders.set(tag, (b = { h: hashToG1(tag, (1n << 64n) - 1n), gV: hashToG1(tag, (1n << 64n) - 2n) }));
  return b;
}

/** Group equations sum_i scalars_i points_i = 0, kept to be checked together (module doc). */
export class PointChecks {
  private readonly checks: (Terms & { what: string })[] = [];

  add(points: (Affine | null)[], scalars: bigint[], what: string): void {
    this.checks.push({ points, scalars, what });
  }

  /** Throws Reject naming the first equation that does not hold. */
  verify(): void {
    if (this.checks.length === 0 || this.hold(0, this.checks.length)) return;
    // the first failing equation, by halves (each half checked as one combination)
    let [lo, hi] = [0, this.checks.length];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.hold(lo, mid)) lo = mid;
      else hi = mid;
    }
    throw new Reject(this.checks[lo].what);
  }

  /** Whether equations lo..hi-1 hold: sum_k rho_k (equation k) = 0, each distinct point once. */
  private hold(lo: number, hi: number): boolean {
    if (hi - lo === 1) return msmIsZero(this.checks[lo].points, this.checks[lo].scalars);
    const at = new Map<string, number>();
    const points: (Affine | null)[] = [];
    const scalars: bigint[] = [];
    for (const c of this.checks.slice(lo, hi)) {
      const rho = BigInt("0x" + randomBytes(16).toString("hex"));
      c.points.forEach((p, i) => {
        if (p === null) return;
        const key = `${p.x}:${p.y}`;
        let j = at.get(key);
        if (j === undefined) {
          at.set(key, (j = points.length));
          points.push(p);
          scalars.push(0n);
        }
        scalars[j] = (scalars[j] + rho * c.scalars[i]) % R;
      });
    }
    return msmIsZero(points, scalars);
  }
}

/**
 * Checks that Y commits to <a, u> where `tComm` commits to u; throws Reject when not. With `checks`, the two group
 * equations are kept there (checked by its `verify`) instead of now.
 */
export function verifyDot(gens: DotGens, a: readonly bigint[], tComm: Terms, yComm: Affine | null, proof: DotProof, t: Transcript, what: string, checks?: PointChecks): void {
  const n = a.length;
  if (proof.z.length !== n) throw new Reject(`${what}: ${proof.z.length} responses, expected ${n}`);
  if (gens.g.length < n) throw new Error(`${what}: ${gens.g.length} generators for ${n} entries`);
  t.absorbPoints("dot claim", [yComm]);
  t.absorbPoints("dot first", [proof.delta, proof.beta]);
  const c = t.challenge();
  const now = checks ?? new PointChecks();
  // c T + delta - <z, G> - z_delta H = 0
  const points = [...tComm.points, proof.delta, ...gens.g.slice(0, n), gens.h];
  now.add(points, [...tComm.scalars.map((s) => mul(c, s)), 1n, ...proof.z.map(neg), neg(proof.zDelta)], `${what}: the response does not open c T + delta`);
  // c Y + beta - <z, a> G_v - z_beta H = 0
  now.add([yComm, proof.beta, gens.gV, gens.h], [c, 1n, neg(innerProduct(proof.z, a)), neg(proof.zBeta)], `${what}: <z, a> does not open c Y + beta`);
  if (!checks) now.verify();
  t.absorbFrs("dot response", [...proof.z, proof.zDelta, proof.zBeta]);
}

/**
 * The zero-knowledge opening: the commitment `rows` (of a vector of 2^numVars entries under `tag`) has at `point`
 * the value Y commits to. Throws Reject when the row count or the proof is wrong (the group equations kept in
 * `checks` when given).
 */
export function verifyOpeningZk(
  tag: string,
  numVars: number,
  rows: readonly (Affine | null)[],
  point: readonly bigint[],
  yComm: Affine | null,
  proof: DotProof,
  t: Transcript,
  what: string,
  checks?: PointChecks,
): void {
  const shape = hyraxShape(numVars);
  if (point.length !== numVars) throw new Reject(`${what}: a point of ${point.length} coordinates, expected ${numVars}`);
  if (rows.length !== shape.rows) throw new Reject(`${what}: a commitment of ${rows.length} rows, expected ${shape.rows}`);
  const gens = { g: generators(tag, shape.cols), ...blindingGens(tag) };
  const tComm = { points: [...rows], scalars: eqTable(point.slice(shape.colVars)) };
  verifyDot(gens, eqTable(point.slice(0, shape.colVars)), tComm, yComm, proof, t, what, checks);
}
