/**
 * Witness, proof and verification through snarkjs (loaded lazily): the stages a proof of one input goes through.
 * Naming: circom and snarkjs call the curve "bn128"; it is the EVM's alt_bn128, i.e. BN254.
 */
import * as fs from "fs";
import { ZkmlError } from "../core/errors";
import { produceAtomic, writeFileAtomic } from "../core/files";
import type { ProofSystem } from "../core/paths";
import { PROOF_WORDS } from "./systems";

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

export async function prove(args: { system: ProofSystem; zkey: string; wtns: string; proof: string; public: string }): Promise<{ proofBytes: number; publicSignals: number }> {
  const s = snarkjs()[args.system];
  const { proof, publicSignals } = await s.prove(args.zkey, args.wtns);
  writeFileAtomic(args.proof, JSON.stringify(proof, null, 1));
  writeFileAtomic(args.public, JSON.stringify(publicSignals, null, 1));
  // bytes of the proof as the verifier contract takes it (public signals not counted)
  return { proofBytes: 32 * PROOF_WORDS[args.system], publicSignals: publicSignals.length };
}

export async function verify(args: { system: ProofSystem; vkey: string; proof: string; public: string }): Promise<{ valid: boolean }> {
  const read = (f: string) => JSON.parse(fs.readFileSync(f, "utf8"));
  const valid = await snarkjs()[args.system].verify(read(args.vkey), read(args.public), read(args.proof));
  return { valid: valid === true };
}
