/**
 * Contract tests the Hardhat way: the tiny-cnn contracts in contracts/fixtures/ (rendered by
 * scripts/gas-fixtures.ts from a committed real proof) are compiled by Hardhat and deployed with
 * getContractFactory on the in-process network, so `REPORT_GAS=true npx hardhat test` reports their methods
 * (hardhat-gas-reporter, offline). The live proofs of all three systems and the lenet5/mlp-mnist budgets are in
 * test/gas.test.ts; this file checks the committed fixtures have not drifted from the renderers, and budgets.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import hre from "hardhat";
import { keccak256 } from "ethers";
import { GasContracts, gasSubject, renderGasContracts } from "../src/evm/compare";
import { submitSignalArgs } from "../src/backends/solidity/consumer";
import { BN254_R } from "../src/core/field";
import { loadModelFile } from "../src/model/format";
import { Paths } from "../src/core/paths";
import { systemFor } from "../src/systems/registry";

const verifyProofArgs = (system: "groth16", proof: bigint[], pub: bigint[]) => systemFor({ system }).verifyProofArgs(proof, pub);
import { loadGasFixture } from "./helpers/evm";
import { ROOT } from "./helpers/circuit";

/* eslint-disable @typescript-eslint/no-explicit-any */

describe("contracts/fixtures: tiny-cnn inference, Groth16 verifier and consumer as Hardhat artifacts", function () {
  this.timeout(300_000);
  const model = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
  // the default statement: the 36 input values packed into 2 limbs, the label; 3 public signals
  const proof = loadGasFixture("tiny-cnn", "groth16");
  const fq = (name: string) => `contracts/fixtures/${name}.sol:${name}`;
  let g: GasContracts;
  let verifier: any, consumer: any, inference: any;
  let submitArgs: () => unknown[];

  before(async () => {
    g = renderGasContracts({ ...model, name: "fixture-tiny-cnn" }, [{ subject: await gasSubject(model, proof.circuit), proofs: [proof] }]);
    const [signer] = await hre.ethers.getSigners();
    verifier = await (await hre.ethers.getContractFactory(fq(g.names[0].verifier))).deploy();
    consumer = await (await hre.ethers.getContractFactory(fq(g.names[0].consumer))).deploy(await verifier.getAddress());
    const data: string[] = [];
    for (const init of g.naive.dataInitCodes) data.push((await (await signer.sendTransaction({ data: `0x${init}` })).wait())!.contractAddress!);
    inference = await (await hre.ethers.getContractFactory(fq(g.naive.contract))).deploy(...data);
    submitArgs = () => [...verifyProofArgs("groth16", proof.proof, proof.publicSignals).slice(0, -1), ...submitSignalArgs(g.subject.layout, proof.publicSignals)];
  });

  it("the committed sources are exactly what the renderers give for the committed proof (regenerate with scripts/gas-fixtures.ts)", () => {
    const paths = new Paths(ROOT);
    for (const name of [g.naive.contract, g.names[0].verifier, g.names[0].consumer]) {
      const file = paths.get({ kind: "fixtureSol", contract: name });
      expect(fs.readFileSync(file, "utf8"), path.relative(ROOT, file)).to.equal(g.sources[`${name}.sol`]);
    }
  });

  it("naive infer() returns the reference output", async () => {
    expect((await inference.infer(g.subject.x)).map(String)).to.deep.equal(g.subject.reference.map(String));
  });

  it("verifyProof accepts the proof; submit packs the input bytes on chain and records the reference's label; budgets hold", async () => {
    const args = verifyProofArgs("groth16", proof.proof, proof.publicSignals);
    expect(await verifier.verifyProof(...args)).to.equal(true);
    const label = g.subject.reference.reduce((best, v, i) => (v > g.subject.reference[best] ? i : best), 0);
    const [input] = submitSignalArgs(g.subject.layout, proof.publicSignals) as [string];
    // the bytes are the quantized input's offsets x - min, one per value
    expect([...Buffer.from(input.slice(2), "hex")].map((v) => BigInt(v) + g.subject.q.input.min)).to.deep.equal(g.subject.x);
    const tx = await consumer.submit(...submitArgs());
    await expect(tx).to.emit(consumer, "InferenceVerified").withArgs((await hre.ethers.getSigners())[0].address, keccak256(input), label);
    const submitGas = Number((await tx.wait()).gasUsed);
    const verifyGas = Number(await verifier.verifyProof.estimateGas(...args));
    const naiveGas = Number(await inference.infer.estimateGas(g.subject.x));
    // 3 public signals: 21,000 base + ~0.4 KB calldata + 4 pairings (181,000) + one ECMUL and ECADD per signal
    // (~6,500 with its field checks): about 225,000
    expect(verifyGas).to.be.within(200_000, 250_000);
    // the consumer adds a call (2,600 cold), 36 bytes of calldata, 2 limbs packed (~100 each), a keccak and an event
    expect(submitGas - verifyGas).to.be.within(3_000, 20_000);
    // 2,520 MACs (2x6x6x9 conv + 18x3 dense, see tiny-cnn.json) at ~50 gas plus 21,000 and calldata: far below
    // one proof check; a model this small is cheaper to run on chain than to verify
    expect(naiveGas).to.be.lessThan(verifyGas);
  });

  it("refuses a changed pixel, a changed label, a wrong input length and a label at or above the field modulus", async () => {
    const [a, b, c, input, claims] = submitArgs() as [unknown, unknown, unknown, string, bigint[]];
    const bytes = Buffer.from(input.slice(2), "hex");
    bytes[5] ^= 1;
    await expect(consumer.submit(a, b, c, "0x" + bytes.toString("hex"), claims)).to.be.revertedWithCustomError(consumer, "ProofRejected");
    await expect(consumer.submit(a, b, c, input, [(claims[0] + 1n) % 10n])).to.be.revertedWithCustomError(consumer, "ProofRejected");
    await expect(consumer.submit(a, b, c, input + "00", claims)).to.be.revertedWithCustomError(consumer, "InputLength");
    await expect(consumer.submit(a, b, c, input, [claims[0] + BN254_R])).to.be.revertedWithCustomError(consumer, "SignalOutOfField");
  });
});

describe("hardhat-gas-reporter: REPORT_GAS=true, offline", function () {
  this.timeout(300_000);
  it("reports verifyProof, submit and infer of the fixture contracts with their gas, without network access", () => {
    const cli = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
    // the parent `hardhat test` compiled the artifacts; the child runs only this file's first suite
    const r = spawnSync("node", [cli, "test", "--no-compile", "--grep", "contracts/fixtures", path.join(__dirname, "contracts.test.ts")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, REPORT_GAS: "true", NO_COLOR: "1" },
    });
    const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    expect(r.status, out).to.equal(0);
    const gasOf = (method: string) => {
      const m = new RegExp(`${method}\\s*·\\s*-\\s*·\\s*-\\s*·\\s*([0-9,]+)`).exec(out);
      return m ? Number(m[1].replace(/,/g, "")) : NaN;
    };
    // the reporter's verifyProof and infer rows are execution gas (no 21,000 base, no calldata); submit is a receipt
    // (3 public signals: ~200k of pairings and point operations; submit adds 21,000, calldata and the consumer)
    expect(gasOf("verifyProof"), out).to.be.within(180_000, 240_000);
    expect(gasOf("submit"), out).to.be.within(200_000, 270_000);
    expect(gasOf("infer"), out).to.be.within(10_000, 200_000);
    expect(out).to.match(/FixtureTinyCnnGroth16Consumer/);
  });
});
