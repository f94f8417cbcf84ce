/**
 * In-process EVMs for gas measurement: the Hardhat network as configured, but with the block gas limit the user
 * asked to be measured against ("standard"), and a twin with the limits lifted ("raised"). Both are fresh EDR
 * instances, so measuring never disturbs `hre.network`. Hardhat 2 lifts osaka's EIP-7825 per-transaction cap when
 * the block gas limit is 2^53-1 (the value solidity-coverage uses); allowUnlimitedContractSize lifts EIP-170.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ChainSpec, Eip1193 } from "../../evm/chain";
import { EIP7825_TX_GAS_CAP } from "../../evm/solc";
import { BEFORE_OSAKA, UNCAPPED } from "../actions/chains";

async function provider(hre: HardhatRuntimeEnvironment, overrides: Record<string, unknown>): Promise<Eip1193> {
  const { createProvider } = await import("hardhat/internal/core/providers/construction");
  const base = hre.config.networks.hardhat;
  const config = { ...hre.config, networks: { ...hre.config.networks, hardhat: { ...base, ...overrides } } };
  return (await createProvider(config, "hardhat", hre.artifacts)) as Eip1193;
}

export async function gasChains(hre: HardhatRuntimeEnvironment, blockGasLimit: number): Promise<{ standard: ChainSpec; raised: ChainSpec }> {
  const hardfork = hre.config.networks.hardhat.hardfork;
  const capped = !BEFORE_OSAKA.includes(hardfork);
  return {
    standard: {
      provider: await provider(hre, { blockGasLimit, allowUnlimitedContractSize: false }),
      hardfork,
      blockGasLimit,
      txGasCap: capped ? EIP7825_TX_GAS_CAP : null,
    },
    raised: {
      provider: await provider(hre, { blockGasLimit: UNCAPPED, allowUnlimitedContractSize: true }),
      hardfork,
      blockGasLimit: UNCAPPED,
      txGasCap: null,
    },
  };
}
