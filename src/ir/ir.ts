/**
 * The quantized model IR and its bigint reference interpreter: the living definition of what a proof attests.
 *
 * A QModel is a closed list of integer ops over channel-major tensors. `runIR` is the exact semantics; the
 * circom renderer (and later the Solidity renderer) must reproduce it bit for bit:
 *   dense     y[o] = bias[o] + sum_i w[o*n+i] * x[i]
 *   conv2d    y[f,oy,ox] = bias[f] + sum over in-bounds taps (zero padding) of w[f,c,ky,kx] * x[g C/G + c,iy,ix], c over the
 *             C/G input channels of filter f's group g = floor(f / (F/G)) (`groups` G, absent 1: all C; G = C = F depthwise)
 *   sumpool2d y = sum of the window's in-bounds taps (`padding` zero rows and columns on each side, default none: an
 *             average pool whose division is folded into the scale, so it is exact); with `exclusive` (count_include_pad
 *             = 0) each output's sum times L / n (n its in-bounds taps, L the least common multiple of every output's n):
 *             the average at the step divided by L, exact (sumPoolScale)
 *   maxpool2d y = max of the window's in-bounds taps (`padding` as sumpool2d's: a padded position never wins); any two
 *             values of its input differ by less than 2^(bits-1)
 *   requant   y = floor(x / 2^shift), then max(y, 0) if relu; x must lie in [-2^(bits-1), 2^(bits-1)); with
 *             `clamp` A it saturates: into [0, 2^A - 1] if relu, else [-2^(A-1), 2^(A-1) - 1] (int8-style)
 *   flatten   reshape only
 *   add       y = mul * x + fromMul * t, t the tensor `from` (0: the input, j + 1: ops[j]'s output): a residual
 *             connection, both sides brought to one step by the small non-zero integers mul and fromMul (a negative
 *             one: a Sub of two activations, x - t or t - x)
 *   mul       y = x * t, t the tensor `from` (as add's): a product of two activations, exact, at the product of their
 *             steps (the quantizer puts a requant after it); the circuit's one product constraint a value
 *   clip      y = min(max(x, lo), hi), either bound absent for none (ReLU6, torch.clamp, HardSigmoid's clamp); every
 *             difference of x, lo and hi below 2^(bits-1) (the circuit's comparison width)
 *   leakyrelu y = x * 2^shift if x >= 0, else alpha * x: exact, at the input's step / 2^shift (alpha / 2^shift is the
 *             slope rounded to the nearest multiple of 2^-shift by the quantizer); x in [-2^(bits-1), 2^(bits-1))
 *   gather    y[i] = s[index[i]], or 0 where index[i] is -1 (index absent: s as it is), y of shape `shape`, s the running
 *             tensor or, with `from`, the tensor `from` (a trace index, as add's): Transpose, Reshape, Squeeze/Unsqueeze, a
 *             branch's start (the running tensor set back to an earlier one), Pad (zeros where it pads). A pure
 *             re-indexing: no arithmetic, no constraint
 *   concat    y = fromMul t followed by mul x (fromFirst), or mul x followed by fromMul t: the flat values joined (a
 *             channel-major concatenation on the first axis), t the tensor `from`; both sides brought to one step by
 *             mul and fromMul as add's are (1 and 1 when their steps agree); shape [a0 + b0, ...rest] when the two
 *             shapes agree past their first axis, else flat
 *   table     y = T[x - lo], T = tableValues(op): T[j] = round(f((lo + j) inStep) / outStep) for f the op's fn (sigmoid,
 *             tanh, exp, erf, gelu, gelu_tanh), computed once here (tableFloat) and read by every backend, so all agree
 *             bit for bit; x in [lo, lo + 2^bits), bits at most MAX_TABLE_BITS (the circuit's mux tree has 2^bits leaves)
 * The input must lie in [input.min, inputTop(q)]: the model's declared real range, quantized (at most
 * input.min + 2^input.bits - 1). Both range conditions are what the circuit enforces with bit decompositions; `analyzeBounds` proves, from the weights, that every requant's input fits
 * its bits for every admissible input, so no value ever wraps around the BN254 scalar field.
 */
import { ZkmlError } from "../core/errors";
import { Shape, windowPlan, WindowPlan } from "./window";

export const IR_FORMAT = "zkml-ir/1";
/** Widest bit decomposition allowed: far below the 254-bit BN254 scalar field, so decompositions are unique. */
export const MAX_BITS = 240;

export type QOp =
  | { op: "dense"; inSize: number; units: number; weights: bigint[]; bias: bigint[] }
  | {
      op: "conv2d";
      filters: number;
      kernel: [number, number];
      stride: [number, number];
      padding: [number, number];
      /** G, absent 1: filters and input channels split into G groups, each filter reading its group's channels */
      groups?: number;
      weights: bigint[]; // [f][c / G][ky][kx]
      bias: bigint[];
    }
  /** padding: zero rows and columns on each side (absent: none), each below the pool; exclusive: count_include_pad = 0 */
  | { op: "sumpool2d"; pool: [number, number]; stride: [number, number]; padding?: [number, number]; exclusive?: boolean }
  /** bits: the width R of its comparisons; the circuit needs every difference of two inputs below 2^(R-1); padding as sumpool2d's */
  | { op: "maxpool2d"; pool: [number, number]; stride: [number, number]; padding?: [number, number]; bits: number }
  /** clamp: saturate the result to A bits (absent: no saturation). The quantizer sets it where the worst case
   * would otherwise outgrow the activation width, which keeps deep networks' ranges from growing layer by layer. */
  | { op: "requant"; shift: number; relu: boolean; bits: number; clamp?: number }
  | { op: "flatten" }
  /** from: a trace index (0 the input, j + 1 the output of ops[j]), a tensor the circuit holds as signals */
  | { op: "add"; from: number; mul: number; fromMul: number }
  /** y = x * t, t the tensor `from` (a trace index, as add's) */
  | { op: "mul"; from: number }
  /** lo, hi: the bounds (at least one); bits: the width R of its comparisons, every difference of x, lo, hi below 2^(R-1) */
  | { op: "clip"; lo?: bigint; hi?: bigint; bits: number }
  /** alpha: the negative slope times 2^shift (an integer); bits: the signed width K of x's sign decomposition */
  | { op: "leakyrelu"; alpha: bigint; shift: number; bits: number }
  /** index: per output value, the position it reads, -1 for a zero (absent: the identity, a reshape); from: a trace index to read instead of the running tensor */
  | { op: "gather"; shape: Shape; index?: number[]; from?: number }
  /** from: a trace index (as add's); fromFirst: its values come first */
  | { op: "concat"; from: number; fromFirst: boolean; mul: number; fromMul: number }
  /** y = T[x - lo] (tableValues): an activation by table lookup over x in [lo, lo + 2^bits); inStep and outStep the real
   * values of a unit of x and of y */
  | { op: "table"; fn: TableFn; inStep: number; outStep: number; lo: bigint; bits: number };

