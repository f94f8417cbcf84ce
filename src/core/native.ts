/**
 * The native helpers (native/*.cc, built by `npm ci` through node-gyp): fixed-base multiplication on BN254
 * (alt_bn128, circom's bn128), point encodings and a resumable BLAKE2b for transcript hashes.
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

let native: Native | undefined;
export function loadNative(): Native {
  if (native) return native;
  const file = path.join(PACKAGE_ROOT, "native", "build", "Release", "zkml_native.node");
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    native = require(file) as Native;
    return native;
  } catch (e) {
    throw new ZkmlError("NATIVE_MISSING", `the native multiplier is not built (${file})`, {
      hint: "run `npm ci` (it builds native/ with node-gyp; needs python3, make and g++), or `npm run build:native`",
      cause: e,
    });
  }
}

/** 32-byte little-endian canonical scalars, as the native multiplier reads them. */
export function scalarBytes(values: readonly bigint[]): Uint8Array {
  const b = Buffer.alloc(values.length * 32);
  values.forEach((v, i) => {
    for (let k = 0; k < 4; k++) b.writeBigUInt64LE((v >> BigInt(64 * k)) & 0xffffffffffffffffn, 32 * i + 8 * k);
  });
  return b;
}
