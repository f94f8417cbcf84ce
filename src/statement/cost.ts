/**
 * The cost model: how many constraints a model's circuit has under a statement, exact, before anything is built.
 * One formula, in the gadgets' costs (GADGET_COST): the circom renderer writes each gadget as a template or inline
 * block of that cost, the r1cs backend (src/backends/r1cs/gadgets.ts) emits it, and the tests check both: circom
 * compiles (test/soundness.test.ts) and each r1cs gadget alone (test/gadgets.test.ts). The quantizer uses it to
 * choose widths and to print what each costs, the pipeline to choose a backend and size the powers of tau.
 *
 * Counts are circom2's at --O1. The r1cs backend matches them exactly except for Poseidon, whose linear layers it
 * folds into the S-boxes (3 constraints an S-box: POSEIDON_R1CS_CONSTRAINTS), and the one-output label.
 */
import { clampHighBits, concatSides, countMacs, inputTopCheck, irShapes, opPlan, QModel, QOp, sumPoolScale, tableProducts } from "../ir/ir";
import { Shape } from "../ir/window";
import { hashBlocks, perLimb } from "./commitments";
import { batchOf, contextOf, DEFAULT_VISIBILITY, Visibility } from "./visibility";
import { labelWidth } from "./layout";
import { labelBits, paramWidths, privateWeightsModel } from "./widths";

/** Constraints of each gadget, by its parameters. */
export const GADGET_COST = {
  /** K booleans and their weighted sum */
  bits: (K: number) => K + 1,
  /** x - min decomposed into B bits */
  inRange: (B: number) => B + 1,
  /** x <= top on top of inRange (ir.ts inputTopCheck): nothing, the top bit times the lower bits, or B bits of top - x */
  inputTop: { none: (_B: number) => 0, half: (_B: number) => 1, bits: (B: number) => B + 1 },
  /** a K-bit decomposition, the output (a product for ReLU, a linear constraint signed); saturated: h or t, the
   * is-nonzero test's three, and the output's product in place of the plain one (4 more) */
  requant: (K: number, saturated: boolean) => K + 2 + (saturated ? 4 : 0),
  /** o = [h != 0] with its inverse pinned */
  isNonZero: 3,
  /** m' = max(m, v): R bits of the difference and the product choosing */
  maxStep: (R: number) => R + 2,
  /** m' = max(m, c) or min(m, c) for a constant c: R bits of the difference and the product choosing (a clip: one per bound) */
  clampStep: (R: number) => R + 2,
  /** y = x >= 0 ? 2^F x : alpha x: K bits of x + 2^(K-1) (their sum) and one product, the sign times (2^F - alpha) x */
  leaky: (K: number) => K + 2,
  /** y = T[x - lo] over x in [lo, lo + 2^B): B booleans and their sum (x - lo's bits), then the multiplexer tree
   * (ir.ts tableMux): a node at level l picks between its children by bit l - 1; P of them (P = tableProducts,
   * 2^(B-1) - 1 for a table with no constant or repeated pair of entries at the bottom) are one product each,
   * b (m1 - m0) = m - m0, the root's m the output; the bottom level and any node over constants is linear: free */
  table: (B: number, P: number) => B + 1 + P,
  /** a product of two linear combinations */
  product: 1,
  /** a wire bound to a linear combination (a sum, a limb, a hash) */
  bind: 1,
  /** a wire equal to another */
  copy: 1,
  /** the label of N outputs: N selector booleans, their sum, the index (a plain copy of s_1 when N = 2, so
   * substituted away), N products, N R-bit bounded differences */
  argmax: (N: number, R: number) => 2 * N + 1 + (N > 2 ? 1 : 0) + N * (R + 1),
};

const size = (s: Shape) => s.reduce((a, b) => a * b, 1);

/**
 * Limbs of `count` values packed `per` to a limb whose binding is a plain copy (limb = the one value it holds, with
 * no offset): circom --O1 substitutes the value's signal by the limb's and drops that constraint (the direct backend
 * uses the limb's wire for the value likewise). At most the last limb: 1 when it holds a single value and lo = 0.
 */
export function copiedLimbs(count: number, per: number, lo: bigint): number {
  return count % per === 1 && lo === 0n ? 1 : 0;
}

