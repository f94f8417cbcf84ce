/**
 * deploy-verifier and submit-proof end to end, as a user runs them: a real JSON-RPC node (`npx hardhat node`, a
 * separate process on a free port of 127.0.0.1), the tasks run as separate `npx hardhat ... --network localhost`
 * processes. Also the failures a user meets: the node unreachable, a key without funds, a record for another
 * chain, a proof made with another verification key; each exits non-zero with a clear message and writes no
 * record. The model is tiny-cnn under its own name, so a developer's own localhost record is never touched.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { keccak256, Wallet } from "ethers";
import { droppingProxy } from "./helpers/proxy";
import { HARDHAT_CLI, startHardhatNode } from "./helpers/node";
import { gasSubject } from "../src/evm/compare";
import { loadModelFile } from "../src/model/format";
import { Paths } from "../src/core/paths";
import { sha256 } from "../src/core/files";
import { CircuitOptions, locateCircuit, proveModel } from "../src/pipeline/prove";
import { DEFAULT_VISIBILITY } from "../src/statement/visibility";
import { statementFor } from "../src/statement/statement";
import { quantizeFor } from "../src/quantize/quantize";
import { ACCOUNT0, ROOT, tmpDir } from "./helpers/circuit";
import { jobIdFor, JobSpec } from "../src/queue/jobs";
import { proveJob } from "../src/queue/queue";

const CLI = HARDHAT_CLI;

describe("deploy-verifier and submit-proof against `npx hardhat node`", function () {
  this.timeout(600_000);
  let node: ChildProcess;
  let rpc: string;
  let dir: string;
  let modelFile: string;
  const name = "e2e-tiny-cnn";
  const paths = new Paths(ROOT);
  const DEFAULT: CircuitOptions = { visibility: DEFAULT_VISIBILITY, backend: "auto", quant: {} };
  // a statement with a hashed input and a label, proved by the direct backend: found by the same options
  const HASHED: CircuitOptions = { visibility: { input: "hashed", weights: "fixed", output: "label" }, backend: "direct", quant: {} };
  // (and unbound: --context none, the opt-out, through every task)
  const HASHED_FLAGS = ["--input", "hashed", "--output", "label", "--backend", "direct", "--context", "none"];
  let record: string;
  let hashedRecord: string;
  const contracts: string[] = [];

  const hh = (env: Record<string, string>, ...args: string[]) => {
    const r = spawnSync("node", [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, LOCALHOST_RPC_URL: rpc, LOCALHOST_PRIVATE_KEY: "", ...env } });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
  };
  const blockNumber = async () => {
    const res = await fetch(rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) });
    return ((await res.json()) as { result: string }).result;
  };
  // the tasks at the 8-bit scales the setups below are proved with (without --scale-bits a task picks the width by
  // --max-error: another circuit)
  const BITS = ["--scale-bits", "8"];
  const deploy = (env: Record<string, string> = {}, ...more: string[]) => hh(env, "deploy-verifier", "--model", modelFile, "--network", "localhost", ...BITS, ...more);
  const submit = (env: Record<string, string> = {}, ...more: string[]) => hh(env, "submit-proof", "--model", modelFile, "--network", "localhost", ...BITS, ...more);
  /** submit-proof in a child that does not block this process (which serves the proxy the child talks to) */
  const submitAsync = (env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn("node", [CLI, "submit-proof", "--model", modelFile, "--network", "localhost", ...BITS], { cwd: ROOT, env: { ...process.env, LOCALHOST_RPC_URL: rpc, LOCALHOST_PRIVATE_KEY: "", ...env } });
      let out = "";
      c.stdout.on("data", (d) => (out += d));
      c.stderr.on("data", (d) => (out += d));
      c.on("close", (code) => resolve({ code, out }));
    });

  before(async () => {
    dir = tmpDir("deploy");
    const tiny = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "tiny-cnn.json"), "utf8"));
    modelFile = path.join(dir, `${name}.json`);
    fs.writeFileSync(modelFile, JSON.stringify({ ...tiny, name }));
    const model = loadModelFile(modelFile);
    const loc = locateCircuit(ROOT, model, "groth16", DEFAULT);
    const hashed = locateCircuit(ROOT, model, "groth16", HASHED);
    record = paths.get({ kind: "deployment", network: "localhost", circuit: loc.id, system: "groth16" });
    hashedRecord = paths.get({ kind: "deployment", network: "localhost", circuit: hashed.id, system: "groth16" });
    contracts.push(loc.contracts.verifier, loc.contracts.consumer, hashed.contracts.verifier, hashed.contracts.consumer);
    for (const f of [record, hashedRecord]) fs.rmSync(f, { force: true });
    // the setups deploy-verifier needs (cached); the default statement last, as a user who tried both would
    await proveModel({ root: ROOT, model, circuit: HASHED });
    await proveModel({ root: ROOT, model, circuit: DEFAULT, context: ACCOUNT0 }); // the node's first account submits
    ({ node, rpc } = await startHardhatNode());
  });

  after(() => {
    node?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const f of [record, hashedRecord]) fs.rmSync(f, { force: true });
    for (const c of contracts) fs.rmSync(paths.get({ kind: "verifierSol", contract: c }), { force: true });
  });

  it("the node unreachable: a clear error, exit non-zero, no record", () => {
    const r = hh({ LOCALHOST_RPC_URL: "http://127.0.0.1:9" }, "deploy-verifier", "--model", modelFile, "--network", "localhost", ...BITS);
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.match(/NETWORK_UNREACHABLE.*network localhost \(http:\/\/127\.0\.0\.1:9\): cannot reach the node/);
    expect(r.out).to.match(/fix: start one with `npx hardhat node`/);
    expect(fs.existsSync(record)).to.equal(false);
  });

  it("a key without funds: refused before sending, naming the address, no record", () => {
    const w = Wallet.createRandom();
    const r = deploy({ LOCALHOST_PRIVATE_KEY: w.privateKey });
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.contain(`INSUFFICIENT_FUNDS] network localhost: deployer ${w.address} has 0.000000 ETH`);
    expect(fs.existsSync(record)).to.equal(false);
  });

  it("deploys verifier and consumer, records them; a second run deploys nothing", () => {
    const r = deploy();
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.contain(`e2e-tiny-cnn (groth16) on localhost (chain 31337), recorded in ${path.relative(ROOT, record)}`);
    const rec = JSON.parse(fs.readFileSync(record, "utf8"));
    expect(rec).to.include({ format: "zkml-deployment/2", model: name, system: "groth16", network: "localhost", chainId: 31337, publicSignals: 4 });
    // the default statement: the label, then the 36 8-bit input values packed 31 to a limb, then the context (the submitter)
    expect(rec.statement.layout).to.deep.equal({
      output: { kind: "label", offset: 0, count: 1 },
      input: { kind: "limbs", offset: 1, count: 2, packing: { values: 36, bits: 8, perLimb: 31 } },
      weights: { kind: "none", offset: 3, count: 0 },
      context: { kind: "context", offset: 3, count: 1 },
      publicSignals: 4,
    });
    expect(r.out).to.contain("accepts a proof only from the address it is bound to");
    expect(rec.consumer.constructorArguments).to.deep.equal([rec.verifier.address]);
    // measured: verifier 385,753 gas with 3 public signals (1,121,705 when all 39 values were public); one more signal, the context, adds an IC point (~20k)
    expect(rec.verifier.gasUsed).to.be.within(250_000, 600_000);
    expect(rec.consumer.gasUsed).to.be.within(250_000, 450_000);
    const again = deploy();
    expect(again.code, again.out).to.equal(0);
    expect(again.out).to.contain("the record matches the chain: nothing deployed");
    expect(JSON.parse(fs.readFileSync(record, "utf8"))).to.deep.equal(rec);
  });

  it("submit-proof: the consumer packs the submitted pixels, accepts the proof; the printed event carries the reference's label and the input bytes' hash", async () => {
    const r = submit();
    expect(r.code, r.out).to.equal(0);
    const { q, x, reference } = await gasSubject(loadModelFile(modelFile));
    const label = reference.reduce((b, v, i) => (v > reference[b] ? i : b), 0);
    const bytes = Buffer.from(x.map((v) => Number(v - q.input.min)));
    expect(r.out).to.contain(`recorded: label ${label}, input hash ${keccak256(bytes)}`);
    const gas = Number(/gas ([0-9,]+)/.exec(r.out.split("proof accepted")[1])![1].replace(/,/g, ""));
    // 4 pairings (181k) + 21k + 4 signals x ~7k (the last the context, checked against msg.sender first) + the
    // consumer's packing, call and event: tiny-cnn's measured 243,391 in test/binding.test.ts
    expect(gas).to.be.within(200_000, 270_000);
  });

  it("submit-proof --job: a finished queue job's proof is accepted and its class recorded; under another statement's options it is refused, naming both circuits", async () => {
    const model = loadModelFile(modelFile);
    // bound, as the default statement is, to the account submit-proof sends from
    const spec: JobSpec = { model: modelFile, system: "groth16", visibility: DEFAULT_VISIBILITY, backend: "auto", inputs: [[...Array(36)].map((_, i) => ((i * 7) % 10) / 10)], context: String(ACCOUNT0) };
    const job = jobIdFor(locateCircuit(ROOT, model, "groth16", DEFAULT).id, spec);
    const jobDir = path.dirname(paths.get({ kind: "queueResult", job }));
    try {
      const result = await proveJob(ROOT, job, spec); // what a worker does with the job (no Redis needed to make one)
      const r = submit({}, "--job", job);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.contain(`recorded: label ${result.prediction.class}, input hash`);
      const other = submit({}, "--job", job, ...HASHED_FLAGS);
      expect(other.code).to.not.equal(0);
      expect(other.out).to.match(new RegExp(`PROOF_INVALID.*--job ${job}: proved for circuit ${result.circuit} \\(groth16\\); these options name circuit ${locateCircuit(ROOT, model, "groth16", HASHED).id}`));
      const missing = submit({}, "--job", `${job}0`);
      expect(missing.out).to.match(/PROOF_INVALID.*no finished result here/);
    } finally {
      fs.rmSync(jobDir, { recursive: true, force: true });
    }
  });

  describe("a node behind a connection that drops (test/helpers/proxy.ts)", () => {
    const port = () => Number(new URL(rpc).port);

    it("requests dropped before the node sees them: submit-proof repeats the reads and the unsent transaction, and succeeds", async () => {
      let sends = 0;
      // every fourth request dropped, and the first eth_sendTransaction: the node never receives those
      const proxy = await droppingProxy(port(), (method, i) => (method === "eth_sendTransaction" && sends++ === 0) || i % 4 === 3 ? "drop-request" : "pass");
      try {
        const before = Number(await blockNumber());
        const r = await submitAsync({ LOCALHOST_RPC_URL: proxy.url });
        expect(r.code, `${r.out}\n${JSON.stringify(proxy.seen)}`).to.equal(0);
        expect(r.out).to.contain("proof accepted");
        expect(proxy.seen.filter((s) => s.action === "drop-request").length).to.be.above(1);
        expect(proxy.seen.filter((s) => s.method === "eth_sendTransaction").map((s) => s.action)).to.deep.equal(["drop-request", "pass"]);
        expect(Number(await blockNumber()), "exactly one transaction mined").to.equal(before + 1);
      } finally {
        await proxy.close();
      }
    });

    it("the answer to a transaction dropped: not sent twice; the error names the URL and the used nonce; exit non-zero", async () => {
      const proxy = await droppingProxy(port(), (method) => (method === "eth_sendTransaction" ? "drop-response" : "pass"));
      try {
        const before = Number(await blockNumber());
        const r = await submitAsync({ LOCALHOST_RPC_URL: proxy.url });
        expect(r.code, r.out).to.not.equal(0);
        expect(r.out, JSON.stringify(proxy.seen)).to.match(/NETWORK_FAILED.*network localhost \(http:\/\/127\.0\.0\.1:\d+\).*the connection dropped after the node took the transaction \(nonce \d+ of 0x[0-9a-fA-F]{40} is now used/);
        expect(r.out).to.match(/look up 0x[0-9a-fA-F]{40}'s transaction with nonce \d+ before sending again/);
        expect(proxy.seen.filter((s) => s.method === "eth_sendTransaction").length).to.equal(1);
        expect(Number(await blockNumber()), "the one transaction the node took").to.equal(before + 1);
      } finally {
        await proxy.close();
      }
    });
  });

  it("a proof made with another verification key is refused before anything is sent", async () => {
    // prove-model's run folder holds the proof; a copy beside another key must be refused
    const loc = locateCircuit(ROOT, loadModelFile(modelFile), "groth16", DEFAULT);
    const runs = path.join(path.dirname(loc.r1cs), "..", "runs");
    const run = path.join(runs, fs.readdirSync(runs)[0]);
    const other = path.join(dir, "other-key");
    fs.mkdirSync(other);
    fs.copyFileSync(path.join(run, "groth16-proof.json"), path.join(other, "proof.json"));
    fs.copyFileSync(path.join(run, "groth16-public.json"), path.join(other, "public.json"));
    const vk = JSON.parse(fs.readFileSync(loc.vkey, "utf8"));
    vk.vk_alpha_1[0] = "1";
    fs.writeFileSync(path.join(other, "verification_key.json"), JSON.stringify(vk));
    const before = await blockNumber();
    const r = submit({}, "--proof", other);
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.match(/VKEY_MISMATCH.*vkeyHash: the proof was made with verification key sha256:/);
    expect(await blockNumber(), "no transaction was sent").to.equal(before);
  });

  it("a record for another chain: deploy-verifier and submit-proof refuse it; the record is left as it was", () => {
    const rec = JSON.parse(fs.readFileSync(record, "utf8"));
    const other = { ...rec, chainId: 11155111 };
    fs.writeFileSync(record, JSON.stringify(other, null, 1) + "\n");
    const text = fs.readFileSync(record, "utf8");
    for (const r of [deploy(), submit()]) {
      expect(r.code, r.out).to.not.equal(0);
      expect(r.out).to.match(/CHAIN_MISMATCH.*chainId: expected 11155111 \(the record\), got 31337/);
    }
    expect(fs.readFileSync(record, "utf8")).to.equal(text);
    fs.writeFileSync(record, JSON.stringify(rec, null, 1) + "\n"); // back to this chain, for the tests after
  });

  it("a circuit of another statement, built by the direct backend: verify-setup finds it; deploy-verifier and submit-proof take the same options and record the label and the input's commitment", async () => {
    const v = hh({}, "verify-setup", "--model", modelFile, ...BITS, ...HASHED_FLAGS);
    expect(v.code, v.out).to.equal(0);
    expect(v.out).to.match(/result\s+OK/);
    const d = deploy({}, ...HASHED_FLAGS);
    expect(d.code, d.out).to.equal(0);
    expect(d.out).to.contain(path.relative(ROOT, hashedRecord));
    const rec = JSON.parse(fs.readFileSync(hashedRecord, "utf8"));
    expect(rec.publicSignals).to.equal(2);
    expect(rec.statement.visibility).to.deep.equal(HASHED.visibility);
    const s = submit({}, ...HASHED_FLAGS);
    expect(s.code, s.out).to.equal(0);
    const model = loadModelFile(modelFile);
    const { x, reference } = await gasSubject(model);
    // the input's commitment is salted afresh for each proof: submit-proof's proof keeps its salt in the run's input.json
    const run = paths.get({ kind: "input", circuit: rec.statement.circuit, run: sha256(x.join(",")).slice(0, 16) });
    const xSalt = BigInt(JSON.parse(fs.readFileSync(run, "utf8")).xSalt);
    const st = await statementFor(quantizeFor(model), HASHED.visibility, x, reference, { xSalt });
    const label = reference.reduce((b, v, i) => (v > reference[b] ? i : b), 0);
    expect(s.out).to.contain(`recorded: label ${label}, input hash 0x${st.publicSignals[1].toString(16).padStart(64, "0")}`);
    // the default statement's record is untouched: two statements, two deployments
    expect(JSON.parse(fs.readFileSync(record, "utf8")).statement.visibility).to.deep.equal(DEFAULT_VISIBILITY);
  });
});
