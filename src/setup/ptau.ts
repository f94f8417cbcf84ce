/**
 * A development powers of tau, computed from a secret known to this machine, in seconds rather than hours.
 *
 * A phase-2-ready ptau file (iden3 container "ptau", version 1) holds, for secrets tau, alpha, beta:
 *   1 header: u32 n8, q (BN254 base field prime, n8 bytes LE), u32 power, u32 ceremonyPower
 *   2 tauG1      tau^i G1,          i < 2^(power+1) - 1
 *   3 tauG2      tau^i G2,          i < 2^power
 *   4 alphaTauG1 alpha tau^i G1,    i < 2^power
 *   5 betaTauG1  beta tau^i G1,     i < 2^power
 *   6 betaG2     beta G2
 *   7 contributions: one, recorded as a ceremony records one (src/setup/transcript.ts), so `snarkjs powersoftau
 *      verify` accepts the file and a user can contribute on top of it
 *   12..15 the same four series in Lagrange form, for every domain size 2^p, p = 0..power (12 also p =
 *      power+1, from the 2^(power+1) - 1 powers padded with one zero point, exactly as snarkjs pads it).
 * snarkjs gets sections 12..15 by inverse FFTs over group elements; knowing tau we compute each scalar in the
 * field instead (L_j(tau) = (tau^n - 1)/n * w^j / (tau - w^j)) and multiply the fixed generators by them with
 * the native comb multiplier (native/src/fixed_base.rs). Points are affine, coordinates LE Montgomery ("LEM").
 *
 * Trust: whoever knows tau can forge proofs for every circuit set up from this file. The secret lives only in
 * this process's memory and is dropped, but it did exist on this machine: such a file is for development and
 * tests only. Use a public ceremony file (--ptau) for anything real. The contribution's name says so, and
 * snarkjs prints it when it verifies the file.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { produceAtomic } from "../core/files";
import { containerHead, ContainerErrors, sectionHead, withSections } from "../core/container";
import { batchInverse, BN254_Q, BN254_R, fieldInverse, fieldOf, powMod } from "../core/field";
import { loadNative, scalarBytes } from "../core/native";
import { contributionKey, contributionsSection, firstChallengeHash, g1Of, g2Of, keyBytes, PartialHasher, randomScalar } from "./transcript";



const R = BN254_R;
const TWO_ADICITY = 28;
const mod = fieldOf;
const inv = fieldInverse;

/** The 2^p-th root of unity ffjavascript (and so snarkjs) uses: from the smallest non-residue, squared down. */
export function rootOfUnity(p: number): bigint {
  if (p > TWO_ADICITY) throw new ZkmlError("PTAU_TOO_SMALL", `BN254 has no 2^${p}-th root of unity (max 2^${TWO_ADICITY})`);
  let nqr = 2n;
  while (powMod(nqr, (R - 1n) / 2n) === 1n) nqr++;
  let w = powMod(nqr, (R - 1n) >> BigInt(TWO_ADICITY));
  for (let i = TWO_ADICITY; i > p; i--) w = (w * w) % R;
  return w;
}


/** L_j(tau) for the domain of size n = 2^p, j < n: the coefficients of snarkjs's Lagrange sections. */
export function lagrangeAt(tau: bigint, p: number): bigint[] {
  const n = 1 << p;
  const w = rootOfUnity(p);
  const wj = new Array<bigint>(n);
  wj[0] = 1n;
  for (let j = 1; j < n; j++) wj[j] = (wj[j - 1] * w) % R;
  const c = (mod(powMod(tau, BigInt(n)) - 1n) * inv(BigInt(n))) % R;
  const invs = batchInverse(wj.map((x) => mod(tau - x)));
  return wj.map((x, j) => (((c * x) % R) * invs[j]) % R);
}

function powersOf(tau: bigint, count: number, first = 1n): bigint[] {
  const out = new Array<bigint>(count);
  let x = mod(first);
  for (let i = 0; i < count; i++) {
    out[i] = x;
    x = (x * tau) % R;
  }
  return out;
}

export interface PtauSecrets {
  tau: bigint;
  alpha: bigint;
  beta: bigint;
}

