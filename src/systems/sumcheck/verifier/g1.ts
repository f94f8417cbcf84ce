/**
 * BN254's G1 (y^2 = x^3 + 3 over Fq, prime order, so every point of the curve is in the group) with bigint:
 * affine points for what is read and hashed, Jacobian coordinates for sums, and a multi-scalar multiplication
 * (Pippenger's buckets with signed digits, each bucket summed in affine coordinates with one batched inversion
 * per level, the buckets combined by a running sum in Jacobian coordinates).
 */

/** The base field's modulus p. */
export const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** An affine point; the identity is `null` wherever a point may be one. */
export interface Affine {
  x: bigint;
  y: bigint;
}

/** Jacobian coordinates (x = X / Z^2, y = Y / Z^3); Z = 0 is the identity. */
interface Jac {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

const ZERO: Jac = { X: 1n, Y: 1n, Z: 0n };

const m = (a: bigint, b: bigint) => (a * b) % P;
const s = (a: bigint, b: bigint) => {
  const d = a - b;
  return d < 0n ? d + P : d;
};
const a2 = (a: bigint, b: bigint) => {
  const d = a + b;
  return d >= P ? d - P : d;
};

/** 1 / a mod n by the extended Euclidean algorithm (a non-zero mod n). */
export function invMod(a: bigint, n: bigint): bigint {
  let r0 = n;
  let r1 = ((a % n) + n) % n;
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new Error("not invertible");
  return t0 < 0n ? t0 + n : t0;
}

/** Whether (x, y), both below p, is on the curve. */
export function onCurve(x: bigint, y: bigint): boolean {
  return (y * y) % P === (((x * x) % P) * x + 3n) % P;
}

function double(p: Jac): Jac {
  if (p.Z === 0n || p.Y === 0n) return ZERO;
  const A = m(p.X, p.X);
  const B = m(p.Y, p.Y);
  const C = m(B, B);
  const t = a2(p.X, B);
  const D = (2n * s(s(m(t, t), A), C)) % P;
  const E = (3n * A) % P;
  const F = m(E, E);
  const X3 = s(F, (2n * D) % P);
  const Y3 = s(m(E, s(D, X3)), (8n * C) % P);
  const Z3 = (2n * m(p.Y, p.Z)) % P;
  return { X: X3, Y: Y3, Z: Z3 };
}

/** p + q for q affine. */
function addMixed(p: Jac, q: Affine): Jac {
  if (p.Z === 0n) return { X: q.x, Y: q.y, Z: 1n };
  const Z1Z1 = m(p.Z, p.Z);
  const U2 = m(q.x, Z1Z1);
  const S2 = m(m(q.y, p.Z), Z1Z1);
  const H = s(U2, p.X);
  const r = (2n * s(S2, p.Y)) % P;
  if (H === 0n) return r === 0n ? double(p) : ZERO;
  const HH = m(H, H);
  const I = (4n * HH) % P;
  const J = m(H, I);
  const V = m(p.X, I);
  const X3 = s(s(m(r, r), J), (2n * V) % P);
  const Y3 = s(m(r, s(V, X3)), (2n * m(p.Y, J)) % P);
  const z = a2(p.Z, H);
  const Z3 = s(s(m(z, z), Z1Z1), HH);
  return { X: X3, Y: Y3, Z: Z3 };
}

function add(p: Jac, q: Jac): Jac {
  if (p.Z === 0n) return q;
  if (q.Z === 0n) return p;
  const Z1Z1 = m(p.Z, p.Z);
  const Z2Z2 = m(q.Z, q.Z);
  const U1 = m(p.X, Z2Z2);
  const U2 = m(q.X, Z1Z1);
  const S1 = m(m(p.Y, q.Z), Z2Z2);
  const S2 = m(m(q.Y, p.Z), Z1Z1);
  const H = s(U2, U1);
  const r = (2n * s(S2, S1)) % P;
  if (H === 0n) return r === 0n ? double(p) : ZERO;
  const h2 = (2n * H) % P;
  const I = m(h2, h2);
  const J = m(H, I);
  const V = m(U1, I);
  const X3 = s(s(m(r, r), J), (2n * V) % P);
  const Y3 = s(m(r, s(V, X3)), (2n * m(S1, J)) % P);
  const z = a2(p.Z, q.Z);
  const Z3 = m(s(s(m(z, z), Z1Z1), Z2Z2), H);
  return { X: X3, Y: Y3, Z: Z3 };
}

function toAffine(p: Jac): Affine | null {
  if (p.Z === 0n) return null;
  const zi = invMod(p.Z, P);
  const zi2 = m(zi, zi);
  return { x: m(p.X, zi2), y: m(p.Y, m(zi2, zi)) };
}

/** Below this many pairs in a level, one batched inversion costs more than it saves: Jacobian sums instead. */
const BATCH_MIN_PAIRS = 32;

/**
 * Sums each bucket's affine points: pairwise, level by level, every level's denominators inverted at once, while
 * a level has enough pairs; then what is left of each bucket by Jacobian additions. One sum per bucket.
 */
function sumBuckets(buckets: Affine[][]): (Affine | Jac | null)[] {
  let live = buckets;
  for (;;) {
    const den: bigint[] = [];
    for (const b of live) for (let i = 0; i + 1 < b.length; i += 2) den.push(b[i].x === b[i + 1].x ? (2n * b[i].y) % P : s(b[i + 1].x, b[i].x));
    if (den.length < BATCH_MIN_PAIRS) break;
    // Batch inversion: prefix products, one inverse, back again. A zero denominator (x equal and y zero or
    // opposite) gets no inverse: that pair is the identity.
    const prefix = new Array<bigint>(den.length);
    let acc = 1n;
    for (let i = 0; i < den.length; i++) {
      prefix[i] = acc;
      if (den[i] !== 0n) acc = m(acc, den[i]);
    }
    let invAcc = invMod(acc, P);
    const invs = new Array<bigint>(den.length);
    for (let i = den.length - 1; i >= 0; i--) {
      if (den[i] === 0n) {
        invs[i] = 0n;
        continue;
      }
      invs[i] = m(invAcc, prefix[i]);
      invAcc = m(invAcc, den[i]);
    }
    let k = 0;
    live = live.map((b) => {
      const out: Affine[] = [];
      for (let i = 0; i + 1 < b.length; i += 2) {
        const p = b[i];
        const q = b[i + 1];
        const inv = invs[k++];
        let lambda: bigint;
        if (p.x === q.x) {
          if (p.y !== q.y || inv === 0n) continue; // p = -q: the identity
          lambda = m(m((3n * p.x) % P, p.x), inv);
        } else lambda = m(s(q.y, p.y), inv);
        const x3 = s(s(m(lambda, lambda), p.x), q.x);
        out.push({ x: x3, y: s(m(lambda, s(p.x, x3)), p.y) });
      }
      if (b.length % 2 === 1) out.push(b[b.length - 1]);
      return out;
    });
  }
  return live.map((b) => {
    if (b.length === 0) return null;
    if (b.length === 1) return b[0];
    let j: Jac = ZERO;
    for (const p of b) j = addMixed(j, p);
    return j;
  });
}

/** Signed base-2^c digits of a scalar below 2^254: each in [-2^(c-1), 2^(c-1)], `windows` of them. */
function signedDigits(x: bigint, c: number, windows: number): Int32Array {
  const d = new Int32Array(windows);
  const mask = (1n << BigInt(c)) - 1n;
  const half = 1 << (c - 1);
  let carry = 0;
  for (let w = 0; w < windows; w++) {
    let v = Number((x >> BigInt(c * w)) & mask) + carry;
    if (v > half) {
      v -= 1 << c;
      carry = 1;
    } else carry = 0;
    d[w] = v;
  }
  return d;
}

/** sum_i scalars[i] points[i] (scalars in [0, 2^254), identity points allowed), as a Jacobian point. */
function msmJac(points: readonly (Affine | null)[], scalars: readonly bigint[]): Jac {
  if (points.length !== scalars.length) throw new Error("msm: as many scalars as points");
  const idx: number[] = [];
  for (let i = 0; i < points.length; i++) if (points[i] !== null && scalars[i] !== 0n) idx.push(i);
  const n = idx.length;
  if (n === 0) return ZERO;
  // The window minimising (windows) x (n additions into buckets + 2^(c-1) buckets summed twice + c doublings).
  const cost = (c: number) => (Math.ceil(255 / c) + 1) * (8 * n + 27 * 2 ** (c - 1) + 8 * c);
  let c = 2;
  for (let d = 3; d <= 16; d++) if (cost(d) < cost(c)) c = d;
  const windows = Math.ceil(255 / c) + 1;
  const digits = idx.map((i) => signedDigits(scalars[i], c, windows));
  const negs = idx.map((i) => ({ x: points[i]!.x, y: points[i]!.y === 0n ? 0n : P - points[i]!.y }));
  const nb = 1 << (c - 1);
  let acc = ZERO;
  for (let w = windows - 1; w >= 0; w--) {
    for (let j = 0; j < c; j++) acc = double(acc);
    const buckets: Affine[][] = Array.from({ length: nb }, () => []);
    for (let k = 0; k < n; k++) {
      const d = digits[k][w];
      if (d > 0) buckets[d - 1].push(points[idx[k]]!);
      else if (d < 0) buckets[-d - 1].push(negs[k]);
    }
    const sums = sumBuckets(buckets);
    // sum_b (b + 1) B_b by a running sum from the top bucket down.
    let run = ZERO;
    let win = ZERO;
    for (let b = nb - 1; b >= 0; b--) {
      const pt = sums[b];
      if (pt !== null) run = "Z" in pt ? add(run, pt) : addMixed(run, pt);
      win = add(win, run);
    }
    acc = add(acc, win);
  }
  return acc;
}

/** sum_i scalars[i] points[i], affine (null: the identity). */
export function msm(points: readonly (Affine | null)[], scalars: readonly bigint[]): Affine | null {
  return toAffine(msmJac(points, scalars));
}

/** Whether sum_i scalars[i] points[i] is the identity. */
export function msmIsZero(points: readonly (Affine | null)[], scalars: readonly bigint[]): boolean {
  return msmJac(points, scalars).Z === 0n;
}

/** The Jacobi symbol (a / n) for odd n > 0: -1 means a is not a square mod a prime n. */
export function jacobi(a: bigint, n: bigint): number {
  a %= n;
  if (a < 0n) a += n;
  let t = 1;
  while (a !== 0n) {
    while ((a & 1n) === 0n) {
      a >>= 1n;
      const r = n & 7n;
      if (r === 3n || r === 5n) t = -t;
    }
    [a, n] = [n, a];
    if ((a & 3n) === 3n && (n & 3n) === 3n) t = -t;
    a %= n;
  }
  return n === 1n ? t : 0;
}

/** (p + 1) / 4 in 4-bit windows, most significant first: a^((p+1)/4) is a square root of a square a. */
const SQRT_WINDOWS: number[] = (() => {
  const e = (P + 1n) / 4n;
  const out: number[] = [];
  for (let i = Math.ceil(e.toString(2).length / 4) - 1; i >= 0; i--) out.push(Number((e >> BigInt(4 * i)) & 15n));
  return out;
})();

/** A square root of a mod p (p = 3 mod 4), or null when a is not a square (the Jacobi symbol first: cheaper). */
export function sqrtFq(a: bigint): bigint | null {
  if (a === 0n) return 0n;
  if (jacobi(a, P) !== 1) return null;
  const pow = [1n, a];
  for (let i = 2; i < 16; i++) pow.push(m(pow[i - 1], a));
  let r = 1n;
  for (const w of SQRT_WINDOWS) {
    r = m(r, r);
    r = m(r, r);
    r = m(r, r);
    r = m(r, r);
    if (w !== 0) r = m(r, pow[w]);
  }
  return m(r, r) === a ? r : null;
}
