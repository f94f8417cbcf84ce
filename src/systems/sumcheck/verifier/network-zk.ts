/**
 * The whole verification of a zero-knowledge proof (native/src/sumcheck/network_zk.rs `verify_network_zk_batch`): a
 * network of dense, conv, requant, sum and max pool, add and flatten ops; y public; x public or private (committed in the
 * witness, in the declared range by a lookup, never sent); one sample or a batch of N (network.rs's batch layout,
 * bv = log2ceil(N) more variables, the samples' bits last); the weights private (the proof carries the model's
 * hiding commitment) or committed (the verifier holds it, the proof carries none). Nothing of the weights, the
 * activations or a private input is revealed: every value sent is masked by an entry of the committed mask vector
 * (plan-zk.ts).
 *
 * A running claim on an op's output is (point p, public value v, corrections l): the true value is v - <l, masks>.
 * - requant (shift s): the claim is left on a's segment; q^ = q~(p) + rho_q and r^ = r~(p) + rho_r are absorbed
 *   ("requant evals") and claimed; the input's claim is (p, 2^s q^ + r^, [(rho_q, 2^s), (rho_r, 1)]); then both
 *   lookups (range, activation; logup-zk.ts) over log2(len) + bv variables, each: the challenges, the helpers' rows
 *   absorbed, the lookup. A shift of 0 has no remainder: no r^, no range lookup, the input's claim (p, q^, [(rho_q, 1)]).
 * - dense (m x n), p = (local || rb): b^ = b~(local) + rho_b absorbed ("dense bias") and claimed; the
 *   zero-knowledge sumcheck of sum_j W~(local, j) a~(j) = (v - w b^) - <l - w rho_b, masks>, w = prefix_eq_sum(rb,
 *   N), ends where W^ a^ must be its final value (a^ = x~(sigma || rb) computed here when the input is public);
 *   ("dense values", [W^] or [W^, a^]); W^ is claimed as W's blocks at (sigma_low || local_low), each weighted
 *   eq(local_high, B) eq(sigma_high, C), plus W's slot times Z(sigma); the input's claim is (sigma || rb, a^,
 *   [(a's slot, Z(sigma))]).
 * - conv (f filters, P positions, T taps): when P is not a power of two, the unpadding wiring first; p = (rp || rf
 *   || rb); b^ at rf ("conv bias"), its weight prefix_eq_sum(rp, P) prefix_eq_sum(rb, N); the matrix sumcheck as a
 *   dense op's over W (f x T) at rf ("conv values"), a public input's a^ = X'~(rp || sigma || rb); a hidden input's
 *   claim (rp || sigma || rb, a^, [(a's slot, Z(sigma))]) carried by the im2col wiring.
 * - sum pool: its wiring.
 * - add (y = mul x + fromMul t): t^ = t~(p) + rho_t absorbed ("add eval") and claimed (on the earlier requant's a or
 *   the private input), or the public input's t~(p) computed here; the input's claim (p, (v - fromMul t^) / mul,
 *   l / mul and -fromMul / mul on rho_t).
 * - max pool (T taps on a requant's hidden output x; y and the differences d_t = y - x[tap t] in the witness): the
 *   running claim is left on y's segment; tau (log2 len + bv challenges); the zero-knowledge zerocheck of
 *   sum_i eq(tau, i) prod_t d_t(i) = 0 (no corrections; factors eq(tau) public and every d_t hidden) ends where
 *   eq(tau, r) prod_t d^_t must be its final value, d^_t = d_t~(r) + rho_t Z(r); ("maxpool evals", [d^..., y^]),
 *   y^ = y~(r) + rho_y; the differences' range lookup (every tap's run, log2 len + bv + log2 T variables, into [0,
 *   2^(bits - 1))); gamma; each d^_t claimed on its tap's run of the differences at r || bits(t) with its slot at
 *   weight Z(r), y^ with its pad; the claim sum_t gamma^t (y^ - d^_t) at r, with corrections (rho_t, -gamma^t Z(r))
 *   and (rho_y, sum_t gamma^t), carried to x by the taps' wiring (wiring.ts "taps").
 * - flatten: the claim passes.
 * A wiring (u = M x, M a public copy map; wiring.ts): the zero-knowledge sumcheck of sum_j g(j) x(j) = v with
 * corrections l (factors g public, x hidden unless it is the public input), g the batch's table built here, its
 * final value g~(r') x^ (x^ sent, or the public input's x~(r')); x^ absorbed ("wiring eval"); the input's claim
 * (r', x^, [(x's slot, Z(r'))]).
 * A claim left on x: a public x's is checked in the merge as v - x~(p) = <l, masks>; a private x's is a claim on
 * its witness segment, and the last layer is its range lookup (the pairs (x, x) into architecture.ts `inputTable`).
 *
 * Before the transcript: as many inputs as outputs (the plan's statement), each x of the input length in the
 * declared range, each y of the output length, exactly one model commitment (the proof's or the verifier's).
 * Transcript ("zkml-sumcheck-fc-zk-v1"): the statement as format 2's (the architecture's hash, [N] "batch" past one
 * sample, "input" every x or "input private" [input length], "output" every y, "context" when bound), the model's
 * rows ("model commitment"), the witness's and the masks' ("hyrax commitment"), C_M ("merge mask"); the output
 * point (log2(out len) + bv challenges); the ops from the last down; a private input's lookup; the joint merge
 * (joint.ts) of every claim over the vectors model, witness, masks and the helpers.
 */
