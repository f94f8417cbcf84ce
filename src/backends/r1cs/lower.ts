/**
 * The direct backend: a circuit written straight from the IR, without circom, onto the gadget library. It emits
 * the constraints the circom renderer (src/backends/circom/render.ts) describes, streamed into an .r1cs file, and
 * computes the witness from the reference interpreter's values. snarkjs sets up, proves and verifies from them as
 * from circom's output.
 *
 * One semantics, two renderers: the circom source stays the readable, auditable form of every circuit; this one
 * exists for models circom cannot hold (circom2 runs as WebAssembly in 4 GB). Wires are numbered as circom numbers
 * them: 0 the constant 1, then the public signals in the statement layout's order (src/statement/layout.ts), the
 * private inputs, then internal signals. Per op:
 *   input range      inRange: B bits of x - min; x <= top when the declared range ends below the bits (topBitAlone or atMost)
 *   dense / conv     a linear combination per output (fixed weights: no constraint), or with private weights one
 *                    product wire per multiply-accumulate
 *   requant          the requant gadget on the accumulator (fused: no wire for the sum)
 *   linear output    where no requant follows, the sum bound to a wire (none for a plain copy y = x, which circom
 *                    --O1 removes as well, a public output's copy included: see substitutionStart)
 *   sum pool         the window's sum (its in-bounds taps, times L / n when padded taps do not count) bound to a wire
 *   add              mul x + fromMul t (t an earlier tensor's wires; a multiplier may be negative: a Sub) bound to a wire
 *   mul              x t (t an earlier tensor's wires): one product wire a value
 *   max pool         a running max, one maxStep per further in-bounds window value
 *   clip             one clampStep per bound (max with lo, then min with hi)
 *   leaky ReLU       the leaky gadget: x's sign by its K bits, one product
 *   table            the table gadget: x - lo's B bits, a multiplexer tree over the table's entries
 *   gather           the source's wires re-indexed (a padded position the ZERO wire, as circom's constant 0): no constraint
 *   concat           the two sides' wires joined; a side at a multiplier other than 1 bound to a wire per value
 *   statement        packed limbs bound to the public limbs; hashes by the Poseidon gadget (each from its part's
 *                    tag, the input's and output's salted); the label by argmax; the context by its square
 */
import * as fs from "fs";
import { ZkmlError } from "../../core/errors";
import { fieldOf, signedOf } from "../../core/field";
import { concatValues, gatherValues, inputTop, inputTopCheck, irShapes, opPlan, QModel, QOp, runIR, sumPoolScale } from "../../ir/ir";
import { packValues, perLimb } from "../../statement/commitments";
import { StatementLayout, statementLayout } from "../../statement/layout";
import { copiedLimbs, poolCopies } from "../../statement/cost";
import { DEFAULT_VISIBILITY, Visibility } from "../../statement/visibility";
import type { Opening } from "../../statement/statement";
import { labelBits, paramWidths, privateWeightsModel } from "../../statement/widths";
import { writeWtns } from "../../core/r1cs";
import { R1csBuilder } from "./builder";
import { argmax, atMost, bind, clampStep, copy, inRange, leaky, limbs, topBitAlone, maxStep, product, requant, table } from "./gadgets";
import { addTerm, LC, lc, ONE, ZERO } from "./lc";
import { hashChain } from "./poseidon";
import { R1csWriter } from "./writer";

export interface DirectResult {
  constraints: number;
  wires: number;
  publicOutputs: number;
  publicInputs: number;
  privateInputs: number;
  /** the witness, when an input was given */
  witness?: bigint[];
}

/** The wires of the statement's signals, in circom's order. */
interface Signals {
  outputs: number[];
  x: number[];
  limbs: number[];
  xHash: number;
  wHash: number;
  context: number;
  /** the salts' wires, by name */
  salts: Map<string, number>;
  /** per linear op (by its index): its weight and bias wires, when the weights are private or hashed */
  params: Map<number, { w: number[]; b: number[] }>;
}

