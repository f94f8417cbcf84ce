/**
 * prove-model's engine: model -> quantize -> render -> compile -> setup -> witness -> prove -> verify, every
 * stage cached under build/ by a content hash of what it depends on, every heavy stage run in its own child
 * process so its seconds and peak memory are measured, not estimated. Free of Hardhat: the task only parses
 * arguments, calls `proveModel` and prints the report.
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { readJsonFile, sha256, stringifyBig, writeFileAtomic } from "../core/files";
import { QModel, runIR } from "../ir/ir";
import { argmax, countParams, ModelFile } from "../model/format";
import { Paths, ProofSystem } from "../core/paths";
import { checkPtau, downloadPtau, PtauOrigin } from "../setup/ceremony";
import { readPtauHeader } from "../setup/ptau";
import { QuantChoice, quantizeFor, quantizeInput } from "../quantize/quantize";
import { readR1cs, readWtns } from "../snark/r1cs";
import { plonkGates, ptauPowerFor } from "../snark/systems";
import { chooseProver, Prover } from "../snark/prove";
import { runStage, runStageHere } from "./runner";
import { checkZkey } from "../snark/zkey";
import type { SetupResult } from "../setup/keys";
import type { CompileResult } from "../backends/compiled";
import { Backend, circuitFiles, CircuitOptions, CircuitRef, RenderResult, renderSource, resolveCircuit } from "./circuit";
import { ContractNames, contractNames, exportVerifier } from "../backends/solidity/verifier";
import { defaultInput, defaultInputs, readInputFile } from "../model/zoo";
import { parseCalibration } from "../quantize/scales";
import { batchOf, DEFAULT_VISIBILITY, Visibility } from "../statement/visibility";
import { batchLabels, Statement, statementFor } from "../statement/statement";
import { lineProgress, ProgressDisplay, StageReport, StageRunner, StageSpec } from "./stage";

export type { ProgressDisplay, StageReport } from "./stage";
import { statementLayout } from "../statement/layout";


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
  /** class: the first largest output (of a batch's concatenated outputs); labels: each inference's, for a batch */
  prediction: { class: number; outputs: string[]; real: number[]; labels?: number[] };
  /** The circuit's outputs equal the bigint reference interpreter's, element for element. */
  matchesReference: boolean;
  verified: boolean;
  /** who made the proof (for a cached proof, who made it then) */
  prover: Prover;
  proofBytes: number;
  /** seconds the proof took to make (also when it came from the cache; null for a proof cached before this was kept) */
  proveSeconds: number | null;
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
  /** Who makes the proof: native (default for Groth16) or snarkjs (the reference; PLONK and FFLONK). */
  prover?: Prover;
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
  /** plain progress lines (default: none) */
  log?: (line: string) => void;
  /** a progress display (a terminal's live lines); default: plain lines through `log` */
  progress?: ProgressDisplay;
  /** Stages to run in this process rather than a measured child (a queue worker: the witness and the verification,
   * whose process start costs more than their work); default none */
  inProcess?: readonly ("witness" | "directWitness" | "verify")[];
}

export { BACKENDS, chooseBackend, circuitId } from "./circuit";
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

/** What every stage of one prove-model run shares. */
interface Run {
  opts: ProveOptions;
  paths: Paths;
  system: ProofSystem;
  vis: Visibility;
  force: boolean;
}

/** The input, quantized, with the reference's output and the statement a proof of it makes. */
interface Subject {
  q: QModel;
  given: { source: string; label?: number };
  x: bigint[];
  reference: bigint[];
  statement: Statement;
}

/** How large a setup the compiled circuit needs. */
interface CircuitSize {
  nPublic: number;
  gates?: number;
  power: number;
}

interface RunFiles {
  wtns: string;
  input: string;
  proof: string;
  public: string;
  proofMeta: string;
}

