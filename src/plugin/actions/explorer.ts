/**
 * deploy-verifier --verify in both majors: the verifier's and the consumer's sources published on the network's
 * Etherscan-style explorer by that major's hardhat-verify (Hardhat 2: @nomicfoundation/hardhat-verify 2, the
 * `verify:verify` subtask; Hardhat 3: @nomicfoundation/hardhat-verify 3, its `verifyContract`). What is checked
 * before anything is deployed (a real network, the plugin loaded, an API key), what is verified, and the command to
 * run by hand when it fails are the same in both and live here; each plugin passes its one verification call.
 */
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import type { DeployResult } from "../../evm/deploy";
import { ETHERSCAN_KEY_VAR, isLocalChain } from "../../evm/networks";
import { say } from "./output";

export type Major = 2 | 3;

/** One contract to publish: the record's address and constructor arguments, and where its source is compiled. */
export interface SourceToVerify {
  contract: string;
  address: string;
  constructorArguments: string[];
  /** `contracts/generated/X.sol:X` */
  fullyQualifiedName: string;
}

/** Hardhat 3's verify plugin, pinned in the hints to the version tested against. */
export const HARDHAT3_VERIFY = "@nomicfoundation/hardhat-verify@3.1.1";

/** How a major's user installs, loads and keys hardhat-verify. */
function setupHint(major: Major): string {
  if (major === 2)
    return `npm install --save-dev @nomicfoundation/hardhat-verify@^2 (hardhat-toolbox 6 has it), require("@nomicfoundation/hardhat-verify") in hardhat.config, and etherscan: { apiKey: vars.get("${ETHERSCAN_KEY_VAR}", "") } (then npx hardhat vars set ${ETHERSCAN_KEY_VAR})`;
  return `npm install --save-dev ${HARDHAT3_VERIFY}, then in hardhat.config.ts: import hardhatVerify from "@nomicfoundation/hardhat-verify"; plugins: [hardhatVerify, zkml], verify: { etherscan: { apiKey: configVariable("${ETHERSCAN_KEY_VAR}") } } (then export ${ETHERSCAN_KEY_VAR}=... or npx hardhat keystore set ${ETHERSCAN_KEY_VAR})`;
}

/** What a major's hardhat-verify has to offer, read from its runtime environment before anything is deployed. */
export interface VerifyReadiness {
  major: Major;
  network: string;
  chainId?: number;
  /** the major's hardhat-verify is loaded in the config (Hardhat 2: its `verify:verify` task; Hardhat 3: `config.verify`) */
  plugin: boolean;
  /** Etherscan's API key as the plugin resolved it (undefined or "" when none is set) */
  apiKey?: string;
  /** Hardhat 3: verify.etherscan.enabled */
  enabled?: boolean;
}

/** --verify's preconditions, checked before deploying so nothing is spent on a verification that cannot run. */
export function checkVerifyReadiness(r: VerifyReadiness): void {
  if (isLocalChain(r.network, r.chainId))
    throw new ZkmlError("OPTION_INVALID", `--verify: network ${r.network} is a local chain, which no explorer sees`, {
      hint: `deploy to a public network: npx hardhat deploy-verifier --model <name> --network sepolia --verify (or leave --verify out here)`,
    });
  if (!r.plugin)
    throw new ZkmlError("CONFIG_INVALID", `--verify: Hardhat ${r.major}'s hardhat-verify plugin is not loaded in this project`, { hint: setupHint(r.major) });
  if (r.enabled === false)
    throw new ZkmlError("CONFIG_INVALID", "--verify: Etherscan verification is disabled (verify.etherscan.enabled: false)", { hint: `set verify.etherscan.enabled to true and its apiKey: ${setupHint(r.major)}` });
  if (!r.apiKey)
    throw new ZkmlError("CONFIG_INVALID", `--verify: no Etherscan API key (${ETHERSCAN_KEY_VAR})`, {
      hint: r.major === 2 ? `npx hardhat vars set ${ETHERSCAN_KEY_VAR} (or export ${ETHERSCAN_KEY_VAR}=...); the config reads it with etherscanSettings(lookup) or vars.get` : setupHint(3),
    });
}

/** The contracts deploy-verifier publishes: the verifier, then the consumer (data contracts carry no source). */
export function sourcesToVerify(r: DeployResult): SourceToVerify[] {
  return [r.record.verifier, r.record.consumer].map((c) => ({ contract: c.contract, address: c.address, constructorArguments: c.constructorArguments, fullyQualifiedName: c.fullyQualifiedName }));
}

/** The command that verifies one contract by hand (both majors' hardhat-verify take `verify <address> [args...]`). */
export function manualVerifyCommand(network: string, c: SourceToVerify): string {
  return `npx hardhat verify --network ${network} --contract ${c.fullyQualifiedName} ${c.address}${c.constructorArguments.map((a) => ` ${a}`).join("")}`;
}

/** Publish each contract with the major's call; a failure names the record and the command to finish by hand. */
export async function publishSources(r: DeployResult, at: { root: string; recordFile: string; network: string; major: Major }, verifyOne: (c: SourceToVerify) => Promise<void>): Promise<void> {
  const rel = path.relative(at.root, at.recordFile);
  for (const c of sourcesToVerify(r)) {
    say(`verifying ${c.contract} on the explorer`);
    try {
      await verifyOne(c);
    } catch (e) {
      throw new ZkmlError("CHAIN_FAILED", `--verify: ${c.contract} at ${c.address}: ${(e as Error).message.split("\n")[0]}`, {
        cause: e,
        hint: `the deployment is recorded in ${rel}; check the API key (${ETHERSCAN_KEY_VAR}) and the network, then run: ${manualVerifyCommand(at.network, c)}`,
      });
    }
  }
}
