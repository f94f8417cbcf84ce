/**
 * The benchmark harness: paper0's suites (or any models) through the whole pipeline, one measured child process per
 * stage, results appended to one JSON file.
 *
 * Every stage the bench records (render, compile, setup, witness, prove, verify; and the powers of tau when one had
 * to be generated) runs in a process of its own (src/pipeline/runner.ts), so its wall seconds and peak resident memory are that
 * process's own: the child's VmHWM (src/pipeline/worker.ts), not a sample of this process. Nothing is estimated: a network that
 * does not fit is recorded as skipped, with the reason (over --max-constraints by the exact constraint formula, or
 * the stage that ran out of memory and what it printed). Results are appended as they come, so a run that stops
 * can be resumed: entries already measured (by model, system, weights and repeat) are not run again.
 *
 * Data only: the reports (markdown, HTML) are src/report/bench.ts. Free of Hardhat: verification gas comes through
 * a callback the task supplies (an in-process EVM).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { constraintCount } from "../statement/cost";
import { ZkmlError } from "../core/errors";
import { readJsonFile, writeFileAtomic } from "../core/files";
import { countMacs } from "../ir/ir";
import { countParams } from "../model/format";
import { Paths, ProofSystem } from "../core/paths";
import { proveModel, StageReport } from "../pipeline/prove";
import { systemFor } from "../systems/registry";
import type { Prover } from "../systems/system";
import { OPEN_VISIBILITY, Visibility } from "../statement/visibility";
import { builtinModels, paper0Networks, resolveModel } from "../model/zoo";
import { quantizeFor } from "../quantize/quantize";

export const BENCH_FORMAT = "zkml-bench/1";
export const BENCH_STAGES = ["render", "compile", "ptau", "setup", "witness", "prove", "verify"] as const;
export type BenchStage = (typeof BENCH_STAGES)[number];
export type BenchWeights = "fixed" | "hashed" | "private";
export const BENCH_WEIGHTS: readonly BenchWeights[] = ["fixed", "hashed", "private"];
export type BenchSuite = "parameter" | "depth" | "zoo" | "models";

export interface StageMeasure {
  seconds: number;
  /** peak resident memory of the stage's own process, MB */
  peakMB: number | null;
  /** the stage's output was already there (only the powers of tau, which every circuit of a size shares) */
  cached: boolean;
}

export interface BenchEntry {
  key: string;
  model: string;
  suite: BenchSuite;
  /** weights (the number in paper0's parameter-suite names) and parameters with biases */
  macs: number;
  params: number;
  /** dense or conv layers */
  layers: number;
  system: ProofSystem;
  /** who proved (absent in entries from before the native prover: snarkjs) */
  prover?: Prover;
  weights: BenchWeights;
  /** "private": the input committed in the proof (an IR system's statement; absent: public) */
  input?: "private";
  /** proved with --zk (the sumcheck system's zero-knowledge proofs; absent: its sound, not zero-knowledge ones) */
  zeroKnowledge?: true;
  /** proved with --pcs kzg (the sumcheck system's KZG commitments; absent: Hyrax) */
  pcs?: "kzg";
  repeat: number;
  status: "ok" | "skipped";
  reason?: string;
  /** why skipped: over --max-constraints (a later run with a higher limit tries again) or out of memory */
  skip?: "constraints" | "memory";
  backend?: string;
  constraints?: number;
  wires?: number;
  publicSignals?: number;
  ptauPower?: number;
  proofBytes?: number;
  verified?: boolean;
  matchesReference?: boolean;
  /** verifyProof's gas; `lowerBound`: not run, `gas` is the least it can cost (past the measuring chain's limit);
   * `parts`: the exact parts of it (an IR system's: 21,000 and the calldata, the openings' precompile calls) */
  verifyGas?: { gas: number; deployGas: number; runtimeBytes: number; flags: string[]; lowerBound?: true; parts?: { baseAndCalldataGas: number; precompileGas: number } };
  stages?: Partial<Record<BenchStage, StageMeasure>>;
  /** an IR system's prover phases as it measured them (wall and CPU ms, all threads) */
  phases?: { phase: string; wallMs: number; cpuMs: number }[];
  /** seconds of the whole entry, wall clock, in the parent */
  totalSeconds?: number;
  finished: string;
}

export interface BenchMachine {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  platform: string;
  hostname: string;
}