export async function proveModel(opts: ProveOptions): Promise<ProveReport> {
  const t0 = Date.now();
  const system: ProofSystem = opts.system ?? "groth16";
  chooseProver(system, opts.prover); // an impossible pair is refused before any work
  if (opts.contribute && system !== "groth16")
    throw new ZkmlError("OPTION_INVALID", `--contribute: ${system} has no circuit-specific ceremony to contribute to (its keys follow from the ptau alone)`, {
      hint: "contribute with --system groth16, or drop --contribute",
    });
  const display = opts.progress ?? lineProgress(opts.log ?? (() => undefined));
  const stages = new StageRunner(display);
  const run: Run = { opts, paths: new Paths(opts.root), system, vis: opts.visibility ?? DEFAULT_VISIBILITY, force: opts.force ?? false };
  const warnings: string[] = run.vis.weights === "private" ? [PRIVATE_WEIGHTS_WARNING] : [];
  try {
    // the input is quantized and checked before anything heavy runs
    const subject = await stages.run(quantizeStage(run));
    const rendered = await stages.run(renderStage(run, subject.q));
    display.note(`backend: ${rendered.backend} (${rendered.reason})`);
    const compiled = await stages.run(compileStage(run, rendered));
    const size = circuitSize(run, rendered.id, compiled);
    if (size.gates !== undefined) display.note(`${system}: ${size.gates} gates, powers of tau 2^${size.power}`);
    const ptau = await stages.run(run.opts.ptau || run.opts.downloadPtau ? givenPtauStage(run, size, compiled) : devPtauStage(run, size.power));
    if (ptau.development) warnings.push(DEV_PTAU_WARNING);
    else if (ptau.origin === "unknown") warnings.push(`The ptau is ${ptau.trust}.`);
    const setup = await stages.run(setupStage(run, rendered.id, compiled, ptau));
    const verifier = await stages.run(verifierStage(run, rendered.id, setup.vkey));
    const files = runFiles(run, rendered.id, subject.x);
    const witness = await stages.run(witnessStage(run, rendered, compiled, subject, files));
    const matchesReference = publicSignalsMatch(files.wtns, size.nPublic, subject.statement.publicSignals);
    const proof = await stages.run(proveStage(run, files, setup.zkey, compiled.r1cs, witness.fresh));
    const verified = await stages.run(verifyStage(run, files, setup.vkey));
    return {
      model: opts.model.name,
      parameters: countParams(opts.model),
      system,
      visibility: run.vis,
      backend: { name: rendered.backend, reason: rendered.reason },
      publicLayout: layoutCounts(subject.q, run.vis),
      input: { source: subject.given.source, label: subject.given.label },
      circuit: { id: rendered.id, constraints: compiled.constraints, wires: compiled.wires, publicSignals: size.nPublic, privateInputs: compiled.privateInputs, ptauPower: size.power, gates: size.gates },
      ptau,
      setup: { contributions: setup.contributions, beacon: setup.beacon },
      prediction: {
        class: argmax(subject.reference),
        outputs: subject.reference.map(String),
        real: subject.reference.map((r) => Number(r) * subject.q.output.step),
        ...(batchOf(run.vis) > 1 ? { labels: batchLabels(statementLayout(subject.q, run.vis), subject.reference) } : {}),
      },
      matchesReference,
      verified,
      prover: proof.prover,
      proofBytes: proof.proofBytes,
      proveSeconds: proof.seconds ?? null,
      stages: stages.reports,
      totalSeconds: (Date.now() - t0) / 1000,
      files: { circom: rendered.sourceFile, r1cs: compiled.r1cs, wasm: compiled.wasm, zkey: setup.zkey, verificationKey: setup.vkey, proof: files.proof, public: files.public, verifier: verifier.file, verifierContract: verifier.contract },
      warnings,
    };
  } finally {
    display.stop();
  }
}

function layoutCounts(q: QModel, vis: Visibility): ProveReport["publicLayout"] {
  const L = statementLayout(q, vis);
  return { output: L.output.count, input: L.input.count, weights: L.weights.count };
}

