/**
 * `npx hardhat compare-gas`: parse arguments, call the core (src/evm/compare.ts, src/evm/gas.ts), print.
 */
import * as path from "path";
import { task, types } from "hardhat/config";
import { ZkmlError } from "../../core/errors";
import { boundary, CircuitArgs, circuitOptions, print, say, withCircuitOptions } from "./common";
import { gasChains } from "./chains";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ModelFile } from "../../model/format";
import type { CircuitOptions } from "../../pipeline/circuit";

/** The circuits to compare: one per --statements triple, or the one the circuit options name. */
async function statementCircuits(args: Args, hre: HardhatRuntimeEnvironment, model: ModelFile): Promise<CircuitOptions[]> {
  if (args.statements === undefined) return [await circuitOptions(args, hre, model)];
  if (args.input !== undefined || args.weights !== undefined || args.output !== undefined)
    throw new ZkmlError("OPTION_INVALID", "--statements: give either --statements or --input/--weights/--output, not both", { hint: "e.g. --statements packed/fixed/label,hashed/fixed/label" });
  const out: CircuitOptions[] = [];
  for (const triple of args.statements.split(",")) {
    const parts = triple.trim().split("/");
    if (parts.length !== 3 && parts.length !== 4)
      throw new ZkmlError("OPTION_INVALID", `--statements: expected input/weights/output[/batch] items, got ${JSON.stringify(triple)}`, { hint: "e.g. --statements packed/fixed/label,hashed/fixed/label/64" });
    const [input, weights, output, batch] = parts;
    if (batch !== undefined && !/^[0-9]+$/.test(batch)) throw new ZkmlError("OPTION_INVALID", `--statements: the batch of ${JSON.stringify(triple)} must be a whole number, got ${JSON.stringify(batch)}`, { hint: "e.g. hashed/fixed/label/64" });
    out.push(await circuitOptions({ ...args, input, weights, output, batch: batch === undefined ? args.batch : Number(batch) }, hre, model));
  }
  return out;
}

interface Args extends CircuitArgs {
  model: string;
  systems: string;
  blockGasLimit?: number;
  json: boolean;
  markdown?: string;
  statements?: string;
}

withCircuitOptions(task("compare-gas", "Gas of running a model in the EVM against verifying a proof of it: per call, deployment, crossover and break-even (real receipts, in-process network)")
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others)", undefined, types.string)
  .addOptionalParam("systems", "Comma-separated proof systems to measure: groth16, plonk, fflonk", "groth16", types.string)
  .addOptionalParam("blockGasLimit", "Block gas limit to flag transactions against (default: zkml.blockGasLimit, else 30,000,000)", undefined, types.int)
  .addFlag("json", "Print the report as one JSON object on stdout (progress goes to stderr)")
  .addOptionalParam("markdown", "Also write the report as markdown to this file", undefined, types.string)
  .addOptionalParam("statements", "Several statements side by side, comma-separated input/weights/output[/batch] items (e.g. packed/fixed/label,hashed/fixed/label,hashed/fixed/label/64); instead of --input, --weights, --output", undefined, types.string))
  .setAction(async (args: Args, hre) =>
    boundary(async () => {
      const { compareModelGas } = await import("../../evm/compare");
      const model = (await import("../../model/zoo")).resolveModel(args.model);
      const { parseSystem } = await import("../../systems/registry");
      const { isGasLimit, ptauTrust } = await import("../../core/config");
      const { renderGasJson, renderGasMarkdown, renderGasTerminal } = await import("../../report/gas");
      const { writeFileAtomic } = await import("../../core/files");
      const systems = [...new Set(args.systems.split(",").map((s) => parseSystem(s, "--systems")))];
      const blockGasLimit = args.blockGasLimit ?? hre.config.zkml.blockGasLimit;
      if (!isGasLimit(blockGasLimit)) throw new ZkmlError("OPTION_INVALID", `--block-gas-limit: expected a whole number of gas, at least 21,000, got ${blockGasLimit}`, { hint: "e.g. --block-gas-limit 30000000" });
      const circuits = await statementCircuits(args, hre, model);
      const report = await compareModelGas(
        { root: hre.config.paths.root, model, circuits, systems, trust: ptauTrust(hre.config.zkml), log: say },
        await gasChains(hre, blockGasLimit),
      );
      if (args.markdown) {
        writeFileAtomic(path.resolve(args.markdown), renderGasMarkdown(report) + "\n");
        say(`markdown: ${args.markdown}`);
      }
      print(args.json ? renderGasJson(report) : renderGasTerminal(report));
      return report;
    }, { json: args.json }),
  );
