/**
 * Test helpers for generated contracts: compile many in one run of the pinned solc (no download), deploy an
 * inference contract with its weight data contracts on the in-process network.
 */
import hre from "hardhat";
import { SolidityBundle } from "../../src/solidity";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** Compile many generated contracts in one solc run (the pinned `solc` package, no download). */
export function compileAll(bundles: SolidityBundle[]): Map<string, { abi: any; bytecode: string; deployedBytes: number }> {
  const solc = require("solc");
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(bundles.map((b) => [`${b.contract}.sol`, { content: b.source }])),
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: any) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: any) => e.formattedMessage).join("\n"));
  const res = new Map();
  for (const b of bundles) {
    const c = out.contracts[`${b.contract}.sol`][b.contract];
    res.set(b.contract, { abi: c.abi, bytecode: c.evm.bytecode.object, deployedBytes: c.evm.deployedBytecode.object.length / 2 });
  }
  return res;
}

export async function deployInference(b: SolidityBundle, compiled: { abi: any; bytecode: string }): Promise<any> {
  const [signer] = await hre.ethers.getSigners();
  const addrs: string[] = [];
  for (const init of b.dataInitCodes) {
    const tx = await signer.sendTransaction({ data: `0x${init}` });
    addrs.push((await tx.wait())!.contractAddress!);
  }
  const f = new hre.ethers.ContractFactory(compiled.abi, compiled.bytecode, signer);
  const c = await f.deploy(...addrs);
  await c.waitForDeployment();
  return c;
}

