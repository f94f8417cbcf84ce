/**
 * prove-model's path for a system that proves the IR itself (src/systems/system.ts IrSystem, the sumcheck system):
 * quantize -> the IR written (render) -> prove -> verify. No circuit, no powers of tau, no setup, no witness file.
 * The proof runs in a measured child process (its seconds and peak memory are its own); the verification runs
 * every verifier the system has (they must agree). A proof is reused while the IR and the input are the ones it was
 * made for.
 */
import * as fs from "fs";
import { ZkmlError } from "../core/errors";
import { readMeta, sha256, writeFileAtomic } from "../core/files";
import type { QModel } from "../ir/ir";
import { irToJson } from "../ir/serialize";
import { argmax, countParams } from "../model/format";
import type { IrProveResult, IrSystem, IrVerdict, KzgSetup } from "../systems/system";
import { fileId, type SetupMeta } from "../setup/trust";
import { ptauStageFor } from "./prove-setup";
import { batchLabels } from "../statement/statement";
import { batchOf } from "../statement/visibility";
import { circuitId } from "./circuit";
import { quantizationReport, quantizeOnlyStage, type Quantized } from "./prove-circuit";
import { lightStage, type Run } from "./options";
import { contextText, type IrProveReport } from "./report";
import { runStage } from "./runner";
import type { StageRunner, StageSpec } from "./stage";

interface IrFiles {
  ir: string;
  model: string;
  /** committed weights only: the model's commitment */
  commitment?: string;
  /** committed weights in zero knowledge: the hiding commitment's secret */
  secret?: string;
  proof: string;
  public: string;
  meta: string;
}

/** What <proof>.meta.json records: what the proof was made from, and what it reported then. */
interface IrProofMeta {
  ir: string;
  input: string;
  proofBytes: number;
  seconds: number;
  output: string[];
  phases: IrProveReport["phases"];
}

function irFiles(run: Run<IrSystem>, id: string, x: bigint[]): IrFiles {
  const kzg = run.opts.pcs === "kzg";
  // a KZG proof of an input is a run of its own beside the Hyrax one
  const r = sha256(x.join(",") + (kzg ? ";kzg" : "")).slice(0, 16);
  const proof = run.paths.get({ kind: "proofBytes", circuit: id, run: r, system: run.sys.protocol });
  const committed = run.circuit.visibility.weights === "hashed";
  const hiding = committed && run.opts.zeroKnowledge === true;
  const commitment = committed ? run.paths.get({ kind: "modelCommitment", circuit: id, system: run.sys.protocol, hiding, kzg }) : undefined;
  const secret = hiding ? run.paths.get({ kind: "modelSecret", circuit: id, system: run.sys.protocol }) : undefined;
  return { ir: run.paths.get({ kind: "ir", circuit: id }), model: run.paths.get({ kind: "systemModel", circuit: id, system: run.sys.protocol }), commitment, secret, proof, public: run.paths.get({ kind: "public", circuit: id, run: r, system: run.sys.protocol }), meta: `${proof}.meta.json` };
}

/** The quantized model (ir.json, what a verifier reads the architecture from) and the model in the system's own
 * form (what its prover reads); unchanged content is left as it is. */
function writeIrStage(run: Run<IrSystem>, f: IrFiles, text: string, q: QModel): StageSpec<string> {
  const encoded = run.sys.encodeModel(q); // once, for the comparison and the write
  return {
    stage: "render",
    title: `the quantized model (ir.json) and ${run.sys.protocol}'s form of it`,
    reuse: () => (!run.force && fs.existsSync(f.ir) && fs.existsSync(f.model) && fs.readFileSync(f.ir, "utf8") === text && fs.readFileSync(f.model).equals(encoded) ? f.ir : undefined),
    run: async () => {
      writeFileAtomic(f.ir, text);
      writeFileAtomic(f.model, encoded);
      return { result: f.ir };
    },
  };
}

/** What <commitment>.meta.json records: the model it commits to (model.bin's sha256), the commitment's and, for
 * a hiding one, its secret's. */
