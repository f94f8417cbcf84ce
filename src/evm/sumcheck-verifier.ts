/**
 * The sumcheck system's Solidity verifier on a chain (its renderer is src/systems/sumcheck/solidity/, as the
 * Groth16 verifiers' is src/backends/solidity/): deploying it (its data contracts first: the model commitment's rows
 * and the Hyrax generators; then the verifier; then its consumer), and a proof's verification as calldata from the
 * files prove-model writes (the IR, the proof, its public values, the model's commitment), with the parts of its gas
 * that are exact arithmetic: 21,000 and the calldata (EIP-2028: 4 and 16 gas a byte), and the openings' ecMul and
 * ecAdd calls (src/systems/sumcheck/solidity/cost.ts). Whoever measures (the bench, on its chains) sends it; the rest
 * of the measured gas is the transcript, sumchecks, lookups, merges, MLEs and memory. Every contract is checked
 * against EIP-170, and a verifier whose gas floor is past a chain's per-transaction cap is refused, before anything
 * is sent.
 */
import * as path from "path";
import { Contract, ContractFactory, Interface, keccak256, Signer } from "ethers";
import { ZkmlError } from "../core/errors";
import type { PublicLayout } from "../statement/layout";
import { checkContractSize, compileSolidity, Compiled, SOLC_SETTINGS } from "./solc";
import type { CompiledContract, DataContract } from "./deploy";
import { sumcheckArch } from "../systems/sumcheck/arch";
import { readCommitment, readIr, readProofBytes, readSumcheckPublic } from "../systems/sumcheck";
import { versionWord, ZK_VERSION } from "../systems/sumcheck/verifier/decode-zk";
import { renderSumcheckVerifier, renderSumcheckVerifierKzg, RenderedSumcheckVerifier, SUMCHECK_CONSUMER_ABI } from "../systems/sumcheck/solidity/render";
import { calldataGas, kzgPrecompileGas, precompileGas, sumcheckGasFloor } from "../systems/sumcheck/solidity/cost";
import { loadSumcheck } from "../core/native";

export interface DeployedSumcheckVerifier {
  verifier: Contract;
  address: string;
  consumer: Contract;
  chunkAddresses: string[];
  /** gas of every deployment transaction: the data contracts', the verifier's, the consumer's */
  deployGas: number[];
}

/**
 * Deploys the data contracts, then the verifier, then the consumer pointing at it. Refused before anything is sent:
 * a contract past EIP-170, and, on a chain with a per-transaction cap (`txGasCap`, EIP-7825's 16,777,216 on Ethereum
 * since osaka), a verifier whose verification cannot fit it (its gas floor alone, `sumcheckGasFloor`, past the cap).
 */
export async function deploySumcheckVerifier(r: RenderedSumcheckVerifier, compiled: Compiled, consumer: Compiled, signer: Signer, txGasCap: number | null = null): Promise<DeployedSumcheckVerifier> {
  checkContractSize(r.contractName, compiled.runtimeBytes);
  checkContractSize(r.consumerName, consumer.runtimeBytes);
  refuseOverGasCap(r, txGasCap);
  r.chunks.forEach((c, i) => checkContractSize(`${r.contractName} data ${i} (${c.blob})`, c.data.length + 1));
  const chunkAddresses: string[] = [];
  const deployGas: number[] = [];
  for (const c of r.chunks) {
    const receipt = await (await signer.sendTransaction({ data: "0x" + c.creationCode })).wait();
    if (!receipt?.contractAddress) throw new Error(`${r.contractName}: a data contract's deployment made no contract`);
    chunkAddresses.push(receipt.contractAddress);
    deployGas.push(Number(receipt.gasUsed));
  }
  const factory = new ContractFactory(compiled.abi, "0x" + compiled.bytecode, signer);
  // a KZG verifier has no data contracts and no constructor argument
  const verifier = (await factory.deploy(...(r.chunks.length ? [chunkAddresses] : []))) as Contract;
  const receipt = await verifier.deploymentTransaction()!.wait();
  deployGas.push(Number(receipt!.gasUsed));
  const address = await verifier.getAddress();
  const c = (await new ContractFactory(consumer.abi, "0x" + consumer.bytecode, signer).deploy(address)) as Contract;
  deployGas.push(Number((await c.deploymentTransaction()!.wait())!.gasUsed));
  return { verifier, address, consumer: c, chunkAddresses, deployGas };
}

