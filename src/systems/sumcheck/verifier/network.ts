/**
 * The whole verification of a network's proof (native/src/sumcheck/network.rs `verify_with`; dense, conv, sum pool,
 * max pool, requant, flatten and residual add ops): output y public; input x public, or private (`verify_private_input`); the
 * weights private (the proof carries the
 * model's commitment) or committed (the verifier holds the model's commitment and the proof must not carry one: the
 * weights are that commitment's).
 *
 * Two committed vectors (layout.ts): the model's (W blocks and b) and the witness's (the requants' columns and
 * multiplicities, the max pools' outputs, differences and multiplicities, and a private x and its multiplicities in
 * its range table; none without a requant or a private input, which a max pool's input always is), each with its
 * own commitment, claims, merge and opening.
 *
 * Before the transcript: a public x has the architecture's input length and lies in its declared range, y has the
 * output length, the proof has one layer proof per op but flatten (and one more, last, for a private input's
 * range), exactly one model commitment (the proof's or the verifier's, never both), and a witness commitment
 * exactly when the network has a requant or a private input. Transcript ("zkml-sumcheck-fc-v1"): the
 * architecture's hash ("arch"), x ("input") or, for a private input, [its length] ("input private"), y ("output"),
 * the context the proof is bound to if any ("context", 32 bytes), the model commitment's rows
 * ("model commitment"), the witness commitment's rows if any ("hyrax commitment"); rho for y, whose MLE the
 * verifier evaluates; then the ops from the last down, each turning a claim (point, value) on its output into one
 * on its input:
 *  - flatten: unchanged;
 *  - requant (shift s): the claim is one on a; q~(p), r~(p) are absorbed ("requant evals") and claimed; the input's
 *    claim is 2^s q~(p) + r~(p); then the two lookups, whose claims on r, q, a and the multiplicities are kept;
 *  - dense (m x n): b~(p) absorbed ("dense bias") and claimed; the dense sumcheck of value - b~(p) =
 *    sum_j W~(p, j) a~(j) (degree 2, log2 n rounds), its final value W~(p, sigma) a~(sigma), both absorbed ("dense
 *    evals"); W~(p, sigma) must be sum_BC eq(p_high, B) eq(sigma_high, C) W_BC~(sigma_low || p_low) over the W
 *    blocks' evaluations, which are absorbed ("dense w blocks") and claimed; the input's claim is (sigma,
 *    a~(sigma));
 *  - conv (f filters, P output positions, T = c kh kw taps; wiring.ts): when P is not a power of two, the
 *    unpadding wiring first (the claim moved onto each channel's run padded to 2^log2 P); the point is (rp || rf);
 *    b~(rf) absorbed ("conv bias") and claimed; the dense step above over W (f x T, committed as a dense layer's)
 *    with rho = rf and the claim value - b~(rf) sum_{p < P} eq(rp, p), ending on X'~(rp || sigma); then the
 *    im2col wiring from X' to the input;
 *  - sumpool: the pool's wiring to its input;
 *  - maxpool (T taps, no padding, on a requant's output x; y and the differences d_t = y - x[tap t] committed,
 *    each d_t a run of 2^nv entries, nv = log2 of y's length, the runs padded to 2^log2 T): the claim is one on y;
 *    tau = nv challenges; the zerocheck: a sumcheck of claim 0 (nv rounds, degree T + 1) whose final value must be
 *    eq(tau, r) prod_t d_t~(r), so every window has a zero difference; the d_t~(r) then y~(r) absorbed ("maxpool
 *    evals"), each d_t~(r) claimed on the differences at r || t's bits (least significant first), y~(r) on y; the
 *    differences' range lookup into [0, 2^(bits-1)) over all nv + log2 T variables, its claims on the differences
 *    and their multiplicities kept; gamma; the claim sum_t gamma^t (y~(r) - d_t~(r)) at r carried to x by the taps'
 *    wiring (wiring.ts "taps");
 *  - add (y = mul x + fromMul t): t~(p) absorbed ("add eval"), then computed from x when t is the public input,
 *    claimed on the committed x when it is the private input, else claimed on that requant's committed a; the
 *    input's claim is (value - fromMul t~(p)) / mul.
 * A wiring (a claim on u = M x, M a public copy map) is a degree-2 sumcheck over x's variables whose final value
 * must be g~(r') x~(r'), g = M^T eq(point) built by the verifier; x~(r') is absorbed ("wiring eval") and is x's
 * claim.
 * At a public x the verifier evaluates x~ itself. A private x: the claim is kept on its committed segment; then the
 * last layer proof (kind 6) is the lookup of the pairs (x, x) (2^log2(input length) rows) into the range table
 * {(t, min(t, top)) : t in [min, min + 2^k)} (architecture.ts `inputTable`), which holds (x, x) exactly when min
 * <= x <= top; both its column values at its f point are claims on x, its multiplicities' value one on theirs.
 * Every claim kept is lifted onto its vector's MLE (claims on W and b onto
 * the model's, the rest onto the witness's). Each vector's claims are merged (batch.rs: points and values absorbed,
 * alpha, a degree-2 sumcheck of sum_k alpha^k v_k whose final value must be (sum_k alpha^k eq(z_k, s)) P(s), P(s)
 * absorbed): the model's, then the witness's; then P(s) is checked by a Hyrax opening: the model's, then the
 * witness's.
 *
 * A batch of N > 1 samples (network.rs `verify_batch_with`, native ce208b6): one proof of N inferences. Every
 * per-sample vector is laid out as `batchVector` does (each sample padded to a power of two, then zero samples up to
 * 2^bv, bv = log2ceil(N): the samples' bits high), so every point carries bv more coordinates rb last; the
 * statement absorbs [N] ("batch") first, then every sample's x (or "input private" [input length]), then every
 * sample's y; the requants', max pools' and a private input's columns and lookups have bv more variables
 * (layout.ts); a dense op's bias is claimed at the point's local part and weighed by prefix_eq_sum(rb, N) (the
 * padding samples stay zero), a conv's by prefix_eq_sum(rp, P) prefix_eq_sum(rb, N), the matrix step runs on the
 * local part and hands on sigma || rb (a conv's im2col point rp || sigma || rb); every wiring's table is the
 * sample's times eq(rb, b) (wiring.ts `batchTable`); x~ is the batch vector's. N = 1 is the statement above.
 *
 * In parts, as network.rs splits them so a second commitment scheme reuses all but the commitments, merges and
 * openings (network-kzg.ts, format 4): `checkStatement`, `absorbStatement`, `verifyLayers` (the claims on the two
 * vectors, kept on their segments) and `verifyMerge` (batch.rs on any layout's points).
 */
