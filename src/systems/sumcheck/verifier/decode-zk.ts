/**
 * A zero-knowledge proof's bytes (native/src/sumcheck/network_zk.rs `ZkNetworkProof::to_bytes`, format version 3),
 * read with every check its `from_bytes_for` makes. No counts: every count is the architecture's and the
 * statement's (plan-zk.ts). 32-byte big-endian words, points as 64 bytes (x then y, the identity as zeros), in
 * transcript order:
 *
 *   version (= 3); the model-commitment flag (0 or 1); when 1, the model's rows; the witness's rows; the masks'
 *   rows; C_M (one point);
 *   per op from the last down (flatten none):
 *     requant: q^, r^; per lookup (range, then activation): h_f's rows, h_t's rows, the first sumcheck, h_f^, G^,
 *       M, the second sumcheck, h_t^ (a shift of 0: no r^, no range lookup)
 *     dense: b^, its sumcheck, W^, a^ (when its input is hidden: not the first op's on a public input)
 *     conv: the unpadding wiring (when its positions are not a power of two), b^, its sumcheck, W^, then a^ and the
 *       im2col wiring (when its input is hidden)
 *     sum pool: its wiring
 *     add: t^ (unless t is the public input)
 *     max pool: its zerocheck, each tap's d^, y^, its differences' lookup (as a requant's), the taps' wiring
 *   a private input's range lookup (as a requant's lookup);
 *   the merge's sumcheck, P^; per vector its Y (a point) and its opening; C_M's proof.
 *   A wiring: its sumcheck, then x^ (when its input is hidden). A sumcheck: K, its rounds (each of its shape's
 *   round degree + 1 values), y. An opening or C_M's proof: delta, beta (points), z (the vector's column count, or
 *   the merge mask's length), z_delta, z_beta.
 *
 * Checks: the length a whole number of words; the version 3; the flag at most 1; every field word below r; every
 * point's coordinates below p and on the curve; no truncation; nothing after the end. A failure is a ZkmlError
 * PROOF_INVALID naming the byte offset and the field.
 */
import type { Affine } from "./g1";
import { Reader, type Rows } from "./decode";
import type { DotProof } from "./dot-product";
import type { JointProof } from "./joint";
import type { ZkLookupProof } from "./logup-zk";
import { vectorShape } from "./joint";
import type { MatrixMasks, Plan, WireMasks } from "./plan-zk";
import type { LookupMasks } from "./logup-zk";
import { roundDegree, ZkShape, ZkSumcheckProof } from "./zk";

export const ZK_VERSION = 3n;

/** A lookup's messages: its two helper columns' rows and its proof. */
export interface ZkLookup {
  helpers: [Rows, Rows];
  proof: ZkLookupProof;
}

/** A wiring's messages: its sumcheck and x^(r') (null when x is the public input). */
export interface ZkWire {
  sumcheck: ZkSumcheckProof;
  xHat: bigint | null;
}

export type ZkLayer =
  | { kind: "dense"; bHat: bigint; sumcheck: ZkSumcheckProof; wHat: bigint; aHat: bigint | null }
  /** r^ and the range lookup are absent for a shift of 0. */
  | { kind: "requant"; qHat: bigint; rHat: bigint | null; lookups: ZkLookup[] }
  | { kind: "conv"; unpad: ZkWire | null; bHat: bigint; sumcheck: ZkSumcheckProof; wHat: bigint; aHat: bigint | null; im2col: ZkWire | null }
  | { kind: "pool"; wire: ZkWire }
  | { kind: "add"; tHat: bigint | null }
  /** The zerocheck, each tap's difference d^ and y^ at its point, the differences' lookup, the taps' wiring. */
  | { kind: "maxpool"; zerocheck: ZkSumcheckProof; dHats: bigint[]; yHat: bigint; lookup: ZkLookup; wire: ZkWire }
  /** A private input's range lookup, after every op. */
  | { kind: "inputRange"; lookup: ZkLookup };

