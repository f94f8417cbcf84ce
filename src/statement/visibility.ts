/**
 * What a proof attests: which of input, weights and output the verifier sees, and how.
 *
 *   input    public   every input value is a public signal (784 for an MNIST digit)
 *            packed   the values, each range-checked to the input's B bits, packed floor(253 / B) to a public
 *                     signal: limb_j = sum_t (x_{j*c+t} - min) * 2^(B*t). The range checks make the packing
 *                     injective (every term is below 2^B and a limb below 2^253 < r, so nothing wraps).
 *            private  the verifier learns nothing of the input
 *            hashed   one public signal: the Poseidon commitment (hashChain) of the packed limbs
 *   weights  fixed    the weights are constants of the circuit: "this public model gave this output". Costs no
 *                     constraint per multiply-accumulate (they are linear combinations).
 *            private  the weights are private inputs. One constraint per multiply-accumulate (w * x of two
 *                     signals). Nothing binds them: any weights satisfy the circuit, so the proof says only
 *                     "some model of this architecture gave this output" (paper0's statement; for comparison).
 *            hashed   private weights plus a public Poseidon commitment to them: the verifier knows the model by
 *                     its commitment. Each parameter is range-checked to its tensor's signed width (P + 1
 *                     constraints: P bits and their sum), which makes the packing into limbs injective, as
 *                     above, and keeps every accumulator within the bound analysis, so the field computation is
 *                     the integer one.
 *   output   public   every output value is a public signal
 *            label    one public signal: the index of the first largest output (the reference's argmax),
 *                     proved with a one-hot selector and bounded differences (see circom.ts ZkmlArgmax)
 *            hashed   one public signal: the Poseidon commitment of the outputs (as field elements)
 *
 * Public signal order (circom's: main's outputs, then its public inputs as declared):
 *   [output part][input part][weights commitment]
 *
 * With private or hashed weights the circuit must not depend on the weights' values (the verification key would
 * reveal them), so its requant range checks are sized for the worst case of any weights of the recorded widths
 * (privateWeightsModel), not for the actual ones; the widths (bits per weight and per bias, per layer) are the
 * only thing about the weights the circuit reveals.
 *
 * Hashing (circomlib's Poseidon over BN254, t <= 17): hashChain(v) = Poseidon(v[0..16)) for up to 16 values;
 * beyond, each further block hashes the previous result with up to 15 more values. circomlibjs computes the
 * same in TypeScript.
 */
import { ZkmlError } from "../core/errors";
import { analyzeBounds, differenceBitsFor, irShapes, Interval, MAX_BITS, QModel, QOp, requantValue, signedBitsFor } from "../ir/ir";
import { argmax } from "../model/format";
import { fieldOf } from "../snark/r1cs";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

export const INPUT_VISIBILITY = ["public", "packed", "private", "hashed"] as const;
export const WEIGHTS_VISIBILITY = ["fixed", "private", "hashed"] as const;
export const OUTPUT_VISIBILITY = ["public", "label", "hashed"] as const;
export type InputVisibility = (typeof INPUT_VISIBILITY)[number];
export type WeightsVisibility = (typeof WEIGHTS_VISIBILITY)[number];
export type OutputVisibility = (typeof OUTPUT_VISIBILITY)[number];

export interface Visibility {
  input: InputVisibility;
  weights: WeightsVisibility;
  output: OutputVisibility;
}

export const DEFAULT_VISIBILITY: Visibility = { input: "public", weights: "fixed", output: "public" };

/** Validate one option; `where` names it in the error (`--input`, `zkml.visibility.input`). */
export function parseVisibility(given: Partial<Record<keyof Visibility, unknown>>, where: (k: keyof Visibility) => string): Visibility {
  const pick = <T extends string>(k: keyof Visibility, allowed: readonly T[], dflt: T): T => {
    const v = given[k];
    if (v === undefined) return dflt;
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v))
      throw new ZkmlError("OPTION_INVALID", `${where(k)}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`, {
        hint: `e.g. ${where(k)} ${allowed[allowed.length - 1]}`,
      });
    return v as T;
  };
  return {
    input: pick("input", INPUT_VISIBILITY, DEFAULT_VISIBILITY.input),
    weights: pick("weights", WEIGHTS_VISIBILITY, DEFAULT_VISIBILITY.weights),
    output: pick("output", OUTPUT_VISIBILITY, DEFAULT_VISIBILITY.output),
  };
}

