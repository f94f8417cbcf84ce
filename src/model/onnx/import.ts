/**
 * An ONNX model as a model file (zkml-model/1): the graph walked node by node into the project's layers, its
 * initializers and Constants as the weights. The graph must be a chain (each node reads the previous one's
 * output), with residual connections back to an earlier tensor of it: Gemm, MatMul (+ Add as its bias), Conv
 * (+ Add; grouped and depthwise too), Add of the running tensor and an earlier one (a residual connection), BatchNormalization (folded into
 * the Conv or Gemm before it, else a per-channel affine layer), Relu, MaxPool and AveragePool (symmetric pads below the
 * kernel too: ResNet's stem; count_include_pad either way), Pad (zeros on an image's height and width: folded into the
 * padding of the Conv or counting AveragePool reading it when symmetric, else a gather with zeros), GlobalAveragePool,
 * Sigmoid, Tanh, Exp, Erf and Gelu (opset 20, approximate none or tanh), and GELU as torch writes it before opset 20
 * (Div by sqrt 2, Erf, Add 1, Mul by x, Mul by 0.5): one table layer each (ir.ts's table op); Flatten, Reshape, Squeeze and Unsqueeze to any shape, Transpose (a gather: wiring), Concat of computed tensors on any
 * axis (a concat, then a gather when the axis is not the first of the values), a node reading an earlier tensor (a
 * second branch: a gather back to it), Dropout and Identity (nothing at inference), Constant; Clip (ReLU6, torch.clamp), LeakyRelu, HardSigmoid (a per-channel affine, folded where it
 * can be, then a clip); Mul, Add, Sub and Div with a constant (one value, or one per channel: folded into the Conv
 * or Gemm before it, else a diagonal layer); Sub of two computed tensors (an add with one side negated), Mul of two
 * (a mul, requantized after it; a positive scalar Mul or Div right after it folds into its scale), HardSwish (x / 6 + 1/2
 * as a diagonal layer, a clip to [0, 1], the product with x; torch's x * relu6(x + 3) / 6 imports as the same ops); Slice
 * with constant starts, ends, axes and steps (a gather); Shape, Gather, Concat, Cast, Slice and the arithmetic above on constants
 * (x.view(x.size(0), -1)) computed here, at batch 1. Batch dimension 1 (or symbolic). A graph
 * with unsupported nodes is refused once, all of them listed with the torch layer and a fix (./support.ts); any
 * other problem is an error naming the node, its op and its place in the graph.
 *
 * What is not exact is said: each fold or rewrite adds a line to the model's provenance (`importNotes`), which
 * inspect-model prints.
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { Conv2DLayer, DenseLayer, Layer, layerOutputShape, ModelFile, MODEL_FORMAT, validateModel } from "../format";
import type { Shape } from "../../ir/window";
import { INPUT_RANGE_KEY } from "./export";
import { DATA_TYPE, decodeOnnx, OnnxAttribute, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from "./proto";
import { diagnoseNodes, SUPPORTED_OPS, unsupportedMessage, zeroPad2d } from "./support";

export { SUPPORTED_OPS };
export const OPSETS = { min: 11, max: 21 };

interface Const {
  dims: number[];
  data: Float64Array;
}

/** Read an .onnx file as a model file. */
export function loadOnnxModel(file: string): ModelFile {
  if (!fs.existsSync(file)) throw new ZkmlError("MODEL_NOT_FOUND", `model file not found: ${file}`, { hint: "check the path" });
  return onnxToModel(decodeOnnx(fs.readFileSync(file), file), file);
}

export function onnxToModel(m: OnnxModel, file: string): ModelFile {
  return importOnnx(m, file).model;
}

/** An imported graph: the model, and per node the layer it wrote or folded into (undefined: none, as Dropout). */
export interface OnnxImport {
  model: ModelFile;
  nodeLayers: (number | undefined)[];
}

