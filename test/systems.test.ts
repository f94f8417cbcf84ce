/**
 * The proof-system registry: every system it lists proves and verifies tiny-cnn through the interface alone
 * (setup, prove, verify, the verifier's input and its Solidity source), refuses a changed public value, and its
 * cost model is the one the pipeline used; and the registry's choices and refusals.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { keccak256 } from "ethers";
import { sumcheckVerifierCall } from "../src/evm/sumcheck-verifier";
import { isZkmlError } from "../src/core/errors";
import { loadModelFile } from "../src/model/format";
import { proveModel } from "../src/pipeline/prove";
import { circuitSystemFor, PROOF_SYSTEMS, PROVERS, SYSTEMS, systemFor } from "../src/systems/registry";
import type { CircuitSystem } from "../src/systems/system";
import { resolveModel } from "../src/model/zoo";
import { rejected } from "./helpers/errors";

const CIRCUIT_SYSTEMS = SYSTEMS.filter((s): s is CircuitSystem => s.form === "r1cs");
import { ACCOUNT0, ROOT, tmpDir } from "./helpers/circuit";

describe("proof systems: the registry", () => {
  it("names each protocol, with Groth16's native prover as its default and snarkjs beside it", () => {
    expect([...new Set(SYSTEMS.map((s) => s.protocol))].sort()).to.deep.equal([...PROOF_SYSTEMS].sort());
    expect(SYSTEMS.map((s) => `${s.protocol}/${s.prover}/${s.form}`)).to.deep.equal(["groth16/native/r1cs", "groth16/snarkjs/r1cs", "plonk/snarkjs/r1cs", "fflonk/snarkjs/r1cs", "sumcheck/native/ir"]);
    // systemFor types a circuit protocol's system as a circuit system: every one of them is
    for (const p of ["groth16", "plonk", "fflonk"] as const) expect(systemFor({ system: p }).form).to.equal("r1cs");
    expect(systemFor({ system: "groth16" }).prover).to.equal("native");
    expect(systemFor({ system: "groth16", prover: "snarkjs" }).prover).to.equal("snarkjs");
    expect(PROVERS).to.deep.equal(["native", "snarkjs"]);
  });

  it("refuses a prover the protocol does not have, saying which does", () => {
    try {
      systemFor({ system: "fflonk", prover: "native" });
      expect.fail("accepted");
    } catch (e) {
      expect(isZkmlError(e) && e.code).to.equal("OPTION_INVALID");
      expect((e as Error).message).to.match(/native prover proves groth16, sumcheck, not fflonk/);
    }
  });

  it("only systems with a ceremony take a contribution; only those that count gates ask for them", () => {
    for (const s of CIRCUIT_SYSTEMS) {
      expect(s.ceremony, s.protocol).to.equal(s.protocol === "groth16");
      if (!s.countsGates) expect(s.ptauPower({ constraints: 1000, publicSignals: 3 })).to.equal(10); // 2^10 = 1024 > 1003 > 2^9
      else expect(() => s.ptauPower({ constraints: 1000, publicSignals: 3 })).to.throw(/gate count/);
    }
  });
});

describe("proof systems: each one through the interface on tiny-cnn", function () {
  this.timeout(900_000);
  const model = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
  const dir = tmpDir("systems");

  for (const sys of CIRCUIT_SYSTEMS) {
    it(`${sys.protocol} (${sys.prover} prover): prove, verify, a changed public value refused, the verifier's input and source`, async () => {
      const r = await proveModel({ root: ROOT, model, system: sys.protocol, prover: sys.prover, context: ACCOUNT0 });
      expect(r.verified).to.equal(true);
      expect(r.prover).to.equal(sys.prover);
      expect(r.proofBytes).to.equal(32 * sys.proofWords);
      // the pipeline's setup size is this system's cost model
      expect(r.circuit.ptauPower).to.equal(sys.ptauPower({ constraints: r.circuit.constraints, publicSignals: r.circuit.publicSignals, gates: r.circuit.gates }));
      expect(r.circuit.gates === undefined).to.equal(!sys.countsGates);

      const files = { vkey: r.files.verificationKey, proof: r.files.proof, public: r.files.public };
      expect(await sys.verify(files)).to.deep.equal({ valid: true });
      const pub = JSON.parse(fs.readFileSync(files.public, "utf8")) as string[];
      const changed = path.join(dir, `${sys.protocol}-${sys.prover}-public.json`);
      fs.writeFileSync(changed, JSON.stringify([...pub.slice(0, -1), String(BigInt(pub[pub.length - 1]) + 1n)]));
      expect(await sys.verify({ ...files, public: changed })).to.deep.equal({ valid: false });

      const input = await sys.verifierInput(JSON.parse(fs.readFileSync(files.proof, "utf8")), pub);
      expect(input.proof).to.have.length(sys.proofWords);
      expect(input.publicSignals).to.deep.equal(pub.map(BigInt));
      expect(sys.verifyProofArgs(input.proof, input.publicSignals).at(-1)).to.deep.equal(input.publicSignals);
      const sol = sys.renderVerifier(JSON.parse(fs.readFileSync(files.vkey, "utf8")), "SomeVerifier");
      expect(sol).to.match(/contract SomeVerifier\b/);
      expect(fs.readFileSync(r.files.verifier, "utf8")).to.contain(`contract ${r.files.verifierContract}`);
    });
  }

  it("what only circuit systems have (a Solidity verifier, a setup) is refused for the sumcheck system, saying what to use", () => {
    expect(() => circuitSystemFor({ system: "sumcheck" }, "a Solidity verifier")).to.throw(/--system sumcheck: a Solidity verifier exists only for the circuit systems \(groth16, plonk, fflonk\)/);
  });

  it("a verification key of another system is refused by the renderer, naming both", () => {
    const [groth16, plonk] = [systemFor({ system: "groth16" }), systemFor({ system: "plonk" })];
    expect(() => plonk.renderVerifier({ protocol: "groth16" }, "X")).to.throw(/expected a plonk verification key, got protocol "groth16"/);
    expect(() => groth16.renderVerifier({}, "X")).to.throw(/expected a groth16 verification key/);
  });
});

describe("the sumcheck system through the pipeline (mlp-mnist, paper0's statement)", function () {
  this.timeout(600_000);
  const model = resolveModel("mlp-mnist");
  const visibility = { input: "public", weights: "private", output: "public" } as const;

  it("proves, both verifiers accept, the output is runIR's; a changed public value or proof byte is refused by both", async () => {
    const r = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility }, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    expect(r.publicLayout).to.deep.equal({ output: 10, input: 784, weights: 0 });
    expect(r.phases.map((p) => p.phase)).to.deep.equal(["run and witness", "commit", "layers", "batch", "opening"]);
    expect(r.stages.map((s) => s.stage)).to.deep.equal(["quantize", "render", "prove", "verify"]);

    const sys = systemFor({ system: "sumcheck" });
    if (sys.form !== "ir") throw new Error("expected an IR system");
    const dir = tmpDir("sumcheck-system");
    const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8"));
    const changed = path.join(dir, "public.json");
    fs.writeFileSync(changed, JSON.stringify({ ...pub, output: pub.output.map((v: string, i: number) => (i === 3 ? String(BigInt(v) + 1n) : v)) }));
    const v1 = await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: changed });
    expect(v1.valid).to.equal(false);
    expect(v1.verifiers.map((v) => v.valid)).to.deep.equal([false, false]);
    // one byte of a field element in the middle of the proof (a layer's message)
    const bytes = fs.readFileSync(r.files.proof);
    const at = 32 * Math.floor(bytes.length / 64) + 31;
    bytes[at] ^= 1;
    const bad = path.join(dir, "proof.bin");
    fs.writeFileSync(bad, bytes);
    const v2 = await sys.verify({ ir: r.files.ir, proof: bad, public: r.files.public }).catch((e: Error) => e);
    if (v2 instanceof Error) expect(v2.message).to.contain(bad);
    else expect(v2.verifiers.map((v) => v.valid)).to.deep.equal([false, false]);
    // truncated: a clear error naming the file
    fs.writeFileSync(bad, bytes.subarray(0, 100));
    const e = await rejected(sys.verify({ ir: r.files.ir, proof: bad, public: r.files.public }));
    expect(e.code).to.equal("PROOF_INVALID");
    expect(e.message).to.contain(bad);
  });

  it("committed weights: the model committed once (reused), proofs against it verify, a commitment to other weights refuses them", async () => {
    const committed = { ...visibility, weights: "hashed" } as const;
    const r = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility: committed }, execution: { force: true } });
    if (r.form !== "ir" || !r.files.commitment) throw new Error("expected an IR report with a model commitment");
    expect(r.verified).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    expect(r.stages.map((s) => s.stage)).to.deep.equal(["quantize", "render", "setup", "prove", "verify"]);
    expect(r.publicLayout.weights).to.equal(1);
    const again = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility: committed } });
    expect(again.stages.find((s) => s.stage === "setup")?.cached).to.equal(true);
    expect(again.verified).to.equal(true);

    // a commitment to other weights (one weight changed): the proof is refused by both verifiers
    const sys = systemFor({ system: "sumcheck" });
    if (sys.form !== "ir") throw new Error("expected an IR system");
    const dir = tmpDir("sumcheck-committed");
    const modelBin = Buffer.from(fs.readFileSync(path.join(path.dirname(r.files.commitment), "model.bin")));
    const words = Number(modelBin.readBigUInt64LE(0));
    const at = 8 + 8 * words + 8 * 5; // the sixth weight of the first dense layer
    modelBin.writeBigInt64LE(modelBin.readBigInt64LE(at) + 1n, at);
    fs.writeFileSync(path.join(dir, "model.bin"), modelBin);
    await sys.commit({ model: path.join(dir, "model.bin"), commitment: path.join(dir, "other.commitment") });
    const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8"));
    const unlabelled = path.join(dir, "public.json");
    fs.writeFileSync(unlabelled, JSON.stringify({ ...pub, model: undefined }));
    const v = await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: unlabelled, commitment: path.join(dir, "other.commitment") });
    expect(v.valid).to.equal(false);
    expect(v.verifiers.map((x) => x.valid)).to.deep.equal([false, false]);
    // labelled with its own model, the public file says at once that the verifier holds another
    const v2 = await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: r.files.public, commitment: path.join(dir, "other.commitment") });
    expect(v2.verifiers).to.have.length(1);
    expect(v2.verifiers[0].reason).to.match(/the proof says it is of the model committed as/);
    // without the commitment, a committed proof is not a private-weights proof
    const v3 = await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: unlabelled });
    expect(v3.verifiers.map((x) => x.valid)).to.deep.equal([false, false]);
    // a damaged commitment file: a clear error naming it
    const cut = path.join(dir, "cut.commitment");
    fs.writeFileSync(cut, fs.readFileSync(r.files.commitment).subarray(0, 100));
    const e = await rejected(sys.verify({ ir: r.files.ir, proof: r.files.proof, public: unlabelled, commitment: cut }));
    expect(e.code).to.equal("PROOF_INVALID");
    expect(e.message).to.contain(cut);
  });

  it("--pcs kzg: the model committed under a powers of tau (a development one, said forgeable), its format-4 proof verified by both verifiers with that setup and refused without it; --zk and a circuit system refused", async () => {
    const tiny = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const committed = { ...visibility, weights: "hashed" } as const;
    const r = await proveModel({ root: ROOT, model: tiny, system: "sumcheck", pcs: "kzg", circuit: { visibility: committed }, execution: { force: true } });
    if (r.form !== "ir" || !r.files.commitment || !r.files.ptau) throw new Error("expected an IR report with a KZG commitment and its ptau");
    expect(r.verified).to.equal(true);
    expect(r.pcs).to.equal("kzg");
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    expect(r.stages.map((s) => s.stage)).to.deep.equal(["quantize", "render", "ptau", "setup", "prove", "verify"]);
    expect(path.basename(r.files.commitment)).to.equal("model-kzg.commitment");
    expect(fs.statSync(r.files.commitment).size).to.equal(64);
    expect(fs.readFileSync(r.files.proof).readUInt8(31)).to.equal(4); // format 4
    expect(r.warnings.join("\n")).to.match(/--pcs kzg with a development powers of tau .* can forge proofs/);
    const sys = systemFor({ system: "sumcheck" });
    if (sys.form !== "ir") throw new Error("expected an IR system");
    const files = { ir: r.files.ir, proof: r.files.proof, public: r.files.public, commitment: r.files.commitment };
    const kzg = { ptau: r.files.ptau };
    expect((await sys.verify({ ...files, kzg })).valid).to.equal(true);
    const without = await sys.verify(files).catch((e: Error) => e);
    if (without instanceof Error) throw without;
    expect(without.valid).to.equal(false);
    expect(without.verifiers[0].reason).to.match(/a KZG proof \(--pcs kzg\): verify it with its setup/);
    const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8"));
    const changed = path.join(tmpDir("sumcheck-kzg"), "public.json");
    fs.writeFileSync(changed, JSON.stringify({ ...pub, output: pub.output.map((v: string, i: number) => (i === 0 ? String(BigInt(v) + 1n) : v)) }));
    expect((await sys.verify({ ...files, public: changed, kzg })).verifiers.map((v) => v.valid)).to.deep.equal([false, false]);
    const e1 = await rejected(proveModel({ root: ROOT, model: tiny, system: "sumcheck", pcs: "kzg", zeroKnowledge: true, circuit: { visibility: committed } }));
    expect(e1.message).to.match(/--pcs kzg with --zk/);
    const e2 = await rejected(proveModel({ root: ROOT, model: tiny, system: "groth16", pcs: "kzg" }));
    expect(e2.message).to.match(/--pcs kzg: groth16 is a circuit system/);
  });

  it("refuses, before any work, a statement or an op it does not prove yet, saying what to do", async () => {
    // the statement alone is refused before the model is quantized (no stage reports anything)
    const said: string[] = [];
    const e1 = await rejected(proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility: { ...visibility, weights: "fixed" } }, execution: { force: true }, observe: { log: (m) => said.push(m) } }));
    expect(said.filter((m) => /quantiz/.test(m))).to.deep.equal([]);
    expect(e1.code).to.equal("OPTION_INVALID");
    expect(e1.message).to.match(/^--weights fixed: the sumcheck system proves inferences \(one, or a --batch\) with the output public, the input public or private and the weights private \(paper0's statement\) or committed/);
    expect(e1.hint).to.match(/--weights private/);
    const cnn = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    // a 2x4 max pool (8 taps: its zerocheck would pass the degree the prover takes)
    const wide = { ...cnn, name: "tiny-cnn-wide-maxpool", layers: cnn.layers.map((l) => (l.type === "avgpool2d" ? { type: "maxpool2d" as const, pool: [2, 4] as [number, number], stride: [2, 1] as [number, number] } : l)) };
    const e2 = await rejected(proveModel({ root: ROOT, model: wide, system: "sumcheck", circuit: { visibility } }));
    expect(e2.code).to.equal("IR_INVALID");
    expect(e2.message).to.match(/ops\[2\] \(maxpool2d, on a 2x6x6 input\).*the sumcheck system does not take a 2x4 window \(at most 7 taps\)/);
    expect(e2.hint).to.match(/2x2 pools/);
  });

  it("proves a CNN with max pooling (a 2x2 max over a ReLU's output): both verifiers accept, the output is runIR's", async () => {
    const cnn = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const maxpool = { ...cnn, name: "tiny-cnn-maxpool", layers: cnn.layers.map((l) => (l.type === "avgpool2d" ? { ...l, type: "maxpool2d" as const } : l)) };
    const r = await proveModel({ root: ROOT, model: maxpool, system: "sumcheck", circuit: { visibility }, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
  });

  it("a private input: committed in the proof, never in the public values; both verifiers accept, a changed output fails", async () => {
    const cnn = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const r = await proveModel({ root: ROOT, model: cnn, system: "sumcheck", circuit: { visibility: { ...visibility, input: "private" } }, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    expect(r.publicLayout.input).to.equal(0);
    const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8"));
    expect(pub.input).to.equal("private");
    const sys = systemFor({ system: "sumcheck" });
    if (sys.form !== "ir") throw new Error("expected an IR system");
    const changed = path.join(tmpDir("sumcheck-private-input"), "public.json");
    fs.writeFileSync(changed, JSON.stringify({ ...pub, output: pub.output.map((v: string, i: number) => (i === 0 ? String(BigInt(v) + 1n) : v)) }));
    expect((await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: changed })).verifiers.map((v) => v.valid)).to.deep.equal([false, false]);
    // the same proof read as a public-input statement (someone's guess of the input written in): refused
    const guessed = path.join(path.dirname(changed), "guessed.json");
    fs.writeFileSync(guessed, JSON.stringify({ ...pub, input: Array.from({ length: 36 }, () => "0") }));
    const v = await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: guessed }).catch((e: Error) => e);
    if (v instanceof Error) expect(v.message).to.match(/proof|input/);
    else expect(v.verifiers.map((x) => x.valid)).to.deep.equal([false, false]);
  });

  it("a batch (--batch 3): one proof of three inferences, each output runIR's and labelled; both verifiers accept; one output changed fails", async () => {
    const r = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility: { ...visibility, batch: 3 } }, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    expect(r.publicLayout).to.deep.include({ output: 30, input: 3 * 784 });
    expect(r.prediction.labels).to.have.length(3);
    const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8"));
    const sys = systemFor({ system: "sumcheck" });
    if (sys.form !== "ir") throw new Error("expected an IR system");
    const changed = path.join(tmpDir("sumcheck-batch"), "public.json");
    fs.writeFileSync(changed, JSON.stringify({ ...pub, output: pub.output.map((v: string, i: number) => (i === 25 ? String(BigInt(v) + 1n) : v)) }));
    expect((await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: changed })).verifiers.map((v) => v.valid)).to.deep.equal([false, false]);
  });

  it("--zk: a zero-knowledge proof (format 3), both verifiers accept, the output is runIR's; a format-2 proof is not reused for it; two proofs of one input differ", async () => {
    const plain = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility } });
    const r = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility }, zeroKnowledge: true });
    if (r.form !== "ir" || plain.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.zeroKnowledge).to.equal(true);
    // the report warns of what is revealed only when something is
    expect(plain.warnings.some((w) => /without --zk is not zero knowledge/.test(w))).to.equal(true);
    expect(r.warnings.some((w) => /zero knowledge/.test(w))).to.equal(false);
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    // the zero-knowledge prover's phases (network_zk.rs), not the cached format-2 proof's
    expect(r.phases.map((p) => p.phase)).to.deep.equal(["run and witness", "commit", "layers", "joint merge and openings"]);
    const first = fs.readFileSync(r.files.proof);
    expect(BigInt("0x" + first.subarray(0, 32).toString("hex"))).to.equal(3n);
    // fresh masks and blinders each time (the OS's randomness): same statement, other words
    const again = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility }, zeroKnowledge: true, execution: { force: true } });
    if (again.form !== "ir") throw new Error("expected an IR system's report");
    const second = fs.readFileSync(again.files.proof);
    expect(second.length).to.equal(first.length);
    expect(second.equals(first)).to.equal(false);
    const sys = systemFor({ system: "sumcheck" });
    if (sys.form !== "ir") throw new Error("expected an IR system");
    const pub = JSON.parse(fs.readFileSync(r.files.public, "utf8"));
    const changed = path.join(tmpDir("sumcheck-zk"), "public.json");
    fs.writeFileSync(changed, JSON.stringify({ ...pub, output: pub.output.map((v: string, i: number) => (i === 0 ? String(BigInt(v) - 1n) : v)) }));
    const v = await sys.verify({ ir: r.files.ir, proof: r.files.proof, public: changed });
    expect(v.verifiers.map((x) => x.valid)).to.deep.equal([false, false]);
  });

  it("--zk --weights hashed: a hiding commitment and its owner's secret made once, beside the plain one; proofs against it verify in both verifiers; a damaged secret is named", async () => {
    const committed = { ...visibility, weights: "hashed" } as const;
    const r = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility: committed }, zeroKnowledge: true, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    expect(r.matchesReference).to.equal(true);
    const hiding = r.files.commitment!;
    expect(path.basename(hiding)).to.equal("model-hiding.commitment");
    const secret = path.join(path.dirname(hiding), "model-hiding.secret");
    expect(fs.statSync(secret).mode & 0o777).to.equal(0o600);
    // made once: a second proof reuses the commitment and its secret
    const made = fs.readFileSync(hiding);
    const again = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility: committed }, zeroKnowledge: true });
    if (again.form !== "ir") throw new Error("expected an IR system's report");
    expect(again.stages.find((s) => s.stage === "setup")?.cached).to.equal(true);
    expect(fs.readFileSync(hiding).equals(made)).to.equal(true);
    // the public values name the hiding commitment; the proof carries no commitment of its own
    expect(JSON.parse(fs.readFileSync(r.files.public, "utf8")).model).to.equal(keccak256(made).slice(2));
    // the Solidity verifier takes format 2 only: a zero-knowledge proof is refused before anything is compiled
    expect(() => sumcheckVerifierCall(r.files, "MlpMnistZk")).to.throw(/a zero-knowledge proof \(prove-model --zk, format 3\): the sumcheck system's Solidity verifier takes its sound, not zero-knowledge proofs so far/);
    // a secret damaged after the commitment was made: the stage says so and makes both again
    const bytes = fs.readFileSync(secret);
    bytes[bytes.length - 1] ^= 1;
    fs.writeFileSync(secret, bytes);
    const redone = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: { visibility: committed }, zeroKnowledge: true });
    if (redone.form !== "ir") throw new Error("expected an IR system's report");
    expect(redone.stages.find((s) => s.stage === "setup")?.cached).to.equal(false);
    expect(redone.verified).to.equal(true);
  });

  it("--zk on a CNN with a private input, and on a batch: both verifiers accept, the output is runIR's, the input never written", async () => {
    const cnn = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const hidden = { ...visibility, input: "private" } as const;
    const r = await proveModel({ root: ROOT, model: cnn, system: "sumcheck", circuit: { visibility: hidden }, zeroKnowledge: true, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.zeroKnowledge).to.equal(true);
    expect(r.warnings.some((w) => /not zero knowledge/.test(w))).to.equal(false);
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
    expect(JSON.parse(fs.readFileSync(r.files.public, "utf8")).input).to.equal("private");
    expect(BigInt("0x" + fs.readFileSync(r.files.proof).subarray(0, 32).toString("hex"))).to.equal(3n);
    const batch = await proveModel({ root: ROOT, model: cnn, system: "sumcheck", circuit: { visibility: { ...visibility, batch: 3 } }, zeroKnowledge: true, execution: { force: true } });
    if (batch.form !== "ir") throw new Error("expected an IR system's report");
    expect(batch.matchesReference).to.equal(true);
    expect(batch.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
  });

  it("--zk on a CNN with a max pool: both verifiers accept, the output is runIR's", async () => {
    const cnn = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const maxpool = { ...cnn, name: "tiny-cnn-maxpool", layers: cnn.layers.map((l) => (l.type === "avgpool2d" ? { ...l, type: "maxpool2d" as const } : l)) };
    const r = await proveModel({ root: ROOT, model: maxpool, system: "sumcheck", circuit: { visibility }, zeroKnowledge: true, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
  });

  it("proves a CNN (conv with padding, ReLU, average pool, dense): both verifiers accept, the output is runIR's", async () => {
    const cnn = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const r = await proveModel({ root: ROOT, model: cnn, system: "sumcheck", circuit: { visibility }, execution: { force: true } });
    if (r.form !== "ir") throw new Error("expected an IR system's report");
    expect(r.matchesReference).to.equal(true);
    expect(r.verifiers.map((v) => `${v.name}:${v.valid}`)).to.deep.equal(["rust:true", "typescript:true"]);
  });
});
