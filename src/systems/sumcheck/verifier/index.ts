/**
 * The TypeScript verifier of the sumcheck system, written apart from the Rust one (native/src/sumcheck/) from the
 * protocol's description in its modules' docs, so the two can be run against each other: both must accept and
 * refuse the same proofs.
 *
 * Files, one job each: field.ts (Fr, MLEs, eq, interpolation), transcript.ts (the keccak256 transcript), g1.ts
 * (BN254 G1 and the multi-scalar multiplication), hyrax.ts (generators by hash to curve, the opening check),
 * sumcheck.ts, logup.ts (lookups and their tables), requant.ts (a requant's two lookups), wiring.ts (conv and pool
 * geometry, the wiring check), architecture.ts (the architecture's words checked and hashed), layout.ts (where
 * each committed column sits), decode.ts (the proof's bytes, format version 2, and a model commitment's),
 * network.ts (the whole verification), reject.ts (a refusal's reason).
 *
 * Zero-knowledge proofs (format 3, native/src/sumcheck/network_zk.rs): zk.ts (mask allocation, Libra's mask, the
 * vanishing polynomial, the masked sumcheck), dot-product.ts (Hyrax's proof of dot product and the zero-knowledge
 * opening), joint.ts (the joint merge of every claim and the openings), logup-zk.ts (lookups by committed helper
 * columns), plan-zk.ts (the masks, vectors and refusals the architecture fixes), decode-zk.ts (format 3's bytes),
 * network-zk.ts (the whole verification).
 *
 * KZG commitments (format 4, issue 28, docs/design/kzg-pcs.md, native/src/sumcheck/network_kzg.rs): gemini.ts
 * (Gemini's folds, Shplonk's batch and the pairing check, by ffjavascript's pairing), decode-kzg.ts (format 4's
 * bytes, a KZG model commitment's and the verifier key's), network-kzg.ts (the whole verification: format 2's
 * statement and layers from network.ts, one joint merge, one opening). Its entry is `verifySumcheckKzgProof`,
 * asynchronous because the pairing is.
 */
import type { SumcheckArch } from "../arch";
import { checkArch, archHashOfWords, inputTable, type CheckedArch } from "./architecture";
import { decodeCommitment, decodeProof } from "./decode";
import { verifyNetwork } from "./network";
import { Reject } from "./reject";
import { decodeZkProof, versionWord, ZK_VERSION } from "./decode-zk";
import { planOf } from "./plan-zk";
import { verifyNetworkZk } from "./network-zk";
import { decodeKzgCommitment, decodeKzgProof, decodeVerifierKey } from "./decode-kzg";
import { verifyNetworkKzg } from "./network-kzg";

export { sumcheckArchHash } from "./architecture";

/**
 * Whether `proof` shows that some weights of `arch` map `input` to `output` (`input` null: a private input, some x
 * in the architecture's declared range, committed in the proof: native sumcheckProve with inputPrivate): any
 * weights when `model` is absent (private weights: the proof carries their commitment), or the weights of the
 * model commitment `model` (committed weights: its bytes as the native sumcheckCommitModel gives them, a row count
 * word and 64-byte rows; the proof must not carry a commitment of its own). Throws ZkmlError IR_INVALID for an
 * architecture the system does not take (as the native verifier does), PROOF_INVALID for proof bytes that do not
 * decode (the byte offset named) or model commitment bytes that do not (naming "model commitment"), and IR_INVALID
 * for a private input whose range does not contain 0 or needs a table of more than 2^20 rows (checked after the
 * bytes, as the native verifier does); a proof that decodes but fails a check is `{ valid: false, reason }`.
 * A batch, as the native sumcheckVerify takes one (lib.rs SumcheckVerifyTask): `output` of N > 1 output lengths
 * is the outputs of N inferences in order, proved by one proof (native sumcheckProve of N inputs concatenated);
 * `input` is then the N inputs concatenated, exactly N input lengths (else the proof is refused), or null.
 * `context` (32 bytes): the value the proof is bound to (the native sumcheckProve's context); a bound proof fails
 * without it or with another, an unbound one fails with one.
 * A proof whose first word is 3 is a zero-knowledge proof (format 3, the native sumcheckProveZk's; network-zk.ts),
 * read for the statement the arguments make (as the native verifier reads it): a null input a private one, and
 * several outputs' worth of values a batch (its inputs concatenated, exactly one per output, else `valid: false`);
 * an architecture the zero-knowledge system does not prove under that statement is IR_INVALID (plan-zk.ts: a max
 * pool to one value, a conv of a hidden one-value input, or a private input whose range does not contain 0), bytes
 * that do not decode PROOF_INVALID.
 * A format-4 proof (KZG commitments, first word 4) is not read here (PROOF_INVALID: its version): its check needs
 * the setup's verifier key and a pairing, so it is `verifySumcheckKzgProof`'s.
 */
export function verifySumcheckProof(
  arch: SumcheckArch,
  input: readonly bigint[] | null,
  output: readonly bigint[],
  proof: Uint8Array,
  model?: Uint8Array,
  context?: Uint8Array,
): { valid: true } | { valid: false; reason: string } {
  const checked = checkArch(arch);
  if (versionWord(proof) === ZK_VERSION) return verifyZk(checked, input, output, proof, model, context);
  const decoded = decodeProof(proof);
  const modelRows = model === undefined ? null : decodeCommitment(model);
  const range = input === null ? inputTable(checked) : null;
  // several outputs' worth of values: a batch's proof, N = output length / the architecture's (native lib.rs
  // SumcheckVerifyTask); one sample's is verified as before
  const outLen = checked.lens.length > 0 ? checked.lens[checked.lens.length - 1] : checked.inputLen;
  const n = output.length > 0 && output.length % outLen === 0 ? output.length / outLen : 1;
  const chunks = (v: readonly bigint[], len: number) => Array.from({ length: Math.ceil(v.length / len) }, (_, b) => v.slice(b * len, (b + 1) * len));
  return verdict(() => {
    if (n > 1 && input !== null && input.length !== n * checked.inputLen)
      throw new Reject(`batch inputs (one per output): ${input.length} values, expected ${n * checked.inputLen}`);
    const xs = input === null ? null : n === 1 ? [input] : chunks(input, checked.inputLen);
    const ys = n === 1 ? [output] : chunks(output, outLen);
    if (context !== undefined && context.length !== 32) throw new Error(`context: expected 32 bytes, got ${context.length}`);
    verifyNetwork(checked, archHashOfWords(checked.words), xs, ys, decoded, modelRows, range, context ?? null);
  });
}

