/**
 * The setup's checks and the development powers of tau, as stages: `snarkjs zkey verify` and `snarkjs powersoftau
 * verify`, and a development ptau made on this machine. The keys themselves are each proof system's
 * (src/systems/<system>/). snarkjs is loaded lazily.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { digestFile, produceAtomic, tmpPath, writeFileAtomic } from "../core/files";
import { nativeAvailable } from "../core/native";
import { checkZkey } from "../snark/zkey";
import { DEV_CONTRIBUTION_NAME, readPtauHeader, writeDevPtau } from "./ptau";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const snarkjs = (): any => require("snarkjs");

export async function makePtau(args: { file: string; power: number; keepSecrets?: string; record?: string }, progress?: (msg: string) => void): Promise<{ file: string; power: number; seconds: number }> {
  // the record of the file's content goes first: a run cut off between the two leaves no record of an older file
  if (args.record) fs.rmSync(args.record, { force: true });
  let last = 0;
  if (!nativeAvailable()) {
    const seconds = await snarkjsDevPtau(args.file, args.power, progress);
    if (args.record) writeFileAtomic(args.record, JSON.stringify(digestFile(args.file)));
    return { file: args.file, power: args.power, seconds };
  }
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
  // its content hash, checked whenever it is reused (src/pipeline/prove-setup.ts)
  if (args.record) writeFileAtomic(args.record, JSON.stringify(digestFile(args.file)));
  return { file: args.file, power: args.power, seconds: r.seconds };
}

/**
 * The development powers of tau without the native addon, by snarkjs's own ceremony code: a new accumulator, one
 * contribution named as the native one (random entropy, forgotten: no secrets are kept, so Groth16 setups from it
 * go through snarkjs's zkey new), then phase 2's Lagrange sections by FFTs over the group. The file is a
 * ceremony's file like the native one's; only slower to make (the README's measured times).
 */
async function snarkjsDevPtau(file: string, power: number, progress?: (msg: string) => void): Promise<number> {
  const t0 = Date.now();
  const s = snarkjs();
  const curve = await s.curves.getCurveFromName("bn128");
  const logger = { info: (m: string) => progress?.(m), warn: (m: string) => progress?.(m), error: (m: string) => progress?.(m), debug: () => undefined };
  const steps = [tmpPath(`${file}.new`), tmpPath(`${file}.contributed`)];
  try {
    await produceAtomic(file, async (tmp) => {
      await s.powersOfTau.newAccumulator(curve, power, steps[0], logger);
      await s.powersOfTau.contribute(steps[0], steps[1], DEV_CONTRIBUTION_NAME, crypto.randomBytes(32).toString("hex"), logger);
      await s.powersOfTau.preparePhase2(steps[1], tmp, logger);
    });
  } finally {
    for (const f of steps) fs.rmSync(f, { force: true });
    await curve.terminate();
  }
  return (Date.now() - t0) / 1000;
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
