/**
 * circom renderer of the IR: the readable, auditable form of every circuit.
 *
 * Weights and biases are circuit constants, so dense, conv2d and sum pooling are linear combinations and cost
 * no multiplication constraint. Each weight row lives in a function of its own (V8 rejects a witness function
 * over 7.6 MB, and one row per function keeps each small), and the layer loops over it instead of unrolling
 * hundreds of thousands of terms into the source.
 *
 * The only non-linear op, requant (rescale with an optional fused ReLU), is one bounded bit decomposition,
 * written inline on the accumulator's linear combination (no intermediate signal, so no extra constraint):
 * for an accumulator x with |x| < 2^(K-1), u = x + 2^(K-1) is split into K boolean bits b_i with
 * sum b_i 2^i === u. Since K <= 240 < 253, that sum cannot wrap the BN254 field, so the decomposition is unique
 * (unlike Num2Bits(254), which x and x+p both satisfy). Then floor(x / 2^S) = sum_{i>=S} b_i 2^(i-S) - 2^(K-1-S),
 * b_{K-1} is "x >= 0", and ReLU is one product: out = b_{K-1} * sum_{S<=i<K-1} b_i 2^(i-S).
 * Cost: K boolean constraints + 1 for the sum + 1 for the output, per neuron (K + 2). Inputs are range-checked the same
 * way ([min, min + 2^B): B + 1 constraints each), so the bound analysis's assumptions hold for any proof.
 */
import { clampHighBits, concatSides, inputTop, inputTopCheck, irShapes, MuxNode, opPlan, QModel, QOp, sumPoolScale, tableMux, tableProducts, windowPadding } from "../../ir/ir";
import { Shape } from "../../ir/window";
import { DEFAULT_VISIBILITY, Visibility } from "../../statement/visibility";
import { publicInputNames, StatementLayout, statementLayout } from "../../statement/layout";
import { countOpMacs } from "../../statement/cost";
import { ARGMAX_LIBRARY, INPUT_TOP_LIBRARY, CIRCOM_VERSION_PRAGMA, HASH_LIBRARY, LIBRARY } from "./library";
import { labelBits, paramWidths, privateWeightsModel } from "../../statement/widths";
import { perLimb } from "../../statement/commitments";

const size = (s: Shape) => s.reduce((a, b) => a * b, 1);

export interface RenderedModel {
  /** Functions and the model template (no pragma, no library, no main). */
  source: string;
  template: string;
  inputs: number;
  outputs: number;
}

/** How each tensor is referenced in circom: a function of a flat index expression. */
type TensorRef = (idx: string) => string;

type Linear = Extract<QOp, { op: "dense" | "conv2d" }>;
type Requant = Extract<QOp, { op: "requant" }>;

/** The ops as rendered: a dense or conv followed by a requant is one step (the requant is fused onto its sum). */
function renderSteps(q: QModel): { k: number; op: QOp; fused?: Requant }[] {
  const steps: { k: number; op: QOp; fused?: Requant }[] = [];
  for (let k = 0; k < q.ops.length; k++) {
    const op = q.ops[k], next = q.ops[k + 1];
    if ((op.op === "dense" || op.op === "conv2d") && next?.op === "requant") steps.push({ k: k++, op, fused: next });
    else steps.push({ k, op });
  }
  return steps;
}

/**
 * Render one model as a template named `${prefix}Model`, with signals `x` (input) and `y` (output).
 * `prefix` keeps names apart when several models share one file (the property tests bundle many).
 */
export function renderModel(q: QModel, prefix = "Zkml", opts: { weights?: "constants" | "signals" } = {}): RenderedModel {
  const r = new ModelTemplate(q, prefix, opts.weights === "signals");
  const template = `${prefix}Model`;
  const source = `${r.fns.join("\n")}\n\n// ${q.name}: ${q.ops.map((o) => o.op).join(" -> ")}\ntemplate ${template}() {\n${r.body.join("\n")}\n}\n`;
  return { source, template, inputs: r.nIn, outputs: r.nOut };
}

/** The model template's functions (constant weight rows) and body, op by op. */
class ModelTemplate {
  readonly fns: string[] = [];
  readonly body: string[] = [];
  readonly nIn: number;
  readonly nOut: number;
  private readonly shapes: Shape[];
  /** how each tensor so far is referenced: refs[k] is ops[k]'s input */
  private readonly refs: TensorRef[] = [(i) => `x[${i}]`];
  private readonly lastOp: number;

  constructor(
    private readonly q: QModel,
    private readonly prefix: string,
    private readonly signalWeights: boolean,
  ) {
    this.shapes = irShapes(q);
    this.nIn = size(this.shapes[0]);
    this.nOut = size(this.shapes[this.shapes.length - 1]);
    this.lastOp = q.ops.length - 1;
    this.inputs();
    for (const step of renderSteps(q)) {
      this.body.push(``, `    // ops[${step.k}]: ${describeOp(step.op, this.shapes[step.k], this.shapes[step.k + 1])}`);
      this.op(step.k, step.op, step.fused);
    }
    // Outputs not written by a final linear or pooling op are copied out.
    const last = q.ops[this.lastOp];
    const wroteY = last && (last.op === "dense" || last.op === "conv2d" || last.op === "sumpool2d" || last.op === "add" || last.op === "mul");
    if (!wroteY) this.body.push(``, `    for (var i = 0; i < ${this.nOut}; i++) {`, `        y[i] <== ${this.refs[this.refs.length - 1]("i")};`, `    }`);
  }

