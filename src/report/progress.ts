/**
 * prove-model's progress on a terminal: a live line per stage (cli-progress), with its percent where the stage
 * reports one, its elapsed seconds, the peak memory of its process so far, and what it is doing; a finished stage
 * keeps its line with its summary. Elsewhere (a pipe, a file, CI) the pipeline prints plain lines instead
 * (src/pipeline/stage.ts lineProgress).
 */
import type { MultiBar, SingleBar } from "cli-progress";
import type { ProgressDisplay, ReportedStage } from "../pipeline/stage";

/** The runner's heartbeat ("12 s, 340 MB"): elapsed seconds and the child's resident memory. */
const HEARTBEAT = /^\d+ s(?:, (\d+) MB)?$/;

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MultiBar, Presets } = require("cli-progress") as typeof import("cli-progress");
  const multi: MultiBar = new MultiBar(
    { stream, format: "  {stage} {bar} {pct} {time} {memory} {message}", barsize: 16, hideCursor: true, clearOnComplete: false, fps: 4, noTTYOutput: false },
    Presets.shades_classic,
  );
  const running = new Map<ReportedStage, { bar: SingleBar; t0: number; peak: number }>();
  const fields = (stage: ReportedStage, f: Partial<Record<"pct" | "time" | "memory" | "message", string>>) => ({ stage: stage.padEnd(8), pct: "    ", time: "     ", memory: "       ", message: "", ...f });
  const tick = setInterval(() => {
    for (const [, r] of running) r.bar.update({ time: `${((Date.now() - r.t0) / 1000).toFixed(0).padStart(4)}s` });
  }, 1000);
  tick.unref();
  return {
    start(stage, title) {
      running.set(stage, { bar: multi.create(100, 0, fields(stage, { message: title })), t0: Date.now(), peak: 0 });
    },
    update(stage, message) {
      const r = running.get(stage);
      if (!r) return;
      const beat = HEARTBEAT.exec(message);
      if (beat) {
        if (beat[1]) r.peak = Math.max(r.peak, Number(beat[1]));
        r.bar.update({ memory: r.peak ? `${String(r.peak).padStart(5)} MB` : "" });
        return;
      }
      const pct = /(\d+(?:\.\d+)?)%/.exec(message);
      if (pct) r.bar.update(Number(pct[1]), { pct: `${Number(pct[1]).toFixed(0).padStart(3)}%`, message });
      else r.bar.update({ message });
    },
    finish(stage, summary, cached) {
      const r = running.get(stage);
      running.delete(stage);
      const bar = r?.bar ?? multi.create(100, 0, fields(stage, {}));
      // the summary carries the measured seconds and memory; the live clock (which counts the process start) stops
      bar.update(100, { pct: cached ? "    " : "100%", time: cached ? "cached" : "  done", memory: "", message: summary });
      bar.stop();
    },
    note(line) {
      multi.log(`  ${line}\n`);
    },
    stop() {
      clearInterval(tick);
      multi.stop();
    },
  };
}
