/**
 * Setup and trust: ceremony files are recognised by their published hash, a damaged or impostor file is refused,
 * downloads are kept only when their hash matches (against a file server on 127.0.0.1), phase-2 contributions
 * and a beacon pass `snarkjs zkey verify`, a tampered key does not, and damaged keys, too-small ptaus and bad
 * config get clear errors.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { checkPtau, downloadPtau, hashFile, publishedFor, publishedPtaus, PublishedPtau } from "../src/setup/ceremony";
import { resolveZkmlConfig } from "../src/core/config";
import { isZkmlError, ZkmlError } from "../src/core/errors";
import { readPtauSecrets, writeDevPtau } from "../src/setup/ptau";
import { buildDirect } from "../src/backends/r1cs/lower";
import { Paths } from "../src/core/paths";
import { prove, setupKeys } from "../src/systems/stages";
import { DEFAULT_VISIBILITY, VISIBILITY_RULES } from "../src/statement/visibility";
import { verifySetup } from "../src/setup/keys";
import { checkZkey } from "../src/snark/zkey";
import { ACCOUNT0, compileSource, ROOT, tmpDir } from "./helpers/circuit";
import { renderCircuit } from "../src/backends/circom/render";
import { quantize, DEFAULT_QUANT } from "../src/quantize/quantize";
import { loadModelFile } from "../src/model/format";
import { calibrationFor, resolveModel } from "../src/model/zoo";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const snarkjs = (): any => require("snarkjs");

const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");

async function expectError(p: Promise<unknown> | (() => unknown), code: string, re: RegExp): Promise<ZkmlError> {
  try {
    if (typeof p === "function") p();
    else await p;
  } catch (e) {
    expect(isZkmlError(e), String(e)).to.equal(true);
    expect((e as ZkmlError).code).to.equal(code);
    expect((e as ZkmlError).message).to.match(re);
    return e as ZkmlError;
  }
  throw new Error(`expected a ${code} error`);
}

describe("setup: ceremony files, downloads, contributions", function () {
  this.timeout(300_000);
  let dir: string;
  let dev8: string;
  before(async () => {
    dir = tmpDir("setup");
    dev8 = path.join(dir, "dev8.ptau");
    await writeDevPtau(dev8, 8);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the published table came from snarkjs's README: powers 8..28, 128-hex BLAKE2b each", () => {
    const t = publishedPtaus();
    expect(t.map((f) => f.power)).to.deep.equal(Array.from({ length: 21 }, (_, i) => i + 8));
    for (const f of t) expect(f.blake2b).to.match(/^[0-9a-f]{128}$/);
    expect(publishedFor(3).power, "nothing smaller than 2^8 is published").to.equal(8);
    expect(publishedFor(18).name).to.equal("powersOfTau28_hez_final_18.ptau");
  });

  it("recognises a development ptau; refuses one posing as a published file; trusts a hash the user lists", async () => {
    const c = await checkPtau(dev8);
    expect(c).to.include({ origin: "development", power: 8, contributions: 1 });
    expect(c.trust).to.match(/secret existed/);
    const impostor = path.join(dir, "powersOfTau28_hez_final_08.ptau");
    fs.copyFileSync(dev8, impostor);
    const e = await expectError(checkPtau(impostor), "PTAU_HASH_MISMATCH", /named like the published ceremony file but its BLAKE2b-512 differs: expected d6a8fb3a04feb600\.\.\., got/);
    expect(e.hint).to.contain("download it again");
    const trusted = await checkPtau(impostor, { trusted: { "our own ceremony": c.blake2b } });
    expect(trusted.origin).to.equal("trusted");
    expect(c.blake2b).to.equal(await hashFile(dev8));
  });

  it("hashes a file once: the cache is keyed by path, size and mtime", async () => {
    const cacheFile = path.join(dir, "hashes.json");
    const a = await checkPtau(dev8, { cacheFile });
    const b = await checkPtau(dev8, { cacheFile });
    expect(b.blake2b).to.equal(a.blake2b);
    expect(b.hashSeconds).to.equal(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(cacheFile, "utf8")))).to.have.length(1);
  });

  describe("opt-in download from a server on 127.0.0.1", () => {
    let server: http.Server;
    let base: string;
    let body: Buffer;
    let table: PublishedPtau[];
    const NAME = "powersOfTau28_hez_final_08.ptau";
    before(async () => {
      body = fs.readFileSync(dev8);
      table = publishedPtaus();
      server = http.createServer((req, res) => {
        if (req.url === `/good/${NAME}` || req.url === `/real/${NAME}`) {
          res.writeHead(200, { "content-length": body.length });
          res.end(body);
        } else if (req.url === `/cut/${NAME}`) {
          res.writeHead(200, { "content-length": body.length });
          res.write(body.subarray(0, 1000));
          setTimeout(() => res.destroy(), 50);
        } else if (req.url === `/moved/${NAME}`) {
          res.writeHead(302, { location: `/good/${NAME}` });
          res.end();
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const h = await hashFile(dev8);
      table = table.map((f) => (f.power === 8 ? { ...f, blake2b: h } : f));
    });
    after(() => server.close());

    const files = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d) : []);

    it("keeps a file whose hash matches, following a redirect, and reuses it", async () => {
      const d = path.join(dir, "dl-ok");
      const r = await downloadPtau(5, { dir: d, baseUrl: `${base}/moved/`, table });
      expect(r).to.include({ downloaded: true });
      expect(files(d)).to.deep.equal([NAME]);
      const again = await downloadPtau(8, { dir: d, baseUrl: `${base}/moved/`, table });
      expect(again.downloaded).to.equal(false);
    });

    it("refuses a file whose hash is not the published one (the real table), keeping nothing", async () => {
      const d = path.join(dir, "dl-real");
      await expectError(downloadPtau(8, { dir: d, baseUrl: `${base}/real/` }), "PTAU_HASH_MISMATCH", /differs from the published one: expected d6a8fb3a04feb600/);
      expect(files(d)).to.deep.equal([]);
    });

    it("a cut transfer, a 404 and a closed port: clear errors, nothing kept", async () => {
      const d = path.join(dir, "dl-bad");
      await expectError(downloadPtau(8, { dir: d, baseUrl: `${base}/cut/`, table }), "PTAU_DOWNLOAD_FAILED", /could not download .*cut/);
      await expectError(downloadPtau(8, { dir: d, baseUrl: `${base}/nothing/`, table }), "PTAU_DOWNLOAD_FAILED", /HTTP 404/);
      await expectError(downloadPtau(8, { dir: d, baseUrl: "http://127.0.0.1:1/", table }), "PTAU_DOWNLOAD_FAILED", /ECONNREFUSED/);
      expect(files(d)).to.deep.equal([]);
    });
  });

  describe("phase 2", () => {
    let r1cs: string;
    let ptau: string;
    before(async () => {
      const m = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
      const q = quantize(m, { ...DEFAULT_QUANT, calibration: calibrationFor(m) });
      const sub = path.join(dir, "phase2");
      fs.mkdirSync(sub);
      r1cs = (await compileSource(renderCircuit(q), sub)).r1cs;
      ptau = path.join(dir, "dev11.ptau");
      await writeDevPtau(ptau, 11);
    });

    it("development contribution + the user's + a beacon: snarkjs zkey verify passes; a changed point fails", async () => {
      const zkey = path.join(dir, "c.zkey");
      const r = await setupKeys({ system: "groth16", r1cs, ptau, zkey, vkey: path.join(dir, "vk.json"), contribute: { entropy: "user entropy", beacon: "00ff".repeat(16), name: "alice" } });
      expect(r.contributions).to.deep.equal(["zkml-hardhat development contribution", "alice", "final beacon"]);
      expect(checkZkey(zkey, "groth16").contributions.map((c) => c.beacon)).to.deep.equal([false, false, true]);
      expect((await verifySetup({ r1cs, ptau, zkey })).valid).to.equal(true);
      // flip one byte inside the H section (9): the key no longer follows from its contributions
      const buf = Buffer.from(fs.readFileSync(zkey));
      let p = 12;
      while (buf.readUInt32LE(p) !== 9) p += 12 + Number(buf.readBigUInt64LE(p + 4));
      buf[p + 12 + 70] ^= 1;
      const bad = path.join(dir, "bad.zkey");
      fs.writeFileSync(bad, buf);
      expect((await verifySetup({ r1cs, ptau, zkey: bad })).valid).to.equal(false);
    });

    it("a damaged zkey, a ptau too small, a key of another protocol: clear errors", async () => {
      const zkey = path.join(dir, "d.zkey");
      await setupKeys({ system: "groth16", r1cs, ptau, zkey, vkey: path.join(dir, "vk2.json") });
      const cut = path.join(dir, "cut.zkey");
      fs.writeFileSync(cut, fs.readFileSync(zkey).subarray(0, 5000));
      await expectError(() => checkZkey(cut), "ZKEY_INVALID", /truncated: section \d+ needs \d+ bytes/);
      const junk = path.join(dir, "junk.zkey");
      fs.writeFileSync(junk, "not a key at all");
      await expectError(() => checkZkey(junk), "ZKEY_INVALID", /not a proving key/);
      const plonk = Buffer.from(fs.readFileSync(zkey));
      plonk.writeUInt32LE(2, 12 + 12); // section 1's protocol field
      const pk = path.join(dir, "plonk.zkey");
      fs.writeFileSync(pk, plonk);
      await expectError(() => checkZkey(pk, "groth16"), "ZKEY_INVALID", /a plonk key, expected groth16/);
      const small = path.join(dir, "dev4.ptau");
      await writeDevPtau(small, 4);
      await expectError(setupKeys({ system: "groth16", r1cs, ptau: small, zkey: path.join(dir, "e.zkey"), vkey: path.join(dir, "vk3.json") }), "PTAU_TOO_SMALL", /holds 2\^4 powers; this circuit \(\d+ constraints\) needs 2\^\d+/);
      expect(fs.existsSync(path.join(dir, "e.zkey"))).to.equal(false);
    });
  });

  describe("native phase 2: from a development ptau's kept secrets, or from any ptau's points", () => {
    /** An iden3 container's sections by type. */
    const sections = (file: string) => {
      const b = fs.readFileSync(file);
      const m = new Map<number, Buffer>();
      let at = 12;
      for (let i = 0; i < b.readUInt32LE(8); i++) {
        const size = Number(b.readBigUInt64LE(at + 4));
        m.set(b.readUInt32LE(at), b.subarray(at + 12, at + 12 + size));
        at += 12 + size;
      }
      return m;
    };

    // tiny-cnn (domain 2^11 in a 2^12 ptau), and paper0's FC_48564_params (23,974 constraints + 4 public signals:
    // domain 2^15 in a ptau of exactly 2^15, where snarkjs's H hash reads one chunk past the tau powers' section)
    for (const [name, power] of [["tiny-cnn", 12], ["paper0/FC_48564_params", 15]] as const) {
      it(`${name} (ptau 2^${power}), from the kept secrets and from the ptau's points: snarkjs's sections byte for byte, its circuit hash, zkey verify passes, a native proof verifies`, async () => {
        const sub = path.join(dir, `native-${power}`);
        fs.mkdirSync(sub, { recursive: true });
        const m = name === "tiny-cnn" ? loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json")) : resolveModel(name);
        const q = quantize(m, { ...DEFAULT_QUANT, calibration: calibrationFor(m) });
        const r1cs = path.join(sub, "c.r1cs"), wtns = path.join(sub, "c.wtns");
        const x = Array(q.input.shape.reduce((a, b) => a * b, 1)).fill(q.input.min + 1n);
        buildDirect(q, DEFAULT_VISIBILITY, { r1csFile: r1cs, x, wtnsFile: wtns, opening: { context: ACCOUNT0 } });
        const ptau = path.join(sub, "dev.ptau");
        const secretsFile = new Paths(ROOT).get({ kind: "ptauSecrets", ptau });
        await writeDevPtau(ptau, power, { keepSecrets: secretsFile });
        expect(fs.statSync(secretsFile).mode & 0o777).to.equal(0o600);
        // snarkjs's own initial key from the same r1cs and ptau: what it would write before its contribution
        const ref = path.join(sub, "ref.zkey");
        await snarkjs().zKey.newZKey(r1cs, ptau, ref);
        const b = sections(ref);
        for (const [route, devSecrets] of [["native from the development secrets", secretsFile], ["native from the ptau's points", undefined]] as const) {
          const zkey = path.join(sub, "native.zkey"), vkey = path.join(sub, "vk.json");
          const r = await setupKeys({ system: "groth16", r1cs, ptau, zkey, vkey, devSecrets });
          expect(r.method).to.equal(route);
          expect(r.contributions).to.deep.equal(["zkml-hardhat development contribution"]);
          const a = sections(zkey);
          for (const t of [1, 3, 4, 5, 6, 7]) expect(a.get(t)!.equals(b.get(t)!), `${route}: section ${t}`).to.equal(true);
          expect(a.get(10)!.subarray(0, 64).equals(b.get(10)!.subarray(0, 64)), `${route}: circuit hash`).to.equal(true);
          // snarkjs's zkey verify (verifySetup, which the phase 2 tests above run, is snarkjs's verifyFromR1cs: its
          // initial key from the r1cs and ptau, then verifyFromInit against it); the initial key is ref.zkey, made
          // above from the same files, so verifyFromInit on it is that same check without making the key again
          expect(await snarkjs().zKey.verifyFromInit(ref, ptau, zkey), route).to.equal(true);
          const proof = path.join(sub, "p.json"), pub = path.join(sub, "pub.json");
          await prove({ system: "groth16", zkey, wtns, r1cs, proof, public: pub });
          const vk = JSON.parse(fs.readFileSync(vkey, "utf8"));
          expect(await snarkjs().groth16.verify(vk, JSON.parse(fs.readFileSync(pub, "utf8")), JSON.parse(fs.readFileSync(proof, "utf8"))), route).to.equal(true);
        }
      });
    }

    it("secrets that do not belong to the ptau (another file's, damaged, missing) are not read as its own", async () => {
      const sub = path.join(dir, "native-mismatch");
      fs.mkdirSync(sub, { recursive: true });
      const [p1, p2] = [path.join(sub, "a.ptau"), path.join(sub, "b.ptau")];
      await writeDevPtau(p1, 6, { keepSecrets: `${p1}.secrets.json` });
      await writeDevPtau(p2, 6, { keepSecrets: `${p2}.secrets.json` });
      expect(readPtauSecrets(p1, `${p1}.secrets.json`)).to.not.equal(undefined);
      expect(readPtauSecrets(p1, `${p2}.secrets.json`)).to.equal(undefined);
      const j = JSON.parse(fs.readFileSync(`${p1}.secrets.json`, "utf8"));
      j.tau = (BigInt(`0x${j.tau}`) + 1n).toString(16);
      fs.writeFileSync(`${p1}.secrets.json`, JSON.stringify(j));
      expect(readPtauSecrets(p1, `${p1}.secrets.json`)).to.equal(undefined);
      expect(readPtauSecrets(p1, path.join(sub, "none.json"))).to.equal(undefined);
    });
  });

  it("zkml config: clear errors naming the field", async () => {
    expect(resolveZkmlConfig(undefined, VISIBILITY_RULES)).to.deep.equal({ downloadPtau: false, ptauHashes: {}, blockGasLimit: 30_000_000, visibility: { input: "packed", weights: "fixed", output: "label", context: "sender" } });
    expect(resolveZkmlConfig({ visibility: { input: "hashed" } }, VISIBILITY_RULES).visibility).to.deep.equal({ input: "hashed", weights: "fixed", output: "label", context: "sender" }); // the rest from the default statement
    expect(resolveZkmlConfig({ visibility: { context: "none" } }, VISIBILITY_RULES).visibility).to.deep.equal({ input: "packed", weights: "fixed", output: "label" }); // the opt-out
    await expectError(() => resolveZkmlConfig({ visibility: { weights: "secret" } }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.visibility\.weights: expected one of fixed, private, hashed, got "secret"/);
    await expectError(() => resolveZkmlConfig({ visibility: { inputs: "public" } }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.visibility\.inputs: expected one of input, weights, output/);
    expect(resolveZkmlConfig({ blockGasLimit: 45_000_000 }, VISIBILITY_RULES).blockGasLimit).to.equal(45_000_000);
    await expectError(() => resolveZkmlConfig({ blockGasLimit: 1.5 }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.blockGasLimit: expected a whole number of gas, at least 21,000, got 1\.5/);
    await expectError(() => resolveZkmlConfig({ ptauHashes: { mine: "abc" } }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.ptauHashes\["mine"\]: expected 128 hex digits \(b2sum of the file\), got "3 characters"/);
    await expectError(() => resolveZkmlConfig({ downloadPtau: "yes" }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.downloadPtau: expected true or false, got "yes"/);
    await expectError(() => resolveZkmlConfig({ ptauBaseUrl: "ftp://x" }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.ptauBaseUrl: expected an http\(s\) URL/);
    expect(resolveZkmlConfig({ queue: "redis://10.0.0.5:6379" }, VISIBILITY_RULES).queue).to.equal("redis://10.0.0.5:6379");
    await expectError(() => resolveZkmlConfig({ queue: "10.0.0.5:6379" }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.queue: expected a redis:\/\/ URL \(e\.g\. redis:\/\/10\.0\.0\.5:6379\), got "10\.0\.0\.5:6379"/);
    await expectError(() => resolveZkmlConfig({ ptua: "x" }, VISIBILITY_RULES), "CONFIG_INVALID", /zkml\.ptua: expected one of the known fields/);
  });

  it("npx hardhat ptau: makes a file snarkjs verifies; --check refuses an impostor with a non-zero exit", () => {
    const out = path.join(dir, "cli6.ptau");
    let r = spawnSync("node", [HARDHAT, "ptau", "--power", "6", "--out", out, "--verify"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain("power          2^6").and.to.contain("origin         development").and.to.contain("snarkjs powersoftau verify: OK");
    const impostor = path.join(dir, "powersOfTau28_hez_final_08.ptau");
    r = spawnSync("node", [HARDHAT, "ptau", "--check", impostor], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain("PTAU_HASH_MISMATCH").and.to.contain("fix:");
    r = spawnSync("node", [HARDHAT, "ptau", "--power", "40"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain("--power: expected an integer in 1..27, got 40");
  });
});