/** Largest limb: 253 bits, below BN254's r (a 254-bit prime), so a sum of in-range terms never wraps. */
export const LIMB_BITS = 253;

/** Values per limb when each takes `bits` bits. */
export const perLimb = (bits: number) => Math.floor(LIMB_BITS / bits);

/** Pack values known to lie in [min, min + 2^bits) into limbs of floor(253 / bits) values, little-end first. */
export function packValues(values: readonly bigint[], bits: number, min: bigint): bigint[] {
  const c = perLimb(bits);
  const limbs: bigint[] = [];
  for (let j = 0; j * c < values.length; j++) {
    let limb = 0n;
    for (let t = 0; t < c && j * c + t < values.length; t++) {
      const u = values[j * c + t] - min;
      if (u < 0n || u >= 1n << BigInt(bits)) throw new ZkmlError("INPUT_OUT_OF_RANGE", `value ${values[j * c + t]} at [${j * c + t}] does not fit [${min}, ${min + (1n << BigInt(bits)) - 1n}]`);
      limb += u << BigInt(bits * t);
    }
    limbs.push(limb);
  }
  return limbs;
}

/** Poseidon blocks a chain over n values: 1 up to 16, then one more per 15 values. */
export function hashBlocks(n: number): number[] {
  if (n < 1) throw new Error("hashChain of nothing");
  const sizes = [Math.min(n, 16)];
  for (let at = sizes[0]; at < n; at += 15) sizes.push(Math.min(15, n - at) + 1);
  return sizes;
}

let poseidonPromise: Promise<any> | undefined;

/** circomlibjs's Poseidon, built once (lazily: it builds its constants tables on first use). */
async function poseidon(): Promise<(inputs: bigint[]) => bigint> {
  poseidonPromise ??= require("circomlibjs").buildPoseidon();
  const p = await poseidonPromise;
  return (inputs) => p.F.toObject(p(inputs.map(fieldOf))) as bigint;
}

/** The hash chain of field elements, as the circuit's ZkmlHashChain computes it. */
export async function hashChain(values: readonly bigint[]): Promise<bigint> {
  const h = await poseidon();
  const sizes = hashBlocks(values.length);
  let acc = h(values.slice(0, sizes[0]) as bigint[]);
  let at = sizes[0];
  for (const s of sizes.slice(1)) {
    acc = h([acc, ...values.slice(at, at + s - 1)]);
    at += s - 1;
  }
  return acc;
}

export type LinearOp = Extract<QOp, { op: "dense" | "conv2d" }>;

/** Signed widths of each linear op's weights and biases: all a private-weights circuit reveals about them. */
export interface ParamWidths {
  op: number;
  weightBits: number;
  biasBits: number;
}

export function paramWidths(q: QModel): ParamWidths[] {
  const out: ParamWidths[] = [];
  q.ops.forEach((op, k) => {
    if (op.op !== "dense" && op.op !== "conv2d") return;
    const bits = (vs: bigint[]) => signedBitsFor(vs.map((v) => [v, v] as Interval));
    out.push({ op: k, weightBits: bits(op.weights), biasBits: bits(op.bias) });
  });
  return out;
}

/**
 * The model a private-weights circuit is rendered from: the same ops, with every requant's range sized for any
 * weights and biases of the recorded widths (worst case over inputs and parameters), so the circuit does not
 * depend on the weights' values. The reference output is unchanged: a requant's value does not depend on the
 * width of its range check, only on the input fitting it.
 */
export function privateWeightsModel(q: QModel): QModel {
  return worstCase(q).model;
}

