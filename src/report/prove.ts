/**
 * Renderers of a ProveReport. The report is the one data model; the terminal table and JSON are views of it.
 */
import * as path from "path";
import type { CircuitProveReport, IrProveReport, ProveReport } from "../pipeline/prove";

const fmtS = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1));

export function renderTerminal(r: ProveReport, root: string): string {
  const rel = (p: string) => path.relative(root, p);
  const lines: string[] = [];
  lines.push(`model        ${r.model} (${r.parameters.toLocaleString("en-US")} parameters)`);
  lines.push(`input        ${r.input.source}${r.input.label !== undefined ? ` (label ${r.input.label})` : ""}`);
  const L = r.publicLayout;
  const batch = r.visibility.batch && r.visibility.batch > 1 ? `, a batch of ${r.visibility.batch} inferences` : "";
  lines.push(`statement    input ${r.visibility.input}, weights ${r.visibility.weights}, output ${r.visibility.output}${batch}: public values = ${L.output} output + ${L.input} input + ${L.weights} weights commitment${r.boundTo !== undefined ? ` + 1 context (bound to ${r.boundTo}: the consumer takes the proof from that submitter only)` : ""}`);
  lines.push(...(r.form === "r1cs" ? circuitLines(r) : irLines(r)));
  lines.push("");
  lines.push("stage       seconds   peak MB   ");
  for (const s of r.stages) {
    const peak = s.peakMB === null ? (s.cached ? "" : "in-proc") : s.peakMB.toFixed(0);
    lines.push(`${s.stage.padEnd(10)} ${s.cached ? "  cached" : fmtS(s.seconds).padStart(8)}  ${peak.padStart(8)}`);
  }
  lines.push(`total      ${fmtS(r.totalSeconds).padStart(8)}`);
  lines.push("");
  const files: [string, string][] =
    r.form === "r1cs"
      ? [["proof.json", r.files.proof], ["public.json", r.files.public], ["verification_key.json", r.files.verificationKey], ["verifier contract", `${r.files.verifier} (${r.files.verifierContract})`]]
      : [["proof", r.files.proof], ["public values", r.files.public], ["quantized model", r.files.ir], ...(r.files.commitment ? [["model commitment", r.files.commitment] as [string, string]] : []), ...(r.files.ptau ? [["kzg setup (ptau)", r.files.ptau] as [string, string]] : [])];
  for (const [name, file] of files) lines.push(`${name.padEnd(23)} ${file.includes(" (") ? `${rel(file.slice(0, file.indexOf(" (")))}${file.slice(file.indexOf(" ("))}` : rel(file)}`);
  for (const w of r.warnings) lines.push(`\nwarning: ${w}`);
  return lines.join("\n");
}

function prediction(r: ProveReport, what: string): string {
  return `prediction   ${r.prediction.labels ? `classes ${r.prediction.labels.join(", ")}` : `class ${r.prediction.class}`}   (${what} equals the reference interpreter's: ${r.matchesReference ? "yes" : "NO"})`;
}

/** The width and the proved output's error against the float model (the report's accuracy line). */
function accuracy(r: ProveReport): string {
  const q = r.quantization;
  return `accuracy     max |error| ${q.maxAbsError.toPrecision(3)} of the proved output against the float model; ${q.choice ?? `${q.scaleBits}-bit scales (given, not chosen by --max-error)`}`;
}

function circuitLines(r: CircuitProveReport): string[] {
  return [
    `backend      ${r.backend.name} (${r.backend.reason})`,
    `circuit      ${r.circuit.constraints.toLocaleString("en-US")} constraints, ${r.circuit.wires.toLocaleString("en-US")} wires, ${r.circuit.publicSignals} public signals${r.circuit.gates !== undefined ? `, ${r.circuit.gates.toLocaleString("en-US")} ${r.system} gates` : ""}, ptau 2^${r.circuit.ptauPower}`,
    prediction(r, "circuit output"),
    accuracy(r),
    `setup        ptau ${r.ptau.origin} (2^${r.ptau.power}${r.ptau.blake2b ? `, BLAKE2b ${r.ptau.blake2b.slice(0, 16)}...` : ""}); ${r.setup.ceremony ? `zkey contributions: ${r.setup.contributions.join("; ") || "none"}` : `${r.system}: universal, no ceremony of its own`}${r.setup.beacon ? `; beacon ${r.setup.beacon.slice(0, 16)}...` : ""}`,
    `proof        ${r.system} (${r.prover} prover), ${r.proofBytes} bytes on chain, verified: ${r.verified ? "yes" : "NO"}`,
  ];
}

function irLines(r: IrProveReport): string[] {
  const ms = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
  return [
    `system       ${r.system}: proves the quantized model itself (no circuit, ${r.pcs === "kzg" ? "a powers of tau for its KZG commitments" : "no setup"})`,
    prediction(r, "proved output"),
    accuracy(r),
    `proof        ${r.system} (${r.prover} prover${r.zeroKnowledge ? ", zero knowledge" : ""}${r.pcs === "kzg" ? ", KZG commitments" : ""}), ${r.proofBytes.toLocaleString("en-US")} bytes, verified: ${r.verified ? "yes" : "NO"} (${r.verifiers.map((v) => `${v.name} ${v.valid ? "yes" : `no: ${v.reason}`}`).join(", ")})`,
    `prover       ${r.phases.map((p) => `${p.phase} ${ms(p.wallMs)} ms`).join(", ")} (wall; CPU ${ms(r.phases.reduce((a, p) => a + p.cpuMs, 0))} ms)`,
  ];
}

export function renderJson(r: ProveReport): string {
  return JSON.stringify(r, null, 2);
}
