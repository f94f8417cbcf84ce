/**
 * Convolutions' and sum pools' geometry and the wiring check (native/src/sumcheck/conv.rs): a claim u~(r) = v on
 * u = M x, M a public copy map, becomes `sum_j g(j) x~(j) = v` with g(j) = sum_i eq(r, i) M[i][j], a degree-2
 * sumcheck over x's variables that ends on g~(r') x~(r'). The prover sends x~(r') ("wiring eval"); the verifier
 * builds g itself from the geometry and evaluates it at r'. The four maps (`Wiring`):
 *  - unpad: a conv's output y[f P + p] (p < P = oh ow) from Z[f P' + p], each channel's run padded to
 *    P' = 2^ceil(log2 P) (the layout the conv's matrix product leaves its claim in);
 *  - im2col: X'[t P' + p] = x[c h w + iy w + ix], t = (c kh + ky) kw + kx, p = oy ow + ox, (iy, ix) =
 *    (oy sh + ky - ph, ox sw + kx - pw) when in bounds (zero padding: no entry otherwise); u's point is (rp || rt);
 *  - pool: a sum pool, y[c P + p] = the sum of its window's taps (no padding);
 *  - taps: a max pool's taps combined by gamma, y[c P + p] = sum_t gamma^t x[c h w + src(t, p)] (no padding): the
 *    pool's table with coefficient gamma^t on tap t (conv.rs `Wiring::Taps`, `pool_table`).
 */
import type { ArchWindow } from "../arch";
import { add, eqTable, log2Ceil, mleEval, mul } from "./field";
import { Reject } from "./reject";
import { verifySumcheck } from "./sumcheck";
import { Transcript } from "./transcript";

/** conv.rs MAX_WINDOW_ENTRIES: the most entries a window's im2col or input may have. */
export const MAX_WINDOW_ENTRIES = 2 ** 30;

const show = (v: ArchWindow) => `{ c: ${v.c}, h: ${v.h}, w: ${v.w}, kh: ${v.kh}, kw: ${v.kw}, sh: ${v.sh}, sw: ${v.sw}, ph: ${v.ph}, pw: ${v.pw} }`;

/** Whether the product of sizes (each at least 1) is at most 2^30 (exact: bigint). */
const within = (v: number[]) => v.reduce((a, b) => a * BigInt(b), 1n) <= BigInt(MAX_WINDOW_ENTRIES);

/**
 * conv.rs `Window::check`: the output's [oh, ow], or why the geometry is refused (every size and stride at least 1,
 * padding below the kernel, the kernel within the padded input, im2col and the input within 2^30 entries).
 */
export function windowCheck(v: ArchWindow): { oh: number; ow: number } | { error: string } {
  if ([v.c, v.h, v.w, v.kh, v.kw, v.sh, v.sw].includes(0)) return { error: `window ${show(v)}: every size and stride must be at least 1` };
  if (v.ph >= v.kh || v.pw >= v.kw) return { error: `window ${show(v)}: padding must be below the kernel` };
  if (v.h + 2 * v.ph < v.kh || v.w + 2 * v.pw < v.kw) return { error: `window ${show(v)}: the kernel is larger than the padded input` };
  const oh = Math.floor((v.h + 2 * v.ph - v.kh) / v.sh) + 1;
  const ow = Math.floor((v.w + 2 * v.pw - v.kw) / v.sw) + 1;
  if (!within([v.c, v.kh, v.kw, oh, ow]) || !within([v.c, v.h, v.w])) return { error: `window ${show(v)}: more than 2^30 im2col or input entries` };
  return { oh, ow };
}

/** The output positions P = oh ow of a checked window. */
export function positions(v: ArchWindow): number {
  const c = windowCheck(v);
  if ("error" in c) throw new Error(c.error);
  return c.oh * c.ow;
}

/** The taps of one channel, kh kw. */
export const taps = (v: ArchWindow): number => v.kh * v.kw;

/** The input's length c h w. */
export const windowInLen = (v: ArchWindow): number => v.c * v.h * v.w;

/** For every tap (ky kw + kx) and output position p, the input's spatial index iy w + ix, or -1 in the padding. */
export function sources(v: ArchWindow): Int32Array[] {
  const c = windowCheck(v);
  if ("error" in c) throw new Error(c.error);
  const out: Int32Array[] = [];
  for (let ky = 0; ky < v.kh; ky++)
    for (let kx = 0; kx < v.kw; kx++) {
      const row = new Int32Array(c.oh * c.ow);
      for (let oy = 0; oy < c.oh; oy++)
        for (let ox = 0; ox < c.ow; ox++) {
          const iy = oy * v.sh + ky - v.ph;
          const ix = ox * v.sw + kx - v.pw;
          row[oy * c.ow + ox] = iy >= 0 && ix >= 0 && iy < v.h && ix < v.w ? iy * v.w + ix : -1;
        }
      out.push(row);
    }
  return out;
}

/** sum_{p < len} eq(r, p): a conv's bias broadcast over its positions (len at most 2^r.length). */
export function prefixEqSum(r: readonly bigint[], len: number): bigint {
  const eq = eqTable(r);
  let s = 0n;
  for (let i = 0; i < len; i++) s = add(s, eq[i]);
  return s;
}