/** The worst case over any weights of the recorded widths: the model with widened checks, and its output span. */
function worstCase(q: QModel): { model: QModel; output: Interval } {
  const widths = new Map(paramWidths(q).map((w) => [w.op, w]));
  const shapes = irShapes(q);
  const lo0 = q.input.min, hi0 = q.input.min + (1n << BigInt(q.input.bits)) - 1n;
  let x: Interval[] = new Array(shapes[0].reduce((a, b) => a * b, 1)).fill([lo0, hi0]);
  const ops: QOp[] = [];
  const span = (v: Interval[]): Interval => v.reduce<Interval>((m, i) => [i[0] < m[0] ? i[0] : m[0], i[1] > m[1] ? i[1] : m[1]], [0n, 0n]);
  const fill = (k: number, i: Interval): Interval[] => new Array(shapes[k + 1].reduce((a, b) => a * b, 1)).fill(i);
  q.ops.forEach((op, k) => {
    switch (op.op) {
      case "dense":
      case "conv2d": {
        // |acc| <= |bias| + taps * |w| * |x|: every output, every weight, tensor-wide (a safe over-estimate)
        const wd = widths.get(k)!;
        const s = span(x);
        const xAbs = -s[0] > s[1] ? -s[0] : s[1];
        const taps = BigInt(op.op === "dense" ? op.inSize : op.weights.length / op.filters);
        const m = (1n << BigInt(wd.biasBits - 1)) + taps * (1n << BigInt(wd.weightBits - 1)) * xAbs;
        x = fill(k, [-m, m]);
        ops.push(op);
        break;
      }
      case "sumpool2d": {
        const s = span(x);
        const n = BigInt(op.pool[0] * op.pool[1]);
        x = fill(k, [s[0] * n, s[1] * n]);
        ops.push(op);
        break;
      }
      case "requant": {
        const bits = Math.max(signedBitsFor(x), op.shift + 1, op.bits);
        if (bits > MAX_BITS)
          throw new ZkmlError("QUANTIZE_FAILED", `ops[${k}] requant needs ${bits} bits for arbitrary weights of these widths, more than ${MAX_BITS}`, { hint: "use fewer weight or activation bits" });
        ops.push({ ...op, bits });
        x = x.map(([l, h]) => [requantValue(l, op.shift, op.relu, op.clamp), requantValue(h, op.shift, op.relu, op.clamp)]);
        break;
      }
      case "maxpool2d": {
        const s = span(x);
        const bits = Math.max(differenceBitsFor([s]), op.bits);
        if (bits > MAX_BITS) throw new ZkmlError("QUANTIZE_FAILED", `ops[${k}] maxpool2d needs ${bits}-bit comparisons for arbitrary weights of these widths`, { hint: "use fewer weight or activation bits" });
        ops.push({ ...op, bits });
        x = fill(k, s);
        break;
      }
      case "flatten":
        ops.push(op);
        break;
      default: {
        const never: never = op;
        throw new Error(`unknown op ${JSON.stringify(never)}`);
      }
    }
  });
  return { model: { ...q, ops }, output: span(x) };
}

/**
 * Bits that hold the difference of any two outputs, plus one: the width of the argmax's bounded differences.
 * With private or hashed weights it is sized for any weights of the recorded widths, like the requants, so the
 * circuit does not depend on the weights' values.
 */
export function labelBits(q: QModel, weights: WeightsVisibility = "fixed"): number {
  let lo: bigint, hi: bigint;
  if (weights === "fixed") {
    const b = analyzeBounds(q);
    const out = b[b.length - 1];
    lo = out.reduce((m, v) => (v[0] < m ? v[0] : m), out[0][0]);
    hi = out.reduce((m, v) => (v[1] > m ? v[1] : m), out[0][1]);
  } else [lo, hi] = worstCase(q).output;
  let r = 1;
  while (1n << BigInt(r) <= hi - lo + 1n) r++;
  if (r > MAX_BITS) throw new ZkmlError("QUANTIZE_FAILED", `output label: differences need ${r} bits, more than ${MAX_BITS}`);
  return r;
}

