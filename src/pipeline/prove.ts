/**
 * prove-model's engine: model -> quantize -> render -> compile -> setup -> witness -> prove -> verify, every
 * stage cached under build/ by a content hash of what it depends on, every heavy stage run in its own child
 * process so its seconds and peak memory are measured, not estimated. Free of Hardhat: the task only parses
 * arguments, calls `proveModel` and prints the report.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { sha256, stringifyBig, writeFileAtomic } from "../core/files";
import { QModel, runIR } from "../ir/ir";
import { argmax, countParams, ModelFile } from "../model/format";
import { Paths, ProofSystem } from "../core/paths";
import { checkPtau, downloadPtau, PtauOrigin } from "../setup/ceremony";
import { readPtauHeader } from "../setup/ptau";
import { quantizeInput } from "../quantize/quantize";
import { readR1cs, readWtns } from "../snark/r1cs";
import { plonkGates, ptauPowerFor } from "../snark/systems";
import { runStage } from "./runner";
import { checkZkey } from "../snark/zkey";
import type { SetupResult } from "./stages";
import type { CompileResult } from "../backends/compiled";
import { Backend, circuitFiles, CircuitOptions, CircuitRef, RenderResult, renderSource, resolveCircuit } from "./circuit";
import { ContractNames, contractNames, exportVerifier } from "../backends/solidity/verifier";
import { defaultInput, QuantChoice, quantizeFor, readInputFile } from "../model/zoo";
import { DEFAULT_VISIBILITY, Visibility } from "../statement/visibility";
import { statementFor } from "../statement/statement";
import { statementLayout } from "../statement/layout";

export interface StageReport {
  stage: "quantize" | "render" | "compile" | "ptau" | "setup" | "witness" | "prove" | "verify" | "verifier";
  seconds: number;
  /** Peak resident memory of the process that ran the stage; null when it ran in this process or was cached. */
  peakMB: number | null;
  cached: boolean;
}

export interface ProveReport {
  model: string;
  parameters: number;
  system: ProofSystem;
  visibility: Visibility;
  backend: { name: "circom" | "direct"; reason: string };
  /** The public signals: how many are the output part, the input part, the weights commitment. */
  publicLayout: { output: number; input: number; weights: number };
  input: { source: string; label?: number };
  /** gates: PLONK/FFLONK gates after snarkjs's translation of the R1CS. */
  circuit: { id: string; constraints: number; wires: number; publicSignals: number; privateInputs: number; ptauPower: number; gates?: number };
  ptau: { file: string; power: number; development: boolean; origin: PtauOrigin; blake2b?: string; trust: string };
  /** Phase-2 contributions in the zkey, oldest first (names as snarkjs records them). */
  setup: { contributions: string[]; beacon?: string };
  prediction: { class: number; outputs: string[]; real: number[] };
  /** The circuit's outputs equal the bigint reference interpreter's, element for element. */
  matchesReference: boolean;
  verified: boolean;
  proofBytes: number;
  stages: StageReport[];
  totalSeconds: number;
  files: { circom: string; r1cs: string; wasm: string; zkey: string; verificationKey: string; proof: string; public: string; verifier: string; verifierContract: string };
  warnings: string[];
}

export interface ProveOptions {
  root: string;
  model: ModelFile;
  /** groth16 (default), plonk or fflonk. */
  system?: ProofSystem;
  /** What the verifier sees of input, weights and output (default: input public, weights fixed, output public). */
  visibility?: Visibility;
  /** circom (the auditable source), direct (r1cs and witness written from the IR) or auto (default). */
  backend?: Backend;
  /** Scale width (--scale-bits, default 8) and calibration inputs (default: calibrationFor the model). */
  quant?: QuantChoice;
  /** Render (quantize + write the circuit source) in a measured child process, which resolves the model by this
   * reference (a built-in name, paper0/<net> or a path) itself. */
  renderInChild?: { modelRef: string };
  /** The model already quantized with `quant` (the bench has it), so it is not quantized again here. */
  quantized?: QModel;
  inputFile?: string;
  ptau?: string;
  /** Fetch the published ceremony file when no --ptau is given (opt-in). */
  downloadPtau?: boolean;
  ptauBaseUrl?: string;
  /** Extra ptau hashes the user trusts (zkml.ptauHashes). */
  ptauHashes?: Record<string, string>;
  /** Add a phase-2 contribution with this entropy, then close the setup with a beacon. */
  contribute?: { entropy: string; beacon?: string; name?: string };
  force?: boolean;
  log?: (line: string) => void;
}

