/**
 * The public architecture as the verifier reads it: the words of ../arch.ts `archWords` parsed and checked
 * exactly as native/src/sumcheck/network.rs `Arch::from_words` and `Arch::check` do (an architecture either side
 * refuses is refused by both; a max pool's padding, which its words cannot carry, is refused on the object, as
 * `Arch::check` refuses it on an `ArchOp`), its hash (keccak256 of the words as int256, what the transcript absorbs first), and
 * each op's output length.
 */
import { AbiCoder, keccak256 } from "ethers";
import { ZkmlError } from "../../../core/errors";
import { archWords, ArchOp, ArchWindow, MAX_POOL_TAPS, SumcheckArch } from "../arch";
import { taps, windowCheck, windowInLen } from "./wiring";
import type { Table } from "./logup";

/** network.rs's limits. */
const ARCH_VERSION = 2n;
const MAX_INPUT_ABS = 1n << 48n;
const MAX_DENSE_ENTRIES = 2 ** 30;
const MAX_RANGE_LOG = 16;
const MAX_TABLE_LOG = 20;
const MAX_ADD_MUL = 2n ** 20n;
/** network.rs MAX_POOL_TAPS (one definition, ../arch.ts): a max pool's zerocheck has degree taps + 1. */
export { MAX_POOL_TAPS } from "../arch";

/** An op as read back from the words: the architecture's own op type (../arch.ts). */
export type CheckedOp = ArchOp;

/** A dense or conv op's weight matrix shape [m, n] (a conv's is f x c kh kw): committed as W's blocks and b. */
export function matrixOf(op: CheckedOp): [number, number] | null {
  if (op.op === "dense") return [op.m, op.n];
  if (op.op === "conv") return [op.f, op.win.c * taps(op.win)];
  return null;
}

/** A checked architecture: its ops, each op's output length, and the words it was read from. */
export interface CheckedArch {
  inputLen: number;
  inputMin: bigint;
  inputTop: bigint;
  ops: CheckedOp[];
  /** lens[k]: ops[k]'s output length. */
  lens: number[];
  words: bigint[];
}

const refuse = (message: string) => new ZkmlError("IR_INVALID", `sumcheck architecture: ${message}`);

/** A pool's window checked as network.rs checks it (the window, the input's length, no padding): its output length. */
function poolOutLen(k: number, name: "sumpool" | "maxpool", w: ArchWindow, len: number): number {
  const c = windowCheck(w);
  if ("error" in c) throw refuse(`ops[${k}] ${name}: ${c.error}`);
  if (windowInLen(w) !== len || w.ph !== 0 || w.pw !== 0) throw refuse(`ops[${k}] ${name} of a ${w.c}x${w.h}x${w.w} input (no padding): its input has ${len} values`);
  return w.c * c.oh * c.ow;
}

/**
 * The words (`archWords`), read back and checked: what network.rs's from_words and check accept. A max pool's
 * words carry no padding (`7, c, h, w, kh, kw, sh, sw, bits`), so its `Arch::check` rule "no padding" is checked
 * on the object first: a padded max pool is refused here rather than read as the unpadded one its words describe.
 */
