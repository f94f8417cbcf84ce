/**
 * The sumcheck system's two verifiers against each other: the Rust one (native/src/sumcheck/network.rs, through
 * the addon) and the TypeScript one (src/systems/sumcheck/verifier/), on proof format version 2 (a model
 * commitment carried or held by the verifier, a witness commitment absent without a requant). On small random
 * networks (non-powers of two, a flatten, requants with and without ReLU and clamp, a requant last, a single dense
 * layer, dense layers with no requant) both accept the honest proofs; then every 32-byte word of a proof changed in
 * turn, each public input and output value changed, the architecture changed and the bytes truncated or extended:
 * both give the same verdict every time (both valid, both invalid, or both throwing the same error code), and no
 * changed proof is accepted. Committed weights: the model's commitment made once (sumcheckCommitModel); a proof
 * made against it verifies with it in both and fails without it; a private proof fails when a commitment is given;
 * a proof of other weights (a weight or a bias changed; its own commitment carried, or the published one claimed)
 * fails against the published one; every word of a committed proof and every row of the commitment changed: both
 * agree; malformed commitment bytes are PROOF_INVALID in both. An architecture with no dense op is refused by both.
 * CNNs (network.rs's `cnns()`: convs with and without the unpadding wiring, a sum pool, a residual add of a
 * requant's output, an add of the input, a 2x2 max pool of a requant's output), built as quantized models and run
 * by runIR: both accept their honest proofs (private and committed weights), refuse every word changed, each input
 * or output changed and other weights; the architecture rules of conv, sumpool, add and maxpool refuse alike
 * (IR_INVALID) in both (a max pool's padding, which its words cannot carry, refused by the TypeScript side on the
 * object). A private input (sumcheckProve with inputPrivate, verified with x null; an FC network, one without
 * requant, one with a requant first, the three CNNs): both accept the honest proofs and refuse every word changed,
 * a private proof checked as a public one and the other way round, another output; a range without 0 or of more
 * than 2^20 rows is IR_INVALID in both and the prover. The larger CNN's proofs and the max pool's public one have
 * every third word changed, the max pool's private one every ninth, each with each class of field's first word (a
 * stride alone would hide classes). Batches (one proof of N inferences, x and y concatenated, N inferred from y as the
 * addon does): 2 and 3 samples (3 pads to 4) of the FC network, the three CNNs and a max pool CNN on signed inputs,
 * public and private input, private and committed weights: both accept; one output changed, two swapped, a sample
 * dropped, the inputs short: both refuse; every ninth word and each class's first of a 3-sample max pool proof.
 * Also the pinned values the Rust tests pin (the architecture hash, the transcript's challenges, a Hyrax generator)
 * and the table MLEs, the wiring tables (a max pool's taps combined by gamma too) and the MSM against their
 * definitions.
 */
import { expect } from "chai";
import { isZkmlError } from "../src/core/errors";
import { loadSumcheck, nativeError, NativeSumcheckProof } from "../src/core/native";
import { IR_FORMAT, irShapes, QModel, QOp, requantValue, runIR } from "../src/ir/ir";
import { archWords, fromI64Bytes, i64Bytes, SumcheckArch, ArchOp, sumcheckArch, sumcheckParamBytes } from "../src/systems/sumcheck/arch";
import { checkArch } from "../src/systems/sumcheck/verifier/architecture";
import { verifySumcheckProof, sumcheckArchHash } from "../src/systems/sumcheck/verifier";
import { decodeCommitment, decodeProof } from "../src/systems/sumcheck/verifier/decode";
import { Transcript } from "../src/systems/sumcheck/verifier/transcript";
import { hashToG1 } from "../src/systems/sumcheck/verifier/hyrax";
import { msm, invMod, P, Affine } from "../src/systems/sumcheck/verifier/g1";
import { fr, mleEval, R } from "../src/systems/sumcheck/verifier/field";
import { tableEvaluate, Table } from "../src/systems/sumcheck/verifier/logup";
import { positions, windowInLen, wiringOutVars, wiringTable, Wiring } from "../src/systems/sumcheck/verifier/wiring";
import { slowTests } from "./helpers/statements";

/** A seeded generator of integers in [lo, hi]. */
function rng(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(u * (hi - lo + 1));
  };
}

type Layer = { dense: number } | { requant: { relu: boolean; clamp?: number; actBits: number } } | { flatten: true };

interface Net {
  name: string;
  arch: SumcheckArch;
  params: bigint[];
  x: bigint[];
  /** The quantized model a CNN was built as (runIR is then its output's definition). */
  q?: QModel;
}

/**
 * A network on the input x: dense layers of random weights in [-wMax - 1, wMax] and biases in [-bMax, bMax]; each
 * requant's shift brings the largest |z| seen on x to about actBits bits and its bits are the narrowest holding z
 * (as a quantizer would choose).
 */
function build(name: string, seed: number, inputMin: number, inputTop: number, x: number[], layers: Layer[], wMax = 127, bMax = 2000): Net {
  const r = rng(seed);
  const ops: ArchOp[] = [];
  const params: bigint[] = [];
  let cur = x.map(BigInt);
  for (const l of layers) {
    if ("dense" in l) {
      const m = l.dense;
      const n = cur.length;
      const w = Array.from({ length: m * n }, () => BigInt(r(-wMax - 1, wMax)));
      const b = Array.from({ length: m }, () => BigInt(r(-bMax, bMax)));
      params.push(...w, ...b);
      ops.push({ op: "dense", m, n });
      cur = b.map((bo, o) => cur.reduce((s, v, i) => s + w[o * n + i] * v, bo));
    } else if ("requant" in l) {
      const op = requantFor(cur, l.requant.actBits, l.requant.relu, l.requant.clamp);
      ops.push(op);
      cur = cur.map((v) => requantValue(v, op.shift, op.relu, op.clamp));
    } else ops.push({ op: "flatten" });
  }
  return { name, arch: { inputLen: x.length, inputMin: BigInt(inputMin), inputTop: BigInt(inputTop), ops }, params, x: x.map(BigInt) };
}

/** The requant a quantizer would choose after z: its largest |z| brought to about actBits bits, bits holding z. */
function requantFor(z: readonly bigint[], actBits: number, relu: boolean, clamp?: number): Extract<QOp, { op: "requant" }> {
  const max = z.reduce((a, v) => (v < 0n ? (-v > a ? -v : a) : v > a ? v : a), 1n);
  const need = max.toString(2).length;
  return { op: "requant", shift: Math.max(0, need - actBits), relu, bits: need + 1, ...(clamp !== undefined ? { clamp } : {}) };
}

type CnnLayer =
  | { conv: { f: number; k: number; s?: number; p?: number } }
  | { sumpool: number }
  | { maxpool: { k: number; bits: number } }
  | { requant: true }
  | { add: { from: number; mul: number; fromMul: number } }
  | { flatten: true }
  | { dense: number };

/**
 * A CNN as a quantized model on the input x of shape `shape` in [min, top] (network.rs's `cnns()`): convs and dense
 * layers of random 8-bit weights and biases in [-2000, 2000]; each requant (ReLU, clamp 8) chosen from runIR's
 * output on x; sum pools and max pools of a k x k window, stride k. Its architecture and parameters are the ones the sumcheck
 * system reads from the model (sumcheckArch, sumcheckParamBytes).
 */
function buildCnn(name: string, seed: number, shape: number[], min: number, top: number, x: number[], layers: CnnLayer[]): Net {
  const r = rng(seed);
  const xs = x.map(BigInt);
  const q: QModel = { format: IR_FORMAT, name, input: { shape, min: BigInt(min), bits: Math.ceil(Math.log2(top - min + 1)), step: 1, range: [min, top] }, ops: [], output: { step: 1 } };
  const values = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => BigInt(r(lo, hi)));
  for (const l of layers) {
    const now = irShapes(q)[q.ops.length];
    if ("conv" in l) {
      const { f, k, s = 1, p = 0 } = l.conv;
      q.ops.push({ op: "conv2d", filters: f, kernel: [k, k], stride: [s, s], padding: [p, p], weights: values(f * now[0] * k * k, -128, 127), bias: values(f, -2000, 2000) });
    } else if ("sumpool" in l) q.ops.push({ op: "sumpool2d", pool: [l.sumpool, l.sumpool], stride: [l.sumpool, l.sumpool] });
    else if ("maxpool" in l) q.ops.push({ op: "maxpool2d", pool: [l.maxpool.k, l.maxpool.k], stride: [l.maxpool.k, l.maxpool.k], bits: l.maxpool.bits });
    else if ("requant" in l) q.ops.push(requantFor(runIR(q, xs).output, 8, true, 8));
    else if ("add" in l) q.ops.push({ op: "add", ...l.add });
    else if ("flatten" in l) q.ops.push({ op: "flatten" });
    else {
      const n = now.reduce((a, b) => a * b, 1);
      q.ops.push({ op: "dense", inSize: n, units: l.dense, weights: values(l.dense * n, -128, 127), bias: values(l.dense, -2000, 2000) });
    }
  }
  return { name, arch: sumcheckArch(q), params: fromI64Bytes(sumcheckParamBytes(q)), x: xs, q };
}

