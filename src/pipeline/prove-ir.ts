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
import type { IrProveResult, IrSystem, IrVerdict } from "../systems/system";
import { circuitId } from "./circuit";
import { quantizeStage } from "./prove-circuit";
import type { Run, Subject } from "./options";
import type { IrProveReport } from "./report";
import { runStage } from "./runner";
import type { StageRunner, StageSpec } from "./stage";

interface IrFiles {
  ir: string;
  model: string;
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
  const r = sha256(x.join(",")).slice(0, 16);
  const proof = run.paths.get({ kind: "proofBytes", circuit: id, run: r, system: run.sys.protocol });
  return { ir: run.paths.get({ kind: "ir", circuit: id }), model: run.paths.get({ kind: "systemModel", circuit: id, system: run.sys.protocol }), proof, public: run.paths.get({ kind: "public", circuit: id, run: r, system: run.sys.protocol }), meta: `${proof}.meta.json` };
}

/** The quantized model (ir.json, what a verifier reads the architecture from) and the model in the system's own
 * form (what its prover reads); unchanged content is left as it is. */
function writeIrStage(run: Run<IrSystem>, f: IrFiles, text: string, q: QModel): StageSpec<string> {
  return {
    stage: "render",
    title: `the quantized model (ir.json) and ${run.sys.protocol}'s form of it`,
    reuse: () => (!run.force && fs.existsSync(f.ir) && fs.existsSync(f.model) && fs.readFileSync(f.ir, "utf8") === text && fs.readFileSync(f.model).equals(run.sys.encodeModel(q)) ? f.ir : undefined),
    run: async () => {
      writeFileAtomic(f.ir, text);
      writeFileAtomic(f.model, run.sys.encodeModel(q));
      return { result: f.ir };
    },
  };
}

function proveIrStage(run: Run<IrSystem>, f: IrFiles, irText: string, x: bigint[]): StageSpec<IrProofMeta> {
  const { sys } = run;
  const keys = { ir: sha256(irText), input: sha256(x.join(",")) };
  return {
    stage: "prove",
    title: `${sys.protocol}, ${sys.prover} prover`,
    reuse: (stale) => {
      if (run.force || ![f.proof, f.public, f.meta].every((p) => fs.existsSync(p))) return undefined;
      const meta = readMeta<IrProofMeta>(f.meta);
      if (!meta || meta.ir !== keys.ir || meta.input !== keys.input) return void stale(`${f.proof} was made from another model or input`);
      return meta;
    },
    run: async (progress) => {
      fs.rmSync(f.meta, { force: true });
      const t0 = Date.now();
      const m = await runStage("irProve", { system: sys.protocol, prover: sys.prover, model: f.model, input: x.map(String), proof: f.proof, public: f.public }, { onProgress: progress });
      const meta: IrProofMeta = { ...keys, proofBytes: m.result.proofBytes, seconds: (Date.now() - t0) / 1000, output: m.result.output, phases: phasesOf(m.result) };
      writeFileAtomic(f.meta, JSON.stringify(meta));
      return { ...m, result: meta };
    },
    summary: (m) => `${m.proofBytes.toLocaleString("en-US")} bytes`,
  };
}

function phasesOf(r: IrProveResult): IrProofMeta["phases"] {
  return (r.timings ?? []).map((t, i) => ({ phase: t.phase, wallMs: t.ms, cpuMs: r.cpuTimings[i]?.ms ?? 0 }));
}

function verifyIrStage(run: Run<IrSystem>, f: IrFiles): StageSpec<IrVerdict> {
  const { sys } = run;
  return {
    stage: "verify",
    title: `${sys.protocol} verify`,
    run: async () => {
      const m = await runStage("irVerify", { system: sys.protocol, prover: sys.prover, ir: f.ir, proof: f.proof, public: f.public });
      // a proof that does not verify is never left in the cache
      if (!m.result.valid) for (const p of [f.proof, f.public, f.meta]) fs.rmSync(p, { force: true });
      return m;
    },
    summary: (v) => v.verifiers.map((x) => `${x.name} ${x.valid ? "valid" : `INVALID (${x.reason})`}`).join(", "),
  };
}

/** The proved output against the reference interpreter's. */
function matches(output: string[], s: Subject): boolean {
  return output.length === s.reference.length && output.every((v, i) => BigInt(v) === s.reference[i]);
}

export async function proveIr(run: Run<IrSystem>, stages: StageRunner, t0: number, warnings: string[]): Promise<IrProveReport> {
  const { opts, sys, circuit } = run;
  const subject = await stages.run(quantizeStage(run));
  sys.check(subject.q, circuit.visibility); // what this system cannot prove is refused before any work
  const irText = irToJson(subject.q);
  const id = circuitId(opts.model.name, subject.q, circuit.visibility, "direct", irText);
  const f = irFiles(run, id, subject.x);
  await stages.run(writeIrStage(run, f, irText, subject.q));
  const proof = await stages.run(proveIrStage(run, f, irText, subject.x));
  const verdict = await stages.run(verifyIrStage(run, f));
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
    publicLayout: { output: subject.reference.length, input: subject.x.length, weights: 0 },
    input: { source: subject.given.source, label: subject.given.label },
    id,
    prediction: { class: argmax(subject.reference), outputs: subject.reference.map(String), real: subject.reference.map((r) => Number(r) * subject.q.output.step) },
    matchesReference,
    verified: verdict.valid,
    verifiers: verdict.verifiers,
    prover: sys.prover,
    proofBytes: proof.proofBytes,
    proveSeconds: proof.seconds,
    phases: proof.phases,
    stages: stages.reports,
    totalSeconds: (Date.now() - t0) / 1000,
    files: { ir: f.ir, proof: f.proof, public: f.public },
    warnings,
  };
}
