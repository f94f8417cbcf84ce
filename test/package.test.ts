/**
 * The package as a Hardhat user gets it (issue 30): `npm pack` makes the tarball (prepack builds dist/), which is
 * installed into a fresh Hardhat 2 project whose config is one `require("zkml-hardhat")`; there prove-model proves
 * the user's own small model, a script deploys, submits and compares gas through the typed `hre.zkml` on the
 * in-process network, and the user's TypeScript type-checks against the shipped declarations. examples/hardhat2 (a
 * user's game contract that acts only on a verified inference) is copied into another such project and passes its
 * own tests there (`npx hardhat test`). A second install runs the package's install script with cargo hidden: the
 * install completes with one line, and prove-model proves with snarkjs and says so once.
 *
 * "Installed", to fit CI's budget (a real `npm install` of the tarball resolves 700-odd packages and builds the
 * crate from scratch, minutes on 2 cores): the tarball is extracted into the project's node_modules/zkml-hardhat,
 * exactly the files that ship; its dependencies are symlinks to this repository's node_modules (the lock file's
 * versions, as `npm ci` installed them); its install script runs as npm runs it (npm_lifecycle_event=install),
 * and where it would build the crate the repository's built addon is copied in instead (the same sources).
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packOnce } from "./helpers/pack";

const ROOT = path.join(__dirname, "..");
const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");
/** A user's smaller model still (10 weights: a 2^7 ptau), for the test without the addon: snarkjs's JavaScript
 * setup makes its development powers of tau, which for tiny-cnn's 2^12 took over two minutes of the suite. */
const TINY_DENSE = {
  format: "zkml-model/1",
  name: "tiny-dense",
  description: "A very small dense net for tests: 4 -> dense 2",
  input: { shape: [4], range: [0, 1] },
  layers: [{ type: "dense", units: 2, weights: [[0.31, -0.52, 0.12, 0.44], [-0.27, 0.18, 0.55, -0.09]], bias: [0.05, -0.11] }],
  provenance: { source: "hand-written, a test fixture" },
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...env, CI: "true" }, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Hardhat's CLI in the project (its own node_modules/hardhat). */
function hardhat(project: string, args: string[], env?: NodeJS.ProcessEnv): Run {
  return run(process.execPath, [path.join(project, "node_modules", "hardhat", "internal", "cli", "bootstrap.js"), ...args], project, env);
}

/** A fresh Hardhat 2 project with the tarball installed (see the file's comment), its config one require. */
function newProject(tarball: string, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `zkml-${name}-`));
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry === "zkml-hardhat" || entry === ".package-lock.json") continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
  }
  const pkg = path.join(modules, "zkml-hardhat");
  fs.mkdirSync(pkg);
  execFileSync("tar", ["xzf", tarball, "-C", pkg, "--strip-components=1"]);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `my-${name}`, private: true, devDependencies: { "zkml-hardhat": `file:${tarball}`, hardhat: "2.29.1" }, allowScripts: { "zkml-hardhat": true } }, null, 2));
  fs.writeFileSync(path.join(dir, "hardhat.config.js"), 'require("zkml-hardhat");\n\nmodule.exports = { zkml: { visibility: { output: "label" } } };\n');
  fs.copyFileSync(TINY, path.join(dir, "my-model.json"));
  return dir;
}