export function checkArch(arch: SumcheckArch): CheckedArch {
  let words: bigint[];
  try {
    words = archWords(arch);
  } catch (e) {
    throw refuse(`not a set of integers (${(e as Error).message})`);
  }
  arch.ops.forEach((op, k) => {
    if (op.op === "maxpool" && (op.win.ph !== 0 || op.win.pw !== 0))
      throw refuse(`ops[${k}] maxpool of a ${op.win.c}x${op.win.h}x${op.win.w} input (no padding): padding ${op.win.ph}, ${op.win.pw}`);
  });
  let at = 0;
  const next = (what: string, lo: bigint, hi: bigint): bigint => {
    if (at >= words.length) throw refuse(`the words end before ${what}`);
    const v = words[at++];
    if (v < lo || v > hi) throw refuse(`word ${at - 1} (${what}): expected ${lo}..=${hi}, got ${v}`);
    return v;
  };
  next("the version", ARCH_VERSION, ARCH_VERSION);
  const inputLen = Number(next("input_len", 1n, 1n << 40n));
  const inputMin = next("input_min", -MAX_INPUT_ABS, MAX_INPUT_ABS);
  const inputTop = next("input_top", -MAX_INPUT_ABS, MAX_INPUT_ABS);
  const count = Number(next("the op count", 0n, 1n << 20n));
  const ops: CheckedOp[] = [];
  const win = (pad: boolean): ArchWindow => {
    const v = ["c", "h", "w", "kh", "kw", "sh", "sw", ...(pad ? ["ph", "pw"] : [])].map((name) => Number(next(`window ${name}`, 0n, 1n << 30n)));
    return { c: v[0], h: v[1], w: v[2], kh: v[3], kw: v[4], sh: v[5], sw: v[6], ph: v[7] ?? 0, pw: v[8] ?? 0 };
  };
  for (let i = 0; i < count; i++) {
    const kind = next("an op's kind", 1n, 7n);
    if (kind === 7n) {
      const w = win(false);
      ops.push({ op: "maxpool", win: w, bits: Number(next("maxpool bits", 1n, 62n)) });
    } else if (kind === 4n) {
      const w = win(true);
      ops.push({ op: "conv", win: w, f: Number(next("conv filters", 1n, 1n << 30n)) });
    } else if (kind === 5n) ops.push({ op: "sumpool", win: win(false) });
    else if (kind === 6n) {
      const from = Number(next("add from", 0n, 1n << 20n));
      const mul = Number(next("add mul", 1n, MAX_ADD_MUL));
      ops.push({ op: "add", from, mul, fromMul: Number(next("add from_mul", 1n, MAX_ADD_MUL)) });
    } else if (kind === 1n) ops.push({ op: "dense", m: Number(next("dense m", 1n, 1n << 30n)), n: Number(next("dense n", 1n, 1n << 30n)) });
    else if (kind === 2n) {
      const shift = Number(next("requant shift", 0n, 62n));
      const relu = next("requant relu", 0n, 1n) === 1n;
      const bits = Number(next("requant bits", 1n, 62n));
      const clamp = Number(next("requant clamp", 0n, 62n));
      ops.push({ op: "requant", shift, relu, bits, ...(clamp > 0 ? { clamp } : {}) });
    } else ops.push({ op: "flatten" });
  }
  if (at !== words.length) throw refuse("the words continue past the last op");
  // Arch::check.
  if (inputMin > inputTop) throw refuse(`input range [${inputMin}, ${inputTop}]: min exceeds top`);
  let len = inputLen;
  const lens: number[] = [];
  ops.forEach((op, k) => {
    if (op.op === "dense") {
      if (op.n !== len) throw refuse(`ops[${k}] dense ${op.m}x${op.n}: its input has ${len} values`);
      if (op.m * op.n > MAX_DENSE_ENTRIES) throw refuse(`ops[${k}] dense ${op.m}x${op.n}: more than 2^30 weights`);
      len = op.m;
    } else if (op.op === "requant") {
      if (op.shift > MAX_RANGE_LOG || op.bits < op.shift + 1 || op.bits - op.shift > MAX_TABLE_LOG)
        throw refuse(`ops[${k}] requant: shift ${op.shift}, bits ${op.bits} (the lookups need shift <= ${MAX_RANGE_LOG}, shift + 1 <= bits <= 62, bits - shift <= ${MAX_TABLE_LOG})`);
    } else if (op.op === "conv") {
      const w = op.win;
      const c = windowCheck(w);
      if ("error" in c) throw refuse(`ops[${k}] conv: ${c.error}`);
      if (windowInLen(w) !== len) throw refuse(`ops[${k}] conv of a ${w.c}x${w.h}x${w.w} input to ${op.f} filters: its input has ${len} values`);
      if (op.f * w.c * taps(w) > MAX_DENSE_ENTRIES || op.f * c.oh * c.ow > MAX_DENSE_ENTRIES) throw refuse(`ops[${k}] conv: more than 2^30 weights or outputs`);
      len = op.f * c.oh * c.ow;
    } else if (op.op === "sumpool") {
      len = poolOutLen(k, "sumpool", op.win, len);
    } else if (op.op === "maxpool") {
      const w = op.win;
      len = poolOutLen(k, "maxpool", w, len);
      if (taps(w) > MAX_POOL_TAPS) throw refuse(`ops[${k}] maxpool: a window of ${taps(w)} taps (at most ${MAX_POOL_TAPS}: its zerocheck's degree)`);
      if (op.bits < 2 || op.bits > MAX_TABLE_LOG + 1) throw refuse(`ops[${k}] maxpool: bits ${op.bits} (its differences' range table needs 2 <= bits <= ${MAX_TABLE_LOG + 1})`);
      if (k === 0 || ops[k - 1].op !== "requant") throw refuse(`ops[${k}] maxpool: its input must be a requant's output (this system commits those)`);
    } else if (op.op === "add") {
      // mul and fromMul are in 1..=2^20 (read above)
      const j = op.from;
      const fromLen = j === 0 ? inputLen : j <= k && ops[j - 1].op === "requant" ? lens[j - 1] : -1;
      if (fromLen < 0) throw refuse(`ops[${k}] add: from ${j} must be 0 (the input) or an earlier requant's output (this system commits those)`);
      if (fromLen !== len) throw refuse(`ops[${k}] add: its sides have ${len} and ${fromLen} values`);
    }
    lens.push(len);
  });
  if (!ops.some((op) => matrixOf(op) !== null)) throw refuse("the network has no dense or conv op (nothing to prove)");
  return { inputLen, inputMin, inputTop, ops, lens, words };
}

