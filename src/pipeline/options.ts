/**
 * What a prove-model run is asked (ProveOptions, grouped: what is proved, the circuit, the setup's trust, how it
 * executes, who watches), and what its stages share once it is resolved (Run).
 */
import { sha256 } from "../core/files";
import { Paths, ProofSystem } from "../core/paths";
import type { QModel } from "../ir/ir";
import type { ModelFile } from "../model/format";
import type { SetupTrust } from "../setup/trust";
import type { Statement } from "../statement/statement";
import { DEFAULT_VISIBILITY } from "../statement/visibility";
import { systemFor } from "../systems/registry";
import type { CircuitSystem, ProofSystemImpl, Prover, Pcs } from "../systems/system";
import type { CircuitOptions } from "./circuit";
import { lineProgress, ProgressDisplay } from "./stage";
import { runStage, runStageHere } from "./runner";
import type { StageArgs, StageResult } from "./stages";

/** Stages a long-lived caller may run in its own process rather than a measured child. */
export type InProcessStage = "witness" | "directWitness" | "verify" | "irProve" | "irVerify";

/** How the run executes. */
export interface Execution {
  /** redo every stage, cached or not */
  force?: boolean;
  /** The model already quantized with the circuit's quant (the bench has it), so it is not quantized again here. */
  quantized?: QModel;
  /** Render (quantize + write the circuit source) in a measured child process, which resolves the model by this
   * reference (a built-in name, paper0/<net> or a path) itself. */
  renderInChild?: { modelRef: string };
  /** Stages to run in this process rather than a measured child (a queue worker: the witness and the verification,
   * whose process start costs more than their work); default none */
  inProcess?: readonly InProcessStage[];
  /** An IR system's verification by its native verifier alone (a queue worker at volume: the TypeScript verifier's
   * bigint arithmetic costs several times the proof on a large batch); default every verifier, which must agree */
  irVerifiers?: "all" | "native";
  /** Keep a development ptau's secrets beside it (default true: Groth16 setups from it are then computed from
   * them, in seconds). A queue worker writes into an artifact store other machines share: it keeps none, so the
   * store never carries them to other workers (its setups go from the ptau's points). */
  keepPtauSecrets?: boolean;
}

/** Who watches the run. */
export interface Observation {
  /** plain progress lines (default: none) */
  log?: (line: string) => void;
  /** a progress display (a terminal's live lines); default: plain lines through `log` */
  progress?: ProgressDisplay;
}

export interface ProveOptions {
  root: string;
  model: ModelFile;
  /** groth16 (default), plonk or fflonk; who proves (default: the system's first prover in the registry). */
  system?: ProofSystem;
  prover?: Prover;
  /** The circuit: what the verifier sees (default: the default statement), the backend (auto), the quantization. */
  circuit?: Partial<CircuitOptions>;
  /** The input file (default: the model's default input, or N of them for a batch). */
  inputFile?: string;
  /** The context a statement with one is bound to (visibility.context "sender": the submitter's address as a
   * number, uint160); required by such a statement, ignored by others. */
  context?: bigint;
  /** Prove in zero knowledge: what the statement calls private stays hidden. Groth16, PLONK and FFLONK always do;
   * the sumcheck system does with this (format 3), for the statements its zero-knowledge prover takes. */
  zeroKnowledge?: boolean;
  /** An IR system's polynomial commitment: hyrax (default, no setup) or kzg (a powers of tau, resolved as for
   * Groth16: --ptau, --download-ptau or a development one; the on-chain form, docs/design/kzg-pcs.md). */
  pcs?: Pcs;
  /** Where the setup's trust comes from (src/setup/trust.ts); from the config with `ptauTrust`. */
  trust?: SetupTrust;
  execution?: Execution;
  observe?: Observation;
}

/** What every stage of one prove-model run shares; the system's form decides its path (a circuit system's stages
 * take a Run<CircuitSystem>, an IR system's a Run<IrSystem>). */
export interface Run<S extends ProofSystemImpl = CircuitSystem> {
  opts: ProveOptions;
  paths: Paths;
  sys: S;
  circuit: CircuitOptions;
  trust: SetupTrust;
  exec: Execution;
  force: boolean;
}

export function resolveRun(opts: ProveOptions): Run<ProofSystemImpl> {
  const circuit: CircuitOptions = { visibility: opts.circuit?.visibility ?? DEFAULT_VISIBILITY, backend: opts.circuit?.backend ?? "auto", quant: opts.circuit?.quant ?? {} };
  const exec = opts.execution ?? {};
  return { opts, paths: new Paths(opts.root), sys: systemFor({ system: opts.system ?? "groth16", prover: opts.prover }), circuit, trust: opts.trust ?? {}, exec, force: exec.force ?? false };
}

export const displayFor = (o: Observation | undefined): ProgressDisplay => o?.progress ?? lineProgress(o?.log ?? (() => undefined));

/** The input, quantized, with the reference's output and the statement a proof of it makes. */
export interface Subject {
  q: QModel;
  /** values: the real input(s) (one per inference), what the float model is run on for the report's error */
  given: { source: string; label?: number; values: ArrayLike<number>[] };
  x: bigint[];
  reference: bigint[];
  statement: Statement;
}

/** How large a setup the compiled circuit needs. */
export interface CircuitSize {
  nPublic: number;
  gates?: number;
  power: number;
}

export interface RunFiles {
  wtns: string;
  input: string;
  proof: string;
  public: string;
  proofMeta: string;
}

/** A run's files: one folder per input (and context, when the statement is bound to one) under the circuit's runs/. */
export function runFiles(run: Run<ProofSystemImpl>, id: string, x: bigint[]): RunFiles {
  const context = run.circuit.visibility.context === "sender" && run.opts.context !== undefined ? `;context ${run.opts.context}` : "";
  const r = sha256(x.join(",") + context).slice(0, 16);
  const system = run.sys.protocol;
  const proof = run.paths.get({ kind: "proof", circuit: id, run: r, system });
  return {
    wtns: run.paths.get({ kind: "witness", circuit: id, run: r }),
    input: run.paths.get({ kind: "input", circuit: id, run: r }),
    proof,
    public: run.paths.get({ kind: "public", circuit: id, run: r, system }),
    proofMeta: `${proof}.meta.json`,
  };
}

/** A light stage in a measured child, or in this process when the caller asked (Execution.inProcess). */
export function lightStage<S extends InProcessStage>(run: Run<ProofSystemImpl>, stage: S, args: StageArgs<S>, progress?: (m: string) => void): Promise<{ result: StageResult<S>; seconds: number; peakMB?: number }> {
  return run.exec.inProcess?.includes(stage) ? runStageHere(stage, args, { onProgress: progress }) : runStage(stage, args, { onProgress: progress });
}
