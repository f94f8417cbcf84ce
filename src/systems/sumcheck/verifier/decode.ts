/**
 * The proof's bytes (native/src/sumcheck/network.rs `NetworkProof::to_bytes`, format version 2), read with every
 * check its `from_bytes` makes, and a model commitment's bytes (`commitment_to_bytes`). 32-byte big-endian words;
 * points as 64 bytes (x then y, the identity as zeros):
 *
 *   version (= 2);
 *   the model-commitment flag (0 or 1); when 1, the model's commitment: R, then R rows;
 *   the witness's commitment: R, then R rows (R = 0: none, the network has no requant and the input is public);
 *   L, then L layer proofs (from the last op down, none for flatten):
 *     kind 1 (dense): b~(p), a sumcheck, W~(p, sigma), a~(sigma), nb, nb W block evaluations
 *     kind 2 (requant): q~(p), r~(p), the range lookup, the activation lookup
 *     kind 3 (conv): the unpadding flag (0 or 1), the unpadding wiring when 1, b~(rf), a sumcheck, W~(rf, sigma),
 *       X'~(rp || sigma), nb, nb W block evaluations, the im2col wiring
 *     kind 4 (sumpool): the pool's wiring
 *     kind 5 (add): t~(p), the added tensor's evaluation
 *     kind 6 (a private input's range): its lookup (last, after the first op's layer proof)
 *     kind 7 (maxpool): the zerocheck's sumcheck, n (<= 7), the n differences' evaluations, y's evaluation, the
 *       differences' range lookup, the taps' wiring
 *   the model's batch sumcheck, its P(s), n, the model opening's n elements;
 *   the witness's same four, present exactly when its commitment is (R > 0).
 *   A wiring: a sumcheck, then x~(r'). A sumcheck: k (<= 64), e (<= 16, and 0 when k = 0), k x e evaluations. A lookup: p_f, q_f, p_t, q_t; nf (<= 64),
 *   nf tree layers; nt (<= 64), nt tree layers (each a sumcheck and 4 evaluations); nc (<= 16), nc column
 *   evaluations.
 *
 * Checks: every count a word whose value is at most its bound (the version at most 2^32 - 1, then must be 2; the
 * flag at most 1; a row count at most half the words left, counting its own; the layer count, W block count and
 * opening lengths at most the words left, counting their own; a sumcheck's k x e evaluations no more than the
 * words left after its two counts); a layer kind 1 to 7; an unpadding flag at most 1; a max pool's difference count
 * at most 7; every field word below r; every point's coordinates below p and on the curve; nothing after the end.
 * A failure is a ZkmlError PROOF_INVALID naming the byte offset and the field.
 *
 * A model commitment's bytes (what a deployment publishes, given to the verifier for committed weights): R, then
 * R rows, R at least 1 and at most half the words, nothing after them.
 *
 * The layer proofs' bytes are read by `Reader.layers` (network.rs `Reader::layers`), which format 4 shares
 * (decode-kzg.ts: the same layers between KZG commitments and one opening).
 */
import { ZkmlError } from "../../../core/errors";
import { R } from "./field";
import { Affine, onCurve, P } from "./g1";
import type { WiringProof } from "./wiring";
import { MAX_POOL_TAPS } from "../arch";

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
  | { kind: "requant"; q: bigint; r: bigint; range: LookupProof; act: LookupProof }
  | { kind: "conv"; unpad: WiringProof | null; bias: bigint; rounds: Rounds; wEval: bigint; aEval: bigint; wBlocks: bigint[]; im2col: WiringProof }
  | { kind: "pool"; wiring: WiringProof }
  | { kind: "add"; tEval: bigint }
  | { kind: "inputRange"; lookup: LookupProof }
  | { kind: "maxpool"; zerocheck: Rounds; dEvals: bigint[]; yEval: bigint; lookup: LookupProof; wiring: WiringProof };

export type Rows = (Affine | null)[];

/** A committed vector's claims merged into one point (the batch sumcheck and P(s)) and opened there (u). */
export interface Opened {
  rounds: Rounds;
  pEval: bigint;
  opening: bigint[];
}

export interface NetworkProof {
  /** The model's commitment when the proof carries it (private weights); null when the verifier must hold it. */
  modelRows: Rows | null;
  /** The witness's commitment; null exactly when the bytes have none (row count 0). */
  witnessRows: Rows | null;
  layers: LayerProof[];
  model: Opened;
  /** Present exactly when witnessRows is. */
  witness: Opened | null;
}

const VERSION = 2n;

/** Bytes read word by word, each failure a PROOF_INVALID naming the byte offset and the field (decode-zk.ts reads
 * format 3 with it too). */
