/**
 * What the sumcheck system proves, read from the IR: the architecture (everything but the weights: the public part
 * of paper0's statement) and the parameters (every dense layer's weights row-major, then its biases, in op order).
 *
 * The architecture crosses to the native prover and verifier as words (native/src/sumcheck/network.rs,
 * `Arch::words`), and its keccak256 over those words as int256 is what the transcript absorbs first; both
 * verifiers, the Rust one and ./verifier, derive it from the same words. The ops this system takes so far: dense,
 * conv2d (padding below the kernel), sumpool2d, requant (shift <= 16, bits <= 62, bits - shift <= 20: the lookup
 * tables' sizes), flatten, add (of the input or a requant's output) and maxpool2d (of a requant's output, at most
 * 7 taps), each pool without padding. Anything else (clip, leakyrelu, gather, concat, table, a padded pool) is refused with the op named
 * and the systems that take it.
 */
import { ZkmlError } from "../../core/errors";
import { inputTop, irShapes, QModel, QOp, windowPadding } from "../../ir/ir";

/** The version word the native side expects first (ARCH_VERSION in network.rs). */
export const ARCH_VERSION = 2;
/** The lookup tables' limits (requant.rs MAX_RANGE_LOG, logup.rs MAX_TABLE_LOG) and the widest requant input. */
export const MAX_SHIFT = 16;
export const MAX_TABLE_LOG = 20;
export const MAX_REQUANT_BITS = 62;
/** The most taps of a max pool's window (network.rs MAX_POOL_TAPS: its zerocheck's degree). */
export const MAX_POOL_TAPS = 7;
/** The widest input range, |min| and |top| (network.rs MAX_INPUT_ABS). */
export const MAX_INPUT_ABS = 2n ** 48n;

/** A window over a channel-major c x h x w input: kernel kh x kw, strides sh, sw, zero padding ph, pw (none for a pool). */
export interface ArchWindow {
  c: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
}

export type ArchOp =
  | { op: "dense"; m: number; n: number }
  | { op: "requant"; shift: number; relu: boolean; bits: number; clamp?: number }
  | { op: "flatten" }
  | { op: "conv"; win: ArchWindow; f: number }
  | { op: "sumpool"; win: ArchWindow }
  /** from: 0 the input, j + 1 the output of ops[j] (a requant: this system commits those) */
  | { op: "add"; from: number; mul: number; fromMul: number }
  /** on a requant's output (committed); bits: every difference of the window's max and a tap below 2^(bits-1) */
  | { op: "maxpool"; win: ArchWindow; bits: number };

/** The public architecture: input length and declared range [inputMin, inputTop], and the ops without weights. */
export interface SumcheckArch {
  inputLen: number;
  inputMin: bigint;
  inputTop: bigint;
  ops: ArchOp[];
}

/** The architecture's words (network.rs `Arch::words`): version, input length, min, top, op count, then per op
 * dense `1, m, n`; requant `2, shift, relu, bits, clamp (0: none)`; flatten `3`; conv `4, c, h, w, kh, kw, sh, sw,
 * ph, pw, f`; sumpool `5, c, h, w, kh, kw, sh, sw`; add `6, from, mul, fromMul`; maxpool `7, c, h, w, kh, kw, sh, sw,
 * bits`. */
export function archWords(a: SumcheckArch): bigint[] {
  const w: bigint[] = [BigInt(ARCH_VERSION), BigInt(a.inputLen), a.inputMin, a.inputTop, BigInt(a.ops.length)];
  const win = (v: ArchWindow) => [v.c, v.h, v.w, v.kh, v.kw, v.sh, v.sw].map(BigInt);
  // a pool's words have no padding: one given here would be dropped, so an architecture that says it is refused
  const pool = (v: ArchWindow) => {
    if (v.ph !== 0 || v.pw !== 0) throw new ZkmlError("IR_INVALID", `a pool with padding (${v.ph}, ${v.pw}): the sumcheck system's pools take none`, { hint: "pad with a conv before the pool, or prove with --system groth16" });
    return win(v);
  };
  for (const op of a.ops) {
    switch (op.op) {
      case "dense":
        w.push(1n, BigInt(op.m), BigInt(op.n));
        break;
      case "requant":
        w.push(2n, BigInt(op.shift), op.relu ? 1n : 0n, BigInt(op.bits), BigInt(op.clamp ?? 0));
        break;
      case "flatten":
        w.push(3n);
        break;
      case "conv":
        w.push(4n, ...win(op.win), BigInt(op.win.ph), BigInt(op.win.pw), BigInt(op.f));
        break;
      case "sumpool":
        w.push(5n, ...pool(op.win));
        break;
      case "add":
        w.push(6n, BigInt(op.from), BigInt(op.mul), BigInt(op.fromMul));
        break;
      case "maxpool":
        w.push(7n, ...pool(op.win), BigInt(op.bits));
        break;
      default: {
        const never: never = op;
        return never;
      }
    }
  }
  return w;
}

