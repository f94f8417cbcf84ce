/**
 * A statement's values: for a model, an input and its output, the public signals in the layout's order
 * (src/statement/layout.ts) and the witness calculator's input that proves them.
 */
import { ZkmlError } from "../core/errors";
import { fieldOf } from "../core/field";
import { QModel } from "../ir/ir";
import { argmax } from "../model/format";
import { hashChain, packValues, weightsCommitment } from "./commitments";
import { StatementLayout, statementLayout } from "./layout";
import { Visibility } from "./visibility";

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

export interface Statement {
  /** public signals, in the layout's order */
  publicSignals: bigint[];
  /** the witness calculator's input object */
  witnessInput: Record<string, string | string[]>;
}

/**
 * What a proof of `q` on input `x` with output `y` makes public, and the witness input that proves it. For a
 * batch (vis.batch = N), `x` and `y` are the N inputs and the N outputs, concatenated.
 */
export async function statementFor(q: QModel, vis: Visibility, x: readonly bigint[], y: readonly bigint[]): Promise<Statement> {
  const L = statementLayout(q, vis);
  if (x.length !== L.inputValues || y.length !== L.outputValues)
    throw new ZkmlError("INPUT_INVALID", `statement of ${L.batch} inference(s): expected ${L.inputValues} input and ${L.outputValues} output values, got ${x.length} and ${y.length}`);
  const witnessInput: Record<string, string | string[]> = { x: x.map((v) => fieldOf(v).toString()) };
  const outPart = await outputPart(L, y);
  const inPart = await inputPart(L.input, x);
  if (L.input.kind === "limbs") witnessInput[L.input.signal] = inPart.map(String);
  if (L.input.kind === "commitment") witnessInput[L.input.signal] = inPart[0].toString();
  if (vis.weights !== "fixed") Object.assign(witnessInput, weightInputs(q));
  const wPart = L.weights.kind === "commitment" ? [await weightsCommitment(q)] : [];
  if (L.weights.kind === "commitment") witnessInput[L.weights.signal] = wPart[0].toString();
  return { publicSignals: [...outPart, ...inPart, ...wPart], witnessInput };
}

/** Each inference's label (the first largest of its outputs). */
export function batchLabels(L: Pick<StatementLayout, "batch" | "outputSize">, y: readonly bigint[]): number[] {
  return Array.from({ length: L.batch }, (_, i) => argmax(y.slice(i * L.outputSize, (i + 1) * L.outputSize)));
}

async function outputPart(L: StatementLayout, y: readonly bigint[]): Promise<bigint[]> {
  const part = L.output;
  switch (part.kind) {
    case "values":
      return y.map(fieldOf);
    case "label":
      return [BigInt(argmax(y))];
    case "labels":
      return packValues(batchLabels(L, y).map(BigInt), part.bits, 0n);
    case "commitment":
      return [await hashChain(y.map(fieldOf))];
  }
}

async function inputPart(part: StatementLayout["input"], x: readonly bigint[]): Promise<bigint[]> {
  switch (part.kind) {
    case "values":
      return x.map(fieldOf);
    case "limbs":
      return packValues(x, part.bits, part.min);
    case "commitment":
      return [await hashChain(packValues(x, part.bits, part.min))];
    case "none":
      return [];
  }
}
