/**
 * Readers for iden3's binary containers (.r1cs, .wtns) and an R1CS witness checker.
 *
 * Container: 4-byte magic, u32 version, u32 section count, then sections of (u32 type, u64 size, bytes).
 * r1cs section 1 (header): u32 n8, prime (n8 bytes LE), u32 nWires, u32 nPubOut, u32 nPubIn, u32 nPrvIn,
 * u64 nLabels, u32 nConstraints; section 2: constraints, each A, B, C as (u32 nTerms, then nTerms of
 * (u32 wire, n8-byte coefficient LE, standard form)). wtns section 1: u32 n8, prime, u32 nWitness; section 2:
 * the values (n8 bytes LE each). Wire 0 is the constant 1; then public outputs, public inputs, private inputs.
 *
 * `checkWitness` evaluates every constraint (A.w)(B.w) = C.w mod p and reports the first that fails: the
 * soundness tests tamper with witnesses and expect exactly this to fail.
 */
import * as fs from "fs";
import { bufferReader, containerHead, Section, sectionHead, sectionTable } from "./container";
import { ZkmlError } from "./errors";
import { BN254_R, readLE, writeLE } from "./field";

function readContainer(buf: Buffer, magic: string, file: string): Map<number, Section> {
  return sectionTable(bufferReader(buf), buf.length, magic, { code: "STAGE_FAILED", file, describe: `${magic} file`, hint: "the file is corrupted or of another kind; delete it and rebuild" });
}

function section(sections: Map<number, Section>, type: number, file: string): Section {
  const s = sections.get(type);
  if (!s) throw new ZkmlError("STAGE_FAILED", `missing section ${type}`, { file });
  return s;
}

export type Term = [wire: number, coef: bigint];
export interface R1cs {
  prime: bigint;
  nWires: number;
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
  nLabels: number;
  nConstraints: number;
  constraints: [Term[], Term[], Term[]][];
}

export function readR1cs(file: string, opts: { constraints?: boolean } = {}): R1cs {
  const buf = fs.readFileSync(file);
  const secs = readContainer(buf, "r1cs", file);
  const h = section(secs, 1, file);
  const n8 = buf.readUInt32LE(h.offset);
  let p = h.offset + 4;
  const prime = readLE(buf, p, n8);
  p += n8;
  const r: R1cs = {
    prime,
    nWires: buf.readUInt32LE(p),
    nPubOut: buf.readUInt32LE(p + 4),
    nPubIn: buf.readUInt32LE(p + 8),
    nPrvIn: buf.readUInt32LE(p + 12),
    nLabels: Number(buf.readBigUInt64LE(p + 16)),
    nConstraints: buf.readUInt32LE(p + 24),
    constraints: [],
  };
  if (opts.constraints !== false) {
    let q = section(secs, 2, file).offset;
    const lc = (): Term[] => {
      const n = buf.readUInt32LE(q);
      q += 4;
      const terms: Term[] = new Array(n);
      for (let i = 0; i < n; i++) {
        terms[i] = [buf.readUInt32LE(q), readLE(buf, q + 4, n8)];
        q += 4 + n8;
      }
      return terms;
    };
    for (let c = 0; c < r.nConstraints; c++) r.constraints.push([lc(), lc(), lc()]);
  }
  return r;
}

export function readWtns(file: string): bigint[] {
  const buf = fs.readFileSync(file);
  const secs = readContainer(buf, "wtns", file);
  const h = section(secs, 1, file);
  const n8 = buf.readUInt32LE(h.offset);
  const n = buf.readUInt32LE(h.offset + 4 + n8);
  const d = section(secs, 2, file);
  if (d.size !== n * n8) throw new ZkmlError("STAGE_FAILED", `witness section holds ${d.size} bytes, expected ${n * n8}`, { file });
  const w: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) w[i] = readLE(buf, d.offset + i * n8, n8);
  return w;
}

/** Write a witness in the .wtns layout (used to hand tampered witnesses to snarkjs). */
export function writeWtns(file: string, witness: readonly bigint[], prime = BN254_R): void {
  const n8 = 32;
  const h = Buffer.alloc(4 + n8 + 4);
  h.writeUInt32LE(n8, 0);
  writeLE(h, 4, n8, prime);
  h.writeUInt32LE(witness.length, 4 + n8);
  const d = Buffer.alloc(witness.length * n8);
  witness.forEach((v, k) => writeLE(d, k * n8, n8, ((v % prime) + prime) % prime));
  fs.writeFileSync(file, Buffer.concat([containerHead("wtns", 2, 2), sectionHead(1, h.length), h, sectionHead(2, d.length), d]));
}

/** Index of the first unsatisfied constraint, or -1 if the witness satisfies them all. */
export function firstUnsatisfied(r: R1cs, w: readonly bigint[]): number {
  const p = r.prime;
  if (w.length !== r.nWires) throw new ZkmlError("WITNESS_FAILED", `witness has ${w.length} values, the circuit has ${r.nWires} wires`);
  if (w[0] !== 1n) return 0; // wire 0 must be the constant one; report it as constraint 0 failing
  const ev = (lc: Term[]) => {
    let s = 0n;
    for (const [i, c] of lc) s += c * w[i];
    return s % p;
  };
  for (let c = 0; c < r.constraints.length; c++) {
    const [a, b, cc] = r.constraints[c];
    if ((ev(a) * ev(b) - ev(cc)) % p !== 0n) return c;
  }
  return -1;
}

/** Wires that appear in no constraint (circom leaves them when a signal is computed but never checked). */
export function unconstrainedWires(r: R1cs): number[] {
  const used = new Uint8Array(r.nWires);
  used[0] = 1;
  for (const con of r.constraints) for (const lc of con) for (const [i] of lc) used[i] = 1;
  const out: number[] = [];
  for (let i = 0; i < r.nWires; i++) if (!used[i]) out.push(i);
  return out;
}
