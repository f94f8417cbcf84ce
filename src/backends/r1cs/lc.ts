/**
 * Linear combinations over the wires of an R1CS: wire -> coefficient, as signed integers (reduced modulo r only
 * when written). Wire 0 is the constant 1.
 */
import { fieldOf } from "../../core/field";

export type LC = Map<number, bigint>;

/** The wire that always holds 1. */
export const ONE = 0;
/** Not a wire: the constant 0 where a tensor holds one (a Pad's border). A term of it vanishes, as circom --O1 substitutes a
 * signal equal to a constant, so no constraint ever names it and the witness has no place for it. */
export const ZERO = -1;

/** A linear combination of the given terms (repeated wires add up; zero terms vanish). */
export function lc(...terms: [number, bigint][]): LC {
  const m: LC = new Map();
  for (const [w, c] of terms) addTerm(m, w, c);
  return m;
}

/** m += c * w. */
export function addTerm(m: LC, w: number, c: bigint): void {
  if (c === 0n || w === ZERO) return;
  const v = (m.get(w) ?? 0n) + c;
  if (v === 0n) m.delete(w);
  else m.set(w, v);
}

/** m += k * other. */
export function addScaled(m: LC, other: LC, k: bigint): void {
  for (const [w, c] of other) addTerm(m, w, c * k);
}

/** The value of m in the field, given each wire's value. */
export function evaluate(m: LC, value: (w: number) => bigint): bigint {
  let v = 0n;
  for (const [w, c] of m) v += c * (w === ONE ? 1n : value(w));
  return fieldOf(v);
}
