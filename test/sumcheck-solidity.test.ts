/**
 * The sumcheck system's Solidity verifier (src/systems/sumcheck/solidity/) against the Rust and TypeScript ones, on
 * the in-process Hardhat chain: an MLP with committed weights (dense, requant with ReLU and clamp, dense; widths
 * that are not powers of two), its honest proof accepted by all three; every tampered 32-byte word of the proof
 * (a stride plus the first word of each part), each output and input value changed, and a proof of other weights:
 * all three refuse, each with a SumcheckRejected code (never out of gas); the codes of five named changes are
 * asserted. A second shape (a signed input of two bytes a value, a clamp without ReLU, ReLU without a clamp, a
 * requant last) is accepted and refused alike. The contract's size is checked against EIP-170 and its gas against a
 * budget.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadSumcheck, NativeSumcheck } from "../src/core/native";
import { archWords, i64Bytes, fromI64Bytes, SumcheckArch } from "../src/systems/sumcheck/arch";
import { verifySumcheckProof } from "../src/systems/sumcheck/verifier";
import { renderSumcheckVerifier, RenderedSumcheckVerifier, SUMCHECK_CONSUMER_ABI } from "../src/systems/sumcheck/solidity/render";
import { sumcheckGasFloor } from "../src/systems/sumcheck/solidity/cost";
import { compileSumcheck, deploySumcheckVerifier, packInput } from "../src/evm/sumcheck-verifier";
import { contextWord } from "../src/systems/sumcheck";
import { Compiled, EIP170_LIMIT } from "../src/evm/solc";
import { Interface, type Contract } from "ethers";

import { ARCH, params, rng } from "./helpers/sumcheck-mlp";

/** A second shape: a signed input of two bytes a value ([-300, 300]), a clamp without ReLU, ReLU without a clamp,
 * a requant last. */
const ARCH2: SumcheckArch = {
  inputLen: 10,
  inputMin: -300n,
  inputTop: 300n,
  ops: [
    { op: "dense", m: 6, n: 10 },
    { op: "requant", shift: 10, relu: false, bits: 21, clamp: 8 },
    { op: "dense", m: 3, n: 6 },
    { op: "requant", shift: 8, relu: true, bits: 19 },
  ],
};

function params2(seed: number): bigint[] {
  const r = rng(seed);
  return [...Array.from({ length: 60 }, () => r(-128, 127)), ...Array.from({ length: 6 }, () => r(-2000, 2000)), ...Array.from({ length: 18 }, () => r(-128, 127)), ...Array.from({ length: 3 }, () => r(-2000, 2000))].map(BigInt);
}


const native = () => loadSumcheck() as unknown as NativeSumcheck;
let ARCH_NOW = ARCH;
const archBytes = () => i64Bytes(archWords(ARCH_NOW));

/** The input as the contract takes it (gas.ts packInput). */
const pack = (r: RenderedSumcheckVerifier, x: readonly bigint[]) => packInput(x, r.program.inputMin, r.inputBytes);

/** What the contract says of (x, y, proof): "valid", or "invalid" for a SumcheckRejected revert (its code kept in
 * `lastCode`); any other failure (out of gas, a panic) is a crash, which the tests refuse. */
let lastCode = -1;
async function solSays(v: Contract, r: RenderedSumcheckVerifier, x: readonly bigint[], y: readonly bigint[], proof: Uint8Array): Promise<string> {
  try {
    const ok: boolean = await v.verifyProof(pack(r, x), y, 0n, proof);
    return ok ? "valid" : "crash: returned false";
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = data ? v.interface.parseError(data) : null;
    if (parsed?.name === "SumcheckRejected") {
      lastCode = Number(parsed.args[0]);
      return "invalid";
    }
    return `crash ${String((e as Error).message).slice(0, 200)}`;
  }
}

async function rustSays(x: readonly bigint[], y: readonly bigint[], proof: Uint8Array, model: Uint8Array): Promise<string> {
  try {
    return (await native().sumcheckVerify(archBytes(), i64Bytes(x), i64Bytes(y), Buffer.from(proof), Buffer.from(model))).valid ? "valid" : "invalid";
  } catch {
    return "invalid";
  }
}