type Linear = Extract<QOp, { op: "dense" | "conv2d" }>;
const linearOps = (q: QModel) => q.ops.flatMap((op, k) => (op.op === "dense" || op.op === "conv2d" ? [{ op, k }] : []));
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Build the circuit of `q` under `vis`: write its r1cs to `r1csFile` when given, and its witness for input `x`
 * when given (values from the reference interpreter). Either or both.
 */
export function buildDirect(q: QModel, vis: Visibility = DEFAULT_VISIBILITY, opts: { r1csFile?: string; x?: readonly bigint[]; wtnsFile?: string; opening?: Opening } = {}): DirectResult {
  const L = statementLayout(q, vis);
  // a witness needs the statement's context and salts: the ones its public signals were computed with
  const opening = opts.x === undefined ? {} : openingOf(L, opts.opening ?? {});
  const qc = vis.weights === "fixed" ? q : privateWeightsModel(q);
  const writer = opts.r1csFile ? new R1csWriter(opts.r1csFile, { nPubOut: L.publicOutputs, nPubIn: L.publicInputs, nPrvIn: L.privateInputs }) : undefined;
  const b = new R1csBuilder(opts.x !== undefined, writer);
  const x = opts.x ?? [];
  try {
    const s = allocateSignals(b, qc, L, x, opening);
    constrainInput(b, q, L, s, x);
    if (L.weights.kind === "commitment") commitWeights(b, q, s, L.weights.tag);
    // the context bound by its square (circom's contextSquare)
    if (L.context.kind === "context") product(b, lc([s.context, 1n]), lc([s.context, 1n]));
    // the model once per inference of the batch, on its slice of x; with public outputs its last op writes
    // into its slice of the output wires
    const y: number[] = [];
    for (let i = 0; i < L.batch; i++) {
      const xi = s.x.slice(i * L.inputSize, (i + 1) * L.inputSize);
      const finalWires = L.output.kind === "values" ? s.outputs.slice(i * L.outputSize, (i + 1) * L.outputSize) : undefined;
      const trace = opts.x === undefined ? undefined : runIR(q, opts.x.slice(i * L.inputSize, (i + 1) * L.inputSize)).trace;
      y.push(...new ModelLowering(b, qc, s.params, finalWires, trace).run(xi, vis.weights === "fixed"));
      b.release();
    }
    bindOutputPart(b, q, vis, L, s, y);
  } catch (e) {
    if (writer) {
      writer.abandon();
      fs.rmSync(writer.file, { force: true });
    }
    throw e;
  }
  writer?.finish(b.wires);
  const result: DirectResult = { constraints: b.constraints, wires: b.wires, publicOutputs: L.publicOutputs, publicInputs: L.publicInputs, privateInputs: L.privateInputs };
  if (b.withWitness) {
    result.witness = b.witness();
    if (opts.wtnsFile) writeWtns(opts.wtnsFile, result.witness);
  }
  return result;
}

/**
 * The context and salts a witness is computed with: every one the layout has must be given (the public signals
 * were computed from them), and nothing else.
 */
function openingOf(L: StatementLayout, given: Opening): Opening {
  const need = [...(L.context.kind === "context" ? ["context" as const] : []), ...L.salts];
  const missing = need.filter((k) => given[k] === undefined);
  if (missing.length)
    throw new ZkmlError("INPUT_INVALID", `witness: the statement needs ${missing.join(" and ")}, which ${missing.length === 1 ? "was" : "were"} not given`, {
      hint: "pass the opening statementFor returned (its context and salts) with the input",
    });
  return given;
}

