/**
 * The circuit-specific keys: Groth16's phase 2 (a development contribution, optionally the user's and a beacon)
 * or PLONK's and FFLONK's universal keys, the verification key, and `snarkjs zkey verify`; and the development
 * powers of tau as a stage. snarkjs is loaded lazily.
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { produceAtomic, tmpPath, writeFileAtomic } from "../core/files";
import type { ProofSystem } from "../core/paths";
import { readR1cs } from "../snark/r1cs";
import { plonkGates, ptauPowerFor } from "../snark/systems";
import { checkZkey } from "../snark/zkey";
import { hashFile } from "./ceremony";
import { readPtauHeader, readPtauSecrets, writeDevPtau } from "./ptau";
import { nativeZkey } from "./native-zkey";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const snarkjs = (): any => require("snarkjs");

export async function makePtau(args: { file: string; power: number; keepSecrets?: string }, progress?: (msg: string) => void): Promise<{ file: string; power: number; seconds: number }> {
  let last = 0;
  const r = await writeDevPtau(args.file, args.power, {
    keepSecrets: args.keepSecrets,
    progress: (done, total, what) => {
      const now = Date.now();
      if (progress && (now - last > 1000 || done === total)) {
        last = now;
        progress(`${what}: ${((100 * done) / total).toFixed(0)}% of ${total.toLocaleString("en-US")} points`);
      }
    },
  });
  return { file: args.file, power: args.power, seconds: r.seconds };
}

export interface SetupResult {
  zkey: string;
  vkey: string;
  power: number;
  /** Names of the zkey's phase-2 contributions, oldest first. */
  contributions: string[];
  /** The beacon's hash when one closed the setup. */
  beacon?: string;
  /** PLONK/FFLONK: gates after snarkjs's translation of the R1CS. */
  gates?: number;
  /** Groth16: how the key was computed: natively from a development ptau's kept secrets, or by snarkjs from the ptau's points */
  method?: "native from the development secrets" | "native from the ptau's points";
}

export const DEV_ZKEY_CONTRIBUTION = "zkml-hardhat development contribution";

/**
 * Groth16 circuit-specific setup: zkey from r1cs and ptau, one development contribution, then optionally the
 * user's own contribution (their entropy) and a closing beacon, and the verification key.
 */
export interface SetupArgs {
  system: ProofSystem;
  r1cs: string;
  ptau: string;
  zkey: string;
  vkey: string;
  /** Groth16 only: the user's phase-2 contribution, closed by a beacon. */
  contribute?: { entropy: string; beacon?: string; name?: string };
  /** Where a development ptau's secrets may be kept (src/setup/ptau.ts): when they are there and belong to the
   * ptau, the key is computed from them (src/setup/native-zkey.ts), else from the ptau's points. */
  devSecrets?: string;
}

/**
 * The circuit-specific keys. Groth16 needs a phase-2 ceremony (see setupGroth16); PLONK and FFLONK are universal:
 * their keys follow from the r1cs and the ptau alone, with no secret of their own, so there is nothing to contribute.
 */
export async function setupKeys(args: SetupArgs): Promise<SetupResult> {
  const h = readR1cs(args.r1cs, { constraints: args.system !== "groth16" });
  const gates = args.system === "groth16" ? undefined : plonkGates(h);
  const need = ptauPowerFor(args.system, { constraints: h.nConstraints, publicSignals: h.nPubIn + h.nPubOut, gates });
  const pt = readPtauHeader(args.ptau);
  if (!pt.prepared) throw new ZkmlError("PTAU_INVALID", "not prepared for phase 2 (no Lagrange sections)", { file: args.ptau, hint: "run `snarkjs powersoftau prepare phase2` on it first" });
  const size = gates === undefined ? `${h.nConstraints} constraints` : `${gates} ${args.system.toUpperCase()} gates`;
  if (pt.power < need)
    throw new ZkmlError("PTAU_TOO_SMALL", `holds 2^${pt.power} powers; this circuit (${size}) needs 2^${need} for ${args.system}`, { file: args.ptau, hint: `use a ptau of power ${need} or more` });
  if (args.system === "groth16") return setupGroth16(args, need);
  if (args.contribute)
    throw new ZkmlError("OPTION_INVALID", `--contribute: ${args.system} has no circuit-specific ceremony to contribute to`, { hint: "contribute with --system groth16, or drop --contribute" });
  const s = snarkjs();
  const logger = { info: () => undefined, warn: () => undefined, error: (m: string) => { throw new ZkmlError("STAGE_FAILED", `snarkjs ${args.system} setup: ${m}`); }, debug: () => undefined };
  await produceAtomic(args.zkey, async (tmp) => {
    const r = await s[args.system].setup(args.r1cs, args.ptau, tmp, logger);
    if (r === -1 || !fs.existsSync(tmp)) throw new ZkmlError("STAGE_FAILED", `snarkjs ${args.system} setup wrote no key`);
  });
  const vk = await s.zKey.exportVerificationKey(args.zkey);
  writeFileAtomic(args.vkey, JSON.stringify(vk, null, 1));
  checkZkey(args.zkey, args.system);
  return { zkey: args.zkey, vkey: args.vkey, power: need, contributions: [], gates };
}

