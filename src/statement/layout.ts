/**
 * The one definition of a statement's public signals: for a quantized model and a visibility, which signals are
 * public, in which order, under which circuit names, and what each means. The circom renderer, the R1CS backend,
 * the TypeScript statement (src/statement/statement.ts), the Solidity consumer and the deployment records all
 * read it from here.
 *
 * A batch of N inferences (vis.batch) concatenates their inputs and their outputs: each part below is over all
 * of them (x, y, the limbs and the hashes), and a label output becomes N labels packed.
 *
 * Order (circom's: main's outputs first, then its public inputs as declared):
 *   [output part][input part][weights commitment]
 *   output   public  y[n]        the model's outputs, signed integers as field elements
 *            label   label       the index of the first largest output
 *            (batch) labels[l]   N > 1 inferences: their labels packed floor(253 / b) to a limb, b = labelWidth
 *            hashed  yHash       hashChain of the outputs (as field elements)
 *   input    public  x[n]        the quantized input values
 *            packed  xPacked[l]  the values packed floor(253 / B) to a limb (commitments.ts packValues)
 *            hashed  xHash       hashChain of those limbs
 *            private (none)
 *   weights  hashed  wHash       hashChain of the parameters packed at their widths (weightsCommitment)
 *            fixed, private (none)
 *   context  sender  context     a value the proof is bound to: the consumer requires it to equal
 *                                uint160(msg.sender) (or an application's value), so a copied proof is useless
 *                                to anyone else; constrained by its square (contextSquare), 1 constraint
 *            none    (none)
 * Every hash is domain-separated by its part's tag (commitments.ts commitmentTag); the input's and the output's
 * hashes (xHash, yHash) are salted: the chain's first value is the private salt xSalt or ySalt.
 * Private inputs (circom's, after the public ones): the input values unless they are public, then (weights
 * private or hashed) each linear op's weights w<k> and biases b<k>, then the salts xSalt and ySalt.
 */
import { irShapes, QModel } from "../ir/ir";
import { commitmentTag, perLimb, weightsTag } from "./commitments";
import { batchOf, contextOf, Visibility } from "./visibility";

export type OutputPart =
  | { kind: "values"; signal: "y" }
  | { kind: "label"; signal: "label" }
  | { kind: "labels"; signal: "labels"; perLimb: number; bits: number }
  | { kind: "commitment"; signal: "yHash"; tag: bigint; salt: "ySalt" };
export type InputPart =
  | { kind: "values"; signal: "x" }
  | { kind: "limbs"; signal: "xPacked"; perLimb: number; bits: number; min: bigint }
  | { kind: "commitment"; signal: "xHash"; perLimb: number; bits: number; min: bigint; tag: bigint; salt: "xSalt" }
  | { kind: "none"; signal: null };
export type WeightsPart = { kind: "commitment"; signal: "wHash"; tag: bigint } | { kind: "none"; signal: null };
export type ContextPart = { kind: "context"; signal: "context" } | { kind: "none"; signal: null };

/** Where a part sits among the public signals. */
export interface Placed {
  offset: number;
  count: number;
}

export interface StatementLayout {
  visibility: Visibility;
  /** inferences the statement covers */
  batch: number;
  output: OutputPart & Placed;
  input: InputPart & Placed;
  weights: WeightsPart & Placed;
  /** the context the proof is bound to (last) */
  context: ContextPart & Placed;
  /** the private salts of the salted commitments, in circom's order (xSalt, then ySalt) */
  salts: ("xSalt" | "ySalt")[];
  /** all public signals */
  publicSignals: number;
  /** the r1cs header's counts: main's outputs (the output part), its public inputs (input part, weights
   * commitment, context), its private inputs */
  publicOutputs: number;
  publicInputs: number;
  privateInputs: number;
  /** values of the model's input and output tensors, over the whole batch */
  inputValues: number;
  outputValues: number;
  /** the same for one inference */
  inputSize: number;
  outputSize: number;
  /** the parameters that become private inputs (0 with fixed weights) */
  privateParams: number;
}

