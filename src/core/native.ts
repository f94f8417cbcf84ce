/**
 * The native addon, built by `npm ci` (scripts/build-native.js) from native/ (Rust on arkworks) with cargo: the
 * Groth16 prover and setup, fixed-base multiplication on BN254 (alt_bn128, circom's bn128), point encodings and a
 * resumable BLAKE2b for transcript hashes. One file, native/build/Release/zkml_native.node; `loadNative` and
 * `loadProver` both return it, typed for what their callers use.
 *
 * Its errors carry a code from one list (native/src/error.rs, checked against ERROR_CODES by test/errors.test.ts)
 * and cross N-API as the message {"code","file","message"}; `nativeError` turns them into ZkmlErrors. The
 * synchronous functions are wrapped here so they throw ZkmlErrors; the asynchronous ones (prove, devZkey,
 * ceremonyZkey) reject with the raw form, for their callers to pass through `nativeError` with their own hints.
 */
import * as fs from "fs";
import * as path from "path";
import { ERROR_CODES, ErrorCode, isZkmlError, ZkmlError } from "./errors";
import { PACKAGE_ROOT } from "./paths";

export interface Native {
  g1Mul(scalars: Uint8Array, out: Uint8Array, threads?: number): void;
  g2Mul(scalars: Uint8Array, out: Uint8Array, threads?: number): void;
  encodePoints(points: Uint8Array, g2: boolean, compressed: boolean): Uint8Array;
  blake2bInit(): Uint8Array;
  blake2bUpdate(state: Uint8Array, data: Uint8Array): void;
  blake2bDigest(state: Uint8Array): Uint8Array;
  /** Every error code the addon raises. */
  errorCodes(): string[];
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
  /** Rejects with the raw error form (see `nativeError`). */
  prove(zkey: string, wtns: string, r1cs: string): Promise<NativeProof>;
  /** A development zkey's sections 1..9 from the ptau's secrets tau, alpha, beta (3 x 32 bytes LE), this setup's
   * delta (32 bytes) and the H part of snarkjs's circuit hash; resolves to the circuit hash (src/setup/native-zkey.ts). */
  devZkey(r1cs: string, zkey: string, secrets: Uint8Array, delta: Uint8Array, hPointsU: Uint8Array): Promise<Buffer>;
  /** The same from a ceremony's ptau and the contribution's delta (32 bytes LE): snarkjs's phase 2, natively. */
  ceremonyZkey(r1cs: string, ptau: string, zkey: string, delta: Uint8Array, hPointsU: Uint8Array): Promise<Buffer>;
}

/** A sumcheck proof (native/src/sumcheck/network.rs's bytes), its output and the prover's phases (wall and CPU ms). */
export interface NativeSumcheckProof {
  proof: Buffer;
  /** little-endian i64 words */
  output: Buffer;
  timings: { phase: string; ms: number }[];
  cpuTimings: { phase: string; ms: number }[];
}

/** The sumcheck system's prover and verifier. Arrays cross as little-endian i64 words (src/systems/sumcheck/arch.ts);
 * both reject with the raw error form (see `nativeError`). */
