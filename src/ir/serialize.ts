/**
 * The IR as JSON, for a child process or a cache file: bigints as decimal strings, read back as bigints.
 */
import { QModel } from "./ir";

/** The IR as JSON (bigints as decimal strings), for a child process. */
export function irToJson(q: QModel): string {
  return JSON.stringify(q, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Back from irToJson: weights, biases, the input minimum, a clip's bounds, a leakyrelu's alpha and a table's lo as bigints. */
export function irFromJson(text: string): QModel {
  const q = JSON.parse(text);
  q.input.min = BigInt(q.input.min);
  for (const op of q.ops) if (op.op === "dense" || op.op === "conv2d") {
    op.weights = op.weights.map(BigInt);
    op.bias = op.bias.map(BigInt);
  }
  for (const op of q.ops) {
    if (op.op === "clip") for (const f of ["lo", "hi"]) if (op[f] !== undefined) op[f] = BigInt(op[f]);
    if (op.op === "leakyrelu") op.alpha = BigInt(op.alpha);
    if (op.op === "table") op.lo = BigInt(op.lo);
  }
  return q as QModel;
}
