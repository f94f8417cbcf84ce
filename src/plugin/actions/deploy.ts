/**
 * deploy-verifier, submit-proof and verify-proof's actions, shared by both plugins: check the network's settings,
 * render the contracts and compile them with the project's Hardhat (so explorers' verification finds them as
 * artifacts), call the core (src/evm/deploy.ts, src/evm/verify-proof.ts), print. What they need of Hardhat comes
 * through a Host (./host.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { readJsonFile, writeFileAtomic } from "../../core/files";
import type { ProofSystem } from "../../core/paths";
import type { DeployResult, SubmitResult } from "../../evm/deploy";
import type { ProofCheck } from "../../evm/verify-proof";
import { networkSpec } from "../../evm/networks";
import { CircuitArgs, circuitFlags, circuitOptions } from "./circuit";
import { DeployArgs, deploymentTarget, printDeployment, printSubmission, SubmitArgs } from "./deployment";
export type { DeployArgs, SubmitArgs } from "./deployment";
import type { Host } from "./host";
import { say } from "./output";

/** Write a generated source only when it changed, so Hardhat's compile cache stays warm. */
function writeSource(file: string, source: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === source) return;
  writeFileAtomic(file, source);
}

/** Can the circuit's key be forged on this machine (a development ptau, or a ptau whose secrets are kept here)? */
async function forgeabilityOf(loc: { setupMeta: string }, paths: import("../../core/paths").Paths) {
  const { setupForgeability } = await import("../../setup/trust");
  return setupForgeability(loc.setupMeta, (ptau) => paths.get({ kind: "ptauSecrets", ptau }));
}


/** deploy-verifier: the circuit's verifier and its consumer, deployed (or found deployed) and recorded. */
export async function deployVerifierAction(args: DeployArgs, host: Host, after?: (r: DeployResult, recordFile: string) => Promise<void>): Promise<DeployResult> {
  const { deployVerifier, refuseForgeableSetup } = await import("../../evm/deploy");
  const { circuitSystemFor } = await import("../../systems/registry");
  const { renderConsumer } = await import("../../backends/solidity/consumer");
  const { SOLC_SETTINGS } = await import("../../evm/solc");
  const { publicLayout, statementLayout } = await import("../../statement/layout");
  const { weightsCommitment } = await import("../../statement/commitments");
  const target = await deploymentTarget(args, host);
  if (target.form === "ir") return (await import("./deploy-sumcheck")).deploySumcheckAction(args, host, target, after);
  const { net, network, system, model, root, options, loc, paths, recordFile } = target;
  if (!fs.existsSync(loc.vkey))
    throw new ZkmlError("SETUP_NOT_FOUND", `no ${system} verification key for ${model.name} with these circuit options (circuit ${loc.id}: looked for ${path.relative(root, loc.vkey)})`, {
      hint: `run the setup first: npx hardhat prove-model --model ${args.model} --system ${system}${circuitFlags(args)}`,
    });
  // the key and its verification key are the ones recorded when they were made (a changed digit is never deployed)
  await (await import("../../pipeline/integrity")).checkBuiltArtifacts(root, loc.id, system, `npx hardhat prove-model --model ${args.model} --system ${system}${circuitFlags(args)}`);
  const vkey = JSON.parse(fs.readFileSync(loc.vkey, "utf8"));
  // a key anyone here can forge proofs for never reaches a real chain unasked: refused before the node is reached
  const setup = await forgeabilityOf(loc, paths);
  refuseForgeableSetup({ network: net, setup, allow: args.allowDevelopmentSetup, action: "deploy", model: args.model });
  if (setup.forgeable) say(`warning: this verifier accepts forged proofs: ${setup.reason}`);
  const signer = await host.signer(); // reach the node before compiling anything
  const layout = publicLayout(statementLayout(loc.q, options.visibility));
  const statement = {
    circuit: loc.id,
    visibility: options.visibility,
    layout,
    modelCommitment: layout.weights.kind === "commitment" ? (await weightsCommitment(loc.q)).toString() : undefined,
  };
  const { verifier, consumer } = loc.contracts;
  writeSource(paths.get({ kind: "verifierSol", contract: verifier }), circuitSystemFor({ system }, "a Solidity verifier").renderVerifier(vkey, verifier));
  writeSource(paths.get({ kind: "verifierSol", contract: consumer }), renderConsumer({ contract: consumer, system, proof: circuitSystemFor({ system }, "a Solidity verifier").solidityProof, layout, model: model.name, weights: options.visibility.weights }));
  say("compiling with Hardhat (solc from the solc npm package)");
  await host.compile();
  const compiled = (name: string) => host.artifact(name);
  const spec = networkSpec(net);
  const r = await deployVerifier({
    signer,
    network: net,
    url: network.url,
    expectedChainId: network.chainId,
    model: model.name,
    system,
    vkey,
    publicSignals: Number(vkey.nPublic),
    statement,
    verifier: await compiled(verifier),
    consumer: await compiled(consumer),
    compiler: { version: host.solcVersion, settings: SOLC_SETTINGS },
    recordFile,
    setup,
    allowDevelopmentSetup: args.allowDevelopmentSetup,
    force: args.force,
    confirmations: args.confirmations ?? spec?.confirmations ?? 1,
    log: say,
  });
  printDeployment(r, { model: model.name, system, net, file: path.relative(root, recordFile) });
  await after?.(r, recordFile);
  return r;
}

