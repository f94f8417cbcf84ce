/**
 * The verification of a format-4 proof (native/src/sumcheck/network_kzg.rs `verify`): format 2's statement and
 * layer proofs (network.ts), but the model M and the witness W are each committed as one G1 point (C_M, C_W: KZG
 * commitments of their coefficient vectors), their claims merged once on the joint layout and the merge's value
 * opened by one Gemini/Shplonk/KZG opening (gemini.ts).
 *
 * Before the transcript: the statement's checks (network.ts `checkStatement`), then exactly one C_M (the proof's or
 * the verifier's, never both) and C_W present exactly when the network has a witness (a requant, a max pool or a
 * private input); the identity is refused as either (the decoder refuses it in the bytes already).
 *
 * Transcript ("zkml-sumcheck-fc-v1"), in order: the statement (network.ts `absorbStatement`); [2] ("pcs"), so a
 * format-4 transcript never equals a format-2 one; [tau]_2's 128 bytes in EIP-197 order ("kzg vk"), so a proof is
 * bound to its setup; C_M ("model commitment"); C_W ("witness commitment") when there is one; the layers
 * (network.ts `verifyLayers`), leaving claims on M and on W; the joint merge (network.ts `verifyMerge`, batch.rs)
 * of the model's claims then the witness's, each lifted onto the joint layout (below), giving s and v; Gemini for
 * F = (1 - sigma) M + sigma W at s's first n coordinates with value v, sigma = s_n (the selector), against the
 * combined commitment (1 - sigma) C_M + sigma C_W, which commits F because a KZG commitment is linear.
 *
 * The joint layout (layout.rs `Layout::joint`): n = the larger of the two vectors' variable counts; the model's
 * segments at their offsets, the witness's at theirs plus 2^n, over n + 1 variables, so J~(x, j) = (1 - j) M~(x)
 * + j W~(x) with the selector j last (the smaller vector zero-extended: its claims get zero coordinates up to n).
 * Without a witness the merge is the model's alone on its own layout (n variables, no selector) and F = M.
 */
import { sub } from "./field";
import { msm, type Affine } from "./g1";
import { verifyGemini, type G2Point } from "./gemini";
import type { CheckedArch } from "./architecture";
import type { Table } from "./logup";
import { inModel, lift, type Layout, type Segment } from "./layout";
import { absorbStatement, checkStatement, DOMAIN_TAG, verifyLayers, verifyMerge, type ClaimSet } from "./network";
import { Reject } from "./reject";
import { Transcript, word } from "./transcript";
import { PCS_KZG, type KzgNetworkProof } from "./decode-kzg";

/** [tau]_2 as kzg.rs `g2_to_words` writes it: x.c1, x.c0, y.c1, y.c0 (EIP-197's order). */
function vkBytes(tauG2: G2Point): Buffer {
  const [[x0, x1], [y0, y1]] = tauG2;
  return Buffer.from([x1, x0, y1, y0].map(word).join(""), "hex");
}

/** The joint layout's variables but the selector: the larger vector's. */
function jointVars(layouts: { model: Layout; witness: Layout | null }): number {
  return Math.max(layouts.model.numVars, layouts.witness ? layouts.witness.numVars : 0);
}

/**
 * layout.rs `Layout::joint`: the model's segments where they are, the witness's 2^n further, over n + 1 variables
 * (n the larger vector's), so the selector is the last coordinate. `find` names each segment where its column's
 * vector put it (the two vectors' kinds are disjoint: layout.ts `inModel`).
 */
function jointLayout(model: Layout, witness: Layout): Layout {
  const shift = 2 ** Math.max(model.numVars, witness.numVars);
  const moved = (s: Segment): Segment => ({ ...s, offset: s.offset + shift });
  return {
    segments: [...model.segments, ...witness.segments.map(moved)],
    numVars: Math.max(model.numVars, witness.numVars) + 1,
    find: (op, kind) => (inModel(kind) ? model.find(op, kind) : moved(witness.find(op, kind))),
  };
}

/**
 * The merge's claims as points on the layout it runs on, with that layout's variables: the model's own without a
 * witness; else the joint layout's, the model's claims then the witness's, each lifted from its segment's place
 * there.
 */
function mergeClaims(layouts: { model: Layout; witness: Layout | null }, claims: ClaimSet): { points: bigint[][]; values: bigint[]; numVars: number } {
  if (layouts.witness === null || claims.witness === null) return { points: claims.model.points(), values: claims.model.values(), numVars: layouts.model.numVars };
  const joint = jointLayout(layouts.model, layouts.witness);
  const items = [...claims.model.items, ...claims.witness.items];
  return { points: items.map((c) => lift(joint, joint.find(c.seg.op, c.seg.kind), c.local)), values: items.map((c) => c.value), numVars: joint.numVars };
}

/** The commitment Gemini opens: (1 - sigma) C_M + sigma C_W with a witness (null when that is the identity, which
 * Gemini refuses), C_M alone without. */
function combined(cM: Affine, cW: Affine | null, sigma: bigint | undefined): Affine | null {
  if (cW === null || sigma === undefined) return cM;
  return msm([cM, cW], [sub(1n, sigma), sigma]);
}

/**
 * Checks the decoded format-4 proof against the checked architecture, x (null: a private input, whose range table
 * `inputRange` is then architecture.ts `inputTable`'s), y (one per sample), the setup's [tau]_2 and, for committed
 * weights, the model's commitment the verifier holds (null: the proof must carry it); throws Reject with the
 * reason when it fails.
 */
export async function verifyNetworkKzg(
  arch: CheckedArch,
  archHash: string,
  xs: readonly (readonly bigint[])[] | null,
  ys: readonly (readonly bigint[])[],
  proof: KzgNetworkProof,
  tauG2: G2Point,
  model: Affine | null = null,
  inputRange: Table | null = null,
  context: Uint8Array | null = null,
): Promise<void> {
  const st = checkStatement(arch, xs, ys, proof.layers.length, inputRange);
  if (model !== null && proof.modelCommitment !== null) throw new Reject("model commitment: the verifier holds the model's, so the proof must not carry one");
  const cM = model ?? proof.modelCommitment;
  if (cM === null) throw new Reject("model commitment: the weights are private (no commitment given), so the proof must carry one");
  const hasWitness = st.layouts.witness !== null;
  if ((proof.witnessCommitment !== null) !== hasWitness)
    throw new Reject(`witness commitment: ${proof.witnessCommitment !== null ? "present" : "absent"}, but the network has ${hasWitness ? "a" : "no"} requant, max pool or private input`);

  const t = new Transcript(DOMAIN_TAG);
  absorbStatement(t, arch, archHash, xs, ys, context);
  t.absorbFrs("pcs", [BigInt(PCS_KZG)]);
  t.absorbBytes("kzg vk", vkBytes(tauG2));
  t.absorbPoints("model commitment", [cM]);
  if (proof.witnessCommitment !== null) t.absorbPoints("witness commitment", [proof.witnessCommitment]);
  const claims = verifyLayers(arch, st, ys, proof.layers, t);

  const m = mergeClaims(st.layouts, claims);
  const s = verifyMerge(m.points, m.values, m.numVars, proof.merge.rounds, proof.merge.pEval, t, "joint");
  const n = jointVars(st.layouts);
  await verifyGemini(tauG2, combined(cM, proof.witnessCommitment, s[n]), s.slice(0, n), proof.merge.pEval, proof.opening, t);
}
