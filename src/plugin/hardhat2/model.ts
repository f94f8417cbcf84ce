/**
 * `npx hardhat inspect-model` and `npx hardhat export-model`: a model's layers and costs before compiling anything,
 * and the zoo (or any model file) written as ONNX for other tools.
 */
import * as path from "path";
import { task, types } from "hardhat/config";
import { ZkmlError } from "../../core/errors";
import { boundary, say } from "./common";

task("inspect-model", "A model's layers, parameters and MACs, and per statement its constraints, public signals and ptau size, with every approximation made (ONNX folds, quantization)")
  .addPositionalParam("model", "A built-in model, paper0/<network>, or a model file (.json or .onnx)", undefined, types.string)
  .addFlag("json", "Print one JSON object on stdout")
  .setAction(async (args: { model: string; json: boolean }) =>
    boundary(
      async () => {
        const { resolveModel } = await import("../../model/zoo");
        const { quantizeFor } = await import("../../quantize/quantize");
        const { inspectModel } = await import("../../pipeline/inspect");
        const { renderInspectJson, renderInspectTerminal } = await import("../../report/inspect");
        const model = resolveModel(args.model);
        const r = inspectModel(model, quantizeFor(model), args.model);
        process.stdout.write((args.json ? renderInspectJson(r) : renderInspectTerminal(r)) + "\n");
        return r;
      },
      { json: args.json },
    ),
  );

task("export-model", "Write a model (the zoo, paper0/<network> or a model file) as ONNX, for other tools (EZKL reads ONNX)")
  .addParam("model", "A built-in model, paper0/<network>, or a model file", undefined, types.string)
  .addParam("out", "The .onnx file to write", undefined, types.string)
  .setAction(async (args: { model: string; out: string }) =>
    boundary(async () => {
      const { resolveModel } = await import("../../model/zoo");
      const { exportOnnx, EXPORT_OPSET } = await import("../../model/onnx/export");
      const { writeFileAtomic } = await import("../../core/files");
      if (!args.out.toLowerCase().endsWith(".onnx")) throw new ZkmlError("OPTION_INVALID", `--out: expected a file name ending in .onnx, got ${args.out}`, { hint: `e.g. --out ${args.model.replace(/[^A-Za-z0-9_-]/g, "_")}.onnx` });
      const model = resolveModel(args.model);
      const bytes = exportOnnx(model);
      writeFileAtomic(path.resolve(args.out), Buffer.from(bytes));
      say(`${model.name}: ${model.layers.length} layers as ONNX (opset ${EXPORT_OPSET}, input [1, ${model.input.shape.join(", ")}] named "input", output "output"), ${bytes.length.toLocaleString("en-US")} bytes: ${args.out}`);
    }),
  );
