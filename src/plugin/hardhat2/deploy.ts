/**
 * `npx hardhat deploy-verifier` and `npx hardhat submit-proof`: parse arguments, check the network's settings,
 * render and compile the contracts with Hardhat (so hardhat-verify finds them as artifacts), call the core
 * (src/evm/deploy.ts), print. Also: the check that a network's RPC URL is set, run whenever a task uses it.
 */
import * as fs from "fs";
import * as path from "path";
import { extendEnvironment, task, types, vars } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { HardhatPluginError } from "hardhat/plugins";
import { ZkmlError, isZkmlError } from "../../core/errors";
import { readJsonFile, writeFileAtomic } from "../../core/files";
import type { ProofSystem } from "../../core/paths";
import { Lookup, networkSpec, requireNetworkSettings } from "../../evm/networks";
import { boundary, CircuitArgs, circuitFlags, circuitOptions, PLUGIN, print, say, withCircuitOptions } from "./common";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Settings come from the environment first, then Hardhat's configuration variables (`npx hardhat vars set`). */
export const lookup: Lookup = (name) => process.env[name] || (vars.has(name) ? vars.get(name) : undefined) || undefined;

// a remote network without its RPC URL fails here, naming the variable, before anything tries to reach it
extendEnvironment((hre) => {
  try {
    requireNetworkSettings(hre.network.name, lookup, { signing: false });
  } catch (e) {
    if (isZkmlError(e)) throw new HardhatPluginError(PLUGIN, `[${e.code}] ${e.describe()}`);
    throw e;
  }
});

const url = (hre: HardhatRuntimeEnvironment): string | undefined => (hre.network.config as { url?: string }).url;

async function signerOf(hre: HardhatRuntimeEnvironment) {
  const { readNode } = await import("../../evm/rpc");
  const signers = await readNode({ network: hre.network.name, url: url(hre) }, "listing the accounts", () => hre.ethers.getSigners());
  if (signers.length === 0)
    throw new ZkmlError("CONFIG_INVALID", `network ${hre.network.name}: no account to send from`, { hint: `set a deployer key: npx hardhat vars set ${networkSpec(hre.network.name)?.prefix ?? "<NETWORK>"}_PRIVATE_KEY` });
  return signers[0];
}

/** Write a generated source only when it changed, so Hardhat's compile cache stays warm. */
function writeSource(file: string, source: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === source) return;
  writeFileAtomic(file, source);
}

/** What deploy-verifier and submit-proof both start from: the network (checked), the system, the model, the circuit its options name, and that circuit's deployment record. */
async function deploymentTarget(args: CircuitArgs & { model: string; system: string }, hre: HardhatRuntimeEnvironment) {
  const { locateCircuit } = await import("../../pipeline/prove");
  const { resolveModel } = await import("../../model/zoo");
  const { parseSystem } = await import("../../systems/registry");
  const { Paths } = await import("../../core/paths");
  const net = hre.network.name;
  requireNetworkSettings(net, lookup, { signing: true });
  const system = parseSystem(args.system, "--system");
  const model = resolveModel(args.model);
  const root = hre.config.paths.root;
  const paths = new Paths(root);
  const options = await circuitOptions(args, hre, model);
  const loc = locateCircuit(root, model, system, options);
  return { net, system, model, root, paths, options, loc, recordFile: paths.get({ kind: "deployment", network: net, circuit: loc.id, system }) };
}

/** Can the circuit's key be forged on this machine (a development ptau, or a ptau whose secrets are kept here)? */
async function forgeabilityOf(loc: { setupMeta: string }, paths: import("../../core/paths").Paths) {
  const { setupForgeability } = await import("../../setup/trust");
  return setupForgeability(loc.setupMeta, (ptau) => paths.get({ kind: "ptauSecrets", ptau }));
}

const ALLOW_DEV_SETUP = "Deploy (or submit to) a verifier whose key comes from a development powers of tau on a real network anyway: anyone holding its secrets can forge proofs; the record is marked forgeable";

interface DeployArgs extends CircuitArgs {
  model: string;
  system: string;
  confirmations?: number;
  force: boolean;
  verify: boolean;
  allowDevelopmentSetup: boolean;
}