/** The activations a table op computes. */
export const TABLE_FNS = ["sigmoid", "tanh", "exp", "erf", "gelu", "gelu_tanh"] as const;
export type TableFn = (typeof TABLE_FNS)[number];
/** The widest table: 2^12 entries (the circuit's multiplexer costs about 2^(bits-1) constraints a value). */
export const MAX_TABLE_BITS = 12;

/** erf to about 1e-15: its Maclaurin series below 3, its continued fraction above (1 past 6 in float64). */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x === 0) return 0;
  if (x < 3) {
    // 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x, sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 6) return 1;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated from the tail
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return 1 - Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** The float function of a table's fn, the one definition every table is computed from. */
export function tableFloat(fn: TableFn, x: number): number {
  switch (fn) {
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "tanh":
      return Math.tanh(x);
    case "exp":
      return Math.exp(x);
    case "erf":
      return erf(x);
    case "gelu":
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case "gelu_tanh":
      return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    default: {
      const never: never = fn;
      throw new Error(`unknown table function ${never}`);
    }
  }
}

const tableCache = new WeakMap<object, bigint[]>();
/** A table op's 2^bits entries, T[j] = round(f((lo + j) inStep) / outStep) (Math.round: halves up), once per op object. */
export function tableValues(op: Extract<QOp, { op: "table" }>): bigint[] {
  let t = tableCache.get(op);
  if (!t) {
    t = [];
    for (let j = 0; j < 2 ** op.bits; j++) {
      const v = Math.round(tableFloat(op.fn, Number(op.lo + BigInt(j)) * op.inStep) / op.outStep);
      if (!Number.isSafeInteger(v)) throw new ZkmlError("IR_INVALID", `table ${op.fn}: entry ${j} (input ${op.lo + BigInt(j)}) is ${v} units of ${op.outStep}, past 2^53`, { hint: "use a coarser output step, or a Clip before the op" });
      t.push(BigInt(v));
    }
    tableCache.set(op, t);
  }
  return t;
}

/** A table's input interval [lo, lo + 2^bits) covering every value of `x`: lo the least, bits the fewest (at least 2). */
export function tableDomain(x: Interval[]): { lo: bigint; hi: bigint; bits: number } {
  let lo = x[0][0], hi = x[0][1];
  for (const [l, h] of x) {
    if (l < lo) lo = l;
    if (h > hi) hi = h;
  }
  let bits = 2;
  while ((1n << BigInt(bits)) <= hi - lo) bits++;
  return { lo, hi, bits };
}

/** y = T[x - lo]: refuses an x outside the table. */
export function tableValue(op: Extract<QOp, { op: "table" }>, v: bigint): bigint {
  const j = v - op.lo;
  if (j < 0n || j >= 1n << BigInt(op.bits)) throw new ZkmlError("IR_INVALID", `table ${op.fn}: input ${v} outside its domain [${op.lo}, ${op.lo + (1n << BigInt(op.bits)) - 1n}]`, { hint: "the bound analysis is wrong; report this" });
  return tableValues(op)[Number(j)];
}

/**
 * The table's multiplexer tree over x - lo's bits b_0 (least significant) .. b_(bits-1): the leaves are T's entries; a node
 * at level l (l = 1 .. bits) selects between its two children by b_(l-1). A node whose children are equal constants is
 * that constant, one whose children are two constants is linear in its bit (c0 + b (c1 - c0)): neither costs a
 * constraint; every other node is one product constraint, b (m1 - m0) = m - m0. `tableProducts` counts them.
 */
export type MuxNode = { kind: "const"; c: bigint } | { kind: "lin"; c0: bigint; c1: bigint; bit: number } | { kind: "mul"; bit: number; lo: MuxNode; hi: MuxNode };

const muxCache = new WeakMap<object, MuxNode>();
export function tableMux(op: Extract<QOp, { op: "table" }>): MuxNode {
  let root = muxCache.get(op);
  if (!root) {
    let level: MuxNode[] = tableValues(op).map((c) => ({ kind: "const", c }));
    for (let bit = 0; bit < op.bits; bit++) {
      const up: MuxNode[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const [a, b] = [level[i], level[i + 1]];
        if (a.kind === "const" && b.kind === "const") up.push(a.c === b.c ? a : { kind: "lin", c0: a.c, c1: b.c, bit });
        else if (a.kind === "lin" && b.kind === "lin" && a.c0 === b.c0 && a.c1 === b.c1) up.push(a);
        else up.push({ kind: "mul", bit, lo: a, hi: b });
      }
      level = up;
    }
    root = level[0];
    muxCache.set(op, root);
  }
  return root;
}

/** The product constraints of a table's multiplexer tree (at most 2^(bits-1) - 1). */
export function tableProducts(op: Extract<QOp, { op: "table" }>): number {
  const count = (m: MuxNode): number => (m.kind === "mul" ? 1 + count(m.lo) + count(m.hi) : 0);
  return count(tableMux(op));
}

export interface QModel {
  format: typeof IR_FORMAT;
  name: string;
  input: { shape: Shape; min: bigint; bits: number; step: number; range: [number, number] };
  ops: QOp[];
  /** Real value of one unit of the output. */
  output: { step: number };
}

const size = (s: Shape) => s.reduce((a, b) => a * b, 1);

/** The shape of ops[k]'s output from its input's; `shapes` (the trace's shapes so far) for an op that reads an earlier tensor. */
export function opOutputShape(op: QOp, shape: Shape, shapes: Shape[] = []): Shape {
  switch (op.op) {
    case "gather":
      return op.shape;
    case "concat": {
      const t = shapes[op.from];
      if (!t) throw new Error(`concat reads tensor ${op.from}, whose shape is not known here`);
      return concatShape(op.fromFirst ? t : shape, op.fromFirst ? shape : t);
    }
    case "dense":
      return [op.units];
    case "conv2d":
    case "sumpool2d":
    case "maxpool2d": {
      const [c, h, w] = shape;
      const [kh, kw] = op.op === "conv2d" ? op.kernel : op.pool;
      const [ph, pw] = windowPadding(op);
      const oh = Math.floor((h + 2 * ph - kh) / op.stride[0]) + 1;
      const ow = Math.floor((w + 2 * pw - kw) / op.stride[1]) + 1;
      return [op.op === "conv2d" ? op.filters : c, oh, ow];
    }
    case "requant":
    case "add":
    case "mul":
    case "clip":
    case "leakyrelu":
    case "table":
      return shape;
    case "flatten":
      return [size(shape)];
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** Two tensors' values joined: [a0 + b0, ...rest] when they agree past the first axis, else flat. */
export function concatShape(a: Shape, b: Shape): Shape {
  if (a.length === b.length && a.slice(1).every((d, i) => d === b[i + 1])) return [a[0] + b[0], ...a.slice(1)];
  return [size(a) + size(b)];
}

/** A concat's two sides in output order, each with its multiplier: [first, second]. */
export function concatSides<T>(op: Extract<QOp, { op: "concat" }>, x: T[], t: T[]): [T[], number, T[], number] {
  return op.fromFirst ? [t, op.fromMul, x, op.mul] : [x, op.mul, t, op.fromMul];
}

type WindowOp = Extract<QOp, { op: "conv2d" | "sumpool2d" | "maxpool2d" }>;

/** A window op's zero padding on each side: a conv's, or a pool's (none when absent). */
export const windowPadding = (op: WindowOp): [number, number] => (op.op === "conv2d" ? op.padding : (op.padding ?? [0, 0]));

export function opPlan(op: WindowOp, inShape: Shape): WindowPlan {
  const out = opOutputShape(op, inShape);
  return op.op === "conv2d"
    ? windowPlan(inShape, out, op.kernel, op.stride, op.padding, true, op.groups ?? 1)
    : windowPlan(inShape, out, op.pool, op.stride, windowPadding(op), false);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A sum pool's integer multiplier of each output and the divisor its step carries: with `exclusive` (count_include_pad
 * = 0) L / n for an output of n in-bounds taps and L, the least common multiple of every output's n (so every output is
 * its average times L, exact); else 1 for every output and the window's area (count_include_pad = 1: padded taps count
 * as zeros).
 */
export function sumPoolScale(op: Extract<QOp, { op: "sumpool2d" }>, inShape: Shape): { mul: number[]; divisor: number } {
  const p = opPlan(op, inShape);
  const counts = Array.from(p.count);
  if (!op.exclusive) return { mul: counts.map(() => 1), divisor: op.pool[0] * op.pool[1] };
  const divisor = counts.reduce((l, c) => (l / gcd(l, c)) * c, 1);
  return { mul: counts.map((c) => divisor / c), divisor };
}

/**
 * The largest admissible quantized input: the top of the declared real range, rounded as quantizeInput rounds,
 * within the input's B bits. Below min + 2^B - 1 when the range does not fill the bits (the circuit then checks
 * top - x in B bits too, so a verifier who sees only a commitment knows the input was in the declared range).
 */
/** The largest value the input's B bits admit: min + 2^B - 1 (the bits' range, before the declared one). */
export const inputBitsTop = (q: Pick<QModel, "input">): bigint => q.input.min + (1n << BigInt(q.input.bits)) - 1n;

export function inputTop(q: Pick<QModel, "input">): bigint {
  const full = inputBitsTop(q);
  const top = BigInt(Math.round(q.input.range[1] / q.input.step));
  return top < full ? top : full;
}

/**
 * How the circuit enforces x <= inputTop(q) beyond x - min's B bits: "none" when the declared range fills the bits;
 * "half" when top - min = 2^(B-1) (the usual case: a range like [0, 1] or [-1, 1] whose 2^(B-1) + 1 codes need
 * B bits), by one constraint b_{B-1} * (b_0 + 2 b_1 + ... + 2^(B-2) b_{B-2}) = 0; "bits" otherwise, by B bits of
 * top - x.
 */
export function inputTopCheck(q: Pick<QModel, "input">): "none" | "half" | "bits" {
  const span = inputTop(q) - q.input.min;
  if (inputTop(q) === inputBitsTop(q)) return "none";
  return span === 1n << BigInt(q.input.bits - 1) ? "half" : "bits";
}

/** Shapes of every tensor: shapes[0] is the input, shapes[i+1] the output of ops[i]. */
export function irShapes(q: Pick<QModel, "input" | "ops">): Shape[] {
  const shapes = [q.input.shape];
  for (const op of q.ops) shapes.push(opOutputShape(op, shapes[shapes.length - 1], shapes));
  return shapes;
}

/** Apply one linear or pooling op to integer-like values (bigint or interval endpoints via `mac`). */
function applyLinear<T>(op: QOp, inShape: Shape, x: T[], zero: T, mac: (acc: T, w: bigint, v: T, i: number) => T, addConst: (acc: T, b: bigint) => T): T[] {
  switch (op.op) {
    case "dense": {
      const out: T[] = new Array(op.units);
      for (let o = 0; o < op.units; o++) {
        let acc = addConst(zero, op.bias[o]);
        for (let i = 0; i < op.inSize; i++) acc = mac(acc, op.weights[o * op.inSize + i], x[i], i);
        out[o] = acc;
      }
      return out;
    }
    case "conv2d":
    case "sumpool2d": {
      const p = opPlan(op, inShape);
      const n = size(p.outShape);
      const out: T[] = new Array(n);
      const per = op.op === "conv2d" ? op.weights.length / op.filters : 0;
      const pm = op.op === "sumpool2d" ? sumPoolScale(op, inShape).mul.map(BigInt) : [];
      for (let o = 0; o < n; o++) {
        const f = p.channel[o];
        let acc = op.op === "conv2d" ? addConst(zero, op.bias[f]) : zero;
        for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) {
          const w = op.op === "conv2d" ? op.weights[f * per + p.weight[t]] : pm[o];
          acc = mac(acc, w, x[p.input[t]], p.input[t]);
        }
        out[o] = acc;
      }
      return out;
    }
    default:
      throw new Error(`not a linear op: ${op.op}`);
  }
}