  /** x, y, the private weights when they are signals, and x's range checks. */
  private inputs(): void {
    const { q, body, nIn } = this;
    body.push(`    signal input x[${nIn}];`, `    signal output y[${this.nOut}];`);
    if (this.signalWeights)
      q.ops.forEach((op, k) => {
        if (op.op === "dense" || op.op === "conv2d") body.push(`    signal input w${k}[${op.weights.length}];`, `    signal input b${k}[${op.bias.length}];`);
      });
    const top = inputTopCheck(q);
    const check = top === "half" ? `ZkmlInRangeHalf(${q.input.bits}, ${q.input.min})` : `ZkmlInRange(${q.input.bits}, ${q.input.min})`;
    if (top !== "none") body.push(`    // the declared range ends at ${inputTop(q)}, below the bits' top: x <= ${inputTop(q)} too`);
    body.push(`    component inRange[${nIn}];`);
    body.push(`    for (var i = 0; i < ${nIn}; i++) {`, `        inRange[i] = ${check};`, `        inRange[i].in <== x[i];`, `    }`);
    if (top === "bits") {
      body.push(`    component atMost[${nIn}];`);
      body.push(`    for (var i = 0; i < ${nIn}; i++) {`, `        atMost[i] = ZkmlAtMost(${q.input.bits}, ${inputTop(q)});`, `        atMost[i].in <== x[i];`, `    }`);
    }
  }

  private op(k: number, op: QOp, fused?: Requant): void {
    switch (op.op) {
      case "dense":
      case "conv2d":
        return this.linear(k, op, fused);
      case "sumpool2d":
        return this.sumPool(k, op);
      case "maxpool2d":
        return this.maxPool(k, op);
      case "requant": {
        const n = size(this.shapes[k + 1]);
        this.body.push(...requantSignals(k, n, op), `    for (var i = 0; i < ${n}; i++) {`);
        this.body.push(...requantLines(k, "i", this.refs[k]("i"), op, 2), `    }`);
        this.refs.push((i) => `rq${k}[${i}]`);
        return;
      }
      case "flatten":
        this.body.push(`    // (reshape only: channel-major order is already flat)`);
        this.refs.push(this.refs[k]);
        return;
      case "add":
        return this.add(k, op);
      case "mul":
        return this.mul(k, op);
      case "clip":
        return this.clip(k, op);
      case "leakyrelu":
        return this.leaky(k, op);
      case "table":
        return this.table(k, op);
      case "gather":
        return this.gather(k, op);
      case "concat":
        return this.concat(k, op);
      default: {
        const never: never = op;
        throw new Error(`unknown op ${JSON.stringify(never)}`);
      }
    }
  }

  /** A residual connection: mul x + fromMul t, t an earlier tensor (its signals), bound to a signal per value. */
  private add(k: number, op: Extract<QOp, { op: "add" }>): void {
    const n = size(this.shapes[k + 1]);
    const target = k === this.lastOp ? "y" : `ad${k}`;
    if (k !== this.lastOp) this.body.push(`    signal ad${k}[${n}];`);
    // a negative multiplier (a Sub) as a subtraction
    const term = (m: number, ref: string) => (Math.abs(m) === 1 ? ref : `${Math.abs(m)} * ${ref}`);
    const sum = `${op.mul < 0 ? "-" : ""}${term(op.mul, this.refs[k]("i"))} ${op.fromMul < 0 ? "-" : "+"} ${term(op.fromMul, this.refs[op.from]("i"))}`;
    this.body.push(`    for (var i = 0; i < ${n}; i++) {`, `        ${target}[i] <== ${sum};`, `    }`);
    this.refs.push((i) => `${target}[${i}]`);
  }

  /** A product of two activations: x t, t an earlier tensor (its signals), one product constraint a value. */
  private mul(k: number, op: Extract<QOp, { op: "mul" }>): void {
    const n = size(this.shapes[k + 1]);
    const target = k === this.lastOp ? "y" : `ml${k}`;
    if (k !== this.lastOp) this.body.push(`    signal ml${k}[${n}];`);
    this.body.push(`    for (var i = 0; i < ${n}; i++) {`, `        ${target}[i] <== ${this.refs[k]("i")} * ${this.refs[op.from]("i")};`, `    }`);
    this.refs.push((i) => `${target}[${i}]`);
  }

  /**
   * A re-indexing (Transpose, Reshape, a branch's start): no signal and no constraint. Its reference reads the source
   * (the running tensor, or tensor `from`) at the position its index table (a function's constant array) names.
   */
  private gather(k: number, op: Extract<QOp, { op: "gather" }>): void {
    const src = this.refs[op.from ?? k];
    if (!op.index) {
      this.body.push(`    // (a reshape: the same values in the same order)`);
      this.refs.push(src);
      return;
    }
    this.fns.push(`function ${this.prefix}_op${k}_g() {\n    return [${op.index.join(", ")}];\n}`);
    this.body.push(`    var g${k}[${op.index.length}] = ${this.prefix}_op${k}_g();`);
    if (!op.index.includes(-1)) {
      this.refs.push((i) => src(`g${k}[${i}]`));
      return;
    }
    // a padded position (-1) is the constant 0: a signal per value, each a copy or a constant, which circom --O1 substitutes
    const n = op.index.length;
    this.body.push(`    signal gz${k}[${n}];`, `    for (var i = 0; i < ${n}; i++) {`, `        if (g${k}[i] == -1) {`, `            gz${k}[i] <== 0;`, `        } else {`, `            gz${k}[i] <== ${src(`g${k}[i]`)};`, `        }`, `    }`);
    this.refs.push((i) => `gz${k}[${i}]`);
  }