/** Wires for the public signals in the layout's order, then the private inputs: the input values (unless public), the parameters, the salts. */
function allocateSignals(b: R1csBuilder, qc: QModel, L: StatementLayout, x: readonly bigint[], opening: Opening): Signals {
  const outputs = b.wireArray(L.output.count);
  const xValue = (i: number) => fieldOf(x[i] ?? 0n);
  let xw: number[] = [];
  let limbWires: number[] = [];
  if (L.input.kind === "values") xw = b.wireArray(L.inputValues, xValue);
  if (L.input.kind === "limbs") {
    const packed = b.withWitness ? packValues(x, L.input.bits, L.input.min) : [];
    limbWires = b.wireArray(L.input.count, (j) => packed[j]);
  }
  const xHash = L.input.kind === "commitment" ? b.wire() : -1;
  const copied = L.input.kind === "limbs" && copiedLimbs(L.inputValues, L.input.perLimb, L.input.min) === 1;
  const wHash = L.weights.kind === "commitment" ? b.wire() : -1;
  const context = L.context.kind === "context" ? b.wire(opening.context ?? 0n) : -1;
  if (L.input.kind !== "values") xw = b.wireArray(L.inputValues - (copied ? 1 : 0), xValue);
  // a public limb holding one value with no offset is that value: its wire serves as the value's (circom --O1
  // substitutes the same copy), so no separate wire and no binding constraint
  if (copied) xw.push(limbWires[limbWires.length - 1]);
  const params = new Map<number, { w: number[]; b: number[] }>();
  if (L.privateParams > 0)
    for (const { op, k } of linearOps(qc)) params.set(k, { w: op.weights.map((v) => b.wire(fieldOf(v))), b: op.bias.map((v) => b.wire(fieldOf(v))) });
  const salts = new Map(L.salts.map((salt) => [salt, b.wire(opening[salt] ?? 0n)]));
  return { outputs, x: xw, limbs: limbWires, xHash, wHash, context, salts, params };
}

/** Every input value range-checked to [min, min + 2^B) and, when the declared range ends lower, to x <= top; then the packed limbs or the hash bound to the public ones. */
function constrainInput(b: R1csBuilder, q: QModel, L: StatementLayout, s: Signals, x: readonly bigint[]): void {
  const top = inputTopCheck(q);
  s.x.forEach((w, i) => {
    const bits = inRange(b, w, x[i] ?? q.input.min, q.input.bits, q.input.min);
    if (top === "half") topBitAlone(b, bits);
  });
  if (top === "bits") s.x.forEach((w, i) => atMost(b, w, x[i] ?? q.input.min, q.input.bits, inputTop(q)));
  // (a limb that is its value's own wire needs no binding)
  if (L.input.kind === "limbs") limbs(s.x, L.input.bits, L.input.perLimb, L.input.min).forEach((m, j) => !isWire(m, s.limbs[j]) && bind(b, s.limbs[j], m));
  if (L.input.kind === "commitment") bind(b, s.xHash, hashChain(b, [lc([s.salts.get(L.input.salt)!, 1n]), ...limbs(s.x, L.input.bits, L.input.perLimb, L.input.min)], L.input.tag));
}

/** Hashed weights: each parameter range-checked to its tensor's width P, packed at P bits, hashed, bound to wHash. */
function commitWeights(b: R1csBuilder, q: QModel, s: Signals, tag: bigint): void {
  const widths = new Map(paramWidths(q).map((w) => [w.op, w]));
  const all: LC[] = [];
  for (const { op, k } of linearOps(q)) {
    const wd = widths.get(k)!;
    const pw = s.params.get(k)!;
    for (const [ws, vals, P] of [[pw.w, op.weights, wd.weightBits], [pw.b, op.bias, wd.biasBits]] as const) {
      const lo = -(1n << BigInt(P - 1));
      ws.forEach((w, i) => inRange(b, w, vals[i], P, lo));
      all.push(...limbs(ws, P, perLimb(P), lo));
    }
  }
  bind(b, s.wHash, hashChain(b, all, tag));
}

/** The output part: the label (argmax), the outputs' hash, or the outputs bound to the public wires. */
function bindOutputPart(b: R1csBuilder, q: QModel, vis: Visibility, L: StatementLayout, s: Signals, y: number[]): void {
  const outputs = s.outputs;
  switch (L.output.kind) {
    case "label":
      return argmax(b, y, outputs[0], labelBits(q, vis.weights));
    case "labels": {
      // each inference's label on a wire of its own, then packed into the public limbs; a last limb holding one
      // label is that label's wire (the copy circom substitutes)
      const lastAlone = copiedLimbs(L.batch, L.output.perLimb, 0n) === 1;
      const labels = Array.from({ length: L.batch }, (_, i) => {
        const w = lastAlone && i === L.batch - 1 ? outputs[outputs.length - 1] : b.wire();
        argmax(b, y.slice(i * L.outputSize, (i + 1) * L.outputSize), w, labelBits(q, vis.weights));
        return w;
      });
      return limbs(labels, L.output.bits, L.output.perLimb, 0n).forEach((m, j) => !isWire(m, outputs[j]) && bind(b, outputs[j], m));
    }
    case "commitment":
      return bind(b, outputs[0], hashChain(b, [lc([s.salts.get(L.output.salt)!, 1n]), ...y.map((w) => lc([w, 1n]))], L.output.tag));
    case "values":
      // an output that is not already a public wire (e.g. after a flatten) is copied to it
      y.forEach((w, i) => w !== outputs[i] && copy(b, outputs[i], w));
  }
}

