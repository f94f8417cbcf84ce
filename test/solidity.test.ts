/**
 * On-chain inference is the reference interpreter, bit for bit: random models rendered to Solidity (weights
 * packed in data contracts), compiled offline with the pinned solc, deployed on the in-process network, and
 * called; every output equals runIR's. Out-of-range inputs revert.
 */
import { expect } from "chai";
import hre from "hardhat";
import { QModel, runIR } from "../src/ir";
import { renderSolidity, SolidityBundle, CHUNK_BYTES } from "../src/solidity";
import { prepareModels } from "./helpers/random";

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

describe("Solidity inference = reference interpreter (property, random models)", function () {
  this.timeout(900_000);
  const BATCHES = 4;
  const PER = 25;
  for (let b = 0; b < BATCHES; b++) {
    it(`batch ${b + 1}/${BATCHES}: ${PER} random models x 3 inputs, outputs bit for bit`, async () => {
      const models = prepareModels(PER, 5000 + b);
      const bundles = models.map((m, i) => renderSolidity(m.q, `Random${b}_${i}`));
      const compiled = compileAll(bundles);
      for (let i = 0; i < models.length; i++) {
        const c = await deployInference(bundles[i], compiled.get(bundles[i].contract)!);
        for (const x of models[i].inputs) {
          const got: bigint[] = await c.infer(x);
          expect(got.map(String), `model ${i}`).to.deep.equal(runIR(models[i].q, x).output.map(String));
        }
      }
    });
  }

  it("reverts on an input out of range or of the wrong length; splits weights past EIP-170", async () => {
    const m = prepareModels(1, 77)[0];
    const q: QModel = m.q;
    const big: QModel = { ...q, ops: [...q.ops] };
    const bundle = renderSolidity(q, "RangeCheck");
    const compiled = compileAll([bundle]);
    const c = await deployInference(bundle, compiled.get("RangeCheck")!);
    const x = [...m.inputs[0]];
    x[0] = q.input.min - 1n;
    await expect(c.infer(x)).to.be.revertedWithCustomError(c, "InputOutOfRange").withArgs(0);
    await expect(c.infer(x.slice(1))).to.be.revertedWithCustomError(c, "WrongInputLength");
    // a dense layer with 30,000 one-byte weights needs two data contracts
    const wide: QModel = {
      ...big,
      name: "wide",
      input: { ...q.input, shape: [300] },
      ops: [{ op: "dense", inSize: 300, units: 100, weights: Array.from({ length: 30000 }, (_, i) => BigInt((i % 255) - 127)), bias: Array(100).fill(3n) }],
    };
    const wb = renderSolidity(wide, "Wide");
    expect(wb.dataRuntimes.length).to.equal(Math.ceil((30000 + 100) / CHUNK_BYTES));
    const wc = await deployInference(wb, compileAll([wb]).get("Wide")!);
    const wx = Array.from({ length: 300 }, (_, i) => wide.input.min + BigInt(i % 3));
    expect((await wc.infer(wx)).map(String)).to.deep.equal(runIR(wide, wx).output.map(String));
  });
});