async function setupGroth16(args: SetupArgs, need: number): Promise<SetupResult> {
  const s = snarkjs();
  fs.mkdirSync(path.dirname(args.zkey), { recursive: true });
  const steps: string[] = [];
  const step = () => {
    const f = tmpPath(`${args.zkey}.step${steps.length}`);
    steps.push(f);
    return f;
  };
  let beacon: string | undefined;
  const secrets = args.devSecrets ? readPtauSecrets(args.ptau, args.devSecrets) : undefined;
  try {
    let cur = step();
    await nativeZkey({ r1cs: args.r1cs, ptau: args.ptau, zkey: cur, secrets, name: DEV_ZKEY_CONTRIBUTION });
    if (args.contribute) {
      const mine = step();
      await s.zKey.contribute(cur, mine, (args.contribute.name ?? "user contribution").slice(0, 64), args.contribute.entropy);
      cur = mine;
      // The beacon: a public value nobody controls closes the ceremony. By default one derived from the
      // transcript so far (sound against the earlier contributors, but not a public random value).
      beacon = args.contribute.beacon ?? (await hashFile(cur)).slice(0, 64);
      if (!/^[0-9a-fA-F]{2,}$/.test(beacon) || beacon.length % 2) throw new ZkmlError("OPTION_INVALID", `beacon: expected an even number of hex digits, got "${beacon}"`, { hint: "pass e.g. a block hash without 0x" });
      const closed = step();
      const ok = await s.zKey.beacon(cur, closed, "final beacon", beacon, 10);
      if (ok === false || !fs.existsSync(closed)) throw new ZkmlError("STAGE_FAILED", "snarkjs refused the beacon", { hint: "check --beacon" });
      cur = closed;
    }
    fs.renameSync(cur, args.zkey);
  } finally {
    for (const f of steps) fs.rmSync(f, { force: true });
  }
  const vk = await s.zKey.exportVerificationKey(args.zkey);
  writeFileAtomic(args.vkey, JSON.stringify(vk, null, 1));
  const info = checkZkey(args.zkey, "groth16");
  return { zkey: args.zkey, vkey: args.vkey, power: need, contributions: info.contributions.map((c) => c.name), beacon, method: secrets ? "native from the development secrets" : "native from the ptau's points" };
}

/** `snarkjs zkey verify`: recompute the key from r1cs and ptau and check every contribution to it. */
export async function verifySetup(args: { r1cs: string; ptau: string; zkey: string }): Promise<{ valid: boolean; log: string[] }> {
  checkZkey(args.zkey, "groth16");
  readPtauHeader(args.ptau);
  const log: string[] = [];
  const put = (level: string) => (m: string) => log.push(`${level}: ${m}`);
  const logger = { info: put("info"), warn: put("warn"), error: put("error"), debug: () => undefined };
  const valid = await snarkjs().zKey.verifyFromR1cs(args.r1cs, args.ptau, args.zkey, logger);
  return { valid: valid === true, log };
}

/** `snarkjs powersoftau verify`: every contribution and every section of a ptau. */
export async function verifyPtau(args: { ptau: string }): Promise<{ valid: boolean; log: string[] }> {
  readPtauHeader(args.ptau);
  const log: string[] = [];
  const put = (level: string) => (m: string) => log.push(`${level}: ${m}`);
  const logger = { info: put("info"), warn: put("warn"), error: put("error"), debug: () => undefined };
  const valid = await snarkjs().powersOfTau.verify(args.ptau, logger);
  return { valid: valid === true, log };
}
