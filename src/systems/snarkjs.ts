/**
 * What the snarkjs-based systems share: snarkjs itself (loaded lazily: it starts worker threads), verification,
 * the verification key's export, and its calldata read back as the verifier's words.
 */
import * as fs from "fs";
import { ZkmlError } from "../core/errors";
import { writeFileAtomic } from "../core/files";
import type { ProofSystem } from "../core/paths";
import type { VerifierInput, VerifyArgs } from "./system";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
export const snarkjs = (): any => require("snarkjs");

export async function snarkjsVerify(protocol: ProofSystem, args: VerifyArgs): Promise<{ valid: boolean }> {
  const read = (f: string) => JSON.parse(fs.readFileSync(f, "utf8"));
  const valid = await snarkjs()[protocol].verify(read(args.vkey), read(args.public), read(args.proof));
  return { valid: valid === true };
}

/** The key's verification key, written as snarkjs's JSON. */
export async function exportVerificationKey(zkey: string, vkey: string): Promise<void> {
  writeFileAtomic(vkey, JSON.stringify(await snarkjs().zKey.exportVerificationKey(zkey), null, 1));
}

/**
 * Is `vkey` the verification key of `zkey`? Exported from the key again (its header and IC: a small read even
 * for a large key) and compared as JSON. A verification key damaged on its own (one digit of IC[1] changed, which
 * a proof whose first public signal is 0 never exercises) is found here, before a verifier is rendered from it.
 */
export async function vkeyMatchesZkey(zkey: string, vkey: string): Promise<boolean> {
  let given: unknown;
  try {
    given = JSON.parse(fs.readFileSync(vkey, "utf8"));
  } catch {
    return false;
  }
  const s = snarkjs(); // loaded first: its ffjavascript clears the shared curve when it loads
  // snarkjs builds ffjavascript's shared multi-threaded curve and never ends its worker threads, which would keep a
  // task's process alive after it is done: it is handed a single-threaded curve of ours instead, which holds none
  const g = globalThis as { curve_bn128?: unknown };
  const mine = g.curve_bn128 ? undefined : await require("ffjavascript").buildBn128(true);
  if (mine) g.curve_bn128 = mine;
  try {
    return canonicalJson(given) === canonicalJson(await s.zKey.exportVerificationKey(zkey));
  } finally {
    if (mine && g.curve_bn128 === mine) g.curve_bn128 = null;
  }
}

/** JSON with object keys sorted (bigints as decimal strings), so that two tools' key orders compare equal. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    typeof x === "bigint" ? x.toString() : x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]])) : x,
  );
}

/**
 * The verifier's words from snarkjs's calldata string. The protocols format it differently (Groth16
 * `[a],[b],[c],[pub]`, PLONK `[proof][pub]`, FFLONK unquoted hex, its export taking (pub, proof)), but all list
 * the same numbers in argument order, so every hex number is taken in turn and cut by the known sizes.
 */
export async function snarkjsVerifierInput(protocol: ProofSystem, words: number, proof: unknown, pub: string[], publicFirst = false): Promise<VerifierInput> {
  const s = snarkjs()[protocol];
  const calldata: string = publicFirst ? await s.exportSolidityCallData(pub, proof) : await s.exportSolidityCallData(proof, pub);
  return splitCalldata(protocol, words, calldata, pub.length);
}

export function splitCalldata(protocol: ProofSystem, words: number, calldata: string, nPublic: number): VerifierInput {
  const nums = (calldata.match(/0x[0-9a-fA-F]+/g) ?? []).map((h) => BigInt(h));
  if (nums.length !== words + nPublic)
    throw new ZkmlError("PROOF_INVALID", `${protocol} calldata: expected ${words + nPublic} numbers (${words} proof words and ${nPublic} public values), got ${nums.length}`, {
      hint: "the proof and public files do not belong together, or are damaged: prove again (prove-model --force)",
    });
  return { proof: nums.slice(0, words), publicSignals: nums.slice(words) };
}

/** proof.json and public.json in snarkjs's shapes (what its verify, its calldata export and the tasks read). */
export function writeProofFiles(files: { proof: string; public: string }, proof: unknown, publicSignals: string[]): void {
  writeFileAtomic(files.proof, JSON.stringify(proof, null, 1));
  writeFileAtomic(files.public, JSON.stringify(publicSignals, null, 1));
}
