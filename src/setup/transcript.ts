/**
 * The contribution record of a powers-of-tau file: what lets `snarkjs powersoftau verify` check that the points
 * in a file came from contributions, each proving knowledge of its secret.
 *
 * Why this exists: a development ptau (src/setup/ptau.ts) is one contribution made in one go from secrets (tau, alpha,
 * beta) on top of the ceremony's starting point (every section the generator). Recording it the way a ceremony
 * records a contribution makes the file a normal, checkable ptau: snarkjs verifies it, and a user can add their
 * own contributions and a beacon on top with the snarkjs command line.
 *
 * Record (section 7 of the iden3 "ptau" container), per contribution, points affine little-endian Montgomery:
 *   tauG1, tauG2, alphaG1, betaG1, betaG2          the second tau power and the first alpha/beta terms after it
 *   public key: for x in (tau, alpha, beta): g1_s, g1_sx = x g1_s   (G1), then g2_spx = x g2_sp for each (G2),
 *      where g1_s is a random point and g2_sp is derived from BLAKE2b(persona x, challenge, g1_s, g1_sx)
 *   partial hash (216 bytes): the BLAKE2b state after challenge || compressed sections 2..6, before the key
 *   next challenge (64 bytes): BLAKE2b(response hash || uncompressed sections 2..6)
 *   type (u32: 0 contribution, 1 beacon), parameters (u32 length, then id-length-bytes entries; 1 = name)
 * Hash encodings (native/src/encoding.rs, encodePoints) are normal-form big-endian, Fq2 as c1 then c0.
 */
import * as crypto from "crypto";
import { loadNative, scalarBytes } from "../core/native";
import { BN254_R } from "../core/field";

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */

export const G1_SIZE = 64;
export const G2_SIZE = 128;

export function g1Of(scalars: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(scalars.length * G1_SIZE);
  loadNative().g1Mul(scalarBytes(scalars), out, 1);
  return out;
}

export function g2Of(scalars: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(scalars.length * G2_SIZE);
  loadNative().g2Mul(scalarBytes(scalars), out, 1);
  return out;
}

/** The challenge a ceremony of `power` starts from: the hash of every section holding the generator. */
export function firstChallengeHash(power: number): Buffer {
  const nat = loadNative();
  const g1 = Buffer.from(nat.encodePoints(g1Of([1n]), false, false));
  const g2 = Buffer.from(nat.encodePoints(g2Of([1n]), true, false));
  const h = crypto.createHash("blake2b512");
  h.update(crypto.createHash("blake2b512").digest());
  const block = (p: Buffer, n: number) => {
    const chunk = Buffer.concat(new Array(Math.min(n, 1 << 14)).fill(p));
    for (let left = n; left > 0; left -= 1 << 14) h.update(left >= 1 << 14 ? chunk : chunk.subarray(0, left * p.length));
  };
  const N = 2 ** power;
  block(g1, 2 * N - 1);
  block(g2, N);
  block(g1, N);
  block(g1, N);
  h.update(g2);
  return h.digest();
}

export interface KeyPart {
  g1s: Uint8Array; // LEM
  g1sx: Uint8Array;
  g2spx: Uint8Array;
}
export interface ContributionKey {
  tau: KeyPart;
  alpha: KeyPart;
  beta: KeyPart;
}

let curvePromise: Promise<any> | undefined;
/** ffjavascript's BN254, single-threaded (a handful of operations; no worker threads to stop). */
export function bn254(): Promise<any> {
  curvePromise ??= require("ffjavascript").buildBn128(true);
  return curvePromise!;
}

/** A uniformly random scalar in [2, r): a secret of a contribution. */
export function randomScalar(): bigint {
  for (;;) {
    const v = BigInt("0x" + crypto.randomBytes(32).toString("hex")) & ((1n << 254n) - 1n);
    if (v > 1n && v < BN254_R) return v;
  }
}

