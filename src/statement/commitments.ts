/**
 * Commitments and packing: how values the verifier does not see one by one become public signals. Packing puts
 * values known to lie in [min, min + 2^B) floor(253 / B) to a field element (injective: each term is below 2^B and
 * a limb below 2^253 < r); hashing is circomlib's Poseidon over the limbs, chained 16 then 15 at a time (the
 * circuits' ZkmlHashChain; circomlibjs computes the same here). A model's commitment hashes its parameters,
 * each tensor packed at its own signed width.
 *
 * Every commitment is domain-separated: its chain's first Poseidon starts from a tag in the capacity element
 * (PoseidonEx's initialState, 0 in plain Poseidon) instead of 0. The tag (commitmentTag) is a hash of what the
 * commitment is of: the statement's name for it (input, output, weights), the model's id (its name and
 * architecture, never its weights), and the widths, offsets and lengths of what is packed. So [33] at 8 bits and
 * [1, 2] at 4 bits, which pack to the same limb, commit differently, and a commitment made for one model or part
 * is not one of another. A tag costs no constraint (the capacity is a constant either way).
 *
 * Hidden inputs and outputs (hashed) are also salted: the chain's first value is a random field element the
 * prover keeps (randomSalt; the private signals xSalt and ySalt), so a commitment to a low-entropy input (a digit,
 * a move in a game) cannot be opened by trying every candidate. Whoever holds the salt can open it later.
 */
import { createHash, randomBytes } from "crypto";
import { ZkmlError } from "../core/errors";
import { fieldOf } from "../core/field";
import { irShapes, QModel } from "../ir/ir";
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
async function poseidon(): Promise<(inputs: bigint[], initialState?: bigint) => bigint> {
  poseidonPromise ??= require("circomlibjs").buildPoseidon();
  const p = await poseidonPromise;
  return (inputs, initialState = 0n) => p.F.toObject(p(inputs.map(fieldOf), fieldOf(initialState))) as bigint;
}

/** The commitments a statement has, by the part they commit to. */
export type CommittedPart = "input" | "output" | "weights";

/**
 * A model's id as commitments take it: its name and architecture (the input's shape, range and width, each op's
 * kind and output shape), never its weights, so a circuit with private or hashed weights does not depend on them.
 */
export function modelId(q: Pick<QModel, "name" | "input" | "ops">): string {
  const shapes = irShapes(q);
  const arch = { name: q.name, input: { shape: q.input.shape, bits: q.input.bits, min: String(q.input.min) }, ops: q.ops.map((op, k) => ({ op: op.op, shape: shapes[k + 1] })) };
  return createHash("sha256").update(JSON.stringify(arch)).digest("hex");
}

/**
 * The domain tag of a commitment: sha256 of a fixed name for these commitments, the part, the model's id and the
 * packing (`what`: widths, offsets, lengths, whether salted), its first 248 bits as a field element.
 */
export function commitmentTag(part: CommittedPart, q: Pick<QModel, "name" | "input" | "ops">, what: Record<string, string | number | boolean>): bigint {
  const text = JSON.stringify({ tag: "zkml-hardhat statement commitment v1", part, model: modelId(q), ...what });
  return BigInt("0x" + createHash("sha256").update(text).digest("hex").slice(0, 62));
}

/** A fresh salt: 248 random bits (below r, so every value is equally likely). */
export function randomSalt(): bigint {
  return BigInt("0x" + randomBytes(31).toString("hex"));
}

/** The hash chain of field elements, as the circuit's ZkmlHashChain(N, tag) computes it: the first block starts from `tag` (commitmentTag; 0 is plain Poseidon). */
export async function hashChain(values: readonly bigint[], tag = 0n): Promise<bigint> {
  const h = await poseidon();
  const sizes = hashBlocks(values.length);
  let acc = h(values.slice(0, sizes[0]) as bigint[], tag);
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

/** The weights commitment's tag: the model's id and each tensor's width and length (the same under every statement of the model). */
export function weightsTag(q: QModel): bigint {
  const widths = new Map(paramWidths(q).map((w) => [w.op, w]));
  const tensors: string[] = [];
  q.ops.forEach((op, k) => {
    if (op.op !== "dense" && op.op !== "conv2d") return;
    const w = widths.get(k)!;
    tensors.push(`w${k}:${w.weightBits}x${op.weights.length}`, `b${k}:${w.biasBits}x${op.bias.length}`);
  });
  return commitmentTag("weights", q, { tensors: tensors.join(",") });
}

/** The Poseidon commitment to a model's weights: what the verifier of a `--weights hashed` proof knows. */
export async function weightsCommitment(q: QModel): Promise<bigint> {
  return hashChain(weightLimbs(q), weightsTag(q));
}
