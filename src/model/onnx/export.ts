/**
 * A model file (zkml-model/1) as an ONNX model: so a user takes the zoo to other tools (EZKL reads ONNX), and the
 * tests write ONNX files without Python. One node per layer: dense -> Gemm (transB = 1, weights [out][in] as
 * stored), conv2d -> Conv, avgpool2d -> AveragePool, maxpool2d -> MaxPool, flatten -> Flatten, relu -> Relu,
 * add -> Add of the running tensor and the earlier one (Sub when one side is negated), mul -> Mul of the two (then a Mul by its scale), clip -> Clip (bounds as scalar inputs), leakyrelu -> LeakyRelu, table -> Sigmoid, Tanh, Exp, Erf (gelu: torch's Div/Erf/Add/Mul/Mul),
 * gather -> Reshape (flat), Gather on axis 1, Reshape; concat -> both flat, Concat on axis 1 (a flat output). The
 * input is [1, ...shape] (batch 1); the declared input range travels in metadata (zkml.input_range), which the
 * importer reads back.
 */
import { forwardFloat, forwardTrace, Layer, ModelFile } from "../format";
import { ATTRIBUTE_TYPE, DATA_TYPE, encodeOnnx, OnnxAttribute, OnnxModel, OnnxNode, OnnxTensor } from "./proto";

/** The opset the exporter writes: every op above has had its present form since 13. */
export const EXPORT_OPSET = 13;
export const INPUT_RANGE_KEY = "zkml.input_range";

export const floatTensor = (name: string, dims: number[], values: ArrayLike<number>): OnnxTensor => ({ name, dims, dataType: DATA_TYPE.FLOAT, floatData: Array.from(values) });
export const intsAttr = (name: string, ints: number[]): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPE.INTS, ints });
export const intAttr = (name: string, i: number): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPE.INT, i });
export const floatAttr = (name: string, f: number): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPE.FLOAT, f });
export const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: DATA_TYPE.FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