withCircuitOptions(task("deploy-verifier", "Deploy a circuit's verifier and consumer contract to --network and record them in deployments/<network>/<circuit>-<system>.json"))
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others) (prove it first with prove-model, with the same circuit options)", undefined, types.string)
  .addOptionalParam("system", "Proof system of the verifier: groth16, plonk or fflonk", "groth16", types.string)
  .addOptionalParam("confirmations", "Blocks to wait for after each deployment (default: 1 on localhost, 2 on testnets)", undefined, types.int)
  .addFlag("force", "Deploy again even when the record matches the chain")
  .addFlag("verify", "Then publish both sources on the network's Etherscan-style explorer (hardhat-verify; needs ETHERSCAN_API_KEY and internet)")
  .addFlag("allowDevelopmentSetup", ALLOW_DEV_SETUP)
  .setAction(async (args: DeployArgs, hre) =>
    boundary(async () => {
      const { deployVerifier, refuseForgeableSetup } = await import("../../evm/deploy");
      const { circuitSystemFor } = await import("../../systems/registry");
      const { renderConsumer } = await import("../../backends/solidity/consumer");
      const { SOLC_SETTINGS } = await import("../../evm/solc");
      const { publicLayout, statementLayout } = await import("../../statement/layout");
      const { weightsCommitment } = await import("../../statement/commitments");
      const { net, system, model, root, options, loc, paths, recordFile } = await deploymentTarget(args, hre);
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
      const signer = await signerOf(hre); // reach the node before compiling anything
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
      await hre.run("compile", { quiet: true });
      const compiled = async (name: string) => {
        const fullyQualifiedName = `contracts/generated/${name}.sol:${name}`;
        const a = await hre.artifacts.readArtifact(fullyQualifiedName);
        return { name, fullyQualifiedName, abi: a.abi as any[], bytecode: a.bytecode, deployedBytecode: a.deployedBytecode };
      };
      const spec = networkSpec(net);
      const r = await deployVerifier({
        signer,
        network: net,
        url: url(hre),
        expectedChainId: (hre.network.config as { chainId?: number }).chainId,
        model: model.name,
        system,
        vkey,
        publicSignals: Number(vkey.nPublic),
        statement,
        verifier: await compiled(verifier),
        consumer: await compiled(consumer),
        compiler: { version: hre.config.solidity.compilers[0].version, settings: SOLC_SETTINGS },
        recordFile,
        setup,
        allowDevelopmentSetup: args.allowDevelopmentSetup,
        force: args.force,
        confirmations: args.confirmations ?? spec?.confirmations ?? 1,
        log: say,
      });
      const rel = path.relative(root, recordFile);
      if (!r.deployed) {
        print(`${model.name} (${system}) on ${net}: ${r.reason}`);
      } else {
        print(`${model.name} (${system}) on ${net} (chain ${r.record.chainId}), recorded in ${rel}`);
      }
      for (const c of [r.record.verifier, r.record.consumer])
        print(`  ${c.contract.padEnd(32)} ${c.address}  tx ${c.transaction}  block ${c.block}  gas ${c.gasUsed.toLocaleString("en-US")}  ${c.runtimeBytes.toLocaleString("en-US")} bytes`);
      if (spec?.explorer) print(`  explorer: ${spec.explorer}/address/${r.record.consumer.address}`);
      if (args.verify) {
        for (const c of [r.record.verifier, r.record.consumer]) {
          say(`verifying ${c.contract} on the explorer`);
          try {
            await hre.run("verify:verify", { address: c.address, constructorArguments: c.constructorArguments, contract: c.fullyQualifiedName });
          } catch (e) {
            throw new ZkmlError("CHAIN_FAILED", `--verify: ${c.contract} at ${c.address}: ${(e as Error).message.split("\n")[0]}`, {
              cause: e,
              hint: `the deployment is recorded in ${rel}; set ETHERSCAN_API_KEY (npx hardhat vars set ETHERSCAN_API_KEY) and run: npx hardhat verify --network ${net} ${c.address}${c.constructorArguments.map((a) => ` ${a}`).join("")}`,
            });
          }
        }
      }
      return r;
    }),
  );