  /**
   * A join of two tensors: no constraint where both sides keep their values (their steps agree); a side at a
   * multiplier m other than 1 is one signal per value, cc<k>[j][i] <== m * v (one linear constraint each). Its
   * reference reads the first side below its length, the second past it (conditions known at compile time).
   */
  private concat(k: number, op: Extract<QOp, { op: "concat" }>): void {
    const x = { ref: this.refs[k], n: size(this.shapes[k]) }, t = { ref: this.refs[op.from], n: size(this.shapes[op.from]) };
    const [a, ma, b, mb] = concatSides(op, [x], [t]);
    const sides = [[a[0], ma], [b[0], mb]] as const;
    const refs = sides.map(([side, m], j) => {
      if (m === 1) return side.ref;
      this.body.push(`    signal cc${k}_${j}[${side.n}];`, `    for (var i = 0; i < ${side.n}; i++) {`, `        cc${k}_${j}[i] <== ${m} * ${side.ref("i")};`, `    }`);
      return (i: string) => `cc${k}_${j}[${i}]`;
    });
    const na = a[0].n;
    this.body.push(`    // (a concatenation: values 0..${na - 1} from the first side, ${na}.. from the second)`);
    this.refs.push((i) => `((${i}) < ${na} ? ${refs[0](i)} : ${refs[1](`(${i}) - ${na}`)})`);
  }

  /**
   * A clip, one comparison per bound (GADGET_COST.clampStep): for the lower bound lo, d = m - lo + 2^(R-1) is
   * decomposed into R bits (|m - lo| < 2^(R-1), so d lies in [0, 2^R)); its top bit s is "m >= lo", and
   * m' = lo + s (m - lo) is one product. The upper bound hi the same on d = hi - m + 2^(R-1): m' = hi + s (m - hi).
   * R + 2 constraints per bound and value. Signals: cl<k>b[i][j][0..R) the bits, cl<k>[i][j] the value after bound j.
   */
  private clip(k: number, op: Extract<QOp, { op: "clip" }>): void {
    const n = size(this.shapes[k + 1]);
    const R = op.bits;
    const bounds = [...(op.lo !== undefined ? [{ c: op.lo, lower: true }] : []), ...(op.hi !== undefined ? [{ c: op.hi, lower: false }] : [])];
    const J = bounds.length;
    this.body.push(`    signal cl${k}b[${n}][${J}][${R}];`, `    signal cl${k}[${n}][${J}];`, `    for (var i = 0; i < ${n}; i++) {`, `        var m = ${this.refs[k]("i")};`);
    bounds.forEach(({ c, lower }, j) => {
      const b = `cl${k}b[i][${j}]`;
      this.body.push(
        ...decompositionLines(b, lower ? `m - (${c})` : `(${c}) - m`, R).map((l) => `        ${l}`),
        `            cl${k}[i][${j}] <== (${c}) + ${b}[${R - 1}] * (m - (${c}));`,
        `            m = cl${k}[i][${j}];`,
        `        }`,
      );
    });
    this.body.push(`    }`);
    this.refs.push((i) => `cl${k}[${i}][${J - 1}]`);
  }

  /**
   * A leaky ReLU, y = 2^F x for x >= 0 and alpha x below (exact): u = x + 2^(K-1) decomposed into K bits, whose top
   * one s is "x >= 0"; y = alpha x + s ((2^F - alpha) x) is one product. K + 2 constraints per value.
   * Signals: lr<k>b[i][0..K) the bits, lr<k>[i] the value.
   */
  private leaky(k: number, op: Extract<QOp, { op: "leakyrelu" }>): void {
    const n = size(this.shapes[k + 1]);
    const K = op.bits;
    const b = `lr${k}b[i]`;
    this.body.push(
      `    signal lr${k}b[${n}][${K}];`,
      `    signal lr${k}[${n}];`,
      `    for (var i = 0; i < ${n}; i++) {`,
      `        var lx = ${this.refs[k]("i")};`,
      ...decompositionLines(b, "lx", K).map((l) => `        ${l}`),
      `            lr${k}[i] <== (${op.alpha}) * lx + ${b}[${K - 1}] * ((${(1n << BigInt(op.shift)) - op.alpha}) * lx);`,
      `        }`,
      `    }`,
    );
    this.refs.push((i) => `lr${k}[${i}]`);
  }

  /**
   * An activation by table lookup, y = T[x - lo] (ir.ts tableValues, never recomputed here): u = x - lo decomposed into
   * B bits, then ir.ts's multiplexer tree written out (the same for every value): constant and linear nodes as
   * expressions of the bits, every other node a signal m <== m0 + b (m1 - m0), one product, in post-order; the root
   * is the value. B + 1 + P constraints per value (GADGET_COST.table). Signals: tb<k>b[i][0..B) the bits,
   * tb<k>m[i][0..P-1) the inner nodes, tb<k>[i] the value.
   */
  private table(k: number, op: Extract<QOp, { op: "table" }>): void {
    const n = size(this.shapes[k + 1]);
    const B = op.bits;
    const b = `tb${k}b[i]`;
    const root = tableMux(op);
    const P = tableProducts(op);
    const lines: string[] = [];
    let next = 0;
    const node = (m: MuxNode): string => {
      if (m.kind === "const") return `(${m.c})`;
      if (m.kind === "lin") return `((${m.c0}) + ${b}[${m.bit}] * (${m.c1 - m.c0}))`;
      const m0 = node(m.lo), m1 = node(m.hi);
      const w = m === root ? `tb${k}[i]` : `tb${k}m[i][${next++}]`;
      lines.push(`        ${w} <== ${m0} + ${b}[${m.bit}] * (${m1} - ${m0});`);
      return w;
    };
    node(root);
    this.body.push(
      `    signal tb${k}b[${n}][${B}];`,
      ...(P > 1 ? [`    signal tb${k}m[${n}][${P - 1}];`] : []),
      `    signal tb${k}[${n}];`,
      `    for (var i = 0; i < ${n}; i++) {`,
      `        var u = ${this.refs[k]("i")} - (${op.lo});`,
      `        var lc = 0;`,
      `        for (var j = 0; j < ${B}; j++) {`,
      `            ${b}[j] <-- (u >> j) & 1;`,
      `            ${b}[j] * (${b}[j] - 1) === 0;`,
      `            lc += ${b}[j] * (1 << j);`,
      `        }`,
      `        lc === u;`,
      ...lines,
      `    }`,
    );
    this.refs.push((i) => `tb${k}[${i}]`);
  }

