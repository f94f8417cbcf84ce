/**
 * The sumcheck system's format 4 (KZG commitments, issue 28 K6: native/src/sumcheck/network_kzg.rs) checked by its
 * two verifiers against each other: the Rust one (the addon's sumcheckVerify given the verifier key) and the
 * TypeScript one (verifySumcheckKzgProof, network-kzg.ts), each verdict put as "valid", "invalid" or "throw CODE".
 * Three networks built as quantized models: an MLP (dense, requant with ReLU and clamp, dense), a CNN (a conv with
 * padding 1 of 25 output positions, so its unpadding wiring is proved; a requant; a 2x2 max pool; flatten; dense)
 * and a dense layer alone (no witness under a public input: the merge is the model's alone, no selector; under a
 * private input the witness is the input's columns only). Each proved under public and private input, batches of 1
 * and 3, private and committed weights (sumcheckCommitModelKzg): both accept every honest proof; both refuse it
 * with an output changed, another input (a public one changed; a private-input proof read as a public one), another
 * model's commitment (and a committed proof without one, a private-weights one with one), and another setup's
 * verifier key (a second development ptau of another tau): both refusing at the same check (a decode error at the
 * same byte, the same round's sum, the same named check or final value, the pairing). Two proofs have every word
 * changed in turn: one with both commitments (the CNN, private input and weights, 900 words) and one with neither
 * (the dense layer alone, public input, committed weights): never accepted, both refusing at the same check (a
 * word that no longer decodes is PROOF_INVALID in both, at the same byte); truncation and a trailing word are
 * PROOF_INVALID. A key
 * off G2's subgroup and model bytes off the curve are refused before the proof is read.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isZkmlError } from "../src/core/errors";
import { loadSumcheck, nativeError, type NativeSumcheck } from "../src/core/native";
import { IR_FORMAT, irShapes, QModel, QOp, runIR } from "../src/ir/ir";
import { writeDevPtau } from "../src/setup/ptau";
import { archWords, fromI64Bytes, i64Bytes, SumcheckArch, sumcheckArch, sumcheckParamBytes } from "../src/systems/sumcheck/arch";
import { verifySumcheckKzgProof } from "../src/systems/sumcheck/verifier";
import { checkArch } from "../src/systems/sumcheck/verifier/architecture";
import { decodeKzgProof } from "../src/systems/sumcheck/verifier/decode-kzg";
import { layoutsOf } from "../src/systems/sumcheck/verifier/layout";
import { rng } from "./helpers/zk-verdicts";

const native = () => loadSumcheck() as unknown as NativeSumcheck;

type Layer = { conv: { f: number; k: number; p: number } } | { maxpool: number } | { requant: number } | { flatten: true } | { dense: number };

/** A network: its quantized model, architecture, parameters (the prover's words) and the inputs it is proved on. */
type Net = { name: string; q: QModel; arch: SumcheckArch; params: bigint[]; xs: bigint[][] };

/** `n` inputs of `len` values in [min, top], seeded. */
function inputs(seed: number, n: number, len: number, [min, top]: [number, number]): bigint[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: len }, () => BigInt(r(min, top))));
}

/** The requant bringing the largest |z| over the inputs to about `act` bits (shift at least 1), ReLU, clamp act:
 * chosen from runIR's values so every input proved fits its bits. */
function requantFor(zs: readonly (readonly bigint[])[], act: number): Extract<QOp, { op: "requant" }> {
  const widest = zs.flat().map((v) => (v < 0n ? -v : v).toString(2).length).reduce((a, b) => Math.max(a, b), 1);
  return { op: "requant", shift: Math.max(1, widest - act), relu: true, bits: Math.max(widest, 1 + act) + 1, clamp: act };
}