/** A verifier whose verification cannot fit the chain's per-transaction cap (its gas floor alone past it), refused. */
export function refuseOverGasCap(r: RenderedSumcheckVerifier, txGasCap: number | null, network?: string): void {
  const floor = sumcheckGasFloor(r.program, r.pcs);
  if (txGasCap !== null && floor > txGasCap)
    throw new ZkmlError("OPTION_INVALID", `${r.contractName}: verifying one proof costs at least ${floor.toLocaleString("en-US")} gas (its ${r.pcs === "kzg" ? "KZG opening's" : "Hyrax openings'"} precompile calls), past ${network ? `${network}'s` : "this chain's"} per-transaction cap of ${txGasCap.toLocaleString("en-US")}`, {
      hint: "deploy to a chain without the cap, or prove this model on-chain with --system groth16 (a constant-size proof)",
    });
}

export interface SumcheckVerifierCall {
  rendered: RenderedSumcheckVerifier;
  verifier: Compiled & { name: string };
  /** its consumer (the same source): constructed with the verifier's address */
  consumer: Compiled & { name: string };
  /** the consumer's submit(input, output, proof) calldata: from the account the proof is bound to */
  submitData: string;
  /** verifyProof's calldata with the first output changed by one: the verifier must refuse it */
  changedData: string;
  /** the outputs the proof states */
  output: bigint[];
  dataContracts: { initCode: string; runtimeBytes: number }[];
  /** verifyProof's calldata, 0x-prefixed */
  data: string;
  /** the exact parts of the call's gas */
  parts: { baseAndCalldataGas: number; precompileGas: number };
  /** the least the call can cost: its precompile calls, 21,000 and the calldata, or EIP-7623's calldata floor if
   * more (src/systems/sumcheck/solidity/cost.ts) */
  floor: number;
}

/** The input packed as the contract takes it: each value minus the minimum, big-endian in `bytes` bytes. */
export function packInput(x: readonly bigint[], min: bigint, bytes: number): Buffer {
  return Buffer.from(x.flatMap((xi) => Array.from({ length: bytes }, (_, i) => Number(((xi - min) >> BigInt(8 * (bytes - 1 - i))) & 0xffn))));
}

/** The verifier and its consumer compiled from their one rendered source (solc's IR pipeline), as `unit`. */
export function compileSumcheck(r: RenderedSumcheckVerifier, unit: string, file?: string): { verifier: Compiled; consumer: Compiled } {
  const out = compileSolidity({ [unit]: r.source }, { viaIR: true });
  const [verifier, consumer] = [out.get(r.contractName), out.get(r.consumerName)];
  if (!verifier || !consumer) throw new ZkmlError("SOLIDITY_FAILED", `solc produced no contract ${r.contractName} or ${r.consumerName}`, { file, hint: "a bug in the sumcheck verifier's renderer: please report it with the model" });
  return { verifier, consumer };
}

/** A proof the Solidity verifier takes (format 2, or 4 with KZG); a zero-knowledge one (format 3, prove-model --zk) is refused. */
function onChainProof(proofFile: string): Buffer {
  const bytes = readProofBytes(proofFile);
  if (versionWord(bytes) === ZK_VERSION)
    throw new ZkmlError("OPTION_INVALID", "a zero-knowledge proof (prove-model --zk, format 3): the sumcheck system's Solidity verifier takes its sound, not zero-knowledge proofs so far", {
      file: proofFile,
      hint: "prove without --zk for a chain (the Solidity verifier of zero-knowledge proofs is a later step)",
    });
  return bytes;
}