  /**
   * A dense or conv op: per output, the accumulator over its taps (constant weights from this row's function, or
   * with private weights one product signal per multiply-accumulate), into the fused requant or out as signals.
   */
  private linear(k: number, op: Linear, fused?: Requant): void {
    const { body, prefix, signalWeights } = this;
    const inRef = this.refs[k];
    const inShape = this.shapes[k];
    const outShape = this.shapes[k + 1];
    const n = size(outShape);
    const target = fused ? `rq${k + 1}` : k === this.lastOp ? "y" : `lin${k}`;
    if (fused) body.push(...requantSignals(k + 1, n, fused));
    else if (k !== this.lastOp) body.push(`    signal lin${k}[${n}];`);
    const sink = (idx: string, acc: string, indent: number) => (fused ? requantLines(k + 1, idx, acc, fused, indent) : [`${pad(indent)}${target}[${idx}] <== ${acc};`]);
    const rows = op.op === "dense" ? op.units : op.filters;
    const per = op.weights.length / rows;
    const mac = (wIdx: string, xRef: string, indent: number) =>
      signalWeights
        ? [`${pad(indent)}p${k}[t${k}] <== w${k}[${wIdx}] * ${xRef};`, `${pad(indent)}acc += p${k}[t${k}];`, `${pad(indent)}t${k}++;`]
        : [`${pad(indent)}acc += w${k}[${wIdx}] * ${xRef};`];
    if (signalWeights) body.push(`    signal p${k}[${countOpMacs(op, inShape)}];`, `    var t${k} = 0;`);
    else {
      const row = (values: bigint[]) => `[${values.join(", ")}]`;
      for (let r = 0; r < rows; r++) this.fns.push(`function ${prefix}_op${k}_w${r}() {\n    return ${row(op.weights.slice(r * per, (r + 1) * per))};\n}`);
      this.fns.push(`function ${prefix}_op${k}_b() {\n    return ${row(op.bias)};\n}`);
      body.push(`    var b${k}[${rows}] = ${prefix}_op${k}_b();`, `    var w${k}[${per}];`);
    }
    const rowOffset = (r: string, idx: string) => (signalWeights ? `${r} * ${per} + ${idx}` : idx);
    if (op.op === "dense") {
      if (signalWeights) {
        body.push(`    for (var r = 0; r < ${rows}; r++) {`, `        var acc = b${k}[r];`);
        body.push(`        for (var i = 0; i < ${op.inSize}; i++) {`, ...mac(rowOffset("r", "i"), inRef("i"), 3), `        }`);
        body.push(...sink("r", "acc", 2), `    }`);
      } else
        for (let r = 0; r < rows; r++) {
          body.push(`    w${k} = ${prefix}_op${k}_w${r}();`, `    {`, `        var acc = b${k}[${r}];`);
          body.push(`        for (var i = 0; i < ${op.inSize}; i++) {`, ...mac("i", inRef("i"), 3), `        }`);
          body.push(...sink(String(r), "acc", 2), `    }`);
        }
    } else {
      const [, h, w] = inShape;
      const [, oh, ow] = outShape;
      const [kh, kw] = op.kernel;
      const [sh, sw] = op.stride;
      const [ph, pw] = op.padding;
      // a filter reads the c channels of its group (all of them with one group): input channel `channel(f)` for its c-th
      const groups = op.groups ?? 1, c = inShape[0] / groups;
      const channel = (f: string) => (groups === 1 ? "c" : /^\d+$/.test(f) ? `(${Math.floor(Number(f) / (rows / groups)) * c} + c)` : `((${f} \\ ${rows / groups}) * ${c} + c)`);
      const filterLoop = (f: string, indent: number) => {
        const P = pad(indent);
        return [
          `${P}for (var oy = 0; oy < ${oh}; oy++) {`, `${P}    for (var ox = 0; ox < ${ow}; ox++) {`, `${P}        var acc = b${k}[${f}];`,
          `${P}        for (var c = 0; c < ${c}; c++) {`, `${P}            for (var ky = 0; ky < ${kh}; ky++) {`, `${P}                for (var kx = 0; kx < ${kw}; kx++) {`,
          `${P}                    var iy = oy * ${sh} + ky;`, `${P}                    var ix = ox * ${sw} + kx;`,
          `${P}                    if (iy >= ${ph} && iy < ${h + ph} && ix >= ${pw} && ix < ${w + pw}) {`,
          ...mac(rowOffset(f, `(c * ${kh} + ky) * ${kw} + kx`), inRef(`(${channel(f)} * ${h} + iy - ${ph}) * ${w} + ix - ${pw}`), indent + 6),
          `${P}                    }`, `${P}                }`, `${P}            }`, `${P}        }`,
          ...sink(`${f} * ${oh * ow} + oy * ${ow} + ox`, "acc", indent + 2), `${P}    }`, `${P}}`,
        ];
      };
      if (signalWeights) body.push(`    for (var f = 0; f < ${rows}; f++) {`, ...filterLoop("f", 2), `    }`);
      else for (let f = 0; f < rows; f++) body.push(`    w${k} = ${prefix}_op${k}_w${f}();`, ...filterLoop(String(f), 1));
    }
    if (fused) {
      this.refs.push(inRef); // placeholder for the linear op's own output; never read
      this.refs.push((i) => `rq${k + 1}[${i}]`);
      body.push(`    // ops[${k + 1}]: requant fused above (K=${fused.bits})`);
    } else this.refs.push((i) => `${target}[${i}]`);
  }

