/**
 * iden3's binary container, shared by r1cs, wtns, ptau and zkey files: 4-byte magic, u32 version, u32 section
 * count, then sections of (u32 type, u64 size, bytes). One reader of the section table, with clear errors for a
 * file of another kind or one cut short; each format passes the error code and fix it wants.
 */
import * as fs from "fs";
import { ErrorCode, ZkmlError } from "../core/errors";

export interface Section {
  offset: number;
  size: number;
}

/** Reads `len` bytes at `pos` (fewer at the end of the file). */
export type ByteReader = (pos: number, len: number) => Buffer;

export function fileReader(fd: number): ByteReader {
  return (pos, len) => {
    const b = Buffer.alloc(len);
    const got = fs.readSync(fd, b, 0, len, pos);
    return got < len ? b.subarray(0, got) : b;
  };
}

export const bufferReader = (buf: Buffer): ByteReader => (pos, len) => buf.subarray(pos, pos + len);

/** The section table of a container of `total` bytes; a repeated section type keeps its first occurrence. */
export interface ContainerErrors {
  code: ErrorCode;
  /** Names the kind of file in messages, e.g. "powers-of-tau file". */
  describe: string;
  /** The fix for a file of another kind. */
  hint: string;
  /** The fix for a file cut short (default: `hint`). */
  truncatedHint?: string;
}

export function sectionTable(read: ByteReader, total: number, magic: string, err: ContainerErrors & { file: string }): Map<number, Section> {
  const fail = (msg: string, hint = err.truncatedHint ?? err.hint) => new ZkmlError(err.code, msg, { file: err.file, hint });
  const head = read(0, 12);
  if (head.length < 12 || head.toString("latin1", 0, 4) !== magic) throw fail(`not a ${err.describe} (the first bytes are not "${magic}")`, err.hint);
  const n = head.readUInt32LE(8);
  const sections = new Map<number, Section>();
  let p = 12;
  for (let i = 0; i < n; i++) {
    const h = read(p, 12);
    if (h.length < 12) throw fail(`truncated: section header ${i + 1} of ${n} is missing`);
    const type = h.readUInt32LE(0);
    const size = Number(h.readBigUInt64LE(4));
    if (p + 12 + size > total) throw fail(`truncated: section ${type} needs ${size} bytes, the file ends ${total - p - 12} bytes into it`);
    if (!sections.has(type)) sections.set(type, { offset: p + 12, size });
    p += 12 + size;
  }
  return sections;
}

/** Open `file`, read its section table, and hand both to `fn`; the file is closed afterwards. */
export function withSections<T>(file: string, magic: string, err: ContainerErrors, fn: (s: Map<number, Section>, read: ByteReader) => T): T {
  const fd = fs.openSync(file, "r");
  try {
    const read = fileReader(fd);
    return fn(sectionTable(read, fs.fstatSync(fd).size, magic, { ...err, file }), read);
  } finally {
    fs.closeSync(fd);
  }
}

/** The 12 bytes a container opens with: magic, version, number of sections. */
export function containerHead(magic: string, version: number, sections: number): Buffer {
  const b = Buffer.alloc(12);
  b.write(magic, 0, "latin1");
  b.writeUInt32LE(version, 4);
  b.writeUInt32LE(sections, 8);
  return b;
}

/** The 12 bytes before a section's body: its type and its size in bytes. */
export function sectionHead(type: number, size: number | bigint): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(type, 0);
  b.writeBigUInt64LE(BigInt(size), 4);
  return b;
}
