/**
 * EZKL beside us, on the same machine, in the same run: each model exported to ONNX (src/model/onnx/export.ts) and
 * proved by EZKL (scripts/ezkl/stage.py: settings with input public, params fixed, output public, the statement
 * closest to ours with every value public; calibration for resources; a local SRS; setup; prove; verify; the EVM
 * verifier and its calldata, whose gas the caller measures on its EVM) and by this
 * project under OPEN_VISIBILITY, both on the model's default input. Each side's setup, prove and verify run in
 * processes of their own, so each peak memory is that stage's. Accuracy: each side's outputs against the float model.
 *
 * EZKL is an optional benchmark dependency (scripts/ezkl/requirements.txt): when the given Python lacks it, the run
 * stops with the command that installs it; nothing is installed behind the user's back. Data only: the task renders.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { PACKAGE_ROOT } from "../core/paths";
import { argmax, forwardFloat } from "../model/format";
import { exportOnnx } from "../model/onnx/export";
import { defaultInput, resolveModel } from "../model/zoo";
import { proveModel } from "../pipeline/prove";
import { OPEN_VISIBILITY, Visibility } from "../statement/visibility";
import { BenchMachine, machineInfo } from "./harness";

export const EZKL_FORMAT = "zkml-ezkl/1";
export const EZKL_STAGE_SCRIPT = path.join(PACKAGE_ROOT, "scripts", "ezkl", "stage.py");
export const EZKL_REQUIREMENTS = path.join(PACKAGE_ROOT, "scripts", "ezkl", "requirements.txt");

/** How to get a Python with EZKL, for every error that needs one. */
const installHint = () => `python3 -m venv .venv-ezkl && .venv-ezkl/bin/pip install -r ${path.relative(process.cwd(), EZKL_REQUIREMENTS)}, then --python .venv-ezkl/bin/python`;

export interface SideResult {
  setupSeconds: number;
  setupPeakMB: number | null;
  proveSeconds: number;
  provePeakMB: number | null;
  verifySeconds: number;
  proofBytes: number;
  verified: boolean;
  /** largest |output - float output| on the default input, and whether the class is the float model's */
  maxAbsError: number;
  sameClass: boolean;
  /** ours: constraints; EZKL: 2^logrows rows */
  size: string;
  /** verifyProof's gas on an in-process EVM (a real transaction), or why it was not measured */
  verifyGas?: { gas: number; deployGas: number; runtimeBytes: number; flags: string[] } | { error: string };
  /** how the gas was measured, when it needed saying */
  gasNote?: string;
}

/** The caller's EVM (the task has Hardhat's): a verifier's gas from its Solidity source and the call's calldata. */
export interface GasMeasurer {
  /** our verifier (the exported Groth16 one) and the proof's files */
  ours(verifierSol: string, contract: string, proofFile: string, publicFile: string): Promise<NonNullable<SideResult["verifyGas"]>>;
  /** EZKL's generated Halo2Verifier and the calldata EZKL encoded for it */
  ezkl(verifierSol: string, calldataFile: string): Promise<NonNullable<SideResult["verifyGas"]>>;
}

export interface EzklRow {
  model: string;
  /** every value public: EZKL's statement */
  ours: SideResult | { error: string };
  /** the same public values with the input packed (31 values to a field element), which a verifier pays less for */
  oursPacked?: SideResult | { error: string };
  /** the sumcheck system: input and output public, the weights committed once (the statement nearest EZKL's fixed
   * params that it proves: the proof binds the published model); no Solidity verifier yet, so no gas */
  oursSumcheck?: SideResult | { error: string };
  ezkl: SideResult | { error: string };
}

/** Our statements beside EZKL's: its own (every value public), and the same values with the input packed. */
export const OURS_PACKED: Visibility = { input: "packed", weights: "fixed", output: "public" };
/** The sumcheck system's side: every value public but the weights, committed once. */
export const OURS_SUMCHECK: Visibility = { input: "public", weights: "hashed", output: "public" };

export interface EzklRun {
  format: typeof EZKL_FORMAT;
  started: string;
  machine: BenchMachine;
  ezklVersion?: string;
  rows: EzklRow[];
}

