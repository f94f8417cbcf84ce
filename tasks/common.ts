/**
 * What every task shares: the plugin name and the boundary where a ZkmlError becomes a HardhatPluginError
 * (message with the file, field, expected and got, plus the fix), so Hardhat prints it and exits non-zero.
 */
import { HardhatPluginError } from "hardhat/plugins";
import { isZkmlError } from "../src/core/errors";

export const PLUGIN = "zkml-hardhat";

export async function boundary<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isZkmlError(e)) throw new HardhatPluginError(PLUGIN, `[${e.code}] ${e.describe()}`);
    throw e;
  }
}

export const say = (line: string) => process.stderr.write(`  ${line}\n`);
