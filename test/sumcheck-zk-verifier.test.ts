/**
 * The sumcheck system's zero-knowledge proofs (format 3, native/src/sumcheck/network_zk.rs) checked by its two
 * verifiers against each other: the Rust one (the addon's sumcheckVerify, which dispatches on the version word) and the
 * TypeScript one (src/systems/sumcheck/verifier/ verifySumcheckProof, network-zk.ts). On five small random MLPs (the
 * smallest shape the system proves, one of a single output, non-powers of two, a flatten, requants with and without
 * ReLU and clamp, a requant last, a requant first on x, a dense layer last): both accept the honest proofs with private
 * weights and with committed weights (sumcheckCommitModelZk's commitment given to the verifiers); then every 32-byte
 * word of the smallest proof changed in turn (of a larger one every seventh word and each class of field's first; of
 * the single output's every thirteenth and each class's first; of a committed one every eleventh and each class's
 * first), each input and output value changed, a committed proof checked without its commitment, against another
 * model's, against a second commitment of the same model and against one a row short, a proof of other weights (with
 * their own commitment) against the published one, a private proof given a commitment, a commitment off the curve, a
 * context-bound proof without its context and with another, an unbound one with a context, truncations, trailing bytes,
 * a wrong version, a null input (read as a private input's proof) and a batch (read as a batch's): both give the
 * same verdict each time (both valid, both invalid at the same
 * check, or both throwing the same ZkmlError code) and no changed proof is accepted. Refusing at the same check is what
 * pins each check: a single changed word is refused by some later check too when one is skipped (a round's sum by the
 * final value, a final value by the merge), so "both refuse" alone passes with any one of them removed from the
 * TypeScript side, and this does not. The architectures the zero-knowledge system refuses are IR_INVALID in both. CNNs,
 * private inputs and batches: test/sumcheck-zk-cnn-verifier.test.ts. Also
 * prints the TypeScript verifier's time on one mlp-mnist-shaped proof (784-56-10).
 */
import { expect } from "chai";
import { IR_FORMAT, irShapes, QModel, QOp, runIR } from "../src/ir/ir";
import { archWords, fromI64Bytes, i64Bytes, SumcheckArch, sumcheckArch, sumcheckParamBytes } from "../src/systems/sumcheck/arch";
import { checkArch } from "../src/systems/sumcheck/verifier/architecture";
import { planOf } from "../src/systems/sumcheck/verifier/plan-zk";
import { bothSay, Case, native, refusedField, rng, rustSays, tsSays } from "./helpers/zk-verdicts";

type Layer = { dense: number } | { requant: { relu: boolean; clamp?: number; act: number } } | { flatten: true };

/** A network: its architecture and parameters (the prover's words), an input and its output. */
type Net = { name: string; arch: SumcheckArch; params: bigint[]; x: bigint[]; y: bigint[] };

/** The requant bringing the largest |z| to about `act` bits (shift at least 1), its bits holding z. */
function requantFor(z: readonly bigint[], act: number, relu: boolean, clamp?: number): Extract<QOp, { op: "requant" }> {
  const widest = z.map((v) => (v < 0n ? -v : v).toString(2).length).reduce((a, b) => Math.max(a, b), 1);
  return { op: "requant", shift: Math.max(1, widest - act), relu, bits: Math.max(widest, 1 + act) + 1, ...(clamp !== undefined ? { clamp } : {}) };
}

/**
 * A quantized model (the IR, as a user's model reaches the sumcheck system) on an input of `inputLen` values in
 * [min, top]: dense layers of weights in [-wMax - 1, wMax] and biases in [-bMax, bMax], each requant chosen from the
 * values runIR gives before it. Its architecture, parameters and output are sumcheckArch's, sumcheckParamBytes' and
 * runIR's.
 */
function build(name: string, seed: number, [min, top]: [number, number], inputLen: number, layers: Layer[], wMax = 127, bMax = 2000): Net {
  const r = rng(seed);
  const x = Array.from({ length: inputLen }, () => BigInt(r(min, top)));
  const input = { shape: [inputLen], min: BigInt(min), bits: Math.ceil(Math.log2(top - min + 1)), step: 1, range: [min, top] as [number, number] };
  const q: QModel = { format: IR_FORMAT, name, input, ops: [], output: { step: 1 } };
  const draw = (n: number, bound: number, below: number) => Array.from({ length: n }, () => BigInt(r(-bound - below, bound)));
  for (const l of layers) {
    const inSize = irShapes(q)[q.ops.length].reduce((a, b) => a * b, 1);
    if ("dense" in l) q.ops.push({ op: "dense", inSize, units: l.dense, weights: draw(l.dense * inSize, wMax, 1), bias: draw(l.dense, bMax, 0) });
    else if ("requant" in l) q.ops.push(requantFor(runIR(q, x).output, l.requant.act, l.requant.relu, l.requant.clamp));
    else q.ops.push({ op: "flatten" });
  }
  return { name, arch: sumcheckArch(q), params: fromI64Bytes(sumcheckParamBytes(q)), x, y: runIR(q, x).output };
}

