/**
 * The whole verification of a zero-knowledge proof (native/src/sumcheck/network_zk.rs `verify_network_zk`): a
 * network of dense, requant and flatten ops, x and y public, the weights private (the proof carries the model's
 * hiding commitment) or committed (the verifier holds it, the proof carries none). Nothing of the weights or the
 * activations is revealed: every value sent is masked by an entry of the committed mask vector (plan-zk.ts).
 *
 * A running claim on an op's output is (point p, public value v, corrections l): the true value is v - <l, masks>.
 * - requant (shift s): the claim is left on a's segment; q^ = q~(p) + rho_q and r^ = r~(p) + rho_r are absorbed
 *   ("requant evals") and claimed; the input's claim is (p, 2^s q^ + r^, [(rho_q, 2^s), (rho_r, 1)]); then both
 *   lookups (range, activation; logup-zk.ts), each: the challenges, the helpers' rows absorbed, the lookup.
 * - dense (m x n): b^ = b~(p) + rho_b absorbed ("dense bias") and claimed; the zero-knowledge sumcheck of
 *   sum_j W~(p, j) a~(j) = (v - b^) - <l - rho_b, masks> ends where W^ a^ must be its final value (a^ = x~(sigma)
 *   computed here for the first op); ("dense values", [W^] or [W^, a^]); W^ is claimed as W's blocks at
 *   (sigma_low || p_low), each weighted eq(p_high, B) eq(sigma_high, C), plus W's slot times Z(sigma); the input's
 *   claim is (sigma, a^, [(a's slot, Z(sigma))]).
 * - flatten: the claim passes.
 * A claim left on x (a first op that is not dense) is checked in the merge as v - x~(p) = <l, masks>.
 *
 * Before the transcript: x has the input length and lies in the declared range, y has the output length (so a batch
 * is refused), and there is exactly one model commitment (the proof's or the verifier's).
 * Transcript ("zkml-sumcheck-fc-zk-v1"): the statement as format 2's (the architecture's hash, "input" x, "output"
 * y, "context" when bound), the model's rows ("model commitment"), the witness's and the masks' ("hyrax
 * commitment"), C_M ("merge mask"); the output point; the ops from the last down; the joint merge (joint.ts) of every
 * claim over the vectors model, witness, masks and the helpers.
 */
import { add, fr, log2Ceil, mleEval, mul, neg, sub } from "./field";
import { pow2Parts } from "./architecture";
import type { Rows } from "./decode";
import { Transcript } from "./transcript";
import { eqBits, intoJoint, onMask, verifyJoint, ColClaim, JointClaim } from "./joint";
import { drawChallenges } from "./logup";
import { verifyLookupZk, LookupCol } from "./logup-zk";
import { activationTable, rangeTable } from "./requant";
import { vanishing, verifyZk, Weights } from "./zk";
import { Reject } from "./reject";
import type { Plan } from "./plan-zk";
import type { ZkLayer, ZkNetworkProof } from "./decode-zk";
import type { SegKind } from "./layout";

export const ZK_DOMAIN_TAG = "zkml-sumcheck-fc-zk-v1";

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** A column placed in the joint merge's vectors: [vector, offset]. */
type Placed = [number, number];

interface Running {
  point: bigint[];
  value: bigint;
  corr: Weights;
}

/** Everything the ops' steps share. */
interface Ctx {
  plan: Plan;
  x: readonly bigint[];
  t: Transcript;
  claims: ColClaim<Placed>[];
  helperRows: Rows[];
}

const wit = (c: Ctx, k: number, kind: SegKind["kind"]): Placed => [1, c.plan.witness.find(k, { kind } as SegKind).offset];

/** eq of p's coordinates past the first `low` with the bits of offset / 2^low (network.rs eq_high). */
const eqHigh = (p: readonly bigint[], low: number, offset: number): bigint => eqBits(offset / 2 ** low, p.slice(low));

/** The lookup's column names placed: f's columns and m witness segments, the helpers their own vectors. */
function placeLookup(fCols: Placed[], mCol: Placed, helper: number): (c: LookupCol) => Placed {
  return (c) => (c.kind === "f" ? fCols[c.c] : c.kind === "m" ? mCol : c.kind === "hf" ? [helper, 0] : [helper + 1, 0]);
}

