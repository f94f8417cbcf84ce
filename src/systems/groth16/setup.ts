/**
 * Groth16's circuit-specific setup (phase 2): the key computed natively (src/setup/native-zkey.ts; by snarkjs's zkey
 * new and contribute when the addon is not built) with one
 * development contribution, from a development ptau's kept secrets when they are there, else from the ptau's
 * points; then optionally the user's own contribution (their entropy) and a closing beacon, by snarkjs; and the
 * verification key.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { nativeAvailable } from "../../core/native";
import { tmpPath } from "../../core/files";
import { hashFile } from "../../setup/ceremony";
import { nativeZkey } from "../../setup/native-zkey";
import { readPtauSecrets } from "../../setup/ptau";
import { checkZkey } from "../../snark/zkey";
import { exportVerificationKey, snarkjs } from "../snarkjs";
import type { SetupArgs, SetupResult } from "../system";

export const DEV_ZKEY_CONTRIBUTION = "zkml-hardhat development contribution";

export async function setupGroth16(args: SetupArgs, power: number): Promise<SetupResult> {
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
    if (nativeAvailable()) await nativeZkey({ r1cs: args.r1cs, ptau: args.ptau, zkey: cur, secrets, name: DEV_ZKEY_CONTRIBUTION });
    else {
      // without the native addon: snarkjs's zkey new, then the development contribution (random entropy, forgotten)
      const s = snarkjs();
      const init = step();
      await s.zKey.newZKey(args.r1cs, args.ptau, init);
      await s.zKey.contribute(init, cur, DEV_ZKEY_CONTRIBUTION, crypto.randomBytes(32).toString("hex"));
    }
    if (args.contribute) {
      const s = snarkjs();
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
  await exportVerificationKey(args.zkey, args.vkey);
  const info = checkZkey(args.zkey, "groth16");
  return { zkey: args.zkey, vkey: args.vkey, power, contributions: info.contributions.map((c) => c.name), beacon, method: !nativeAvailable() ? "snarkjs (the native addon is not built)" : secrets ? "native from the development secrets" : "native from the ptau's points" };
}