/** The smallest shape the zero-knowledge system proves (each lookup two rows a side at least), small tables. */
const tiny = build("3 -> 2 (ReLU, clamp 3)", 4, [0, 3], 3, [{ dense: 2 }, { requant: { relu: true, clamp: 3, act: 3 } }], 3, 10);

const nets: Net[] = [
  tiny,
  build("11 -> 6 (ReLU, clamp 6) -> flatten -> 5, a requant last", 1, [-8, 7], 11, [
    { dense: 6 },
    { requant: { relu: true, clamp: 6, act: 6 } },
    { flatten: true },
    { dense: 5 },
    { requant: { relu: false, act: 5 } },
  ]),
  build("flatten -> 9 -> 7 (ReLU) -> 3, a dense last", 2, [0, 15], 9, [{ flatten: true }, { dense: 7 }, { requant: { relu: true, act: 7 } }, { dense: 3 }]),
  build("a requant first, on x -> 5 -> requant (clamp 4)", 3, [-300, 300], 6, [
    { requant: { relu: false, act: 3 } },
    { dense: 5 },
    { requant: { relu: false, clamp: 4, act: 5 } },
  ]),  build("4 -> 3 (ReLU) -> 1: one output, its point of no coordinates", 5, [-4, 4], 4, [{ dense: 3 }, { requant: { relu: true, act: 4 } }, { dense: 1 }]),
];

async function prove(net: Net, secret?: Buffer, context?: Buffer): Promise<Buffer> {
  const p = await native().sumcheckProveZk(i64Bytes(archWords(net.arch)), i64Bytes(net.params), i64Bytes(net.x), secret ?? null, context ?? null);
  expect(fromI64Bytes(p.output), net.name).to.deep.equal(net.y);
  return p.proof;
}

const commit = (net: Net) => native().sumcheckCommitModelZk(i64Bytes(archWords(net.arch)), i64Bytes(net.params));

/** Each 32-byte word's class of field: the field the decoder refuses it as, indices dropped (an op's index replaced
 * by its kind; a round's evaluation index kept: each plays its own part), a point's second word marked "(y)". */
function fieldClasses(net: Net, proof: Buffer): string[] {
  const plan = planOf(checkArch(net.arch));
  return Array.from({ length: proof.length / 32 }, (_, i) => {
    const { at, field } = refusedField(plan, proof, 32 * i);
    const c = field
      .replace(/^ops\[(\d+)\]/, (_, k: string) => `ops[${net.arch.ops[Number(k)].op}]`)
      .replace(/round \d+ evaluation (\d+)/, "round # evaluation $1")
      .replace(/(?<!evaluation )\b\d+\b/g, "#");
    return at === 32 * i ? c : `${c} (y)`;
  });
}

/**
 * The proof's words changed in turn (the last bit flipped; every eighth also with its top byte set): every word, or
 * every stride-th and each class of field's first. Both agree each time, and none accepts.
 */
async function everyWord(net: Net, proof: Buffer, stride: number, model?: Buffer): Promise<Map<string, number>> {
  const words = Array.from({ length: proof.length / 32 }, (_, i) => i);
  const classes = fieldClasses(net, proof);
  const first = new Set(classes.map((c) => classes.indexOf(c)));
  const tally = new Map<string, number>();
  for (const i of words.filter((w) => w % stride === 0 || first.has(w))) {
    for (const top of i % 8 === 0 ? [false, true] : [false]) {
      const b = Buffer.from(proof);
      if (top) b[32 * i] = 0xff;
      else b[32 * i + 31] ^= 1;
      const said = await bothSay({ arch: net.arch, x: net.x, y: net.y, proof: b, model }, `word ${i} (${classes[i]}) ${top ? "top byte" : "last bit"}`);
      expect(said, `word ${i} (${classes[i]}) changed`).to.not.equal("valid");
      tally.set(said, (tally.get(said) ?? 0) + 1);
    }
  }
  return tally;
}

