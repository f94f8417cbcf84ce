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
import { irShapes, QModel, QOp } from "./ir";
import { Shape } from "./model";

export const CIRCOM_VERSION_PRAGMA = "2.1.0";

export const LIBRARY = `
// x in [MIN, MIN + 2^B), by a B-bit decomposition of x - MIN.
template ZkmlInRange(B, MIN) {
    signal input in;
    signal bits[B];
    var lc = 0;
    var u = in - MIN;
    for (var i = 0; i < B; i++) {
        bits[i] <-- (u >> i) & 1;
        bits[i] * (bits[i] - 1) === 0;
        lc += bits[i] * (1 << i);
    }
    lc === in - MIN;
}
`;

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

/**
 * Render one model as a template named `${prefix}Model`, with signals `x` (input) and `y` (output).
 * `prefix` keeps names apart when several models share one file (the property tests bundle many).
 */
export function renderModel(q: QModel, prefix = "Zkml"): RenderedModel {
  const shapes = irShapes(q);
  const fns: string[] = [];
  const body: string[] = [];
  const nIn = size(shapes[0]);
  const nOut = size(shapes[shapes.length - 1]);
  const refs: TensorRef[] = [(i) => `x[${i}]`];
  const lastOp = q.ops.length - 1;

  body.push(`    signal input x[${nIn}];`, `    signal output y[${nOut}];`);
  body.push(`    component inRange[${nIn}];`);
  body.push(`    for (var i = 0; i < ${nIn}; i++) {`, `        inRange[i] = ZkmlInRange(${q.input.bits}, ${q.input.min});`, `        inRange[i].in <== x[i];`, `    }`);

  const row = (values: bigint[]) => `[${values.join(", ")}]`;

  for (let k = 0; k < q.ops.length; k++) {
    const op = q.ops[k];
    const inRef = refs[k];
    const inShape = shapes[k];
    const outShape = shapes[k + 1];
    const n = size(outShape);
    const next = q.ops[k + 1];
    body.push(``, `    // ops[${k}]: ${describeOp(op, inShape, outShape)}`);
    switch (op.op) {
      case "dense":
      case "conv2d": {
        // Where the accumulator goes: into the next requant (fused), or out as signals.
        const fuse = next?.op === "requant";
        const target = fuse ? `rq${k + 1}` : k === lastOp ? "y" : `lin${k}`;
        if (fuse && next.op === "requant") body.push(`    signal rq${k + 1}b[${n}][${next.bits}];`, `    signal rq${k + 1}[${n}];`);
        else if (k !== lastOp) body.push(`    signal lin${k}[${n}];`);
        const sink = (idx: string, acc: string, indent: number) =>
          fuse && next.op === "requant" ? requantLines(k + 1, idx, acc, next, indent) : [`${pad(indent)}${target}[${idx}] <== ${acc};`];
        const rows = op.op === "dense" ? op.units : op.filters;
        const per = op.weights.length / rows;
        const fn = `${prefix}_op${k}_w`;
        for (let r = 0; r < rows; r++) fns.push(`function ${fn}${r}() {\n    return ${row(op.weights.slice(r * per, (r + 1) * per))};\n}`);
        fns.push(`function ${prefix}_op${k}_b() {\n    return ${row(op.bias)};\n}`);
        body.push(`    var b${k}[${rows}] = ${prefix}_op${k}_b();`, `    var w${k}[${per}];`);
        if (op.op === "dense") {
          for (let r = 0; r < rows; r++) {
            body.push(`    w${k} = ${fn}${r}();`, `    {`, `        var acc = b${k}[${r}];`);
            body.push(`        for (var i = 0; i < ${op.inSize}; i++) {`, `            acc += w${k}[i] * ${inRef("i")};`, `        }`);
            body.push(...sink(String(r), "acc", 2), `    }`);
          }
        } else {
          const [c, h, w] = inShape;
          const [, oh, ow] = outShape;
          const [kh, kw] = op.kernel;
          const [sh, sw] = op.stride;
          const [ph, pw] = op.padding;
          for (let f = 0; f < rows; f++) {
            body.push(`    w${k} = ${fn}${f}();`);
            body.push(`    for (var oy = 0; oy < ${oh}; oy++) {`, `        for (var ox = 0; ox < ${ow}; ox++) {`, `            var acc = b${k}[${f}];`);
            body.push(`            for (var c = 0; c < ${c}; c++) {`, `                for (var ky = 0; ky < ${kh}; ky++) {`, `                    for (var kx = 0; kx < ${kw}; kx++) {`);
            body.push(`                        var iy = oy * ${sh} + ky;`, `                        var ix = ox * ${sw} + kx;`);
            body.push(`                        if (iy >= ${ph} && iy < ${h + ph} && ix >= ${pw} && ix < ${w + pw}) {`);
            body.push(`                            acc += w${k}[(c * ${kh} + ky) * ${kw} + kx] * ${inRef(`(c * ${h} + iy - ${ph}) * ${w} + ix - ${pw}`)};`);
            body.push(`                        }`, `                    }`, `                }`, `            }`);
            body.push(...sink(`${f * oh * ow} + oy * ${ow} + ox`, "acc", 3), `        }`, `    }`);
          }
        }
        if (fuse) {
          const rq = `rq${k + 1}`;
          refs.push(inRef); // placeholder for the linear op's own output; never read
          refs.push((i) => `${rq}[${i}]`);
          k++; // the requant was rendered here
          body.push(`    // ops[${k}]: requant fused above (K=${next.op === "requant" ? next.bits : 0})`);
        } else refs.push((i) => `${target}[${i}]`);
        break;
      }
      case "sumpool2d": {
        const [c, h, w] = inShape;
        const [, oh, ow] = outShape;
        const [kh, kw] = op.pool;
        const target = k === lastOp ? "y" : `sp${k}`;
        if (k !== lastOp) body.push(`    signal sp${k}[${n}];`);
        body.push(`    for (var ch = 0; ch < ${c}; ch++) {`, `        for (var oy = 0; oy < ${oh}; oy++) {`, `            for (var ox = 0; ox < ${ow}; ox++) {`, `                var acc = 0;`);
        body.push(`                for (var ky = 0; ky < ${kh}; ky++) {`, `                    for (var kx = 0; kx < ${kw}; kx++) {`);
        body.push(`                        acc += ${inRef(`(ch * ${h} + oy * ${op.stride[0]} + ky) * ${w} + ox * ${op.stride[1]} + kx`)};`);
        body.push(`                    }`, `                }`, `                ${target}[(ch * ${oh} + oy) * ${ow} + ox] <== acc;`, `            }`, `        }`, `    }`);
        refs.push((i) => `${target}[${i}]`);
        break;
      }
      case "requant": {
        body.push(`    signal rq${k}b[${n}][${op.bits}];`, `    signal rq${k}[${n}];`, `    for (var i = 0; i < ${n}; i++) {`);
        body.push(...requantLines(k, "i", inRef("i"), op, 2), `    }`);
        refs.push((i) => `rq${k}[${i}]`);
        break;
      }
      case "flatten":
        body.push(`    // (reshape only: channel-major order is already flat)`);
        refs.push(inRef);
        break;
    }
  }
  // Outputs not written by a final linear or pooling op are copied out.
  const last = q.ops[lastOp];
  const wroteY = last && (last.op === "dense" || last.op === "conv2d" || last.op === "sumpool2d");
  if (!wroteY) body.push(``, `    for (var i = 0; i < ${nOut}; i++) {`, `        y[i] <== ${refs[refs.length - 1]("i")};`, `    }`);

  const template = `${prefix}Model`;
  const source = `${fns.join("\n")}\n\n// ${q.name}: ${q.ops.map((o) => o.op).join(" -> ")}\ntemplate ${template}() {\n${body.join("\n")}\n}\n`;
  return { source, template, inputs: nIn, outputs: nOut };
}

