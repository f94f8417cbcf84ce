/**
 * Child-process entry for one stage: receives {stage, args}, runs it, replies with its result, wall seconds and
 * this process's peak resident memory, then exits. One process per stage makes each stage's peak memory its own.
 */
import { isZkmlError } from "./errors";
import { STAGES, StageName } from "./stages";

process.once("message", async (msg: { stage: StageName; args: unknown }) => {
  const t0 = process.hrtime.bigint();
  try {
    const fn = STAGES[msg.stage] as (a: unknown, progress?: (m: string) => void) => Promise<unknown>;
    const result = await fn(msg.args, (m) => process.send?.({ progress: m }));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    process.send?.({ ok: true, result, seconds, maxRssKB: process.resourceUsage().maxRSS }, () => process.exit(0));
  } catch (e) {
    const err = isZkmlError(e) ? e.toJSON() : { message: (e as Error)?.stack ?? String(e) };
    process.send?.({ ok: false, error: err }, () => process.exit(1));
  }
});