/** The max of every window's in-bounds taps (a padded position never wins; every window has one, padding below the pool). */
function windowMax<T>(op: Extract<QOp, { op: "maxpool2d" }>, inShape: Shape, x: T[], max: (a: T, b: T) => T): T[] {
  const p = opPlan(op, inShape);
  const out: T[] = new Array(size(p.outShape));
  for (let o = 0; o < out.length; o++) {
    let m = x[p.input[o * p.taps]];
    for (let t = o * p.taps + 1, e = o * p.taps + p.count[o]; t < e; t++) m = max(m, x[p.input[t]]);
    out[o] = m;
  }
  return out;
}

export function floorDiv(a: bigint, shift: number): bigint {
  return a >> BigInt(shift); // arithmetic shift is floor division by 2^shift for negative a too
}

export function requantValue(x: bigint, shift: number, relu: boolean, clamp?: number): bigint {
  const y = floorDiv(x, shift);
  if (relu && y < 0n) return 0n;
  if (clamp === undefined) return y;
  const [lo, hi] = clampRange(relu, clamp);
  return y > hi ? hi : y < lo ? lo : y;
}

/** The range a clamped requant saturates to: [0, 2^A - 1] after ReLU, [-2^(A-1), 2^(A-1) - 1] signed. */
export function clampRange(relu: boolean, clamp: number): Interval {
  return relu ? [0n, (1n << BigInt(clamp)) - 1n] : [-(1n << BigInt(clamp - 1)), (1n << BigInt(clamp - 1)) - 1n];
}

