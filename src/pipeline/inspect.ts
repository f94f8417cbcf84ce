/**
 * What a model is and what proving it costs, before anything is compiled: its layers (output shape, parameters,
 * multiply-accumulates), and per statement the constraints (the cost model), public signals (the layout) and the
 * powers of tau a Groth16 setup needs; plus every approximation made on the way in (an importer's folds, the
 * quantization's widths and saturations). It sits in the pipeline, not the model, because it asks the statement
 * and the proof systems. Data only: src/report/inspect.ts renders it.
 */
import { countMacs, QModel } from "../ir/ir";
import { countParams, layerShapes, ModelFile, planOf } from "../model/format";
import { constraintCount } from "../statement/cost";
import { publicLayout, statementLayout } from "../statement/layout";
import { DEFAULT_VISIBILITY, OPEN_VISIBILITY, Visibility } from "../statement/visibility";
import { circuitSystemFor } from "../systems/registry";
import type { Shape } from "../ir/window";
import { importOnnx } from "../model/onnx/import";
import type { OnnxModel, OnnxNode } from "../model/onnx/proto";
import { diagnoseNodes, unsupportedLines } from "../model/onnx/support";
import { quantizeFor } from "../quantize/quantize";
import { MAX_POOL_TAPS, sumcheckArch } from "../systems/sumcheck/arch";
import { isZkmlError } from "../core/errors";

/** The proof systems inspect-model answers for: the circuit systems take what the IR takes; sumcheck less. */
export const INSPECTED_SYSTEMS = ["groth16", "plonk", "fflonk", "sumcheck"] as const;
export type InspectedSystem = (typeof INSPECTED_SYSTEMS)[number];

/** One node of an ONNX graph: its op, output shape (without the batch) where known, and who takes it. */
export interface NodeLine {
  index: number;
  name: string;
  op: string;
  outShape?: Shape;
  /** the layer it wrote or folded into */
  layer?: number;
  systems: Record<InspectedSystem, boolean>;
  /** why a system does not take it, the torch layer it likely comes from, and the fix */
  note?: string;
}

export interface LayerLine {
  index: number;
  type: string;
  outShape: Shape;
  params: number;
  macs: number;
}

export interface StatementLine {
  label: string;
  visibility: Visibility;
  constraints: number;
  publicSignals: number;
  ptauPower: number;
}

export interface ModelInspection {
  name: string;
  source: string;
  input: { shape: Shape; range: [number, number] };
  layers: LayerLine[];
  params: number;
  macs: number;
  statements: StatementLine[];
  /** what is not exact: importer folds and rewrites, the quantization's widths */
  approximations: string[];
  /** an ONNX file: every node of its graph */
  nodes?: NodeLine[];
  /** an ONNX file with unsupported nodes: the importer's refusal, a line per op or pattern (no layers nor statements then) */
  unsupported?: string[];
  /** a proof system's refusal of the whole model that no single node explains (the sumcheck system's table limits) */
  systemRefusals?: string[];
}

/** The statements inspect-model weighs: the default one, paper0's (hashed weights), a hashed input, every value public. */
export const INSPECTED_STATEMENTS: { label: string; visibility: Visibility }[] = [
  { label: "default (input packed, weights fixed, output label, bound to the submitter)", visibility: DEFAULT_VISIBILITY },
  { label: "hashed input (private pixels, a public commitment)", visibility: { input: "hashed", weights: "fixed", output: "label" } },
  { label: "hashed weights (paper0's statement)", visibility: { input: "packed", weights: "hashed", output: "label" } },
  { label: "every value public", visibility: OPEN_VISIBILITY },
];

/** A layer's multiply-accumulates as countMacs counts them (a convolution's in-bounds taps only), so the column adds up to the total. */
function layerMacs(l: ModelFile["layers"][number], inShape: Shape): number {
  if (l.type === "dense") return l.units * inShape.reduce((a, b) => a * b, 1);
  if (l.type === "conv2d") return planOf(l, inShape).count.reduce((a, b) => a + b, 0);
  return 0;
}

export function inspectModel(m: ModelFile, q: QModel, source: string): ModelInspection {
  let shape = m.input.shape;
  const shapes = layerShapes(m);
  const layers = m.layers.map((l, index) => {
    const outShape = shapes[index];
    const line = { index, type: l.type, outShape, params: countParams({ layers: [l] }), macs: layerMacs(l, shape) };
    shape = outShape;
    return line;
  });
  const statements = INSPECTED_STATEMENTS.map(({ label, visibility }) => {
    const constraints = constraintCount(q, visibility).total;
    const publicSignals = publicLayout(statementLayout(q, visibility)).publicSignals;
    return { label, visibility, constraints, publicSignals, ptauPower: circuitSystemFor({ system: "groth16" }, "a powers of tau").ptauPower({ constraints, publicSignals }) };
  });
  const notes = (m.provenance?.importNotes as string[] | undefined) ?? [];
  const requants = q.ops.filter((o) => o.op === "requant");
  const clamped = requants.filter((o) => o.op === "requant" && o.clamp !== undefined).length;
  const approximations = [
    ...notes,
    `quantized: input ${q.input.bits}-bit steps of ${q.input.step.toPrecision(3)} over [${q.input.range.join(", ")}]; ${requants.length} requantization(s) to ${[...new Set(requants.map((o) => (o.op === "requant" ? o.bits : 0)))].join("/")}-bit activations${clamped ? `, ${clamped} saturating` : ""}`,
  ];
  return { name: m.name, source, input: m.input, layers, params: countParams(m), macs: countMacs(q), statements, approximations };
}

