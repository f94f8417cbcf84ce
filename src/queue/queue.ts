/**
 * The proof queue on BullMQ and Redis: submit jobs, report their state, collect results, and run a worker that
 * proves them with the prove-model pipeline. Any number of workers on any number of machines share one Redis and
 * one artifact store (the project folder, or a shared folder mounted at the same place): the circuits, keys and
 * results live there, Redis only orders the work.
 *
 * Guarantees: a job's id is its circuit and input (jobs.ts), so submitting it again returns the existing job; a
 * job that fails three times (an input error: once) is kept, failed, with its error, and the rest go on; every
 * result is also written to disk, so a Redis that restarts without persistence loses no finished proof. A worker
 * that dies mid-proof stops renewing its job's lock; another worker's stalled-job check (every 30 s) finds the
 * job without a lock and runs it again: about a minute from the death (ZKML_QUEUE_LOCK_MS shortens both: the
 * test that kills one, test/queue.test.ts, takes its job over within seconds).
 */
import * as fs from "fs";
import type { Job, Queue as BullQueue } from "bullmq";
import { isZkmlError, ZkmlError } from "../core/errors";
import { readJsonFile, writeFileAtomic } from "../core/files";
import { Paths } from "../core/paths";
import { batchOf } from "../statement/visibility";
import { parseContext } from "../statement/statement";
import type { QModel } from "../ir/ir";
import type { ModelFile } from "../model/format";
import { resolveModel } from "../model/zoo";
import { quantizeFor, type QuantChoice } from "../quantize/quantize";
import { circuitSystemFor, systemFor } from "../systems/registry";
import type { CircuitOptions } from "../pipeline/circuit";
import type { ProveReport } from "../pipeline/report";
import { jobIdFor, JobResult, JobSpec, QueueStatus } from "./jobs";
import { QueueProgress, queueProgress, QueueSample, RATE_WINDOW_MS } from "./progress";

/* eslint-disable @typescript-eslint/no-require-imports */

export const QUEUE_NAME = "zkml-proofs";
/** Attempts before a job is kept as failed. */
export const ATTEMPTS = 3;

export interface RedisTarget {
  url: string;
}

/** BullMQ's connection options from a redis:// URL. */
function connectionOf(url: string): { host: string; port: number; username?: string; password?: string; db?: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ZkmlError("OPTION_INVALID", `REDIS_URL: expected redis://host:port, got ${JSON.stringify(url)}`, { hint: "e.g. REDIS_URL=redis://127.0.0.1:6379" });
  }
  if (u.protocol !== "redis:") throw new ZkmlError("OPTION_INVALID", `REDIS_URL: expected a redis:// URL, got ${JSON.stringify(url)}`, { hint: "e.g. REDIS_URL=redis://127.0.0.1:6379" });
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return { host: u.hostname, port: Number(u.port || 6379), username: u.username || undefined, password: u.password || undefined, db };
}

/** How long one Redis command may go unanswered before the queue gives up on the server, naming it. */
export const REDIS_TIMEOUT_MS = 10_000;

