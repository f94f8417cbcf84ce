/**
 * prove-worker and prove-jobs' actions, shared by both plugins: the proof queue's command line (src/queue/queue.ts
 * does the work). Redis is named by --redis, else REDIS_URL, else zkml.queue in hardhat.config.ts, else
 * redis://127.0.0.1:6379.
 */
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { CircuitArgs, circuitOptions } from "./circuit";
import type { Host } from "./host";
import { say } from "./output";

type QueueHost = Pick<Host, "root" | "zkml">;
/** prove-jobs: `signer`, the account that will submit the proofs, is what a bound statement's jobs default to. */
type JobsHost = QueueHost & Partial<Pick<Host, "signer">>;

const redisOf = (given: string | undefined, host: QueueHost) => ({ url: given ?? process.env.REDIS_URL ?? host.zkml.queue ?? "redis://127.0.0.1:6379" });

export interface ProveWorkerArgs {
  concurrency: number;
  redis?: string;
}

/** prove-worker: prove the queue's jobs until SIGINT or SIGTERM, then end the process soon after. */
export async function proveWorkerAction(args: ProveWorkerArgs, host: QueueHost): Promise<void> {
  const { runWorker } = await import("../../queue/queue");
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1) throw new ZkmlError("OPTION_INVALID", `--concurrency: expected a whole number >= 1, got ${args.concurrency}`, { hint: "e.g. --concurrency 2" });
  const t = redisOf(args.redis, host);
  const stop = new Promise<void>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
  });
  say(`worker: proving jobs from ${t.url}, ${args.concurrency} at a time (Ctrl-C stops after the jobs in hand)`);
  // a long-running process: each line carries its time, as a service's log does
  const log = (line: string) => say(`${new Date().toISOString()} ${line}`);
  await runWorker(t, host.root, { concurrency: args.concurrency, log, stop });
  say("worker: stopped");
  // a client of a Redis that is gone may keep reconnecting: nothing is left to do, so the process ends soon
  // (a stage child still running is killed on exit, src/pipeline/runner.ts)
  setTimeout(() => process.exit(0), 1000).unref();
}

export interface ProveJobsArgs extends CircuitArgs {
  action: string;
  model?: string;
  inputs?: string;
  system: string;
  redis?: string;
  json: boolean;
  watch: boolean;
  interval: number;
  out?: string;
  bindTo?: string;
}

/** prove-jobs submit|status|results. */
export async function proveJobsAction(args: ProveJobsArgs, host: JobsHost) {
  const q = await import("../../queue/queue");
  const t = redisOf(args.redis, host);
  switch (args.action) {
    case "submit":
      return submit(args, host, t);
    case "status": {
      if (args.watch) return watch(args, t);
      const s = await q.queueStatus(t);
      if (args.json) process.stdout.write(JSON.stringify(s) + "\n");
      else {
        console.log(`waiting ${s.waiting}  active ${s.active}  done ${s.done}  failed ${s.failed}   (${t.url})`);
        for (const f of s.failures) console.log(`  failed ${f.id}: ${f.error}`);
      }
      return s;
    }
    case "results": {
      const { writeFileAtomic } = await import("../../core/files");
      const rs = await q.collectResults(t, host.root);
      if (args.out) for (const r of rs) writeFileAtomic(path.join(path.resolve(args.out), `${r.job}.json`), JSON.stringify(r, null, 1) + "\n");
      if (args.json) process.stdout.write(JSON.stringify(rs) + "\n");
      else for (const r of rs) console.log(`${r.job}  ${r.model}  class ${r.prediction.class}  verified ${r.verified ? "yes" : "NO"}${r.proveSeconds === null ? "" : `  proved in ${r.proveSeconds.toFixed(2)} s`}`);
      if (args.out) say(`${rs.length} result(s) written to ${args.out}`);
      return rs;
    }
    default:
      throw new ZkmlError("OPTION_INVALID", `action: expected submit, status or results, got ${JSON.stringify(args.action)}`, { hint: "e.g. npx hardhat prove-jobs status" });
  }
}