export { AUTO_MAX_CONSTANTS, AUTO_MAX_CONSTRAINTS, BACKENDS, chooseBackend, circuitId } from "./circuit";
export type { CircuitOptions } from "./circuit";
export type { Backend } from "./circuit";

export const PRIVATE_WEIGHTS_WARNING =
  "--weights private: the weights are private inputs that nothing binds, so any weights satisfy the circuit and the proof says only that some model of this architecture gave this output (the statement paper0 proved). Use --weights hashed to bind the proof to a committed model.";

export const DEV_PTAU_WARNING =
  "The powers of tau was generated on this machine: its secret existed here, so proofs are only as trustworthy as this machine. Development only; pass --ptau <ceremony file> or --download-ptau for anything real.";

/** What setup.json records about a circuit's setup: where its trust comes from. */
export interface SetupMeta {
  ptauId: string;
  /** the r1cs the key was made from, by path, size and mtime: a recompiled circuit is set up again */
  r1csId: string;
  ptau: string;
  ptauOrigin: PtauOrigin;
  ptauBlake2b?: string;
  power: number;
  developmentPtau: boolean;
  trust: string;
  contributions: string[];
  beacon?: string;
  created: string;
}


/** The circuit prove-model builds for these options (its id, files and contract names), without writing or compiling anything. */
export function locateCircuit(root: string, model: ModelFile, system: ProofSystem, opts: CircuitOptions): CircuitRef & ReturnType<typeof circuitFiles> & { contracts: ContractNames } {
  const c = resolveCircuit(model, opts);
  return { ...c, ...circuitFiles(root, c.id, system), contracts: contractNames(model.name, system, c.id) };
}

/** A file as a cache key: its path, size and modification time. */
function fileId(file: string): string {
  const st = fs.statSync(file);
  return `${file}:${st.size}:${st.mtimeMs}`;
}