const everySystem = (ok: boolean, sumcheck = ok): Record<InspectedSystem, boolean> => ({ groth16: ok, plonk: ok, fflonk: ok, sumcheck });

/** Why the sumcheck system refuses a layer (src/systems/sumcheck/arch.ts `sumcheckArch`, at the layer level), or undefined. */
function sumcheckRefusal(m: ModelFile, i: number): string | undefined {
  const l = m.layers[i];
  if ((l.type === "maxpool2d" || l.type === "avgpool2d") && (l.padding ?? [0, 0]).some((p) => p > 0)) return `sumcheck: a padded pool is not taken yet; groth16, plonk and fflonk prove it (a pool's in-bounds taps)`;
  if (l.type === "maxpool2d" && l.pool[0] * l.pool[1] > MAX_POOL_TAPS) return `sumcheck: a ${l.pool[0]}x${l.pool[1]} max pool (at most ${MAX_POOL_TAPS} taps: use 2x2 pools or an average pool)`;
  if (l.type === "maxpool2d" && m.layers[i - 1]?.type !== "relu") return `sumcheck: a max pool of ${i === 0 ? "the input" : `a ${m.layers[i - 1].type}'s output`} (it takes a ReLU's output: put the pool right after a ReLU)`;
  if (l.type === "conv2d" && (l.groups ?? 1) > 1) return "sumcheck: a grouped or depthwise conv is not taken yet; groth16, plonk and fflonk prove it (its in-group multiply-accumulates)";
  if (l.type === "conv2d" && ((l.padding ?? [0, 0])[0] >= l.kernel[0] || (l.padding ?? [0, 0])[1] >= l.kernel[1])) return "sumcheck: a conv's padding must be below its kernel";
  if (l.type === "clip" && !(l.min === 0 && l.max === undefined)) return "sumcheck: a clip (ReLU6, torch.clamp, HardSigmoid) is not taken yet; groth16, plonk and fflonk prove it (one comparison per bound)";
  if (l.type === "leakyrelu") return "sumcheck: a leaky ReLU is not taken yet; groth16, plonk and fflonk prove it (its sign bit and one product)";
  if (l.type === "table") return `sumcheck: an activation by table lookup (${l.fn}) is not taken yet (its logUp tables are a later step); groth16, plonk and fflonk prove it (x's bits and a multiplexer tree over the table)`;
  if (l.type === "gather") return "sumcheck: a re-indexing (Transpose, Reshape, a branch's start, Pad) is not taken yet; groth16, plonk and fflonk prove it (wiring: no constraint)";
  if (l.type === "mul") return "sumcheck: a product of two activations (HardSwish, x * y) is not taken yet; groth16, plonk and fflonk prove it (one product constraint a value)";
  if (l.type === "add" && l.negate) return "sumcheck: a difference of two activations (Sub) is not taken yet; groth16, plonk and fflonk prove it (one linear constraint a value)";
  if (l.type === "concat") return "sumcheck: a join of two tensors (Concat) is not taken yet; groth16, plonk and fflonk prove it (wiring: no constraint when the sides share a step)";
  if (l.type === "add" && l.from !== -1 && !["relu", "dense", "conv2d"].includes(m.layers[l.from].type))
    return `sumcheck: a residual add of layers[${l.from}] (${m.layers[l.from].type}); it adds the input or a ReLU/requant output`;
  return undefined;
}

