/**
 * BN254 (alt_bn128, circom's and snarkjs's "bn128"): its two primes and the little scalar-field arithmetic the
 * project does with bigints. Heavy curve work is native (src/core/native.ts) or snarkjs's.
 */

/** The scalar field r: circom's signals live modulo this prime (the EVM's alt_bn128 group order). */
export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** The base field q: curve points' coordinates. */
export const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** The field element a signed integer stands for in a circuit signal (negative v is r - |v|). */
export function fieldOf(v: bigint): bigint {
  return ((v % BN254_R) + BN254_R) % BN254_R;
}

/** A field element read back as the signed integer it stands for (above r/2: negative). */
export function signedOf(v: bigint): bigint {
  return v > BN254_R / 2n ? v - BN254_R : v;
}

/** b^e mod r, by squaring. */
export function powMod(b: bigint, e: bigint): bigint {
  let r = 1n;
  b = fieldOf(b);
  for (; e > 0n; e >>= 1n, b = (b * b) % BN254_R) if (e & 1n) r = (r * b) % BN254_R;
  return r;
}

/** 1/v in the scalar field (v not 0 mod r), by Fermat: v^(r-2). */
export function fieldInverse(v: bigint): bigint {
  if (fieldOf(v) === 0n) throw new Error("fieldInverse(0)");
  return powMod(v, BN254_R - 2n);
}

/** An unsigned integer from n little-endian bytes at buf[off]. */
/** Invert every element at once (Montgomery's trick): one inversion and 3n multiplications; no element may be 0. */
export function batchInverse(a: readonly bigint[]): bigint[] {
  const prefix = new Array<bigint>(a.length);
  let acc = 1n;
  for (let i = 0; i < a.length; i++) {
    prefix[i] = acc;
    acc = (acc * a[i]) % BN254_R;
  }
  let t = fieldInverse(acc);
  const out = new Array<bigint>(a.length);
  for (let i = a.length - 1; i >= 0; i--) {
    out[i] = (t * prefix[i]) % BN254_R;
    t = (t * a[i]) % BN254_R;
  }
  return out;
}

export function readLE(buf: Uint8Array, off: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[off + i]);
  return v;
}

/** Write v (non-negative, below 2^(8n)) as n little-endian bytes at buf[off]. */
export function writeLE(buf: Uint8Array, off: number, n: number, v: bigint): void {
  for (let i = 0; i < n; i++, v >>= 8n) buf[off + i] = Number(v & 0xffn);
}
