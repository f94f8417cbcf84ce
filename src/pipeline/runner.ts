/**
 * Run a stage in a child process and measure it: wall seconds and peak resident memory of that process.
 *
 * The child runs plain JavaScript. Under ts-node each child would load the TypeScript compiler and transpile src/
 * again before the stage starts: about 100 MB more in every stage's measured peak (a prover that needs 230 MB
 * showed 330) and 1-2 s more to start. So the parent, which has TypeScript loaded already, transpiles src/*.ts
 * once per version of the sources into build/worker/<hash>/src/, and children run that copy.
 */
import { ChildProcess, fork } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { reviveError, ZkmlError } from "../core/errors";
import { tmpPath } from "../core/files";
import { PACKAGE_ROOT, workerDir } from "../core/paths";
import type { StageArgs, StageName, StageResult } from "./stages";

let workerFile: string | undefined;

/** src/, the root of the sources a worker copy is transpiled from (this file sits in src/pipeline/). */
const SOURCES = path.join(__dirname, "..");

/** Every TypeScript source under src/, as paths relative to it, sorted (the copy's hash depends on the order). */
function sourceFiles(dir = SOURCES): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path.relative(SOURCES, path.join(dir, e.name))] : []))
    .sort();
}

/** The worker entry as JavaScript: this folder's worker.js when the package is compiled, else a transpiled copy. */
export function workerEntry(): string {
  if (workerFile) return workerFile;
  if (__filename.endsWith(".js")) return (workerFile = path.join(__dirname, "worker.js"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const hash = crypto.createHash("sha256").update(ts.version);
  const sources = sourceFiles().map((f) => {
    const text = fs.readFileSync(path.join(SOURCES, f), "utf8");
    hash.update(`${f}\0${text}\0`);
    return { f, text };
  });
  const dir = workerDir(hash.digest("hex").slice(0, 16));
  const file = path.join(dir, "src", path.relative(SOURCES, __dirname), "worker.js");
  if (!fs.existsSync(file)) {
    const tsconfig = path.join(PACKAGE_ROOT, "tsconfig.json");
    const { config } = ts.readConfigFile(tsconfig, ts.sys.readFile);
    const options = { ...ts.convertCompilerOptionsFromJson(config?.compilerOptions ?? {}, PACKAGE_ROOT).options, module: ts.ModuleKind.CommonJS, sourceMap: false, declaration: false };
    const tmp = tmpPath(dir);
    for (const { f, text } of sources) {
      const out = path.join(tmp, "src", f.replace(/\.ts$/, ".js"));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, ts.transpileModule(text, { compilerOptions: options, fileName: f }).outputText);
    }
    // copies of older sources are dropped after a day (a run started before an edit may still be using one)
    for (const old of fs.readdirSync(path.dirname(dir))) {
      const p = path.join(path.dirname(dir), old);
      const age = Date.now() - (fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 86_400_000) fs.rmSync(p, { recursive: true, force: true });
    }
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!fs.existsSync(file)) throw e; // another process wrote the same copy first: use it
    }
  }
  return (workerFile = file);
}

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

/** The stage children alive now: none may outlive this process. */
const liveChildren = new Set<ChildProcess>();
let reaperInstalled = false;

/**
 * Every stage child dies with this process. On SIGTERM, SIGINT or SIGHUP, when nobody else in this process handles
 * the signal (the process is about to die of it), the children are killed first and the signal then takes its
 * default course; when someone does (a queue worker finishing its job in hand), the children are left to it and
 * are killed when the process exits. (A process killed with SIGKILL cannot take them along: each child also ends
 * itself when its channel to the parent closes, src/pipeline/worker.ts.)
 */
function installReaper(): void {
  if (reaperInstalled) return;
  reaperInstalled = true;
  const killAll = () => {
    for (const c of liveChildren) c.kill("SIGKILL");
    liveChildren.clear();
  };
  process.on("exit", killAll);
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    const onSignal = () => {
      if (process.listenerCount(sig) > 1) return; // someone else decides how this process ends
      killAll();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig); // the default action: this process dies of the signal, as it would have
    };
    // first in line, so the others are counted before a `once` listener among them removes itself
    process.prependListener(sig, onSignal);
  }
}

export function runStage<S extends StageName>(stage: S, args: StageArgs<S>, opts: RunOptions = {}): Promise<Measured<StageResult<S>>> {
  type T = StageResult<S>;
  const worker = workerEntry();
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    installReaper();
    const child = fork(worker, [], {
      execArgv: ["--max-old-space-size=8192"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    liveChildren.add(child);
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
      liveChildren.delete(child);
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

/**
 * Run a stage in this process: for a long-lived caller (a queue worker) whose light stages (the witness, the
 * verification) would spend more time starting a process than working. Seconds are this call's; no peak memory
 * is reported (the process's own would include everything else it holds).
 */
export async function runStageHere<S extends StageName>(stage: S, args: StageArgs<S>, opts: RunOptions = {}): Promise<{ result: StageResult<S>; seconds: number }> {
  const { STAGES } = await import("./stages");
  const t0 = process.hrtime.bigint();
  // one signature for every stage: their arguments are checked by StageArgs<S> at the call
  const fn = STAGES[stage] as (a: StageArgs<S>, progress?: (m: string) => void) => Promise<StageResult<S>>;
  const result = await fn(args, opts.onProgress);
  return { result, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