  /** A pool's window at output (ch, oy, ox): `taps` lines once per in-bounds tap (a padded position skipped), `v` its input
   * value. Every condition is known when circom compiles, so a padded pool's border outputs simply have fewer taps. */
  private tapLoop(k: number, op: Extract<QOp, { op: "sumpool2d" | "maxpool2d" }>, taps: string[]): string[] {
    const [, h, w] = this.shapes[k];
    const [kh, kw] = op.pool;
    const [ph, pw] = windowPadding(op);
    return [
      `for (var ky = 0; ky < ${kh}; ky++) {`, `    for (var kx = 0; kx < ${kw}; kx++) {`,
      `        var iy = oy * ${op.stride[0]} + ky;`, `        var ix = ox * ${op.stride[1]} + kx;`,
      `        if (iy >= ${ph} && iy < ${h + ph} && ix >= ${pw} && ix < ${w + pw}) {`,
      `            var v = ${this.refs[k](`(ch * ${h} + iy - ${ph}) * ${w} + ix - ${pw}`)};`, ...taps.map((l) => `            ${l}`),
      `        }`, `    }`, `}`,
    ];
  }

  /** A pool's outputs (ch, oy, ox), `o` the flat index: `lines` once per output. */
  private poolWalk(k: number, lines: string[]): string[] {
    const [c] = this.shapes[k];
    const [, oh, ow] = this.shapes[k + 1];
    return [
      `    for (var ch = 0; ch < ${c}; ch++) {`, `        for (var oy = 0; oy < ${oh}; oy++) {`, `            for (var ox = 0; ox < ${ow}; ox++) {`,
      `                var o = (ch * ${oh} + oy) * ${ow} + ox;`, ...lines.map((l) => `                ${l}`),
      `            }`, `        }`, `    }`,
    ];
  }

  /** An exact sum over each window's in-bounds taps (an average pool whose division is folded into the next scale), times
   * L / n for a pool whose padded taps do not count (n the output's taps, L sumPoolScale's divisor). */
  private sumPool(k: number, op: Extract<QOp, { op: "sumpool2d" }>): void {
    const target = k === this.lastOp ? "y" : `sp${k}`;
    if (k !== this.lastOp) this.body.push(`    signal sp${k}[${size(this.shapes[k + 1])}];`);
    const scaled = op.exclusive ? ` * (${sumPoolScale(op, this.shapes[k]).divisor} \\ n)` : "";
    this.body.push(...this.poolWalk(k, ["var acc = 0;", "var n = 0;", ...this.tapLoop(k, op, ["acc += v;", "n++;"]), `${target}[o] <== acc${scaled};`]));
    this.refs.push((i) => `${target}[${i}]`);
  }

  /**
   * A running max over the window's in-bounds taps: for each next value v, d = v - m + 2^(R-1) is decomposed into R bits
   * (|v - m| < 2^(R-1), so d lies in [0, 2^R)); its top bit c is "v >= m", and m' = m + c * (v - m) is one product, the
   * last one the output mp<k>y[o]. Per output (T - 1)(R + 2) constraints for T in-bounds taps (a copy when T = 1). Steps
   * are numbered across the op: s for the bits of every step, u for the running maxima before the last.
   */
  private maxPool(k: number, op: Extract<QOp, { op: "maxpool2d" }>): void {
    const R = op.bits;
    const counts = Array.from(opPlan(op, this.shapes[k]).count);
    const steps = counts.reduce((a, t) => a + t - 1, 0);
    const inner = steps - counts.filter((t) => t > 1).length;
    this.body.push(`    signal mp${k}y[${counts.length}];`);
    if (steps > 0) this.body.push(`    signal mp${k}b[${steps}][${R}];`);
    if (inner > 0) this.body.push(`    signal mp${k}[${inner}];`);
    this.body.push(`    var s${k} = 0;`, `    var u${k} = 0;`);
    const b = (bit: string) => `mp${k}b[s${k}][${bit}]`;
    const step = [
      `if (j == 0) {`, `    m = v;`, `} else {`,
      `    var d = v - m + ${1n << BigInt(R - 1)};`, `    var lc = 0;`, `    for (var b = 0; b < ${R}; b++) {`,
      `        ${b("b")} <-- (d >> b) & 1;`, `        ${b("b")} * (${b("b")} - 1) === 0;`, `        lc += ${b("b")} * (1 << b);`, `    }`,
      `    lc === d;`,
      `    if (j == t - 1) {`, `        mp${k}y[o] <== m + ${b(String(R - 1))} * (v - m);`, `    } else {`,
      `        mp${k}[u${k}] <== m + ${b(String(R - 1))} * (v - m);`, `        m = mp${k}[u${k}];`, `        u${k}++;`, `    }`,
      `    s${k}++;`, `}`, `j++;`,
    ];
    // the in-bounds taps counted first (t), so that the last step writes the output
    const copy = [`if (t == 1) {`, `    mp${k}y[o] <== m;`, `}`];
    this.body.push(...this.poolWalk(k, ["var t = 0;", ...this.tapLoop(k, op, ["t++;"]), "var j = 0;", "var m = 0;", ...this.tapLoop(k, op, step), ...copy]));
    this.refs.push((i) => `mp${k}y[${i}]`);
  }
}

/**
 * The requant of element `idx` of tensor `rq<k>`, written inline on the accumulator expression `acc`, so
 * that no intermediate signal (and no extra linear constraint) stands between the sum and its decomposition.
 * Signals: rq<k>b[idx][0..K) the bits, rq<k>[idx] the result.
 */
function requantSignals(k: number, n: number, op: Extract<QOp, { op: "requant" }>): string[] {
  const out = [`    signal rq${k}b[${n}][${op.bits}];`, `    signal rq${k}[${n}];`];
  if (clampHighBits(op) > 0) out.push(`    signal rq${k}o[${n}];`, `    signal rq${k}inv[${n}];`, `    signal ${op.relu ? `rq${k}t` : `rq${k}h`}[${n}];`);
  return out;
}