import { add, eqEval, fr, inv, log2Ceil, mleEval, mul, neg, sub } from "./field";
import { pow2Parts } from "./architecture";
import type { Rows } from "./decode";
import { Transcript } from "./transcript";
import { eqBits, intoJoint, onMask, verifyJoint, ColClaim, JointClaim } from "./joint";
import { drawChallenges, type Table } from "./logup";
import { verifyLookupZk, LookupCol, LookupMasks } from "./logup-zk";
import { batchVector } from "./network";
import { activationTable, rangeTable } from "./requant";
import { batchTable, positions, prefixEqSum, taps, type Wiring } from "./wiring";
import { vanishing, verifyZk, Weights, ZkSumcheckProof } from "./zk";
import { Reject } from "./reject";
import type { MatrixMasks, Plan, WireMasks } from "./plan-zk";
import type { ZkLayer, ZkLookup, ZkNetworkProof, ZkWire } from "./decode-zk";
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
  /** The public input's batch vector (network.ts `batchVector`), null for a private input. */
  xb: bigint[] | null;
  /** The batch's sample count. */
  n: number;
  t: Transcript;
  claims: ColClaim<Placed>[];
  helperRows: Rows[];
}

const wit = (c: Ctx, k: number, kind: SegKind["kind"]): Placed => [1, c.plan.witness.find(k, { kind } as SegKind).offset];

/** eq of p's coordinates past the first `low` with the bits of offset / 2^low (network.rs eq_high). */
const eqHigh = (p: readonly bigint[], low: number, offset: number): bigint => eqBits(offset / 2 ** low, p.slice(low));

/** A point cut at its local part: (local, rb), rb the batch's bv sample coordinates (last). */
function splitBatch(c: Ctx, p: readonly bigint[]): [bigint[], bigint[]] {
  return [p.slice(0, p.length - c.plan.bv), p.slice(p.length - c.plan.bv)];
}

/** The lookup's column names placed: f's columns and m witness segments, the helpers their own vectors. */
function placeLookup(fCols: Placed[], mCol: Placed, helper: number): (c: LookupCol) => Placed {
  return (c) => (c.kind === "f" ? fCols[c.c] : c.kind === "m" ? mCol : c.kind === "hf" ? [helper, 0] : [helper + 1, 0]);
}

function placeClaims(c: Ctx, claims: ColClaim<LookupCol>[], place: (c: LookupCol) => Placed): void {
  for (const cl of claims) c.claims.push({ evals: cl.evals.map((e) => ({ ...e, col: place(e.col) })), mask: cl.mask, value: cl.value });
}

