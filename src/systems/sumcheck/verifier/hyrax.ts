/**
 * The Hyrax opening check of native/src/sumcheck/hyrax.rs (not hiding: no blinding term).
 *
 * A committed vector of 2^k entries is a matrix of 2^(k - c) rows by 2^c columns, c = ceil(k / 2), its MLE's
 * variables 0..c the column bits (r_low) and c..k the row bits (r_high). The commitment is one point per row,
 * C_i = sum_j M[i][j] G_j. To open at r = (r_low || r_high) the prover sends u = sum_i eq(r_high, i) M[i]; the
 * verifier checks sum_j u_j G_j = sum_i eq(r_high, i) C_i (here as one multi-scalar multiplication that must be
 * the identity) and that the value is <u, eq(r_low)>, then absorbs u ("hyrax opening").
 *
 * Generators: G_j = hashToG1(tag, j) (try and increment: for counter = 0, 1, ..., x = keccak256(tag ||
 * uint256(j) || uint256(counter)) mod p, the first x with x^3 + 3 a square, the square root whose integer value
 * is even). They depend on the tag and j only, so they are kept per tag and reused across calls.
 */
import { keccak256, toUtf8Bytes, hexlify } from "ethers";
import { Affine, msmIsZero, P, sqrtFq } from "./g1";
import { eqTable, innerProduct, neg } from "./field";
import { Transcript, word } from "./transcript";
import { Reject } from "./reject";

/** The point of G1 that (tag, index) hashes to. */
export function hashToG1(tag: string, index: bigint): Affine {
  const prefix = hexlify(toUtf8Bytes(tag)).slice(2) + word(index);
  for (let counter = 0n; ; counter++) {
    const x = BigInt(keccak256(Buffer.from(prefix + word(counter), "hex"))) % P;
    const y = sqrtFq((((x * x) % P) * x + 3n) % P);
    if (y !== null) return { x, y: (y & 1n) === 0n ? y : P - y };
  }
}

const generatorCache = new Map<string, Affine[]>();

/** G_0 .. G_{n-1} for the tag (computed once per tag and index). */
export function generators(tag: string, n: number): Affine[] {
  let g = generatorCache.get(tag);
  if (!g) generatorCache.set(tag, (g = []));
  for (let j = g.length; j < n; j++) g.push(hashToG1(tag, BigInt(j)));
  return g.slice(0, n);
}

/** The shape of a Hyrax commitment to 2^numVars entries. */
export function hyraxShape(numVars: number): { colVars: number; rows: number; cols: number } {
  const colVars = Math.ceil(numVars / 2);
  return { colVars, rows: 2 ** (numVars - colVars), cols: 2 ** colVars };
}

/**
 * Checks that the vector committed by `rows` has MLE value `value` at `point` (numVars coordinates, r_low first),
 * given the opening u; absorbs u. Throws Reject when it does not hold.
 */
export function verifyOpening(tag: string, numVars: number, rows: readonly (Affine | null)[], point: readonly bigint[], value: bigint, u: readonly bigint[], t: Transcript): void {
  const shape = hyraxShape(numVars);
  if (point.length !== numVars) throw new Reject(`hyrax point: length ${point.length}, expected ${numVars}`);
  if (rows.length !== shape.rows) throw new Reject(`hyrax commitment rows: ${rows.length}, expected ${shape.rows}`);
  if (u.length !== shape.cols) throw new Reject(`hyrax opening: length ${u.length}, expected ${shape.cols}`);
  const rLow = point.slice(0, shape.colVars);
  const rHigh = point.slice(shape.colVars);
  const gens = generators(tag, shape.cols);
  // sum_j u_j G_j - sum_i eq(r_high, i) C_i = 0.
  const scalars = [...u, ...eqTable(rHigh).map(neg)];
  if (!msmIsZero([...gens, ...rows], scalars)) throw new Reject("opening refused: row combination does not match the commitment");
  if (innerProduct(u, eqTable(rLow)) !== value) throw new Reject("opening refused: claimed value is not <u, eq(r_low)>");
  t.absorbFrs("hyrax opening", u);
}
