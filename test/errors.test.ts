/**
 * The native addon's errors are ZkmlErrors from the one list: every code it can raise (native/src/error.rs, listed
 * by `errorCodes()`) is one of ERROR_CODES, and its rejections, asynchronous (the prover given a truncated key or
 * witness) and synchronous (the fixed-base multiplier, the encodings and BLAKE2b given arguments they do not
 * take), come back as ZkmlErrors carrying their code and, when a file is at fault, the file.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ERROR_CODES, isZkmlError, ZkmlError } from "../src/core/errors";
import { loadNative, loadProver, nativeError } from "../src/core/native";
import { thrown } from "./helpers/errors";

/** An iden3 container: magic, version 1, then the sections. */
function container(magic: string, sections: [number, Buffer][]): Buffer {
  const head = Buffer.alloc(12);
  head.write(magic, 0, "latin1");
  head.writeUInt32LE(1, 4);
  head.writeUInt32LE(sections.length, 8);
  return Buffer.concat([head, ...sections.flatMap(([t, b]) => {
    const sh = Buffer.alloc(12);
    sh.writeUInt32LE(t, 0);
    sh.writeBigUInt64LE(BigInt(b.length), 4);
    return [sh, b];
  })]);
}

async function rejection(p: Promise<unknown>): Promise<ZkmlError> {
  try {
    await p;
  } catch (e) {
    const z = nativeError(e);
    expect(isZkmlError(z), String(z)).to.equal(true);
    return z as ZkmlError;
  }
  throw new Error("expected a rejection");
}

describe("native errors", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-errors-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("every code the addon raises is one of ERROR_CODES, and it raises them all distinct", () => {
    const codes = loadNative().errorCodes();
    expect(codes.length).to.be.greaterThan(0);
    expect(new Set(codes).size).to.equal(codes.length);
    for (const c of codes) expect(ERROR_CODES as readonly string[], c).to.include(c);
  });

  it("a truncated zkey given to the prover is ZKEY_INVALID, naming the file", async () => {
    const zkey = path.join(dir, "cut.zkey");
    // a section that claims more bytes than the file holds
    fs.writeFileSync(zkey, container("zkey", [[1, Buffer.from([1, 0, 0, 0])], [2, Buffer.alloc(64)]]).subarray(0, 40));
    const e = await rejection(loadProver().prove(zkey, path.join(dir, "none.wtns"), path.join(dir, "none.r1cs")));
    expect(e.code).to.equal("ZKEY_INVALID");
    expect(e.file).to.equal(zkey);
    expect(e.message).to.match(/truncated/);
  });

  it("a zkey that is not one is ZKEY_INVALID; a missing one too, with the reason", async () => {
    const bad = path.join(dir, "bad.zkey");
    fs.writeFileSync(bad, container("wtns", []));
    const e = await rejection(loadProver().prove(bad, "x", "y"));
    expect([e.code, e.file]).to.deep.equal(["ZKEY_INVALID", bad]);
    const missing = path.join(dir, "missing.zkey");
    const m = await rejection(loadProver().prove(missing, "x", "y"));
    expect([m.code, m.file]).to.deep.equal(["ZKEY_INVALID", missing]);
    expect(m.message).to.match(/cannot open/);
  });

  it("a setup given a truncated r1cs is R1CS_INVALID, naming the file", async () => {
    const r1cs = path.join(dir, "cut.r1cs");
    fs.writeFileSync(r1cs, container("r1cs", [[1, Buffer.alloc(8)]]).subarray(0, 20));
    const secrets = Buffer.alloc(96, 0);
    secrets[0] = secrets[32] = secrets[64] = 2;
    const e = await rejection(loadProver().devZkey(r1cs, path.join(dir, "out.zkey"), secrets, Buffer.from([3, ...Buffer.alloc(31)]), Buffer.alloc(0)));
    expect([e.code, e.file]).to.deep.equal(["R1CS_INVALID", r1cs]);
    expect(fs.existsSync(path.join(dir, "out.zkey"))).to.equal(false);
  });

  it("the synchronous functions throw NATIVE_CALL_INVALID for arguments they do not take", () => {
    const nat = loadNative();
    expect(thrown(() => nat.g1Mul(new Uint8Array(33), new Uint8Array(64))).code).to.equal("NATIVE_CALL_INVALID");
    expect(thrown(() => nat.g2Mul(new Uint8Array(32), new Uint8Array(64))).message).to.match(/g2Mul: out holds 64 bytes/);
    expect(thrown(() => nat.encodePoints(new Uint8Array(65), false, true)).code).to.equal("NATIVE_CALL_INVALID");
    expect(thrown(() => nat.blake2bUpdate(new Uint8Array(10), new Uint8Array(1))).code).to.equal("NATIVE_CALL_INVALID");
    // N-API's own conversion error (a string where bytes are expected) is one too
    expect(thrown(() => nat.blake2bDigest("state" as unknown as Uint8Array)).code).to.equal("NATIVE_CALL_INVALID");
  });
});
