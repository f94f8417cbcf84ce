/**
 * A requant op's lookups (native/src/sumcheck/requant.rs): y = act(floor(z / 2^s)), the witness committed as
 * q = floor(z / 2^s), r = z - 2^s q and a = act(q). The verifier checks r in [0, 2^s) (a range table) and
 * (q, a) in {(t, act(t)) : t in [-2^(bits-1-s), 2^(bits-1-s))} (a two-column table); the caller checks
 * z = 2^s q + r at its point. Transcript: [shift, relu, bits, has clamp, clamp] ("requant op"), then the range
 * lookup, then the activation lookup.
 */
import { verifyLogup, LookupClaims, Table } from "./logup";
import { Transcript } from "./transcript";
import type { LookupProof } from "./decode";

export interface RequantParams {
  shift: number;
  relu: boolean;
  bits: number;
  clamp?: number;
}

/** The activation's saturation bounds, each absent when there is none: ReLU alone is [0, ...); a clamp A is
 * [0, 2^A - 1] after ReLU and [-2^(A-1), 2^(A-1) - 1] without. */
function bounds(op: RequantParams): { lo?: bigint; hi?: bigint } {
  if (op.clamp === undefined) return op.relu ? { lo: 0n } : {};
  const a = BigInt(op.clamp);
  return op.relu ? { lo: 0n, hi: (1n << a) - 1n } : { lo: -(1n << (a - 1n)), hi: (1n << (a - 1n)) - 1n };
}

export function rangeTable(op: RequantParams): Table {
  return { kind: "range", offset: 0n, logSize: op.shift };
}

export function activationTable(op: RequantParams): Table {
  return { kind: "activation", offset: -(1n << BigInt(op.bits - 1 - op.shift)), logSize: op.bits - op.shift, ...bounds(op) };
}

/** Both lookups of one requant over columns of 2^numVars rows: the range lookup's claims, then the activation's. */
export function verifyRequant(range: LookupProof, act: LookupProof, numVars: number, op: RequantParams, t: Transcript, what: string): { range: LookupClaims; act: LookupClaims } {
  const clamp = op.clamp ?? 0;
  t.absorbFrs("requant op", [BigInt(op.shift), op.relu ? 1n : 0n, BigInt(op.bits), op.clamp === undefined ? 0n : 1n, BigInt(clamp)]);
  const rc = verifyLogup(range, numVars, rangeTable(op), t, `${what} range lookup`);
  const ac = verifyLogup(act, numVars, activationTable(op), t, `${what} activation lookup`);
  return { range: rc, act: ac };
}
