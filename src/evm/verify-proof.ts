/**
 * `verify-proof`'s logic: a proof.json and public.json checked against a verification key (its system read from
 * the key's `protocol`, or given), or by a deployed verifier contract's `verifyProof`. Every system of the
 * registry verifies through its own `verify`, `verifierInput` and `verifyProofArgs`.
 *
 * An IR system's proof (the sumcheck system's bytes and public values) is checked against the quantized model
 * prove-model wrote, by every verifier the system has.
 *
 * An answer is valid or invalid with the reason. A file that cannot be what it claims (not JSON, not a proof of
 * this system, public values that are not decimal strings or not as many as the key has) is a ZkmlError naming the
 * file: nothing was checked, which is not the same as a proof that fails.
 */
import { Contract, Provider } from "ethers";
import { ZkmlError } from "../core/errors";
import { readJsonFile } from "../core/files";
import { BN254_R } from "../core/field";
import type { ProofSystem } from "../core/paths";
import { circuitSystemFor, irSystemFor, PROOF_SYSTEMS } from "../systems/registry";
import { readProofFiles } from "./compare";
import { readNode } from "./rpc";

export interface ProofCheck {
  valid: boolean;
  /** why it is invalid, or what was checked */
  reason: string;
  system: ProofSystem;
  publicSignals: number;
}

const PROOF_HINT = "give the proof.json and public.json that prove-model (or snarkjs) wrote for this circuit";

/** The proof system a verification key is for: its `protocol`, which `system` (when given) must match. */
export function systemOfKey(vkey: unknown, file: string, system?: ProofSystem): ProofSystem {
  const protocol = (vkey as { protocol?: unknown } | null)?.protocol;
  if (typeof protocol !== "string" || !(PROOF_SYSTEMS as readonly string[]).includes(protocol)) {
    if (system) return system;
    throw new ZkmlError("VKEY_MISMATCH", `protocol: expected one of ${PROOF_SYSTEMS.join(", ")}, got ${JSON.stringify(protocol)}`, {
      file,
      hint: "give a verification_key.json written by prove-model (or snarkjs), or name its system with --system",
    });
  }
  if (system && system !== protocol)
    throw new ZkmlError("VKEY_MISMATCH", `protocol: the key is a ${protocol} key, --system says ${system}`, { file, hint: `drop --system, or give a ${system} key` });
  return protocol as ProofSystem;
}

/** Values of public.json that are not field elements: no verifier accepts them. */
function outOfField(signals: string[]): number {
  return signals.findIndex((s) => BigInt(s) >= BN254_R);
}

/** The proof's own `protocol`, when it states one, must be the key's system. */
function checkProofShape(proof: unknown, system: ProofSystem, file: string): void {
  if (proof === null || typeof proof !== "object" || Array.isArray(proof))
    throw new ZkmlError("PROOF_INVALID", `expected a ${system} proof (a JSON object), got ${Array.isArray(proof) ? "an array" : JSON.stringify(proof)?.slice(0, 40)}`, { file, hint: PROOF_HINT });
  const p = (proof as { protocol?: unknown }).protocol;
  if (p !== undefined && p !== system) throw new ZkmlError("PROOF_INVALID", `protocol: expected ${system} (the key's), got ${JSON.stringify(p)}`, { file, hint: "give the proof made with this key's system" });
}

/** Verify proof.json and public.json against a verification key file. */
export async function verifyProofFiles(a: { proof: string; public: string; vkey: string; system?: ProofSystem }): Promise<ProofCheck> {
  const vkey = readJsonFile(a.vkey, "VKEY_MISMATCH", "give the verification_key.json of the circuit the proof was made with") as { nPublic?: number };
  const system = systemOfKey(vkey, a.vkey, a.system);
  const [proof, signals] = readProofFiles(a.proof, a.public);
  checkProofShape(proof, system, a.proof);
  if (typeof vkey.nPublic === "number" && signals.length !== vkey.nPublic)
    throw new ZkmlError("PROOF_INVALID", `expected ${vkey.nPublic} public signals (the key's nPublic), got ${signals.length}`, { file: a.public, hint: "give the public.json of a proof made with this key" });
  const n = signals.length;
  const bad = outOfField(signals);
  if (bad >= 0) return { valid: false, reason: `public signal ${bad} is not below the field modulus: no proof can verify it`, system, publicSignals: n };
  let valid: boolean;
  try {
    valid = (await circuitSystemFor({ system }, "a verification key").verify({ vkey: a.vkey, proof: a.proof, public: a.public })).valid;
  } catch (e) {
    throw new ZkmlError("PROOF_INVALID", `not a ${system} proof this key can check: ${String((e as Error)?.message ?? e).split("\n")[0]}`, { file: a.proof, hint: PROOF_HINT, cause: e });
  }
  return valid
    ? { valid, reason: `the ${system} proof verifies against ${a.vkey} for these ${n} public signals`, system, publicSignals: n }
    : { valid, reason: `the ${system} pairing check fails: this proof does not prove these ${n} public signals under this key`, system, publicSignals: n };
}

