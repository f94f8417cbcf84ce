/**
 * The sumcheck system on a chain as a user runs it: `npx hardhat node` (EIP-170 enforced, as on Ethereum) on a free
 * port of 127.0.0.1 and the tasks as separate processes: prove-model (which commits to the weights),
 * deploy-verifier (the commitment's rows and the generators as data contracts, then the verifier, then the consumer,
 * recorded; a second run deploys nothing), submit-proof (a proof made for the submitter; a given run folder's; a
 * damaged proof refused by the contract with its check named), and the statements the contract does not take,
 * refused before anything is sent. A small MLP under its own name, so no developer's record is touched.
 */
import { expect } from "chai";
import { ChildProcess, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Paths } from "../src/core/paths";
import { loadModelFile } from "../src/model/format";
import { locateCircuit } from "../src/pipeline/prove";
import { ROOT, tmpDir } from "./helpers/circuit";
import { HARDHAT_CLI, startHardhatNode } from "./helpers/node";

const CLI = HARDHAT_CLI;

/** A 16-8-4 MLP with ReLU, seeded weights. */
function smallMlp(name: string): object {
  let s = 12345;
  const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.8;
  const dense = (inp: number, units: number) => ({ type: "dense", units, weights: Array.from({ length: units }, () => Array.from({ length: inp }, r)), bias: Array.from({ length: units }, () => r() / 4) });
  return { format: "zkml-model/1", name, description: "a 16-8-4 MLP for the sumcheck deployment test", input: { shape: [16], range: [0, 1] }, layers: [dense(16, 8), { type: "relu" }, dense(8, 4)], provenance: { source: "seeded", seed: 12345 } };
}

