/**
 * Witness, proof and verification: the stages a proof of one input goes through. Groth16 proofs come from the
 * native prover (native/prover, Rust on arkworks) by default, or from snarkjs (loaded lazily), which stays the
 * reference; PLONK and FFLONK from snarkjs. Both provers read the same zkey and wtns and write the same JSON.
 * Naming: circom and snarkjs call the curve "bn128"; it is the EVM's alt_bn128, i.e. BN254.
 */
import * as fs from "fs";
import { ZkmlError } from "../core/errors";
import { produceAtomic, writeFileAtomic } from "../core/files";
import { loadProver, nativeError } from "../core/native";
import type { ProofSystem } from "../core/paths";
import { PROOF_WORDS } from "./systems";

export type Prover = "native" | "snarkjs";
export const PROVERS: readonly Prover[] = ["native", "snarkjs"];

/** The prover a run uses: the one asked for, else native for Groth16 and snarkjs for the universal systems. */
export function chooseProver(system: ProofSystem, asked?: Prover): Prover {
  if (asked === "native" && system !== "groth16")
    throw new ZkmlError("OPTION_INVALID", `--prover native: the native prover proves Groth16 only, not ${system}`, { hint: "drop --prover (snarkjs proves PLONK and FFLONK), or use --system groth16" });
  return asked ?? (system === "groth16" ? "native" : "snarkjs");
}

/** A prover named by the user (`where` says which option), or a clear error. */
export function parseProver(s: string, where: string): Prover {
  const v = s.trim().toLowerCase();
  if ((PROVERS as readonly string[]).includes(v)) return v as Prover;
  throw new ZkmlError("OPTION_INVALID", `${where}: expected one of ${PROVERS.join(", ")}, got "${s}"`, { hint: `e.g. ${where} native` });
}

const NATIVE_HINTS: Record<string, string> = {
  ZKEY_INVALID: "delete it (or run with --force) so that the setup runs again",
  WITNESS_INVALID: "delete it (or run with --force) so that the witness is computed again",
  R1CS_INVALID: "compile the circuit again (--force)",
  WITNESS_UNSATISFIED: "the witness is not one of this circuit's: compute it again from the input (--force); if it persists, report the model file, since the witness generator and the circuit disagree",
};

async function proveNative(args: { zkey: string; wtns: string; r1cs: string }): Promise<{ proof: unknown; publicSignals: string[]; timings: { phase: string; ms: number }[] }> {
  const p = await loadProver()
    .prove(args.zkey, args.wtns, args.r1cs)
    .catch((e: unknown) => {
      throw nativeError(e, NATIVE_HINTS);
    });
  return { proof: { pi_a: p.piA, pi_b: p.piB, pi_c: p.piC, protocol: "groth16", curve: "bn128" }, publicSignals: p.publicSignals, timings: p.timings };
}

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const snarkjs = (): any => require("snarkjs");

export async function computeWitness(args: { wasm: string; input: Record<string, string[]>; wtns: string }): Promise<{ wtns: string }> {
  await produceAtomic(args.wtns, async (tmp) => {
    try {
      await snarkjs().wtns.calculate(args.input, args.wasm, tmp);
    } catch (e) {
      throw new ZkmlError("WITNESS_FAILED", `witness computation failed: ${(e as Error).message.split("\n")[0]}`, { cause: e });
    }
  });
  return { wtns: args.wtns };
}

/**
 * One proof. The native prover also needs the circuit's r1cs: it refuses a witness that does not satisfy it, and
 * checks its proof against the key's own verification key before writing anything.
 */
export async function prove(args: { system: ProofSystem; prover?: Prover; zkey: string; wtns: string; r1cs?: string; proof: string; public: string }): Promise<{ proofBytes: number; publicSignals: number; prover: Prover; timings?: { phase: string; ms: number }[] }> {
  const prover = chooseProver(args.system, args.prover);
  let out: { proof: unknown; publicSignals: string[]; timings?: { phase: string; ms: number }[] };
  if (prover === "native") {
    if (!args.r1cs) throw new Error("the native prover needs the circuit's r1cs");
    out = await proveNative({ zkey: args.zkey, wtns: args.wtns, r1cs: args.r1cs });
  } else out = await snarkjs()[args.system].prove(args.zkey, args.wtns);
  writeFileAtomic(args.proof, JSON.stringify(out.proof, null, 1));
  writeFileAtomic(args.public, JSON.stringify(out.publicSignals, null, 1));
  // bytes of the proof as the verifier contract takes it (public signals not counted)
  return { proofBytes: 32 * PROOF_WORDS[args.system], publicSignals: out.publicSignals.length, prover, timings: out.timings };
}

export async function verify(args: { system: ProofSystem; vkey: string; proof: string; public: string }): Promise<{ valid: boolean }> {
  const read = (f: string) => JSON.parse(fs.readFileSync(f, "utf8"));
  const valid = await snarkjs()[args.system].verify(read(args.vkey), read(args.public), read(args.proof));
  return { valid: valid === true };
}
