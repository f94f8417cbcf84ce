/**
 * What both sides of a zero-knowledge proof derive from the architecture and the statement alone
 * (native/src/sumcheck/network_zk.rs `Plan::for_statement`): the layouts, each op's masks and the joint merge's
 * vectors. It fixes every count of format 3's bytes.
 *
 * The statement (`ZkStatement`): the input public or private (committed in the witness as op 0's segment, its range
 * proved by a lookup), and the batch's sample count N (network.rs's batch layout: every per-sample vector padded to
 * a power of two, then the samples to a power of two, bv = log2ceil(N) more variables, the samples' bits high).
 * An op's input is hidden from the verifier unless it is the first op's and the input is public.
 *
 * Masks are allocated from the last op down, each op's in proving order:
 * - dense (n inputs): b's pad, a's slot (when its input is hidden), W's slot, then Libra's mask of its sumcheck
 *   (log2 n variables; factors W~(p, .) and a: [W's slot, a's slot or none]);
 * - requant (len values): q's and r's pads, its range lookup's masks (2^(log2 len + bv) rows into 2^shift), its
 *   activation lookup's (into 2^(bits - shift)); a shift of 0 has no remainder (q = z): no r pad, no range lookup;
 * - conv (f filters, P positions, T = c kh kw): when P is not a power of two, the unpadding wiring's (its sumcheck
 *   over log2(2^log2 f 2^log2 P) + bv variables, factors [g public, z hidden]: z's slot, then Libra's mask); the
 *   matrix's as a dense op's over log2 T variables; then, when its input is hidden, the im2col wiring's (over
 *   log2(c h w) + bv variables: x's slot, then Libra's);
 * - sum pool: its wiring's (over log2(c h w) + bv variables; x's slot when hidden, then Libra's);
 * - add: t's pad, unless t is the public input (from 0, input public: the verifier evaluates it);
 * - max pool (T taps, len outputs; its input always a requant's, hidden): its zerocheck's (over log2 len + bv
 *   variables, factors [eq(tau) public, each tap's difference hidden]: the T taps' slots, then Libra's mask); y's
 *   pad; its differences' range lookup's masks (2^(log2 len + bv + log2 T) rows into 2^(bits - 1)); its taps' wiring's
 *   (over log2(c h w) + bv variables: x's slot, then Libra's);
 * - flatten: none.
 * Then a private input's range lookup's masks (2^(log2 input length + bv) rows into its range table, architecture.ts
 * `inputTable`). Vectors, in the merge's order: 0 the model, 1 the witness, 2 the masks (2^log2 of the entries
 * allocated), then per requant or max pool from the last down: a requant's range lookup's h_f and h_t (none for a
 * shift of 0) and its activation lookup's h_f and h_t, a max pool's differences' lookup's h_f and h_t; then a
 * private input's lookup's h_f and h_t.
 *
 * Refused (ZkmlError IR_INVALID, as the Rust Plan refuses them): a dense op of one input column; a conv of one tap on
 * one channel, or of a hidden input of one value (one sample; its im2col wiring would have no variable); a requant
 * of one value (and one sample), or of bits at most its shift (each lookup needs two rows a side); a sum pool of one
 * value; a max pool to one value (one sample) or of bits below 2; a private input of one value, or whose range has
 * no table (`inputTable`); a network without a requant or a private input (no witness).
 */
import { ZkmlError } from "../../../core/errors";
import { log2Ceil } from "./field";
import { CheckedArch, inputTable } from "./architecture";
import { layoutsOf, Layout } from "./layout";
import { jointParams, JointParams } from "./joint";
import type { Table } from "./logup";
import { lookupMasks, LookupMasks } from "./logup-zk";
import { positions, taps, wiringInLen, windowInLen } from "./wiring";
import { libraFor, LibraMask, MaskAlloc, ZkShape } from "./zk";
import { HYRAX_TAG } from "./network";

/** What a proof states besides the architecture: the input's visibility and the batch's sample count. */
export interface ZkStatement {
  input: "public" | "private";
  batch: number;
}

/** One inference of a public input: format 3 as first built. */
export const ONE: ZkStatement = { input: "public", batch: 1 };