export interface PtauProgress {
  (done: number, total: number, what: string): void;
}

const CHUNK = 1 << 16;

/** Points of every section (their count: the progress bar's total). */
function pointCount(power: number): number {
  const N = 1 << power;
  return 2 * N - 1 + 3 * N + 1 + lagrangeCount(power + 1) + 3 * lagrangeCount(power);
}

/** Scalars of a Lagrange section's levels 0..top, one level at a time. */
const lagrangeCount = (top: number) => (1 << (top + 1)) - 1;

/**
 * Level p of a Lagrange section: L_i(tau) over the 2^p-th roots of unity. At p = power + 1 snarkjs builds the
 * level from 2^(power+1) - 1 powers and one zero point, so the last term is dropped.
 */
function lagrangeLevel(tau: bigint, p: number, power: number): bigint[] {
  const l = lagrangeAt(tau, p);
  if (p !== power + 1) return l;
  const n = 1 << p;
  const last = (powMod(tau, BigInt(n - 1)) * inv(BigInt(n))) % R;
  const w = rootOfUnity(p);
  let wj = 1n;
  return l.map((v) => {
    const r = mod(v - last * wj);
    wj = (wj * w) % R;
    return r;
  });
}

/**
 * Writes a ptau's sections in order: points from scalars (k * G by the native fixed-base multiplier, in chunks so
 * memory stays bounded), sections 2..6 also hashed compressed into the contribution's response, and re-read
 * uncompressed for the next challenge.
 */
class PtauWriter {
  private pos = 0;
  private done = 0;
  private readonly hashed: { offset: number; count: number; g2: boolean }[] = [];
  readonly response: PartialHasher;

  constructor(
    private readonly fd: number,
    challenge: Buffer,
    private readonly opts: { progress?: PtauProgress; threads: number; total: number },
  ) {
    this.response = new PartialHasher().update(challenge);
  }

  raw(b: Uint8Array): void {
    fs.writeSync(this.fd, b, 0, b.length, this.pos);
    this.pos += b.length;
  }

  section(type: number, bytes: number, body?: Uint8Array): void {
    this.raw(sectionHead(type, bytes));
    if (body) this.raw(body);
  }

  /** One point per scalar, in G1 or G2; `hash`: part of the response (sections 2..6). */
  points(scalars: bigint[], g2: boolean, what: string, hash: boolean): void {
    const nat = loadNative();
    const size = g2 ? 128 : 64;
    if (hash) this.hashed.push({ offset: this.pos, count: scalars.length, g2 });
    for (let i = 0; i < scalars.length; i += CHUNK) {
      const part = scalars.slice(i, i + CHUNK);
      const out = new Uint8Array(part.length * size);
      (g2 ? nat.g2Mul : nat.g1Mul)(scalarBytes(part), out, this.opts.threads);
      this.raw(out);
      if (hash) this.response.update(nat.encodePoints(out, g2, true));
      this.done += part.length;
      this.opts.progress?.(this.done, this.opts.total, what);
    }
  }

  /** The next challenge: the response's digest, then every hashed point re-read and encoded uncompressed. */
  nextChallenge(responseDigest: Buffer): Buffer {
    const nat = loadNative();
    const next = crypto.createHash("blake2b512").update(responseDigest);
    for (const h of this.hashed) {
      const size = h.g2 ? 128 : 64;
      for (let i = 0; i < h.count; i += CHUNK) {
        const n = Math.min(CHUNK, h.count - i);
        const b = Buffer.alloc(n * size);
        fs.readSync(this.fd, b, 0, b.length, h.offset + i * size);
        next.update(nat.encodePoints(b, h.g2, false));
      }
    }
    return next.digest();
  }
}

/**
 * Write a phase-2-ready ptau of `power` to `file` (atomically). `secrets` is for tests; by default they are
 * random, and forgotten when this returns unless `keepSecrets` names a file to keep them in (the pipeline's
 * development ptau does: its Groth16 setups are then computed from them in seconds, src/setup/dev-zkey.ts).
 */