/** Is the linear combination exactly one wire, with coefficient 1? */
function isWire(m: LC, w: number): boolean {
  return m.size === 1 && m.get(w) === 1n;
}

/** The model's ops onto gadgets, each tensor element a wire (or, for a sum about to be requantized, a linear combination). */
class ModelLowering {
  private readonly shapes: number[][];
  /** every tensor's wires so far (trace order; a sum fused into its requant has none), for an add reading one */
  private tensors: (number[] | undefined)[] = [];

  constructor(
    private readonly b: R1csBuilder,
    private readonly qc: QModel,
    private readonly params: Signals["params"],
    /** the public output wires, when the outputs are public: the last op writes into them */
    private readonly finalWires: number[] | undefined,
    /** the reference interpreter's values after each op, to check the witness against (witness builds only) */
    private readonly trace: bigint[][] | undefined,
  ) {
    this.shapes = irShapes(qc);
  }

  run(x: number[], fixedWeights: boolean): number[] {
    const { qc } = this;
    // circom --O1 removes signal-to-signal equalities: a public output that is a plain copy of one internal value
    // (a row with a single weight of 1 and no bias: y = x) makes circom replace x by y in every constraint and drop
    // the equation. The same here: from the op that makes such a copy's inputs on, constraints are held back
    const holdFrom = fixedWeights && this.finalWires ? substitutionStart(qc, this.shapes) : -1;
    let cur = x;
    this.tensors = [x];
    for (let k = 0; k < qc.ops.length; k++) {
      if (k === holdFrom) this.b.holdBack();
      const op = qc.ops[k];
      const next = qc.ops[k + 1];
      if ((op.op === "dense" || op.op === "conv2d") && next?.op === "requant") {
        const sums = this.accumulate(op, k, cur);
        cur = sums.map((s, i) => requant(this.b, s.lc, s.value, next, this.into(k + 1, i)));
        this.tensors.push(undefined);
        k++; // the requant is fused: its input is the sum, with no wire of its own
      } else cur = this.lowerOp(op, k, cur);
      this.tensors.push(cur);
      this.checkTrace(k, cur);
    }
    return cur;
  }

