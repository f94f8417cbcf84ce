/**
 * `npx hardhat prove-worker` and `npx hardhat prove-jobs submit|status|results`: the proof queue's command line
 * (src/queue/queue.ts does the work). Redis is named by --redis, else REDIS_URL, else zkml.queue in
 * hardhat.config.ts, else redis://127.0.0.1:6379.
 */
import * as path from "path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ZkmlError } from "../../core/errors";
import { boundary, CircuitArgs, circuitOptions, say, withCircuitOptions } from "./common";

const redisOf = (given: string | undefined, hre: HardhatRuntimeEnvironment) => ({ url: given ?? process.env.REDIS_URL ?? hre.config.zkml.queue ?? "redis://127.0.0.1:6379" });

interface WorkerArgs {
  concurrency: number;
  redis?: string;
}

task("prove-worker", "Prove jobs from the proof queue (Redis at --redis or REDIS_URL) until stopped (Ctrl-C); run one per machine, or several")
  .addOptionalParam("concurrency", "Jobs proved at once by this worker", 1, types.int)
  .addOptionalParam("redis", "Redis URL (default REDIS_URL, else zkml.queue, else redis://127.0.0.1:6379)", undefined, types.string)
  .setAction(async (args: WorkerArgs, hre) =>
    boundary(async () => {
      const { runWorker } = await import("../../queue/queue");
      if (!Number.isInteger(args.concurrency) || args.concurrency < 1) throw new ZkmlError("OPTION_INVALID", `--concurrency: expected a whole number >= 1, got ${args.concurrency}`, { hint: "e.g. --concurrency 2" });
      const t = redisOf(args.redis, hre);
      const stop = new Promise<void>((resolve) => {
        for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
      });
      say(`worker: proving jobs from ${t.url}, ${args.concurrency} at a time (Ctrl-C stops after the jobs in hand)`);
      // a long-running process: each line carries its time, as a service's log does
      const log = (line: string) => say(`${new Date().toISOString()} ${line}`);
      await runWorker(t, hre.config.paths.root, { concurrency: args.concurrency, log, stop });
      say("worker: stopped");
      // a client of a Redis that is gone may keep reconnecting: nothing is left to do, so the process ends soon
      // (a stage child still running is killed on exit, src/pipeline/runner.ts)
      setTimeout(() => process.exit(0), 1000).unref();
    }),
  );

interface JobsArgs extends CircuitArgs {
  action: string;
  model?: string;
  inputs?: string;
  system: string;
  redis?: string;
  json: boolean;
  watch: boolean;
  interval: number;
  out?: string;
}

withCircuitOptions(task("prove-jobs", "The proof queue: submit inference proofs (--model, --inputs), print their status, or collect their results"))
  .addPositionalParam("action", "submit, status or results", undefined, types.string)
  .addOptionalParam("model", "submit: the model (built-in name, paper0/<network> or a model file)", undefined, types.string)
  .addOptionalParam("inputs", 'submit: a JSON file of inputs ({"inputs": [[...], ...]} or [[...], ...]), one job each', undefined, types.string)
  .addOptionalParam("system", "submit: proof system", "groth16", types.string)
  .addOptionalParam("redis", "Redis URL (default REDIS_URL, else zkml.queue, else redis://127.0.0.1:6379)", undefined, types.string)
  .addOptionalParam("out", "results: write each job's result as <out>/<job>.json", undefined, types.string)
  .addFlag("watch", "status: follow the queue live (done, failed, proofs a minute, time left) until nothing is waiting or running")
  .addOptionalParam("interval", "status --watch: seconds between samples", 2, types.float)
  .addFlag("json", "Print one JSON object on stdout (with --watch, one per sample)")
  .setAction(async (args: JobsArgs, hre) =>
    boundary(
      async () => {
        const q = await import("../../queue/queue");
        const t = redisOf(args.redis, hre);
        switch (args.action) {
          case "submit":
            return submit(args, hre, t);
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
            const rs = await q.collectResults(t, hre.config.paths.root);
            if (args.out) for (const r of rs) writeFileAtomic(path.join(path.resolve(args.out), `${r.job}.json`), JSON.stringify(r, null, 1) + "\n");
            if (args.json) process.stdout.write(JSON.stringify(rs) + "\n");
            else for (const r of rs) console.log(`${r.job}  ${r.model}  class ${r.prediction.class}  verified ${r.verified ? "yes" : "NO"}${r.proveSeconds === null ? "" : `  proved in ${r.proveSeconds.toFixed(2)} s`}`);
            if (args.out) say(`${rs.length} result(s) written to ${args.out}`);
            return rs;
          }
          default:
            throw new ZkmlError("OPTION_INVALID", `action: expected submit, status or results, got ${JSON.stringify(args.action)}`, { hint: "e.g. npx hardhat prove-jobs status" });
        }
      },
      { json: args.json },
    ),
  );

/** One job per input of the file, for the circuit the options name; prints each job's id and whether it was new. */
async function submit(args: JobsArgs, hre: HardhatRuntimeEnvironment, t: { url: string }) {
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
  const options = await circuitOptions(args, hre, model);
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
  const specs = [...Array(inputs.length / batch)].map((_, k) => ({
    circuitId: circuit.id,
    spec: { model: args.model!, system, visibility: options.visibility, backend: options.backend, scaleBits: options.quant.scaleBits, saturate: options.quant.saturate, inputs: inputs.slice(k * batch, (k + 1) * batch) },
  }));
  const r = await submitJobs(t, specs);
  if (args.json) process.stdout.write(JSON.stringify(r) + "\n");
  else for (const j of r) console.log(`${j.added ? "queued " : "known  "} ${j.id}`);
  say(`${r.filter((j) => j.added).length} new job(s), ${r.filter((j) => !j.added).length} already known, on ${t.url}`);
  return r;
}

/** status --watch: a live bar on a terminal; elsewhere a line whenever the numbers change, or a JSON object a sample. */
async function watch(args: JobsArgs, t: { url: string }) {
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
