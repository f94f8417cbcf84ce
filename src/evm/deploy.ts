/**
 * Deploying a model's verifier and consumer to a real chain, keeping a record of it, and submitting proofs there.
 * Free of Hardhat: the caller hands over an ethers Signer connected to the network and the compiled contracts.
 *
 * The record (deployments/<network>/<circuit>-<system>.json, see src/core/paths.ts) is the link between a proof and a
 * deployment: it holds the chain id, both addresses and their transactions, the hash of their runtime code and
 * the hash of the verification key the verifier was rendered from. deployVerifier deploys nothing when the record
 * matches the chain (same chain id, the recorded code at both addresses, the same verification key and compiled
 * code); submitProof refuses, before sending anything, a proof whose verification key is not the deployed one.
 *
 * Failures a user meets (the node unreachable, another chain than the record's, a key without funds, code missing
 * at a recorded address) are ZkmlErrors naming the network, the file and the fix; the record is written only after
 * both contracts are deployed and confirmed (write to a temporary file, then rename).
 */
import * as fs from "fs";
import * as crypto from "crypto";
import { ContractFactory, Contract, getAddress, Interface, keccak256, Signer, TransactionReceipt } from "ethers";
import { checkContractSize } from "./solc";
import { isZkmlError, ZkmlError } from "../core/errors";
import { readNode, revertReason, sendOnce } from "./rpc";
import { writeFileAtomic } from "../core/files";
import type { ProofSystem } from "../core/paths";
import type { PublicLayout } from "../statement/layout";
import { submitSignalArgs } from "../backends/solidity/consumer";
import type { Visibility } from "../statement/visibility";
import type { SetupForgeability } from "../setup/trust";
import { isLocalChain } from "./networks";

/* eslint-disable @typescript-eslint/no-explicit-any */

export const DEPLOYMENT_FORMAT = "zkml-deployment/2";

/** The statement a deployment checks: the circuit, its visibility and its public signals' layout. */
export interface DeployedStatement {
  circuit: string;
  visibility: Visibility;
  layout: PublicLayout;
  /** hashed weights: the model commitment the consumer was constructed with (decimal) */
  modelCommitment?: string;
}

export interface CompiledContract {
  name: string;
  /** where the source lives, as Hardhat's fully qualified name (`contracts/generated/X.sol:X`) */
  fullyQualifiedName: string;
  abi: any[];
  /** creation code, 0x-prefixed */
  bytecode: string;
  /** runtime code, 0x-prefixed */
  deployedBytecode: string;
}

export interface ContractRecord {
  contract: string;
  fullyQualifiedName: string;
  address: string;
  transaction: string;
  block: number;
  gasUsed: number;
  /** keccak256 of the runtime code on chain (immutables filled in) */
  codeHash: string;
  /** keccak256 of the compiled runtime code (immutables zero): tells whether a rebuild changed the contract */
  artifactHash: string;
  runtimeBytes: number;
  constructorArguments: string[];
}

export interface DeploymentRecord {
  format: typeof DEPLOYMENT_FORMAT;
  model: string;
  system: ProofSystem;
  network: string;
  chainId: number;
  /** sha256 of the verification key, canonical JSON (see vkeyHash) */
  vkeyHash: string;
  publicSignals: number;
  statement: DeployedStatement;
  compiler: { version: string; settings: unknown };
  deployer: string;
  verifier: ContractRecord;
  consumer: ContractRecord;
  /** data contracts the verifier reads (the sumcheck verifier's commitment rows and generators), deployed before it */
  data?: ContractRecord[];
  deployedAt: string;
  /** true when the key's setup can be forged on the deploying machine (a development ptau): any proof verifies */
  forgeable?: boolean;
  /** why it is forgeable (deployed anyway: a local chain, or --allow-development-setup) */
  forgeableReason?: string;
}

/** JSON with object keys sorted, so that a key's hash does not depend on how a tool ordered its fields. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/** sha256 of a verification key as canonical JSON, "sha256:<hex>". */
export function vkeyHash(vkey: unknown): string {
  return `sha256:${crypto.createHash("sha256").update(canonical(vkey)).digest("hex")}`;
}

