/**
 * The three proof systems snarkjs offers, and what differs between them for this project: how large a powers of
 * tau each needs for a circuit, how a proof is laid out as verifier calldata, and what a proof weighs.
 *
 * Why a gate count here: Groth16 needs a domain as large as the R1CS (constraints plus public signals). PLONK and
 * FFLONK first translate each R1CS constraint into PLONK gates: a linear combination of k signals costs k-1 extra
 * addition gates (snarkjs reduces a sum to at most 3 signals, a product's factors to 1 each), so a circuit whose
 * weights are constants, free in R1CS, becomes far larger. `plonkGates` follows snarkjs 0.7.6's translation
 * (plonk_setup.js / r1cs_constraint_processor.js) exactly, so the ptau we pick is the one its setup accepts.
 * FFLONK also commits a polynomial of degree about 9n, so it needs 2^3 times the ptau of its domain.
 */
import { ZkmlError } from "../core/errors";
import { groth16Power } from "../setup/ptau";
import { R1cs, Term } from "./r1cs";
import { fieldOf as mod } from "../core/field";
import type { ProofSystem } from "../core/paths";

export const PROOF_SYSTEMS: readonly ProofSystem[] = ["groth16", "plonk", "fflonk"];

export function isProofSystem(s: string): s is ProofSystem {
  return (PROOF_SYSTEMS as readonly string[]).includes(s);
}

/** A proof system named by the user (`where` says which option), or a clear error. */
export function parseSystem(s: string, where: string): ProofSystem {
  const v = s.trim().toLowerCase();
  if (isProofSystem(v)) return v;
  throw new ZkmlError("OPTION_INVALID", `${where}: expected one of ${PROOF_SYSTEMS.join(", ")}, got "${s}"`, { hint: `e.g. ${where} groth16` });
}

/** 32-byte words of a proof as the verifier contract takes it: Groth16 a(2) b(2x2) c(2); PLONK and FFLONK 24. */
export const PROOF_WORDS: Record<ProofSystem, number> = { groth16: 8, plonk: 24, fflonk: 24 };

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

const ceilLog2 = (n: number) => Math.max(0, Math.ceil(Math.log2(n)));

/**
 * The powers of tau a circuit needs under each system. Groth16: 2^p > constraints + public signals.
 * PLONK: the domain, 2^p >= gates (at least 2^3). FFLONK: domain 2^c >= gates + 2 (at least 2^3), and the ptau
 * must hold 9*2^c + 18 G1 points, which a ptau of power c+3 (2^(c+4) - 1 points) does and c+2 does not.
 */
export function ptauPowerFor(system: ProofSystem, counts: { constraints: number; publicSignals: number; gates?: number }): number {
  switch (system) {
    case "groth16":
      return groth16Power(counts.constraints, counts.publicSignals);
    case "plonk":
      return Math.max(3, ceilLog2(need(counts.gates)));
    case "fflonk":
      return Math.max(3, ceilLog2(need(counts.gates) + 2)) + 3;
    default: {
      const never: never = system;
      throw new Error(`unknown proof system ${never}`);
    }
  }
}

function need(gates: number | undefined): number {
  if (gates === undefined) throw new Error("PLONK and FFLONK need the circuit's gate count (plonkGates)");
  return gates;
}

/**
 * The verifier's arguments from snarkjs's calldata string. The three protocols format it differently (Groth16
 * `[a],[b],[c],[pub]`, PLONK `[proof][pub]`, FFLONK unquoted hex), but all list the same numbers in argument
 * order, so we take every hex number in turn and cut by the known sizes.
 */
export function verifierArgs(system: ProofSystem, calldata: string, nPublic: number): { proof: bigint[]; publicSignals: bigint[] } {
  const nums = (calldata.match(/0x[0-9a-fA-F]+/g) ?? []).map((h) => BigInt(h));
  const words = PROOF_WORDS[system];
  if (nums.length !== words + nPublic) throw new Error(`${system} calldata: expected ${words + nPublic} numbers, got ${nums.length}`);
  return { proof: nums.slice(0, words), publicSignals: nums.slice(words) };
}

/** The proof words shaped as each verifier's `verifyProof` takes them, followed by the public signals. */
export function verifyProofArgs(system: ProofSystem, proof: readonly bigint[], publicSignals: readonly bigint[]): unknown[] {
  if (system === "groth16")
    return [
      [proof[0], proof[1]],
      [
        [proof[2], proof[3]],
        [proof[4], proof[5]],
      ],
      [proof[6], proof[7]],
      [...publicSignals],
    ];
  if (system === "fflonk") return [proof.map((w) => `0x${w.toString(16).padStart(64, "0")}`), [...publicSignals]];
  return [[...proof], [...publicSignals]];
}
