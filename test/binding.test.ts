/**
 * Issue 31, items 2 and 6: what a proof is bound to, and what its commitments hide.
 *
 * Item 2, front-running: a statement with a context (`context: "sender"`) carries one more public signal, squared
 * in the circuit so Groth16 binds it, and its consumer requires it to equal uint160(msg.sender). Tiny-cnn is
 * proved for one account and deployed; a second account submitting the copied proof is refused (ContextMismatch),
 * and so is the same proof with the context changed to the second account (ProofRejected: the proof is of the
 * first); submit-proof's core refuses it before sending; the first account's submit is recorded. The gas the
 * binding costs is measured against the default statement's consumer.
 *
 * Item 6, commitments: [33] at 8 bits and [1, 2] at 4 bits pack to the same limb, and the old unseparated
 * commitment was the same for both; the domain tag (part, model id, widths, lengths) makes them differ. A hashed
 * input is salted with a fresh random salt (the same input commits differently each time; without the salt no
 * candidate input opens it); prove-model keeps the salt in the run's input.json beside the proof, and it opens
 * the public commitment. A private-weights consumer says "some model of this architecture", not "<model> only".
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import hre from "hardhat";
import { Contract } from "ethers";
import { loadModelFile } from "../src/model/format";
import { Paths } from "../src/core/paths";
import { locateCircuit, proveModel } from "../src/pipeline/prove";
import { CircuitOptions } from "../src/pipeline/circuit";
import { DEFAULT_VISIBILITY, Visibility, VISIBILITY_RULES } from "../src/statement/visibility";
import { resolveZkmlConfig } from "../src/core/config";
import { resolveCircuit } from "../src/pipeline/circuit";
import { circuitOptions } from "../src/plugin/actions/circuit";
import { proveModelAction } from "../src/plugin/actions/prove-model";
import { setupForgeability } from "../src/setup/trust";
import { systemFor } from "../src/systems/registry";
import { renderConsumer, submitSignalArgs } from "../src/backends/solidity/consumer";
import { renderCircuit } from "../src/backends/circom/render";
import { buildDirect } from "../src/backends/r1cs/lower";
import { publicLayout, statementLayout } from "../src/statement/layout";
import { constraintCount } from "../src/statement/cost";
import { statementFor } from "../src/statement/statement";
import { commitmentTag, hashChain, packValues } from "../src/statement/commitments";
import { SOLC_SETTINGS } from "../src/evm/solc";
import { deployVerifier, DeploymentRecord, submitProof } from "../src/evm/deploy";
import { IR_FORMAT, QModel, runIR } from "../src/ir/ir";
import { quantizeFor } from "../src/quantize/quantize";
import { firstUnsatisfied, readR1cs } from "../src/core/r1cs";
import { BN254_R } from "../src/core/field";
import { isZkmlError } from "../src/core/errors";
import { compileSource, ROOT, tmpDir, witness } from "./helpers/circuit";
import { spreadInput } from "./helpers/models";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");

/** `p` rejects with a ZkmlError of this code whose message matches `re`. */
async function expectZkmlError(p: Promise<unknown>, code: string, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isZkmlError(e), String(e)).to.equal(true);
    expect((e as any).code).to.equal(code);
    expect((e as Error).message).to.match(re);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/** Compile with deployed code too (deployVerifier records its hash). */
