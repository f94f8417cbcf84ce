/**
 * What the Hardhat 3 tasks share: the error boundary (a ZkmlError becomes Hardhat 3's HardhatPluginError, printed
 * without a stack, exit code non-zero), the checks Hardhat 3 leaves to a plugin's action (required options,
 * numbers given as text) and the Host the shared actions run on (../actions/host.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from "fs";
import * as path from "path";
import { isZkmlError, ZkmlError } from "../../core/errors";
import type { Host } from "../actions/host";
import { taskFailure } from "../actions/output";
import { markInProcessNetwork } from "../../evm/networks";

export const PLUGIN = "zkml-hardhat";
/** The one Solidity version, shipped by the pinned `solc` npm package: compiling it never downloads. */
export const SOLC_VERSION = "0.8.30";

/**
 * snarkjs builds ffjavascript's shared multi-threaded curve (verifying a Groth16 proof does) and never ends its worker
 * threads; Hardhat 2 exits when a task is done, Hardhat 3 waits for them. A task ends them when it is done.
 */
async function endSharedCurve(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate?: () => Promise<void> } | null };
  const curve = g.curve_bn128;
  if (!curve?.terminate) return;
  g.curve_bn128 = null;
  await curve.terminate();
}

export async function boundary<T>(fn: () => Promise<T>, opts: { json?: boolean } = {}): Promise<T> {
  try {
    return await fn();
  } catch (caught) {
    const e = await taskFailure(caught, opts.json);
    if (!isZkmlError(e)) throw e;
    const message = `[${e.code}] ${e.describe()}`;
    let PluginError: (new (plugin: string, message: string, parent?: Error) => Error) | undefined;
    try {
      // Hardhat 3's own error class, from the project's Hardhat (it prints the message, not a stack)
      PluginError = (await import("@nomicfoundation/hardhat-errors" as string)).HardhatPluginError;
    } catch {
      PluginError = undefined;
    }
    throw PluginError ? new PluginError(PLUGIN, message, e) : new Error(`${PLUGIN}: ${message}`);
  } finally {
    await endSharedCurve();
  }
}

/** A required option (Hardhat 3 plugins declare none: an option is given or not). */
export function required(value: string | undefined, flag: string, example: string): string {
  if (value === undefined || value === "") throw new ZkmlError("OPTION_INVALID", `${flag} is required`, { hint: `e.g. npx hardhat ${example}` });
  return value;
}

/** A whole-number option given as text. */
export function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value.replace(/_/g, ""))) throw new ZkmlError("OPTION_INVALID", `${flag}: expected a whole number, got ${JSON.stringify(value)}`, { hint: `e.g. ${flag} 8` });
  return Number(value.replace(/_/g, ""));
}

/** A number option given as text (a decimal, as Hardhat 2's float options take). */
export function decimal(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ""));
  if (value.trim() === "" || !Number.isFinite(n)) throw new ZkmlError("OPTION_INVALID", `${flag}: expected a number, got ${JSON.stringify(value)}`, { hint: `e.g. ${flag} 2` });
  return n;
}

/** The circuit options' numbers read from text. */
export function circuitNumbers<T extends { batch?: string; scaleBits?: string; maxError?: string }>(args: T): Omit<T, "batch" | "scaleBits" | "maxError"> & { batch?: number; scaleBits?: number; maxError?: number } {
  return { ...args, batch: whole(args.batch, "--batch"), scaleBits: whole(args.scaleBits, "--scale-bits"), maxError: decimal(args.maxError, "--max-error") };
}

/** The network the task runs on (--network, else the default one), one connection per runtime environment. */
const connections = new WeakMap<object, Promise<any>>();
function connection(hre: any): Promise<any> {
  let c = connections.get(hre);
  if (!c) {
    c = hre.network.getOrCreate().then((conn: any) => {
      markInProcessNetwork(conn.networkName, conn.networkConfig.type);
      return conn;
    });
    connections.set(hre, c!);
  }
  return c!;
}

/** Hardhat 3's in-process chains are EDR networks of type edr-simulated; gas is measured on two fresh ones. */
async function gasChains(hre: any, blockGasLimit: number) {
  const { BEFORE_OSAKA, UNCAPPED } = await import("../actions/chains");
  const { EIP7825_TX_GAS_CAP } = await import("../../evm/solc");
  const base = await hre.network.create({ network: "default", override: { blockGasLimit: BigInt(blockGasLimit), allowUnlimitedContractSize: false } });
  const raised = await hre.network.create({ network: "default", override: { blockGasLimit: BigInt(UNCAPPED), allowUnlimitedContractSize: true, transactionGasCap: false } });
  const hardfork: string = base.networkConfig.hardfork;
  return {
    standard: { provider: base.provider, hardfork, blockGasLimit, txGasCap: BEFORE_OSAKA.includes(hardfork) ? null : EIP7825_TX_GAS_CAP },
    raised: { provider: raised.provider, hardfork, blockGasLimit: UNCAPPED, txGasCap: null },
  };
}

/** What the shared actions need, from Hardhat 3's runtime environment. */
export function hardhat3Host(hre: any): Host {
  const network = async () => {
    const conn = await connection(hre);
    const url = conn.networkConfig.url;
    return { name: conn.networkName as string, url: typeof url === "string" ? url : undefined, chainId: conn.networkConfig.chainId as number | undefined };
  };
  const browser = async () => {
    const { BrowserProvider } = await import("ethers");
    // no cached block number or nonce between a deployment's transactions
    return new BrowserProvider((await connection(hre)).provider, undefined, { cacheTimeout: -1 });
  };
  return {
    root: hre.config.paths.root,
    zkml: hre.config.zkml,
    lookup: (name) => process.env[name] || undefined,
    network,
    async signer() {
      const provider = await browser();
      const { readNode } = await import("../../evm/rpc");
      const net = await network();
      const accounts = (await readNode({ network: net.name, url: net.url }, "listing the accounts", () => provider.send("eth_accounts", []))) as string[];
      if (accounts.length === 0) throw new ZkmlError("CONFIG_INVALID", `network ${net.name}: no account to send from`, { hint: `give the network accounts in hardhat.config (accounts: [configVariable("DEPLOYER_PRIVATE_KEY")])` });
      return provider.getSigner(accounts[0]);
    },
    provider: browser,
    async compile() {
      await hre.tasks.getTask("build").run({ quiet: true });
    },
    async artifact(name: string) {
      const fullyQualifiedName = `contracts/generated/${name}.sol:${name}`;
      const a = await hre.artifacts.readArtifact(fullyQualifiedName);
      return { name, fullyQualifiedName, abi: a.abi, bytecode: a.bytecode, deployedBytecode: a.deployedBytecode };
    },
    get solcVersion() {
      return (hre.config.solidity?.profiles?.default?.compilers?.[0]?.version as string | undefined) ?? SOLC_VERSION;
    },
    gasChains: (blockGasLimit) => gasChains(hre, blockGasLimit),
    // Hardhat 3's package exports its package.json, not its cli.js: the script is found from its `bin`
    cli() {
      const pkg = require.resolve("hardhat/package.json", { paths: [hre.config.paths.root] });
      return path.join(path.dirname(pkg), (JSON.parse(fs.readFileSync(pkg, "utf8")) as { bin: { hardhat: string } }).bin.hardhat);
    },
  };
}