const codeHash = (runtime: string) => keccak256(runtime);

export interface ChainContext {
  signer: Signer;
  network: string;
  /** the RPC URL, for messages */
  url?: string;
  /** the chain id the configuration expects for this network, when it names one */
  expectedChainId?: number;
  log?: (line: string) => void;
}

async function chainIdOf(ctx: ChainContext): Promise<number> {
  const id = Number((await readNode(ctx, "reading the chain id", () => ctx.signer.provider!.getNetwork())).chainId);
  if (ctx.expectedChainId !== undefined && id !== ctx.expectedChainId)
    throw new ZkmlError("CHAIN_MISMATCH", `network ${ctx.network}: chain id: expected ${ctx.expectedChainId} (the configuration), got ${id} (the node)`, {
      hint: "the URL points at another chain than this network's: fix its RPC URL",
    });
  return id;
}

/**
 * Refuse a forgeable setup (see setupForgeability) on any chain but a local one, unless the user allowed it
 * explicitly. Called with the network's name alone before the node is reached, and again with its chain id.
 */
export function refuseForgeableSetup(a: { network: string; chainId?: number; setup: SetupForgeability; allow?: boolean; action: "deploy" | "submit to"; model: string }): void {
  if (!a.setup.forgeable || a.allow || isLocalChain(a.network, a.chainId)) return;
  throw new ZkmlError(
    "SETUP_FORGEABLE",
    `network ${a.network}${a.chainId === undefined ? "" : ` (chain ${a.chainId})`}: refusing to ${a.action} a verifier whose key can be forged: ${a.setup.reason}. ` +
      "Whoever reads those secrets can make a proof of any public signals (any input, any label) that this verifier accepts; only the in-process hardhat network and localhost take such a verifier",
    {
      hint:
        `set the circuit up from a ceremony powers of tau (npx hardhat prove-model --model ${a.model} --ptau <ceremony file>, or --download-ptau), then deploy again with --force; ` +
        "--contribute is not enough: a phase-2 contribution changes delta only, and the ptau's alpha and beta stay known. " +
        "For a throwaway test deployment only: --allow-development-setup (the deployment record is marked forgeable)",
    },
  );
}

export function readDeployment(file: string): DeploymentRecord | undefined {
  if (!fs.existsSync(file)) return undefined;
  let r: any;
  try {
    r = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ZkmlError("DEPLOYMENT_INVALID", `not valid JSON: ${(e as Error).message}`, { file, hint: "delete the file and deploy again (deploy-verifier --force)" });
  }
  if (r?.format !== DEPLOYMENT_FORMAT)
    throw new ZkmlError("DEPLOYMENT_INVALID", `format: expected "${DEPLOYMENT_FORMAT}", got ${JSON.stringify(r?.format)}`, { file, hint: "a record of an older zkml-hardhat: deploy again (deploy-verifier --force)" });
  return r as DeploymentRecord;
}

export interface DeployOptions extends ChainContext {
  model: string;
  system: ProofSystem;
  vkey: unknown;
  publicSignals: number;
  statement: DeployedStatement;
  verifier: CompiledContract;
  consumer: CompiledContract;
  /** contracts holding data the verifier reads: deployed first, their addresses its constructor's one argument (address[]) */
  dataContracts?: DataContract[];
  compiler: { version: string; settings: unknown };
  recordFile: string;
  force?: boolean;
  confirmations?: number;
  /** whether the key's setup can be forged here (setupForgeability); refused on real chains unless allowed */
  setup: SetupForgeability;
  /** --allow-development-setup: deploy a forgeable setup anyway, the record marked forgeable */
  allowDevelopmentSetup?: boolean;
}

/** A contract whose runtime code is data (see src/systems/sumcheck/solidity/render.ts): its creation code, 0x-prefixed. */
export interface DataContract {
  name: string;
  initCode: string;
}

export interface DeployResult {
  record: DeploymentRecord;
  /** false when the record already matched the chain and nothing was sent */
  deployed: boolean;
  /** why it deployed (no record, --force, code missing...) or why not */
  reason: string;
}