/**
 * How many of a requant's K bits lie above its clamp's range (the bits whose values decide saturation): bits
 * S+A .. K-2 after ReLU, S+A-1 .. K-2 signed. Zero when there is no clamp or it can never act (the circuit
 * then omits it, and runIR's clamp is a no-op because every input fits K bits).
 */
export function clampHighBits(op: Extract<QOp, { op: "requant" }>): number {
  if (op.clamp === undefined) return 0;
  return Math.max(0, op.relu ? op.bits - 1 - op.shift - op.clamp : op.bits - op.shift - op.clamp);
}

export interface IRRun {
  output: bigint[];
  /** Every tensor: trace[0] the input, trace[i+1] the output of ops[i]. */
  trace: bigint[][];
}

/** The reference interpreter. Throws IR_INVALID if a range the circuit enforces is violated. */
export function runIR(q: QModel, input: readonly bigint[]): IRRun {
  const shapes = irShapes(q);
  if (input.length !== size(q.input.shape))
    throw new ZkmlError("INPUT_INVALID", `input: expected ${size(q.input.shape)} values (shape ${q.input.shape.join("x")}), got ${input.length}`);
  const top = inputTop(q);
  input.forEach((v, i) => {
    if (v < q.input.min || v > top)
      throw new ZkmlError("INPUT_OUT_OF_RANGE", `input[${i}]: quantized value ${v} is outside [${q.input.min}, ${top}] (the declared range ${q.input.range.join(" to ")})`);
  });
  let x = input.slice();
  const trace = [x];
  q.ops.forEach((op, k) => {
    switch (op.op) {
      case "dense":
      case "conv2d":
      case "sumpool2d":
        // exact in float64 when every partial sum stays below 2^50 (its own check), else in bigint
        x = linearBoundsFloat(op, shapes[k], x.map((v): Interval => [v, v]))?.map(([v]) => v) ?? applyLinear(op, shapes[k], x, 0n, (acc, w, v) => acc + w * v, (acc, b) => acc + b);
        break;
      case "requant": {
        const lim = 1n << BigInt(op.bits - 1);
        x = x.map((v, i) => {
          if (v < -lim || v >= lim) throw new ZkmlError("IR_INVALID", `ops[${k}] requant: value ${v} at [${i}] does not fit ${op.bits} signed bits`, { hint: "the bound analysis is wrong; report this" });
          return requantValue(v, op.shift, op.relu, op.clamp);
        });
        break;
      }
      case "maxpool2d": {
        const lim = 1n << BigInt(op.bits - 1);
        x = windowMax(op, shapes[k], x, (a, b) => {
          if (b - a >= lim || a - b >= lim) throw new ZkmlError("IR_INVALID", `ops[${k}] maxpool2d: values ${a} and ${b} differ by 2^${op.bits - 1} or more`, { hint: "the bound analysis is wrong; report this" });
          return b > a ? b : a;
        });
        break;
      }
      case "flatten":
        break;
      case "add": {
        const t = trace[op.from], m = BigInt(op.mul), fm = BigInt(op.fromMul);
        x = x.map((v, i) => m * v + fm * t[i]);
        break;
      }
      case "mul": {
        const t = trace[op.from];
        x = x.map((v, i) => v * t[i]);
        break;
      }
      case "clip": {
        const lim = 1n << BigInt(op.bits - 1);
        x = x.map((v, i) => {
          for (const c of [op.lo, op.hi])
            if (c !== undefined && (v - c >= lim || c - v >= lim)) throw new ZkmlError("IR_INVALID", `ops[${k}] clip: value ${v} at [${i}] and bound ${c} differ by 2^${op.bits - 1} or more`, { hint: "the bound analysis is wrong; report this" });
          return clipValue(v, op);
        });
        break;
      }
      case "leakyrelu": {
        const lim = 1n << BigInt(op.bits - 1);
        x = x.map((v, i) => {
          if (v < -lim || v >= lim) throw new ZkmlError("IR_INVALID", `ops[${k}] leakyrelu: value ${v} at [${i}] does not fit ${op.bits} signed bits`, { hint: "the bound analysis is wrong; report this" });
          return leakyValue(v, op);
        });
        break;
      }
      case "gather":
        x = gatherValues(op, x, trace, 0n);
        break;
      case "concat":
        x = concatValues(op, x, trace[op.from], (v, m) => BigInt(m) * v);
        break;
      case "table":
        x = x.map((v) => tableValue(op, v));
        break;
    }
    trace.push(x);
  });
  return { output: x, trace };
}

export type Interval = [bigint, bigint];

/** gather's values: the source (the running tensor, or the tensor `from`) re-indexed, `zero` where the index is -1. */
export function gatherValues<T>(op: Extract<QOp, { op: "gather" }>, x: T[], trace: T[][], zero: T): T[] {
  const s = op.from === undefined ? x : trace[op.from];
  return op.index ? op.index.map((j) => (j === -1 ? zero : s[j])) : s.slice();
}