export function importOnnx(m: OnnxModel, file: string): OnnxImport {
  const fail = (message: string, hint?: string): never => {
    throw new ZkmlError("MODEL_INVALID", message, { file, hint });
  };
  const g = m.graph ?? fail("the file has no graph", "export the model again");
  const opset = (m.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx")?.version;
  if (opset === undefined || opset < OPSETS.min || opset > OPSETS.max)
    fail(`opset ${opset ?? "(none)"}: expected an ONNX opset from ${OPSETS.min} to ${OPSETS.max}`, "export with opset_version=17 (torch.onnx.export(..., opset_version=17); tf2onnx --opset 17)");
  // every unsupported node at once, before the walk below stops at the first thing it cannot take
  const refusal = unsupportedMessage(diagnoseNodes(m));
  if (refusal) fail(refusal, `npx hardhat inspect-model ${path.basename(file)} lists every node and which proof system takes it`);
  const consts = new Map<string, Const>();
  for (const t of g.initializer ?? []) consts.set(t.name ?? "", tensorValues(t, `initializer "${t.name}"`, fail));
  const inputs = (g.input ?? []).filter((v) => !consts.has(v.name));
  if (inputs.length !== 1) fail(`graph inputs: expected one input besides the initializers, got ${inputs.length} (${inputs.map((v) => v.name).join(", ")})`, "a model with one input tensor");
  const shape0 = inputShape(inputs[0], fail);

  const notes: string[] = [];
  const layers: Layer[] = [];
  let current = inputs[0].name;
  let shape: Shape = shape0;
  /** which layer wrote each tensor (-1: the input), for a residual Add reading an earlier one */
  const producedBy = new Map<string, number>([[current, -1]]);
  /** every activation's dimensions as ONNX has them (the batch, 1, first; a Squeeze or Unsqueeze's own rank), for a
   * Shape node reading it and a reshape of it */
  const shapeOf = new Map<string, number[]>([[current, [1, ...shape0]]]);
  /** the dimensions a reshaping node wrote (its ONNX rank), when it wrote no layer of another shape */
  let reshaped: number[] | undefined;
  /** how many nodes read each tensor: a fold into the layer that wrote it is only exact when nothing else does */
  const readers = new Map<string, number>();
  for (const n of g.node ?? []) for (const i of n.input ?? []) readers.set(i, (readers.get(i) ?? 0) + 1);
  /** the tensor the last layer wrote, so a following Add or BatchNormalization can fold into it */
  let lastLinearOut: string | undefined;
  const nodeLayers: (number | undefined)[] = [];
  /** every layer's output shape, for a concat reading an earlier one's */
  const outShapes: Shape[] = [];
  const push = (l: Layer) => {
    shape = layerOutputShape(l, shape, `layers[${layers.length}]`, file, (j) => (j === -1 ? shape0 : outShapes[j]));
    layers.push(l);
    outShapes.push(shape);
  };
  /** each tensor's shape as the layers have it (without the batch) */
  const layerShapeOf = new Map<string, Shape>([[current, shape0]]);
  /** a Pad's output that the Conv or AveragePool reading it takes as padding of its own: [rows, columns] on each side */
  const foldedPads = new Map<string, [number, number]>();
  /** the layer a per-channel y = s x + t folds into: the dense or conv before it, when nothing else reads its output */
  let foldInto: DenseLayer | Conv2DLayer | undefined;
  /** y = s x + t per channel: folded into the layer before it (exact up to float rounding), else a diagonal layer of its own */
  const affine = (s: Float64Array, t: Float64Array, what: string) => {
    if (foldInto) {
      foldAffine(foldInto, s, t, fail);
      notes.push(`${what} folded into layers[${layers.length - 1}] (${foldInto.type}): weights and bias scaled and shifted; exact up to float rounding`);
    } else {
      push(affineLayer(shape, s, t, fail));
      notes.push(`${what} with no Conv or Gemm of its own before it: a per-channel affine layer (layers[${layers.length - 1}], ${layers[layers.length - 1].type} with a diagonal kernel), requantized after it`);
    }
  };

  /** GELU as torch.onnx.export writes nn.GELU() before opset 20, x * (1 + erf(x / sqrt 2)) * 0.5: the Div's index -> the
   * Erf, Add, Mul and Mul after it, imported as one gelu table (those four skipped, their layer the table's) */
  const gelus = geluPatterns(g.node ?? [], consts);
  const geluNodes = new Map<number, number>();

  (g.node ?? []).forEach((node, k) => {
    const where = `node ${k} ("${node.name || "unnamed"}", ${node.opType})`;
    if (geluNodes.has(k)) {
      nodeLayers[k] = geluNodes.get(k);
      return;
    }
    const nodeFail = (message: string, hint?: string): never => fail(`${where}: ${message}`, hint);
    if (node.domain && node.domain !== "ai.onnx") nodeFail(`the op is in domain "${node.domain}"; supported: ${SUPPORTED_OPS.join(", ")} (the default domain)`, "export without custom or contrib ops");
    let out = (node.output ?? [])[0];
    if (node.opType === "Constant") {
      const t = attr(node, "value")?.t ?? nodeFail("a Constant without a tensor value (value_float and the like are not supported)");
      consts.set(out, tensorValues(t, where, fail));
      return;
    }
    const ins = node.input ?? [];
    // shape arithmetic (x.view(x.size(0), -1)): a node whose inputs are all constants, or a Shape of a tensor whose
    // shape is static, is computed here and becomes a constant (batch 1: a symbolic batch folds to 1)
    if (FOLDED_OPS.has(node.opType) && (node.opType === "Shape" ? shapeOf.has(ins[0]) : ins.filter(Boolean).length > 0 && ins.filter(Boolean).every((i) => consts.has(i)))) {
      consts.set(out, foldConstant(node, ins.map((i) => (i ? consts.get(i) : undefined)), shapeOf.get(ins[0]), (m, h) => fail(`${where}: ${m}`, h)));
      return;
    }
    const data = ins[0];
    const konst = (i: number, what: string, optional = false): Const | undefined => {
      const name = ins[i];
      if (!name) return optional ? undefined : nodeFail(`its ${what} (input ${i}) is missing`);
      return consts.get(name) ?? nodeFail(`its ${what} "${name}" is neither an initializer nor a Constant`, "weights must be stored in the file (initializers); a weight computed at run time is not supported");
    };
    /** a second branch: the running tensor set back to `name`, an earlier tensor of the graph (a gather: wiring) */
    const branchTo = (name: string) => {
      if (name === current) return;
      const j = producedBy.get(name);
      if (j === undefined) nodeFail(`it reads "${name}", which no earlier node computed`);
      push({ type: "gather", shape: layerShapeOf.get(name)!, from: j! });
      notes.push(`${where} starts a branch from "${name}" (layers[${layers.length - 1}]: a gather of that tensor, wiring only)`);
      current = name;
    };
    const fromPrevious = () => {
      if (data !== current)
        nodeFail(
          consts.has(data)
            ? `its input "${data}" is a constant, not the running tensor`
            : `its data input is "${data}", and the tensor computed just before it, "${current}", is another of its inputs: the importer takes this op's data from that one`,
          "export the op with the computed tensor as its data input (its first), as torch does for x * c, x + c and layers of x",
        );
    };
    // the layer a bias or a BatchNormalization folds into: the one that wrote the running tensor, which nothing else reads
    // a node that reads an earlier tensor, not the running one, starts a second branch there (before any fold is considered)
    const computed = ins.filter((i) => i && !consts.has(i) && producedBy.has(i));
    if (!ins.includes(current) && computed.length > 0 && node.opType !== "Concat") branchTo(computed[0]);
    const lastLayer = layers[layers.length - 1];
    const before = layers.length;
    /** the mul layer a scalar Mul or Div folded into, when one did */
    let scaledMul: number | undefined;
    const linear = lastLinearOut === current && (readers.get(current) ?? 0) <= 1 && (lastLayer?.type === "dense" || lastLayer?.type === "conv2d") ? lastLayer : undefined;
    foldInto = linear;
    const gelu = gelus.get(k);
    switch (gelu ? "GELU (Div/Erf/Add/Mul/Mul)" : node.opType) {
      case "GELU (Div/Erf/Add/Mul/Mul)": {
        fromPrevious();
        push({ type: "table", fn: "gelu", tensor: data });
        for (const j of gelu!.nodes) geluNodes.set(j, layers.length - 1);
        out = gelu!.out;
        notes.push(`${where} and the Erf, Add, Mul and Mul after it (torch's nn.GELU()): one gelu table, layers[${layers.length - 1}]`);
        break;
      }
      case "Sigmoid":
      case "Tanh":
      case "Exp":
      case "Erf":
        fromPrevious();
        push({ type: "table", fn: ({ Sigmoid: "sigmoid", Tanh: "tanh", Exp: "exp", Erf: "erf" } as const)[node.opType as "Sigmoid"], tensor: data });
        break;
      case "Gelu": {
        // opset 20: approximate "none" (erf) or "tanh"
        fromPrevious();
        const a = attr(node, "approximate")?.s;
        const approx = a ? Buffer.from(a).toString() : "none";
        if (approx !== "none" && approx !== "tanh") nodeFail(`approximate "${approx}": expected "none" or "tanh"`);
        push({ type: "table", fn: approx === "tanh" ? "gelu_tanh" : "gelu", tensor: data });
        break;
      }
      case "Gemm": {
        fromPrevious();
        if (intOf(node, "transA", 0) !== 0) nodeFail("transA = 1 is not supported", "export with the input as the first operand");
        if (shape.length !== 1) nodeFail(`expects a flat input, got shape ${shape.join("x")}`, "add a Flatten before it");
        const b = konst(1, "weight matrix")!;
        const c = konst(2, "bias", true);
        push(denseOf(b, c, shape[0], intOf(node, "transB", 0) === 1, floatOf(node, "alpha", 1), floatOf(node, "beta", 1), nodeFail));
        break;
      }
      case "MatMul": {
        fromPrevious();
        if (shape.length !== 1) nodeFail(`expects a flat input, got shape ${shape.join("x")}`, "add a Flatten before it");
        push(denseOf(konst(1, "weight matrix")!, undefined, shape[0], false, 1, 1, nodeFail));
        break;
      }
      case "Add": {
        const other = ins[0] === current ? ins[1] : ins[1] === current ? ins[0] : undefined;
        if (other === undefined) nodeFail(`neither input is the previous node's output "${current}"`, "the importer takes a chain of layers, with residual connections back to it");
        const c = consts.get(other!);
        if (c) {
          if (linear) addBias(linear, c, nodeFail);
          else {
            const v = perChannel(c, shape, nodeFail);
            affine(new Float64Array(v.length).fill(1), v, where);
          }
          break;
        }
        // a residual connection: the running tensor plus one computed earlier in the chain
        const from = producedBy.get(other!);
        if (from === undefined) nodeFail(`adds "${other}", which no earlier node of the chain computed`, "the importer takes a chain of layers, with residual connections back to it");
        push({ type: "add", from: from! });
        break;
      }
      case "Conv": {
        fromPrevious();
        const conv = convOf(node, konst(1, "kernel")!, konst(2, "bias", true), shape, nodeFail);
        push(foldedPads.has(data) ? { ...conv, padding: addPads(conv.padding!, foldedPads.get(data)!) } : conv);
        break;
      }
      case "Pad": {
        fromPrevious();
        const given = zeroPad2d(node, (name) => (name ? consts.get(name)?.data : undefined));
        const pad = typeof given === "string" ? nodeFail(given, "pad with zeros on the height and width of an image only (nn.ZeroPad2d, F.pad(x, (l, r, t, b)))") : given;
        if (shape.length !== 3) nodeFail(`expects a [C, H, W] input, got shape ${shape.join("x")}`);
        const into = readers.get(out) === 1 ? (g.node ?? []).find((n) => (n.input ?? [])[0] === out) : undefined;
        if (into && padFoldsInto(pad, into)) {
          foldedPads.set(out, [pad[0], pad[1]]);
          notes.push(`${where} folded into the padding of node "${into.name || "unnamed"}" (${into.opType}): its zeros are the ${into.opType === "Conv" ? "Conv's" : "pool's counted"} padding, exact`);
        } else push(padGather(shape, pad));
        break;
      }
      case "BatchNormalization": {
        fromPrevious();
        if (intOf(node, "training_mode", 0) !== 0) nodeFail("training_mode = 1: export the model in eval mode", "model.eval() before torch.onnx.export");
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => konst(i, ["", "scale", "bias", "mean", "variance"][i])!);
        const eps = floatOf(node, "epsilon", 1e-5);
        const s = scale.data.map((v, i) => v / Math.sqrt(variance.data[i] + eps));
        const t = bias.data.map((v, i) => v - mean.data[i] * s[i]);
        if (linear) {
          foldAffine(linear, s, t, nodeFail);
          notes.push(`${where} folded into layers[${layers.length - 1}] (${linear.type}): weights times scale/sqrt(var+eps), bias shifted; exact up to float rounding`);
        } else {
          push(affineLayer(shape, s, t, nodeFail));
          notes.push(`${where} with no Conv or Gemm of its own before it: kept as a per-channel affine layer (layers[${layers.length - 1}], ${layers[layers.length - 1].type} with a diagonal kernel)`);
        }
        break;
      }
      case "Relu":
        fromPrevious();
        push({ type: "relu" });
        break;
      case "MaxPool":
      case "AveragePool": {
        fromPrevious();
        const kernel = pairOf(ints(node, "kernel_shape") ?? nodeFail("kernel_shape is missing"), "kernel_shape", nodeFail);
        const strides = pairOf(ints(node, "strides") ?? [1, 1], "strides", nodeFail);
        const folded = foldedPads.get(data);
        const padding = folded ? addPads(poolPadding(node, kernel, nodeFail), folded) : poolPadding(node, kernel, nodeFail);
        if (intOf(node, "ceil_mode", 0) !== 0) nodeFail("ceil_mode = 1 is not supported", "export with ceil_mode=False");
        if ((ints(node, "dilations") ?? [1, 1]).some((d) => d !== 1)) nodeFail("dilations other than 1 are not supported");
        const padded = padding[0] > 0 || padding[1] > 0 ? { padding } : {};
        if (node.opType === "MaxPool") push({ type: "maxpool2d", pool: kernel, stride: strides, ...padded });
        // ONNX's count_include_pad defaults to 0 (torch's nn.AvgPool2d writes 1 unless count_include_pad=False)
        // a folded Pad's zeros count (padFoldsInto took only a pool that counts its own)
        else push({ type: "avgpool2d", pool: kernel, stride: strides, ...padded, ...(padding[0] > 0 || padding[1] > 0 ? { countIncludePad: folded !== undefined || intOf(node, "count_include_pad", 0) === 1 } : {}) });
        break;
      }
      case "GlobalAveragePool": {
        fromPrevious();
        if (shape.length !== 3) nodeFail(`expects a [C, H, W] input, got shape ${shape.join("x")}`);
        push({ type: "avgpool2d", pool: [shape[1], shape[2]], stride: [shape[1], shape[2]] });
        break;
      }
      case "Flatten": {
        fromPrevious();
        if (intOf(node, "axis", 1) !== 1) nodeFail(`axis ${intOf(node, "axis", 1)}: only axis = 1 (keep the batch dimension, flatten the rest) is supported`);
        if (shape.length > 1) push({ type: "flatten" });
        break;
      }
      case "Reshape":
      case "Squeeze":
      case "Unsqueeze": {
        fromPrevious();
        // a re-indexing that keeps channel-major order: nothing (the same shape) or a flatten (a flat vector)
        const full = shapeOf.get(data) ?? [1, ...shape];
        const n = shape.reduce((a, b) => a * b, 1);
        let target: number[];
        if (node.opType === "Reshape") {
          const t = Array.from(konst(1, "shape")!.data);
          target = t.map((d, i) => (d === 0 ? full[i] : d));
          const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
          target = target.map((d) => (d === -1 ? n / known : d));
        } else {
          const axes = (ins[1] ? Array.from(konst(1, "axes")!.data) : ints(node, "axes")) ?? full.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
          if (node.opType === "Squeeze") {
            const drop = new Set(axes.map((a) => (a < 0 ? a + full.length : a)));
            target = full.filter((_, i) => !drop.has(i));
          } else {
            const rank = full.length + axes.length;
            const add = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
            target = [];
            for (let i = 0, j = 0; i < rank; i++) target.push(add.has(i) ? 1 : full[j++]);
          }
        }
        // the batch dimension stays first (a Squeeze of it leaves the values' shape as it is)
        const dims = target[0] === 1 && target.length > 1 ? target.slice(1) : target;
        // leading dimensions of size 1 beyond the tensor's rank are more batch dimensions (x.unsqueeze(0))
        while (dims.length > shape.length && dims[0] === 1) dims.shift();
        if (dims.reduce((a, b) => a * b, 1) !== n || dims.some((d) => !Number.isInteger(d) || d < 1))
          nodeFail(`to shape [${target.join(", ")}] from [1, ${shape.join(", ")}]: the sizes do not match`);
        reshaped = target;
        if (dims.length === shape.length && dims.every((d, i) => d === shape[i])) break;
        if (dims.length === 1) {
          if (shape.length > 1) push({ type: "flatten" });
          break;
        }
        // any other shape: the same values in the same order (channel-major is row-major), a gather without an index
        push({ type: "gather", shape: target[0] === 1 && target.length > 1 ? target.slice(1) : target });
        break;
      }
      case "Transpose": {
        fromPrevious();
        const full = shapeOf.get(data) ?? [1, ...shape];
        const perm = ints(node, "perm") ?? full.map((_, i) => full.length - 1 - i);
        if (perm.length !== full.length || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) nodeFail(`perm [${perm.join(", ")}] is not a permutation of ${full.length} axes`);
        const outFull = perm.map((p) => full[p]);
        const index = permuteIndex(full, perm);
        reshaped = outFull;
        const dims = outFull[0] === 1 && outFull.length > 1 ? outFull.slice(1) : outFull;
        // moving only axes of size 1 keeps the order: a reshape (or nothing)
        const identity = index.every((j, i) => j === i);
        if (identity && dims.join("x") === shape.join("x")) break;
        push({ type: "gather", shape: dims, ...(identity ? {} : { index }) });
        break;
      }
      case "Slice": {
        // constant starts, ends, axes and steps: a gather, as a Transpose is (wiring)
        fromPrevious();
        const full = shapeOf.get(data) ?? [1, ...shape];
        const args = ins.slice(1).map((name, i) => (name ? konst(i + 1, ["starts", "ends", "axes", "steps"][i]) : undefined));
        const s = sliceIndex(full, ...sliceArgs(node, args, nodeFail));
        const sliced = typeof s === "string" ? nodeFail(s, "slice with constant starts, ends, axes and steps that keep every axis non-empty") : s;
        if (sliced.dims[0] !== full[0]) nodeFail("it slices the batch", "slice the features, not the batch");
        reshaped = sliced.dims;
        const dims = sliced.dims[0] === 1 && sliced.dims.length > 1 ? sliced.dims.slice(1) : sliced.dims;
        if (sliced.index.every((j, i) => j === i) && dims.join("x") === shape.join("x")) break; // the whole tensor
        push({ type: "gather", shape: dims, index: sliced.index });
        break;
      }
      case "Concat": {
        // of two or more computed tensors (a Concat of constants was computed above): their values joined (concat
        // layers, wiring), then re-indexed when the axis is not the first of the values (a gather, wiring)
        const parts = ins.filter(Boolean);
        for (const i of parts) if (consts.has(i)) nodeFail(`a Concat of a constant "${i}" and activations is not supported`, "concatenate computed tensors only");
        const dims = parts.map((i) => shapeOf.get(i) ?? nodeFail(`its input "${i}" has no known shape`));
        const rank = dims[0].length;
        let axis = intOf(node, "axis", 1);
        if (axis < 0) axis += rank;
        if (dims.some((d) => d.length !== rank || d.some((v, a) => a !== axis && v !== dims[0][a]))) nodeFail(`inputs of dims ${dims.map((d) => `[${d.join(", ")}]`).join(", ")} do not agree past axis ${axis}`);
        const order = ins[0] === current || parts.length !== 2 || ins[1] !== current ? parts : [parts[1], parts[0]];
        if (order[0] !== current) branchTo(order[0]);
        for (const i of order.slice(1)) {
          const j = producedBy.get(i);
          if (j === undefined) nodeFail(`it joins "${i}", which no earlier node computed`);
          push({ type: "concat", from: j!, fromFirst: order !== parts });
        }
        const outFull = dims[0].map((v, a) => (a === axis ? dims.reduce((t, d) => t + d[a], 0) : v));
        const index = concatIndex(dims, axis);
        reshaped = outFull;
        const want = outFull[0] === 1 && outFull.length > 1 ? outFull.slice(1) : outFull;
        const identity = index.every((j, i) => j === i);
        if (identity && want.join("x") === shape.join("x")) break;
        push({ type: "gather", shape: want, ...(identity ? {} : { index }) });
        break;
      }
      case "Clip": {
        fromPrevious();
        const bound = (i: number, name: string): number | undefined => (ins[i] ? konst(i, name)!.data[0] : attr(node, name)?.f);
        const min = bound(1, "min"), max = bound(2, "max");
        if (min === undefined && max === undefined) break; // no bounds: the identity
        if (min !== undefined && max !== undefined && !(min < max)) nodeFail(`min ${min} is not below max ${max}`);
        if (min === 0 && max === undefined) push({ type: "relu" });
        else push({ type: "clip", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
        break;
      }
      case "LeakyRelu":
        fromPrevious();
        push({ type: "leakyrelu", alpha: floatOf(node, "alpha", 0.01) });
        break;
      case "HardSigmoid": {
        // max(0, min(1, alpha x + beta)): the affine part folded into the layer before it (or one of its own), then a clip
        fromPrevious();
        const a = floatOf(node, "alpha", 0.2), c = floatOf(node, "beta", 0.5);
        const C = shape[0];
        affine(new Float64Array(C).fill(a), new Float64Array(C).fill(c), `${where} (alpha ${a}, beta ${c})`);
        push({ type: "clip", min: 0, max: 1 });
        break;
      }
      case "HardSwish": {
        // x * max(0, min(1, x / 6 + 1 / 2)): a per-channel affine of x (a diagonal layer of its own: x is read twice, so
        // nothing folds into the layer that wrote it), a clip to [0, 1], then the product with x
        fromPrevious();
        const x = producedBy.get(current)!;
        const C = shape[0];
        push(affineLayer(shape, new Float64Array(C).fill(1 / 6), new Float64Array(C).fill(0.5), nodeFail));
        push({ type: "clip", min: 0, max: 1 });
        push({ type: "mul", from: x });
        notes.push(`${where}: x * hardsigmoid(x), as layers[${layers.length - 3}] (x / 6 + 1/2, a diagonal ${layers[layers.length - 3].type}), layers[${layers.length - 2}] (clip to [0, 1]) and layers[${layers.length - 1}] (the product with x)`);
        break;
      }
      case "Mul":
      case "Sub":
      case "Div": {
        // arithmetic with a constant, broadcast per channel (or one for all): x * c, x - c, c - x, x / c
        const at = ins[0] === current ? 0 : ins[1] === current ? 1 : -1;
        if (at === -1) nodeFail(`neither input is the previous node's output "${current}"`, "the importer takes a chain of layers");
        const c = consts.get(ins[1 - at]);
        if (!c) {
          // two computed tensors: x - t (or t - x) an add with that side negated; x * t a mul (x * x too)
          if (node.opType === "Div") nodeFail("a Div of two computed tensors (x / y) is not supported", "divide by a constant instead");
          const other = ins[1 - at];
          const from = producedBy.get(other);
          if (from === undefined) nodeFail(`it reads "${other}", which no earlier node computed`);
          push(node.opType === "Mul" ? { type: "mul", from: from! } : { type: "add", from: from!, negate: at === 0 ? "from" : "x" });
          break;
        }
        if (node.opType === "Div" && at === 1) nodeFail("a constant divided by the activations (c / x) is not supported", "divide by a constant instead");
        // a positive scalar after a product of two activations, which nothing else reads (HardSwish's x * relu6(x + 3) / 6):
        // into the product's scale, which the quantizer folds into its step (no layer, no constraint)
        const mulBefore = lastLayer?.type === "mul" && producedBy.get(current) === layers.length - 1 && (readers.get(current) ?? 0) <= 1 ? lastLayer : undefined;
        const scalar = node.opType === "Sub" || c!.data.length !== 1 ? undefined : node.opType === "Div" ? 1 / c!.data[0] : c!.data[0];
        if (mulBefore && scalar !== undefined && scalar > 0 && Number.isFinite(scalar)) {
          mulBefore.scale = (mulBefore.scale ?? 1) * scalar;
          scaledMul = layers.length - 1;
          notes.push(`${where} folded into layers[${layers.length - 1}] (mul): its scale ${mulBefore.scale}, a factor of the product's step`);
          break;
        }
        const v = perChannel(c!, shape, nodeFail);
        const C = v.length;
        const s = new Float64Array(C), t = new Float64Array(C);
        for (let j = 0; j < C; j++) {
          if (node.opType === "Mul") [s[j], t[j]] = [v[j], 0];
          else if (node.opType === "Div") [s[j], t[j]] = [1 / v[j], 0];
          else [s[j], t[j]] = at === 0 ? [1, -v[j]] : [-1, v[j]];
        }
        affine(s, t, where);
        break;
      }
      case "Dropout":
      case "Identity":
        fromPrevious();
        if (node.opType === "Dropout" && ins[2] && consts.get(ins[2])?.data[0]) nodeFail("training_mode is true: export the model in eval mode", "model.eval() before torch.onnx.export");
        break;
      default:
        nodeFail(`op ${node.opType} is not supported; supported: ${SUPPORTED_OPS.join(", ")}`, "replace the op, or ask for it (an op needs the reference interpreter, the bounds, both circuit backends and Solidity)");
    }
    const last = layers[layers.length - 1];
    // the layer this node wrote, or the one it folded into (a bias, a BatchNormalization)
    nodeLayers[k] = layers.length > before ? layers.length - 1 : scaledMul !== undefined ? scaledMul : linear && ["Add", "BatchNormalization", "Mul", "Sub", "Div"].includes(node.opType) ? before - 1 : undefined;
    // a node that wrote or changed a dense or conv layer (a new one, a bias, a fold; not a residual add) leaves its
    // output open to a following bias or fold; Dropout and Identity pass that on
    const wroteLinear = ["Gemm", "MatMul", "Conv", "BatchNormalization", "Add", "Mul", "Sub", "Div"].includes(node.opType) && (last?.type === "dense" || last?.type === "conv2d");
    const passes = ["Dropout", "Identity"].includes(node.opType) || (["Reshape", "Squeeze", "Unsqueeze"].includes(node.opType) && layers.length === before);
    lastLinearOut = wroteLinear ? out : passes ? (lastLinearOut === data ? out : undefined) : undefined;
    current = out;
    producedBy.set(out, layers.length - 1);
    layerShapeOf.set(out, shape);
    shapeOf.set(out, reshaped ?? [1, ...shape]);
    reshaped = undefined;
  });
  const outputs = g.output ?? [];
  if (outputs.length !== 1 || outputs[0].name !== current)
    fail(`graph outputs: expected one output, the last node's "${current}"; got ${outputs.map((o) => `"${o.name}"`).join(", ") || "none"}`, "a model with one output, at the end of the chain");
  if (layers.length === 0) fail("the graph has no layer", "export a model with at least one layer");

  const rangeProp = (m.metadataProps ?? []).find((p) => p.key === INPUT_RANGE_KEY)?.value;
  let range: [number, number] = [0, 1];
  if (rangeProp) {
    const r = JSON.parse(rangeProp) as unknown;
    if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === "number") || !(r[0] < r[1])) fail(`metadata ${INPUT_RANGE_KEY}: expected [lo, hi] with lo < hi, got ${rangeProp}`);
    range = r as [number, number];
  } else notes.push(`the file declares no input range: assumed [0, 1], not calibrated (write metadata ${INPUT_RANGE_KEY} = "[lo, hi]" to declare it)`);
  const name = (g.name && /^[A-Za-z0-9_.-]+$/.test(g.name) ? g.name : path.basename(file, path.extname(file))).replace(/[^A-Za-z0-9_.-]/g, "_");
  const model = {
    format: MODEL_FORMAT,
    name,
    description: `imported from ${path.basename(file)}`,
    input: { shape: shape0, range },
    layers,
    provenance: { source: "onnx", file: path.basename(file), producer: [m.producerName, m.producerVersion].filter(Boolean).join(" ") || "unknown", opset, importNotes: notes },
  };
  return { model: validateModel(model, file), nodeLayers };
}