/** Is what the record says on chain? Returns the reason it is not, or undefined when it all matches. */
async function recordDrift(ctx: ChainContext, rec: DeploymentRecord, opts: DeployOptions): Promise<string | undefined> {
  if (rec.vkeyHash !== vkeyHash(opts.vkey)) return "the verification key changed since the recorded deployment";
  if ((rec.data ?? []).length !== (opts.dataContracts ?? []).length) return "the verifier's data contracts changed";
  for (const d of rec.data ?? []) {
    const onChain = await readNode(ctx, `reading the code at ${d.address}`, () => ctx.signer.provider!.getCode(d.address));
    if (codeHash(onChain) !== d.codeHash) return `${d.contract}: the code at ${d.address} is not the recorded one`;
  }
  for (const [c, compiled] of [[rec.verifier, opts.verifier], [rec.consumer, opts.consumer]] as const) {
    if (c.artifactHash !== codeHash(compiled.deployedBytecode)) return `${c.contract}: the compiled code differs from the deployed one`;
    const onChain = await readNode(ctx, `reading the code at ${c.address}`, () => ctx.signer.provider!.getCode(c.address));
    if (onChain === "0x") return `${c.contract}: no code at ${c.address} (was the chain reset?)`;
    if (codeHash(onChain) !== c.codeHash) return `${c.contract}: the code at ${c.address} is not the recorded one`;
  }
  return undefined;
}

async function confirm(ctx: ChainContext, name: string, tx: { hash: string; wait: (n?: number) => Promise<TransactionReceipt | null> }, n: number): Promise<TransactionReceipt> {
  ctx.log?.(`${name}: sent ${tx.hash}, waiting for ${n} confirmation${n === 1 ? "" : "s"}`);
  const receipt = await readNode(ctx, `waiting for ${tx.hash}`, () => tx.wait(n), { deadline: false });
  if (!receipt || receipt.status !== 1)
    throw new ZkmlError("CHAIN_FAILED", `${name}: deployment transaction ${tx.hash} failed`, { hint: "see the transaction on the node or explorer; nothing was recorded" });
  return receipt;
}