/** The package's install script, as npm runs it in node_modules/zkml-hardhat. */
function installScript(project: string, env: NodeJS.ProcessEnv): Run {
  const pkg = path.join(project, "node_modules", "zkml-hardhat");
  const script = (JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.install;
  expect(script).to.equal("node scripts/build-native.js");
  return run(process.execPath, [path.join(pkg, "scripts", "build-native.js")], pkg, { ...env, npm_lifecycle_event: "install" });
}

describe("package: npm pack, installed into a fresh Hardhat 2 project", function () {
  this.timeout(600_000);
  let tarball: string;
  let files: string[] = [];
  const projects: string[] = [];

  before(() => {
    // the tarball test/package-hardhat3.test.ts installs too: packed once per test process (helpers/pack.ts)
    ({ tarball, files } = packOnce());
  });

  after(() => {
    for (const d of projects) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it("ships exactly what it needs: built JavaScript with declarations, models, data, the native sources; no tests, no TypeScript sources, no binaries", () => {
    const has = (f: string) => files.includes(f);
    for (const f of ["package.json", "dist/plugin/hardhat2/index.js", "dist/plugin/hardhat2/index.d.ts", "dist/index.js", "dist/pipeline/worker.js", "models/lenet5.json", "data/ptau-hashes.json", "src/model/onnx/onnx.proto", "native/Cargo.toml", "native/Cargo.lock", "native/src/lib.rs", "scripts/build-native.js"])
      expect(has(f), `${f} in the tarball`).to.equal(true);
    const stray = files.filter((f) => /^(test|contracts|build|docs|native\/target|native\/build)\//.test(f) || (f.startsWith("src/") && f.endsWith(".ts")) || f.endsWith(".node"));
    expect(stray).to.deep.equal([]);
  });

  it("with the addon: prove-model, then deploy, submit and compare gas through hre.zkml on the in-process network; the user's TypeScript type-checks", function () {
    const project = newProject(tarball, "hh2");
    projects.push(project);
    // the install script with cargo present builds the crate (minutes cold); the repository's addon stands in for it
    const built = path.join(ROOT, "native", "build", "Release", "zkml_native.node");
    if (!fs.existsSync(built)) this.skip();
    const release = path.join(project, "node_modules", "zkml-hardhat", "native", "build", "Release");
    fs.mkdirSync(release, { recursive: true });
    fs.copyFileSync(built, path.join(release, "zkml_native.node"));

    const tasks = hardhat(project, ["--help"]);
    expect(tasks.code, tasks.stderr).to.equal(0);
    for (const t of ["prove-model", "deploy-verifier", "submit-proof", "verify-proof", "compare-gas", "ptau"]) expect(tasks.stdout).to.contain(t);

    const proved = hardhat(project, ["prove-model", "--model", "my-model.json", "--json"]);
    expect(proved.code, proved.stderr).to.equal(0);
    const report = JSON.parse(proved.stdout) as { verified: boolean; prover: string; matchesReference: boolean; warnings: string[]; files: { verifier: string } };
    expect(report.verified).to.equal(true);
    expect(report.matchesReference).to.equal(true);
    expect(report.prover).to.equal("native");
    expect(report.files.verifier.startsWith(path.join(fs.realpathSync(project), "contracts", "generated")) || report.files.verifier.startsWith(path.join(project, "contracts", "generated"))).to.equal(true);
    expect(report.warnings.join("\n")).not.to.contain("native addon");

    fs.mkdirSync(path.join(project, "scripts"));
    fs.writeFileSync(
      path.join(project, "scripts", "flow.js"),
      `const hre = require("hardhat");
async function main() {
  const model = "my-model.json";
  const proof = await hre.zkml.prove({ model });
  const deployed = await hre.zkml.deploy({ model });
  const submitted = await hre.zkml.submit({ model });
  const gas = await hre.zkml.compareGas({ model });
  const [g] = gas.systems;
  console.log(JSON.stringify({ verified: proof.verified, consumer: deployed.record.consumer.address, submitGas: submitted.gasUsed, label: submitted.label, naiveMatches: gas.naive.matchesReference, checks: g.checks, comparedSubmitGas: g.submit.gas }));
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
`,
    );
    const flow = hardhat(project, ["run", "scripts/flow.js"]);
    expect(flow.code, flow.stderr).to.equal(0);
    const out = JSON.parse(flow.stdout.trim().split("\n").pop()!) as { verified: boolean; consumer: string; submitGas: number; label: number; naiveMatches: boolean; checks: Record<string, boolean>; comparedSubmitGas: number };
    expect(out.verified).to.equal(true);
    expect(out.consumer).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(out.submitGas).to.be.within(150_000, 400_000);
    expect(out.label).to.be.within(0, 2);
    // compare-gas: the model run in the EVM gave the reference output; the verifier accepted the proof and refused a changed signal
    expect(out.naiveMatches).to.equal(true);
    expect(out.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
    expect(out.comparedSubmitGas).to.be.within(150_000, 400_000);
    expect(fs.existsSync(path.join(project, "deployments", "hardhat"))).to.equal(true);

    // the declarations type the user's code: hre.zkml's options and results, and the zkml config
    fs.writeFileSync(
      path.join(project, "check.ts"),
      `import "zkml-hardhat";
import type { HardhatUserConfig } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
export const config: HardhatUserConfig = { zkml: { visibility: { input: "hashed" }, blockGasLimit: 30_000_000 } };
export async function use(hre: HardhatRuntimeEnvironment): Promise<number> {
  const r = await hre.zkml.prove({ model: "my-model.json", input: "packed", backend: "direct" });
  const s = await hre.zkml.submit({ model: "my-model.json" });
  return r.circuit.constraints + s.gasUsed;
}
`,
    );
    fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", target: "es2022", esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ["node"] }, files: ["check.ts"] }));
    const tsc = run(process.execPath, [path.join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project);
    expect(tsc.code, tsc.stdout + tsc.stderr).to.equal(0);
  });

  it("examples/hardhat2, the user's game project, passes its own tests (behaviour and gas budgets) against the installed package", function () {
    const built = path.join(ROOT, "native", "build", "Release", "zkml_native.node");
    if (!fs.existsSync(built)) this.skip(); // without the addon its development setup is minutes of snarkjs
    const project = newProject(tarball, "example");
    projects.push(project);
    const release = path.join(project, "node_modules", "zkml-hardhat", "native", "build", "Release");
    fs.mkdirSync(release, { recursive: true });
    fs.copyFileSync(built, path.join(release, "zkml_native.node"));
    // the example's own files over the fresh project's (its package.json and config replace the test's)
    fs.cpSync(path.join(ROOT, "examples", "hardhat2"), project, { recursive: true, filter: (f) => !/[\\/](node_modules|build|cache|artifacts|deployments)$/.test(f) });
    const tested = hardhat(project, ["test"]);
    expect(tested.code, tested.stdout + tested.stderr).to.equal(0);
    expect(tested.stdout).to.match(/\b6 passing\b/);
    expect(tested.stdout).not.to.match(/failing|pending/);
  });

  it("without cargo: the install completes with one line saying what was not built, and prove-model proves with snarkjs, saying so once", function () {
    const project = newProject(tarball, "nocargo");
    projects.push(project);
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-bin-"));
    projects.push(bin);
    // PATH without any folder that holds cargo, and a CARGO_HOME with none in it
    const pathNoCargo = (process.env.PATH ?? "")
      .split(path.delimiter)
      .filter((d) => d && !fs.existsSync(path.join(d, "cargo")))
      .join(path.delimiter);
    const env = { ...process.env, PATH: pathNoCargo, CARGO_HOME: bin, RUSTUP_HOME: bin };
    const installed = installScript(project, env);
    expect(installed.code, installed.stderr).to.equal(0);
    const lines = `${installed.stdout}${installed.stderr}`.split("\n").filter((l) => l.trim());
    expect(lines, lines.join("\n")).to.have.length(1);
    expect(lines[0]).to.match(/native addon not built \(Rust's cargo not found\).*snarkjs.*npm rebuild zkml-hardhat/);
    expect(fs.existsSync(path.join(project, "node_modules", "zkml-hardhat", "native", "build", "Release", "zkml_native.node"))).to.equal(false);

    // the user's smaller model: snarkjs's JavaScript powers of tau at 2^7, not tiny-cnn's 2^12 (minutes of the suite)
    fs.writeFileSync(path.join(project, "my-small-model.json"), JSON.stringify(TINY_DENSE));
    const proved = hardhat(project, ["prove-model", "--model", "my-small-model.json"], env);
    expect(proved.code, proved.stderr).to.equal(0);
    expect(proved.stdout).to.contain("(snarkjs prover)");
    expect(proved.stdout).to.contain("verified: yes");
    const all = `${proved.stdout}${proved.stderr}`;
    expect(all.split("native addon (native/, Rust) is not built").length - 1, all).to.equal(1);
  });
});