/**
 * The requant of element `idx` of tensor `rq<k>`, written inline on the accumulator expression `acc`, so
 * that no intermediate signal (and no extra linear constraint) stands between the sum and its decomposition.
 * Signals: rq<k>b[idx][0..K) the bits, rq<k>[idx] the result.
 */
function requantLines(k: number, idx: string, acc: string, op: Extract<QOp, { op: "requant" }>, indent: number): string[] {
  const K = op.bits, S = op.shift;
  const b = `rq${k}b[${idx}]`;
  const lines = [
    `{`,
    `    var u = ${acc} + ${1n << BigInt(K - 1)};`,
    `    var lc = 0;`,
    `    for (var j = 0; j < ${K}; j++) {`,
    `        ${b}[j] <-- (u >> j) & 1;`,
    `        ${b}[j] * (${b}[j] - 1) === 0;`,
    `        lc += ${b}[j] * (1 << j);`,
    `    }`,
    `    lc === u;`,
    `    var m = 0;`,
    `    for (var j = ${S}; j < ${K - 1}; j++) {`,
    `        m += ${b}[j] * (1 << (j - ${S}));`,
    `    }`,
    op.relu ? `    rq${k}[${idx}] <== ${b}[${K - 1}] * m;` : `    rq${k}[${idx}] <== m - (1 - ${b}[${K - 1}]) * ${1n << BigInt(K - 1 - S)};`,
    `}`,
  ];
  return lines.map((l) => pad(indent) + l);
}

function pad(n: number): string {
  return "    ".repeat(n);
}

function describeOp(op: QOp, inShape: Shape, outShape: Shape): string {
  const s = (x: Shape) => x.join("x");
  switch (op.op) {
    case "requant":
      return `requant ${s(inShape)}: floor(x / 2^${op.shift})${op.relu ? ", relu" : ""}, ${op.bits}-bit range`;
    default:
      return `${op.op} ${s(inShape)} -> ${s(outShape)}`;
  }
}

/** A complete circom file proving one model: input and output public. */
export function renderCircuit(q: QModel): string {
  const m = renderModel(q);
  return [
    `pragma circom ${CIRCOM_VERSION_PRAGMA};`,
    `// Generated by zkml-hardhat from the IR of "${q.name}". Do not edit: regenerate with prove-model.`,
    `// Public signals: the ${m.outputs} outputs, then the ${m.inputs} inputs (circom orders outputs first).`,
    LIBRARY,
    m.source,
    `component main {public [x]} = ${m.template}();`,
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
    ...parts.map((p) => p.source),
    `template Bundle() {\n${body.join("\n")}\n}`,
    `component main = Bundle();`,
    ``,
  ].join("\n");
  return { source, outputs: parts.map((p) => p.outputs), inputs: parts.map((p) => p.inputs) };
}