/** Output shapes (without the batch) of a graph's tensors, where the file says them or a simple op keeps or computes them. */
function tensorShapes(g: OnnxModel["graph"]): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  const dims = (v: { type?: { tensorType?: { shape?: { dim?: { dimValue?: number }[] } } } }) => v.type?.tensorType?.shape?.dim?.map((d) => d.dimValue ?? 0);
  for (const v of [...(g?.input ?? []), ...(g?.valueInfo ?? []), ...(g?.output ?? [])]) {
    const d = dims(v);
    if (d && d.length > 1 && d.slice(1).every((x) => x > 0)) shapes.set(v.name, d.slice(1));
  }
  const init = new Map((g?.initializer ?? []).map((t) => [t.name ?? "", (t.dims ?? []).map(Number)]));
  const ints = (n: OnnxNode, a: string) => (n.attribute ?? []).find((x) => x.name === a)?.ints?.map(Number);
  for (const n of g?.node ?? []) {
    const out = (n.output ?? [])[0];
    const x = shapes.get((n.input ?? [])[0]);
    if (!out || shapes.has(out) || !x) continue;
    const w = init.get((n.input ?? [])[1]);
    const window = (k: number[], co: number) => {
      const s = ints(n, "strides") ?? [1, 1];
      const p = ints(n, "pads") ?? [0, 0, 0, 0];
      return [co, Math.floor((x[1] + p[0] + p[2] - k[0]) / s[0]) + 1, Math.floor((x[2] + p[1] + p[3] - k[1]) / s[1]) + 1];
    };
    let y: Shape | undefined;
    if (n.opType === "Conv" && w && x.length === 3) y = window(w.slice(2), w[0]);
    else if ((n.opType === "MaxPool" || n.opType === "AveragePool") && x.length === 3) y = window(ints(n, "kernel_shape") ?? [1, 1], x[0]);
    else if (n.opType === "GlobalAveragePool" && x.length === 3) y = [x[0], 1, 1];
    else if (n.opType === "Flatten") y = [x.reduce((a, b) => a * b, 1)];
    else if ((n.opType === "Gemm" || n.opType === "MatMul") && w && w.length === 2) {
      const transB = (n.attribute ?? []).find((a) => a.name === "transB")?.i;
      y = [...x.slice(0, -1), Number(transB) === 1 ? w[0] : w[1]];
    } else if (["Squeeze", "Unsqueeze"].includes(n.opType) && x.length === 3 && x[1] === 1 && x[2] === 1) y = [x[0]];
    else if (["Relu", "Sigmoid", "Tanh", "Clip", "LeakyRelu", "HardSwish", "HardSigmoid", "Erf", "Elu", "Selu", "Gelu", "Softmax", "LogSoftmax", "Dropout", "Identity", "BatchNormalization", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp"].includes(n.opType)) y = x;
    if (y) shapes.set(out, y);
  }
  return shapes;
}

/**
 * An ONNX file as inspect-model shows it: every node with its verdict per proof system; when the importer takes
 * it, the model's layers and statements too; when not, every unsupported node (not only the first) and the
 * parameter count of its initializers.
 */
export function inspectOnnx(m: OnnxModel, file: string, source: string): ModelInspection {
  const verdicts = diagnoseNodes(m);
  const graphNodes = m.graph?.node ?? [];
  const note = (v: (typeof verdicts)[number]) => {
    if (v.supported) return undefined;
    // a pattern's fix once, on its first node
    if (v.pattern) return v.pattern[0] === v.index ? `part of ${v.torch} (nodes ${v.pattern.join(", ")}); fix: ${v.fix}` : `part of ${v.torch} (see node ${v.pattern[0]})`;
    return [v.reason, v.torch && `likely ${v.torch}`, v.fix && `fix: ${v.fix}`].filter(Boolean).join("; ");
  };
  if (verdicts.some((v) => !v.supported)) {
    const shapes = tensorShapes(m.graph);
    const nodes = verdicts.map((v): NodeLine => {
      const outShape = shapes.get((graphNodes[v.index].output ?? [])[0]);
      return { index: v.index, name: v.name, op: v.op, ...(outShape ? { outShape } : {}), systems: everySystem(v.supported), ...(v.supported ? {} : { note: note(v) }) };
    });
    const inputs = (m.graph?.input ?? []).filter((i) => !(m.graph?.initializer ?? []).some((t) => t.name === i.name));
    const params = (m.graph?.initializer ?? []).reduce((a, t) => a + (t.dims ?? []).map(Number).reduce((x, y) => x * y, 1), 0);
    return {
      name: m.graph?.name || source,
      source,
      input: { shape: shapes.get(inputs[0]?.name ?? "") ?? [], range: [0, 1] },
      layers: [],
      params,
      macs: 0,
      statements: [],
      approximations: [],
      nodes,
      unsupported: unsupportedLines(verdicts),
    };
  }
  const { model, nodeLayers } = importOnnx(m, file);
  const q = quantizeFor(model);
  const r = inspectModel(model, q, source);
  const tensorShape = new Map<string, Shape>([[(m.graph?.input ?? []).find((i) => !(m.graph?.initializer ?? []).some((t) => t.name === i.name))?.name ?? "", model.input.shape]]);
  r.nodes = verdicts.map((v): NodeLine => {
    const n = graphNodes[v.index];
    const layer = nodeLayers[v.index];
    const outShape = layer !== undefined ? r.layers[layer].outShape : n.opType === "Constant" ? undefined : tensorShape.get((n.input ?? [])[0]);
    if (outShape) tensorShape.set((n.output ?? [])[0], outShape);
    const refusal = layer !== undefined ? sumcheckRefusal(model, layer) : undefined;
    return { index: v.index, name: v.name, op: v.op, ...(outShape ? { outShape } : {}), ...(layer !== undefined ? { layer } : {}), systems: everySystem(true, !refusal), ...(refusal ? { note: refusal } : {}) };
  });
  // what the layer rule above does not see (the requant tables' limits, the input's range): the system's own check
  try {
    sumcheckArch(q);
  } catch (e) {
    if (!isZkmlError(e) || r.nodes.some((n) => !n.systems.sumcheck)) {
      if (!isZkmlError(e)) throw e;
    } else r.systemRefusals = [`sumcheck: ${e.message}`];
  }
  return r;
}
