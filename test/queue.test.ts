/**
 * The proof queue against a real redis-server, started here on 127.0.0.1 on a free port with a temporary data
 * folder (src/queue/redis-server.ts; npm test installs redis-server: scripts/test-deps.js): jobs submitted from the command line, two workers in their own
 * processes, a bad input failing alone without retries, resubmission finding the known jobs, Redis unreachable.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Paths } from "../src/core/paths";
import { describeProgress, queueProgress } from "../src/queue/progress";
import type { QueueStatus } from "../src/queue/jobs";
import { queueStatus } from "../src/queue/queue";
import { RedisServer, startRedisServer } from "../src/queue/redis-server";
import { systemFor } from "../src/systems/registry";
import { ROOT, tmpDir } from "./helpers/circuit";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

const CLI = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");

describe("proof queue: progress from status samples", () => {
  const at = (sec: number, done: number, waiting: number, failed = 0) => ({ at: sec * 1000, status: { waiting, active: 0, done, failed } });
  it("the rate counts the finishes over the last minute; time left is what remains at that rate", () => {
    // 20 jobs; 6 finished between t=0 and t=30 s: 12 a minute, 14 left -> 70 s
    expect(queueProgress([at(0, 0, 20), at(10, 1, 19), at(30, 5, 14, 1)])).to.deep.equal({ total: 20, done: 5, failed: 1, remaining: 14, perMinute: 12, secondsLeft: 70 });
    // the sample at t=0 is outside the window at t=90: the rate is (10 - 5) over the 60 s from t=30
    expect(queueProgress([at(0, 0, 20), at(30, 5, 15), at(90, 10, 10)]).perMinute).to.equal(5);
    // one sample: no rate yet; nothing finished: no time left to give; nothing remaining: 0 left
    expect(queueProgress([at(0, 0, 20)])).to.include({ perMinute: null, secondsLeft: null });
    expect(queueProgress([at(0, 2, 8), at(5, 2, 8)])).to.include({ perMinute: 0, secondsLeft: null });
    expect(queueProgress([at(0, 8, 2), at(5, 10, 0)])).to.include({ remaining: 0, secondsLeft: 0 });
    expect(describeProgress(queueProgress([at(0, 0, 20), at(10, 1, 19), at(30, 5, 14, 1)]))).to.equal("done 5/20, failed 1, 12.0 proofs a minute, about 70 s left");
  });
});

describe("proof queue: prove-jobs and prove-worker on a real redis-server", function () {
  this.timeout(600_000);
  let redis: RedisServer;
  let url: string;
  let dir: string;
  const workers: ChildProcess[] = [];
  const hh = (...args: string[]) => {
    const r = spawnSync("node", [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, REDIS_URL: url } });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout };
  };

  before(async () => {
    dir = tmpDir("queue");
    redis = await startRedisServer();
    url = redis.url;
  });

  /** The results of `ids` once the queue has finished them (up to 5 minutes): `prove-jobs results`. */
  const finished = async (doneBefore: number, ids: string[]) => {
    for (let t = 0; t < 300 && (await queueStatus({ url })).done < doneBefore + ids.length; t++) await new Promise((r) => setTimeout(r, 1000));
    const r = hh("prove-jobs", "results", "--json");
    return (JSON.parse(r.stdout.trim().split("\n").pop()!) as any[]).filter((x) => ids.includes(x.job));
  };

  after(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("6 tiny-cnn jobs, 2 workers: 5 proofs that verify, 1 bad input failed once with its error; resubmitting adds nothing", async () => {
    // five inputs in the declared range [0, 1], one past it (a job that must fail, and only once: no retry helps)
    const inputs = [1, 2, 3, 4, 5].map((k) => [...Array(36)].map((_, i) => ((i * k) % 10) / 10));
    inputs.push([...Array(36)].fill(2));
    const file = path.join(dir, "inputs.json");
    fs.writeFileSync(file, JSON.stringify({ inputs }));
    const model = path.join("test", "fixtures", "tiny-cnn.json");
    const s = hh("prove-jobs", "submit", "--model", model, "--inputs", file, "--json");
    expect(s.code, s.out).to.equal(0);
    const ids = (JSON.parse(s.stdout.trim().split("\n").pop()!) as { id: string; added: boolean }[]).map((j) => j.id);
    expect(new Set(ids).size).to.equal(6);

    for (let w = 0; w < 2; w++) workers.push(spawn("node", [CLI, "prove-worker", "--redis", url], { cwd: ROOT, stdio: "ignore" }));
    let st: QueueStatus = await queueStatus({ url });
    for (let t = 0; t < 240 && st.done + st.failed < 6; t++) {
      await new Promise((r) => setTimeout(r, 1000));
      st = await queueStatus({ url });
    }
    expect(st).to.deep.include({ waiting: 0, active: 0, done: 5, failed: 1 });
    expect(st.failures).to.have.length(1);
    expect(st.failures[0].id).to.equal(ids[5]);
    expect(st.failures[0].error).to.match(/\[INPUT_OUT_OF_RANGE\].*2 is outside the model's declared input range \[0, 1\]/);

    const out = path.join(dir, "results");
    const r = hh("prove-jobs", "results", "--out", out, "--json");
    expect(r.code, r.out).to.equal(0);
    const results = JSON.parse(r.stdout.trim().split("\n").pop()!) as any[];
    expect(results.map((x) => x.job).sort()).to.deep.equal(ids.slice(0, 5).sort());
    // every proof checks with stock snarkjs against the circuit's verification key
    const snarkjs = require("snarkjs");
    for (const x of results) {
      const vkey = JSON.parse(fs.readFileSync(path.join(ROOT, "build", "circuits", x.circuit, "groth16", "verification_key.json"), "utf8"));
      expect(await snarkjs.groth16.verify(vkey, x.publicSignals, x.proof), x.job).to.equal(true);
      expect(fs.existsSync(path.join(out, `${x.job}.json`))).to.equal(true);
    }

    const again = hh("prove-jobs", "submit", "--model", model, "--inputs", file, "--json");
    expect(again.code, again.out).to.equal(0);
    expect((JSON.parse(again.stdout.trim().split("\n").pop()!) as { added: boolean }[]).every((j) => !j.added)).to.equal(true);
    const status = hh("prove-jobs", "status", "--json");
    expect(JSON.parse(status.stdout.trim().split("\n").pop()!)).to.deep.include({ waiting: 0, done: 5, failed: 1 });

    // Ctrl-C (SIGTERM here) stops a worker cleanly, exit code 0; the next test runs its own two workers alone
    const stopped = workers.splice(0).map((w) => new Promise<number | null>((resolve) => (w.once("exit", (code) => resolve(code)), w.kill("SIGTERM"))));
    expect(await Promise.all(stopped)).to.deep.equal([0, 0]);
  });

  it("12 tiny-cnn jobs, 2 workers, one killed (SIGKILL) mid-proof: its job is taken over; all 12 verify, each completed once", async () => {
    // enough jobs that one is mid-proof when a worker is killed and the other worker still has work after it
    const JOBS = 12;
    // twelve inputs in the declared range never proved before (a proof of a known input is found in build/ and
    // not computed again, which would leave nothing to interrupt)
    const inputs = [...Array(JOBS)].map(() => [...Array(36)].map(() => Math.round(Math.random() * 1000) / 1000));
    const file = path.join(dir, `inputs-${JOBS}.json`);
    fs.writeFileSync(file, JSON.stringify({ inputs }));
    const s = hh("prove-jobs", "submit", "--model", path.join("test", "fixtures", "tiny-cnn.json"), "--inputs", file, "--json");
    expect(s.code, s.out).to.equal(0);
    const ids = (JSON.parse(s.stdout.trim().split("\n").pop()!) as { id: string; added: boolean }[]).filter((j) => j.added).map((j) => j.id);
    expect(ids).to.have.length(JOBS);

    // each worker in a process group of its own, so the kill takes its stage processes too, as a machine dying would;
    // their job locks last 5 s, not 30, and so does the stalled-job check's period (ZKML_QUEUE_LOCK_MS): the takeover
    // comes within seconds of the kill, not a minute (the same BullMQ path, only shorter waits)
    const logs = ["a", "b"].map((n) => path.join(dir, `worker-${n}.log`));
    const start = (log: string) => {
      const fd = fs.openSync(log, "a");
      const w = spawn("node", [CLI, "prove-worker", "--redis", url], { cwd: ROOT, stdio: ["ignore", fd, fd], detached: true, env: { ...process.env, ZKML_QUEUE_LOCK_MS: "5000" } });
      fs.closeSync(fd);
      workers.push(w);
      return w;
    };
    // a watcher follows the queue from before the workers start until nothing is left (then it exits by itself)
    const watchOut = path.join(dir, "watch.jsonl");
    const watchFd = fs.openSync(watchOut, "w");
    const watcher = spawn("node", [CLI, "prove-jobs", "status", "--watch", "--json", "--interval", "1", "--redis", url], { cwd: ROOT, stdio: ["ignore", watchFd, "ignore"] });
    fs.closeSync(watchFd);
    const watcherExit = new Promise<number | null>((resolve) => watcher.once("exit", (code) => resolve(code)));
    const t0 = Date.now();
    const [a, b] = logs.map(start);
    const read = (log: string) => fs.readFileSync(log, "utf8");
    // kill worker a while it proves: a job of its whose prove stage has begun and which it has not finished
    let victim: string | undefined;
    for (let t = 0; t < 1200 && !victim; t++) {
      await new Promise((r) => setTimeout(r, 100));
      const text = read(logs[0]);
      victim = ids.find((id) => text.includes(`${id}: prove: `) && !text.includes(`${id}: done`));
    }
    expect(victim, read(logs[0])).to.be.a("string");
    process.kill(-a.pid!, "SIGKILL");
    const killedAt = Date.now();

    let st: QueueStatus = await queueStatus({ url });
    for (let t = 0; t < 300 && st.done < 5 + JOBS; t++) {
      await new Promise((r) => setTimeout(r, 1000));
      st = await queueStatus({ url });
    }
    // the first test's five and these; its bad input stays failed
    expect(st, read(logs[1])).to.deep.include({ waiting: 0, active: 0, done: 5 + JOBS, failed: 1 });
    // the watcher saw the work finish at a measured rate, and stopped when nothing was left
    expect(await watcherExit).to.equal(0);
    const samples = fs.readFileSync(watchOut, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(samples.length).to.be.above(5);
    expect(samples[samples.length - 1]).to.deep.include({ waiting: 0, active: 0, done: 5 + JOBS, failed: 1, total: 6 + JOBS, secondsLeft: 0 });
    expect(samples.some((x) => x.perMinute > 0 && x.secondsLeft > 0)).to.equal(true);
    const aLog = read(logs[0]);
    const bLog = read(logs[1]);
    // every job completed exactly once, across both workers' logs; the victim by worker b, started again there
    for (const id of ids) expect((aLog + bLog).split(`${id}: done`).length - 1, id).to.equal(1);
    expect(aLog).to.not.include(`${victim}: done`);
    expect(bLog).to.match(new RegExp(`${victim}: started \\(attempt 2\\)`));
    expect(bLog).to.include(`${victim}: done`);
    const victimResult = JSON.parse(fs.readFileSync(new Paths(ROOT).get({ kind: "queueResult", job: victim! }), "utf8"));
    expect(victimResult.worker).to.match(new RegExp(`:${b.pid}$`));

    const r = hh("prove-jobs", "results", "--json");
    expect(r.code, r.out).to.equal(0);
    const results = (JSON.parse(r.stdout.trim().split("\n").pop()!) as any[]).filter((x) => ids.includes(x.job));
    expect(results).to.have.length(JOBS);
    const snarkjs = require("snarkjs");
    const vkey = JSON.parse(fs.readFileSync(path.join(ROOT, "build", "circuits", results[0].circuit, "groth16", "verification_key.json"), "utf8"));
    for (const x of results) expect(await snarkjs.groth16.verify(vkey, x.publicSignals, x.proof), x.job).to.equal(true);
    const at = (text: string, pattern: string) => {
      const line = text.split("\n").find((l) => l.includes(pattern));
      return line ? ((Date.parse(line.trim().split(" ")[0]) - t0) / 1000).toFixed(1) : "?";
    };
    console.log(
      `      timeline (s from the workers' start): killed a at ${((killedAt - t0) / 1000).toFixed(1)} mid-proof of ${victim!.slice(-16)}; ` +
        `b took it over at ${at(bLog, `${victim}: started (attempt 2)`)}, finished it at ${at(bLog, `${victim}: done`)}; all ${JOBS} done by ${((Date.now() - t0) / 1000).toFixed(1)}; ` +
        `a finished ${ids.filter((id) => aLog.includes(`${id}: done`)).length}, b ${ids.filter((id) => bLog.includes(`${id}: done`)).length}`,
    );
  });

  it("--batch 2: inputs in pairs, one proof each, a label per inference; an odd count is refused before anything is queued", async () => {
    const inputs = [...Array(4)].map(() => [...Array(36)].map(() => Math.round(Math.random() * 1000) / 1000));
    const file = path.join(dir, "inputs-batch.json");
    fs.writeFileSync(file, JSON.stringify({ inputs }));
    const model = path.join("test", "fixtures", "tiny-cnn.json");
    const odd = path.join(dir, "inputs-odd.json");
    fs.writeFileSync(odd, JSON.stringify({ inputs: inputs.slice(0, 3) }));
    const bad = hh("prove-jobs", "submit", "--model", model, "--inputs", odd, "--batch", "2");
    expect(bad.code).to.not.equal(0);
    expect(bad.out).to.match(/INPUT_INVALID.*inputs: 3 inputs do not make whole batches of 2 \(--batch 2\)/);
    const before = await queueStatus({ url });
    const s = hh("prove-jobs", "submit", "--model", model, "--inputs", file, "--batch", "2", "--json");
    expect(s.code, s.out).to.equal(0);
    const ids = (JSON.parse(s.stdout.trim().split("\n").pop()!) as { id: string }[]).map((j) => j.id);
    expect(ids).to.have.length(2);
    const w = spawn("node", [CLI, "prove-worker", "--redis", url], { cwd: ROOT, stdio: "ignore" });
    workers.push(w);
    const results = await finished(before.done, ids);
    expect(results).to.have.length(2);
    const snarkjs = require("snarkjs");
    const vkey = JSON.parse(fs.readFileSync(path.join(ROOT, "build", "circuits", results[0].circuit, "groth16", "verification_key.json"), "utf8"));
    for (const x of results) {
      expect(x.prediction.labels).to.have.length(2);
      expect(x.matchesReference).to.equal(true);
      expect(await snarkjs.groth16.verify(vkey, x.publicSignals, x.proof), x.job).to.equal(true);
    }
  });

  it("--system sumcheck --batch 2: a worker proves each pair in one proof, verifies it and returns its bytes; both verifiers accept them again", async () => {
    const inputs = [...Array(4)].map(() => [...Array(36)].map(() => Math.round(Math.random() * 1000) / 1000));
    const file = path.join(dir, "inputs-sumcheck.json");
    fs.writeFileSync(file, JSON.stringify({ inputs }));
    const model = path.join("test", "fixtures", "tiny-cnn.json");
    const before = await queueStatus({ url });
    const s = hh("prove-jobs", "submit", "--model", model, "--inputs", file, "--batch", "2", "--system", "sumcheck", "--input", "public", "--weights", "hashed", "--output", "public", "--json");
    expect(s.code, s.out).to.equal(0);
    const ids = (JSON.parse(s.stdout.trim().split("\n").pop()!) as { id: string }[]).map((j) => j.id);
    expect(ids).to.have.length(2);
    if (workers.every((w) => w.exitCode !== null)) workers.push(spawn("node", [CLI, "prove-worker", "--redis", url], { cwd: ROOT, stdio: "ignore" }));
    const results = await finished(before.done, ids);
    expect(results).to.have.length(2);
    const sys = systemFor({ system: "sumcheck" });
    if (sys.form !== "ir") throw new Error("expected an IR system");
    for (const x of results) {
      expect(x.system).to.equal("sumcheck");
      expect(x.prediction.labels).to.have.length(2);
      expect(x.matchesReference && x.verified).to.equal(true);
      const proof = path.join(dir, `${x.job}.bin`), pub = path.join(dir, `${x.job}.json`);
      fs.writeFileSync(proof, Buffer.from(x.proof.bytes, "base64"));
      fs.writeFileSync(pub, JSON.stringify(x.proof.public));
      const circuit = path.join(ROOT, "build", "circuits", x.circuit);
      const v = await sys.verify({ ir: path.join(circuit, "ir.json"), proof, public: pub, commitment: path.join(circuit, "sumcheck", "model.commitment") });
      expect(v.verifiers.map((y) => `${y.name}:${y.valid}`), x.job).to.deep.equal(["rust:true", "typescript:true"]);
    }
  });

  it("Redis unreachable: prove-jobs and prove-worker exit non-zero within seconds, naming the URL", () => {
    for (const args of [["prove-jobs", "status", "--redis", "redis://127.0.0.1:9"], ["prove-worker", "--redis", "redis://127.0.0.1:9"]]) {
      const t0 = Date.now();
      const r = hh(...args);
      expect(r.code, r.out).to.not.equal(0);
      expect(r.out).to.match(/QUEUE_UNREACHABLE.*Redis at redis:\/\/127\.0\.0\.1:9: cannot connect/);
      expect(Date.now() - t0).to.be.below(30_000);
    }
  });
});
