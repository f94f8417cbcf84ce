/**
 * The bench: the task end to end on tiny circuits (each stage measured in its own process, a skip with its
 * reason, resuming), and the HTML report rendered in headless Chromium (Debian's `chromium`, installed by npm test (scripts/test-deps.js) when
 * missing): it renders, its four charts hold paper0's six systems and our series with the expected points, and a
 * screenshot is written.
 */
import { expect } from "chai";
import { buildDirect } from "../src/backends/r1cs/lower";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BENCH_FORMAT, BenchEntry, BenchFile, entryKey, latestEntries, readBenchFile, resultsFile, suiteModels } from "../src/bench/harness";
import { benchView, chartSeries, goals, paper0Fastest, readPaper0Results, renderBenchHtml, renderBenchMarkdown, seriesName } from "../src/report/bench";
import { constraintCount } from "../src/statement/cost";
import { OPEN_VISIBILITY } from "../src/statement/visibility";
import { statementLayout } from "../src/statement/layout";
import { workerEntry } from "../src/pipeline/runner";
import { arenaProjection, THROUGHPUT_FORMAT, ThroughputCase, ThroughputRun } from "../src/bench/throughput";
import { resolveModel } from "../src/model/zoo";
import { quantizeFor } from "../src/quantize/quantize";
import { ROOT, tmpDir } from "./helpers/circuit";

const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");