/** A fixed linear map u = M x that a wiring check crosses (module doc). */
export type Wiring =
  | { kind: "unpad"; rows: number; cols: number }
  | { kind: "im2col"; win: ArchWindow }
  | { kind: "pool"; win: ArchWindow }
  | { kind: "taps"; win: ArchWindow; gamma: bigint };

/** x's length (the sumcheck runs over log2Ceil of it). */
export function wiringInLen(w: Wiring): number {
  return w.kind === "unpad" ? 2 ** log2Ceil(w.rows) * 2 ** log2Ceil(w.cols) : windowInLen(w.win);
}

/** The coordinates of u's point. */
export function wiringOutVars(w: Wiring): number {
  if (w.kind === "unpad") return log2Ceil(w.rows * w.cols);
  if (w.kind === "im2col") return log2Ceil(positions(w.win)) + log2Ceil(w.win.c * taps(w.win));
  return log2Ceil(w.win.c * positions(w.win));
}

/** g(j) = sum_i eq(r, i) M[i][j] for every j < in_len (the rest of the cube is zero). */
export function wiringTable(w: Wiring, r: readonly bigint[]): bigint[] {
  const g = new Array<bigint>(wiringInLen(w)).fill(0n);
  if (w.kind === "unpad") {
    const eq = eqTable(r);
    const pp = 2 ** log2Ceil(w.cols);
    for (let f = 0; f < w.rows; f++) for (let p = 0; p < w.cols; p++) g[f * pp + p] = eq[f * w.cols + p];
    return g;
  }
  const win = w.win;
  const pl = positions(win);
  const srcs = sources(win);
  const hw = win.h * win.w;
  if (w.kind === "im2col") {
    const lp = log2Ceil(pl);
    const eqP = eqTable(r.slice(0, lp));
    const eqT = eqTable(r.slice(lp));
    for (let c = 0; c < win.c; c++)
      srcs.forEach((row, tap) => {
        const et = eqT[c * taps(win) + tap];
        for (let p = 0; p < pl; p++) if (row[p] >= 0) g[c * hw + row[p]] = add(g[c * hw + row[p]], mul(et, eqP[p]));
      });
  } else {
    // pool_table: tap t's entries weighted by coef[t] (1 for a sum pool, gamma^t for a max pool's taps)
    const coef = srcs.map(() => 1n);
    if (w.kind === "taps") for (let t = 1; t < coef.length; t++) coef[t] = mul(coef[t - 1], w.gamma);
    const eq = eqTable(r);
    for (let c = 0; c < win.c; c++)
      srcs.forEach((row, t) => {
        for (let p = 0; p < pl; p++) if (row[p] >= 0) g[c * hw + row[p]] = add(g[c * hw + row[p]], mul(coef[t], eq[c * pl + p]));
      });
  }
  return g;
}

/** A wiring check's messages and the evaluation it ends on, x~(r'). */
export interface WiringProof {
  rounds: bigint[][];
  xEval: bigint;
}

/**
 * conv.rs `batch_table`: the table of a batch of `n` samples (each sample's vector padded to 2^log2ceil(in_len), the
 * samples' bits high). The map acts on each sample alike, so for the point (r_local || r_b) sample b's run of the
 * table is eq(r_b, b) g(r_local) (g padded to 2^log2ceil(in_len)); one sample's is g.
 */
export function batchTable(w: Wiring, r: readonly bigint[], n: number): bigint[] {
  const bv = log2Ceil(n);
  const outVars = wiringOutVars(w);
  if (r.length !== outVars + bv) throw new Error("wiring point of the wrong length");
  const g = wiringTable(w, r.slice(0, outVars));
  if (bv === 0) return g;
  const run = 2 ** log2Ceil(wiringInLen(w));
  const out = new Array<bigint>(run << bv).fill(0n);
  eqTable(r.slice(outVars)).forEach((e, b) => g.forEach((v, j) => (out[b * run + j] = mul(e, v))));
  return out;
}

/**
 * conv.rs `verify_wiring` over a batch of `n` samples: the sumcheck of u~(r) = `claim` (degree 2, over x's
 * log2ceil(in_len) + log2ceil(n) variables) and its final value against the batch table's MLE (built here) at r'
 * times the sent x~(r'), which is then absorbed ("wiring eval"); returns (r', x~(r')), the claim carried on to x.
 */
export function verifyWiring(w: Wiring, proof: WiringProof, r: readonly bigint[], claim: bigint, n: number, t: Transcript, what: string): { point: bigint[]; value: bigint } {
  const bv = log2Ceil(n);
  const outVars = wiringOutVars(w) + bv;
  if (r.length !== outVars) throw new Reject(`${what}: a point of ${r.length} coordinates, expected ${outVars}`);
  const { point, value } = verifySumcheck(proof.rounds, claim, log2Ceil(wiringInLen(w)) + bv, 2, t, what);
  if (value !== mul(mleEval(batchTable(w, r, n), point), proof.xEval)) throw new Reject(`${what}: the sumcheck's final value is not g~(r') x~(r') (the copy map's table at its point)`);
  t.absorbFr("wiring eval", proof.xEval);
  return { point, value: proof.xEval };
}
