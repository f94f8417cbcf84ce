/**
 * What a model is and what proving it costs, before anything is compiled: its layers (output shape, parameters,
 * multiply-accumulates), and per statement the constraints (the cost model), public signals (the layout) and the
 * powers of tau a Groth16 setup needs; plus every approximation made on the way in (an importer's folds, the
 * quantization's widths and saturations). It sits in the pipeline, not the model, because it asks the statement
 * and the proof systems. Data only: src/report/inspect.ts renders it.
 */
import { countMacs, QModel } from "../ir/ir";
import { countParams, layerOutputShape, ModelFile, planOf } from "../model/format";
import { constraintCount } from "../statement/cost";
import { publicLayout, statementLayout } from "../statement/layout";
import { DEFAULT_VISIBILITY, OPEN_VISIBILITY, Visibility } from "../statement/visibility";
import { circuitSystemFor } from "../systems/registry";
import type { Shape } from "../ir/window";

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
}

/** The statements inspect-model weighs: the default one, paper0's (hashed weights), a hashed input, every value public. */
export const INSPECTED_STATEMENTS: { label: string; visibility: Visibility }[] = [
  { label: "default (input packed, weights fixed, output label)", visibility: DEFAULT_VISIBILITY },
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
  const layers = m.layers.map((l, index) => {
    const outShape = layerOutputShape(l, shape, `layers[${index}]`);
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
