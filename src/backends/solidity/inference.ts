/**
 * The Solidity renderer of the IR: one inference contract per model whose `infer(x)` returns exactly what
 * `runIR` returns, for the on-chain baseline that proofs are measured against.
 *
 * Design, meant as an honest baseline rather than a strawman:
 * - Weights and biases live in contract bytecode, never in storage (SLOAD costs 2,100 gas cold; bytecode costs
 *   3 gas a word to copy). Each linear op's weights are packed big-endian at the narrowest signed width that
 *   holds them (1 byte for 8-bit weights), then its biases at theirs. The packed blob is split into data
 *   contracts of at most 24,575 bytes (EIP-170's 24,576 minus the leading STOP byte that makes them
 *   uncallable); their addresses are immutables of the inference contract.
 * - `infer` copies the blob into memory once (EXTCODECOPY), then runs every op in inline assembly: a weight is
 *   one MLOAD and one SAR (which sign-extends it), an activation one MLOAD. The multiply-accumulates are
 *   unrolled with constant offsets (blocks of 32 for a dense row, the whole window for a convolution, whose
 *   input is first copied into a zero-padded buffer so windows need no bounds tests): about 40 gas a MAC,
 *   where a plain loop costs about 100.
 * - Arithmetic is on int256 words, two's complement; the bound analysis (src/ir/ir.ts analyzeBounds) proves no
 *   intermediate passes 2^240 for inputs in range, so nothing wraps. The input range is checked (revert
 *   InputOutOfRange(index)); requant is SAR (floor division by 2^shift, as runIR's floorDiv) then max(., 0).
 */
import { clampRange, concatSides, inputTop, irShapes, QModel, QOp, sumPoolScale, tableValues, windowPadding } from "../../ir/ir";
import type { Shape } from "../../ir/window";
import { ZkmlError } from "../../core/errors";

/** Bytes a data contract may hold: EIP-170's limit minus the STOP byte in front. */
export const CHUNK_BYTES = 24_575;

export interface SolidityBundle {
  contract: string;
  source: string;
  /** Runtime code of each data contract (hex, no 0x): a STOP byte, then its part of the weight blob. */
  dataRuntimes: string[];
  /** Creation code of each data contract (hex, no 0x). */
  dataInitCodes: string[];
  blobBytes: number;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function widthOf(values: readonly bigint[]): number {
  let bytes = 1;
  for (const v of values) {
    while (v < -(1n << BigInt(8 * bytes - 1)) || v >= 1n << BigInt(8 * bytes - 1)) bytes++;
  }
  if (bytes > 32) throw new ZkmlError("IR_INVALID", "a weight needs more than 256 bits");
  return bytes;
}

function pack(values: readonly bigint[], width: number): Buffer {
  const b = Buffer.alloc(values.length * width);
  const mod = 1n << BigInt(8 * width);
  values.forEach((v, i) => {
    let u = ((v % mod) + mod) % mod;
    for (let k = width - 1; k >= 0; k--) {
      b[i * width + k] = Number(u & 0xffn);
      u >>= 8n;
    }
  });
  return b;
}

/** Creation code that deploys `runtime` as is: PUSH2 len, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN. */
export function dataInitCode(runtimeHex: string): string {
  const len = runtimeHex.length / 2;
  if (len > 0xffff)
    throw new ZkmlError("CONTRACT_TOO_LARGE", `data contract: ${len.toLocaleString("en-US")} bytes of runtime code, its PUSH2 length allows at most 65,535`, {
      hint: `split the data into chunks of at most ${CHUNK_BYTES.toLocaleString("en-US")} bytes (renderSolidity does: splitBlob)`,
    });
  return `61${len.toString(16).padStart(4, "0")}80600c6000396000f3${runtimeHex}`;
}

/** Multiply-accumulates per unrolled block of a dense row: enough to make loop overhead small, few enough to keep
 * the bytecode of a layer under a kilobyte. */
const UNROLL = 32;

/** `count` unrolled `acc += w * x` statements; weight j is `wb` bytes at wp + wOff(j) (SAR sign-extends it),
 * activation j the word at xp + xOff(j). */
function macTerms(count: number, wb: number, wOff: (j: number) => number, xOff: (j: number) => number): string[] {
  const at = (base: string, off: number) => (off === 0 ? base : `add(${base}, ${off})`);
  return Array.from({ length: count }, (_, j) =>
    `acc := add(acc, mul(sar(${256 - 8 * wb}, mload(${at("wp", wOff(j))})), mload(${at("xp", xOff(j))})))`);
}

/** The weights blob: each linear op's weights then biases, packed at their widths; `place` returns an offset. */
class WeightBlob {
  private readonly parts: Buffer[] = [];
  private size = 0;