/**
 * A private input's range table (network.rs `Arch::input_table`): the pairs (t, min(t, top)) for t in [min, min +
 * 2^k), k = max(1, bits of top - min), which hold (x, x) exactly when min <= x <= top. Its padding rows are (0, 0),
 * so the range must contain 0; and the table is at most 2^20 rows. Throws ZkmlError IR_INVALID otherwise (as the
 * native prover and verifier do for a private input).
 */
export function inputTable(arch: CheckedArch): Table {
  const span = arch.inputTop - arch.inputMin;
  const logSize = Math.max(1, span > 0n ? span.toString(2).length : 0);
  if (arch.inputMin > 0n || arch.inputTop < 0n) throw refuse(`a private input's range [${arch.inputMin}, ${arch.inputTop}] must contain 0 (the padding's value)`);
  if (logSize > MAX_TABLE_LOG) throw refuse(`a private input's range [${arch.inputMin}, ${arch.inputTop}] needs a table of 2^${logSize} rows, more than 2^${MAX_TABLE_LOG}`);
  return { kind: "activation", offset: arch.inputMin, logSize, hi: arch.inputTop };
}

/** keccak256 of the architecture's words, each an int256 (abi.encode), as 64 hex digits. */
export function archHashOfWords(words: readonly bigint[]): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(words.map(() => "int256"), words)).slice(2);
}

/** keccak256 of `archWords(arch)` as int256 words (0x-prefixed), the architecture checked first. */
export function sumcheckArchHash(arch: SumcheckArch): string {
  return "0x" + archHashOfWords(checkArch(arch).words);
}

/** n as aligned power-of-two runs, largest first: [offset, log2 size] per binary digit of n. */
export function pow2Parts(n: number): [number, number][] {
  const out: [number, number][] = [];
  let off = 0;
  for (let b = 40; b >= 0; b--) {
    if (Math.floor(n / 2 ** b) % 2 === 1) {
      out.push([off, b]);
      off += 2 ** b;
    }
  }
  return out;
}
