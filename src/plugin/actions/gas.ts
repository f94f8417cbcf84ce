/**
 * compare-gas's action, shared by both plugins: the circuits to compare, the core (src/evm/compare.ts,
 * src/evm/gas.ts) on the two in-process chains the Host makes, the report.
 */
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import type { ZkmlConfig } from "../../core/config";
import type { GasReport } from "../../evm/gas";
import type { ModelFile } from "../../model/format";
import type { CircuitOptions } from "../../pipeline/circuit";
import type { ProofSystem } from "../../core/paths";
import type { Visibility } from "../../statement/visibility";
import { CircuitArgs, circuitOptions } from "./circuit";
import type { Host } from "./host";
import { print, say } from "./output";

export interface CompareGasArgs extends CircuitArgs {
  model: string;
  systems: string;
  blockGasLimit?: number;
  json: boolean;
  markdown?: string;
  statements?: string;
  pcs?: string;
}

/** The circuits to compare: one per --statements triple, or the one the circuit options name. */
async function statementCircuits(args: CompareGasArgs, zkml: ZkmlConfig<Visibility>, model: ModelFile, root: string): Promise<CircuitOptions[]> {
  if (args.statements === undefined) return [await circuitOptions(args, zkml, model, root)];
  if (args.input !== undefined || args.weights !== undefined || args.output !== undefined)
    throw new ZkmlError("OPTION_INVALID", "--statements: give either --statements or --input/--weights/--output, not both", { hint: "e.g. --statements packed/fixed/label,hashed/fixed/label" });
  const out: CircuitOptions[] = [];
  for (const triple of args.statements.split(",")) {
    const parts = triple.trim().split("/");
    if (parts.length !== 3 && parts.length !== 4)
      throw new ZkmlError("OPTION_INVALID", `--statements: expected input/weights/output[/batch] items, got ${JSON.stringify(triple)}`, { hint: "e.g. --statements packed/fixed/label,hashed/fixed/label/64" });
    const [input, weights, output, batch] = parts;
    if (batch !== undefined && !/^[0-9]+$/.test(batch)) throw new ZkmlError("OPTION_INVALID", `--statements: the batch of ${JSON.stringify(triple)} must be a whole number, got ${JSON.stringify(batch)}`, { hint: "e.g. hashed/fixed/label/64" });
    out.push(await circuitOptions({ ...args, input, weights, output, batch: batch === undefined ? args.batch : Number(batch) }, zkml, model, root));
  }
  return out;
}

/**
 * The statement an IR system (sumcheck) is measured under: the one its contracts take (committed weights, a public
 * input and output, one inference bound to its submitter), whatever --input/--weights/--output ask of the circuit
 * systems; the width as its own tables allow (--scale-bits or --max-error as given).
 */
async function irStatement(args: CompareGasArgs, zkml: ZkmlConfig<Visibility>, model: ModelFile, systems: readonly ProofSystem[], root: string): Promise<CircuitOptions | undefined> {
  const { systemFor } = await import("../../systems/registry");
  const ir = systems.find((s) => systemFor({ system: s }).form === "ir");
  if (ir === undefined) return undefined;
  return circuitOptions({ ...args, system: ir, input: "public", weights: "hashed", output: "public", context: "sender", batch: undefined }, zkml, model, root);
}

export async function compareGasAction(args: CompareGasArgs, host: Pick<Host, "root" | "zkml" | "gasChains">): Promise<GasReport> {
  const { compareModelGas } = await import("../../evm/compare");
  const model = (await import("../../model/zoo")).resolveModel(args.model);
  const { parseSystem } = await import("../../systems/registry");
  const { isGasLimit, ptauTrust } = await import("../../core/config");
  const { renderGasJson, renderGasMarkdown, renderGasTerminal } = await import("../../report/gas");
  const { writeFileAtomic } = await import("../../core/files");
  const systems = [...new Set(args.systems.split(",").map((s) => parseSystem(s, "--systems")))];
  if (args.pcs !== undefined && args.pcs !== "hyrax" && args.pcs !== "kzg") throw new ZkmlError("OPTION_INVALID", `--pcs: expected hyrax or kzg, got ${JSON.stringify(args.pcs)}`, { hint: "e.g. --pcs kzg --systems groth16,sumcheck" });
  const blockGasLimit = args.blockGasLimit ?? host.zkml.blockGasLimit;
  if (!isGasLimit(blockGasLimit)) throw new ZkmlError("OPTION_INVALID", `--block-gas-limit: expected a whole number of gas, at least 21,000, got ${blockGasLimit}`, { hint: "e.g. --block-gas-limit 30000000" });
  const circuits = await statementCircuits(args, host.zkml, model, host.root);
  const irCircuit = await irStatement(args, host.zkml, model, systems, host.root);
  const report = await compareModelGas(
    { root: host.root, model, circuits, systems, irCircuit, trust: ptauTrust(host.zkml), ...(args.pcs === "kzg" ? { pcs: "kzg" as const } : {}), log: say },
    await host.gasChains(blockGasLimit),
  );
  if (args.markdown) {
    writeFileAtomic(path.resolve(args.markdown), renderGasMarkdown(report) + "\n");
    say(`markdown: ${args.markdown}`);
  }
  print(args.json ? renderGasJson(report) : renderGasTerminal(report));
  return report;
}
