/**
 * The sumcheck system's format-4 Solidity verifier (KZG commitments: one joint merge, one Gemini opening, one
 * pairing check; src/systems/sumcheck/solidity/render.ts renderSumcheckVerifierKzg) against the Rust and
 * TypeScript ones (every verdict below is all three's), on the
 * in-process Hardhat chain: an MLP with committed weights (dense, requant with ReLU and clamp, dense; widths that are
 * not powers of two), a development ptau with a known tau. The honest proof is accepted by both within a gas budget
 * derived below; every tampered 32-byte word (a stride, the first and last 40), a changed output or input, a proof
 * of other weights, a proof under another setup, truncation and trailing bytes: both refuse, each with a
 * SumcheckRejected code (never out of gas or a panic); the codes of named changes are asserted.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import hre from "hardhat";
import type { Contract } from "ethers";
import { loadSumcheck, NativeSumcheck } from "../src/core/native";
import { writeDevPtau } from "../src/setup/ptau";
import { archWords, i64Bytes, fromI64Bytes } from "../src/systems/sumcheck/arch";
import { verifySumcheckKzgProof } from "../src/systems/sumcheck/verifier";
import { renderSumcheckVerifierKzg, RenderedSumcheckVerifier } from "../src/systems/sumcheck/solidity/render";
import { kzgPrecompileGas } from "../src/systems/sumcheck/solidity/cost";
import { compileSumcheck, deploySumcheckVerifier, packInput } from "../src/evm/sumcheck-verifier";
import { EIP170_LIMIT } from "../src/evm/solc";

import { ARCH, params, rng } from "./helpers/sumcheck-mlp";

const native = () => loadSumcheck() as unknown as NativeSumcheck;
const archBytes = i64Bytes(archWords(ARCH));

/** Two development ptaus of power 13 (the witness's 2^13 entries: the activation table's multiplicities), cached. */
async function ptau(tau: bigint): Promise<string> {
  const file = path.join(os.tmpdir(), `zkml-kzg-sol-13-${tau}.ptau`);
  if (!fs.existsSync(file)) await writeDevPtau(file, 13, { secrets: { tau, alpha: 5n, beta: 7n } });
  return file;
}