/** Opens a requant's block: u = acc + 2^(K-1) split into the K boolean signals b[0..K), their sum equal to u. */
function decompositionLines(b: string, acc: string, K: number): string[] {
  return [
    `{`,
    `    var u = ${acc} + ${1n << BigInt(K - 1)};`,
    `    var lc = 0;`,
    `    for (var j = 0; j < ${K}; j++) {`,
    `        ${b}[j] <-- (u >> j) & 1;`,
    `        ${b}[j] * (${b}[j] - 1) === 0;`,
    `        lc += ${b}[j] * (1 << j);`,
    `    }`,
    `    lc === u;`,
  ];
}

function requantLines(k: number, idx: string, acc: string, op: Extract<QOp, { op: "requant" }>, indent: number): string[] {
  const K = op.bits, S = op.shift;
  const b = `rq${k}b[${idx}]`;
  if (clampHighBits(op) > 0) return clampedRequantLines(k, idx, acc, op, indent);
  const lines = [
    ...decompositionLines(b, acc, K),
    `    var m = 0;`,
    `    for (var j = ${S}; j < ${K - 1}; j++) {`,
    `        m += ${b}[j] * (1 << (j - ${S}));`,
    `    }`,
    op.relu ? `    rq${k}[${idx}] <== ${b}[${K - 1}] * m;` : `    rq${k}[${idx}] <== m - (1 - ${b}[${K - 1}]) * ${1n << BigInt(K - 1 - S)};`,
    `}`,
  ];
  return lines.map((l) => pad(indent) + l);
}

/**
 * A saturating requant (clamp A, H = clampHighBits(op) > 0 bits above the clamp's range). The same K-bit
 * decomposition of u = acc + 2^(K-1), then:
 *   ReLU:   lo = bits S..S+A-1 as a number, h = the count of set bits S+A..K-2; o = [h != 0] (the value
 *           reached 2^A); t = o (2^A - 1 - lo); out = sign * (lo + t)
 *   signed: lo = bits S..S+A-2 as a number; h = the count of high bits S+A-1..K-2 that differ from the sign
 *           (h = hs + (1 - sign)(H - 2 hs), one product); in range iff h = 0; the in-range value is
 *           lo - (1 - sign) 2^(A-1), the saturated one sign (2^A - 1) - 2^(A-1);
 *           out = lo - (1 - sign) 2^(A-1) + o (sign (2^(A-1) - 1) - lo)
 * o = [h != 0] with an inverse: o = h inv, h (1 - o) = 0, (1 - o) inv = 0. The third constraint pins inv to 0
 * when h = 0, so every wire is determined by the inputs (circomlib's IsZero leaves it free). Signals:
 * rq<k>o, rq<k>inv, and rq<k>t (ReLU) or rq<k>h (signed). Cost: K + 6 per neuron, 4 more than without.
 */
function clampedRequantLines(k: number, idx: string, acc: string, op: Extract<QOp, { op: "requant" }>, indent: number): string[] {
  const K = op.bits, S = op.shift, A = op.clamp!, H = clampHighBits(op);
  const b = `rq${k}b[${idx}]`, o = `rq${k}o[${idx}]`, inv = `rq${k}inv[${idx}]`, sign = `${b}[${K - 1}]`;
  const lines = [
    ...decompositionLines(b, acc, K),
    `    var lo = 0;`,
    `    for (var j = ${S}; j < ${op.relu ? S + A : S + A - 1}; j++) {`,
    `        lo += ${b}[j] * (1 << (j - ${S}));`,
    `    }`,
    `    var hs = 0;`,
    `    for (var j = ${K - 1 - H}; j < ${K - 1}; j++) {`,
    `        hs += ${b}[j];`,
    `    }`,
  ];
  let h = "hs";
  if (!op.relu) {
    lines.push(`    rq${k}h[${idx}] <== hs + (1 - ${sign}) * (${H} - 2 * hs);`);
    h = `rq${k}h[${idx}]`;
  }
  lines.push(
    `    ${inv} <-- ${h} != 0 ? 1 / ${h} : 0;`,
    `    ${o} <== ${h} * ${inv};`,
    `    ${h} * (1 - ${o}) === 0;`,
    `    (1 - ${o}) * ${inv} === 0;`,
  );
  if (op.relu) lines.push(`    rq${k}t[${idx}] <== ${o} * (${(1n << BigInt(A)) - 1n} - lo);`, `    rq${k}[${idx}] <== ${sign} * (lo + rq${k}t[${idx}]);`);
  else lines.push(`    rq${k}[${idx}] <== lo - (1 - ${sign}) * ${1n << BigInt(A - 1)} + ${o} * (${sign} * ${(1n << BigInt(A - 1)) - 1n} - lo);`);
  lines.push(`}`);
  return lines.map((l) => pad(indent) + l);
}

function pad(n: number): string {
  return "    ".repeat(n);
}

function describeOp(op: QOp, inShape: Shape, outShape: Shape): string {
  const s = (x: Shape) => x.join("x");
  switch (op.op) {
    case "requant":
      return `requant ${s(inShape)}: floor(x / 2^${op.shift})${op.relu ? ", relu" : ""}, ${op.bits}-bit range${clampHighBits(op) > 0 ? `, saturated to ${op.clamp} bits` : ""}`;
    case "add":
      return `add ${s(inShape)}: ${op.mul} x + ${op.fromMul} t${op.from} (tensor ${op.from}: ${op.from === 0 ? "the input" : `ops[${op.from - 1}]'s output`})`;
    case "mul":
      return `mul ${s(inShape)}: x t${op.from} (tensor ${op.from}: ${op.from === 0 ? "the input" : `ops[${op.from - 1}]'s output`})`;
    case "clip":
      return `clip ${s(inShape)}: to [${op.lo ?? "-inf"}, ${op.hi ?? "inf"}], ${op.bits}-bit comparisons`;
    case "leakyrelu":
      return `leakyrelu ${s(inShape)}: 2^${op.shift} x if x >= 0, else ${op.alpha} x; ${op.bits}-bit sign`;
    case "table":
      return `table ${op.fn} ${s(inShape)}: x in [${op.lo}, ${op.lo + (1n << BigInt(op.bits)) - 1n}] (${op.bits} bits), steps ${op.inStep} -> ${op.outStep}`;
    case "gather":
      return `gather ${op.from === undefined ? s(inShape) : `tensor ${op.from}`} -> ${s(outShape)}${op.index ? ", re-indexed" : ", the same order"}`;
    case "concat":
      return `concat ${op.fromFirst ? `${op.fromMul} t${op.from}, ${op.mul} x` : `${op.mul} x, ${op.fromMul} t${op.from}`} -> ${s(outShape)}`;
    default:
      return `${op.op} ${s(inShape)} -> ${s(outShape)}`;
  }
}

