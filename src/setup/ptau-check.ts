/**
 * The points of a powers of tau, checked with pairings as `snarkjs powersoftau verify` checks them, but each series
 * by one random linear combination instead of point by point: seconds where snarkjs takes minutes (2^16: 94 s in
 * snarkjs here). What is checked, for a file of power p (n = 2^p; sections as src/setup/ptau.ts lists them):
 *   - tauG1[0] and tauG2[0] are the generators;
 *   - tauG1 is one chain of powers: e(sum r_i tauG1[i+1], G2) = e(sum r_i tauG1[i], tauG2[1]);
 *   - tauG2 is the same tau's chain: e(tauG1[1], sum r_i tauG2[i]) = e(G1, sum r_i tauG2[i+1]);
 *   - alphaTauG1 and betaTauG1 are alpha and beta times those powers: e(sum r_i alphaTauG1[i], G2) =
 *     e(alphaTauG1[0], sum r_i tauG2[i]), and the same for beta; and betaG2 is beta's: e(betaTauG1[0], G2) = e(G1, betaG2);
 *   - every Lagrange section (12..15, every domain 2^q) holds L_k(tau) times its series' point: with
 *     s_k = (y^m - 1) / (y w^k - 1) for a random y and the domain's root w, sum_k s_k L_k(tau) = sum_i y^i tau^i, so
 *     sum_k s_k lagrange[k] must equal sum_{i<m} y^i powers[i] (each a multi-exponentiation; no FFT needed).
 * The r_i are random 64-bit numbers and y a random field element, drawn after the file is read: a file that is not
 * what these equations say passes with probability about 2^-64 per check. Not checked: the contributions' records
 * (section 7: each contributor's proof of knowledge of their secrets) and the transcript's hash chain, which
 * `snarkjs powersoftau verify` (ptau --verify) checks; they say who contributed, not whether the points are sound.
 */
import * as crypto from "crypto";
import { ZkmlError } from "../core/errors";
import * as fs from "fs";
import { fileReader, sectionTable } from "../core/container";
import { batchInverse, BN254_R, powMod } from "../core/field";
import { PTAU_ERRORS, readPtauHeader, rootOfUnity } from "./ptau";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

const R = BN254_R;
const G1_BYTES = 64;
const G2_BYTES = 128;

export interface PtauPointsCheck {
  valid: boolean;
  power: number;
  /** what was checked, one line each, with "failed" on those that failed */
  log: string[];
  seconds: number;
}