interface StageOut {
  ezkl?: string;
  error?: string;
  message?: string;
  seconds?: Record<string, number>;
  peakMB?: number;
  logrows?: number;
  proofBytes?: number;
  valid?: boolean;
  outputs?: number[];
  sol?: string;
  calldata?: string;
  note?: string;
}

/** Run one stage of the EZKL script; its JSON line is found among whatever EZKL itself prints. */
function ezklStage(python: string, args: string[], timeoutMs: number): StageOut {
  const r = spawnSync(python, [EZKL_STAGE_SCRIPT, ...args], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error) throw new ZkmlError("OPTION_INVALID", `--python ${python}: cannot run it (${r.error.message})`, { hint: installHint() });
  const line = (r.stdout ?? "").split("\n").reverse().find((l) => l.startsWith("{") && /"(seconds|error)"/.test(l));
  if (!line) return { error: "died", message: `EZKL's process ended (${r.signal ?? `exit ${r.status}`}) without a result${r.signal === "SIGKILL" ? ": out of memory" : ""}: ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" / ")}` };
  const out = JSON.parse(line) as StageOut;
  if (out.error === "missing")
    throw new ZkmlError("OPTION_INVALID", `--python ${python}: ${out.message}`, { hint: installHint() });
  return out;
}

function errorOf(e: unknown): { error: string } {
  return { error: String((e as Error)?.message ?? e).split("\n")[0] };
}

/** EZKL on one model: the ONNX file, its input in EZKL's format, the three stages, then its verifier's gas. */
async function runEzkl(python: string, modelRef: string, dir: string, timeoutMs: number, gas?: GasMeasurer): Promise<SideResult | { error: string }> {
  const model = resolveModel(modelRef);
  const x = Array.from(defaultInput(model).values);
  fs.mkdirSync(dir, { recursive: true });
  const onnx = path.join(dir, "model.onnx");
  fs.writeFileSync(onnx, exportOnnx(model));
  const input = path.join(dir, "input.json");
  fs.writeFileSync(input, JSON.stringify({ input_data: [x] }));
  const prep = ezklStage(python, ["prepare", dir, onnx, input], timeoutMs);
  if (prep.error) return { error: `prepare: ${prep.message}` };
  const prove = ezklStage(python, ["prove", dir], timeoutMs);
  if (prove.error) return { error: `prove: ${prove.message}` };
  const verify = ezklStage(python, ["verify", dir], timeoutMs);
  if (verify.error) return { error: `verify: ${verify.message}` };
  const float = forwardFloat(model, x).data;
  const y = verify.outputs ?? [];
  let verifyGas: SideResult["verifyGas"];
  let gasNote: string | undefined;
  if (gas) {
    const evm = ezklStage(python, ["evm", dir], timeoutMs);
    gasNote = evm.note;
    verifyGas = evm.error ? { error: `create-evm-verifier: ${evm.message}` } : await gas.ezkl(evm.sol!, evm.calldata!).catch(errorOf);
  }
  return {
    verifyGas,
    gasNote,
    setupSeconds: prep.seconds!.setup,
    setupPeakMB: prep.peakMB ?? null,
    proveSeconds: prove.seconds!.prove,
    provePeakMB: prove.peakMB ?? null,
    verifySeconds: verify.seconds!.verify,
    proofBytes: prove.proofBytes ?? 0,
    verified: verify.valid === true,
    maxAbsError: Math.max(...y.map((v, i) => Math.abs(v - float[i]))),
    sameClass: argmax(y) === argmax(float),
    size: `2^${prep.logrows} rows`,
  };
}

