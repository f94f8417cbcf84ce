/**
 * Run a stage in a child process and measure it: wall seconds and peak resident memory of that process.
 */
import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { reviveError, ZkmlError } from "./errors";
import type { StageName } from "./stages";

export interface Measured<T> {
  result: T;
  seconds: number;
  peakMB: number;
}

export interface RunOptions {
  /** Called with progress lines from the stage, and with a heartbeat while it runs. */
  onProgress?: (msg: string) => void;
  heartbeatMs?: number;
}

function rssMB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function runStage<T>(stage: StageName, args: unknown, opts: RunOptions = {}): Promise<Measured<T>> {
  const worker = path.join(__dirname, "worker.ts");
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], {
      execArgv: ["-r", "ts-node/register/transpile-only", "--max-old-space-size=8192"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (out += d));
    let settled = false;
    const beat = setInterval(() => {
      const rss = child.pid ? rssMB(child.pid) : undefined;
      opts.onProgress?.(`${((Date.now() - t0) / 1000).toFixed(0)} s${rss ? `, ${rss.toFixed(0)} MB` : ""}`);
    }, opts.heartbeatMs ?? 5000);
    child.on("message", (m: { progress?: string; ok?: boolean; result?: T; seconds?: number; maxRssKB?: number; error?: { code?: string; message?: string; hint?: string } }) => {
      if (m.progress !== undefined) return opts.onProgress?.(m.progress);
      settled = true;
      clearInterval(beat);
      if (m.ok) resolve({ result: m.result as T, seconds: m.seconds ?? 0, peakMB: (m.maxRssKB ?? 0) / 1024 });
      else reject(reviveError(m.error ?? {}));
    });
    child.on("exit", (code, signal) => {
      clearInterval(beat);
      if (settled) return;
      const tail = out.trim().split("\n").slice(-15).join("\n");
      reject(
        new ZkmlError("STAGE_FAILED", `${stage} stage died (${signal ?? `exit code ${code}`})${tail ? `:\n${tail}` : ""}`, {
          hint: /heap|memory/i.test(out) ? "it ran out of memory: try a smaller model" : "see the output above",
        }),
      );
    });
    child.send({ stage, args });
  });
}
