/**
 * compare-gas's engine: gets a real proof of the model's default input for each requested proof system (through
 * the prove-model pipeline, so cached stages are reused), renders the naive inference contract, a one-layer
 * baseline of the same shape for the crossover line, and a consumer per verifier, compiles them all in one solc
 * run and hands everything to `compareGas` (src/evm/gas.ts). Free of Hardhat: the chains come from the caller.
 */
import * as fs from "fs";
import { renderConsumer } from "../backends/solidity/consumer";
import { rng } from "../model/mnist";
import { compileSolidity } from "./solc";
import { ZkmlError } from "../core/errors";
import { readJsonFile } from "../core/files";
import type { ChainSpec } from "./chain";
import { compareGas, GasInput, GasReport, IrSystemInput, SystemInput } from "./gas";
import { sumcheckVerifierCall } from "./sumcheck-verifier";
import type { Pcs } from "../systems/system";
import { countMacs, QModel, runIR } from "../ir/ir";
import { argmax, countParams, Layer, ModelFile } from "../model/format";
import type { ProofSystem } from "../core/paths";
import { proveModel, ProveOptions } from "../pipeline/prove";
import { DEFAULT_QUANT, QuantChoice, quantize, quantizeFor, quantizeInput, scaleOptions } from "../quantize/quantize";
import { renderSolidity, SolidityBundle } from "../backends/solidity/inference";
import { circuitSystemFor, systemFor } from "../systems/registry";
import { contractNames } from "../backends/solidity/verifier";
import { PublicLayout, publicLayout, statementLayout } from "../statement/layout";
import { batchOf, DEFAULT_VISIBILITY, Visibility } from "../statement/visibility";
import { batchLabels, statementFor } from "../statement/statement";
import { calibrationFor, defaultInputs } from "../model/zoo";
import type { CircuitOptions } from "../pipeline/circuit";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The smallest model with the same input and output as `m`: flatten if needed, then one dense layer. */
export function baselineModel(m: ModelFile, outputs: number): ModelFile {
  const n = m.input.shape.reduce((a, b) => a * b, 1);
  const random = rng(99);
  const a = 1 / Math.sqrt(n);
  const layers: Layer[] = [];
  if (m.input.shape.length > 1) layers.push({ type: "flatten" });
  layers.push({
    type: "dense",
    units: outputs,
    weights: [...Array(outputs)].map(() => [...Array(n)].map(() => (2 * random() - 1) * a)),
    bias: [...Array(outputs)].map(() => (2 * random() - 1) * a),
  });
  return { ...m, name: `${m.name}-baseline`, description: "one dense layer, same input and output: the crossover line's first point", layers };
}

/** snarkjs's proof.json and public.json, as a system's verifierInput takes them. */
export function readProofFiles(proofFile: string, publicFile: string): [unknown, string[]] {
  const hint = "give the proof.json and public.json that prove-model (or snarkjs) wrote; prove again with prove-model --force";
  const proof = readJsonFile(proofFile, "PROOF_INVALID", hint);
  const signals = readJsonFile(publicFile, "PROOF_INVALID", hint);
  if (!Array.isArray(signals) || !signals.every((s) => typeof s === "string" && /^[0-9]+$/.test(s)))
    throw new ZkmlError("PROOF_INVALID", `expected a JSON array of public signals (decimal strings), got ${JSON.stringify(signals).slice(0, 60)}`, { file: publicFile, hint });
  return [proof, signals];
}

export interface CompareOptions extends Pick<ProveOptions, "root" | "trust"> {
  log?: (line: string) => void;
  model: ModelFile;
  systems: ProofSystem[];
  /** the circuit to measure (statement, backend, quantization); default: the default statement */
  circuit?: CircuitOptions;
  /** several circuits (statements) to measure side by side; overrides `circuit` */
  circuits?: CircuitOptions[];
  /** the statement an IR system (sumcheck) is measured under: its on-chain one (committed weights, a public input
   * and output, bound to the sender); required when `systems` names one */
  irCircuit?: CircuitOptions;
  /** the IR system's commitment (sumcheck --pcs kzg: its format-4 verifier); default Hyrax */
  pcs?: Pcs;
}

/** A proof as compare-gas needs it: its verification key, and the proof and public signals as the verifier takes them. */
export interface ProofArtifact {
  system: ProofSystem;
  vkey: any;
  proof: bigint[];
  publicSignals: bigint[];
  proofBytes: number;
  /** seconds the proof took (null: unknown, an older cached proof) */
  proveSeconds?: number | null;
}