/**
 * torch's GELU (erf form) wherever it is exactly that: a Div of x by sqrt 2, whose only reader is an Erf, whose only reader
 * adds 1, whose only reader multiplies by x, whose only reader multiplies by 0.5. The Div's index -> the other four and
 * the last one's output.
 */
function geluPatterns(nodes: OnnxNode[], consts: Map<string, Const>): Map<number, { nodes: number[]; out: string }> {
  const scalars = new Map<string, number>();
  for (const [name, c] of consts) if (c.data.length === 1) scalars.set(name, c.data[0]);
  for (const n of nodes) {
    const t = n.opType === "Constant" ? attr(n, "value")?.t : undefined;
    if (!t) continue;
    try {
      const c = tensorValues(t, "", (m) => {
        throw new Error(m);
      });
      if (c.data.length === 1) scalars.set((n.output ?? [])[0], c.data[0]);
    } catch {
      // not a number: no part of the pattern
    }
  }
  const readers = new Map<string, number[]>();
  nodes.forEach((n, k) => (n.input ?? []).forEach((i) => i && readers.set(i, [...(readers.get(i) ?? []), k])));
  const only = (name: string | undefined, op: string) => {
    const r = name === undefined ? [] : (readers.get(name) ?? []);
    return r.length === 1 && nodes[r[0]].opType === op ? r[0] : undefined;
  };
  const near = (name: string | undefined, v: number) => name !== undefined && scalars.has(name) && Math.abs(scalars.get(name)! - v) <= 1e-6 * v;
  /** the other input of a two-input node, given one */
  const other = (k: number, one: string | undefined) => {
    const ins = nodes[k].input ?? [];
    return ins.length === 2 && one !== undefined && ins.includes(one) ? ins[ins[0] === one ? 1 : 0] : undefined;
  };
  const found = new Map<number, { nodes: number[]; out: string }>();
  nodes.forEach((div, k) => {
    if (div.opType !== "Div" || (div.input ?? []).length !== 2) return;
    const [x, c] = div.input!;
    if (!near(c, Math.SQRT2) || scalars.has(x)) return;
    const outOf = (j: number | undefined) => (j === undefined ? undefined : (nodes[j].output ?? [])[0]);
    const erf = only(outOf(k), "Erf");
    const add = only(outOf(erf), "Add");
    if (add === undefined || !near(other(add, outOf(erf)), 1)) return;
    const mul = only(outOf(add), "Mul");
    if (mul === undefined || other(mul, outOf(add)) !== x) return;
    const half = only(outOf(mul), "Mul");
    if (half === undefined || !near(other(half, outOf(mul)), 0.5)) return;
    found.set(k, { nodes: [erf!, add, mul, half], out: outOf(half)! });
  });
  return found;
}

