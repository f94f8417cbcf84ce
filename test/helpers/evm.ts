/**
 * Test helpers for generated contracts: compile many in one run of the pinned solc (no download), deploy an
 * inference contract with its weight data contracts on the in-process network.
 */
import hre from "hardhat";
import type { Signer } from "ethers";
import { compileSolidity } from "../../src/evm/solc";
import { SolidityBundle } from "../../src/backends/solidity/inference";
import * as fs from "fs";
import type { ProofArtifact } from "../../src/evm/compare";
import { Paths, ProofSystem } from "../../src/core/paths";
import { ROOT } from "./circuit";
import { DEFAULT_VISIBILITY, Visibility } from "../../src/statement/visibility";
import type { CircuitOptions } from "../../src/pipeline/circuit";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Compile many generated contracts in one solc run (the pinned `solc` package, no download). */
export function compileAll(bundles: SolidityBundle[]): Map<string, { abi: any; bytecode: string; deployedBytes: number }> {
  const all = compileSolidity(Object.fromEntries(bundles.map((b) => [`${b.contract}.sol`, b.source])));
  return new Map(bundles.map((b) => [b.contract, { ...all.get(b.contract)!, deployedBytes: all.get(b.contract)!.runtimeBytes }]));
}

/** Deploy on the in-process network, or with `signer` on another chain (such as the raised twin of tasks/chains.ts). */
export async function deployInference(b: SolidityBundle, compiled: { abi: any; bytecode: string }, signer?: Signer): Promise<any> {
  signer ??= (await hre.ethers.getSigners())[0];
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


/** A committed real proof with its verification key and statement (test/fixtures/gas, made by scripts/gas-fixtures.ts). */
export function loadGasFixture(model: string, system: ProofSystem, visibility: Visibility = DEFAULT_VISIBILITY): ProofArtifact & { circuit: CircuitOptions } {
  const raw = JSON.parse(fs.readFileSync(new Paths(ROOT).get({ kind: "gasFixture", model, system, visibility }), "utf8"));
  return { ...raw, proof: raw.proof.map(BigInt), publicSignals: raw.publicSignals.map(BigInt), circuit: { visibility: raw.visibility, backend: "auto", quant: {} } };
}
