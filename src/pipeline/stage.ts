/**
 * The one mechanism every prove-model stage goes through: reuse a cached result when the stage says it may, else
 * run it (in a measured child process, src/pipeline/runner.ts, or in this process), record what it cost as a
 * StageReport, and tell the progress display what is happening. A stage is a small spec; the runner does the rest.
 */

/** What a stage reports: wall seconds, the peak resident memory of the process that ran it, whether it was cached. */
export interface StageReport {
  stage: "quantize" | "render" | "compile" | "ptau" | "setup" | "witness" | "prove" | "verify" | "verifier";
  seconds: number;
  /** Peak resident memory of the process that ran the stage; null when it ran in this process or was cached. */
  peakMB: number | null;
  cached: boolean;
}

export type ReportedStage = StageReport["stage"];

/** Where progress goes: live lines on a terminal (src/report/progress.ts), plain lines elsewhere (lineProgress). */
export interface ProgressDisplay {
  /** a stage begins: what it does */
  start(stage: ReportedStage, title: string): void;
  /** news from a running stage: a heartbeat ("12 s, 340 MB") or its own progress ("ptau: 40% of ...") */
  update(stage: ReportedStage, message: string): void;
  /** a stage ended, with its one-line summary */
  finish(stage: ReportedStage, summary: string, cached: boolean): void;
  /** a line that belongs to no stage (the backend chosen, a trust note) */
  note(line: string): void;
  /** the run is over: release the terminal */
  stop(): void;
}

/** Progress as plain lines `stage: message`, through `log` (stderr that is not a terminal, tests, the bench). */
export function lineProgress(log: (line: string) => void): ProgressDisplay {
  return {
    start: (stage, title) => log(`${stage}: ${title}`),
    update: (stage, message) => log(`${stage}: ${message}`),
    finish: (stage, summary, cached) => log(`${stage}: ${cached ? `cached${summary ? `, ${summary}` : ""}` : summary}`),
    note: log,
    stop: () => undefined,
  };
}

/** What running a stage produced: its result, and when it ran in a child process, that process's measures. */
export interface StageOutcome<T> {
  result: T;
  seconds?: number;
  peakMB?: number;
  /** it ran but found its output already in place (a source file that held exactly what it would write) */
  cached?: boolean;
}

export interface StageSpec<T> {
  stage: ReportedStage;
  /** what it does, shown when it starts */
  title: string;
  /**
   * the cached result when it may be reused (the spec checks --force, its own keys, and the content hash of every
   * artifact it would reuse); undefined: run it. `stale` says why a cached artifact is not reused (shown as a note).
   */
  reuse?: (stale: (why: string) => void) => T | undefined | Promise<T | undefined>;
  run: (progress: (message: string) => void) => Promise<StageOutcome<T>>;
  /** one line about the result, shown when it ends (run or reused) */
  summary?: (result: T) => string;
}

export class StageRunner {
  readonly reports: StageReport[] = [];

  constructor(readonly display: ProgressDisplay) {}

  async run<T>(spec: StageSpec<T>): Promise<T> {
    const reused = await spec.reuse?.((why) => this.display.note(`${spec.stage}: ${why}: making it again`));
    if (reused !== undefined) {
      this.reports.push({ stage: spec.stage, seconds: 0, peakMB: null, cached: true });
      this.display.finish(spec.stage, spec.summary?.(reused) ?? "", true);
      return reused;
    }
    this.display.start(spec.stage, spec.title);
    const t0 = Date.now();
    const out = await spec.run((m) => this.display.update(spec.stage, m));
    const seconds = out.seconds ?? (Date.now() - t0) / 1000;
    const peakMB = out.peakMB ?? null;
    this.reports.push({ stage: spec.stage, seconds, peakMB, cached: out.cached ?? false });
    const cost = `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s${peakMB === null ? "" : `, ${peakMB.toFixed(0)} MB`}`;
    const summary = spec.summary?.(out.result);
    this.display.finish(spec.stage, summary ? `${summary} (${cost})` : cost, out.cached ?? false);
    return out.result;
  }
}