/** The consumer's submit arguments: the input packed as the contract reads it, the outputs, the proof's bytes. */
function submitArgs(pub: { input: bigint[]; output: bigint[] }, program: { inputMin: bigint }, inputBytes: number, proofFile: string): [Buffer, bigint[], Buffer] {
  return [packInput(pub.input, program.inputMin, inputBytes), pub.output, onChainProof(proofFile)];
}

/** The verifier of `files`' proof: Hyrax's (format 2), or KZG's (format 4: its public file says so) holding the
 * setup's [tau]_2 read from `files.ptau`. */
function renderFor(files: { ir: string; public: string; commitment?: string; ptau?: string }, name: string): RenderedSumcheckVerifier {
  const pub = readSumcheckPublic(files.public);
  const commitment = readCommitment(files.commitment, pub.pcs === "kzg");
  if (!commitment || pub.input === null)
    throw new ZkmlError("OPTION_INVALID", "the sumcheck system's Solidity verifier takes committed weights and a public input (--weights hashed --input public)", { file: files.public, hint: "prove with --weights hashed --input public" });
  const arch = sumcheckArch(readIr(files.ir));
  if (pub.pcs !== "kzg") return renderSumcheckVerifier(arch, commitment, name);
  if (!files.ptau) throw new ZkmlError("SETUP_NOT_FOUND", "a KZG proof (--pcs kzg): its verifier needs the powers of tau it was made with", { file: files.public, hint: "prove with --pcs kzg in this project (the report names the ptau), or pass it" });
  return renderSumcheckVerifierKzg(arch, commitment, loadSumcheck().kzgVerifierKey(files.ptau), name);
}

/** The verification of the proof in `files` (committed weights and a public input: the statement the contract takes). */
export function sumcheckVerifierCall(files: { ir: string; proof: string; public: string; commitment?: string; ptau?: string }, name: string): SumcheckVerifierCall {
  onChainProof(files.proof); // refused before the verifier is compiled
  const rendered = renderFor(files, name);
  const pub = readSumcheckPublic(files.public);
  if (pub.input === null) throw new Error("renderFor refuses a private input");
  const { verifier: compiled, consumer } = compileSumcheck(rendered, `${rendered.contractName}.sol`);
  const [input, , proof] = submitArgs({ input: pub.input, output: pub.output }, rendered.program, rendered.inputBytes, files.proof);
  const verify = (output: bigint[]) => new Interface(compiled.abi).encodeFunctionData("verifyProof", [input, output, pub.context ?? 0n, proof]);
  const data = verify(pub.output);
  const cd = calldataGas(Buffer.from(data.slice(2), "hex"));
  return {
    rendered,
    verifier: { name: rendered.contractName, ...compiled },
    consumer: { name: rendered.consumerName, ...consumer },
    submitData: new Interface(SUMCHECK_CONSUMER_ABI).encodeFunctionData("submit", [input, pub.output, proof]),
    changedData: verify(pub.output.map((v, i) => (i === 0 ? v + 1n : v))),
    output: pub.output,
    dataContracts: rendered.chunks.map((c) => ({ initCode: c.creationCode, runtimeBytes: c.data.length + 1 })),
    data,
    parts: { baseAndCalldataGas: 21_000 + cd.standard, precompileGas: rendered.pcs === "kzg" ? kzgPrecompileGas(rendered.program) : precompileGas(rendered.program) },
    floor: Math.max(sumcheckGasFloor(rendered.program, rendered.pcs) + cd.standard, cd.floor),
  };
}

/** What a deployment of a sumcheck verifier checks, hashed into its record as a Groth16 key is: the architecture the
 * transcript absorbs first and the model commitment the verifier holds (keccak256 of its bytes). */
export interface SumcheckKey {
  protocol: "sumcheck";
  arch: string;
  model: string;
}

export interface SumcheckDeployment {
  rendered: RenderedSumcheckVerifier;
  verifier: CompiledContract;
  consumer: CompiledContract;
  /** the commitment's rows and the generators, in the order the verifier's constructor takes their addresses */
  dataContracts: DataContract[];
  key: SumcheckKey;
  compiler: { version: string; settings: unknown };
}

