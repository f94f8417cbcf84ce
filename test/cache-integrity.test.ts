/**
 * A cached artifact changed behind the pipeline's back is made again, or refused with an error naming it, and never
 * proved with (issue 31, item 3): the r1cs (one coefficient zeroed: a constraint becomes 0 = 0), the key, its
 * verification key (one digit of IC[1]), the witness and its inputs, a development ptau and a ptau the user names
 * (64 bytes flipped), the verifier's source. Also the ptau's points (ptau --check, src/setup/ptau-check.ts) and
 * the file-hash cache that cannot be fooled by setting a file's mtime back. Each run is in a project folder of its
 * own (its own build/), so no other run's cache is touched.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isZkmlError, ZkmlError } from "../src/core/errors";
import { checkDigest, digestFile } from "../src/core/files";
import { Paths } from "../src/core/paths";
import { loadModelFile } from "../src/model/format";
import { checkBuiltArtifacts } from "../src/pipeline/integrity";
import { CircuitProveReport as ProveReport, locateCircuit, proveModel, type ProveOptions } from "../src/pipeline/prove";
import { checkPtau } from "../src/setup/ceremony";
import { checkPtauPoints } from "../src/setup/ptau-check";
import { vkeyMatchesZkey } from "../src/systems/snarkjs";
import { writeDevPtau } from "../src/setup/ptau";
import { DEFAULT_VISIBILITY } from "../src/statement/visibility";
import { ACCOUNT0, ROOT, tmpDir } from "./helpers/circuit";
import { section } from "./helpers/errors";

const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");
const OPTS = { visibility: DEFAULT_VISIBILITY, backend: "auto" as const, quant: {} };

/** Change a file in place as an editor or a bit flip would: same size, new content (and, with keepTimes, its old mtime set back). */
function edit(file: string, change: (buf: Buffer) => void, keepTimes = false): void {
  const st = fs.statSync(file);
  const buf = fs.readFileSync(file);
  change(buf);
  fs.writeFileSync(file, buf);
  if (keepTimes) fs.utimesSync(file, st.atime, st.mtime);
}

async function thrown(p: Promise<unknown>): Promise<ZkmlError> {
  try {
    await p;
  } catch (e) {
    expect(isZkmlError(e), String((e as Error)?.stack ?? e)).to.equal(true);
    return e as ZkmlError;
  }
  throw new Error("expected a ZkmlError, the run succeeded");
}