/** A proof directory: proof and public signals (prove-model's run folder, or snarkjs's names) and the key. */
async function proofFiles(root: string, dir: string, system: ProofSystem): Promise<{ proof: string; public: string; vkey: string }> {
  const { Paths, runDirOf } = await import("../../core/paths");
  // prove-model's run folder: its files where Paths puts them; any other folder: snarkjs's names
  const at = runDirOf(dir);
  const run = at && { paths: new Paths(root, at.buildDir), circuit: at.circuit, run: at.run };
  const first = (files: (string | undefined)[]) => files.find((f): f is string => f !== undefined && fs.existsSync(f));
  const proof = first([run?.paths.get({ kind: "proof", circuit: run.circuit, run: run.run, system }), path.join(dir, "proof.json")]);
  const pub = first([run?.paths.get({ kind: "public", circuit: run.circuit, run: run.run, system }), path.join(dir, "public.json")]);
  const vkey = first([path.join(dir, "verification_key.json"), run?.paths.get({ kind: "vkey", circuit: run.circuit, system })]);
  if (!proof || !pub || !vkey)
    throw new ZkmlError("PROOF_INVALID", `--proof ${dir}: expected ${!proof ? `${system}-proof.json or proof.json` : !pub ? `${system}-public.json or public.json` : "verification_key.json"} in it`, {
      hint: "pass a prove-model run folder (build/circuits/<circuit>/runs/<run>) or a folder with proof.json, public.json and verification_key.json",
    });
  return { proof, public: pub, vkey };
}

const proofAndSignals = ([proof, publicSignals]: [unknown, string[]]) => ({ proof, publicSignals });