import { add, eqEval, fr, inv, log2Ceil, mleEval, mul, sub } from "./field";
import { Transcript } from "./transcript";
import { verifySumcheck } from "./sumcheck";
import { verifyOpening } from "./hyrax";
import { verifyRequant } from "./requant";
import { CheckedArch, pow2Parts } from "./architecture";
import { verifyLogup, type Table } from "./logup";
import { inModel, layoutsOf, lift, Layout, SegKind, Segment } from "./layout";
import { Reject } from "./reject";
import { positions, prefixEqSum, taps, verifyWiring } from "./wiring";
import type { LayerProof, NetworkProof, Opened, Rounds, Rows } from "./decode";

export const DOMAIN_TAG = "zkml-sumcheck-fc-v1";
export const HYRAX_TAG = "zkml-sumcheck-hyrax-v1";

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * network.rs `batch_vector`: the samples' vectors (each of `len` values) as one, each padded to 2^log2ceil(len),
 * then zero samples up to a power of two (n samples' room), so its MLE has the position's variables low and the
 * sample's high; field elements. One sample is its own vector, padded.
 */
export function batchVector(vs: readonly (readonly bigint[])[], len: number, n: number): bigint[] {
  const run = 2 ** log2Ceil(len);
  const out = new Array<bigint>(run * 2 ** log2Ceil(n)).fill(0n);
  vs.forEach((v, b) => v.forEach((x, i) => (out[b * run + i] = fr(x))));
  return out;
}

/** One claim on a committed column: its segment, the point on the segment's own MLE, the value. */
export interface Claim {
  seg: Segment;
  local: bigint[];
  value: bigint;
}

/**
 * The claims on one committed vector's columns, kept on their segments (not yet lifted) so that a second
 * commitment scheme can lift them onto another layout (network-kzg.ts: the joint layout of both vectors).
 */
export class Claims {
  readonly items: Claim[] = [];
  constructor(readonly layout: Layout) {}
  add(op: number, kind: SegKind, local: readonly bigint[], value: bigint): void {
    const seg = this.layout.find(op, kind);
    if (local.length !== seg.vars) throw new Error("a point of the wrong length for its segment");
    this.items.push({ seg, local: [...local], value });
  }
  /** Each claim's point on the whole vector's MLE (layout.ts `lift`). */
  points(): bigint[][] {
    return this.items.map((c) => lift(this.layout, c.seg, c.local));
  }
  values(): bigint[] {
    return this.items.map((c) => c.value);
  }
}

/** The claims on both vectors, each added to the one its column lives in. */
export class ClaimSet {
  readonly model: Claims;
  readonly witness: Claims | null;
  constructor(layouts: { model: Layout; witness: Layout | null }) {
    this.model = new Claims(layouts.model);
    this.witness = layouts.witness && new Claims(layouts.witness);
  }
  add(op: number, kind: SegKind, local: readonly bigint[], value: bigint): void {
    const to = inModel(kind) ? this.model : this.witness;
    if (!to) throw new Error(`a ${kind.kind} claim without a witness layout`);
    to.add(op, kind, local, value);
  }
}

/**
 * batch.rs `verify_batch`: claims (points on a vector of `numVars` variables, values) merged into one point s by a
 * degree-2 sumcheck; returns s, its final value checked against P(s) = `pEval` (not yet opened: the commitment
 * scheme's part). Shared by format 2 (each vector's merge) and format 4 (the joint merge).
 */
export function verifyMerge(points: readonly bigint[][], values: readonly bigint[], numVars: number, rounds: Rounds, pEval: bigint, t: Transcript, what: string): bigint[] {
  t.absorbFrs("batch points", points.flat());
  t.absorbFrs("batch values", values);
  const alpha = t.challenge();
  let claim = 0n;
  let power = 1n;
  for (const v of values) {
    claim = add(claim, mul(power, v));
    power = mul(power, alpha);
  }
  const { point: s, value: final } = verifySumcheck(rounds, claim, numVars, 2, t, `${what} batched claims`);
  let eS = 0n;
  power = 1n;
  for (const z of points) {
    eS = add(eS, mul(power, eqEval(z, s)));
    power = mul(power, alpha);
  }
  if (final !== mul(eS, pEval)) throw new Reject(`${what} batched claims: the sumcheck's final value is not E(s) P(s)`);
  t.absorbFr("batch eval", pEval);
  return s;
}

/** Format 2's merge of one vector's claims, on that vector's own layout. */
function verifyBatch(claims: Claims, proof: Opened, t: Transcript, what: string): bigint[] {
  return verifyMerge(claims.points(), claims.values(), claims.layout.numVars, proof.rounds, proof.pEval, t, what);
}

/** eq of p's coordinates past the first `low` with the bits of offset / 2^low (the run's index). */
function eqHigh(p: readonly bigint[], low: number, offset: number): bigint {
  const idx = offset / 2 ** low;
  let e = 1n;
  for (let i = low; i < p.length; i++) e = mul(e, Math.floor(idx / 2 ** (i - low)) % 2 === 1 ? p[i] : sub(1n, p[i]));
  return e;
}

/** W~(rho, sigma) from its blocks' evaluations (row run major). */
function wFromBlocks(blocks: readonly bigint[], m: number, n: number, rho: readonly bigint[], sigma: readonly bigint[]): bigint {
  const rp = pow2Parts(m);
  const cp = pow2Parts(n);
  let s = 0n;
  rp.forEach(([ro, rl], i) => {
    const er = eqHigh(rho, rl, ro);
    cp.forEach(([co, cl], j) => (s = add(s, mul(mul(er, eqHigh(sigma, cl, co)), blocks[i * cp.length + j]))));
  });
  return s;
}

/**
 * A dense or conv op's matrix-vector step (network.rs `verify_matrix`) against the claim c, its bias already taken
 * out: the sumcheck of c = sum_j W~(rho, j) a~(j) (degree 2, log2 n rounds), its final value W~(rho, sigma)
 * a~(sigma), both absorbed ("dense evals"); W's blocks combined against W~(rho, sigma), absorbed ("dense w blocks")
 * and claimed. Returns (sigma, a~(sigma)).
 */
function verifyMatrix(
  claims: ClaimSet,
  k: number,
  [m, n]: [number, number],
  lp: { rounds: bigint[][]; wEval: bigint; aEval: bigint; wBlocks: bigint[] },
  c: bigint,
  rho: readonly bigint[],
  t: Transcript,
  what: string,
): { point: bigint[]; value: bigint } {
  const { point: sigma, value: final } = verifySumcheck(lp.rounds, c, log2Ceil(n), 2, t, what);
  if (final !== mul(lp.wEval, lp.aEval)) throw new Reject(`${what}: the sumcheck's final value is not W~(rho, sigma) a~(sigma)`);
  t.absorbFrs("dense evals", [lp.wEval, lp.aEval]);
  const rp = pow2Parts(m);
  const cp = pow2Parts(n);
  if (lp.wBlocks.length !== rp.length * cp.length) throw new Reject(`${what}: ${lp.wBlocks.length} W block evaluations, expected ${rp.length * cp.length}`);
  if (wFromBlocks(lp.wBlocks, m, n, rho, sigma) !== lp.wEval) throw new Reject(`${what}: the W blocks' combination is not W~(rho, sigma)`);
  t.absorbFrs("dense w blocks", lp.wBlocks);
  rp.forEach(([, rl], rb) => cp.forEach(([, cl], cb) => claims.add(k, { kind: "weights", rb, cb }, [...sigma.slice(0, cl), ...rho.slice(0, rl)], lp.wBlocks[rb * cp.length + cb])));
  return { point: sigma, value: lp.aEval };
}

/** What the statement's checks leave for the layers' replay (network.rs `Statement`). */
export interface Statement {
  /** The batch's samples (1: one inference). */
  n: number;
  /** log2ceil(n): the samples' coordinates, last in every point. */
  bv: number;
  outLen: number;
  /** x's batch vector (public x), whose MLE the verifier evaluates; null for a private input. */
  xb: bigint[] | null;
  layouts: { model: Layout; witness: Layout | null };
  /** A private input's range table (null: x public). */
  inputRange: Table | null;
}

/**
 * network.rs `Statement::check`: a batch of as many inputs as outputs (at least one), each public x of the input
 * length and in the declared range, each y of the output length and 64-bit, one layer proof per op but flatten
 * (and one more for a private input's range); throws Reject naming the first that fails. The commitments' checks
 * are each scheme's own.
 */
export function checkStatement(arch: CheckedArch, xs: readonly (readonly bigint[])[] | null, ys: readonly (readonly bigint[])[], layerCount: number, inputRange: Table | null): Statement {
  if ((xs === null) !== (inputRange !== null)) throw new Error("a private input's range table is given exactly when x is not");
  const n = ys.length;
  if (n === 0 || (xs !== null && xs.length !== n)) throw new Reject(`batch: ${xs ? xs.length : 0} inputs and ${n} outputs (as many inputs as outputs, at least one)`);
  const bv = log2Ceil(n);
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
  // x~ of the batch's input vector (public x), evaluated where the add of the input and the first layer end
  const xb = xs && batchVector(xs, arch.inputLen, n);
  const layouts = layoutsOf(arch, inputRange && inputRange.logSize, n);
  const expected = arch.ops.filter((o) => o.op !== "flatten").length + (inputRange ? 1 : 0);
  if (layerCount !== expected) throw new Reject(`layer proofs: ${layerCount}, expected ${expected}`);
  return { n, bv, outLen, xb, layouts, inputRange };
}

/** network.rs `absorb_statement`: the architecture's hash, a batch's size past one sample, every sample's x (or a
 * private input's length) then every sample's y, each concatenated, and the context the proof is bound to. */
export function absorbStatement(t: Transcript, arch: CheckedArch, archHash: string, xs: readonly (readonly bigint[])[] | null, ys: readonly (readonly bigint[])[], context: Uint8Array | null): void {
  t.absorbBytes("arch", Buffer.from(archHash, "hex"));
  if (ys.length > 1) t.absorbFrs("batch", [BigInt(ys.length)]);
  if (xs) t.absorbFrs("input", xs.flat().map(fr));
  else t.absorbFrs("input private", [BigInt(arch.inputLen)]);
  t.absorbFrs("output", ys.flat().map(fr));
  if (context) t.absorbBytes("context", context);
}

/**
 * network.rs `verify_layers`: every layer proof replayed from the last op down (the module doc's ops), after the
 * statement and the commitments are in the transcript; returns the claims left on the two committed vectors, which
 * each commitment scheme merges and opens its own way.
 */
export function verifyLayers(arch: CheckedArch, st: Statement, ys: readonly (readonly bigint[])[], layers: readonly LayerProof[], t: Transcript): ClaimSet {
  const { n, bv, outLen, xb, layouts, inputRange } = st;
  let point = t.challenges(log2Ceil(outLen) + bv);
  let value = mleEval(batchVector(ys, outLen, n), point);
  const claims = new ClaimSet(layouts);
  let next = 0;
  for (let k = arch.ops.length - 1; k >= 0; k--) {
    const op = arch.ops[k];
    if (op.op === "flatten") continue;
    const lp = layers[next++];
    if (op.op === "requant") {
      if (lp.kind !== "requant") throw new Reject(`ops[${k}]: a requant's layer proof expected`);
      claims.add(k, { kind: "act" }, point, value);
      t.absorbFrs("requant evals", [lp.q, lp.r]);
      claims.add(k, { kind: "quot" }, point, lp.q);
      claims.add(k, { kind: "rem" }, point, lp.r);
      value = add(mul(fr(1n << BigInt(op.shift)), lp.q), lp.r);
      const c = verifyRequant(lp.range, lp.act, log2Ceil(arch.lens[k]) + bv, op, t, `ops[${k}] requant`);
      claims.add(k, { kind: "rem" }, c.range.fPoint, c.range.fValues[0]);
      claims.add(k, { kind: "quot" }, c.act.fPoint, c.act.fValues[0]);
      claims.add(k, { kind: "act" }, c.act.fPoint, c.act.fValues[1]);
      claims.add(k, { kind: "multRange" }, c.range.mPoint, c.range.mValue);
      claims.add(k, { kind: "multAct" }, c.act.mPoint, c.act.mValue);
    } else if (op.op === "dense") {
      if (lp.kind !== "dense") throw new Reject(`ops[${k}]: a dense layer's proof expected`);
      // the point (local || rb): the bias at local, weighed by the real samples only (padding samples stay zero)
      const local = point.slice(0, point.length - bv);
      const rb = point.slice(point.length - bv);
      t.absorbFr("dense bias", lp.bias);
      claims.add(k, { kind: "bias" }, local, lp.bias);
      const m = verifyMatrix(claims, k, [op.m, op.n], lp, sub(value, mul(lp.bias, prefixEqSum(rb, n))), local, t, `ops[${k}] dense`);
      point = [...m.point, ...rb];
      value = m.value;
    } else if (op.op === "conv") {
      if (lp.kind !== "conv") throw new Reject(`ops[${k}]: a conv layer's proof expected`);
      const { win, f } = op;
      const pl = positions(win);
      const pow2 = 2 ** log2Ceil(pl) === pl;
      if (pow2 !== (lp.unpad === null)) throw new Reject(`ops[${k}] conv: the unpadding wiring is sent exactly when the output positions (${pl}) are not a power of two`);
      if (lp.unpad) ({ point, value } = verifyWiring({ kind: "unpad", rows: f, cols: pl }, lp.unpad, point, value, n, t, `ops[${k}] conv unpadding wiring`));
      const local = point.slice(0, point.length - bv);
      const rb = point.slice(point.length - bv);
      const rp = local.slice(0, log2Ceil(pl));
      const rf = local.slice(log2Ceil(pl));
      t.absorbFr("conv bias", lp.bias);
      claims.add(k, { kind: "bias" }, rf, lp.bias);
      const what = `ops[${k}] conv`;
      const biasWeight = mul(prefixEqSum(rp, pl), prefixEqSum(rb, n));
      const m = verifyMatrix(claims, k, [f, win.c * taps(win)], lp, sub(value, mul(lp.bias, biasWeight)), rf, t, what);
      ({ point, value } = verifyWiring({ kind: "im2col", win }, lp.im2col, [...rp, ...m.point, ...rb], m.value, n, t, `${what} im2col wiring`));
    } else if (op.op === "sumpool") {
      if (lp.kind !== "pool") throw new Reject(`ops[${k}]: a sumpool's proof expected`);
      ({ point, value } = verifyWiring({ kind: "pool", win: op.win }, lp.wiring, point, value, n, t, `ops[${k}] sumpool wiring`));
    } else if (op.op === "maxpool") {
      if (lp.kind !== "maxpool") throw new Reject(`ops[${k}]: a maxpool's proof expected`);
      const { win } = op;
      const what = `ops[${k}] maxpool`;
      claims.add(k, { kind: "poolOut" }, point, value);
      const nt = taps(win);
      if (lp.dEvals.length !== nt) throw new Reject(`${what}: ${lp.dEvals.length} difference evaluations, expected ${nt}`);
      const nv = log2Ceil(arch.lens[k]) + bv;
      const tau = t.challenges(nv);
      const zc = verifySumcheck(lp.zerocheck, 0n, nv, nt + 1, t, `${what} zerocheck`);
      if (zc.value !== lp.dEvals.reduce((e, d) => mul(e, d), eqEval(tau, zc.point))) throw new Reject(`${what} zerocheck: the final value is not eq(tau, r) prod d_i~(r) (a window with no zero difference)`);
      const tp = zc.point;
      // absorb_maxpool_evals: d_i on its tap's run (the tap's bits high, least significant first), y on its own
      t.absorbFrs("maxpool evals", [...lp.dEvals, lp.yEval]);
      const tapBits = log2Ceil(nt);
      lp.dEvals.forEach((d, i) => claims.add(k, { kind: "poolDiff" }, [...tp, ...Array.from({ length: tapBits }, (_, b) => ((i >> b) & 1 ? 1n : 0n))], d));
      claims.add(k, { kind: "poolOut" }, tp, lp.yEval);
      const c = verifyLogup(lp.lookup, nv + tapBits, { kind: "range", offset: 0n, logSize: op.bits - 1 }, t, `${what} range lookup`);
      claims.add(k, { kind: "poolDiff" }, c.fPoint, c.fValues[0]);
      claims.add(k, { kind: "multPool" }, c.mPoint, c.mValue);
      const gamma = t.challenge();
      const combined = lp.dEvals.reduceRight((acc, d) => add(mul(acc, gamma), sub(lp.yEval, d)), 0n);
      ({ point, value } = verifyWiring({ kind: "taps", win, gamma }, lp.wiring, tp, combined, n, t, `${what} wiring`));
    } else {
      if (lp.kind !== "add") throw new Reject(`ops[${k}]: an add's proof expected`);
      t.absorbFr("add eval", lp.tEval);
      if (op.from === 0) {
        if (!xb) claims.add(0, { kind: "input" }, point, lp.tEval);
        else if (mleEval(xb, point) !== lp.tEval) throw new Reject(`ops[${k}] add: the input's evaluation is not the one sent`);
      } else claims.add(op.from - 1, { kind: "act" }, point, lp.tEval);
      value = mul(sub(value, mul(fr(op.fromMul), lp.tEval)), inv(fr(op.mul)));
    }
  }
  if (xb) {
    if (mleEval(xb, point) !== value) throw new Reject("network input: x~ at the first layer's point is not the claim");
  } else if (inputRange) {
    claims.add(0, { kind: "input" }, point, value);
    const lp = layers[next++];
    if (lp.kind !== "inputRange") throw new Reject("the private input's range lookup expected last");
    const c = verifyLogup(lp.lookup, log2Ceil(arch.inputLen) + bv, inputRange, t, "private input range");
    for (const v of c.fValues) claims.add(0, { kind: "input" }, c.fPoint, v);
    claims.add(0, { kind: "multInput" }, c.mPoint, c.mValue);
  }
  return claims;
}

/**
 * Checks the decoded proof against the checked architecture, x (null: a private input, whose range table
 * `inputRange` is then architecture.ts `inputTable`'s) and y, and the model's commitment when the verifier holds one
 * (committed weights; null: the proof must carry it); throws Reject with the reason when it fails.
 */
export function verifyNetwork(
  arch: CheckedArch,
  archHash: string,
  xs: readonly (readonly bigint[])[] | null,
  ys: readonly (readonly bigint[])[],
  proof: NetworkProof,
  model: Rows | null = null,
  inputRange: Table | null = null,
  context: Uint8Array | null = null,
): void {
  const st = checkStatement(arch, xs, ys, proof.layers.length, inputRange);
  const layouts = st.layouts;
  if (model !== null && proof.modelRows !== null) throw new Reject("model commitment: the verifier holds the model's, so the proof must not carry one");
  const modelRows = model ?? proof.modelRows;
  if (modelRows === null) throw new Reject("model commitment: the weights are private (no commitment given), so the proof must carry one");
  const hasWitness = layouts.witness !== null;
  if ((proof.witnessRows !== null) !== hasWitness || (proof.witness !== null) !== hasWitness)
    throw new Reject(`witness commitment: ${proof.witnessRows !== null ? "present" : "absent"}, but the network has ${hasWitness ? "a" : "no"} requant or private input`);

  const t = new Transcript(DOMAIN_TAG);
  absorbStatement(t, arch, archHash, xs, ys, context);
  t.absorbPoints("model commitment", modelRows);
  if (proof.witnessRows !== null) t.absorbPoints("hyrax commitment", proof.witnessRows);
  const claims = verifyLayers(arch, st, ys, proof.layers, t);

  // Each vector's claims merged into one point (batch.rs), the model's then the witness's; then each opened there.
  const sModel = verifyBatch(claims.model, proof.model, t, "model");
  const sWitness = claims.witness && proof.witness && verifyBatch(claims.witness, proof.witness, t, "witness");
  verifyOpening(HYRAX_TAG, layouts.model.numVars, modelRows, sModel, proof.model.pEval, proof.model.opening, t);
  if (layouts.witness && proof.witnessRows && proof.witness && sWitness)
    verifyOpening(HYRAX_TAG, layouts.witness.numVars, proof.witnessRows, sWitness, proof.witness.pEval, proof.witness.opening, t);
}