describe("the build cache: every artifact checked against the hash recorded when it was made", function () {
  this.timeout(600_000);
  let root: string;
  const model = loadModelFile(TINY);
  let lines: string[] = [];
  const prove = (more: Omit<Partial<ProveOptions>, "system"> = {}): Promise<ProveReport> => {
    lines = [];
    return proveModel({ root, model, circuit: OPTS, context: ACCOUNT0, observe: { log: (l) => lines.push(l) }, ...more });
  };
  const cached = (r: ProveReport, stage: string) => r.stages.find((s) => s.stage === stage)?.cached;
  let loc: ReturnType<typeof locateCircuit>;
  let paths: Paths;

  before(async () => {
    root = tmpDir("integrity");
    paths = new Paths(root);
    loc = locateCircuit(root, model, "groth16", OPTS);
    const r = await prove();
    expect(r.verified).to.equal(true);
    const again = await prove();
    for (const s of ["compile", "ptau", "setup", "witness", "prove"]) expect(cached(again, s), s).to.equal(true);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("an r1cs with one coefficient zeroed: compiled again (not 'cached'), the key made again from the good one", async () => {
    const before = digestFile(loc.r1cs).sha256;
    edit(loc.r1cs, (buf) => {
      const c = section(buf, 2).start; // the first constraint: A's term count, then (wire u32, coefficient 32 bytes)
      buf.fill(0, c + 8, c + 40);
    });
    expect(digestFile(loc.r1cs).sha256).to.not.equal(before);
    // the tasks that cannot rebuild refuse it, naming the file
    const e = await thrown(checkBuiltArtifacts(root, loc.id, "groth16", "prove-model"));
    expect(e.code).to.equal("ARTIFACT_CHANGED");
    expect(e.file).to.equal(loc.r1cs);
    const r = await prove();
    expect(cached(r, "compile")).to.equal(false);
    expect(cached(r, "setup")).to.equal(false);
    expect(lines.join("\n")).to.match(/compile: .*main\.r1cs changed since it was made \(sha256 .*: making it again/);
    expect(digestFile(loc.r1cs).sha256).to.equal(before);
    expect(r.verified).to.equal(true);
    await checkBuiltArtifacts(root, loc.id, "groth16", "prove-model");
  });

  it("a verification key with one digit of IC[1] changed: refused by the tasks that deploy it; prove-model makes it again", async () => {
    const good = fs.readFileSync(loc.vkey, "utf8");
    edit(loc.vkey, (buf) => {
      const vk = JSON.parse(buf.toString("utf8"));
      const x: string = vk.IC[1][0];
      vk.IC[1][0] = x.slice(0, -1) + String((Number(x.slice(-1)) + 1) % 10);
      const text = Buffer.from(JSON.stringify(vk, null, 1));
      expect(text.length).to.equal(buf.length);
      text.copy(buf);
    });
    const e = await thrown(checkBuiltArtifacts(root, loc.id, "groth16", "prove-model"));
    expect(e.code).to.equal("ARTIFACT_CHANGED");
    expect(e.file).to.equal(loc.vkey);
    const r = await prove();
    expect(cached(r, "setup")).to.equal(false);
    expect(lines.join("\n")).to.match(/setup: .*verification_key\.json changed since it was made/);
    expect(fs.readFileSync(loc.vkey, "utf8")).to.not.equal(good); // a new key (a new contribution), and its own verification key
    expect(await vkeyMatchesZkey(loc.zkey, loc.vkey)).to.equal(true);
    await checkBuiltArtifacts(root, loc.id, "groth16", "prove-model");
    expect(r.verified).to.equal(true);
  });

  it("a verification key edited with its mtime set back (its recorded hash matching no more) or not the key's own: found all the same", async () => {
    edit(
      loc.vkey,
      (buf) => {
        let i = buf.indexOf('"IC"');
        while (!(buf[i] >= 0x30 && buf[i] <= 0x39)) i++;
        buf[i + 3] = buf[i + 3] === 0x31 ? 0x32 : 0x31;
      },
      true,
    );
    const c = checkDigest(loc.vkey, JSON.parse(fs.readFileSync(loc.setupMeta, "utf8")).digests.vkey);
    expect(c.ok).to.equal(false); // ctime moved although mtime was set back: hashed again
    const r = await prove();
    expect(cached(r, "setup")).to.equal(false);
  });

  it("a key with bytes flipped (same size): set up again, never proved with", async () => {
    edit(loc.zkey, (buf) => {
      for (let i = buf.length - 200; i < buf.length - 136; i++) buf[i] ^= 0xff;
    });
    const e = await thrown(checkBuiltArtifacts(root, loc.id, "groth16", "prove-model"));
    expect(e.code).to.equal("ARTIFACT_CHANGED");
    expect(e.file).to.equal(loc.zkey);
    const r = await prove();
    expect(cached(r, "setup")).to.equal(false);
    expect(cached(r, "prove")).to.equal(false);
    expect(r.verified).to.equal(true);
  });

  it("a witness or its inputs changed: computed again", async () => {
    const r0 = await prove();
    const wtns = path.join(path.dirname(r0.files.proof), "witness.wtns");
    const input = path.join(path.dirname(r0.files.proof), "input.json");
    edit(wtns, (buf) => (buf[buf.length - 1] ^= 1));
    let r = await prove();
    expect(cached(r, "witness")).to.equal(false);
    expect(cached(r, "prove")).to.equal(false);
    edit(input, (buf) => (buf[buf.indexOf("1")] = "2".charCodeAt(0)));
    r = await prove();
    expect(cached(r, "witness")).to.equal(false);
    expect(lines.join("\n")).to.contain("input.json is not this run's input");
    expect(r.verified).to.equal(true);
  });

  it("a development ptau with 64 bytes flipped: made again, and the key with it", async () => {
    const ptau = paths.get({ kind: "ptau", power: 11 });
    edit(ptau, (buf) => {
      const { start } = section(buf, 12);
      for (let i = start + 64 * 100; i < start + 64 * 101; i++) buf[i] ^= 0x5a;
    });
    const r = await prove();
    expect(cached(r, "ptau")).to.equal(false);
    expect(cached(r, "setup")).to.equal(false);
    expect(lines.join("\n")).to.match(/ptau: .*pot11\.ptau changed since it was made/);
    expect(r.verified).to.equal(true);
  });

  it("a ptau the user named, changed since the key was made from it: an error naming the file, no proof", async () => {
    const given = path.join(root, "ceremony.ptau");
    fs.copyFileSync(paths.get({ kind: "ptau", power: 11 }), given);
    const trust = { ptau: given };
    expect((await prove({ trust })).verified).to.equal(true);
    edit(
      given,
      (buf) => {
        const { start } = section(buf, 12);
        for (let i = start + 64 * 200; i < start + 64 * 201; i++) buf[i] ^= 0x5a;
      },
      true, // and its mtime set back: the hash cache (by path, size, mtime, ctime, inode) hashes it again
    );
    const e = await thrown(prove({ trust }));
    expect(e.code).to.equal("ARTIFACT_CHANGED");
    expect(e.file).to.equal(given);
    expect(e.hint).to.contain("--force");
    // and its points: the pairing checks find the damaged Lagrange point
    const pts = await checkPtauPoints({ ptau: given });
    expect(pts.valid).to.equal(false);
    expect(pts.log.filter((l) => l.startsWith("FAILED")).join("\n")).to.contain("section 12");
  });

  it("the verifier's source edited: rendered again from the (checked) verification key", async () => {
    const r0 = await prove();
    const good = fs.readFileSync(r0.files.verifier, "utf8");
    fs.writeFileSync(r0.files.verifier, good.replace(/uint256 constant IC1x = \d/, "uint256 constant IC1x = 9"));
    await prove();
    expect(fs.readFileSync(r0.files.verifier, "utf8")).to.equal(good);
  });
});

describe("ptau --check: the points, by pairing checks", function () {
  this.timeout(300_000);
  const dir = tmpDir("ptau-points");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a sound file passes every check; 64 flipped bytes or two swapped powers fail, and ptau --check exits non-zero naming the file", async () => {
    const file = path.join(dir, "p8.ptau");
    await writeDevPtau(file, 8);
    const ok = await checkPtauPoints({ ptau: file });
    expect(ok.valid, ok.log.join("\n")).to.equal(true);
    expect(ok.log).to.have.length(10);
    const flipped = path.join(dir, "flipped.ptau");
    fs.copyFileSync(file, flipped);
    edit(flipped, (buf) => {
      const { start } = section(buf, 14);
      for (let i = start + 64 * 20; i < start + 64 * 21; i++) buf[i] ^= 0x33;
    });
    expect((await checkPtauPoints({ ptau: flipped })).valid).to.equal(false);
    const swapped = path.join(dir, "swapped.ptau");
    fs.copyFileSync(file, swapped);
    edit(swapped, (buf) => {
      const { start } = section(buf, 2);
      const a = Buffer.from(buf.subarray(start + 64 * 5, start + 64 * 6));
      buf.copy(buf, start + 64 * 5, start + 64 * 6, start + 64 * 7);
      a.copy(buf, start + 64 * 6);
    });
    const bad = await checkPtauPoints({ ptau: swapped });
    expect(bad.valid).to.equal(false);
    expect(bad.log.find((l) => l.startsWith("FAILED"))).to.contain("tauG1[i+1] = tau * tauG1[i]");
    const r = spawnSync("node", [HARDHAT, "ptau", "--check", flipped], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).to.not.equal(0);
    expect(r.stderr).to.contain("[PTAU_INVALID]").and.to.contain(flipped).and.to.contain("its points are not a powers of tau");
    const good = spawnSync("node", [HARDHAT, "ptau", "--check", file], { cwd: ROOT, encoding: "utf8" });
    expect(good.status, good.stderr).to.equal(0);
    expect(good.stdout).to.match(/points\s+OK: 10 checks/);
  });

  it("the hash cache is not fooled by an mtime set back: the file is hashed again", async () => {
    const file = path.join(dir, "cache.ptau");
    await writeDevPtau(file, 6);
    const cacheFile = path.join(dir, "hashes.json");
    const a = await checkPtau(file, { cacheFile });
    edit(file, (buf) => (buf[buf.length - 1] ^= 1), true);
    const b = await checkPtau(file, { cacheFile });
    expect(b.blake2b).to.not.equal(a.blake2b); // a hash cached by path, size and mtime alone would be a's
  });
});
