/**
 * The sumcheck system's two verifiers against each other: the Rust one (native/src/sumcheck/network.rs, through
 * the addon) and the TypeScript one (src/systems/sumcheck/verifier/). On small random networks (non-powers of
 * two, a flatten, requants with and without ReLU and clamp, a requant last, a single dense layer) both accept
 * the honest proofs; then every 32-byte word of a proof changed in turn, each public input and output value
 * changed, the architecture changed and the bytes truncated or extended: both give the same verdict every time
 * (both valid, both invalid, or both throwing the same error code). Also the pinned values the Rust tests pin
 * (the architecture hash, the transcript's challenges, a Hyrax generator) and the table MLEs and the MSM against
 * their definitions.
 */
import { expect } from "chai";
import { isZkmlError } from "../src/core/errors";
import { loadSumcheck, nativeError } from "../src/core/native";
import { requantValue } from "../src/ir/ir";
import { archWords, fromI64Bytes, i64Bytes, SumcheckArch, ArchOp } from "../src/systems/sumcheck/arch";
import { verifySumcheckProof, sumcheckArchHash } from "../src/systems/sumcheck/verifier";
import { decodeProof } from "../src/systems/sumcheck/verifier/decode";
import { Transcript } from "../src/systems/sumcheck/verifier/transcript";
import { hashToG1 } from "../src/systems/sumcheck/verifier/hyrax";
import { msm, invMod, P, Affine } from "../src/systems/sumcheck/verifier/g1";
import { fr, mleEval, R } from "../src/systems/sumcheck/verifier/field";
import { tableEvaluate, Table } from "../src/systems/sumcheck/verifier/logup";

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
      const max = cur.reduce((a, v) => (v < 0n ? (-v > a ? -v : a) : v > a ? v : a), 1n);
      const need = max.toString(2).length;
      const shift = Math.max(0, need - l.requant.actBits);
      const op = { op: "requant" as const, shift, relu: l.requant.relu, bits: need + 1, ...(l.requant.clamp !== undefined ? { clamp: l.requant.clamp } : {}) };
      ops.push(op);
      cur = cur.map((v) => requantValue(v, shift, op.relu, op.clamp));
    } else ops.push({ op: "flatten" });
  }
  return { name, arch: { inputLen: x.length, inputMin: BigInt(inputMin), inputTop: BigInt(inputTop), ops }, params, x: x.map(BigInt) };
}

/** runIR for dense, requant and flatten. */
function run(net: Net): bigint[] {
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

const native = () => loadSumcheck();

/** What the Rust verifier says: "valid", "invalid" or "throw CODE". */
async function rustSays(arch: SumcheckArch, x: readonly bigint[], y: readonly bigint[], proof: Uint8Array): Promise<string> {
  try {
    const v = await native().sumcheckVerify(i64Bytes(archWords(arch)), i64Bytes(x), i64Bytes(y), Buffer.from(proof));
    return v.valid ? "valid" : "invalid";
  } catch (e) {
    const z = nativeError(e);
    return isZkmlError(z) ? `throw ${z.code}` : `crash ${String(e)}`;
  }
}

/** What the TypeScript verifier says, in the same words. */
function tsSays(arch: SumcheckArch, x: readonly bigint[], y: readonly bigint[], proof: Uint8Array): string {
  try {
    return verifySumcheckProof(arch, x, y, proof).valid ? "valid" : "invalid";
  } catch (e) {
    return isZkmlError(e) ? `throw ${e.code}` : `crash ${String(e)}`;
  }
}

/** Both verdicts; the Rust verifier runs on the addon's worker thread while the TypeScript one runs here. */
async function bothSay(arch: SumcheckArch, x: readonly bigint[], y: readonly bigint[], proof: Uint8Array): Promise<{ rust: string; ts: string }> {
  const rust = rustSays(arch, x, y, proof);
  const ts = tsSays(arch, x, y, proof);
  return { rust: await rust, ts };
}

async function prove(net: Net): Promise<{ proof: Buffer; y: bigint[] }> {
  const p = await native().sumcheckProve(i64Bytes(archWords(net.arch)), i64Bytes(net.params), i64Bytes(net.x));
  return { proof: p.proof, y: fromI64Bytes(p.output) };
}

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
    nets.push(build("a flatten alone (y = x: nothing committed)", 6, -5, 5, [-1, 0, 1], [{ flatten: true }]));
    nets.push(build("a requant first, shift 0, signed with clamp 1", 7, -5, 5, [-5, 5, 0, 2, -1], [{ requant: { relu: false, clamp: 1, actBits: 8 } }]));
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

  /** Every `stride`-th 32-byte word of the network's proof changed in turn: both verifiers give the same verdict. */
  async function everyWord(net: Net, stride = 1): Promise<void> {
    const { proof, y } = proofs.get(net.name) ?? (await prove(net));
    const original = decodeProof(proof);
    const tally = new Map<string, number>();
    const disagreements: string[] = [];
    for (let at = 0; at < proof.length; at += 32 * stride) {
      // The word's last bit flipped (a field word stays below r, a count changes by one, a point leaves the curve);
      // every eighth word also with its top byte set (at or above r and p: a decoding error).
      for (const [what, change] of [
        ["last bit", (b: Buffer) => (b[at + 31] ^= 1)],
        ["top byte", (b: Buffer) => (b[at] = 0xff)],
      ] as const) {
        if (what === "top byte" && (at / 32 / stride) % 8 !== 0) continue;
        const b = Buffer.from(proof);
        change(b);
        const said = await bothSay(net.arch, net.x, y, b);
        if (said.rust !== said.ts) disagreements.push(`word at ${at} (${what}): rust ${said.rust}, ts ${said.ts}`);
        // An accepted change must leave the proof as it was: only the evaluations-per-round count of a sumcheck
        // with no rounds (a lookup tree's first layer) can be changed so.
        if (said.ts === "valid") expect(decodeProof(b), `word at ${at} accepted`).to.deep.equal(original);
        tally.set(said.ts, (tally.get(said.ts) ?? 0) + 1);
      }
    }
    expect(disagreements).to.deep.equal([]);
    expect(tally.get("invalid") ?? 0).to.be.greaterThan(proof.length / 32 / stride / 2);
    expect(tally.get("throw PROOF_INVALID") ?? 0).to.be.greaterThan(0);
  }

  it("agrees with the Rust verifier on every 32-byte word of a small proof changed in turn", async () => {
    await everyWord(tiny);
  });

  it("... and of a single dense layer's proof, and every third word of one with a requant last", async () => {
    await everyWord(nets[2]);
    await everyWord(nets[3], 3);
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
});
