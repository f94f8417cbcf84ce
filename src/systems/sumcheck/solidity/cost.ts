/**
 * The sumcheck verifier's gas floor: what a verification costs at least, by exact arithmetic on the program (the
 * one cost fact the deployment and the measurement share).
 */
import type { SumcheckProgram } from "./program";

/** EIP-1108's prices of the ecMul and ecAdd precompiles. */
export const EC_MUL = 6_000;
export const EC_ADD = 150;

/** The openings' ecMul and ecAdd calls: one pair per scalar, rows + columns of each Hyrax opening. */
export function precompileGas(p: SumcheckProgram): number {
  return (p.model.rows + p.model.cols + p.witness.rows + p.witness.cols) * (EC_MUL + EC_ADD);
}

/** EIP-197's ecPairing (45,000 and 34,000 a pair) and EIP-2565's modexp of 32-byte operands with exponent r - 2
 * (a 254-bit exponent: 16 x 253 / 3). */
export const PAIRING_BASE = 45_000;
export const PAIRING_PAIR = 34_000;
export const MODEXP_INVERSE = Math.floor((16 * 253) / 3);

/** Format 4's opening (KZG): an MSM over C_M, C_W, the n - 1 folds, [1]_1 and W (n + 3 ecMul, each added: n + 3
 * ecAdd), -Q added, one modexp for every inverse, one two-pair ecPairing; n the larger committed vector's variables. */
export function kzgPrecompileGas(p: SumcheckProgram): number {
  const n = Math.max(p.model.numVars, p.witness.numVars);
  return (n + 3) * EC_MUL + (n + 4) * EC_ADD + MODEXP_INVERSE + PAIRING_BASE + 2 * PAIRING_PAIR;
}

/**
 * The least gas a verification of this program can cost: the transaction's 21,000 and the openings' precompile
 * calls. Exact arithmetic, so a verifier past a chain's per-transaction cap by this alone is refused before
 * anything is deployed.
 */
export function sumcheckGasFloor(p: SumcheckProgram, pcs: "hyrax" | "kzg" = "hyrax"): number {
  return 21_000 + (pcs === "kzg" ? kzgPrecompileGas(p) : precompileGas(p));
}

/** EIP-2028's calldata gas (4 a zero byte, 16 any other) and EIP-7623's floor (Prague: 21,000 + 10 a token, a zero
 * byte one token and any other four), which a transaction pays when it is more than its execution would cost. */
export function calldataGas(data: Uint8Array): { standard: number; floor: number } {
  const zeros = data.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
  const others = data.length - zeros;
  return { standard: 4 * zeros + 16 * others, floor: 21_000 + 10 * (zeros + 4 * others) };
}
