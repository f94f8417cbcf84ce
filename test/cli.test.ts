/**
 * Bad input, as a user meets it: `npx hardhat prove-model` exits non-zero with a message naming the file, the
 * field, expected against got, and a fix; and leaves no half-written artifact behind.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT, tmpDir } from "./helpers/circuit";
import { writeDevPtau } from "../src/setup/ptau";

const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");

function proveModel(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync("node", [HARDHAT, "prove-model", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true" } });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** Temporary files our atomic writes use (core/files.ts tmpPath: ".<name>.<pid>.<rand>.tmp"; the older schemes too, so none comes back). */
function leftovers(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (/\.tmp$|\.tmp-\d+$|\.step\d+-\d+$|\.download-\d+$/.test(e.name)) found.push(p);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return found;
}

describe("prove-model: bad input ends with a clear error and a non-zero exit", function () {
  this.timeout(300_000);
  let dir: string;
  let before0: Set<string>;
  before(() => {
    dir = tmpDir("cli");
    before0 = new Set(leftovers(path.join(ROOT, "build"))); // another run in progress may own some
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => expect(leftovers(path.join(ROOT, "build")).filter((f) => !before0.has(f)), "half-written artifacts").to.deep.equal([]));

  it("a model file that is not JSON", () => {
    const f = path.join(dir, "broken.json");
    fs.writeFileSync(f, '{"format": "zkml-model/1", "layers": [');
    const r = proveModel("--model", f);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain(`${f}: not valid JSON`).and.to.contain("fix:");
  });

  it("a model whose weights have the wrong shape", () => {
    const m = JSON.parse(fs.readFileSync(TINY, "utf8"));
    m.layers[4].weights[1].pop();
    const f = path.join(dir, "shape.json");
    fs.writeFileSync(f, JSON.stringify(m));
    const r = proveModel("--model", f);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain(`${f}: layers[4].weights: expected 3x18, got 3x17 at layers[4].weights[1]`);
  });

  it("an input of the wrong shape", () => {
    const f = path.join(dir, "short.json");
    fs.writeFileSync(f, JSON.stringify({ input: [0.1, 0.2, 0.3] }));
    const r = proveModel("--model", TINY, "--input", f);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain(`${f}: expected 36 values (shape 1x6x6), got 3`);
  });

  it("an input value outside the calibrated range", () => {
    const f = path.join(dir, "range.json");
    const x = new Array(36).fill(0.5);
    x[7] = 3.5;
    fs.writeFileSync(f, JSON.stringify(x));
    const r = proveModel("--model", TINY, "--input", f);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain(`${f}[7]: 3.5 is outside the model's declared input range [0, 1]`).and.to.contain("fix:");
  });

  it("a missing ptau file", () => {
    const r = proveModel("--model", TINY, "--ptau", path.join(dir, "missing.ptau"));
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain("ptau file not found").and.to.contain("--ptau");
  });

  it("a corrupted (truncated) ptau file", async () => {
    const good = path.join(dir, "good.ptau");
    await writeDevPtau(good, 3);
    const f = path.join(dir, "cut.ptau");
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(f, bytes.subarray(0, bytes.length >> 1));
    const r = proveModel("--model", TINY, "--ptau", f);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.match(/cut\.ptau: truncated: section (header )?\d+/).and.to.contain("fetch the file again");
  });

  it("a ptau too small for the circuit, and a ptau posing as a published ceremony file", async () => {
    const small = path.join(dir, "small.ptau");
    await writeDevPtau(small, 4);
    let r = proveModel("--model", TINY, "--ptau", small);
    expect(r.code).to.not.equal(0);
    // the default width, the narrowest within --max-error 0.005: 10 bits, 2,194 constraints
    expect(r.out).to.match(/small\.ptau: holds 2\^4 powers; this circuit \(\d+ constraints and 4 public signals\) needs 2\^12/).and.to.contain("fix: use a ptau of power 12 or more");
    const impostor = path.join(dir, "powersOfTau28_hez_final_12.ptau");
    fs.copyFileSync(small, impostor);
    r = proveModel("--model", TINY, "--ptau", impostor);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain("PTAU_HASH_MISMATCH").and.to.contain("download it again");
  });

  it("--entropy without --contribute, and --contribute with no terminal and no --entropy", () => {
    let r = proveModel("--model", TINY, "--entropy", "abc");
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain("--entropy and --beacon only apply with --contribute");
    r = proveModel("--model", TINY, "--contribute");
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain("no terminal to ask for it").and.to.contain('fix: pass --entropy');
  });

  it("an unknown model name lists what exists", () => {
    const r = proveModel("--model", "lenet6");
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain('no model "lenet6"').and.to.contain("lenet5");
  });

  it("a weight written as 1e999 is named as not finite (JSON reads it as Infinity), not as null", () => {
    const f = path.join(dir, "overflow.json");
    fs.writeFileSync(f, fs.readFileSync(TINY, "utf8").replace('"weights": [[[[-0.3144', '"weights": [[[[1e999'));
    const r = proveModel("--model", f);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain(`${f}: layers[0].weights[0][0][0][0]: expected a finite number, got Infinity (not finite`);
  });

  it("a folder given as --model says it is a folder and names a file in it", () => {
    const d = path.join(dir, "models");
    fs.mkdirSync(d);
    fs.copyFileSync(TINY, path.join(d, "tiny-cnn.json"));
    const r = proveModel("--model", d);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.contain(`${d}: expected a JSON file, got a folder`).and.to.contain("fix: name a file inside it (tiny-cnn.json)");
  });

  it("with --json an error is one JSON object on stdout: code, message and fix", () => {
    const r = spawnSync("node", [HARDHAT, "prove-model", "--model", "lenet6", "--json"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true" } });
    expect(r.status).to.not.equal(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out.error).to.include({ code: "MODEL_NOT_FOUND", message: 'no model "lenet6"' });
    expect(out.error.hint).to.contain("lenet5");
  });
});