/** A finished queue job's proof; it must be a proof of the circuit these options name. */
async function jobProof(job: string, root: string, circuit: string, system: string): Promise<{ proof: unknown; publicSignals: string[] }> {
  const { readJobResult } = await import("../../queue/queue");
  const r = readJobResult(root, job);
  if (r.circuit !== circuit || r.system !== system)
    throw new ZkmlError("PROOF_INVALID", `--job ${job}: proved for circuit ${r.circuit} (${r.system}); these options name circuit ${circuit} (${system})`, {
      hint: "pass the model, --system and the statement options the job was submitted with",
    });
  return { proof: r.proof, publicSignals: r.publicSignals };
}
export async function submitProofAction(args: SubmitArgs, host: Host): Promise<SubmitResult> {
  const { readDeployment, refuseForgeableSetup, submitProof, vkeyHash } = await import("../../evm/deploy");
  const { readProofFiles } = await import("../../evm/compare");
  const { proveModel } = await import("../../pipeline/prove");
  const { compileSolidity } = await import("../../evm/solc");
  const { renderConsumer } = await import("../../backends/solidity/consumer");
  const { circuitSystemFor } = await import("../../systems/registry");
  const { ptauTrust } = await import("../../core/config");
  if (args.proof && args.job) throw new ZkmlError("OPTION_INVALID", "--proof and --job: give one of them", { hint: "--job sends a queue job's proof; --proof a folder's" });
  const target = await deploymentTarget(args, host);
  if (target.form === "ir") return (await import("./deploy-sumcheck")).submitSumcheckAction(args, host, target);
  const { net, network, system, model, root, options, loc, recordFile, paths } = target;
  // a job's proof is checked against these options before anything else: it names its own circuit
  const fromJob = args.job ? await jobProof(args.job, root, loc.id, system) : undefined;
  const record = readDeployment(recordFile);
  if (!record)
    throw new ZkmlError("DEPLOYMENT_MISSING", `no ${system} deployment of ${model.name} with these circuit options on ${net} (circuit ${loc.id}: looked for ${path.relative(root, recordFile)})`, {
      hint: `deploy first: npx hardhat deploy-verifier --model ${args.model} --system ${system}${circuitFlags(args)} --network ${net}`,
    });
  // the deployed key's setup: this circuit's setup.json when its key is the deployed one (the record's mark counts too)
  const deployedHere = fs.existsSync(loc.vkey) && vkeyHash(readJsonFile(loc.vkey, "VKEY_MISMATCH", "set the circuit up again with prove-model")) === record.vkeyHash;
  const setup = deployedHere ? await forgeabilityOf(loc, paths) : { forgeable: false, reason: "the deployed key is not this machine's" };
  refuseForgeableSetup({ network: net, setup: setup.forgeable || !record.forgeable ? setup : { forgeable: true, reason: record.forgeableReason ?? "the deployment record marks it forgeable" }, allow: args.allowDevelopmentSetup, action: "submit to", model: args.model });
  const signer = await host.signer();
  let given: { proof: unknown; publicSignals: string[]; vkey: string };
  if (fromJob) given = { ...fromJob, vkey: loc.vkey };
  else if (args.proof) {
    const files = await proofFiles(root, path.resolve(args.proof), system);
    given = { ...proofAndSignals(readProofFiles(files.proof, files.public)), vkey: files.vkey };
  } else {
    // a statement with a context is proved for the account that submits it
    const context = options.visibility.context === "sender" ? BigInt(await signer.getAddress()) : undefined;
    const r = await proveModel({ root, model, system: circuitSystemFor({ system }, "a Solidity verifier").protocol, circuit: options, context, trust: ptauTrust(host.zkml), observe: { log: say } });
    given = { ...proofAndSignals(readProofFiles(r.files.proof, r.files.public)), vkey: r.files.verificationKey };
  }
  const vkey = readJsonFile(given.vkey, "VKEY_MISMATCH", "give the verification_key.json of the circuit the proof was made with") as { protocol?: string };
  const sys = circuitSystemFor({ system }, "a Solidity verifier");
  const p = await sys.verifierInput(given.proof, given.publicSignals);
  const proofArgs = sys.verifyProofArgs(p.proof, p.publicSignals).slice(0, -1);
  // the consumer's ABI follows from the system and the signal counts: render it rather than trust an artifact
  const name = record.consumer.contract;
  const source = renderConsumer({ contract: name, system, proof: sys.solidityProof, layout: record.statement.layout, model: model.name });
  const abi = compileSolidity({ [`${name}.sol`]: source }).get(name)!.abi;
  const r = await submitProof({
    signer,
    network: net,
    url: network.url,
    expectedChainId: network.chainId,
    record,
    recordFile,
    vkey,
    proofArgs,
    publicSignals: p.publicSignals,
    consumerAbi: abi,
    setup,
    allowDevelopmentSetup: args.allowDevelopmentSetup,
  });
  printSubmission(r, { model: model.name, system, net, consumer: record.consumer.contract, address: record.consumer.address });
  return r;
}