export interface ZkNetworkProof {
  /** The model's commitment when the proof carries it (private weights); null when the verifier holds it. */
  modelRows: Rows | null;
  witness: Rows;
  masks: Rows;
  mergeMask: Affine | null;
  /** From the last op down, none for flatten; a private input's range lookup last. */
  layers: ZkLayer[];
  joint: JointProof;
}

/** decode.ts's reader with format 3's parts, whose counts come from the architecture, not the bytes. */
class ZkReader extends Reader {
  constructor(bytes: Uint8Array) {
    super(bytes, "sumcheck proof bytes (zero knowledge, format 3)", "the proof file is truncated, corrupted or not a sumcheck proof of this architecture");
  }

  rowsOf(n: number, what: string): Rows {
    return Array.from({ length: n }, (_, i) => this.point(`${what} row ${i}`));
  }

  zkSumcheck(shape: ZkShape, what: string): ZkSumcheckProof {
    const k = this.fr(`${what} K`);
    const rounds = Array.from({ length: shape.numVars }, (_, j) => this.frs(roundDegree(shape, j) + 1, (e) => `${what} round ${j} evaluation ${e}`));
    return { k, rounds, y: this.fr(`${what} y`) };
  }

  dot(n: number, what: string): DotProof {
    const delta = this.point(`${what} delta`);
    const beta = this.point(`${what} beta`);
    const z = this.frs(n, (i) => `${what} z ${i}`);
    return { delta, beta, z, zDelta: this.fr(`${what} z_delta`), zBeta: this.fr(`${what} z_beta`) };
  }
}

/** A lookup's messages; `base` its first helper vector (h_f, then h_t at base + 1). */
function readLookup(r: ZkReader, plan: Plan, lm: LookupMasks, base: number, what: string): ZkLookup {
  const helpers: [Rows, Rows] = [r.rowsOf(vectorShape(plan.joint, base).rows, `${what} h_f`), r.rowsOf(vectorShape(plan.joint, base + 1).rows, `${what} h_t`)];
  const fSumcheck = r.zkSumcheck(lm.fShape, `${what} first sumcheck`);
  const fValues: [bigint, bigint] = [r.fr(`${what} h_f^`), r.fr(`${what} G^`)];
  const mHat = r.fr(`${what} M`);
  const tSumcheck = r.zkSumcheck(lm.tShape, `${what} second sumcheck`);
  return { helpers, proof: { fSumcheck, fValues, mHat, tSumcheck, tValue: r.fr(`${what} h_t^`) } };
}

function readRequant(r: ZkReader, plan: Plan, k: number): ZkLayer {
  const m = plan.masks[k];
  if (m.kind !== "requant") throw new Error("a requant's masks");
  const qHat = r.fr(`ops[${k}] q^`);
  const rHat = m.range ? r.fr(`ops[${k}] r^`) : null;
  const lookups = [...(m.range ? [m.range] : []), m.act].map((lm, i) => readLookup(r, plan, lm, plan.helperBase[k] + 2 * i, `ops[${k}] lookup ${i}`));
  return { kind: "requant", qHat, rHat, lookups };
}

/** A wiring: its sumcheck, then x^ when its input is hidden (the shape has x's slot). */
function readWire(r: ZkReader, wm: WireMasks, what: string): ZkWire {
  const sumcheck = r.zkSumcheck(wm.shape, `${what} sumcheck`);
  return { sumcheck, xHat: wm.shape.slots[1] !== null ? r.fr(`${what} x^`) : null };
}

/** A matrix product's words: b^, its sumcheck, W^, a^ when its input is hidden. */
function readMatrix(r: ZkReader, mm: MatrixMasks, k: number): { bHat: bigint; sumcheck: ZkSumcheckProof; wHat: bigint; aHat: bigint | null } {
  const bHat = r.fr(`ops[${k}] b^`);
  const sumcheck = r.zkSumcheck(mm.shape, `ops[${k}] sumcheck`);
  const wHat = r.fr(`ops[${k}] W^`);
  return { bHat, sumcheck, wHat, aHat: mm.shape.slots[1] !== null ? r.fr(`ops[${k}] a^`) : null };
}