export async function writeDevPtau(
  file: string,
  power: number,
  opts: { secrets?: PtauSecrets; progress?: PtauProgress; threads?: number; name?: string; keepSecrets?: string } = {},
): Promise<{ points: number; seconds: number; nextChallenge: string }> {
  if (!Number.isInteger(power) || power < 1 || power > TWO_ADICITY - 1)
    throw new ZkmlError("OPTION_INVALID", `power: expected an integer in 1..${TWO_ADICITY - 1}, got ${power}`);
  loadNative(); // a missing addon fails here, before anything is written
  const t0 = Date.now();
  const s = opts.secrets ?? { tau: randomScalar(), alpha: randomScalar(), beta: randomScalar() };
  const N = 1 << power;
  const total = pointCount(power);
  // One contribution on top of the ceremony's start: its key answers the first challenge of this power.
  const challenge = firstChallengeHash(power);
  const key = await contributionKey(challenge, s);

  return produceAtomic(file, async (tmp) => {
    const fd = fs.openSync(tmp, "w+");
    try {
      const w = new PtauWriter(fd, challenge, { progress: opts.progress, threads: opts.threads ?? 2, total });
      w.raw(containerHead("ptau", 1, 11)); // sections 1..7 and 12..15
      const header = Buffer.alloc(4 + 32 + 8);
      header.writeUInt32LE(32, 0);
      Buffer.from(scalarBytes([BN254_Q])).copy(header, 4);
      header.writeUInt32LE(power, 36);
      header.writeUInt32LE(power, 40);
      w.section(1, header.length, header);
      // 2..6: the powers, hashed into the response
      for (const [type, scalars, g2, what] of [
        [2, powersOf(s.tau, 2 * N - 1), false, "tauG1"],
        [3, powersOf(s.tau, N), true, "tauG2"],
        [4, powersOf(s.tau, N, s.alpha), false, "alphaTauG1"],
        [5, powersOf(s.tau, N, s.beta), false, "betaTauG1"],
        [6, [s.beta], true, "betaG2"],
      ] as const) {
        w.section(type, scalars.length * (g2 ? 128 : 64));
        w.points([...scalars], g2, what, true);
      }
      // 7: the contribution record. The next challenge hashes the response and the points uncompressed.
      const partialHash = w.response.partial();
      w.response.update(keyBytes(key, "U"));
      const nextChallenge = w.nextChallenge(w.response.digest());
      const record = contributionsSection([
        { tauG1: g1Of([s.tau]), tauG2: g2Of([s.tau]), alphaG1: g1Of([s.alpha]), betaG1: g1Of([s.beta]), betaG2: g2Of([s.beta]), key, partialHash, nextChallenge, name: opts.name ?? DEV_CONTRIBUTION_NAME },
      ]);
      w.section(7, record.length, record);
      // 12..15: the same powers in the Lagrange basis, every level up to the top
      for (const [type, top, g2, factor, what] of [
        [12, power + 1, false, 1n, "tauG1 Lagrange"],
        [13, power, true, 1n, "tauG2 Lagrange"],
        [14, power, false, s.alpha, "alphaTauG1 Lagrange"],
        [15, power, false, s.beta, "betaTauG1 Lagrange"],
      ] as const) {
        w.section(type, lagrangeCount(top) * (g2 ? 128 : 64));
        for (let p = 0; p <= top; p++) {
          const l = lagrangeLevel(s.tau, p, power);
          w.points(factor === 1n ? l : l.map((v) => (v * factor) % R), g2, what, false);
        }
      }
      if (opts.keepSecrets) writeSecrets(opts.keepSecrets, s);
      return { points: total, seconds: (Date.now() - t0) / 1000, nextChallenge: nextChallenge.toString("hex") };
    } finally {
      fs.closeSync(fd);
    }
  });
}

const SECRETS_FORMAT = "zkml-dev-ptau-secrets/1";