interface CommitMeta {
  model: string;
  commitment: string;
  secret?: string;
  /** a KZG commitment: the ptau it was made under (fileId: its path, size and time) */
  ptau?: string;
  seconds: number;
}

const sha256Of = (file: string | undefined): string | undefined => (file === undefined ? undefined : sha256(fs.readFileSync(file)));

/** The one-off commitment to the weights (committed weights), in a measured child; reused while model.bin is the
 * one it was made from and the commitment the one written. */
function commitStage(run: Run<IrSystem>, f: IrFiles & { commitment: string }, kzg: KzgSetup | undefined): StageSpec<CommitMeta> {
  const { sys } = run;
  const ptau = kzg && fileId(kzg.ptau);
  const meta = `${f.commitment}.meta.json`;
  return {
    stage: "setup",
    title: `${sys.protocol}: committing to the model's weights (once per model${f.secret ? "; hiding, its secret kept beside it" : ""})`,
    reuse: (stale) => {
      if (run.force || !fs.existsSync(f.commitment) || (f.secret !== undefined && !fs.existsSync(f.secret)) || (kzg?.model !== undefined && !fs.existsSync(kzg.model))) return undefined;
      const prev = readMeta<CommitMeta>(meta);
      if (!prev || prev.model !== sha256(fs.readFileSync(f.model))) return void stale(`${f.commitment} is not of this model`);
      if (prev.commitment !== sha256(fs.readFileSync(f.commitment))) return void stale(`${f.commitment} changed since it was made`);
      if (prev.secret !== sha256Of(f.secret)) return void stale(`${f.secret} is not the secret of ${f.commitment}`);
      if (prev.ptau !== ptau) return void stale(`${f.commitment} was made under another powers of tau`);
      return prev;
    },
    run: async (progress) => {
      fs.rmSync(meta, { force: true });
      const t0 = Date.now();
      const m = await runStage("irCommit", { system: sys.protocol, prover: sys.prover, model: f.model, commitment: f.commitment, ...(f.secret ? { secret: f.secret } : {}), ...(kzg ? { kzg } : {}) }, { onProgress: progress });
      const rec: CommitMeta = { model: sha256(fs.readFileSync(f.model)), commitment: sha256(fs.readFileSync(f.commitment)), ...(f.secret ? { secret: sha256Of(f.secret) } : {}), ...(ptau ? { ptau } : {}), seconds: (Date.now() - t0) / 1000 };
      writeFileAtomic(meta, JSON.stringify(rec));
      return { ...m, result: rec };
    },
    summary: (m) => `commitment ${m.commitment.slice(0, 16)}...`,
  };
}

function proveIrStage(run: Run<IrSystem>, f: IrFiles, irText: string, x: bigint[], kzg: KzgSetup | undefined): StageSpec<IrProofMeta> {
  const { sys } = run;
  const zk = run.opts.zeroKnowledge === true;
  // the commitment by its content: a hiding one is made afresh (other blinders) when its secret is lost or damaged
  const keys = { ir: sha256(irText), input: sha256(x.join(",")) + (f.commitment ? `;${f.commitment};${sha256Of(f.commitment)}` : "") + (zk ? ";zero knowledge" : "") + (kzg ? `;kzg ${fileId(kzg.ptau)}` : "") };
  return {
    stage: "prove",
    title: `${sys.protocol}${zk ? " in zero knowledge" : ""}${kzg ? " with KZG commitments" : ""}, ${sys.prover} prover`,
    reuse: (stale) => {
      if (run.force || ![f.proof, f.public, f.meta].every((p) => fs.existsSync(p))) return undefined;
      const meta = readMeta<IrProofMeta>(f.meta);
      if (!meta || meta.ir !== keys.ir || meta.input !== keys.input) return void stale(`${f.proof} was made from another model or input`);
      return meta;
    },
    run: async (progress) => {
      fs.rmSync(f.meta, { force: true });
      const t0 = Date.now();
      const context = boundContext(run);
      const m = await lightStage(run, "irProve", { system: sys.protocol, prover: sys.prover, model: f.model, commitment: f.commitment, ...(f.secret ? { secret: f.secret } : {}), input: x.map(String), inputPrivate: run.circuit.visibility.input === "private", ...(context !== undefined ? { context: context.toString() } : {}), ...(zk ? { zeroKnowledge: true } : {}), ...(kzg ? { kzg } : {}), proof: f.proof, public: f.public }, progress);
      const meta: IrProofMeta = { ...keys, proofBytes: m.result.proofBytes, seconds: (Date.now() - t0) / 1000, output: m.result.output, phases: phasesOf(m.result) };
      writeFileAtomic(f.meta, JSON.stringify(meta));
      return { ...m, result: meta };
    },
    summary: (m) => `${m.proofBytes.toLocaleString("en-US")} bytes`,
  };
}