export interface NativeSumcheck {
  /** With `model` (a model commitment's bytes, from sumcheckCommitModel) the weights are proved to be that
   * commitment's and it is not sent; without, the proof carries their commitment (private weights). With `context`
   * (32 bytes: an address as a uint256 word, or an application's value), the proof is bound to it: it verifies with
   * that context only. */
  sumcheckProve(arch: Buffer, params: Buffer, input: Buffer, model?: Buffer, inputPrivate?: boolean, context?: Buffer): Promise<NativeSumcheckProof>;
  /** A proof that does not decode rejects (PROOF_INVALID, its byte offset named); one that fails a check resolves
   * invalid. With `model`, the weights must be that commitment's. */
  sumcheckVerify(arch: Buffer, input: Buffer | null, output: Buffer, proof: Buffer, model?: Buffer | null, context?: Buffer | null, kzgVk?: Buffer | null): Promise<{ valid: boolean; reason?: string | null }>;
  /** The model's commitment (weights and biases; made once per model): its bytes. */
  sumcheckCommitModel(arch: Buffer, params: Buffer): Promise<Buffer>;
  /** A zero-knowledge proof (format 3: nothing of the weights, the activations or a private input revealed;
   * dense, conv, requant, sum pool, add and flatten ops; one inference or a batch, the input public or private as
   * sumcheckProve's; sumcheckVerify takes it too). With `secret` (sumcheckCommitModelZk's), the weights are proved
   * to be that hiding commitment's; without, the proof carries one. `context` as sumcheckProve's. */
  sumcheckProveZk(arch: Buffer, params: Buffer, input: Buffer, secret?: Buffer | null, context?: Buffer | null, inputPrivate?: boolean | null): Promise<NativeSumcheckProof>;
  /** The model's hiding commitment for zero-knowledge proofs (sumcheckCommitModel's bytes format: what a deployment
   * publishes) and the owner's secret (the commitment and its rows' blinders). */
  sumcheckCommitModelZk(arch: Buffer, params: Buffer): Promise<{ commitment: Buffer; secret: Buffer }>;
  /** keccak256 of the architecture's words (32 bytes): what the transcript absorbs first. */
  sumcheckArchHash(arch: Buffer): Buffer;
  /** The KZG key for vectors of `len` entries read from a ptau with its checks (issue 28): the file's power, and
   * [tau]_2 (x.c0, x.c1, y.c0, y.c1) and tau G1 (x, y) as decimal; PTAU_INVALID naming the file otherwise. */
  kzgKeyInfo(ptau: string, len: number): { power: number; points: number; tauG2: string[]; tauG1: string[] };
  /** A KZG proof (format 4, docs/design/kzg-pcs.md: one joint merge, one Gemini opening, one pairing check), the
   * key read from the ptau at `ptau`; with `model` (sumcheckCommitModelKzg's `model` bytes under the same tau), the
   * weights are its commitment's, not sent, and its folds come from its tables. sumcheckVerify takes the proof with
   * `kzgVk` (kzgVerifierKey's) and, for committed weights, the commitment's 64 bytes as `model`. */
  sumcheckProveKzg(arch: Buffer, params: Buffer, input: Buffer, ptau: string, model?: Buffer | null, inputPrivate?: boolean | null, context?: Buffer | null): Promise<NativeSumcheckProof>;
  /** The model's KZG commitment under the ptau's tau (`commitment`: 64 bytes, x and y big-endian; what a verifier
   * holds) and the prover's form of it (`model`: the commitment and its fold tables, sumcheckProveKzg's `model`). */
  sumcheckCommitModelKzg(arch: Buffer, params: Buffer, ptau: string): { commitment: Buffer; model: Buffer };
  /** The ptau's [tau]_2 as four 32-byte words in EIP-197's order (x.c1, x.c0, y.c1, y.c0): a KZG verifier's key. */
  kzgVerifierKey(ptau: string): Buffer;
}

type Addon = Native & NativeProver & NativeSumcheck;

/** The addon's rejection, {"code","file","message"}, if `e` is one. */
function decode(e: unknown): { code: ErrorCode; file: string; message: string } | undefined {
  const text = String((e as Error)?.message ?? e);
  if (!text.startsWith("{")) return undefined;
  try {
    const j = JSON.parse(text) as { code?: unknown; file?: unknown; message?: unknown };
    if (typeof j.code !== "string" || typeof j.message !== "string" || !(ERROR_CODES as readonly string[]).includes(j.code)) return undefined;
    return { code: j.code as ErrorCode, file: typeof j.file === "string" ? j.file : "", message: j.message };
  } catch {
    return undefined;
  }
}

/**
 * The addon's rejection as a ZkmlError with `hints` by code (and `fallbackFile` when it names no file); a
 * ZkmlError as it is; anything else (a crash's message) as it came.
 */
export function nativeError(e: unknown, hints: Partial<Record<string, string>> = {}, fallbackFile?: string): Error {
  if (isZkmlError(e)) return e;
  const d = decode(e);
  if (!d) return e as Error;
  return new ZkmlError(d.code, d.message, { file: d.file || fallbackFile, hint: hints[d.code] });
}