/** One lookup (network_zk.rs CheckCx::lookup): of `vars` variables' rows of the columns `f` into `table`. */
interface LookupSpec {
  table: Table;
  f: Placed[];
  m: Placed;
  masks: LookupMasks;
  helper: number;
  vars: number;
}

/** A lookup: its challenges, its helpers' rows absorbed (and kept for the merge), its proof; its claims joined. */
function verifyLookupStep(c: Ctx, s: LookupSpec, { helpers, proof }: ZkLookup, what: string): void {
  const ab = drawChallenges(s.table, s.vars, c.t);
  for (const h of helpers) {
    c.t.absorbPoints("hyrax commitment", h);
    c.helperRows.push(h);
  }
  const lc = verifyLookupZk(proof, s.table, s.masks, ab, c.t, what);
  placeClaims(c, lc, placeLookup(s.f, s.m, s.helper));
}

/**
 * A requant: q^ and r^ absorbed ("requant evals") and claimed with their pads beside a's claim; the input's claim
 * 2^s q^ + r^ less the pads; then its lookups, range then activation. A shift of 0 has no remainder: no r^ and no
 * range lookup (network_zk.rs `requant_claims`, `requant_lookups`).
 */
function verifyRequantZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "requant" || op.op !== "requant" || m.kind !== "requant") throw new Reject(`ops[${k}]: a requant's layer proof expected`);
  if ((layer.rHat === null) !== (m.r === null) || layer.lookups.length !== (m.range ? 2 : 1)) throw new Reject(`ops[${k}]: a requant's r^ and range lookup are sent exactly when its shift is not 0`);
  c.t.absorbFrs("requant evals", layer.rHat === null ? [layer.qHat] : [layer.qHat, layer.rHat]);
  const p = run.point;
  const twoS = fr(1n << BigInt(op.shift));
  c.claims.push({ evals: [{ col: wit(c, k, "act"), point: p, coeff: 1n }], mask: run.corr, value: run.value });
  c.claims.push({ evals: [{ col: wit(c, k, "quot"), point: p, coeff: 1n }], mask: [[m.q, 1n]], value: layer.qHat });
  const next: Running = { point: p, value: mul(twoS, layer.qHat), corr: [[m.q, twoS]] };
  if (m.r !== null && layer.rHat !== null) {
    c.claims.push({ evals: [{ col: wit(c, k, "rem"), point: p, coeff: 1n }], mask: [[m.r, 1n]], value: layer.rHat });
    next.value = add(next.value, layer.rHat);
    next.corr.push([m.r, 1n]);
  }
  const vars = log2Ceil(c.plan.arch.lens[k]) + c.plan.bv;
  const specs: LookupSpec[] = [];
  if (m.range) specs.push({ table: rangeTable(op), f: [wit(c, k, "rem")], m: wit(c, k, "multRange"), masks: m.range, helper: c.plan.helperBase[k], vars });
  specs.push({ table: activationTable(op), f: [wit(c, k, "quot"), wit(c, k, "act")], m: wit(c, k, "multAct"), masks: m.act, helper: c.plan.helperBase[k] + 2 * specs.length, vars });
  specs.forEach((s, i) => verifyLookupStep(c, s, layer.lookups[i], `ops[${k}] lookup ${i}`));
  return next;
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

/** A matrix product's sent values (a dense or conv layer's). */
interface MatrixWords {
  sumcheck: ZkSumcheckProof;
  wHat: bigint;
  aHat: bigint | null;
}

/**
 * A matrix product's sumcheck (network_zk.rs `CheckCx::matrix`) of sum_j W~(p, j) a~(j) = v - weight b^ with
 * corrections l - weight rho_b, `weight` the bias's in the running claim (a conv's positions and a batch's samples
 * each add it once): its final value against W^ a^ (a^ sent when a is hidden, else `aPub(sigma)`, the public input's
 * own), [W^] or [W^, a^] absorbed under `tag`, then b^'s claim at p, W^'s and the sumcheck's mask claims joined.
 * Returns sigma.
 */
