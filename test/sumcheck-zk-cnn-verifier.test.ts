/**
 * The sumcheck system's zero-knowledge proofs (format 3) of CNNs, private inputs and batches (step 8 of
 * native/src/sumcheck/network_zk.rs) checked by its two verifiers against each other: the Rust one (the addon's
 * sumcheckVerify) and the TypeScript one (verifySumcheckProof, network-zk.ts). Four networks built as quantized models
 * (the IR a user's model reaches the system as): a CNN on a 1x5x5 input (a conv with padding 1 of 25 output
 * positions, so its unpadding wiring is proved; a requant; a sum pool; a conv of 4 positions whose input is hidden, so
 * its im2col wiring is proved; a requant; a third conv; a requant; a residual add of the second requant's output;
 * flatten; dense), a network adding its input (dense, requant, add of the input, dense), an MLP whose requant has
 * shift 0 (no remainder: no r^, no range lookup; commit f022977) and a CNN with a max pool after a requant (conv,
 * requant, 2x2 max pool of 2x5x5, the last row and column unread, flatten, dense: its zerocheck, y's pad, the
 * differences' lookup and the taps' wiring; commit d9f694f). Each proved under four statements (public input,
 * one sample; private input, one sample; public batch of 3; private batch of 2), with private weights and with
 * committed ones (sumcheckCommitModelZk): both verifiers accept every honest proof. Then
 * both give the same verdict (both valid, both invalid at the same check, or both throwing the same ZkmlError code),
 * and no changed proof is accepted, on: the words of the smallest private-input CNN proof changed in turn (every
 * fifth word and each class of field's first: the wiring and matrix sumchecks' words each refused at their own
 * round sum or final value in both), the private-input max pool's words (a stride and each class's first: the
 * zerocheck's words and the d^ values each refused at the zerocheck's own round sum or final value in both), a
 * public batch's, a committed private batch's and a shift-0 requant's words (a stride, each class's first), each
 * output changed, a public input changed, a private-input proof checked as a public one and a public one as
 * private, a batch proof with one output missing, a committed proof without its commitment and against another
 * model's, and a conv of a hidden one-value input (IR_INVALID in both, public or private input). Refusing at the
 * same check is what pins each check (a final value skipped on one side shows as the merge refusing there).
 */
import { expect } from "chai";
import { IR_FORMAT, irShapes, QModel, QOp, runIR } from "../src/ir/ir";
import { archWords, fromI64Bytes, i64Bytes, SumcheckArch, sumcheckArch, sumcheckParamBytes } from "../src/systems/sumcheck/arch";
import { checkArch } from "../src/systems/sumcheck/verifier/architecture";
import { planOf, ZkStatement } from "../src/systems/sumcheck/verifier/plan-zk";
import { bothSay, bothSayAt, Case, native, refusedField, rng } from "./helpers/zk-verdicts";

type Layer =
  | { conv: { f: number; k: number; p?: number } }
  | { sumpool: number }
  | { maxpool: number }
  | { requant: number }
  | { requantShift0: true }
  | { add: { from: number; mul: number; fromMul: number } }
  | { flatten: true }
  | { dense: number };

/** A network: its quantized model, architecture and parameters (the prover's words), and its inputs' range. */
type Net = { name: string; q: QModel; arch: SumcheckArch; params: bigint[]; min: number; top: number; inputLen: number };

/** The requant bringing the largest |z| over the samples to about `act` bits (shift at least 1), ReLU, clamp act. */
function requantFor(zs: readonly (readonly bigint[])[], act: number): Extract<QOp, { op: "requant" }> {
  const widest = zs.flat().map((v) => (v < 0n ? -v : v).toString(2).length).reduce((a, b) => Math.max(a, b), 1);
  return { op: "requant", shift: Math.max(1, widest - act), relu: true, bits: Math.max(widest, 1 + act) + 1, clamp: act };
}

/**
 * A quantized model on inputs of shape `shape` in [min, top]: convs and dense layers of weights in [-8, 7] and biases
 * in [-50, 50]; each requant (ReLU, clamp) chosen from runIR's values before it on the `probe` inputs (so every
 * sample proved fits its bits); sum pools and max pools of a k x k window, stride k.
 */