describe("sumcheck zero-knowledge verifier (TypeScript) against the Rust one", function () {
  this.timeout(120000);
  const proofs = new Map<string, Buffer>();

  it("both accept the honest proofs of five small MLPs, private weights", async () => {
    for (const net of nets) {
      const proof = await prove(net);
      expect(proof.readUInt32BE(28), "version word").to.equal(3);
      proofs.set(net.name, proof);
      console.log(`      ${net.name}: ${proof.length / 32} words`);
      expect(await bothSay({ arch: net.arch, x: net.x, y: net.y, proof }, net.name)).to.equal("valid");
    }
  });

  it("agrees on every word of the smallest proof changed in turn, on every seventh (and each field's first) of a larger one, every thirteenth of the single output's", async () => {
    const small = await everyWord(tiny, proofs.get(tiny.name) as Buffer, 1);
    expect(small.get("invalid") ?? 0).to.be.greaterThan(100);
    expect(small.get("throw PROOF_INVALID") ?? 0).to.be.greaterThan(0);
    const larger = await everyWord(nets[1], proofs.get(nets[1].name) as Buffer, 7);
    const single = await everyWord(nets[4], proofs.get(nets[4].name) as Buffer, 13);
    expect(single.get("invalid") ?? 0).to.be.greaterThan(20);
    expect(larger.get("invalid") ?? 0).to.be.greaterThan(50);
  });

  it("agrees on each input and output value changed, a null input, a batch, truncation, trailing bytes and a wrong version", async () => {
    const net = nets[3];
    const proof = proofs.get(net.name) as Buffer;
    const base: Case = { arch: net.arch, x: net.x, y: net.y, proof };
    for (let i = 0; i < net.x.length; i++) {
      const x = net.x.slice();
      x[i] = x[i] === net.arch.inputTop ? x[i] - 1n : x[i] + 1n;
      expect(await bothSay({ ...base, x }, `input ${i} changed`)).to.equal("invalid");
    }
    expect(await bothSay({ ...base, x: [...net.x.slice(1), net.arch.inputTop + 1n] }, "an input out of range")).to.equal("invalid");
    for (let i = 0; i < net.y.length; i++) {
      const y = net.y.slice();
      y[i] += 1n;
      expect(await bothSay({ ...base, y }, `output ${i} changed`)).to.equal("invalid");
    }
    // a null input reads the bytes as a private input's proof, two outputs' worth as a batch's: neither decodes
    expect(await bothSay({ ...base, x: null }, "a null input")).to.equal("throw PROOF_INVALID");
    expect(await bothSay({ ...base, x: [...net.x, ...net.x], y: [...net.y, ...net.y] }, "a batch of two")).to.equal("throw PROOF_INVALID");
    expect(await bothSay({ ...base, y: [...net.y, ...net.y] }, "two outputs, one input")).to.equal("invalid");
    expect(await bothSay({ ...base, y: net.y.slice(1) }, "an output short")).to.equal("invalid");
    for (const cut of [32, 64, 7, proof.length - 32]) expect(await bothSay({ ...base, proof: proof.subarray(0, proof.length - cut) }, `${cut} bytes cut`)).to.equal("throw PROOF_INVALID");
    expect(await bothSay({ ...base, proof: Buffer.concat([proof, Buffer.alloc(32)]) }, "a trailing word")).to.equal("throw PROOF_INVALID");
    expect(await bothSay({ ...base, proof: Buffer.concat([proof, Buffer.alloc(5)]) }, "trailing bytes")).to.equal("throw PROOF_INVALID");
    for (const v of [2, 4]) {
      const b = Buffer.from(proof);
      b[31] = v;
      expect(await bothSay({ ...base, proof: b }, `version ${v}`)).to.equal("throw PROOF_INVALID");
    }
  });

  it("committed weights: accepted with the commitment; refused without it, with another model's, and a private proof given one", async () => {
    for (const net of nets) {
      const { commitment, secret } = await commit(net);
      const proof = await prove(net, secret);
      const base: Case = { arch: net.arch, x: net.x, y: net.y, proof, model: commitment };
      expect(await bothSay(base, `${net.name} committed`)).to.equal("valid");
      expect(await bothSay({ ...base, model: undefined }, `${net.name} committed, no commitment`)).to.equal("invalid");
      const other = { ...net, params: net.params.slice() };
      other.params[0] += 1n;
      const otherCommitted = await commit(other);
      expect(await bothSay({ ...base, model: otherCommitted.commitment }, `${net.name} another model's commitment`)).to.equal("invalid");
      const otherProof = await native().sumcheckProveZk(i64Bytes(archWords(net.arch)), i64Bytes(other.params), i64Bytes(net.x), otherCommitted.secret, null);
      const otherCase: Case = { ...base, y: fromI64Bytes(otherProof.output), proof: otherProof.proof };
      expect(await bothSay({ ...otherCase, model: otherCommitted.commitment }, `${net.name} other weights, their commitment`)).to.equal("valid");
      expect(await bothSay(otherCase, `${net.name} other weights, the published commitment`)).to.equal("invalid");
      expect(await bothSay({ ...base, model: (await commit(net)).commitment }, `${net.name} a second commitment of the same model`)).to.equal("invalid");
      const priv = proofs.get(net.name) as Buffer;
      expect(await bothSay({ ...base, proof: priv }, `${net.name} a private proof given a commitment`)).to.equal("invalid");
      // the commitment's bytes: a row count word, then 64-byte rows; one row dropped still decodes
      const rows = Number(commitment.readBigUInt64BE(24));
      const short = Buffer.concat([Buffer.alloc(24), Buffer.from(new BigUint64Array([BigInt(rows - 1)]).buffer).reverse(), commitment.subarray(32, commitment.length - 64)]);
      expect(await bothSay({ ...base, model: short }, `${net.name} a commitment one row short`)).to.equal("invalid");
      const bad = Buffer.from(commitment);
      bad[bad.length - 1] ^= 1;
      expect(await bothSay({ ...base, model: bad }, `${net.name} a commitment off the curve`)).to.equal("throw PROOF_INVALID");
    }
    const net = nets[2];
    const { commitment, secret } = await commit(net);
    const proof = await prove(net, secret);
    const tally = await everyWord(net, proof, 11, commitment);
    expect(tally.get("invalid") ?? 0).to.be.greaterThan(20);
  });

  it("a context-bound proof: accepted with its context only; an unbound one refused with a context", async () => {
    const net = nets[2];
    const ctx = Buffer.alloc(32, 7);
    const proof = await prove(net, undefined, ctx);
    const base: Case = { arch: net.arch, x: net.x, y: net.y, proof };
    expect(await bothSay({ ...base, context: ctx }, "bound, its context")).to.equal("valid");
    expect(await bothSay(base, "bound, no context")).to.equal("invalid");
    expect(await bothSay({ ...base, context: Buffer.alloc(32, 8) }, "bound, another context")).to.equal("invalid");
    expect(await bothSay({ ...base, proof: proofs.get(net.name) as Buffer, context: ctx }, "unbound, a context")).to.equal("invalid");
  });

  it("refuses alike (IR_INVALID) the architectures the zero-knowledge system does not prove", async () => {
    const proof = proofs.get(nets[0].name) as Buffer;
    const refused: [string, SumcheckArch][] = [
      ["no requant", { inputLen: 4, inputMin: 0n, inputTop: 9n, ops: [{ op: "dense", m: 3, n: 4 }] }],
      ["a dense of one input column", { inputLen: 1, inputMin: 0n, inputTop: 9n, ops: [{ op: "dense", m: 2, n: 1 }, { op: "requant", shift: 2, relu: true, bits: 8 }] }],
      ["a requant of one value", { inputLen: 4, inputMin: 0n, inputTop: 9n, ops: [{ op: "dense", m: 1, n: 4 }, { op: "requant", shift: 2, relu: true, bits: 8 }] }],
      ["a max pool to one value", { inputLen: 4, inputMin: 0n, inputTop: 9n, ops: [{ op: "dense", m: 4, n: 4 }, { op: "requant", shift: 2, relu: true, bits: 8 }, { op: "maxpool", win: { c: 1, h: 2, w: 2, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 }, bits: 9 }] }],
    ];
    for (const [what, arch] of refused) {
      const y = Array.from({ length: checkArch(arch).lens.at(-1) ?? 0 }, () => 0n);
      expect(await bothSay({ arch, x: [0n, 1n, 2n, 3n].slice(0, arch.inputLen), y, proof }, what)).to.equal("throw IR_INVALID");
      // a null input: the statement of a private input, which the first (no witness without a requant) proves
      const priv = what === "no requant" ? "throw PROOF_INVALID" : "throw IR_INVALID";
      expect(await bothSay({ arch, x: null, y, proof }, `${what}, a null input`)).to.equal(priv);
    }
  });

  it("measures the TypeScript verifier on an mlp-mnist-shaped proof (784-56-10)", async function () {
    const net = build("784-56-10", 9, [-128, 127], 784, [{ dense: 56 }, { requant: { relu: true, clamp: 8, act: 8 } }, { dense: 10 }]);
    const proof = await prove(net);
    const c: Case = { arch: net.arch, x: net.x, y: net.y, proof };
    const t0 = Date.now();
    expect(tsSays(c)).to.equal("valid");
    const ms = Date.now() - t0;
    const t1 = Date.now();
    expect(await rustSays(c)).to.equal("valid");
    console.log(`      784-56-10 zero-knowledge proof (${proof.length} bytes): TypeScript verify ${ms} ms, Rust ${Date.now() - t1} ms`);
  });
});
