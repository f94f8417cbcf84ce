/**
 * What deploy-verifier and submit-proof share across proof systems (./deploy.ts for the circuit systems,
 * ./deploy-sumcheck.ts for the sumcheck system): their arguments, the target a task's options name, and what they print.
 */
import type { DeployResult, SubmitResult } from "../../evm/deploy";
import { networkSpec, requireNetworkSettings } from "../../evm/networks";
import { CircuitArgs, circuitOptions } from "./circuit";
import type { Host } from "./host";
import { print } from "./output";

export interface DeployArgs extends CircuitArgs {
  model: string;
  system: string;
  confirmations?: number;
  force: boolean;
  allowDevelopmentSetup: boolean;
  /** publish the sources on the network's explorer afterwards (each plugin does it) */
  verify?: boolean;
  /** the sumcheck system's commitment: hyrax (default) or kzg */
  pcs?: string;
}

export interface SubmitArgs extends CircuitArgs {
  model: string;
  system: string;
  proof?: string;
  job?: string;
  allowDevelopmentSetup: boolean;
  /** the sumcheck system's commitment: hyrax (default) or kzg */
  pcs?: string;
}

/**
 * What deploy-verifier and submit-proof both start from: the network (checked), the system, the model, the circuit
 * its options name, and that circuit's deployment record. An IR system's consumer binds every proof to its
 * submitter, so its context defaults to the sender here (prove-model's default for it is none).
 */
export async function deploymentTarget(args: CircuitArgs & { model: string; system: string; pcs?: string }, host: Host) {
  const { locateCircuit } = await import("../../pipeline/prove");
  const { resolveModel } = await import("../../model/zoo");
  const { parseSystem, systemFor } = await import("../../systems/registry");
  const { Paths } = await import("../../core/paths");
  const network = await host.network();
  const net = network.name;
  requireNetworkSettings(net, host.lookup, { signing: true });
  const system = parseSystem(args.system, "--system");
  const model = resolveModel(args.model);
  const root = host.root;
  const paths = new Paths(root);
  const form = systemFor({ system }).form;
  const options = await circuitOptions(form === "ir" ? { ...args, context: args.context ?? "sender" } : args, host.zkml, model, host.root);
  const loc = locateCircuit(root, model, system, options);
  const { ZkmlError } = await import("../../core/errors");
  if (args.pcs !== undefined && args.pcs !== "hyrax" && args.pcs !== "kzg") throw new ZkmlError("OPTION_INVALID", `--pcs: expected hyrax or kzg, got ${JSON.stringify(args.pcs)}`, { hint: "e.g. --pcs kzg" });
  if (args.pcs === "kzg" && form !== "ir") throw new ZkmlError("OPTION_INVALID", `--pcs kzg: ${system} is a circuit system, whose proof's commitments its protocol fixes`, { hint: "drop --pcs, or use --system sumcheck --pcs kzg" });
  const kzg = args.pcs === "kzg";
  return { net, network, system, form, model, root, paths, options, loc, kzg, recordFile: paths.get({ kind: "deployment", network: net, circuit: loc.id, system, kzg }) };
}

/** What deploy-verifier prints: where it is recorded, then each contract (data contracts first, when any). */
export function printDeployment(r: DeployResult, at: { model: string; system: string; net: string; file: string }): void {
  if (!r.deployed) print(`${at.model} (${at.system}) on ${at.net}: ${r.reason}`);
  else print(`${at.model} (${at.system}) on ${at.net} (chain ${r.record.chainId}), recorded in ${at.file}`);
  for (const c of [...(r.record.data ?? []), r.record.verifier, r.record.consumer])
    print(`  ${c.contract.padEnd(32)} ${c.address}  tx ${c.transaction}  block ${c.block}  gas ${c.gasUsed.toLocaleString("en-US")}  ${c.runtimeBytes.toLocaleString("en-US")} bytes`);
  const explorer = networkSpec(at.net)?.explorer;
  if (explorer) print(`  explorer: ${explorer}/address/${r.record.consumer.address}`);
}

/** What submit-proof prints: the transaction and what the consumer recorded. */
export function printSubmission(r: SubmitResult, at: { model: string; system: string; net: string; consumer: string; address: string }): void {
  print(`${at.model} (${at.system}) on ${at.net}: proof accepted by ${at.consumer} at ${at.address}`);
  print(`  transaction ${r.transaction}  block ${r.block}  gas ${r.gasUsed.toLocaleString("en-US")}`);
  const recorded = [r.label !== undefined ? `label ${r.label}` : undefined, r.output ? `output [${r.output.join(", ")}]` : undefined, r.outputHash !== undefined ? `output hash ${r.outputHash}` : undefined, `input hash ${r.inputHash}`];
  print(`  recorded: ${recorded.filter(Boolean).join(", ")}`);
}

