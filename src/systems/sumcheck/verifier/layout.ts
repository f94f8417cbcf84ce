/**
 * Where each committed column sits in the two committed vectors (native/src/sumcheck/layout.rs, network.rs
 * `Arch::layouts`), and a claim on a column's MLE lifted to a claim on its whole vector's MLE.
 *
 * Two vectors, each with its own Hyrax commitment: the model's (per dense or conv op, a conv's W being m x n = f x
 * c kh kw in its [f][c][ky][kx] order: W in blocks, one per pair of m's and n's binary digits, `pow2Parts`, row
 * run major, of 2^(rl + cl) entries, and b of 2^log2(m): committed once per model) and the witness's (per requant,
 * a, q and r of 2^log2(len) entries each and the two multiplicity vectors, 2^shift and 2^(bits - shift): committed
 * per proof; for a private input, also x, of 2^log2(input length) entries, and its multiplicities in its range
 * table, 2^k (architecture.ts `inputTable`), both as op 0's; per max pool, its output y of 2^log2(len) entries, its
 * differences y - x[tap] of 2^(log2(len) + log2(taps)) (one run of 2^log2(len) per tap, the taps padded to a power
 * of two) and their multiplicities in the range table, 2^(bits - 1); there is none when the network has neither a
 * requant nor a private input). In each, the segments are sorted by size (largest first), then by kind (W blocks in
 * (row run, column run) order, b, a, q, r, range multiplicities, activation multiplicities, x, x's multiplicities,
 * the pool's y, differences, multiplicities), then by op index, and laid end to end from 0, so each offset is a
 * multiple of its size. A vector has 2^K entries, K = log2 of the sum of its sizes, rounded up. A segment of 2^v
 * entries at offset o: its MLE at p is the vector's MLE at p || (the K - v bits of o / 2^v, least significant
 * first).
 */
import { log2Ceil } from "./field";
import { CheckedArch, matrixOf, pow2Parts } from "./architecture";
import { taps } from "./wiring";

export type SegKind =
  | { kind: "weights"; rb: number; cb: number }
  | { kind: "bias" | "act" | "quot" | "rem" | "multRange" | "multAct" | "input" | "multInput" | "poolOut" | "poolDiff" | "multPool" };

const KIND_ORDER = ["weights", "bias", "act", "quot", "rem", "multRange", "multAct", "input", "multInput", "poolOut", "poolDiff", "multPool"];

export interface Segment {
  op: number;
  kind: SegKind;
  vars: number;
  offset: number;
}

export interface Layout {
  segments: Segment[];
  numVars: number;
  /** The segment of (op, kind). */
  find(op: number, kind: SegKind): Segment;
}

const keyOf = (op: number, k: SegKind) => (k.kind === "weights" ? `${op}:w:${k.rb}:${k.cb}` : `${op}:${k.kind}`);

function compareKinds(a: SegKind, b: SegKind): number {
  const d = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (d !== 0 || a.kind !== "weights" || b.kind !== "weights") return d;
  return a.rb - b.rb || a.cb - b.cb;
}

/** Whether a column of this kind lives in the model's vector (W and b) or the witness's (the rest). */
export const inModel = (k: SegKind): boolean => k.kind === "weights" || k.kind === "bias";

type Request = { op: number; kind: SegKind; vars: number };

function place(req: Request[]): Layout {
  req.sort((a, b) => b.vars - a.vars || compareKinds(a.kind, b.kind) || a.op - b.op);
  let offset = 0;
  const segments = req.map((r) => {
    const s = { ...r, offset };
    offset += 2 ** r.vars;
    return s;
  });
  const byKey = new Map(segments.map((s) => [keyOf(s.op, s.kind), s]));
  return {
    segments,
    numVars: log2Ceil(offset),
    find(op, kind) {
      const s = byKey.get(keyOf(op, kind));
      if (!s) throw new Error(`no segment for op ${op} ${kind.kind}`);
      return s;
    },
  };
}

/**
 * The model's layout and the witness's (null when no op is a requant and the input is public). `inputTableLog`:
 * for a private input, its range table's log size (the input and its multiplicities join the witness); null for a
 * public one. `n`: a batch's samples (network.rs `layouts_batch`): every per-sample column (a requant's a, q, r; a
 * private input; a max pool's y and differences) holds the batch's vector, log2ceil(n) more variables; the model
 * and the multiplicity columns are the batch's, once.
 */
export function layoutsOf(arch: CheckedArch, inputTableLog: number | null = null, n = 1): { model: Layout; witness: Layout | null } {
  const bv = log2Ceil(n);
  const model: Request[] = [];
  const witness: Request[] = [];
  arch.ops.forEach((op, k) => {
    const mat = matrixOf(op);
    if (mat) {
      const [m, n] = mat;
      pow2Parts(m).forEach(([, rl], rb) => pow2Parts(n).forEach(([, cl], cb) => model.push({ op: k, kind: { kind: "weights", rb, cb }, vars: rl + cl })));
      model.push({ op: k, kind: { kind: "bias" }, vars: log2Ceil(m) });
    } else if (op.op === "requant") {
      const v = log2Ceil(arch.lens[k]) + bv;
      for (const kind of ["act", "quot", "rem"] as const) witness.push({ op: k, kind: { kind }, vars: v });
      witness.push({ op: k, kind: { kind: "multRange" }, vars: op.shift });
      witness.push({ op: k, kind: { kind: "multAct" }, vars: op.bits - op.shift });
    } else if (op.op === "maxpool") {
      const v = log2Ceil(arch.lens[k]) + bv;
      witness.push({ op: k, kind: { kind: "poolOut" }, vars: v });
      witness.push({ op: k, kind: { kind: "poolDiff" }, vars: v + log2Ceil(taps(op.win)) });
      witness.push({ op: k, kind: { kind: "multPool" }, vars: op.bits - 1 });
    }
  });
  if (inputTableLog !== null) {
    witness.push({ op: 0, kind: { kind: "input" }, vars: log2Ceil(arch.inputLen) + bv });
    witness.push({ op: 0, kind: { kind: "multInput" }, vars: inputTableLog });
  }
  return { model: place(model), witness: witness.length > 0 ? place(witness) : null };
}

/** The point on the whole vector's MLE equal to `local` on the segment's: local || the offset's high bits. */
export function lift(layout: Layout, seg: Segment, local: readonly bigint[]): bigint[] {
  if (local.length !== seg.vars) throw new Error("a point of the wrong length for its segment");
  const idx = seg.offset / 2 ** seg.vars;
  const high = Array.from({ length: layout.numVars - seg.vars }, (_, i) => (Math.floor(idx / 2 ** i) % 2 === 1 ? 1n : 0n));
  return [...local, ...high];
}