/**
 * What a gas comparison measures: the model's default input under a statement. Every proof must carry exactly these
 * public signals; the consumer is constructed with `consumerArgs` after the verifier's address (the model
 * commitment, for hashed weights) and must emit `event`.
 */
export interface GasSubject {
  q: QModel;
  x: bigint[];
  reference: bigint[];
  visibility: Visibility;
  layout: PublicLayout;
  publicSignals: bigint[];
  consumerArgs: bigint[];
  event: { label?: number; output?: bigint[]; outputHash?: bigint };
}

/** The model's default input (a batch: its N default inputs, concatenated) and the reference's outputs for it. */
function defaultInputOf(model: ModelFile, quant: QuantChoice, batch: number): { q: QModel; x: bigint[]; reference: bigint[] } {
  const q = quantizeFor(model, quant);
  const given = defaultInputs(model, batch);
  const xs = given.values.map((v) => quantizeInput(q, v, given.source));
  return { q, x: xs.flat(), reference: xs.flatMap((xi) => runIR(q, xi).output) };
}

/** The account gas is measured from (the first of Hardhat's default accounts): a statement with a context is proved for it. */
export const GAS_SENDER = 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n;

/** Public signals that are the same in every proof of the subject: all but the salted commitments (hashed input or output), which a fresh salt changes. */
const fixedSignal = (layout: PublicLayout, i: number) => !(layout.input.kind === "commitment" && i === layout.input.offset) && !(layout.output.kind === "commitment" && i === layout.output.offset);

/** The circuit a comparison measures when none is named: the default statement, backend and quantization. */
export const DEFAULT_CIRCUIT: CircuitOptions = { visibility: DEFAULT_VISIBILITY, backend: "auto", quant: {} };

/** The model's default input under a statement: the public signals as statementFor computes them (hashes included), and the event its consumer emits. */
export async function gasSubject(model: ModelFile, circuit: CircuitOptions = DEFAULT_CIRCUIT): Promise<GasSubject> {
  const { q, x, reference } = defaultInputOf(model, circuit.quant, batchOf(circuit.visibility));
  const L = statementLayout(q, circuit.visibility);
  // a context statement is proved for the account the measuring chain submits from (its first)
  const { publicSignals } = await statementFor(q, circuit.visibility, x, reference, { context: GAS_SENDER });
  const out = publicSignals[L.output.offset];
  const event =
    L.output.kind === "values"
      ? { label: argmax(reference), output: reference }
      : L.output.kind === "label"
        ? { label: Number(out) }
        : L.output.kind === "labels"
          ? { labels: batchLabels(L, reference) }
          : { outputHash: out };
  const consumerArgs = L.weights.kind === "commitment" ? [publicSignals[L.weights.offset]] : [];
  return { q, x, reference, visibility: circuit.visibility, layout: publicLayout(L), publicSignals, consumerArgs, event };
}

/** Real proofs of the model's default input, one per system, through the prove-model pipeline (cached stages reused). */
export async function collectProofs(opts: CompareOptions): Promise<ProofArtifact[]> {
  const log = opts.log ?? (() => undefined);
  const out: ProofArtifact[] = [];
  for (const system of opts.systems) {
    log(`${system}: proving ${opts.model.name} (cached stages are reused)`);
    const r = await proveModel({ root: opts.root, model: opts.model, system: circuitSystemFor({ system }, "compare-gas (a Solidity verifier)").protocol, circuit: opts.circuit, context: (opts.circuit ?? DEFAULT_CIRCUIT).visibility.context === "sender" ? GAS_SENDER : undefined, trust: opts.trust, observe: { log: (m) => log(`  ${m}`) } });
    if (!r.verified) throw new ZkmlError("PROOF_INVALID", `${system}: the proof of ${opts.model.name} did not verify`, { hint: "run prove-model with --force" });
    const p = await circuitSystemFor({ system }, "compare-gas (a Solidity verifier)").verifierInput(...readProofFiles(r.files.proof, r.files.public));
    out.push({ system, vkey: JSON.parse(fs.readFileSync(r.files.verificationKey, "utf8")), proof: p.proof, publicSignals: p.publicSignals, proofBytes: r.proofBytes, proveSeconds: r.proveSeconds });
  }
  return out;
}

