/**
 * The proof's bytes (native/src/sumcheck/network.rs `NetworkProof::to_bytes`), read with every check its
 * `from_bytes` makes. 32-byte big-endian words; points as 64 bytes (x then y, the identity as zeros):
 *
 *   version (= 1); R, then R commitment rows; L, then L layer proofs (from the last op down, none for flatten):
 *     kind 1 (dense): b~(p), a sumcheck, W~(p, sigma), a~(sigma), nb, nb W block evaluations
 *     kind 2 (requant): q~(p), r~(p), the range lookup, the activation lookup
 *   the batch's sumcheck, P(s); n, the opening's n elements.
 *   A sumcheck: k (<= 64), e (<= 16), k x e evaluations. A lookup: p_f, q_f, p_t, q_t; nf (<= 64), nf tree layers;
 *   nt (<= 64), nt tree layers (each a sumcheck and 4 evaluations); nc (<= 16), nc column evaluations.
 *
 * Checks: every count a word whose value is at most its bound (the version at most 2^32 - 1, then must be 1; the
 * row count at most half the words left, counting its own; the layer count, W block count and opening length at
 * most the words left, counting their own; a sumcheck's k x e evaluations no more than the words left after its
 * two counts); a layer kind 1 or 2; every field word below r; every point's coordinates below p and on the
 * curve; nothing after the end. A failure is a ZkmlError PROOF_INVALID naming the byte offset and the field.
 */
import { ZkmlError } from "../../../core/errors";
import { R } from "./field";
import { Affine, onCurve, P } from "./g1";

export type Rounds = bigint[][];

export interface TreeLayer {
  rounds: Rounds;
  evals: [bigint, bigint, bigint, bigint];
}

export interface LookupProof {
  fRoot: [bigint, bigint];
  tRoot: [bigint, bigint];
  fLayers: TreeLayer[];
  tLayers: TreeLayer[];
  fEvals: bigint[];
}

export type LayerProof =
  | { kind: "dense"; bias: bigint; rounds: Rounds; wEval: bigint; aEval: bigint; wBlocks: bigint[] }
  | { kind: "requant"; q: bigint; r: bigint; range: LookupProof; act: LookupProof };

export interface NetworkProof {
  rows: (Affine | null)[];
  layers: LayerProof[];
  batch: { rounds: Rounds; pEval: bigint };
  opening: bigint[];
}

const VERSION = 1n;

class Reader {
  at = 0;
  private readonly hex: string;

  constructor(private readonly bytes: Uint8Array) {
    this.hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
  }

  fail(what: string, at = this.at): never {
    throw new ZkmlError("PROOF_INVALID", `sumcheck proof bytes, at byte ${at}: ${what}`, { hint: "the proof file is truncated, corrupted or not a sumcheck proof" });
  }

  /** Whole words left from here. */
  wordsLeft(): number {
    return Math.floor((this.bytes.length - this.at) / 32);
  }

  private take(n: number, what: string): string {
    const left = this.bytes.length - this.at;
    if (left < n) this.fail(`truncated: ${what} needs ${n} bytes, ${left} left`);
    const h = this.hex.slice(2 * this.at, 2 * (this.at + n));
    this.at += n;
    return h;
  }

  count(what: string, max: number): number {
    const start = this.at;
    const w = this.take(32, what);
    const v = BigInt("0x" + w);
    if (v > BigInt(max)) this.fail(`${what}: count too large (at most ${max} here)`, start);
    return Number(v);
  }

  fr(what: string): bigint {
    const start = this.at;
    const v = BigInt("0x" + this.take(32, what));
    if (v >= R) this.fail(`${what}: not a field element (not below the scalar field's modulus)`, start);
    return v;
  }

  point(what: string): Affine | null {
    const start = this.at;
    const w = this.take(64, what);
    const x = BigInt("0x" + w.slice(0, 64));
    const y = BigInt("0x" + w.slice(64));
    if (x === 0n && y === 0n) return null;
    if (x >= P || y >= P || !onCurve(x, y)) this.fail(`${what}: not a point of BN254 G1`, start);
    return { x, y };
  }