/** The nodes and initializers of one layer reading tensor `x`, writing `y`; `tensor(j)` names layers[j]'s output (-1: the input). */
function layerNodes(l: Layer, k: number, x: string, y: string, tensor: (j: number) => string, outShape: number[] = []): { nodes: OnnxNode[]; init: OnnxTensor[] } {
  const name = `${l.type}_${k}`;
  switch (l.type) {
    case "dense": {
      const inSize = l.weights[0]?.length ?? 0;
      const w = floatTensor(`${name}.weight`, [l.units, inSize], l.weights.flat());
      const b = floatTensor(`${name}.bias`, [l.units], l.bias);
      return { nodes: [{ name, opType: "Gemm", input: [x, w.name!, b.name!], output: [y], attribute: [intAttr("transB", 1)] }], init: [w, b] };
    }
    case "conv2d": {
      const inC = l.weights[0].length;
      const w = floatTensor(`${name}.weight`, [l.filters, inC, l.kernel[0], l.kernel[1]], l.weights.flat(3));
      const b = floatTensor(`${name}.bias`, [l.filters], l.bias);
      const [ph, pw] = l.padding ?? [0, 0];
      const attribute = [intsAttr("kernel_shape", l.kernel), intsAttr("strides", l.stride ?? [1, 1]), intsAttr("pads", [ph, pw, ph, pw]), ...((l.groups ?? 1) > 1 ? [intAttr("group", l.groups!)] : [])];
      return { nodes: [{ name, opType: "Conv", input: [x, w.name!, b.name!], output: [y], attribute }], init: [w, b] };
    }
    case "avgpool2d":
    case "maxpool2d": {
      const [ph, pw] = l.padding ?? [0, 0];
      const attribute = [intsAttr("kernel_shape", l.pool), intsAttr("strides", l.stride ?? l.pool)];
      if (ph > 0 || pw > 0) attribute.push(intsAttr("pads", [ph, pw, ph, pw]));
      // ONNX's default is 0; the model file's (absent) is to count padded taps, as torch's nn.AvgPool2d does
      if (l.type === "avgpool2d" && (ph > 0 || pw > 0)) attribute.push(intAttr("count_include_pad", l.countIncludePad === false ? 0 : 1));
      return { nodes: [{ name, opType: l.type === "avgpool2d" ? "AveragePool" : "MaxPool", input: [x], output: [y], attribute }], init: [] };
    }
    case "flatten":
      return { nodes: [{ name, opType: "Flatten", input: [x], output: [y], attribute: [intAttr("axis", 1)] }], init: [] };
    case "relu":
      return { nodes: [{ name, opType: "Relu", input: [x], output: [y] }], init: [] };
    case "add":
      // negate: a Sub, x - t or t - x
      if (l.negate) return { nodes: [{ name, opType: "Sub", input: l.negate === "from" ? [x, tensor(l.from)] : [tensor(l.from), x], output: [y] }], init: [] };
      return { nodes: [{ name, opType: "Add", input: [x, tensor(l.from)], output: [y] }], init: [] };
    case "mul": {
      // x t, then times the scale (a Mul by a scalar) when there is one
      if (l.scale === undefined || l.scale === 1) return { nodes: [{ name, opType: "Mul", input: [x, tensor(l.from)], output: [y] }], init: [] };
      const c = floatTensor(`${name}.scale`, [], [l.scale]);
      return {
        nodes: [
          { name, opType: "Mul", input: [x, tensor(l.from)], output: [`${y}_product`] },
          { name: `${name}_scale`, opType: "Mul", input: [`${y}_product`, c.name!], output: [y] },
        ],
        init: [c],
      };
    }
    case "clip": {
      // opset 13: the bounds are inputs (scalars); an absent one is the empty name
      const bound = (v: number | undefined, which: string) => (v === undefined ? undefined : floatTensor(`${name}.${which}`, [], [v]));
      const lo = bound(l.min, "min"), hi = bound(l.max, "max");
      const input = [x, lo?.name ?? "", ...(hi ? [hi.name!] : [])];
      return { nodes: [{ name, opType: "Clip", input, output: [y] }], init: [lo, hi].filter((t): t is OnnxTensor => t !== undefined) };
    }
    case "leakyrelu":
      return { nodes: [{ name, opType: "LeakyRelu", input: [x], output: [y], attribute: [floatAttr("alpha", l.alpha)] }], init: [] };
    case "gather": {
      // flat, Gather on axis 1 (the identity when index is absent), reshaped to [1, ...shape]
      const src = l.from === undefined ? x : tensor(l.from);
      const flat = { name: `${name}.flat`, dims: [2], dataType: DATA_TYPE.INT64, int64Data: [1, -1] };
      const to = { name: `${name}.shape`, dims: [1 + l.shape.length], dataType: DATA_TYPE.INT64, int64Data: [1, ...l.shape] };
      if (!l.index) return { nodes: [{ name, opType: "Reshape", input: [src, to.name], output: [y] }], init: [to] };
      const idx = { name: `${name}.index`, dims: [l.index.length], dataType: DATA_TYPE.INT64, int64Data: l.index };
      return {
        nodes: [
          { name: `${name}_flat`, opType: "Reshape", input: [src, flat.name], output: [`${y}_flat`] },
          { name, opType: "Gather", input: [`${y}_flat`, idx.name], output: [`${y}_gathered`], attribute: [intAttr("axis", 1)] },
          { name: `${name}_shape`, opType: "Reshape", input: [`${y}_gathered`, to.name], output: [y] },
        ],
        init: [flat, idx, to],
      };
    }
    case "concat": {
      // both flat, joined on axis 1, reshaped to the concat's shape
      const t = tensor(l.from);
      const ins = l.fromFirst ? [t, x] : [x, t];
      const flat = { name: `${name}.flat`, dims: [2], dataType: DATA_TYPE.INT64, int64Data: [1, -1] };
      const to = { name: `${name}.shape`, dims: [1 + outShape.length], dataType: DATA_TYPE.INT64, int64Data: [1, ...outShape] };
      return {
        nodes: [
          ...ins.map((v, j) => ({ name: `${name}_flat${j}`, opType: "Reshape", input: [v, flat.name], output: [`${y}_flat${j}`] })),
          { name, opType: "Concat", input: [`${y}_flat0`, `${y}_flat1`], output: [`${y}_joined`], attribute: [intAttr("axis", 1)] },
          { name: `${name}_shape`, opType: "Reshape", input: [`${y}_joined`, to.name], output: [y] },
        ],
        init: [flat, to],
      };
    }
    case "table": {
      if (l.fn === "gelu") {
        // as torch.onnx.export writes nn.GELU() before opset 20: x * (1 + erf(x / sqrt(2))) * 0.5 as Div, Erf, Add, Mul, Mul
        const c = (v: number, n: string) => floatTensor(`${name}.${n}`, [], [v]);
        const [r2, one, half] = [c(Math.SQRT2, "sqrt2"), c(1, "one"), c(0.5, "half")];
        return {
          nodes: [
            { name: `${name}_div`, opType: "Div", input: [x, r2.name!], output: [`${y}_div`] },
            { name: `${name}_erf`, opType: "Erf", input: [`${y}_div`], output: [`${y}_erf`] },
            { name: `${name}_add`, opType: "Add", input: [`${y}_erf`, one.name!], output: [`${y}_add`] },
            { name: `${name}_mul`, opType: "Mul", input: [x, `${y}_add`], output: [`${y}_mul`] },
            { name, opType: "Mul", input: [`${y}_mul`, half.name!], output: [y] },
          ],
          init: [r2, one, half],
        };
      }
      if (l.fn === "gelu_tanh") throw new Error(`${name}: GELU's tanh form needs opset 20 (Gelu, approximate "tanh"); the exporter writes opset ${EXPORT_OPSET}`);
      const opType = { sigmoid: "Sigmoid", tanh: "Tanh", exp: "Exp", erf: "Erf" }[l.fn];
      return { nodes: [{ name, opType, input: [x], output: [y] }], init: [] };
    }
    default: {
      const never: never = l;
      return never;
    }
  }
}

export function modelToOnnx(m: ModelFile): OnnxModel {
  const nodes: OnnxNode[] = [];
  const init: OnnxTensor[] = [];
  let x = "input";
  const tensor = (j: number) => (j === -1 ? "input" : j === m.layers.length - 1 ? "output" : `t${j}`);
  const shapes = forwardTrace(m, new Float64Array(m.input.shape.reduce((a, b) => a * b, 1))).map((t) => t.shape);
  m.layers.forEach((l, k) => {
    const y = tensor(k);
    const part = layerNodes(l, k, x, y, tensor, shapes[k]);
    nodes.push(...part.nodes);
    init.push(...part.init);
    x = y;
  });
  const outShape = forwardFloat(m, new Float64Array(m.input.shape.reduce((a, b) => a * b, 1))).shape;
  return {
    irVersion: 8,
    producerName: "zkml-hardhat",
    opsetImport: [{ domain: "", version: EXPORT_OPSET }],
    metadataProps: [{ key: INPUT_RANGE_KEY, value: JSON.stringify(m.input.range) }],
    graph: { name: m.name, node: nodes, initializer: init, input: [valueInfo("input", [1, ...m.input.shape])], output: [valueInfo("output", [1, ...outShape])] },
  };
}

export function exportOnnx(m: ModelFile): Uint8Array {
  return encodeOnnx(modelToOnnx(m));
}