/**
 * A complete circom file proving one model, with what the verifier sees set by `vis` (src/statement/visibility.ts).
 * Public signals: main's outputs (the output part), then its public inputs as declared (the input part, then
 * the weights commitment).
 */
export function renderCircuit(q: QModel, vis: Visibility = DEFAULT_VISIBILITY): string {
  const privateWeights = vis.weights !== "fixed";
  const qc = privateWeights ? privateWeightsModel(q) : q;
  const m = renderModel(qc, "Zkml", { weights: privateWeights ? "signals" : "constants" });
  const needsHash = vis.input === "hashed" || vis.weights === "hashed" || vis.output === "hashed";
  const body: string[] = [];
  const linear = qc.ops.flatMap((op, k) => (op.op === "dense" || op.op === "conv2d" ? [{ op, k }] : []));

  const L = statementLayout(q, vis);
  body.push(`    signal input x[${L.inputValues}];`);
  if (privateWeights) for (const { op, k } of linear) body.push(`    signal input w${k}[${op.weights.length}];`, `    signal input b${k}[${op.bias.length}];`);
  body.push(outputDeclaration(L), ...publicInputDeclarations(L), ...L.salts.map((salt) => `    signal input ${salt};`));
  body.push(...modelInstances(L, m.template, privateWeights ? linear.map((l) => l.k) : []));
  body.push(...outputBinding(L, L.output.kind === "label" || L.output.kind === "labels" ? labelBits(q, vis.weights) : undefined), ...inputBinding(L));
  if (L.weights.kind === "commitment") body.push(...weightsCommitmentLines(q, linear, L.weights.tag));
  // the context is bound by its square: a public input in a constraint, so the proof is of this context only
  if (L.context.kind === "context") body.push(`    signal contextSquare;`, `    contextSquare <== ${L.context.signal} * ${L.context.signal};`);
  const pub = publicInputNames(L);

  return [
    `pragma circom ${CIRCOM_VERSION_PRAGMA};`,
    `// Generated by zkml-hardhat from the IR of "${q.name}". Do not edit: regenerate with prove-model.`,
    `// Visibility: input ${vis.input}, weights ${vis.weights}, output ${vis.output}${L.context.kind === "context" ? `, context ${vis.context}` : ""}.`,
    `// Public signals: the output part, then the input part, then the weights commitment${L.context.kind === "context" ? ", then the context" : ""} (see src/statement/layout.ts).`,
    needsHash ? `include "circomlib/circuits/poseidon.circom";` : ``,
    LIBRARY,
    ...(inputTopCheck(q) !== "none" ? [INPUT_TOP_LIBRARY] : []),
    needsHash ? HASH_LIBRARY : ``,
    vis.output === "label" ? ARGMAX_LIBRARY : ``,
    m.source,
    `template ZkmlMain() {\n${body.join("\n")}\n}`,
    ``,
    `component main ${pub.length ? `{public [${pub.join(", ")}]} ` : ""}= ZkmlMain();`,
    ``,
  ].join("\n");
}

/**
 * Several models in one circuit, for tests: one compile and one witness check cover them all. Output signals
 * are the concatenation of each model's outputs; inputs are x<j>.
 */
export function renderBundle(models: QModel[]): { source: string; outputs: number[]; inputs: number[] } {
  const parts = models.map((q, j) => renderModel(q, `B${j}`));
  const body: string[] = [];
  parts.forEach((p, j) => body.push(`    signal input x${j}[${p.inputs}];`));
  const total = parts.reduce((a, p) => a + p.outputs, 0);
  body.push(`    signal output y[${total}];`);
  let off = 0;
  parts.forEach((p, j) => {
    body.push(`    component m${j} = ${p.template}();`, `    m${j}.x <== x${j};`);
    body.push(`    for (var i = 0; i < ${p.outputs}; i++) { y[${off} + i] <== m${j}.y[i]; }`);
    off += p.outputs;
  });
  const source = [
    `pragma circom ${CIRCOM_VERSION_PRAGMA};`,
    LIBRARY,
    ...(models.some((q) => inputTopCheck(q) !== "none") ? [INPUT_TOP_LIBRARY] : []),
    ...parts.map((p) => p.source),
    `template Bundle() {\n${body.join("\n")}\n}`,
    `component main = Bundle();`,
    ``,
  ].join("\n");
  return { source, outputs: parts.map((p) => p.outputs), inputs: parts.map((p) => p.inputs) };
}

/** main's output signal: the output part (src/statement/layout.ts). */
function outputDeclaration(L: StatementLayout): string {
  return L.output.kind === "values" || L.output.kind === "labels" ? `    signal output ${L.output.signal}[${L.output.count}];` : `    signal output ${L.output.signal};`;
}

/** The model once (`model`), or once per inference of a batch (`model[i]`, on x's i-th slice), sharing the weights. */
function modelInstances(L: StatementLayout, template: string, weightOps: number[]): string[] {
  if (L.batch === 1) return [``, `    component model = ${template}();`, `    model.x <== x;`, ...weightOps.flatMap((k) => [`    model.w${k} <== w${k};`, `    model.b${k} <== b${k};`])];
  const out = [``, `    // a batch of ${L.batch} inferences: one model each, on its slice of x`, `    component model[${L.batch}];`, `    for (var i = 0; i < ${L.batch}; i++) {`, `        model[i] = ${template}();`];
  out.push(`        for (var j = 0; j < ${L.inputSize}; j++) {`, `            model[i].x[j] <== x[i * ${L.inputSize} + j];`, `        }`);
  for (const k of weightOps) out.push(`        model[i].w${k} <== w${k};`, `        model[i].b${k} <== b${k};`);
  out.push(`    }`);
  return out;
}