/** The sumcheck system on the same model and input (OURS_SUMCHECK): its setup is the model's commitment, made afresh. */
async function runOursSumcheck(root: string, modelRef: string): Promise<SideResult> {
  const model = resolveModel(modelRef);
  const r = await proveModel({ root, model, system: "sumcheck", circuit: { visibility: OURS_SUMCHECK }, execution: { force: true } });
  if (r.form !== "ir") throw new Error("the sumcheck system's report has the IR form");
  const stage = (name: string) => r.stages.find((s) => s.stage === name);
  const float = forwardFloat(model, defaultInput(model).values).data;
  return {
    setupSeconds: stage("setup")?.seconds ?? 0,
    setupPeakMB: stage("setup")?.peakMB ?? null,
    proveSeconds: stage("prove")!.seconds,
    provePeakMB: stage("prove")!.peakMB,
    verifySeconds: stage("verify")!.seconds,
    proofBytes: r.proofBytes,
    verified: r.verified && r.matchesReference,
    maxAbsError: Math.max(...r.prediction.real.map((v, i) => Math.abs(v - float[i]))),
    sameClass: r.prediction.class === argmax(float),
    size: "no circuit",
  };
}

/** This project on the same model and input under `visibility`; setup run afresh, each stage in its own process. */
async function runOurs(root: string, modelRef: string, visibility: Visibility, gas?: GasMeasurer): Promise<SideResult> {
  const model = resolveModel(modelRef);
  const r = await proveModel({ root, model, circuit: { visibility, backend: "auto" }, execution: { force: true } });
  const stage = (name: string) => r.stages.find((s) => s.stage === name)!;
  const float = forwardFloat(model, defaultInput(model).values).data;
  return {
    setupSeconds: stage("setup").seconds,
    setupPeakMB: stage("setup").peakMB,
    proveSeconds: stage("prove").seconds,
    provePeakMB: stage("prove").peakMB,
    verifySeconds: stage("verify").seconds,
    proofBytes: r.proofBytes,
    verified: r.verified && r.matchesReference,
    maxAbsError: Math.max(...r.prediction.real.map((v, i) => Math.abs(v - float[i]))),
    sameClass: r.prediction.class === argmax(float),
    size: `${r.circuit.constraints.toLocaleString("en-US")} constraints`,
    verifyGas: gas ? await gas.ours(r.files.verifier, r.files.verifierContract, r.files.proof, r.files.public).catch(errorOf) : undefined,
  };
}

export async function measureEzkl(opts: { root: string; models: string[]; python: string; work: string; timeoutMs?: number; log?: (l: string) => void; gas?: GasMeasurer }): Promise<EzklRun> {
  const log = opts.log ?? (() => undefined);
  // fail before any work when EZKL is missing
  const probe = spawnSync(opts.python, ["-c", "import ezkl; print(ezkl.__version__)"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0)
    throw new ZkmlError("OPTION_INVALID", `--python ${opts.python}: EZKL is not installed for it (${probe.error?.message ?? (probe.stderr ?? "").trim().split("\n").pop()})`, {
      hint: installHint(),
    });
  const run: EzklRun = { format: EZKL_FORMAT, started: new Date().toISOString(), machine: machineInfo(), ezklVersion: probe.stdout.trim(), rows: [] };
  for (const ref of opts.models) {
    log(`${ref}: EZKL (settings, calibration, compile, SRS, setup, prove, verify)`);
    let ezkl: EzklRow["ezkl"];
    try {
      ezkl = await runEzkl(opts.python, ref, path.join(opts.work, ref.replace(/[^A-Za-z0-9_-]+/g, "_")), opts.timeoutMs ?? 3_600_000, opts.gas);
    } catch (e) {
      if (e instanceof ZkmlError && e.code === "OPTION_INVALID") throw e;
      ezkl = errorOf(e);
    }
    log(`${ref}: zkml-hardhat (every value public; setup afresh)`);
    const ours = await runOurs(opts.root, ref, OPEN_VISIBILITY, opts.gas).catch(errorOf);
    log(`${ref}: zkml-hardhat, the input packed`);
    const oursPacked = await runOurs(opts.root, ref, OURS_PACKED, opts.gas).catch(errorOf);
    log(`${ref}: zkml-hardhat sumcheck, the weights committed`);
    const oursSumcheck = await runOursSumcheck(opts.root, ref).catch(errorOf);
    run.rows.push({ model: ref, ours, oursPacked, oursSumcheck, ezkl });
  }
  return run;
}
