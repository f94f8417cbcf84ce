/**
 * Faults a user meets, each with a bound in time and a clear error (issue 31, item 5): a Redis or an RPC endpoint
 * that accepts the connection and never answers (a TCP server on 127.0.0.1 here); prove-model's stage children
 * killed with it on SIGTERM, SIGINT and SIGHUP; a proof worker whose Redis is gone stopping within seconds of
 * SIGTERM; files that cannot be written or read named as such; a contract's revert decoded by its custom error's name.
 */
import { expect } from "chai";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { ContractFactory, JsonRpcProvider } from "ethers";
import { isZkmlError, ZkmlError } from "../src/core/errors";
import { anyFileError, readJsonFile, writeFileAtomic } from "../src/core/files";
import { freePort } from "../src/core/net";
import { readProofFiles } from "../src/evm/compare";
import { readNode, revertReason } from "../src/evm/rpc";
import { compileSolidity } from "../src/evm/solc";
import { checkRedis } from "../src/queue/queue";
import { RedisServer, startRedisServer } from "../src/queue/redis-server";
import { ROOT, tmpDir } from "./helpers/circuit";
import { thrown } from "./helpers/errors";

/* eslint-disable @typescript-eslint/no-explicit-any */

const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");

/** A server that takes every connection and never sends a byte. */
async function silentServer(): Promise<{ url: (scheme: string) => string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => undefined);
    s.on("close", () => sockets.delete(s));
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return {
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Run a task as a process; resolves with its exit, output and wall seconds (killed after `limitMs`). */
function task(args: string[], env: Record<string, string>, limitMs: number): Promise<{ code: number | null; out: string; seconds: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const c = spawn("node", [HARDHAT, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = "";
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (out += d));
    const kill = setTimeout(() => c.kill("SIGKILL"), limitMs);
    c.on("close", (code) => {
      clearTimeout(kill);
      resolve({ code, out, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/status`, "utf8").includes("State:\tZ");
  } catch {
    return false;
  }
};
/** Every process below `pid` (children, their children...). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const t of fs.readdirSync(`/proc/${pid}/task`, { withFileTypes: true })) {
    let kids: number[] = [];
    try {
      kids = fs.readFileSync(`/proc/${pid}/task/${t.name}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      /* gone */
    }
    for (const k of kids) out.push(k, ...descendants(k));
  }
  return out;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("faults: bounded in time, with clear errors", function () {
  this.timeout(300_000);
  const dir = tmpDir("faults");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("endpoints that accept the connection and never answer", () => {
    let silent: Awaited<ReturnType<typeof silentServer>>;
    before(async () => (silent = await silentServer()));
    after(() => silent.close());

    it("Redis: checkRedis gives up within seconds, naming the URL; prove-jobs status exits non-zero", async () => {
      const url = silent.url("redis");
      const t0 = Date.now();
      let e: unknown;
      await checkRedis({ url }, 1000).catch((x) => (e = x));
      expect(Date.now() - t0).to.be.below(3000);
      expect(isZkmlError(e), String(e)).to.equal(true);
      expect((e as ZkmlError).code).to.equal("QUEUE_UNREACHABLE");
      expect((e as ZkmlError).message).to.contain(url).and.to.contain("no answer within");
      const r = await task(["prove-jobs", "status", "--redis", url], {}, 60_000);
      expect(r.code, r.out).to.not.equal(0);
      expect(r.out).to.contain("[QUEUE_UNREACHABLE]").and.to.contain(url);
      expect(r.seconds).to.be.below(30);
    });

    it("an RPC endpoint: a read gives up after the timeout, naming the URL; deploy-verifier exits non-zero naming it", async () => {
      const url = silent.url("http");
      const provider = new JsonRpcProvider(url, 31337, { staticNetwork: true });
      const t0 = Date.now();
      let e: unknown;
      await readNode({ network: "localhost", url, timeoutMs: 1000 }, "reading the chain id", () => provider.getBlockNumber()).catch((x) => (e = x));
      provider.destroy();
      expect(Date.now() - t0).to.be.below(3000);
      expect(isZkmlError(e), String(e)).to.equal(true);
      expect((e as ZkmlError).code).to.equal("NETWORK_UNREACHABLE");
      expect((e as ZkmlError).message).to.contain(url).and.to.contain("no answer within 1 s");
      // the task (tiny-cnn's default statement is set up by the tests that prove it; the check comes before the node)
      const r = await task(["deploy-verifier", "--model", TINY, "--network", "localhost"], { LOCALHOST_RPC_URL: url, ZKML_RPC_TIMEOUT_MS: "2000" }, 120_000);
      expect(r.code, r.out).to.not.equal(0);
      if (/SETUP_NOT_FOUND|ARTIFACT_CHANGED/.test(r.out)) return; // no (current) setup of tiny-cnn here: the read was not reached
      expect(r.out).to.contain("[NETWORK_UNREACHABLE]").and.to.contain(url).and.to.contain("no answer within 2 s");
      expect(r.out).to.not.contain("HeadersTimeoutError");
    });
  });

  describe("prove-model's stage children die with it", () => {
    let model: string;
    before(() => {
      // its own name, so its circuit is its own: every run compiles (in a child) and is stopped during it
      model = path.join(dir, "faults-tiny-cnn.json");
      fs.writeFileSync(model, JSON.stringify({ ...JSON.parse(fs.readFileSync(TINY, "utf8")), name: "faults-tiny-cnn" }));
    });

    for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
      it(`${sig} during the compile stage: no child survives`, async () => {
        const c: ChildProcess = spawn("node", [HARDHAT, "prove-model", "--model", model, "--backend", "circom", "--force"], { cwd: ROOT, env: { ...process.env, CI: "true" } });
        let out = "";
        c.stdout!.on("data", (d) => (out += d));
        c.stderr!.on("data", (d) => (out += d));
        const exited = new Promise<void>((r) => c.on("exit", () => r()));
        let kids: number[] = [];
        for (let t = 0; t < 1200 && kids.length === 0; t++) {
          await sleep(50);
          if (/compile: circom2/.test(out)) kids = descendants(c.pid!);
        }
        expect(kids.length, `no stage child seen:\n${out}`).to.be.greaterThan(0);
        c.kill(sig);
        await Promise.race([exited, sleep(10_000)]);
        expect(alive(c.pid!), "prove-model still running").to.equal(false);
        await sleep(500);
        expect(kids.filter(alive), `children alive after prove-model died of ${sig}`).to.deep.equal([]);
      });
    }
  });

  describe("a proof worker whose Redis is gone", () => {
    let redis: RedisServer | undefined;
    before(async function () {
      if (spawnSync("redis-server", ["--version"]).error) return this.skip(); // npm test installs it (scripts/test-deps.js)
      redis = await startRedisServer();
    });
    after(() => redis?.stop());

    it("exits within seconds of SIGTERM", async () => {
      const c = spawn("node", [HARDHAT, "prove-worker", "--redis", redis!.url], { cwd: ROOT, env: { ...process.env } });
      let out = "";
      c.stdout.on("data", (d) => (out += d));
      c.stderr.on("data", (d) => (out += d));
      const exited = new Promise<number | null>((r) => c.on("exit", (code) => r(code)));
      for (let t = 0; t < 1200 && !/waiting for jobs/.test(out); t++) await sleep(50);
      expect(out).to.contain("waiting for jobs");
      await redis!.stop();
      redis = undefined;
      await sleep(1500); // it is now reconnecting, failing, logging
      const t0 = Date.now();
      c.kill("SIGTERM");
      const code = await Promise.race([exited, sleep(10_000).then(() => "still alive" as const)]);
      if (code === "still alive") c.kill("SIGKILL");
      expect(code, out).to.not.equal("still alive");
      expect(Date.now() - t0).to.be.below(6000);
      expect(out).to.contain("worker: stopped");
    });
  });

  describe("files", () => {
    it("a folder that cannot be written: FILE_WRITE_FAILED naming the file, not a raw EPERM", () => {
      const target = "/sys/zkml-test/build/compile.json"; // /sys is read-only for everyone, root too
      let e: unknown;
      try {
        writeFileAtomic(target, "{}");
      } catch (x) {
        e = x;
      }
      expect(isZkmlError(e), String(e)).to.equal(true);
      expect((e as ZkmlError).code).to.equal("FILE_WRITE_FAILED");
      expect((e as ZkmlError).file).to.equal(target);
      expect((e as ZkmlError).hint).to.contain("writable");
      // any raw file error reaching a task's boundary is named the same way
      const raw = Object.assign(new Error("EACCES: permission denied, mkdir '/p/build/worker'"), { code: "EACCES", syscall: "mkdir", path: "/p/build/worker" });
      const named = anyFileError(raw) as ZkmlError;
      expect(named.code).to.equal("FILE_WRITE_FAILED");
      expect(named.message).to.contain("/p/build/worker").and.to.contain("permission denied");
    });

    it("a full disk: FILE_WRITE_FAILED naming the file, nothing half-written left", function () {
      const mnt = path.join(dir, "full");
      fs.mkdirSync(mnt);
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt], { stdio: "ignore" });
      } catch {
        return this.skip(); // not allowed to mount here (not root): covered by the errno table
      }
      try {
        const target = path.join(mnt, "circuit.zkey");
        let e: unknown;
        try {
          writeFileAtomic(target, Buffer.alloc(1 << 20));
        } catch (x) {
          e = x;
        }
        expect((e as ZkmlError).code).to.equal("FILE_WRITE_FAILED");
        expect((e as ZkmlError).file).to.equal(target);
        expect((e as ZkmlError).message).to.contain("no space left").and.to.contain("ENOSPC");
        expect(fs.readdirSync(mnt)).to.deep.equal([]);
      } finally {
        execFileSync("umount", [mnt]);
      }
    });

    it("a truncated proof.json or an empty public.json: PROOF_INVALID naming the file", () => {
      const proof = path.join(dir, "proof.json");
      const pub = path.join(dir, "public.json");
      fs.writeFileSync(proof, '{"pi_a": ["1", "2"');
      fs.writeFileSync(pub, "");
      let e = thrown(() => readProofFiles(proof, pub));
      expect(e.code).to.equal("PROOF_INVALID");
      expect(e.file).to.equal(proof);
      expect(e.message).to.contain("truncated");
      fs.writeFileSync(proof, '{"pi_a": []}');
      e = thrown(() => readProofFiles(proof, pub));
      expect(e.file).to.equal(pub);
      expect(e.message).to.contain("empty");
      e = thrown(() => readJsonFile(path.join(dir, "nope.json"), "PROOF_INVALID", "x"));
      expect(e.message).to.contain("file not found");
    });
  });

  it("a reverted call is shown by the contract's error name, not its selector", async () => {
    const hre = await import("hardhat");
    const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Reverter {
    error ProofRejected();
    error ModelMismatch(uint256 commitment);
    function submit(uint256 x) external pure returns (bool) {
        if (x == 1) revert ProofRejected();
        if (x == 2) revert("plain reason");
        revert ModelMismatch(x);
    }
}`;
    const c = compileSolidity({ "Reverter.sol": source }).get("Reverter")!;
    const [signer] = await (hre as any).ethers.getSigners();
    const contract: any = await new ContractFactory(c.abi, c.bytecode, signer).deploy();
    const reasonOf = async (x: number, abi = c.abi) => {
      try {
        await contract.submit.staticCall(x);
      } catch (e) {
        return revertReason(e, abi);
      }
      throw new Error("no revert");
    };
    expect(await reasonOf(1)).to.equal("ProofRejected()");
    expect(await reasonOf(5)).to.equal("ModelMismatch(5)");
    expect(await reasonOf(2)).to.equal('Error("plain reason")');
    // a node's JSON-RPC error as a remote provider relays it: only the data, nothing decoded
    const data = new (await import("ethers")).Interface(c.abi).encodeErrorResult("ModelMismatch", [7]);
    expect(revertReason({ message: "execution reverted", info: { error: { code: 3, message: "execution reverted", data } } }, c.abi)).to.equal("ModelMismatch(7)");
    expect(revertReason({ message: `VM Exception while processing transaction: reverted with an unrecognized custom error (return data: ${data})` }, c.abi)).to.equal("ModelMismatch(7)");
    expect(revertReason({ data: "0xdeadbeef" }, c.abi)).to.contain("selector 0xdeadbeef");
  });
});