/** main's public inputs past x: the packed limbs or the input's hash, then the weights' hash, then the context. */
function publicInputDeclarations(L: StatementLayout): string[] {
  const out: string[] = [];
  if (L.input.kind === "limbs") out.push(`    signal input ${L.input.signal}[${L.input.count}];`);
  if (L.input.kind === "commitment") out.push(`    signal input ${L.input.signal};`);
  if (L.weights.kind === "commitment") out.push(`    signal input ${L.weights.signal};`);
  if (L.context.kind === "context") out.push(`    signal input ${L.context.signal};`);
  return out;
}

/** The output part from the model's outputs: copied, their argmax (R-bit differences), or their hash. */
function outputBinding(L: StatementLayout, R: number | undefined): string[] {
  const n = L.outputValues, m = L.outputSize, N = L.batch;
  // every output of the batch, inference after inference
  const each = (to: (i: string) => string) =>
    N === 1 ? [`    ${to("")} <== model.y;`] : [`    for (var i = 0; i < ${N}; i++) {`, `        for (var j = 0; j < ${m}; j++) {`, `            ${to(`[i * ${m} + j]`)} <== model[i].y[j];`, `        }`, `    }`];
  switch (L.output.kind) {
    case "values":
      return each((at) => `y${at}`);
    case "label":
      return [`    component am = ZkmlArgmax(${n}, ${R});`, `    am.in <== model.y;`, `    label <== am.out;`];
    case "labels": {
      const { perLimb: c, bits } = L.output;
      const lines = [`    component am[${N}];`, `    for (var i = 0; i < ${N}; i++) {`, `        am[i] = ZkmlArgmax(${m}, ${R});`, `        am[i].in <== model[i].y;`, `    }`];
      for (let j = 0; j * c < N; j++) {
        const terms: string[] = [];
        for (let t = 0; t < c && j * c + t < N; t++) terms.push(`am[${j * c + t}].out * ${1n << BigInt(bits * t)}`);
        lines.push(`    labels[${j}] <== ${terms.join(" + ")};`);
      }
      return lines;
    }
    case "commitment": {
      // the salt first, then every output of the batch
      const outs =
        N === 1
          ? [`    for (var j = 0; j < ${m}; j++) {`, `        hy.in[1 + j] <== model.y[j];`, `    }`]
          : [`    for (var i = 0; i < ${N}; i++) {`, `        for (var j = 0; j < ${m}; j++) {`, `            hy.in[1 + i * ${m} + j] <== model[i].y[j];`, `        }`, `    }`];
      return [`    component hy = ZkmlHashChain(${n + 1}, ${L.output.tag});`, `    hy.in[0] <== ${L.output.salt};`, ...outs, `    yHash <== hy.out;`];
    }
  }
}

/** The packed limbs (or their hash) equal to the input's: x is range-checked inside the model, which makes the packing injective. */
function inputBinding(L: StatementLayout): string[] {
  if (L.input.kind !== "limbs" && L.input.kind !== "commitment") return [];
  const { perLimb: c, bits: B, min } = L.input;
  const n = L.inputValues, limbs = Math.ceil(n / c);
  const packed = (j: number) => {
    const terms: string[] = [];
    for (let t = 0; t < c && j * c + t < n; t++) terms.push(`(x[${j * c + t}] - ${min}) * ${1n << BigInt(B * t)}`);
    return terms.join(" + ");
  };
  if (L.input.kind === "limbs") return Array.from({ length: limbs }, (_, j) => `    xPacked[${j}] === ${packed(j)};`);
  return [`    component hx = ZkmlHashChain(${limbs + 1}, ${L.input.tag});`, `    hx.in[0] <== ${L.input.salt};`, ...Array.from({ length: limbs }, (_, j) => `    hx.in[${j + 1}] <== ${packed(j)};`), `    xHash === hx.out;`];
}

/** Hashed weights: each parameter range-checked to its tensor's width P (P + 1 constraints), packed floor(253 / P) a limb, hashed. */
function weightsCommitmentLines(q: QModel, linear: { op: Extract<QOp, { op: "dense" | "conv2d" }>; k: number }[], tag: bigint): string[] {
  const widths = new Map(paramWidths(q).map((w) => [w.op, w]));
  const body: string[] = [];
  const limbLines: string[] = [];
  let nLimbs = 0;
  for (const { op, k } of linear) {
    const wd = widths.get(k)!;
    for (const [name, n, P] of [[`w${k}`, op.weights.length, wd.weightBits], [`b${k}`, op.bias.length, wd.biasBits]] as const) {
      const lo = -(1n << BigInt(P - 1));
      body.push(`    component r${name}[${n}];`, `    for (var i = 0; i < ${n}; i++) {`, `        r${name}[i] = ZkmlInRange(${P}, ${lo});`, `        r${name}[i].in <== ${name}[i];`, `    }`);
      const per = perLimb(P);
      for (let j = 0; j * per < n; j++) {
        limbLines.push(`    {`, `        var lc = 0;`, `        for (var t = 0; t < ${Math.min(per, n - j * per)}; t++) {`, `            lc += (${name}[${j * per} + t] - ${lo}) * (1 << (${P} * t));`, `        }`, `        hw.in[${nLimbs}] <== lc;`, `    }`);
        nLimbs++;
      }
    }
  }
  return [...body, `    component hw = ZkmlHashChain(${nLimbs}, ${tag});`, ...limbLines, `    wHash === hw.out;`];
}