function quantizeStage(run: Run): StageSpec<Subject> {
  const { opts } = run;
  return {
    stage: "quantize",
    title: "quantizing the model and the input",
    run: async () => {
      const q = opts.quantized ?? quantizeFor(opts.model, opts.quant);
      const n = batchOf(run.vis);
      const given = n === 1 ? oneInput(opts) : batchInput(opts, n);
      // a batch is its inputs concatenated, and their outputs (statement.ts)
      const xs = given.values.map((v, i) => quantizeInput(q, v, opts.inputFile ? `${opts.inputFile}${n === 1 ? "" : ` inputs[${i}]`}` : "input"));
      const x = xs.flat();
      const reference = xs.flatMap((xi) => runIR(q, xi).output);
      return { result: { q, given, x, reference, statement: await statementFor(q, run.vis, x, reference) } };
    },
    summary: (s) => `input ${s.given.source}`,
  };
}

function oneInput(opts: ProveOptions): { values: ArrayLike<number>[]; source: string; label?: number } {
  if (opts.inputFile) return { values: [readInputFile(opts.inputFile)], source: opts.inputFile };
  const d = defaultInput(opts.model);
  return { values: [d.values], source: d.source, label: d.label };
}

/** A batch's inputs: the file's N inputs ({"inputs": [[...], ...]} or [[...], ...]), or N default ones. */
function batchInput(opts: ProveOptions, n: number): { values: ArrayLike<number>[]; source: string } {
  if (!opts.inputFile) return defaultInputs(opts.model, n);
  const values = parseCalibration(readJsonFile(opts.inputFile, "INPUT_INVALID", "check the path given to --input-file"), opts.model, opts.inputFile);
  if (values.length !== n)
    throw new ZkmlError("INPUT_INVALID", `inputs: expected ${n} inputs for --batch ${n}, got ${values.length}`, { file: opts.inputFile, hint: `give ${n} inputs, or --batch ${values.length}` });
  return { values, source: `${opts.inputFile} (${n} inputs)` };
}

/** The circom source (the auditable form), or for the direct backend the IR it is written from; in a child process of its own when asked (the bench measures its memory). */
function renderStage(run: Run, q: QModel): StageSpec<RenderResult> {
  const { opts } = run;
  const args = { root: opts.root, visibility: run.vis, backend: opts.backend ?? "auto", quant: opts.quant ?? {}, force: run.force };
  return {
    stage: "render",
    title: "writing the circuit's source",
    run: async () => {
      if (!opts.renderInChild) {
        const result = renderSource({ ...args, model: opts.model, q });
        return { result, cached: result.cached };
      }
      const m = await runStage<RenderResult>("render", { ...args, modelRef: opts.renderInChild.modelRef });
      return { ...m, cached: m.result.cached };
    },
    summary: (r) => path.relative(opts.root, r.sourceFile),
  };
}

function compileStage(run: Run, rendered: RenderResult): StageSpec<CompileResult> {
  const { paths } = run;
  const id = rendered.id;
  const direct = rendered.backend === "direct";
  const metaFile = paths.get({ kind: "compileMeta", circuit: id });
  const built = paths.get({ kind: direct ? "r1cs" : "wasm", circuit: id });
  return {
    stage: "compile",
    title: direct ? "writing the r1cs straight from the IR" : "circom2 (WebAssembly)",
    // the circuit id names what decides a circuit, not the renderer's code: a source rewritten since (a renderer
    // changed) is compiled again, and the setup then sees a new r1cs
    reuse: () => (!run.force && rendered.cached && fs.existsSync(metaFile) && fs.existsSync(built) ? (JSON.parse(fs.readFileSync(metaFile, "utf8")) as CompileResult) : undefined),
    run: async (progress) => {
      const m = direct
        ? await runStage<CompileResult>("directCompile", { ir: rendered.sourceFile, visibility: run.vis, r1cs: paths.get({ kind: "r1cs", circuit: id }) }, { onProgress: progress })
        : await runStage<CompileResult>("compile", { circom: rendered.sourceFile, outDir: paths.get({ kind: "compileDir", circuit: id }), root: run.opts.root }, { onProgress: progress });
      writeFileAtomic(metaFile, JSON.stringify({ ...m.result, log: undefined }, null, 1));
      return m;
    },
    summary: (c) => `${c.constraints.toLocaleString("en-US")} constraints, ${c.wires.toLocaleString("en-US")} wires`,
  };
}

