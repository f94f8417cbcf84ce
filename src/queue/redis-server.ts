/**
 * A private redis-server for one run (the throughput benchmark, the tests): on 127.0.0.1, a free port, a
 * temporary data folder, no persistence; stopped and its folder removed by stop(), or when this process is
 * interrupted.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { freePort } from "../core/net";
import { checkRedis } from "./queue";

export interface RedisServer {
  url: string;
  stop: () => Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).error)
    throw new ZkmlError("QUEUE_UNREACHABLE", "redis-server: not found on PATH (this run starts a private one)", {
      hint: "install Redis (Debian: apt-get install redis-server), or point --redis at a running one",
    });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-redis-"));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const server: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  // Ctrl-C or a kill of this process takes the server with it (it would otherwise outlive the run)
  const onSignal = (sig: NodeJS.Signals) => {
    server.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
    process.kill(process.pid, sig);
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, onSignal);
  const stop = async () => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.off(sig, onSignal);
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let t = 0; ; t++) {
    try {
      await checkRedis({ url }, 1000);
      return { url, stop };
    } catch (e) {
      if (t >= 50 || server.exitCode !== null) {
        await stop();
        throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