/** The value a statement with a context is bound to (required: the task gives it, --bind-to or its default). */
function boundContext(run: { circuit: { visibility: { context?: string } }; opts: { context?: bigint } }): bigint | undefined {
  if (run.circuit.visibility.context !== "sender") return undefined;
  if (run.opts.context === undefined)
    throw new ZkmlError("INPUT_INVALID", "context: this statement is bound to a context (the submitter's address, or an application's value) and none was given", {
      hint: "give the address that will submit the proof (--bind-to), or prove with --context none",
    });
  return run.opts.context;
}

function phasesOf(r: IrProveResult): IrProofMeta["phases"] {
  return (r.timings ?? []).map((t, i) => ({ phase: t.phase, wallMs: t.ms, cpuMs: r.cpuTimings[i]?.ms ?? 0 }));
}

function verifyIrStage(run: Run<IrSystem>, f: IrFiles, kzg: KzgSetup | undefined): StageSpec<IrVerdict> {
  const { sys } = run;
  return {
    stage: "verify",
    title: `${sys.protocol} verify`,
    run: async () => {
      const m = await lightStage(run, "irVerify", { system: sys.protocol, prover: sys.prover, ir: f.ir, proof: f.proof, public: f.public, commitment: f.commitment, verifiers: run.exec.irVerifiers, ...(kzg ? { kzg } : {}) });
      // a proof that does not verify is never left in the cache
      if (!m.result.valid) for (const p of [f.proof, f.public, f.meta]) fs.rmSync(p, { force: true });
      return m;
    },
    summary: (v) => v.verifiers.map((x) => `${x.name} ${x.valid ? "valid" : `INVALID (${x.reason})`}`).join(", "),
  };
}

/** --pcs kzg: the powers of tau the model's KZG key needs (named, fetched, or a development one made here), refused
 * for a system without a KZG form and with --zk (format 3 commits with Hyrax); a development one is forgeable. */
async function kzgSetup(run: Run<IrSystem>, stages: StageRunner, q: QModel, id: string, warnings: string[]): Promise<KzgSetup> {
  const { sys, opts, circuit } = run;
  if (!sys.kzgPower) throw new ZkmlError("OPTION_INVALID", `--pcs kzg: ${sys.protocol} has no KZG form`, { hint: "drop --pcs, or prove with --system sumcheck" });
  if (opts.zeroKnowledge)
    throw new ZkmlError("OPTION_INVALID", "--pcs kzg with --zk: zero-knowledge proofs commit with Hyrax so far (docs/design/kzg-pcs.md section 5 plans the KZG form)", { hint: "drop --zk for an on-chain KZG proof, or --pcs for a zero-knowledge one" });
  const power = sys.kzgPower(q, circuit.visibility);
  const ptau = await stages.run(ptauStageFor(run, power, `a committed vector of 2^${power} entries`));
  if (ptau.development)
    warnings.push(`--pcs kzg with a development powers of tau (${ptau.file}): whoever holds its secret can forge proofs; give --ptau or --download-ptau for proofs anyone else verifies`);
  // what a deployment reads: the ptau (its verifier key) and its trust (setupForgeability's fields)
  const record: Partial<SetupMeta> = { ptau: ptau.file, ptauOrigin: ptau.origin, developmentPtau: ptau.development, trust: ptau.trust };
  const file = run.paths.get({ kind: "kzgSetup", circuit: id, system: sys.protocol });
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== JSON.stringify(record)) writeFileAtomic(file, JSON.stringify(record));
  return { ptau: ptau.file, ...(run.circuit.visibility.weights === "hashed" ? { model: run.paths.get({ kind: "kzgModel", circuit: id, system: sys.protocol }) } : {}) };
}