/** Public signals, PLONK gates (counted once and kept in compile.json) and the powers of tau the system needs. */
function circuitSize(run: Run, id: string, compiled: CompileResult): CircuitSize {
  const nPublic = compiled.publicInputs + compiled.publicOutputs;
  if (run.system !== "groth16" && compiled.plonkGates === undefined) {
    compiled.plonkGates = plonkGates(readR1cs(compiled.r1cs));
    writeFileAtomic(run.paths.get({ kind: "compileMeta", circuit: id }), JSON.stringify({ ...compiled, log: undefined }, null, 1));
  }
  const gates = run.system === "groth16" ? undefined : compiled.plonkGates;
  return { nPublic, gates, power: ptauPowerFor(run.system, { constraints: compiled.constraints, publicSignals: nPublic, gates }) };
}

/** A ptau the user names, or a published one downloaded on request: hashed and checked against the published table. */
function givenPtauStage(run: Run, size: CircuitSize, compiled: CompileResult): StageSpec<ProveReport["ptau"]> {
  const { opts, paths } = run;
  return {
    stage: "ptau",
    title: opts.ptau ? `checking ${opts.ptau}` : `fetching the published ceremony file for 2^${Math.max(size.power, 8)}${opts.ptauBaseUrl ? ` from ${opts.ptauBaseUrl}` : ""}`,
    run: async (progress) => {
      const every = throttle(2000);
      let file: string;
      if (opts.ptau) file = path.resolve(opts.ptau);
      else {
        const d = await downloadPtau(size.power, {
          dir: path.dirname(paths.get({ kind: "ptauHashes" })),
          baseUrl: opts.ptauBaseUrl,
          onProgress: (done, total) => every() && progress(`${(done / 2 ** 20).toFixed(0)}${total ? ` of ${(total / 2 ** 20).toFixed(0)}` : ""} MB${total ? ` (${((100 * done) / total).toFixed(0)}%)` : ""}`),
        });
        file = d.file;
        progress(`${d.entry.name} ${d.downloaded ? `downloaded in ${d.seconds.toFixed(1)} s` : "already here"}, hash matches the published one`);
      }
      const c = await checkPtau(file, { trusted: opts.ptauHashes, cacheFile: paths.get({ kind: "ptauHashes" }), onProgress: (done, total) => total > 1 << 28 && every() && progress(`hashing ${((100 * done) / total).toFixed(0)}%`) });
      if (c.power < size.power)
        throw new ZkmlError("PTAU_TOO_SMALL", `holds 2^${c.power} powers; this circuit (${size.gates === undefined ? `${compiled.constraints} constraints and ${size.nPublic} public signals` : `${size.gates} ${run.system} gates`}) needs 2^${size.power} for ${run.system}`, {
          file,
          hint: `use a ptau of power ${size.power} or more (e.g. powersOfTau28_hez_final_${String(size.power).padStart(2, "0")}.ptau), or omit --ptau for a development one`,
        });
      return { result: { file, power: c.power, development: c.origin === "development", origin: c.origin, blake2b: c.blake2b, trust: c.trust } };
    },
    summary: (p) => p.trust,
  };
}

/** A development powers of tau made on this machine, cached by power under build/ptau/. */
function devPtauStage(run: Run, power: number): StageSpec<ProveReport["ptau"]> {
  const file = run.paths.get({ kind: "ptau", power });
  const info: ProveReport["ptau"] = { file, power, development: true, origin: "development", trust: DEV_PTAU_WARNING };
  return {
    stage: "ptau",
    title: `generating a development powers of tau of 2^${power} on this machine`,
    reuse: () => (readablePtau(file, power) ? info : undefined),
    // its secrets are kept beside it (readable by this user only): Groth16 setups from it are then native, in seconds
    run: async (progress) => ({ ...(await runStage("ptau", { file, power, keepSecrets: run.paths.get({ kind: "ptauSecrets", ptau: file }) }, { onProgress: progress })), result: info }),
    summary: () => `2^${power}, ${path.relative(run.opts.root, file)}`,
  };
}

/** A cached ptau of this power whose header reads; a damaged cache entry is rebuilt. */
function readablePtau(file: string, power: number): boolean {
  try {
    return fs.existsSync(file) && readPtauHeader(file).power === power;
  } catch {
    return false;
  }
}

