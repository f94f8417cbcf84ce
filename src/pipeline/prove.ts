/**
 * prove-model's engine: model -> quantize -> render -> compile -> setup -> witness -> prove -> verify, every
 * stage cached under build/ by a content hash of what it depends on, every heavy stage run in its own child
 * process so its seconds and peak memory are measured, not estimated. Free of Hardhat: the task only parses
 * arguments, calls `proveModel` and prints the report. The stages are in ./prove-circuit.ts, ./prove-setup.ts and
 * ./prove-proof.ts; the proof system is the registry's (src/systems/).
 */
import { ZkmlError } from "../core/errors";
import { NATIVE_FALLBACK_NOTE, nativeAvailable } from "../core/native";
import type { ProofSystem } from "../core/paths";
import { argmax, countParams, ModelFile } from "../model/format";
import type { QModel } from "../ir/ir";
import { DEV_PTAU_WARNING } from "../setup/trust";
import { statementLayout } from "../statement/layout";
import { batchLabels } from "../statement/statement";
import { batchOf, Visibility } from "../statement/visibility";
import { contractNames, type ContractNames } from "../backends/solidity/verifier";
import { quantizedFor } from "./quantized";
import { circuitFiles, CircuitOptions, CircuitRef, resolveCircuit } from "./circuit";
import { displayFor, ProveOptions, resolveRun, runFiles } from "./options";
import { circuitSize, compileStage, quantizationReport, quantizeStage, renderStage } from "./prove-circuit";
import { ptauStage, setupStage, verifierStage } from "./prove-setup";
import { proveStage, publicSignalsMatch, verifyStage, witnessStage } from "./prove-proof";
import { contextText, type CircuitProveReport, type ProveReport } from "./report";
import type { CircuitProtocol } from "../core/paths";
import { proveIr } from "./prove-ir";
import { StageRunner } from "./stage";

export type { ProveOptions } from "./options";
export type { CircuitProveReport, IrProveReport, ProveReport } from "./report";
export type { ProgressDisplay, StageReport } from "./stage";
export { BACKENDS, chooseBackend, circuitId } from "./circuit";
export type { Backend, CircuitOptions } from "./circuit";

export const PRIVATE_WEIGHTS_WARNING =
  "--weights private: the weights are private inputs that nothing binds, so any weights satisfy the circuit and the proof says only that some model of this architecture gave this output (the statement paper0 proved). Use --weights hashed to bind the proof to a committed model.";

/** The circuit prove-model builds for these options (its id, files and contract names), without writing or compiling anything. */
export function locateCircuit(root: string, model: ModelFile, system: ProofSystem, opts: CircuitOptions): CircuitRef & ReturnType<typeof circuitFiles> & { contracts: ContractNames } {
  const c = resolveCircuit(model, opts, quantizedFor(root, model, opts.quant));
  return { ...c, ...circuitFiles(root, c.id, system), contracts: contractNames(model.name, system, c.id) };
}

/** A circuit system's run reports its circuit; any system's, a ProveReport of its form. */
export function proveModel(opts: ProveOptions & { system?: CircuitProtocol }): Promise<CircuitProveReport>;
export function proveModel(opts: ProveOptions): Promise<ProveReport>;
export async function proveModel(opts: ProveOptions): Promise<ProveReport> {
  const t0 = Date.now();
  const resolved = resolveRun(opts); // an impossible system and prover pair is refused here, before any work
  if (resolved.sys.form === "ir") {
    const display = displayFor(opts.observe);
    const vis = resolved.circuit.visibility;
    const hidden = [vis.weights !== "fixed" && "weights", vis.input === "private" && "input"].filter((w): w is string => typeof w === "string");
    const warnings = [
      ...(vis.weights === "private" ? [PRIVATE_WEIGHTS_WARNING] : []),
      ...(hidden.length && !opts.zeroKnowledge ? [`${resolved.sys.protocol} without --zk is not zero knowledge: its proof binds the private ${hidden.join(" and ")} but reveals evaluations of them (--zk hides them).`] : []),
    ];
    try {
      return await proveIr({ ...resolved, sys: resolved.sys }, new StageRunner(display), t0, warnings);
    } finally {
      display.stop();
    }
  }
  const run = { ...resolved, sys: resolved.sys };
  const { sys, circuit } = run;
  if (opts.pcs === "kzg")
    throw new ZkmlError("OPTION_INVALID", `--pcs kzg: ${sys.protocol} is a circuit system, whose proof's commitments its protocol fixes`, { hint: "drop --pcs, or prove with --system sumcheck --pcs kzg" });
  if (run.trust.contribute && !sys.ceremony)
    throw new ZkmlError("OPTION_INVALID", `--contribute: ${sys.protocol} has no circuit-specific ceremony to contribute to (its keys follow from the ptau alone)`, {
      hint: "contribute with --system groth16, or drop --contribute",
    });
  const display = displayFor(opts.observe);
  const stages = new StageRunner(display);
  const warnings: string[] = circuit.visibility.weights === "private" ? [PRIVATE_WEIGHTS_WARNING] : [];
  if (!nativeAvailable()) warnings.push(NATIVE_FALLBACK_NOTE); // installed without cargo: snarkjs proved and set up
  try {
    // the input is quantized and checked before anything heavy runs
    const subject = await stages.run(quantizeStage(run));
    const rendered = await stages.run(renderStage(run, subject.q));
    display.note(`backend: ${rendered.backend} (${rendered.reason})`);
    const compiled = await stages.run(compileStage(run, rendered));
    const size = circuitSize(run, rendered.id, compiled);
    if (size.gates !== undefined) display.note(`${sys.protocol}: ${size.gates} gates, powers of tau 2^${size.power}`);
    const ptau = await stages.run(ptauStage(run, size, compiled));
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
      form: "r1cs",
      model: opts.model.name,
      parameters: countParams(opts.model),
      system: sys.protocol,
      visibility: circuit.visibility,
      backend: { name: rendered.backend, reason: rendered.reason },
      publicLayout: layoutCounts(subject.q, circuit.visibility),
      ...(subject.statement.opening.context !== undefined ? { boundTo: contextText(subject.statement.opening.context) } : {}),
      input: { source: subject.given.source, label: subject.given.label },
      circuit: { id: rendered.id, constraints: compiled.constraints, wires: compiled.wires, publicSignals: size.nPublic, privateInputs: compiled.privateInputs, ptauPower: size.power, gates: size.gates },
      ptau,
      setup: { ceremony: sys.ceremony, contributions: setup.contributions, beacon: setup.beacon },
      prediction: {
        class: argmax(subject.reference),
        outputs: subject.reference.map(String),
        real: subject.reference.map((r) => Number(r) * subject.q.output.step),
        ...(batchOf(circuit.visibility) > 1 ? { labels: batchLabels(statementLayout(subject.q, circuit.visibility), subject.reference) } : {}),
      },
      matchesReference,
      quantization: quantizationReport(run, subject),
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