/** Op k's layer proof, or null for one that has none (flatten). */
function readLayer(r: ZkReader, plan: Plan, k: number): ZkLayer | null {
  const m = plan.masks[k];
  switch (m.kind) {
    case "requant":
      return readRequant(r, plan, k);
    case "dense":
      return { kind: "dense", ...readMatrix(r, m, k) };
    case "conv": {
      const unpad = m.unpad && readWire(r, m.unpad, `ops[${k}] unpadding`);
      const matrix = readMatrix(r, m.matrix, k);
      return { kind: "conv", unpad, ...matrix, im2col: m.im2col && readWire(r, m.im2col, `ops[${k}] im2col`) };
    }
    case "pool":
      return { kind: "pool", wire: readWire(r, m.wire, `ops[${k}] pool`) };
    case "add":
      return { kind: "add", tHat: m.t !== null ? r.fr(`ops[${k}] t^`) : null };
    case "maxpool": {
      const zerocheck = r.zkSumcheck(m.zerocheck.shape, `ops[${k}] zerocheck`);
      const dHats = Array.from({ length: m.zerocheck.shape.slots.length - 1 }, (_, i) => r.fr(`ops[${k}] d^ ${i}`));
      const yHat = r.fr(`ops[${k}] y^`);
      const lookup = readLookup(r, plan, m.lookup, plan.helperBase[k], `ops[${k}] lookup`);
      return { kind: "maxpool", zerocheck, dHats, yHat, lookup, wire: readWire(r, m.wire, `ops[${k}] taps`) };
    }
    default:
      return null;
  }
}

function readJoint(r: ZkReader, plan: Plan): JointProof {
  const merge = r.zkSumcheck(plan.joint.maskShape, "merge sumcheck");
  const pHat = r.fr("merge P^");
  const evals: (Affine | null)[] = [];
  const openings: DotProof[] = [];
  plan.joint.vectorVars.forEach((_, i) => {
    evals.push(r.point(`vector ${i} Y`));
    openings.push(r.dot(vectorShape(plan.joint, i).cols, `vector ${i} opening`));
  });
  return { merge, pHat, evals, openings, maskProof: r.dot(plan.joint.maskLen, "merge mask proof") };
}

/** The proof the bytes encode for the plan's architecture and statement; throws ZkmlError PROOF_INVALID when they do not. */
export function decodeZkProof(bytes: Uint8Array, plan: Plan): ZkNetworkProof {
  const r = new ZkReader(bytes);
  if (bytes.length % 32 !== 0) r.fail(`${bytes.length} bytes: not whole 32-byte words`);
  const version = versionWord(bytes) ?? r.fail("truncated: version needs 32 bytes");
  r.at = 32;
  if (version !== ZK_VERSION) r.fail(`version ${version}, expected ${ZK_VERSION} (a zero-knowledge proof)`, 0);
  const flag = r.count("model commitment flag", 1);
  const modelRows = flag === 1 ? r.rowsOf(vectorShape(plan.joint, 0).rows, "model commitment") : null;
  const witness = r.rowsOf(vectorShape(plan.joint, 1).rows, "witness commitment");
  const masks = r.rowsOf(vectorShape(plan.joint, 2).rows, "mask commitment");
  const mergeMask = r.point("merge mask commitment");
  const layers: ZkLayer[] = [];
  for (let k = plan.arch.ops.length - 1; k >= 0; k--) {
    const layer = readLayer(r, plan, k);
    if (layer) layers.push(layer);
  }
  const il = plan.inputLookup;
  if (il) layers.push({ kind: "inputRange", lookup: readLookup(r, plan, il.masks, il.helper, "input lookup") });
  const joint = readJoint(r, plan);
  if (!r.done()) r.fail(`${bytes.length - r.at} bytes after the proof's end`);
  return { modelRows, witness, masks, mergeMask, layers, joint };
}

/** The proof's version word (its first 32 bytes), or null when it has fewer. */
export function versionWord(bytes: Uint8Array): bigint | null {
  return bytes.length < 32 ? null : BigInt("0x" + Buffer.from(bytes.subarray(0, 32)).toString("hex"));
}