interface Keys {
  zkey: string;
  vkey: string;
  contributions: string[];
  beacon?: string;
}

/** Setup, keyed by the r1cs and the ptau it was made from; a requested contribution always makes a new one. */
function setupStage(run: Run, id: string, compiled: CompileResult, ptau: ProveReport["ptau"]): StageSpec<Keys> {
  const { opts, paths, system } = run;
  const zkey = paths.get({ kind: "zkey", circuit: id, system });
  const vkey = paths.get({ kind: "vkey", circuit: id, system });
  const setupMeta = paths.get({ kind: "setupMeta", circuit: id, system });
  const ptauId = fileId(ptau.file);
  const r1csId = fileId(compiled.r1cs);
  return {
    stage: "setup",
    title: system === "groth16" ? `Groth16 zkey (phase 2${opts.contribute ? ": development contribution, yours, then a beacon" : ", one contribution"})` : `${system} key (universal: no ceremony of its own)`,
    reuse: () => {
      if (run.force || opts.contribute || !fs.existsSync(setupMeta) || !fs.existsSync(zkey) || !fs.existsSync(vkey)) return undefined;
      const prev = JSON.parse(fs.readFileSync(setupMeta, "utf8")) as SetupMeta;
      if (prev.ptauId !== ptauId || prev.r1csId !== r1csId) return undefined;
      checkZkey(zkey, system); // a damaged cached key gets a clear error, not a failed proof
      return { zkey, vkey, contributions: prev.contributions ?? [], beacon: prev.beacon };
    },
    run: async (progress) => {
      const devSecrets = ptau.origin === "development" ? paths.get({ kind: "ptauSecrets", ptau: ptau.file }) : undefined;
      const m = await runStage<SetupResult>("setup", { system, r1cs: compiled.r1cs, ptau: ptau.file, zkey, vkey, contribute: opts.contribute, devSecrets }, { onProgress: progress });
      const meta: SetupMeta = {
        ptauId,
        r1csId,
        ptau: ptau.file,
        ptauOrigin: ptau.origin,
        ptauBlake2b: ptau.blake2b,
        power: ptau.power,
        developmentPtau: ptau.development,
        trust: ptau.trust,
        contributions: m.result.contributions,
        beacon: m.result.beacon,
        created: new Date().toISOString(),
      };
      writeFileAtomic(setupMeta, JSON.stringify(meta, null, 1));
      return { ...m, result: { zkey, vkey, contributions: m.result.contributions, beacon: m.result.beacon } };
    },
    summary: (k) => (system === "groth16" ? `contributions: ${k.contributions.join("; ") || "none"}${k.beacon ? `; closed with beacon ${k.beacon}` : ""}` : "universal key"),
  };
}

function verifierStage(run: Run, id: string, vkey: string): StageSpec<{ file: string; contract: string }> {
  const contract = contractNames(run.opts.model.name, run.system, id).verifier;
  const file = run.paths.get({ kind: "verifierSol", contract });
  return {
    stage: "verifier",
    title: `rendering ${contract}`,
    run: async () => ({ result: await exportVerifier(vkey, contract, file) }),
    summary: () => path.relative(run.opts.root, file),
  };
}

/** A run's files: one folder per input under the circuit's runs/. */
function runFiles(run: Run, id: string, x: bigint[]): RunFiles {
  const r = sha256(x.join(",")).slice(0, 16);
  const proof = run.paths.get({ kind: "proof", circuit: id, run: r, system: run.system });
  return {
    wtns: run.paths.get({ kind: "witness", circuit: id, run: r }),
    input: run.paths.get({ kind: "input", circuit: id, run: r }),
    proof,
    public: run.paths.get({ kind: "public", circuit: id, run: r, system: run.system }),
    proofMeta: `${proof}.meta.json`,
  };
}

/** A light stage in a measured child, or in this process when the caller asked (ProveOptions.inProcess). */
function lightStage<T>(run: Run, stage: "witness" | "directWitness" | "verify", args: unknown, progress?: (m: string) => void): Promise<{ result: T; seconds: number; peakMB?: number }> {
  return run.opts.inProcess?.includes(stage) ? runStageHere<T>(stage, args, { onProgress: progress }) : runStage<T>(stage, args, { onProgress: progress });
}

