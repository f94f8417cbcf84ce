/**
 * prove-model's setup stages: the powers of tau (named, fetched, or made here: src/setup/trust.ts), the run's
 * proof system's keys, cached by the r1cs and the ptau they were made from, and the Solidity verifier.
 */
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../core/files";
import type { CompileResult } from "../backends/compiled";
import { contractNames, exportVerifier } from "../backends/solidity/verifier";
import { developmentPtau, fileId, givenPtau, namesPtau, PtauInfo, readablePtau, SetupMeta, setupMeta } from "../setup/trust";
import { checkZkey } from "../snark/zkey";
import type { CircuitSize, Run } from "./options";
import { runStage } from "./runner";
import type { StageSpec } from "./stage";

/** The ptau the user's trust names, or a development one made here. */
export function ptauStage(run: Run, size: CircuitSize, compiled: CompileResult): StageSpec<PtauInfo> {
  return namesPtau(run.trust) ? givenPtauStage(run, size, compiled) : devPtauStage(run, size.power);
}

function givenPtauStage(run: Run, size: CircuitSize, compiled: CompileResult): StageSpec<PtauInfo> {
  const { trust, paths } = run;
  const hashCache = paths.get({ kind: "ptauHashes" });
  return {
    stage: "ptau",
    title: trust.ptau ? `checking ${trust.ptau}` : `fetching the published ceremony file for 2^${Math.max(size.power, 8)}${trust.ptauBaseUrl ? ` from ${trust.ptauBaseUrl}` : ""}`,
    run: async (progress) => ({
      result: await givenPtau({
        trust,
        power: size.power,
        needs: size.gates === undefined ? `${compiled.constraints} constraints and ${size.nPublic} public signals` : `${size.gates} ${run.sys.protocol} gates`,
        system: run.sys.protocol,
        downloadDir: path.dirname(hashCache),
        hashCache,
        progress,
      }),
    }),
    summary: (p) => p.trust,
  };
}

/** A development powers of tau made on this machine, cached by power under build/ptau/. */
function devPtauStage(run: Run, power: number): StageSpec<PtauInfo> {
  const file = run.paths.get({ kind: "ptau", power });
  const info = developmentPtau(file, power);
  return {
    stage: "ptau",
    title: `generating a development powers of tau of 2^${power} on this machine`,
    reuse: () => (readablePtau(file, power) ? info : undefined),
    // its secrets are kept beside it (readable by this user only): Groth16 setups from it are then native, in seconds
    // (unless the caller shares its artifacts: Execution.keepPtauSecrets)
    run: async (progress) => {
      const keepSecrets = run.exec.keepPtauSecrets === false ? undefined : run.paths.get({ kind: "ptauSecrets", ptau: file });
      return { ...(await runStage("ptau", { file, power, keepSecrets }, { onProgress: progress })), result: info };
    },
    summary: () => `2^${power}, ${path.relative(run.opts.root, file)}`,
  };
}

export interface Keys {
  zkey: string;
  vkey: string;
  contributions: string[];
  beacon?: string;
}

/** Setup, keyed by the r1cs and the ptau it was made from; a requested contribution always makes a new one. */
export function setupStage(run: Run, id: string, compiled: CompileResult, ptau: PtauInfo): StageSpec<Keys> {
  const { paths, sys, trust } = run;
  const system = sys.protocol;
  const zkey = paths.get({ kind: "zkey", circuit: id, system });
  const vkey = paths.get({ kind: "vkey", circuit: id, system });
  const metaFile = paths.get({ kind: "setupMeta", circuit: id, system });
  const artifacts = sys.setupArtifacts.map((kind) => paths.get({ kind, circuit: id, system }));
  const ids = { ptauId: fileId(ptau.file), r1csId: fileId(compiled.r1cs) };
  return {
    stage: "setup",
    title: sys.ceremony ? `${system} key (phase 2${trust.contribute ? ": development contribution, yours, then a beacon" : ", one contribution"})` : `${system} key (universal: no ceremony of its own)`,
    reuse: () => {
      if (run.force || trust.contribute || !fs.existsSync(metaFile) || !artifacts.every((f) => fs.existsSync(f))) return undefined;
      const prev = JSON.parse(fs.readFileSync(metaFile, "utf8")) as SetupMeta;
      if (prev.ptauId !== ids.ptauId || prev.r1csId !== ids.r1csId) return undefined;
      checkZkey(zkey, system); // a damaged cached key gets a clear error, not a failed proof
      return { zkey, vkey, contributions: prev.contributions ?? [], beacon: prev.beacon };
    },
    run: async (progress) => {
      const devSecrets = ptau.origin === "development" ? paths.get({ kind: "ptauSecrets", ptau: ptau.file }) : undefined;
      const m = await runStage("setup", { system, prover: sys.prover, r1cs: compiled.r1cs, ptau: ptau.file, zkey, vkey, contribute: trust.contribute, devSecrets }, { onProgress: progress });
      writeFileAtomic(metaFile, JSON.stringify(setupMeta(ids, ptau, m.result), null, 1));
      return { ...m, result: { zkey, vkey, contributions: m.result.contributions, beacon: m.result.beacon } };
    },
    summary: (k) => (sys.ceremony ? `contributions: ${k.contributions.join("; ") || "none"}${k.beacon ? `; closed with beacon ${k.beacon}` : ""}` : "universal key"),
  };
}

export function verifierStage(run: Run, id: string, vkey: string): StageSpec<{ file: string; contract: string }> {
  const contract = contractNames(run.opts.model.name, run.sys.protocol, id).verifier;
  const file = run.paths.get({ kind: "verifierSol", contract });
  return {
    stage: "verifier",
    title: `rendering ${contract}`,
    run: async () => ({ result: exportVerifier(vkey, contract, file, (vk, name) => run.sys.renderVerifier(vk, name)) }),
    summary: () => path.relative(run.opts.root, file),
  };
}
