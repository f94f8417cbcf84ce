/**
 * Groth16's phase 2, natively: the proving key `snarkjs zkey new` and one `snarkjs zkey contribute` would write,
 * which `snarkjs zkey verify` accepts: the same points, the same circuit hash, and a contribution record whose
 * proof of knowledge of delta is made exactly as snarkjs makes one (phase2contribute). Two routes
 * (native/src/setup.rs):
 *   - a development powers of tau whose secrets this machine kept (the ptau stage keeps them beside the file,
 *     src/setup/ptau.ts): every point by fixed-base multiplication of a scalar computed in the field;
 *   - any other ptau (a ceremony's): each wire's points combined from the ptau's Lagrange points, then C and H
 *     divided by delta, as snarkjs does, on every core.
 *
 * Two parts are done here with snarkjs's own code rather than re-derived: the H points' part of the circuit hash
 * (newZKey's hashHPoints reads differences of the ptau's tau powers straight from the file, one chunk past the
 * end of their section when the circuit needs the whole ptau, so only the same reads and the same WebAssembly
 * give the same bytes), and hashToG2 (ChaCha seeded by the transcript, then G2.fromRng).
 *
 * Trust: delta is drawn from the system's randomness and forgotten, as snarkjs's contribute does. The development
 * route is as trustworthy as the development ptau: whoever holds its secrets file can forge proofs, which is why
 * it is labelled development wherever the setup is reported.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { ZkmlError } from "../core/errors";
import { BN254_R } from "../core/field";
import { produceAtomic } from "../core/files";
import { loadNative, loadProver, nativeError, scalarBytes } from "../core/native";
import { readR1cs } from "../core/r1cs";
import { withSections } from "../core/container";
import { bn254, g1Of, G2_SIZE, hashToG2, randomScalar } from "./transcript";
import { groth16Power, PTAU_ERRORS, PtauSecrets } from "./ptau";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What newZKey's hashHPoints feeds the circuit hash, byte for byte (its chunking, reads and WebAssembly). */
export async function hPointsHashInput(ptau: string, domain: number): Promise<Buffer> {
  const tauG1 = withSections(ptau, "ptau", PTAU_ERRORS, (sections) => sections.get(2)?.offset);
  if (tauG1 === undefined) throw new ZkmlError("PTAU_INVALID", "no tauG1 section", { file: ptau });
  const curve = await bn254();
  const CHUNK = 1 << 14;
  const out: Buffer[] = [];
  const fd = fs.openSync(ptau, "r");
  try {
    const read = (points: number, at: number) => {
      const b = Buffer.alloc(points * 64);
      fs.readSync(fd, b, 0, b.length, tauG1 + at * 64);
      return b;
    };
    for (let i = 0; i < domain - 1; i += CHUNK) {
      const n = Math.min(domain - 1, CHUNK); // as snarkjs 0.7.6: every chunk this long, the last one too
      const task: any[] = [
        { cmd: "ALLOCSET", var: 0, buff: read(n, i + domain) },
        { cmd: "ALLOCSET", var: 1, buff: read(n, i) },
        { cmd: "ALLOC", var: 2, len: n * 96 },
      ];
      for (let k = 0; k < n; k++) task.push({ cmd: "CALL", fnName: "g1m_subAffine", params: [{ var: 0, offset: k * 64 }, { var: 1, offset: k * 64 }, { var: 2, offset: k * 96 }] });
      task.push({ cmd: "CALL", fnName: "g1m_batchToAffine", params: [{ var: 2 }, { val: n }, { var: 2 }] });
      task.push({ cmd: "CALL", fnName: "g1m_batchLEMtoU", params: [{ var: 2 }, { val: n }, { var: 2 }] });
      task.push({ cmd: "GET", out: 0, var: 2, len: n * 64 });
      const res = await curve.tm.queueAction(task);
      out.push(Buffer.from(res[0]));
    }
  } finally {
    fs.closeSync(fd);
  }
  return Buffer.concat(out);
}

/** Section 10 with one contribution of secret `delta`: its proof of knowledge made as phase2contribute makes it. */
async function contributionRecord(csHash: Uint8Array, delta: bigint, name: string): Promise<Buffer> {
  const nat = loadNative();
  const curve = await bn254();
  const k = randomScalar();
  const [g1s, g1sx, deltaAfter] = [g1Of([k]), g1Of([(k * delta) % BN254_R]), g1Of([delta])];
  const h = crypto.createHash("blake2b512");
  h.update(csHash);
  h.update(nat.encodePoints(g1s, false, false));
  h.update(nat.encodePoints(g1sx, false, false));
  const transcript = h.digest();
  const g2sp = await hashToG2(transcript);
  const g2spx = new Uint8Array(G2_SIZE);
  curve.G2.toRprLEM(g2spx, 0, curve.G2.toAffine(curve.G2.timesScalar(g2sp, delta)));
  const nameBytes = Buffer.from(name.slice(0, 64), "utf8");
  const params = Buffer.concat([Buffer.from([1, nameBytes.length]), nameBytes]);
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
  };
  const body = Buffer.concat([Buffer.from(csHash), u32(1), deltaAfter, g1s, g1sx, g2spx, transcript, u32(0), u32(params.length), params]);
  const head = Buffer.alloc(12);
  head.writeUInt32LE(10, 0);
  head.writeBigUInt64LE(BigInt(body.length), 4);
  return Buffer.concat([head, body]);
}

/**
 * Write `zkey` for `r1cs` and `ptau` with one contribution named `name`: from the ptau's kept `secrets` when given
 * (a development ptau), else from its points.
 */
export async function nativeZkey(args: { r1cs: string; ptau: string; zkey: string; secrets?: PtauSecrets; name: string }): Promise<void> {
  const r = readR1cs(args.r1cs);
  const domain = 2 ** groth16Power(r.nConstraints, r.nPubOut + r.nPubIn);
  const hU = await hPointsHashInput(args.ptau, domain);
  const delta = randomScalar();
  const prover = loadProver();
  await produceAtomic(args.zkey, async (tmp) => {
    const s = args.secrets;
    const d = Buffer.from(scalarBytes([delta]));
    const made = s ? prover.devZkey(args.r1cs, tmp, Buffer.from(scalarBytes([s.tau, s.alpha, s.beta])), d, hU) : prover.ceremonyZkey(args.r1cs, args.ptau, tmp, d, hU);
    const csHash: Buffer = await made.catch((e: unknown) => {
      throw nativeError(e, {}, args.zkey);
    });
    fs.appendFileSync(tmp, await contributionRecord(csHash, delta, args.name));
  });
}
