/**
 * End to end on a small conv net: prove-model's pipeline proves and verifies; the stock snarkjs command line
 * verifies the same proof; the generated Solidity verifier accepts it on the in-process EVM and rejects it
 * with one public signal changed.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import hre from "hardhat";
import { CircuitProveReport as ProveReport, proveModel } from "../src/pipeline/prove";
import { loadModelFile } from "../src/model/format";
import { ACCOUNT0, ROOT } from "./helpers/circuit";
import { packValues } from "../src/statement/commitments";
import { readInputFile } from "../src/model/zoo";
import { quantizeFor, quantizeInput } from "../src/quantize/quantize";

/* eslint-disable @typescript-eslint/no-require-imports */

describe("prove-model end to end (tiny-cnn)", function () {
  this.timeout(600_000);
  let report: ProveReport;

  before(async () => {
    report = await proveModel({
      root: ROOT,
      model: loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json")),
      inputFile: path.join(__dirname, "fixtures", "tiny-input.json"),
      context: ACCOUNT0,
    });
  });

  it("proves, verifies, and the circuit's output is the reference interpreter's", () => {
    expect(report.verified).to.equal(true);
    expect(report.matchesReference).to.equal(true);
    // 36 inputs x (8 + 1) + 72 conv neurons x (K + 2) + 3 outputs; K is at least shift + 1 > 2
    expect(report.circuit.constraints).to.be.greaterThan(36 * 9 + 72 * 4 + 3);
    expect(report.circuit.publicSignals).to.equal(1 + 2 + 1); // the label, 36 input bytes packed into 2 limbs, the context
    expect(report.proofBytes, "a, b, c of the calldata: 2 + 4 + 2 words").to.equal(8 * 32);
    const pub = JSON.parse(fs.readFileSync(report.files.public, "utf8")) as string[];
    const q = quantizeFor(loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json")));
    const tinyInput = () => readInputFile(path.join(__dirname, "fixtures", "tiny-input.json"));
    expect(pub[0], "the public label is the reference's class").to.equal(String(report.prediction.class));
    expect(pub.slice(1, 3).map(BigInt), "the limbs pack the quantized input").to.deep.equal(packValues(quantizeInput(q, tinyInput()), 8, q.input.min));
    expect(pub[3], "the last signal is the account the proof is bound to").to.equal(String(ACCOUNT0));
    expect(report.boundTo).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  });

  it("the stock snarkjs CLI verifies the proof", () => {
    const cli = path.join(ROOT, "node_modules", "snarkjs", "build", "cli.cjs");
    const out = execFileSync("node", [cli, "groth16", "verify", report.files.verificationKey, report.files.public, report.files.proof], { encoding: "utf8" });
    expect(out).to.match(/OK!/);
  });

  it("a second run is served from the cache", async () => {
    const again = await proveModel({
      root: ROOT,
      model: loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json")),
      inputFile: path.join(__dirname, "fixtures", "tiny-input.json"),
      context: ACCOUNT0,
    });
    const cached = Object.fromEntries(again.stages.map((s) => [s.stage, s.cached]));
    expect(cached).to.include({ compile: true, ptau: true, setup: true, witness: true, prove: true });
    expect(again.verified).to.equal(true);
  });

  it("a circuit source rewritten since (a renderer changed; the id names the statement, not the renderer's code) is compiled and set up again", async () => {
    fs.appendFileSync(report.files.circom, "\n// changed by a newer renderer\n");
    const again = await proveModel({
      root: ROOT,
      model: loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json")),
      inputFile: path.join(__dirname, "fixtures", "tiny-input.json"),
      context: ACCOUNT0,
    });
    const cached = Object.fromEntries(again.stages.map((s) => [s.stage, s.cached]));
    expect(cached).to.include({ render: false, compile: false, setup: false });
    expect(again.circuit.id).to.equal(report.circuit.id);
    expect(again.verified).to.equal(true);
  });

  it("the generated Solidity verifier accepts the proof on chain and rejects a changed public signal", async () => {
    await hre.run("compile", { quiet: true });
    const verifier = await hre.ethers.deployContract(report.files.verifierContract);
    const snarkjs = require("snarkjs");
    const proof = JSON.parse(fs.readFileSync(report.files.proof, "utf8"));
    const pub = JSON.parse(fs.readFileSync(report.files.public, "utf8")) as string[];
    const calldata = JSON.parse(`[${await snarkjs.groth16.exportSolidityCallData(proof, pub)}]`);
    expect(await verifier.verifyProof(...calldata)).to.equal(true);
    const bad = calldata.slice();
    bad[3] = bad[3].slice();
    bad[3][0] = "0x" + (BigInt(bad[3][0]) + 1n).toString(16).padStart(64, "0");
    expect(await verifier.verifyProof(...bad)).to.equal(false);
    const gas = await verifier.verifyProof.estimateGas(...calldata);
    expect(Number(gas)).to.be.greaterThan(181_000); // the pairing check alone costs 181k (EIP-1108)
  });
});

describe("prove-model with visibility options (tiny-cnn, command line)", function () {
  this.timeout(600_000);
  const cli = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
  const tiny = path.join(__dirname, "fixtures", "tiny-cnn.json");
  const run = (...args: string[]) => execFileSync("node", [cli, "prove-model", "--model", tiny, "--json", ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  it("--input packed --weights hashed --output label: proves and verifies five public signals that the TypeScript statement predicts, the last binding the proof to the network's first account (the default context)", async () => {
    const r: ProveReport = JSON.parse(run("--input", "packed", "--weights", "hashed", "--output", "label"));
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.visibility).to.deep.equal({ input: "packed", weights: "hashed", output: "label", context: "sender" });
    // 36 inputs of 8 bits pack into two limbs (31 a limb); one label; one weights commitment; the context
    expect(r.publicLayout).to.deep.equal({ output: 1, input: 2, weights: 1 });
    const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8")) as string[];
    expect(pub[0]).to.equal(String(r.prediction.class));
    // no --bind-to: Hardhat's default account 0, which deploy-verifier and submit-proof send from
    expect(r.boundTo).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(pub.length === 5 && BigInt(pub[4])).to.equal(ACCOUNT0);
  });

  it("--weights private says, in its report, that it binds the proof to no model", () => {
    const r: ProveReport = JSON.parse(run("--weights", "private", "--input", "hashed", "--output", "hashed"));
    expect(r.verified).to.equal(true);
    expect(r.warnings.join("\n")).to.contain("any weights satisfy the circuit");
    expect(r.publicLayout).to.deep.equal({ output: 1, input: 1, weights: 0 });
  });

  it("a bad visibility value exits non-zero naming the option and the choices", () => {
    let out = "";
    try {
      run("--output", "secret");
    } catch (e) {
      out = `${(e as { stdout: string }).stdout}${(e as { stderr: string }).stderr}`;
    }
    expect(out).to.contain('--output: expected one of public, label, hashed, got "secret"');
  });
});
