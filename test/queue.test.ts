/**
 * The proof queue against a real redis-server, started here on 127.0.0.1 on a free port with a temporary data
 * folder (.ci/run installs redis-server): jobs submitted from the command line, two workers in their own
 * processes, a bad input failing alone without retries, resubmission finding the known jobs, Redis unreachable.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { queueStatus, QueueStatus } from "../src/queue/queue";
import { ROOT, tmpDir } from "./helpers/circuit";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

const CLI = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("proof queue: prove-jobs and prove-worker on a real redis-server", function () {
  this.timeout(600_000);
  let redis: ChildProcess;
  let url: string;
  let dir: string;
  const workers: ChildProcess[] = [];
  const hh = (...args: string[]) => {
    const r = spawnSync("node", [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, REDIS_URL: url } });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout };
  };

  before(async () => {
    dir = tmpDir("queue");
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let t = 0; ; t++) {
      try {
        await queueStatus({ url });
        break;
      } catch (e) {
        if (t > 50) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });

  after(() => {
    for (const w of workers) w.kill("SIGKILL");
    redis?.kill("SIGKILL");
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
    expect(st.failures[0].error).to.match(/\[INPUT_OUT_OF_RANGE\].*2 is outside the model's calibrated input range \[0, 1\]/);

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
