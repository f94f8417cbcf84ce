/**
 * The development powers of tau is what snarkjs would have computed: roots of unity, Lagrange sections equal to
 * ffjavascript's group FFTs, and clear errors for files that are not usable.
 */
import { expect } from "chai";
import * as crypto from "crypto";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { readPtauHeader, rootOfUnity, writeDevPtau } from "../src/setup/ptau";
import { BN254_Q } from "../src/core/field";
import { isZkmlError, ZkmlError } from "../src/core/errors";
import { loadNative } from "../src/core/native";
import { PartialHasher } from "../src/setup/transcript";
import { tmpDir } from "./helpers/circuit";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const { buildBn128 } = require("ffjavascript");

function sections(buf: Buffer): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  let p = 12;
  for (let i = 0; i < buf.readUInt32LE(8); i++) {
    const type = buf.readUInt32LE(p), size = Number(buf.readBigUInt64LE(p + 4));
    m.set(type, [p + 12, size]);
    p += 12 + size;
  }
  return m;
}

describe("development powers of tau", function () {
  this.timeout(120_000);
  let curve: any;
  let dir: string;
  const power = 4;
  let file: string;
  before(async () => {
    curve = await buildBn128(true);
    dir = tmpDir("ptau");
    file = path.join(dir, "p4.ptau");
    await writeDevPtau(file, power, { secrets: { tau: 0x1234567n, alpha: 77n, beta: 91n } });
  });
  after(async () => {
    await curve.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("uses ffjavascript's roots of unity", () => {
    for (const p of [1, 5, 12, 28]) expect(rootOfUnity(p)).to.equal(curve.Fr.toObject(curve.Fr.w[p]));
  });

  it("tauG1[i] = tau^i G1 and tauG2[i] = tau^i G2", () => {
    const buf = fs.readFileSync(file);
    const s = sections(buf);
    for (const [sec, G, size] of [[2, curve.G1, 64], [3, curve.G2, 128]] as const) {
      const [off] = s.get(sec)!;
      for (const i of [0, 1, 7]) {
        const exp = G.toAffine(G.timesScalar(G.g, 0x1234567n ** BigInt(i)));
        const b = new Uint8Array(size);
        G.toRprLEM(b, 0, exp);
        expect(Buffer.from(buf.subarray(off + i * size, off + (i + 1) * size)).equals(Buffer.from(b)), `section ${sec} point ${i}`).to.equal(true);
      }
    }
  });

  it("Lagrange sections 12-15 equal ffjavascript's lagrangeEvaluations (snarkjs prepare phase2), every level", async () => {
    const buf = fs.readFileSync(file);
    const s = sections(buf);
    for (const [src, dst, G, size] of [[2, 12, curve.G1, 64], [3, 13, curve.G2, 128], [4, 14, curve.G1, 64], [5, 15, curve.G1, 64]] as const) {
      const [so] = s.get(src)!;
      let off = s.get(dst)![0];
      for (let lv = 0; lv <= (src === 2 ? power + 1 : power); lv++) {
        const n = 2 ** lv;
        const input = new Uint8Array(n * size); // snarkjs pads the top level of tauG1 with one zero point
        input.set(buf.subarray(so, so + (src === 2 && lv === power + 1 ? n - 1 : n) * size));
        const expected = Buffer.from(await G.lagrangeEvaluations(input, "affine", "affine"));
        expect(Buffer.from(buf.subarray(off, off + n * size)).equals(expected), `section ${dst} level ${lv}`).to.equal(true);
        off += n * size;
      }
    }
  });

  it("snarkjs powersoftau verify accepts it, and a snarkjs contribution and beacon on top of it", () => {
    const cli = path.join(__dirname, "..", "node_modules", "snarkjs", "build", "cli.cjs");
    const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    // snarkjs exits non-zero when verification fails
    expect(run("powersoftau", "verify", file)).to.match(/Powers of Tau Ok!/).and.to.match(/secret existed on this machine/);
    const b = path.join(dir, "b.ptau"), c = path.join(dir, "c.ptau"), d = path.join(dir, "d.ptau");
    run("powersoftau", "contribute", file, b, "--name=second", "-e=some entropy");
    run("powersoftau", "beacon", b, c, "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "10"); // snarkjs: 10..63
    run("powersoftau", "prepare", "phase2", c, d);
    expect(run("powersoftau", "verify", d)).to.match(/Powers of Tau Ok!/);
    // a changed point in the contribution record is caught
    const bad = path.join(dir, "bad.ptau");
    const buf = Buffer.from(fs.readFileSync(file));
    const [off] = sections(buf).get(7)!;
    buf[off + 4 + 64 + 128 + 10] ^= 1; // inside alphaG1 of the record
    fs.writeFileSync(bad, buf);
    expect(() => run("powersoftau", "verify", bad)).to.throw();
  });

  it("native point encodings equal ffjavascript's, and its BLAKE2b equals node's", async () => {
    const nat = loadNative();
    for (const [G, g2] of [[curve.G1, false], [curve.G2, true]] as const) {
      const size = g2 ? 128 : 64;
      const lem = new Uint8Array(20 * size);
      for (let i = 0; i < 20; i++) G.toRprLEM(lem, i * size, G.toAffine(G.timesScalar(G.g, BigInt(i + 1) * 0x9e3779b97f4a7c15n)));
      expect(Buffer.from(nat.encodePoints(lem, g2, false)).equals(Buffer.from(await G.batchLEMtoU(lem)))).to.equal(true);
      expect(Buffer.from(nat.encodePoints(lem, g2, true)).equals(Buffer.from(await G.batchLEMtoC(lem)))).to.equal(true);
    }
    for (const n of [0, 1, 127, 128, 129, 256, 5000]) {
      const data = crypto.randomBytes(n);
      const h = new PartialHasher().update(data.subarray(0, n >> 1)).update(data.subarray(n >> 1));
      expect(h.digest().toString("hex")).to.equal(crypto.createHash("blake2b512").update(data).digest("hex"));
    }
  });

  it("reads its header back", () => {
    expect(readPtauHeader(file)).to.include({ power, prepared: true, contributions: 1 });
  });

  const expectPtauError = (f: string, re: RegExp) => {
    try {
      readPtauHeader(f);
      expect.fail("expected an error");
    } catch (e) {
      expect(isZkmlError(e), String(e)).to.equal(true);
      expect((e as ZkmlError).code).to.equal("PTAU_INVALID");
      expect((e as ZkmlError).message).to.match(re);
      expect((e as ZkmlError).hint).to.be.a("string");
    }
  };

  it("clear errors: missing, not a ptau, truncated, another curve", () => {
    expectPtauError(path.join(dir, "nope.ptau"), /ptau file not found/);
    const junk = path.join(dir, "junk.ptau");
    fs.writeFileSync(junk, "hello world, not a ptau");
    expectPtauError(junk, /not a powers-of-tau file/);
    const cut = path.join(dir, "cut.ptau");
    fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, 3000));
    expectPtauError(cut, /truncated/);
    const other = path.join(dir, "other.ptau");
    const b = Buffer.from(fs.readFileSync(file));
    const [h] = sections(b).get(1)!;
    b[h + 4] ^= 0xff; // change the base field prime in the header
    fs.writeFileSync(other, b);
    expectPtauError(other, /another curve/);
    expect(BN254_Q % 2n).to.equal(1n);
  });
});
