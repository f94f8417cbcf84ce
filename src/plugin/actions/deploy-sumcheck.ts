/**
 * deploy-verifier and submit-proof for the sumcheck system: its verifier (src/systems/sumcheck/solidity/) and consumer
 * rendered from the model's IR and weights' commitment (what prove-model made), compiled here with solc's IR
 * pipeline (the project's Hardhat compile does not take it: the source lives under build/, not contracts/), and
 * deployed through the same core as Groth16's (src/evm/deploy.ts: the record, its drift checks, funds, confirmations),
 * the commitment's rows and the generators as data contracts first. On a chain with a per-transaction gas cap a
 * verifier whose verification cannot fit it is refused before anything is sent.
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import type { DeployResult, SubmitResult } from "../../evm/deploy";
import { networkSpec } from "../../evm/networks";
import { circuitFlags } from "./circuit";
import { DeployArgs, deploymentTarget, printDeployment, printSubmission, SubmitArgs } from "./deployment";
import type { Host } from "./host";
import { say } from "./output";

type Target = Awaited<ReturnType<typeof deploymentTarget>>;

/** The statement the sumcheck contracts take, checked before anything is rendered: every option that differs named. */
function checkOnChainStatement(t: Target, args: { model: string } & Parameters<typeof circuitFlags>[0]): void {
  const v = t.options.visibility;
  const wrong = [
    v.weights !== "hashed" && `--weights ${v.weights} (the verifier holds the model's commitment: --weights hashed)`,
    v.input !== "public" && `--input ${v.input} (the contract takes the input itself: --input public)`,
    v.output !== "public" && `--output ${v.output} (the consumer records the outputs: --output public)`,
    v.context !== "sender" && `--context ${v.context ?? "none"} (the consumer binds every proof to its submitter: --context sender)`,
    (v.batch ?? 1) > 1 && `--batch ${v.batch} (one inference a proof on-chain so far)`,
  ].filter((w): w is string => typeof w === "string");
  if (wrong.length)
    throw new ZkmlError("OPTION_INVALID", `${wrong.join("; ")}: the ${t.system} system's Solidity verifier checks one inference of a committed model with a public input, bound to its submitter`, {
      hint: `npx hardhat deploy-verifier --model ${args.model} --system ${t.system} --weights hashed --input public --output public --network ${t.net}`,
    });
}

/** The files prove-model made for this model and options: the IR and the weights' commitment; with --pcs kzg the
 * KZG one and the record of its powers of tau (kzg-setup.json). */
function builtFiles(t: Target, args: DeployArgs | SubmitArgs): { ir: string; commitment: string; kzgSetup?: string } {
  const ir = t.paths.get({ kind: "ir", circuit: t.loc.id });
  const commitment = t.paths.get({ kind: "modelCommitment", circuit: t.loc.id, system: t.system, kzg: t.kzg });
  const kzgSetup = t.kzg ? t.paths.get({ kind: "kzgSetup", circuit: t.loc.id, system: t.system }) : undefined;
  for (const [file, what] of [[ir, "quantized model"], [commitment, "weights' commitment"], ...(kzgSetup ? [[kzgSetup, "KZG setup record"] as const] : [])] as const)
    if (!fs.existsSync(file))
      throw new ZkmlError("SETUP_NOT_FOUND", `no ${what} of ${t.model.name} with these options (looked for ${path.relative(t.root, file)})`, {
        hint: `prove once first, which makes it: npx hardhat prove-model --model ${args.model} --system ${t.system}${circuitFlags({ ...args, weights: "hashed", input: "public", output: "public", context: "sender" })}${t.kzg ? " --pcs kzg" : ""}`,
      });
  return { ir, commitment, ...(kzgSetup ? { kzgSetup } : {}) };
}

/** The ptau a KZG deployment's verifier key comes from (kzg-setup.json), and whether anyone holding its secret can
 * forge proofs (setupForgeability's rules); Hyrax has no setup. */
