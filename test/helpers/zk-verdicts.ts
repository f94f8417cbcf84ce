/**
 * The two sumcheck verifiers of zero-knowledge proofs (format 3) asked the same question: the Rust one (the addon's
 * sumcheckVerify) and the TypeScript one (verifySumcheckProof), each verdict put in words both map to, so a test can
 * require them to refuse at the same check, not only both refuse (a check one side skipped shows as a later check
 * refusing). Shared by test/sumcheck-zk-verifier.test.ts (MLPs) and test/sumcheck-zk-cnn-verifier.test.ts.
 */
import { expect } from "chai";
import { isZkmlError } from "../../src/core/errors";
import { loadSumcheck, nativeError } from "../../src/core/native";
import { archWords, i64Bytes, SumcheckArch } from "../../src/systems/sumcheck/arch";
import { verifySumcheckProof } from "../../src/systems/sumcheck/verifier";
import { decodeZkProof } from "../../src/systems/sumcheck/verifier/decode-zk";
import type { Plan } from "../../src/systems/sumcheck/verifier/plan-zk";

/** A seeded generator of integers in [lo, hi] (xorshift32; hi - lo far below 2^32). */
export function rng(seed: number): (lo: number, hi: number) => number {
  let s = Math.imul(seed, 0x9e3779b1) >>> 0 || 1;
  return (lo, hi) => {
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

/** The addon's zero-knowledge functions the tests call. */
export interface SumcheckZk {
  sumcheckProveZk(arch: Buffer, params: Buffer, input: Buffer, secret?: Buffer | null, context?: Buffer | null, inputPrivate?: boolean): Promise<{ proof: Buffer; output: Buffer }>;
  sumcheckCommitModelZk(arch: Buffer, params: Buffer): Promise<{ commitment: Buffer; secret: Buffer }>;
  sumcheckVerify(arch: Buffer, input: Buffer | null, output: Buffer, proof: Buffer, model?: Buffer, context?: Buffer): Promise<{ valid: boolean; reason?: string | null }>;
}
export const native = (): SumcheckZk => loadSumcheck() as unknown as SumcheckZk;

/** What a verifier may be given: the statement (x null for a private input), the proof, the model's commitment
 * and the context. */
export interface Case {
  arch: SumcheckArch;
  x: readonly bigint[] | null;
  y: readonly bigint[];
  proof: Uint8Array;
  model?: Uint8Array;
  context?: Uint8Array;
}

/**
 * Which check a refusal names, in words both verifiers' reasons map to: a sumcheck round's sum; each final-value
 * check (a wiring's, a matrix product's W^ a^, the max pool's zerocheck, a lookup's two, the merge's); each
 * equation of a dot-product proof; anything else "other".
 */
export function checkOf(reason: string): string {
  const round = /round (\d+): g\(0\) \+ g\(1\) differs/.exec(reason);
  if (round) return `round ${round[1]}'s sum`;
  if (/c T \+ delta/.test(reason)) return "dot product: c T + delta";
  if (/c Y \+ beta/.test(reason)) return "dot product: c Y + beta";
  if (!/final value/.test(reason)) return "other";
  if (/wiring/.test(reason)) return "final value (wiring)";
  if (/W\^ a\^/.test(reason)) return "final value (matrix)";
  if (/maxpool zerocheck/.test(reason)) return "final value (maxpool zerocheck)";
  for (const what of ["h_f", "h_t", "joint merge"]) if (reason.includes(what)) return `final value (${what})`;
  return `final value (${reason})`;
}

/** What the Rust verifier says: "valid", "invalid: <check>" or "throw CODE". */
export async function rustSays(c: Case): Promise<string> {
  try {
    const v = await native().sumcheckVerify(i64Bytes(archWords(c.arch)), c.x && i64Bytes(c.x), i64Bytes(c.y), Buffer.from(c.proof), c.model && Buffer.from(c.model), c.context && Buffer.from(c.context));
    return v.valid ? "valid" : `invalid: ${checkOf(v.reason ?? "")}`;
  } catch (e) {
    const z = nativeError(e);
    return isZkmlError(z) ? `throw ${z.code}` : `crash ${String(e)}`;
  }
}

/** What the TypeScript verifier says, in the same words. */
export function tsSays(c: Case): string {
  try {
    const v = verifySumcheckProof(c.arch, c.x, c.y, c.proof, c.model, c.context);
    return v.valid ? "valid" : `invalid: ${checkOf(v.reason)}`;
  } catch (e) {
    return isZkmlError(e) ? `throw ${e.code}` : `crash ${String(e)}`;
  }
}

/** Both verdicts (the Rust one on the addon's worker thread while the TypeScript one runs here), which must agree
 * to the check; returns it. */
export async function bothSayAt(c: Case, what: string): Promise<string> {
  const rust = rustSays(c);
  const ts = tsSays(c);
  expect({ what, ts }).to.deep.equal({ what, ts: await rust });
  return ts;
}

/** bothSayAt's verdict without the check: "valid", "invalid" or "throw CODE". */
export const bothSay = async (c: Case, what: string): Promise<string> => (await bothSayAt(c, what)).replace(/^invalid: .*/, "invalid");

/** The field the decoder refuses at byte `at` when its word is set to ones (a point's second word: its first's). */
export function refusedField(plan: Plan, proof: Uint8Array, at: number): { at: number; field: string } {
  const b = Buffer.from(proof);
  b.fill(0xff, at, at + 32);
  let said = "decoded";
  try {
    decodeZkProof(b, plan);
  } catch (e) {
    said = (e as Error).message;
  }
  const m = /at byte (\d+): (version|.*?(?=: (?:not a|count too large)))/.exec(said);
  if (!m) throw new Error(`word at ${at} set to ones: ${said}`);
  return { at: Number(m[1]), field: m[2] };
}
