/**
 * Format 4's bytes (native/src/sumcheck/network_kzg.rs `KzgNetworkProof::to_bytes`), read with every check its
 * `from_bytes` makes, and the two other byte strings a format-4 verifier is given: the model's KZG commitment (64
 * bytes, lib.rs `kzg_point`) and the setup's verifier key ([tau]_2, 128 bytes, kzg.rs `g2_from_words`).
 * 32-byte big-endian words; points as 64 bytes (x then y):
 *
 *   version (= 4); pcs (= 2, the commitment scheme: 1 would be Hyrax);
 *   the model-commitment flag (0 or 1), C_M when 1; the witness-commitment flag (0 or 1), C_W when 1;
 *   the layer proofs exactly as format 2 (decode.ts `Reader.layers`);
 *   the joint merge: its sumcheck (k, e, k x e words) and v;
 *   the Gemini opening of n variables (gemini.rs `GeminiProof::to_bytes`), n = k - 1 with C_W and k without (at
 *   least 1): n - 1 folds, n evaluations, Q, W.
 *
 * Checks, each a ZkmlError PROOF_INVALID naming the byte offset and the field, in the Rust decoder's order: the
 * version and pcs words (counts of at most 2^32 - 1, then exactly 4 and 2, the error at the word's own offset); the
 * flags at most 1; C_M and C_W on the curve and not the identity (as soon as each is read); the layers' checks
 * (decode.ts); n at least 1; the opening's words below their moduli and its points on the curve, and only then none
 * of its folds, Q or W the identity (the first identity's offset named); nothing after the end.
 */
import { ZkmlError } from "../../../core/errors";
import { Reader, type LayerProof, type Rounds } from "./decode";
import { R } from "./field";
import { onCurve, P, type Affine } from "./g1";
import type { G2Point, GeminiProof } from "./gemini";

export const KZG_VERSION = 4;
export const PCS_KZG = 2;

export interface KzgNetworkProof {
  /** C_M when the proof carries it (private weights); null when the verifier must hold it (committed weights). */
  modelCommitment: Affine | null;
  /** C_W; null exactly when the bytes have none (the network has no requant, max pool or private input). */
  witnessCommitment: Affine | null;
  layers: LayerProof[];
  /** The joint merge's sumcheck and v = J~(s). */
  merge: { rounds: Rounds; pEval: bigint };
  opening: GeminiProof;
}

/** A point that must not be the identity (network_kzg.rs `non_identity`): refused at its own offset. */
function commitment(r: Reader, what: string): Affine {
  const at = r.at;
  const p = r.point(what);
  if (p === null) r.fail(`${what}: the identity is not a commitment`, at);
  return p;
}

/** gemini.rs `GeminiProof::read` from the proof's reader (offsets the whole proof's), then the identity refused:
 * only after every word is read, as network_kzg.rs does, so a malformed word later on is named first. */
function opening(r: Reader, n: number): GeminiProof {
  const at: number[] = [];
  const point = (what: string) => {
    at.push(r.at);
    return r.point(what);
  };
  const folds = Array.from({ length: n - 1 }, (_, i) => point(`gemini fold ${i + 1}`));
  const evals = r.frs(n, (i) => `gemini evaluation ${i}`);
  const q = point("shplonk q");
  const w = point("kzg w");
  const zero = [...folds, q, w].findIndex((p) => p === null);
  if (zero >= 0) r.fail("the identity as a Gemini fold, Q or W", at[zero]);
  return { folds, evals, q, w };
}