export interface VerifyProofArgs extends CircuitArgs {
  proof: string;
  public: string;
  vkey?: string;
  model?: string;
  address?: string;
  system?: string;
}
export async function verifyProofAction(args: VerifyProofArgs, host: Pick<Host, "root" | "zkml" | "network" | "provider">): Promise<ProofCheck> {
  const { verifyProofFiles, verifyProofOnChain } = await import("../../evm/verify-proof");
  const { parseSystem, systemFor } = await import("../../systems/registry");
  const given = [args.vkey && "--vkey", args.model && "--model", args.address && "--address"].filter(Boolean);
  if (given.length !== 1)
    throw new ZkmlError("OPTION_INVALID", `expected one of --vkey, --model or --address, got ${given.length ? given.join(" and ") : "none"}`, {
      hint: "npx hardhat verify-proof --proof proof.json --public public.json --vkey verification_key.json",
    });
  const system = args.system === undefined ? undefined : parseSystem(args.system, "--system");
  const [proof, pub] = [path.resolve(args.proof), path.resolve(args.public)];
  let r;
  if (system !== undefined && systemFor({ system }).form === "ir") {
    // an IR system's proof is checked against the quantized model prove-model wrote for --model
    if (!args.model) throw new ZkmlError("OPTION_INVALID", `--system ${system}: give --model (the proof is checked against its quantized model), got ${given.join(" ")}`, { hint: `npx hardhat verify-proof --system ${system} --model <name> --proof <proof.bin> --public <public.json>` });
    const { locateCircuit } = await import("../../pipeline/prove");
    const { resolveModel } = await import("../../model/zoo");
    const { verifyIrProofFiles } = await import("../../evm/verify-proof");
    const model = resolveModel(args.model);
    const loc = locateCircuit(host.root, model, system, await circuitOptions(args, host.zkml, model, host.root));
    const { Paths } = await import("../../core/paths");
    const paths = new Paths(host.root);
    const ir = paths.get({ kind: "ir", circuit: loc.id });
    // committed weights: against the model's commitment prove-model made (what a deployment publishes)
    const commitment = loc.visibility.weights === "hashed" ? paths.get({ kind: "modelCommitment", circuit: loc.id, system }) : undefined;
    if (!fs.existsSync(ir)) throw new ZkmlError("SETUP_NOT_FOUND", `no quantized model of ${model.name} with these options (looked for ${path.relative(host.root, ir)})`, { hint: `run npx hardhat prove-model --model ${args.model} --system ${system}${circuitFlags(args)} first` });
    r = await verifyIrProofFiles({ system, ir, proof, public: pub, commitment });
  } else if (args.address) {
    const { isAddress } = await import("ethers");
    if (!isAddress(args.address)) throw new ZkmlError("OPTION_INVALID", `--address: expected a 20-byte hex address, got ${JSON.stringify(args.address)}`, { hint: "the verifier's address from deployments/<network>/<circuit>-<system>.json" });
    const network = await host.network();
    r = await verifyProofOnChain({ provider: await host.provider(), address: args.address, network: network.name, url: network.url, system: system ?? "groth16", proof, public: pub });
  } else {
    let vkey = args.vkey && path.resolve(args.vkey);
    if (args.model) {
      const { locateCircuit } = await import("../../pipeline/prove");
      const { resolveModel } = await import("../../model/zoo");
      const model = resolveModel(args.model);
      const root = host.root;
      const loc = locateCircuit(root, model, system ?? "groth16", await circuitOptions(args, host.zkml, model, root));
      if (!fs.existsSync(loc.vkey))
        throw new ZkmlError("SETUP_NOT_FOUND", `no ${system ?? "groth16"} verification key for ${model.name} with these circuit options (circuit ${loc.id}: looked for ${path.relative(root, loc.vkey)})`, {
          hint: `run the setup first: npx hardhat prove-model --model ${args.model}${system ? ` --system ${system}` : ""}${circuitFlags(args)}, or give the key with --vkey`,
        });
      vkey = loc.vkey;
    }
    r = await verifyProofFiles({ proof, public: pub, vkey: vkey!, system });
  }
  if (r.valid) console.log(`valid: ${r.reason}`);
  else {
    console.log(`invalid: ${r.reason}`);
    process.exitCode = 1;
  }
  return r;
}
