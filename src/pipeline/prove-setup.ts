/**
 * prove-model's setup stages: the powers of tau (named, fetched, or made here: src/setup/trust.ts), the run's
 * proof system's keys, cached by the r1cs and the ptau they were made from, and the Solidity verifier.
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { checkDigest, digestFile, FileDigest, readMeta, writeFileAtomic } from "../core/files";
import type { CompileResult } from "../backends/compiled";
import { contractNames, exportVerifier } from "../backends/solidity/verifier";
import { developmentPtau, fileId, givenPtau, namesPtau, PtauInfo, readablePtau, SetupMeta, setupMeta } from "../setup/trust";
import { checkZkey } from "../snark/zkey";
import { vkeyMatchesZkey } from "../systems/snarkjs";
import type { CircuitSize, Run } from "./options";
import type { ProofSystemImpl } from "../systems/system";
import { runStage } from "./runner";
import type { StageSpec } from "./stage";

/** The ptau the user's trust names, or a development one made here. */
export function ptauStage(run: Run, size: CircuitSize, compiled: CompileResult): StageSpec<PtauInfo> {
  return ptauStageFor(run, size.power, size.gates === undefined ? `${compiled.constraints} constraints and ${size.nPublic} public signals` : `${size.gates} ${run.sys.protocol} gates`);
}

/** The ptau of `power` (what needs it, for the refusal of a file too small): named, fetched, or made here. */
export function ptauStageFor(run: Run<ProofSystemImpl>, power: number, needs: string): StageSpec<PtauInfo> {
  return namesPtau(run.trust) ? givenPtauStage(run, power, needs) : devPtauStage(run, power);
}

function givenPtauStage(run: Run<ProofSystemImpl>, power: number, needs: string): StageSpec<PtauInfo> {
  const { trust, paths } = run;
  const hashCache = paths.get({ kind: "ptauHashes" });
  return {
    stage: "ptau",
    title: trust.ptau ? `checking ${trust.ptau}` : `fetching the published ceremony file for 2^${Math.max(power, 8)}${trust.ptauBaseUrl ? ` from ${trust.ptauBaseUrl}` : ""}`,
    run: async (progress) => ({
      result: await givenPtau({
        trust,
        power,
        needs,
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
function devPtauStage(run: Run<ProofSystemImpl>, power: number): StageSpec<PtauInfo> {
  const file = run.paths.get({ kind: "ptau", power });
  const info = developmentPtau(file, power);
  const record = run.paths.get({ kind: "ptauDigest", ptau: file });
  return {
    stage: "ptau",
    title: `generating a development powers of tau of 2^${power} on this machine`,
    // the file is reused only while its content is the one recorded when it was made (64 flipped bytes: made again)
    reuse: (stale) => {
      if (!readablePtau(file, power)) return undefined;
      const c = checkDigest(file, readMeta<FileDigest>(record));
      if (!c.ok) return void stale(c.why);
      if (c.rehashed) writeFileAtomic(record, JSON.stringify(c.digest));
      return info;
    },
    // its secrets are kept beside it (readable by this user only): Groth16 setups from it are then native, in seconds
    // (unless the caller shares its artifacts: Execution.keepPtauSecrets)
    run: async (progress) => {
      const keepSecrets = run.exec.keepPtauSecrets === false ? undefined : run.paths.get({ kind: "ptauSecrets", ptau: file });
      return { ...(await runStage("ptau", { file, power, keepSecrets, record }, { onProgress: progress })), result: info };
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
    reuse: async (stale) => {
      if (run.force || trust.contribute || !artifacts.every((f) => fs.existsSync(f))) return undefined;
      const prev = readMeta<SetupMeta>(metaFile);
      if (!prev) return undefined;
      // a ceremony file the user named cannot be made again here: one whose content changed since the key was made
      // from it is refused (its BLAKE2b, as checked in the ptau stage, against the one recorded then)
      if (ptau.blake2b && prev.ptauBlake2b && prev.ptau === ptau.file && prev.ptauBlake2b !== ptau.blake2b)
        throw new ZkmlError("ARTIFACT_CHANGED", `changed since the key was made from it (BLAKE2b-512 ${prev.ptauBlake2b.slice(0, 16)}... then, ${ptau.blake2b.slice(0, 16)}... now)`, {
          file: ptau.file,
          hint: `restore the file the key was made from, or set the circuit up again from this one with --force (check where it came from first: npx hardhat ptau --check ${ptau.file})`,
        });
      if (prev.ptauId !== ids.ptauId || prev.r1csId !== ids.r1csId) return undefined;
      const r1csSha = compiled.digests?.r1cs?.sha256;
      if (!r1csSha || prev.digests?.r1cs !== r1csSha) return void stale(`the key was not made from ${compiled.r1cs} as it is now`);
      const digests = { ...prev.digests };
      for (const [k, file] of [["zkey", zkey], ["vkey", vkey]] as const) {
        const c = checkDigest(file, prev.digests?.[k]);
        if (!c.ok) return void stale(c.why);
        digests[k] = c.digest;
      }
      checkZkey(zkey, system); // a damaged cached key gets a clear error, not a failed proof
      // the verification key is the key's own: exported from the zkey again and compared
      if (!(await vkeyMatchesZkey(zkey, vkey))) return void stale(`${vkey} is not the verification key of ${zkey}`);
      if (JSON.stringify(digests) !== JSON.stringify(prev.digests)) writeFileAtomic(metaFile, JSON.stringify({ ...prev, digests }, null, 1));
      return { zkey, vkey, contributions: prev.contributions ?? [], beacon: prev.beacon };
    },
    run: async (progress) => {
      const devSecrets = ptau.origin === "development" ? paths.get({ kind: "ptauSecrets", ptau: ptau.file }) : undefined;
      fs.rmSync(metaFile, { force: true }); // no record of an older key survives a setup cut off halfway
      const m = await runStage("setup", { system, prover: sys.prover, r1cs: compiled.r1cs, ptau: ptau.file, zkey, vkey, contribute: trust.contribute, devSecrets }, { onProgress: progress });
      const digests = { r1cs: compiled.digests?.r1cs?.sha256, zkey: digestFile(zkey), vkey: digestFile(vkey) };
      writeFileAtomic(metaFile, JSON.stringify({ ...setupMeta(ids, ptau, m.result), digests }, null, 1));
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