export async function proveModel(opts: ProveOptions): Promise<ProveReport> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const paths = new Paths(opts.root);
  const stages: StageReport[] = [];
  const warnings: string[] = [];
  const model = opts.model;
  const system: ProofSystem = opts.system ?? "groth16";
  if (opts.contribute && system !== "groth16")
    throw new ZkmlError("OPTION_INVALID", `--contribute: ${system} has no circuit-specific ceremony to contribute to (its keys follow from the ptau alone)`, {
      hint: "contribute with --system groth16, or drop --contribute",
    });

  // quantize and check the input before anything heavy runs
  let t = Date.now();
  const q: QModel = opts.quantized ?? quantizeFor(model, opts.quant);
  const given = opts.inputFile ? { values: readInputFile(opts.inputFile), source: opts.inputFile, label: undefined } : defaultInput(model);
  const x = quantizeInput(q, given.values, opts.inputFile ?? "input");
  const reference = runIR(q, x).output;
  const vis = opts.visibility ?? DEFAULT_VISIBILITY;
  if (vis.weights === "private") warnings.push(PRIVATE_WEIGHTS_WARNING);
  const statement = await statementFor(q, vis, x, reference);
  const layout = statementLayout(q, vis);
  stages.push({ stage: "quantize", seconds: (Date.now() - t) / 1000, peakMB: null, cached: false });

  // render: the circom source (the auditable form), or for the direct backend the IR it is written from; in a
  // child process of its own when asked (the bench measures its memory), else here
  t = Date.now();
  const renderArgs = { root: opts.root, visibility: vis, backend: opts.backend ?? "auto", quant: opts.quant ?? {}, force: opts.force ?? false };
  let rendered: RenderResult;
  if (opts.renderInChild) {
    const m = await runStage<RenderResult>("render", { ...renderArgs, modelRef: opts.renderInChild.modelRef });
    rendered = m.result;
    stages.push({ stage: "render", seconds: m.seconds, peakMB: m.peakMB, cached: rendered.cached });
  } else {
    rendered = renderSource({ ...renderArgs, model, q });
    stages.push({ stage: "render", seconds: (Date.now() - t) / 1000, peakMB: null, cached: rendered.cached });
  }
  const { id, sourceFile } = rendered;
  const chosen = { backend: rendered.backend, reason: rendered.reason };
  const direct = chosen.backend === "direct";
  log(`backend: ${chosen.backend} (${chosen.reason})`);
  log(`render: ${path.relative(opts.root, sourceFile)}${rendered.cached ? " (cached)" : ""}`);

  const progress = (stage: string) => (m: string) => log(`${stage}: ${m}`);

  // compile
  const metaFile = paths.get({ kind: "compileMeta", circuit: id });
  let compiled: CompileResult;
  const built = direct ? paths.get({ kind: "r1cs", circuit: id }) : paths.get({ kind: "wasm", circuit: id });
  // the circuit id names what decides a circuit, not the renderer's code: a source rewritten since (a renderer
  // changed) is compiled again, and the setup below then sees a new r1cs
  if (!opts.force && rendered.cached && fs.existsSync(metaFile) && fs.existsSync(built)) {
    compiled = JSON.parse(fs.readFileSync(metaFile, "utf8"));
    stages.push({ stage: "compile", seconds: 0, peakMB: null, cached: true });
    log(`compile: cached (${compiled.constraints} constraints)`);
  } else {
    log(direct ? "compile: writing the r1cs straight from the IR..." : "compile: circom2 (WebAssembly)...");
    const m = direct
      ? await runStage<CompileResult>("directCompile", { ir: sourceFile, visibility: vis, r1cs: paths.get({ kind: "r1cs", circuit: id }) }, { onProgress: progress("compile") })
      : await runStage<CompileResult>("compile", { circom: sourceFile, outDir: paths.get({ kind: "compileDir", circuit: id }), root: opts.root }, { onProgress: progress("compile") });
    compiled = m.result;
    writeFileAtomic(metaFile, JSON.stringify({ ...compiled, log: undefined }, null, 1));
    stages.push({ stage: "compile", seconds: m.seconds, peakMB: m.peakMB, cached: false });
    log(`compile: ${compiled.constraints} constraints, ${compiled.wires} wires (${m.seconds.toFixed(1)} s, ${m.peakMB.toFixed(0)} MB)`);
  }
  const nPublic = compiled.publicInputs + compiled.publicOutputs;
  if (system !== "groth16" && compiled.plonkGates === undefined) {
    compiled.plonkGates = plonkGates(readR1cs(compiled.r1cs));
    writeFileAtomic(metaFile, JSON.stringify({ ...compiled, log: undefined }, null, 1));
  }
  const gates = system === "groth16" ? undefined : compiled.plonkGates;
  const power = ptauPowerFor(system, { constraints: compiled.constraints, publicSignals: nPublic, gates });
  if (gates !== undefined) log(`${system}: ${gates} gates, powers of tau 2^${power}`);

  // powers of tau: a file the user names, a published one downloaded on request, or a development one
  let ptauFile: string;
  let ptauInfo: ProveReport["ptau"];
  const ptauCache = paths.get({ kind: "ptauHashes" });
  const hashProgress = (done: number, total: number) => total > 1 << 28 && log(`ptau: hashing ${((100 * done) / total).toFixed(0)}%`);
  if (opts.ptau || opts.downloadPtau) {
    t = Date.now();
    if (opts.ptau) ptauFile = path.resolve(opts.ptau);
    else {
      log(`ptau: fetching the published ceremony file for 2^${Math.max(power, 8)}${opts.ptauBaseUrl ? ` from ${opts.ptauBaseUrl}` : ""}`);
      let last = 0;
      const d = await downloadPtau(power, {
        dir: path.dirname(paths.get({ kind: "ptauHashes" })),
        baseUrl: opts.ptauBaseUrl,
        onProgress: (done, total) => {
          if (Date.now() - last > 2000) {
            last = Date.now();
            log(`ptau: ${(done / 2 ** 20).toFixed(0)}${total ? ` of ${(total / 2 ** 20).toFixed(0)}` : ""} MB`);
          }
        },
      });
      ptauFile = d.file;
      log(`ptau: ${d.entry.name} ${d.downloaded ? `downloaded in ${d.seconds.toFixed(1)} s` : "already here"}, hash matches the published one`);
    }
    const c = await checkPtau(ptauFile, { trusted: opts.ptauHashes, cacheFile: ptauCache, onProgress: hashProgress });
    if (c.power < power)
      throw new ZkmlError("PTAU_TOO_SMALL", `holds 2^${c.power} powers; this circuit (${gates === undefined ? `${compiled.constraints} constraints and ${nPublic} public signals` : `${gates} ${system} gates`}) needs 2^${power} for ${system}`, {
        file: ptauFile,
        hint: `use a ptau of power ${power} or more (e.g. powersOfTau28_hez_final_${String(power).padStart(2, "0")}.ptau), or omit --ptau for a development one`,
      });
    ptauInfo = { file: ptauFile, power: c.power, development: c.origin === "development", origin: c.origin, blake2b: c.blake2b, trust: c.trust };
    if (c.origin === "development") warnings.push(DEV_PTAU_WARNING);
    else if (c.origin === "unknown") warnings.push(`The ptau is ${c.trust}.`);
    stages.push({ stage: "ptau", seconds: (Date.now() - t) / 1000, peakMB: null, cached: false });
    log(`ptau: ${c.trust}`);
  } else {
    ptauFile = paths.get({ kind: "ptau", power });
    let ok = false;
    if (fs.existsSync(ptauFile)) {
      try {
        ok = readPtauHeader(ptauFile).power === power;
      } catch {
        ok = false; // a damaged cache entry is rebuilt
      }
    }
    if (ok) {
      stages.push({ stage: "ptau", seconds: 0, peakMB: null, cached: true });
      log(`ptau: cached 2^${power} (${path.relative(opts.root, ptauFile)})`);
    } else {
      log(`ptau: generating a development powers of tau of 2^${power} on this machine`);
      const m = await runStage("ptau", { file: ptauFile, power }, { onProgress: progress("ptau") });
      stages.push({ stage: "ptau", seconds: m.seconds, peakMB: m.peakMB, cached: false });
      log(`ptau: 2^${power} in ${m.seconds.toFixed(1)} s, ${m.peakMB.toFixed(0)} MB`);
    }
    warnings.push(DEV_PTAU_WARNING);
    ptauInfo = { file: ptauFile, power, development: true, origin: "development", trust: DEV_PTAU_WARNING };
  }
  const development = ptauInfo.development;

  // setup, keyed by the r1cs and the ptau used; a requested contribution always makes a new one
  const zkey = paths.get({ kind: "zkey", circuit: id, system });
  const vkey = paths.get({ kind: "vkey", circuit: id, system });
  const setupMeta = paths.get({ kind: "setupMeta", circuit: id, system });
  const ptauId = fileId(ptauFile);
  const r1csId = fileId(compiled.r1cs);
  const prevSetup = fs.existsSync(setupMeta) ? (JSON.parse(fs.readFileSync(setupMeta, "utf8")) as SetupMeta) : undefined;
  let setupInfo: ProveReport["setup"];
  if (!opts.force && !opts.contribute && prevSetup?.ptauId === ptauId && prevSetup.r1csId === r1csId && fs.existsSync(zkey) && fs.existsSync(vkey)) {
    checkZkey(zkey, system); // a damaged cached key gets a clear error, not a failed proof
    stages.push({ stage: "setup", seconds: 0, peakMB: null, cached: true });
    setupInfo = { contributions: prevSetup.contributions ?? [], beacon: prevSetup.beacon };
    log("setup: cached");
  } else {
    log(
      system === "groth16"
        ? `setup: Groth16 zkey (phase 2${opts.contribute ? ": development contribution, yours, then a beacon" : ", one contribution"})...`
        : `setup: ${system} key (universal: no ceremony of its own)...`,
    );
    const m = await runStage<SetupResult>(
      "setup",
      { system, r1cs: compiled.r1cs, ptau: ptauFile, zkey, vkey, entropy: crypto.randomBytes(32).toString("hex"), contribute: opts.contribute },
      { onProgress: progress("setup") },
    );
    setupInfo = { contributions: m.result.contributions, beacon: m.result.beacon };
    const meta: SetupMeta = {
      ptauId,
      r1csId,
      ptau: ptauFile,
      ptauOrigin: ptauInfo.origin,
      ptauBlake2b: ptauInfo.blake2b,
      power,
      developmentPtau: development,
      trust: ptauInfo.trust,
      contributions: m.result.contributions,
      beacon: m.result.beacon,
      created: new Date().toISOString(),
    };
    writeFileAtomic(setupMeta, JSON.stringify(meta, null, 1));
    stages.push({ stage: "setup", seconds: m.seconds, peakMB: m.peakMB, cached: false });
    log(`setup: ${m.seconds.toFixed(1)} s, ${m.peakMB.toFixed(0)} MB`);
    if (m.result.beacon) log(`setup: closed with beacon ${m.result.beacon}`);
  }

  // verifier contract
  t = Date.now();
  const contract = contractNames(model.name, system, id).verifier;
  const verifierFile = paths.get({ kind: "verifierSol", contract });
  await exportVerifier(vkey, contract, verifierFile);
  stages.push({ stage: "verifier", seconds: (Date.now() - t) / 1000, peakMB: null, cached: false });

  // witness, prove, verify for this input
  const run = sha256(x.join(",")).slice(0, 16);
  const wtns = paths.get({ kind: "witness", circuit: id, run });
  const proofFile = paths.get({ kind: "proof", circuit: id, run, system });
  const publicFile = paths.get({ kind: "public", circuit: id, run, system });
  const fresh = opts.force || !fs.existsSync(wtns);
  if (fresh) {
    writeFileAtomic(paths.get({ kind: "input", circuit: id, run }), stringifyBig(statement.witnessInput, 1));
    const m = direct
      ? await runStage("directWitness", { ir: sourceFile, visibility: vis, x: x.map(String), wtns }, { onProgress: progress("witness") })
      : await runStage("witness", { wasm: compiled.wasm, input: statement.witnessInput, wtns }, { onProgress: progress("witness") });
    stages.push({ stage: "witness", seconds: m.seconds, peakMB: m.peakMB, cached: false });
    log(`witness: ${m.seconds.toFixed(1)} s`);
  } else stages.push({ stage: "witness", seconds: 0, peakMB: null, cached: true });

  // the circuit's public signals must be exactly the statement the reference interpreter and the TypeScript
  // packer and hasher compute: outputs (or label, or hash), then the input part, then the weights commitment
  const w = readWtns(wtns);
  const circuitPub = w.slice(1, 1 + nPublic);
  const expected = statement.publicSignals;
  const matchesReference = circuitPub.length === expected.length && circuitPub.every((v, i) => v === expected[i]);
  if (!matchesReference)
    throw new ZkmlError("STAGE_FAILED", `the circuit's public signals differ from the reference's (circuit ${circuitPub.slice(0, 4).join(",")}..., reference ${expected.slice(0, 4).join(",")}...)`, {
      hint: "this is a bug in zkml-hardhat's renderer; please report it with the model file",
    });

  const proofMeta = `${proofFile}.meta.json`;
  let proofBytes: number;
  if (fresh || !fs.existsSync(proofFile) || !fs.existsSync(publicFile) || !fs.existsSync(proofMeta) || fs.statSync(proofFile).mtimeMs < fs.statSync(zkey).mtimeMs) {
    log(`prove: ${system}...`);
    const m = await runStage<{ proofBytes: number }>("prove", { system, zkey, wtns, proof: proofFile, public: publicFile }, { onProgress: progress("prove") });
    proofBytes = m.result.proofBytes;
    writeFileAtomic(proofMeta, JSON.stringify(m.result));
    stages.push({ stage: "prove", seconds: m.seconds, peakMB: m.peakMB, cached: false });
    log(`prove: ${m.seconds.toFixed(1)} s, ${m.peakMB.toFixed(0)} MB`);
  } else {
    proofBytes = (JSON.parse(fs.readFileSync(proofMeta, "utf8")) as { proofBytes: number }).proofBytes;
    stages.push({ stage: "prove", seconds: 0, peakMB: null, cached: true });
  }

  const v = await runStage<{ valid: boolean }>("verify", { system, vkey, proof: proofFile, public: publicFile });
  stages.push({ stage: "verify", seconds: v.seconds, peakMB: v.peakMB, cached: false });
  // a proof that does not verify (a key damaged without changing its size, say) is never left in the cache
  if (!v.result.valid) for (const f of [proofFile, publicFile, proofMeta]) fs.rmSync(f, { force: true });
  log(`verify: ${v.result.valid ? "valid" : "INVALID"} (${v.seconds.toFixed(2)} s)`);

  return {
    model: model.name,
    parameters: countParams(model),
    system,
    visibility: vis,
    backend: { name: chosen.backend, reason: chosen.reason },
    publicLayout: { output: layout.output.count, input: layout.input.count, weights: layout.weights.count },
    input: { source: given.source, label: given.label },
    circuit: { id, constraints: compiled.constraints, wires: compiled.wires, publicSignals: nPublic, privateInputs: compiled.privateInputs, ptauPower: power, gates },
    ptau: ptauInfo,
    setup: setupInfo,
    prediction: { class: argmax(reference), outputs: reference.map(String), real: reference.map((r) => Number(r) * q.output.step) },
    matchesReference,
    verified: v.result.valid,
    proofBytes,
    stages,
    totalSeconds: (Date.now() - t0) / 1000,
    files: {
      circom: sourceFile,
      r1cs: compiled.r1cs,
      wasm: compiled.wasm,
      zkey,
      verificationKey: vkey,
      proof: proofFile,
      public: publicFile,
      verifier: verifierFile,
      verifierContract: contract,
    },
    warnings,
  };
}