/** A wiring's zero-knowledge sumcheck: sum_j g(j) x(j), g public (the map's table), x's slot when hidden. */
export interface WireMasks {
  shape: ZkShape;
  libra: LibraMask;
}

/** A dense or conv op's matrix product: its bias's pad and its sumcheck (slots: W's, then a's when hidden). */
export interface MatrixMasks {
  b: number;
  shape: ZkShape;
  libra: LibraMask;
}

export type OpMasks =
  | ({ kind: "dense" } & MatrixMasks)
  /** A shift of 0 has no remainder: no r pad and no range lookup (q = z). */
  | { kind: "requant"; q: number; r: number | null; range: LookupMasks | null; act: LookupMasks }
  | { kind: "conv"; unpad: WireMasks | null; matrix: MatrixMasks; im2col: WireMasks | null }
  | { kind: "pool"; wire: WireMasks }
  | { kind: "add"; t: number | null }
  /** The zerocheck (slots: none for eq(tau), then each tap's difference), y's pad, the differences' lookup, the taps'
   * wiring. */
  | { kind: "maxpool"; zerocheck: WireMasks; y: number; lookup: LookupMasks; wire: WireMasks }
  | { kind: "none" };

export interface Plan {
  arch: CheckedArch;
  stmt: ZkStatement;
  /** log2ceil of the batch's samples: the variables every per-sample vector has more. */
  bv: number;
  model: Layout;
  witness: Layout;
  masks: OpMasks[];
  /** Per requant (op index), its first helper vector's index (range h_f, range h_t unless the shift is 0,
   * activation h_f, h_t); per max pool, its differences' lookup's h_f (h_t next). */
  helperBase: number[];
  /** A private input's range lookup: its table, its masks and its first helper vector's index. */
  inputLookup: { table: Table; masks: LookupMasks; helper: number } | null;
  joint: JointParams;
}

const unsupported = (what: string) =>
  new ZkmlError("IR_INVALID", `sumcheck architecture: the zero-knowledge sumcheck system proves dense, conv, requant, sum and max pool, add and flatten ops: ${what}`);

/** Whether op k's input is hidden: every op's but the first's, and the first's when the input is private. */
const hiddenInput = (stmt: ZkStatement, k: number): boolean => k > 0 || stmt.input === "private";

function wireMasks(alloc: MaskAlloc, vars: number, hidden: boolean): WireMasks {
  const shape: ZkShape = { numVars: vars, slots: [null, hidden ? alloc.take(1) : null] };
  return { shape, libra: libraFor(shape, alloc) };
}

function matrixMasks(alloc: MaskAlloc, vars: number, hidden: boolean): MatrixMasks {
  const b = alloc.take(1);
  const aSlot = hidden ? alloc.take(1) : null;
  const shape: ZkShape = { numVars: vars, slots: [alloc.take(1), aSlot] };
  return { b, shape, libra: libraFor(shape, alloc) };
}