describe("sumcheck Solidity verifier, format 4 (KZG)", function () {
  this.timeout(600_000);
  let rendered: RenderedSumcheckVerifier;
  let verifier: Contract;
  let ptauFile: string;
  let model: Buffer;
  let vk: Buffer;
  let proof: Buffer;
  let x: bigint[];
  let y: bigint[];
  let lastCode = -1;

  async function solSays(xx: readonly bigint[], yy: readonly bigint[], p: Uint8Array, v = verifier): Promise<string> {
    try {
      return (await v.verifyProof(packInput(xx, ARCH.inputMin, rendered.inputBytes), yy, 0n, p)) ? "valid" : "crash: returned false";
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

  async function rustSays(xx: readonly bigint[], yy: readonly bigint[], p: Uint8Array, m = model, key = vk): Promise<string> {
    try {
      return (await native().sumcheckVerify(archBytes, i64Bytes(xx), i64Bytes(yy), Buffer.from(p), m, null, key)).valid ? "valid" : "invalid";
    } catch {
      return "invalid";
    }
  }

  async function tsSays(xx: readonly bigint[], yy: readonly bigint[], p: Uint8Array, m = model, key = vk): Promise<string> {
    try {
      return (await verifySumcheckKzgProof(ARCH, xx, yy, p, key, m)).valid ? "valid" : "invalid";
    } catch {
      return "invalid";
    }
  }

  /** The three verdicts: Solidity's, Rust's, TypeScript's. */
  const all = async (xx: readonly bigint[], yy: readonly bigint[], p: Uint8Array) => [await solSays(xx, yy, p), await rustSays(xx, yy, p), await tsSays(xx, yy, p)];
  const refused = ["invalid", "invalid", "invalid"];

  before(async () => {
    ptauFile = await ptau(4242n);
    const r = rng(7);
    x = Array.from({ length: 20 }, () => BigInt(r(0, 127)));
    const made = native().sumcheckCommitModelKzg(archBytes, i64Bytes(params(1)), ptauFile);
    model = made.commitment;
    vk = native().kzgVerifierKey(ptauFile);
    const p = await native().sumcheckProveKzg(archBytes, i64Bytes(params(1)), i64Bytes(x), ptauFile, made.model);
    proof = p.proof;
    y = fromI64Bytes(p.output);
    rendered = renderSumcheckVerifierKzg(ARCH, model, vk, "test_mlp");
    const compiled = compileSumcheck(rendered, "SumcheckKzgVerifier.sol");
    expect(compiled.verifier.runtimeBytes).to.be.below(EIP170_LIMIT);
    const [signer] = await hre.ethers.getSigners();
    ({ verifier } = await deploySumcheckVerifier(rendered, compiled.verifier, compiled.consumer, signer));
  });

  it("accepts the honest proof, as the Rust and TypeScript verifiers do, within its gas budget", async () => {
    expect(await all(x, y, proof)).to.deep.equal(["valid", "valid", "valid"]);
    const gas = Number(await verifier.verifyProof.estimateGas(packInput(x, 0n, 1), y, 0n, proof));
    // budget: 21,000; the opening's precompiles (n = 13: the witness's 2^13 entries, the model's 2^9 lifted):
    // n + 3 = 16 ecMul and n + 4 = 17 ecAdd, one modexp, one 2-pair ecPairing (kzgPrecompileGas); the calldata at 16
    // gas a byte; the rest under 1.2M, as format 2's test allows: measured 0.70M for the layers (the lookups' trees, 80% of
    // the proof: about 600 words in 106 rounds of degree 3 and 28 layers), 0.09M for the joint merge (18 claims of
    // 14 coordinates), 0.14M for the opening's field work and reads
    const pre = kzgPrecompileGas(rendered.program);
    expect(pre).to.equal(16 * 6_000 + 17 * 150 + 1_349 + 45_000 + 2 * 34_000);
    expect(gas, `proof ${proof.length} bytes`).to.be.below(21_000 + pre + 16 * proof.length + 1_200_000);
    expect(gas).to.be.above(21_000 + pre);
  });

  it("refuses a changed output or input, a proof of other weights and one under another setup, as the other two verifiers do", async () => {
    const y2 = [...y];
    y2[0] += 1n;
    const x2 = [...x];
    x2[3] = x2[3] === 0n ? 1n : x2[3] - 1n;
    for (const [xx, yy] of [[x, y2], [x2, y]]) {
      expect(await all(xx, yy, proof)).to.deep.equal(refused);
    }
    const other = await native().sumcheckProveKzg(archBytes, i64Bytes(params(2)), i64Bytes(x), ptauFile, native().sumcheckCommitModelKzg(archBytes, i64Bytes(params(2)), ptauFile).model);
    const yo = fromI64Bytes(other.output);
    expect(await all(x, yo, other.proof)).to.deep.equal(refused);
    // the same weights under another tau: its commitment and proof hold together, but not against this verifier's
    const ptau2 = await ptau(777n);
    const made2 = native().sumcheckCommitModelKzg(archBytes, i64Bytes(params(1)), ptau2);
    const p2 = await native().sumcheckProveKzg(archBytes, i64Bytes(params(1)), i64Bytes(x), ptau2, made2.model);
    const [cm2, vk2] = [made2.commitment, native().kzgVerifierKey(ptau2)];
    expect([await rustSays(x, y, p2.proof, cm2, vk2), await tsSays(x, y, p2.proof, cm2, vk2)]).to.deep.equal(["valid", "valid"]);
    expect(await all(x, y, p2.proof)).to.deep.equal(refused);
  });

  it("a KZG verifier key given with a proof of another format: refused by the Rust verifier as PROOF_INVALID, as the TypeScript one does", async () => {
    const hyrax = await native().sumcheckProve(archBytes, i64Bytes(params(1)), i64Bytes(x));
    const err = await native()
      .sumcheckVerify(archBytes, i64Bytes(x), hyrax.output, hyrax.proof, null, null, vk)
      .then(() => "accepted", (e: Error) => e.message);
    expect(err).to.match(/PROOF_INVALID.*at byte 0: version 2, a KZG proof is version 4/);
    expect(await tsSays(x, fromI64Bytes(hyrax.output), hyrax.proof)).to.equal("invalid");
  });

  it("agrees with the other two verifiers on every tampered word (a stride, the first and last 40), truncation and a trailing word", async () => {
    const words = proof.length / 32;
    const picks = new Set<number>();
    for (let i = 0; i < words; i += 7) picks.add(i);
    for (let i = 0; i < Math.min(words, 40); i++) picks.add(i);
    for (let i = Math.max(0, words - 40); i < words; i++) picks.add(i);
    for (const i of [...picks].sort((a, b) => a - b)) {
      const t = Buffer.from(proof);
      t[32 * i + 31] ^= 1;
      expect(await all(x, y, t), `word ${i} of ${words}`).to.deep.equal(refused);
    }
    for (const t of [proof.subarray(0, proof.length - 32), Buffer.concat([proof, Buffer.alloc(32)])]) {
      expect(await all(x, y, t)).to.deep.equal(refused);
    }
  });

  it("names the failed check: the version, the scheme, the witness commitment off the curve, a fold, Q, W, an evaluation, the pairing", async () => {
    const words = proof.length / 32;
    const n = 13;
    // the opening's words from the end: n - 1 folds (2 words each), n evaluations, Q, W
    const w = words - 2;
    const q = w - 2;
    const evals = q - n;
    const folds = evals - 2 * (n - 1);
    const flip = (i: number) => (b: Buffer) => (b.writeUInt8(b[32 * i + 31] ^ 1, 32 * i + 31), b);
    const cases: [string, (b: Buffer) => Buffer, number][] = [
      ["the version word", (b) => (b.writeUInt8(2, 31), b), 3],
      ["the scheme word", (b) => (b.writeUInt8(1, 63), b), 3],
      ["the witness commitment's y", flip(5), 18],
      ["a fold's y", flip(folds + 1), 18],
      ["Q's y", flip(q + 1), 18],
      ["W's y", flip(w + 1), 18],
      ["W replaced by Q", (b) => (b.copy(b, 32 * w, 32 * q, 32 * q + 64), b), 20],
      ["an evaluation", flip(evals + 2), 20],
      ["the last word dropped", (b) => b.subarray(0, b.length - 32), 1],
      ["a trailing word", (b) => Buffer.concat([b, Buffer.alloc(32)]), 14],
    ];
    for (const [what, change, code] of cases) {
      const t = change(Buffer.from(proof));
      expect(await all(x, y, t), what).to.deep.equal(refused);
      expect(lastCode, what).to.equal(code);
    }
  });
});
