/**
 * The one definition of a statement's public signals: for a quantized model and a visibility, which signals are
 * public, in which order, under which circuit names, and what each means. The circom renderer, the R1CS backend,
 * the TypeScript statement (src/statement/statement.ts), the Solidity consumer and the deployment records all
 * read it from here.
 *
 * Order (circom's: main's outputs first, then its public inputs as declared):
 *   [output part][input part][weights commitment]
 *   output   public  y[n]        the model's outputs, signed integers as field elements
 *            label   label       the index of the first largest output
 *            hashed  yHash       hashChain of the outputs (as field elements)
 *   input    public  x[n]        the quantized input values
 *            packed  xPacked[l]  the values packed floor(253 / B) to a limb (commitments.ts packValues)
 *            hashed  xHash       hashChain of those limbs
 *            private (none)
 *   weights  hashed  wHash       hashChain of the parameters packed at their widths (weightsCommitment)
 *            fixed, private (none)
 * Private inputs (circom's, after the public ones): the input values unless they are public, then (weights
 * private or hashed) each linear op's weights w<k> and biases b<k>.
 */
import { irShapes, QModel } from "../ir/ir";
import { perLimb } from "./commitments";
import { Visibility } from "./visibility";

export type OutputPart = { kind: "values"; signal: "y" } | { kind: "label"; signal: "label" } | { kind: "commitment"; signal: "yHash" };
export type InputPart = { kind: "values"; signal: "x" } | { kind: "limbs"; signal: "xPacked"; perLimb: number; bits: number; min: bigint } | { kind: "commitment"; signal: "xHash"; perLimb: number; bits: number; min: bigint } | { kind: "none"; signal: null };
export type WeightsPart = { kind: "commitment"; signal: "wHash" } | { kind: "none"; signal: null };

/** Where a part sits among the public signals. */
export interface Placed {
  offset: number;
  count: number;
}

export interface StatementLayout {
  visibility: Visibility;
  output: OutputPart & Placed;
  input: InputPart & Placed;
  weights: WeightsPart & Placed;
  /** all public signals */
  publicSignals: number;
  /** the r1cs header's counts: main's outputs (the output part), its public inputs (input part and weights
   * commitment), its private inputs */
  publicOutputs: number;
  publicInputs: number;
  privateInputs: number;
  /** values of the model's input and output tensors */
  inputValues: number;
  outputValues: number;
  /** the parameters that become private inputs (0 with fixed weights) */
  privateParams: number;
}

/** The public signals of `q` under `vis`, without computing any of them. */
export function statementLayout(q: QModel, vis: Visibility): StatementLayout {
  const shapes = irShapes(q);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const nIn = size(shapes[0]), nOut = size(shapes[shapes.length - 1]);
  const c = perLimb(q.input.bits);
  const limbs = Math.ceil(nIn / c);
  const output: OutputPart & { count: number } =
    vis.output === "public" ? { kind: "values", signal: "y", count: nOut } : vis.output === "label" ? { kind: "label", signal: "label", count: 1 } : { kind: "commitment", signal: "yHash", count: 1 };
  const input: InputPart & { count: number } =
    vis.input === "public"
      ? { kind: "values", signal: "x", count: nIn }
      : vis.input === "packed"
        ? { kind: "limbs", signal: "xPacked", perLimb: c, bits: q.input.bits, min: q.input.min, count: limbs }
        : vis.input === "hashed"
          ? { kind: "commitment", signal: "xHash", perLimb: c, bits: q.input.bits, min: q.input.min, count: 1 }
          : { kind: "none", signal: null, count: 0 };
  const weights: WeightsPart & { count: number } = vis.weights === "hashed" ? { kind: "commitment", signal: "wHash", count: 1 } : { kind: "none", signal: null, count: 0 };
  const privateParams = vis.weights === "fixed" ? 0 : q.ops.reduce((a, op) => a + (op.op === "dense" || op.op === "conv2d" ? op.weights.length + op.bias.length : 0), 0);
  return {
    visibility: vis,
    output: { ...output, offset: 0 },
    input: { ...input, offset: output.count },
    weights: { ...weights, offset: output.count + input.count },
    publicSignals: output.count + input.count + weights.count,
    publicOutputs: output.count,
    publicInputs: input.count + weights.count,
    privateInputs: (vis.input === "public" ? 0 : nIn) + privateParams,
    inputValues: nIn,
    outputValues: nOut,
    privateParams,
  };
}

/** The circom names of main's public inputs, in order (input part, then weights commitment). */
export function publicInputNames(layout: StatementLayout): string[] {
  return [layout.input.signal, layout.weights.signal].filter((s): s is NonNullable<typeof s> => s !== null);
}

/** What a contract or a deployment record needs of a layout: each part's kind, offset and count (JSON-safe); for
 * packed input also the packing (values, bits per value, values per limb), so a consumer can pack on-chain. */
export interface PublicLayout {
  output: { kind: OutputPart["kind"]; offset: number; count: number };
  input: { kind: InputPart["kind"]; offset: number; count: number; packing?: LimbPacking };
  weights: { kind: WeightsPart["kind"]; offset: number; count: number };
  publicSignals: number;
}

/** How `values` input values, each an offset x - min of `bits` bits, sit perLimb to a limb (commitments.ts packValues). */
export interface LimbPacking {
  values: number;
  bits: number;
  perLimb: number;
}

export function publicLayout(L: StatementLayout): PublicLayout {
  const part = (p: Placed & { kind: string }) => ({ kind: p.kind, offset: p.offset, count: p.count });
  const input = part(L.input) as PublicLayout["input"];
  if (L.input.kind === "limbs") input.packing = { values: L.inputValues, bits: L.input.bits, perLimb: L.input.perLimb };
  return { output: part(L.output) as PublicLayout["output"], input, weights: part(L.weights) as PublicLayout["weights"], publicSignals: L.publicSignals };
}
