/**
 * Child-process entry for one stage: receives {stage, args}, runs it, replies with its result, wall seconds and
 * this process's peak resident memory, then exits. One process per stage makes each stage's peak memory its own.
 */
import * as fs from "fs";
import { isZkmlError } from "../core/errors";
import { anyFileError } from "../core/files";
import { STAGES, StageName } from "./stages";

/**
 * This process's own peak resident memory: VmHWM, the high-water mark of its address space. Not getrusage's
 * maxrss: Linux carries that across execve, and Node starts a child with a clone that shares the parent's memory
 * until exec, so maxrss reports the parent's peak whenever the parent is larger (every stage showed Hardhat's
 * 766 MB that way).
 */
function peakRssKB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]);
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS;
}

// the parent gone (killed without the chance to kill us: SIGKILL), this stage's work is for nobody
process.on("disconnect", () => process.exit(1));

process.once("message", async (msg: { stage: StageName; args: unknown }) => {
  const t0 = process.hrtime.bigint();
  try {
    const fn = STAGES[msg.stage] as (a: unknown, progress?: (m: string) => void) => Promise<unknown>;
    const result = await fn(msg.args, (m) => process.send?.({ progress: m }));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    process.send?.({ ok: true, result, seconds, maxRssKB: peakRssKB() }, () => process.exit(0));
  } catch (caught) {
    const e = anyFileError(caught); // a file it could not write or read is named (a read-only build folder, a full disk)
    const err = isZkmlError(e) ? e.toJSON() : { message: (e as Error)?.stack ?? String(e) };
    process.send?.({ ok: false, error: err }, () => process.exit(1));
  }
});