describe("the sumcheck system's verifier deployed and used through the tasks, against `npx hardhat node`", function () {
  this.timeout(900_000);
  const name = "e2e-sumcheck-mlp";
  const STATEMENT = ["--system", "sumcheck", "--weights", "hashed", "--input", "public", "--output", "public", "--scale-bits", "8"];
  let node: ChildProcess;
  let rpc: string;
  let dir: string;
  let modelFile: string;
  let record: string;
  let runDir: string;

  const hh = (...args: string[]) => {
    const r = spawnSync("node", [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, LOCALHOST_RPC_URL: rpc, LOCALHOST_PRIVATE_KEY: "" } });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
  };
  const onLocal = (task: string, ...more: string[]) => hh(task, "--model", modelFile, "--network", "localhost", ...STATEMENT, ...more);

  before(async () => {
    dir = tmpDir("sumcheck-deploy");
    modelFile = path.join(dir, `${name}.json`);
    fs.writeFileSync(modelFile, JSON.stringify(smallMlp(name)));
    const loc = locateCircuit(ROOT, loadModelFile(modelFile), "sumcheck", { visibility: { input: "public", weights: "hashed", output: "public", context: "sender" }, backend: "auto", quant: { scaleBits: 8 } });
    record = new Paths(ROOT).get({ kind: "deployment", network: "localhost", circuit: loc.id, system: "sumcheck" });
    fs.rmSync(record, { force: true });
    // this test's model only: its build folder (IR, commitment, runs) from an earlier run goes, so deploying first is refused
    fs.rmSync(new Paths(ROOT).get({ kind: "circuitDir", circuit: loc.id }), { recursive: true, force: true });
    ({ node, rpc } = await startHardhatNode());
  });

  after(() => {
    node?.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (record) fs.rmSync(record, { force: true });
  });

  it("before prove-model made the commitment: refused, naming the command that makes it", () => {
    const r = onLocal("deploy-verifier");
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.match(/SETUP_NOT_FOUND.*no (quantized model|weights' commitment) of e2e-sumcheck-mlp/);
    expect(r.out).to.contain("npx hardhat prove-model --model");
    expect(fs.existsSync(record)).to.equal(false);
  });

  it("a statement the contract does not take: every differing option named, nothing sent", () => {
    const r = hh("deploy-verifier", "--model", modelFile, "--network", "localhost", "--system", "sumcheck", "--weights", "private", "--input", "private", "--scale-bits", "8");
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.match(/OPTION_INVALID.*--weights private \(the verifier holds the model's commitment: --weights hashed\); --input private/);
    expect(fs.existsSync(record)).to.equal(false);
    const verify = onLocal("deploy-verifier", "--verify");
    expect(verify.code, verify.out).to.not.equal(0);
    expect(verify.out).to.match(/OPTION_INVALID.*--verify: the sumcheck verifier is compiled outside Hardhat's artifacts|--verify.*(local|localhost)/);
  });

  it("prove-model, then deploy-verifier: data contracts, verifier and consumer recorded; a second run deploys nothing", () => {
    const p = hh("prove-model", "--model", modelFile, ...STATEMENT, "--context", "sender");
    expect(p.code, p.out).to.equal(0);
    runDir = p.out.match(/(build\/circuits\/\S+\/runs\/[^/\s]+)/)![1];
    const r = onLocal("deploy-verifier");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.contain(`${name} (sumcheck) on localhost (chain 31337), recorded in ${path.relative(ROOT, record)}`);
    const rec = JSON.parse(fs.readFileSync(record, "utf8"));
    expect(rec).to.include({ format: "zkml-deployment/2", model: name, system: "sumcheck", chainId: 31337 });
    // the commitment's rows and the generators: one data contract each at this size (well under EIP-170)
    expect(rec.data.map((d: { contract: string }) => d.contract.replace(/^\S+ /, ""))).to.deep.equal(["rows data 0", "gens data 1"]);
    expect(rec.verifier.constructorArguments).to.deep.equal([JSON.stringify(rec.data.map((d: { address: string }) => d.address))]);
    expect(rec.consumer.constructorArguments).to.deep.equal([rec.verifier.address]);
    expect(rec.compiler.settings.viaIR).to.equal(true);
    expect(rec.verifier.fullyQualifiedName).to.match(/^build\/circuits\/\S+\/sumcheck\/SumcheckVerifier_\S+\.sol:SumcheckVerifier_/);
    for (const c of [rec.verifier, rec.consumer, ...rec.data]) expect(c.runtimeBytes).to.be.within(1, 24_576);
    expect(rec.statement.layout.context).to.deep.equal({ kind: "context", offset: rec.statement.layout.publicSignals - 1, count: 1 });
    const again = onLocal("deploy-verifier");
    expect(again.code, again.out).to.equal(0);
    expect(again.out).to.contain("the record matches the chain: nothing deployed");
  });

  it("submit-proof proves for the submitter and the consumer records the inference; a given run folder's proof too", () => {
    const r = onLocal("submit-proof");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/proof accepted by SumcheckInference_\S+ at 0x[0-9a-fA-F]{40}/);
    expect(r.out).to.match(/recorded: label [0-3], output \[-?\d+, -?\d+, -?\d+, -?\d+\], input hash 0x[0-9a-f]{64}/);
    const gas = Number(r.out.match(/gas ([\d,]+)/)![1].replace(/,/g, ""));
    // verifying costs at least its precompile calls (the two Hyrax openings' MSMs) and 21,000; far below the cap
    expect(gas).to.be.within(300_000, 16_777_216);
    const given = onLocal("submit-proof", "--proof", path.join(ROOT, runDir));
    expect(given.code, given.out).to.equal(0);
    expect(given.out).to.contain("proof accepted");
  });

  it("--pcs kzg: prove-model, deploy-verifier (no data contracts, a record of its own, marked forgeable: a development ptau on a local chain), submit-proof proving for the submitter; compare-gas's sumcheck row", () => {
    const p = hh("prove-model", "--model", modelFile, ...STATEMENT, "--context", "sender", "--pcs", "kzg");
    expect(p.code, p.out).to.equal(0);
    expect(p.out).to.contain("KZG commitments");
    const r = onLocal("deploy-verifier", "--pcs", "kzg");
    expect(r.code, r.out).to.equal(0);
    const kzgRecord = record.replace(/\.json$/, "-kzg.json");
    expect(r.out).to.contain(`recorded in ${path.relative(ROOT, kzgRecord)}`);
    try {
      const rec = JSON.parse(fs.readFileSync(kzgRecord, "utf8"));
      expect(rec.data ?? []).to.deep.equal([]);
      expect(rec.verifier.contract).to.match(/^SumcheckKzgVerifier_/);
      expect(rec.forgeable).to.equal(true);
      expect(rec.forgeableReason).to.match(/ptau/);
      const s = onLocal("submit-proof", "--pcs", "kzg");
      expect(s.code, s.out).to.equal(0);
      expect(s.out).to.match(/proof accepted by SumcheckKzgInference_\S+ at 0x[0-9a-fA-F]{40}/);
      const gas = Number(s.out.match(/gas ([\d,]+)/)![1].replace(/,/g, ""));
      // one pairing check: under the Hyrax verifier's floor of this model (its two openings' MSMs)
      expect(gas).to.be.within(21_000 + 113_000, 2_000_000);
      // compare-gas's sumcheck row with --pcs kzg: the format-4 verifier, no data contracts, accepting and refusing
      const c = hh("compare-gas", "--model", modelFile, "--systems", "sumcheck", "--scale-bits", "8", "--pcs", "kzg", "--json");
      expect(c.code, c.out).to.equal(0);
      const [row] = JSON.parse(c.out.slice(c.out.indexOf("{\n"), c.out.lastIndexOf("}") + 1)).systems;
      expect(row).to.include({ system: "sumcheck", statement: "public/hashed/public (kzg)" });
      expect(row.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
      expect(row.verify.gas).to.be.below(gas);
      // a commitment not made under the recorded ptau (its meta names another): refused before anything is sent
      const meta = path.join(ROOT, runDir, "..", "..", "sumcheck", "model-kzg.commitment.meta.json");
      const saved = fs.readFileSync(meta, "utf8");
      try {
        fs.writeFileSync(meta, JSON.stringify({ ...JSON.parse(saved), ptau: "/elsewhere/other.ptau:1:1" }));
        const m = onLocal("deploy-verifier", "--pcs", "kzg", "--force");
        expect(m.code, m.out).to.not.equal(0);
        expect(m.out).to.match(/SETUP_NOT_FOUND.*the KZG commitment was not made under .*its record names \/elsewhere\/other\.ptau/);
      } finally {
        fs.writeFileSync(meta, saved);
      }
    } finally {
      fs.rmSync(kzgRecord, { force: true });
    }
  });

  it("compare-gas measures the sumcheck verifier beside naive inference: data contracts, verifier, consumer, the proof accepted and a changed output refused", () => {
    const r = hh("compare-gas", "--model", modelFile, "--systems", "sumcheck", "--scale-bits", "8", "--json");
    expect(r.code, r.out).to.equal(0);
    const report = JSON.parse(r.out.slice(r.out.indexOf("{\n"), r.out.lastIndexOf("}") + 1));
    expect(report.naive.matchesReference).to.equal(true);
    const [s] = report.systems;
    expect(s).to.include({ system: "sumcheck", statement: "public/hashed/public", batch: 1 });
    expect(s.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
    // the consumer's submit is verifyProof's gas plus its own call, label loop and event (under 40k here)
    expect(s.submit.gas - s.verify.gas).to.be.within(0, 40_000);
    // calldata: the proof's bytes, 16 packed input bytes, the outputs as words, and the ABI's offsets and lengths
    expect(s.verify.calldataBytes).to.be.above(s.proofBytes + 16 + 4 * 32);
  });

  it("a damaged proof: refused by the consumer's call before sending, the failed check named", () => {
    const copy = path.join(dir, "damaged");
    fs.cpSync(path.join(ROOT, runDir), copy, { recursive: true });
    const bin = path.join(copy, "sumcheck-proof.bin");
    const bytes = fs.readFileSync(bin);
    bytes[bytes.length - 40] ^= 1; // a word of the last opening
    fs.writeFileSync(bin, bytes);
    const r = onLocal("submit-proof", "--proof", copy);
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.match(/PROOF_INVALID.*refuses this proof: SumcheckRejected\(\d+\): \S/);
  });
});
