/**
 * What prove-model reports: one data model, rendered by src/report/prove.ts for the terminal and as JSON.
 */
import type { ProofSystem } from "../core/paths";
import type { PtauInfo } from "../setup/trust";
import type { Visibility } from "../statement/visibility";
import type { Prover } from "../systems/system";
import type { StageReport } from "./stage";

export interface ProveReport {
  model: string;
  parameters: number;
  system: ProofSystem;
  visibility: Visibility;
  backend: { name: "circom" | "direct"; reason: string };
  /** The public signals: how many are the output part, the input part, the weights commitment. */
  publicLayout: { output: number; input: number; weights: number };
  input: { source: string; label?: number };
  /** gates: PLONK/FFLONK gates after snarkjs's translation of the R1CS. */
  circuit: { id: string; constraints: number; wires: number; publicSignals: number; privateInputs: number; ptauPower: number; gates?: number };
  ptau: PtauInfo;
  /** ceremony: the system has a per-circuit ceremony; its phase-2 contributions in the zkey, oldest first (names as snarkjs records them). */
  setup: { ceremony: boolean; contributions: string[]; beacon?: string };
  /** class: the first largest output (of a batch's concatenated outputs); labels: each inference's, for a batch */
  prediction: { class: number; outputs: string[]; real: number[]; labels?: number[] };
  /** The circuit's outputs equal the bigint reference interpreter's, element for element. */
  matchesReference: boolean;
  verified: boolean;
  /** who made the proof (for a cached proof, who made it then) */
  prover: Prover;
  proofBytes: number;
  /** seconds the proof took to make (also when it came from the cache; null for a proof cached before this was kept) */
  proveSeconds: number | null;
  stages: StageReport[];
  totalSeconds: number;
  files: { circom: string; r1cs: string; wasm: string; zkey: string; verificationKey: string; proof: string; public: string; verifier: string; verifierContract: string };
  warnings: string[];
}