/** Deploy the verifier, then the consumer pointing at it, unless the record already matches the chain. */
export async function deployVerifier(opts: DeployOptions): Promise<DeployResult> {
  const log = opts.log ?? (() => undefined);
  const trust = { network: opts.network, setup: opts.setup, allow: opts.allowDevelopmentSetup, action: "deploy" as const, model: opts.model };
  refuseForgeableSetup(trust); // by name, before the node is reached
  const chainId = await chainIdOf(opts);
  refuseForgeableSetup({ ...trust, chainId }); // a "localhost" that is a real chain
  const existing = readDeployment(opts.recordFile);
  if (existing && !opts.force) {
    if (existing.chainId !== chainId)
      throw new ZkmlError("CHAIN_MISMATCH", `chainId: expected ${existing.chainId} (the record), got ${chainId} (network ${opts.network})`, {
        file: opts.recordFile,
        hint: "the node runs another chain than the one recorded: point the network at the recorded chain, or deploy again with --force (the record is replaced)",
      });
    const drift = await recordDrift(opts, existing, opts);
    if (!drift) return { record: existing, deployed: false, reason: "the record matches the chain: nothing deployed (--force deploys again)" };
    log(`deploying again: ${drift}`);
  }
  const reason = opts.force ? "--force" : existing ? "the record does not match the chain" : "no deployment recorded";
  for (const c of [opts.verifier, opts.consumer]) checkContractSize(c.name, (c.deployedBytecode.length - 2) / 2, c.fullyQualifiedName);

  const signer = opts.signer;
  const deployer = await readNode(opts, "reading the deployer's address", () => signer.getAddress());
  const verifierFactory = new ContractFactory(opts.verifier.abi, opts.verifier.bytecode, signer);
  const consumerFactory = new ContractFactory(opts.consumer.abi, opts.consumer.bytecode, signer);

  // funds first: estimate both deployments (the consumer with a stand-in verifier address) at today's fee
  const provider = signer.provider!;
  const extra = opts.statement.modelCommitment === undefined ? [] : [opts.statement.modelCommitment];
  const dataContracts = opts.dataContracts ?? [];
  // a verifier reading data contracts is estimated with stand-in addresses (its constructor then refuses them: the
  // estimate falls back to zero, and the data contracts' own estimates and the balance check still stand)
  const [txV, txC] = await Promise.all([verifierFactory.getDeployTransaction(...(dataContracts.length ? [dataContracts.map(() => deployer)] : [])), consumerFactory.getDeployTransaction(deployer, ...extra)]);
  const gasData = await readNode(opts, "estimating the data contracts' deployments", () => Promise.all(dataContracts.map((d) => provider.estimateGas({ data: d.initCode, from: deployer }).catch(() => 0n))));
  const [gasV0, gasC, fee, balance] = await readNode(opts, "estimating the deployments", () =>
    Promise.all([
      // an estimate can fail for a key without funds on some nodes: the zero balance below still stops us
      provider.estimateGas({ ...txV, from: deployer }).catch(() => 0n),
      provider.estimateGas({ ...txC, from: deployer }).catch(() => 0n),
      provider.getFeeData(),
      provider.getBalance(deployer),
    ]),
  );
  const gasV = gasData.reduce((a, b) => a + b, gasV0);
  const price = fee.maxFeePerGas ?? fee.gasPrice ?? 0n;
  const need = (gasV + gasC) * price;
  if (balance < need || balance === 0n)
    throw new ZkmlError("INSUFFICIENT_FUNDS", `network ${opts.network}: deployer ${deployer} has ${formatEth(balance)} ETH; the ${2 + dataContracts.length} deployments need about ${(gasV + gasC).toLocaleString("en-US")} gas at ${price.toLocaleString("en-US")} wei, ${formatEth(need)} ETH`, {
      hint: `fund ${deployer} on ${opts.network}, or set another key (${opts.network === "localhost" ? "LOCALHOST_PRIVATE_KEY" : "<NETWORK>_PRIVATE_KEY"})`,
    });

  const n = opts.confirmations ?? 1;
  const data = await deployData(opts, n);
  log(`deploying ${opts.verifier.name} (${reason})`);
  const txV2 = data.length ? await verifierFactory.getDeployTransaction(data.map((d) => d.address)) : txV;
  const vReceipt = await confirm(opts, opts.verifier.name, await sendOnce(opts, signer, `deploying ${opts.verifier.name}`, txV2), n);
  const verifierAddress = vReceipt.contractAddress!;
  log(`deploying ${opts.consumer.name}`);
  if (opts.statement.visibility.weights === "private")
    log(`${opts.consumer.name} accepts an inference of some model of this architecture: its weights are private and nothing binds them (paper0's statement), so a proof does not say that ${opts.model} made it (--weights hashed binds the model by its commitment)`);
  if (opts.statement.layout.context?.kind === "context") log(`${opts.consumer.name} accepts a proof only from the address it is bound to (its context, the last public signal)`);
  const txC2 = await consumerFactory.getDeployTransaction(verifierAddress, ...extra);
  const cReceipt = await confirm(opts, opts.consumer.name, await sendOnce(opts, signer, `deploying ${opts.consumer.name}`, txC2), n);

  const consumerAddress = cReceipt.contractAddress!;
  const [vCode, cCode] = await readNode(opts, "reading the deployed code", () => Promise.all([provider.getCode(verifierAddress), provider.getCode(consumerAddress)]));
  const entry = (cc: CompiledContract, address: string, onChain: string, r: TransactionReceipt, args: string[]): ContractRecord => ({
    contract: cc.name,
    fullyQualifiedName: cc.fullyQualifiedName,
    address,
    transaction: r.hash,
    block: r.blockNumber,
    gasUsed: Number(r.gasUsed),
    codeHash: codeHash(onChain),
    artifactHash: codeHash(cc.deployedBytecode),
    runtimeBytes: (cc.deployedBytecode.length - 2) / 2,
    constructorArguments: args,
  });
  const record: DeploymentRecord = {
    format: DEPLOYMENT_FORMAT,
    model: opts.model,
    system: opts.system,
    network: opts.network,
    chainId,
    vkeyHash: vkeyHash(opts.vkey),
    publicSignals: opts.publicSignals,
    statement: opts.statement,
    compiler: opts.compiler,
    deployer,
    verifier: entry(opts.verifier, verifierAddress, vCode, vReceipt, data.length ? [JSON.stringify(data.map((d) => d.address))] : []),
    consumer: entry(opts.consumer, consumerAddress, cCode, cReceipt, [verifierAddress, ...extra]),
    ...(data.length ? { data } : {}),
    deployedAt: new Date().toISOString(),
    ...(opts.setup.forgeable ? { forgeable: true, forgeableReason: opts.setup.reason } : {}),
  };
  writeFileAtomic(opts.recordFile, JSON.stringify(record, null, 1) + "\n");
  return { record, deployed: true, reason };
}

