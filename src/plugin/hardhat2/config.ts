/**
 * Registers the `zkml` section of hardhat.config.ts (validated by src/core/config.ts) so tasks read it from
 * `hre.config.zkml`.
 */
import { extendConfig } from "hardhat/config";
import type { ZkmlConfig, ZkmlUserConfig } from "../../core/config";
import { resolveZkmlConfig } from "../../core/config";
import { Visibility, VISIBILITY_RULES } from "../../statement/visibility";
import { isZkmlError } from "../../core/errors";
import { HardhatPluginError } from "hardhat/plugins";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    zkml?: ZkmlUserConfig<Visibility>;
  }
  interface HardhatConfig {
    zkml: ZkmlConfig<Visibility>;
  }
}

extendConfig((config, userConfig) => {
  try {
    config.zkml = resolveZkmlConfig(userConfig.zkml, VISIBILITY_RULES);
  } catch (e) {
    if (isZkmlError(e)) throw new HardhatPluginError("zkml-hardhat", `[${e.code}] ${e.describe()}`);
    throw e;
  }
});
