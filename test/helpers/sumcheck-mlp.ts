/**
 * The MLP both Solidity verifier tests (formats 2 and 4) prove: dense 20 -> 12, a requant with ReLU and an 8-bit
 * clamp, flatten, dense 12 -> 5 (widths that are not powers of two), 8-bit weights and 12-bit biases from a seed.
 */
import type { SumcheckArch } from "../../src/systems/sumcheck/arch";

/** A seeded generator of integers in [lo, hi]. */
export function rng(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

export const ARCH: SumcheckArch = {
  inputLen: 20,
  inputMin: 0n,
  inputTop: 127n,
  ops: [
    { op: "dense", m: 12, n: 20 },
    { op: "requant", shift: 8, relu: true, bits: 20, clamp: 8 },
    { op: "flatten" },
    { op: "dense", m: 5, n: 12 },
  ],
};

export function params(seed: number): bigint[] {
  const r = rng(seed);
  const n = 12 * 20 + 12 + 5 * 12 + 5;
  return Array.from({ length: n }, (_, i) => BigInt(i < 12 * 20 || (i >= 252 && i < 312) ? r(-128, 127) : r(-2000, 2000)));
}
