/**
 * The keccak256 Fiat-Shamir transcript of native/src/sumcheck/transcript.rs, replayed byte for byte:
 *
 * - start:     state = keccak256(domain tag bytes)
 * - absorb:    state = keccak256(state || label as bytes32 (right-padded with zeros) || data)
 *              (a field element: one 32-byte big-endian word; a vector: the words one after another, no length;
 *              a G1 point: x || y, the identity as 64 zero bytes)
 * - challenge: h = keccak256(state || uint256(number of challenges drawn before)); state = h; the challenge is
 *              uint256(h) mod r
 *
 * The state is kept as 64 hex digits; an absorb joins the state, the label and the data as one hex string and hashes
 * its bytes (Buffer's hex decoding: no per-word byte arrays).
 */
import { keccak256, toUtf8Bytes, hexlify } from "ethers";
import { R } from "./field";
import type { Affine } from "./g1";

/** A non-negative integer below 2^256 as 64 hex digits (a big-endian 32-byte word). */
export function word(x: bigint): string {
  return x.toString(16).padStart(64, "0");
}

function label32(label: string): string {
  const b = toUtf8Bytes(label);
  if (b.length === 0 || b.length > 32 || b[0] === 0) throw new Error(`transcript label "${label}": 1 to 32 bytes, the first non-zero`);
  return hexlify(b).slice(2).padEnd(64, "0");
}

/** A point as 128 hex digits: x then y, the identity as zeros. */
export function pointWords(p: Affine | null): string {
  return p === null ? "0".repeat(128) : word(p.x) + word(p.y);
}

export class Transcript {
  private state: string;
  private counter = 0n;

  constructor(domainTag: string) {
    this.state = keccak256(toUtf8Bytes(domainTag)).slice(2);
  }

  /** The 32-byte state, as hex (for tests). */
  stateHex(): string {
    return this.state;
  }

  private absorbHex(label: string, dataHex: string): void {
    this.state = keccak256(Buffer.from(this.state + label32(label) + dataHex, "hex")).slice(2);
  }

  absorbBytes(label: string, data: Uint8Array): void {
    this.absorbHex(label, hexlify(data).slice(2));
  }

  absorbFr(label: string, x: bigint): void {
    this.absorbHex(label, word(x));
  }

  /** Field elements as consecutive words, in one absorb (an empty list still absorbs the label). */
  absorbFrs(label: string, xs: readonly bigint[]): void {
    this.absorbHex(label, xs.map(word).join(""));
  }

  /** Points as consecutive 64-byte pairs, in one absorb. */
  absorbPoints(label: string, ps: readonly (Affine | null)[]): void {
    this.absorbHex(label, ps.map(pointWords).join(""));
  }

  challenge(): bigint {
    this.state = keccak256(Buffer.from(this.state + word(this.counter), "hex")).slice(2);
    this.counter += 1n;
    return BigInt("0x" + this.state) % R;
  }

  challenges(n: number): bigint[] {
    return Array.from({ length: n }, () => this.challenge());
  }
}