function placeClaims(c: Ctx, claims: ColClaim<LookupCol>[], place: (c: LookupCol) => Placed): void {
  for (const cl of claims) c.claims.push({ evals: cl.evals.map((e) => ({ ...e, col: place(e.col) })), mask: cl.mask, value: cl.value });
}

function verifyRequantZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "requant" || op.op !== "requant" || m.kind !== "requant") throw new Reject(`ops[${k}]: a requant's layer proof expected`);
  c.t.absorbFrs("requant evals", [layer.qHat, layer.rHat]);
  const p = run.point;
  c.claims.push({ evals: [{ col: wit(c, k, "act"), point: p, coeff: 1n }], mask: run.corr, value: run.value });
  c.claims.push({ evals: [{ col: wit(c, k, "quot"), point: p, coeff: 1n }], mask: [[m.q, 1n]], value: layer.qHat });
  c.claims.push({ evals: [{ col: wit(c, k, "rem"), point: p, coeff: 1n }], mask: [[m.r, 1n]], value: layer.rHat });
  const twoS = fr(1n << BigInt(op.shift));
  const specs = [
    { table: rangeTable(op), f: [wit(c, k, "rem")], m: wit(c, k, "multRange"), masks: m.range },
    { table: activationTable(op), f: [wit(c, k, "quot"), wit(c, k, "act")], m: wit(c, k, "multAct"), masks: m.act },
  ];
  specs.forEach((s, i) => {
    const { helpers, proof } = layer.lookups[i];
    const ab = drawChallenges(s.table, log2Ceil(c.plan.arch.lens[k]), c.t);
    for (const h of helpers) {
      c.t.absorbPoints("hyrax commitment", h);
      c.helperRows.push(h);
    }
    const lc = verifyLookupZk(proof, s.table, s.masks, ab, c.t, `ops[${k}] lookup ${i}`);
    placeClaims(c, lc, placeLookup(s.f, s.m, c.plan.helperBase[k] + 2 * i));
  });
  return { point: p, value: add(mul(twoS, layer.qHat), layer.rHat), corr: [[m.q, twoS], [m.r, 1n]] };
}

/** W^'s claim: W's blocks at (sigma_low || p_low), weighted as network.rs's w_eval_from_blocks, plus W's slot. */
function wClaim(c: Ctx, k: number, [m, n]: [number, number], p: bigint[], sigma: bigint[], wSlot: number, wHat: bigint): ColClaim<Placed> {
  const evals: ColClaim<Placed>["evals"] = [];
  pow2Parts(m).forEach(([ro, rl], rb) =>
    pow2Parts(n).forEach(([co, cl], cb) => {
      const seg = c.plan.model.find(k, { kind: "weights", rb, cb });
      evals.push({ col: [0, seg.offset], point: [...sigma.slice(0, cl), ...p.slice(0, rl)], coeff: mul(eqHigh(p, rl, ro), eqHigh(sigma, cl, co)) });
    }),
  );
  return { evals, mask: [[wSlot, vanishing(sigma)]], value: wHat };
}

function verifyDenseZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running | null {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "dense" || op.op !== "dense" || m.kind !== "dense") throw new Reject(`ops[${k}]: a dense op's layer proof expected`);
  if ((layer.aHat !== null) !== k > 0) throw new Reject(`ops[${k}]: a dense op's input value is sent exactly when its input is not x`);
  c.t.absorbFr("dense bias", layer.bHat);
  const corr: Weights = [...run.corr, [m.b, neg(1n)]];
  const v = verifyZk(layer.sumcheck, m.shape, m.libra, sub(run.value, layer.bHat), corr, c.t, `ops[${k}] dense sumcheck`);
  const a = layer.aHat ?? mleEval(c.x.map(fr), v.point);
  if (v.finalValue !== mul(layer.wHat, a)) throw new Reject(`ops[${k}] dense: the sumcheck's final value is not W^ a^`);
  c.t.absorbFrs("dense values", layer.aHat === null ? [layer.wHat] : [layer.wHat, layer.aHat]);
  c.claims.push({ evals: [{ col: [0, c.plan.model.find(k, { kind: "bias" }).offset], point: run.point, coeff: 1n }], mask: [[m.b, 1n]], value: layer.bHat });
  c.claims.push(wClaim(c, k, [op.m, op.n], run.point, v.point, m.shape.slots[0] as number, layer.wHat));
  for (const mc of v.maskClaims) c.claims.push(onMask<Placed>(mc));
  return layer.aHat === null ? null : { point: v.point, value: layer.aHat, corr: [[m.shape.slots[1] as number, v.z]] };
}

