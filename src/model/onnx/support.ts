/**
 * What the ONNX importer will make of a graph, node by node, before it imports anything: whether each node is
 * taken, and for a node that is not, the torch layer it most likely comes from (the patterns torch.onnx.export
 * writes: GELU's Div/Erf/Add/Mul/Mul, LayerNorm's ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div, ReLU6's Clip(0, 6),
 * `x.view(x.size(0), -1)`'s Shape/Gather/Unsqueeze/Concat feeding a Reshape, ...) and a fix specific to it. The
 * importer refuses a graph with unsupported nodes once, listing all of them (`unsupportedMessage`); inspect-model
 * lists every node with this verdict.
 *
 * This is a scan of ops and attributes: the structural checks (a chain with residual Adds back into it, shapes
 * that fit the weights) are the importer's, on a graph that passes this scan.
 */
import type { OnnxModel, OnnxNode, OnnxTensor } from "./proto";

export const SUPPORTED_OPS = [
  "Gemm", "MatMul", "Add", "Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Dropout", "Identity", "Constant",
  "Clip", "LeakyRelu", "HardSigmoid", "Mul", "Sub", "Div", "Squeeze", "Unsqueeze", "Shape", "Gather", "Concat", "Cast", "Transpose", "HardSwish",
  "Pad", "Slice", "Sigmoid", "Tanh", "Exp", "Erf", "Gelu",
];
/** Ops computed at import when every input is a constant (or, for Shape, any tensor: shapes are static at batch 1). */
const FOLDABLE = new Set(["Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Slice", "Mul", "Div", "Add", "Sub"]);

export interface NodeVerdict {
  index: number;
  name: string;
  op: string;
  /** the importer takes it (its op and attributes; the chain is checked on import) */
  supported: boolean;
  /** why not, when not */
  reason?: string;
  /** the torch layer it likely comes from, when the pattern is known */
  torch?: string;
  /** what to change in the model or its export */
  fix?: string;
  /** the nodes of the pattern this one belongs to (indices), when it is one */
  pattern?: number[];
}

const LATER = "not supported yet (issue 29 adds activations by table lookup)";
const RELU_TODAY = "use nn.ReLU to prove this model today";
const FLATTEN = "use torch.flatten(x, 1) / nn.Flatten instead (the importer takes Flatten, and a Reshape to a constant [1, -1])";
const STATIC = "or export with a static batch (no dynamic_axes), so the shape folds to a constant";

/** Per op not in SUPPORTED_OPS: the torch layer and the fix, when the op alone says it. */
const OP_ADVICE: Record<string, { torch?: string; fix: string }> = {
  Softmax: { torch: "nn.Softmax / F.softmax", fix: `${LATER}; on the output, drop it before export: the class is the argmax of the logits either way` },
  LogSoftmax: { torch: "nn.LogSoftmax / F.log_softmax", fix: "drop it before export: the class is the argmax of the logits either way" },
  LeakyRelu: { torch: "nn.LeakyReLU", fix: `${LATER}; ${RELU_TODAY}` },
  HardSigmoid: { torch: "nn.Hardsigmoid", fix: `${LATER}; ${RELU_TODAY}` },
  Elu: { torch: "nn.ELU", fix: `${LATER}; ${RELU_TODAY}` },
  Selu: { torch: "nn.SELU", fix: `${LATER}; ${RELU_TODAY}` },
  LayerNormalization: { torch: "nn.LayerNorm (opset 17)", fix: "normalisation layers other than BatchNorm are not supported yet: use nn.BatchNorm (folded into the Conv or Linear before it)" },
  Gather: { torch: "indexing (x[i], x.size(i))", fix: "index with constants before export, or drop the indexing (a Gather of shapes and constants is computed at import)" },
  Concat: { torch: "torch.cat", fix: "concatenate computed tensors (torch.cat of two branches is supported), not a constant with activations" },
  ConvTranspose: { torch: "nn.ConvTranspose2d", fix: "not supported yet (issue 29)" },
  Resize: { torch: "nn.Upsample / F.interpolate", fix: "not supported yet (issue 29)" },
  Upsample: { torch: "nn.Upsample", fix: "not supported yet (issue 29)" },
  Split: { torch: "torch.split / torch.chunk", fix: "branches are not supported yet" },
  ReduceMean: { torch: "x.mean(...)", fix: "for a global average use nn.AdaptiveAvgPool2d(1) (GlobalAveragePool), which the importer takes" },
  ReduceSum: { torch: "x.sum(...)", fix: "not supported yet" },
  ReduceMax: { torch: "x.max(...)", fix: "for a global max pool use nn.MaxPool2d over the whole map" },
  GlobalMaxPool: { torch: "nn.AdaptiveMaxPool2d(1)", fix: "use nn.MaxPool2d with the map's size as its kernel, or nn.AdaptiveAvgPool2d(1)" },
  Mul: { torch: "x * y", fix: "" },
  Div: { torch: "x / y", fix: "divide by a constant instead (x * y and x - y of two activations are supported)" },
  Sub: { torch: "x - y", fix: "" },
  Pow: { torch: "x ** p", fix: "not supported yet" },
  Sqrt: { torch: "torch.sqrt", fix: "not supported yet" },
  Reciprocal: { torch: "1 / x", fix: "not supported yet" },
  Cast: { torch: "x.to(dtype) / x.float()", fix: "export in float32 throughout, without casts of activations (a Cast of shapes and constants is computed at import)" },
};

