/**
 * The networks a user deploys verifiers to, and where their settings come from. Free of Hardhat: hardhat.config.ts
 * builds its `networks` and `etherscan` sections from this table, and tasks/networks.ts checks, when a task runs
 * on one of them, that what it needs is set.
 *
 * Each remote network needs an RPC URL (`<PREFIX>_RPC_URL`) and, to send transactions, a deployer key
 * (`<PREFIX>_PRIVATE_KEY`, else the shared `DEPLOYER_PRIVATE_KEY`). Values come from the environment first, then
 * from Hardhat's configuration variables (`npx hardhat vars set SEPOLIA_RPC_URL`). A missing value is an error
 * only when that network is used, and the error names the variable. `localhost` needs nothing: it defaults to a
 * `npx hardhat node` at http://127.0.0.1:8545 with the node's own unlocked accounts; LOCALHOST_RPC_URL and
 * LOCALHOST_PRIVATE_KEY override both.
 *
 * Explorer verification (hardhat-verify) uses one Etherscan API key, ETHERSCAN_API_KEY, through Etherscan's v2
 * API, which serves every chain below by chain id.
 */
import { ZkmlError } from "../core/errors";
import { EIP7825_TX_GAS_CAP } from "./solc";

export interface NetworkSpec {
  name: string;
  chainId: number;
  /** prefix of its variables: SEPOLIA -> SEPOLIA_RPC_URL, SEPOLIA_PRIVATE_KEY */
  prefix: string;
  /** Block explorer, for hardhat-verify's custom chains and for printed links. */
  explorer?: string;
  /** Confirmations deploy-verifier waits for by default. */
  confirmations: number;
  /** The most gas one transaction may use, where the chain caps it (EIP-7825 on Ethereum's networks since osaka). */
  txGasCap?: number;
}

export const NETWORKS: readonly NetworkSpec[] = [
  { name: "localhost", chainId: 31337, prefix: "LOCALHOST", confirmations: 1 },
  { name: "sepolia", chainId: 11155111, prefix: "SEPOLIA", explorer: "https://sepolia.etherscan.io", confirmations: 2, txGasCap: EIP7825_TX_GAS_CAP },
  { name: "hoodi", chainId: 560048, prefix: "HOODI", explorer: "https://hoodi.etherscan.io", confirmations: 2, txGasCap: EIP7825_TX_GAS_CAP },
  { name: "base-sepolia", chainId: 84532, prefix: "BASE_SEPOLIA", explorer: "https://sepolia.basescan.org", confirmations: 2 },
  { name: "arbitrum-sepolia", chainId: 421614, prefix: "ARBITRUM_SEPOLIA", explorer: "https://sepolia.arbiscan.io", confirmations: 2 },
  { name: "optimism-sepolia", chainId: 11155420, prefix: "OPTIMISM_SEPOLIA", explorer: "https://sepolia-optimism.etherscan.io", confirmations: 2 },
];

export const LOCAL_RPC_URL = "http://127.0.0.1:8545";
export const SHARED_KEY_VAR = "DEPLOYER_PRIVATE_KEY";
export const ETHERSCAN_KEY_VAR = "ETHERSCAN_API_KEY";
/** The URL a remote network gets when its variable is unset: never contacted, tasks refuse it first. */
const UNSET_URL = "http://rpc-url-not-set.invalid";

/** Where a setting's value comes from: the environment, then Hardhat's configuration variables. */
export type Lookup = (variable: string) => string | undefined;

export const urlVar = (n: NetworkSpec) => `${n.prefix}_RPC_URL`;
export const keyVar = (n: NetworkSpec) => `${n.prefix}_PRIVATE_KEY`;

export function networkSpec(name: string): NetworkSpec | undefined {
  return NETWORKS.find((n) => n.name === name);
}

function keyFor(n: NetworkSpec, get: Lookup): string | undefined {
  return get(keyVar(n)) ?? (n.name === "localhost" ? undefined : get(SHARED_KEY_VAR));
}

function checkKey(n: NetworkSpec, key: string): string {
  const k = key.startsWith("0x") ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(k))
    throw new ZkmlError("CONFIG_INVALID", `${keyVar(n)}: expected a private key of 32 bytes in hex (64 hex digits), got ${key.length} characters`, {
      hint: `set it again: npx hardhat vars set ${keyVar(n)}`,
    });
  return k;
}

