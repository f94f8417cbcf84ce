/**
 * bench's action, shared by both plugins: run the harness (src/bench/harness.ts) with an in-process EVM for
 * verification gas, write the reports (src/report/bench.ts), print where they are; --throughput runs real
 * `prove-worker` processes of the project's own Hardhat, --ezkl measures EZKL beside us.
 */
import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";
import { ZkmlError } from "../../core/errors";
import type { Host } from "./host";
import { say } from "./output";

/** What bench needs of Hardhat: the project, the gas chains, and its command line (for prove-worker processes). */
export type BenchHost = Pick<Host, "root" | "zkml" | "gasChains" | "cli">;

export interface BenchArgs {
  suite: string;
  systems: string;
  weights: string;
  input: string;
  zk?: boolean;
  pcs?: string;
  prover?: string;
  maxConstraints?: number;
  repeat: number;
  out?: string;
  force: boolean;
  reportOnly: boolean;
  throughput: boolean;
  model: string;
  batch?: number;
  jobs: number;
  workers: string;
  redis?: string;
  ezkl: boolean;
  python: string;
  models: string;
}

/** bench: paper0's suites (or any models) through the whole pipeline, or --throughput, or --ezkl. */
/** --pcs for the bench: kzg (every sumcheck proof with KZG commitments) or hyrax (the default, no option). */
function parseBenchPcs(v: string): "kzg" | undefined {
  if (v === "kzg") return "kzg";
  if (v === "hyrax") return undefined;
  throw new ZkmlError("OPTION_INVALID", `--pcs: expected hyrax or kzg, got ${JSON.stringify(v)}`, { hint: "e.g. --pcs kzg --systems sumcheck (its on-chain form)" });
}

export async function benchAction(args: BenchArgs, host: BenchHost) {
  if (args.throughput) return throughput(args, host);
  if (args.ezkl) return ezkl(args, host);
  const { DEFAULT_MAX_CONSTRAINTS, runBench, readBenchFile, resultsFile } = await import("../../bench/harness");
  const { benchView, renderBenchHtml, renderBenchMarkdown } = await import("../../report/bench");
  const { parseProver, parseSystem } = await import("../../systems/registry");
  const { writeFileAtomic } = await import("../../core/files");
  const root = host.root;
  const out = await outDir(root, args);
  const { BENCH_WEIGHTS } = await import("../../bench/harness");
  if (!(BENCH_WEIGHTS as readonly string[]).includes(args.weights))
    throw new ZkmlError("OPTION_INVALID", `--weights: expected one of ${BENCH_WEIGHTS.join(", ")}, got "${args.weights}"`, { hint: "e.g. --weights private (paper0's statement)" });
  if (args.input !== "public" && args.input !== "private")
    throw new ZkmlError("OPTION_INVALID", `--input: expected public or private, got "${args.input}"`, { hint: "e.g. --input private --systems sumcheck (the input committed in each proof)" });
  const prover = args.prover === undefined ? undefined : parseProver(args.prover, "--prover");
  const systems = [...new Set(args.systems.split(",").map((s) => parseSystem(s.trim(), "--systems")))];
  if (!args.reportOnly) {
    const gas = await verifierGas(host);
    await runBench({
      root,
      suite: args.suite,
      systems,
      weights: args.weights as import("../../bench/harness").BenchWeights,
      ...(args.input === "private" ? { input: "private" as const } : {}),
      ...(args.zk ? { zeroKnowledge: true } : {}),
      ...(args.pcs !== undefined ? { pcs: parseBenchPcs(args.pcs) } : {}),
      prover,
      maxConstraints: args.maxConstraints ?? DEFAULT_MAX_CONSTRAINTS,
      repeat: args.repeat,
      out,
      force: args.force,
      log: say,
      measureVerifyGas: gas.ours,
      measureIrVerifyGas: gas.ir,
    });
  }
  const view = benchView(readBenchFile(resultsFile(out)));
  writeFileAtomic(path.join(out, "report.md"), renderBenchMarkdown(view));
  writeFileAtomic(path.join(out, "report.html"), renderBenchHtml(view));
  say(`results: ${path.relative(root, resultsFile(out))}`);
  say(`reports: ${path.relative(root, path.join(out, "report.md"))}, ${path.relative(root, path.join(out, "report.html"))}`);
  return view;
}