/** The format-4 proof the bytes encode; throws ZkmlError PROOF_INVALID (with the byte offset) when they do not. */
export function decodeKzgProof(bytes: Uint8Array): KzgNetworkProof {
  const r = new Reader(bytes);
  const version = r.count("version", 2 ** 32 - 1);
  if (version !== KZG_VERSION) r.fail(`version ${version}, a KZG proof is version ${KZG_VERSION}`, 0);
  const pcsAt = r.at;
  const pcs = r.count("commitment scheme", 2 ** 32 - 1);
  if (pcs !== PCS_KZG) r.fail(`commitment scheme ${pcs}, a KZG proof's is ${PCS_KZG}`, pcsAt);
  const modelCommitment = r.count("model commitment flag", 1) === 1 ? commitment(r, "model commitment") : null;
  const witnessCommitment = r.count("witness commitment flag", 1) === 1 ? commitment(r, "witness commitment") : null;
  const layers = r.layers();
  const rounds = r.sumcheck("merge sumcheck");
  const pEval = r.fr("merge evaluation");
  // the opening's variables: the merge's but the selector (the last), which only a witness adds
  const n = rounds.length - (witnessCommitment ? 1 : 0);
  if (n < 1) r.fail(`merge of ${rounds.length} rounds: too few variables to open`);
  const open = opening(r, n);
  if (!r.done()) r.fail(`${bytes.length - r.at} bytes after the proof's end`);
  return { modelCommitment, witnessCommitment, layers, merge: { rounds, pEval }, opening: open };
}

/**
 * C_M from its 64 bytes (the native sumcheckCommitModelKzg's): a point of G1, not the identity; else ZkmlError
 * PROOF_INVALID naming "KZG model commitment", as the native verifier (lib.rs `kzg_point`) refuses it.
 */
export function decodeKzgCommitment(bytes: Uint8Array): Affine {
  const bad = (what: string): never => {
    throw new ZkmlError("PROOF_INVALID", `KZG model commitment: ${what}`, { hint: "pass the 64 bytes the native sumcheckCommitModelKzg gave (x then y)" });
  };
  if (bytes.length !== 64) bad(`expected 64 bytes, got ${bytes.length}`);
  const word = (i: number) => BigInt("0x" + Buffer.from(bytes.subarray(32 * i, 32 * i + 32)).toString("hex"));
  const [x, y] = [word(0), word(1)];
  if (x >= P || y >= P || (x === 0n && y === 0n) || !onCurve(x, y)) bad("not a point of G1 other than the identity");
  return { x, y };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let curve: Promise<any> | undefined;
/** ffjavascript's BN254 (single-threaded: no workers to end), built once, for the key's G2 checks. */
function bn128() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  curve ??= require("ffjavascript").buildBn128(true);
  return curve;
}

/**
 * The setup's [tau]_2 from its 128 bytes (kzgVerifierKey's: EIP-197's word order x.c1, x.c0, y.c1, y.c0), checked
 * as kzg.rs `g2_from_words` does: every word below the base field's modulus, the point on the twist, in G2's
 * prime-order subgroup (a point outside it would let the pairing check hold for a wrong opening) and not the
 * identity. A key that fails is ZkmlError OPTION_INVALID: it is the caller's argument, not the proof.
 */
export async function decodeVerifierKey(bytes: Uint8Array): Promise<G2Point> {
  const bad = (what: string): never => {
    throw new ZkmlError("OPTION_INVALID", `KZG verifier key: ${what}`, { hint: "pass the 128 bytes the native kzgVerifierKey gave for the proof's ptau" });
  };
  if (bytes.length !== 128) bad(`a G2 point is 128 bytes, got ${bytes.length}`);
  const w = Array.from({ length: 4 }, (_, i) => BigInt("0x" + Buffer.from(bytes.subarray(32 * i, 32 * i + 32)).toString("hex")));
  const over = w.findIndex((x) => x >= P);
  if (over >= 0) bad(`word ${over} is not below the base field's modulus`);
  const point: G2Point = [
    [w[1], w[0]],
    [w[3], w[2]],
  ];
  const c = await bn128();
  const g2 = c.G2.fromObject([point[0], point[1], [1n, 0n]]);
  // r [tau]_2 = 0 exactly in the subgroup of order r (the twist's other points have a cofactor part)
  if (w.every((x) => x === 0n) || !c.G2.isValid(g2) || !c.G2.isZero(c.G2.timesScalar(g2, R))) bad("not a point of G2's prime-order subgroup");
  return point;
}