/** `p`, or a rejection saying nothing answered within `ms` (the timer never keeps the process alive). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s (something accepts connections there but does not reply as Redis)`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Fail within seconds, naming the URL, when Redis cannot be reached or does not answer (BullMQ itself would wait forever). */
export async function checkRedis(t: RedisTarget, timeoutMs = 3000): Promise<void> {
  const Redis = require("ioredis");
  const client = new Redis({ ...connectionOf(t.url), lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on("error", () => undefined);
  try {
    // a server that accepts the connection and never replies: the ready check or the ping waits for ever
    await within(
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      timeoutMs,
    );
  } catch (e) {
    throw new ZkmlError("QUEUE_UNREACHABLE", `Redis at ${t.url}: cannot connect (${String((e as Error)?.message ?? e).split("\n")[0]})`, {
      cause: e,
      hint: "start one (redis-server), or point REDIS_URL (or --redis) at yours",
    });
  } finally {
    client.disconnect();
  }
}

async function openQueue(t: RedisTarget): Promise<BullQueue> {
  await checkRedis(t);
  const { Queue } = require("bullmq");
  // every command of a queue (not a worker's blocking waits) has a deadline: a Redis that stops answering is an error
  const q: BullQueue = new Queue(QUEUE_NAME, { connection: { ...connectionOf(t.url), commandTimeout: REDIS_TIMEOUT_MS, maxRetriesPerRequest: 1 } });
  q.on("error", () => undefined); // reported by the command that fails
  return q;
}

/** A queue command's failure as a ZkmlError naming the server (a timeout, a refused or dropped connection). */
function redisFailed(t: RedisTarget, e: unknown): unknown {
  if (isZkmlError(e)) return e;
  const m = String((e as Error)?.message ?? e);
  if (!/timed? ?out|ECONNREFUSED|ECONNRESET|EPIPE|Connection is closed|max retries|Stream isn't writeable/i.test(m)) return e;
  return new ZkmlError("QUEUE_UNREACHABLE", `Redis at ${t.url}: ${m.split("\n")[0]}`, { cause: e, hint: "check that the server is up and is Redis (redis-cli -u <url> ping), then run again" });
}

/** Close a queue without waiting on a server that may be gone. */
async function closeQueue(q: BullQueue): Promise<void> {
  await within(q.close(), 2000).catch(() => q.disconnect().catch(() => undefined));
}

/** Enqueue each spec under its id; one already known (waiting, running, done or failed) is not added again. */
export async function submitJobs(t: RedisTarget, specs: { spec: JobSpec; circuitId: string }[]): Promise<{ id: string; added: boolean }[]> {
  const q = await openQueue(t);
  try {
    const out: { id: string; added: boolean }[] = [];
    // a job is checked here, where prove-jobs submit can still say what to give, not when a worker fails it
    for (const { spec } of specs) contextOfJob(spec);
    for (const { spec, circuitId } of specs) {
      const id = jobIdFor(circuitId, spec);
      const existing = await q.getJob(id);
      if (!existing) await q.add("prove", spec, { jobId: id, attempts: ATTEMPTS, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: false, removeOnFail: false });
      out.push({ id, added: !existing });
    }
    return out;
  } catch (e) {
    throw redisFailed(t, e);
  } finally {
    await closeQueue(q);
  }
}

/** The context a job's proof is bound to: required by a bound statement (the default), refused without one. */
export function contextOfJob(spec: Pick<JobSpec, "visibility" | "context">): bigint | undefined {
  return parseContext(spec.context, spec.visibility, "--bind-to");
}

/** Remove every job, finished or not (the throughput benchmark starts each case from an empty queue). */
export async function clearQueue(t: RedisTarget): Promise<void> {
  const q = await openQueue(t);
  try {
    await q.obliterate({ force: true });
  } catch (e) {
    throw redisFailed(t, e);
  } finally {
    await closeQueue(q);
  }
}

export async function queueStatus(t: RedisTarget): Promise<QueueStatus> {
  const q = await openQueue(t);
  try {
    return await statusOf(q);
  } catch (e) {
    throw redisFailed(t, e);
  } finally {
    await closeQueue(q);
  }
}

async function statusOf(q: BullQueue): Promise<QueueStatus> {
  const c = await q.getJobCounts("waiting", "delayed", "prioritized", "active", "completed", "failed");
  const failed: Job[] = await q.getFailed(0, 100);
  return {
    // delayed: a failed attempt waiting out its backoff before the next
    waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
    active: c.active ?? 0,
    done: c.completed ?? 0,
    failed: c.failed ?? 0,
    failures: failed.map((j) => ({ id: j.id!, error: j.failedReason ?? "unknown" })),
  };
}

/**
 * Sample the status every `intervalMs` and hand each sample's progress to `show`, until nothing is waiting or
 * running (or `stop` resolves). Returns the last status.
 */
export async function watchQueue(t: RedisTarget, opts: { intervalMs: number; show: (p: QueueProgress, s: QueueStatus) => void; stop?: Promise<void> }): Promise<QueueStatus> {
  const q = await openQueue(t);
  let stopped = false;
  void opts.stop?.then(() => (stopped = true));
  const samples: QueueSample[] = [];
  try {
    for (;;) {
      const status = await statusOf(q);
      const at = Date.now();
      samples.push({ at, status });
      while (samples.length > 2 && at - samples[1].at > RATE_WINDOW_MS) samples.shift();
      const p = queueProgress(samples);
      opts.show(p, status);
      if (p.remaining === 0 || stopped) return status;
      await new Promise((r) => setTimeout(r, opts.intervalMs));
    }
  } catch (e) {
    throw redisFailed(t, e);
  } finally {
    await closeQueue(q);
  }
}

/** A finished job's result as its worker wrote it on disk (shared store), with an error saying what to do when it is not there. */
export function readJobResult(root: string, job: string): JobResult {
  const file = new Paths(root).get({ kind: "queueResult", job });
  if (!fs.existsSync(file))
    throw new ZkmlError("PROOF_INVALID", `job ${job}: no finished result here (looked for ${file})`, {
      hint: "npx hardhat prove-jobs status shows whether it is done; prove-jobs results --out <folder> collects finished ones from Redis",
    });
  return readJsonFile(file, "PROOF_INVALID", "the result file is damaged: delete it and submit the job again") as JobResult;
}

/** Every finished job's result, from disk (where workers write it) when this machine shares the store, else from Redis. */
export async function collectResults(t: RedisTarget, root: string): Promise<JobResult[]> {
  const q = await openQueue(t);
  const paths = new Paths(root);
  try {
    const done: Job[] = await q.getCompleted(0, -1);
    return done.map((j) => (fs.existsSync(paths.get({ kind: "queueResult", job: j.id! })) ? readJobResult(root, j.id!) : (j.returnvalue as JobResult)));
  } catch (e) {
    throw redisFailed(t, e);
  } finally {
    await closeQueue(q);
  }
}

/** Runs `fn` holding a named lock shared by every worker (Redis SET NX with an expiry, so a dead holder frees it). */
export type SetupLock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

const quantizedCache = new Map<string, QModel>();
/** The job's model quantized as its options say, once per model file version and options in this process. */
function quantizedFor(spec: JobSpec, model: ModelFile, quant: QuantChoice): QModel {
  const key = JSON.stringify([spec.model, fs.existsSync(spec.model) ? fs.statSync(spec.model).mtimeMs : 0, quant.scaleBits, quant.saturate]);
  let q = quantizedCache.get(key);
  if (!q) {
    q = quantizeFor(model, quant);
    quantizedCache.set(key, q);
  }
  return q;
}

/** Prove one job: the prove-model pipeline on its input (cached stages reused), the result written atomically. */
export async function proveJob(root: string, id: string, spec: JobSpec, log: (m: string) => void = () => undefined, lock?: SetupLock): Promise<JobResult> {
  const { proveModel } = await import("../pipeline/prove");
  const paths = new Paths(root);
  const inputFile = paths.get({ kind: "queueInput", job: id });
  // prove-model's input file: one input, or a batch's list
  writeFileAtomic(inputFile, JSON.stringify(batchOf(spec.visibility) === 1 ? { input: spec.inputs[0] } : { inputs: spec.inputs }));
  const model = resolveModel(spec.model);
  const circuit = { visibility: spec.visibility, backend: spec.backend, quant: { scaleBits: spec.scaleBits, saturate: spec.saturate } };
  // a worker proves many jobs of few models: each model is quantized once per process, and the light stages (the
  // witness, the verification) run here, where their start-up is paid once; the prover keeps its own process
  const quantized = quantizedFor(spec, model, circuit.quant);
  if (systemFor({ system: spec.system }).form === "ir") return proveIrJob(root, id, spec, { model, circuit, inputFile, quantized, log });
  // the artifact store is shared between machines: a development ptau made here keeps no secrets in it (anyone
  // reading them could forge proofs), and nothing of a ptau's secrets goes into the job's result
  const prove = () => proveModel({ root, model, system: circuitSystemFor({ system: spec.system }, "the proof queue").protocol, circuit, inputFile, context: contextOfJob(spec), execution: { quantized, inProcess: ["witness", "directWitness", "verify"], keepPtauSecrets: false }, observe: { log } });
  const { resolveCircuit, circuitFiles } = await import("../pipeline/circuit");
  const id0 = resolveCircuit(model, circuit, quantized).id;
  // the first job of a circuit builds it (compile, setup): one worker at a time, the others wait, then reuse it
  const built = fs.existsSync(circuitFiles(root, id0, spec.system).zkey);
  const r = built || !lock ? await prove() : await lock(`${id0}-${spec.system}`, prove);
  if (!r.verified) throw new ZkmlError("PROOF_INVALID", `job ${id}: the proof did not verify`, { hint: "the circuit's build may be damaged: prove-model --force" });
  return finishJob(root, id, r, { circuit: r.circuit.id, proof: JSON.parse(fs.readFileSync(r.files.proof, "utf8")), publicSignals: JSON.parse(fs.readFileSync(r.files.public, "utf8")) });
}

/** A verified job's result from its report and its system's proof and public values, written where collectResults
 * reads it (atomically) and returned. */
function finishJob(root: string, id: string, r: ProveReport, p: Pick<JobResult, "circuit" | "proof" | "publicSignals">): JobResult {
  const result: JobResult = {
    job: id,
    model: r.model,
    system: r.system,
    ...p,
    verified: r.verified,
    matchesReference: r.matchesReference,
    prediction: { class: r.prediction.class, labels: r.prediction.labels },
    proveSeconds: r.proveSeconds,
    totalSeconds: r.totalSeconds,
    worker: workerName(),
    finishedAt: new Date().toISOString(),
  };
  writeFileAtomic(new Paths(root).get({ kind: "queueResult", job: id }), JSON.stringify(result, null, 1) + "\n");
  return result;
}

/** A job of a system that proves the IR itself (sumcheck): no circuit to build and no setup to share, so no lock;
 * the prover and the native verifier run in the worker's process (their start-up would cost more than a batch's
 * proof; the TypeScript verifier's bigints would cost several times the proof: prove-model and verify-proof run it).
 * The result carries the proof's bytes (base64) and the public values file's content. */
async function proveIrJob(root: string, id: string, spec: JobSpec, a: { model: ModelFile; circuit: CircuitOptions; inputFile: string; quantized: QModel; log: (m: string) => void }): Promise<JobResult> {
  const { proveModel } = await import("../pipeline/prove");
  const r = await proveModel({ root, model: a.model, system: spec.system, circuit: a.circuit, inputFile: a.inputFile, execution: { quantized: a.quantized, inProcess: ["irProve", "irVerify"], irVerifiers: "native" }, observe: { log: a.log } });
  if (r.form !== "ir") throw new Error("an IR system's report has the IR form");
  if (!r.verified) throw new ZkmlError("PROOF_INVALID", `job ${id}: the proof did not verify`, { hint: "the model's files may be damaged: prove-model --force" });
  const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8")) as { output: string[] };
  return finishJob(root, id, r, { circuit: r.id, proof: { bytes: fs.readFileSync(r.files.proof).toString("base64"), public: pub }, publicSignals: pub.output });
}

/** Run a worker until `stop` resolves: `concurrency` jobs at a time, each proved by proveJob. */
export async function runWorker(t: RedisTarget, root: string, opts: { concurrency: number; log?: (m: string) => void; stop: Promise<void> }): Promise<void> {
  await checkRedis(t);
  const log = opts.log ?? (() => undefined);
  const lock = redisLock(t);
  const { Worker, UnrecoverableError } = require("bullmq");
  const prove = async (job: Job) => {
    try {
      return await proveJob(root, job.id!, job.data as JobSpec, (m) => log(`${job.id}: ${m}`), lock);
    } catch (e) {
      // a bad input fails the same way every time: no retry; anything else (a crash, a full disk) is retried
      if (isZkmlError(e) && /^INPUT_/.test(e.code)) throw new UnrecoverableError(`[${e.code}] ${e.message}`);
      throw isZkmlError(e) ? new Error(`[${e.code}] ${e.message}`) : e;
    }
  };
  const worker = new Worker(QUEUE_NAME, prove, {
    connection: connectionOf(t.url),
    // recorded on each job it takes (job.processedBy): which machine and process proved it
    name: workerName(),
    concurrency: opts.concurrency,
    // a worker that dies mid-proof stops renewing its lock: after lockDuration the job is stalled and re-run, found
    // by the next stalled-job check (every lockDuration as well)
    lockDuration: lockMs(),
    stalledInterval: lockMs(),
    maxStalledCount: 2,
  });
  worker.on("active", (job: Job) => log(`${job.id}: started (attempt ${job.attemptsStarted})`));
  worker.on("completed", (job: Job) => log(`${job.id}: done`));
  worker.on("failed", (job: Job | undefined, e: Error) => log(`${job?.id}: failed (attempt ${job?.attemptsMade}/${ATTEMPTS}): ${e.message.split("\n")[0]}`));
  worker.on("error", (e: Error) => log(`worker: ${e.message}`));
  await within(worker.waitUntilReady(), REDIS_TIMEOUT_MS).catch((e) => {
    void worker.close(true).catch(() => undefined);
    lock.disconnect();
    throw new ZkmlError("QUEUE_UNREACHABLE", `Redis at ${t.url}: the worker could not start (${String((e as Error)?.message ?? e).split("\n")[0]})`, { cause: e, hint: "check that the server is up and is Redis" });
  });
  log(`worker ${workerName()}: waiting for jobs`);
  await opts.stop;
  await stopWorker(t, worker, log);
  lock.disconnect();
}

/**
 * Stop a worker: it takes no new job, and the jobs in hand finish and are recorded while Redis answers. While it
 * does not (gone, or not answering), nothing can be recorded there anyway: the worker is closed at once (a job in
 * hand goes back to the queue when its lock runs out), so a stop never waits on Redis for more than about two seconds.
 */
async function stopWorker(t: RedisTarget, worker: { close: (force?: boolean) => Promise<void>; disconnect: () => Promise<void> }, log: (m: string) => void): Promise<void> {
  const closed = worker.close().then(() => "closed" as const);
  for (;;) {
    const r = await Promise.race([closed, new Promise<"tick">((resolve) => setTimeout(() => resolve("tick"), 1000).unref())]);
    if (r === "closed") return;
    const alive = await checkRedis(t, 1000).then(
      () => true,
      () => false,
    );
    if (!alive) {
      log(`worker: Redis at ${t.url} does not answer: stopping without it (a job in hand is taken over by another worker once its lock expires)`);
      void worker.close(true).catch(() => undefined);
      await within(worker.disconnect(), 1000).catch(() => undefined);
      return;
    }
  }
}

/** A job's lock, and how often a worker checks for stalled jobs: 30 s, or ZKML_QUEUE_LOCK_MS (milliseconds, at
 * least 1000) from the environment (the queue's test takes a killed worker's job over in seconds, not a minute). */
function lockMs(): number {
  const env = Number(process.env.ZKML_QUEUE_LOCK_MS);
  return Number.isInteger(env) && env >= 1000 ? env : 30_000;
}

/** host:pid, the name a worker gives itself. */
export function workerName(): string {
  return `${require("os").hostname()}:${process.pid}`;
}

/** The setup lock on Redis: SET key NX PX 10 min, renewed while held; released (if still ours) when done. */
function redisLock(t: RedisTarget): SetupLock & { disconnect: () => void } {
  const Redis = require("ioredis");
  const client = new Redis({ ...connectionOf(t.url), maxRetriesPerRequest: 3 });
  client.on("error", () => undefined);
  const me = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fn = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const key = `zkml:setup-lock:${name}`;
    while ((await client.set(key, me, "PX", 600_000, "NX")) !== "OK") await new Promise((r) => setTimeout(r, 1000));
    const renew = setInterval(() => void client.pexpire(key, 600_000).catch(() => undefined), 60_000);
    try {
      return await body();
    } finally {
      clearInterval(renew);
      if ((await client.get(key)) === me) await client.del(key);
    }
  };
  return Object.assign(fn, { disconnect: () => client.disconnect() });
}