/** The data contracts, deployed in order and confirmed, as records (their runtime code is their data). */
async function deployData(opts: DeployOptions, confirmations: number): Promise<ContractRecord[]> {
  const out: ContractRecord[] = [];
  for (const d of opts.dataContracts ?? []) {
    opts.log?.(`deploying ${d.name}`);
    const r = await confirm(opts, d.name, await sendOnce(opts, opts.signer, `deploying ${d.name}`, { data: d.initCode }), confirmations);
    const code = await readNode(opts, "reading the deployed code", () => opts.signer.provider!.getCode(r.contractAddress!));
    out.push({ contract: d.name, fullyQualifiedName: d.name, address: r.contractAddress!, transaction: r.hash, block: r.blockNumber, gasUsed: Number(r.gasUsed), codeHash: codeHash(code), artifactHash: codeHash(code), runtimeBytes: (code.length - 2) / 2, constructorArguments: [] });
  }
  return out;
}

function formatEth(wei: bigint): string {
  const s = wei.toString().padStart(19, "0");
  return `${s.slice(0, -18)}.${s.slice(-18, -12)}`;
}

export interface SubmitOptions extends ChainContext {
  record: DeploymentRecord;
  recordFile: string;
  /** the key the proof was made with */
  vkey: unknown;
  /** verifyProof's arguments without the public signals (Groth16 a, b, c; PLONK/FFLONK the proof words) */
  proofArgs: unknown[];
  publicSignals: bigint[];
  /** the consumer's submit arguments when they are not the proof's then the layout's public signals (the sumcheck
   * consumer takes the packed input, the outputs and the proof's bytes) */
  consumerArgs?: unknown[];
  consumerAbi: any[];
  /** whether the deployed key's setup can be forged here; the record's own mark counts too */
  setup: SetupForgeability;
  allowDevelopmentSetup?: boolean;
}

export interface SubmitResult {
  transaction: string;
  block: number;
  gasUsed: number;
  /** the class, unless the statement's output is a hash */
  label?: number;
  /** the outputs, when they are public */
  output?: bigint[];
  /** the outputs' Poseidon commitment, when that is all the statement makes public */
  outputHash?: bigint;
  inputHash: string;
  sender: string;
}