function verifyMatrixZk(
  c: Ctx,
  k: number,
  mm: MatrixMasks,
  dims: [number, number],
  words: MatrixWords,
  aPub: (sigma: bigint[]) => bigint,
  p: bigint[],
  run: Running,
  [bHat, weight]: [bigint, bigint],
  tag: string,
  what: string,
): bigint[] {
  if ((words.aHat !== null) !== (mm.shape.slots[1] !== null)) throw new Reject(`${what}: the input's value is sent exactly when the input is hidden`);
  const corr: Weights = [...run.corr, [mm.b, neg(weight)]];
  const v = verifyZk(words.sumcheck, mm.shape, mm.libra, sub(run.value, mul(bHat, weight)), corr, c.t, `${what} sumcheck`);
  const a = words.aHat ?? aPub(v.point);
  if (v.finalValue !== mul(words.wHat, a)) throw new Reject(`${what}: the sumcheck's final value is not W^ a^`);
  c.t.absorbFrs(tag, words.aHat === null ? [words.wHat] : [words.wHat, words.aHat]);
  c.claims.push({ evals: [{ col: [0, c.plan.model.find(k, { kind: "bias" }).offset], point: p, coeff: 1n }], mask: [[mm.b, 1n]], value: bHat });
  c.claims.push(wClaim(c, k, dims, p, v.point, mm.shape.slots[0] as number, words.wHat));
  for (const mc of v.maskClaims) c.claims.push(onMask<Placed>(mc));
  return v.point;
}

/** The public input's batch vector (a step on it is only reached when the input is public). */
const publicX = (c: Ctx): bigint[] => {
  if (c.xb === null) throw new Error("the public input of a private statement");
  return c.xb;
};

/** A dense op: b^ ("dense bias") at the point's local part, the matrix sumcheck; a hidden input's claim at sigma || rb. */
function verifyDenseZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running | null {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "dense" || op.op !== "dense" || m.kind !== "dense") throw new Reject(`ops[${k}]: a dense op's layer proof expected`);
  const [local, rb] = splitBatch(c, run.point);
  c.t.absorbFr("dense bias", layer.bHat);
  // a public input's a = x folded along the samples: x~(sigma || rb)
  const aPub = (sigma: bigint[]) => mleEval(publicX(c), [...sigma, ...rb]);
  const weight = prefixEqSum(rb, c.n);
  const sigma = verifyMatrixZk(c, k, m, [op.m, op.n], layer, aPub, local, run, [layer.bHat, weight], "dense values", `ops[${k}] dense`);
  return layer.aHat === null ? null : { point: [...sigma, ...rb], value: layer.aHat, corr: [[m.shape.slots[1] as number, vanishing(sigma)]] };
}

/**
 * A wiring's sumcheck (network_zk.rs `CheckCx::wire`) from the running claim on u = M x to x: its final value
 * against g~(r') x^ (g the batch's table built here; x^ sent when x is hidden, else the public input's own x~(r')),
 * x^ absorbed ("wiring eval"); returns the running claim on a hidden x, (r', x^, [(x's slot, Z(r'))]).
 */
function verifyWireZk(c: Ctx, w: Wiring, wm: WireMasks, proof: ZkWire | null, run: Running, what: string): Running | null {
  const slot = wm.shape.slots[1];
  if (proof === null) throw new Reject(`${what}: no wiring proof`);
  const v = verifyZk(proof.sumcheck, wm.shape, wm.libra, run.value, run.corr, c.t, `${what} sumcheck`);
  if ((slot !== null) !== (proof.xHat !== null) || (slot === null && c.xb === null)) throw new Reject(`${what}: the input's value is sent exactly when the input is hidden`);
  const x = proof.xHat ?? mleEval(publicX(c), v.point);
  if (v.finalValue !== mul(mleEval(batchTable(w, run.point, c.n), v.point), x)) throw new Reject(`${what}: the sumcheck's final value is not g~(r') x^ (the copy map's table at its point)`);
  for (const mc of v.maskClaims) c.claims.push(onMask<Placed>(mc));
  if (proof.xHat !== null) c.t.absorbFr("wiring eval", proof.xHat);
  return slot === null ? null : { point: v.point, value: x, corr: [[slot, v.z]] };
}