/**
 * Per output of a pool, 1 when it is a plain copy of one input value (a padded window with one in-bounds tap, at
 * multiplier 1): circom --O1 substitutes the copy away, and the direct backend hands on the input's wire; both bind it
 * to its public signal when it is an output of the model's last op and the outputs are public (one constraint).
 */
export function poolCopies(op: Extract<QOp, { op: "sumpool2d" | "maxpool2d" }>, inShape: Shape): Uint8Array {
  const mul = op.op === "sumpool2d" ? sumPoolScale(op, inShape).mul : undefined;
  return Uint8Array.from(opPlan(op, inShape).count, (c, o) => (c === 1 && (mul === undefined || mul[o] === 1) ? 1 : 0));
}

/** Multiply-accumulates of one linear op (in-bounds taps only): the product constraints it needs with private weights. */
export function countOpMacs(op: Extract<QOp, { op: "dense" | "conv2d" }>, inShape: Shape): number {
  return countMacs({ input: { shape: inShape, min: 0n, bits: 1, step: 1, range: [0, 1] }, ops: [op] });
}

/**
 * Constraints of circomlib's Poseidon(n), n = 1..16, as circom2 0.2.23 counts them at --O1 (its linear mixing
 * constraints are kept): measured by compiling each (test/soundness.test.ts checks three of them).
 */
export const POSEIDON_CONSTRAINTS = [415, 517, 605, 736, 835, 967, 1081, 1171, 1231, 1420, 1429, 1613, 1807, 1726, 1905, 2092];

/** Constraints of ZkmlHashChain(n): its Poseidon blocks (src/statement/commitments.ts hashBlocks). */
export function hashChainConstraints(n: number): number {
  return hashBlocks(n).reduce((a, b) => a + POSEIDON_CONSTRAINTS[b - 1], 0);
}

export interface ConstraintBreakdown {
  /** input range checks: B + 1 per input value (B bits and their sum) */
  inputRange: number;
  /** requants: K + 2 per value (K bits, their sum, the output), K + 6 saturated (h or t, o and its two checks);
   * max-pools: (taps - 1)(R + 2) per output, taps its window's in-bounds values (0 for one: a copy); clips: R + 2 per bound and value; leaky ReLUs: K + 2 per value;
   * products of two activations (mul): 1 per value */
  nonlinear: number;
  /** one per output of a linear or pooling op not fused into a requant (the value bound to its sum), per value of
   * an add, and per value of a concat's side at a multiplier other than 1 */
  linearOutputs: number;
  /** private weights: one product per multiply-accumulate */
  products: number;
  /** hashed weights: P + 1 per parameter (its range check), one per limb, the hash chain (binding the public
   * signal to the chain's output is a plain equality, which circom's --O1 substitutes away) */
  weightsCommitment: number;
  /** packed input: one per limb; hashed input: one per limb and the hash chain */
  inputPart: number;
  /** label: N selector bits, their sum, the index (N > 2), N products, N (R + 1) bounded differences; hashed: the
   * chain (over the salt and the outputs) */
  outputPart: number;
  /** a context: its square (one product), which binds it as a public input */
  context: number;
  total: number;
}

/**
 * The constraint count of the circuit renderCircuit(q, vis) writes, part by part, as circom2 counts it at --O1.
 * The derivation of each part is in ConstraintBreakdown; test/soundness.test.ts compiles circuits and checks it.
 */
