/**
 * `npx hardhat quantize`: parse arguments, call the core (src/pipeline/quantize-table.ts), print.
 */
import * as path from "path";
import { task, types } from "hardhat/config";
import { ZkmlError } from "../../core/errors";
import { boundary, say } from "./common";
import { readCalibration } from "./common";

interface Args {
  model: string;
  scales: string;
  samples: number;
  calibration?: string;
  input?: string;
  weights?: string;
  output?: string;
  json: boolean;
  markdown?: string;
}

task("quantize", "What each quantization scale costs and buys: float and quantized accuracy, argmax agreement, max error, constraints and ptau size")
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)", undefined, types.string)
  .addOptionalParam("scales", "Comma-separated scale widths in bits (input, weights and activations alike)", "4,6,8,10,12", types.string)
  .addOptionalParam("samples", "Held-out inputs to evaluate on (MNIST digits for MNIST-shaped models, else seeded inputs)", 200, types.int)
  .addOptionalParam("calibration", "A JSON file of sample inputs that sets the activation scales (default: MNIST training digits, or seeded inputs)", undefined, types.string)
  .addOptionalParam("input", "Input visibility for the constraint count: public, packed, private or hashed (default zkml.visibility)", undefined, types.string)
  .addOptionalParam("weights", "Weights visibility for the constraint count: fixed, private or hashed", undefined, types.string)
  .addOptionalParam("output", "Output visibility for the constraint count: public, label or hashed", undefined, types.string)
  .addFlag("json", "Print the table as JSON on stdout")
  .addOptionalParam("markdown", "Also write the table as markdown to this file", undefined, types.string)
  .setAction(async (args: Args, hre) =>
    boundary(async () => {
      const { quantizeTable, renderQuantizeJson, renderQuantizeMarkdown, renderQuantizeTerminal } = await import("../../pipeline/quantize-table");
      const { parseVisibility } = await import("../../statement/visibility");
      const { resolveModel } = await import("../../model/zoo");
      const { writeFileAtomic } = await import("../../core/files");
      const model = resolveModel(args.model);
      const scales = args.scales.split(",").map((s) => Number(s.trim()));
      if (scales.some((b) => !Number.isInteger(b) || b < 2 || b > 32))
        throw new ZkmlError("OPTION_INVALID", `--scales: expected whole numbers of bits in 2..32, got ${args.scales}`, { hint: "e.g. --scales 4,6,8,10" });
      if (!Number.isInteger(args.samples) || args.samples < 1) throw new ZkmlError("OPTION_INVALID", `--samples: expected a whole number >= 1, got ${args.samples}`);
      const cfg = hre.config.zkml.visibility;
      const visibility = parseVisibility({ input: args.input ?? cfg.input, weights: args.weights ?? cfg.weights, output: args.output ?? cfg.output }, (k) => `--${k}`);
      const calibration = args.calibration ? await readCalibration(args.calibration, model) : undefined;
      say(`quantize: ${model.name} at ${scales.join(", ")} bits on ${args.samples} inputs`);
      const t = quantizeTable(model, { scales, samples: args.samples, calibration, calibrationSource: args.calibration, visibility, log: say });
      if (args.markdown) {
        writeFileAtomic(path.resolve(args.markdown), renderQuantizeMarkdown(t) + "\n");
        say(`markdown: ${args.markdown}`);
      }
      process.stdout.write((args.json ? renderQuantizeJson(t) : renderQuantizeTerminal(t)) + "\n");
      return t;
    }, { json: args.json }),
  );