/** The public signals of `q` under `vis`, without computing any of them. */
export function statementLayout(q: QModel, vis: Visibility): StatementLayout {
  const shapes = irShapes(q);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const N = batchOf(vis);
  const inputSize = size(shapes[0]), outputSize = size(shapes[shapes.length - 1]);
  const nIn = N * inputSize, nOut = N * outputSize;
  const c = perLimb(q.input.bits);
  const limbs = Math.ceil(nIn / c);
  const lb = labelWidth(outputSize);
  const output: OutputPart & { count: number } =
    vis.output === "public"
      ? { kind: "values", signal: "y", count: nOut }
      : vis.output === "label"
        ? N === 1
          ? { kind: "label", signal: "label", count: 1 }
          : { kind: "labels", signal: "labels", perLimb: perLimb(lb), bits: lb, count: Math.ceil(N / perLimb(lb)) }
        : { kind: "commitment", signal: "yHash", count: 1, salt: "ySalt", tag: commitmentTag("output", q, { values: nOut, batch: N, salted: true }) };
  const input: InputPart & { count: number } =
    vis.input === "public"
      ? { kind: "values", signal: "x", count: nIn }
      : vis.input === "packed"
        ? { kind: "limbs", signal: "xPacked", perLimb: c, bits: q.input.bits, min: q.input.min, count: limbs }
        : vis.input === "hashed"
          ? { kind: "commitment", signal: "xHash", perLimb: c, bits: q.input.bits, min: q.input.min, count: 1, salt: "xSalt", tag: commitmentTag("input", q, { values: nIn, batch: N, bits: q.input.bits, min: String(q.input.min), perLimb: c, salted: true }) }
          : { kind: "none", signal: null, count: 0 };
  const weights: WeightsPart & { count: number } = vis.weights === "hashed" ? { kind: "commitment", signal: "wHash", count: 1, tag: weightsTag(q) } : { kind: "none", signal: null, count: 0 };
  const context: ContextPart & { count: number } = contextOf(vis) === "sender" ? { kind: "context", signal: "context", count: 1 } : { kind: "none", signal: null, count: 0 };
  const salts = [...(input.kind === "commitment" ? [input.salt] : []), ...(output.kind === "commitment" ? [output.salt] : [])];
  const privateParams = vis.weights === "fixed" ? 0 : q.ops.reduce((a, op) => a + (op.op === "dense" || op.op === "conv2d" ? op.weights.length + op.bias.length : 0), 0);
  return {
    visibility: vis,
    batch: N,
    output: { ...output, offset: 0 },
    input: { ...input, offset: output.count },
    weights: { ...weights, offset: output.count + input.count },
    context: { ...context, offset: output.count + input.count + weights.count },
    salts,
    publicSignals: output.count + input.count + weights.count + context.count,
    publicOutputs: output.count,
    publicInputs: input.count + weights.count + context.count,
    privateInputs: (vis.input === "public" ? 0 : nIn) + privateParams + salts.length,
    inputValues: nIn,
    outputValues: nOut,
    inputSize,
    outputSize,
    privateParams,
  };
}

/** Bits of a label (a class index below `classes`) when labels are packed. */
export const labelWidth = (classes: number) => Math.max(1, Math.ceil(Math.log2(classes)));

/** The circom names of main's public inputs, in order (input part, then weights commitment, then context). */
export function publicInputNames(layout: StatementLayout): string[] {
  return [layout.input.signal, layout.weights.signal, layout.context.signal].filter((s): s is NonNullable<typeof s> => s !== null);
}

/** What a contract or a deployment record needs of a layout: each part's kind, offset and count (JSON-safe); for
 * packed input also the packing (values, bits per value, values per limb), so a consumer can pack on-chain. */
export interface PublicLayout {
  output: { kind: OutputPart["kind"]; offset: number; count: number; packing?: LimbPacking };
  input: { kind: InputPart["kind"]; offset: number; count: number; packing?: LimbPacking };
  weights: { kind: WeightsPart["kind"]; offset: number; count: number };
  /** only for a statement with a context (absent: none) */
  context?: { kind: ContextPart["kind"]; offset: number; count: number };
  publicSignals: number;
}

/** How `values` input values (or labels), each an offset x - min of `bits` bits, sit perLimb to a limb (commitments.ts packValues). */
export interface LimbPacking {
  values: number;
  bits: number;
  perLimb: number;
}

export function publicLayout(L: StatementLayout): PublicLayout {
  const part = (p: Placed & { kind: string }) => ({ kind: p.kind, offset: p.offset, count: p.count });
  const input = part(L.input) as PublicLayout["input"];
  if (L.input.kind === "limbs") input.packing = { values: L.inputValues, bits: L.input.bits, perLimb: L.input.perLimb };
  const output = part(L.output) as PublicLayout["output"];
  if (L.output.kind === "labels") output.packing = { values: L.batch, bits: L.output.bits, perLimb: L.output.perLimb };
  const out: PublicLayout = { output, input, weights: part(L.weights) as PublicLayout["weights"], publicSignals: L.publicSignals };
  // a statement without a context has the layout (and the deployment record) it had before contexts existed
  if (L.context.kind === "context") out.context = part(L.context) as PublicLayout["context"];
  return out;
}
