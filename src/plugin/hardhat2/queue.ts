/**
 * `npx hardhat prove-worker` and `npx hardhat prove-jobs submit|status|results` in Hardhat 2: the proof queue's
 * options; the actions (../actions/queue.ts) are shared with Hardhat 3. Redis is named by --redis, else REDIS_URL,
 * else zkml.queue in hardhat.config.ts, else redis://127.0.0.1:6379.
 */
import { task, types } from "hardhat/config";
import { ProveJobsArgs, proveJobsAction, ProveWorkerArgs, proveWorkerAction } from "../actions/queue";
import { boundary, withCircuitOptions } from "./common";
import { hardhat2Host } from "./deploy";

task("prove-worker", "Prove jobs from the proof queue (Redis at --redis or REDIS_URL) until stopped (Ctrl-C); run one per machine, or several")
  .addOptionalParam("concurrency", "Jobs proved at once by this worker", 1, types.int)
  .addOptionalParam("redis", "Redis URL (default REDIS_URL, else zkml.queue, else redis://127.0.0.1:6379)", undefined, types.string)
  .setAction(async (args: ProveWorkerArgs, hre) => boundary(async () => proveWorkerAction(args, { root: hre.config.paths.root, zkml: hre.config.zkml })));

withCircuitOptions(task("prove-jobs", "The proof queue: submit inference proofs (--model, --inputs), print their status, or collect their results"))
  .addPositionalParam("action", "submit, status or results", undefined, types.string)
  .addOptionalParam("model", "submit: the model (built-in name, paper0/<network> or a model file)", undefined, types.string)
  .addOptionalParam("inputs", 'submit: a JSON file of inputs ({"inputs": [[...], ...]} or [[...], ...]), one job each', undefined, types.string)
  .addOptionalParam("system", "submit: proof system", "groth16", types.string)
  .addOptionalParam("redis", "Redis URL (default REDIS_URL, else zkml.queue, else redis://127.0.0.1:6379)", undefined, types.string)
  .addOptionalParam("out", "results: write each job's result as <out>/<job>.json", undefined, types.string)
  .addOptionalParam("bindTo", "submit, a statement with a context (the default): the address that will submit the proofs (default: the network's first account), or an application's value", undefined, types.string)
  .addFlag("watch", "status: follow the queue live (done, failed, proofs a minute, time left) until nothing is waiting or running")
  .addOptionalParam("interval", "status --watch: seconds between samples", 2, types.float)
  .addFlag("json", "Print one JSON object on stdout (with --watch, one per sample)")
  .setAction(async (args: ProveJobsArgs, hre) => boundary(async () => proveJobsAction(args, hardhat2Host(hre)), { json: args.json }));