/** Little-endian i64 words, as the native calls take arrays. */
export function i64Bytes(values: readonly bigint[]): Buffer {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeBigInt64LE(v, 8 * i));
  return b;
}

/** Back from little-endian i64 words. */
export function fromI64Bytes(b: Uint8Array): bigint[] {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: buf.length / 8 }, (_, i) => buf.readBigInt64LE(8 * i));
}

const fail = (where: string, got: string, hint = "prove this model with --system groth16, which takes every op of the IR") =>
  new ZkmlError("IR_INVALID", `${where}: the sumcheck system does not take ${got} yet`, { hint });

/** A padded pool (MaxPool's or AveragePool's pads, ResNet's stem) refused: this system's pools take full windows only. */
function unpaddedPool(k: number, op: Extract<QOp, { op: "sumpool2d" | "maxpool2d" }>): void {
  const [ph, pw] = windowPadding(op);
  if (ph > 0 || pw > 0) throw fail(`ops[${k}] ${op.op}`, `a padded pool (padding ${ph}x${pw}${op.op === "sumpool2d" && op.exclusive ? ", padded taps not counted" : ""})`, "prove this model with --system groth16 (or plonk, fflonk), which take a pool's in-bounds taps at any padding");
}

/** The architecture of a quantized model, or an error naming the first op this system does not take. */
export function sumcheckArch(q: QModel): SumcheckArch {
  const inputLen = q.input.shape.reduce((a, b) => a * b, 1);
  const top = inputTop(q);
  if (q.input.min < -MAX_INPUT_ABS || top > MAX_INPUT_ABS) throw fail("input", `a range [${q.input.min}, ${top}] past +-2^48`);
  const shapes = irShapes(q);
  const ops = q.ops.map((op, k): ArchOp => {
    const [c, h, w] = shapes[k];
    switch (op.op) {
      case "dense":
        return { op: "dense", m: op.units, n: op.inSize };
      case "requant":
        if (op.shift > MAX_SHIFT || op.bits > MAX_REQUANT_BITS || op.bits - op.shift > MAX_TABLE_LOG)
          throw fail(`ops[${k}] requant`, `shift ${op.shift} with bits ${op.bits} (its lookup tables need shift <= ${MAX_SHIFT}, bits <= ${MAX_REQUANT_BITS}, bits - shift <= ${MAX_TABLE_LOG})`, "lower --scale-bits, or prove with --system groth16");
        return { op: "requant", shift: op.shift, relu: op.relu, bits: op.bits, ...(op.clamp !== undefined ? { clamp: op.clamp } : {}) };
      case "flatten":
        return { op: "flatten" };
      case "conv2d": {
        if ((op.groups ?? 1) > 1) throw fail(`ops[${k}] conv2d`, `a grouped convolution (${op.groups} groups${op.groups === c && op.filters === c ? ": depthwise" : ""})`, "prove this model with --system groth16 (or plonk, fflonk), where a grouped conv is its in-group multiply-accumulates (fewer than a full conv's)");
        const win = { c, h, w, kh: op.kernel[0], kw: op.kernel[1], sh: op.stride[0], sw: op.stride[1], ph: op.padding[0], pw: op.padding[1] };
        if (win.ph >= win.kh || win.pw >= win.kw) throw fail(`ops[${k}] conv2d`, `padding ${op.padding} not below its kernel ${op.kernel}`);
        return { op: "conv", win, f: op.filters };
      }
      case "sumpool2d":
        unpaddedPool(k, op);
        return { op: "sumpool", win: { c, h, w, kh: op.pool[0], kw: op.pool[1], sh: op.stride[0], sw: op.stride[1], ph: 0, pw: 0 } };
      case "add":
        if (op.from !== 0 && q.ops[op.from - 1]?.op !== "requant")
          throw fail(`ops[${k}] add`, `a residual add of ops[${op.from - 1}]'s output (${q.ops[op.from - 1]?.op}): it adds the input or a requant's output, which it commits`, "put the residual branch after a ReLU or requant, or prove with --system groth16");
        if (op.mul < 0 || op.fromMul < 0)
          throw fail(`ops[${k}] add`, "a difference of two tensors (a Sub: a negative multiplier)", "prove this model with --system groth16 (or plonk, fflonk), where a difference is one linear constraint a value");
        return { op: "add", from: op.from, mul: op.mul, fromMul: op.fromMul };
      case "maxpool2d": {
        unpaddedPool(k, op);
        const where = `ops[${k}] (maxpool2d, on a ${c}x${h}x${w} input)`;
        if (q.ops[k - 1]?.op !== "requant") throw fail(where, "a max pool of anything but a requant's (ReLU's) output", "put a ReLU before the pool, or prove with --system groth16");
        if (op.pool[0] * op.pool[1] > MAX_POOL_TAPS) throw fail(where, `a ${op.pool[0]}x${op.pool[1]} window (at most ${MAX_POOL_TAPS} taps)`, "use 2x2 pools (or a strided conv), or prove with --system groth16");
        if (op.bits < 2 || op.bits - 1 > MAX_TABLE_LOG) throw fail(where, `differences of ${op.bits} bits (its range table: at most ${MAX_TABLE_LOG + 1})`, "lower --scale-bits, or prove with --system groth16");
        return { op: "maxpool", win: { c, h, w, kh: op.pool[0], kw: op.pool[1], sh: op.stride[0], sw: op.stride[1], ph: 0, pw: 0 }, bits: op.bits };
      }
      case "mul":
        throw fail(`ops[${k}] mul`, "a product of two activations (HardSwish, x * y)", "prove this model with --system groth16 (or plonk, fflonk), where it is one product constraint a value");
      case "clip":
      case "leakyrelu":
        // no table or zerocheck for them in the native prover yet: the circuit systems prove them
        throw fail(`ops[${k}] ${op.op}`, op.op === "clip" ? "a clip (ReLU6, torch.clamp, HardSigmoid)" : "a leaky ReLU", `prove this model with --system groth16 (or plonk, fflonk), which ${op.op === "clip" ? "proves a clip by one comparison per bound" : "proves a leaky ReLU by its sign bit"}`);
      case "gather":
      case "concat":
        throw fail(`ops[${k}] ${op.op}`, op.op === "gather" ? "a re-indexing (Transpose, Reshape, a branch's start, Pad)" : "a join of two tensors (Concat)", `prove this model with --system groth16 (or plonk, fflonk), where ${op.op === "gather" ? "it is wiring: no constraint" : "it is wiring: no constraint when both sides share a step"}`);
      case "table":
        // logUp activation tables are a later step of the sumcheck system
        throw fail(`ops[${k}] table ${op.fn}`, `an activation by table lookup (${op.fn}: Sigmoid, Tanh, Exp, Erf, GELU)`, "prove this model with --system groth16 (or plonk, fflonk), which looks the table up by x's bits and a multiplexer tree");
      case "table":
        // logUp activation tables are a later step of the sumcheck system
        throw fail(`ops[${k}] table ${op.fn}`, `an activation by table lookup (${op.fn}: Sigmoid, Tanh, Exp, Erf, GELU)`, "prove this model with --system groth16 (or plonk, fflonk), which looks the table up by x's bits and a multiplexer tree");
      default: {
        const never: never = op;
        return never;
      }
    }
  });
  return { inputLen, inputMin: q.input.min, inputTop: top, ops };
}