function hardhat(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(HARDHAT, args, { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("bench: npx hardhat bench", function () {
  this.timeout(900_000);
  const out = tmpDir("bench");
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("measures every stage in its own process, skips what is over --max-constraints with the reason, writes JSON and reports", () => {
    // Hardhat compiles contracts/generated/ on every task: the bench leaves the verifier file as it found it
    const verifier = path.join(ROOT, "contracts", "generated", "TinyCnnGroth16Verifier.sol");
    const hadVerifier = fs.existsSync(verifier);
    const r = hardhat(["bench", "--suite", "test/fixtures/tiny-cnn.json,mlp-mnist", "--max-constraints", "5000", "--out", out]);
    expect(r.status, r.stderr).to.equal(0);
    expect(fs.existsSync(verifier), "verifier left as found").to.equal(hadVerifier);
    const data = readBenchFile(resultsFile(out));
    expect(data.format).to.equal(BENCH_FORMAT);
    expect(data.runs).to.have.length(1);
    const run = data.runs[0];
    expect(run.machine.cpus).to.be.greaterThan(0);
    expect(run.tools.snarkjs).to.equal("0.7.6");
    expect(run.tools["zkml-hardhat commit"]).to.match(/^[0-9a-f]{7,}\+?$/);
    const [tiny, mlp] = run.entries;
    expect(tiny.status).to.equal("ok");
    // 1,749 constraints: tiny-cnn's count every value public (1,713 + 36: one per input for its declared range's top)
    expect(tiny).to.deep.include({ model: "test/fixtures/tiny-cnn.json", system: "groth16", prover: "native", weights: "fixed", constraints: 1749, backend: "direct", verified: true, matchesReference: true });
    for (const s of ["render", "compile", "setup", "witness", "prove", "verify"] as const) {
      const m = tiny.stages![s]!;
      expect(m.seconds, s).to.be.greaterThan(0);
      // each stage's own process: Node alone is ~40 MB, and no stage of this circuit needs a gigabyte
      expect(m.peakMB, s).to.be.within(40, 1024);
    }
    expect(tiny.proofBytes).to.be.greaterThan(0);
    expect(tiny.verifyGas!.gas).to.be.within(200_000, 1_000_000);
    expect(mlp).to.deep.include({ model: "mlp-mnist", status: "skipped", skip: "constraints", constraints: 9194 }); // 8,410 + 784: the pixels' declared top
    expect(mlp.reason).to.equal("9,194 constraints, over --max-constraints 5,000");
    const md = fs.readFileSync(path.join(out, "report.md"), "utf8");
    expect(md).to.include("test/fixtures/tiny-cnn.json: zkml-hardhat groth16 (native prover), fixed weights | 1,749 | direct");
    expect(md).to.include("skipped: 9,194 constraints, over --max-constraints 5,000");
    expect(md).to.include("- **fixed weights**: input and output public, the weights constants of the circuit");
    expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).to.match(/^<!doctype html>/);
  });

  it("resumes: what is measured is not run again; what was over the limit is weighed again", () => {
    const r = hardhat(["bench", "--suite", "test/fixtures/tiny-cnn.json,mlp-mnist", "--max-constraints", "5000", "--out", out]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/test\/fixtures\/tiny-cnn\.json groth16 weights fixed: already in .*results\.json \(resumed/);
    const data = readBenchFile(resultsFile(out));
    expect(data.runs).to.have.length(2);
    expect(data.runs[1].entries.map((e) => `${e.model} ${e.status}`)).to.deep.equal(["mlp-mnist skipped"]);
  });

  it("another proof system and hashed weights: PLONK on tiny-cnn with its weights committed by Poseidon", () => {
    const other = tmpDir("bench-plonk");
    try {
      const r = hardhat(["bench", "--suite", "test/fixtures/tiny-cnn.json", "--systems", "plonk", "--weights", "hashed", "--out", other]);
      expect(r.status, r.stderr).to.equal(0);
      const [e] = readBenchFile(resultsFile(other)).runs[0].entries;
      const q = quantizeFor(resolveModel(path.join(ROOT, "test", "fixtures", "tiny-cnn.json")));
      const vis = { ...OPEN_VISIBILITY, weights: "hashed" as const };
      // auto builds it with the direct backend: the hashed statement's count is the formula's (fixed 1,749 + weight
      // range checks + limbs + Poseidon chain) less what the direct Poseidon saves over circom's (its linear layers
      // folded into the S-boxes), i.e. the count the direct builder gives in this process
      const direct = buildDirect(q, vis).constraints;
      expect(direct).to.be.below(constraintCount(q, vis).total);
      expect(e).to.deep.include({ system: "plonk", prover: "snarkjs", weights: "hashed", backend: "direct", status: "ok", verified: true, matchesReference: true, constraints: direct });
      // outputs and inputs public as with fixed weights, plus the one commitment
      expect(e.publicSignals).to.equal(statementLayout(q, vis).publicSignals).and.to.equal(40);
      // snarkjs's PLONK proof: 9 G1 points and 6 evaluations, 24 words in calldata
      expect(e.proofBytes).to.equal(768);
      expect(e.verifyGas!.gas).to.be.within(200_000, 1_000_000);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("stages run from a JavaScript copy of src/ (no TypeScript compiler in the measured process), made once per version of the sources", () => {
    const file = workerEntry();
    expect(path.relative(ROOT, file)).to.match(/^build\/worker\/[0-9a-f]{16}\/src\/pipeline\/worker\.js$/);
    expect(workerEntry()).to.equal(file);
    const stages = fs.readFileSync(path.join(path.dirname(file), "stages.js"), "utf8");
    expect(stages).to.include('require("../backends/circom/compile")').and.not.match(/: Promise<|^import /m);
    // it runs on plain Node: syntax checked by Node itself
    execFileSync(process.execPath, ["--check", file]);
  });

  it("bad options exit non-zero naming the option", () => {
    const r = hardhat(["bench", "--suite", "test/fixtures/tiny-cnn.json", "--weights", "secret", "--out", out]);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/--weights: expected one of fixed, hashed, private, got "secret"/);
    const p = hardhat(["bench", "--suite", "test/fixtures/tiny-cnn.json", "--prover", "gpu", "--out", out]);
    expect(p.status).to.not.equal(0);
    expect(p.stderr).to.match(/--prover: expected one of native, snarkjs, got "gpu"/);
    const s = hardhat(["bench", "--suite", "test/fixtures/tiny-cnn.json", "--systems", "stark", "--out", out]);
    expect(s.status).to.not.equal(0);
    expect(s.stderr).to.match(/--systems/);
  });

  it("--throughput: real prove-worker processes on a private redis-server; proofs a minute with 1 and 2 workers, the AI Arena projection, JSON and markdown", () => {
    const tp = path.join(out, "throughput");
    const r = hardhat(["bench", "--throughput", "--model", "test/fixtures/tiny-cnn.json", "--jobs", "3", "--workers", "1,2", "--out", tp]);
    expect(r.status, r.stderr).to.equal(0);
    const run = JSON.parse(fs.readFileSync(path.join(tp, "throughput.json"), "utf8")) as ThroughputRun;
    expect(run.format).to.equal(THROUGHPUT_FORMAT);
    expect(run.cases.map((c) => [c.statement, c.workers, c.jobs, c.allVerified])).to.deep.equal([
      ["default", 1, 3, true],
      ["default", 2, 3, true],
    ]);
    for (const c of run.cases) expect(c.proofsPerMinute).to.be.closeTo((3 / c.seconds) * 60, 1e-9);
    // the projection is the best case's rate: a round's 20,000 inferences at that rate, in 3-minute rounds
    const best = run.cases.reduce((a, b) => (b.inferencesPerMinute > a.inferencesPerMinute ? b : a));
    expect(run.projection).to.deep.equal(arenaProjection(run.cases));
    expect(run.projection[0].machines).to.equal(Math.ceil(20_000 / best.inferencesPerMinute / 3));
    expect(fs.readFileSync(path.join(tp, "throughput.md"), "utf8")).to.match(/\| default \| 2 \| 3 \| [0-9.]+ \| [0-9.]+ \|/);
    expect(r.stderr).to.match(/AI Arena round \(20,000 inferences, 3 min\), default: .* machines for a round in a round/);
  });

  it("--ezkl without EZKL for the given Python: exits non-zero before any work, naming the Python and how to install EZKL", () => {
    const r = hardhat(["bench", "--ezkl", "--python", "/bin/false", "--out", path.join(out, "ezkl")]);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/--python \/bin\/false: EZKL is not installed for it/);
    expect(r.stderr).to.match(/pip install -r scripts\/ezkl\/requirements\.txt/);
    expect(fs.existsSync(path.join(out, "ezkl", "ezkl.json"))).to.equal(false);
  });

  it("--throughput's projection: machines for a round in a round, from the best rate of each statement", () => {
    const c = (statement: string, workers: number, inferencesPerMinute: number) => ({ statement, workers, inferencesPerMinute }) as ThroughputCase;
    // 20,000 inferences at 100 a minute: 200 min on one machine; rounds of 3 min: ceil(200 / 3) = 67 machines
    expect(arenaProjection([c("default", 1, 60), c("default", 2, 100), c("batch 16", 2, 400)])).to.deep.equal([
      { statement: "default", workers: 2, inferencesPerMinute: 100, roundSecondsOneMachine: 12_000, machines: 67 },
      { statement: "batch 16", workers: 2, inferencesPerMinute: 400, roundSecondsOneMachine: 3_000, machines: 17 },
    ]);
  });

  it("--zk: its entries are their own series (key and name), never mistaken for the sound proofs' of one network", () => {
    expect(entryKey("paper0/FC_3_layers", "sumcheck", "private", 1, undefined, true)).to.equal("paper0/FC_3_layers|sumcheck|private|1|zk");
    expect(entryKey("paper0/FC_3_layers", "sumcheck", "private", 1)).to.equal("paper0/FC_3_layers|sumcheck|private|1");
    expect(seriesName({ system: "sumcheck", prover: "native", weights: "private", zeroKnowledge: true })).to.equal("zkml-hardhat sumcheck (native prover), private weights, zero knowledge");
  });

  it("--pcs kzg: the sumcheck system's KZG entries are their own series (key and name)", () => {
    expect(entryKey("mlp-mnist", "sumcheck", "hashed", 1, undefined, false, "kzg")).to.equal("mlp-mnist|sumcheck|hashed|1|kzg");
    expect(seriesName({ system: "sumcheck", prover: "native", weights: "hashed", pcs: "kzg" })).to.equal("zkml-hardhat sumcheck (native prover, KZG commitments), hashed weights");
  });

  it("suites: paper0's parameter and depth suites in chart order", () => {
    expect(suiteModels("parameter").map((m) => m.ref)).to.have.length(12);
    expect(suiteModels("depth")[13].ref).to.equal("paper0/FC_500_layers");
    expect(suiteModels("paper0/FC_3_layers,lenet5")).to.deep.equal([
      { ref: "paper0/FC_3_layers", suite: "depth" },
      { ref: "lenet5", suite: "models" },
    ]);
  });
});

/** A results file with made-up numbers for two networks of each suite, and one skipped. */
function syntheticResults(): BenchFile {
  const entry = (model: string, macs: number, layers: number, prove: [number, number], extra: Partial<BenchEntry> = {}): BenchEntry => ({
    key: entryKey(model, "groth16", "fixed", 1),
    model,
    suite: model.includes("layers") ? "depth" : "parameter",
    macs,
    params: macs,
    layers,
    system: "groth16",
    weights: "fixed",
    repeat: 1,
    status: "ok",
    constraints: 1000,
    backend: "direct",
    publicSignals: 132,
    proofBytes: 800,
    verifyGas: { gas: 1_100_000, deployGas: 3_000_000, runtimeBytes: 13_000, flags: [] },
    stages: { compile: { seconds: 1, peakMB: 200, cached: false }, setup: { seconds: 10, peakMB: 900, cached: false }, prove: { seconds: prove[0], peakMB: prove[1], cached: false } },
    finished: "2026-11-24T00:00:00Z",
    ...extra,
  });
  return {
    format: BENCH_FORMAT,
    runs: [
      {
        started: "2026-11-24T00:00:00Z",
        machine: { cpus: 2, cpuModel: "test", memoryGB: 24, node: "v20", platform: "linux", hostname: "h" },
        tools: { snarkjs: "0.7.6" },
        options: { suite: "parameter", systems: ["groth16"], weights: "fixed", maxConstraints: 1e6, repeat: 1 },
        entries: [
          entry("paper0/FC_48564_params", 48564, 20, [1.5, 300]),
          entry("paper0/FC_87771_params", 87771, 20, [2.0, 400]),
          entry("paper0/FC_3_layers", 43200, 3, [0.5, 250]),
          entry("paper0/FC_5_layers", 83200, 5, [0.9, 280]),
          entry("paper0/FC_10_layers", 173200, 10, [0, 0], { status: "skipped", skip: "constraints", reason: "over the limit", stages: undefined }),
        ],
      },
    ],
  };
}

describe("bench reports", () => {
  const view = benchView(syntheticResults());

  it("the view puts our medians beside paper0's figures, and counts the goals", () => {
    const g = goals(view);
    expect(g).to.have.length(1);
    // FC_48564 1.5 s vs paper0 2.2 s, FC_87771 2.0 vs 2.7, FC_3 0.5 vs 1.25, FC_5 0.9 vs 2.1: all faster; memory
    // 300 MB vs 1.6 GB / 4 = 400 MB, 400 MB vs 550 MB, 250 MB vs 167.5 MB (no), 280 MB vs 335 MB
    expect(g[0]).to.deep.include({ proved: 4, networks: 26, timeCompared: 4, fasterOrEqual: 4, memoryCompared: 4, quarterMemory: 3, largestParameters: "FC_87771_params", deepest: "FC_5_layers" });
    // paper0's fastest on these four: zkcnn 0.3 s, plonky2 0.4 s, zkcnn 0.3 s, plonky2 0.4 s: none slower than ours
    expect(g[0]).to.deep.include({ fastestCompared: 4, fasterThanFastest: 0 });
    const md = renderBenchMarkdown(view);
    expect(md).to.include("| FC_10_layers | 10 | 1,000 | | skipped: over the limit |");
    expect(md).to.include("| FC_48564_params | 48,564 | 1,000 | direct |");
    expect(md).to.include("0.68x"); // 1.5 / 2.2
    // FC_3_layers: paper0's fastest is zkcnn (0.3 s in data/paper0/results.json): ours 0.5 s is 1.67x of it
    const fc3 = view.rows.find((r) => r.net === "FC_3_layers")!;
    const fastest = paper0Fastest(fc3)!;
    expect(Object.values(fc3.paper0).every((p) => !p || p.proveSeconds >= fastest.proveSeconds)).to.equal(true);
    expect(md).to.include(`| ${fastest.system} ${fastest.proveSeconds} s / ${fastest.peakGB} GB | ${(0.5 / fastest.proveSeconds).toFixed(2)}x |`);
  });

  it("a network measured again by another prover supersedes every earlier repeat of it; repeats of one prover add up", () => {
    const data = syntheticResults();
    const old = data.runs[0].entries.find((e) => e.model === "paper0/FC_3_layers")!;
    // an older snarkjs run with three repeats, then a native run of repeat 1 only
    const snark = [1, 2, 3].map((repeat) => ({ ...old, key: `${old.model}|groth16|fixed|${repeat}`, repeat, prover: undefined }));
    const native = { ...old, prover: "native" as const, stages: { prove: { seconds: 0.1, peakMB: 60, cached: false } } };
    const file = { ...data, runs: [{ ...data.runs[0], entries: snark }, { ...data.runs[0], entries: [native] }] };
    const current = latestEntries(file).filter((e) => e.model === "paper0/FC_3_layers");
    expect(current.map((e) => [e.repeat, e.prover])).to.deep.equal([[1, "native"]]);
    // two runs of the same prover: both repeats count
    const resumed = { ...data, runs: [{ ...data.runs[0], entries: [snark[0]] }, { ...data.runs[0], entries: [snark[1]] }] };
    expect(latestEntries(resumed).map((e) => e.repeat)).to.deep.equal([1, 2]);
  });

  it("chart series: paper0's six systems from results.json, then ours", () => {
    const s = chartSeries(view, "parameter", "seconds");
    expect(s.map((x) => x.name)).to.deep.equal(["paper0 groth16", "paper0 gemini", "paper0 halo2", "paper0 plonky2", "paper0 zkcnn", "paper0 winterfell", "zkml-hardhat groth16 (snarkjs prover), fixed weights"]);
    const paper0 = readPaper0Results();
    const groth16Points = Object.values(paper0.parameter).filter((r) => r?.groth16).length;
    expect(s[0].points).to.have.length(groth16Points);
    expect(s[6].points).to.deep.equal([
      [48564, 1.5],
      [87771, 2.0],
    ]);
  });

  it("the HTML renders in headless Chromium with four charts and every series; a screenshot is written", function () {
    this.timeout(300_000);
    const chromium = ensureChromium();
    const dir = tmpDir("benchhtml");
    try {
      const html = path.join(dir, "report.html");
      fs.writeFileSync(html, renderBenchHtml(view));
      const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", `--user-data-dir=${path.join(dir, "profile")}`];
      const dom = execFileSync(chromium, [...flags, "--dump-dom", `file://${html}`], { encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "ignore"] });
      const charts = [...dom.matchAll(/<svg id="(chart-[a-z-]+)"/g)].map((m) => m[1]);
      expect(charts).to.deep.equal(["chart-param-time", "chart-param-memory", "chart-depth-time", "chart-depth-memory"]);
      for (const id of charts) {
        const svg = dom.slice(dom.indexOf(`<svg id="${id}"`), dom.indexOf("</svg>", dom.indexOf(`<svg id="${id}"`)));
        const series = [...svg.matchAll(/data-series="([^"]+)" data-points="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
        expect(series.map((x) => x[0]), id).to.include.members(["paper0 groth16", "paper0 gemini", "paper0 halo2", "paper0 plonky2", "paper0 zkcnn", "paper0 winterfell", "zkml-hardhat groth16 (snarkjs prover), fixed weights"]);
        expect(series.find((x) => x[0] === "zkml-hardhat groth16 (snarkjs prover), fixed weights")![1], id).to.equal(2);
        expect(series.find((x) => x[0] === "paper0 groth16")![1], id).to.be.greaterThan(5);
        // points drawn: one circle per point
        expect((svg.match(/<circle /g) ?? []).length, id).to.equal(series.reduce((a, x) => a + (x[1] as number), 0));
      }
      const png = path.join(dir, "report.png");
      execFileSync(chromium, [...flags, "--hide-scrollbars", "--window-size=1280,1800", `--screenshot=${png}`, `file://${html}`], { timeout: 120_000, stdio: "ignore" });
      const b = fs.readFileSync(png);
      expect(b.subarray(1, 4).toString()).to.equal("PNG");
      expect(b.length).to.be.greaterThan(20_000); // charts and tables, not a blank page
      fs.mkdirSync(path.join(ROOT, "build"), { recursive: true });
      fs.copyFileSync(png, path.join(ROOT, "build", "bench-report-test.png"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Debian's chromium, which `npm test` installs first (scripts/test-deps.js; a test does not install system packages). */
function ensureChromium(): string {
  for (const c of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (fs.existsSync(c)) return c;
  throw new Error("headless Chromium is needed for the report test: install Debian's chromium package (apt-get install chromium), as npm test does when it can");
}