export function constraintCount(q: QModel, vis: Visibility = DEFAULT_VISIBILITY): ConstraintBreakdown {
  const privateWeights = vis.weights !== "fixed";
  const qc = privateWeights ? privateWeightsModel(q) : q;
  const shapes = irShapes(qc);
  const N = batchOf(vis);
  const nIn = size(shapes[0]), nOut = size(shapes[shapes.length - 1]);
  const b: ConstraintBreakdown = { inputRange: nIn * (GADGET_COST.inRange(q.input.bits) + GADGET_COST.inputTop[inputTopCheck(q)](q.input.bits)), nonlinear: 0, linearOutputs: 0, products: 0, weightsCommitment: 0, inputPart: 0, outputPart: 0, context: contextOf(vis) === "sender" ? GADGET_COST.product : 0, total: 0 };
  // the model's last op when its values are the public outputs: a copy is bound to its public signal
  const publicLast = (k: number) => k === qc.ops.length - 1 && vis.output === "public";
  qc.ops.forEach((op, k) => {
    const n = size(shapes[k + 1]);
    switch (op.op) {
      case "dense":
      case "conv2d":
        if (privateWeights) b.products += countOpMacs(op, shapes[k]) * GADGET_COST.product;
        if (qc.ops[k + 1]?.op !== "requant") b.linearOutputs += n * GADGET_COST.bind;
        break;
      case "sumpool2d": {
        // its sum bound to a wire an output, but for a plain copy (one in-bounds tap at multiplier 1): see poolCopies
        const copies = poolCopies(op, shapes[k]).reduce((a, c) => a + c, 0);
        b.linearOutputs += (n - copies) * GADGET_COST.bind + (publicLast(k) ? copies * GADGET_COST.copy : 0);
        break;
      }
      case "maxpool2d": {
        // per output, a running max over its in-bounds taps (a padded window's border outputs have fewer; one is a copy)
        const p = opPlan(op, shapes[k]);
        for (let o = 0; o < n; o++) b.nonlinear += p.count[o] > 1 ? (p.count[o] - 1) * GADGET_COST.maxStep(op.bits) : publicLast(k) ? GADGET_COST.copy : 0;
        break;
      }
      case "requant":
        b.nonlinear += n * GADGET_COST.requant(op.bits, clampHighBits(op) > 0);
        break;
      case "add":
        // the weighted sum of two tensors bound to a wire per value
        b.linearOutputs += n * GADGET_COST.bind;
        break;
      case "mul":
        // x t: one product constraint per value (its requant is an op of its own)
        b.nonlinear += n * GADGET_COST.product;
        break;
      case "clip":
        b.nonlinear += n * ((op.lo !== undefined ? 1 : 0) + (op.hi !== undefined ? 1 : 0)) * GADGET_COST.clampStep(op.bits);
        break;
      case "leakyrelu":
        b.nonlinear += n * GADGET_COST.leaky(op.bits);
        break;
      case "table":
        b.nonlinear += n * GADGET_COST.table(op.bits, tableProducts(op));
        break;
      case "flatten":
      case "gather":
        // a re-indexing of wires
        break;
      case "concat": {
        // wiring; a side brought to the common step by a multiplier other than 1 bound to a wire per value
        const [a, ma, c, mc] = concatSides(op, [size(shapes[k])], [size(shapes[op.from])]);
        b.linearOutputs += ((ma !== 1 ? a[0] : 0) + (mc !== 1 ? c[0] : 0)) * GADGET_COST.bind;
        break;
      }
    }
  });
  // a batch repeats the model: every part so far once per inference; the commitments cover all of them
  for (const k of ["inputRange", "nonlinear", "linearOutputs", "products"] as const) b[k] *= N;
  if (vis.weights === "hashed") {
    let limbs = 0;
    for (const w of paramWidths(q)) {
      const op = q.ops[w.op] as Extract<QOp, { op: "dense" | "conv2d" }>;
      b.weightsCommitment += op.weights.length * GADGET_COST.inRange(w.weightBits) + op.bias.length * GADGET_COST.inRange(w.biasBits);
      limbs += Math.ceil(op.weights.length / perLimb(w.weightBits)) + Math.ceil(op.bias.length / perLimb(w.biasBits));
    }
    b.weightsCommitment += limbs * GADGET_COST.bind + hashChainConstraints(limbs);
  }
  const inLimbs = Math.ceil((N * nIn) / perLimb(q.input.bits));
  const inBinds = (inLimbs - copiedLimbs(N * nIn, perLimb(q.input.bits), q.input.min)) * GADGET_COST.bind;
  if (vis.input === "packed") b.inputPart = inBinds;
  // hashed input and output: the chain's first value is the salt
  if (vis.input === "hashed") b.inputPart = inBinds + hashChainConstraints(1 + inLimbs);
  // a batch's labels: each inference's argmax, then its labels packed into limbs, each bound to its public signal
  const labelPer = perLimb(labelWidth(nOut));
  if (vis.output === "label") b.outputPart = N * GADGET_COST.argmax(nOut, labelBits(q, vis.weights)) + (N > 1 ? (Math.ceil(N / labelPer) - copiedLimbs(N, labelPer, 0n)) * GADGET_COST.bind : 0);
  if (vis.output === "hashed") b.outputPart = hashChainConstraints(1 + N * nOut);
  b.total = b.inputRange + b.nonlinear + b.linearOutputs + b.products + b.weightsCommitment + b.inputPart + b.outputPart + b.context;
  return b;
}