function build(name: string, seed: number, shape: number[], [min, top]: [number, number], probe: bigint[][], layers: Layer[]): Net {
  const r = rng(seed);
  const input = { shape, min: BigInt(min), bits: Math.ceil(Math.log2(top - min + 1)), step: 1, range: [min, top] as [number, number] };
  const q: QModel = { format: IR_FORMAT, name, input, ops: [], output: { step: 1 } };
  const values = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => BigInt(r(lo, hi)));
  for (const l of layers) {
    const now = irShapes(q)[q.ops.length];
    if ("conv" in l) {
      const { f, k, p = 0 } = l.conv;
      q.ops.push({ op: "conv2d", filters: f, kernel: [k, k], stride: [1, 1], padding: [p, p], weights: values(f * now[0] * k * k, -8, 7), bias: values(f, -50, 50) });
    } else if ("sumpool" in l) q.ops.push({ op: "sumpool2d", pool: [l.sumpool, l.sumpool], stride: [l.sumpool, l.sumpool] });
    else if ("maxpool" in l) q.ops.push({ op: "maxpool2d", pool: [l.maxpool, l.maxpool], stride: [l.maxpool, l.maxpool], bits: 9 });
    else if ("requant" in l) q.ops.push(requantFor(probe.map((x) => runIR(q, x).output), l.requant));
    else if ("requantShift0" in l) q.ops.push({ ...requantFor(probe.map((x) => runIR(q, x).output), 8), shift: 0 });
    else if ("add" in l) q.ops.push({ op: "add", ...l.add });
    else if ("flatten" in l) q.ops.push({ op: "flatten" });
    else {
      const n = now.reduce((a, b) => a * b, 1);
      q.ops.push({ op: "dense", inSize: n, units: l.dense, weights: values(l.dense * n, -8, 7), bias: values(l.dense, -50, 50) });
    }
  }
  const inputLen = shape.reduce((a, b) => a * b, 1);
  return { name, q, arch: sumcheckArch(q), params: fromI64Bytes(sumcheckParamBytes(q)), min, top, inputLen };
}

/** `n` inputs of `len` values in [min, top], seeded. */
function inputs(seed: number, n: number, len: number, [min, top]: [number, number]): bigint[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: len }, () => BigInt(r(min, top))));
}

const CNN_SHAPE = [1, 5, 5];
const cnnProbe = inputs(21, 6, 25, [0, 15]);
const cnnLayers: Layer[] = [
  { conv: { f: 2, k: 3, p: 1 } }, // 2x5x5: 25 positions, the unpadding wiring
  { requant: 4 },
  { sumpool: 2 }, // 2x2x2
  { conv: { f: 2, k: 3, p: 1 } }, // 2x2x2: 4 positions, its input hidden (im2col wiring)
  { requant: 4 }, // ops[4]
  { conv: { f: 2, k: 3, p: 1 } },
  { requant: 4 },
  { add: { from: 5, mul: 1, fromMul: 2 } }, // + 2 x ops[4]'s output
  { flatten: true },
  { dense: 3 },
];
const cnn = build("CNN: conv (25 positions), requant, sumpool, conv, requant, conv, requant, add of ops[4], flatten, dense", 31, CNN_SHAPE, [0, 15], cnnProbe, cnnLayers);
const addProbe = inputs(22, 6, 8, [-8, 7]);
const adder = build("8 -> 8, requant, add of the input (mul 3), -> 3", 32, [8], [-8, 7], addProbe, [{ dense: 8 }, { requant: 4 }, { add: { from: 0, mul: 3, fromMul: 1 } }, { dense: 3 }]);
// a requant of shift 0 (no remainder: no r^ and no range lookup), as worldcoin-proxy's quantizer writes them
const shift0Probe = inputs(23, 6, 8, [0, 15]);
const shift0 = build("8 -> 4, requant of shift 0 (clamp 8), -> 3", 34, [8], [0, 15], shift0Probe, [{ dense: 4 }, { requantShift0: true }, { dense: 3 }]);
// a max pool after a requant: 2x2 windows, stride 2, on 2x5x5 (the last row and column unread)
const pooled = build("CNN: conv, requant, maxpool 2x2, flatten, dense", 33, CNN_SHAPE, [0, 15], cnnProbe, [{ conv: { f: 2, k: 3, p: 1 } }, { requant: 4 }, { maxpool: 2 }, { flatten: true }, { dense: 3 }]);
const nets = [cnn, adder, shift0, pooled];
const probes = new Map<Net, bigint[][]>([
  [cnn, cnnProbe],
  [adder, addProbe],
  [shift0, shift0Probe],
  [pooled, cnnProbe],
]);