function witnessStage(run: Run, rendered: RenderResult, compiled: CompileResult, s: Subject, f: RunFiles): StageSpec<{ fresh: boolean }> {
  return {
    stage: "witness",
    title: rendered.backend === "direct" ? "from the reference interpreter" : "circom's witness calculator",
    reuse: () => (!run.force && fs.existsSync(f.wtns) ? { fresh: false } : undefined),
    run: async (progress) => {
      writeFileAtomic(f.input, stringifyBig(s.statement.witnessInput, 1));
      const m =
        rendered.backend === "direct"
          ? await lightStage(run, "directWitness", { ir: rendered.sourceFile, visibility: run.vis, x: s.x.map(String), wtns: f.wtns }, progress)
          : await lightStage(run, "witness", { wasm: compiled.wasm, input: s.statement.witnessInput, wtns: f.wtns }, progress);
      return { ...m, result: { fresh: true } };
    },
  };
}

/**
 * The circuit's public signals must be exactly the statement the reference interpreter and the TypeScript packer
 * and hasher compute: outputs (or label, or hash), then the input part, then the weights commitment.
 */
function publicSignalsMatch(wtns: string, nPublic: number, expected: bigint[]): true {
  const circuitPub = readWtns(wtns).slice(1, 1 + nPublic);
  if (circuitPub.length !== expected.length || circuitPub.some((v, i) => v !== expected[i]))
    throw new ZkmlError("STAGE_FAILED", `the circuit's public signals differ from the reference's (circuit ${circuitPub.slice(0, 4).join(",")}..., reference ${expected.slice(0, 4).join(",")}...)`, {
      hint: "this is a bug in zkml-hardhat's renderer; please report it with the model file",
    });
  return true;
}

/** The proof's size, its prover, and the seconds its proving took when it was made (kept beside it, so a cached proof still says). */
type ProofMeta = { proofBytes: number; prover: Prover; seconds?: number };

function proveStage(run: Run, f: RunFiles, zkey: string, r1cs: string, freshWitness: boolean): StageSpec<ProofMeta> {
  const prover = chooseProver(run.system, run.opts.prover);
  return {
    stage: "prove",
    title: `${run.system}, ${prover} prover`,
    reuse: () => {
      if (freshWitness || ![f.proof, f.public, f.proofMeta].every((p) => fs.existsSync(p)) || fs.statSync(f.proof).mtimeMs < fs.statSync(zkey).mtimeMs) return undefined;
      const meta = JSON.parse(fs.readFileSync(f.proofMeta, "utf8")) as ProofMeta;
      return (meta.prover ?? "snarkjs") === prover ? meta : undefined;
    },
    run: async (progress) => {
      const t0 = Date.now();
      const m = await runStage<{ proofBytes: number; prover: Prover }>("prove", { system: run.system, prover, zkey, wtns: f.wtns, r1cs, proof: f.proof, public: f.public }, { onProgress: progress });
      const meta: ProofMeta = { proofBytes: m.result.proofBytes, prover: m.result.prover, seconds: (Date.now() - t0) / 1000 };
      writeFileAtomic(f.proofMeta, JSON.stringify(meta));
      return { ...m, result: meta };
    },
  };
}

function verifyStage(run: Run, f: RunFiles, vkey: string): StageSpec<boolean> {
  return {
    stage: "verify",
    title: `${run.system} verify`,
    run: async () => {
      const m = await lightStage<{ valid: boolean }>(run, "verify", { system: run.system, vkey, proof: f.proof, public: f.public });
      // a proof that does not verify (a key damaged without changing its size, say) is never left in the cache
      if (!m.result.valid) for (const p of [f.proof, f.public, f.proofMeta]) fs.rmSync(p, { force: true });
      return { ...m, result: m.result.valid };
    },
    summary: (valid) => (valid ? "valid" : "INVALID"),
  };
}

/** A function true at most once per `ms`: throttles progress messages. */
function throttle(ms: number): () => boolean {
  let last = 0;
  return () => {
    if (Date.now() - last < ms) return false;
    last = Date.now();
    return true;
  };
}