export class Reader {
  at = 0;
  private readonly hex: string;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly subject = "sumcheck proof bytes",
    private readonly hint = "the proof file is truncated, corrupted or not a sumcheck proof",
  ) {
    this.hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
  }

  fail(what: string, at = this.at): never {
    throw new ZkmlError("PROOF_INVALID", `${this.subject}, at byte ${at}: ${what}`, { hint: this.hint });
  }

  /** Whether every byte has been read. */
  done(): boolean {
    return this.at === this.bytes.length;
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
    const e = this.count(`${what} evaluations per round`, k === 0 ? 0 : 16);
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

  /** A wiring: its sumcheck, then x~(r'). */
  wiring(what: string): WiringProof {
    const rounds = this.sumcheck(`${what} sumcheck`);
    return { rounds, xEval: this.fr(`${what} evaluation`) };
  }

  /** A commitment: its row count (at most half the words left, counting its own), then its rows. */
  rows(what: string): Rows {
    const n = this.count(`${what} row count`, Math.floor(this.wordsLeft() / 2));
    return Array.from({ length: n }, (_, i) => this.point(`${what} row ${i}`));
  }

  /** A batch sumcheck, its P(s), the opening's length and elements. */
  opened(what: string): Opened {
    const rounds = this.sumcheck(`${what} batch sumcheck`);
    const pEval = this.fr(`${what} batch evaluation`);
    const n = this.count(`${what} opening length`, this.wordsLeft());
    return { rounds, pEval, opening: this.frs(n, (i) => `${what} opening element ${i}`) };
  }

  /** The layer proofs (network.rs `Reader::layers`, shared by formats 2 and 4): L, then each by its kind. */
  layers(): LayerProof[] {
    const nLayers = this.count("layer count", this.wordsLeft());
    const layers: LayerProof[] = [];
    for (let i = 0; i < nLayers; i++) {
      const at = this.at;
      const kind = this.count(`layer ${i} kind`, 7);
      if (kind === 1) {
        const bias = this.fr(`layer ${i} bias evaluation`);
        const rounds = this.sumcheck(`layer ${i} dense sumcheck`);
        const wEval = this.fr(`layer ${i} W evaluation`);
        const aEval = this.fr(`layer ${i} input evaluation`);
        const nb = this.count(`layer ${i} W block count`, this.wordsLeft());
        const wBlocks = this.frs(nb, (j) => `layer ${i} W block ${j} evaluation`);
        layers.push({ kind: "dense", bias, rounds, wEval, aEval, wBlocks });
      } else if (kind === 2) {
        const q = this.fr(`layer ${i} q evaluation`);
        const rr = this.fr(`layer ${i} r evaluation`);
        const range = this.lookup(`layer ${i} range lookup`);
        const act = this.lookup(`layer ${i} activation lookup`);
        layers.push({ kind: "requant", q, r: rr, range, act });
      } else if (kind === 3) {
        const unpad = this.count(`layer ${i} unpadding flag`, 1) === 1 ? this.wiring(`layer ${i} unpadding wiring`) : null;
        const bias = this.fr(`layer ${i} bias evaluation`);
        const rounds = this.sumcheck(`layer ${i} conv sumcheck`);
        const wEval = this.fr(`layer ${i} W evaluation`);
        const aEval = this.fr(`layer ${i} im2col evaluation`);
        const nb = this.count(`layer ${i} W block count`, this.wordsLeft());
        const wBlocks = this.frs(nb, (j) => `layer ${i} W block ${j} evaluation`);
        const im2col = this.wiring(`layer ${i} im2col wiring`);
        layers.push({ kind: "conv", unpad, bias, rounds, wEval, aEval, wBlocks, im2col });
      } else if (kind === 4) layers.push({ kind: "pool", wiring: this.wiring(`layer ${i} pool wiring`) });
      else if (kind === 5) layers.push({ kind: "add", tEval: this.fr(`layer ${i} added tensor's evaluation`) });
      else if (kind === 6) layers.push({ kind: "inputRange", lookup: this.lookup(`layer ${i} private input's range lookup`) });
      else if (kind === 7) {
        const zerocheck = this.sumcheck(`layer ${i} maxpool zerocheck`);
        const n = this.count(`layer ${i} maxpool difference count`, MAX_POOL_TAPS);
        const dEvals = this.frs(n, (j) => `layer ${i} maxpool difference ${j} evaluation`);
        const yEval = this.fr(`layer ${i} maxpool output evaluation`);
        const lookup = this.lookup(`layer ${i} maxpool range lookup`);
        const wiring = this.wiring(`layer ${i} maxpool wiring`);
        layers.push({ kind: "maxpool", zerocheck, dEvals, yEval, lookup, wiring });
      } else this.fail(`layer ${i}: kind ${kind}, expected 1 (dense) to 7 (maxpool)`, at);
    }
    return layers;
  }
}

/** The proof the bytes encode; throws ZkmlError PROOF_INVALID (with the byte offset) when they do not. */
export function decodeProof(bytes: Uint8Array): NetworkProof {
  const r = new Reader(bytes);
  const version = r.count("version", 2 ** 32 - 1);
  if (BigInt(version) !== VERSION) r.fail(`version ${version}, this code reads version ${VERSION}`, 0);
  const modelRows = r.count("model commitment flag", 1) === 1 ? r.rows("model commitment") : null;
  const witness = r.rows("witness commitment");
  const witnessRows = witness.length > 0 ? witness : null;
  const layers = r.layers();
  const model = r.opened("model");
  const witnessOpen = witnessRows !== null ? r.opened("witness") : null;
  if (!r.done()) r.fail(`${bytes.length - r.at} bytes after the proof's end`);
  return { modelRows, witnessRows, layers, model, witness: witnessOpen };
}

/**
 * A model commitment's rows from its bytes (`commitment_to_bytes`); throws ZkmlError PROOF_INVALID naming "model
 * commitment" and the byte offset when they are not one: truncated, a row off the curve, trailing bytes, no rows.
 */
export function decodeCommitment(bytes: Uint8Array): Rows {
  const r = new Reader(bytes, "model commitment bytes", "the model commitment is not the bytes the native sumcheckCommitModel gave (row count, then 64-byte rows)");
  const rows = r.rows("model commitment");
  if (!r.done()) r.fail(`${bytes.length - r.at} bytes after the commitment's end`);
  if (rows.length === 0) r.fail("a commitment of no rows");
  return rows;
}
