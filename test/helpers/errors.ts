/**
 * What several tests share about failures and damaged files: the ZkmlError a call throws, and where a section of
 * an iden3 container (r1cs, zkey, ptau) sits, so a test can damage exactly one.
 */
import { expect } from "chai";
import { isZkmlError, ZkmlError } from "../../src/core/errors";

/** The ZkmlError `fn` throws synchronously; fails the test when it throws something else or nothing. */
export function thrown(fn: () => unknown): ZkmlError {
  try {
    fn();
  } catch (e) {
    expect(isZkmlError(e), String(e)).to.equal(true);
    return e as ZkmlError;
  }
  throw new Error("expected a ZkmlError, nothing was thrown");
}

/** The ZkmlError a promise rejects with; fails the test when it rejects with something else or resolves. */
export async function rejected(p: Promise<unknown>): Promise<ZkmlError> {
  try {
    await p;
  } catch (e) {
    expect(isZkmlError(e), String(e)).to.equal(true);
    return e as ZkmlError;
  }
  throw new Error("expected a ZkmlError, the promise resolved");
}

/** The byte range of section `type` in an iden3 container (magic, version, count; then type u32, size u64, data). */
export function section(buf: Buffer, type: number): { start: number; size: number } {
  let p = 12;
  for (let i = 0; i < buf.readUInt32LE(8); i++) {
    const t = buf.readUInt32LE(p);
    const size = Number(buf.readBigUInt64LE(p + 4));
    if (t === type) return { start: p + 12, size };
    p += 12 + size;
  }
  throw new Error(`no section ${type}`);
}