  place(b: Buffer): number {
    const at = this.size;
    this.parts.push(b);
    this.size += b.length;
    return at;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/**
 * The Yul of one op: it reads the activations at `cur` (an int256[] in memory) and leaves its output at `nxt`.
 * `keep`: the input must survive (a later add reads it), so a requant writes a copy instead of working in place.
 */
function opYul(k: number, op: QOp, inShape: Shape, outShape: Shape, blob: WeightBlob, keep: boolean, shapes: Shape[]): string {
  const n = size(outShape);
  const alloc = `nxt := alloc(${n})`;
  switch (op.op) {
    case "dense":
      return denseYul(k, op, alloc, blob);
    case "conv2d":
      return convYul(k, op, inShape, outShape, alloc, blob);
    case "sumpool2d":
    case "maxpool2d":
      return poolYul(k, op, inShape, outShape, alloc);
    case "requant":
      return requantYul(k, op, n, keep);
    case "flatten":
      return `// ops[${k}] flatten: nothing to move
            nxt := cur`;
    case "add":
      return addYul(k, op, n, alloc);
    case "mul":
      return mulYul(k, op, n, alloc);
    case "clip":
    case "leakyrelu":
      return elementwiseYul(k, op, n, alloc);
    case "table":
      return tableYul(k, op, n, alloc, blob);
    case "gather":
      return gatherYul(k, op, n, alloc, blob);
    case "concat":
      return concatYul(k, op, size(inShape), size(shapes[op.from]), alloc);
    default: {
      const never: never = op;
      throw new Error(`unknown op ${JSON.stringify(never)}`);
    }
  }
}

/** A dense op: per unit, the bias, then unrolled blocks of multiply-accumulates over the input. */
function denseYul(k: number, op: Extract<QOp, { op: "dense" }>, alloc: string, blob: WeightBlob): string {
  const place = (b: Buffer) => blob.place(b);
  const wb = widthOf(op.weights), bb = widthOf(op.bias);
  const w = place(pack(op.weights, wb)), b = place(pack(op.bias, bb));
  const full = Math.floor(op.inSize / UNROLL), rest = op.inSize % UNROLL;
  const loop = full === 0 ? "" : `
                    for { let end := add(xp, ${32 * UNROLL * full}) } lt(xp, end) { xp := add(xp, ${32 * UNROLL}) } {
                        ${macTerms(UNROLL, wb, (j) => j * wb, (j) => 32 * j).join("\n                        ")}
                        wp := add(wp, ${UNROLL * wb})
                    }`;
  const tail = rest === 0 ? "" : `
                    ${macTerms(rest, wb, (j) => j * wb, (j) => 32 * j).join("\n                    ")}
                    wp := add(wp, ${rest * wb})`;
  return `// ops[${k}] dense ${op.inSize} -> ${op.units}: weights ${wb} byte(s) each at blob+${w}, biases ${bb} at blob+${b};
            // ${full} unrolled block(s) of ${UNROLL} multiply-accumulates per unit, then ${rest}
            ${alloc}
            {
                let wp := add(blob, ${w})
                let out := add(nxt, 32)
                for { let o := 0 } lt(o, ${op.units}) { o := add(o, 1) } {
                    let acc := sar(${256 - 8 * bb}, mload(add(blob, add(${b}, mul(o, ${bb})))))
                    let xp := add(cur, 32)${loop}${tail}
                    mstore(out, acc)
                    out := add(out, 32)
                }
            }`;
}

/**
 * `src`, the input of a window op: the activations themselves when unpadded, else a copy in a (C, H+2PH, W+2PW) buffer
 * whose border is zero (a conv, a sum pool) or the least int256 (a max pool: a padded position never wins), so the
 * window needs no bounds tests.
 */
function paddedSource([C, H, W]: Shape, [PH, PW]: [number, number], border: "zero" | "least"): string {
  if (PH === 0 && PW === 0) return "let src := add(cur, 32)";
  const HP = H + 2 * PH, WP = W + 2 * PW;
  const fill = border === "zero"
    ? `calldatacopy(src, calldatasize(), ${32 * C * HP * WP}) // zeroes it: calldata reads past the end are 0`
    : `for { let p := src } lt(p, add(src, ${32 * C * HP * WP})) { p := add(p, 32) } { mstore(p, shl(255, 1)) }`;
  return `let src := mload(0x40)
                mstore(0x40, add(src, ${32 * C * HP * WP}))
                ${fill}
                for { let r := 0 } lt(r, ${C * H}) { r := add(r, 1) } {
                    // input row r (channel r / H, row r % H) goes to row PH + r % H, column PW of its padded channel
                    let to := add(src, add(mul(add(mul(div(r, ${H}), ${HP}), add(mod(r, ${H}), ${PH})), ${32 * WP}), ${32 * PW}))
                    mcopy(to, add(cur, add(32, mul(r, ${32 * W}))), ${32 * W})
                }`;
}

/** A conv op: the input copied into a zero-padded buffer when padded, then each window's multiply-accumulates unrolled. */
function convYul(k: number, op: Extract<QOp, { op: "conv2d" }>, inShape: Shape, outShape: Shape, alloc: string, blob: WeightBlob): string {
  const place = (b: Buffer) => blob.place(b);
  const [C, H, W] = inShape;
  const [, OH, OW] = outShape;
  const [KH, KW] = op.kernel, [SH, SW] = op.stride, [PH, PW] = op.padding;
  const HP = H + 2 * PH, WP = W + 2 * PW;
  const wb = widthOf(op.weights), bb = widthOf(op.bias);
  const w = place(pack(op.weights, wb)), b = place(pack(op.bias, bb));
  const padded = paddedSource(inShape, [PH, PW], "zero");
  const window = macTerms(KH * KW, wb, (j) => j * wb, (j) => 32 * (Math.floor(j / KW) * WP + (j % KW)));
  // a filter reads the CG channels of its group (all C with one group), from channel (f / (filters / G)) CG
  const G = op.groups ?? 1, CG = C / G;
  const groupRow = G === 1 ? "src" : `add(src, mul(div(f, ${op.filters / G}), ${32 * CG * HP * WP}))`;
  return `// ops[${k}] conv2d ${C}x${H}x${W} -> ${op.filters}x${OH}x${OW}, kernel ${KH}x${KW}, stride ${SH}x${SW}, padding ${PH}x${PW}${G === 1 ? "" : `, ${G} groups`};
            // the ${KH * KW} multiply-accumulates of a window are unrolled
            ${alloc}
            {
                ${padded}
                let out := add(nxt, 32)
                for { let f := 0 } lt(f, ${op.filters}) { f := add(f, 1) } {
                    let bias := sar(${256 - 8 * bb}, mload(add(blob, add(${b}, mul(f, ${bb})))))
                    let wf := add(blob, add(${w}, mul(f, ${CG * KH * KW * wb})))
                    for { let oy := 0 } lt(oy, ${OH}) { oy := add(oy, 1) } {
                        let row := add(${groupRow}, mul(oy, ${32 * SH * WP}))
                        for { let ox := 0 } lt(ox, ${OW}) { ox := add(ox, 1) } {
                            let acc := bias
                            let xp := add(row, mul(ox, ${32 * SW}))
                            let wp := wf
                            for { let c := 0 } lt(c, ${CG}) { c := add(c, 1) } {
                                ${window.join("\n                                ")}
                                xp := add(xp, ${32 * HP * WP})
                                wp := add(wp, ${KH * KW * wb})
                            }
                            mstore(out, acc)
                            out := add(out, 32)
                        }
                    }
                }
            }`;
}

/** Sum and max pooling share one window walk, unrolled over the window: a sum, or a signed max; padded positions are zeros
 * in a sum and the least int256 in a max (never the max: every window has an in-bounds tap). A sum pool whose padded taps
 * do not count multiplies each output by L / n, n its in-bounds rows times columns (sumPoolScale). */
function poolYul(k: number, op: Extract<QOp, { op: "sumpool2d" | "maxpool2d" }>, inShape: Shape, outShape: Shape, alloc: string): string {
  const [C, H, W] = inShape;
  const [, OH, OW] = outShape;
  const [KH, KW] = op.pool, [SH, SW] = op.stride, [PH, PW] = windowPadding(op);
  const HP = H + 2 * PH, WP = W + 2 * PW;
  const offsets = Array.from({ length: KH * KW }, (_, j) => 32 * (Math.floor(j / KW) * WP + (j % KW))).slice(1);
  const fold = op.op === "sumpool2d" ? "m := add(m, v)" : "if sgt(v, m) { m := v }";
  // the in-bounds span of [a, a + K) within [P, P + N), in padded coordinates
  const span = (a: string, K: number, P: number, N: number) => `sub(min_(add(${a}, ${K}), ${P + N}), max_(${a}, ${P}))`;
  const exclusive = op.op === "sumpool2d" && op.exclusive
    ? `
                            m := mul(m, div(${sumPoolScale(op, inShape).divisor}, mul(${span(`mul(oy, ${SH})`, KH, PH, H)}, ${span(`mul(ox, ${SW})`, KW, PW, W)})))`
    : "";
  const helpers = exclusive ? `
                function min_(a, b) -> r { r := a if lt(b, a) { r := b } }
                function max_(a, b) -> r { r := a if gt(b, a) { r := b } }` : "";
  return `// ops[${k}] ${op.op} ${C}x${H}x${W} -> ${C}x${OH}x${OW}, window ${KH}x${KW}, stride ${SH}x${SW}, padding ${PH}x${PW} (unrolled)
            ${alloc}
            {${helpers}
                ${paddedSource(inShape, [PH, PW], op.op === "sumpool2d" ? "zero" : "least")}
                let out := add(nxt, 32)
                for { let c := 0 } lt(c, ${C}) { c := add(c, 1) } {
                    let xc := add(src, mul(c, ${32 * HP * WP}))
                    for { let oy := 0 } lt(oy, ${OH}) { oy := add(oy, 1) } {
                        for { let ox := 0 } lt(ox, ${OW}) { ox := add(ox, 1) } {
                            let base := add(xc, add(mul(oy, ${32 * SH * WP}), mul(ox, ${32 * SW})))
                            let m := mload(base)
                            ${offsets.map((off) => `{ let v := mload(add(base, ${off})) ${fold} }`).join("\n                            ")}${exclusive}
                            mstore(out, m)
                            out := add(out, 32)
                        }
                    }
                }
            }`;
}

/** A residual connection: mul x + fromMul t, t an earlier tensor whose pointer is in the `tensors` table (a negative
 * multiplier, a Sub, as its two's complement literal: mul wraps modulo 2^256, which is the signed product). */
function addYul(k: number, op: Extract<QOp, { op: "add" }>, n: number, alloc: string): string {
  const lit = (c: number) => (c < 0 ? `not(${-c - 1})` : `${c}`);
  return `// ops[${k}] add: ${op.mul} x + ${op.fromMul} t${op.from}
            ${alloc}
            {
                let t := mload(add(tensors, ${32 * op.from}))
                for { let i := 32 } lt(i, ${32 * (n + 1)}) { i := add(i, 32) } {
                    mstore(add(nxt, i), add(mul(${lit(op.mul)}, mload(add(cur, i))), mul(${lit(op.fromMul)}, mload(add(t, i)))))
                }
            }`;
}

/** A product of two activations: x t, t an earlier tensor (mul modulo 2^256 is the signed product of small values). */
function mulYul(k: number, op: Extract<QOp, { op: "mul" }>, n: number, alloc: string): string {
  return `// ops[${k}] mul: x t${op.from}
            ${alloc}
            {
                let t := mload(add(tensors, ${32 * op.from}))
                for { let i := 32 } lt(i, ${32 * (n + 1)}) { i := add(i, 32) } {
                    mstore(add(nxt, i), mul(mload(add(cur, i)), mload(add(t, i))))
                }
            }`;
}

/** Where tensor `from` is: its pointer in the `tensors` table. */
const tensorAt = (from: number) => `mload(add(tensors, ${32 * from}))`;

/**
 * A re-indexing: the same memory when it keeps the order (a reshape; a branch's start points at the earlier tensor),
 * else value i read at the position the index table says (in the blob, 2 or 4 bytes an entry).
 */
function gatherYul(k: number, op: Extract<QOp, { op: "gather" }>, n: number, alloc: string, blob: WeightBlob): string {
  const src = op.from === undefined ? "cur" : tensorAt(op.from);
  if (!op.index) return `// ops[${k}] gather: ${op.from === undefined ? "a reshape, nothing to move" : `tensor ${op.from} as it is (a branch's start)`}
            nxt := ${src}`;
  // a zero (-1, a Pad's border) is the entry of all ones, read as 0
  const ib = op.index.every((j) => j < (1 << 16) - 1) ? 2 : 4;
  const none = ib === 2 ? 0xffff : 0xffffffff;
  const table = Buffer.alloc(n * ib);
  op.index.forEach((j, i) => (ib === 2 ? table.writeUInt16BE(j === -1 ? none : j, i * ib) : table.writeUInt32BE(j === -1 ? none : j, i * ib)));
  const at = blob.place(table);
  const read = `mload(add(src, add(32, mul(32, j))))`;
  return `// ops[${k}] gather${op.from === undefined ? "" : ` of tensor ${op.from}`}: value i from the position in the index table at blob+${at} (${ib} bytes an entry${op.index.includes(-1) ? `; ${none} a zero` : ""})
            ${alloc}
            {
                let src := ${src}
                let ip := add(blob, ${at})
                for { let i := 32 } lt(i, ${32 * (n + 1)}) { i := add(i, 32) } {
                    let j := shr(${256 - 8 * ib}, mload(ip))
                    ${op.index.includes(-1) ? `let v := 0
                    if lt(j, ${none}) { v := ${read} }
                    mstore(add(nxt, i), v)` : `mstore(add(nxt, i), ${read})`}
                    ip := add(ip, ${ib})
                }
            }`;
}

/** A join: the first side's values then the second's, each times its multiplier. */
function concatYul(k: number, op: Extract<QOp, { op: "concat" }>, nx: number, nt: number, alloc: string): string {
  const [a, ma, b, mb] = concatSides(op, [{ p: "cur", n: nx }], [{ p: tensorAt(op.from), n: nt }]);
  const side = (s: { p: string; n: number }, m: number, off: number) => `{
                let src := ${s.p}
                for { let i := 32 } lt(i, ${32 * (s.n + 1)}) { i := add(i, 32) } {
                    mstore(add(nxt, add(i, ${32 * off})), ${m === 1 ? "mload(add(src, i))" : `mul(${m}, mload(add(src, i)))`})
                }
            }`;
  return `// ops[${k}] concat: ${op.fromFirst ? `${op.fromMul} t${op.from}, then ${op.mul} x` : `${op.mul} x, then ${op.fromMul} t${op.from}`}
            ${alloc}
            ${side(a[0], ma, 0)}
            ${side(b[0], mb, a[0].n)}`;
}

/** A clip or leaky ReLU, value by value into a new tensor (runIR's clipValue and leakyValue; Yul has no negative
 * literals: c < 0 is not(-c - 1)). */
function elementwiseYul(k: number, op: Extract<QOp, { op: "clip" | "leakyrelu" }>, n: number, alloc: string): string {
  const lit = (c: bigint) => (c < 0n ? `not(${-c - 1n})` : `${c}`);
  const step =
    op.op === "clip"
      ? [op.lo !== undefined ? `if slt(v, ${lit(op.lo)}) { v := ${lit(op.lo)} }` : "", op.hi !== undefined ? `if sgt(v, ${lit(op.hi)}) { v := ${lit(op.hi)} }` : ""].filter(Boolean).join(" ")
      : `switch slt(v, 0) case 0 { v := shl(${op.shift}, v) } default { v := mul(${lit(op.alpha)}, v) }`;
  return `// ops[${k}] ${op.op === "clip" ? `clip to [${op.lo ?? "-inf"}, ${op.hi ?? "inf"}]` : `leakyrelu: 2^${op.shift} x, or ${op.alpha} x below 0`}
            ${alloc}
            for { let i := 32 } lt(i, ${32 * (n + 1)}) { i := add(i, 32) } {
                let v := mload(add(cur, i))
                ${step}
                mstore(add(nxt, i), v)
            }`;
}

/**
 * An activation by table lookup: the table (ir.ts tableValues, the entries every backend reads) packed in the blob at
 * its entries' width, y = T[x - lo] read by an index; an index outside the table (the bound analysis says never) reverts.
 */
function tableYul(k: number, op: Extract<QOp, { op: "table" }>, n: number, alloc: string, blob: WeightBlob): string {
  const t = tableValues(op);
  const wb = widthOf(t);
  const at = blob.place(pack(t, wb));
  const lit = (c: bigint) => (c < 0n ? `not(${-c - 1n})` : `${c}`);
  return `// ops[${k}] table ${op.fn}: ${t.length} entries of ${wb} byte(s) at blob+${at}, y = T[x - ${op.lo}]
            ${alloc}
            for { let i := 32 } lt(i, ${32 * (n + 1)}) { i := add(i, 32) } {
                let j := sub(mload(add(cur, i)), ${lit(op.lo)})
                if iszero(lt(j, ${t.length})) { revert(0, 0) }
                mstore(add(nxt, i), sar(${256 - 8 * wb}, mload(add(blob, add(${at}, mul(j, ${wb}))))))
            }`;
}

/** A requant (in place, or into a copy when its input must survive): an arithmetic shift, ReLU, and saturation (runIR's clamp). */
function requantYul(k: number, op: Extract<QOp, { op: "requant" }>, n: number, copy: boolean): string {
  // saturation (runIR's clamp): the upper end, and the lower one for a signed requant (Yul has no negative
  // literals: lo = not(-lo - 1))
  const [lo, hi] = op.clamp === undefined ? [0n, 0n] : clampRange(op.relu, op.clamp);
  const sat = op.clamp === undefined ? "" : `if sgt(v, ${hi}) { v := ${hi} }${op.relu ? "" : ` if slt(v, not(${-lo - 1n})) { v := not(${-lo - 1n}) }`}`;
  return `// ops[${k}] requant: floor(x / 2^${op.shift})${op.relu ? ", ReLU" : ""}${op.clamp === undefined ? "" : `, saturated to ${op.clamp} bits`} (${copy ? "into a copy: a later add reads its input" : "in place"})
            ${copy ? `nxt := alloc(${n})` : "nxt := cur"}
            for { let p := add(cur, 32) let end := add(p, ${32 * n}) } lt(p, end) { p := add(p, 32) } {
                let v := sar(${op.shift}, mload(p))
                ${op.relu ? "if slt(v, 0) { v := 0 }" : ""}${sat === "" ? "" : `\n                ${sat}`}
                mstore(${copy ? "add(nxt, sub(p, cur))" : "p"}, v)
            }`;
}

export function renderSolidity(q: QModel, contract: string): SolidityBundle {
  const shapes = irShapes(q);
  const blob = new WeightBlob();
  // Yul for each op; activations: `cur` points at an int256[] in memory (length word, then values). A tensor a
  // later add reads has its pointer kept in the `tensors` table; a tensor shares its memory with the ones a
  // flatten or an in-place requant made from it, so such a requant works on a copy instead
  const fromOf = (op: QOp) => (op.op === "add" || op.op === "mul" || op.op === "concat" || (op.op === "gather" && op.from !== undefined) ? op.from : undefined);
  const read = new Set(q.ops.flatMap((op) => (fromOf(op) === undefined ? [] : [fromOf(op)!])));
  const memory = [0];
  const body = q.ops.flatMap((op, k) => {
    const keep = q.ops.some((a, j) => j > k && fromOf(a) !== undefined && memory[fromOf(a)!] === memory[k]);
    // a reshape (a gather keeping the order) shares its source's memory: the running tensor's, or tensor from's
    const same = op.op === "flatten" || (op.op === "requant" && !keep) || (op.op === "gather" && !op.index);
    memory.push(same ? memory[op.op === "gather" && op.from !== undefined ? op.from : k] : k + 1);
    return [opYul(k, op, shapes[k], shapes[k + 1], blob, keep, shapes), "cur := nxt", ...(read.has(k + 1) ? [`mstore(add(tensors, ${32 * (k + 1)}), cur)`] : [])];
  });
  if (read.has(0)) body.unshift(`mstore(tensors, cur)`);
  if (read.size) body.unshift(`let tensors := mload(0x40)`, `mstore(0x40, add(tensors, ${32 * (q.ops.length + 1)}))`);
  const bytes = blob.bytes();
  const dataRuntimes = splitBlob(bytes).map((c) => `00${c.toString("hex")}`);
  return { contract, source: contractSource(q, contract, bytes, body), dataRuntimes, dataInitCodes: dataRuntimes.map(dataInitCode), blobBytes: bytes.length };
}

/** The blob in data-contract-sized pieces. */
export function splitBlob(blob: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < blob.length; i += CHUNK_BYTES) chunks.push(blob.subarray(i, i + CHUNK_BYTES));
  return chunks;
}

/** The contract around the ops' Yul: the data contracts' addresses, the input checks, the blob copied to memory once. */
function contractSource(q: QModel, contract: string, blob: Buffer, body: string[]): string {
  const shapes = irShapes(q);
  const chunks = splitBlob(blob);
  const nIn = size(q.input.shape);
  const lo = q.input.min, hi = inputTop(q);
  const immutables = chunks.map((_, i) => `    address private immutable DATA${i};`).join("\n");
  const ctorArgs = chunks.map((_, i) => `address data${i}`).join(", ");
  const ctorBody = chunks.map((_, i) => `        DATA${i} = data${i};`).join("\n");
  const locals = chunks.map((_, i) => `        address d${i} = DATA${i};`).join("\n");
  const copies = chunks
    .map((c, i) => `            extcodecopy(d${i}, add(blob, ${i * CHUNK_BYTES}), 1, ${c.length})`)
    .join("\n");
  const outLen = size(shapes[shapes.length - 1]);
  return `// SPDX-License-Identifier: MIT
// Generated by zkml-hardhat from the quantized model "${q.name}". Do not edit: regenerate.
// infer(x) returns exactly what the reference interpreter (src/ir/ir.ts runIR) returns: inputs are integers in
// [${lo}, ${hi}]; outputs are ${outLen} integers (multiply by ${q.output.step} for real values).
// Weights: ${blob.length} bytes packed in ${chunks.length} data contract(s), copied to memory once, never stored.
pragma solidity 0.8.30;

contract ${contract} {
    error InputOutOfRange(uint256 index);
    error WrongInputLength(uint256 expected, uint256 got);

${immutables}

    constructor(${ctorArgs}) {
${ctorBody}
    }

    function infer(int256[] calldata x) external view returns (int256[] memory y) {
        if (x.length != ${nIn}) revert WrongInputLength(${nIn}, x.length);
        for (uint256 i = 0; i < ${nIn}; i++) {
            if (x[i] < ${lo} || x[i] > ${hi}) revert InputOutOfRange(i);
        }
${locals}
        assembly {
            // bump allocator over free memory; every tensor is an int256[] (length word, then values)
            function alloc(n) -> p {
                p := mload(0x40)
                mstore(p, n)
                mstore(0x40, add(p, add(32, mul(n, 32))))
            }
            let blob := mload(0x40)
            mstore(0x40, add(blob, ${Math.ceil((blob.length + 32) / 32) * 32}))
${copies}
            let cur := alloc(${nIn})
            calldatacopy(add(cur, 32), x.offset, ${32 * nIn})
            let nxt := 0
            ${body.join("\n            ")}
            y := cur
        }
    }
}
`;
}
