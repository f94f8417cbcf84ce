/**
 * inspect-model, export-model and quantize's actions, shared by both plugins: a model's layers and costs before
 * compiling anything, the model written as ONNX for other tools, and what each quantization scale costs and buys.
 */
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import type { ZkmlConfig } from "../../core/config";
import type { Visibility } from "../../statement/visibility";
import { readCalibration } from "./circuit";
import { say } from "./output";

export async function inspectModelAction(args: { model: string; json: boolean }) {
  const { resolveModel } = await import("../../model/zoo");
  const { quantizeFor } = await import("../../quantize/quantize");
  const { inspectModel } = await import("../../pipeline/inspect");
  const { renderInspectJson, renderInspectTerminal } = await import("../../report/inspect");
  const fs = await import("fs");
  let r;
  if (args.model.toLowerCase().endsWith(".onnx") && fs.existsSync(args.model) && fs.statSync(args.model).isFile()) {
    // every node, supported or not: a model with unsupported nodes is listed whole, not refused at the first
    const { decodeOnnx } = await import("../../model/onnx/proto");
    const { inspectOnnx } = await import("../../pipeline/inspect");
    r = inspectOnnx(decodeOnnx(fs.readFileSync(args.model), args.model), args.model, args.model);
  } else {
    const model = resolveModel(args.model);
    r = inspectModel(model, quantizeFor(model), args.model);
  }
  process.stdout.write((args.json ? renderInspectJson(r) : renderInspectTerminal(r)) + "\n");
  return r;
}

export async function exportModelAction(args: { model: string; out: string }): Promise<void> {
  const { resolveModel } = await import("../../model/zoo");
  const { exportOnnx, EXPORT_OPSET } = await import("../../model/onnx/export");
  const { writeFileAtomic } = await import("../../core/files");
  if (!args.out.toLowerCase().endsWith(".onnx")) throw new ZkmlError("OPTION_INVALID", `--out: expected a file name ending in .onnx, got ${args.out}`, { hint: `e.g. --out ${args.model.replace(/[^A-Za-z0-9_-]/g, "_")}.onnx` });
  const model = resolveModel(args.model);
  const bytes = exportOnnx(model);
  writeFileAtomic(path.resolve(args.out), Buffer.from(bytes));
  say(`${model.name}: ${model.layers.length} layers as ONNX (opset ${EXPORT_OPSET}, input [1, ${model.input.shape.join(", ")}] named "input", output "output"), ${bytes.length.toLocaleString("en-US")} bytes: ${args.out}`);
}

export interface QuantizeArgs {
  model: string;
  scales: string;
  samples: number;
  calibration?: string;
  /** the target the table marks each width against (default zkml.quantize.maxError, else 0.005) */
  maxError?: number;
  input?: string;
  weights?: string;
  output?: string;
  json: boolean;
  markdown?: string;
}

export async function quantizeAction(args: QuantizeArgs, zkml: ZkmlConfig<Visibility>) {
  const { quantizeTable, renderQuantizeJson, renderQuantizeMarkdown, renderQuantizeTerminal } = await import("../../pipeline/quantize-table");
  const { contextOf, parseVisibility } = await import("../../statement/visibility");
  const { resolveModel } = await import("../../model/zoo");
  const { writeFileAtomic } = await import("../../core/files");
  const model = resolveModel(args.model);
  const scales = args.scales.split(",").map((s) => Number(s.trim()));
  if (scales.some((b) => !Number.isInteger(b) || b < 2 || b > 32))
    throw new ZkmlError("OPTION_INVALID", `--scales: expected whole numbers of bits in 2..32, got ${args.scales}`, { hint: "e.g. --scales 4,6,8,10" });
  if (!Number.isInteger(args.samples) || args.samples < 1) throw new ZkmlError("OPTION_INVALID", `--samples: expected a whole number >= 1, got ${args.samples}`);
  const cfg = zkml.visibility;
  const visibility = parseVisibility({ input: args.input ?? cfg.input, weights: args.weights ?? cfg.weights, output: args.output ?? cfg.output, context: contextOf(cfg) }, (k) => `--${k}`);
  const calibration = args.calibration ? await readCalibration(args.calibration, model) : undefined;
  const { parseMaxError } = await import("../../quantize/choose");
  const maxError = args.maxError !== undefined ? parseMaxError(args.maxError) : zkml.quantize?.maxError;
  say(`quantize: ${model.name} at ${scales.join(", ")} bits on ${args.samples} inputs`);
  const t = quantizeTable(model, { scales, samples: args.samples, calibration, calibrationSource: args.calibration, visibility, maxError, log: say });
  if (args.markdown) {
    writeFileAtomic(path.resolve(args.markdown), renderQuantizeMarkdown(t) + "\n");
    say(`markdown: ${args.markdown}`);
  }
  process.stdout.write((args.json ? renderQuantizeJson(t) : renderQuantizeTerminal(t)) + "\n");
  return t;
}