function inputShape(v: OnnxValueInfo, fail: (m: string, h?: string) => never): Shape {
  const dims = v.type?.tensorType?.shape?.dim ?? fail(`input "${v.name}": no shape`, "export with a fixed input shape");
  if (v.type?.tensorType?.elemType !== DATA_TYPE.FLOAT) fail(`input "${v.name}": expected float32 values, got element type ${v.type?.tensorType?.elemType}`);
  if (dims.length < 2) fail(`input "${v.name}": expected [batch, ...], got ${dims.length} dimension(s)`);
  const [batch, ...rest] = dims;
  if (!(batch.dimParam !== undefined || batch.dimValue === 1)) fail(`input "${v.name}": the batch dimension is ${batch.dimValue}; expected 1 or symbolic`, "export with a batch of 1");
  return rest.map((d, i) =>
    d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : fail(`input "${v.name}" dimension ${i + 1} is dynamic (${d.dimParam ?? "unknown"}): only the batch dimension may be`, "export with a fixed input shape (dynamic_axes for the batch only)"),
  );
}

function tensorValues(t: OnnxTensor, where: string, fail: (m: string, h?: string) => never): Const {
  const dims = (t.dims ?? []).map(Number);
  const n = dims.reduce((a, b) => a * b, 1);
  let data: Float64Array;
  const raw = t.rawData && t.rawData.length ? Buffer.from(t.rawData) : undefined;
  switch (t.dataType) {
    case DATA_TYPE.FLOAT:
      data = raw ? Float64Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4)) : Float64Array.from(t.floatData ?? []);
      break;
    case DATA_TYPE.DOUBLE:
      data = raw ? Float64Array.from({ length: raw.length / 8 }, (_, i) => raw.readDoubleLE(i * 8)) : Float64Array.from(t.doubleData ?? []);
      break;
    case DATA_TYPE.INT64:
      data = raw ? Float64Array.from({ length: raw.length / 8 }, (_, i) => Number(raw.readBigInt64LE(i * 8))) : Float64Array.from((t.int64Data ?? []).map(Number));
      break;
    case DATA_TYPE.INT32:
      data = raw ? Float64Array.from({ length: raw.length / 4 }, (_, i) => raw.readInt32LE(i * 4)) : Float64Array.from(t.int32Data ?? []);
      break;
    default:
      return fail(`${where}: element type ${t.dataType} is not supported (float32, float64, int64, int32)`, "export the weights as float32");
  }
  if (data.length !== n) fail(`${where}: expected ${n} values for dims [${dims.join(", ")}], got ${data.length}`, "the file is damaged or uses external data (save the model with its weights inside)");
  return { dims, data };
}