/** A synchronous function of the addon, throwing ZkmlErrors: N-API's own argument errors become NATIVE_CALL_INVALID. */
function wrapSync<A extends unknown[], R>(name: string, f: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return f(...args);
    } catch (e) {
      const z = nativeError(e);
      if (isZkmlError(z)) throw z;
      throw new ZkmlError("NATIVE_CALL_INVALID", `${name}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
  };
}

const SYNC = ["g1Mul", "g2Mul", "encodePoints", "blake2bInit", "blake2bUpdate", "blake2bDigest", "errorCodes", "sumcheckArchHash", "kzgKeyInfo"] as const;

const ADDON_FILE = path.join(PACKAGE_ROOT, "native", "build", "Release", "zkml_native.node");

/**
 * Whether the addon is built. Without it (installed where cargo or a C compiler was missing: scripts/build-native.js
 * skips the build and says so) prove-model proves with snarkjs and sets up with snarkjs's JavaScript ceremony code
 * (src/setup/keys.ts, src/systems/groth16/setup.ts), and its report carries NATIVE_FALLBACK_NOTE.
 * ZKML_NATIVE=off makes it false with the addon built, to measure or test that route.
 */
export function nativeAvailable(): boolean {
  return process.env.ZKML_NATIVE !== "off" && fs.existsSync(ADDON_FILE);
}

/** What prove-model's report says when it ran without the addon: what it used instead, what that costs, how to build it. */
export const NATIVE_FALLBACK_NOTE =
  "the native addon (native/, Rust) is not built, so this run used snarkjs's prover and its JavaScript setup instead: its development setup over 100x slower (a powers of tau of 2^12: 113 s of CPU against 0.9 s; mlp-mnist's 2^14: 534 s) and its proofs about 5x (lenet5: 5.7 s against 1.1 s); build it with `npm run build:native` (in a project using the package: `npm rebuild zkml-hardhat`), which needs Rust's cargo 1.80 or newer and a C compiler";

let addon: Addon | undefined;
function load(what: string, extraHint: string): Addon {
  if (addon) return addon;
  const file = ADDON_FILE;
  if (process.env.ZKML_NATIVE === "off")
    throw new ZkmlError("NATIVE_MISSING", `${what} is switched off (ZKML_NATIVE=off)`, { hint: `unset ZKML_NATIVE${extraHint}` });
  let raw: Addon;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    raw = require(file) as Addon;
  } catch (e) {
    throw new ZkmlError("NATIVE_MISSING", `${what} is not built (${file})`, { hint: `run \`npm ci\` (it builds native/; needs Rust's cargo 1.80 or newer), or \`npm run build:native\`${extraHint}`, cause: e });
  }
  const wrapped = { ...raw } as Record<string, unknown>;
  for (const name of SYNC) {
    const f = raw[name] as unknown as ((...args: unknown[]) => unknown) | undefined;
    if (typeof f !== "function")
      throw new ZkmlError("NATIVE_MISSING", `${file} has no ${name}(): it was built from another version of native/`, { hint: "run `npm run build:native`" });
    wrapped[name] = wrapSync(name, f);
  }
  return (addon = wrapped as unknown as Addon);
}

/** The addon, for fixed-base multiplication, point encodings and BLAKE2b. */
export function loadNative(): Native {
  return load("the native addon", "");
}

/** The addon, for the Groth16 prover and setup. */
export function loadProver(): NativeProver {
  return load("the native prover", "; add --prover snarkjs to do without it");
}

/** The addon, for the sumcheck system's prover and verifier. */
export function loadSumcheck(): NativeSumcheck {
  return load("the native sumcheck prover", "; or prove with --system groth16 --prover snarkjs");
}

/** 32-byte little-endian canonical scalars, as the native multiplier reads them. */
export function scalarBytes(values: readonly bigint[]): Uint8Array {
  const b = Buffer.alloc(values.length * 32);
  values.forEach((v, i) => {
    for (let k = 0; k < 4; k++) b.writeBigUInt64LE((v >> BigInt(64 * k)) & 0xffffffffffffffffn, 32 * i + 8 * k);
  });
  return b;
}
