/**
 * PLONK and FFLONK, by snarkjs: universal setups (the key follows from the circuit and the ptau alone, with no
 * secret of its own, so there is nothing to contribute), 24-word proofs.
 * Cost model: gates after snarkjs's translation of the R1CS (./gates.ts). PLONK's domain holds the gates (at least
 * 2^3); FFLONK's domain 2^c holds the gates plus 2 (at least 2^3), and it commits a polynomial of degree about
 * 9*2^c, so the ptau must hold 9*2^c + 18 G1 points, which a ptau of power c+3 (2^(c+4) - 1 points) does and c+2
 * does not.
 */
import * as fs from "fs";
import { ZkmlError } from "../../core/errors";
import { powMod } from "../../core/field";
import { produceAtomic } from "../../core/files";
import { renderSnarkjsVerifier } from "../../backends/solidity/verifier";
import { checkZkey } from "../../snark/zkey";
import { exportVerificationKey, snarkjs, snarkjsVerifierInput, snarkjsVerify, writeProofFiles } from "../snarkjs";
import type { CircuitCounts, CircuitSystem, SetupArgs, SetupResult } from "../system";
import { ceilLog2 } from "./gates";

const WORDS = 24;

function gatesOf(c: CircuitCounts): number {
  if (c.gates === undefined) throw new ZkmlError("STAGE_FAILED", "PLONK and FFLONK need the circuit's gate count (plonkGates)", { hint: "this is a bug in zkml-hardhat: please report it" });
  return c.gates;
}

async function universalSetup(protocol: "plonk" | "fflonk", args: SetupArgs, power: number): Promise<SetupResult> {
  const logger = { info: () => undefined, warn: () => undefined, error: (m: string) => { throw new ZkmlError("STAGE_FAILED", `snarkjs ${protocol} setup: ${m}`); }, debug: () => undefined };
  await produceAtomic(args.zkey, async (tmp) => {
    const r = await snarkjs()[protocol].setup(args.r1cs, args.ptau, tmp, logger);
    if (r === -1 || !fs.existsSync(tmp)) throw new ZkmlError("STAGE_FAILED", `snarkjs ${protocol} setup wrote no key`);
  });
  await exportVerificationKey(args.zkey, args.vkey);
  checkZkey(args.zkey, protocol);
  return { zkey: args.zkey, vkey: args.vkey, power, contributions: [] };
}

interface Universal {
  protocol: "plonk" | "fflonk";
  description: string;
  ptauPower: (c: CircuitCounts) => number;
  verifyProofArgs: CircuitSystem["verifyProofArgs"];
  /** the proof's words as the verifier declares them */
  wordType: "uint256" | "bytes32";
  /** snarkjs's calldata export takes (public, proof) */
  calldataPublicFirst: boolean;
  /** what the verifier template reads beyond the verification key */
  templateKey?: (vkey: Record<string, string>) => Record<string, string>;
}

/** The FFLONK template also reads powers of its roots of unity, which snarkjs adds before rendering. */
function withRootPowers(vkey: Record<string, string>): Record<string, string> {
  const vk = { ...vkey };
  const [w3, w4, w8] = [BigInt(vk.w3), BigInt(vk.w4), BigInt(vk.w8)];
  vk.w3_2 = powMod(w3, 2n).toString();
  vk.w4_2 = powMod(w4, 2n).toString();
  vk.w4_3 = powMod(w4, 3n).toString();
  for (let i = 1; i < 8; i++) vk[`w8_${i}`] = powMod(w8, BigInt(i)).toString();
  return vk;
}

function snarkjsUniversal({ protocol, description, ptauPower, verifyProofArgs, wordType, calldataPublicFirst, templateKey = (vk) => vk }: Universal): CircuitSystem {
  return {
    protocol,
    prover: "snarkjs",
    description,
    form: "r1cs",
    ceremony: false,
    countsGates: true,
    ptauPower,
    setupArtifacts: ["zkey", "vkey"],
    proofWords: WORDS,
    solidityProof: { decl: `${wordType}[${WORDS}] calldata proof`, args: "proof" },
    setup: (args, power) => universalSetup(protocol, args, power),
    async prove(args) {
      const out = await snarkjs()[protocol].prove(args.zkey, args.wtns);
      writeProofFiles(args, out.proof, out.publicSignals);
      return { proofBytes: 32 * WORDS, publicSignals: out.publicSignals.length, prover: "snarkjs" };
    },
    verify: (args) => snarkjsVerify(protocol, args),
    renderVerifier: (vkey, contract) => renderSnarkjsVerifier(protocol, vkey, contract, templateKey),
    verifierInput: (proof, pub) => snarkjsVerifierInput(protocol, WORDS, proof, pub, calldataPublicFirst),
    verifyProofArgs,
  };
}

export const plonk = snarkjsUniversal({
  protocol: "plonk",
  description: "PLONK, snarkjs: universal setup (no ceremony of its own), every addition a gate",
  ptauPower: (c) => Math.max(3, ceilLog2(gatesOf(c))),
  verifyProofArgs: (p, pub) => [[...p], [...pub]],
  wordType: "uint256",
  calldataPublicFirst: false,
});

export const fflonk = snarkjsUniversal({
  protocol: "fflonk",
  description: "FFLONK, snarkjs: universal setup, the cheapest universal verifier, 8 times PLONK's ptau",
  ptauPower: (c) => Math.max(3, ceilLog2(gatesOf(c) + 2)) + 3,
  verifyProofArgs: (p, pub) => [p.map((w) => `0x${w.toString(16).padStart(64, "0")}`), [...pub]],
  wordType: "bytes32",
  calldataPublicFirst: true,
  templateKey: withRootPowers,
});