const attr = (node: OnnxNode, name: string): OnnxAttribute | undefined => (node.attribute ?? []).find((a) => a.name === name);
const intOf = (node: OnnxNode, name: string, dflt: number) => Number(attr(node, name)?.i ?? dflt);
const floatOf = (node: OnnxNode, name: string, dflt: number) => attr(node, name)?.f ?? dflt;
const ints = (node: OnnxNode, name: string) => attr(node, name)?.ints?.map(Number);
const str = (node: OnnxNode, name: string) => {
  const s = attr(node, name)?.s;
  return s ? Buffer.from(s).toString("utf8") : undefined;
};

function pairOf(v: number[], what: string, fail: (m: string, h?: string) => never): [number, number] {
  if (v.length !== 2) fail(`${what} [${v.join(", ")}]: expected two values (2-D)`);
  return [v[0], v[1]];
}

/** Symmetric padding a + b on each side. */
const addPads = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];

/**
 * Whether a zero Pad [top, left, bottom, right] folds into the node reading it: symmetric, into a Conv (any padding), or
 * an AveragePool that counts padded taps (count_include_pad 1, or no pads of its own) with the sum still below its
 * kernel. Not a MaxPool: a Pad's zeros can win a max, its own padding never does.
 */
function padFoldsInto(pad: [number, number, number, number], node: OnnxNode): boolean {
  if (pad[0] !== pad[2] || pad[1] !== pad[3]) return false;
  if ((str(node, "auto_pad") ?? "NOTSET") !== "NOTSET") return false;
  if (node.opType === "Conv") return true;
  if (node.opType !== "AveragePool") return false;
  const own = ints(node, "pads") ?? [0, 0, 0, 0];
  const kernel = ints(node, "kernel_shape") ?? [1, 1];
  if (own.some((p) => p !== 0) && intOf(node, "count_include_pad", 0) !== 1) return false;
  return own.length === 4 && own[0] === own[2] && own[1] === own[3] && own[0] + pad[0] < kernel[0] && own[1] + pad[1] < kernel[1];
}

