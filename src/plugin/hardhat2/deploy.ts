/**
 * `npx hardhat deploy-verifier`, `submit-proof` and `verify-proof` in Hardhat 2: the actions shared with the Hardhat 3
 * plugin (../actions/deploy.ts) run on hre (hardhat2Host), their options from the task table (../actions/tasks.ts);
 * --verify publishes the sources with hardhat-verify 2 (../actions/explorer.ts). Also: the check that a network's RPC URL is set, run whenever a task uses it.
 */
import { extendEnvironment, vars } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { HardhatPluginError } from "hardhat/plugins";
import { ZkmlError, isZkmlError } from "../../core/errors";
import { Lookup, networkSpec, requireNetworkSettings } from "../../evm/networks";
import { DeployArgs, deployVerifierAction, SubmitArgs, submitProofAction, VerifyProofArgs, verifyProofAction } from "../actions/deploy";
import { checkVerifyReadiness, publishSources, VerifyReadiness } from "../actions/explorer";
import type { Host } from "../actions/host";
import { gasChains } from "./chains";
import { boundary, defineTask, PLUGIN } from "./common";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Settings come from the environment first, then Hardhat's configuration variables (`npx hardhat vars set`). */
export const lookup: Lookup = (name) => process.env[name] || (vars.has(name) ? vars.get(name) : undefined) || undefined;

// a remote network without its RPC URL fails here, naming the variable, before anything tries to reach it
extendEnvironment((hre) => {
  try {
    requireNetworkSettings(hre.network.name, lookup, { signing: false });
  } catch (e) {
    if (isZkmlError(e)) throw new HardhatPluginError(PLUGIN, `[${e.code}] ${e.describe()}`);
    throw e;
  }
});

const url = (hre: HardhatRuntimeEnvironment): string | undefined => (hre.network.config as { url?: string }).url;

/** What the shared actions (../actions/) need of Hardhat 2: hre.ethers' first signer, `compile`, the artifacts, the gas chains. */
export function hardhat2Host(hre: HardhatRuntimeEnvironment): Host {
  return {
    root: hre.config.paths.root,
    zkml: hre.config.zkml,
    lookup,
    network: async () => ({ name: hre.network.name, url: url(hre), chainId: (hre.network.config as { chainId?: number }).chainId }),
    async signer() {
      const { readNode } = await import("../../evm/rpc");
      const signers = await readNode({ network: hre.network.name, url: url(hre) }, "listing the accounts", () => hre.ethers.getSigners());
      if (signers.length === 0)
        throw new ZkmlError("CONFIG_INVALID", `network ${hre.network.name}: no account to send from`, { hint: `set a deployer key: npx hardhat vars set ${networkSpec(hre.network.name)?.prefix ?? "<NETWORK>"}_PRIVATE_KEY` });
      return signers[0];
    },
    provider: async () => hre.ethers.provider,
    compile: async () => {
      await hre.run("compile", { quiet: true });
    },
    async artifact(name: string) {
      const fullyQualifiedName = `contracts/generated/${name}.sol:${name}`;
      const a = await hre.artifacts.readArtifact(fullyQualifiedName);
      return { name, fullyQualifiedName, abi: a.abi as any[], bytecode: a.bytecode, deployedBytecode: a.deployedBytecode };
    },
    get solcVersion() {
      return hre.config.solidity.compilers[0].version;
    },
    gasChains: (blockGasLimit: number) => gasChains(hre, blockGasLimit),
    cli: () => require.resolve("hardhat/internal/cli/cli.js", { paths: [hre.config.paths.root] }),
  };
}

/** What --verify needs of Hardhat 2 (hardhat-verify 2 loaded, an Etherscan key), read before anything is deployed. */
export function hardhat2VerifyReadiness(hre: HardhatRuntimeEnvironment): VerifyReadiness {
  const key = (hre.config as { etherscan?: { apiKey?: string | Record<string, string> } }).etherscan?.apiKey;
  return {
    major: 2,
    network: hre.network.name,
    chainId: (hre.network.config as { chainId?: number }).chainId,
    plugin: "verify:verify" in hre.tasks,
    apiKey: typeof key === "string" ? key : key?.[hre.network.name],
  };
}

defineTask("deploy-verifier")
  .setAction(async (args: DeployArgs & { verify: boolean }, hre) =>
    boundary(async () => {
      const host = hardhat2Host(hre);
      if (args.verify) checkVerifyReadiness(hardhat2VerifyReadiness(hre));
      return deployVerifierAction(args, host, async (r, recordFile) => {
        if (!args.verify) return;
        // hardhat-verify 2's subtask (hardhat-toolbox 6 loads it)
        await publishSources(r, { root: host.root, recordFile, network: hre.network.name, major: 2 }, (c) =>
          hre.run("verify:verify", { address: c.address, constructorArguments: c.constructorArguments, contract: c.fullyQualifiedName }),
        );
      });
    }),
  );

defineTask("submit-proof")
  .setAction(async (args: SubmitArgs, hre) => boundary(async () => submitProofAction(args, hardhat2Host(hre))));

defineTask("verify-proof")
  .setAction(async (args: VerifyProofArgs, hre) => boundary(async () => verifyProofAction(args, hardhat2Host(hre))));
