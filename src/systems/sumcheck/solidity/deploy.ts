/**
 * Deploying a rendered sumcheck verifier: its data contracts first (the model commitment's rows and the Hyrax
 * generators, ./render.ts), then the verifier with their addresses; every contract checked against EIP-170 before
 * anything is sent.
 */
import { Contract, ContractFactory, Signer } from "ethers";
import { checkContractSize, Compiled } from "../../../evm/solc";
import type { RenderedSumcheckVerifier } from "./render";

export interface DeployedSumcheckVerifier {
  verifier: Contract;
  address: string;
  chunkAddresses: string[];
  /** gas of every deployment transaction: the data contracts', then the verifier's */
  deployGas: number[];
}

export async function deploySumcheckVerifier(r: RenderedSumcheckVerifier, compiled: Compiled, signer: Signer): Promise<DeployedSumcheckVerifier> {
  checkContractSize(r.contractName, compiled.runtimeBytes);
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
  return { verifier, address: await verifier.getAddress(), chunkAddresses, deployGas };
}