const statements: ZkStatement[] = [
  { input: "public", batch: 1 },
  { input: "private", batch: 1 },
  { input: "public", batch: 3 },
  { input: "private", batch: 2 },
];
const stmtName = (s: ZkStatement) => `${s.input} input, ${s.batch} sample${s.batch > 1 ? "s" : ""}`;

/** An honest proof: the statement's first samples of the net's probe inputs, its outputs runIR's. */
interface Proved {
  net: Net;
  stmt: ZkStatement;
  xs: bigint[];
  c: Case;
}

async function prove(net: Net, stmt: ZkStatement, params: bigint[] = net.params, secret?: Buffer, model?: Buffer): Promise<Proved> {
  const samples = (probes.get(net) as bigint[][]).slice(0, stmt.batch);
  const xs = samples.flat();
  const p = await native().sumcheckProveZk(i64Bytes(archWords(net.arch)), i64Bytes(params), i64Bytes(xs), secret ?? null, null, stmt.input === "private");
  const y = fromI64Bytes(p.output);
  if (params === net.params) expect(y, `${net.name}, ${stmtName(stmt)}`).to.deep.equal(samples.flatMap((x) => runIR(net.q, x).output));
  return { net, stmt, xs, c: { arch: net.arch, x: stmt.input === "public" ? xs : null, y, proof: p.proof, model } };
}

/** Each word's class of field: the decoder's name for it, indices dropped but a round's evaluation index kept. */
function fieldClasses(p: Proved): string[] {
  const plan = planOf(checkArch(p.net.arch), p.stmt);
  return Array.from({ length: p.c.proof.length / 32 }, (_, i) => {
    const { at, field } = refusedField(plan, p.c.proof, 32 * i);
    const c = field
      .replace(/^ops\[(\d+)\]/, (_, k: string) => `ops[${p.net.arch.ops[Number(k)].op}]`)
      .replace(/round \d+ evaluation (\d+)/, "round # evaluation $1")
      .replace(/(?<!evaluation )\b\d+\b/g, "#");
    return at === 32 * i ? c : `${c} (y)`;
  });
}

/** Each (field, check) pair: some word of that field class was refused at that check (`everyWord`'s checks). */
function expectOwnChecks(checks: Set<string>, pairs: [string, string][]): void {
  for (const [field, check] of pairs)
    expect([...checks].some((c) => c.startsWith(`${field} -> `) && c.includes(check)), `${field} refused at ${check}: ${[...checks].filter((c) => c.startsWith(field)).join("; ")}`).to.equal(true);
}

/**
 * The proof's words changed in turn (the last bit flipped; every eighth also with its top byte set): every
 * stride-th and each class of field's first. Both agree each time, and none accepts; returns the verdicts' tally
 * and the checks named (the refusals' words).
 */
async function everyWord(p: Proved, stride: number): Promise<{ tally: Map<string, number>; checks: Set<string> }> {
  const classes = fieldClasses(p);
  const first = new Set(classes.map((c) => classes.indexOf(c)));
  const tally = new Map<string, number>();
  const checks = new Set<string>();
  for (let i = 0; i < classes.length; i++) {
    if (i % stride !== 0 && !first.has(i)) continue;
    for (const top of i % 8 === 0 ? [false, true] : [false]) {
      const b = Buffer.from(p.c.proof);
      if (top) b[32 * i] = 0xff;
      else b[32 * i + 31] ^= 1;
      const c = { ...p.c, proof: b };
      const what = `${stmtName(p.stmt)}: word ${i} (${classes[i]}) ${top ? "top byte" : "last bit"}`;
      const full = await bothSayAt(c, what);
      const said = full.replace(/^invalid: .*/, "invalid");
      expect(said, what).to.not.equal("valid");
      if (said === "invalid") checks.add(`${classes[i].replace(/^ops\[\w+\] /, "")} -> ${full.slice("invalid: ".length)}`);
      tally.set(said, (tally.get(said) ?? 0) + 1);
    }
  }
  return { tally, checks };
}