/** Verify an IR system's proof (its bytes and public values) against the quantized model prove-model wrote (ir.json):
 * every verifier the system has, which must agree. */
export async function verifyIrProofFiles(a: { system: ProofSystem; ir: string; proof: string; public: string; commitment?: string }): Promise<ProofCheck> {
  const v = await irSystemFor({ system: a.system }).verify({ ir: a.ir, proof: a.proof, public: a.public, commitment: a.commitment });
  // read and checked for form by the verification just made
  const n = readJsonFile(a.public, "PROOF_INVALID", "") as { input: unknown[]; output: unknown[] };
  const publicSignals = n.input.length + n.output.length;
  const names = v.verifiers.map((x) => x.name).join(" and ");
  return v.valid
    ? { valid: true, reason: `the ${a.system} proof verifies (${names} verifiers) for these ${publicSignals} public values against ${a.ir}`, system: a.system, publicSignals }
    : { valid: false, reason: v.verifiers.filter((x) => !x.valid).map((x) => `${x.name}: ${x.reason}`).join("; "), system: a.system, publicSignals };
}

/** The verifier contract's verifyProof for a system and a number of public signals (snarkjs's templates). */
export function verifierAbi(system: ProofSystem, nPublic: number): string[] {
  const decl = circuitSystemFor({ system }, "a Solidity verifier").solidityProof.decl.replace(/ calldata/g, "");
  return [`function verifyProof(${decl}, uint256[${nPublic}] pubSignals) view returns (bool)`];
}

/** Ask a deployed verifier whether proof.json and public.json verify (a call: nothing is sent). */
export async function verifyProofOnChain(a: { provider: Provider; address: string; network: string; url?: string; system: ProofSystem; proof: string; public: string }): Promise<ProofCheck> {
  const [proof, signals] = readProofFiles(a.proof, a.public);
  checkProofShape(proof, a.system, a.proof);
  const n = signals.length;
  const ctx = { network: a.network, url: a.url };
  const code = await readNode(ctx, `reading the code at ${a.address}`, () => a.provider.getCode(a.address));
  if (code === "0x")
    throw new ZkmlError("DEPLOYMENT_MISSING", `no contract at ${a.address} on ${a.network}`, { hint: "give the verifier's address from deployments/<network>/<circuit>-<system>.json, on the network it was deployed to" });
  const bad = outOfField(signals);
  if (bad >= 0) return { valid: false, reason: `public signal ${bad} is not below the field modulus: no proof can verify it`, system: a.system, publicSignals: n };
  const sys = circuitSystemFor({ system: a.system }, "a Solidity verifier");
  let args: unknown[];
  try {
    const input = await sys.verifierInput(proof, signals);
    args = sys.verifyProofArgs(input.proof, input.publicSignals);
  } catch (e) {
    throw new ZkmlError("PROOF_INVALID", `not a ${a.system} proof: ${String((e as Error)?.message ?? e).split("\n")[0]}`, { file: a.proof, hint: PROOF_HINT, cause: e });
  }
  const verifier = new Contract(a.address, verifierAbi(a.system, n), a.provider);
  let valid: boolean;
  try {
    valid = Boolean(await readNode(ctx, `calling verifyProof at ${a.address}`, () => verifier.verifyProof(...args)));
  } catch (e) {
    if (e instanceof ZkmlError) throw e;
    // a verifier for another number of public signals (another selector) or another system reverts without data
    return { valid: false, reason: `verifyProof at ${a.address} reverted (${String((e as Error)?.message ?? e).split("\n")[0].slice(0, 120)}): is it a ${a.system} verifier of ${n} public signals?`, system: a.system, publicSignals: n };
  }
  return valid
    ? { valid, reason: `the verifier at ${a.address} on ${a.network} accepts the proof`, system: a.system, publicSignals: n }
    : { valid, reason: `the verifier at ${a.address} on ${a.network} rejects the proof for these ${n} public signals`, system: a.system, publicSignals: n };
}