/** 32-byte little-endian scalars, as ffjavascript's multi-exponentiation takes them. */
function scalarsLE(xs: bigint[]): Uint8Array {
  const out = Buffer.alloc(xs.length * 32);
  xs.forEach((x, k) => {
    // through hex: a loop of bigint shifts per byte costs ten times more on a few hundred thousand scalars
    out.write(x.toString(16).padStart(64, "0"), k * 32, 32, "hex");
    out.subarray(k * 32, k * 32 + 32).reverse();
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}


const randomField = () => BigInt(`0x${crypto.randomBytes(48).toString("hex")}`) % R;

/** Check a ptau's points (see the file's comment). `progress` hears each check as it starts. */
export async function checkPtauPoints(args: { ptau: string }, progress?: (msg: string) => void): Promise<PtauPointsCheck> {
  const t0 = Date.now();
  const file = args.ptau;
  const header = readPtauHeader(file);
  const p = header.power;
  const n = 2 ** p;
  const { buildBn128 } = require("ffjavascript");
  const curve = await buildBn128();
  const log: string[] = [];
  let valid = true;
  const record = (what: string, ok: boolean) => {
    log.push(`${ok ? "ok" : "FAILED"}: ${what}`);
    valid &&= ok;
  };
  try {
    const fd = fs.openSync(file, "r");
    try {
      const read = fileReader(fd);
      const s = sectionTable(read, fs.fstatSync(fd).size, "ptau", { ...PTAU_ERRORS, file });
      await (async () => {
        const section = (t: number) => {
          const sec = s.get(t);
          if (!sec)
            throw new ZkmlError("PTAU_INVALID", `section ${t} is missing`, { file, hint: "the file is not a phase-2-prepared powers of tau: fetch a prepared one (the published _final files are)" });
          return read(sec.offset, sec.size);
        };
        const G1 = curve.G1,
          G2 = curve.G2;
        const tauG1 = section(2),
          tauG2 = section(3),
          alphaG1 = section(4),
          betaG1 = section(5),
          betaG2 = G2.fromRprLEM(section(6), 0);
        const g1 = (buf: Uint8Array, i: number) => G1.fromRprLEM(buf, i * G1_BYTES);
        const g2 = (buf: Uint8Array, i: number) => G2.fromRprLEM(buf, i * G2_BYTES);
        const small = (count: number) => {
          const b = crypto.randomBytes(count * 8);
          return new Uint8Array(b.buffer, b.byteOffset, b.length);
        };
        const msm1 = (buf: Uint8Array, from: number, count: number, sc: Uint8Array) => G1.multiExpAffine(buf.subarray(from * G1_BYTES, (from + count) * G1_BYTES), sc);
        const msm2 = (buf: Uint8Array, from: number, count: number, sc: Uint8Array) => G2.multiExpAffine(buf.subarray(from * G2_BYTES, (from + count) * G2_BYTES), sc);
        const pairs = (a1: any, b1: any, a2: any, b2: any) => curve.pairingEq(a1, b1, G1.neg(a2), b2);

        record("tauG1[0] is the generator of G1, tauG2[0] that of G2", G1.eq(g1(tauG1, 0), G1.g) && G2.eq(g2(tauG2, 0), G2.g));
        progress?.(`tauG1: ${(2 * n - 1).toLocaleString("en-US")} powers in one chain`);
        const n1 = 2 * n - 1;
        let r = small(n1 - 1);
        record(
          `tauG1[i+1] = tau * tauG1[i] for i < ${n1 - 1} (a random combination, one pairing check)`,
          await pairs(await msm1(tauG1, 1, n1 - 1, r), G2.g, await msm1(tauG1, 0, n1 - 1, r), g2(tauG2, 1))
        );
        progress?.(`tauG2: ${n.toLocaleString("en-US")} powers of the same tau`);
        r = small(n - 1);
        record(`tauG2[i+1] = tau * tauG2[i] for i < ${n - 1}, the same tau as tauG1`, await pairs(g1(tauG1, 1), await msm2(tauG2, 0, n - 1, r), G1.g, await msm2(tauG2, 1, n - 1, r)));
        progress?.("alphaTauG1, betaTauG1, betaG2");
        r = small(n);
        const combTau2 = await msm2(tauG2, 0, n, r);
        record(`alphaTauG1[i] = alpha * tauG1[i] for i < ${n}`, await pairs(await msm1(alphaG1, 0, n, r), G2.g, g1(alphaG1, 0), combTau2));
        record(`betaTauG1[i] = beta * tauG1[i] for i < ${n}`, await pairs(await msm1(betaG1, 0, n, r), G2.g, g1(betaG1, 0), combTau2));
        record("betaG2 = beta * G2, the beta of betaTauG1", await pairs(g1(betaG1, 0), G2.g, G1.g, betaG2));

        // the Lagrange sections: each domain 2^q in turn, stored one after the other (section 12 also 2^(p+1))
        if (!header.prepared) return void log.push("no Lagrange sections (the file is not prepared for phase 2): not checked");
        const series: [number, number, Uint8Array, "G1" | "G2", number][] = [
          [12, 13, tauG1, "G1", p + 1],
          [13, 0, tauG2, "G2", p],
          [14, 0, alphaG1, "G1", p],
          [15, 0, betaG1, "G1", p],
        ];
        // one multi-exponentiation a side per section (a call per domain costs more in dispatch than in work): every
        // domain q has its own random y_q, so an error in one domain cannot cancel one in another
        const levels = new Map<number, { s: bigint[]; ys: bigint[] }>();
        const level = (q: number) => {
          let v = levels.get(q);
          if (!v) {
            const m = 2 ** q;
            const w = rootOfUnity(q);
            const y = randomField();
            const denoms: bigint[] = [];
            const ys: bigint[] = [];
            for (let k = 0, wk = 1n, yk = 1n; k < m; k++, wk = (wk * w) % R, yk = (yk * y) % R) {
              denoms.push((((y * wk) % R) - 1n + R) % R);
              ys.push(yk);
            }
            const num = (powMod(y, BigInt(m)) - 1n + R) % R;
            v = { s: batchInverse(denoms).map((d) => (num * d) % R), ys };
            levels.set(q, v);
          }
          return v;
        };
        for (const [type, , powers, group, top] of series) {
          const lagrange = section(type);
          const bytes = group === "G1" ? G1_BYTES : G2_BYTES;
          const G = group === "G1" ? G1 : G2;
          // 2^(p+1) for tauG1's domain: its 2^(p+1) - 1 powers padded with a zero point
          const used = Math.min(2 ** top, powers.length / bytes);
          progress?.(`section ${type}: Lagrange form of ${group} powers, domains 2^0..2^${top}`);
          const sAll: bigint[] = [];
          const coeffs = new Array<bigint>(used).fill(0n);
          for (let q = 0; q <= top; q++) {
            const { s: sq, ys } = level(q);
            for (const x of sq) sAll.push(x);
            for (let i = 0; i < Math.min(ys.length, used); i++) coeffs[i] = (coeffs[i] + ys[i]) % R;
          }
          const what = `section ${type} (${group} Lagrange points, domains 2^0..2^${top}) interpolates the powers`;
          if (lagrange.length !== sAll.length * bytes) {
            record(`${what}: it holds ${lagrange.length / bytes} points, expected ${sAll.length}`, false);
            continue;
          }
          const left = await G.multiExpAffine(lagrange, scalarsLE(sAll));
          const right = await G.multiExpAffine(powers.subarray(0, used * bytes), scalarsLE(coeffs));
          record(what, G.eq(left, right));
        }
      })();
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    await curve.terminate();
  }
  return { valid, power: p, log, seconds: (Date.now() - t0) / 1000 };
}
