/**
 * Groth16 (snarkjs's flavour: its zkey, proof and verifier formats), with two provers that share the rest: the
 * native one (native/, Rust on arkworks), the default, and snarkjs's (WebAssembly), the reference.
 * Cost model: the domain holds the constraints and the public signals (setup/ptau.ts groth16Power).
 */
import { loadProver, nativeError } from "../../core/native";
import { groth16Power } from "../../setup/ptau";
import { renderSnarkjsVerifier } from "../../backends/solidity/verifier";
import { snarkjs, snarkjsVerifierInput, snarkjsVerify, writeProofFiles } from "../snarkjs";
import type { CircuitSystem, ProveArgs, ProveResult } from "../system";
import { setupGroth16 } from "./setup";

/** a(2) b(2x2) c(2) */
const WORDS = 8;

const groth16: Omit<CircuitSystem, "prover" | "description" | "prove"> = {
  protocol: "groth16",
  form: "r1cs",
  ceremony: true,
  countsGates: false,
  ptauPower: (c) => groth16Power(c.constraints, c.publicSignals),
  setupArtifacts: ["zkey", "vkey"],
  proofWords: WORDS,
  solidityProof: { decl: "uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c", args: "a, b, c" },
  setup: setupGroth16,
  verify: (args) => snarkjsVerify("groth16", args),
  renderVerifier: (vkey, contract) => renderSnarkjsVerifier("groth16", vkey, contract),
  verifierInput: (proof, pub) => snarkjsVerifierInput("groth16", WORDS, proof, pub),
  verifyProofArgs: (p, pub) => [
    [p[0], p[1]],
    [
      [p[2], p[3]],
      [p[4], p[5]],
    ],
    [p[6], p[7]],
    [...pub],
  ],
};

const NATIVE_HINTS: Record<string, string> = {
  ZKEY_INVALID: "delete it (or run with --force) so that the setup runs again",
  WITNESS_INVALID: "delete it (or run with --force) so that the witness is computed again",
  R1CS_INVALID: "compile the circuit again (--force)",
  WITNESS_UNSATISFIED: "the witness is not one of this circuit's: compute it again from the input (--force); if it persists, report the model file, since the witness generator and the circuit disagree",
};

function written(args: ProveArgs, proof: unknown, publicSignals: string[], prover: ProveResult["prover"], timings?: ProveResult["timings"]): ProveResult {
  writeProofFiles(args, proof, publicSignals);
  return { proofBytes: 32 * WORDS, publicSignals: publicSignals.length, prover, timings };
}

/** The native prover refuses a witness that does not satisfy the r1cs, and checks its proof against the key's own
 * verification key before anything is written. */
export const groth16Native: CircuitSystem = {
  ...groth16,
  prover: "native",
  description: "Groth16, native prover (Rust on arkworks): the smallest proof and cheapest verifier; a per-circuit ceremony",
  async prove(args) {
    const p = await loadProver()
      .prove(args.zkey, args.wtns, args.r1cs)
      .catch((e: unknown) => {
        throw nativeError(e, NATIVE_HINTS);
      });
    return written(args, { pi_a: p.piA, pi_b: p.piB, pi_c: p.piC, protocol: "groth16", curve: "bn128" }, p.publicSignals, "native", p.timings);
  },
};

export const groth16Snarkjs: CircuitSystem = {
  ...groth16,
  prover: "snarkjs",
  description: "Groth16, snarkjs's prover (WebAssembly): the reference",
  async prove(args) {
    const out = await snarkjs().groth16.prove(args.zkey, args.wtns);
    return written(args, out.proof, out.publicSignals, "snarkjs");
  },
};
