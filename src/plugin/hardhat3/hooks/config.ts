/**
 * The Hardhat 3 config hooks: the `zkml` section validated (errors name the field, as in Hardhat 2) and resolved
 * onto `hre.config.zkml`; a project that names no `solidity` gets solc 0.8.30 from the pinned `solc` npm package,
 * which Hardhat 3 runs as WebAssembly from that path (nothing downloaded).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { resolveZkmlConfig } from "../../../core/config";
import { isZkmlError } from "../../../core/errors";
import { VISIBILITY_RULES } from "../../../statement/visibility";
import { SOLC_SETTINGS } from "../../../evm/solc";
import { SOLC_VERSION } from "../common";

export default async () => ({
  extendUserConfig: async (config: any, next: (c: any) => Promise<any>) => {
    const c = await next(config);
    if (c.solidity === undefined) return { ...c, solidity: { version: SOLC_VERSION, path: require.resolve("solc/soljson.js"), settings: { ...SOLC_SETTINGS } } };
    return c;
  },
  validateUserConfig: async (config: any) => {
    try {
      resolveZkmlConfig(config.zkml, VISIBILITY_RULES);
      return [];
    } catch (e) {
      if (isZkmlError(e)) return [{ path: ["zkml"], message: `[${e.code}] ${e.describe()}` }];
      throw e;
    }
  },
  resolveUserConfig: async (userConfig: any, resolveConfigurationVariable: any, next: (u: any, r: any) => Promise<any>) => {
    const resolved = await next(userConfig, resolveConfigurationVariable);
    return { ...resolved, zkml: resolveZkmlConfig(userConfig.zkml, VISIBILITY_RULES) };
  },
});