/** One op's masks (its kind's allocation, module doc); a requant's or max pool's helper sizes appended to `helperSizes`. */
function opMasks(arch: CheckedArch, stmt: ZkStatement, k: number, alloc: MaskAlloc, helperSizes: number[], helperBase: number[]): OpMasks {
  const op = arch.ops[k];
  const bv = log2Ceil(stmt.batch);
  const inVars = (len: number) => log2Ceil(len) + bv;
  const hidden = hiddenInput(stmt, k);
  if (op.op === "flatten") return { kind: "none" };
  if (op.op === "dense") {
    const vars = log2Ceil(op.n);
    if (vars === 0) throw unsupported(`ops[${k}] dense of one input column (a sumcheck needs two)`);
    return { kind: "dense", ...matrixMasks(alloc, vars, hidden) };
  }
  if (op.op === "requant") {
    const vars = inVars(arch.lens[k]);
    if (vars === 0 || op.bits <= op.shift)
      throw unsupported(`ops[${k}] requant of ${arch.lens[k]} values, shift ${op.shift}, ${op.bits} bits (each lookup needs two rows a side)`);
    const q = alloc.take(1);
    const r = op.shift > 0 ? alloc.take(1) : null;
    const range = op.shift > 0 ? lookupMasks(alloc, vars, op.shift) : null;
    const act = lookupMasks(alloc, vars, op.bits - op.shift);
    helperBase[k] = 3 + helperSizes.length;
    if (op.shift > 0) helperSizes.push(vars, op.shift);
    helperSizes.push(vars, op.bits - op.shift);
    return { kind: "requant", q, r, range, act };
  }
  if (op.op === "conv") {
    const pl = positions(op.win);
    const tl = op.win.c * taps(op.win);
    if (log2Ceil(tl) === 0 || (hidden && inVars(windowInLen(op.win)) === 0))
      throw unsupported(`ops[${k}] conv of one tap on one channel, or of a one-value input (a sumcheck needs two)`);
    const unpad = 2 ** log2Ceil(pl) === pl ? null : wireMasks(alloc, inVars(wiringInLen({ kind: "unpad", rows: op.f, cols: pl })), true);
    const matrix = matrixMasks(alloc, log2Ceil(tl), hidden);
    const im2col = hidden ? wireMasks(alloc, inVars(windowInLen(op.win)), true) : null;
    return { kind: "conv", unpad, matrix, im2col };
  }
  if (op.op === "sumpool") {
    if (inVars(windowInLen(op.win)) === 0) throw unsupported(`ops[${k}] sum pool of one value`);
    return { kind: "pool", wire: wireMasks(alloc, inVars(windowInLen(op.win)), hidden) };
  }
  if (op.op === "add") return { kind: "add", t: op.from > 0 || stmt.input === "private" ? alloc.take(1) : null };
  const vars = inVars(arch.lens[k]);
  const nt = taps(op.win);
  if (vars === 0 || op.bits < 2) throw unsupported(`ops[${k}] max pool to one value or of ${op.bits} bits (its zerocheck and lookup need two rows)`);
  const slots: (number | null)[] = [null];
  for (let t = 0; t < nt; t++) slots.push(alloc.take(1));
  const shape: ZkShape = { numVars: vars, slots };
  const zerocheck: WireMasks = { shape, libra: libraFor(shape, alloc) };
  const y = alloc.take(1);
  const lookupVars = vars + log2Ceil(nt);
  const lookup = lookupMasks(alloc, lookupVars, op.bits - 1);
  helperBase[k] = 3 + helperSizes.length;
  helperSizes.push(lookupVars, op.bits - 1);
  return { kind: "maxpool", zerocheck, y, lookup, wire: wireMasks(alloc, inVars(windowInLen(op.win)), hidden) };
}

/**
 * The Plan of a checked architecture under a statement (one public input by default); throws ZkmlError IR_INVALID
 * for one the zero-knowledge system refuses.
 */
export function planOf(arch: CheckedArch, stmt: ZkStatement = ONE): Plan {
  if (!Number.isInteger(stmt.batch) || stmt.batch < 1) throw new Error("a batch of no samples");
  const bv = log2Ceil(stmt.batch);
  const alloc = new MaskAlloc();
  const masks: OpMasks[] = arch.ops.map(() => ({ kind: "none" }));
  const helperSizes: number[] = [];
  const helperBase: number[] = arch.ops.map(() => -1);
  for (let k = arch.ops.length - 1; k >= 0; k--) masks[k] = opMasks(arch, stmt, k, alloc, helperSizes, helperBase);
  let inputLookup: Plan["inputLookup"] = null;
  if (stmt.input === "private") {
    const table = inputTable(arch);
    const vars = log2Ceil(arch.inputLen) + bv;
    if (vars === 0) throw unsupported("a private input of one value (its lookup needs two rows)");
    inputLookup = { table, masks: lookupMasks(alloc, vars, table.logSize), helper: 3 + helperSizes.length };
    helperSizes.push(vars, table.logSize);
  }
  const { model, witness } = layoutsOf(arch, inputLookup && inputLookup.table.logSize, stmt.batch);
  if (!witness) throw unsupported("a network without a requant or a private input");
  const joint = jointParams(HYRAX_TAG, [model.numVars, witness.numVars, log2Ceil(alloc.len), ...helperSizes]);
  return { arch, stmt, bv, model, witness, masks, helperBase, inputLookup, joint };
}