  private lowerOp(op: QOp, k: number, cur: number[]): number[] {
    switch (op.op) {
      case "dense":
      case "conv2d":
        return this.accumulate(op, k, cur).map((s, i) => this.linearOutput(s.lc, s.value, k, i));
      case "sumpool2d": {
        const p = opPlan(op, this.shapes[k]);
        const mul = sumPoolScale(op, this.shapes[k]).mul.map(BigInt);
        const copies = poolCopies(op, this.shapes[k]);
        return Array.from({ length: size(this.shapes[k + 1]) }, (_, o) => {
          if (copies[o]) return this.copyOut(k, o, cur[p.input[o * p.taps]]);
          const y = this.into(k, o) ?? this.b.wire();
          const m = lc();
          for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) addTerm(m, cur[p.input[t]], mul[o]);
          bind(this.b, y, m);
          return y;
        });
      }
      case "maxpool2d": {
        const p = opPlan(op, this.shapes[k]);
        return Array.from({ length: size(this.shapes[k + 1]) }, (_, o) => {
          let m = cur[p.input[o * p.taps]];
          const count = p.count[o];
          if (count === 1) return this.copyOut(k, o, m);
          for (let t = 1; t < count; t++) m = maxStep(this.b, m, cur[p.input[o * p.taps + t]], op.bits, t === count - 1 ? this.into(k, o) : undefined);
          return m;
        });
      }
      case "requant":
        // a requant not fused into a linear op (after a pool, or first): its input wires are the sums
        return cur.map((w, i) => requant(this.b, lc([w, 1n]), signedOf(this.b.val(w)), op, this.into(k, i)));
      case "flatten":
        return cur;
      case "add": {
        const t = this.earlier(k, op.from);
        return cur.map((w, i) => {
          const y = this.into(k, i) ?? this.b.wire();
          const m = lc([w, BigInt(op.mul)]);
          addTerm(m, t[i], BigInt(op.fromMul));
          bind(this.b, y, m);
          return y;
        });
      }
      case "mul": {
        // one product constraint a value: y = x t
        const t = this.earlier(k, op.from);
        return cur.map((w, i) => {
          const into = this.into(k, i);
          if (into === undefined) return product(this.b, lc([w, 1n]), lc([t[i], 1n]));
          this.b.set(into, fieldOf(this.b.value(lc([w, 1n])) * this.b.value(lc([t[i], 1n]))));
          this.b.constrain(lc([w, 1n]), lc([t[i], 1n]), lc([into, 1n]));
          return into;
        });
      }
      case "clip":
        return cur.map((w, i) => {
          let m = w;
          let v = signedOf(this.b.val(w));
          const bounds = [...(op.lo !== undefined ? [[op.lo, true] as const] : []), ...(op.hi !== undefined ? [[op.hi, false] as const] : [])];
          bounds.forEach(([c, lower], j) => {
            m = clampStep(this.b, lc([m, 1n]), v, c, lower, op.bits, j === bounds.length - 1 ? this.into(k, i) : undefined);
            v = lower ? (v < c ? c : v) : v > c ? c : v;
          });
          return m;
        });
      case "leakyrelu":
        return cur.map((w, i) => leaky(this.b, lc([w, 1n]), signedOf(this.b.val(w)), op, this.into(k, i)));
      case "table":
        return cur.map((w, i) => table(this.b, lc([w, 1n]), signedOf(this.b.val(w)), op, this.into(k, i)));
      case "gather":
        // wiring only: no constraint
        return gatherValues({ ...op, from: undefined }, op.from === undefined ? cur : this.earlier(k, op.from), [], ZERO);
      case "concat":
        // wiring, and a side at a multiplier other than 1 bound to a wire per value
        return concatValues(op, cur, this.earlier(k, op.from), (w, m) => {
          if (m === 1) return w;
          const y = this.b.wire();
          bind(this.b, y, lc([w, BigInt(m)]));
          return y;
        });
    }
  }

  /** The wires of tensor `from`, which an add, mul, gather or concat of ops[k] reads. */
  private earlier(k: number, from: number): number[] {
    const t = this.tensors[from];
    if (!t) throw new ZkmlError("IR_INVALID", `ops[${k}] ${this.qc.ops[k].op} reads tensor ${from}, a sum fused into its requant`, { hint: "validateIR refuses this; please report it" });
    return t;
  }

  /** The final op writes into the public output wires; every other op into wires of its own. */
  private into(k: number, i: number): number | undefined {
    return k === this.qc.ops.length - 1 ? this.finalWires?.[i] : undefined;
  }

  /** Output i of ops[k] that is a plain copy of wire w: w itself (circom --O1 substitutes the copy), or bound to the public output wire. */
  private copyOut(k: number, i: number, w: number): number {
    const y = this.into(k, i);
    if (y === undefined) return w;
    copy(this.b, y, w);
    return y;
  }

  /** Each output of a dense or conv op as a linear combination (and its value): constant weights, or product wires. */
  private accumulate(op: Linear, k: number, cur: number[]): { lc: LC; value: bigint }[] {
    const b = this.b;
    const params = this.params.get(k);
    const mac = (acc: LC, wIdx: number, w: bigint, xw: number): bigint => {
      if (!params) addTerm(acc, xw, w);
      else addTerm(acc, product(b, lc([params.w[wIdx], 1n]), lc([xw, 1n])), 1n);
      return w * signedOf(b.val(xw));
    };
    const start = (bias: number): { lc: LC; value: bigint } => ({ lc: params ? lc([params.b[bias], 1n]) : lc([ONE, op.bias[bias]]), value: op.bias[bias] });
    const out: { lc: LC; value: bigint }[] = [];
    if (op.op === "dense")
      for (let o = 0; o < op.units; o++) {
        const s = start(o);
        for (let i = 0; i < op.inSize; i++) s.value += mac(s.lc, o * op.inSize + i, op.weights[o * op.inSize + i], cur[i]);
        out.push(s);
      }
    else {
      const p = opPlan(op, this.shapes[k]);
      const per = op.weights.length / op.filters;
      for (let o = 0; o < size(this.shapes[k + 1]); o++) {
        const f = p.channel[o];
        const s = start(f);
        for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) s.value += mac(s.lc, f * per + p.weight[t], op.weights[f * per + p.weight[t]], cur[p.input[t]]);
        out.push(s);
      }
    }
    return out;
  }

  /** A linear op's output where no requant follows: the sum bound to a wire, unless it is a plain copy of one. */
  private linearOutput(acc: LC, value: bigint, k: number, i: number): number {
    const b = this.b;
    // a sum that is just one wire (one weight of 1, no bias) needs no wire of its own: circom --O1 substitutes
    // such copies away too
    const only = acc.size === 1 ? [...acc.entries()][0] : undefined;
    const copied = only && only[0] !== ONE && only[1] === 1n ? only[0] : undefined;
    const out = this.into(k, i);
    if (copied !== undefined && out === undefined) return copied;
    const y = out ?? b.wire();
    b.set(y, fieldOf(value));
    // a public output copying a wire of the held-back ops: that wire becomes the output when they are released
    if (copied !== undefined && b.canReplace(copied)) {
      b.replace(copied, y);
      return y;
    }
    addTerm(acc, y, -1n);
    b.zero(acc);
    return y;
  }

  /** The values flowing out of op k must be the reference interpreter's. */
  private checkTrace(k: number, cur: number[]): void {
    const expected = this.trace?.[k + 1];
    if (!expected) return;
    const got = cur.map((w) => signedOf(this.b.val(w)));
    if (got.length !== expected.length || got.some((v, i) => v !== expected[i]))
      throw new ZkmlError("STAGE_FAILED", `direct backend: ops[${k}] values differ from the reference interpreter`, { hint: "a bug in src/backends/r1cs; please report it" });
  }
}

