/**
 * The setup's checks and the development powers of tau, as stages: `snarkjs zkey verify` and `snarkjs powersoftau
 * verify`, and a development ptau made on this machine. The keys themselves are each proof system's
 * (src/systems/<system>/). snarkjs is loaded lazily.
 */
import * as fs from "fs";
import { digestFile, writeFileAtomic } from "../core/files";
import { checkZkey } from "../snark/zkey";
import { readPtauHeader, writeDevPtau } from "./ptau";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const snarkjs = (): any => require("snarkjs");

export async function makePtau(args: { file: string; power: number; keepSecrets?: string; record?: string }, progress?: (msg: string) => void): Promise<{ file: string; power: number; seconds: number }> {
  // the record of the file's content goes first: a run cut off between the two leaves no record of an older file
  if (args.record) fs.rmSync(args.record, { force: true });
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
  // its content hash, checked whenever it is reused (src/pipeline/prove-setup.ts)
  if (args.record) writeFileAtomic(args.record, JSON.stringify(digestFile(args.file)));
  return { file: args.file, power: args.power, seconds: r.seconds };
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
