/**
 * prove-model's last stages: the witness (circom's calculator, or the reference interpreter for the direct
 * backend), the proof by the run's system, and its verification.
 */
import * as fs from "fs";
import { ZkmlError } from "../core/errors";
import { checkDigest, digestFile, FileDigest, readMeta, sha256, stringifyBig, writeFileAtomic } from "../core/files";
import type { CompileResult } from "../backends/compiled";
import { readWtns } from "../core/r1cs";
import type { Prover } from "../systems/system";
import type { RenderResult } from "./circuit";
import { lightStage, Run, RunFiles, Subject } from "./options";
import { runStage } from "./runner";
import type { StageSpec } from "./stage";
import type { Opening } from "../statement/statement";

/** The statement's context and salts as decimal strings (a stage's arguments cross a process boundary as JSON). */
const openingStrings = (o: Opening): Record<string, string> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));

/** What witness.wtns.meta.json records: the witness's inputs (input.json) and the witness, by content, and the circuit it is of. */
interface WitnessMeta {
  input: string;
  wtns: FileDigest;
  r1cs?: string;
}

export function witnessStage(run: Run, rendered: RenderResult, compiled: CompileResult, s: Subject, f: RunFiles): StageSpec<{ fresh: boolean }> {
  const metaFile = `${f.wtns}.meta.json`;
  const input = stringifyBig(s.statement.witnessInput, 1);
  return {
    stage: "witness",
    title: rendered.backend === "direct" ? "from the reference interpreter" : "circom's witness calculator",
    // reused only while its inputs are this run's, its r1cs the one compiled, and the witness the one written
    reuse: (stale) => {
      if (run.force || !fs.existsSync(f.wtns)) return undefined;
      const prev = readMeta<WitnessMeta>(metaFile);
      if (!prev) return void stale(`no record of how ${f.wtns} was made`);
      if (!fs.existsSync(f.input) || sha256(fs.readFileSync(f.input)) !== prev.input || prev.input !== sha256(input)) return void stale(`${f.input} is not this run's input`);
      if (prev.r1cs !== compiled.digests?.r1cs?.sha256) return void stale(`${f.wtns} was computed for another r1cs`);
      const c = checkDigest(f.wtns, prev.wtns);
      if (!c.ok) return void stale(c.why);
      if (c.rehashed) writeFileAtomic(metaFile, JSON.stringify({ ...prev, wtns: c.digest }));
      return { fresh: false };
    },
    run: async (progress) => {
      fs.rmSync(metaFile, { force: true });
      writeFileAtomic(f.input, input);
      const m =
        rendered.backend === "direct"
          ? await lightStage(run, "directWitness", { ir: rendered.sourceFile, visibility: run.circuit.visibility, x: s.x.map(String), opening: openingStrings(s.statement.opening), wtns: f.wtns }, progress)
          : await lightStage(run, "witness", { wasm: compiled.wasm, input: s.statement.witnessInput, wtns: f.wtns }, progress);
      const meta: WitnessMeta = { input: sha256(input), wtns: digestFile(f.wtns), r1cs: compiled.digests?.r1cs?.sha256 };
      writeFileAtomic(metaFile, JSON.stringify(meta));
      return { ...m, result: { fresh: true } };
    },
  };
}

/**
 * The circuit's public signals must be exactly the statement the reference interpreter and the TypeScript packer
 * and hasher compute: outputs (or label, or hash), then the input part, then the weights commitment.
 */
export function publicSignalsMatch(wtns: string, nPublic: number, expected: bigint[]): true {
  const circuitPub = readWtns(wtns).slice(1, 1 + nPublic);
  if (circuitPub.length !== expected.length || circuitPub.some((v, i) => v !== expected[i]))
    throw new ZkmlError("STAGE_FAILED", `the circuit's public signals differ from the reference's (circuit ${circuitPub.slice(0, 4).join(",")}..., reference ${expected.slice(0, 4).join(",")}...)`, {
      hint: "this is a bug in zkml-hardhat's renderer; please report it with the model file",
    });
  return true;
}

/** The proof's size, its prover, and the seconds its proving took when it was made (kept beside it, so a cached proof still says). */
type ProofMeta = { proofBytes: number; prover: Prover; seconds?: number };

export function proveStage(run: Run, f: RunFiles, zkey: string, r1cs: string, freshWitness: boolean): StageSpec<ProofMeta> {
  const { sys } = run;
  return {
    stage: "prove",
    title: `${sys.protocol}, ${sys.prover} prover`,
    reuse: () => {
      if (freshWitness || ![f.proof, f.public, f.proofMeta].every((p) => fs.existsSync(p)) || fs.statSync(f.proof).mtimeMs < fs.statSync(zkey).mtimeMs) return undefined;
      const meta = readMeta<ProofMeta>(f.proofMeta);
      return meta && (meta.prover ?? "snarkjs") === sys.prover ? meta : undefined;
    },
    run: async (progress) => {
      const t0 = Date.now();
      const m = await runStage("prove", { system: sys.protocol, prover: sys.prover, zkey, wtns: f.wtns, r1cs, proof: f.proof, public: f.public }, { onProgress: progress });
      const meta: ProofMeta = { proofBytes: m.result.proofBytes, prover: m.result.prover, seconds: (Date.now() - t0) / 1000 };
      writeFileAtomic(f.proofMeta, JSON.stringify(meta));
      return { ...m, result: meta };
    },
  };
}

export function verifyStage(run: Run, f: RunFiles, vkey: string): StageSpec<boolean> {
  const { sys } = run;
  return {
    stage: "verify",
    title: `${sys.protocol} verify`,
    run: async () => {
      const m = await lightStage(run, "verify", { system: sys.protocol, prover: sys.prover, vkey, proof: f.proof, public: f.public });
      // a proof that does not verify (a key damaged without changing its size, say) is never left in the cache
      if (!m.result.valid) for (const p of [f.proof, f.public, f.proofMeta]) fs.rmSync(p, { force: true });
      return { ...m, result: m.result.valid };
    },
    summary: (valid) => (valid ? "valid" : "INVALID"),
  };
}
