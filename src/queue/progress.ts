/**
 * The queue's progress over time, as `prove-jobs status --watch` shows it: from successive status samples, how
 * many jobs are finished, the rate at which they finish (proofs a minute, over the last minute watched) and the
 * time left at that rate. Data only; tasks/queue.ts renders it (a live bar on a terminal, lines or JSON elsewhere).
 */
import type { QueueStatus } from "./jobs";

export interface QueueSample {
  /** milliseconds (Date.now()) */
  at: number;
  status: Pick<QueueStatus, "waiting" | "active" | "done" | "failed">;
}

export interface QueueProgress {
  total: number;
  done: number;
  failed: number;
  /** waiting and active */
  remaining: number;
  /** jobs finished (done or failed) a minute over the window; null before two samples span any time */
  perMinute: number | null;
  /** remaining / rate; null while the rate is unknown or zero */
  secondsLeft: number | null;
}

/** The rate window: long enough to smooth one proof's length, short enough to follow workers joining or leaving. */
export const RATE_WINDOW_MS = 60_000;

/** Progress from samples in time order; the rate counts the finishes between the newest sample and the oldest one inside the window. */
export function queueProgress(samples: QueueSample[], windowMs = RATE_WINDOW_MS): QueueProgress {
  if (samples.length === 0) throw new Error("queueProgress: no samples");
  const last = samples[samples.length - 1];
  const s = last.status;
  const finished = (x: QueueSample) => x.status.done + x.status.failed;
  const first = samples.find((x) => last.at - x.at <= windowMs) ?? last;
  const span = last.at - first.at;
  const perMinute = span > 0 ? ((finished(last) - finished(first)) / span) * 60_000 : null;
  const remaining = s.waiting + s.active;
  return {
    total: remaining + s.done + s.failed,
    done: s.done,
    failed: s.failed,
    remaining,
    perMinute,
    secondsLeft: perMinute ? (remaining / perMinute) * 60 : remaining === 0 ? 0 : null,
  };
}

/** "9.6 proofs a minute", or that the rate is not known yet */
export function rateText(p: QueueProgress): string {
  return p.perMinute === null ? "rate not yet known" : `${p.perMinute.toFixed(1)} proofs a minute`;
}

/** "about 50 s left", or "" while the time left is unknown */
export function leftText(p: QueueProgress): string {
  return p.secondsLeft === null ? "" : `about ${formatSeconds(p.secondsLeft)} left`;
}

/** "done 12/20, failed 1, 9.6 proofs a minute, about 50 s left" */
export function describeProgress(p: QueueProgress): string {
  return [`done ${p.done}/${p.total}`, `failed ${p.failed}`, rateText(p), leftText(p)].filter(Boolean).join(", ");
}

export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
