/**
 * The proof systems, each named once. A protocol's first entry is its default prover (Groth16: native, when the
 * native addon is built; else snarkjs).
 * Everything that proves, verifies, renders a verifier or measures a system asks here.
 */
import { ZkmlError } from "../core/errors";
import { nativeAvailable } from "../core/native";
import type { CircuitProtocol, ProofSystem } from "../core/paths";
import { groth16Native, groth16Snarkjs } from "./groth16";
import { fflonk, plonk } from "./plonk";
import { sumcheck } from "./sumcheck";
import type { CircuitSystem, IrSystem, ProofSystemImpl, Prover } from "./system";

export const SYSTEMS: readonly ProofSystemImpl[] = [groth16Native, groth16Snarkjs, plonk, fflonk, sumcheck];

/** Every protocol once, in the registry's order (a Record keeps the list exhaustive over ProofSystem). */
const PROTOCOL_SET: Record<ProofSystem, true> = { groth16: true, plonk: true, fflonk: true, sumcheck: true };
export const PROOF_SYSTEMS = Object.keys(PROTOCOL_SET) as ProofSystem[];
export const PROVERS: readonly Prover[] = [...new Set(SYSTEMS.map((s) => s.prover))];

/** Which system to use: a protocol and, optionally, the prover asked for (else the protocol's default). */
export interface SystemChoice {
  system: ProofSystem;
  prover?: Prover;
}

/** The system for this choice, or a clear error when the protocol has no such prover (a circuit protocol's
 * system is a circuit system: test/systems.test.ts checks the registry holds to that). */
export function systemFor(choice: { system: CircuitProtocol; prover?: Prover }): CircuitSystem;
export function systemFor(choice: SystemChoice): ProofSystemImpl;
export function systemFor(choice: SystemChoice): ProofSystemImpl {
  const ofProtocol = SYSTEMS.filter((s) => s.protocol === choice.system);
  if (ofProtocol.length === 0) throw new ZkmlError("OPTION_INVALID", `unknown proof system "${choice.system}"`, { hint: `one of ${PROOF_SYSTEMS.join(", ")}` });
  // the default prover is the protocol's first; the native one only when the addon is built (installed without cargo: snarkjs's)
  const found = choice.prover === undefined ? (ofProtocol.find((s) => s.prover !== "native" || nativeAvailable()) ?? ofProtocol[0]) : ofProtocol.find((s) => s.prover === choice.prover);
  if (found) return found;
  const others = SYSTEMS.filter((s) => s.prover === choice.prover).map((s) => s.protocol);
  throw new ZkmlError("OPTION_INVALID", `--prover ${choice.prover}: the ${choice.prover} prover proves ${others.join(", ") || "nothing"}, not ${choice.system}`, {
    hint: `drop --prover (${ofProtocol[0].prover} proves ${choice.system}), or use --system ${others[0] ?? PROOF_SYSTEMS[0]}`,
  });
}

/**
 * The system for this choice when `need` (what the caller does with it: "a Solidity verifier", "a circuit") is
 * something only circuit systems have; an IR system is refused with what to use instead.
 */
export function circuitSystemFor(choice: SystemChoice, need: string): CircuitSystem {
  const sys = systemFor(choice);
  if (sys.form === "r1cs") return sys;
  const circuits = PROOF_SYSTEMS.filter((p) => systemFor({ system: p }).form === "r1cs");
  throw new ZkmlError("OPTION_INVALID", `--system ${sys.protocol}: ${need} exists only for the circuit systems (${circuits.join(", ")}) so far; ${sys.protocol} proves the IR directly`, {
    hint: `use --system ${circuits[0]} for this`,
  });
}

/** The system for this choice, which must be an IR system (a caller's check; the pipeline switches on `form`). */
export function irSystemFor(choice: SystemChoice): IrSystem {
  const sys = systemFor(choice);
  if (sys.form === "ir") return sys;
  throw new ZkmlError("OPTION_INVALID", `--system ${sys.protocol}: not a system that proves the IR directly`, { hint: "a bug: report it" });
}

function parseName<T extends string>(s: string, where: string, allowed: readonly T[]): T {
  const v = s.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new ZkmlError("OPTION_INVALID", `${where}: expected one of ${allowed.join(", ")}, got "${s}"`, { hint: `e.g. ${where} ${allowed[0]}` });
}

/** A proof system named by the user (`where` says which option), or a clear error. */
export const parseSystem = (s: string, where: string): ProofSystem => parseName(s, where, PROOF_SYSTEMS);

/** A prover named by the user (`where` says which option), or a clear error. */
export const parseProver = (s: string, where: string): Prover => parseName(s, where, PROVERS);
