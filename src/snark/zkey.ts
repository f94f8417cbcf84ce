/**
 * Reading a proving key's container (iden3 binary "zkey", version 1) well enough to refuse a damaged one with a
 * clear message, and to list its phase-2 contributions.
 *
 * Why this exists: snarkjs reads zkeys lazily and a truncated or foreign file fails deep inside the prover with
 * an index error. Checking the section table and the sizes it implies costs microseconds.
 *
 * Layout (Groth16): 1 protocol (u32: 1 Groth16, 2 PLONK, 10 FFLONK); 2 header: n8q, q, n8r, r, nVars, nPublic,
 * domainSize, alpha1, beta1, beta2, gamma2, delta1, delta2; 3 IC ((nPublic+1) G1); 4 coefficients; 5 A (nVars
 * G1); 6 B1 (nVars G1); 7 B2 (nVars G2); 8 C ((nVars-nPublic-1) G1); 9 H (domainSize G1); 10 the MPC record:
 * the circuit hash (64 bytes), a count, then per contribution deltaAfter, the delta key (g1_s, g1_sx, g2_spx),
 * the transcript (64), type (0 contribution, 1 beacon) and parameters (1 name, 2 iterations, 3 beacon hash).
 */
import * as fs from "fs";
import { withSections } from "../core/container";
import { ZkmlError } from "../core/errors";
import { BN254_Q } from "../core/field";

const PROTOCOLS: Record<number, string> = { 1: "groth16", 2: "plonk", 10: "fflonk" };

export interface ZkeyInfo {
  protocol: string;
  nVars?: number;
  nPublic?: number;
  domainSize?: number;
  contributions: { name: string; beacon: boolean }[];
}

function bad(file: string, what: string, hint = "delete it (or run with --force) so that the setup runs again"): ZkmlError {
  return new ZkmlError("ZKEY_INVALID", what, { file, hint });
}

/** Check a zkey's container and, for Groth16, every section size its header implies. */
export function checkZkey(file: string, expectProtocol?: "groth16" | "plonk" | "fflonk"): ZkeyInfo {
  if (!fs.existsSync(file)) throw bad(file, `zkey not found: ${file}`);
  const err = { code: "ZKEY_INVALID" as const, describe: "proving key", hint: "delete it (or run with --force) so that the setup runs again" };
  return withSections(file, "zkey", err, (sections, readAt) => {
    const read = (type: number) => {
      const s = sections.get(type);
      if (!s) throw bad(file, `section ${type} is missing`);
      return readAt(s.offset, s.size);
    };
    const protocol = PROTOCOLS[read(1).readUInt32LE(0)] ?? `unknown (${read(1).readUInt32LE(0)})`;
    if (expectProtocol && protocol !== expectProtocol) throw bad(file, `a ${protocol} key, expected ${expectProtocol}`);
    const info: ZkeyInfo = { protocol, contributions: [] };
    if (protocol !== "groth16") return info;
    const h = read(2);
    const n8q = h.readUInt32LE(0);
    let q = 0n;
    for (let i = n8q - 1; i >= 0; i--) q = (q << 8n) | BigInt(h[4 + i]);
    if (q !== BN254_Q) throw bad(file, "made for another curve than BN254");
    const n8r = h.readUInt32LE(4 + n8q);
    const o = 8 + n8q + n8r;
    const nVars = h.readUInt32LE(o), nPublic = h.readUInt32LE(o + 4), domainSize = h.readUInt32LE(o + 8);
    const expect: [number, number, string][] = [
      [3, (nPublic + 1) * 64, "IC"],
      [5, nVars * 64, "A"],
      [6, nVars * 64, "B1"],
      [7, nVars * 128, "B2"],
      [8, (nVars - nPublic - 1) * 64, "C"],
      [9, domainSize * 64, "H"],
    ];
    for (const [t, want, name] of expect) {
      const got = sections.get(t)?.size;
      if (got !== want) throw bad(file, `section ${t} (${name}) holds ${got ?? 0} bytes, expected ${want} for ${nVars} wires and ${nPublic} public signals`);
    }
    Object.assign(info, { nVars, nPublic, domainSize });
    const mpc = read(10);
    let m = 64;
    const n = mpc.readUInt32LE(m);
    m += 4;
    for (let i = 0; i < n && m + 384 + 8 <= mpc.length; i++) {
      m += 64 + 64 + 64 + 128 + 64; // deltaAfter, g1_s, g1_sx, g2_spx, transcript
      const type = mpc.readUInt32LE(m);
      const len = mpc.readUInt32LE(m + 4);
      m += 8;
      let name = "";
      for (let k = m; k < m + len; ) {
        const id = mpc[k];
        if (id === 1) {
          name = mpc.toString("utf8", k + 2, k + 2 + mpc[k + 1]);
          k += 2 + mpc[k + 1];
        } else if (id === 2) k += 2;
        else k += 2 + mpc[k + 1];
      }
      info.contributions.push({ name, beacon: type === 1 });
      m += len;
    }
    return info;
  });
}