/** One job per input of the file, for the circuit the options name; prints each job's id and whether it was new. */
async function submit(args: ProveJobsArgs, host: JobsHost, t: { url: string }) {
  const { submitJobs } = await import("../../queue/queue");
  const { resolveModel } = await import("../../model/zoo");
  const { flattenInput } = await import("../../model/format");
  const { resolveCircuit } = await import("../../pipeline/circuit");
  const { parseSystem } = await import("../../systems/registry");
  const { readJsonFile } = await import("../../core/files");
  if (!args.model) throw new ZkmlError("OPTION_INVALID", "--model: submit needs the model", { hint: "e.g. npx hardhat prove-jobs submit --model mlp-mnist --inputs digits.json" });
  if (!args.inputs) throw new ZkmlError("OPTION_INVALID", "--inputs: submit needs a file of inputs", { hint: 'write {"inputs": [[...], ...]} with one input per job' });
  const model = resolveModel(args.model);
  const system = parseSystem(args.system, "--system");
  const options = await circuitOptions(args, host.zkml, model, host.root);
  const raw = readJsonFile(args.inputs, "INPUT_INVALID", "check the path given to --inputs");
  const list = Array.isArray(raw) ? raw : (raw as { inputs?: unknown })?.inputs;
  if (!Array.isArray(list) || list.length === 0) throw new ZkmlError("INPUT_INVALID", 'expected {"inputs": [[...], ...]} or [[...], ...] with at least one input', { file: args.inputs, hint: "one array of input values per job" });
  const n = model.input.shape.reduce((a, b) => a * b, 1);
  // the shape is checked here; the declared range by the prover (its quantization is the authority), so an input
  // out of range becomes a failed job with the prover's error
  const inputs = list.map((v, i) => {
    const flat = Array.isArray(v) ? flattenInput(v, model.input.shape, `inputs[${i}]`, args.inputs) : [];
    if (flat.length !== n || !flat.every((x) => typeof x === "number" && Number.isFinite(x)))
      throw new ZkmlError("INPUT_INVALID", `inputs[${i}]: expected ${n} finite numbers (shape ${model.input.shape.join("x")}), got ${flat.length} values`, { file: args.inputs });
    return flat as number[];
  });
  // a batch statement proves `batch` inferences at once: the inputs are taken in groups of that many, one job each
  const { batchOf } = await import("../../statement/visibility");
  const batch = batchOf(options.visibility);
  if (inputs.length % batch !== 0)
    throw new ZkmlError("INPUT_INVALID", `inputs: ${inputs.length} inputs do not make whole batches of ${batch} (--batch ${batch})`, { file: args.inputs, hint: `give a multiple of ${batch} inputs, or another --batch` });
  const circuit = resolveCircuit(model, options);
  // a statement bound to its submitter (the default) is proved for --bind-to, else for the network's first
  // account, as prove-model's; one context a job (a batch is one proof)
  const { parseContext } = await import("../../statement/statement");
  const bindTo = args.bindTo ?? (options.visibility.context === "sender" && host.signer ? await (await host.signer()).getAddress() : undefined);
  const context = parseContext(bindTo, options.visibility, "--bind-to");
  const specs = [...Array(inputs.length / batch)].map((_, k) => ({
    circuitId: circuit.id,
    spec: { model: args.model!, system, visibility: options.visibility, backend: options.backend, scaleBits: options.quant.scaleBits, saturate: options.quant.saturate, inputs: inputs.slice(k * batch, (k + 1) * batch), ...(context !== undefined ? { context: context.toString() } : {}) },
  }));
  const r = await submitJobs(t, specs);
  if (args.json) process.stdout.write(JSON.stringify(r) + "\n");
  else for (const j of r) console.log(`${j.added ? "queued " : "known  "} ${j.id}`);
  say(`${r.filter((j) => j.added).length} new job(s), ${r.filter((j) => !j.added).length} already known, on ${t.url}`);
  return r;
}

/** status --watch: a live bar on a terminal; elsewhere a line whenever the numbers change, or a JSON object a sample. */
async function watch(args: ProveJobsArgs, t: { url: string }) {
  const { watchQueue } = await import("../../queue/queue");
  const { describeProgress, leftText, rateText } = await import("../../queue/progress");
  if (!(args.interval > 0)) throw new ZkmlError("OPTION_INVALID", `--interval: expected a number of seconds > 0, got ${args.interval}`, { hint: "e.g. --interval 2" });
  const stop = new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  const live = !args.json && process.stderr.isTTY;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bar = live ? new (require("cli-progress") as typeof import("cli-progress")).SingleBar({ stream: process.stderr, format: "  {bar} {value}/{total} done, {failed} failed, {rate}, {left}", barsize: 24, hideCursor: true, fps: 4 }) : undefined;
  let last = "";
  const status = await watchQueue(t, {
    intervalMs: args.interval * 1000,
    stop,
    show: (p, s) => {
      if (args.json) return void process.stdout.write(JSON.stringify({ ...s, failures: undefined, total: p.total, perMinute: p.perMinute, secondsLeft: p.secondsLeft }) + "\n");
      if (bar) {
        const fields = { failed: p.failed, rate: rateText(p), left: leftText(p) };
        if (!bar.isActive) bar.start(p.total, p.done, fields);
        bar.setTotal(p.total);
        bar.update(p.done, fields);
        return;
      }
      const line = describeProgress(p);
      if (line !== last) say((last = line));
    },
  });
  bar?.stop();
  if (!args.json) for (const f of status.failures) say(`failed ${f.id}: ${f.error}`);
  return status;
}