/** The ops a shape computed at run time is made of (x.view(x.size(0), -1) and its kin). */
const SHAPE_OPS = new Set(["Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Constant", "Cast", "Slice", "Mul", "Div", "ReduceProd"]);

/** Every node's verdict, in graph order. */
export function diagnoseNodes(m: OnnxModel): NodeVerdict[] {
  const nodes = m.graph?.node ?? [];
  const consts = new Map<string, OnnxTensor>();
  for (const t of m.graph?.initializer ?? []) consts.set(t.name ?? "", t);
  for (const n of nodes) if (n.opType === "Constant" && attr(n, "value")?.t) consts.set((n.output ?? [])[0], attr(n, "value")!.t!);
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, k) => {
    for (const o of n.output ?? []) producer.set(o, k);
    for (const i of n.input ?? []) if (i) consumers.set(i, [...(consumers.get(i) ?? []), k]);
  });
  const out = (k: number) => (nodes[k].output ?? [])[0];
  const readersOf = (k: number) => consumers.get(out(k)) ?? [];
  const readerOp = (k: number, op: string) => readersOf(k).find((r) => nodes[r].opType === op);
  const constOf = (name: string | undefined): number[] | undefined => {
    const t = name ? consts.get(name) : undefined;
    if (!t) return undefined;
    if (t.floatData?.length) return t.floatData.map(Number);
    if (t.int64Data?.length) return t.int64Data.map(Number);
    if (t.doubleData?.length) return t.doubleData.map(Number);
    const raw = t.rawData && t.rawData.length ? Buffer.from(t.rawData) : undefined;
    if (raw && t.dataType === 1) return Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(4 * i));
    if (raw && t.dataType === 7) return Array.from({ length: raw.length / 8 }, (_, i) => Number(raw.readBigInt64LE(8 * i)));
    return undefined;
  };
  // which tensors are constants at import: initializers, Constants, and foldable nodes of constants (a Shape: always)
  const derived = new Set<string>();
  nodes.forEach((n) => {
    const ins = (n.input ?? []).filter(Boolean);
    if (FOLDABLE.has(n.opType ?? "") && (n.opType === "Shape" || (ins.length > 0 && ins.every((i) => consts.has(i) || derived.has(i))))) derived.add((n.output ?? [])[0]);
  });
  const constantName = (name: string | undefined) => name !== undefined && derived.has(name);
  const constant = (k: number) => derived.has((nodes[k].output ?? [])[0]);
  const verdicts: NodeVerdict[] = nodes.map((n, index) => ({ index, name: n.name || `(unnamed ${index})`, op: n.opType ?? "?", supported: true }));
  const refuse = (k: number, reason: string, fix: string, torch?: string, pattern?: number[]) => {
    if (!verdicts[k].supported && verdicts[k].pattern) return; // already part of a pattern
    Object.assign(verdicts[k], { supported: false, reason, fix, ...(torch ? { torch } : {}), ...(pattern ? { pattern } : {}) });
  };
  const claim = (ks: number[], torch: string, fix: string) => {
    const pattern = [...new Set(ks)].sort((a, b) => a - b);
    for (const k of pattern) refuse(k, `part of ${torch}`, fix, torch, pattern);
  };

  // patterns first: their nodes are reported as one layer
  nodes.forEach((n, k) => {
    if (n.opType === "ReduceMean") {
      // LayerNorm before opset 17: mean, x - mean, its square's mean, + eps, sqrt, divide (then * gamma + beta)
      const sub = readerOp(k, "Sub");
      if (sub === undefined) return;
      const pow = readersOf(sub).find((r) => nodes[r].opType === "Pow" || nodes[r].opType === "Mul");
      const mean2 = pow !== undefined ? readerOp(pow, "ReduceMean") : undefined;
      const add = mean2 !== undefined ? readerOp(mean2, "Add") : undefined;
      const sqrt = add !== undefined ? readerOp(add, "Sqrt") : undefined;
      const div = sqrt !== undefined ? readerOp(sqrt, "Div") : undefined;
      if (div === undefined) return;
      const ks = [k, sub, pow!, mean2!, add!, sqrt!, div];
      const mul = readerOp(div, "Mul");
      if (mul !== undefined) {
        ks.push(mul);
        const beta = readerOp(mul, "Add");
        if (beta !== undefined) ks.push(beta);
      }
      claim(ks, "LayerNorm (nn.LayerNorm, exported before opset 17)", "normalisation layers other than BatchNorm are not supported yet: use nn.BatchNorm (folded into the Conv or Linear before it)");
    }
    if (n.opType === "Reshape") {
      // a target shape computed at run time: x.view(x.size(0), -1)
      const shapeIn = (n.input ?? [])[1];
      if (!shapeIn || consts.has(shapeIn) || derived.has(shapeIn)) return;
      const ks: number[] = [];
      const stack = [shapeIn];
      while (stack.length) {
        const p = producer.get(stack.pop()!);
        if (p === undefined || ks.includes(p) || !SHAPE_OPS.has(nodes[p].opType ?? "")) continue;
        ks.push(p);
        if (nodes[p].opType !== "Shape") stack.push(...(nodes[p].input ?? []));
      }
      claim([...ks, k], "x.view(x.size(0), -1) (a shape computed at run time)", `${FLATTEN}, ${STATIC}`);
      verdicts[k].reason = "its target shape is computed at run time, not a constant";
    }
  });

  const isOutput = (k: number) => (m.graph?.output ?? []).some((o) => o.name === out(k));
  nodes.forEach((n, k) => {
    if (!verdicts[k].supported) return;
    const op = n.opType ?? "?";
    if (n.domain && n.domain !== "ai.onnx") return refuse(k, `op in domain "${n.domain}"`, "export without custom or contrib ops (the default domain only)");
    if (op === "Clip") {
      const bound = (i: number, name: string) => ((n.input ?? [])[i] ? constOf((n.input ?? [])[i])?.[0] : attr(n, name)?.f);
      if ([1, 2].some((i) => (n.input ?? [])[i] && bound(i, "") === undefined)) return refuse(k, "a Clip whose bound is computed, not a constant", "clamp to constant bounds", "torch.clamp");
    }
    if (op === "Pad") {
      const pad = zeroPad2d(n, constOf);
      if (typeof pad === "string") return refuse(k, pad, "pad with zeros on the height and width of an image only, by constant amounts (nn.ZeroPad2d, F.pad(x, (l, r, t, b)))", "F.pad / nn.ZeroPad2d");
    }
    if (FOLDABLE.has(op) && constant(k)) return; // computed at import (shape arithmetic)
    if (op === "Slice" && (n.input ?? []).slice(1).some((i) => i && constOf(i) === undefined && !constantName(i)))
      return refuse(k, "a Slice whose starts, ends, axes or steps are computed at run time", "slice with constant bounds (x[:, a:b] with literal a and b)", "slicing (x[:, a:b])");
    if (op === "Gather" || op === "Cast")
      return refuse(k, `op ${op} of computed tensors`, OP_ADVICE[op].fix, OP_ADVICE[op].torch);
    if (op === "Concat" && (n.input ?? []).some((i) => i && (consts.has(i) || constantName(i))))
      return refuse(k, "a Concat of a constant and computed tensors", OP_ADVICE.Concat.fix, OP_ADVICE.Concat.torch);
    if (op === "Mul" || op === "Sub" || op === "Div") {
      const ins = (n.input ?? []).filter(Boolean);
      // of two activations: x * y (a product, requantized) and x - y (an add with a side negated) are taken; x / y is not
      if (op === "Div" && !ins.some((i) => consts.has(i) || constantName(i))) return refuse(k, "op Div of two computed tensors", OP_ADVICE.Div.fix, OP_ADVICE.Div.torch);
      if (op === "Div" && !(consts.has((n.input ?? [])[1]) || constantName((n.input ?? [])[1]))) return refuse(k, "a constant divided by activations (c / x)", "divide by a constant instead", OP_ADVICE[op].torch);
    }
    if ((op === "Softmax" || op === "LogSoftmax") && isOutput(k)) return refuse(k, `op ${op} is not supported`, OP_ADVICE.LogSoftmax.fix, OP_ADVICE[op].torch);
    if (!SUPPORTED_OPS.includes(op)) {
      const a = OP_ADVICE[op];
      return refuse(k, `op ${op} is not supported`, a?.fix ?? `not supported; the importer takes ${SUPPORTED_OPS.join(", ")}`, a?.torch);
    }
    // supported ops with attributes the importer refuses
    if (op === "Conv") {
      if ((attr(n, "dilations")?.ints ?? []).some((d) => Number(d) !== 1)) return refuse(k, "dilations other than 1", "use dilation=1", "nn.Conv2d(..., dilation>1)");
    }
    if (op === "MaxPool" || op === "AveragePool") {
      const pads = (attr(n, "pads")?.ints ?? []).map(Number);
      const kernel = (attr(n, "kernel_shape")?.ints ?? []).map(Number);
      const torch = op === "MaxPool" ? "nn.MaxPool2d" : "nn.AvgPool2d";
      const accepted = `accepted: ${torch}(kernel_size, stride, padding) with padding below the kernel, ceil_mode=False, dilation=1`;
      if (pads.length === 4 && (pads[0] !== pads[2] || pads[1] !== pads[3])) return refuse(k, `pads [${pads.join(", ")}]: asymmetric padding`, `${accepted}; pad symmetrically`, torch);
      if (pads.length === 4 && kernel.length === 2 && (pads[0] >= kernel[0] || pads[1] >= kernel[1])) return refuse(k, `pads [${pads.join(", ")}]: padding not below the kernel ${kernel.join("x")}`, accepted, torch);
      const auto = attr(n, "auto_pad")?.s ? Buffer.from(attr(n, "auto_pad")!.s!).toString("utf8") : "NOTSET";
      if (auto !== "NOTSET" && auto !== "VALID") return refuse(k, `auto_pad ${auto}`, accepted, torch);
      if (Number(attr(n, "ceil_mode")?.i ?? 0) !== 0) return refuse(k, "ceil_mode = 1", accepted, `${torch}(..., ceil_mode=True)`);
      if ((attr(n, "dilations")?.ints ?? []).some((d) => Number(d) !== 1)) return refuse(k, "dilations other than 1", accepted, torch);
    }
    if (op === "MatMul") {
      const b = (n.input ?? [])[1];
      if (b && !consts.has(b)) return refuse(k, "a product of two activations (its second operand is computed, not a weight)", "not supported yet (issue 29: attention's MatMul of two activations)", "torch.matmul(q, k) (attention)");
    }
  });
  return verdicts;
}