/** A zero Pad of a [C, H, W] tensor as a gather: each position the input value it shows, -1 (a zero) on the border. */
function padGather([c, h, w]: Shape, [top, left, bottom, right]: [number, number, number, number]): Layer {
  const oh = h + top + bottom, ow = w + left + right;
  const index = Array.from({ length: c * oh * ow }, (_, o) => {
    const ch = Math.floor(o / (oh * ow)), y = Math.floor(o / ow) % oh - top, x = (o % ow) - left;
    return y >= 0 && y < h && x >= 0 && x < w ? (ch * h + y) * w + x : -1;
  });
  return { type: "gather", shape: [c, oh, ow], index };
}

/** A pool's padding on each side: symmetric pads (top = bottom, left = right), each below the kernel (as ONNX requires). */
function poolPadding(node: OnnxNode, kernel: [number, number], fail: (m: string, h?: string) => never): [number, number] {
  const p = symmetricPads(node, fail);
  if (p[0] >= kernel[0] || p[1] >= kernel[1]) fail(`pads [${ints(node, "pads")!.join(", ")}]: each side's padding must be below the kernel ${kernel.join("x")}`);
  return p;
}

/** A Conv's or pool's explicit pads as [rows, columns] on each side: auto_pad NOTSET (or VALID: none), top = bottom, left = right. */
function symmetricPads(node: OnnxNode, fail: (m: string, h?: string) => never): [number, number] {
  const auto = str(node, "auto_pad") ?? "NOTSET";
  if (auto === "VALID") return [0, 0];
  if (auto !== "NOTSET") fail(`auto_pad ${auto} is not supported`, "export with explicit pads");
  const p = ints(node, "pads") ?? [0, 0, 0, 0];
  if (p.length !== 4 || p[0] !== p[2] || p[1] !== p[3]) fail(`pads [${p.join(", ")}]: only symmetric padding (top = bottom, left = right) is supported`, "pad symmetrically, or add the padding to the input");
  return [p[0], p[1]];
}