async function setupOf(t: Target, files: { kzgSetup?: string }): Promise<{ ptau?: string; forgeable: boolean; reason: string }> {
  if (!files.kzgSetup) return { forgeable: false, reason: "the sumcheck system has no trusted setup (Hyrax: generators hashed to the curve)" };
  const { setupForgeability } = await import("../../setup/trust");
  const ptau = (JSON.parse(fs.readFileSync(files.kzgSetup, "utf8")) as { ptau?: string }).ptau;
  if (!ptau || !fs.existsSync(ptau))
    throw new ZkmlError("SETUP_NOT_FOUND", `the powers of tau the KZG commitment was made under is gone (${ptau ?? "unrecorded"})`, { file: files.kzgSetup, hint: "prove again with --pcs kzg (and the same --ptau), which records it" });
  // the commitment must be the one made under this ptau (its meta names the ptau's fileId): else the contract would
  // hold one tau's [tau]_2 and another's C_M, and refuse every proof
  const { fileId } = await import("../../setup/trust");
  const { readMeta } = await import("../../core/files");
  const made = readMeta<{ ptau?: string }>(`${t.paths.get({ kind: "modelCommitment", circuit: t.loc.id, system: t.system, kzg: true })}.meta.json`)?.ptau;
  if (made !== fileId(ptau))
    throw new ZkmlError("SETUP_NOT_FOUND", `the KZG commitment was not made under ${ptau} (${made ? `its record names ${made.split(":")[0]}` : "no record of its ptau"})`, {
      file: files.kzgSetup,
      hint: "prove again with --pcs kzg (and the --ptau to deploy with), which commits under it",
    });
  return { ptau, ...setupForgeability(files.kzgSetup, (p) => t.paths.get({ kind: "ptauSecrets", ptau: p })) };
}

const txGasCap = (net: string): number | null => networkSpec(net)?.txGasCap ?? null;

/** deploy-verifier --system sumcheck: the data contracts, the verifier and the consumer, deployed (or found) and recorded. */
export async function deploySumcheckAction(args: DeployArgs, host: Host, t: Target, after?: (r: DeployResult, recordFile: string) => Promise<void>): Promise<DeployResult> {
  const { sumcheckDeployment, refuseOverGasCap } = await import("../../evm/sumcheck-verifier");
  const { deployVerifier } = await import("../../evm/deploy");
  const { publicLayout, statementLayout } = await import("../../statement/layout");
  const { writeFileAtomic } = await import("../../core/files");
  checkOnChainStatement(t, args);
  if (args.verify)
    throw new ZkmlError("OPTION_INVALID", `--verify: the ${t.system} verifier is compiled outside Hardhat's artifacts (solc's IR pipeline, from build/), which the explorer plugins cannot submit yet`, {
      hint: "deploy without --verify; the deployment record names the source file and the compiler settings (viaIR) to submit it by hand",
    });
  const files = builtFiles(t, args);
  const signer = await host.signer(); // reach the node before compiling anything
  const name = t.loc.contracts.verifier.replace(/Verifier(?=_|$)/, "");
  say("compiling the sumcheck verifier with solc's IR pipeline");
  const { sumcheckContractName, sumcheckKzgContractName } = await import("../../systems/sumcheck/solidity/render");
  const setup = await setupOf(t, files);
  const d = sumcheckDeployment({ ...files, ptau: setup.ptau }, name, t.paths.get({ kind: "irVerifierSol", circuit: t.loc.id, system: t.system, contract: (t.kzg ? sumcheckKzgContractName : sumcheckContractName)(name) }), (f, text) => {
    if (!fs.existsSync(f) || fs.readFileSync(f, "utf8") !== text) writeFileAtomic(f, text);
  });
  refuseOverGasCap(d.rendered, txGasCap(t.net), t.net);
  // the record names the source as the project sees it (relative to its root)
  for (const c of [d.verifier, d.consumer]) c.fullyQualifiedName = path.relative(t.root, c.fullyQualifiedName);
  const layout = publicLayout(statementLayout(t.loc.q, t.options.visibility));
  const r = await deployVerifier({
    signer,
    network: t.net,
    url: t.network.url,
    expectedChainId: t.network.chainId,
    model: t.model.name,
    system: t.system,
    vkey: d.key,
    publicSignals: layout.publicSignals,
    statement: { circuit: t.loc.id, visibility: t.options.visibility, layout },
    verifier: d.verifier,
    consumer: d.consumer,
    dataContracts: d.dataContracts,
    compiler: d.compiler,
    recordFile: t.recordFile,
    setup: { forgeable: setup.forgeable, reason: setup.reason },
    allowDevelopmentSetup: args.allowDevelopmentSetup,
    force: args.force,
    confirmations: args.confirmations ?? networkSpec(t.net)?.confirmations ?? 1,
    log: say,
  });
  printDeployment(r, { model: t.model.name, system: t.system, net: t.net, file: path.relative(t.root, t.recordFile) });
  await after?.(r, t.recordFile);
  return r;
}