export interface BenchRun {
  started: string;
  machine: BenchMachine;
  tools: Record<string, string>;
  options: { suite: string; systems: ProofSystem[]; weights: BenchWeights; input?: "private"; zeroKnowledge?: true; pcs?: "kzg"; maxConstraints: number; repeat: number; prover?: Prover };
  entries: BenchEntry[];
}

export interface BenchFile {
  format: typeof BENCH_FORMAT;
  runs: BenchRun[];
}

export interface BenchOptions {
  root: string;
  /** parameter | depth | zoo | a comma-separated list of models (built-in names, paper0/<net>, paths) */
  suite: string;
  systems: ProofSystem[];
  weights: BenchWeights;
  /** "private": the input committed in each proof (the sumcheck system; default public) */
  input?: "private";
  /** every proof with --zk (the sumcheck system in zero knowledge) */
  zeroKnowledge?: boolean;
  /** every sumcheck proof with --pcs kzg */
  pcs?: "kzg";
  maxConstraints: number;
  repeat: number;
  /** Groth16's prover (default native; PLONK and FFLONK always snarkjs) */
  prover?: Prover;
  /** results.json goes here (and the reports, written by the task) */
  out: string;
  /** measure again what the results file already holds */
  force?: boolean;
  log?: (line: string) => void;
  /** verification gas of a proof, measured by the caller (the task runs an in-process EVM) */
  measureVerifyGas?: (system: ProofSystem, verifierSol: string, contract: string, proofFile: string, publicFile: string) => Promise<BenchEntry["verifyGas"]>;
  /** the same for an IR system's proof, from prove-model's files (undefined: no Solidity verifier for this statement) */
  measureIrVerifyGas?: (system: ProofSystem, files: { ir: string; proof: string; public: string; commitment?: string; ptau?: string }, name: string) => Promise<BenchEntry["verifyGas"]>;
}

export const DEFAULT_MAX_CONSTRAINTS = 4_000_000;

/** The models of a suite, in the order paper0 charts them. */
export function suiteModels(suite: string): { ref: string; suite: BenchSuite }[] {
  if (suite === "parameter" || suite === "depth") return paper0Networks().filter((n) => n.suite === suite).map((n) => ({ ref: `paper0/${n.net.name}`, suite }));
  if (suite === "zoo") return builtinModels().filter((m) => !m.startsWith("paper0/")).map((ref) => ({ ref, suite: "zoo" as const }));
  const refs = suite.split(",").map((s) => s.trim()).filter(Boolean);
  if (refs.length === 0) throw new ZkmlError("OPTION_INVALID", `--suite: expected parameter, depth, zoo or a comma-separated list of models, got "${suite}"`, { hint: "e.g. --suite depth, or --suite lenet5,paper0/FC_3_layers" });
  const known = new Map(paper0Networks().map((n) => [`paper0/${n.net.name}`, n.suite as BenchSuite]));
  return refs.map((ref) => ({ ref, suite: known.get(ref) ?? "models" }));
}

export function machineInfo(): BenchMachine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    hostname: os.hostname(),
  };
}