describe("sumcheck zero-knowledge verifier (TypeScript) against the Rust one: CNNs, private inputs, batches", function () {
  this.timeout(120000);
  const proofs = new Map<string, Proved>();
  const key = (net: Net, s: ZkStatement, committed = false) => `${net.name} / ${stmtName(s)}${committed ? " / committed" : ""}`;

  // every test's proofs made first (so each test runs alone too): private weights, then committed ones
  let commitments = new Map<Net, { commitment: Buffer; secret: Buffer; other: bigint[]; otherCommitted: { commitment: Buffer; secret: Buffer } }>();
  before(async () => {
    commitments = new Map();
    for (const net of nets) {
      const words = i64Bytes(archWords(net.arch));
      const { commitment, secret } = await native().sumcheckCommitModelZk(words, i64Bytes(net.params));
      const other = net.params.slice();
      other[3] += 1n;
      commitments.set(net, { commitment, secret, other, otherCommitted: await native().sumcheckCommitModelZk(words, i64Bytes(other)) });
      for (const stmt of statements) {
        proofs.set(key(net, stmt), await prove(net, stmt));
        proofs.set(key(net, stmt, true), await prove(net, stmt, net.params, secret, commitment));
      }
    }
  });

  it("both accept the honest proofs of a CNN, a network adding its input, a requant of shift 0 and a CNN with a max pool, under every statement, private weights", async () => {
    for (const net of nets)
      for (const stmt of statements) {
        const p = proofs.get(key(net, stmt)) as Proved;
        expect(Buffer.from(p.c.proof).readUInt32BE(28), "version word").to.equal(3);
        const t0 = Date.now();
        expect(await bothSay(p.c, key(net, stmt))).to.equal("valid");
        console.log(`      ${key(net, stmt)}: ${p.c.proof.length / 32} words, both verified in ${Date.now() - t0} ms`);
      }
  });

  it("committed weights: accepted with the commitment; refused without it and against another model's", async () => {
    for (const net of nets) {
      const { commitment, other, otherCommitted } = commitments.get(net) as NonNullable<ReturnType<typeof commitments.get>>;
      for (const stmt of statements) {
        const p = proofs.get(key(net, stmt, true)) as Proved;
        expect(await bothSay(p.c, key(net, stmt, true))).to.equal("valid");
        expect(await bothSay({ ...p.c, model: undefined }, `${key(net, stmt, true)}, no commitment`)).to.equal("invalid");
        expect(await bothSay({ ...p.c, model: otherCommitted.commitment }, `${key(net, stmt, true)}, another model's commitment`)).to.equal("invalid");
      }
      // other weights proved against their own commitment: refused against the published one
      const stmt = statements[3];
      const p = await prove(net, stmt, other, otherCommitted.secret, otherCommitted.commitment);
      expect(await bothSay(p.c, `${net.name}: other weights, their commitment`)).to.equal("valid");
      expect(await bothSay({ ...p.c, model: commitment }, `${net.name}: other weights, the published commitment`)).to.equal("invalid");
    }
  });

  it("agrees on every fifth word (and each field's first) of the private-input CNN proof, its wirings' and matrices' words each at its own check", async () => {
    const p = proofs.get(key(cnn, statements[1])) as Proved;
    const t0 = Date.now();
    const { tally, checks } = await everyWord(p, 5);
    console.log(`      ${tally.get("invalid")} invalid, ${tally.get("throw PROOF_INVALID")} undecodable (${Date.now() - t0} ms)`);
    expect(tally.get("invalid") ?? 0).to.be.greaterThan(150);
    expect(tally.get("throw PROOF_INVALID") ?? 0).to.be.greaterThan(0);
    // the step-8 messages' words each refused at a check of their own (not only at the merge)
    expectOwnChecks(checks, [
      ["unpadding sumcheck round # evaluation 0", "round"],
      ["unpadding sumcheck y", "final value (wiring)"],
      ["unpadding x^", "final value (wiring)"],
      ["im2col sumcheck round # evaluation 1", "round"],
      ["im2col x^", "final value (wiring)"],
      ["pool sumcheck K", "round 0's sum"],
      ["pool x^", "final value (wiring)"],
      ["W^", "final value (matrix)"],
      ["a^", "final value (matrix)"],
      ["input lookup first sumcheck y", "final value (h_f)"],
    ]);
  });

  it("agrees on a public batch's words, a committed private batch's adder and a private shift-0 requant's (a stride and each field's first)", async () => {
    const batch = await everyWord(proofs.get(key(cnn, statements[2])) as Proved, 29);
    expect(batch.tally.get("invalid") ?? 0).to.be.greaterThan(60);
    const adds = await everyWord(proofs.get(key(adder, statements[3], true)) as Proved, 13);
    expect(adds.tally.get("invalid") ?? 0).to.be.greaterThan(30);
    const noShift = await everyWord(proofs.get(key(shift0, statements[1])) as Proved, 11);
    expect(noShift.tally.get("invalid") ?? 0).to.be.greaterThan(30);
  });

  it("agrees on a changed output and input, a private proof checked as public and back, a batch cut short", async () => {
    for (const net of nets)
      for (const stmt of statements) {
        const p = proofs.get(key(net, stmt)) as Proved;
        const what = key(net, stmt);
        for (const i of [0, p.c.y.length - 1]) {
          const y = p.c.y.slice();
          y[i] += 1n;
          expect(await bothSay({ ...p.c, y }, `${what}, output ${i} changed`)).to.equal("invalid");
        }
        if (stmt.input === "public") {
          for (const i of [0, p.xs.length - 1]) {
            const x = p.xs.slice();
            x[i] = x[i] === BigInt(net.top) ? x[i] - 1n : x[i] + 1n;
            expect(await bothSay({ ...p.c, x }, `${what}, input ${i} changed`)).to.equal("invalid");
          }
          // a public proof read as a private input's: other counts, the bytes do not decode
          expect(await bothSay({ ...p.c, x: null }, `${what}, checked as a private input's`)).to.equal("throw PROOF_INVALID");
        } else expect(await bothSay({ ...p.c, x: p.xs }, `${what}, checked as a public input's`)).to.equal("throw PROOF_INVALID");
        if (stmt.batch > 1) {
          const outLen = p.c.y.length / stmt.batch;
          const y = p.c.y.slice(0, p.c.y.length - outLen);
          const x = p.c.x && p.c.x.slice(0, p.c.x.length - net.inputLen);
          expect(await bothSay({ ...p.c, x, y }, `${what}, the last sample dropped`)).to.equal("throw PROOF_INVALID");
          expect(await bothSay({ ...p.c, y }, `${what}, one output short`)).to.not.equal("valid");
        }
      }
    // a public input's proof of one sample against another sample's input and output
    const one = proofs.get(key(cnn, statements[0])) as Proved;
    const x1 = (probes.get(cnn) as bigint[][])[1];
    expect(await bothSay({ ...one.c, x: x1, y: runIR(cnn.q, x1).output }, "another sample's input and output")).to.equal("invalid");
  });

  it("agrees on the private-input max pool's words (a stride and each field's first), its zerocheck's and d^ at the zerocheck's own checks", async () => {
    const p = proofs.get(key(pooled, statements[1])) as Proved;
    const t0 = Date.now();
    const { tally, checks } = await everyWord(p, 29);
    console.log(`      ${tally.get("invalid")} invalid, ${tally.get("throw PROOF_INVALID")} undecodable (${Date.now() - t0} ms)`);
    expect(tally.get("invalid") ?? 0).to.be.greaterThan(60);
    // every zerocheck word and every d^ swept refused by the zerocheck itself: a round's sum or its final value
    const own = [...checks].filter((c) => /^(zerocheck|d\^)/.test(c));
    for (const c of own) expect(c, c).to.match(/-> (round \d+'s sum|final value \(maxpool zerocheck\))$/);
    expectOwnChecks(checks, [
      ["zerocheck K", "round 0's sum"],
      ["zerocheck round # evaluation 0", "round"],
      ["zerocheck y", "final value (maxpool zerocheck)"],
      ["d^ #", "final value (maxpool zerocheck)"],
      ["lookup first sumcheck y", "final value (h_f)"],
      ["taps sumcheck y", "final value (wiring)"],
      ["taps x^", "final value (wiring)"],
    ]);
  });

  it("refuses alike (IR_INVALID) a conv of a hidden one-value input, public or private input", async () => {
    // a sum pool of the whole 1x2x2 input, then a conv of its one value (its im2col wiring would have no variable)
    const arch: SumcheckArch = {
      inputLen: 4,
      inputMin: 0n,
      inputTop: 9n,
      ops: [
        { op: "sumpool", win: { c: 1, h: 2, w: 2, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 } },
        { op: "conv", f: 2, win: { c: 1, h: 1, w: 1, kh: 2, kw: 2, sh: 1, sw: 1, ph: 1, pw: 1 } },
        { op: "requant", shift: 2, relu: true, bits: 8 },
      ],
    };
    const p = proofs.get(key(cnn, statements[1])) as Proved;
    const y = Array.from({ length: checkArch(arch).lens.at(-1) ?? 0 }, () => 0n);
    expect(await bothSay({ arch, x: [0n, 1n, 2n, 3n], y, proof: p.c.proof }, "a conv of a one-value input, public input")).to.equal("throw IR_INVALID");
    expect(await bothSay({ arch, x: null, y, proof: p.c.proof }, "a conv of a one-value input, private input")).to.equal("throw IR_INVALID");
  });
});
