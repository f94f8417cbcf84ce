/**
 * The KZG opening (issue 28: Gemini's folds, Shplonk's batch, one pairing check) checked by the TypeScript verifier
 * (src/systems/sumcheck/verifier/gemini.ts) on the Rust prover's known-answer opening
 * (test/fixtures/gemini-known-answer.json, written by native/src/sumcheck/gemini.rs `write_gemini_known_answer`,
 * whose bytes' keccak256 the Rust test pins): accepted; the claimed value and the point are the vector's MLE at the
 * point (field.ts, an independent evaluation); every 32-byte word of the opening changed in turn, a wrong value,
 * another point, another commitment, truncation and a trailing word: refused (a Reject, or PROOF_INVALID where the
 * bytes no longer decode). And the KZG key (native/src/sumcheck/kzg.rs, through the addon's kzgKeyInfo) read from a
 * development ptau this project writes, its points equal to ffjavascript's multiples of the known tau.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isZkmlError, type ZkmlError } from "../src/core/errors";
import { loadSumcheck } from "../src/core/native";
import { writeDevPtau } from "../src/setup/ptau";
import { mleEval } from "../src/systems/sumcheck/verifier/field";
import { decodeGemini, verifyGemini, type G2Point } from "../src/systems/sumcheck/verifier/gemini";
import type { Affine } from "../src/systems/sumcheck/verifier/g1";
import { Reject } from "../src/systems/sumcheck/verifier/reject";
import { Transcript } from "../src/systems/sumcheck/verifier/transcript";

interface KnownAnswer {
  tauG2: [[string, string], [string, string]];
  commitment: [string, string];
  point: string[];
  value: string;
  vector: string[];
  proof: string;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "gemini-known-answer.json"), "utf8")) as KnownAnswer;
const big = (xs: string[]) => xs.map((x) => BigInt(x));
const tauG2: G2Point = [big(fixture.tauG2[0]) as [bigint, bigint], big(fixture.tauG2[1]) as [bigint, bigint]];
const commitment: Affine = { x: BigInt(fixture.commitment[0]), y: BigInt(fixture.commitment[1]) };
const point = big(fixture.point);
const value = BigInt(fixture.value);
const bytes = Buffer.from(fixture.proof, "hex");

/** The Rust test's transcript: its tag, the commitment, the value. */
function transcript(c: Affine, v: bigint): Transcript {
  const t = new Transcript("gemini test");
  t.absorbPoints("commitment", [c]);
  t.absorbFr("value", v);
  return t;
}

/** "valid", "refused: <reason>" or "PROOF_INVALID". */
async function says(b: Uint8Array, s = point, v = value, c = commitment): Promise<string> {
  try {
    await verifyGemini(tauG2, c, s, v, decodeGemini(b, s.length), transcript(c, v));
    return "valid";
  } catch (e) {
    if (e instanceof Reject) return `refused: ${e.message}`;
    if (isZkmlError(e)) return e.code;
    throw e;
  }
}

describe("the KZG opening (Gemini + Shplonk) in the TypeScript verifier, on the Rust prover's known answer", function () {
  this.timeout(120_000);

  it("accepts the honest opening; its value is the vector's MLE at the point", async () => {
    expect(mleEval(big(fixture.vector), point)).to.equal(value);
    expect(await says(bytes)).to.equal("valid");
  });

  it("refuses every 32-byte word changed in turn, a wrong value, another point, another commitment, truncation and a trailing word", async () => {
    for (let word = 0; word < bytes.length / 32; word++) {
      const b = Buffer.from(bytes);
      b[32 * word + 31] ^= 1;
      expect(await says(b), `word ${word}`).to.not.equal("valid");
    }
    expect(await says(bytes, point, value + 1n)).to.match(/^refused: gemini: the KZG check/);
    expect(await says(bytes, [point[0] + 1n, ...point.slice(1)])).to.match(/^refused: gemini: the KZG check/);
    // the generator is a valid point, but not the commitment the transcript and the check were made with
    expect(await says(bytes, point, value, { x: 1n, y: 2n })).to.match(/^refused: gemini: the KZG check/);
    expect(await says(bytes.subarray(0, bytes.length - 32))).to.equal("PROOF_INVALID");
    expect(await says(Buffer.concat([bytes, Buffer.alloc(32)]))).to.equal("PROOF_INVALID");
    expect(await says(bytes, point.slice(0, 3))).to.equal("PROOF_INVALID");
  });
});

describe("the KZG key read from a development ptau made by this project (issue 28, K1)", function () {
  this.timeout(120_000);

  it("reads tau G1 and [tau]_2 equal to the secret tau's; a file too small is refused with the power it needs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kzg-key-"));
    try {
      const file = path.join(dir, "pot6.ptau");
      const tau = 424242n;
      await writeDevPtau(file, 6, { secrets: { tau, alpha: 5n, beta: 7n } });
      const info = loadSumcheck().kzgKeyInfo(file, 127);
      expect(info.power).to.equal(6);
      // the same points from ffjavascript's own multiplication by tau
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const c = await require("ffjavascript").buildBn128(true);
      const le = (x: bigint) => {
        const b = new Uint8Array(32);
        c.Fr.toRprLE(b, 0, c.Fr.e(x));
        return b;
      };
      const g1 = c.G1.toObject(c.G1.toAffine(c.G1.timesScalar(c.G1.g, le(tau)))).slice(0, 2).map(String);
      const g2 = c.G2.toObject(c.G2.toAffine(c.G2.timesScalar(c.G2.g, le(tau)))).slice(0, 2).flat().map(String);
      expect(info.tauG1).to.deep.equal(g1);
      expect(info.tauG2).to.deep.equal(g2);
      // 2^7 - 1 = 127 G1 powers in a power-6 file: 128 need power 7
      const e = (() => {
        try {
          loadSumcheck().kzgKeyInfo(file, 128);
        } catch (x) {
          return x as ZkmlError;
        }
        throw new Error("expected a refusal");
      })();
      expect(e.code).to.equal("PTAU_INVALID");
      expect(e.message).to.contain(file);
      expect(e.message).to.contain("holds 127 G1 powers; 128 are needed: use a ptau of power 7 or more");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