/** submit-proof --system sumcheck: a proof (given, a queue job's, or made now for the sender) sent to the recorded consumer. */
export async function submitSumcheckAction(args: SubmitArgs, host: Host, t: Target): Promise<SubmitResult> {
  const { readDeployment, submitProof } = await import("../../evm/deploy");
  const { sumcheckSubmission } = await import("../../evm/sumcheck-verifier");
  const { inputBytesFor, SUMCHECK_CONSUMER_ABI } = await import("../../systems/sumcheck/solidity/render");
  const { sumcheckProgram } = await import("../../systems/sumcheck/solidity/program");
  const { describeRejection } = await import("../../systems/sumcheck/solidity/library");
  const { sumcheckArch } = await import("../../systems/sumcheck/arch");
  const { readIr } = await import("../../systems/sumcheck");
  const { isZkmlError } = await import("../../core/errors");
  checkOnChainStatement(t, args);
  if (args.job) throw new ZkmlError("OPTION_INVALID", `--job: the ${t.system} system's queue jobs are batches, and its consumer takes one inference a proof so far`, { hint: "give --proof <run folder>, or neither (submit-proof proves for the sender)" });
  const record = readDeployment(t.recordFile);
  if (!record)
    throw new ZkmlError("DEPLOYMENT_MISSING", `no ${t.system} deployment of ${t.model.name} with these options on ${t.net} (looked for ${path.relative(t.root, t.recordFile)})`, {
      hint: `deploy first: npx hardhat deploy-verifier --model ${args.model} --system ${t.system}${circuitFlags(args)} --network ${t.net}`,
    });
  const files = builtFiles(t, args);
  const signer = await host.signer();
  let proofFiles: { proof: string; public: string };
  if (args.proof) {
    // a prove-model run folder, or any folder holding its two files under the names Paths gives them in a run
    const dir = path.resolve(args.proof);
    const inRun = (kind: "proofBytes" | "public") => path.join(dir, path.basename(t.paths.get({ kind, circuit: "-", run: "-", system: t.system })));
    proofFiles = { proof: inRun("proofBytes"), public: inRun("public") };
    const missing = Object.values(proofFiles).find((f) => !fs.existsSync(f));
    if (missing) throw new ZkmlError("PROOF_INVALID", `--proof ${args.proof}: expected ${path.basename(missing)} in it`, { hint: "pass a prove-model run folder (build/circuits/<id>/runs/<run>)" });
  } else {
    const { proveModel } = await import("../../pipeline/prove");
    const r = await proveModel({ root: t.root, model: t.model, system: t.system, circuit: t.options, context: BigInt(await signer.getAddress()), ...(t.kzg ? { pcs: "kzg" as const, trust: { ptau: (await setupOf(t, files)).ptau } } : {}), observe: { log: say } });
    proofFiles = r.files;
  }
  const program = sumcheckProgram(sumcheckArch(readIr(files.ir)));
  const s = sumcheckSubmission(proofFiles, record.statement.layout, program, inputBytesFor(program.inputMin, program.inputTop));
  const r = await submitProof({
    signer,
    network: t.net,
    url: t.network.url,
    expectedChainId: t.network.chainId,
    record,
    recordFile: t.recordFile,
    vkey: s.key,
    proofArgs: [],
    publicSignals: s.publicSignals,
    consumerArgs: s.consumerArgs,
    consumerAbi: [...SUMCHECK_CONSUMER_ABI],
    setup: await setupOf(t, files).then((x) => ({ forgeable: x.forgeable, reason: x.reason })),
    allowDevelopmentSetup: args.allowDevelopmentSetup,
  }).catch((e: unknown) => {
    // a refusal names its check: SumcheckRejected(code) and what the code means
    throw isZkmlError(e) ? new ZkmlError(e.code, describeRejection(e.message), { file: e.file, hint: e.hint }) : e;
  });
  printSubmission(r, { model: t.model.name, system: t.system, net: t.net, consumer: record.consumer.contract, address: record.consumer.address });
  return r;
}
