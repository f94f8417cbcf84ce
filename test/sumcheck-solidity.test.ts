/**
 * The sumcheck system's Solidity verifier (src/systems/sumcheck/solidity/) against the Rust and TypeScript ones, on
 * the in-process Hardhat chain: an MLP with committed weights (dense, requant with ReLU and clamp, dense; widths
 * that are not powers of two), its honest proof accepted by all three; every tampered 32-byte word of the proof
 * (a stride plus the first word of each part), each output and input value changed, and a proof of other weights:
 * all three refuse. The contract's size is checked against EIP-170 and its gas against a budget.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadSumcheck, NativeSumcheck } from "../src/core/native";
import { archWords, i64Bytes, fromI64Bytes, SumcheckArch } from "../src/systems/sumcheck/arch";
import { verifySumcheckProof } from "../src/systems/sumcheck/verifier";
import { renderSumcheckVerifier, RenderedSumcheckVerifier } from "../src/systems/sumcheck/solidity/render";
import { deploySumcheckVerifier } from "../src/systems/sumcheck/solidity/deploy";
import { compileSolidity, EIP170_LIMIT } from "../src/evm/solc";
import type { Contract } from "ethers";

/** A seeded generator of integers in [lo, hi]. */
function rng(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

const ARCH: SumcheckArch = {
  inputLen: 20,
  inputMin: 0n,
  inputTop: 127n,
  ops: [
    { op: "dense", m: 12, n: 20 },
    { op: "requant", shift: 8, relu: true, bits: 20, clamp: 8 },
    { op: "flatten" },
    { op: "dense", m: 5, n: 12 },
  ],
};

function params(seed: number): bigint[] {
  const r = rng(seed);
  const n = 12 * 20 + 12 + 5 * 12 + 5;
  return Array.from({ length: n }, (_, i) => BigInt(i < 12 * 20 || (i >= 252 && i < 312) ? r(-128, 127) : r(-2000, 2000)));
}

const native = () => loadSumcheck() as unknown as NativeSumcheck;
const archBytes = () => i64Bytes(archWords(ARCH));

/** What the contract says of (x, y, proof): "valid" or "invalid" (a revert). */
async function solSays(v: Contract, r: RenderedSumcheckVerifier, x: readonly bigint[], y: readonly bigint[], proof: Uint8Array): Promise<string> {
  const packed = Buffer.from(x.map((xi) => Number(xi - r.program.inputMin)));
  try {
    const ok: boolean = await v.verifyProof(packed, y, proof);
    return ok ? "valid" : "invalid";
  } catch (e) {
    const text = String((e as Error).message);
    if (text.includes("SumcheckRejected") || text.includes("reverted")) return "invalid";
    return `crash ${text.slice(0, 200)}`;
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
    return verifySumcheckProof(ARCH, x, y, proof, model).valid ? "valid" : "invalid";
  } catch {
    return "invalid";
  }
}

describe("sumcheck Solidity verifier", function () {
  this.timeout(600_000);
  let rendered: RenderedSumcheckVerifier;
  let verifier: Contract;
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
    const compiled = compileSolidity({ "SumcheckVerifier.sol": rendered.source }, { viaIR: true }).get(rendered.contractName)!;
    expect(compiled.runtimeBytes).to.be.below(EIP170_LIMIT);
    const [signer] = await hre.ethers.getSigners();
    verifier = (await deploySumcheckVerifier(rendered, compiled, signer)).verifier;
  });

  it("accepts the honest proof, as the Rust and TypeScript verifiers do, within its gas budget", async () => {
    expect(await rustSays(x, y, proof, model)).to.equal("valid");
    expect(tsSays(x, y, proof, model)).to.equal("valid");
    expect(await solSays(verifier, rendered, x, y, proof)).to.equal("valid");
    const gas = Number(await verifier.verifyProof.estimateGas(Buffer.from(x.map(Number)), y, proof));
    // budget: the two Hyrax openings, cols + rows scalar multiplications (6,000 gas) and additions (150) each: the
    // model's 2^9 entries as 16 rows of 32, the witness's 2^13 (the activation table's 2^12 multiplicities) as 64 of
    // 128: 240 x 6,150 = 1.48M; the calldata at 16 gas a byte; the sumchecks, lookups and merges under 1.2M
    const { model: m, witness: w } = rendered.program;
    const openings = (m.rows + m.cols + w.rows + w.cols) * 6_150;
    expect(m.rows + m.cols + w.rows + w.cols).to.equal(240);
    expect(gas, `proof ${proof.length} bytes`).to.be.below(21_000 + openings + 16 * proof.length + 1_200_000);
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
    const packed = Buffer.from(x.map(Number));
    packed[0] = 200;
    await expect(verifier.verifyProof(packed, y, proof)).to.be.revertedWithCustomError(verifier, "SumcheckRejected").withArgs(15);
    await expect(verifier.verifyProof(packed.subarray(1), y, proof)).to.be.revertedWithCustomError(verifier, "SumcheckRejected").withArgs(15);
    const other = await native().sumcheckProve(archBytes(), i64Bytes(params(2)), i64Bytes(x), await native().sumcheckCommitModel(archBytes(), i64Bytes(params(2))));
    const yo = fromI64Bytes(other.output);
    expect(await solSays(verifier, rendered, x, yo, other.proof)).to.equal("invalid");
    expect(await rustSays(x, yo, other.proof, model)).to.equal("invalid");
  });

  it("agrees with the Rust and TypeScript verifiers on every tampered word (a stride and each part's first), truncations and trailing bytes", async () => {
    const words = proof.length / 32;
    const picks = new Set<number>();
    for (let i = 0; i < words; i += 5) picks.add(i);
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
    expect(refused).to.be.above(words / 5);
    for (const t of [proof.subarray(0, proof.length - 32), Buffer.concat([proof, Buffer.alloc(32)])]) {
      expect(await solSays(verifier, rendered, x, y, t)).to.equal("invalid");
      expect(await rustSays(x, y, t, model)).to.equal("invalid");
    }
  });
});
