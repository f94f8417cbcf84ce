/**
 * `npx hardhat verify-proof` (issue 31, item 7), run as a user runs it, on tiny-cnn: a valid proof exits 0 and
 * says "valid"; a changed public value exits 1 with the reason; a truncated proof.json exits non-zero naming the
 * file. The same proof through --model (the circuit's key found like deploy-verifier finds it), PLONK from a
 * committed proof through the same function, and a deployed verifier asked through --address's function on the
 * in-process chain.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import hre from "hardhat";
import { ContractFactory } from "ethers";
import { loadModelFile } from "../src/model/format";
import { proveModel } from "../src/pipeline/prove";
import { systemFor } from "../src/systems/registry";
import { compileSolidity } from "../src/evm/solc";
import { verifyProofFiles, verifyProofOnChain } from "../src/evm/verify-proof";
import { isZkmlError } from "../src/core/errors";
import { Paths } from "../src/core/paths";
import { ACCOUNT0, ROOT, tmpDir } from "./helpers/circuit";

const CLI = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");

function hh(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync("node", [CLI, "verify-proof", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true" } });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("verify-proof: a proof, its public signals and a key (or a deployed verifier): exit 0 valid, 1 invalid", function () {
  this.timeout(300_000);
  let dir: string;
  let f: { proof: string; public: string; vkey: string; changed: string; truncated: string };

  before(async () => {
    dir = tmpDir("verify-proof");
    const r = await proveModel({ root: ROOT, model: loadModelFile(TINY), context: ACCOUNT0 });
    f = {
      proof: path.join(dir, "proof.json"),
      public: path.join(dir, "public.json"),
      vkey: path.join(dir, "verification_key.json"),
      changed: path.join(dir, "changed-public.json"),
      truncated: path.join(dir, "truncated-proof.json"),
    };
    fs.copyFileSync(r.files.proof, f.proof);
    fs.copyFileSync(r.files.public, f.public);
    fs.copyFileSync(r.files.verificationKey, f.vkey);
    const pub = JSON.parse(fs.readFileSync(f.public, "utf8")) as string[];
    fs.writeFileSync(f.changed, JSON.stringify([String((Number(pub[0]) + 1) % 3), ...pub.slice(1)]));
    const text = fs.readFileSync(f.proof, "utf8");
    fs.writeFileSync(f.truncated, text.slice(0, Math.floor(text.length / 2)));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a valid proof: exit 0, valid (the system read from the key's protocol)", () => {
    const r = hh("--proof", f.proof, "--public", f.public, "--vkey", f.vkey);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^valid: the groth16 proof verifies against .*verification_key\.json for these 4 public signals/m);
  });

  it("a changed public value: exit 1, invalid with the reason", () => {
    const r = hh("--proof", f.proof, "--public", f.changed, "--vkey", f.vkey);
    expect(r.code, r.out).to.equal(1);
    expect(r.out).to.match(/^invalid: the groth16 pairing check fails: this proof does not prove these 4 public signals under this key/m);
  });

  it("a truncated proof.json: exit non-zero, a ZkmlError naming the file", () => {
    const r = hh("--proof", f.truncated, "--public", f.public, "--vkey", f.vkey);
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.contain(`[PROOF_INVALID] ${f.truncated}: not valid JSON`);
  });

  it("--model finds the circuit's key as deploy-verifier does; the key's system must be --system's; one source of key", async () => {
    // the key in build/ is the one the proof was made with unless another run set the circuit up again meanwhile
    // at the 8-bit scales the proof was made with (without --scale-bits the task picks a width by --max-error)
    const r = hh("--proof", f.proof, "--public", f.public, "--model", TINY, "--scale-bits", "8");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^valid: /m);
    const wrong = hh("--proof", f.proof, "--public", f.public, "--vkey", f.vkey, "--system", "plonk");
    expect(wrong.code).to.not.equal(0);
    expect(wrong.out).to.contain(`[VKEY_MISMATCH] ${f.vkey}: protocol: the key is a groth16 key, --system says plonk`);
    const none = hh("--proof", f.proof, "--public", f.public);
    expect(none.code).to.not.equal(0);
    expect(none.out).to.contain("[OPTION_INVALID] expected one of --vkey, --model or --address, got none");
  });

  it("PLONK: a committed proof (mlp-mnist, 794 public signals) through the same function", async () => {
    const raw = JSON.parse(fs.readFileSync(new Paths(ROOT).get({ kind: "gasFixture", model: "mlp-mnist", system: "plonk", visibility: { input: "public", weights: "fixed", output: "public" } }), "utf8"));
    // the verifier's words back to snarkjs's proof.json: nine G1 points, then six evaluations
    const w: string[] = raw.proof;
    const names = ["A", "B", "C", "Z", "T1", "T2", "T3", "Wxi", "Wxiw"];
    const proof: Record<string, unknown> = { protocol: "plonk", curve: "bn128" };
    names.forEach((n, i) => (proof[n] = [w[2 * i], w[2 * i + 1], "1"]));
    ["eval_a", "eval_b", "eval_c", "eval_s1", "eval_s2", "eval_zw"].forEach((n, i) => (proof[n] = w[18 + i]));
    const p = path.join(dir, "plonk-proof.json"), pub = path.join(dir, "plonk-public.json"), vk = path.join(dir, "plonk-vkey.json");
    fs.writeFileSync(p, JSON.stringify(proof));
    fs.writeFileSync(pub, JSON.stringify(raw.publicSignals));
    fs.writeFileSync(vk, JSON.stringify(raw.vkey));
    const ok = await verifyProofFiles({ proof: p, public: pub, vkey: vk });
    expect(ok, ok.reason).to.include({ valid: true, system: "plonk", publicSignals: 794 });
    const changed = [...raw.publicSignals];
    changed[0] = String(BigInt(changed[0]) - 1n);
    fs.writeFileSync(pub, JSON.stringify(changed));
    expect((await verifyProofFiles({ proof: p, public: pub, vkey: vk })).valid).to.equal(false);
  });

  it("--address: the deployed verifier's verifyProof, called on the in-process chain", async () => {
    const vkey = JSON.parse(fs.readFileSync(f.vkey, "utf8"));
    const c = compileSolidity({ "VerifyProofTest.sol": systemFor({ system: "groth16" }).renderVerifier(vkey, "VerifyProofTest") }).get("VerifyProofTest")!;
    const [signer] = await hre.ethers.getSigners();
    const verifier = await new ContractFactory(c.abi, c.bytecode, signer).deploy();
    const address = await verifier.getAddress();
    const at = { provider: hre.ethers.provider, address, network: "hardhat", system: "groth16" as const, proof: f.proof };
    const ok = await verifyProofOnChain({ ...at, public: f.public });
    expect(ok.valid, ok.reason).to.equal(true);
    const bad = await verifyProofOnChain({ ...at, public: f.changed });
    expect(bad.valid).to.equal(false);
    expect(bad.reason).to.contain(`the verifier at ${address} on hardhat rejects the proof for these 4 public signals`);
    try {
      await verifyProofOnChain({ ...at, address: "0x000000000000000000000000000000000000dEaD", public: f.public });
      expect.fail("no contract there");
    } catch (e) {
      expect(isZkmlError(e) && e.code, String(e)).to.equal("DEPLOYMENT_MISSING");
    }
  });
});