/** Send one proof to the recorded consumer; refuses a proof for another key or another chain before sending. */
export async function submitProof(opts: SubmitOptions): Promise<SubmitResult> {
  const rec = opts.record;
  const setup = opts.setup.forgeable || !rec.forgeable ? opts.setup : { forgeable: true, reason: rec.forgeableReason ?? "the deployment record marks it forgeable" };
  const trust = { network: opts.network, setup, allow: opts.allowDevelopmentSetup, action: "submit to" as const, model: rec.model };
  refuseForgeableSetup(trust);
  const got = vkeyHash(opts.vkey);
  if (got !== rec.vkeyHash)
    throw new ZkmlError("VKEY_MISMATCH", `vkeyHash: the proof was made with verification key ${got.slice(0, 19)}..., the deployed verifier checks ${rec.vkeyHash.slice(0, 19)}...`, {
      file: opts.recordFile,
      hint: "prove with the circuit and setup that were deployed, or deploy this key: npx hardhat deploy-verifier --force",
    });
  if (opts.publicSignals.length !== rec.publicSignals)
    throw new ZkmlError("PROOF_INVALID", `public signals: expected ${rec.publicSignals} (the deployed verifier), got ${opts.publicSignals.length}`, { file: opts.recordFile, hint: "prove the model that was deployed" });
  const context = rec.statement.layout.context;
  if (context?.kind === "context") {
    // the consumer refuses a proof bound to another submitter: say so before the node is asked anything
    const sender = await readNode(opts, "reading the submitter's address", () => opts.signer.getAddress());
    const bound = opts.publicSignals[context.offset];
    if (bound !== BigInt(sender))
      throw new ZkmlError("PROOF_INVALID", `context: the proof is bound to ${bound <= (1n << 160n) - 1n ? getAddress("0x" + bound.toString(16).padStart(40, "0")) : bound}, and ${sender} would submit it (the consumer requires its own submitter)`, {
        hint: `prove for this account: npx hardhat prove-model ... --context sender --bind-to ${sender} (submit-proof without --proof does)`,
      });
  }
  const chainId = await chainIdOf(opts);
  refuseForgeableSetup({ ...trust, chainId });
  if (chainId !== rec.chainId)
    throw new ZkmlError("CHAIN_MISMATCH", `chainId: expected ${rec.chainId} (the record), got ${chainId} (network ${opts.network})`, {
      file: opts.recordFile,
      hint: "point the network at the recorded chain, or deploy to this one: npx hardhat deploy-verifier --force",
    });
  const code = await readNode(opts, `reading the code at ${rec.consumer.address}`, () => opts.signer.provider!.getCode(rec.consumer.address));
  if (code === "0x")
    throw new ZkmlError("DEPLOYMENT_MISSING", `consumer.address: no code at ${rec.consumer.address} on ${opts.network} (was the chain reset?)`, {
      file: opts.recordFile,
      hint: "deploy again: npx hardhat deploy-verifier --network " + opts.network,
    });
  const consumer = new Contract(rec.consumer.address, opts.consumerAbi, opts.signer);
  const args = opts.consumerArgs ?? [...opts.proofArgs, ...submitSignalArgs(rec.statement.layout, opts.publicSignals)];
  // a call first: a rejected proof reverts here with its reason, before any gas is spent
  try {
    await readNode(opts, "checking the proof with a call", () => consumer.submit.staticCall(...args));
  } catch (e) {
    if (isZkmlError(e)) throw e;
    const reason = revertReason(e, opts.consumerAbi); // the consumer's custom error by name, not its selector
    throw new ZkmlError("PROOF_INVALID", `the consumer at ${rec.consumer.address} refuses this proof: ${reason}`, { hint: "the proof does not verify against the deployed key; prove again with prove-model" });
  }
  const tx = await sendOnce(opts, opts.signer, `submitting to ${rec.consumer.address}`, await consumer.submit.populateTransaction(...args));
  const receipt = await readNode(opts, `waiting for ${tx.hash}`, () => tx.wait(), { deadline: false });
  if (!receipt || receipt.status !== 1) throw new ZkmlError("CHAIN_FAILED", `transaction ${tx.hash} failed`, { hint: "see the transaction on the node or explorer" });
  const iface = new Interface(opts.consumerAbi);
  for (const l of receipt.logs) {
    let parsed;
    try {
      parsed = iface.parseLog(l);
    } catch {
      continue;
    }
    if (parsed?.name !== "InferenceVerified") continue;
    const has = (n: string) => parsed.fragment.inputs.some((i) => i.name === n);
    return {
      transaction: receipt.hash,
      block: receipt.blockNumber,
      gasUsed: Number(receipt.gasUsed),
      sender: parsed.args.sender,
      inputHash: parsed.args.inputHash,
      label: has("label") ? Number(parsed.args.label) : undefined,
      output: has("output") ? [...parsed.args.output].map((x: bigint) => BigInt(x)) : undefined,
      outputHash: has("outputHash") ? BigInt(parsed.args.outputHash) : undefined,
    };
  }
  throw new ZkmlError("CHAIN_FAILED", `transaction ${receipt.hash} emitted no InferenceVerified event`, { hint: "the consumer at the recorded address is not the one deploy-verifier renders" });
}