/** The unsupported nodes as lines: a pattern once, identical ops with the same fix together ("Tanh x4: nodes a, b, c, d"). */
export function unsupportedLines(verdicts: NodeVerdict[]): string[] {
  const groups = new Map<string, NodeVerdict[]>();
  for (const v of verdicts.filter((v) => !v.supported)) {
    const key = v.pattern ? `pattern ${v.pattern.join(",")}` : `${v.op}\u0000${v.reason}\u0000${v.torch}\u0000${v.fix}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  // identical patterns (two GELUs) together as well
  const lines = new Map<string, { names: string[]; count: number; head: string; tail: string }>();
  for (const vs of groups.values()) {
    const v = vs[0];
    const ops = vs.map((x) => x.op).join("/");
    const key = v.pattern ? `${v.torch}\u0000${ops}\u0000${v.fix}` : `${v.op}\u0000${v.reason}\u0000${v.torch}\u0000${v.fix}`;
    const head = v.pattern ? `${v.torch}` : `${v.op}`;
    const tail = `${v.pattern ? ` (${ops})` : v.torch ? ` (${v.torch}${v.reason && !v.reason.startsWith("op ") ? `: ${v.reason}` : ""})` : v.reason && !v.reason.startsWith("op ") ? ` (${v.reason})` : ""}; fix: ${v.fix}`;
    const names = v.pattern ? [vs.map((x) => x.name).join(", ")] : vs.map((x) => x.name);
    const g = lines.get(key) ?? { names: [], count: 0, head, tail };
    g.names.push(...names);
    g.count += v.pattern ? 1 : vs.length;
    lines.set(key, g);
  }
  return [...lines.values()].map((g) => {
    const many = g.count > 1 ? ` x${g.count}` : "";
    const which = g.names.length === 1 ? `node${g.names[0].includes(", ") ? "s" : ""} ${g.names[0]}` : `nodes ${g.names.join(g.names.some((n) => n.includes(", ")) ? "; " : ", ")}`;
    return `${g.head}${many}: ${which}${g.tail}`;
  });
}

/** The importer's one refusal of a graph with unsupported nodes: all of them, then what is taken. */
export function unsupportedMessage(verdicts: NodeVerdict[]): string | undefined {
  const bad = verdicts.filter((v) => !v.supported);
  if (bad.length === 0) return undefined;
  return [
    `${bad.length} of ${verdicts.length} node(s) are not supported (nothing was imported):`,
    ...unsupportedLines(verdicts).map((l) => `  - ${l}`),
    `  the importer takes ${SUPPORTED_OPS.join(", ")} (a chain, with residual Adds back into it)`,
  ].join("\n");
}

/**
 * A Pad node as zero padding of an image's height and width, [top, left, bottom, right], or why it is not one: mode
 * constant, value 0 (or none), constant pads of an NCHW tensor (opset 11 on as inputs, with axes from opset 18; before,
 * attributes) that leave the batch and the channels alone and crop nothing. `constOf` reads a constant input.
 */
export function zeroPad2d(n: OnnxNode, constOf: (name: string | undefined) => ArrayLike<number> | undefined): [number, number, number, number] | string {
  const ins = n.input ?? [];
  const mode = attr(n, "mode")?.s ? Buffer.from(attr(n, "mode")!.s!).toString("utf8") : "constant";
  if (mode !== "constant") return `mode ${mode} (only constant: zeros)`;
  const value = ins[2] ? constOf(ins[2])?.[0] : (attr(n, "value")?.f ?? 0);
  if (value === undefined) return "a padding value computed at run time";
  if (value !== 0) return `padding value ${value} (only 0)`;
  const given = ins[1] ? constOf(ins[1]) : attr(n, "pads")?.ints?.map(Number);
  if (given === undefined) return "pads computed at run time, not a constant";
  const pads = Array.from(given);
  const axes = ins[3] ? constOf(ins[3]) : undefined;
  if (ins[3] && axes === undefined) return "axes computed at run time, not a constant";
  const full = new Array(8).fill(0);
  if (axes) {
    if (pads.length !== 2 * axes.length) return `pads [${pads.join(", ")}] for axes [${Array.from(axes).join(", ")}]`;
    if (Array.from(axes).some((a) => a < -4 || a > 3)) return `axes [${Array.from(axes).join(", ")}] of a 4-D tensor`;
    Array.from(axes).forEach((a, i) => {
      const ax = a < 0 ? a + 4 : a;
      full[ax] = pads[i];
      full[ax + 4] = pads[i + axes.length];
    });
  } else if (pads.length === 8) pads.forEach((p, i) => (full[i] = p));
  else return `pads [${pads.join(", ")}]: only an image's (N, C, H, W: 8 values)`;
  if (full.some((p) => p < 0)) return `pads [${pads.join(", ")}]: a negative pad (a crop)`;
  if (full[0] || full[1] || full[4] || full[5]) return `pads [${pads.join(", ")}]: padding of the batch or the channels`;
  return [full[2], full[3], full[6], full[7]];
}

function attr(node: OnnxNode, name: string) {
  return (node.attribute ?? []).find((a) => a.name === name);
}
