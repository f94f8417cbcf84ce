/**
 * The sumcheck system: proves the quantized IR itself (no circuit, no setup), layer by layer from the output:
 * dense layers by sumcheck over multilinear extensions, requantisation and ReLU by logUp-GKR lookups, every claim
 * on committed data merged into one Hyrax opening (native/src/sumcheck/, docs/design/sumcheck.md).
 *
 * Statements, for one inference or a batch (`--batch N`: one proof of N inferences, each layer's sumcheck run once
 * over the batch; the public values list every input and output in order): the output public; the input public, or private (`--input private`: committed in the proof's witness
 * and range-checked there, never written out; paper0's Worldcoin case); the weights either private and unbound (`--weights private`:
 * paper0's statement, some weights of this architecture map x to y; the proof carries their commitment) or
 * committed (`--weights hashed`: the model's Hyrax commitment, made once and published, is what the verifier
 * holds, and a proof made with other weights fails against it). Sound; zero knowledge with `zeroKnowledge`
 * (prove-model --zk: format 3, masked sumchecks and hiding commitments, docs/design/zero-knowledge.md) for every
 * statement above and every op, the weights private or committed (a hiding commitment,
 * sumcheck/model-hiding.commitment, and the owner's secret that opens it, model-hiding.secret); without it the
 * proof's evaluations say things about the weights and a private input. Two verifiers check every proof and must agree: the Rust one and the TypeScript
 * one (./verifier), written apart from the same specification.
 *
 * Files: the proof's bytes (<run>/sumcheck-proof.bin, network.rs's format, or network_zk.rs's: the first word,
 * the version, says which; both verifiers read either), the public values
 * (<run>/sumcheck-public.json: the architecture's hash, the model commitment's keccak256 when the weights are
 * committed, the input (or "private") and the output, decimal) and, for committed weights, the model's commitment
 * (sumcheck/model.commitment: its rows, what a deployment publishes). The architecture a
 * verifier checks against is always its own (from the IR it holds), never the public file's.
 */
import * as fs from "fs";
import { keccak256 } from "ethers";
import { ZkmlError } from "../../core/errors";
import { readJsonFile, writeFileAtomic } from "../../core/files";
import { loadSumcheck, nativeError } from "../../core/native";
import type { QModel } from "../../ir/ir";
import { irFromJson } from "../../ir/serialize";
import type { Visibility } from "../../statement/visibility";
import type { IrSystem, IrVerdict, KzgSetup } from "../system";
import { archWords, decodeSumcheckModel, encodeSumcheckModel, fromI64Bytes, i64Bytes, sumcheckArch, type SumcheckArch } from "./arch";
import { verifySumcheckKzgProof, verifySumcheckProof } from "./verifier";
import { checkArch, inputTable } from "./verifier/architecture";
import { decodeCommitment } from "./verifier/decode";
import { decodeKzgCommitment } from "./verifier/decode-kzg";
import { layoutsOf } from "./verifier/layout";
import { batchOf } from "../../statement/visibility";

export const SUMCHECK_PUBLIC_FORMAT = "zkml-sumcheck-public/1";

/** What <run>/sumcheck-public.json holds. */
export interface SumcheckPublic {
  format: typeof SUMCHECK_PUBLIC_FORMAT;
  /** keccak256 of the architecture's words, hex: what the proof's transcript absorbed first */
  arch: string;
  /** committed weights: keccak256 of the model commitment's bytes, hex (which model the proof is of) */
  model?: string;
  /** decimal, or "private" (committed in the proof) */
  input: string[] | "private";
  output: string[];
  /** the value the proof is bound to (its submitter's address as uint160), decimal; absent: bound to nothing */
  context?: string;
  /** "kzg": a format-4 proof (KZG commitments, verified with its setup's [tau]_2); absent: Hyrax */
  pcs?: "kzg";
}