/** Networks a forgeable (development) setup may be used on: the in-process Hardhat network and a local node. */
export const LOCAL_NETWORKS: readonly string[] = ["hardhat", "localhost"];
/** Chain ids of development nodes: Hardhat and anvil (31337), ganache and geth --dev (1337). */
export const DEV_CHAIN_IDS: readonly number[] = [31337, 1337];

/**
 * Hardhat 3's in-process networks, by name: a network of type `edr-simulated` (the `default` one, or a user's own)
 * is a simulation in this process, whatever it is called. The Hardhat 3 plugin names each one here when it
 * connects, from the network's type.
 */
const IN_PROCESS = new Set<string>();

export function markInProcessNetwork(name: string, type: string): void {
  if (type === "edr-simulated") IN_PROCESS.add(name);
}

/**
 * Is this a throwaway local chain? By name (hardhat, localhost, or a Hardhat 3 network marked in-process by its
 * type) and, once the node was asked, by chain id: a `localhost` whose URL points at a real chain
 * (LOCALHOST_RPC_URL) is not local. Every other network is real, including a user's own that is not in NETWORKS.
 */
export function isLocalChain(network: string, chainId?: number): boolean {
  if (IN_PROCESS.has(network)) return true;
  return LOCAL_NETWORKS.includes(network) && (chainId === undefined || DEV_CHAIN_IDS.includes(chainId));
}

/** The `networks` section of hardhat.config.ts: every network present, whatever is set. */
export function hardhatNetworks(get: Lookup): Record<string, { url: string; chainId: number; accounts?: string[] }> {
  const out: Record<string, { url: string; chainId: number; accounts?: string[] }> = {};
  for (const n of NETWORKS) {
    const url = get(urlVar(n)) ?? (n.name === "localhost" ? LOCAL_RPC_URL : UNSET_URL);
    const key = keyFor(n, get);
    // a malformed key must not break every other command: it is reported when the network is used
    const accounts = key && /^(0x)?[0-9a-fA-F]{64}$/.test(key) ? [key.startsWith("0x") ? key : `0x${key}`] : undefined;
    out[n.name] = { url, chainId: n.chainId, ...(accounts ? { accounts } : n.name === "localhost" ? {} : { accounts: [] }) };
  }
  return out;
}

/**
 * What a task needs before it touches `network`: its URL and, when it sends transactions, a key. Throws a
 * ZkmlError naming the variable to set. Networks not in the table (the in-process `hardhat` one, or a user's
 * own) need nothing from us.
 */
export function requireNetworkSettings(network: string, get: Lookup, opts: { signing: boolean }): void {
  const n = networkSpec(network);
  if (!n || n.name === "localhost") {
    if (n && opts.signing) {
      const k = get(keyVar(n));
      if (k) checkKey(n, k);
    }
    return;
  }
  if (!get(urlVar(n)))
    throw new ZkmlError("CONFIG_INVALID", `network ${n.name}: no RPC URL; ${urlVar(n)} is not set`, {
      hint: `npx hardhat vars set ${urlVar(n)}   (or export ${urlVar(n)}=https://...)`,
    });
  if (opts.signing) {
    const key = keyFor(n, get);
    if (!key)
      throw new ZkmlError("CONFIG_INVALID", `network ${n.name}: no deployer key; neither ${keyVar(n)} nor ${SHARED_KEY_VAR} is set`, {
        hint: `npx hardhat vars set ${keyVar(n)}   (a key funded on ${n.name}; or ${SHARED_KEY_VAR} for every testnet)`,
      });
    checkKey(n, key);
  }
}

/** hardhat-verify's settings: one Etherscan key (v2 API, any chain id) and the chains it does not know. */
export function etherscanSettings(get: Lookup): { apiKey: string; customChains: { network: string; chainId: number; urls: { apiURL: string; browserURL: string } }[] } {
  return {
    apiKey: get(ETHERSCAN_KEY_VAR) ?? "",
    customChains: NETWORKS.filter((n) => n.explorer).map((n) => ({
      network: n.name,
      chainId: n.chainId,
      urls: { apiURL: `https://api.etherscan.io/v2/api?chainid=${n.chainId}`, browserURL: n.explorer! },
    })),
  };
}
