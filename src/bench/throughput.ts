/**
 * Proof throughput through the queue: for a model under one or more statements, how many proofs (and inferences)
 * a minute N workers on this machine finish, measured end to end (jobs submitted to a Redis, workers proving them
 * with the prove-model pipeline, each result written and checked), and what that means for one AI Arena round.
 *
 * Each case starts from an empty queue with its workers already waiting: the clock runs from the submission of
 * `jobs` jobs of fresh random inputs (never proved before, so nothing is found in the cache) until the last one is
 * done; the circuit and its keys are built beforehand, as a worker finds them in a running deployment.
 *
 * Data only: src/report/throughput.ts renders it. Free of Hardhat: the workers are started by a callback the task
 * supplies (it runs `npx hardhat prove-worker`, the command users run).
 */
import type { ProofSystem } from "../core/paths";
import { ZkmlError } from "../core/errors";
import { CircuitOptions, resolveCircuit } from "../pipeline/circuit";
import { proveModel } from "../pipeline/prove";
import { resolveModel } from "../model/zoo";
import type { ModelFile } from "../model/format";
import { clearQueue, queueStatus, RedisTarget, submitJobs, collectResults } from "../queue/queue";
import { JobSpec } from "../queue/jobs";
import { batchOf } from "../statement/visibility";
import { GAS_SENDER } from "../evm/compare";
import { BenchMachine, machineInfo } from "./harness";
import { median } from "./stats";

export const THROUGHPUT_FORMAT = "zkml-throughput/1";

/**
 * One AI Arena round as paper0's summary describes it: over 20,000 inferences of the players' models, and a round
 * of about 3 minutes (the issue this benchmark answers). The projection asks how many machines like this one,
 * each running the measured number of workers, prove a round within the round.
 */
export const ARENA_ROUND = { inferences: 20_000, seconds: 180 };

export interface ThroughputCase {
  /** "default" or the batch: "batch 16" */
  statement: string;
  circuit: string;
  batch: number;
  workers: number;
  jobs: number;
  /** submission of the first job to the end of the last */
  seconds: number;
  proofsPerMinute: number;
  inferencesPerMinute: number;
  /** the median of the jobs' own prove stage (the rest of a job: witness, verify, process starts, Redis) */
  medianProveSeconds: number | null;
  medianJobSeconds: number;
  /** every result's proof verified and its public signals matched the reference interpreter */
  allVerified: boolean;
}

export interface ArenaProjection {
  statement: string;
  workers: number;
  inferencesPerMinute: number;
  /** a round's inferences on one machine like this, at the measured rate */
  roundSecondsOneMachine: number;
  /** machines like this (each with `workers` workers) to prove a round within the round */
  machines: number;
}

export interface ThroughputRun {
  format: typeof THROUGHPUT_FORMAT;
  started: string;
  machine: BenchMachine;
  model: string;
  cases: ThroughputCase[];
  /** per statement, at its best measured worker count */
  projection: ArenaProjection[];
}

/** A running worker process; stop() ends it (SIGTERM: it finishes the job in hand) and resolves when it has exited. */
export interface WorkerHandle {
  stop: () => Promise<void>;
}

/** One statement the benchmark measures: its label, proof system and options. */
export interface ThroughputStatement {
  label: string;
  system?: ProofSystem;
  options: CircuitOptions;
}

export interface ThroughputOptions {
  root: string;
  model: string;
  /** the statements to measure, each with a label and its proof system (default groth16) */
  circuits: ThroughputStatement[];
  workers: number[];
  /** jobs per case */
  jobs: number;
  redis: RedisTarget;
  /** start one worker on `redis`; resolves once it waits for jobs */
  startWorker: (redis: RedisTarget) => Promise<WorkerHandle>;
  log?: (line: string) => void;
  /** random source for the inputs (tests pass a seeded one) */
  random?: () => number;
}