/** concat's values: the two sides, each times its multiplier, joined in output order. */
export function concatValues<T>(op: Extract<QOp, { op: "concat" }>, x: T[], t: T[], times: (v: T, m: number) => T): T[] {
  const [a, ma, b, mb] = concatSides(op, x, t);
  return [...a.map((v) => times(v, ma)), ...b.map((v) => times(v, mb))];
}

/** clip's value: max with lo, then min with hi (each when present). */
export function clipValue(v: bigint, op: Extract<QOp, { op: "clip" }>): bigint {
  if (op.lo !== undefined && v < op.lo) v = op.lo;
  if (op.hi !== undefined && v > op.hi) v = op.hi;
  return v;
}

/** leakyrelu's value: x * 2^shift for x >= 0, alpha * x below. */
export function leakyValue(v: bigint, op: Extract<QOp, { op: "leakyrelu" }>): bigint {
  return v >= 0n ? v << BigInt(op.shift) : op.alpha * v;
}

/** leakyrelu's output bounds: piecewise linear with its kink at 0, so the extremes are at l, h or 0. */
export function leakyBounds(op: Extract<QOp, { op: "leakyrelu" }>, [l, h]: Interval): Interval {
  const vs = [leakyValue(l, op), leakyValue(h, op), ...(l < 0n && h > 0n ? [0n] : [])];
  return [vs.reduce((a, b) => (b < a ? b : a)), vs.reduce((a, b) => (b > a ? b : a))];
}

/** The comparison width of a clip over inputs in `x`: every difference of an input and a bound below 2^(R-1). */
export function clipBitsFor(op: Extract<QOp, { op: "clip" }>, x: Interval[]): number {
  const cs = [op.lo, op.hi].filter((c): c is bigint => c !== undefined).map((c): Interval => [c, c]);
  return differenceBitsFor([...x, ...cs]);
}

/** c times an interval: its ends, swapped when c is negative. */
const scaleInterval = ([l, h]: Interval, c: bigint): Interval => (c >= 0n ? [c * l, c * h] : [c * h, c * l]);

/** An add's output bounds from its inputs' (each side scaled by its multiplier, a negative one swapping its ends; then summed). */
export function addBounds(op: Extract<QOp, { op: "add" }>, x: Interval[], t: Interval[]): Interval[] {
  const m = BigInt(op.mul), fm = BigInt(op.fromMul);
  return x.map((xi, i) => {
    const a = scaleInterval(xi, m), b = scaleInterval(t[i], fm);
    return [a[0] + b[0], a[1] + b[1]];
  });
}

/** A product's bounds: the least and the greatest of the four products of the ends (exact for intervals). */
export function mulBounds(x: Interval[], t: Interval[]): Interval[] {
  return x.map(([l, h], i) => {
    const [tl, th] = t[i];
    const ps = [l * tl, l * th, h * tl, h * th];
    return [ps.reduce((a, b) => (b < a ? b : a)), ps.reduce((a, b) => (b > a ? b : a))];
  });
}

/** A linear op's weights and biases as float64 with their largest magnitudes, converted once per op object. */
const floatCache = new WeakMap<object, { weights: Float64Array; bias: Float64Array; wMax: number; bMax: number }>();
function floatParams(op: Extract<QOp, { op: "dense" | "conv2d" | "sumpool2d" }>): { weights: Float64Array; bias: Float64Array; wMax: number; bMax: number } {
  let p = floatCache.get(op);
  if (!p) {
    const weights = op.op === "sumpool2d" ? new Float64Array(0) : Float64Array.from(op.weights, Number);
    const bias = op.op === "sumpool2d" ? new Float64Array(0) : Float64Array.from(op.bias, Number);
    p = { weights, bias, wMax: op.op === "sumpool2d" ? 1 : weights.reduce((m, w) => Math.max(m, Math.abs(w)), 0), bMax: bias.reduce((m, b) => Math.max(m, Math.abs(b)), 0) };
    floatCache.set(op, p);
  }
  return p;
}

/** Below this every partial sum of a linear op's bounds is an integer a float64 holds exactly (2^53), with room. */
const EXACT_IN_FLOAT = 2 ** 50;

/**
 * A dense, conv or sum pool op's output bounds in float64 when every partial sum provably stays below 2^50 (so the
 * arithmetic is exact integer arithmetic), else undefined (the caller takes the bigint path). The same sums as
 * the bigint path, in the same terms: a positive weight takes the input's low bound into the low sum, a negative
 * one its high bound. Deep CNNs' bounds are many times faster this way (worldcoin-proxy: 167M multiply-adds a pass).
 */
function linearBoundsFloat(op: Extract<QOp, { op: "dense" | "conv2d" | "sumpool2d" }>, inShape: Shape, x: Interval[]): Interval[] | undefined {
  const lo = new Float64Array(x.length);
  const hi = new Float64Array(x.length);
  let xMax = 0;
  for (let i = 0; i < x.length; i++) {
    lo[i] = Number(x[i][0]);
    hi[i] = Number(x[i][1]);
    xMax = Math.max(xMax, Math.abs(lo[i]), Math.abs(hi[i]));
  }
  const { weights, bias, bMax } = floatParams(op);
  const pm = op.op === "sumpool2d" ? sumPoolScale(op, inShape).mul : [];
  const wMax = op.op === "sumpool2d" ? pm.reduce((m, v) => Math.max(m, v), 0) : floatParams(op).wMax;
  const fanIn = op.op === "dense" ? op.inSize : opPlan(op, inShape).taps;
  if (xMax >= EXACT_IN_FLOAT || bMax + fanIn * wMax * xMax >= EXACT_IN_FLOAT) return undefined;
  const outLo: number[] = [];
  const outHi: number[] = [];
  const term = (w: number, i: number, acc: [number, number]) => {
    if (w >= 0) {
      acc[0] += w * lo[i];
      acc[1] += w * hi[i];
    } else {
      acc[0] += w * hi[i];
      acc[1] += w * lo[i];
    }
  };
  if (op.op === "dense") {
    for (let o = 0; o < op.units; o++) {
      const acc: [number, number] = [bias[o], bias[o]];
      for (let i = 0, base = o * op.inSize; i < op.inSize; i++) term(weights[base + i], i, acc);
      outLo.push(acc[0]);
      outHi.push(acc[1]);
    }
  } else {
    const p = opPlan(op, inShape);
    const per = op.op === "conv2d" ? op.weights.length / op.filters : 0;
    for (let o = 0, n = size(p.outShape); o < n; o++) {
      const f = p.channel[o];
      const b = op.op === "conv2d" ? bias[f] : 0;
      const acc: [number, number] = [b, b];
      for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) term(op.op === "conv2d" ? weights[f * per + p.weight[t]] : pm[o], p.input[t], acc);
      outLo.push(acc[0]);
      outHi.push(acc[1]);
    }
  }
  return outLo.map((l, i) => [BigInt(l), BigInt(outHi[i])]);
}

