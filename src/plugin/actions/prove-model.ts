/**
 * prove-model's action, shared by both plugins: resolve the model and options, call the core
 * (src/pipeline/prove.ts), print the report.
 */
import * as fs from "fs";
import { ZkmlError } from "../../core/errors";
import { runLabel } from "../../pipeline/report";
import type { ProveReport } from "../../pipeline/report";
import { CircuitArgs, circuitOptions } from "./circuit";
import type { Host } from "./host";
import { print, quiet, say } from "./output";

export interface ProveArgs extends CircuitArgs {
  model: string;
  system: string;
  prover?: string;
  inputFile?: string;
  ptau?: string;
  downloadPtau: boolean;
  contribute: boolean;
  entropy?: string;
  beacon?: string;
  json: boolean;
  force: boolean;
  bindTo?: string;
  zk?: boolean;
  pcs?: string;
}

/** --pcs: hyrax or kzg. */
function parsePcs(v: string): "hyrax" | "kzg" {
  if (v === "hyrax" || v === "kzg") return v;
  throw new ZkmlError("OPTION_INVALID", `--pcs: expected hyrax or kzg, got ${JSON.stringify(v)}`, { hint: "e.g. --pcs kzg (the on-chain form of --system sumcheck)" });
}

/** `signer`: the account that will submit the proof, the context a bound statement defaults to (without it,
 * such a statement needs --bind-to). */
export async function proveModelAction(args: ProveArgs, host: Pick<Host, "root" | "zkml"> & Partial<Pick<Host, "signer">>): Promise<ProveReport> {
  const { proveModel } = await import("../../pipeline/prove");
  const { resolveModel } = await import("../../model/zoo");
  const { renderJson, renderTerminal } = await import("../../report/prove");
  const root = host.root;
  const { ptauTrust } = await import("../../core/config");
  const model = resolveModel(args.model);
  const { parseProver, parseSystem } = await import("../../systems/registry");
  const system = parseSystem(args.system, "--system");
  const prover = args.prover === undefined ? undefined : parseProver(args.prover, "--prover");
  if ((args.entropy || args.beacon) && !args.contribute)
    throw new ZkmlError("OPTION_INVALID", "--entropy and --beacon only apply with --contribute", { hint: "add --contribute" });
  const contribute = args.contribute ? { entropy: args.entropy ?? (await askEntropy()), beacon: args.beacon } : undefined;
  const { INPUT_VISIBILITY } = await import("../../statement/visibility");
  // --input once took the input file; a value that is not a visibility keyword still means that
  let inputFile = args.inputFile;
  if (args.input !== undefined && !(INPUT_VISIBILITY as readonly string[]).includes(args.input) && (args.input.endsWith(".json") || fs.existsSync(args.input))) {
    if (inputFile) throw new ZkmlError("OPTION_INVALID", `--input ${args.input}: give the input file once, with --input-file`, { hint: "drop one of the two" });
    inputFile = args.input;
    args = { ...args, input: undefined };
  }
  const circuit = await circuitOptions(args, host.zkml, model, host.root);
  const { parseContext } = await import("../../statement/statement");
  // a statement bound to its submitter (the default) is proved for the network's first account, the one
  // deploy-verifier and submit-proof send from, unless --bind-to names another
  const bindTo = args.bindTo ?? (circuit.visibility.context === "sender" && host.signer ? await (await host.signer()).getAddress() : undefined);
  const context = parseContext(bindTo, circuit.visibility, "--bind-to");
  const report = await proveModel({
    root,
    model,
    system,
    prover,
    inputFile,
    circuit,
    context,
    zeroKnowledge: args.zk === true,
    ...(args.pcs !== undefined ? { pcs: parsePcs(args.pcs) } : {}),
    trust: { ...ptauTrust(host.zkml, args), contribute },
    execution: { force: args.force },
    observe: {
      log: say,
      // live lines on a terminal; plain lines when stderr is a pipe or a file
      progress: process.stderr.isTTY && !quiet() ? (await import("../../report/progress")).terminalProgress() : undefined,
    },
  });
  if (!report.verified && args.json)
    throw new ZkmlError("PROOF_INVALID", `the proof of ${report.model} did not verify (${runLabel(report)}); it was not kept`, { hint: "run prove-model again with --force; if the key was damaged, the setup is redone" });
  print(args.json ? renderJson(report) : renderTerminal(report, root));
  if (!report.verified)
    throw new ZkmlError("PROOF_INVALID", `the proof of ${report.model} did not verify (${runLabel(report)}); it was not kept`, { hint: "run prove-model again with --force; if the key was damaged, the setup is redone" });
  return report;
}

/** Entropy typed by the user; refused when there is no terminal to type it in. */
async function askEntropy(): Promise<string> {
  if (!process.stdin.isTTY)
    throw new ZkmlError("OPTION_INVALID", "--contribute needs entropy and there is no terminal to ask for it", { hint: "pass --entropy \"<random text>\"" });
  const readline = await import("readline/promises");
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const text = await rl.question("  Type some random text for your contribution (it is hashed with system randomness, never stored): ");
    if (!text.trim()) throw new ZkmlError("OPTION_INVALID", "the entropy was empty", { hint: "type some random characters, or pass --entropy" });
    return text;
  } finally {
    rl.close();
  }
}