/** Versions of the tools that do the work, read from their installed package.json files. */
export function toolVersions(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pkg of ["snarkjs", "circom2", "circomlib", "hardhat", "solc", "ffjavascript"]) {
    try {
      out[pkg] = (JSON.parse(fs.readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      out[pkg] = "not installed";
    }
  }
  try {
    out["zkml-hardhat"] = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    /* a bench outside the project */
  }
  try {
    // the commit measured (with "+" when src/ has changes not committed): runs of one results file may differ
    const git = (args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
    out["zkml-hardhat commit"] = git(["rev-parse", "--short", "HEAD"]) + (git(["status", "--porcelain", "--", "src"]) ? "+" : "");
  } catch {
    /* not a git checkout */
  }
  return out;
}

export function resultsFile(out: string): string {
  return path.join(out, "results.json");
}

export function readBenchFile(file: string): BenchFile {
  if (!fs.existsSync(file)) return { format: BENCH_FORMAT, runs: [] };
  const data = readJsonFile(file, "BENCH_INVALID", "run the bench first") as BenchFile;
  if (data?.format !== BENCH_FORMAT || !Array.isArray(data.runs))
    throw new ZkmlError("BENCH_INVALID", `format: expected ${BENCH_FORMAT} with a runs array, got ${JSON.stringify(data?.format)}`, {
      file,
      hint: "point --out at another folder, or move this file away",
    });
  return data;
}

/**
 * The current measurements: the newest entry of each key, over every run in the file, except those made by
 * another prover than the newest entry of their (model, system, weights): a network measured again with the native
 * prover supersedes all of its snarkjs measurements, whatever their repeat, while repeats of one prover (a resumed
 * run's) still add up.
 */
export function latestEntries(data: BenchFile): BenchEntry[] {
  const m = new Map<string, BenchEntry>();
  const prover = new Map<string, string>();
  const group = (e: BenchEntry) => `${e.model}|${e.system}|${e.weights}|${e.input ?? "public"}${e.zeroKnowledge ? "|zk" : ""}${e.pcs ? `|${e.pcs}` : ""}`;
  for (const r of data.runs)
    for (const e of r.entries) {
      m.set(e.key, e);
      prover.set(group(e), e.prover ?? "snarkjs");
    }
  return [...m.values()].filter((e) => (e.prover ?? "snarkjs") === prover.get(group(e)));
}

export function entryKey(model: string, system: ProofSystem, weights: BenchWeights, repeat: number, input?: "private", zeroKnowledge?: boolean, pcs?: "kzg"): string {
  return `${model}|${system}|${weights}|${repeat}${input ? `|input-${input}` : ""}${zeroKnowledge ? "|zk" : ""}${pcs ? `|${pcs}` : ""}`;
}

/** Out of memory, in the words a dying child leaves (V8, the kernel's SIGKILL, WebAssembly). */
function outOfMemory(e: unknown): boolean {
  const m = (e as Error)?.message ?? "";
  return /out of memory|heap|SIGKILL|ENOMEM|Cannot allocate|RangeError: (Array buffer|WebAssembly)/i.test(m);
}

/**
 * Run the benchmark: for every model of the suite, system and repeat, measure or skip with a reason, appending
 * each entry to results.json as soon as it is known. Returns the run.
 */
export async function runBench(opts: BenchOptions): Promise<BenchRun> {
  const log = opts.log ?? (() => undefined);
  if (!Number.isInteger(opts.repeat) || opts.repeat < 1) throw new ZkmlError("OPTION_INVALID", `--repeat: expected a whole number >= 1, got ${opts.repeat}`, { hint: "e.g. --repeat 3" });
  if (!Number.isInteger(opts.maxConstraints) || opts.maxConstraints < 1)
    throw new ZkmlError("OPTION_INVALID", `--max-constraints: expected a whole number >= 1, got ${opts.maxConstraints}`, { hint: `e.g. --max-constraints ${DEFAULT_MAX_CONSTRAINTS}` });
  const models = suiteModels(opts.suite);
  const file = resultsFile(opts.out);
  fs.mkdirSync(opts.out, { recursive: true });
  const data = readBenchFile(file);
  // resumed: what was measured, and what ran out of memory; a network skipped for --max-constraints is weighed again
  const done = new Set(latestEntries(data).filter((e) => e.status === "ok" || e.skip === "memory").map((e) => e.key));
  const run: BenchRun = {
    started: new Date().toISOString(),
    machine: machineInfo(),
    tools: toolVersions(opts.root),
    options: { suite: opts.suite, systems: opts.systems, weights: opts.weights, ...(opts.input ? { input: opts.input } : {}), ...(opts.zeroKnowledge ? { zeroKnowledge: true as const } : {}), ...(opts.pcs ? { pcs: opts.pcs } : {}), maxConstraints: opts.maxConstraints, repeat: opts.repeat, prover: opts.prover },
    entries: [],
  };
  data.runs.push(run);
  const save = () => writeFileAtomic(file, JSON.stringify(data, null, 1) + "\n");
  save();
  const vis: Visibility = { ...OPEN_VISIBILITY, weights: opts.weights, ...(opts.input ? { input: opts.input } : {}) };
  const total = models.length * opts.systems.length * opts.repeat;
  let n = 0;
  for (const { ref, suite } of models) {
    for (const system of opts.systems) {
      for (let repeat = 1; repeat <= opts.repeat; repeat++) {
        n++;
        // --pcs applies to the IR systems only: a circuit system's entries are its own
        const pcs = systemFor({ system }).form === "ir" ? opts.pcs : undefined;
        const key = entryKey(ref, system, opts.weights, repeat, opts.input, opts.zeroKnowledge, pcs);
        const tag = `[${n}/${total}] ${ref} ${system} weights ${opts.weights}${opts.input ? `, input ${opts.input}` : ""}${opts.zeroKnowledge ? ", zero knowledge" : ""}${pcs ? `, ${pcs} commitments` : ""}${opts.repeat > 1 ? ` #${repeat}` : ""}`;
        if (done.has(key) && !opts.force) {
          log(`${tag}: already in ${path.relative(opts.root, file) || file} (resumed; --force measures again)`);
          continue;
        }
        const t0 = Date.now();
        const model = resolveModel(ref);
        const q = quantizeFor(model);
        const base = {
          key,
          model: ref,
          suite,
          macs: countMacs(q),
          params: countParams(model),
          layers: q.ops.filter((o) => o.op === "dense" || o.op === "conv2d").length,
          system,
          prover: systemFor({ system, prover: opts.prover }).prover,
          weights: opts.weights,
          ...(opts.input ? { input: opts.input } : {}),
          ...(opts.zeroKnowledge ? { zeroKnowledge: true as const } : {}),
          ...(pcs ? { pcs } : {}),
          repeat,
        };
        const sys = systemFor({ system, prover: opts.prover });
        // an IR system has no constraints: the limit is a circuit system's
        const predicted = sys.form === "r1cs" ? constraintCount(q, vis).total : 0;
        let entry: BenchEntry;
        if (predicted > opts.maxConstraints) {
          entry = { ...base, status: "skipped", skip: "constraints", constraints: predicted, reason: `${predicted.toLocaleString("en-US")} constraints, over --max-constraints ${opts.maxConstraints.toLocaleString("en-US")}`, finished: new Date().toISOString() };
          log(`${tag}: skipped (${entry.reason})`);
        } else {
          log(`${tag}: ${sys.form === "r1cs" ? `${predicted.toLocaleString("en-US")} constraints` : "proved from the IR"}`);
          // the verifier prove-model exports goes to contracts/generated/, which Hardhat compiles on every task: a
          // benchmark leaves none there that was not there before (paper0's 1,784-signal verifiers exhaust solcjs)
          const generatedBefore = generatedContracts(opts.root);
          try {
            const r = await proveModel({ root: opts.root, model, system, prover: opts.prover, circuit: { visibility: vis, backend: "auto" }, zeroKnowledge: opts.zeroKnowledge, ...(pcs ? { pcs } : {}), execution: { quantized: q, force: true, renderInChild: { modelRef: ref } }, observe: { log: (m) => log(`  ${m}`) } });
            const stages: Partial<Record<BenchStage, StageMeasure>> = {};
            for (const s of r.stages as StageReport[]) if ((BENCH_STAGES as readonly string[]).includes(s.stage)) stages[s.stage as BenchStage] = { seconds: s.seconds, peakMB: s.peakMB, cached: s.cached };
            const measured = { ...base, status: "ok" as const, proofBytes: r.proofBytes, verified: r.verified, matchesReference: r.matchesReference, stages, finished: "" };
            if (r.form === "r1cs") {
              entry = { ...measured, backend: r.backend.name, constraints: r.circuit.constraints, wires: r.circuit.wires, publicSignals: r.circuit.publicSignals, ptauPower: r.circuit.ptauPower };
              if (opts.measureVerifyGas) entry.verifyGas = await opts.measureVerifyGas(system, r.files.verifier, r.files.verifierContract, r.files.proof, r.files.public);
            } else {
              entry = { ...measured, backend: "ir", publicSignals: r.publicLayout.input + r.publicLayout.output, phases: r.phases };
              if (opts.measureIrVerifyGas) entry.verifyGas = await opts.measureIrVerifyGas(system, r.files, ref);
            }
          } catch (e) {
            if (!outOfMemory(e)) throw e;
            const msg = ((e as Error).message ?? "").split("\n").slice(0, 3).join(" / ");
            entry = { ...base, status: "skipped", skip: "memory", constraints: predicted, reason: `out of memory: ${msg}`, finished: "" };
            log(`${tag}: skipped (${entry.reason})`);
          } finally {
            for (const f of generatedContracts(opts.root)) if (!generatedBefore.has(f)) fs.rmSync(f, { force: true });
          }
          entry.totalSeconds = (Date.now() - t0) / 1000;
          entry.finished = new Date().toISOString();
          if (entry.status === "ok")
            log(`${tag}: prove ${entry.stages?.prove?.seconds.toFixed(1)} s, ${entry.stages?.prove?.peakMB?.toFixed(0)} MB; total ${entry.totalSeconds.toFixed(0)} s`);
        }
        run.entries.push(entry);
        save();
      }
    }
  }
  return run;
}

/** The contracts in contracts/generated/ now (prove-model writes its verifier there). */
function generatedContracts(root: string): Set<string> {
  const dir = path.dirname(new Paths(root).get({ kind: "verifierSol", contract: "_" }));
  return new Set(fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : []);
}