function compile(sources: Record<string, string>): Map<string, { name: string; fullyQualifiedName: string; abi: any[]; bytecode: string; deployedBytecode: string }> {
  const solc = require("solc");
  const input = { language: "Solidity", sources: Object.fromEntries(Object.entries(sources).map(([f, content]) => [f, { content }])), settings: { ...SOLC_SETTINGS, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } } } };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: any) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: any) => e.formattedMessage).join("\n"));
  const res = new Map();
  for (const file of Object.keys(out.contracts))
    for (const [name, c] of Object.entries<any>(out.contracts[file]))
      res.set(name, { name, fullyQualifiedName: `${file}:${name}`, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` });
  return res;
}

describe("a proof bound to its submitter: the context (issue 31, item 2)", function () {
  this.timeout(600_000);
  const model = loadModelFile(TINY);
  // the default statement is bound to its submitter; UNBOUND is the same without the context (--context none)
  const BOUND: Visibility = DEFAULT_VISIBILITY;
  const UNBOUND: Visibility = { input: "packed", weights: "fixed", output: "label" };
  const paths = new Paths(ROOT);
  const sys = systemFor({ system: "groth16" });
  const dir = tmpDir("binding");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Prove tiny-cnn under `vis` (bound to `context` when it has one), deploy its verifier and consumer on the in-process chain. */
  async function deployed(vis: Visibility, name: string, context?: bigint) {
    const circuit: CircuitOptions = { visibility: vis, backend: "auto", quant: {} };
    const r = await proveModel({ root: ROOT, model, circuit, context });
    expect(r.verified).to.equal(true);
    const vkey = JSON.parse(fs.readFileSync(r.files.verificationKey, "utf8"));
    const proof = JSON.parse(fs.readFileSync(r.files.proof, "utf8"));
    const publicSignals = (JSON.parse(fs.readFileSync(r.files.public, "utf8")) as string[]).map(BigInt);
    const loc = locateCircuit(ROOT, model, "groth16", circuit);
    const layout = publicLayout(statementLayout(loc.q, vis));
    const c = compile({ [`${name}Verifier.sol`]: sys.renderVerifier(vkey, `${name}Verifier`), [`${name}Consumer.sol`]: renderConsumer({ contract: `${name}Consumer`, system: "groth16", proof: sys.solidityProof, layout, model: model.name }) });
    const [deployer] = await hre.ethers.getSigners();
    const recordFile = path.join(dir, `${name}.json`);
    const lines: string[] = [];
    const d = await deployVerifier({
      signer: deployer,
      network: "hardhat",
      model: model.name,
      system: "groth16",
      vkey,
      publicSignals: Number(vkey.nPublic),
      statement: { circuit: loc.id, visibility: vis, layout },
      verifier: c.get(`${name}Verifier`)!,
      consumer: c.get(`${name}Consumer`)!,
      compiler: { version: "test", settings: SOLC_SETTINGS },
      recordFile,
      setup: setupForgeability(loc.setupMeta, (ptau) => paths.get({ kind: "ptauSecrets", ptau })),
      log: (l) => lines.push(l),
    });
    const p = await sys.verifierInput(proof, publicSignals.map(String));
    const consumerAbi = c.get(`${name}Consumer`)!.abi;
    // submit's arguments (packed input: the input bytes and the other signals), for these signals
    const submitArgs = (signals = p.publicSignals) => [...sys.verifyProofArgs(p.proof, signals).slice(0, -1), ...submitSignalArgs(layout, signals)];
    return { record: d.record as DeploymentRecord, recordFile, vkey, layout, consumerAbi, p, lines, label: r.prediction.class, submitArgs };
  }

  it("the circuit: the context is the last public signal, squared (1 constraint); circom and the direct backend agree, --inspect is clean, and a changed context breaks the witness", async () => {
    const q = quantizeFor(model);
    const x = spreadInput(q);
    const L = statementLayout(q, BOUND);
    expect(L.context).to.deep.include({ kind: "context", offset: L.publicSignals - 1, count: 1 });
    expect(BOUND.context).to.equal("sender");
    expect(constraintCount(q, BOUND).total).to.equal(constraintCount(q, UNBOUND).total + 1);
    const d = tmpDir("binding-circuit");
    try {
      const c = await compileSource(renderCircuit(q, BOUND), d, { inspect: true });
      expect(c.log.split("\n").filter((l) => /warning/i.test(l)), c.log).to.deep.equal([]);
      expect(c.constraints).to.equal(constraintCount(q, BOUND).total);
      const alice = 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n;
      const st = await statementFor(q, BOUND, x, runIR(q, x).output, { context: alice });
      expect(st.publicSignals[L.context.offset]).to.equal(alice);
      const wc = await witness(c.wasm, st.witnessInput, d);
      const file = path.join(d, "direct.r1cs");
      const w = buildDirect(q, BOUND, { r1csFile: file, x, opening: st.opening }).witness!;
      const r1cs = readR1cs(file);
      expect(w.slice(1, 1 + L.publicSignals)).to.deep.equal(wc.slice(1, 1 + L.publicSignals));
      expect(firstUnsatisfied(r1cs, w)).to.equal(-1);
      const bad = w.slice();
      bad[1 + L.context.offset] = (alice + 1n) % BN254_R;
      expect(firstUnsatisfied(r1cs, bad), "another context, the same witness").to.be.at.least(0);
      await expectZkmlError(statementFor(q, BOUND, x, runIR(q, x).output), "INPUT_INVALID", /bound to a context/);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it("front-running: a second account's copy of the proof is refused, with the context changed too; the first account's submit is recorded; the binding's gas measured", async () => {
    const [, alice, bob] = await hre.ethers.getSigners();
    const bound = await deployed(BOUND, "Bound", BigInt(alice.address));
    expect(bound.lines.join("\n")).to.match(/accepts a proof only from the address it is bound to/);
    const consumer = new Contract(bound.record.consumer.address, bound.consumerAbi, hre.ethers.provider) as any;
    expect(await consumer.connect(alice).expectedContext()).to.equal(BigInt(alice.address));

    // bob copies alice's transaction from the mempool: the same proof and signals, sent by him
    await expect(consumer.connect(bob).submit(...bound.submitArgs()))
      .to.be.revertedWithCustomError(consumer, "ContextMismatch")
      .withArgs(BigInt(bob.address), BigInt(alice.address));
    // ... or with the context changed to his own address: the proof is of alice's, so the verifier refuses it
    const mine = [...bound.p.publicSignals];
    mine[bound.layout.context!.offset] = BigInt(bob.address);
    await expect(consumer.connect(bob).submit(...bound.submitArgs(mine))).to.be.revertedWithCustomError(consumer, "ProofRejected");
    // submit-proof's core says so before anything is sent
    const submit = { network: "hardhat", record: bound.record, recordFile: bound.recordFile, vkey: bound.vkey, proofArgs: sys.verifyProofArgs(bound.p.proof, bound.p.publicSignals).slice(0, -1), publicSignals: bound.p.publicSignals, consumerAbi: bound.consumerAbi, setup: { forgeable: false, reason: "test" } };
    const block = await hre.ethers.provider.getBlockNumber();
    await expectZkmlError(submitProof({ ...submit, signer: bob }), "PROOF_INVALID", new RegExp(`context: the proof is bound to ${alice.address}, and ${bob.address} would submit it`));
    expect(await hre.ethers.provider.getBlockNumber(), "nothing sent").to.equal(block);

    // alice, the prover, submits it
    const sent = await submitProof({ ...submit, signer: alice });
    expect(sent.sender).to.equal(alice.address);
    expect(sent.label).to.equal(bound.label);

    // the same model and input without a context (--context none), submitted by alice too: the difference is the binding's cost
    const open = await deployed(UNBOUND, "Open");
    const c0 = new Contract(open.record.consumer.address, open.consumerAbi, alice) as any;
    const r0 = await (await c0.submit(...open.submitArgs())).wait();
    const c1 = new Contract(bound.record.consumer.address, bound.consumerAbi, alice) as any;
    const r1 = await (await c1.submit(...bound.submitArgs())).wait();
    const g0 = Number(r0.gasUsed), g1 = Number(r1.gasUsed);
    console.log(`      submit gas, tiny-cnn packed/fixed/label: ${g0.toLocaleString("en-US")} without a context, ${g1.toLocaleString("en-US")} bound to msg.sender (+${(g1 - g0).toLocaleString("en-US")})`);
    // what the default's context costs a submit (measured +7,498 and +7,510: a proof's random bytes move calldata by
    // a few gas). One more public signal: the verifier's ecMul (6,000) and ecAdd (150, EIP-1108) of it into vk_x,
    // their two staticcalls (2 x 100, warm) and its field check; its 32 calldata bytes (an address: 20 nonzero x 16
    // + 12 zero x 4 = 368); the consumer's copy of it into the verifier's call and its check against
    // expectedContext() (uint160(msg.sender)): 6,150 + 200 + 368 + ~800 = ~7,500. Budget 7,000 to 8,000.
    expect(g1 - g0).to.be.within(7_000, 8_000);
  });
});

describe("the context by default (issue 31, item 2: on for the consumer)", function () {
  this.timeout(120_000);
  const model = loadModelFile(TINY);
  const cfg = resolveZkmlConfig(undefined, VISIBILITY_RULES);
  const args = { backend: "auto", saturate: "auto" };

  it("a system with a consumer contract binds by default; --context none and zkml.visibility.context none opt out; the sumcheck system proves none unless --context asks, then binds its proof (and needs the value); bound and unbound statements are two circuits", async () => {
    for (const system of [undefined, "groth16", "plonk", "fflonk"]) expect((await circuitOptions({ ...args, system }, cfg, model)).visibility.context, system).to.equal("sender");
    const unbound = (await circuitOptions({ ...args, context: "none" }, cfg, model)).visibility;
    expect(unbound).to.deep.equal({ input: "packed", weights: "fixed", output: "label" });
    // a project's "none" is not the default's absence: the resolved config keeps it
    expect((await circuitOptions(args, resolveZkmlConfig({ visibility: { context: "none" } }, VISIBILITY_RULES), model)).visibility).to.deep.equal(unbound);
    // the cache key is the statement: the bound default is a circuit of its own, the unbound one the circuit the
    // default statement was before contexts were on by default (so nothing built then is taken for the bound one)
    const id = (visibility: Visibility) => resolveCircuit(model, { visibility, backend: "auto", quant: {} }).id;
    expect(id(DEFAULT_VISIBILITY)).to.not.equal(id(unbound));
    expect(id({ ...DEFAULT_VISIBILITY, context: undefined })).to.equal(id(unbound));
    // sumcheck: no context unless asked; asked, its proof is bound to the value given (its transcript absorbs it)
    const sumcheck = { ...args, system: "sumcheck", input: "public", weights: "private", output: "public" };
    expect((await circuitOptions(sumcheck, cfg, model)).visibility).to.deep.equal({ input: "public", weights: "private", output: "public" });
    // without --input, --weights, --output: the statement the sumcheck system proves (paper0's: weights private,
    // output public), not the circuits' default label output it would refuse; a flag given still wins
    expect((await circuitOptions({ ...args, system: "sumcheck" }, cfg, model)).visibility).to.deep.equal({ input: "packed", weights: "private", output: "public" });
    expect((await circuitOptions({ ...args, system: "sumcheck", weights: "hashed" }, cfg, model)).visibility.weights).to.equal("hashed");
    const asked = await circuitOptions({ ...sumcheck, context: "sender" }, cfg, model);
    expect(asked.visibility.context).to.equal("sender");
    await expectZkmlError(proveModel({ root: ROOT, model, system: "sumcheck", circuit: asked }), "INPUT_INVALID", /context: this statement is bound to a context .* none was given/);
    const bound = await proveModel({ root: ROOT, model, system: "sumcheck", circuit: asked, context: 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n });
    expect(bound.verified).to.equal(true);
    expect(bound.boundTo).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  });

  it("prove-model binds to the network's first account unless --bind-to names another; --bind-to on an unbound statement is refused", async () => {
    const [account0] = await hre.ethers.getSigners();
    const host = { root: ROOT, zkml: cfg, signer: async () => account0 };
    const quiet = { model: TINY, system: "groth16", backend: "auto", saturate: "auto", downloadPtau: false, contribute: false, json: true, force: false };
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write; // the report printed as JSON
    try {
      const r = await proveModelAction(quiet, host);
      expect(r.boundTo).to.equal(account0.address);
      const bob = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
      expect((await proveModelAction({ ...quiet, bindTo: bob }, host)).boundTo).to.equal(bob);
      await expectZkmlError(proveModelAction({ ...quiet, context: "none", bindTo: bob }, host), "OPTION_INVALID", /--bind-to: this statement has no context to bind/);
    } finally {
      process.stdout.write = write;
    }
  });
});

describe("commitments: domain-separated and salted (issue 31, item 6)", function () {
  this.timeout(300_000);
  /** A one-dense-layer model over `n` inputs of `bits` bits (the same name for both, so only the packing differs). */
  const tiny = (n: number, bits: number): QModel => ({
    format: IR_FORMAT,
    name: "packing",
    input: { shape: [n], min: 0n, bits, step: 1, range: [0, 2 ** bits - 1] },
    ops: [{ op: "dense", inSize: n, units: 1, weights: Array(n).fill(1n), bias: [0n] }],
    output: { step: 1 },
  });
  const HASHED_IN: Visibility = { input: "hashed", weights: "fixed", output: "public" };

  it("[33] at 8 bits and [1, 2] at 4 bits pack alike; their input commitments differ (the tag hashes the widths and lengths in), even with the same salt", async () => {
    const a = tiny(1, 8), b = tiny(2, 4);
    const limbsA = packValues([33n], 8, 0n), limbsB = packValues([1n, 2n], 4, 0n);
    expect(limbsA).to.deep.equal(limbsB);
    // what the commitment was before: the same for both
    expect(await hashChain(limbsA)).to.equal(await hashChain(limbsB));
    const sa = await statementFor(a, HASHED_IN, [33n], runIR(a, [33n]).output, { xSalt: 5n });
    const sb = await statementFor(b, HASHED_IN, [1n, 2n], runIR(b, [1n, 2n]).output, { xSalt: 5n });
    const La = statementLayout(a, HASHED_IN), Lb = statementLayout(b, HASHED_IN);
    expect(sa.publicSignals[La.input.offset]).to.not.equal(sb.publicSignals[Lb.input.offset]);
    // the tag names the part and the model too
    expect(commitmentTag("input", a, { n: 1 })).to.not.equal(commitmentTag("output", a, { n: 1 }));
    expect(commitmentTag("input", a, { n: 1 })).to.not.equal(commitmentTag("input", { ...a, name: "other" }, { n: 1 }));
  });

  it("a hashed input is salted: the same input commits differently each time, the salt opens it, and without it no candidate input does", async () => {
    const a = tiny(1, 8);
    const L = statementLayout(a, HASHED_IN);
    const s1 = await statementFor(a, HASHED_IN, [7n], runIR(a, [7n]).output);
    const s2 = await statementFor(a, HASHED_IN, [7n], runIR(a, [7n]).output);
    const h1 = s1.publicSignals[L.input.offset];
    expect(h1).to.not.equal(s2.publicSignals[L.input.offset]);
    expect(typeof s1.opening.xSalt).to.equal("bigint");
    expect(s1.witnessInput.xSalt).to.equal(String(s1.opening.xSalt));
    if (L.input.kind !== "commitment") throw new Error("hashed input");
    expect(await hashChain([s1.opening.xSalt!, ...packValues([7n], 8, 0n)], L.input.tag), "opened with the salt").to.equal(h1);
    // every 8-bit input, tried without the salt (or with salt 0): none opens it
    for (let v = 0n; v < 256n; v++) {
      expect(await hashChain(packValues([v], 8, 0n), L.input.tag)).to.not.equal(h1);
      expect(await hashChain([0n, ...packValues([v], 8, 0n)], L.input.tag)).to.not.equal(h1);
    }
  });

  it("prove-model keeps the salt beside the proof (the run's input.json), and it opens the public input commitment", async () => {
    const model = loadModelFile(TINY);
    const circuit: CircuitOptions = { visibility: { input: "hashed", weights: "fixed", output: "label" }, backend: "direct", quant: {} };
    const r = await proveModel({ root: ROOT, model, circuit });
    expect(r.verified).to.equal(true);
    const input = JSON.parse(fs.readFileSync(path.join(path.dirname(r.files.proof), "input.json"), "utf8"));
    expect(input.xSalt).to.match(/^[0-9]+$/);
    const pub = (JSON.parse(fs.readFileSync(r.files.public, "utf8")) as string[]).map(BigInt);
    const q = quantizeFor(model);
    const L = statementLayout(q, circuit.visibility);
    if (L.input.kind !== "commitment") throw new Error("hashed input");
    const x = (input.x as string[]).map(BigInt);
    expect(await hashChain([BigInt(input.xSalt), ...packValues(x, L.input.bits, L.input.min)], L.input.tag)).to.equal(pub[L.input.offset]);
  });

  it("a private-weights consumer accepts an inference of some model of this architecture, not of the model itself", () => {
    const q = quantizeFor(loadModelFile(TINY));
    const render = (weights: "fixed" | "private") =>
      renderConsumer({ contract: "C", system: "groth16", proof: systemFor({ system: "groth16" }).solidityProof, layout: publicLayout(statementLayout(q, { ...DEFAULT_VISIBILITY, weights })), model: "tiny-cnn", weights });
    expect(render("private")).to.contain("/// Accepts an inference of some model of this architecture").and.not.contain('"tiny-cnn" only');
    expect(render("fixed")).to.contain('/// Accepts an inference of "tiny-cnn" only');
  });
});