/**
 * A conv (f filters, P positions, T = c kh kw taps): the unpadding wiring when P is not a power of two; at the
 * point (rp || rf || rb), b^ ("conv bias") at rf weighted by prefix_eq_sum(rp, P) prefix_eq_sum(rb, N); the matrix
 * sumcheck over W (f x T) ending on a^ = X'~(rp || sigma || rb) ("conv values"); then, when the input is hidden, the
 * im2col wiring from (rp || sigma || rb, a^, [(a's slot, Z(sigma))]) to the input.
 */
function verifyConvZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running | null {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "conv" || op.op !== "conv" || m.kind !== "conv") throw new Reject(`ops[${k}]: a conv's layer proof expected`);
  const what = `ops[${k}] conv`;
  const { win, f } = op;
  const pl = positions(win);
  if ((m.unpad === null) !== (layer.unpad === null)) throw new Reject(`${what}: the unpadding wiring is sent exactly when the output positions (${pl}) are not a power of two`);
  if ((m.im2col === null) !== (layer.im2col === null)) throw new Reject(`${what}: the im2col wiring is sent exactly when the input is hidden`);
  let cur = run;
  if (m.unpad) {
    const next = verifyWireZk(c, { kind: "unpad", rows: f, cols: pl }, m.unpad, layer.unpad, run, `${what} unpadding wiring`);
    if (next === null) throw new Reject(`${what}: the unpadding wiring's value`);
    cur = next;
  }
  const [local, rb] = splitBatch(c, cur.point);
  const rp = local.slice(0, log2Ceil(pl));
  const rf = local.slice(log2Ceil(pl));
  c.t.absorbFr("conv bias", layer.bHat);
  const weight = mul(prefixEqSum(rp, pl), prefixEqSum(rb, c.n));
  // a public input's a(t) = X'~(rp || t || rb): the im2col map's table at that point against x's batch vector
  const im2col: Wiring = { kind: "im2col", win };
  const aPub = (sigma: bigint[]) => {
    const g = batchTable(im2col, [...rp, ...sigma, ...rb], c.n);
    const x = publicX(c);
    return g.reduce((s, gj, j) => add(s, mul(gj, x[j])), 0n);
  };
  const sigma = verifyMatrixZk(c, k, m.matrix, [f, win.c * taps(win)], layer, aPub, rf, cur, [layer.bHat, weight], "conv values", what);
  if (layer.aHat === null || m.im2col === null) return null;
  const onCols: Running = { point: [...rp, ...sigma, ...rb], value: layer.aHat, corr: [[m.matrix.shape.slots[1] as number, vanishing(sigma)]] };
  return verifyWireZk(c, im2col, m.im2col, layer.im2col, onCols, `${what} im2col wiring`);
}

function verifyPoolZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running | null {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "pool" || op.op !== "sumpool" || m.kind !== "pool") throw new Reject(`ops[${k}]: a sum pool's layer proof expected`);
  return verifyWireZk(c, { kind: "pool", win: op.win }, m.wire, layer.wire, run, `ops[${k}] sum pool wiring`);
}

/**
 * A max pool (network_zk.rs's MaxPool step, `maxpool_lookup`, `maxpool_claims`): the claim on y; the zerocheck of
 * eq(tau) prod_t d_t, its final value eq(tau, r) prod_t d^_t; ("maxpool evals", [d^..., y^]); the differences'
 * range lookup; gamma; the d^'s and y^'s claims; the taps' wiring from sum_t gamma^t (y^ - d^_t) less the pads.
 */
function verifyMaxPoolZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running | null {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "maxpool" || op.op !== "maxpool" || m.kind !== "maxpool") throw new Reject(`ops[${k}]: a max pool's layer proof expected`);
  const what = `ops[${k}] maxpool`;
  const nt = taps(op.win);
  if (layer.dHats.length !== nt) throw new Reject(`${what}: ${layer.dHats.length} difference values, expected ${nt}`);
  c.claims.push({ evals: [{ col: wit(c, k, "poolOut"), point: run.point, coeff: 1n }], mask: run.corr, value: run.value });
  const tau = c.t.challenges(run.point.length);
  const zc = m.zerocheck;
  const v = verifyZk(layer.zerocheck, zc.shape, zc.libra, 0n, [], c.t, `${what} zerocheck`);
  if (v.finalValue !== layer.dHats.reduce((e, d) => mul(e, d), eqEval(tau, v.point)))
    throw new Reject(`${what} zerocheck: the sumcheck's final value is not eq(tau, r) prod d^ (a window with no zero difference)`);
  for (const mc of v.maskClaims) c.claims.push(onMask<Placed>(mc));
  c.t.absorbFrs("maxpool evals", [...layer.dHats, layer.yHat]);
  const diffs = wit(c, k, "poolDiff");
  const table: Table = { kind: "range", offset: 0n, logSize: op.bits - 1 };
  const spec: LookupSpec = { table, f: [diffs], m: wit(c, k, "multPool"), masks: m.lookup, helper: c.plan.helperBase[k], vars: m.lookup.fShape.numVars };
  verifyLookupStep(c, spec, layer.lookup, `${what} lookup`);
  const gamma = c.t.challenge();
  // maxpool_claims: d^_t on its tap's run (the tap's bits high, least significant first), y^ with its pad
  const tp = v.point;
  const tapBits = log2Ceil(nt);
  const onTaps: Running = { point: tp, value: 0n, corr: [] };
  let power = 1n;
  let powersSum = 0n;
  layer.dHats.forEach((d, i) => {
    const slot = zc.shape.slots[i + 1] as number;
    const bits = Array.from({ length: tapBits }, (_, b) => ((i >> b) & 1 ? 1n : 0n));
    c.claims.push({ evals: [{ col: diffs, point: [...tp, ...bits], coeff: 1n }], mask: [[slot, v.z]], value: d });
    onTaps.value = add(onTaps.value, mul(power, sub(layer.yHat, d)));
    onTaps.corr.push([slot, neg(mul(power, v.z))]);
    powersSum = add(powersSum, power);
    power = mul(power, gamma);
  });
  c.claims.push({ evals: [{ col: wit(c, k, "poolOut"), point: tp, coeff: 1n }], mask: [[m.y, 1n]], value: layer.yHat });
  onTaps.corr.push([m.y, powersSum]);
  return verifyWireZk(c, { kind: "taps", win: op.win, gamma }, m.wire, layer.wire, onTaps, `${what} taps wiring`);
}

/**
 * An add, y = mul x + fromMul t: t^ = t~(p) + rho_t ("add eval") claimed with its pad on the earlier requant's a
 * or the private input (t the public input: its own t~(p), nothing sent); x's claim at p is (v - fromMul t^) / mul
 * with corrections l / mul and -fromMul / mul on rho_t (network_zk.rs `add_running`).
 */
function verifyAddZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running {
  const op = c.plan.arch.ops[k];
  const m = c.plan.masks[k];
  if (layer.kind !== "add" || op.op !== "add" || m.kind !== "add") throw new Reject(`ops[${k}]: an add's layer proof expected`);
  let tVal: bigint;
  if (m.t !== null && layer.tHat !== null) {
    c.t.absorbFr("add eval", layer.tHat);
    const col = op.from > 0 ? wit(c, op.from - 1, "act") : wit(c, 0, "input");
    c.claims.push({ evals: [{ col, point: run.point, coeff: 1n }], mask: [[m.t, 1n]], value: layer.tHat });
    tVal = layer.tHat;
  } else if (m.t === null && layer.tHat === null && c.xb !== null) tVal = mleEval(c.xb, run.point);
  else throw new Reject(`ops[${k}] add: the added value is sent unless it is the public input`);
  const invMul = inv(fr(BigInt(op.mul)));
  const fm = fr(BigInt(op.fromMul));
  const corr: Weights = run.corr.map(([i, w]) => [i, mul(w, invMul)]);
  if (m.t !== null) corr.push([m.t, neg(mul(fm, invMul))]);
  return { point: run.point, value: mul(sub(run.value, mul(fm, tVal)), invMul), corr };
}

/** The public statement's checks before the transcript: each x's length and range, each y's length and values. */
function checkStatement(plan: Plan, xs: readonly (readonly bigint[])[] | null, ys: readonly (readonly bigint[])[]): void {
  const arch = plan.arch;
  const n = ys.length;
  if (n === 0 || (xs !== null && xs.length !== n)) throw new Reject(`batch: ${xs ? xs.length : 0} inputs and ${n} outputs (as many inputs as outputs, at least one)`);
  if (n !== plan.stmt.batch || (xs === null) !== (plan.stmt.input === "private")) throw new Reject(`statement: ${n} samples, the input ${xs ? "public" : "private"}; the plan's is another`);
  const at = (b: number, i: number) => (n > 1 ? `[${b}][${i}]` : `[${i}]`);
  for (const [b, x] of (xs ?? []).entries()) {
    if (x.length !== arch.inputLen) throw new Reject(`input${n > 1 ? ` [${b}]` : ""}: length ${x.length}, expected ${arch.inputLen}`);
    x.forEach((v, i) => {
      if (v < arch.inputMin || v > arch.inputTop) throw new Reject(`input ${at(b, i)} = ${v} outside the declared range [${arch.inputMin}, ${arch.inputTop}]`);
    });
  }
  const outLen = arch.lens.length > 0 ? arch.lens[arch.lens.length - 1] : arch.inputLen;
  for (const [b, y] of ys.entries()) {
    if (y.length !== outLen) throw new Reject(`output${n > 1 ? ` [${b}]` : ""}: length ${y.length}, expected ${outLen}`);
    y.forEach((v, i) => {
      if (v < I64_MIN || v > I64_MAX) throw new Reject(`output ${at(b, i)} = ${v} is not a 64-bit integer`);
    });
  }
}

/** network.rs absorb_statement, then the commitments (network_zk.rs absorb_commitments). */
function startTranscript(
  plan: Plan,
  archHash: string,
  xs: readonly (readonly bigint[])[] | null,
  ys: readonly (readonly bigint[])[],
  context: Uint8Array | null,
  model: Rows,
  proof: ZkNetworkProof,
): Transcript {
  const t = new Transcript(ZK_DOMAIN_TAG);
  t.absorbBytes("arch", Buffer.from(archHash, "hex"));
  if (ys.length > 1) t.absorbFrs("batch", [BigInt(ys.length)]);
  if (xs) t.absorbFrs("input", xs.flat().map(fr));
  else t.absorbFrs("input private", [BigInt(plan.arch.inputLen)]);
  t.absorbFrs("output", ys.flat().map(fr));
  if (context !== null) t.absorbBytes("context", context);
  t.absorbPoints("model commitment", model);
  t.absorbPoints("hyrax commitment", proof.witness);
  t.absorbPoints("hyrax commitment", proof.masks);
  t.absorbPoints("merge mask", [proof.mergeMask]);
  return t;
}

/** One op's step from the claim on its output to the claim on its input (null: the input is public, checked). */
function verifyOpZk(c: Ctx, k: number, run: Running, layer: ZkLayer): Running | null {
  switch (c.plan.masks[k].kind) {
    case "requant":
      return verifyRequantZk(c, k, run, layer);
    case "dense":
      return verifyDenseZk(c, k, run, layer);
    case "conv":
      return verifyConvZk(c, k, run, layer);
    case "pool":
      return verifyPoolZk(c, k, run, layer);
    case "add":
      return verifyAddZk(c, k, run, layer);
    case "maxpool":
      return verifyMaxPoolZk(c, k, run, layer);
    default:
      throw new Error(`ops[${k}]: no step`);
  }
}