/** The point snarkjs derives from a hash (ChaCha seeded by its first 8 big-endian words, then G2.fromRng). */
export async function hashToG2(hash: Uint8Array): Promise<any> {
  const curve = await bn254();
  const { ChaCha } = require("ffjavascript");
  const dv = new DataView(hash.buffer, hash.byteOffset, hash.byteLength);
  const seed: number[] = [];
  for (let i = 0; i < 8; i++) seed.push(dv.getUint32(i * 4));
  return curve.G2.fromRng(new ChaCha(seed));
}

/** The public key proving knowledge of each secret, bound to the challenge it answers. */
export async function contributionKey(challenge: Uint8Array, secrets: { tau: bigint; alpha: bigint; beta: bigint }): Promise<ContributionKey> {
  const curve = await bn254();
  const nat = loadNative();
  const part = async (persona: number, x: bigint): Promise<KeyPart> => {
    const s = randomScalar();
    const [g1s, g1sx] = [g1Of([s]), g1Of([(s * x) % BN254_R])];
    const h = crypto.createHash("blake2b512");
    h.update(Uint8Array.of(persona));
    h.update(challenge);
    h.update(nat.encodePoints(g1s, false, false));
    h.update(nat.encodePoints(g1sx, false, false));
    const g2sp = await hashToG2(h.digest());
    const g2spx = new Uint8Array(G2_SIZE);
    curve.G2.toRprLEM(g2spx, 0, curve.G2.toAffine(curve.G2.timesScalar(g2sp, x)));
    return { g1s, g1sx, g2spx };
  };
  return { tau: await part(0, secrets.tau), alpha: await part(1, secrets.alpha), beta: await part(2, secrets.beta) };
}

/** The key as 6 G1 then 3 G2 points, in the file's layout (LEM) or the hash's (uncompressed). */
export function keyBytes(key: ContributionKey, encoding: "LEM" | "U"): Buffer {
  const nat = loadNative();
  const g1 = (p: Uint8Array) => (encoding === "LEM" ? p : nat.encodePoints(p, false, false));
  const g2 = (p: Uint8Array) => (encoding === "LEM" ? p : nat.encodePoints(p, true, false));
  const parts = [key.tau, key.alpha, key.beta];
  return Buffer.concat([...parts.flatMap((k) => [g1(k.g1s), g1(k.g1sx)]), ...parts.map((k) => g2(k.g2spx))]);
}

/** A streaming BLAKE2b-512 whose state can be saved before the end (the native one in native/src/blake2b.rs). */
export class PartialHasher {
  private readonly state: Uint8Array = loadNative().blake2bInit();
  update(data: Uint8Array): this {
    loadNative().blake2bUpdate(this.state, data);
    return this;
  }
  partial(): Buffer {
    return Buffer.from(this.state);
  }
  digest(): Buffer {
    return Buffer.from(loadNative().blake2bDigest(this.state));
  }
}

export interface Contribution {
  tauG1: Uint8Array;
  tauG2: Uint8Array;
  alphaG1: Uint8Array;
  betaG1: Uint8Array;
  betaG2: Uint8Array;
  key: ContributionKey;
  partialHash: Uint8Array;
  nextChallenge: Uint8Array;
  name?: string;
}

/** Section 7's body for these contributions (oldest first). */
export function contributionsSection(list: readonly Contribution[]): Buffer {
  const parts: Buffer[] = [u32(list.length)];
  for (const c of list) {
    parts.push(Buffer.from(c.tauG1), Buffer.from(c.tauG2), Buffer.from(c.alphaG1), Buffer.from(c.betaG1), Buffer.from(c.betaG2));
    parts.push(keyBytes(c.key, "LEM"), Buffer.from(c.partialHash), Buffer.from(c.nextChallenge), u32(0));
    if (c.name) {
      const name = Buffer.from(c.name, "utf8").subarray(0, 64);
      parts.push(u32(2 + name.length), Buffer.from([1, name.length]), name);
    } else parts.push(u32(0));
  }
  return Buffer.concat(parts);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v, 0);
  return b;
}