/** Worst-case interval of every element of every tensor, over all inputs the circuit admits. `exact` keeps every
 * sum in bigint (the float64 path is exact by its own bound check; the tests compare the two). */
export function analyzeBounds(q: Pick<QModel, "input" | "ops">, opts: { exact?: boolean } = {}): Interval[][] {
  const shapes = irShapes(q);
  const lo0 = q.input.min, hi0 = inputBitsTop(q);
  let x: Interval[] = new Array(size(q.input.shape)).fill([lo0, hi0]);
  const all = [x];
  q.ops.forEach((op, k) => {
    switch (op.op) {
      case "dense":
      case "conv2d":
      case "sumpool2d":
        x =
          (opts.exact ? undefined : linearBoundsFloat(op, shapes[k], x)) ??
          applyLinear<Interval>(
          op,
          shapes[k],
          x,
          [0n, 0n],
          (acc, w, v) => (w >= 0n ? [acc[0] + w * v[0], acc[1] + w * v[1]] : [acc[0] + w * v[1], acc[1] + w * v[0]]),
          (acc, b) => [acc[0] + b, acc[1] + b],
        );
        break;
      case "requant":
        x = x.map(([l, h]) => [requantValue(l, op.shift, op.relu, op.clamp), requantValue(h, op.shift, op.relu, op.clamp)]);
        break;
      case "maxpool2d":
        // max is monotone in each argument: the bounds of the max are the max of the bounds
        x = windowMax<Interval>(op, shapes[k], x, (a, b) => [b[0] > a[0] ? b[0] : a[0], b[1] > a[1] ? b[1] : a[1]]);
        break;
      case "flatten":
        break;
      case "add":
        x = addBounds(op, x, all[op.from]);
        break;
      case "mul":
        x = mulBounds(x, all[op.from]);
        break;
      case "clip":
        // monotone: the bounds of the clip are the clipped bounds
        x = x.map(([l, h]) => [clipValue(l, op), clipValue(h, op)]);
        break;
      case "leakyrelu":
        x = x.map((i) => leakyBounds(op, i));
        break;
      case "gather":
        x = gatherValues(op, x, all, [0n, 0n]);
        break;
      case "concat":
        x = concatValues(op, x, all[op.from], ([l, h], m) => [BigInt(m) * l, BigInt(m) * h]);
        break;
      case "table":
        x = tableBounds(op, x);
        break;
    }
    all.push(x);
  });
  return all;
}

/** A table's output bounds: the least and the greatest entry its input's interval reaches (the whole table when the
 * interval leaves it: validateIR refuses that). */
export function tableBounds(op: Extract<QOp, { op: "table" }>, x: Interval[]): Interval[] {
  const t = tableValues(op);
  const top = BigInt(t.length - 1);
  return x.map(([l, h]) => {
    let a = l - op.lo, b = h - op.lo;
    if (a < 0n || b > top) [a, b] = [0n, top];
    let mn = t[Number(a)], mx = mn;
    for (let j = Number(a) + 1; j <= Number(b); j++) {
      if (t[j] < mn) mn = t[j];
      if (t[j] > mx) mx = t[j];
    }
    return [mn, mx];
  });
}

/** Smallest b such that every value in the intervals lies in [-2^(b-1), 2^(b-1)). */
export function signedBitsFor(intervals: Interval[]): number {
  let b = 1;
  for (const [l, h] of intervals) {
    while (l < -(1n << BigInt(b - 1)) || h >= 1n << BigInt(b - 1)) b++;
  }
  return b;
}

/** Smallest R with every difference of two values in the intervals below 2^(R-1): a max-pool's comparison width. */
export function differenceBitsFor(intervals: Interval[]): number {
  let lo = intervals[0][0], hi = intervals[0][1];
  for (const [l, h] of intervals) {
    if (l < lo) lo = l;
    if (h > hi) hi = h;
  }
  let r = 2;
  while (1n << BigInt(r - 1) <= hi - lo) r++;
  return r;
}

/**
 * Set every requant's `bits` to the narrowest width its worst-case input needs (and at least shift + 1), drop
 * every clamp that can never act (its worst-case input already fits the clamp's range), and set every
 * max-pool's comparison width to what its input's spread needs.
 */
export function assignRequantBits(q: QModel): QModel {
  // A table's output bounds depend on its domain: each table's domain set in turn, the analysis run again after it
  for (let k = q.ops.findIndex((o) => o.op === "table"); k >= 0; k = q.ops.findIndex((o, j) => j > k && o.op === "table")) {
    const op = q.ops[k] as Extract<QOp, { op: "table" }>;
    const d = tableDomain(analyzeBounds({ input: q.input, ops: q.ops.slice(0, k) }).pop()!);
    if (d.bits > MAX_TABLE_BITS) throw tableTooWide(`ops[${k}] table ${op.fn}`, d);
    if (op.lo !== d.lo || op.bits !== d.bits) q = { ...q, ops: q.ops.map((o, j) => (j === k ? { ...op, lo: d.lo, bits: d.bits } : o)) };
  }
  // Any other op's output interval does not depend on its own width, so one pass of the analysis serves all.
  const bounds = analyzeBounds(q);
  const ops = q.ops.map((op, k) => {
    if (op.op === "maxpool2d") {
      const bits = differenceBitsFor(bounds[k]);
      if (bits > MAX_BITS) throw new ZkmlError("QUANTIZE_FAILED", `ops[${k}] maxpool2d needs ${bits}-bit comparisons, more than ${MAX_BITS}`, { hint: "use fewer weight or activation bits" });
      return { ...op, bits };
    }
    if (op.op === "clip" || op.op === "leakyrelu") {
      const bits = op.op === "clip" ? clipBitsFor(op, bounds[k]) : signedBitsFor(bounds[k]);
      if (bits > MAX_BITS) throw new ZkmlError("QUANTIZE_FAILED", `ops[${k}] ${op.op} needs ${bits}-bit comparisons, more than ${MAX_BITS}`, { hint: "use fewer weight or activation bits" });
      return { ...op, bits };
    }
    if (op.op !== "requant") return op;
    const bits = Math.max(signedBitsFor(bounds[k]), op.shift + 1);
    if (bits > MAX_BITS)
      throw new ZkmlError("QUANTIZE_FAILED", `ops[${k}] requant needs ${bits} bits, more than ${MAX_BITS}`, {
        hint: op.clamp === undefined ? "quantize with saturation (--saturate on), or use fewer weight or activation bits" : "use fewer weight or activation bits",
      });
    const { clamp, ...plain } = op;
    if (clamp === undefined) return { ...plain, bits };
    const [lo, hi] = clampRange(op.relu, clamp);
    const acts = bounds[k].some(([l, h]) => requantValue(l, op.shift, op.relu) < lo || requantValue(h, op.shift, op.relu) > hi);
    return acts ? { ...plain, bits, clamp } : { ...plain, bits };
  });
  return { ...q, ops };
}