export async function measureThroughput(opts: ThroughputOptions): Promise<ThroughputRun> {
  const log = opts.log ?? (() => undefined);
  if (!(opts.jobs >= 1) || opts.workers.some((w) => !(w >= 1))) throw new ZkmlError("OPTION_INVALID", "--jobs and --workers: expected whole numbers >= 1", { hint: "e.g. --jobs 24 --workers 1,2" });
  const model = resolveModel(opts.model);
  const run: ThroughputRun = { format: THROUGHPUT_FORMAT, started: new Date().toISOString(), machine: machineInfo(), model: model.name, cases: [], projection: [] };
  for (const c of opts.circuits) {
    log(`${c.label}: building the circuit and its keys (once; cached afterwards)`);
    await proveModel({ root: opts.root, model, system: c.system, circuit: c.options, context: contextFor(c.options) });
    for (const w of opts.workers) {
      log(`${c.label}: ${opts.jobs} jobs, ${w} worker(s)`);
      run.cases.push(await measureCase(opts, model, c, w));
      const m = run.cases[run.cases.length - 1];
      log(`${c.label}, ${w} worker(s): ${m.proofsPerMinute.toFixed(1)} proofs a minute (${m.inferencesPerMinute.toFixed(1)} inferences) over ${m.seconds.toFixed(1)} s`);
    }
  }
  run.projection = arenaProjection(run.cases);
  return run;
}

/** A bound statement's (the default's) proofs here are never submitted: they are bound to the account gas is
 * measured from (Hardhat's first default account), as compare-gas binds its own. */
const contextFor = (c: CircuitOptions): bigint | undefined => (c.visibility.context === "sender" ? GAS_SENDER : undefined);

async function measureCase(opts: ThroughputOptions, model: ModelFile, c: ThroughputStatement, workers: number): Promise<ThroughputCase> {
  const batch = batchOf(c.options.visibility);
  const circuit = resolveCircuit(model, c.options);
  const random = opts.random ?? Math.random;
  const [lo, hi] = model.input.range;
  const size = model.input.shape.reduce((a, b) => a * b, 1);
  const input = () => Array.from({ length: size }, () => lo + Math.round(random() * 1000) * ((hi - lo) / 1000));
  const specs = [...Array(opts.jobs)].map(() => ({
    circuitId: circuit.id,
    spec: { model: opts.model, system: c.system ?? "groth16", visibility: c.options.visibility, backend: c.options.backend, scaleBits: c.options.quant.scaleBits, saturate: c.options.quant.saturate, inputs: [...Array(batch)].map(input), context: contextFor(c.options)?.toString() } as JobSpec,
  }));
  await clearQueue(opts.redis);
  const handles: WorkerHandle[] = [];
  try {
    for (let i = 0; i < workers; i++) handles.push(await opts.startWorker(opts.redis));
    const t0 = Date.now();
    const submitted = await submitJobs(opts.redis, specs);
    const ids = new Set(submitted.map((s) => s.id));
    for (;;) {
      const s = await queueStatus(opts.redis);
      if (s.failed > 0) throw new ZkmlError("BENCH_INVALID", `${c.label}: ${s.failed} job(s) failed: ${s.failures[0]?.error}`, { hint: "run prove-model on the model to see the failing stage" });
      if (s.done >= ids.size) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - t0) / 1000;
    const results = (await collectResults(opts.redis, opts.root)).filter((r) => ids.has(r.job));
    const prove = results.map((r) => r.proveSeconds).filter((x): x is number => x !== null);
    return {
      statement: c.label,
      circuit: circuit.id,
      batch,
      workers,
      jobs: opts.jobs,
      seconds,
      proofsPerMinute: (opts.jobs / seconds) * 60,
      inferencesPerMinute: ((opts.jobs * batch) / seconds) * 60,
      medianProveSeconds: prove.length ? median(prove) : null,
      medianJobSeconds: median(results.map((r) => r.totalSeconds)),
      allVerified: results.length === opts.jobs && results.every((r) => r.verified && r.matchesReference),
    };
  } finally {
    await Promise.all(handles.map((h) => h.stop()));
  }
}

/** Per statement, the best measured rate: the round's length on one machine, and the machines for a round in a round. */
export function arenaProjection(cases: ThroughputCase[], round = ARENA_ROUND): ArenaProjection[] {
  const best = new Map<string, ThroughputCase>();
  for (const c of cases) if (!best.has(c.statement) || c.inferencesPerMinute > best.get(c.statement)!.inferencesPerMinute) best.set(c.statement, c);
  return [...best.values()].map((c) => {
    const roundSecondsOneMachine = (round.inferences / c.inferencesPerMinute) * 60;
    return { statement: c.statement, workers: c.workers, inferencesPerMinute: c.inferencesPerMinute, roundSecondsOneMachine, machines: Math.ceil(roundSecondsOneMachine / round.seconds) };
  });
}