/** runIR for dense, requant and flatten (a CNN: its model's runIR). */
function run(net: Net): bigint[] {
  if (net.q) return runIR(net.q, net.x).output;
  let cur = net.x;
  let at = 0;
  for (const op of net.arch.ops) {
    if (op.op === "dense") {
      const w = net.params.slice(at, at + op.m * op.n);
      const b = net.params.slice(at + op.m * op.n, at + op.m * op.n + op.m);
      at += op.m * op.n + op.m;
      const a = cur;
      cur = b.map((bo, o) => a.reduce((s, v, i) => s + w[o * op.n + i] * v, bo));
    } else if (op.op === "requant") cur = cur.map((v) => requantValue(v, op.shift, op.relu, op.clamp));
  }
  return cur;
}

/** The addon's sumcheck functions with committed weights (format version 2). */
interface Sumcheck2 {
  sumcheckCommitModel(arch: Buffer, params: Buffer): Promise<Buffer>;
  sumcheckProve(arch: Buffer, params: Buffer, input: Buffer, model?: Buffer, inputPrivate?: boolean): Promise<NativeSumcheckProof>;
  sumcheckVerify(arch: Buffer, input: Buffer | null, output: Buffer, proof: Buffer, model?: Buffer): Promise<{ valid: boolean; reason?: string | null }>;
  sumcheckArchHash(arch: Buffer): Buffer;
}
const native = () => loadSumcheck() as unknown as Sumcheck2;

/** What the Rust verifier says: "valid", "invalid" or "throw CODE" (x null: a private input's proof). */
async function rustSays(arch: SumcheckArch, x: readonly bigint[] | null, y: readonly bigint[], proof: Uint8Array, model?: Uint8Array): Promise<string> {
  try {
    const v = await native().sumcheckVerify(i64Bytes(archWords(arch)), x && i64Bytes(x), i64Bytes(y), Buffer.from(proof), model && Buffer.from(model));
    return v.valid ? "valid" : "invalid";
  } catch (e) {
    const z = nativeError(e);
    return isZkmlError(z) ? `throw ${z.code}` : `crash ${String(e)}`;
  }
}

/** What the TypeScript verifier says, in the same words. */
function tsSays(arch: SumcheckArch, x: readonly bigint[] | null, y: readonly bigint[], proof: Uint8Array, model?: Uint8Array): string {
  try {
    return verifySumcheckProof(arch, x, y, proof, model).valid ? "valid" : "invalid";
  } catch (e) {
    return isZkmlError(e) ? `throw ${e.code}` : `crash ${String(e)}`;
  }
}

/** Both verdicts; the Rust verifier runs on the addon's worker thread while the TypeScript one runs here. */
async function bothSay(arch: SumcheckArch, x: readonly bigint[] | null, y: readonly bigint[], proof: Uint8Array, model?: Uint8Array): Promise<{ rust: string; ts: string }> {
  const rust = rustSays(arch, x, y, proof, model);
  const ts = tsSays(arch, x, y, proof, model);
  return { rust: await rust, ts };
}

/**
 * An honest proof of the network: private weights, or against the model commitment `model` (committed weights); the
 * input public, or private (`inputPrivate`: committed in the proof, verified with x null).
 */
async function prove(net: Net, model?: Buffer, inputPrivate = false): Promise<{ proof: Buffer; y: bigint[] }> {
  const p = await native().sumcheckProve(i64Bytes(archWords(net.arch)), i64Bytes(net.params), i64Bytes(net.x), model, inputPrivate);
  return { proof: p.proof, y: fromI64Bytes(p.output) };
}

const commitModel = (net: Net) => native().sumcheckCommitModel(i64Bytes(archWords(net.arch)), i64Bytes(net.params));

const randomValues = (n: number, r: (lo: number, hi: number) => number, lo: number, hi: number) => Array.from({ length: n }, () => r(lo, hi));

