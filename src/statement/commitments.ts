/**
 * Commitments and packing: how values the verifier does not see one by one become public signals. Packing puts
 * values known to lie in [min, min + 2^B) floor(253 / B) to a field element (injective: each term is below 2^B and
 * a limb below 2^253 < r); hashing is circomlib's Poseidon over the limbs, chained 16 then 15 at a time (the
 * circuits' ZkmlHashChain; circomlibjs computes the same here). A model's commitment hashes its parameters,
 * each tensor packed at its own signed width.
 */
import { ZkmlError } from "../core/errors";
import { fieldOf } from "../core/field";
import { QModel } from "../ir/ir";
import { paramWidths } from "./widths";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** Largest limb: 253 bits, below BN254's r (a 254-bit prime), so a sum of in-range terms never wraps. */
export const LIMB_BITS = 253;

/** Values per limb when each takes `bits` bits. */
export const perLimb = (bits: number) => Math.floor(LIMB_BITS / bits);

/** Pack values known to lie in [min, min + 2^bits) into limbs of floor(253 / bits) values, little-end first. */
export function packValues(values: readonly bigint[], bits: number, min: bigint): bigint[] {
  const c = perLimb(bits);
  const limbs: bigint[] = [];
  for (let j = 0; j * c < values.length; j++) {
    let limb = 0n;
    for (let t = 0; t < c && j * c + t < values.length; t++) {
      const u = values[j * c + t] - min;
      if (u < 0n || u >= 1n << BigInt(bits)) throw new ZkmlError("INPUT_OUT_OF_RANGE", `value ${values[j * c + t]} at [${j * c + t}] does not fit [${min}, ${min + (1n << BigInt(bits)) - 1n}]`);
      limb += u << BigInt(bits * t);
    }
    limbs.push(limb);
  }
  return limbs;
}

/** Poseidon blocks a chain over n values: 1 up to 16, then one more per 15 values. */
export function hashBlocks(n: number): number[] {
  if (n < 1) throw new Error("hashChain of nothing");
  const sizes = [Math.min(n, 16)];
  for (let at = sizes[0]; at < n; at += 15) sizes.push(Math.min(15, n - at) + 1);
  return sizes;
}

let poseidonPromise: Promise<any> | undefined;

/** circomlibjs's Poseidon, built once (lazily: it builds its constants tables on first use). */
async function poseidon(): Promise<(inputs: bigint[]) => bigint> {
  poseidonPromise ??= require("circomlibjs").buildPoseidon();
  const p = await poseidonPromise;
  return (inputs) => p.F.toObject(p(inputs.map(fieldOf))) as bigint;
}

/** The hash chain of field elements, as the circuit's ZkmlHashChain computes it. */
export async function hashChain(values: readonly bigint[]): Promise<bigint> {
  const h = await poseidon();
  const sizes = hashBlocks(values.length);
  let acc = h(values.slice(0, sizes[0]) as bigint[]);
  let at = sizes[0];
  for (const s of sizes.slice(1)) {
    acc = h([acc, ...values.slice(at, at + s - 1)]);
    at += s - 1;
  }
  return acc;
}

/** Limbs the weights hash covers: each tensor's values offset by 2^(P-1) and packed at its width P. */
export function weightLimbs(q: QModel): bigint[] {
  const limbs: bigint[] = [];
  const widths = new Map(paramWidths(q).map((w) => [w.op, w]));
  q.ops.forEach((op, k) => {
    if (op.op !== "dense" && op.op !== "conv2d") return;
    const w = widths.get(k)!;
    limbs.push(...packValues(op.weights, w.weightBits, -(1n << BigInt(w.weightBits - 1))));
    limbs.push(...packValues(op.bias, w.biasBits, -(1n << BigInt(w.biasBits - 1))));
  });
  return limbs;
}

/** The Poseidon commitment to a model's weights: what the verifier of a `--weights hashed` proof knows. */
export async function weightsCommitment(q: QModel): Promise<bigint> {
  return hashChain(weightLimbs(q));
}