/** A dense layer from a weight matrix B ([in][out], or [out][in] when transposed) and an optional bias C. */
function denseOf(b: Const, c: Const | undefined, inSize: number, transB: boolean, alpha: number, beta: number, fail: (m: string, h?: string) => never): DenseLayer {
  if (b.dims.length !== 2) fail(`weight matrix dims [${b.dims.join(", ")}]: expected 2`);
  const [r, k] = b.dims;
  const [ins, units] = transB ? [k, r] : [r, k];
  if (ins !== inSize) fail(`weight matrix dims [${b.dims.join(", ")}]${transB ? " (transB)" : ""}: expected ${inSize} inputs, got ${ins}`);
  const weights = [...Array(units)].map((_, o) => [...Array(ins)].map((_, i) => alpha * b.data[transB ? o * k + i : i * k + o]));
  const layer: DenseLayer = { type: "dense", units, weights, bias: Array(units).fill(0) };
  if (c) addBias(layer, { dims: c.dims, data: c.data.map((v) => beta * v) }, fail);
  return layer;
}

/** Add a constant to a layer's bias: one value per output unit or channel, or one for all (broadcast). */
function addBias(l: DenseLayer | Conv2DLayer, c: Const, fail: (m: string, h?: string) => never) {
  const n = l.bias.length;
  const size = c.data.length;
  const perUnit = size === n && c.dims.filter((d) => d !== 1).length <= 1;
  if (!perUnit && size !== 1) fail(`a bias of dims [${c.dims.join(", ")}] does not broadcast to ${n} ${l.type === "dense" ? "units" : "channels"} (one per ${l.type === "dense" ? "unit" : "channel"}, or one for all)`);
  l.bias = l.bias.map((b, i) => b + c.data[perUnit ? i : 0]);
}

function convOf(node: OnnxNode, w: Const, b: Const | undefined, shape: Shape, fail: (m: string, h?: string) => never): Conv2DLayer {
  if (shape.length !== 3) fail(`expects a [C, H, W] input, got shape ${shape.join("x")}`);
  if (w.dims.length !== 4) fail(`kernel dims [${w.dims.join(", ")}]: expected [filters, channels, kh, kw] (2-D convolution)`);
  const group = intOf(node, "group", 1);
  if ((ints(node, "dilations") ?? [1, 1]).some((d) => d !== 1)) fail("dilations other than 1 are not supported");
  const [f, c, kh, kw] = w.dims;
  if (!(group >= 1 && shape[0] % group === 0 && f % group === 0)) fail(`group ${group} does not divide the ${shape[0]} input channels and the ${f} filters`);
  if (c * group !== shape[0]) fail(`kernel dims [${w.dims.join(", ")}]: expected ${shape[0] / group} input channels a filter (${shape[0]} in ${group} group${group === 1 ? "" : "s"}), got ${c}`);
  const strides = pairOf(ints(node, "strides") ?? [1, 1], "strides", fail);
  const padding = symmetricPads(node, fail);
  const weights = [...Array(f)].map((_, o) => [...Array(c)].map((_, i) => [...Array(kh)].map((_, y) => [...Array(kw)].map((_, x) => w.data[((o * c + i) * kh + y) * kw + x]))));
  const layer: Conv2DLayer = { type: "conv2d", filters: f, kernel: [kh, kw], stride: strides, padding, ...(group > 1 ? { groups: group } : {}), weights, bias: Array(f).fill(0) };
  if (b) addBias(layer, b, fail);
  return layer;
}

/** y = s * x + t per channel, folded into the layer that computed x. */
function foldAffine(l: DenseLayer | Conv2DLayer, s: Float64Array, t: Float64Array, fail: (m: string, h?: string) => never) {
  const n = l.bias.length;
  if (s.length !== n) fail(`normalizes ${s.length} channels; the layer before it has ${n}`);
  if (l.type === "dense") l.weights = l.weights.map((row, o) => row.map((v) => v * s[o]));
  else l.weights = l.weights.map((k, o) => k.map((ch) => ch.map((row) => row.map((v) => v * s[o]))));
  l.bias = l.bias.map((b, o) => b * s[o] + t[o]);
}

/** A standalone per-channel affine op as a layer: a 1x1 convolution (images) or a dense layer (vectors) with a diagonal kernel. */
function affineLayer(shape: Shape, s: Float64Array, t: Float64Array, fail: (m: string, h?: string) => never): Layer {
  const n = shape[0];
  if (s.length !== n) fail(`normalizes ${s.length} channels; its input has ${n}`);
  if (shape.length === 1) return { type: "dense", units: n, weights: [...Array(n)].map((_, o) => [...Array(n)].map((_, i) => (i === o ? s[o] : 0))), bias: Array.from(t) };
  return { type: "conv2d", filters: n, kernel: [1, 1], stride: [1, 1], padding: [0, 0], weights: [...Array(n)].map((_, o) => [...Array(n)].map((_, i) => [[i === o ? s[o] : 0]])), bias: Array.from(t) };
}

/** Row-major strides of dims. */
function strides(dims: number[]): number[] {
  const st = new Array(dims.length).fill(1);
  for (let a = dims.length - 2; a >= 0; a--) st[a] = st[a + 1] * dims[a + 1];
  return st;
}

/** Transpose(perm) of a row-major tensor of `dims`: per output position, the input position it reads. */
export function permuteIndex(dims: number[], perm: number[]): number[] {
  const out = perm.map((p) => dims[p]);
  const inSt = strides(dims);
  const n = dims.reduce((a, b) => a * b, 1);
  const index = new Array<number>(n);
  const at = new Array(out.length).fill(0);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let a = 0; a < out.length; a++) j += at[a] * inSt[perm[a]];
    index[i] = j;
    for (let a = out.length - 1; a >= 0 && ++at[a] === out[a]; a--) at[a] = 0;
  }
  return index;
}

/**
 * A Slice of a row-major tensor of `dims` with constant starts, ends, axes (default every axis, negative from the end)
 * and steps (default 1, non-zero), as ONNX defines them: a start or end below 0 counts from the axis's end, then is
 * clamped ([0, d] for a positive step; [0, d - 1] and [-1, d - 1] for a negative one). The output's dims and, per output
 * position, the input position it reads; or why it is not a slice the importer takes.
 */
