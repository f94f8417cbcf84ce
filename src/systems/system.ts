/**
 * What a proof system is to this toolkit: one interface that every system implements (src/systems/<name>/), and
 * the only thing the pipeline, gas measurement, bench and queue know of a system. They ask the registry
 * (./registry.ts) for one and call it; none of them switches on a system's name.
 *
 * A system here is a protocol (what its keys, proofs and verifiers are: `protocol`, which also names its artifacts
 * under build/) together with the prover that makes its proofs: Groth16 has two (the native one and snarkjs's),
 * which share everything but `prove`.
 *
 * Systems come in two forms: a circuit system (`form: "r1cs"`: Groth16, PLONK, FFLONK) proves the R1CS the
 * backends write, after a setup from a powers of tau; an IR system (`form: "ir"`: the sumcheck system) proves the
 * quantized IR itself, with no circuit, no setup and no witness file. The pipeline takes the path of the form.
 */
import type { CircuitProtocol, ProofSystem } from "../core/paths";
import type { SolidityProofParams } from "../backends/solidity/consumer";
import type { QModel } from "../ir/ir";
import type { Visibility } from "../statement/visibility";

export type { ProofSystem } from "../core/paths";

/** Who makes the proofs: the native addon (Rust), or snarkjs (WebAssembly, the reference). */
export type Prover = "native" | "snarkjs";

/** A circuit's size as a system's cost model reads it. `gates` only for systems that count them (`countsGates`). */
export interface CircuitCounts {
  constraints: number;
  publicSignals: number;
  gates?: number;
}

/** The circuit-specific keys, from the circuit and a powers of tau. */
export interface SetupArgs {
  r1cs: string;
  ptau: string;
  zkey: string;
  vkey: string;
  /** A per-circuit ceremony only (`ceremony`): the user's contribution, closed by a beacon. */
  contribute?: { entropy: string; beacon?: string; name?: string };
  /** Where a development ptau's secrets may be kept (src/setup/ptau.ts): when they are there and belong to the
   * ptau, a system that can use them computes its key from them. */
  devSecrets?: string;
}

export interface SetupResult {
  zkey: string;
  vkey: string;
  power: number;
  /** Names of the key's phase-2 contributions, oldest first (none for a universal setup). */
  contributions: string[];
  /** The beacon's hash when one closed the setup. */
  beacon?: string;
  /** Gates after the system's translation of the R1CS, for systems that count them. */
  gates?: number;
  /** How the key was computed, when a system has several ways. */
  method?: string;
}

export interface ProveArgs {
  zkey: string;
  wtns: string;
  /** The circuit: a prover that checks the witness against it first (the native one) reads it. */
  r1cs: string;
  proof: string;
  public: string;
}

export interface ProveResult {
  /** Bytes of the proof as the verifier contract takes it (public values not counted). */
  proofBytes: number;
  publicSignals: number;
  prover: Prover;
  timings?: { phase: string; ms: number }[];
}

export interface VerifyArgs {
  vkey: string;
  proof: string;
  public: string;
}

/** A proof as its verifier contract takes it: the proof's words and the public values. */
export interface VerifierInput {
  proof: bigint[];
  publicSignals: bigint[];
}

interface SystemBase {
  readonly protocol: ProofSystem;
  readonly prover: Prover;
  /** One line for --help and reports. */
  readonly description: string;
}

/** A system that proves the R1CS of a circuit, after a setup. */
export interface CircuitSystem extends SystemBase {
  readonly protocol: CircuitProtocol;
  readonly form: "r1cs";
  /** A circuit-specific ceremony exists (phase 2), which a user can contribute to (--contribute). */
  readonly ceremony: boolean;
  /** The cost model needs the circuit's gate count (read from every constraint of the r1cs, so asked only then). */
  readonly countsGates: boolean;
  /** The cost model: the power of the powers of tau this circuit needs. */
  ptauPower(c: CircuitCounts): number;
  /** The setup's artifacts (core/paths.ts kinds): a cached setup is reused only when each of them is there. */
  readonly setupArtifacts: readonly ("zkey" | "vkey")[];
  /** 32-byte words of a proof as the verifier contract takes it, and their Solidity parameters in verifyProof. */
  readonly proofWords: number;
  readonly solidityProof: SolidityProofParams;
  setup(args: SetupArgs, power: number): Promise<SetupResult>;
  prove(args: ProveArgs): Promise<ProveResult>;
  verify(args: VerifyArgs): Promise<{ valid: boolean }>;
  /** The Solidity verifier of this verification key, its contract named `contract`. */
  renderVerifier(vkey: unknown, contract: string): string;
  /** proof.json and public.json as the verifier contract takes them. */
  verifierInput(proof: unknown, publicSignals: string[]): Promise<VerifierInput>;
  /** The arguments of the verifier's `verifyProof`, in order (the public values last). */
  verifyProofArgs(proof: readonly bigint[], publicSignals: readonly bigint[]): unknown[];
}