/** The statement this system proves so far: every option that differs from it, named at once, and the flags. */
function checkStatement(vis: Visibility): void {
  const wrong = [
    vis.weights === "fixed" && `--weights ${vis.weights}`,
    // packed or not, every input value is public (the packing is how a verifier contract receives them); a
    // private input is committed in the proof's witness
    vis.input === "hashed" && `--input ${vis.input}`,
    vis.output !== "public" && `--output ${vis.output}`,
  ].filter((w): w is string => typeof w === "string");
  if (wrong.length)
    throw new ZkmlError("OPTION_INVALID", `${wrong.join(", ")}: the sumcheck system proves inferences (one, or a --batch) with the output public, the input public or private and the weights private (paper0's statement) or committed (--weights hashed) so far`, {
      hint: "add --input public (or private) --weights private --output public (or --weights hashed); or prove this statement with --system groth16",
    });
}

/** What the zero-knowledge prover (format 3, native/src/sumcheck/network_zk.rs) takes: every op of this system,
 * with a requant or a private input (a committed witness); one inference or a batch, the input public or private;
 * the weights private, or committed by a hiding commitment (`commit` with a secret). */
function checkZeroKnowledge(a: SumcheckArch, vis: Visibility): void {
  if (vis.input !== "private" && !a.ops.some((o) => o.op === "requant"))
    throw new ZkmlError("IR_INVALID", "--zk: a network without a requant and with a public input has nothing to commit per proof; the zero-knowledge prover needs one", {
      hint: "drop --zk (the weights are the only private values: --weights hashed hides nothing more without a requant), or prove with --system groth16",
    });
}

