/**
 * Issue 31, item 1: a development setup is forgeable, so it never reaches a real chain unasked.
 *
 * The development powers of tau keeps its secrets beside it (build/ptau/pot<k>.ptau.secrets.json). With its beta
 * (snarkjs fixes gamma to the generator), A = alpha + beta^-1 * vk_x, B = beta, C = 0 is a valid Groth16 proof of
 * any public signals. This test forges one for tiny-cnn with a label the model did not predict, shows snarkjs, the
 * generated verifier and the consumer accepting it on the in-process chain, then shows deploy-verifier and
 * submit-proof refusing that key on every network but hardhat and localhost (the decision, the core functions on
 * the in-process chain under a testnet's name, and the task itself for --network sepolia), and
 * --allow-development-setup deploying it with the record marked forgeable. The proof queue's worker keeps no
 * secrets in the shared store, and its job result carries none.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import hre from "hardhat";
import { ContractFactory } from "ethers";
import { loadModelFile } from "../src/model/format";
import { Paths } from "../src/core/paths";
import { locateCircuit, proveModel } from "../src/pipeline/prove";
import { DEFAULT_VISIBILITY } from "../src/statement/visibility";
import { readPtauSecrets } from "../src/setup/ptau";
import { SetupMeta, setupForgeability } from "../src/setup/trust";
import { systemFor } from "../src/systems/registry";
import { renderConsumer, submitSignalArgs } from "../src/backends/solidity/consumer";
import { publicLayout, statementLayout } from "../src/statement/layout";
import { SOLC_SETTINGS } from "../src/evm/solc";
import { CompiledContract, deployVerifier, refuseForgeableSetup, submitProof, vkeyHash } from "../src/evm/deploy";
import { isLocalChain } from "../src/evm/networks";
import { isZkmlError } from "../src/core/errors";
import { proveJob } from "../src/queue/queue";
import { ACCOUNT0, ROOT, tmpDir } from "./helpers/circuit";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const { buildBn128, utils } = require("ffjavascript");
const snarkjs = require("snarkjs");

const CLI = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");
/** Hardhat's first default account: funded on the in-process chain and on `npx hardhat node`. */
const HARDHAT_KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** Compile with deployed code too (deployVerifier records its hash). */
function compile(sources: Record<string, string>): Map<string, CompiledContract> {
  const solc = require("solc");
  const input = { language: "Solidity", sources: Object.fromEntries(Object.entries(sources).map(([f, content]) => [f, { content }])), settings: { ...SOLC_SETTINGS, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } } } };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: any) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: any) => e.formattedMessage).join("\n"));
  const res = new Map<string, CompiledContract>();
  for (const file of Object.keys(out.contracts))
    for (const [name, c] of Object.entries<any>(out.contracts[file]))
      res.set(name, { name, fullyQualifiedName: `${file}:${name}`, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` });
  return res;
}

const expectCode = async (p: Promise<unknown>, code: string, re?: RegExp) => {
  try {
    await p;
  } catch (e) {
    expect(isZkmlError(e), String(e)).to.equal(true);
    expect((e as any).code).to.equal(code);
    if (re) expect((e as Error).message).to.match(re);
    return e as any;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
};

describe("a development setup is forgeable: it never reaches a real chain unasked (issue 31, item 1)", function () {
  this.timeout(600_000);
  const model = loadModelFile(TINY);
  const paths = new Paths(ROOT);
  const loc = locateCircuit(ROOT, model, "groth16", { visibility: DEFAULT_VISIBILITY, backend: "auto", quant: {} });
  let vkey: any;
  let honest: { proof: any; publicSignals: string[] };
  let forged: { proof: any; publicSignals: string[] };
  let predicted: number;
  let forgedLabel: number;
  let contracts: Map<string, CompiledContract>;
  const layout = () => publicLayout(statementLayout(loc.q, DEFAULT_VISIBILITY));

  before(async () => {
    // the default statement (label, packed input, bound to the first account), set up from the cached development ptau
    const r = await proveModel({ root: ROOT, model, context: ACCOUNT0 });
    vkey = JSON.parse(fs.readFileSync(r.files.verificationKey, "utf8"));
    honest = { proof: JSON.parse(fs.readFileSync(r.files.proof, "utf8")), publicSignals: JSON.parse(fs.readFileSync(r.files.public, "utf8")) };
    predicted = r.prediction.class;
    const dense = model.layers.filter((l) => l.type === "dense") as { units: number }[];
    forgedLabel = (predicted + 2) % dense[dense.length - 1].units;

    // the secrets the development ptau kept beside it
    const meta = JSON.parse(fs.readFileSync(loc.setupMeta, "utf8")) as SetupMeta;
    expect(meta.developmentPtau).to.equal(true);
    const secrets = readPtauSecrets(meta.ptau, paths.get({ kind: "ptauSecrets", ptau: meta.ptau }));
    expect(secrets, "the development ptau's secrets are kept on this machine").to.not.equal(undefined);

    // A = alpha + beta^-1 * vk_x, B = beta, C = 0, for public signals with another label
    const curve = await buildBn128(true);
    const { G1, G2, Fr } = curve;
    const g1 = (p: string[]) => G1.fromObject(utils.unstringifyBigInts(p));
    const g2 = (p: string[][]) => G2.fromObject(utils.unstringifyBigInts(p));
    expect(G2.eq(g2(vkey.vk_gamma_2), G2.g), "snarkjs fixes gamma to the generator").to.equal(true);
    expect(G2.eq(g2(vkey.vk_beta_2), G2.timesFr(G2.g, Fr.e(secrets!.beta))), "the key's beta is the ptau's").to.equal(true);
    expect(G1.eq(g1(vkey.vk_alpha_1), G1.timesFr(G1.g, Fr.e(secrets!.alpha))), "the key's alpha is the ptau's").to.equal(true);
    const publicSignals = [...honest.publicSignals];
    publicSignals[layout().output.offset] = String(forgedLabel);
    let vkx = g1(vkey.IC[0]);
    publicSignals.forEach((s, i) => (vkx = G1.add(vkx, G1.timesFr(g1(vkey.IC[i + 1]), Fr.e(BigInt(s))))));
    const a = G1.toAffine(G1.add(g1(vkey.vk_alpha_1), G1.timesFr(vkx, Fr.inv(Fr.e(secrets!.beta)))));
    const str = (o: unknown) => utils.stringifyBigInts(o);
    forged = {
      proof: { pi_a: str(G1.toObject(a)), pi_b: vkey.vk_beta_2, pi_c: ["0", "1", "0"], protocol: "groth16", curve: "bn128" },
      publicSignals,
    };
    await curve.terminate();

    // the generated verifier and consumer, with deployed code
    const sys = systemFor({ system: "groth16" });
    contracts = compile({
      "ForgeryVerifier.sol": sys.renderVerifier(vkey, "ForgeryVerifier"),
      "ForgeryConsumer.sol": renderConsumer({ contract: "ForgeryConsumer", system: "groth16", proof: sys.solidityProof, layout: layout(), model: model.name }),
    });
  });

  it("a proof of a label the model did not predict, forged from the secrets, verifies in snarkjs, the verifier and the consumer", async () => {
    expect(forgedLabel).to.not.equal(predicted);
    expect(forged.publicSignals[0]).to.not.equal(honest.publicSignals[0]);
    expect(await snarkjs.groth16.verify(vkey, forged.publicSignals, forged.proof), "snarkjs groth16 verify").to.equal(true);

    const [signer] = await hre.ethers.getSigners();
    const sys = systemFor({ system: "groth16" });
    const v = contracts.get("ForgeryVerifier")!;
    const c = contracts.get("ForgeryConsumer")!;
    const verifier: any = await new ContractFactory(v.abi, v.bytecode, signer).deploy();
    const consumer: any = await new ContractFactory(c.abi, c.bytecode, signer).deploy(await verifier.getAddress());
    const p = await sys.verifierInput(forged.proof, forged.publicSignals);
    p.proof[6] = p.proof[7] = 0n; // C = 0: the EVM's point at infinity is (0, 0) (snarkjs's calldata prints its projective (0, 1))
    expect(await verifier.verifyProof(...sys.verifyProofArgs(p.proof, p.publicSignals)), "the generated verifier").to.equal(true);
    const receipt = await (await consumer.submit(...sys.verifyProofArgs(p.proof, p.publicSignals).slice(0, -1), ...submitSignalArgs(layout(), p.publicSignals))).wait();
    const ev = receipt.logs.map((l: any) => consumer.interface.parseLog(l)).find((e: any) => e?.name === "InferenceVerified");
    expect(Number(ev.args.label), "the consumer records the forged label").to.equal(forgedLabel);
  });

  it("the decision: a forgeable key is used only on hardhat and localhost (a development chain id), unless allowed", () => {
    expect(isLocalChain("hardhat")).to.equal(true);
    expect(isLocalChain("localhost", 31337)).to.equal(true);
    expect(isLocalChain("localhost", 11155111), "localhost pointed at a real chain").to.equal(false);
    for (const n of ["sepolia", "hoodi", "base-sepolia", "mainnet", "my-own-chain"]) expect(isLocalChain(n), n).to.equal(false);

    const setup = setupForgeability(loc.setupMeta, (ptau) => paths.get({ kind: "ptauSecrets", ptau }));
    expect(setup.forgeable).to.equal(true);
    expect(setup.reason).to.match(/secrets \(tau, alpha, beta\) are kept on this machine/);
    const refuse = (network: string, chainId?: number, allow?: boolean) => () => refuseForgeableSetup({ network, chainId, setup, allow, action: "deploy", model: "m.json" });
    expect(refuse("hardhat")).to.not.throw();
    expect(refuse("localhost", 31337)).to.not.throw();
    expect(refuse("sepolia", undefined, true), "--allow-development-setup").to.not.throw();
    for (const [n, id] of [["sepolia", undefined], ["localhost", 1], ["my-own-chain", 31337]] as const) {
      try {
        refuse(n, id)();
        expect.fail(`${n} accepted a forgeable setup`);
      } catch (e) {
        expect((e as any).code, String(e)).to.equal("SETUP_FORGEABLE");
        expect((e as any).message).to.contain(`network ${n}`).and.to.contain("can make a proof of any public signals");
        expect((e as any).hint).to.contain("--ptau <ceremony file>").and.to.contain("--contribute is not enough").and.to.contain("--allow-development-setup");
      }
    }
    // a ceremony's key (no development ptau, no secrets here) goes anywhere
    const dir = tmpDir("forgery-meta");
    const meta = path.join(dir, "setup.json");
    fs.writeFileSync(meta, JSON.stringify({ ptau: path.join(dir, "powersOfTau28_hez_final_12.ptau"), developmentPtau: false, ptauOrigin: "published", trust: "published ceremony" }));
    expect(setupForgeability(meta, (p) => `${p}.secrets.json`).forgeable).to.equal(false);
    // ... unless its secrets are on this machine
    fs.writeFileSync(path.join(dir, "powersOfTau28_hez_final_12.ptau.secrets.json"), "{}");
    expect(setupForgeability(meta, (p) => `${p}.secrets.json`).forgeable).to.equal(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deployVerifier and submitProof under a testnet's name (the in-process chain behind it): refused before anything is sent; allowed, the record says forgeable", async () => {
    const [signer] = await hre.ethers.getSigners();
    const dir = tmpDir("forgery-deploy");
    const recordFile = path.join(dir, "record.json");
    const setup = setupForgeability(loc.setupMeta, (ptau) => paths.get({ kind: "ptauSecrets", ptau }));
    const statement = { circuit: loc.id, visibility: DEFAULT_VISIBILITY, layout: layout() };
    const base = {
      signer,
      network: "sepolia",
      model: model.name,
      system: "groth16" as const,
      vkey,
      publicSignals: Number(vkey.nPublic),
      statement,
      verifier: contracts.get("ForgeryVerifier")!,
      consumer: contracts.get("ForgeryConsumer")!,
      compiler: { version: "test", settings: SOLC_SETTINGS },
      recordFile,
      setup,
    };
    const block0 = await hre.ethers.provider.getBlockNumber();
    await expectCode(deployVerifier(base), "SETUP_FORGEABLE", /network sepolia: refusing to deploy a verifier whose key can be forged/);
    expect(await hre.ethers.provider.getBlockNumber(), "nothing sent").to.equal(block0);
    expect(fs.existsSync(recordFile)).to.equal(false);

    const r = await deployVerifier({ ...base, allowDevelopmentSetup: true });
    expect(r.deployed).to.equal(true);
    const rec = JSON.parse(fs.readFileSync(recordFile, "utf8"));
    expect(rec.forgeable).to.equal(true);
    expect(rec.forgeableReason).to.equal(setup.reason);

    // submitting to it: refused on a real network even when this machine no longer knows the setup (the record says so)
    const sys = systemFor({ system: "groth16" });
    const p = await sys.verifierInput(honest.proof, honest.publicSignals);
    const submit = { signer, network: "sepolia", record: rec, recordFile, vkey, proofArgs: sys.verifyProofArgs(p.proof, p.publicSignals).slice(0, -1), publicSignals: p.publicSignals, consumerAbi: contracts.get("ForgeryConsumer")!.abi };
    const block1 = await hre.ethers.provider.getBlockNumber();
    await expectCode(submitProof({ ...submit, setup: { forgeable: false, reason: "unknown here" } }), "SETUP_FORGEABLE", /refusing to submit to a verifier whose key can be forged/);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(block1);
    const sent = await submitProof({ ...submit, setup, allowDevelopmentSetup: true });
    expect(sent.label).to.equal(predicted);
    // on the in-process network itself no flag is needed
    const local = await submitProof({ ...submit, network: "hardhat", setup });
    expect(local.label).to.equal(predicted);
    expect(vkeyHash(vkey)).to.equal(rec.vkeyHash);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the task: deploy-verifier --network sepolia refuses the development key before reaching the node, naming why and what to do", () => {
    const env = { ...process.env, SEPOLIA_RPC_URL: "http://127.0.0.1:9", SEPOLIA_PRIVATE_KEY: HARDHAT_KEY0, CI: "true" };
    const record = paths.get({ kind: "deployment", network: "sepolia", circuit: loc.id, system: "groth16" });
    const existed = fs.existsSync(record);
    const r = spawnSync("node", [CLI, "deploy-verifier", "--model", TINY, "--network", "sepolia"], { cwd: ROOT, encoding: "utf8", env });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).to.not.equal(0);
    expect(out).to.contain("[SETUP_FORGEABLE] network sepolia: refusing to deploy a verifier whose key can be forged");
    expect(out).to.match(/fix: set the circuit up from a ceremony powers of tau.*--contribute is not enough.*--allow-development-setup/s);
    expect(out, "refused before the node (an unreachable URL) was contacted").to.not.contain("NETWORK_UNREACHABLE");
    if (!existed) expect(fs.existsSync(record)).to.equal(false);
  });

  it("the proof queue: a worker building a circuit in the shared store keeps no ptau secrets there, and the job's result carries none", async () => {
    const root = tmpDir("forgery-queue");
    try {
      const spec = { model: TINY, system: "groth16" as const, visibility: DEFAULT_VISIBILITY, backend: "auto" as const, inputs: [new Array(36).fill(0.5)], context: String(ACCOUNT0) };
      const result = await proveJob(root, "forgery-job", spec);
      expect(result.verified).to.equal(true);
      const files: string[] = [];
      const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name))));
      walk(root);
      expect(files.filter((f) => f.endsWith(".ptau")).length, "the worker made a development ptau").to.be.greaterThan(0);
      expect(files.filter((f) => /secrets/.test(f)), "no secrets file in the shared store").to.deep.equal([]);
      expect(JSON.stringify(result)).to.not.match(/secret|tau/i);
      // its key is still recorded as development: deploy-verifier would refuse it on a real chain
      const shared = new Paths(root);
      const metas = files.filter((f) => f.endsWith("setup.json"));
      expect(metas.length).to.equal(1);
      expect(setupForgeability(metas[0], (ptau) => shared.get({ kind: "ptauSecrets", ptau })).forgeable).to.equal(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