/** One statement's part of a comparison: its subject and a proof of it per system. */
export interface StatementRun {
  subject: GasSubject;
  proofs: ProofArtifact[];
}

/** Every contract of a gas comparison, as Solidity sources by file name, before compiling. */
export interface GasContracts {
  /** the first statement's subject: its quantized model, input and reference run the naive contract */
  subject: GasSubject;
  naive: SolidityBundle;
  baseline: SolidityBundle;
  baselineMacs: number;
  /** verifier and consumer contract names, one pair per proof, runs in order */
  names: { verifier: string; consumer: string }[];
  sources: Record<string, string>;
}

export const statementName = (v: Visibility) => `${v.input}/${v.weights}/${v.output}${batchOf(v) > 1 ? ` x${batchOf(v)}` : ""}`;

/**
 * Render the naive contract, the baseline and a verifier and consumer per proof of each statement. Each proof's
 * public signals must be its statement's (the model's default input under it), or the comparison would measure
 * another one. With more than one statement, contract names carry the statement (…Verifier_PackedFixedLabel).
 */
export function renderGasContracts(model: ModelFile, runs: StatementRun[]): GasContracts {
  const { q, reference } = runs[0].subject;
  // at the model's width: the baseline is called with the model's quantized input, which a narrower input refuses
  const qb = quantize(baselineModel(model, reference.length), { ...DEFAULT_QUANT, ...scaleOptions(q.input.bits), calibration: calibrationFor(model) });
  const name = contractNames(model.name, "groth16").verifier.replace(/Groth16Verifier$/, "");
  const naive = renderSolidity(q, `${name}Inference`);
  const baseline = renderSolidity(qb, `${name}Baseline`);
  const sources: Record<string, string> = { [`${naive.contract}.sol`]: naive.source, [`${baseline.contract}.sol`]: baseline.source };
  const tag = (v: Visibility) => (runs.length > 1 ? "_" + statementName(v).split(/[^A-Za-z0-9]+/).map((w) => w[0].toUpperCase() + w.slice(1)).join("") : "");
  const names = runs.flatMap(({ subject, proofs }) =>
    proofs.map((p) => {
      const expected = subject.publicSignals;
      const same = p.publicSignals.length === expected.length && p.publicSignals.every((v, i) => v === expected[i] || !fixedSignal(subject.layout, i));
      if (!same)
        throw new ZkmlError("PROOF_INVALID", `${p.system}: the proof's public signals are not those of ${model.name}'s default input under this statement (${statementName(subject.visibility)})`, {
          hint: "the proof was made for another input or another quantization; prove again (prove-model without --input, or --force)",
        });
      const base = contractNames(model.name, p.system);
      const verifier = base.verifier + tag(subject.visibility), consumer = base.consumer + tag(subject.visibility);
      sources[`${verifier}.sol`] = circuitSystemFor({ system: p.system }, "a Solidity verifier").renderVerifier(p.vkey, verifier);
      sources[`${consumer}.sol`] = renderConsumer({ contract: consumer, system: p.system, proof: circuitSystemFor({ system: p.system }, "a Solidity verifier").solidityProof, layout: subject.layout, model: model.name, weights: subject.visibility.weights });
      return { verifier, consumer };
    }),
  );
  return { subject: runs[0].subject, naive, baseline, baselineMacs: countMacs(qb), names, sources };
}

