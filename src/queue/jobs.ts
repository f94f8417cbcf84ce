/**
 * A proof job: one proof of a model under a statement, over one inference or (a batch statement) several. Its id is (circuit id, input hash): the circuit id
 * already names the model, its quantization, the statement and the backend (src/pipeline/circuit.ts), so the same
 * inference submitted twice is the same job, and a finished one is never proved again.
 */
import { createHash } from "crypto";
import type { ProofSystem } from "../core/paths";
import type { CircuitOptions } from "../pipeline/circuit";
import type { Visibility } from "../statement/visibility";

/** What a worker needs to prove a job: JSON-safe (it travels through Redis). */
export interface JobSpec {
  /** a built-in model name or a model file's path (workers resolve it against their own project root) */
  model: string;
  system: ProofSystem;
  visibility: Visibility;
  backend: CircuitOptions["backend"];
  scaleBits?: number;
  saturate?: "on" | "off" | "auto";
  /** the real input values (each flat), one per inference: as many as the statement's batch (1 without one) */
  inputs: number[][];
  /** a statement bound to a context (the default, `sender`): the value its proof is bound to, decimal (the
   * address that will submit it, as uint160; prove-jobs submit takes it from --bind-to, else the network's first
   * account); absent for a statement without one */
  context?: string;
}

/** What a finished job leaves, in Redis and on disk (build/queue/<job>/result.json). */
export interface JobResult {
  job: string;
  model: string;
  circuit: string;
  system: ProofSystem;
  proof: unknown;
  publicSignals: string[];
  verified: boolean;
  matchesReference: boolean;
  prediction: { class: number; labels?: number[] };
  proveSeconds: number | null;
  totalSeconds: number;
  /** the worker that proved it (host:pid) and when it finished */
  worker: string;
  finishedAt: string;
}

/** The job id: the circuit's id and a hash of the input, and of the context when the job has one (the same input
 * bound to two submitters is two proofs) (BullMQ ids may not contain ':'). */
export function jobIdFor(circuitId: string, spec: Pick<JobSpec, "system" | "inputs" | "context">): string {
  const h = createHash("sha256").update(`${spec.system}\n${JSON.stringify(spec.inputs)}${spec.context === undefined ? "" : `\ncontext ${spec.context}`}`).digest("hex").slice(0, 16);
  return `${circuitId}-${spec.system}-${h}`;
}

/** The queue at one moment: counts of jobs by state (shared by queue.ts, which samples it, and progress.ts). */
export interface QueueStatus {
  waiting: number;
  active: number;
  done: number;
  failed: number;
  /** the failed jobs' ids and last errors */
  failures: { id: string; error: string }[];
}