  frs(n: number, what: (i: number) => string): bigint[] {
    return Array.from({ length: n }, (_, i) => this.fr(what(i)));
  }

  sumcheck(what: string): Rounds {
    const k = this.count(`${what} round count`, 64);
    const e = this.count(`${what} evaluations per round`, 16);
    if (k * e > this.wordsLeft()) this.fail(`truncated: ${what} has ${k} rounds of ${e} evaluations, ${this.wordsLeft()} words left`);
    return Array.from({ length: k }, (_, i) => this.frs(e, (j) => `${what} round ${i} evaluation ${j}`));
  }

  lookup(what: string): LookupProof {
    const root = this.frs(4, (i) => `${what} root word ${i}`);
    const tree = (side: string): TreeLayer[] => {
      const n = this.count(`${what} ${side} tree layer count`, 64);
      return Array.from({ length: n }, (_, j) => {
        const rounds = this.sumcheck(`${what} ${side} layer ${j} sumcheck`);
        const [a, b, c, d] = this.frs(4, (i) => `${what} ${side} layer ${j} evaluation ${i}`);
        return { rounds, evals: [a, b, c, d] as [bigint, bigint, bigint, bigint] };
      });
    };
    const fLayers = tree("f");
    const tLayers = tree("table");
    const nc = this.count(`${what} column evaluation count`, 16);
    const fEvals = this.frs(nc, (i) => `${what} column evaluation ${i}`);
    return { fRoot: [root[0], root[1]], tRoot: [root[2], root[3]], fLayers, tLayers, fEvals };
  }
}

/** The proof the bytes encode; throws ZkmlError PROOF_INVALID (with the byte offset) when they do not. */
export function decodeProof(bytes: Uint8Array): NetworkProof {
  const r = new Reader(bytes);
  const version = r.count("version", 2 ** 32 - 1);
  if (BigInt(version) !== VERSION) r.fail(`version ${version}, this code reads version ${VERSION}`, 0);
  const nRows = r.count("commitment row count", Math.floor(r.wordsLeft() / 2));
  const rows = Array.from({ length: nRows }, (_, i) => r.point(`commitment row ${i}`));
  const nLayers = r.count("layer count", r.wordsLeft());
  const layers: LayerProof[] = [];
  for (let i = 0; i < nLayers; i++) {
    const at = r.at;
    const kind = r.count(`layer ${i} kind`, 2);
    if (kind === 1) {
      const bias = r.fr(`layer ${i} bias evaluation`);
      const rounds = r.sumcheck(`layer ${i} dense sumcheck`);
      const wEval = r.fr(`layer ${i} W evaluation`);
      const aEval = r.fr(`layer ${i} input evaluation`);
      const nb = r.count(`layer ${i} W block count`, r.wordsLeft());
      const wBlocks = r.frs(nb, (j) => `layer ${i} W block ${j} evaluation`);
      layers.push({ kind: "dense", bias, rounds, wEval, aEval, wBlocks });
    } else if (kind === 2) {
      const q = r.fr(`layer ${i} q evaluation`);
      const rr = r.fr(`layer ${i} r evaluation`);
      const range = r.lookup(`layer ${i} range lookup`);
      const act = r.lookup(`layer ${i} activation lookup`);
      layers.push({ kind: "requant", q, r: rr, range, act });
    } else r.fail(`layer ${i}: kind ${kind}, expected 1 (dense) or 2 (requant)`, at);
  }
  const batchRounds = r.sumcheck("batch sumcheck");
  const pEval = r.fr("batch evaluation");
  const n = r.count("opening length", r.wordsLeft());
  const opening = r.frs(n, (i) => `opening element ${i}`);
  if (r.at !== bytes.length) r.fail(`${bytes.length - r.at} bytes after the proof's end`);
  return { rows, layers, batch: { rounds: batchRounds, pEval }, opening };
}
