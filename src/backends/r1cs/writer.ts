/**
 * Streams constraints into an iden3 .r1cs file as they are made, so memory is bounded by the wires rather than
 * the terms; the counts are patched into the header at the end. Layout: header (section 1), constraints (2),
 * the wire-to-label map (3, the identity here).
 */
import * as fs from "fs";
import { BN254_R, fieldOf, writeLE } from "../../core/field";
import { containerHead, sectionHead } from "../../core/container";
import type { LC } from "./lc";

export interface R1csCounts {
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
}

/** Bytes of section 1's body: n8, the prime, nWires, nPubOut, nPubIn, nPrvIn, nLabels (u64), nConstraints. */
const HEADER_BYTES = 4 + 32 + 4 * 4 + 8 + 4;

export class R1csWriter {
  private readonly fd: number;
  private pos = 0;
  private buf = Buffer.alloc(1 << 22);
  private used = 0;
  private readonly constraintsAt: number;
  private readonly headerAt: number;
  constraints = 0;

  constructor(readonly file: string, readonly counts: R1csCounts) {
    this.fd = fs.openSync(file, "w");
    this.raw(containerHead("r1cs", 1, 3));
    this.headerAt = this.pos + 12;
    this.raw(Buffer.concat([sectionHead(1, HEADER_BYTES), Buffer.alloc(HEADER_BYTES)]));
    this.raw(sectionHead(2, 0)); // its size is patched in finish()
    this.constraintsAt = this.pos;
  }

  /** Appends one constraint A * B = C. */
  add(a: LC, b: LC, c: LC): void {
    this.writeLC(a);
    this.writeLC(b);
    this.writeLC(c);
    this.constraints++;
  }

  /** Writes the wire map and the header; closes the file. */
  finish(nWires: number): void {
    this.flush();
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(this.pos - this.constraintsAt));
    fs.writeSync(this.fd, size, 0, 8, this.constraintsAt - 8);
    const map = Buffer.alloc(8 * nWires);
    for (let i = 0; i < nWires; i++) map.writeBigUInt64LE(BigInt(i), 8 * i);
    this.raw(Buffer.concat([sectionHead(3, map.length), map]));
    const h = Buffer.alloc(HEADER_BYTES);
    h.writeUInt32LE(32, 0);
    writeLE(h, 4, 32, BN254_R);
    h.writeUInt32LE(nWires, 36);
    h.writeUInt32LE(this.counts.nPubOut, 40);
    h.writeUInt32LE(this.counts.nPubIn, 44);
    h.writeUInt32LE(this.counts.nPrvIn, 48);
    h.writeBigUInt64LE(BigInt(nWires), 52);
    h.writeUInt32LE(this.constraints, 60);
    fs.writeSync(this.fd, h, 0, h.length, this.headerAt);
    fs.closeSync(this.fd);
  }

  /** Closes the file without completing it (the caller removes it). */
  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }

  private raw(b: Buffer): void {
    this.flush();
    fs.writeSync(this.fd, b, 0, b.length, this.pos);
    this.pos += b.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    fs.writeSync(this.fd, this.buf, 0, this.used, this.pos);
    this.pos += this.used;
    this.used = 0;
  }

  private room(n: number): void {
    if (this.used + n > this.buf.length) this.flush();
    if (n > this.buf.length) this.buf = Buffer.alloc(n);
  }

  private writeLC(m: LC): void {
    this.room(4 + m.size * 36);
    this.buf.writeUInt32LE(m.size, this.used);
    this.used += 4;
    // snarkjs expects each linear combination's wires in increasing order
    for (const w of [...m.keys()].sort((a, b) => a - b)) {
      this.buf.writeUInt32LE(w, this.used);
      writeLE(this.buf, this.used + 4, 32, fieldOf(m.get(w)!));
      this.used += 36;
    }
  }
}