/** What an IR system proves from: the model in its own form (`encodeModel`, written once per model) and the
 * quantized input; for a statement that binds the weights, the model's commitment (`commit`). */
/** The polynomial commitment of an IR system's proof: Hyrax (no setup, the default) or KZG over a powers of tau
 * (one pairing check: the on-chain form; docs/design/kzg-pcs.md). */
export type Pcs = "hyrax" | "kzg";

/** A KZG proof's setup: the powers of tau its key is read from (commit, prove and verify must use one tau). */
export interface KzgSetup {
  ptau: string;
  /** committed weights: the prover's form of the commitment (it and the model's fold tables), which commit writes
   * and prove reads */
  model?: string;
}

export interface IrProveArgs {
  model: string;
  /** KZG commitments (format 4) with this setup; default Hyrax */
  kzg?: KzgSetup;
  commitment?: string;
  /** zero knowledge with committed weights: the hiding commitment's secret (IrCommitArgs.secret wrote it) */
  secret?: string;
  /** the quantized input, decimal */
  input: string[];
  /** the input is private: committed in the proof, never written to the public values */
  inputPrivate?: boolean;
  /** the value the proof is bound to (a statement with a context: the submitter's address as uint160), decimal */
  context?: string;
  /** prove in zero knowledge (nothing of the private parts revealed) */
  zeroKnowledge?: boolean;
  /** where the proof (bytes) and the public values (JSON) go */
  proof: string;
  public: string;
}

export interface IrProveResult extends ProveResult {
  /** the output the proof is of, decimal (equal to runIR's: the pipeline checks) */
  output: string[];
  /** each prover phase's CPU milliseconds (all threads), beside `timings`' wall milliseconds */
  cpuTimings: { phase: string; ms: number }[];
}

export interface IrVerifyArgs {
  ir: string;
  /** a KZG proof's setup: its verifier key ([tau]_2) is read from it */
  kzg?: KzgSetup;
  proof: string;
  public: string;
  /** the model's commitment the verifier holds, for a statement that binds the weights */
  commitment?: string;
  /** "native": the native verifier alone (a queue worker at volume); default every verifier the system has */
  verifiers?: "all" | "native";
}

/** The one-off commitment to a model's weights (a statement that binds them): from its `encodeModel` form. */
export interface IrCommitArgs {
  model: string;
  /** a KZG commitment under this setup; default Hyrax */
  kzg?: KzgSetup;
  commitment: string;
  /** a hiding commitment (for zero-knowledge proofs): its secret goes here, the owner's, never published */
  secret?: string;
}

/** Each verifier's verdict (a system may have several that must agree), and why a proof was refused. */
export interface IrVerdict {
  valid: boolean;
  verifiers: { name: string; valid: boolean; reason?: string }[];
}

/** A system that proves the quantized IR directly: no circuit, no setup. */
export interface IrSystem extends SystemBase {
  readonly form: "ir";
  /** The statement a user gets without --input, --weights or --output (and no project default for them): what
   * this system proves, where the global default (a label output, fixed weights) is a circuit's. */
  readonly defaultVisibility: Partial<Pick<Visibility, "input" | "weights" | "output">>;
  /** Refuses (a ZkmlError naming the option, with a fix) a statement it cannot prove, from the options alone:
   * called before the model is quantized, so a wrong option costs no work. */
  checkStatement(vis: Visibility): void;
  /** The least ptau power a KZG proof (--pcs kzg) of this model and statement needs; absent: no KZG form. */
  kzgPower?(q: QModel, vis: Visibility): number;
  /** Refuses (a ZkmlError naming the option or the op, with a fix) a model or statement it cannot prove, in zero
   * knowledge when `zeroKnowledge`. */
  check(q: QModel, vis: Visibility, zeroKnowledge?: boolean): void;
  /** The model as its prover reads it (bytes written once per model: every proof then skips the JSON IR). */
  encodeModel(q: QModel): Uint8Array;
  /** Commits to the model's weights once (what a deployment publishes); the commitment's size in bytes. */
  commit(args: IrCommitArgs): Promise<{ bytes: number }>;
  prove(args: IrProveArgs): Promise<IrProveResult>;
  verify(args: IrVerifyArgs): Promise<IrVerdict>;
}

export type ProofSystemImpl = CircuitSystem | IrSystem;
