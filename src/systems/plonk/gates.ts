/**
 * PLONK gates snarkjs makes of an R1CS: PLONK and FFLONK's cost model.
 *
 * Why a gate count: PLONK and FFLONK first translate each R1CS constraint into PLONK gates: a linear combination
 * of k signals costs k-1 extra addition gates (snarkjs reduces a sum to at most 3 signals, a product's factors to
 * 1 each), so a circuit whose weights are constants, free in R1CS, becomes far larger. `plonkGates` follows
 * snarkjs 0.7.6's translation (plonk_setup.js / r1cs_constraint_processor.js) exactly, so the ptau we pick is the
 * one its setup accepts.
 */
import { fieldOf as mod } from "../../core/field";
import type { R1cs, Term } from "../../core/r1cs";

/** Non-constant signals of a linear combination after merging repeated wires and dropping zero coefficients. */
function lcMap(terms: readonly Term[]): Map<number, bigint> {
  const m = new Map<number, bigint>();
  for (const [w, c] of terms) m.set(w, mod((m.get(w) ?? 0n) + c));
  for (const [w, c] of m) if (c === 0n) m.delete(w);
  return m;
}

const variables = (m: Map<number, bigint>) => [...m.keys()].filter((w) => w !== 0).length;

/** Gates of a sum reduced to 3 signals, or of a factor reduced to 1: one gate per extra signal. */
const extra = (n: number, keep: number) => Math.max(0, n - keep);

/** PLONK gates snarkjs makes of an R1CS (public-signal gates included). Needs the constraints read. */
export function plonkGates(r: R1cs): number {
  let gates = r.nPubOut + r.nPubIn;
  for (const [a, b, c] of r.constraints) {
    const A = lcMap(a);
    const B = lcMap(b);
    const C = lcMap(c);
    const kind = (m: Map<number, bigint>) => (variables(m) > 0 ? "var" : m.has(0) ? "const" : "zero");
    const ka = kind(A);
    const kb = kind(B);
    if (ka === "zero" || kb === "zero") gates += 1 + extra(variables(C), 3);
    else if (ka === "const" || kb === "const") {
      // k*L - C as one sum
      const k = (ka === "const" ? A : B).get(0)!;
      const L = ka === "const" ? B : A;
      const joined = new Map<number, bigint>();
      for (const [w, v] of L) joined.set(w, mod(k * v));
      for (const [w, v] of C) joined.set(w, mod((joined.get(w) ?? 0n) - v));
      for (const [w, v] of joined) if (v === 0n) joined.delete(w);
      gates += 1 + extra(variables(joined), 3);
    } else gates += 1 + extra(variables(A), 1) + extra(variables(B), 1) + extra(variables(C), 1);
  }
  return gates;
}

export const ceilLog2 = (n: number) => Math.max(0, Math.ceil(Math.log2(n)));
