/**
 * deploy-verifier --verify in Hardhat 3: @nomicfoundation/hardhat-verify 3 (the project's own, in its `plugins`)
 * publishes the verifier's and consumer's sources with its `verifyContract`, as hardhat-verify 2's `verify:verify`
 * does in Hardhat 2. Everything it needs is checked before anything is deployed (../actions/explorer.ts): a real
 * network, the plugin in the config and its module installed, an Etherscan API key (verify.etherscan.apiKey).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { ZkmlError } from "../../core/errors";
import { checkVerifyReadiness, HARDHAT3_VERIFY, SourceToVerify } from "../actions/explorer";

/** hardhat-verify 3's `verifyContract(args, hre)` (its "@nomicfoundation/hardhat-verify/verify" export). */
export type VerifyContract = (args: { address: string; constructorArgs: unknown[]; contract: string; provider: "etherscan" }, hre: any) => Promise<boolean>;

// a real dynamic import (TypeScript's CommonJS output would turn `import()` into `require`): hardhat-verify 3 is ESM
const importModule = new Function("url", "return import(url)") as (url: string) => Promise<any>;

/** The project's hardhat-verify 3, found from its root (not from this package), or a ZkmlError saying what to install. */
export async function loadVerifyContract(root: string): Promise<VerifyContract> {
  const hint = `npm install --save-dev ${HARDHAT3_VERIFY} (and import hardhatVerify from "@nomicfoundation/hardhat-verify"; plugins: [hardhatVerify, zkml])`;
  let pkg: string;
  try {
    pkg = require.resolve("@nomicfoundation/hardhat-verify/package.json", { paths: [root] });
  } catch {
    throw new ZkmlError("CONFIG_INVALID", "--verify: @nomicfoundation/hardhat-verify is not installed in this project", { hint });
  }
  const version = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
  if (!version.startsWith("3."))
    throw new ZkmlError("CONFIG_INVALID", `--verify: @nomicfoundation/hardhat-verify ${version} is Hardhat 2's; Hardhat 3 needs version 3`, { hint });
  const mod = await importModule(pathToFileURL(path.join(path.dirname(pkg), "dist", "src", "verify.js")).href);
  if (typeof mod.verifyContract !== "function") throw new ZkmlError("CONFIG_INVALID", `--verify: @nomicfoundation/hardhat-verify ${version} exports no verifyContract`, { hint });
  return mod.verifyContract as VerifyContract;
}

/**
 * --verify's checks in Hardhat 3, then the one call per contract that publishes it. `network` is the task's (name and
 * chain id); `load` finds verifyContract (tests pass their own).
 */
export async function hardhat3Explorer(hre: any, network: { name: string; chainId?: number }, load: (root: string) => Promise<VerifyContract> = loadVerifyContract): Promise<(c: SourceToVerify) => Promise<void>> {
  const etherscan = hre.config.verify?.etherscan as { apiKey?: { get(): Promise<string> }; enabled?: boolean } | undefined;
  let apiKey: string | undefined;
  // a configVariable that is not set throws when read: the same as no key
  if (etherscan?.apiKey && etherscan.enabled !== false) apiKey = await etherscan.apiKey.get().catch(() => undefined);
  const readiness = { major: 3 as const, network: network.name, chainId: network.chainId, plugin: etherscan !== undefined, enabled: etherscan?.enabled };
  // the network and the plugin first, then its module (installed, version 3), then the key
  checkVerifyReadiness({ ...readiness, apiKey: "(read next)" });
  const verifyContract = await load(hre.config.paths.root);
  checkVerifyReadiness({ ...readiness, apiKey });
  return async (c) => {
    await verifyContract({ address: c.address, constructorArgs: c.constructorArguments, contract: c.fullyQualifiedName, provider: "etherscan" }, hre);
  };
}