/** The private parameters as the native prover takes them (little-endian i64 words): per dense or conv op, its
 * weights (a conv's in [f][c][ky][kx] order) then its biases. */
export function sumcheckParamBytes(q: QModel): Buffer {
  const dense = q.ops.filter((op) => op.op === "dense" || op.op === "conv2d");
  const b = Buffer.alloc(8 * dense.reduce((n, op) => n + op.weights.length + op.bias.length, 0));
  let at = 0;
  for (const op of dense)
    for (const list of [op.weights, op.bias])
      for (const v of list) {
        b.writeBigInt64LE(v, at);
        at += 8;
      }
  return b;
}

/** The model as the prover reads it: the count of architecture words (u64 LE), the words, then the parameters
 * (i64 LE words, `sumcheckParamBytes`). */
export function encodeSumcheckModel(q: QModel): Buffer {
  const words = archWords(sumcheckArch(q));
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(words.length));
  return Buffer.concat([head, i64Bytes(words), sumcheckParamBytes(q)]);
}

/** Back from encodeSumcheckModel: the architecture's and the parameters' bytes, or an error naming the file. */
export function decodeSumcheckModel(b: Buffer, file: string): { arch: Buffer; params: Buffer } {
  const n = b.length >= 8 ? Number(b.readBigUInt64LE(0)) : -1;
  if (n < 5 || b.length < 8 + 8 * n || (b.length - 8) % 8 !== 0)
    throw new ZkmlError("IR_INVALID", `not a sumcheck model file (${b.length} bytes, ${n} architecture words)`, { file, hint: "make it again (prove-model --force)" });
  return { arch: b.subarray(8, 8 + 8 * n), params: b.subarray(8 + 8 * n) };
}