/**
 * The claim left on the input after the ops (when the first op did not check it): a public x's v - x~(p) =
 * <l, masks>, or a private x's segment; then a private x's range lookup, the pairs (x, x) into its range table.
 */
function verifyInput(c: Ctx, run: Running | null, layer: ZkLayer | undefined): void {
  if (run !== null) {
    if (c.xb) c.claims.push({ evals: [], mask: run.corr, value: sub(run.value, mleEval(c.xb, run.point)) });
    else c.claims.push({ evals: [{ col: wit(c, 0, "input"), point: run.point, coeff: 1n }], mask: run.corr, value: run.value });
  } else if (!c.xb) {
    // only a public input's first op takes the claim itself (x is the verifier's); a private one must get it
    throw new Reject("a claim on the private input");
  }
  const il = c.plan.inputLookup;
  if (!il) return;
  if (layer?.kind !== "inputRange") throw new Reject("the private input's range lookup expected last");
  const x = wit(c, 0, "input");
  const spec: LookupSpec = { table: il.table, f: [x, x], m: wit(c, 0, "multInput"), masks: il.masks, helper: il.helper, vars: log2Ceil(c.plan.arch.inputLen) + c.plan.bv };
  verifyLookupStep(c, spec, layer.lookup, "input lookup");
}

/**
 * Checks a decoded zero-knowledge proof that the plan's network maps the inputs `xs` (null: a private input, the
 * plan's statement private) to the outputs `ys`, one per sample of the plan's batch; `model` the committed model's
 * rows the verifier holds (null: the proof must carry them); `context` the 32 bytes it is bound to. Throws Reject.
 */
export function verifyNetworkZk(
  plan: Plan,
  archHash: string,
  xs: readonly (readonly bigint[])[] | null,
  ys: readonly (readonly bigint[])[],
  proof: ZkNetworkProof,
  model: Rows | null,
  context: Uint8Array | null,
): void {
  checkStatement(plan, xs, ys);
  if ((model === null) === (proof.modelRows === null)) throw new Reject("model commitment: exactly one of the verifier's and the proof's");
  const modelRows = (model ?? proof.modelRows) as Rows;
  const n = ys.length;
  const t = startTranscript(plan, archHash, xs, ys, context, modelRows, proof);
  const outLen = plan.arch.lens.length > 0 ? plan.arch.lens[plan.arch.lens.length - 1] : plan.arch.inputLen;
  const point = t.challenges(log2Ceil(outLen) + plan.bv);
  let run: Running | null = { point, value: mleEval(batchVector(ys, outLen, n), point), corr: [] };
  const c: Ctx = { plan, xb: xs && batchVector(xs, plan.arch.inputLen, n), n, t, claims: [], helperRows: [] };
  let next = 0;
  for (let k = plan.arch.ops.length - 1; k >= 0; k--) {
    if (plan.arch.ops[k].op === "flatten") continue;
    if (run === null) throw new Reject(`ops[${k}]: no claim on its output`);
    const layer = proof.layers[next++];
    if (layer === undefined) throw new Reject(`ops[${k}]: no layer proof`);
    run = verifyOpZk(c, k, run, layer);
  }
  verifyInput(c, run, plan.inputLookup ? proof.layers[next++] : undefined);
  if (next !== proof.layers.length) throw new Reject("layer proofs past the architecture's ops");
  const joint: JointClaim[] = c.claims.map((cl) => intoJoint(cl, (col: Placed) => col, 2));
  verifyJoint(plan.joint, [modelRows, proof.witness, proof.masks, ...c.helperRows], proof.mergeMask, joint, proof.joint, t);
}
