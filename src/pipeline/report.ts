/**
 * What prove-model reports: one data model, rendered by src/report/prove.ts for the terminal and as JSON. A
 * circuit system's run (form "r1cs") reports its circuit, ptau and setup; an IR system's (form "ir") its prover's
 * phases and each verifier's verdict.
 */
import { getAddress } from "ethers";
import type { ProofSystem } from "../core/paths";
import type { PtauInfo } from "../setup/trust";
import type { Visibility } from "../statement/visibility";
import type { Prover } from "../systems/system";
import type { StageReport } from "./stage";

/** What every run reports, whatever its system's form. */
interface ProveReportBase {
  model: string;
  parameters: number;
  system: ProofSystem;
  visibility: Visibility;
  /** The public values: how many are the output part, the input part, the weights commitment. */
  publicLayout: { output: number; input: number; weights: number };
  /** A statement with a context (the default): what the proof is bound to, the address that must submit it
   * (checksummed), or an application's value (decimal). */
  boundTo?: string;
  input: { source: string; label?: number };
  /** class: the first largest output (of a batch's concatenated outputs); labels: each inference's, for a batch */
  prediction: { class: number; outputs: string[]; real: number[]; labels?: number[] };
  /** The proved outputs equal the bigint reference interpreter's, element for element. */
  matchesReference: boolean;
  /** The width the model was quantized at and, when the task chose it by --max-error, why (describeChoice); maxAbsError:
   * the proved output, dequantized, against the float model's on the same input(s): the largest absolute difference. */
  quantization: { scaleBits: number; choice?: string; maxAbsError: number };
  verified: boolean;
  /** who made the proof (for a cached proof, who made it then) */
  prover: Prover;
  proofBytes: number;
  /** seconds the proof took to make (also when it came from the cache; null for a proof cached before this was kept) */
  proveSeconds: number | null;
  stages: StageReport[];
  totalSeconds: number;
  warnings: string[];
}

/** An IR system's run: no circuit, no setup. */
export interface IrProveReport extends ProveReportBase {
  form: "ir";
  /** the build folder's id (the quantized model's, as the circuit systems name theirs) */
  id: string;
  /** the prover's phases as the native prover measured them: wall and CPU (all threads) milliseconds */
  phases: { phase: string; wallMs: number; cpuMs: number }[];
  /** every verifier the system has, each one's verdict (they must agree) */
  verifiers: { name: string; valid: boolean; reason?: string }[];
  /** proved in zero knowledge (prove-model --zk): nothing of the private parts revealed */
  zeroKnowledge: boolean;
  /** "kzg": KZG commitments (prove-model --pcs kzg: format 4, the on-chain form); absent: Hyrax */
  pcs?: "kzg";
  /** commitment: committed weights' model commitment (made once, reused) */
  files: { ir: string; proof: string; public: string; commitment?: string; ptau?: string };
}

export type ProveReport = CircuitProveReport | IrProveReport;

/** A circuit system's run. */
export interface CircuitProveReport extends ProveReportBase {
  form: "r1cs";
  backend: { name: "circom" | "direct"; reason: string };
  /** gates: PLONK/FFLONK gates after snarkjs's translation of the R1CS. */
  circuit: { id: string; constraints: number; wires: number; publicSignals: number; privateInputs: number; ptauPower: number; gates?: number };
  ptau: PtauInfo;
  /** ceremony: the system has a per-circuit ceremony; its phase-2 contributions in the zkey, oldest first (names as snarkjs records them). */
  setup: { ceremony: boolean; contributions: string[]; beacon?: string };
  files: { circom: string; r1cs: string; wasm: string; zkey: string; verificationKey: string; proof: string; public: string; verifier: string; verifierContract: string };
}

/** What a run proved, in a few words for a message: its circuit's id, or an IR system's build id. */
export const runLabel = (r: ProveReport): string => (r.form === "r1cs" ? `circuit ${r.circuit.id}` : `${r.system} ${r.id}`);

/** A context as the report names it: an address (checksummed) when it is one, else its decimal value. */
export const contextText = (c: bigint): string => (c < 1n << 160n ? getAddress("0x" + c.toString(16).padStart(40, "0")) : c.toString());