/** The proved output against the reference interpreter's. */
function matches(output: string[], s: Quantized): boolean {
  return output.length === s.reference.length && output.every((v, i) => BigInt(v) === s.reference[i]);
}

export async function proveIr(run: Run<IrSystem>, stages: StageRunner, t0: number, warnings: string[]): Promise<IrProveReport> {
  const { opts, sys, circuit } = run;
  sys.checkStatement(circuit.visibility); // a statement this system does not prove is refused before quantizing
  const subject = await stages.run(quantizeOnlyStage(run));
  sys.check(subject.q, circuit.visibility, opts.zeroKnowledge); // what this system cannot prove is refused before any work
  const irText = irToJson(subject.q);
  const id = circuitId(opts.model.name, subject.q, circuit.visibility, "direct", irText);
  const f = irFiles(run, id, subject.x);
  await stages.run(writeIrStage(run, f, irText, subject.q));
  const kzg = opts.pcs === "kzg" ? await kzgSetup(run, stages, subject.q, id, warnings) : undefined;
  if (f.commitment) await stages.run(commitStage(run, { ...f, commitment: f.commitment }, kzg));
  const proof = await stages.run(proveIrStage(run, f, irText, subject.x, kzg));
  const verdict = await stages.run(verifyIrStage(run, f, kzg));
  const matchesReference = matches(proof.output, subject);
  if (!matchesReference)
    throw new ZkmlError("STAGE_FAILED", `the ${sys.protocol} proof's output differs from the reference interpreter's (proof ${proof.output.slice(0, 4).join(",")}..., reference ${subject.reference.slice(0, 4).join(",")}...)`, {
      hint: "a bug in the native prover's reading of the IR: please report it with the model file",
    });
  return {
    form: "ir",
    model: opts.model.name,
    parameters: countParams(opts.model),
    system: sys.protocol,
    visibility: circuit.visibility,
    // committed weights: the model's commitment the verifier holds (a set of curve points, not a field element)
    publicLayout: { output: subject.reference.length, input: circuit.visibility.input === "private" ? 0 : subject.x.length, weights: f.commitment ? 1 : 0 },
    ...(run.opts.context !== undefined && circuit.visibility.context === "sender" ? { boundTo: contextText(run.opts.context) } : {}),
    input: { source: subject.given.source, label: subject.given.label },
    id,
    prediction: {
      class: argmax(subject.reference),
      outputs: subject.reference.map(String),
      real: subject.reference.map((r) => Number(r) * subject.q.output.step),
      // a batch: each inference's class (its outputs are the batch's concatenated)
      ...(batchOf(circuit.visibility) > 1 ? { labels: batchLabels({ batch: batchOf(circuit.visibility), outputSize: subject.reference.length / batchOf(circuit.visibility) }, subject.reference) } : {}),
    },
    matchesReference,
    quantization: quantizationReport(run, subject),
    verified: verdict.valid,
    verifiers: verdict.verifiers,
    zeroKnowledge: opts.zeroKnowledge === true,
    ...(kzg ? { pcs: "kzg" as const } : {}),
    prover: sys.prover,
    proofBytes: proof.proofBytes,
    proveSeconds: proof.seconds,
    phases: proof.phases,
    stages: stages.reports,
    totalSeconds: (Date.now() - t0) / 1000,
    files: { ir: f.ir, proof: f.proof, public: f.public, ...(f.commitment ? { commitment: f.commitment } : {}), ...(kzg ? { ptau: kzg.ptau } : {}) },
    warnings,
  };
}
