/**
 * `npx hardhat deploy-verifier`, `submit-proof` and `verify-proof` in Hardhat 2: the options, and the actions shared
 * with the Hardhat 3 plugin (../actions/deploy.ts) run on hre (hardhat2Host); --verify publishes the sources with
 * hardhat-verify. Also: the check that a network's RPC URL is set, run whenever a task uses it.
 */
import * as path from "path";
import { extendEnvironment, task, types, vars } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { HardhatPluginError } from "hardhat/plugins";
import { ZkmlError, isZkmlError } from "../../core/errors";
import { Lookup, networkSpec, requireNetworkSettings } from "../../evm/networks";
import { DeployArgs, deployVerifierAction, SubmitArgs, submitProofAction, VerifyProofArgs, verifyProofAction } from "../actions/deploy";
import type { Host } from "../actions/host";
import { gasChains } from "./chains";
import { boundary, PLUGIN, say, withCircuitOptions } from "./common";

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

const ALLOW_DEV_SETUP = "Deploy (or submit to) a verifier whose key comes from a development powers of tau on a real network anyway: anyone holding its secrets can forge proofs; the record is marked forgeable";

withCircuitOptions(task("deploy-verifier", "Deploy a circuit's verifier and consumer contract to --network and record them in deployments/<network>/<circuit>-<system>.json"))
  .addParam("model", "A built-in model (lenet5, mlp-mnist), paper0/<network>, or a path to a model file (.json, or .onnx exported from PyTorch, Keras and others) (prove it first with prove-model, with the same circuit options)", undefined, types.string)
  .addOptionalParam("system", "Proof system of the verifier: groth16, plonk or fflonk", "groth16", types.string)
  .addOptionalParam("confirmations", "Blocks to wait for after each deployment (default: 1 on localhost, 2 on testnets)", undefined, types.int)
  .addFlag("force", "Deploy again even when the record matches the chain")
  .addFlag("verify", "Then publish both sources on the network's Etherscan-style explorer (hardhat-verify; needs ETHERSCAN_API_KEY and internet)")
  .addFlag("allowDevelopmentSetup", ALLOW_DEV_SETUP)
  .setAction(async (args: DeployArgs & { verify: boolean }, hre) =>
    boundary(async () =>
      deployVerifierAction(args, hardhat2Host(hre), async (r, recordFile) => {
        if (!args.verify) return;
        const net = hre.network.name;
        const rel = path.relative(hre.config.paths.root, recordFile);
        for (const c of [r.record.verifier, r.record.consumer]) {
          say(`verifying ${c.contract} on the explorer`);
          try {
            await hre.run("verify:verify", { address: c.address, constructorArguments: c.constructorArguments, contract: c.fullyQualifiedName });
          } catch (e) {
            throw new ZkmlError("CHAIN_FAILED", `--verify: ${c.contract} at ${c.address}: ${(e as Error).message.split("\n")[0]}`, {
              cause: e,
              hint: `the deployment is recorded in ${rel}; set ETHERSCAN_API_KEY (npx hardhat vars set ETHERSCAN_API_KEY) and run: npx hardhat verify --network ${net} ${c.address}${c.constructorArguments.map((a) => ` ${a}`).join("")}`,
            });
          }
        }
      }),
    ),
  );

withCircuitOptions(task("submit-proof", "Send a proof of a model's inference to its deployed consumer contract on --network; print the transaction, its gas and the recorded output"))
  .addParam("model", "The model whose verifier deploy-verifier deployed (with the same circuit options)", undefined, types.string)
  .addOptionalParam("system", "Proof system: groth16, plonk or fflonk", "groth16", types.string)
  .addOptionalParam("proof", "A folder with the proof (default: prove the model's default input with prove-model's cache)", undefined, types.string)
  .addOptionalParam("job", "A finished proof-queue job's id (prove-jobs results lists them): send its proof", undefined, types.string)
  .addFlag("allowDevelopmentSetup", ALLOW_DEV_SETUP)
  .setAction(async (args: SubmitArgs, hre) => boundary(async () => submitProofAction(args, hardhat2Host(hre))));

withCircuitOptions(task("verify-proof", "Check a proof.json and public.json against a verification key (--vkey, or --model's circuit) or a deployed verifier (--address on --network); exit 0 if valid, 1 if not"))
  .addParam("proof", "The proof (proof.json, as prove-model or snarkjs writes it)", undefined, types.string)
  .addParam("public", "Its public signals (public.json)", undefined, types.string)
  .addOptionalParam("vkey", "A verification key (verification_key.json); its system is read from its protocol", undefined, types.string)
  .addOptionalParam("model", "Instead of --vkey: the model whose circuit (with the circuit options) prove-model set up", undefined, types.string)
  .addOptionalParam("address", "Instead of a key: a deployed verifier contract on --network, asked with a call (nothing is sent)", undefined, types.string)
  .addOptionalParam("system", "groth16, plonk, fflonk or sumcheck (default: the key's protocol; with --model or --address, groth16; sumcheck needs --model)", undefined, types.string)
  .setAction(async (args: VerifyProofArgs, hre) => boundary(async () => verifyProofAction(args, hardhat2Host(hre))));