/** The refusal of a table whose input spans more than 2^MAX_TABLE_BITS values, naming what and how to narrow it. */
export function tableTooWide(what: string, d: { lo: bigint; hi: bigint }): ZkmlError {
  const n = d.hi - d.lo + 1n;
  return new ZkmlError("QUANTIZE_FAILED", `${what}: its input ranges over [${d.lo}, ${d.hi}] in the worst case, ${n} values, more than a table of 2^${MAX_TABLE_BITS} = ${2 ** MAX_TABLE_BITS} entries`, {
    hint: "quantize with fewer bits (--scale-bits 8 to 12), or bound the input with a Clip before the activation (torch.clamp), so its range fits 4096 values",
  });
}

/** An op reading the earlier tensor `from` (add, mul, gather, concat): a trace index before it, and not a sum fused into its requant. */
function readsEarlier(q: QModel, k: number, from: number, p: string): void {
  if (!Number.isInteger(from) || from < 0 || from > k) irFail(`${p}.from`, `expected a trace index 0..${k} (an earlier tensor), got ${from}`);
  // a dense or conv sum followed by its requant is fused in both circuits: it has no signals to read
  const before = q.ops[from - 1], at = q.ops[from];
  if (before && (before.op === "dense" || before.op === "conv2d") && at?.op === "requant") irFail(`${p}.from`, `tensor ${from} is ops[${from - 1}]'s sum, fused into its requant: read the requant's output (${from + 1})`);
}

function irFail(path: string, msg: string): never {
  throw new ZkmlError("IR_INVALID", `${path}: ${msg}`);
}

