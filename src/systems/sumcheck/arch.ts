/**
 * What the sumcheck system proves, read from the IR: the architecture (everything but the weights: the public part
 * of paper0's statement) and the parameters (every dense layer's weights row-major, then its biases, in op order).
 *
 * The architecture crosses to the native prover and verifier as words (native/src/sumcheck/network.rs,
 * `Arch::words`), and its keccak256 over those words as int256 is what the transcript absorbs first; both
 * verifiers, the Rust one and ./verifier, derive it from the same words. The ops this system takes so far: dense,
 * requant (shift <= 16, bits <= 62, bits - shift <= 20: the lookup tables' sizes) and flatten. Anything else is
 * refused with the op named.
 */
import { ZkmlError } from "../../core/errors";
import { inputTop, QModel } from "../../ir/ir";

/** The version word the native side expects first (ARCH_VERSION in network.rs). */
export const ARCH_VERSION = 2;
/** The lookup tables' limits (requant.rs MAX_RANGE_LOG, logup.rs MAX_TABLE_LOG) and the widest requant input. */
export const MAX_SHIFT = 16;
export const MAX_TABLE_LOG = 20;
export const MAX_REQUANT_BITS = 62;
/** The widest input range, |min| and |top| (network.rs MAX_INPUT_ABS). */
export const MAX_INPUT_ABS = 2n ** 48n;

export type ArchOp = { op: "dense"; m: number; n: number } | { op: "requant"; shift: number; relu: boolean; bits: number; clamp?: number } | { op: "flatten" };

/** The public architecture: input length and declared range [inputMin, inputTop], and the ops without weights. */
export interface SumcheckArch {
  inputLen: number;
  inputMin: bigint;
  inputTop: bigint;
  ops: ArchOp[];
}

/** The architecture's words (network.rs `Arch::words`): version, input length, min, top, op count, then per op
 * dense `1, m, n`; requant `2, shift, relu, bits, clamp (0: none)`; flatten `3`. */
export function archWords(a: SumcheckArch): bigint[] {
  const w: bigint[] = [BigInt(ARCH_VERSION), BigInt(a.inputLen), a.inputMin, a.inputTop, BigInt(a.ops.length)];
  for (const op of a.ops) {
    if (op.op === "dense") w.push(1n, BigInt(op.m), BigInt(op.n));
    else if (op.op === "requant") w.push(2n, BigInt(op.shift), op.relu ? 1n : 0n, BigInt(op.bits), BigInt(op.clamp ?? 0));
    else w.push(3n);
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

/** The architecture of a quantized model, or an error naming the first op this system does not take. */
export function sumcheckArch(q: QModel): SumcheckArch {
  const inputLen = q.input.shape.reduce((a, b) => a * b, 1);
  const top = inputTop(q);
  if (q.input.min < -MAX_INPUT_ABS || top > MAX_INPUT_ABS) throw fail("input", `a range [${q.input.min}, ${top}] past +-2^48`);
  let len = inputLen;
  const ops = q.ops.map((op, k): ArchOp => {
    switch (op.op) {
      case "dense":
        len = op.units;
        return { op: "dense", m: op.units, n: op.inSize };
      case "requant":
        if (op.shift > MAX_SHIFT || op.bits > MAX_REQUANT_BITS || op.bits - op.shift > MAX_TABLE_LOG)
          throw fail(`ops[${k}] requant`, `shift ${op.shift} with bits ${op.bits} (its lookup tables need shift <= ${MAX_SHIFT}, bits <= ${MAX_REQUANT_BITS}, bits - shift <= ${MAX_TABLE_LOG})`, "lower --scale-bits, or prove with --system groth16");
        return { op: "requant", shift: op.shift, relu: op.relu, bits: op.bits, ...(op.clamp !== undefined ? { clamp: op.clamp } : {}) };
      case "flatten":
        return { op: "flatten" };
      case "conv2d":
      case "sumpool2d":
      case "maxpool2d":
      case "add":
        throw fail(`ops[${k}] (${op.op}, on ${len} values)`, `${op.op}`);
      default: {
        const never: never = op;
        return never;
      }
    }
  });
  return { inputLen, inputMin: q.input.min, inputTop: top, ops };
}

/** The private parameters as the native prover takes them (little-endian i64 words): per dense op, its weights
 * then its biases. */
export function sumcheckParamBytes(q: QModel): Buffer {
  const dense = q.ops.filter((op) => op.op === "dense");
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
