/**
 * BN254's scalar field Fr with bigint, and what the verifier computes over it: multilinear extensions of
 * public vectors, the eq polynomial, and a univariate polynomial's value from its evaluations at 0, 1, ..., d.
 *
 * Every value here is a canonical bigint in [0, R). A table's index bits are little-endian (mle.rs's
 * convention): variable 0 is the index's lowest bit, so fixing it pairs entries 2i and 2i + 1.
 */

/** The scalar field's modulus r. */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export const add = (a: bigint, b: bigint): bigint => {
  const s = a + b;
  return s >= R ? s - R : s;
};
export const sub = (a: bigint, b: bigint): bigint => {
  const s = a - b;
  return s < 0n ? s + R : s;
};
export const mul = (a: bigint, b: bigint): bigint => (a * b) % R;
export const neg = (a: bigint): bigint => (a === 0n ? 0n : R - a);

/** A signed integer as a field element (negative v as r - |v|). */
export function fr(v: bigint | number): bigint {
  const x = BigInt(v) % R;
  return x < 0n ? x + R : x;
}

/** a^e mod m by square and multiply (e >= 0). */
export function powMod(a: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  let base = a % m;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % m;
    base = (base * base) % m;
    e >>= 1n;
  }
  return result;
}

/** 1 / a in Fr (a non-zero). */
export function inv(a: bigint): bigint {
  if (a === 0n) throw new Error("inverse of zero");
  return powMod(a, R - 2n, R);
}

/** The number of variables of a table of `len` entries padded to a power of two (0 for len <= 1). */
export function log2Ceil(len: number): number {
  let k = 0;
  while (2 ** k < len) k++;
  return k;
}

/** eq(a, b) = prod_i (a_i b_i + (1 - a_i)(1 - b_i)) for two points of one length. */
export function eqEval(a: readonly bigint[], b: readonly bigint[]): bigint {
  if (a.length !== b.length) throw new Error("eq of points of different lengths");
  let p = 1n;
  for (let i = 0; i < a.length; i++) {
    const ab = a[i] * b[i];
    // ab + (1 - a)(1 - b) = 2ab - a - b + 1
    p = (p * ((2n * ab - a[i] - b[i] + 1n) % R + R)) % R;
  }
  return p;
}

/** eq(r, b) for every b in {0,1}^k, indexed by b with little-endian bits. */
export function eqTable(r: readonly bigint[]): bigint[] {
  let t: bigint[] = [1n];
  for (const ri of r) {
    const next = new Array<bigint>(2 * t.length);
    const h = t.length;
    for (let i = 0; i < h; i++) {
      const hi = mul(t[i], ri);
      next[i] = sub(t[i], hi);
      next[i + h] = hi;
    }
    t = next;
  }
  return t;
}

/** sum_i a_i b_i over equally long vectors. */
export function innerProduct(a: readonly bigint[], b: readonly bigint[]): bigint {
  if (a.length !== b.length) throw new Error("inner product of vectors of different lengths");
  let s = 0n;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s % R;
}

/**
 * The MLE of `values` (field elements, padded with zeros to 2^point.length) at `point`, by folding variable 0
 * first: O(2^k). `values` may be shorter than 2^k, never longer.
 */
export function mleEval(values: readonly bigint[], point: readonly bigint[]): bigint {
  if (values.length > 2 ** point.length) throw new Error("more values than the point's cube holds");
  let t = values.slice();
  for (const r of point) {
    const next = new Array<bigint>(Math.ceil(t.length / 2));
    for (let i = 0; i < next.length; i++) {
      const lo = t[2 * i];
      const hi = 2 * i + 1 < t.length ? t[2 * i + 1] : 0n;
      next[i] = (lo + r * (hi - lo + R)) % R;
    }
    t = next;
  }
  return t.length === 0 ? 0n : t[0];
}

/** 1 / prod_{j != i} (i - j) for i < n: Lagrange's denominators on 0..n-1, cached by n. */
const lagrangeCache = new Map<number, bigint[]>();
function lagrangeDenominators(n: number): bigint[] {
  let d = lagrangeCache.get(n);
  if (!d) {
    d = [];
    for (let i = 0; i < n; i++) {
      let p = 1n;
      for (let j = 0; j < n; j++) if (j !== i) p = mul(p, fr(BigInt(i - j)));
      d.push(inv(p));
    }
    lagrangeCache.set(n, d);
  }
  return d;
}

/** g(r) for the polynomial of degree < evals.length through (j, evals[j]), j = 0, 1, ... */
export function interpolate(evals: readonly bigint[], r: bigint): bigint {
  const n = evals.length;
  const den = lagrangeDenominators(n);
  const diffs = evals.map((_, j) => sub(r, BigInt(j)));
  // prefix[i] = prod_{j<i} (r - j); suffix[i] = prod_{j>=i} (r - j).
  const prefix = [1n];
  for (let j = 0; j < n; j++) prefix.push(mul(prefix[j], diffs[j]));
  const suffix = new Array<bigint>(n + 1).fill(1n);
  for (let j = n - 1; j >= 0; j--) suffix[j] = mul(suffix[j + 1], diffs[j]);
  let s = 0n;
  for (let i = 0; i < n; i++) s += mul(mul(evals[i], prefix[i]), mul(suffix[i + 1], den[i]));
  return s % R;
}
