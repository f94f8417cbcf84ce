/**
 * The sumcheck verifier's gas floor: what a verification costs at least, by exact arithmetic on the program (the
 * one cost fact the deployment and the measurement share).
 */
import type { SumcheckProgram } from "./program";

/** EIP-1108's prices of the ecMul and ecAdd precompiles. */
export const EC_MUL = 6_000;
export const EC_ADD = 150;

/**
 * The least gas a verification of this program can cost: the transaction's 21,000 and the openings' ecMul and
 * ecAdd calls (one pair per scalar, rows + columns of each Hyrax opening). Exact arithmetic, so a verifier past a
 * chain's per-transaction cap by this alone is refused before anything is deployed.
 */
export function sumcheckGasFloor(p: SumcheckProgram): number {
  return 21_000 + (p.model.rows + p.model.cols + p.witness.rows + p.witness.cols) * (EC_MUL + EC_ADD);
}