/**
 * Where the lowering starts holding constraints back for circom's removal of copied outputs: the op that makes
 * the final linear op's inputs (the linear op it is fused into, for a requant), when the final op has constant
 * weights, some output that copies one input (one non-zero weight, equal to 1, and no bias), and inputs that are
 * not the circuit's own. -1: nothing to substitute, everything is written as it comes.
 */
function substitutionStart(q: QModel, shapes: number[][]): number {
  const k = q.ops.length - 1;
  const op = q.ops[k];
  if (!op || (op.op !== "dense" && op.op !== "conv2d")) return -1;
  // a copy: bias 0 and exactly one non-zero weight, which is 1
  const copies = (ws: bigint[], bias: bigint) => bias === 0n && ws.filter((w) => w !== 0n).length === 1 && ws.some((w) => w === 1n);
  let single = false;
  if (op.op === "dense") {
    for (let o = 0; o < op.units && !single; o++) single = copies(op.weights.slice(o * op.inSize, (o + 1) * op.inSize), op.bias[o]);
  } else {
    const p = opPlan(op, shapes[k]);
    const per = op.weights.length / op.filters;
    for (let o = 0; o < p.count.length && !single; o++) {
      const ws: bigint[] = [];
      for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) ws.push(op.weights[p.channel[o] * per + p.weight[t]]);
      single = copies(ws, op.bias[p.channel[o]]);
    }
  }
  if (!single) return -1;
  let p = k - 1;
  while (p >= 0 && q.ops[p].op === "flatten") p--;
  if (p < 0) return -1;
  return q.ops[p].op === "requant" && p > 0 && (q.ops[p - 1].op === "dense" || q.ops[p - 1].op === "conv2d") ? p - 1 : p;
}