/** The secrets of a development ptau, with tau G1 to tie them to their file. Readable by this user only. */
function writeSecrets(file: string, s: PtauSecrets): void {
  const hex = (v: bigint) => v.toString(16);
  const body = {
    format: SECRETS_FORMAT,
    warning: "The secrets of a development powers of tau: whoever reads this file can forge proofs for every circuit set up from it. Development only.",
    tau: hex(s.tau),
    alpha: hex(s.alpha),
    beta: hex(s.beta),
    tauG1: Buffer.from(g1Of([s.tau])).toString("hex"),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(body, null, 1), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * The secrets kept beside a development ptau, when they are there and belong to it (its second tauG1 point is
 * tau G1); otherwise undefined, and the setup goes the ceremony's way.
 */
export function readPtauSecrets(ptau: string, file: string): PtauSecrets | undefined {
  if (!fs.existsSync(file)) return undefined;
  let j: { format?: string; tau?: string; alpha?: string; beta?: string; tauG1?: string };
  try {
    j = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (j.format !== SECRETS_FORMAT || !j.tau || !j.alpha || !j.beta || !j.tauG1) return undefined;
  const tauG1 = withSections(ptau, "ptau", PTAU_ERRORS, (sections, read) => {
    const s2 = sections.get(2);
    return s2 && s2.size >= 128 ? Buffer.from(read(s2.offset + 64, 64)).toString("hex") : undefined;
  });
  const s = { tau: BigInt(`0x${j.tau}`), alpha: BigInt(`0x${j.alpha}`), beta: BigInt(`0x${j.beta}`) };
  return tauG1 === j.tauG1 && Buffer.from(g1Of([s.tau])).toString("hex") === j.tauG1 ? s : undefined;
}

/** The name the development contribution carries in the file (snarkjs prints it when verifying). */
export const DEV_CONTRIBUTION_NAME = "zkml-hardhat dev ptau: its secret existed on this machine";

export const PTAU_ERRORS: ContainerErrors = {
  code: "PTAU_INVALID",
  describe: "powers-of-tau file",
  hint: "pass a .ptau file from a ceremony, or omit --ptau to make a development one",
  truncatedHint: "the download or copy was cut short; fetch the file again",
};

/** Read a ptau file's header; clear errors for files that are not ptau, truncated, or for another curve. */
export function readPtauHeader(file: string): { power: number; ceremonyPower: number; prepared: boolean; contributions: number } {
  if (!fs.existsSync(file)) throw new ZkmlError("PTAU_INVALID", `ptau file not found: ${file}`, { hint: "check the path given to --ptau" });
  return withSections(file, "ptau", PTAU_ERRORS, (found, read) => {
    const h1 = found.get(1);
    if (!h1) throw new ZkmlError("PTAU_INVALID", "no header section", { file });
    const b = read(h1.offset, h1.size);
    const n8 = b.readUInt32LE(0);
    let q = 0n;
    for (let i = n8 - 1; i >= 0; i--) q = (q << 8n) | BigInt(b[4 + i]);
    if (q !== BN254_Q) throw new ZkmlError("PTAU_INVALID", `made for another curve (base field ${q.toString().slice(0, 12)}...), expected BN254`, { file, hint: "use a BN254 (bn128) powers-of-tau file" });
    const power = b.readUInt32LE(4 + n8);
    const expect: [number, number][] = [
      [2, (2 * 2 ** power - 1) * 64],
      [3, 2 ** power * 128],
      [4, 2 ** power * 64],
      [5, 2 ** power * 64],
    ];
    for (const [t, size] of expect)
      if (found.get(t)?.size !== size)
        throw new ZkmlError("PTAU_INVALID", `section ${t} holds ${found.get(t)?.size ?? 0} bytes, expected ${size} for power ${power}`, { file, hint: "the file is corrupted; fetch it again" });
    const contrib = found.get(7);
    const contributions = contrib && contrib.size >= 4 ? read(contrib.offset, 4).readUInt32LE(0) : 0;
    return { power, ceremonyPower: b.readUInt32LE(8 + n8), prepared: found.has(12) && found.has(13) && found.has(14) && found.has(15), contributions };
  });
}

/** The power of tau `snarkjs groth16 setup` needs for a circuit (its own formula). */
export function groth16Power(nConstraints: number, nPublic: number): number {
  const n = nConstraints + nPublic;
  return Math.floor(Math.log2(n)) + 1;
}