/** Render and compile the naive contract, the baseline and a verifier and consumer per proof, in one solc run. */
export function assembleGasInput(model: ModelFile, runs: StatementRun[], log: (m: string) => void = () => undefined): GasInput {
  const { naive, baseline, baselineMacs, names, sources, subject } = renderGasContracts(model, runs);
  log(`solc: compiling ${Object.keys(sources).length} contracts`);
  const compiled = compileSolidity(sources);
  const get = (n: string) => {
    const c = compiled.get(n);
    if (!c) throw new ZkmlError("SOLIDITY_FAILED", `solc produced no contract ${n}`);
    return c;
  };
  const systems: SystemInput[] = runs
    .flatMap(({ subject: sub, proofs }) => proofs.map((p) => ({ sub, p })))
    .map(({ sub, p }, i) => ({
      system: p.system,
      batch: batchOf(sub.visibility),
      statement: statementName(sub.visibility),
      layout: sub.layout,
      consumerArgs: sub.consumerArgs,
      // a salted output hash is the proof's own
      event: sub.layout.output.kind === "commitment" ? { ...sub.event, outputHash: p.publicSignals[sub.layout.output.offset] } : sub.event,
      verifier: { name: names[i].verifier, ...get(names[i].verifier) },
      consumer: { name: names[i].consumer, ...get(names[i].consumer) },
      proof: p.proof,
      publicSignals: p.publicSignals,
      proofBytes: p.proofBytes,
      proveSeconds: p.proveSeconds ?? null,
    }));
  return {
    model: model.name,
    parameters: countParams(model),
    macs: countMacs(subject.q),
    // the naive contract runs one inference: a batch's first
    x: subject.x.slice(0, subject.x.length / batchOf(subject.visibility)),
    reference: subject.reference.slice(0, subject.reference.length / batchOf(subject.visibility)),
    naive: { bundle: naive, compiled: get(naive.contract) },
    baseline: { bundle: baseline, compiled: get(baseline.contract), macs: baselineMacs },
    systems,
  };
}

/**
 * An IR system's row: a proof of the model's default input under its on-chain statement, bound to the measuring
 * sender, its output checked against the reference interpreter's, and its calls encoded for the rendered verifier.
 */
export async function irSystemInput(opts: CompareOptions, system: ProofSystem, circuit: CircuitOptions): Promise<IrSystemInput> {
  const log = opts.log ?? (() => undefined);
  const subject = await gasSubject(opts.model, circuit);
  log(`${system}: proving ${opts.model.name} (${statementName(circuit.visibility)}, cached stages are reused)`);
  const r = await proveModel({ root: opts.root, model: opts.model, system, circuit, context: GAS_SENDER, trust: opts.trust, ...(opts.pcs ? { pcs: opts.pcs } : {}), observe: { log: (m) => log(`  ${m}`) } });
  if (!r.verified || r.form !== "ir") throw new ZkmlError("PROOF_INVALID", `${system}: the proof of ${opts.model.name} did not verify`, { hint: "run prove-model with --force" });
  log(`${system}: compiling its verifier (solc's IR pipeline)`);
  const call = sumcheckVerifierCall(r.files, opts.model.name);
  if (call.output.join() !== subject.reference.join())
    throw new ZkmlError("STAGE_FAILED", `${system}: the proved output [${call.output.join(", ")}] is not the reference interpreter's [${subject.reference.join(", ")}] for the default input`, { hint: "a bug in the sumcheck prover; please report it with the model" });
  return {
    system,
    statement: statementName(circuit.visibility) + (opts.pcs === "kzg" ? " (kzg)" : ""),
    proveSeconds: r.proveSeconds,
    verifier: call.verifier,
    consumer: call.consumer,
    dataContracts: call.dataContracts,
    verifyData: call.data,
    changedData: call.changedData,
    submitData: call.submitData,
    publicSignals: subject.layout.publicSignals,
    proofBytes: r.proofBytes,
    event: { label: argmax(call.output), output: call.output },
  };
}

/** Measure each statement (default: the default statement) with each system; the naive contract once. */
export async function compareModelGas(opts: CompareOptions, chains: { standard: ChainSpec; raised: ChainSpec }): Promise<GasReport> {
  const ir = opts.systems.filter((s) => systemFor({ system: s }).form === "ir");
  const circuitSystems = opts.systems.filter((s) => !ir.includes(s));
  if (ir.length && !opts.irCircuit) throw new ZkmlError("OPTION_INVALID", `${ir.join(", ")}: no on-chain statement given to measure it under`, { hint: "a bug in the caller: pass irCircuit" });
  const runs: StatementRun[] = [];
  for (const circuit of opts.circuits ?? [opts.circuit ?? DEFAULT_CIRCUIT]) {
    opts.log?.(`statement ${statementName(circuit.visibility)}`);
    runs.push({ subject: await gasSubject(opts.model, circuit), proofs: circuitSystems.length ? await collectProofs({ ...opts, systems: circuitSystems, circuit }) : [] });
  }
  const irSystems: IrSystemInput[] = [];
  for (const s of ir) irSystems.push(await irSystemInput(opts, s, opts.irCircuit!));
  return compareGas({ ...assembleGasInput(opts.model, runs, opts.log), irSystems }, chains, opts.log);
}