/** bench --throughput: the queue's proofs a minute with real `prove-worker` processes, written as JSON and markdown. */
async function throughput(args: BenchArgs, host: BenchHost) {
  const { measureThroughput } = await import("../../bench/throughput");
  const { renderThroughputMarkdown, throughputSummary } = await import("../../report/throughput");
  const { startRedisServer } = await import("../../queue/redis-server");
  const { DEFAULT_VISIBILITY } = await import("../../statement/visibility");
  const root = host.root;
  const out = await outDir(root, args);
  const workers = args.workers.split(",").map((w) => Number(w.trim()));
  if (workers.some((w) => !Number.isInteger(w) || w < 1)) throw new ZkmlError("OPTION_INVALID", `--workers: expected comma-separated whole numbers >= 1, got "${args.workers}"`, { hint: "e.g. --workers 1,2" });
  if (!Number.isInteger(args.jobs) || args.jobs < 1) throw new ZkmlError("OPTION_INVALID", `--jobs: expected a whole number >= 1, got ${args.jobs}`, { hint: "e.g. --jobs 24" });
  const { parseSystem } = await import("../../systems/registry");
  const systems = [...new Set(args.systems.split(",").map((s) => parseSystem(s.trim(), "--systems")))];
  const circuits: import("../../bench/throughput").ThroughputStatement[] = [];
  for (const system of systems) {
    if (system === "sumcheck") {
      // the sumcheck system proves the model known by its commitment (AI Arena's players' models are published):
      // its batch is where its throughput is, so --batch is its one statement (default 1)
      const batch = args.batch ?? 1;
      circuits.push({ label: `sumcheck, committed weights${batch > 1 ? `, batch ${batch}` : ""}`, system, options: { visibility: { input: "public", weights: "hashed", output: "public", batch }, backend: "auto", quant: {} } });
      continue;
    }
    const tag = system === "groth16" ? "" : `${system}, `;
    circuits.push({ label: `${tag}default`, system, options: { visibility: DEFAULT_VISIBILITY, backend: "auto" as const, quant: {} } });
    if (args.batch !== undefined && args.batch > 1) circuits.push({ label: `${tag}batch ${args.batch}`, system, options: { visibility: { ...DEFAULT_VISIBILITY, batch: args.batch }, backend: "auto", quant: {} } });
  }
  const server = args.redis ? undefined : await startRedisServer();
  try {
    const run = await measureThroughput({ root, model: args.model, circuits, workers, jobs: args.jobs, redis: { url: args.redis ?? server!.url }, startWorker: (t) => startWorkerProcess(host.cli(), root, t.url), log: say });
    await writeRun(root, out, "throughput", run, renderThroughputMarkdown(run), throughputSummary(run));
    return run;
  } finally {
    await server?.stop();
  }
}

/** `npx hardhat prove-worker --redis url` as a child process; resolves once it waits for jobs. */
function startWorkerProcess(cli: string, root: string, url: string): Promise<{ stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [cli, "prove-worker", "--redis", url], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr!.on("data", (d) => {
      if (seen.length < 100_000) seen += d;
      if (/waiting for jobs/.test(seen)) resolve({ stop });
    });
    child.once("exit", (code) => reject(new ZkmlError("STAGE_FAILED", `prove-worker exited (code ${code}) before taking jobs:\n${seen.trim().split("\n").slice(-10).join("\n")}`, { hint: "run npx hardhat prove-worker yourself to see why" })));
  });
}

/** bench --ezkl: EZKL and zkml-hardhat on the same models, inputs and machine, written as JSON and markdown. */
async function ezkl(args: BenchArgs, host: BenchHost) {
  const { measureEzkl } = await import("../../bench/ezkl");
  const { renderEzklMarkdown, ezklSummary } = await import("../../report/ezkl");
  const root = host.root;
  const out = await outDir(root, args);
  const models = args.models.split(",").map((m) => m.trim()).filter(Boolean);
  const { Paths } = await import("../../core/paths");
  const gas = await verifierGas(host);
  const run = await measureEzkl({
    root,
    models,
    python: args.python,
    work: new Paths(root).get({ kind: "ezklWork" }),
    log: say,
    gas: { ours: (sol, contract, proofFile, publicFile) => gas.ours("groth16", sol, contract, proofFile, publicFile), ezkl: gas.call },
  });
  await writeRun(root, out, "ezkl", run, renderEzklMarkdown(run), ezklSummary(run));
  return run;
}