interface SubmitArgs extends CircuitArgs {
  model: string;
  system: string;
  proof?: string;
  job?: string;
  allowDevelopmentSetup: boolean;
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

withCircuitOptions(task("submit-proof", "Send a proof of a model's inference to its deployed consumer contract on --network; print the transaction, its gas and the recorded output"))
  .addParam("model", "The model whose verifier deploy-verifier deployed (with the same circuit options)", undefined, types.string)
  .addOptionalParam("system", "Proof system: groth16, plonk or fflonk", "groth16", types.string)
  .addOptionalParam("proof", "A folder with the proof (default: prove the model's default input with prove-model's cache)", undefined, types.string)
  .addOptionalParam("job", "A finished proof-queue job's id (prove-jobs results lists them): send its proof", undefined, types.string)
  .addFlag("allowDevelopmentSetup", ALLOW_DEV_SETUP)
  .setAction(async (args: SubmitArgs, hre) =>
    boundary(async () => {
      const { readDeployment, refuseForgeableSetup, submitProof, vkeyHash } = await import("../../evm/deploy");
      const { readProofFiles } = await import("../../evm/compare");
      const { proveModel } = await import("../../pipeline/prove");
      const { compileSolidity } = await import("../../evm/solc");
      const { renderConsumer } = await import("../../backends/solidity/consumer");
      const { circuitSystemFor } = await import("../../systems/registry");
      const { ptauTrust } = await import("../../core/config");
      const { net, system, model, root, options, loc, recordFile, paths } = await deploymentTarget(args, hre);
      if (args.proof && args.job) throw new ZkmlError("OPTION_INVALID", "--proof and --job: give one of them", { hint: "--job sends a queue job's proof; --proof a folder's" });
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
      const signer = await signerOf(hre);
      let given: { proof: unknown; publicSignals: string[]; vkey: string };
      if (fromJob) given = { ...fromJob, vkey: loc.vkey };
      else if (args.proof) {
        const files = await proofFiles(root, path.resolve(args.proof), system);
        given = { ...proofAndSignals(readProofFiles(files.proof, files.public)), vkey: files.vkey };
      } else {
        // a statement with a context is proved for the account that submits it
        const context = options.visibility.context === "sender" ? BigInt(await signer.getAddress()) : undefined;
        const r = await proveModel({ root, model, system: circuitSystemFor({ system }, "a Solidity verifier").protocol, circuit: options, context, trust: ptauTrust(hre.config.zkml), observe: { log: say } });
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
        url: url(hre),
        expectedChainId: (hre.network.config as { chainId?: number }).chainId,
        record,
        recordFile,
        vkey,
        proofArgs,
        publicSignals: p.publicSignals,
        consumerAbi: abi,
        setup,
        allowDevelopmentSetup: args.allowDevelopmentSetup,
      });
      print(`${model.name} (${system}) on ${net}: proof accepted by ${record.consumer.contract} at ${record.consumer.address}`);
      print(`  transaction ${r.transaction}  block ${r.block}  gas ${r.gasUsed.toLocaleString("en-US")}`);
      const recorded = [r.label !== undefined ? `label ${r.label}` : undefined, r.output ? `output [${r.output.join(", ")}]` : undefined, r.outputHash !== undefined ? `output hash ${r.outputHash}` : undefined, `input hash ${r.inputHash}`];
      print(`  recorded: ${recorded.filter(Boolean).join(", ")}`);
      return r;
    }),
  );

interface VerifyProofArgs extends CircuitArgs {
  proof: string;
  public: string;
  vkey?: string;
  model?: string;
  address?: string;
  system?: string;
}

withCircuitOptions(task("verify-proof", "Check a proof.json and public.json against a verification key (--vkey, or --model's circuit) or a deployed verifier (--address on --network); exit 0 if valid, 1 if not"))
  .addParam("proof", "The proof (proof.json, as prove-model or snarkjs writes it)", undefined, types.string)
  .addParam("public", "Its public signals (public.json)", undefined, types.string)
  .addOptionalParam("vkey", "A verification key (verification_key.json); its system is read from its protocol", undefined, types.string)
  .addOptionalParam("model", "Instead of --vkey: the model whose circuit (with the circuit options) prove-model set up", undefined, types.string)
  .addOptionalParam("address", "Instead of a key: a deployed verifier contract on --network, asked with a call (nothing is sent)", undefined, types.string)
  .addOptionalParam("system", "groth16, plonk, fflonk or sumcheck (default: the key's protocol; with --model or --address, groth16; sumcheck needs --model)", undefined, types.string)
  .setAction(async (args: VerifyProofArgs, hre) =>
    boundary(async () => {
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
        const loc = locateCircuit(hre.config.paths.root, model, system, await circuitOptions(args, hre, model));
        const { Paths } = await import("../../core/paths");
        const paths = new Paths(hre.config.paths.root);
        const ir = paths.get({ kind: "ir", circuit: loc.id });
        // committed weights: against the model's commitment prove-model made (what a deployment publishes)
        const commitment = loc.visibility.weights === "hashed" ? paths.get({ kind: "modelCommitment", circuit: loc.id, system }) : undefined;
        if (!fs.existsSync(ir)) throw new ZkmlError("SETUP_NOT_FOUND", `no quantized model of ${model.name} with these options (looked for ${path.relative(hre.config.paths.root, ir)})`, { hint: `run npx hardhat prove-model --model ${args.model} --system ${system}${circuitFlags(args)} first` });
        r = await verifyIrProofFiles({ system, ir, proof, public: pub, commitment });
      } else if (args.address) {
        const { isAddress } = await import("ethers");
        if (!isAddress(args.address)) throw new ZkmlError("OPTION_INVALID", `--address: expected a 20-byte hex address, got ${JSON.stringify(args.address)}`, { hint: "the verifier's address from deployments/<network>/<circuit>-<system>.json" });
        r = await verifyProofOnChain({ provider: hre.ethers.provider, address: args.address, network: hre.network.name, url: url(hre), system: system ?? "groth16", proof, public: pub });
      } else {
        let vkey = args.vkey && path.resolve(args.vkey);
        if (args.model) {
          const { locateCircuit } = await import("../../pipeline/prove");
          const { resolveModel } = await import("../../model/zoo");
          const model = resolveModel(args.model);
          const root = hre.config.paths.root;
          const loc = locateCircuit(root, model, system ?? "groth16", await circuitOptions(args, hre, model));
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
    }),
  );
