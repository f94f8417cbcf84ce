/**
 * circom's witness calculator (snarkjs, loaded lazily): the witness of the circom backend's circuits. The direct
 * backend computes its witnesses with the reference interpreter (src/backends/r1cs/stages.ts).
 */
import { ZkmlError } from "../core/errors";
import { produceAtomic } from "../core/files";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const snarkjs = (): any => require("snarkjs");

export async function computeWitness(args: { wasm: string; input: Record<string, string | string[]>; wtns: string }): Promise<{ wtns: string }> {
  await produceAtomic(args.wtns, async (tmp) => {
    try {
      await snarkjs().wtns.calculate(args.input, args.wasm, tmp);
    } catch (e) {
      throw new ZkmlError("WITNESS_FAILED", `witness computation failed: ${(e as Error).message.split("\n")[0]}`, { cause: e });
    }
  });
  return { wtns: args.wtns };
}
