/**
 * The chains gas is measured on: an EIP-1193 provider and its limits (the hardfork's per-transaction cap, the
 * block gas limit, EIP-170), a minimal client that sends, mines and reads receipts, and the rule that runs a group
 * of transactions on the raised chain first and again on the standard chain when it fits (src/evm/gas.ts).
 */
import { ZkmlError } from "../core/errors";
import { EIP170_LIMIT } from "./solc";

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export interface ChainSpec {
  provider: Eip1193;
  hardfork: string;
  blockGasLimit: number;
  /** Per-transaction gas cap (EIP-7825), or null when the hardfork has none or it is lifted. */
  txGasCap: number | null;
}

/**
 * The most gas one measured transaction may use on the raised chain. Hardhat's EVM (EDR) keeps an execution trace
 * of every call for its stack traces, about 160 bytes per unit of gas (measured: a 4.7M-gas call grew the process
 * by 750 MB), so a call of 40M gas needs about 6.4 GB. Beyond it we report a lower bound instead of running out of
 * memory.
 */
export const MEASURE_GAS_LIMIT = 40_000_000;
/**
 * Gas a deployment may use on the raised chain. A deployment's gas is mostly the 200 per byte of code deposited,
 * a handful of opcodes, so its trace stays small: FFLONK's verifier for 794 signals needs more than 40M.
 */
export const DEPLOY_GAS_LIMIT = 1_000_000_000;

/** A minimal JSON-RPC client: send, mine (automine), read the receipt. */
export class Chain {
  private from?: string;
  constructor(readonly spec: ChainSpec) {}

  private async rpc<T>(method: string, params: unknown[]): Promise<T> {
    try {
      return (await this.spec.provider.request({ method, params })) as T;
    } catch (e) {
      throw new ZkmlError("CHAIN_FAILED", `${method}: ${(e as Error).message.split("\n")[0]}`, { cause: e, hint: "see the message; a revert here is a bug in the generated contract or a wrong proof" });
    }
  }

  async account(): Promise<string> {
    this.from ??= (await this.rpc<string[]>("eth_accounts", []))[0];
    return this.from;
  }

  async call(to: string, data: string): Promise<string> {
    return this.rpc<string>("eth_call", [{ from: await this.account(), to, data }, "latest"]);
  }

  /**
   * eth_estimateGas on a capped chain. EDR's estimator probes above the gas a call used (a 7.5M-gas verification was
   * probed at 18.7M) and fails when a probe passes the cap, although the call fits it: then the cap itself is the
   * limit (the gas a transaction uses does not depend on its limit).
   */
  private async estimate(tx: { from: string; to?: string; data: string }, cap: number): Promise<bigint> {
    try {
      return BigInt(await this.rpc<string>("eth_estimateGas", [tx]));
    } catch (e) {
      if (/greater than the cap/.test((e as Error).message ?? "")) return BigInt(cap);
      throw e;
    }
  }

  /**
   * Send a transaction and return its receipt's gasUsed (and, for a deployment, the address). On a chain with a cap
   * we estimate first (each run is small); on the raised chain we send with MEASURE_GAS_LIMIT, since estimating
   * reruns the call several times.
   */
  async send(tx: { to?: string; data: string }, opts: { allowOutOfGas?: boolean; gasLimit?: number } = {}): Promise<{ gas: number; outOfGas: boolean; address?: string; logs: { topics: string[]; data: string }[] }> {
    const from = await this.account();
    // the estimate's margin never past the chain's per-transaction cap (a node refuses such a transaction unmined)
    const capped = (g: bigint) => (this.spec.txGasCap !== null && g > BigInt(this.spec.txGasCap) ? BigInt(this.spec.txGasCap) : g);
    const gas = this.spec.txGasCap === null ? BigInt(opts.gasLimit ?? MEASURE_GAS_LIMIT) : capped((await this.estimate({ from, ...tx }, this.spec.txGasCap)) * 11n / 10n);
    const blockBefore = await this.rpc<string>("eth_blockNumber", []);
    let hash: string;
    try {
      hash = await this.rpc<string>("eth_sendTransaction", [{ from, ...tx, gas: `0x${gas.toString(16)}` }]);
    } catch (e) {
      // Hardhat throws on a failed transaction; the receipt is still mined, in a block of its own (automine). A
      // transaction refused unmined leaves no new block: then the error is the answer, never an older receipt.
      if (!opts.allowOutOfGas) throw e;
      const block = await this.rpc<{ number: string; transactions: string[] } | null>("eth_getBlockByNumber", ["latest", false]);
      const last = block?.transactions[block.transactions.length - 1];
      if (!last || !block || BigInt(block.number) <= BigInt(blockBefore)) throw e;
      hash = last;
    }
    const receipt = await this.rpc<{ status: string; gasUsed: string; contractAddress?: string; logs: { topics: string[]; data: string }[] } | null>("eth_getTransactionReceipt", [hash]);
    if (!receipt) throw new ZkmlError("CHAIN_FAILED", `transaction ${hash} was not mined`, { hint: "compare-gas needs a chain that mines each transaction at once (automine)" });
    const used = Number(BigInt(receipt.gasUsed));
    const outOfGas = receipt.status !== "0x1" && BigInt(used) === gas;
    if (receipt.status !== "0x1" && !(outOfGas && opts.allowOutOfGas))
      throw new ZkmlError("CHAIN_FAILED", `transaction ${hash} reverted`, { hint: "a bug in the generated contract; please report it" });
    return { gas: used, outOfGas, address: receipt.contractAddress ?? undefined, logs: receipt.logs };
  }

  async deploy(name: string, initCode: string, runtimeBytes: number): Promise<{ name: string; runtimeBytes: number; deployGas: number; address: string; flags: string[] }> {
    const r = await this.send({ data: initCode.startsWith("0x") ? initCode : `0x${initCode}` }, { gasLimit: DEPLOY_GAS_LIMIT });
    return { name, runtimeBytes, deployGas: r.gas, address: r.address!, flags: [] };
  }
}

export function flagsFor(spec: ChainSpec, gas: number, runtimeBytes?: number): string[] {
  const f: string[] = [];
  if (spec.txGasCap !== null && gas > spec.txGasCap) f.push(`passes the ${spec.hardfork} per-transaction cap of ${spec.txGasCap.toLocaleString("en-US")} gas (EIP-7825)`);
  if (gas > spec.blockGasLimit) f.push(`passes the block gas limit of ${spec.blockGasLimit.toLocaleString("en-US")}`);
  if (runtimeBytes !== undefined && runtimeBytes > EIP170_LIMIT) f.push(`passes EIP-170's ${EIP170_LIMIT.toLocaleString("en-US")}-byte contract limit`);
  return f;
}

/** Run a group on the raised chain; if nothing in it passes a standard limit, run it again on the standard chain. */
export async function measureGroup<T>(chains: { standard: ChainSpec; raised: ChainSpec }, group: (c: Chain) => Promise<T>, usage: (t: T) => { gas: number; runtimeBytes?: number }[]): Promise<{ result: T; raised: boolean; flags: string[][] }> {
  const high = await group(new Chain(chains.raised));
  const flags = usage(high).map((u) => flagsFor(chains.standard, u.gas, u.runtimeBytes));
  if (flags.some((f) => f.length)) return { result: high, raised: true, flags };
  return { result: await group(new Chain(chains.standard)), raised: false, flags };
}

