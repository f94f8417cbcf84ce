/**
 * `npx hardhat prove-model`: parse arguments, call the core, print. All logic lives in src/.
 */
import { task, types } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { isZkmlError } from "../src/errors";

export const PLUGIN = "zkml-hardhat";

/** Run a task body; a ZkmlError becomes a HardhatPluginError carrying its message and fix. */
export async function boundary<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isZkmlError(e)) throw new HardhatPluginError(PLUGIN, `[${e.code}] ${e.describe()}`);
    throw e;
  }
}

task("prove-model", "Quantize a model, compile its circuit, set up Groth16, prove one inference and verify it")
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model JSON file", undefined, types.string)
  .addOptionalParam("input", "A JSON file with the input: an array (flat or nested) or {\"input\": [...]}; default: a held-out MNIST digit or a seeded random input", undefined, types.string)
  .addOptionalParam("ptau", "A phase-2-prepared powers-of-tau file from a real ceremony; default: a development one generated and cached on this machine", undefined, types.string)
  .addFlag("json", "Print the report as one JSON object on stdout (progress goes to stderr)")
  .addFlag("force", "Ignore cached artifacts and redo every stage")
  .setAction(async (args: { model: string; input?: string; ptau?: string; json: boolean; force: boolean }, hre) =>
    boundary(async () => {
      const { proveModel } = await import("../src/pipeline");
      const { resolveModel } = await import("../src/zoo");
      const { renderJson, renderTerminal } = await import("../src/report");
      const root = hre.config.paths.root;
      const model = resolveModel(args.model);
      const report = await proveModel({
        root,
        model,
        inputFile: args.input,
        ptau: args.ptau,
        force: args.force,
        log: (l) => process.stderr.write(`  ${l}\n`),
      });
      process.stdout.write((args.json ? renderJson(report) : renderTerminal(report, root)) + "\n");
      if (!report.verified) throw new HardhatPluginError(PLUGIN, "the proof did not verify");
      return report;
    }),
  );