/** The circuit's parameters (weights, biases) as private inputs, by the names the circuit gives them. */
export function weightInputs(q: QModel): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  q.ops.forEach((op, k) => {
    if (op.op !== "dense" && op.op !== "conv2d") return;
    out[`w${k}`] = op.weights.map((v) => fieldOf(v).toString());
    out[`b${k}`] = op.bias.map((v) => fieldOf(v).toString());
  });
  return out;
}

/** Limbs the weights hash covers: each tensor's values offset by 2^(P-1) and packed at its width P. */
export function weightLimbs(q: QModel): bigint[] {
  const limbs: bigint[] = [];
  const widths = new Map(paramWidths(q).map((w) => [w.op, w]));
  q.ops.forEach((op, k) => {
    if (op.op !== "dense" && op.op !== "conv2d") return;
    const w = widths.get(k)!;
    limbs.push(...packValues(op.weights, w.weightBits, -(1n << BigInt(w.weightBits - 1))));
    limbs.push(...packValues(op.bias, w.biasBits, -(1n << BigInt(w.biasBits - 1))));
  });
  return limbs;
}

/** The Poseidon commitment to a model's weights: what the verifier of a `--weights hashed` proof knows. */
export async function weightsCommitment(q: QModel): Promise<bigint> {
  return hashChain(weightLimbs(q));
}

export interface Statement {
  /** public signals, as the circuit orders them */
  publicSignals: bigint[];
  /** how many of them are the output part, the input part and the weights part */
  layout: { output: number; input: number; weights: number };
  /** the witness calculator's input object */
  witnessInput: Record<string, string | string[]>;
}

/** What a proof of `q` on input `x` with output `y` makes public, and the witness input that proves it. */
export async function statementFor(q: QModel, vis: Visibility, x: readonly bigint[], y: readonly bigint[]): Promise<Statement> {
  const f = (v: bigint) => fieldOf(v).toString();
  const witnessInput: Record<string, string | string[]> = { x: x.map(f) };
  let outPart: bigint[];
  switch (vis.output) {
    case "public":
      outPart = y.map(fieldOf);
      break;
    case "label":
      outPart = [BigInt(argmax(y))];
      break;
    case "hashed":
      outPart = [await hashChain(y.map(fieldOf))];
      break;
  }
  let inPart: bigint[] = [];
  switch (vis.input) {
    case "public":
      inPart = x.map(fieldOf);
      break;
    case "packed":
      inPart = packValues(x, q.input.bits, q.input.min);
      witnessInput.xPacked = inPart.map(String);
      break;
    case "hashed":
      inPart = [await hashChain(packValues(x, q.input.bits, q.input.min))];
      witnessInput.xHash = inPart[0].toString();
      break;
    case "private":
      break;
  }
  let wPart: bigint[] = [];
  if (vis.weights !== "fixed") Object.assign(witnessInput, weightInputs(q));
  if (vis.weights === "hashed") {
    wPart = [await weightsCommitment(q)];
    witnessInput.wHash = wPart[0].toString();
  }
  return { publicSignals: [...outPart, ...inPart, ...wPart], layout: { output: outPart.length, input: inPart.length, weights: wPart.length }, witnessInput };
}

/** How many public signals a statement has, without computing it (no hashing): output, input and weights parts. */
export function publicSignalCount(q: QModel, vis: Visibility): { output: number; input: number; weights: number; total: number } {
  const shapes = irShapes(q);
  const nIn = shapes[0].reduce((a, b) => a * b, 1), nOut = shapes[shapes.length - 1].reduce((a, b) => a * b, 1);
  const output = vis.output === "public" ? nOut : 1;
  const input = vis.input === "public" ? nIn : vis.input === "packed" ? Math.ceil(nIn / perLimb(q.input.bits)) : vis.input === "hashed" ? 1 : 0;
  const weights = vis.weights === "hashed" ? 1 : 0;
  return { output, input, weights, total: output + input + weights };
}