function tsSays(x: readonly bigint[], y: readonly bigint[], proof: Uint8Array, model: Uint8Array): string {
  try {
    return verifySumcheckProof(ARCH_NOW, x, y, proof, model).valid ? "valid" : "invalid";
  } catch {
    return "invalid";
  }
}

describe("sumcheck Solidity verifier", function () {
  this.timeout(600_000);
  let rendered: RenderedSumcheckVerifier;
  let verifier: Contract;
  let consumer: Contract;
  let compiledPair: { verifier: Compiled; consumer: Compiled };
  let model: Buffer;
  let proof: Buffer;
  let x: bigint[];
  let y: bigint[];

  before(async () => {
    const r = rng(7);
    x = Array.from({ length: 20 }, () => BigInt(r(0, 127)));
    model = await native().sumcheckCommitModel(archBytes(), i64Bytes(params(1)));
    const p = await native().sumcheckProve(archBytes(), i64Bytes(params(1)), i64Bytes(x), model);
    proof = p.proof;
    y = fromI64Bytes(p.output);
    rendered = renderSumcheckVerifier(ARCH, model, "test_mlp");
    compiledPair = compileSumcheck(rendered, "SumcheckVerifier.sol");
    expect(compiledPair.verifier.runtimeBytes).to.be.below(EIP170_LIMIT);
    const [signer] = await hre.ethers.getSigners();
    ({ verifier, consumer } = await deploySumcheckVerifier(rendered, compiledPair.verifier, compiledPair.consumer, signer));
  });

  it("the consumer's interface the tasks use (SUMCHECK_CONSUMER_ABI) is the compiled one, the verifier's refusal included", () => {
    const sig = (abi: readonly unknown[]) => new Interface(abi as string[]).fragments.filter((f) => f.type !== "constructor").map((f) => `${f.type} ${f.format("full")}`).sort();
    expect(sig(SUMCHECK_CONSUMER_ABI).filter((f) => !f.startsWith("error"))).to.deep.equal(sig(compiledPair.consumer.abi));
    expect(sig(compiledPair.verifier.abi).filter((f) => f.startsWith("error"))).to.deep.equal(sig(SUMCHECK_CONSUMER_ABI).filter((f) => f.startsWith("error")));
  });

  it("accepts the honest proof, as the Rust and TypeScript verifiers do, within its gas budget", async () => {
    expect(await rustSays(x, y, proof, model)).to.equal("valid");
    expect(tsSays(x, y, proof, model)).to.equal("valid");
    expect(await solSays(verifier, rendered, x, y, proof)).to.equal("valid");
    const gas = Number(await verifier.verifyProof.estimateGas(pack(rendered, x), y, 0n, proof));
    // budget: the two Hyrax openings, cols + rows scalar multiplications (6,000 gas) and additions (150) each: the
    // model's 2^9 entries as 16 rows of 32, the witness's 2^13 (the activation table's 2^12 multiplicities) as 64 of
    // 128: 240 x 6,150 = 1.48M; the calldata at 16 gas a byte; the sumchecks, lookups and merges under 1.2M
    const { model: m, witness: w } = rendered.program;
    const openings = (m.rows + m.cols + w.rows + w.cols) * 6_150;
    expect(m.rows + m.cols + w.rows + w.cols).to.equal(240);
    expect(gas, `proof ${proof.length} bytes`).to.be.below(21_000 + openings + 16 * proof.length + 1_200_000);
    // the floor the deployment checks against a chain's cap: 21,000 + the 240 precompile pairs, below the gas
    expect(sumcheckGasFloor(rendered.program)).to.equal(21_000 + openings);
    expect(gas).to.be.above(sumcheckGasFloor(rendered.program));
    const [signer] = await hre.ethers.getSigners();
    const refusal = await deploySumcheckVerifier(rendered, compiledPair.verifier, compiledPair.consumer, signer, 1_000_000).then(
      () => null,
      (e: Error) => e,
    );
    expect(refusal?.message).to.match(/at least 1,497,000 gas .* per-transaction cap of 1,000,000/);
  });

  it("refuses a changed output or input, and a proof of other weights, as the other two verifiers do", async () => {
    const y2 = [...y];
    y2[0] += 1n;
    const x2 = [...x];
    x2[3] = x2[3] === 0n ? 1n : x2[3] - 1n;
    for (const [xx, yy] of [[x, y2], [x2, y]]) {
      expect(await solSays(verifier, rendered, xx, yy, proof)).to.equal("invalid");
      expect(await rustSays(xx, yy, proof, model)).to.equal("invalid");
      expect(tsSays(xx, yy, proof, model)).to.equal("invalid");
    }
    // a packed input byte past the declared top (127): the contract's range check
    const packed = pack(rendered, x);
    packed[0] = 200;
    await expect(verifier.verifyProof(packed, y, 0n, proof)).to.be.revertedWithCustomError(verifier, "SumcheckRejected").withArgs(15);
    await expect(verifier.verifyProof(packed.subarray(1), y, 0n, proof)).to.be.revertedWithCustomError(verifier, "SumcheckRejected").withArgs(15);
    const other = await native().sumcheckProve(archBytes(), i64Bytes(params(2)), i64Bytes(x), await native().sumcheckCommitModel(archBytes(), i64Bytes(params(2))));
    const yo = fromI64Bytes(other.output);
    expect(await solSays(verifier, rendered, x, yo, other.proof)).to.equal("invalid");
    expect(await rustSays(x, yo, other.proof, model)).to.equal("invalid");
  });

  it("agrees with the Rust and TypeScript verifiers on every tampered word (a stride and each part's first), truncations and trailing bytes", async () => {
    const words = proof.length / 32;
    const picks = new Set<number>();
    for (let i = 0; i < words; i += 8) picks.add(i);
    for (let i = 0; i < Math.min(words, 40); i++) picks.add(i);
    for (let i = Math.max(0, words - 40); i < words; i++) picks.add(i);
    let refused = 0;
    for (const i of [...picks].sort((a, b) => a - b)) {
      const t = Buffer.from(proof);
      t[32 * i + 31] ^= 1;
      const sol = await solSays(verifier, rendered, x, y, t);
      const rust = await rustSays(x, y, t, model);
      const ts = tsSays(x, y, t, model);
      expect([sol, rust, ts], `word ${i} of ${words}`).to.deep.equal(["invalid", "invalid", "invalid"]);
      refused++;
    }
    expect(refused).to.be.above(words / 8);
    for (const t of [proof.subarray(0, proof.length - 32), Buffer.concat([proof, Buffer.alloc(32)])]) {
      expect(await solSays(verifier, rendered, x, y, t)).to.equal("invalid");
      expect(await rustSays(x, y, t, model)).to.equal("invalid");
    }
  });

  it("names the failed check: a version, a layer's kind, a witness row off the curve, a truncation, trailing bytes", async () => {
    const rows = rendered.program.witness.rows;
    const cases: [string, (b: Buffer) => Buffer, number][] = [
      ["the version word", (b) => (b.writeUInt8(3, 31), b), 3],
      ["the first layer's kind word", (b) => (b.writeUInt8(2, 32 * (4 + 2 * rows) + 31), b), 17],
      ["a witness row's y", (b) => (b.writeUInt8(b[32 * 4 + 31] ^ 1, 32 * 4 + 31), b), 13],
      ["the last word dropped", (b) => b.subarray(0, b.length - 32), 1],
      ["a trailing word", (b) => Buffer.concat([b, Buffer.alloc(32)]), 14],
    ];
    for (const [what, change, code] of cases) {
      expect(await solSays(verifier, rendered, x, y, change(Buffer.from(proof))), what).to.equal("invalid");
      expect(lastCode, what).to.equal(code);
    }
  });

  it("a second shape (a signed two-byte input, a clamp without ReLU, ReLU without a clamp, a requant last): accepted, and refused changed", async () => {
    ARCH_NOW = ARCH2;
    try {
      const r = rng(11);
      const x2 = Array.from({ length: 10 }, () => BigInt(r(-300, 300)));
      const model2 = await native().sumcheckCommitModel(archBytes(), i64Bytes(params2(3)));
      const p = await native().sumcheckProve(archBytes(), i64Bytes(params2(3)), i64Bytes(x2), model2);
      const y2 = fromI64Bytes(p.output);
      const r2 = renderSumcheckVerifier(ARCH2, model2, "test_mlp2");
      expect(r2.inputBytes).to.equal(2);
      const c2 = compileSumcheck(r2, "SumcheckVerifier2.sol");
      const [signer] = await hre.ethers.getSigners();
      const v2 = (await deploySumcheckVerifier(r2, c2.verifier, c2.consumer, signer)).verifier;
      expect([await solSays(v2, r2, x2, y2, p.proof), await rustSays(x2, y2, p.proof, model2), tsSays(x2, y2, p.proof, model2)]).to.deep.equal(["valid", "valid", "valid"]);
      const yBad = [...y2];
      yBad[2] += 1n;
      expect([await solSays(v2, r2, x2, yBad, p.proof), await rustSays(x2, yBad, p.proof, model2), tsSays(x2, yBad, p.proof, model2)]).to.deep.equal(["invalid", "invalid", "invalid"]);
      const xBad = [...x2];
      xBad[0] = 301n;
      expect(await solSays(v2, r2, xBad, y2, p.proof)).to.equal("invalid");
      expect(lastCode).to.equal(15);
      for (let i = 0; i < p.proof.length / 32; i += 17) {
        const t = Buffer.from(p.proof);
        t[32 * i + 31] ^= 1;
        expect([await solSays(v2, r2, x2, y2, t), await rustSays(x2, y2, t, model2), tsSays(x2, y2, t, model2)], `word ${i}`).to.deep.equal(["invalid", "invalid", "invalid"]);
      }
    } finally {
      ARCH_NOW = ARCH;
    }
  });

  it("the consumer records an inference whose proof is bound to its submitter (submitter, input hash, label, outputs), within verifyProof's gas and 25k; the same proof from anyone else, an unbound one, a changed output: refused", async () => {
    const [signer, other] = await hre.ethers.getSigners();
    const input = pack(rendered, x);
    const who = BigInt(await other.getAddress());
    const bound = await native().sumcheckProve(archBytes(), i64Bytes(params(1)), i64Bytes(x), model, false, contextWord(who));
    // the three verifiers agree on the context: bound to `who`, so refused without it and with another
    const ctx = contextWord(who);
    expect((await native().sumcheckVerify(archBytes(), i64Bytes(x), i64Bytes(y), bound.proof, model, ctx)).valid).to.equal(true);
    expect((await native().sumcheckVerify(archBytes(), i64Bytes(x), i64Bytes(y), bound.proof, model)).valid).to.equal(false);
    expect(verifySumcheckProof(ARCH, x, y, bound.proof, model, ctx).valid).to.equal(true);
    expect(verifySumcheckProof(ARCH, x, y, bound.proof, model, contextWord(who + 1n)).valid).to.equal(false);
    expect(verifySumcheckProof(ARCH, x, y, proof, model, ctx).valid).to.equal(false);
    const tx = await consumer.connect(other).getFunction("submit")(input, y, bound.proof);
    const receipt = await tx.wait();
    const ev = receipt.logs.map((l: { topics: string[]; data: string }) => consumer.interface.parseLog(l)).find((l: { name: string } | null) => l?.name === "InferenceVerified");
    let label = 0;
    y.forEach((v, i) => (label = v > y[label] ? i : label));
    expect(ev.args.sender).to.equal(await other.getAddress());
    expect(ev.args.inputHash).to.equal(hre.ethers.keccak256(input));
    expect(Number(ev.args.label)).to.equal(label);
    expect([...ev.args.output].map(String)).to.deep.equal(y.map(String));
    // submit = verifyProof's gas (called from the consumer: no second 21k or calldata) + the call's overhead, the
    // argmax over the outputs and the event (5 words of outputs: about 5k): a budget of 25k over verifyProof
    const verifyGas = Number(await verifier.verifyProof.estimateGas(input, y, who, bound.proof));
    expect(Number(receipt.gasUsed)).to.be.within(verifyGas, verifyGas + 25_000);
    // front-running: the proof copied by another account; an unbound proof; a changed output
    await expect(consumer.connect(signer).getFunction("submit")(input, y, bound.proof)).to.be.revertedWithCustomError(verifier, "SumcheckRejected");
    await expect(consumer.connect(other).getFunction("submit")(input, y, proof)).to.be.revertedWithCustomError(verifier, "SumcheckRejected");
    const y2 = [...y];
    y2[1] += 1n;
    await expect(consumer.connect(other).getFunction("submit")(input, y2, bound.proof)).to.be.revertedWithCustomError(verifier, "SumcheckRejected");
  });
});
