/**
 * The native addons, both built by `npm ci` (scripts/build-native.js): native/*.cc through node-gyp, fixed-base
 * multiplication on BN254 (alt_bn128, circom's bn128), point encodings and a resumable BLAKE2b for transcript
 * hashes; native/prover (Rust) through cargo, the Groth16 prover.
 */
import * as path from "path";
import { ZkmlError } from "./errors";
import { PACKAGE_ROOT } from "./paths";

export interface Native {
  g1Mul(scalars: Uint8Array, out: Uint8Array, threads?: number): void;
  g2Mul(scalars: Uint8Array, out: Uint8Array, threads?: number): void;
  encodePoints(points: Uint8Array, g2: boolean, compressed: boolean): Uint8Array;
  blake2bInit(): Uint8Array;
  blake2bUpdate(state: Uint8Array, data: Uint8Array): void;
  blake2bDigest(state: Uint8Array): Uint8Array;
}

/** A proof in snarkjs's JSON shape, its public signals, and how long each phase took. */
export interface NativeProof {
  piA: string[];
  piB: string[][];
  piC: string[];
  publicSignals: string[];
  timings: { phase: string; ms: number }[];
}

export interface NativeProver {
  /** Rejects with "CODE\tfile\tmessage" (see native/prover/src/error.rs). */
  prove(zkey: string, wtns: string, r1cs: string): Promise<NativeProof>;
  /** A development zkey's sections 1..9 from the ptau's secrets tau, alpha, beta (3 x 32 bytes LE), this setup's
   * delta (32 bytes) and the H part of snarkjs's circuit hash; resolves to the circuit hash (src/setup/native-zkey.ts). */
  devZkey(r1cs: string, zkey: string, secrets: Uint8Array, delta: Uint8Array, hPointsU: Uint8Array): Promise<Buffer>;
  /** The same from a ceremony's ptau and the contribution's delta (32 bytes LE): snarkjs's phase 2, natively. */
  ceremonyZkey(r1cs: string, ptau: string, zkey: string, delta: Uint8Array, hPointsU: Uint8Array): Promise<Buffer>;
}

/**
 * The Rust addon's rejection ("CODE\tfile\tmessage", native/prover/src/error.rs) as a ZkmlError with `hints` by
 * code; anything else (a crash's message) as it came.
 */
export function nativeError(e: unknown, hints: Partial<Record<string, string>> = {}, fallbackFile?: string): Error {
  const [code, file, message] = String((e as Error)?.message ?? e).split("\t");
  if (message === undefined) return e as Error;
  return new ZkmlError(code as ZkmlError["code"], message, { file: file || fallbackFile, hint: hints[code] });
}

function loadAddon<T>(name: string, what: string, needs: string): T {
  const file = path.join(PACKAGE_ROOT, "native", "build", "Release", `${name}.node`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as T;
  } catch (e) {
    throw new ZkmlError("NATIVE_MISSING", `${what} is not built (${file})`, { hint: `run \`npm ci\` (it builds native/; needs ${needs}), or \`npm run build:native\``, cause: e });
  }
}

let native: Native | undefined;
export function loadNative(): Native {
  return (native ??= loadAddon<Native>("zkml_native", "the native multiplier", "python3, make and g++"));
}

let prover: NativeProver | undefined;
export function loadProver(): NativeProver {
  return (prover ??= loadAddon<NativeProver>("zkml_prover", "the native prover", "Rust's cargo; add --prover snarkjs to do without it"));
}

/** 32-byte little-endian canonical scalars, as the native multiplier reads them. */
export function scalarBytes(values: readonly bigint[]): Uint8Array {
  const b = Buffer.alloc(values.length * 32);
  values.forEach((v, i) => {
    for (let k = 0; k < 4; k++) b.writeBigUInt64LE((v >> BigInt(64 * k)) & 0xffffffffffffffffn, 32 * i + 8 * k);
  });
  return b;
}