export function sliceIndex(dims: number[], starts: number[], ends: number[], axes?: number[], steps?: number[]): { dims: number[]; index: number[] } | string {
  const rank = dims.length;
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  if (ends.length !== starts.length || ax.length !== starts.length || (steps && steps.length !== starts.length)) return `starts [${starts.join(", ")}], ends [${ends.join(", ")}]${axes ? `, axes [${axes.join(", ")}]` : ""}${steps ? `, steps [${steps.join(", ")}]` : ""} of different lengths`;
  if (ax.some((a) => a < 0 || a >= rank) || new Set(ax).size !== ax.length) return `axes [${(axes ?? []).join(", ")}] of a ${rank}-D tensor`;
  const first = dims.map(() => 0), step = dims.map(() => 1), out = dims.slice();
  for (let i = 0; i < ax.length; i++) {
    const a = ax[i], d = dims[a], s = steps ? steps[i] : 1;
    if (s === 0 || !Number.isInteger(s)) return `step ${s} on axis ${a}`;
    const from = (v: number) => (v < 0 ? v + d : v);
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const st = s > 0 ? clamp(from(starts[i]), 0, d) : clamp(from(starts[i]), 0, d - 1);
    const en = s > 0 ? clamp(from(ends[i]), 0, d) : clamp(from(ends[i]), -1, d - 1);
    const n = Math.max(0, Math.ceil((en - st) / s));
    if (n === 0) return `an empty slice of axis ${a} (${d} values, start ${starts[i]}, end ${ends[i]}, step ${s})`;
    [first[a], step[a], out[a]] = [st, s, n];
  }
  const inSt = strides(dims);
  const total = out.reduce((p, q) => p * q, 1);
  const index = new Array<number>(total);
  const at = new Array(rank).fill(0);
  for (let o = 0; o < total; o++) {
    let j = 0;
    for (let a = 0; a < rank; a++) j += (first[a] + at[a] * step[a]) * inSt[a];
    index[o] = j;
    for (let a = rank - 1; a >= 0 && ++at[a] === out[a]; a--) at[a] = 0;
  }
  return { dims: out, index };
}

/** Concat of row-major tensors of `dims` on `axis`: per output position, its position in the inputs' values joined in order. */
export function concatIndex(dims: number[][], axis: number): number[] {
  const outer = dims[0].slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims[0].slice(axis + 1).reduce((a, b) => a * b, 1);
  const sizes = dims.map((d) => d.reduce((a, b) => a * b, 1));
  const offsets = sizes.map((_, j) => sizes.slice(0, j).reduce((a, b) => a + b, 0));
  const index: number[] = [];
  for (let o = 0; o < outer; o++)
    dims.forEach((d, j) => {
      for (let t = 0; t < d[axis] * inner; t++) index.push(offsets[j] + o * d[axis] * inner + t);
    });
  return index;
}

/** The ops computed at import when their inputs are constants (a Shape: when its tensor's shape is static). */
const FOLDED_OPS = new Set(["Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Slice", "Mul", "Div", "Add", "Sub"]);

/** A Slice's constant starts, ends, axes and steps: its inputs from opset 10 on, its attributes before. */
function sliceArgs(node: OnnxNode, args: (Const | undefined)[], fail: (m: string, h?: string) => never): [number[], number[], number[] | undefined, number[] | undefined] {
  const arg = (i: number, name: string) => (args[i] ? Array.from(args[i]!.data) : ints(node, name));
  const starts = arg(0, "starts") ?? fail("its starts are missing or computed at run time");
  const ends = arg(1, "ends") ?? fail("its ends are missing or computed at run time");
  return [starts, ends, arg(2, "axes"), args[3] ? Array.from(args[3].data) : undefined];
}

/** One folded node's value (shape arithmetic: small int64 vectors, scalars). */
function foldConstant(node: OnnxNode, ins: (Const | undefined)[], shape: number[] | undefined, fail: (m: string, h?: string) => never): Const {
  const vec = (data: number[], dims = [data.length]): Const => ({ dims, data: Float64Array.from(data) });
  const [a, b] = ins;
  switch (node.opType) {
    case "Shape": {
      const full = shape!;
      const rank = full.length;
      const norm = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
      return vec(full.slice(norm(intOf(node, "start", 0)), norm(intOf(node, "end", rank))));
    }
    case "Gather": {
      if (intOf(node, "axis", 0) !== 0 || a!.dims.length > 1) fail("a Gather of constants along an axis other than 0 is not supported");
      const idx = Array.from(b!.data).map((i) => (i < 0 ? i + a!.data.length : i));
      if (idx.some((i) => !(i >= 0 && i < a!.data.length))) fail(`indices [${Array.from(b!.data).join(", ")}] out of range for ${a!.data.length} values`);
      return vec(idx.map((i) => a!.data[i]), b!.dims);
    }
    case "Unsqueeze":
    case "Squeeze": {
      const axes = (b ? Array.from(b.data) : ints(node, "axes")) ?? [];
      if (node.opType === "Squeeze") return { dims: a!.dims.filter((d, i) => !(axes.length === 0 ? d === 1 : axes.some((x) => (x < 0 ? x + a!.dims.length : x) === i))), data: a!.data };
      const dims = a!.dims.slice();
      const rank = dims.length + axes.length;
      for (const x of axes.map((x) => (x < 0 ? x + rank : x)).sort((p, q) => p - q)) dims.splice(x, 0, 1);
      return { dims, data: a!.data };
    }
    case "Concat":
      return vec(ins.flatMap((c) => (c ? Array.from(c.data) : [])));
    case "Cast":
      return a!;
    case "Slice": {
      const s = sliceIndex(a!.dims, ...sliceArgs(node, ins.slice(1), fail));
      if (typeof s === "string") fail(s);
      return { dims: s.dims, data: Float64Array.from(s.index, (j) => a!.data[j]) };
    }
    default: {
      // element-wise arithmetic with broadcasting of one value
      const n = Math.max(a!.data.length, b!.data.length);
      if (a!.data.length !== n && a!.data.length !== 1) fail(`constants of ${a!.data.length} and ${b!.data.length} values do not broadcast`);
      if (b!.data.length !== n && b!.data.length !== 1) fail(`constants of ${a!.data.length} and ${b!.data.length} values do not broadcast`);
      const at = (c: Const, i: number) => c.data[c.data.length === 1 ? 0 : i];
      const f = { Mul: (x: number, y: number) => x * y, Div: (x: number, y: number) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y), Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y }[node.opType as "Mul"]!;
      return { dims: a!.data.length === n ? a!.dims : b!.dims, data: Float64Array.from({ length: n }, (_, i) => f(at(a!, i), at(b!, i))) };
    }
  }
}

/** A constant broadcast per channel of a [C, H, W] or [N] tensor: one value for all, or one per channel ([C, 1, 1], [1, C, 1, 1], or [N]). */
function perChannel(c: Const, shape: Shape, fail: (m: string, h?: string) => never): Float64Array {
  const C = shape[0];
  if (c.data.length === 1) return new Float64Array(C).fill(c.data[0]);
  const dims = c.dims.slice();
  while (dims.length > 0 && dims[0] === 1 && dims.length > shape.length) dims.shift();
  const ok = c.data.length === C && dims.length <= shape.length && dims[0] === C && dims.slice(1).every((d) => d === 1) && (dims.length === shape.length || shape.length === 1);
  if (!ok)
    fail(
      `a constant of dims [${c.dims.join(", ")}] on a [${shape.join(", ")}] tensor: only one value for all or one per channel ([${C}${shape.length === 3 ? ", 1, 1" : ""}]) is supported`,
      "element-wise constants of other shapes (per pixel) are not supported yet: fold them into the layer before, or use a per-channel constant",
    );
  return Float64Array.from(c.data);
}
