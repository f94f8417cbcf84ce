/**
 * Deploying a rendered sumcheck verifier: its data contracts first (the model commitment's rows and the Hyrax
 * generators, ./render.ts), then the verifier with their addresses; every contract checked against EIP-170 before
 * anything is sent.
 */
import { Contract, ContractFactory, Signer } from "ethers";
import { checkContractSize, Compiled } from "../../../evm/solc";
import { ZkmlError } from "../../../core/errors";
import { sumcheckGasFloor } from "./cost";
import type { RenderedSumcheckVerifier } from "./render";

export interface DeployedSumcheckVerifier {
  verifier: Contract;
  address: string;
  consumer: Contract;
  chunkAddresses: string[];
  /** gas of every deployment transaction: the data contracts', the verifier's, the consumer's */
  deployGas: number[];
}

/**
 * Deploys the data contracts, then the verifier, then the consumer (./render.ts) pointing at it. Refused before anything is sent: a contract past EIP-170, and, on
 * a chain with a per-transaction cap (`txGasCap`, EIP-7825's 16,777,216 on Ethereum since osaka), a verifier whose
 * verification cannot fit it (its gas floor alone, ./cost.ts `sumcheckGasFloor`, past the cap).
 */
export async function deploySumcheckVerifier(r: RenderedSumcheckVerifier, compiled: Compiled, consumer: Compiled, signer: Signer, txGasCap: number | null = null): Promise<DeployedSumcheckVerifier> {
  checkContractSize(r.contractName, compiled.runtimeBytes);
  checkContractSize(r.consumerName, consumer.runtimeBytes);
  const floor = sumcheckGasFloor(r.program);
  if (txGasCap !== null && floor > txGasCap)
    throw new ZkmlError("OPTION_INVALID", `${r.contractName}: verifying one proof costs at least ${floor.toLocaleString("en-US")} gas (its Hyrax openings' precompile calls), past this chain's per-transaction cap of ${txGasCap.toLocaleString("en-US")}`, {
      hint: "deploy to a chain without the cap, or prove this model on-chain with --system groth16 (a constant-size proof)",
    });
  r.chunks.forEach((c, i) => checkContractSize(`${r.contractName} data ${i} (${c.blob})`, c.data.length + 1));
  const chunkAddresses: string[] = [];
  const deployGas: number[] = [];
  for (const c of r.chunks) {
    const receipt = await (await signer.sendTransaction({ data: "0x" + c.creationCode })).wait();
    if (!receipt?.contractAddress) throw new Error(`${r.contractName}: a data contract's deployment made no contract`);
    chunkAddresses.push(receipt.contractAddress);
    deployGas.push(Number(receipt.gasUsed));
  }
  const factory = new ContractFactory(compiled.abi, "0x" + compiled.bytecode, signer);
  const verifier = (await factory.deploy(chunkAddresses)) as Contract;
  const receipt = await verifier.deploymentTransaction()!.wait();
  deployGas.push(Number(receipt!.gasUsed));
  const address = await verifier.getAddress();
  const c = (await new ContractFactory(consumer.abi, "0x" + consumer.bytecode, signer).deploy(address)) as Contract;
  deployGas.push(Number((await c.deploymentTransaction()!.wait())!.gasUsed));
  return { verifier, address, consumer: c, chunkAddresses, deployGas };
}