/**
 * Verification gas on an in-process EVM (the configured hardfork; a raised limit only where the standard one
 * refuses, flagged): of our verifier on a proof's files, or of any verifier's source on raw calldata (EZKL's).
 */
async function verifierGas(host: BenchHost) {
  const { compileSolidity } = await import("../../evm/solc");
  const { measureVerifier, measureVerifierCall } = await import("../../evm/gas");
  const { readProofFiles } = await import("../../evm/compare");
  const { circuitSystemFor } = await import("../../systems/registry");
  const chains = await host.gasChains(host.zkml.blockGasLimit);
  const compile = (sol: string, contract: string) => {
    const compiled = compileSolidity({ [`${contract}.sol`]: fs.readFileSync(sol, "utf8") }).get(contract);
    if (!compiled) throw new ZkmlError("SOLIDITY_FAILED", `solc produced no contract ${contract}`, { file: sol });
    return { name: contract, ...compiled };
  };
  return {
    ours: async (system: import("../../core/paths").ProofSystem, sol: string, contract: string, proofFile: string, publicFile: string) => {
      const p = await circuitSystemFor({ system }, "verification gas (a Solidity verifier)").verifierInput(...readProofFiles(proofFile, publicFile));
      return measureVerifier(chains, system, compile(sol, contract), p.proof, p.publicSignals);
    },
    /** an IR system's proof (the sumcheck system's Solidity verifier: committed weights, a public input, MLPs);
     * undefined, with the reason said, where it has none; past the measuring chain's limit by its gas floor alone
     * (the precompile calls and calldata, or EIP-7623's calldata floor), that floor as a lower bound, not run */
    ir: async (system: import("../../core/paths").ProofSystem, files: { ir: string; proof: string; public: string; commitment?: string; ptau?: string }, name: string) => {
      if (system !== "sumcheck") return undefined;
      const { sumcheckVerifierCall } = await import("../../evm/sumcheck-verifier");
      const { MEASURE_GAS_LIMIT } = await import("../../evm/chain");
      let call: import("../../evm/sumcheck-verifier").SumcheckVerifierCall;
      try {
        call = sumcheckVerifierCall(files, name);
      } catch (e) {
        if (!(e instanceof ZkmlError) || e.code !== "OPTION_INVALID") throw e;
        say(`  no verification gas: ${e.message}`);
        return undefined;
      }
      const { parts, floor } = call;
      if (floor > MEASURE_GAS_LIMIT)
        return { gas: floor, deployGas: 0, runtimeBytes: call.verifier.runtimeBytes, flags: [`not run: its calldata and the openings' precompile calls alone cost at least ${floor.toLocaleString("en-US")}, past the measuring chain's ${MEASURE_GAS_LIMIT.toLocaleString("en-US")}`], lowerBound: true as const, parts };
      return { ...(await measureVerifierCall(chains, call.verifier, call.data, call.dataContracts)), parts };
    },
    /** EZKL names its verifier contract Halo2Verifier */
    call: async (sol: string, calldataFile: string) => measureVerifierCall(chains, compile(sol, "Halo2Verifier"), `0x${fs.readFileSync(calldataFile).toString("hex")}`),
  };
}

/** A measured run as <out>/<name>.json and its markdown report <out>/<name>.md, its summary printed. */
/** --out, or the build folder's bench/ (Paths). */
async function outDir(root: string, args: BenchArgs): Promise<string> {
  const { Paths } = await import("../../core/paths");
  return args.out === undefined ? new Paths(root).get({ kind: "benchDir" }) : path.resolve(root, args.out);
}

async function writeRun(root: string, out: string, name: string, run: unknown, markdown: string, summary: string[]): Promise<void> {
  const { writeFileAtomic } = await import("../../core/files");
  writeFileAtomic(path.join(out, `${name}.json`), JSON.stringify(run, null, 1) + "\n");
  writeFileAtomic(path.join(out, `${name}.md`), markdown);
  for (const line of summary) say(line);
  say(`results: ${path.relative(root, path.join(out, `${name}.json`))}, report: ${path.relative(root, path.join(out, `${name}.md`))}`);
}