/** The public statement's checks before the transcript: x's length and range, y's length and 64-bit values. */
function checkStatement(plan: Plan, x: readonly bigint[], y: readonly bigint[]): void {
  const arch = plan.arch;
  if (x.length !== arch.inputLen) throw new Reject(`input: length ${x.length}, expected ${arch.inputLen}`);
  const outLen = arch.lens.length > 0 ? arch.lens[arch.lens.length - 1] : arch.inputLen;
  if (y.length !== outLen) throw new Reject(`output: length ${y.length}, expected ${outLen}`);
  x.forEach((v, i) => {
    if (v < arch.inputMin || v > arch.inputTop) throw new Reject(`input [${i}] = ${v} outside the declared range [${arch.inputMin}, ${arch.inputTop}]`);
  });
  y.forEach((v, i) => {
    if (v < I64_MIN || v > I64_MAX) throw new Reject(`output [${i}] = ${v} is not a 64-bit integer`);
  });
}

function startTranscript(archHash: string, x: readonly bigint[], y: readonly bigint[], context: Uint8Array | null, model: Rows, proof: ZkNetworkProof): Transcript {
  const t = new Transcript(ZK_DOMAIN_TAG);
  t.absorbBytes("arch", Buffer.from(archHash, "hex"));
  t.absorbFrs("input", x.map(fr));
  t.absorbFrs("output", y.map(fr));
  if (context !== null) t.absorbBytes("context", context);
  t.absorbPoints("model commitment", model);
  t.absorbPoints("hyrax commitment", proof.witness);
  t.absorbPoints("hyrax commitment", proof.masks);
  t.absorbPoints("merge mask", [proof.mergeMask]);
  return t;
}

/**
 * Checks a decoded zero-knowledge proof that the plan's network maps x to y; `model` the committed model's rows
 * the verifier holds (null: the proof must carry them); `context` the 32 bytes it is bound to. Throws Reject.
 */
export function verifyNetworkZk(plan: Plan, archHash: string, x: readonly bigint[], y: readonly bigint[], proof: ZkNetworkProof, model: Rows | null, context: Uint8Array | null): void {
  checkStatement(plan, x, y);
  if ((model === null) === (proof.modelRows === null)) throw new Reject("model commitment: exactly one of the verifier's and the proof's");
  const modelRows = (model ?? proof.modelRows) as Rows;
  const t = startTranscript(archHash, x, y, context, modelRows, proof);
  const point = t.challenges(log2Ceil(y.length));
  let run: Running = { point, value: mleEval(y.map(fr), point), corr: [] };
  const c: Ctx = { plan, x, t, claims: [], helperRows: [] };
  let next = 0;
  for (let k = plan.arch.ops.length - 1; k >= 0; k--) {
    const op = plan.arch.ops[k].op;
    if (op === "flatten") continue;
    const layer = proof.layers[next++];
    if (layer === undefined) throw new Reject(`ops[${k}]: no layer proof`);
    run = op === "requant" ? verifyRequantZk(c, k, run, layer) : (verifyDenseZk(c, k, run, layer) ?? run);
  }
  if (next !== proof.layers.length) throw new Reject("layer proofs past the architecture's ops");
  if (plan.arch.ops[0].op !== "dense") c.claims.push({ evals: [], mask: run.corr, value: sub(run.value, mleEval(x.map(fr), run.point)) });
  const joint: JointClaim[] = c.claims.map((cl) => intoJoint(cl, (col: Placed) => col, 2));
  verifyJoint(plan.joint, [modelRows, proof.witness, proof.masks, ...c.helperRows], proof.mergeMask, joint, proof.joint, t);
}