/** A quantized model on inputs of `shape` in [min, top] (weights in [-8, 7], biases in [-50, 50]), proved on `xs`. */
function build(name: string, seed: number, shape: number[], [min, top]: [number, number], layers: Layer[]): Net {
  const r = rng(seed);
  const len = shape.reduce((a, b) => a * b, 1);
  const xs = inputs(seed + 1, 3, len, [min, top]);
  const input = { shape, min: BigInt(min), bits: Math.ceil(Math.log2(top - min + 1)), step: 1, range: [min, top] as [number, number] };
  const q: QModel = { format: IR_FORMAT, name, input, ops: [], output: { step: 1 } };
  const values = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => BigInt(r(lo, hi)));
  for (const l of layers) {
    const now = irShapes(q)[q.ops.length];
    if ("conv" in l) {
      const { f, k, p } = l.conv;
      q.ops.push({ op: "conv2d", filters: f, kernel: [k, k], stride: [1, 1], padding: [p, p], weights: values(f * now[0] * k * k, -8, 7), bias: values(f, -50, 50) });
    } else if ("maxpool" in l) q.ops.push({ op: "maxpool2d", pool: [l.maxpool, l.maxpool], stride: [l.maxpool, l.maxpool], bits: 9 });
    else if ("requant" in l) q.ops.push(requantFor(xs.map((x) => runIR(q, x).output), l.requant));
    else if ("flatten" in l) q.ops.push({ op: "flatten" });
    else {
      const n = now.reduce((a, b) => a * b, 1);
      q.ops.push({ op: "dense", inSize: n, units: l.dense, weights: values(l.dense * n, -8, 7), bias: values(l.dense, -50, 50) });
    }
  }
  return { name, q, arch: sumcheckArch(q), params: fromI64Bytes(sumcheckParamBytes(q)), xs };
}

const mlp = build("MLP: 8 -> 6, requant (ReLU, clamp), -> 3", 41, [8], [-8, 7], [{ dense: 6 }, { requant: 4 }, { dense: 3 }]);
const cnn = build("CNN: conv (25 positions), requant, maxpool 2x2, flatten, dense", 42, [1, 5, 5], [0, 15], [{ conv: { f: 2, k: 3, p: 1 } }, { requant: 4 }, { maxpool: 2 }, { flatten: true }, { dense: 3 }]);
const dense = build("dense alone: 6 -> 4", 43, [6], [-8, 7], [{ dense: 4 }]);
const nets = [mlp, cnn, dense];

/** A development ptau of power 13 for `tau`, made once and kept in the system's temporary directory. */
async function ptau(tau: bigint): Promise<string> {
  const file = path.join(os.tmpdir(), `zkml-kzg-verifier-test-13-${tau}.ptau`);
  if (!fs.existsSync(file)) {
    const part = `${file}.${process.pid}.part`;
    await writeDevPtau(part, 13, { secrets: { tau, alpha: 5n, beta: 7n } });
    fs.renameSync(part, file);
  }
  return file;
}

/** What a verifier is given: the statement (x null for a private input), the proof, the setup's key, C_M's bytes. */
interface Case {
  arch: SumcheckArch;
  x: readonly bigint[] | null;
  y: readonly bigint[];
  proof: Uint8Array;
  vk: Uint8Array;
  model?: Uint8Array;
}

/** A verdict in words both verifiers map to, the reason kept for the failure's message. */
type Said = { said: string; reason: string };

async function rustSays(c: Case): Promise<Said> {
  try {
    const v = await native().sumcheckVerify(i64Bytes(archWords(c.arch)), c.x && i64Bytes(c.x), i64Bytes(c.y), Buffer.from(c.proof), c.model ? Buffer.from(c.model) : null, null, Buffer.from(c.vk));
    return v.valid ? { said: "valid", reason: "" } : { said: "invalid", reason: v.reason ?? "" };
  } catch (e) {
    const z = nativeError(e);
    return isZkmlError(z) ? { said: `throw ${z.code}`, reason: z.message } : { said: "crash", reason: String(e) };
  }
}

async function tsSays(c: Case): Promise<Said> {
  try {
    const v = await verifySumcheckKzgProof(c.arch, c.x, c.y, c.proof, c.vk, c.model);
    return v.valid ? { said: "valid", reason: "" } : { said: "invalid", reason: v.reason };
  } catch (e) {
    return isZkmlError(e) ? { said: `throw ${e.code}`, reason: e.message } : { said: "crash", reason: String(e) };
  }
}