/** `check`'s verdict: valid when it returns, the reason when it throws Reject (any other error is thrown on). */
function verdict(check: () => void): { valid: true } | { valid: false; reason: string } {
  try {
    check();
    return { valid: true };
  } catch (e) {
    if (e instanceof Reject) return { valid: false, reason: e.message };
    throw e;
  }
}

/**
 * A zero-knowledge proof's verdict (native lib.rs `verify_zk`, in its order): the batch's N from the output's
 * length (several outputs' worth of values: N samples), a public input of exactly N input lengths (else invalid);
 * the plan of that statement (input public or private, N samples), the bytes, the model commitment.
 */
function verifyZk(
  checked: CheckedArch,
  input: readonly bigint[] | null,
  output: readonly bigint[],
  proof: Uint8Array,
  model: Uint8Array | undefined,
  context: Uint8Array | undefined,
): { valid: true } | { valid: false; reason: string } {
  if (context !== undefined && context.length !== 32) throw new Error(`context: expected 32 bytes, got ${context.length}`);
  const batch = batchValues(checked, input, output);
  if ("reason" in batch) return { valid: false, reason: batch.reason };
  const { xs, ys, n } = batch;
  const plan = planOf(checked, { input: xs ? "public" : "private", batch: n });
  const decoded = decodeZkProof(proof, plan);
  const modelRows = model === undefined ? null : decodeCommitment(model);
  return verdict(() => verifyNetworkZk(plan, archHashOfWords(checked.words), xs, ys, decoded, modelRows, context ?? null));
}

/** A verdict: valid, or the reason the proof is refused. */
/** A batch's outputs (several outputs' worth of values) and inputs (one per output; null: private), split; inputs
 * of another count are a refusal. */
function batchValues(checked: CheckedArch, input: readonly bigint[] | null, output: readonly bigint[]): { xs: bigint[][] | null; ys: bigint[][]; n: number } | { reason: string } {
  const outLen = checked.lens.length > 0 ? checked.lens[checked.lens.length - 1] : checked.inputLen;
  const n = output.length > 0 && output.length % outLen === 0 ? output.length / outLen : 1;
  const chunks = (v: readonly bigint[], len: number) => Array.from({ length: Math.ceil(v.length / len) }, (_, b) => v.slice(b * len, (b + 1) * len));
  const ys = chunks(output, outLen);
  const xs = input && chunks(input, checked.inputLen);
  if (xs && (xs.length !== n || xs.some((x) => x.length !== checked.inputLen))) return { reason: `batch inputs (one per output): ${input?.length} values, expected ${n * checked.inputLen}` };
  return { xs, ys, n };
}

export type Verdict = { valid: true } | { valid: false; reason: string };

/**
 * Whether the format-4 proof `proof` (KZG commitments: the native sumcheckProveKzg's) shows that some weights of
 * `arch` map `input` to `output`, under the setup whose verifier key `vk` is ([tau]_2's 128 bytes, the native
 * kzgVerifierKey's): any weights when `model` is absent (private weights: the proof carries C_M), else the weights
 * committed as `model` (C_M's 64 bytes, the native sumcheckCommitModelKzg's; the proof must not carry one). The
 * statement is read as verifySumcheckProof reads it (a null input a private one; several outputs' worth of values
 * a batch, its inputs concatenated, exactly one per output, else `valid: false`), in the native verifier's order
 * (lib.rs `verify_kzg`): IR_INVALID for an architecture the system does not take, OPTION_INVALID for a key that is
 * not a point of G2's subgroup, IR_INVALID for a private input whose range table cannot be built, PROOF_INVALID
 * for proof bytes that do not decode (the byte offset named) or model bytes that are not a point; a proof that
 * decodes but fails a check is `{ valid: false, reason }`.
 */
export async function verifySumcheckKzgProof(
  arch: SumcheckArch,
  input: readonly bigint[] | null,
  output: readonly bigint[],
  proof: Uint8Array,
  vk: Uint8Array,
  model?: Uint8Array,
  context?: Uint8Array,
): Promise<Verdict> {
  const checked = checkArch(arch);
  if (context !== undefined && context.length !== 32) throw new Error(`context: expected 32 bytes, got ${context.length}`);
  const tauG2 = await decodeVerifierKey(vk);
  const batch = batchValues(checked, input, output);
  if ("reason" in batch) return { valid: false, reason: batch.reason };
  const { xs, ys } = batch;
  const range = input === null ? inputTable(checked) : null;
  const decoded = decodeKzgProof(proof);
  const cM = model === undefined ? null : decodeKzgCommitment(model);
  try {
    await verifyNetworkKzg(checked, archHashOfWords(checked.words), xs, ys, decoded, tauG2, cM, range, context ?? null);
    return { valid: true };
  } catch (e) {
    if (e instanceof Reject) return { valid: false, reason: e.message };
    throw e;
  }
}