/** The spec check: shapes, weight counts, and that every range the circuit enforces holds for every input. */
export function validateIR(q: QModel): void {
  if (q.format !== IR_FORMAT) irFail("format", `expected ${IR_FORMAT}, got ${q.format}`);
  if (!Number.isInteger(q.input.bits) || q.input.bits < 1 || q.input.bits > 64) irFail("input.bits", `expected 1..64, got ${q.input.bits}`);
  let shape = q.input.shape;
  const shapes = [shape];
  q.ops.forEach((op, k) => {
    const p = `ops[${k}]`;
    switch (op.op) {
      case "dense":
        if (shape.length !== 1 || shape[0] !== op.inSize) irFail(p, `dense expects input [${op.inSize}], got [${shape.join(",")}]`);
        if (op.weights.length !== op.units * op.inSize) irFail(`${p}.weights`, `expected ${op.units}x${op.inSize}, got ${op.weights.length} values`);
        if (op.bias.length !== op.units) irFail(`${p}.bias`, `expected ${op.units}, got ${op.bias.length}`);
        break;
      case "conv2d": {
        if (shape.length !== 3) irFail(p, `conv2d expects [C,H,W], got [${shape.join(",")}]`);
        const g = op.groups ?? 1;
        if (!Number.isInteger(g) || g < 1 || shape[0] % g !== 0 || op.filters % g !== 0) irFail(`${p}.groups`, `expected a positive integer dividing the ${shape[0]} input channels and the ${op.filters} filters, got ${op.groups}`);
        if (op.weights.length !== op.filters * (shape[0] / g) * op.kernel[0] * op.kernel[1])
          irFail(`${p}.weights`, `expected ${op.filters}x${shape[0] / g}x${op.kernel[0]}x${op.kernel[1]}, got ${op.weights.length} values`);
        if (op.bias.length !== op.filters) irFail(`${p}.bias`, `expected ${op.filters}, got ${op.bias.length}`);
        break;
      }
      case "sumpool2d":
      case "maxpool2d": {
        if (shape.length !== 3) irFail(p, `${op.op} expects [C,H,W], got [${shape.join(",")}]`);
        const pad = windowPadding(op);
        if (!Array.isArray(pad) || pad.length !== 2 || pad.some((v, i) => !Number.isInteger(v) || v < 0 || v >= op.pool[i])) irFail(`${p}.padding`, `expected two integers each below the pool ${op.pool.join("x")}, got ${JSON.stringify(op.padding)}`);
        if (op.op === "sumpool2d" && op.exclusive !== undefined && typeof op.exclusive !== "boolean") irFail(`${p}.exclusive`, `expected true, false or none, got ${JSON.stringify(op.exclusive)}`);
        break;
      }
      case "requant":
        if (!Number.isInteger(op.shift) || op.shift < 0) irFail(`${p}.shift`, `expected an integer >= 0, got ${op.shift}`);
        if (!Number.isInteger(op.bits) || op.bits < op.shift + 1 || op.bits > MAX_BITS) irFail(`${p}.bits`, `expected ${op.shift + 1}..${MAX_BITS}, got ${op.bits}`);
        if (op.clamp !== undefined && (!Number.isInteger(op.clamp) || op.clamp < 1 || op.clamp > MAX_BITS)) irFail(`${p}.clamp`, `expected an integer in 1..${MAX_BITS} or none, got ${op.clamp}`);
        break;
      case "flatten":
        break;
      case "add": {
        readsEarlier(q, k, op.from, p);
        for (const f of ["mul", "fromMul"] as const) if (!Number.isInteger(op[f]) || op[f] === 0 || Math.abs(op[f]) > 1 << 20) irFail(`${p}.${f}`, `expected a non-zero integer in -2^20..2^20, got ${op[f]}`);
        const t = shapes[op.from];
        if (t.join("x") !== shape.join("x")) irFail(p, `adds a [${t.join(",")}] tensor to a [${shape.join(",")}] one`);
        break;
      }
      case "mul": {
        readsEarlier(q, k, op.from, p);
        const t = shapes[op.from];
        if (t.join("x") !== shape.join("x")) irFail(p, `multiplies a [${shape.join(",")}] tensor by a [${t.join(",")}] one`);
        break;
      }
      case "clip":
        if (op.lo === undefined && op.hi === undefined) irFail(p, "a clip with neither bound");
        if (op.lo !== undefined && op.hi !== undefined && op.lo > op.hi) irFail(p, `lo ${op.lo} above hi ${op.hi}`);
        if (!Number.isInteger(op.bits) || op.bits < 2 || op.bits > MAX_BITS) irFail(`${p}.bits`, `expected 2..${MAX_BITS}, got ${op.bits}`);
        break;
      case "gather": {
        if (op.from !== undefined) readsEarlier(q, k, op.from, p);
        if (!Array.isArray(op.shape) || op.shape.length < 1 || op.shape.some((d) => !Number.isInteger(d) || d < 1)) irFail(`${p}.shape`, `expected positive integers, got ${JSON.stringify(op.shape)}`);
        const src = op.from === undefined ? shape : shapes[op.from];
        const n = size(src);
        if (op.index === undefined) {
          if (size(op.shape) !== n) irFail(p, `a reshape of ${n} values to [${op.shape.join(",")}]`);
        } else {
          if (op.index.length !== size(op.shape)) irFail(`${p}.index`, `expected ${size(op.shape)} positions (shape [${op.shape.join(",")}]), got ${op.index.length}`);
          op.index.forEach((j, i) => (Number.isInteger(j) && j >= -1 && j < n) || irFail(`${p}.index[${i}]`, `expected a position in 0..${n - 1} or -1 (a zero), got ${j}`));
        }
        break;
      }
      case "concat":
        readsEarlier(q, k, op.from, p);
        for (const f of ["mul", "fromMul"] as const) if (!Number.isInteger(op[f]) || op[f] < 1 || op[f] > 1 << 20) irFail(`${p}.${f}`, `expected an integer in 1..2^20, got ${op[f]}`);
        if (typeof op.fromFirst !== "boolean") irFail(`${p}.fromFirst`, `expected true or false, got ${JSON.stringify(op.fromFirst)}`);
        break;
      case "table":
        if (!(TABLE_FNS as readonly string[]).includes(op.fn)) irFail(`${p}.fn`, `expected one of ${TABLE_FNS.join(", ")}, got ${JSON.stringify(op.fn)}`);
        if (!Number.isInteger(op.bits) || op.bits < 2 || op.bits > MAX_TABLE_BITS) irFail(`${p}.bits`, `expected 2..${MAX_TABLE_BITS}, got ${op.bits}`);
        if (typeof op.lo !== "bigint" || op.lo < -(1n << 200n) || op.lo > 1n << 200n) irFail(`${p}.lo`, `expected an integer, got ${op.lo}`);
        for (const f of ["inStep", "outStep"] as const) if (typeof op[f] !== "number" || !(op[f] > 0) || !Number.isFinite(op[f])) irFail(`${p}.${f}`, `expected a positive number, got ${op[f]}`);
        tableValues(op);
        if (tableMux(op).kind !== "mul") irFail(p, `the ${op.fn} table is constant on each half of its domain: use a finer output step`);
        break;
      case "leakyrelu":
        if (!Number.isInteger(op.shift) || op.shift < 0 || op.shift > 64) irFail(`${p}.shift`, `expected an integer in 0..64, got ${op.shift}`);
        if (typeof op.alpha !== "bigint" || op.alpha < -(1n << 64n) || op.alpha > 1n << 64n) irFail(`${p}.alpha`, `expected an integer of at most 64 bits, got ${op.alpha}`);
        if (!Number.isInteger(op.bits) || op.bits < 1 || op.bits > MAX_BITS) irFail(`${p}.bits`, `expected 1..${MAX_BITS}, got ${op.bits}`);
        break;
    }
    shape = opOutputShape(op, shape, shapes);
    shapes.push(shape);
    if (shape.some((d) => !Number.isInteger(d) || d < 1)) irFail(p, `output shape [${shape.join(",")}] is empty`);
  });
  const bounds = analyzeBounds(q);
  q.ops.forEach((op, k) => {
    if (op.op === "maxpool2d") {
      const need = differenceBitsFor(bounds[k]);
      if (!Number.isInteger(op.bits) || op.bits < need || op.bits > MAX_BITS) irFail(`ops[${k}].bits`, `the input's spread needs ${need}-bit comparisons (at most ${MAX_BITS}), the op has ${op.bits}`);
      return;
    }
    if (op.op === "clip" || op.op === "leakyrelu") {
      const need = op.op === "clip" ? clipBitsFor(op, bounds[k]) : signedBitsFor(bounds[k]);
      if (need > op.bits) irFail(`ops[${k}].bits`, `worst-case input needs ${need}-bit ${op.op === "clip" ? "comparisons" : "sign decompositions"}, the op has ${op.bits}`);
      return;
    }
    if (op.op === "table") {
      const d = tableDomain(bounds[k]);
      if (d.lo < op.lo || d.hi >= op.lo + (1n << BigInt(op.bits))) irFail(`ops[${k}]`, `the ${op.fn} table covers [${op.lo}, ${op.lo + (1n << BigInt(op.bits)) - 1n}], its worst-case input [${d.lo}, ${d.hi}]`);
      return;
    }
    if (op.op !== "requant") return;
    const need = signedBitsFor(bounds[k]);
    if (need > op.bits) irFail(`ops[${k}].bits`, `worst-case input needs ${need} bits, the op checks ${op.bits}: the circuit could not prove some admissible inputs`);
  });
}

/** Real value of the output: output[i] * output.step. */
export function dequantize(q: QModel, values: readonly bigint[]): number[] {
  return values.map((v) => Number(v) * q.output.step);
}

/** Multiply-accumulates of one inference: a weight times an activation, added (dense and conv2d; pooling only adds). */
export function countMacs(q: Pick<QModel, "input" | "ops">): number {
  const shapes = irShapes(q);
  let macs = 0;
  q.ops.forEach((op, i) => {
    if (op.op === "dense") macs += op.inSize * op.units;
    else if (op.op === "conv2d") {
      const p = opPlan(op, shapes[i]);
      for (let o = 0; o < p.count.length; o++) macs += p.count[o];
    }
  });
  return macs;
}