export function readIr(file: string): QModel {
  try {
    return irFromJson(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ZkmlError("IR_INVALID", `cannot read the quantized model: ${(e as Error).message}`, { file, hint: "make it again (prove-model --force)" });
  }
}

function decimals(v: unknown, file: string, field: string): bigint[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string" && /^-?\d+$/.test(s)))
    throw new ZkmlError("PROOF_INVALID", `${field}: expected an array of decimal strings`, { file, hint: "make the proof again (prove-model --force)" });
  return v.map((s: string) => BigInt(s));
}

/** The public values a proof is of, read and checked for form. */
export function readSumcheckPublic(file: string): { archHash: string; model?: string; input: bigint[] | null; output: bigint[]; context?: bigint; pcs?: "kzg" } {
  const j = readJsonFile(file, "PROOF_INVALID", "prove first (prove-model --system sumcheck)") as Partial<SumcheckPublic>;
  if (j?.format !== SUMCHECK_PUBLIC_FORMAT)
    throw new ZkmlError("PROOF_INVALID", `format: expected ${SUMCHECK_PUBLIC_FORMAT}, got ${JSON.stringify(j?.format)}`, { file, hint: "this is not a sumcheck proof's public file" });
  if (typeof j.arch !== "string" || !/^[0-9a-f]{64}$/.test(j.arch)) throw new ZkmlError("PROOF_INVALID", `arch: expected 64 hex digits, got ${JSON.stringify(j.arch)}`, { file, hint: "make the proof again" });
  if (j.model !== undefined && (typeof j.model !== "string" || !/^[0-9a-f]{64}$/.test(j.model)))
    throw new ZkmlError("PROOF_INVALID", `model: expected 64 hex digits, got ${JSON.stringify(j.model)}`, { file, hint: "make the proof again" });
  const input = j.input === "private" ? null : decimals(j.input, file, "input");
  if (j.context !== undefined && (typeof j.context !== "string" || !/^\d{1,78}$/.test(j.context) || BigInt(j.context) >= 1n << 256n))
    throw new ZkmlError("PROOF_INVALID", `context: expected a decimal number below 2^256, got ${JSON.stringify(j.context)}`, { file, hint: "make the proof again" });
  if (j.pcs !== undefined && j.pcs !== "kzg") throw new ZkmlError("PROOF_INVALID", `pcs: expected "kzg" or nothing, got ${JSON.stringify(j.pcs)}`, { file, hint: "make the proof again" });
  return { archHash: j.arch, model: j.model, input, output: decimals(j.output, file, "output"), ...(j.context !== undefined ? { context: BigInt(j.context) } : {}), ...(j.pcs ? { pcs: j.pcs } : {}) };
}

function readModelBytes(file: string): Buffer {
  if (!fs.existsSync(file)) throw new ZkmlError("IR_INVALID", `file not found: ${file}`, { hint: "run prove-model, which writes it" });
  return fs.readFileSync(file);
}

/** A model commitment file, its form checked (Hyrax: row count, points on the curve; KZG: one point) so a damaged
 * one is named here. */
export function readCommitment(file: string | undefined, kzg = false): Buffer | undefined {
  if (file === undefined) return undefined;
  if (!fs.existsSync(file)) throw new ZkmlError("SETUP_NOT_FOUND", `file not found: ${file}`, { hint: "commit to the model first (prove-model --weights hashed --system sumcheck makes it)" });
  const bytes = fs.readFileSync(file);
  try {
    if (kzg) decodeKzgCommitment(bytes);
    else decodeCommitment(bytes);
  } catch (e) {
    throw new ZkmlError("PROOF_INVALID", `not a model commitment: ${(e as Error).message}`, { file, hint: "make it again from the model (prove-model --weights hashed --force), or get the published one again" });
  }
  return bytes;
}

const keccakHex = (b: Uint8Array): string => keccak256(b).slice(2);

/** A KZG commitment under the setup's ptau: its 64 bytes returned, the prover's form (with the fold tables) written
 * to the setup's `model` file. */
function commitKzg(m: { arch: Buffer; params: Buffer }, kzg: KzgSetup): { commitment: Buffer; secret: undefined } {
  if (!kzg.model) throw new Error("a KZG commitment needs the file its prover's form goes to");
  const made = loadSumcheck().sumcheckCommitModelKzg(m.arch, m.params, kzg.ptau);
  writeFileAtomic(kzg.model, made.model);
  return { commitment: made.commitment, secret: undefined };
}

function readKzgModel(kzg: KzgSetup): Buffer {
  if (!kzg.model || !fs.existsSync(kzg.model)) throw new ZkmlError("SETUP_NOT_FOUND", `file not found: ${kzg.model ?? "(none given)"}`, { hint: "commit to the model again (prove-model --weights hashed --pcs kzg --force)" });
  return fs.readFileSync(kzg.model);
}

/** A hiding commitment's secret, readable by its owner alone (it opens the commitment: never publish it). */
function writeSecret(file: string, bytes: Uint8Array): void {
  writeFileAtomic(file, bytes);
  fs.chmodSync(file, 0o600);
}

function readSecret(file: string): Buffer {
  if (!fs.existsSync(file)) throw new ZkmlError("SETUP_NOT_FOUND", `file not found: ${file}`, { hint: "commit to the model again with --zk (prove-model --weights hashed --zk makes the commitment and its secret)" });
  return fs.readFileSync(file);
}

export function readProofBytes(file: string): Buffer {
  if (!fs.existsSync(file)) throw new ZkmlError("PROOF_INVALID", `file not found: ${file}`, { hint: "prove first (prove-model --system sumcheck)" });
  return fs.readFileSync(file);
}

const archHash = (a: SumcheckArch): string => loadSumcheck().sumcheckArchHash(i64Bytes(archWords(a))).toString("hex");

/** A context as the transcript absorbs it: one 32-byte big-endian word. */
export const contextWord = (c: bigint): Buffer => Buffer.from(c.toString(16).padStart(64, "0"), "hex");

/** The Rust verifier's verdict; bytes that do not decode are a PROOF_INVALID error naming the file. */
async function nativeVerdict(a: SumcheckArch, input: bigint[] | null, output: bigint[], proof: Buffer, file: string, model?: Buffer, context?: Buffer, kzgVk?: Buffer): Promise<{ valid: boolean; reason?: string }> {
  const v = await loadSumcheck()
    .sumcheckVerify(i64Bytes(archWords(a)), input && i64Bytes(input), i64Bytes(output), proof, model, context, kzgVk)
    .catch((e: unknown) => {
      throw nativeError(e, { PROOF_INVALID: "the proof file is damaged or truncated: make it again (prove-model --force)" }, file);
    });
  return v.valid ? { valid: true } : { valid: false, reason: v.reason ?? "refused" };
}

/** The TypeScript verifier's verdict, with the same errors; a KZG proof's with its verifier key. */
async function typescriptVerdict(a: SumcheckArch, input: bigint[] | null, output: bigint[], proof: Buffer, file: string, model?: Buffer, context?: Buffer, kzgVk?: Buffer): Promise<{ valid: boolean; reason?: string }> {
  try {
    return kzgVk ? await verifySumcheckKzgProof(a, input, output, proof, kzgVk, model, context) : verifySumcheckProof(a, input, output, proof, model, context);
  } catch (e) {
    if (e instanceof ZkmlError && e.code === "PROOF_INVALID" && !e.file) throw new ZkmlError("PROOF_INVALID", e.message, { file, hint: e.hint ?? "make the proof again (prove-model --force)" });
    throw e;
  }
}

export const sumcheck: IrSystem = {
  protocol: "sumcheck",
  prover: "native",
  form: "ir",
  description: "sumcheck over multilinear extensions with logUp-GKR lookups and Hyrax openings (native, Rust on arkworks): no setup, no circuit; weights private (paper0's statement) or committed once (--weights hashed), the input public or private; zero knowledge with --zk",
  // paper0's statement: the weights private, the output public
  defaultVisibility: { weights: "private", output: "public" },
  checkStatement,
  kzgPower(q, vis) {
    const a = checkArch(sumcheckArch(q));
    const { model, witness } = layoutsOf(a, vis.input === "private" ? inputTable(a).logSize : null, batchOf(vis));
    // the larger committed vector's 2^n entries; a ptau of power p holds 2^(p + 1) - 1 G1 powers
    return Math.max(model.numVars, witness?.numVars ?? 0);
  },
  check(q, vis, zeroKnowledge) {
    checkStatement(vis);
    const a = sumcheckArch(q);
    if (zeroKnowledge) checkZeroKnowledge(a, vis);
  },
  encodeModel: encodeSumcheckModel,
  async commit(args) {
    const m = decodeSumcheckModel(readModelBytes(args.model), args.model);
    const native = loadSumcheck();
    const made = await (args.kzg ? Promise.resolve().then(() => commitKzg(m, args.kzg as KzgSetup)) : args.secret === undefined ? native.sumcheckCommitModel(m.arch, m.params).then((commitment) => ({ commitment, secret: undefined })) : native.sumcheckCommitModelZk(m.arch, m.params)).catch((e: unknown) => {
      throw nativeError(e, { IR_INVALID: "prove this model with --system groth16" });
    });
    if (args.secret !== undefined && made.secret !== undefined) writeSecret(args.secret, made.secret);
    writeFileAtomic(args.commitment, made.commitment);
    return { bytes: made.commitment.length };
  },
  async prove(args) {
    const m = decodeSumcheckModel(readModelBytes(args.model), args.model);
    const x = args.input.map(BigInt);
    const commitment = readCommitment(args.commitment, args.kzg !== undefined);
    const context = args.context === undefined ? undefined : contextWord(BigInt(args.context));
    const native = loadSumcheck();
    const secret = args.secret === undefined ? undefined : readSecret(args.secret);
    const p = await (args.kzg
      ? native.sumcheckProveKzg(m.arch, m.params, i64Bytes(x), args.kzg.ptau, commitment === undefined ? null : readKzgModel(args.kzg), args.inputPrivate, context)
      : args.zeroKnowledge
        ? native.sumcheckProveZk(m.arch, m.params, i64Bytes(x), secret, context, args.inputPrivate)
        : native.sumcheckProve(m.arch, m.params, i64Bytes(x), commitment, args.inputPrivate, context))
      .catch((e: unknown) => {
        throw nativeError(e, {
          PROOF_INVALID: `the model's secret (${args.secret}) is damaged or of another model: commit again (prove-model --weights hashed --zk --force)`, INPUT_OUT_OF_RANGE: "quantize the input with this model (its declared range)", IR_INVALID: "prove this model with --system groth16" });
      });
    const output = fromI64Bytes(p.output).map(String);
    const pub: SumcheckPublic = { format: SUMCHECK_PUBLIC_FORMAT, arch: loadSumcheck().sumcheckArchHash(m.arch).toString("hex"), ...(commitment ? { model: keccakHex(commitment) } : {}), input: args.inputPrivate ? "private" : args.input, output, ...(args.context !== undefined ? { context: args.context } : {}), ...(args.kzg ? { pcs: "kzg" as const } : {}) };
    writeFileAtomic(args.proof, p.proof);
    writeFileAtomic(args.public, JSON.stringify(pub));
    return { proofBytes: p.proof.length, publicSignals: (args.inputPrivate ? 0 : x.length) + output.length, prover: "native", timings: p.timings, cpuTimings: p.cpuTimings, output };
  },
  async verify(args): Promise<IrVerdict> {
    const arch = sumcheckArch(readIr(args.ir));
    const pub = readSumcheckPublic(args.public);
    if (pub.archHash !== archHash(arch)) {
      const reason = `the proof is of another architecture (${pub.archHash.slice(0, 16)}... where this model's is ${archHash(arch).slice(0, 16)}...)`;
      return { valid: false, verifiers: [{ name: "architecture", valid: false, reason }] };
    }
    if ((pub.pcs === "kzg") !== (args.kzg !== undefined)) {
      const reason = pub.pcs === "kzg" ? "a KZG proof (--pcs kzg): verify it with its setup (the ptau it was made with)" : "a Hyrax proof, verified as a KZG one: drop --pcs kzg";
      return { valid: false, verifiers: [{ name: "commitment scheme", valid: false, reason }] };
    }
    const commitment = readCommitment(args.commitment, args.kzg !== undefined);
    if (commitment && pub.model !== undefined && pub.model !== keccakHex(commitment)) {
      const reason = `the proof says it is of the model committed as ${pub.model.slice(0, 16)}..., the verifier holds ${keccakHex(commitment).slice(0, 16)}...`;
      return { valid: false, verifiers: [{ name: "model", valid: false, reason }] };
    }
    const proof = readProofBytes(args.proof);
    const context = pub.context === undefined ? undefined : contextWord(pub.context);
    const vk = args.kzg ? loadSumcheck().kzgVerifierKey(args.kzg.ptau) : undefined;
    const verifiers = [{ name: "rust", ...(await nativeVerdict(arch, pub.input, pub.output, proof, args.proof, commitment, context, vk)) }];
    if (args.verifiers === "native") return { valid: verifiers[0].valid, verifiers };
    verifiers.push({ name: "typescript", ...(await typescriptVerdict(arch, pub.input, pub.output, proof, args.proof, commitment, context, vk)) });
    if (verifiers[0].valid !== verifiers[1].valid)
      throw new ZkmlError("STAGE_FAILED", `the Rust and TypeScript verifiers disagree on ${args.proof} (rust: ${verifiers[0].reason ?? "valid"}; typescript: ${verifiers[1].reason ?? "valid"})`, {
        hint: "a bug in one of the sumcheck verifiers: please report it with the proof and the model",
      });
    return { valid: verifiers.every((v) => v.valid), verifiers };
  },
};