describe("sumcheck verifier (TypeScript) against the Rust one", function () {
  this.timeout(120000);

  it("reproduces the values the Rust tests pin: the architecture hash, the transcript's challenges, a generator", () => {
    const tiny: SumcheckArch = { inputLen: 2, inputMin: -1n, inputTop: 3n, ops: [{ op: "dense", m: 1, n: 2 }, { op: "requant", shift: 1, relu: true, bits: 4, clamp: 2 }, { op: "flatten" }] };
    expect(sumcheckArchHash(tiny)).to.equal("0x3b11e3737664af2ad4441672ce2f4d2f08a7e06221692c2efc4e427f9d88f7ce");
    expect("0x" + native().sumcheckArchHash(i64Bytes(archWords(tiny))).toString("hex")).to.equal(sumcheckArchHash(tiny));
    // transcript.rs known_answer.
    const t = new Transcript("zkml-sumcheck-test-v1");
    t.absorbBytes("bytes", Buffer.from("hello"));
    t.absorbFr("fr", 42n);
    t.absorbFrs("frs", [1n, fr(-1n)]);
    t.absorbPoints("g1", [{ x: 1n, y: 2n }]);
    t.absorbPoints("inf", [null]);
    expect(t.challenge().toString(16).padStart(64, "0")).to.equal("2f26b9d0cce3d34713b8cc961d04c4b6d61862a87871f91bc4443819ff14a9d9");
    expect(t.challenge().toString(16).padStart(64, "0")).to.equal("0eb331d30dd701dcffcb3629a3f505842882dcb7dda1d65ca1dc8dd4196950cb");
    // hyrax.rs PINNED_G0_X.
    const g0 = hashToG1("zkml-hyrax-test", 0n);
    expect(g0.x.toString(16).padStart(64, "0")).to.equal("16b65393f44d03eab18683ed55a32f296ef042d236b10adb451571e3de804840");
    expect(g0.y % 2n).to.equal(0n);
  });

  it("evaluates the lookup tables' MLEs in O(l) as their dense MLEs, and the MSM as its definition", () => {
    const r = rng(7);
    const point = (l: number) => Array.from({ length: l }, () => BigInt(r(0, 2 ** 30)) * 982451653n % R);
    for (const l of [0, 1, 3, 6]) {
      const x = point(l);
      for (const offset of [-40n, -1n, 0n, 5n]) {
        const tables: Table[] = [
          { kind: "range", offset, logSize: l },
          { kind: "activation", offset, logSize: l, lo: 0n },
          { kind: "activation", offset, logSize: l, lo: 0n, hi: 15n },
          { kind: "activation", offset, logSize: l, lo: -8n, hi: 7n },
          { kind: "activation", offset, logSize: l },
          { kind: "activation", offset, logSize: l, hi: 3n },
          { kind: "activation", offset, logSize: l, lo: 2n, hi: 1n },
        ];
        for (const tb of tables) {
          const rows = Array.from({ length: 2 ** l }, (_, j) => offset + BigInt(j));
          const act = (v: bigint) => {
            let a = tb.kind === "activation" && tb.lo !== undefined && v < tb.lo ? tb.lo : v;
            if (tb.kind === "activation" && tb.hi !== undefined && a > tb.hi) a = tb.hi;
            return a;
          };
          const want = [mleEval(rows.map(fr), x), ...(tb.kind === "activation" ? [mleEval(rows.map((v) => fr(act(v))), x)] : [])];
          expect(tableEvaluate(tb, x), JSON.stringify({ ...tb, offset: String(offset), lo: String(tb.kind === "activation" ? tb.lo : ""), hi: String(tb.kind === "activation" ? tb.hi : ""), l })).to.deep.equal(want);
        }
      }
    }
    // The MSM against affine double-and-add: repeated and opposite points, the identity, zero and full-size scalars.
    const addA = (p: Affine | null, q: Affine | null): Affine | null => {
      if (p === null) return q;
      if (q === null) return p;
      let lambda: bigint;
      if (p.x === q.x) {
        if ((p.y + q.y) % P === 0n) return null;
        lambda = (3n * p.x * p.x * invMod(2n * p.y, P)) % P;
      } else lambda = ((q.y - p.y + P) * invMod(q.x - p.x + P, P)) % P;
      const x3 = (((lambda * lambda - p.x - q.x) % P) + 2n * P) % P;
      return { x: x3, y: (((lambda * (p.x - x3) - p.y) % P) + 2n * P) % P };
    };
    const mulA = (p: Affine | null, k: bigint): Affine | null => {
      let acc: Affine | null = null;
      for (let b = BigInt(k.toString(2).length) - 1n; b >= 0n; b--) {
        acc = addA(acc, acc);
        if ((k >> b) & 1n) acc = addA(acc, p);
      }
      return acc;
    };
    const g = [hashToG1("msm-test", 0n), hashToG1("msm-test", 1n), hashToG1("msm-test", 2n)];
    const negate = (p: Affine): Affine => ({ x: p.x, y: P - p.y });
    const pts: (Affine | null)[] = [];
    const sc: bigint[] = [];
    const big = [R - 1n, R - 2n, (R - 1n) / 2n, (1n << 253n) + 12345n, (1n << 200n) - 1n];
    for (let i = 0; i < 45; i++) {
      const base = g[i % 3];
      pts.push(i % 7 === 3 ? null : i % 5 === 0 ? negate(base) : base);
      sc.push(i % 11 === 0 ? 0n : i < big.length ? big[i] : BigInt(r(0, 2 ** 30)) * BigInt(r(0, 2 ** 30)));
    }
    for (const n of [1, 2, 3, 20, 45]) {
      const want = pts.slice(0, n).reduce<Affine | null>((acc, p, i) => addA(acc, mulA(p, sc[i])), null);
      expect(msm(pts.slice(0, n), sc.slice(0, n)), `${n} points`).to.deep.equal(want);
    }
    expect(msm([g[0], negate(g[0])], [5n, 5n])).to.equal(null);
    expect(msm([g[0], g[0]], [1n, 1n])).to.deep.equal(addA(g[0], g[0]));
  });

  it("builds each wiring's table as the transposed map: <g, x> = u~(r) for u = M x written out from the definition, a max pool's taps combined by gamma (conv.rs's test)", () => {
    const r = rng(31);
    for (let i = 0; i < 24; i++) {
      const kh = r(1, 3);
      const kw = r(1, 3);
      const win = { c: r(1, 3), h: r(kh, 7), w: r(kw, 7), kh, kw, sh: r(1, 2), sw: r(1, 2), ph: i % 2 ? r(0, kh - 1) : 0, pw: i % 2 ? r(0, kw - 1) : 0 };
      const oh = Math.floor((win.h + 2 * win.ph - kh) / win.sh) + 1;
      const ow = Math.floor((win.w + 2 * win.pw - kw) / win.sw) + 1;
      expect(positions(win)).to.equal(oh * ow);
      const pp = 2 ** Math.ceil(Math.log2(oh * ow));
      const at = (x: bigint[], c: number, iy: number, ix: number) => (iy >= 0 && ix >= 0 && iy < win.h && ix < win.w ? x[(c * win.h + iy) * win.w + ix] : 0n);
      const unpad = (x: bigint[]) => Array.from({ length: (win.c + 1) * oh * ow }, (_, j) => x[Math.floor(j / (oh * ow)) * pp + (j % (oh * ow))]);
      const im2col = (x: bigint[]) => {
        const u = new Array<bigint>(win.c * kh * kw * pp).fill(0n);
        for (let c = 0; c < win.c; c++)
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++)
              for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) u[((c * kh + ky) * kw + kx) * pp + oy * ow + ox] = at(x, c, oy * win.sh + ky - win.ph, ox * win.sw + kx - win.pw);
        return u;
      };
      const pool = (x: bigint[]) => {
        const u: bigint[] = [];
        for (let c = 0; c < win.c; c++)
          for (let oy = 0; oy < oh; oy++)
            for (let ox = 0; ox < ow; ox++) {
              let sum = 0n;
              for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) sum += at(x, c, oy * win.sh + ky, ox * win.sw + kx);
              u.push(sum);
            }
        return u;
      };
      // a max pool's taps combined by gamma: sum_t gamma^t (S_t x)~(r), S_t x[c P + p] = x[c h w + src(t, p)]
      const gamma = (BigInt(r(0, 2 ** 30)) * 982451653n) % R;
      const tapsMap = (x: bigint[]) => {
        const u: bigint[] = [];
        for (let c = 0; c < win.c; c++)
          for (let oy = 0; oy < oh; oy++)
            for (let ox = 0; ox < ow; ox++) {
              let sum = 0n;
              let power = 1n;
              for (let ky = 0; ky < kh; ky++)
                for (let kx = 0; kx < kw; kx++) {
                  sum = (sum + power * fr(at(x, c, oy * win.sh + ky, ox * win.sw + kx))) % R;
                  power = (power * gamma) % R;
                }
              u.push(sum);
            }
        return u;
      };
      const maps: [Wiring, number, (x: bigint[]) => bigint[]][] = [
        [{ kind: "unpad", rows: win.c + 1, cols: oh * ow }, 2 ** Math.ceil(Math.log2(win.c + 1)) * pp, unpad],
        [{ kind: "im2col", win }, windowInLen(win), im2col],
        ...(win.ph === 0 && win.pw === 0
          ? ([
              [{ kind: "pool", win }, windowInLen(win), pool],
              [{ kind: "taps", win, gamma }, windowInLen(win), tapsMap],
            ] as [Wiring, number, (x: bigint[]) => bigint[]][])
          : []),
      ];
      for (const [wiring, inLen, apply] of maps) {
        const x = Array.from({ length: inLen }, () => BigInt(r(-50, 50)));
        const point = Array.from({ length: wiringOutVars(wiring) }, () => (BigInt(r(0, 2 ** 30)) * 982451653n) % R);
        const g = wiringTable(wiring, point);
        const lhs = mleEval(apply(x).map(fr), point);
        const rhs = g.reduce((a, gj, j) => (a + gj * fr(x[j])) % R, 0n);
        expect(rhs, JSON.stringify(wiring, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))).to.equal(lhs);
      }
    }
  });

  const nets: Net[] = [];
  {
    const r = rng(27);
    nets.push(build("16 -> 8 -> 4, requant (ReLU, clamp 8) between", 1, -128, 127, randomValues(16, r, -128, 127), [{ dense: 8 }, { requant: { relu: true, clamp: 8, actBits: 8 } }, { dense: 4 }]));
    nets.push(
      build("flatten, 13 -> 7 -> 5 -> 3, requant without clamp, a signed clamped requant last", 2, 0, 255, randomValues(13, r, 0, 255), [
        { flatten: true },
        { dense: 7 },
        { requant: { relu: true, actBits: 6 } },
        { dense: 5 },
        { requant: { relu: false, clamp: 6, actBits: 6 } },
        { dense: 3 },
        { requant: { relu: false, clamp: 4, actBits: 4 } },
      ]),
    );
    nets.push(build("a single dense layer 5 -> 1", 3, -128, 127, randomValues(5, r, -9, 9), [{ dense: 1 }]));
    nets.push(build("12 -> 6 -> 3, requant without ReLU or clamp, then a ReLU requant last", 4, -8, 7, randomValues(12, r, -8, 7), [{ dense: 6 }, { requant: { relu: false, actBits: 5 } }, { dense: 3 }, { requant: { relu: true, actBits: 7 } }]));
    nets.push(build("no requant: 7 -> 4, a flatten, -> 3 (no witness part)", 6, -128, 127, randomValues(7, r, -128, 127), [{ dense: 4 }, { flatten: true }, { dense: 3 }]));
    nets.push(build("a requant first (shift 0, signed with clamp 1), then 5 -> 2", 7, -5, 5, [-5, 5, 0, 2, -1], [{ requant: { relu: false, clamp: 1, actBits: 8 } }, { dense: 2 }], 3, 5));
  }
  /** The small network whose every word is changed: 6 -> 3 -> 2, small weights, small tables. */
  const tiny = build("6 -> 3 -> 2, requant (ReLU, clamp 4)", 5, 0, 15, [3, 0, 15, 9, 1, 7], [{ dense: 3 }, { requant: { relu: true, clamp: 4, actBits: 4 } }, { dense: 2 }], 7, 20);
  const proofs = new Map<string, { proof: Buffer; y: bigint[] }>();

  it("accepts the honest proofs of random networks, as the Rust verifier does; the output is runIR's", async () => {
    for (const net of [...nets, tiny]) {
      const p = await prove(net);
      proofs.set(net.name, p);
      expect(p.y, net.name).to.deep.equal(run(net));
      expect(await bothSay(net.arch, net.x, p.y, p.proof), net.name).to.deep.equal({ rust: "valid", ts: "valid" });
      expect("0x" + native().sumcheckArchHash(i64Bytes(archWords(net.arch))).toString("hex"), net.name).to.equal(sumcheckArchHash(net.arch));
    }
  });

  /**
   * Each 32-byte word's class of field: what the decoder names when the word's top byte is set (every word is then
   * refused at its own field: a count too large, a field word at or above r, a coordinate at or above p), the layer
   * index replaced by the layer's kind and other indices dropped, except a sumcheck round's evaluation index (each
   * evaluation plays its own part); a point's second word marked "(y)".
   */
  function fieldClasses(proof: Buffer): string[] {
    const kinds = decodeProof(proof).layers.map((l) => l.kind);
    const classes: string[] = [];
    for (let at = 0; at < proof.length; at += 32) {
      const b = Buffer.from(proof);
      b[at] = 0xff;
      let message = "decoded";
      try {
        decodeProof(b);
      } catch (e) {
        message = (e as Error).message;
      }
      const m = /at byte (\d+): (.*?): (not a|count too large)/.exec(message);
      if (!m) throw new Error(`word at ${at} with its top byte set: ${message}`);
      const c = m[2]
        .replace(/^layer (\d+)/, (_, i: string) => `layer ${kinds[Number(i)]}`)
        .replace(/round \d+ evaluation (\d+)/, "round # evaluation $1")
        .replace(/(?<!evaluation )\b\d+\b/g, "#");
      classes.push(Number(m[1]) === at ? c : `${c} (y)`);
    }
    return classes;
  }

  /**
   * The proof's 32-byte words changed in turn (with `model`: verified against that commitment; x null: a private
   * input's proof): every word, or (stride > 1) every stride-th word and the first word of each class of field
   * (`fieldClasses`; a stride alone hides whole classes: every second word never reaches the odd evaluations of
   * the lookups' degree-3 rounds, every third misses single fields such as the layer count). Both verifiers give
   * the same verdict, and none accepts a changed proof (the bytes of a proof are unique).
   */
  async function everyWord(net: Net, given?: { proof: Buffer; y: bigint[] }, stride = 1, model?: Buffer, x: readonly bigint[] | null = net.x): Promise<void> {
    const { proof, y } = given ?? proofs.get(net.name) ?? (await prove(net));
    const tally = new Map<string, number>();
    const disagreements: string[] = [];
    const words = Array.from({ length: proof.length / 32 }, (_, i) => i);
    let chosen = words;
    if (stride > 1) {
      const classes = fieldClasses(proof);
      const first = new Set(classes.map((c) => classes.indexOf(c)));
      chosen = words.filter((i) => i % stride === 0 || first.has(i));
      expect(new Set(chosen.map((i) => classes[i])).size, net.name).to.equal(new Set(classes).size);
    }
    for (const [n, i] of chosen.entries()) {
      const at = 32 * i;
      // The word's last bit flipped (a field word stays below r, a count changes by one, a point leaves the curve);
      // every eighth word changed also with its top byte set (at or above r and p: a decoding error).
      for (const [what, change] of [
        ["last bit", (b: Buffer) => (b[at + 31] ^= 1)],
        ["top byte", (b: Buffer) => (b[at] = 0xff)],
      ] as const) {
        if (what === "top byte" && n % 8 !== 0) continue;
        const b = Buffer.from(proof);
        change(b);
        const said = await bothSay(net.arch, x, y, b, model);
        if (said.rust !== said.ts) disagreements.push(`word at ${at} (${what}): rust ${said.rust}, ts ${said.ts}`);
        if (said.ts === "valid" || said.rust === "valid") disagreements.push(`word at ${at} (${what}): a changed proof accepted (rust ${said.rust}, ts ${said.ts})`);
        tally.set(said.ts, (tally.get(said.ts) ?? 0) + 1);
      }
    }
    expect(disagreements, net.name).to.deep.equal([]);
    expect(tally.get("invalid") ?? 0).to.be.greaterThan(proof.length / 32 / stride / 2);
    expect(tally.get("throw PROOF_INVALID") ?? 0).to.be.greaterThan(0);
  }

  it("agrees with the Rust verifier on every 32-byte word of a small proof changed in turn", async () => {
    await everyWord(tiny);
  });

  it("... and of a single dense layer's proof, and every third word of one with a requant last", async () => {
    await everyWord(nets[2]);
    await everyWord(nets[3], undefined, 3);
  });

  it("a network without requant: no witness part in the proof (its row count 0, nothing after the model's opening), and none grafted on", async () => {
    for (const net of [nets[2], nets[4]]) {
      const { proof } = proofs.get(net.name)!;
      const d = decodeProof(proof);
      expect(d.modelRows, net.name).to.not.equal(null);
      expect([d.witnessRows, d.witness], net.name).to.deep.equal([null, null]);
      // the witness commitment's row count word follows the version, the flag and the model commitment
      expect(proof.readUInt32BE(32 * 3 + 64 * d.modelRows!.length + 28), net.name).to.equal(0);
    }
    await everyWord(nets[4]);
    // tiny's witness commitment and opening grafted onto a proof without requant, and cut from tiny's: both refuse.
    const lean = proofs.get(nets[4].name)!;
    const full = proofs.get(tiny.name)!;
    const dl = decodeProof(lean.proof);
    const df = decodeProof(full.proof);
    const witnessCountAt = (rows: number) => 32 * 3 + 64 * rows;
    const fw = witnessCountAt(df.modelRows!.length);
    const fwEnd = fw + 32 + 64 * df.witnessRows!.length;
    const w = df.witness!;
    const tail = 32 * (2 + w.rounds.length * (w.rounds[0]?.length ?? 0) + 1 + 1 + w.opening.length);
    const lw = witnessCountAt(dl.modelRows!.length);
    const grafted = Buffer.concat([lean.proof.subarray(0, lw), full.proof.subarray(fw, fwEnd), lean.proof.subarray(lw + 32), full.proof.subarray(full.proof.length - tail)]);
    expect(decodeProof(grafted).witnessRows).to.deep.equal(df.witnessRows);
    expect(await bothSay(nets[4].arch, nets[4].x, lean.y, grafted)).to.deep.equal({ rust: "invalid", ts: "invalid" });
    const cut = Buffer.concat([full.proof.subarray(0, fw), Buffer.alloc(32), full.proof.subarray(fwEnd, full.proof.length - tail)]);
    expect(decodeProof(cut).witness).to.equal(null);
    expect(await bothSay(tiny.arch, tiny.x, full.y, cut)).to.deep.equal({ rust: "invalid", ts: "invalid" });
  });

  it("committed weights: a proof against the published commitment verifies with it in both and fails without; a private proof fails with it", async () => {
    for (const net of [tiny, nets[4]]) {
      const model = await commitModel(net);
      const committed = await prove(net, model);
      expect(committed.y, net.name).to.deep.equal(run(net));
      expect(await bothSay(net.arch, net.x, committed.y, committed.proof, model), net.name).to.deep.equal({ rust: "valid", ts: "valid" });
      expect(await bothSay(net.arch, net.x, committed.y, committed.proof), net.name).to.deep.equal({ rust: "invalid", ts: "invalid" });
      expect(decodeProof(committed.proof).modelRows, net.name).to.equal(null);
      // the private proof carries the same commitment, and is refused by a verifier holding one
      const { proof, y } = proofs.get(net.name)!;
      expect(decodeProof(proof).modelRows, net.name).to.deep.equal(decodeCommitment(model));
      expect(await bothSay(net.arch, net.x, y, proof, model), net.name).to.deep.equal({ rust: "invalid", ts: "invalid" });
      // another output against the commitment
      const y2 = committed.y.slice();
      y2[0] += 1n;
      expect(await bothSay(net.arch, net.x, y2, committed.proof, model), net.name).to.deep.equal({ rust: "invalid", ts: "invalid" });
    }
  });

  it("committed weights: a proof of other weights (a weight or a bias changed) fails against the published commitment", async () => {
    const model = await commitModel(tiny);
    const nW = 3 * 6;
    for (const [what, at] of [
      ["a weight", 4],
      ["a bias", nW + 1],
      ["the last layer's bias", tiny.params.length - 1],
    ] as const) {
      const other: Net = { ...tiny, params: tiny.params.slice() };
      other.params[at] += 1n;
      // its own commitment carried (a valid private proof of other weights), or the published one claimed
      const own = await prove(other);
      expect(await bothSay(tiny.arch, tiny.x, own.y, own.proof), what).to.deep.equal({ rust: "valid", ts: "valid" });
      expect(await bothSay(tiny.arch, tiny.x, own.y, own.proof, model), what).to.deep.equal({ rust: "invalid", ts: "invalid" });
      const claimed = await prove(other, model);
      expect(await bothSay(tiny.arch, tiny.x, claimed.y, claimed.proof, model), what).to.deep.equal({ rust: "invalid", ts: "invalid" });
      // and the other weights' own commitment is another
      expect((await commitModel(other)).equals(model), what).to.equal(false);
    }
  });

  it("committed weights: every word of a small committed proof and every row of the commitment changed: both agree, none accepted", async () => {
    const model = await commitModel(tiny);
    const committed = await prove(tiny, model);
    await everyWord(tiny, committed, 1, model);
    const rows = decodeCommitment(model);
    const said: string[] = [];
    const say = async (what: string, m: Buffer) => said.push(`${what}: ${JSON.stringify(await bothSay(tiny.arch, tiny.x, committed.y, committed.proof, m))}`);
    for (let i = 0; i < rows.length; i++) {
      const at = 32 + 64 * i;
      const flip = Buffer.from(model);
      flip[at + 63] ^= 1; // y off the curve: does not decode
      const negated = Buffer.from(model); // -C_i: a point, another commitment
      if (rows[i] !== null) negated.write((P - rows[i]!.y).toString(16).padStart(64, "0"), at + 32, "hex");
      const identity = Buffer.from(model);
      identity.fill(0, at, at + 64);
      const swapped = Buffer.from(model);
      model.copy(swapped, at, 32 + 64 * ((i + 1) % rows.length), 32 + 64 * ((i + 1) % rows.length) + 64);
      await say(`row ${i} y's last bit`, flip);
      await say(`row ${i} negated`, negated);
      await say(`row ${i} the identity`, identity);
      await say(`row ${i} the next row's`, swapped);
    }
    const expected = rows.flatMap((_, i) => [
      `row ${i} y's last bit: ${JSON.stringify({ rust: "throw PROOF_INVALID", ts: "throw PROOF_INVALID" })}`,
      ...["negated", "the identity", "the next row's"].map((w) => `row ${i} ${w}: ${JSON.stringify({ rust: "invalid", ts: "invalid" })}`),
    ]);
    expect(said).to.deep.equal(expected);
  });

  it("committed weights: commitment bytes that are not one are PROOF_INVALID in both, the TypeScript message naming the model commitment", async () => {
    const model = await commitModel(tiny);
    const { proof, y } = proofs.get(tiny.name)!;
    const count = (n: number) => Buffer.from(n.toString(16).padStart(64, "0"), "hex");
    const bad: [string, Buffer][] = [
      ["empty", Buffer.alloc(0)],
      ["no rows", count(0)],
      ["truncated", model.subarray(0, model.length - 1)],
      ["a trailing byte", Buffer.concat([model, Buffer.alloc(1)])],
      ["a trailing row", Buffer.concat([model, model.subarray(32, 96)])],
      ["a row count one more", Buffer.concat([count((model.length - 32) / 64 + 1), model.subarray(32)])],
      ["a row count one less", Buffer.concat([count((model.length - 32) / 64 - 1), model.subarray(32)])],
      ["a coordinate at p", Buffer.concat([model.subarray(0, 32), Buffer.from(P.toString(16), "hex"), model.subarray(64)])],
    ];
    for (const [what, m] of bad) {
      // with the committed proof and with the private one: the commitment is refused either way
      for (const p of [proof, (await prove(tiny, model)).proof]) {
        expect(await bothSay(tiny.arch, tiny.x, y, p, m), what).to.deep.equal({ rust: "throw PROOF_INVALID", ts: "throw PROOF_INVALID" });
        expect(() => verifySumcheckProof(tiny.arch, tiny.x, y, p, m), what).to.throw(/model commitment/);
      }
    }
  });

  it("refuses an architecture with no dense op (IR_INVALID), as the Rust prover and verifier do", async () => {
    const { proof, y } = proofs.get(tiny.name)!;
    for (const arch of [
      { inputLen: 3, inputMin: -5n, inputTop: 5n, ops: [{ op: "flatten" }] },
      { inputLen: 5, inputMin: -5n, inputTop: 5n, ops: [{ op: "requant", shift: 0, relu: false, bits: 4, clamp: 1 }] },
      { inputLen: 5, inputMin: -5n, inputTop: 5n, ops: [] },
    ] as SumcheckArch[]) {
      expect(await bothSay(arch, tiny.x.slice(0, arch.inputLen), y.slice(0, 1), proof), JSON.stringify(arch.ops)).to.deep.equal({ rust: "throw IR_INVALID", ts: "throw IR_INVALID" });
      const proved = await native()
        .sumcheckProve(i64Bytes(archWords(arch)), i64Bytes([]), i64Bytes(tiny.x.slice(0, arch.inputLen)))
        .then(
          () => "proved",
          (e) => {
            const z = nativeError(e);
            return isZkmlError(z) ? z.code : `crash ${String(e)}`;
          },
        );
      expect(proved, JSON.stringify(arch.ops)).to.equal("IR_INVALID");
    }
  });

  it("agrees on each public input and output value changed, and on changed architectures", async () => {
    for (const net of [nets[0], nets[1], nets[4], nets[5], tiny]) {
      const { proof, y } = proofs.get(net.name)!;
      const said: string[] = [];
      for (let i = 0; i < net.x.length; i++)
        for (const d of [1n, -1n]) {
          const x = net.x.slice();
          x[i] += d;
          said.push(JSON.stringify(await bothSay(net.arch, x, y, proof)));
        }
      for (let i = 0; i < y.length; i++) {
        const y2 = y.slice();
        y2[i] += 1n;
        said.push(JSON.stringify(await bothSay(net.arch, net.x, y2, proof)));
      }
      // Lengths: a value dropped or added.
      said.push(JSON.stringify(await bothSay(net.arch, net.x.slice(1), y, proof)));
      said.push(JSON.stringify(await bothSay(net.arch, [...net.x, 0n], y, proof)));
      said.push(JSON.stringify(await bothSay(net.arch, net.x, y.slice(1), proof)));
      said.push(JSON.stringify(await bothSay(net.arch, net.x, [...y, 0n], proof)));
      expect(new Set(said), net.name).to.deep.equal(new Set([JSON.stringify({ rust: "invalid", ts: "invalid" })]));
    }
    // Architectures: a shift, ReLU, bits, the clamp, the input range, a dense shape (alone: the shapes no longer
    // chain; with the next layer's n: another layout), a flatten inserted, a layer dropped.
    const net = nets[1];
    const { proof, y } = proofs.get(net.name)!;
    const variants: [string, (a: SumcheckArch) => void][] = [
      ["shift + 1", (a) => ((a.ops[2] as { shift: number }).shift += 1)],
      ["shift - 1", (a) => ((a.ops[6] as { shift: number }).shift -= 1)],
      ["ReLU off", (a) => ((a.ops[2] as { relu: boolean }).relu = false)],
      ["bits + 1", (a) => ((a.ops[4] as { bits: number }).bits += 1)],
      ["clamp removed", (a) => delete (a.ops[4] as { clamp?: number }).clamp],
      ["clamp 5", (a) => ((a.ops[6] as { clamp?: number }).clamp = 5)],
      ["input min - 1", (a) => (a.inputMin -= 1n)],
      ["input top + 1", (a) => (a.inputTop += 1n)],
      ["input top below an input value", (a) => (a.inputTop = 100n)],
      ["input min above top", (a) => (a.inputMin = 300n)],
      ["dense m + 1 alone", (a) => ((a.ops[1] as { m: number }).m += 1)],
      ["dense m + 1 with the next n", (a) => ((a.ops[1] as { m: number }).m += 1, ((a.ops[3] as { n: number }).n += 1))],
      ["last dense m - 1", (a) => ((a.ops[5] as { m: number }).m -= 1)],
      ["flatten inserted", (a) => a.ops.splice(3, 0, { op: "flatten" })],
      ["flatten removed", (a) => a.ops.splice(0, 1)],
      ["shift 17 (refused)", (a) => ((a.ops[2] as { shift: number }).shift = 17)],
    ];
    for (const [what, change] of variants) {
      const a: SumcheckArch = structuredClone(net.arch);
      change(a);
      const said = await bothSay(a, net.x, y, proof);
      expect(said.ts, what).to.equal(said.rust);
      expect(said.ts, what).to.not.equal("valid");
    }
  });

  it("refuses truncated bytes and trailing bytes as PROOF_INVALID naming the byte offset, as the Rust verifier does", async () => {
    const { proof, y } = proofs.get(tiny.name)!;
    const cuts = [0, 1, 31, 32, 33, 64, 100, 32 * 7, proof.length / 2, proof.length - 33, proof.length - 32, proof.length - 1];
    const extended = [Buffer.concat([proof, Buffer.alloc(32)]), Buffer.concat([proof, Buffer.alloc(1, 5)]), Buffer.concat([proof, proof])];
    for (const b of [...cuts.map((c) => proof.subarray(0, c)), ...extended]) {
      expect(await bothSay(tiny.arch, tiny.x, y, b), `${b.length} bytes`).to.deep.equal({ rust: "throw PROOF_INVALID", ts: "throw PROOF_INVALID" });
      try {
        verifySumcheckProof(tiny.arch, tiny.x, y, b);
      } catch (e) {
        expect((e as Error).message).to.match(/at byte \d+: /);
      }
    }
    const err = (b: Uint8Array) => {
      try {
        verifySumcheckProof(tiny.arch, tiny.x, y, b);
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    };
    expect(err(Buffer.concat([proof, Buffer.alloc(32)]))).to.contain(`at byte ${proof.length}: 32 bytes after the proof's end`);
    expect(err(proof.subarray(0, proof.length - 32))).to.contain("truncated");
  });

  /**
   * network.rs's `cnns()`: a padded conv on 1x6x6 whose 36 positions need the unpadding wiring, requant, a 2x2 sum
   * pool, a conv of 4 output positions (no unpadding), requant, a padded conv, requant, a residual add of ops[4]'s
   * output (mul 1, fromMul 2), flatten, dense; 8 -> 8, requant, an add of the input (mul 3), -> 3; and net3, a padded
   * conv 2 -> 2 on 2x5x5 (25 positions: the unpadding wiring), requant (ReLU, clamp 8), a 2x2 max pool of stride 2
   * (bits 9), flatten, dense 3x8.
   */
  const cnns: Net[] = [];
  {
    const r = rng(2727);
    cnns.push(
      buildCnn("CNN: conv (unpadded), requant, sumpool, conv, requant, conv, requant, add of ops[4], flatten, dense", 11, [1, 6, 6], 0, 255, randomValues(36, r, 0, 255), [
        { conv: { f: 2, k: 3, p: 1 } },
        { requant: true },
        { sumpool: 2 },
        { conv: { f: 3, k: 2 } },
        { requant: true },
        { conv: { f: 3, k: 3, p: 1 } },
        { requant: true },
        { add: { from: 5, mul: 1, fromMul: 2 } },
        { flatten: true },
        { dense: 4 },
      ]),
    );
    cnns.push(buildCnn("8 -> 8, requant, add of the input (mul 3), -> 3", 12, [8], -128, 127, randomValues(8, r, -128, 127), [{ dense: 8 }, { requant: true }, { add: { from: 0, mul: 3, fromMul: 1 } }, { dense: 3 }]));
    // net3: a max pool of a requant's output, 2x2 windows (4 taps) stride 2 on 2x5x5 -> 2x2x2 (the last row and
    // column unread), bits 9 (the ReLU, clamp 8 requant's outputs differ by less than 2^8)
    cnns.push(
      buildCnn("CNN: conv 2 -> 2 (unpadded), requant, maxpool 2x2 (bits 9), flatten, dense 3", 13, [2, 5, 5], 0, 255, randomValues(50, r, 0, 255), [
        { conv: { f: 2, k: 3, p: 1 } },
        { requant: true },
        { maxpool: { k: 2, bits: 9 } },
        { flatten: true },
        { dense: 3 },
      ]),
    );
  }

  it("CNNs (conv, sumpool, residual add, maxpool): both accept the honest proofs, the output is runIR's, the layers the expected kinds", async () => {
    const kinds = [
      ["dense", "add", "requant", "conv", "requant", "conv", "pool", "requant", "conv+unpad"],
      ["dense", "add", "requant", "dense"],
      ["dense", "maxpool", "requant", "conv+unpad"],
    ];
    for (const [i, net] of cnns.entries()) {
      const p = await prove(net);
      proofs.set(net.name, p);
      expect(p.y, net.name).to.deep.equal(run(net));
      expect(await bothSay(net.arch, net.x, p.y, p.proof), net.name).to.deep.equal({ rust: "valid", ts: "valid" });
      expect("0x" + native().sumcheckArchHash(i64Bytes(archWords(net.arch))).toString("hex"), net.name).to.equal(sumcheckArchHash(net.arch));
      const layers = decodeProof(p.proof).layers.map((l) => (l.kind === "conv" && l.unpad ? "conv+unpad" : l.kind));
      expect(layers, net.name).to.deep.equal(kinds[i]);
      // committed weights: against the published commitment, and not without it
      const model = await commitModel(net);
      const committed = await prove(net, model);
      expect(await bothSay(net.arch, net.x, committed.y, committed.proof, model), net.name).to.deep.equal({ rust: "valid", ts: "valid" });
      expect(await bothSay(net.arch, net.x, committed.y, committed.proof), net.name).to.deep.equal({ rust: "invalid", ts: "invalid" });
    }
  });

  it("CNNs: every third 32-byte word of the larger one's and the max pool's proofs (every sixth in CI, ZKML_SLOW_TESTS=1 for third) and every word of the smaller's changed in turn, and each class of field's first word: both agree, none accepted", async () => {
    const wide = slowTests() ? 3 : 6;
    await everyWord(cnns[0], undefined, wide);
    await everyWord(cnns[1]);
    await everyWord(cnns[2], undefined, wide);
  });

  it("CNNs: each input and output value changed, a weight or bias changed against the published commitment: both refuse", async () => {
    for (const net of cnns) {
      const { proof, y } = proofs.get(net.name)!;
      const said = new Set<string>();
      for (let i = 0; i < net.x.length; i++) {
        const x = net.x.slice();
        x[i] += x[i] > net.arch.inputMin ? -1n : 1n;
        said.add(JSON.stringify(await bothSay(net.arch, x, y, proof)));
      }
      for (let i = 0; i < y.length; i++) {
        const y2 = y.slice();
        y2[i] += 1n;
        said.add(JSON.stringify(await bothSay(net.arch, net.x, y2, proof)));
      }
      expect(said, net.name).to.deep.equal(new Set([JSON.stringify({ rust: "invalid", ts: "invalid" })]));
    }
    const net = cnns[0];
    const model = await commitModel(net);
    // the first conv's first weight, the second conv's last bias, the dense layer's first weight
    for (const at of [0, 2 * 9 + 2 + 3 * 8 + 2, net.params.length - 4 - 4 * 12]) {
      const other: Net = { ...net, params: net.params.slice() };
      other.params[at] += 1n;
      const claimed = await prove(other, model);
      expect(await bothSay(net.arch, net.x, claimed.y, claimed.proof, model), `param ${at}`).to.deep.equal({ rust: "invalid", ts: "invalid" });
    }
  });

  /**
   * A private input (native 79f43d7): x committed in the proof's witness, range-checked by one lookup (the last
   * layer proof, kind 6), verified with x null. The FC network like network.rs's `small()` (16 -> 8 -> 4), one
   * with no requant (the witness is x's alone), one with a requant first (x's claim from the requant's), and the
   * three CNNs (the second's add takes the input: a claim on the committed x; the third has a max pool).
   */
  const privateNets = [nets[0], nets[4], nets[5], ...cnns];
  const privateProofs = new Map<string, { proof: Buffer; y: bigint[] }>();

  it("a private input: both accept the honest proofs (the last layer the range lookup); refused by both as a public input's proof, a public one as a private input's, another output", async () => {
    for (const net of privateNets) {
      const p = await prove(net, undefined, true);
      privateProofs.set(net.name, p);
      expect(p.y, net.name).to.deep.equal(run(net));
      expect(await bothSay(net.arch, null, p.y, p.proof), net.name).to.deep.equal({ rust: "valid", ts: "valid" });
      const d = decodeProof(p.proof);
      expect(d.layers[d.layers.length - 1].kind, net.name).to.equal("inputRange");
      expect(d.witnessRows, net.name).to.not.equal(null);
      // the private proof checked as a public input's (with the true x), a public proof checked as a private one's
      expect(await bothSay(net.arch, net.x, p.y, p.proof), net.name).to.deep.equal({ rust: "invalid", ts: "invalid" });
      const pub = proofs.get(net.name) ?? (await prove(net));
      expect(await bothSay(net.arch, null, pub.y, pub.proof), net.name).to.deep.equal({ rust: "invalid", ts: "invalid" });
      for (let i = 0; i < p.y.length; i++) {
        const y2 = p.y.slice();
        y2[i] += 1n;
        expect(await bothSay(net.arch, null, y2, p.proof), `${net.name}: output ${i}`).to.deep.equal({ rust: "invalid", ts: "invalid" });
      }
    }
    // committed weights and a private input: valid against the published commitment, not without it
    const net = nets[0];
    const model = await commitModel(net);
    const committed = await prove(net, model, true);
    expect(await bothSay(net.arch, null, committed.y, committed.proof, model)).to.deep.equal({ rust: "valid", ts: "valid" });
    expect(await bothSay(net.arch, null, committed.y, committed.proof)).to.deep.equal({ rust: "invalid", ts: "invalid" });
    // an input outside the declared range cannot be proved private (the lookup has no row for it)
    const x = net.x.slice();
    x[3] = net.arch.inputTop + 1n;
    const code = await native()
      .sumcheckProve(i64Bytes(archWords(net.arch)), i64Bytes(net.params), i64Bytes(x), undefined, true)
      .then(
        () => "proved",
        (e) => {
          const z = nativeError(e);
          return isZkmlError(z) ? z.code : `crash ${String(e)}`;
        },
      );
    expect(code).to.equal("INPUT_OUT_OF_RANGE");
  });

  it("a private input: every second 32-byte word of the FC network's proof changed in turn, every third (and each class of field's first) of the others', every ninth of the max pool's (twice those strides in CI; ZKML_SLOW_TESTS=1 for these): both agree, none accepted", async () => {
    // the public proofs have their words changed above; here every class of field is still covered (everyWord takes
    // each class's first word whatever the stride), at a fraction of the time (CI's 30 minutes)
    const k = slowTests() ? 1 : 2;
    const stride = (net: Net) => k * (net === nets[0] ? 2 : net === cnns[2] ? 9 : 3);
    for (const net of privateNets) await everyWord(net, privateProofs.get(net.name) ?? (await prove(net, undefined, true)), stride(net), undefined, null);
  });

  it("a private input whose range excludes 0 or needs more than 2^20 rows: IR_INVALID in both verifiers and the prover; public, the same range is fine", async () => {
    // a network on inputs in [1, 15]: its public proof verifies; a private input is refused by both verifiers and the prover
    const pos = build("5 -> 2 on inputs in [1, 15]", 8, 1, 15, [1, 15, 7, 3, 9], [{ dense: 2 }]);
    const pub = await prove(pos);
    expect(await bothSay(pos.arch, pos.x, pub.y, pub.proof)).to.deep.equal({ rust: "valid", ts: "valid" });
    const proveCode = async (net: Net) =>
      native()
        .sumcheckProve(i64Bytes(archWords(net.arch)), i64Bytes(net.params), i64Bytes(net.x), undefined, true)
        .then(
          () => "proved",
          (e) => {
            const z = nativeError(e);
            return isZkmlError(z) ? z.code : `crash ${String(e)}`;
          },
        );
    expect(await proveCode(pos)).to.equal("IR_INVALID");
    expect(await bothSay(pos.arch, null, pub.y, pub.proof)).to.deep.equal({ rust: "throw IR_INVALID", ts: "throw IR_INVALID" });
    expect(() => verifySumcheckProof(pos.arch, null, pub.y, pub.proof)).to.throw(/must contain 0/);
    // bytes that do not decode are PROOF_INVALID first, in both
    expect(await bothSay(pos.arch, null, pub.y, pub.proof.subarray(0, 40))).to.deep.equal({ rust: "throw PROOF_INVALID", ts: "throw PROOF_INVALID" });
    // another network's private proof, checked against ranges that exclude 0 or need more than 2^20 rows
    const net = nets[0];
    const { proof, y } = privateProofs.get(net.name) ?? (await prove(net, undefined, true));
    const ranges: [bigint, bigint, string][] = [
      [1n, 127n, "IR_INVALID"],
      [-128n, -1n, "IR_INVALID"],
      [-(1n << 20n), 0n, "IR_INVALID"],
      [0n, 1n << 20n, "IR_INVALID"],
      [-(1n << 47n), 1n << 47n, "IR_INVALID"],
      // accepted ranges, but not this proof's architecture: a table of 2^20 rows, of 2 rows
      [-((1n << 20n) - 1n), 0n, "invalid"],
      [0n, 0n, "invalid"],
    ];
    for (const [inputMin, inputTop, want] of ranges) {
      const a: SumcheckArch = { ...net.arch, inputMin, inputTop };
      const said = want === "invalid" ? want : `throw ${want}`;
      expect(await bothSay(a, null, y, proof), `[${inputMin}, ${inputTop}]`).to.deep.equal({ rust: said, ts: said });
    }
  });

  it("CNN architectures: the window, add and no-matrix rules refuse as the Rust side does (IR_INVALID); other geometries fail the proof in both", async () => {
    const net = cnns[0];
    const { proof, y } = proofs.get(net.name)!;
    type Win = { c: number; h: number; w: number; kh: number; kw: number; sh: number; sw: number; ph: number; pw: number };
    const win = (a: SumcheckArch, k: number) => (a.ops[k] as { win: Win }).win;
    const refused: [string, (a: SumcheckArch) => void, RegExp][] = [
      ["conv padding at the kernel", (a) => (win(a, 0).ph = 3), /padding must be below the kernel/],
      ["conv stride 0", (a) => (win(a, 3).sw = 0), /every size and stride must be at least 1/],
      ["conv kernel past the padded input", (a) => ((win(a, 0).kh = 9), (win(a, 0).ph = 1)), /larger than the padded input/],
      ["conv input channels 2 (72 values, the input 36)", (a) => (win(a, 0).c = 2), /its input has 36 values/],
      ["conv filters 2 -> 3 (the pool's input then 108 values)", (a) => ((a.ops[0] as { f: number }).f = 3), /sumpool of a 2x6x6 input \(no padding\): its input has 108 values/],
      ["sumpool of 3 channels", (a) => (win(a, 2).c = 3), /its input has 72 values/],
      ["sumpool window past its input", (a) => (win(a, 2).kh = 7), /larger than the padded input/],
      ["a window word above 2^30", (a) => (win(a, 3).sh = 2 ** 30 + 1), /word \d+ \(window sh\)/],
      ["add of a conv's output", (a) => ((a.ops[7] as { from: number }).from = 4), /earlier requant's output/],
      ["add of its own output", (a) => ((a.ops[7] as { from: number }).from = 8), /earlier requant's output/],
      ["add of a later op", (a) => ((a.ops[7] as { from: number }).from = 9), /earlier requant's output/],
      ["add of the first requant's output (72 values)", (a) => ((a.ops[7] as { from: number }).from = 2), /sides have 12 and 72 values/],
      ["add of the input (36 values)", (a) => ((a.ops[7] as { from: number }).from = 0), /sides have 12 and 36 values/],
      ["add mul 0", (a) => ((a.ops[7] as { mul: number }).mul = 0), /add mul/],
      ["add fromMul 2^20 + 1", (a) => ((a.ops[7] as { fromMul: number }).fromMul = 2 ** 20 + 1), /add from_mul/],
      ["add from 2^20 + 1", (a) => ((a.ops[7] as { from: number }).from = 2 ** 20 + 1), /add from/],
    ];
    const big: [string, SumcheckArch, RegExp][] = [
      ["im2col past 2^30 entries", { inputLen: 2 ** 30, inputMin: 0n, inputTop: 1n, ops: [{ op: "conv", win: { c: 1, h: 2 ** 15, w: 2 ** 15, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0 }, f: 1 }] }, /more than 2\^30 im2col or input entries/],
      ["an input past 2^30 entries", { inputLen: 2 ** 31, inputMin: 0n, inputTop: 1n, ops: [{ op: "conv", win: { c: 8, h: 2 ** 14, w: 2 ** 14, kh: 1, kw: 1, sh: 2 ** 14, sw: 2 ** 14, ph: 0, pw: 0 }, f: 1 }] }, /more than 2\^30 im2col or input entries/],
      ["a conv of 2^31 weights", { inputLen: 4, inputMin: 0n, inputTop: 1n, ops: [{ op: "conv", win: { c: 1, h: 2, w: 2, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0 }, f: 2 ** 29 }] }, /more than 2\^30 weights or outputs/],
      ["a sum pool alone (no dense or conv op)", { inputLen: 16, inputMin: 0n, inputTop: 1n, ops: [{ op: "sumpool", win: { c: 1, h: 4, w: 4, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 } }] }, /no dense or conv op/],
      ["an add of the input alone", { inputLen: 4, inputMin: 0n, inputTop: 1n, ops: [{ op: "add", from: 0, mul: 1, fromMul: 1 }] }, /no dense or conv op/],
    ];
    const cases: [string, SumcheckArch, RegExp][] = [
      ...refused.map(([what, change, why]): [string, SumcheckArch, RegExp] => {
        const a: SumcheckArch = structuredClone(net.arch);
        change(a);
        return [what, a, why];
      }),
      ...big,
    ];
    for (const [what, a, why] of cases) {
      expect(await bothSay(a, net.x, y, proof), what).to.deep.equal({ rust: "throw IR_INVALID", ts: "throw IR_INVALID" });
      expect(() => checkArch(a), what).to.throw(why);
    }
    // accepted geometries, but not this proof's: both refuse it
    const other: [string, (a: SumcheckArch) => void][] = [
      ["first conv unpadded, kernel 1", (a) => ((win(a, 0).kh = 1), (win(a, 0).kw = 1), (win(a, 0).ph = 0), (win(a, 0).pw = 0))],
      ["the last conv without padding, kernel 1", (a) => ((win(a, 5).kh = 1), (win(a, 5).kw = 1), (win(a, 5).ph = 0), (win(a, 5).pw = 0))],
      ["add mul 2", (a) => ((a.ops[7] as { mul: number }).mul = 2)],
      ["add fromMul 1", (a) => ((a.ops[7] as { fromMul: number }).fromMul = 1)],
      ["add of ops[6]'s output", (a) => ((a.ops[7] as { from: number }).from = 7)],
      ["the add removed", (a) => a.ops.splice(7, 1)],
      ["the flatten removed", (a) => a.ops.splice(8, 1)],
    ];
    for (const [what, change] of other) {
      const a: SumcheckArch = structuredClone(net.arch);
      change(a);
      expect(() => checkArch(a), what).to.not.throw();
      expect(await bothSay(a, net.x, y, proof), what).to.deep.equal({ rust: "invalid", ts: "invalid" });
    }
  });

  it("max pool architectures: the taps, bits, window and after-a-requant rules refuse as the Rust side does (IR_INVALID); padding, which the words cannot carry, refused on the object; other pools fail the proof in both", async () => {
    const net = cnns[2];
    const { proof, y } = proofs.get(net.name) ?? (await prove(net));
    type Pool = { win: { c: number; h: number; w: number; kh: number; kw: number; sh: number; sw: number; ph: number; pw: number }; bits: number };
    const pool = (a: SumcheckArch) => a.ops[2] as unknown as Pool;
    const refused: [string, (a: SumcheckArch) => void, RegExp][] = [
      ["a 2x4 window (8 taps)", (a) => (pool(a).win.kw = 4), /a window of 8 taps \(at most 7/],
      ["a 3x3 window (9 taps)", (a) => ((pool(a).win.kh = 3), (pool(a).win.kw = 3)), /a window of 9 taps \(at most 7/],
      ["bits 22 (a table of 2^21 rows)", (a) => (pool(a).bits = 22), /maxpool: bits 22 \(its differences' range table needs 2 <= bits <= 21\)/],
      ["bits 1 (a table of 1 row)", (a) => (pool(a).bits = 1), /maxpool: bits 1 /],
      ["bits 63 (past the word's bound)", (a) => (pool(a).bits = 63), /word \d+ \(maxpool bits\)/],
      ["a max pool of the conv's output (the requant removed)", (a) => a.ops.splice(1, 1), /ops\[1\] maxpool: its input must be a requant's output/],
      ["3 channels (75 values, its input 50)", (a) => (pool(a).win.c = 3), /maxpool of a 3x5x5 input \(no padding\): its input has 50 values/],
      ["a 6x1 window past its input", (a) => ((pool(a).win.kh = 6), (pool(a).win.kw = 1)), /larger than the padded input/],
      ["stride 0", (a) => (pool(a).win.sh = 0), /every size and stride must be at least 1/],
    ];
    const first: SumcheckArch = { inputLen: 50, inputMin: 0n, inputTop: 255n, ops: [{ op: "maxpool", win: { c: 2, h: 5, w: 5, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 }, bits: 9 }, { op: "flatten" }, { op: "dense", m: 3, n: 8 }] };
    const cases: [string, SumcheckArch, RegExp][] = [
      ...refused.map(([what, change, why]): [string, SumcheckArch, RegExp] => {
        const a: SumcheckArch = structuredClone(net.arch);
        change(a);
        return [what, a, why];
      }),
      ["a max pool first (of the input)", first, /ops\[0\] maxpool: its input must be a requant's output/],
    ];
    for (const [what, a, why] of cases) {
      expect(await bothSay(a, net.x, y, proof), what).to.deep.equal({ rust: "throw IR_INVALID", ts: "throw IR_INVALID" });
      expect(() => checkArch(a), what).to.throw(why);
    }
    // Padding: a max pool's words (7, c, h, w, kh, kw, sh, sw, bits) have no place for it, so archWords refuses a
    // padded pool (IR_INVALID) rather than hand the prover and the addon the unpadded pool's words
    for (const [ph, pw] of [[1, 0], [0, 1]]) {
      const a: SumcheckArch = structuredClone(net.arch);
      Object.assign(pool(a).win, { ph, pw });
      expect(() => archWords(a), `padding ${ph}, ${pw}`).to.throw(/the sumcheck system's pools take none/);
      expect(tsSays(a, net.x, y, proof), `padding ${ph}, ${pw}`).to.equal("throw IR_INVALID");
      expect(() => checkArch(a), `padding ${ph}, ${pw}`).to.throw(/pools take none/);
    }
    // accepted pools, but not this proof's: both refuse it
    const other: [string, (a: SumcheckArch) => void][] = [
      ["bits 10", (a) => (pool(a).bits = 10)],
      ["bits 21", (a) => (pool(a).bits = 21)],
      ["bits 2", (a) => (pool(a).bits = 2)],
      ["a 2x3 window (6 taps, the same 2x2x2 output)", (a) => (pool(a).win.kw = 3)],
      ["a 1x1 window, stride 2 (9 positions: the dense 3x18)", (a) => ((pool(a).win.kh = 1), (pool(a).win.kw = 1), ((a.ops[4] as { n: number }).n = 18))],
      ["a sum pool in its place", (a) => (a.ops[2] = { op: "sumpool", win: pool(a).win })],
    ];
    for (const [what, change] of other) {
      const a: SumcheckArch = structuredClone(net.arch);
      change(a);
      expect(() => checkArch(a), what).to.not.throw();
      expect(await bothSay(a, net.x, y, proof), what).to.deep.equal({ rust: "invalid", ts: "invalid" });
    }
  });

  /**
   * Batches (native ce208b6): one proof of N inferences, x and y the samples' concatenated (N inferred from y's
   * length, as the addon does). The FC network like network.rs's `small()` and the three CNNs (net3's max pool
   * too), 2 and 3 samples (3 pads to 4): the first sample the net's own x, the others x with each value moved by at
   * most d (clamped to the declared range), d halved until every requant's bits hold every sample (the prover
   * refuses a batch whose values do not fit, INPUT_OUT_OF_RANGE). net3's ReLU zeroes its conv's every output on
   * inputs in [0, 255] (its max pool sees only zeros), so a net3 on signed inputs joins them, its max pool's inputs
   * not all alike in any sample.
   */
  const pooled = buildCnn("CNN (batches): conv 2 -> 2 (unpadded), requant, maxpool 2x2 (bits 9), flatten, dense 3, signed inputs", 14, [2, 5, 5], -128, 127, randomValues(50, rng(2828), -128, 127), [
    { conv: { f: 2, k: 3, p: 1 } },
    { requant: true },
    { maxpool: { k: 2, bits: 9 } },
    { flatten: true },
    { dense: 3 },
  ]);
  const batchNets = [nets[0], ...cnns, pooled];
  const batches = new Map<string, { xs: bigint[]; proof: Buffer; y: bigint[] }>();

  /** N samples' inputs concatenated and their public proof (private weights), d as above. */
  async function batchOf(net: Net, n: number, seed: number): Promise<{ xs: bigint[]; proof: Buffer; y: bigint[] }> {
    const r = rng(seed);
    const [lo, top] = [Number(net.arch.inputMin), Number(net.arch.inputTop)];
    // d: first the whole range (uniform samples), then moves of at most 16, 8, ... 0
    for (let d = top - lo; ; d = d > 16 ? 16 : Math.floor(d / 2)) {
      const xs = [...net.x];
      for (let b = 1; b < n; b++) for (const v of net.x) xs.push(BigInt(d === top - lo ? r(lo, top) : Math.min(top, Math.max(lo, Number(v) + r(-d, d)))));
      try {
        const p = await prove({ ...net, x: xs });
        return { xs, ...p };
      } catch (e) {
        const z = nativeError(e);
        if (d === 0 || !isZkmlError(z) || z.code !== "INPUT_OUT_OF_RANGE") throw e;
      }
    }
  }

  it("batches of 2 and 3 samples (public and private input, private and committed weights): both accept, each output is its sample's runIR; one output changed, two swapped, a sample dropped, the inputs one short: both refuse", async () => {
    const ok = { rust: "valid", ts: "valid" };
    const no = { rust: "invalid", ts: "invalid" };
    for (const net of batchNets) {
      const model = await commitModel(net);
      for (const n of [2, 3]) {
        const name = `${net.name}, ${n} samples`;
        const pub = await batchOf(net, n, 280 + n);
        batches.set(name, pub);
        const { xs } = pub;
        const il = net.arch.inputLen;
        const samples = Array.from({ length: n }, (_, b) => xs.slice(b * il, (b + 1) * il));
        const ol = pub.y.length / n;
        expect(pub.y, name).to.deep.equal(samples.flatMap((x) => run({ ...net, x })));
        if (net === pooled) for (const x of samples) expect(new Set(runIR(net.q!, x).trace[2]).size, `${name}: the max pool's input`).to.be.greaterThan(2);
        const priv = await prove({ ...net, x: xs }, undefined, true);
        const committed = await prove({ ...net, x: xs }, model);
        expect(priv.y, name).to.deep.equal(pub.y);
        expect(await bothSay(net.arch, xs, pub.y, pub.proof), name).to.deep.equal(ok);
        expect(await bothSay(net.arch, null, priv.y, priv.proof), `${name}: private input`).to.deep.equal(ok);
        expect(await bothSay(net.arch, xs, committed.y, committed.proof, model), `${name}: committed weights`).to.deep.equal(ok);
        expect(await bothSay(net.arch, xs, committed.y, committed.proof), `${name}: committed, no commitment given`).to.deep.equal(no);
        expect(await bothSay(net.arch, null, pub.y, pub.proof), `${name}: the public proof as a private one's`).to.deep.equal(no);
        for (const [what, x, proof] of [
          ["public", xs, pub.proof],
          ["private input", null, priv.proof],
        ] as const) {
          const y = pub.y;
          const changed = y.slice();
          changed[(n - 1) * ol] += 1n;
          const swapped = [...y.slice(ol, 2 * ol), ...y.slice(0, ol), ...y.slice(2 * ol)];
          const dropX = x && x.slice(0, (n - 1) * il);
          expect(await bothSay(net.arch, x, changed, proof), `${name} (${what}): the last sample's output changed`).to.deep.equal(no);
          // (net3's ReLU zeroes every sample's conv output here: its outputs are all alike, a swap of them no change)
          if (swapped.some((v, i) => v !== y[i])) expect(await bothSay(net.arch, x, swapped, proof), `${name} (${what}): two outputs swapped`).to.deep.equal(no);
          if (x) expect(await bothSay(net.arch, [...x.slice(il, 2 * il), ...x.slice(0, il), ...x.slice(2 * il)], swapped, proof), `${name}: two samples swapped`).to.deep.equal(no);
          expect(await bothSay(net.arch, dropX, y.slice(0, (n - 1) * ol), proof), `${name} (${what}): the last sample dropped`).to.deep.equal(no);
          if (x) {
            const moved = x.slice();
            moved[il] += moved[il] > net.arch.inputMin ? -1n : 1n;
            expect(await bothSay(net.arch, moved, y, proof), `${name}: the second sample's input changed`).to.deep.equal(no);
            expect(await bothSay(net.arch, x.slice(1), y, proof), `${name}: the inputs one value short`).to.deep.equal(no);
            expect(await bothSay(net.arch, x.slice(0, il), y, proof), `${name}: one sample's input for N outputs`).to.deep.equal(no);
          }
        }
      }
    }
  });

  it("a batch of 3 samples (padded to 4) of the max pool CNN on signed inputs: every ninth 32-byte word of its public proof changed in turn, and each class of field's first word: both agree, none accepted", async () => {
    const net = pooled;
    const name = `${net.name}, 3 samples`;
    const b = batches.get(name) ?? (await batchOf(net, 3, 283));
    await everyWord(net, b, 9, undefined, b.xs);
  });
});
