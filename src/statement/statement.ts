/**
 * A statement's values: for a model, an input and its output, the public signals in the layout's order
 * (src/statement/layout.ts) and the witness calculator's input that proves them.
 */
import { ZkmlError } from "../core/errors";
import { BN254_R, fieldOf } from "../core/field";
import { QModel } from "../ir/ir";
import { argmax } from "../model/format";
import { hashChain, packValues, randomSalt, weightsCommitment } from "./commitments";
import { StatementLayout, statementLayout } from "./layout";
import { contextOf, Visibility } from "./visibility";

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

/**
 * What a statement needs beyond the input: the context it is bound to (a statement with a context: an address as
 * uint160, or an application's value below r) and the salts of its salted commitments. The prover keeps the
 * salts (they open the commitments); they are in the witness input, beside the proof.
 */
export interface Opening {
  context?: bigint;
  xSalt?: bigint;
  ySalt?: bigint;
}

export interface Statement {
  /** public signals, in the layout's order */
  publicSignals: bigint[];
  /** the witness calculator's input object */
  witnessInput: Record<string, string | string[]>;
  /** the context and salts used (salts drawn at random when not given) */
  opening: Opening;
}

/**
 * The opening a statement uses: the given context (required when the layout has one, checked to be below r) and
 * salts, each missing salt drawn at random.
 */
export function openingFor(L: Pick<StatementLayout, "context" | "salts">, given: Opening = {}): Opening {
  const opening: Opening = {};
  if (L.context.kind === "context") {
    if (given.context === undefined)
      throw new ZkmlError("INPUT_INVALID", "context: this statement is bound to a context (the submitter's address, or an application's value) and none was given", {
        hint: "give the address that will submit the proof (or the application's value) as the context",
      });
    if (given.context < 0n || given.context >= BN254_R) throw new ZkmlError("INPUT_INVALID", `context: ${given.context} is not a field element (0 <= context < r)`, { hint: "an address is its uint160 value" });
    opening.context = given.context;
  }
  for (const salt of L.salts) {
    const v = given[salt] ?? randomSalt();
    if (v < 0n || v >= BN254_R) throw new ZkmlError("INPUT_INVALID", `${salt}: ${v} is not a field element`, { hint: "a salt is a number from 0 to r - 1" });
    opening[salt] = v;
  }
  return opening;
}

/**
 * What a proof of `q` on input `x` with output `y` makes public, and the witness input that proves it. For a
 * batch (vis.batch = N), `x` and `y` are the N inputs and the N outputs, concatenated. `given` holds the context
 * (needed when the statement has one) and any salt to reuse; missing salts are drawn at random.
 */
export async function statementFor(q: QModel, vis: Visibility, x: readonly bigint[], y: readonly bigint[], given: Opening = {}): Promise<Statement> {
  const L = statementLayout(q, vis);
  if (x.length !== L.inputValues || y.length !== L.outputValues)
    throw new ZkmlError("INPUT_INVALID", `statement of ${L.batch} inference(s): expected ${L.inputValues} input and ${L.outputValues} output values, got ${x.length} and ${y.length}`);
  const witnessInput: Record<string, string | string[]> = { x: x.map((v) => fieldOf(v).toString()) };
  const opening = openingFor(L, given);
  const outPart = await outputPart(L, y, opening);
  const inPart = await inputPart(L.input, x, opening);
  if (L.input.kind === "limbs") witnessInput[L.input.signal] = inPart.map(String);
  if (L.input.kind === "commitment") witnessInput[L.input.signal] = inPart[0].toString();
  if (vis.weights !== "fixed") Object.assign(witnessInput, weightInputs(q));
  const wPart = L.weights.kind === "commitment" ? [await weightsCommitment(q)] : [];
  if (L.weights.kind === "commitment") witnessInput[L.weights.signal] = wPart[0].toString();
  const cPart = opening.context === undefined ? [] : [opening.context];
  if (L.context.kind === "context") witnessInput[L.context.signal] = opening.context!.toString();
  for (const salt of L.salts) witnessInput[salt] = opening[salt]!.toString();
  return { publicSignals: [...outPart, ...inPart, ...wPart, ...cPart], witnessInput, opening };
}

/**
 * The context a task was given (`where`: its option, e.g. --bind-to) for a statement: an address (0x and 40 hex
 * digits, taken as uint160) or a decimal number below r; required by a statement with a context, refused by one
 * without.
 */
export function parseContext(given: string | undefined, vis: Visibility, where: string): bigint | undefined {
  if (contextOf(vis) === "none") {
    if (given !== undefined) throw new ZkmlError("OPTION_INVALID", `${where}: this statement has no context to bind`, { hint: "add --context sender, or drop " + where });
    return undefined;
  }
  if (given === undefined)
    throw new ZkmlError("OPTION_INVALID", `${where}: --context sender binds the proof to the address that submits it, and none was given`, {
      hint: `${where} 0x<the submitter's address> (or an application's value, a decimal number)`,
    });
  if (/^0x[0-9a-fA-F]{40}$/.test(given)) return BigInt(given);
  if (/^[0-9]{1,78}$/.test(given) && BigInt(given) < BN254_R) return BigInt(given);
  throw new ZkmlError("OPTION_INVALID", `${where}: expected an address (0x and 40 hex digits) or a decimal number below the BN254 field modulus, got ${JSON.stringify(given)}`, {
    hint: `e.g. ${where} 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266`,
  });
}

/** Each inference's label (the first largest of its outputs). */
export function batchLabels(L: Pick<StatementLayout, "batch" | "outputSize">, y: readonly bigint[]): number[] {
  return Array.from({ length: L.batch }, (_, i) => argmax(y.slice(i * L.outputSize, (i + 1) * L.outputSize)));
}

async function outputPart(L: StatementLayout, y: readonly bigint[], opening: Opening): Promise<bigint[]> {
  const part = L.output;
  switch (part.kind) {
    case "values":
      return y.map(fieldOf);
    case "label":
      return [BigInt(argmax(y))];
    case "labels":
      return packValues(batchLabels(L, y).map(BigInt), part.bits, 0n);
    case "commitment":
      return [await hashChain([opening.ySalt!, ...y.map(fieldOf)], part.tag)];
  }
}

async function inputPart(part: StatementLayout["input"], x: readonly bigint[], opening: Opening): Promise<bigint[]> {
  switch (part.kind) {
    case "values":
      return x.map(fieldOf);
    case "limbs":
      return packValues(x, part.bits, part.min);
    case "commitment":
      return [await hashChain([opening.xSalt!, ...packValues(x, part.bits, part.min)], part.tag)];
    case "none":
      return [];
  }
}
