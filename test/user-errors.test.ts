/**
 * Failures a user can cause carry a code and a fix (issue 26, item 3): a data contract past PUSH2's reach, a
 * damaged proof or public-signals file, a ptau whose powers do not chain (ptau --verify), the build layout's run
 * folder read back by Paths.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { dataInitCode } from "../src/backends/solidity/inference";
import { Paths, runDirOf } from "../src/core/paths";
import { readProofFiles } from "../src/evm/compare";
import { writeDevPtau } from "../src/setup/ptau";
import { ROOT, tmpDir } from "./helpers/circuit";
import { section, thrown } from "./helpers/errors";

const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");

describe("errors a user can reach: a code and a fix", function () {
  this.timeout(300_000);
  const dir = tmpDir("user-errors");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a data contract past 65,535 bytes: CONTRACT_TOO_LARGE", () => {
    expect(dataInitCode("00".repeat(65_535))).to.match(/^61ffff/);
    const e = thrown(() => dataInitCode("00".repeat(65_536)));
    expect(e.code).to.equal("CONTRACT_TOO_LARGE");
    expect(e.message).to.contain("65,536 bytes");
    expect(e.hint).to.contain("24,575");
  });

  it("a damaged proof.json or public.json: PROOF_INVALID naming the file", () => {
    const proof = path.join(dir, "proof.json");
    const pub = path.join(dir, "public.json");
    fs.writeFileSync(proof, '{"pi_a": [');
    fs.writeFileSync(pub, '["1", "2"]');
    let e = thrown(() => readProofFiles(proof, pub));
    expect(e.code).to.equal("PROOF_INVALID");
    expect(e.file).to.equal(proof);
    expect(e.message).to.contain("not valid JSON");
    fs.writeFileSync(proof, '{"pi_a": []}');
    fs.writeFileSync(pub, '{"signals": [1]}');
    e = thrown(() => readProofFiles(proof, pub));
    expect(e.code).to.equal("PROOF_INVALID");
    expect(e.file).to.equal(pub);
    expect(e.message).to.match(/expected a JSON array of public signals \(decimal strings\)/);
    fs.writeFileSync(pub, '["1", "2"]');
    expect(readProofFiles(proof, pub)).to.deep.equal([{ pi_a: [] }, ["1", "2"]]);
  });

  it("ptau --check --verify of a ptau whose powers do not chain: [PTAU_INVALID] with a fix, exit non-zero", async () => {
    const file = path.join(dir, "swapped.ptau");
    await writeDevPtau(file, 4);
    // swap tau^1 G1 and tau^2 G1: both still points of the curve, the file still well formed, the chain broken
    const buf = fs.readFileSync(file);
    const { start } = section(buf, 2);
    const a = Buffer.from(buf.subarray(start + 64, start + 128));
    buf.copy(buf, start + 64, start + 128, start + 192);
    a.copy(buf, start + 128);
    fs.writeFileSync(file, buf);
    const r = spawnSync("node", [HARDHAT, "ptau", "--check", file, "--verify"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).to.not.equal(0);
    expect(r.stderr).to.contain("[PTAU_INVALID]").and.to.contain("snarkjs powersoftau verify failed").and.to.contain("fix: the file is damaged");
  });

  it("Paths reads a run folder back (runDirOf), and nothing else", () => {
    const paths = new Paths("/p", "/p/out");
    const run = paths.get({ kind: "runDir", circuit: "m-abc", run: "r1" });
    expect(runDirOf(run)).to.deep.equal({ buildDir: "/p/out", circuit: "m-abc", run: "r1" });
    expect(runDirOf("/p/out/circuits/m-abc")).to.equal(undefined);
    expect(runDirOf("/tmp/some/proof/folder")).to.equal(undefined);
  });
});