/** Checks the two verifiers word alike but the Rust one wraps as a final value: named by their own words. */
const NAMED = [/W blocks/, /two fractional sums differ/, /looked-up values' denominator/, /the KZG check/];

/**
 * Which check a refusal names, in words both verifiers' reasons map to: a decode error's byte offset, a named
 * check (NAMED), a sumcheck round's sum, another final value, or the statement's and commitments' shapes ("other").
 */
function checkOf({ said, reason }: Said): string {
  if (said === "throw PROOF_INVALID") return `${said} at byte ${/at byte (\d+)/.exec(reason)?.[1] ?? "?"}`;
  if (said !== "invalid") return said;
  const named = NAMED.find((n) => n.test(reason));
  if (named) return `invalid: ${named.source}`;
  const round = /round (\d+): g\(0\) \+ g\(1\) differs/.exec(reason);
  if (round) return `invalid: round ${round[1]}'s sum`;
  if (/final value/.test(reason)) return "invalid: a final value";
  return "invalid: other";
}

/** Both verdicts, which must agree to the check; returns the verdict ("valid", "invalid" or "throw CODE"). */
async function bothSay(c: Case, what: string): Promise<string> {
  const [rust, ts] = await Promise.all([rustSays(c), tsSays(c)]);
  expect(checkOf(ts), `${what}: TypeScript "${ts.reason}", Rust "${rust.reason}"`).to.equal(checkOf(rust));
  return ts.said;
}

interface Statement {
  input: "public" | "private";
  batch: number;
  committed: boolean;
}
const statements: Statement[] = (["public", "private"] as const).flatMap((input) => [1, 3].flatMap((batch) => [false, true].map((committed) => ({ input, batch, committed }))));
const stmtName = (s: Statement) => `${s.input} input, batch ${s.batch}, ${s.committed ? "committed" : "private"} weights`;

/** The net's model committed under the ptau: C_M's 64 bytes, and the prover's form (with its fold tables). */
const committedModel = (net: Net, params: bigint[], file: string) => native().sumcheckCommitModelKzg(i64Bytes(archWords(net.arch)), i64Bytes(params), file);
const commitModel = (net: Net, params: bigint[], file: string) => committedModel(net, params, file).commitment;

/** An honest proof of the statement on the net's first inputs, its outputs runIR's. */
async function prove(net: Net, s: Statement, file: string): Promise<Case> {
  const xs = net.xs.slice(0, s.batch);
  const words = i64Bytes(archWords(net.arch));
  const p = await native().sumcheckProveKzg(words, i64Bytes(net.params), i64Bytes(xs.flat()), file, s.committed ? committedModel(net, net.params, file).model : null, s.input === "private");
  const y = fromI64Bytes(p.output);
  expect(y, `${net.name}, ${stmtName(s)}`).to.deep.equal(xs.flatMap((x) => runIR(net.q, x).output));
  return { arch: net.arch, x: s.input === "public" ? xs.flat() : null, y, proof: p.proof, vk: native().kzgVerifierKey(file), model: s.committed ? commitModel(net, net.params, file) : undefined };
}

describe("sumcheck format 4 (KZG): the TypeScript verifier against the Rust one", function () {
  this.timeout(120_000);
  let file = "";
  let otherVk: Buffer = Buffer.alloc(0);
  const proofs = new Map<string, Case>();

  before(async () => {
    file = await ptau(1_234_567n);
    otherVk = native().kzgVerifierKey(await ptau(7_654_321n));
    for (const net of nets) for (const s of statements) proofs.set(`${net.name} / ${stmtName(s)}`, await prove(net, s, file));
  });

  for (const net of nets)
    it(`${net.name}: every statement's honest proof accepted by both; another output, input, model or setup refused by both`, async () => {
      const other = net.params.map((v, i) => (i === net.params.length - 1 ? v + 1n : v));
      const otherModel = commitModel(net, other, file);
      for (const s of statements) {
        const what = `${net.name}, ${stmtName(s)}`;
        const c = proofs.get(`${net.name} / ${stmtName(s)}`) as Case;
        expect(await bothSay(c, `${what}: honest`)).to.equal("valid");
        const y = [...c.y];
        y[y.length - 1] += 1n;
        expect(await bothSay({ ...c, y }, `${what}: an output changed`)).to.equal("invalid");
        if (c.x) {
          const x = [...c.x];
          x[0] = x[0] === net.q.input.min ? x[0] + 1n : x[0] - 1n;
          expect(await bothSay({ ...c, x }, `${what}: an input changed`)).to.equal("invalid");
        } else expect(await bothSay({ ...c, x: net.xs.slice(0, s.batch).flat() }, `${what}: read as a public-input proof`)).to.equal("invalid");
        expect(await bothSay({ ...c, vk: otherVk }, `${what}: another setup's key`)).to.equal("invalid");
        if (s.committed) {
          expect(await bothSay({ ...c, model: otherModel }, `${what}: another model's commitment`)).to.equal("invalid");
          expect(await bothSay({ ...c, model: undefined }, `${what}: no commitment held`)).to.equal("invalid");
        } else expect(await bothSay({ ...c, model: otherModel }, `${what}: a commitment held as well as the proof's`)).to.equal("invalid");
      }
    });

  it("the merge runs over the joint layout's n + 1 variables with a witness, the model's n alone without; Gemini opens n", () => {
    for (const [net, input, n] of [
      [dense, "public", layoutsOf(checkArch(dense.arch)).model.numVars],
      [mlp, "public", Math.max(...Object.values(layoutsOf(checkArch(mlp.arch))).map((l) => l?.numVars ?? 0))],
    ] as const) {
      const p = decodeKzgProof((proofs.get(`${net.name} / ${stmtName({ input, batch: 1, committed: false })}`) as Case).proof);
      const witness = net !== dense;
      expect(p.witnessCommitment !== null, net.name).to.equal(witness);
      expect(p.merge.rounds.length, net.name).to.equal(n + (witness ? 1 : 0));
      expect(p.opening.evals.length, net.name).to.equal(n);
    }
  });

  for (const [net, s] of [
    [cnn, { input: "private", batch: 1, committed: false }],
    [dense, { input: "public", batch: 1, committed: true }],
  ] as const)
    it(`${net.name}, ${stmtName(s)}: every word changed (the last bit; every eighth's top byte too) never accepted, both refusing at the same check; truncation and a trailing word PROOF_INVALID`, async () => {
      const c = proofs.get(`${net.name} / ${stmtName(s)}`) as Case;
      const words = c.proof.length / 32;
      const tally = new Map<string, number>();
      for (let i = 0; i < words; i++)
        for (const top of i % 8 === 0 ? [false, true] : [false]) {
          const b = Buffer.from(c.proof);
          if (top) b[32 * i] = 0xff;
          else b[32 * i + 31] ^= 1;
          const what = `word ${i} of ${words}, ${top ? "top byte" : "last bit"}`;
          const said = await bothSay({ ...c, proof: b }, what);
          expect(said, what).to.not.equal("valid");
          tally.set(said, (tally.get(said) ?? 0) + 1);
        }
      // both kinds of refusal are exercised: words that no longer decode (points off the curve, counts, words not
      // below the modulus) and failed checks
      expect([...tally.keys()].sort()).to.deep.equal(["invalid", "throw PROOF_INVALID"]);
      for (const cut of [32, c.proof.length / 2, c.proof.length - 32])
        expect(await bothSay({ ...c, proof: c.proof.subarray(0, cut) }, `cut at ${cut}`)).to.equal("throw PROOF_INVALID");
      expect(await bothSay({ ...c, proof: Buffer.concat([c.proof, Buffer.alloc(32)]) }, "a trailing word")).to.equal("throw PROOF_INVALID");
    });

  it("refuses a key off G2's prime-order subgroup and model bytes off the curve before reading the proof", async () => {
    const c = proofs.get(`${mlp.name} / ${stmtName({ input: "public", batch: 1, committed: true })}`) as Case;
    // a point of the twist outside the subgroup: a curve point before the cofactor is cleared
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const curve = await require("ffjavascript").buildBn128(true);
    const F = curve.G2.F;
    let x = F.fromObject([1n, 0n]);
    let rhs = F.add(F.mul(F.square(x), x), curve.G2.b);
    while (!F.isSquare(rhs)) {
      x = F.add(x, F.one);
      rhs = F.add(F.mul(F.square(x), x), curve.G2.b);
    }
    const [[x0, x1], [y0, y1]] = [F.toObject(x), F.toObject(F.sqrt(rhs))] as bigint[][];
    const offSubgroup = Buffer.from([x1, x0, y1, y0].map((w) => w.toString(16).padStart(64, "0")).join(""), "hex");
    expect((await tsSays({ ...c, vk: offSubgroup })).said).to.equal("throw OPTION_INVALID");
    expect((await rustSays({ ...c, vk: offSubgroup })).said).to.equal("throw NATIVE_CALL_INVALID");
    const model = Buffer.from(c.model as Uint8Array);
    model[63] ^= 1;
    expect(await bothSay({ ...c, model }, "model bytes off the curve")).to.equal("throw PROOF_INVALID");
  });
});
