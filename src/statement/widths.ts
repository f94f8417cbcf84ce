/**
 * What a circuit with private or hashed weights may depend on: only the widths of the weights (bits per weight
 * and per bias, per layer), never their values, which the verification key would reveal. So its range checks are
 * sized for the worst case of any weights of the recorded widths (privateWeightsModel), not for the actual ones;
 * the output label's differences likewise (labelBits).
 */
import { ZkmlError } from "../core/errors";
import { addBounds, mulBounds, analyzeBounds, clipBitsFor, clipValue, concatValues, gatherValues, differenceBitsFor, inputBitsTop, irShapes, Interval, leakyBounds, MAX_BITS, MAX_TABLE_BITS, QModel, QOp, requantValue, signedBitsFor, sumPoolScale, tableBounds, tableDomain, tableTooWide } from "../ir/ir";
import { WeightsVisibility } from "./visibility";

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
  const lo0 = q.input.min, hi0 = inputBitsTop(q);
  let x: Interval[] = new Array(shapes[0].reduce((a, b) => a * b, 1)).fill([lo0, hi0]);
  const ops: QOp[] = [];
  const span = (v: Interval[]): Interval => v.reduce<Interval>((m, i) => [i[0] < m[0] ? i[0] : m[0], i[1] > m[1] ? i[1] : m[1]], [0n, 0n]);
  const fill = (k: number, i: Interval): Interval[] => new Array(shapes[k + 1].reduce((a, b) => a * b, 1)).fill(i);
  const trace: Interval[][] = [x]; // every tensor's bounds so far, for an add reading an earlier one
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
        // every output at most its L / n times its n taps: the divisor L (the area when padded taps count)
        const n = BigInt(sumPoolScale(op, shapes[k]).divisor);
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
      case "add":
        x = addBounds(op, x, trace[op.from]);
        ops.push(op);
        break;
      case "mul":
        x = mulBounds(x, trace[op.from]);
        ops.push(op);
        break;
      case "clip":
      case "leakyrelu": {
        const bits = Math.max(op.op === "clip" ? clipBitsFor(op, x) : signedBitsFor(x), op.bits);
        if (bits > MAX_BITS) throw new ZkmlError("QUANTIZE_FAILED", `ops[${k}] ${op.op} needs ${bits} bits for arbitrary weights of these widths, more than ${MAX_BITS}`, { hint: "use fewer weight or activation bits" });
        ops.push({ ...op, bits });
        x = op.op === "clip" ? x.map(([l, h]) => [clipValue(l, op), clipValue(h, op)]) : x.map((i) => leakyBounds(op, i));
        break;
      }
      case "gather":
        x = gatherValues(op, x, trace, [0n, 0n]);
        ops.push(op);
        break;
      case "concat":
        x = concatValues(op, x, trace[op.from], ([l, h], m) => [BigInt(m) * l, BigInt(m) * h]);
        ops.push(op);
        break;
      case "table": {
        // the table widened to cover any input these widths admit (the same function: each entry is f at its input)
        const d = tableDomain(x);
        const lo = d.lo < op.lo ? d.lo : op.lo, top = op.lo + (1n << BigInt(op.bits)) - 1n;
        const t = tableDomain([[lo, d.hi > top ? d.hi : top]]);
        if (t.bits > MAX_TABLE_BITS) throw tableTooWide(`ops[${k}] table ${op.fn} (for arbitrary weights of these widths)`, t);
        const wide = t.lo === op.lo && t.bits === op.bits ? op : { ...op, lo: t.lo, bits: t.bits };
        ops.push(wide);
        x = tableBounds(wide, x);
        break;
      }
      default: {
        const never: never = op;
        throw new Error(`unknown op ${JSON.stringify(never)}`);
      }
    }
    trace.push(x);
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