const hex0x = (h: string) => (h.startsWith("0x") ? h : "0x" + h);

/**
 * The contracts deploy-verifier sends for a model with committed weights: rendered from its IR and commitment,
 * written to `sourceFile` (which the records' fully qualified names point at) and compiled with solc's IR pipeline.
 */
export function sumcheckDeployment(files: { ir: string; commitment: string; ptau?: string }, modelId: string, sourceFile: string, writeSource: (file: string, text: string) => void): SumcheckDeployment {
  const commitment = readCommitment(files.commitment, files.ptau !== undefined)!;
  const arch = sumcheckArch(readIr(files.ir));
  // with a ptau: the KZG verifier (format 4), its [tau]_2 read from it
  const rendered = files.ptau ? renderSumcheckVerifierKzg(arch, commitment, loadSumcheck().kzgVerifierKey(files.ptau), modelId) : renderSumcheckVerifier(arch, commitment, modelId);
  writeSource(sourceFile, rendered.source);
  const out = compileSumcheck(rendered, path.basename(sourceFile), sourceFile);
  const contract = (name: string, c: Compiled): CompiledContract => ({ name, fullyQualifiedName: `${sourceFile}:${name}`, abi: c.abi, bytecode: hex0x(c.bytecode), deployedBytecode: hex0x(c.deployedBytecode) });
  const solc = require("solc") as { version(): string }; // eslint-disable-line @typescript-eslint/no-require-imports
  return {
    rendered,
    verifier: contract(rendered.contractName, out.verifier),
    consumer: contract(rendered.consumerName, out.consumer),
    dataContracts: rendered.chunks.map((c, i) => ({ name: `${rendered.contractName} ${c.blob} data ${i}`, initCode: hex0x(c.creationCode) })),
    key: { protocol: "sumcheck", arch: rendered.program.archHash, model: keccak256(commitment) },
    compiler: { version: solc.version(), settings: { ...SOLC_SETTINGS, viaIR: true } },
  };
}

/**
 * A proof as the consumer's submit takes it (the packed input, the outputs, the proof's bytes), with the key it was
 * made against and its public values in the statement's layout order (output, input, the model's keccak256, the
 * context: statement/layout.ts), which the deployment record's checks read.
 */
export function sumcheckSubmission(files: { proof: string; public: string }, layout: PublicLayout, program: { inputMin: bigint }, inputBytes: number): { consumerArgs: unknown[]; publicSignals: bigint[]; key: SumcheckKey; context?: bigint } {
  const pub = readSumcheckPublic(files.public);
  if (pub.input === null || pub.model === undefined)
    throw new ZkmlError("PROOF_INVALID", `input, model: the sumcheck consumer takes proofs with committed weights and a public input, got ${pub.input === null ? "a private input" : "private weights"}`, { file: files.public, hint: "prove with --weights hashed --input public" });
  const signals = new Array<bigint>(layout.publicSignals).fill(0n);
  const put = (part: { offset: number; count: number } | undefined, values: readonly bigint[], what: string) => {
    if (!part) return;
    if (values.length !== part.count) throw new ZkmlError("PROOF_INVALID", `${what}: expected ${part.count} values (the deployed statement), got ${values.length}`, { file: files.public, hint: "prove the model and options that were deployed" });
    values.forEach((v, i) => (signals[part.offset + i] = v));
  };
  put(layout.output, pub.output, "output");
  put(layout.input, pub.input, "input");
  put(layout.weights, [BigInt("0x" + pub.model)], "model");
  put(layout.context, [pub.context ?? 0n], "context");
  return {
    consumerArgs: submitArgs({ input: pub.input, output: pub.output }, program, inputBytes, files.proof),
    publicSignals: signals,
    key: { protocol: "sumcheck", arch: hex0x(pub.archHash), model: hex0x(pub.model) },
    ...(pub.context !== undefined ? { context: pub.context } : {}),
  };
}
