/**
 * What the shared task actions (./prove-model.ts, ./deploy.ts, ./gas.ts) need from the Hardhat that runs them:
 * the project, its `zkml` config, the chain a task acts on, the compiler and the in-process chains gas is measured
 * on. Each plugin (../hardhat2, ../hardhat3) builds one from its runtime environment; the actions import nothing
 * from Hardhat.
 */
import type { Provider, Signer } from "ethers";
import type { ZkmlConfig } from "../../core/config";
import type { Visibility } from "../../statement/visibility";
import type { ChainSpec } from "../../evm/chain";
import type { CompiledContract } from "../../evm/deploy";
import type { Lookup } from "../../evm/networks";

export interface Host {
  /** The project's root folder (build/, deployments/, contracts/generated/ are under it). */
  root: string;
  zkml: ZkmlConfig<Visibility>;
  /** Where a network's settings come from (the environment first, then the major's configuration variables). */
  lookup: Lookup;
  /** The network a task acts on: its name, its URL and chain id when configured. */
  network(): Promise<{ name: string; url?: string; chainId?: number }>;
  /** The account transactions are sent from (a ZkmlError when there is none). */
  signer(): Promise<Signer>;
  /** A read-only view of the network. */
  provider(): Promise<Provider>;
  /** Compile the project's contracts (the generated ones among them) with the pinned solc. */
  compile(): Promise<void>;
  /** A compiled contract of contracts/generated/. */
  artifact(name: string): Promise<CompiledContract>;
  /** The solc version the project compiles with. */
  solcVersion: string;
  /** Two fresh in-process chains: one with `blockGasLimit` and EIP-170, one with both lifted. */
  gasChains(blockGasLimit: number): Promise<{ standard: ChainSpec; raised: ChainSpec }>;
  /** The project's Hardhat command line (the script `npx hardhat` runs), to start a task in its own process. */
  cli(): string;
}
