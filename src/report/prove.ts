/**
 * Renderers of a ProveReport. The report is the one data model; the terminal table and JSON are views of it.
 */
import * as path from "path";
import type { ProveReport } from "../pipeline/prove";

const fmtS = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1));

export function renderTerminal(r: ProveReport, root: string): string {
  const rel = (p: string) => path.relative(root, p);
  const lines: string[] = [];
  lines.push(`model        ${r.model} (${r.parameters.toLocaleString("en-US")} parameters)`);
  lines.push(`input        ${r.input.source}${r.input.label !== undefined ? ` (label ${r.input.label})` : ""}`);
  const L = r.publicLayout;
  const batch = r.visibility.batch && r.visibility.batch > 1 ? `, a batch of ${r.visibility.batch} inferences` : "";
  lines.push(`statement    input ${r.visibility.input}, weights ${r.visibility.weights}, output ${r.visibility.output}${batch}: public signals = ${L.output} output + ${L.input} input + ${L.weights} weights commitment`);
  lines.push(`backend      ${r.backend.name} (${r.backend.reason})`);
  lines.push(`circuit      ${r.circuit.constraints.toLocaleString("en-US")} constraints, ${r.circuit.wires.toLocaleString("en-US")} wires, ${r.circuit.publicSignals} public signals${r.circuit.gates !== undefined ? `, ${r.circuit.gates.toLocaleString("en-US")} ${r.system} gates` : ""}, ptau 2^${r.circuit.ptauPower}`);
  lines.push(`prediction   ${r.prediction.labels ? `classes ${r.prediction.labels.join(", ")}` : `class ${r.prediction.class}`}   (circuit output equals the reference interpreter: ${r.matchesReference ? "yes" : "NO"})`);
  lines.push(`setup        ptau ${r.ptau.origin} (2^${r.ptau.power}${r.ptau.blake2b ? `, BLAKE2b ${r.ptau.blake2b.slice(0, 16)}...` : ""}); ${r.setup.ceremony ? `zkey contributions: ${r.setup.contributions.join("; ") || "none"}` : `${r.system}: universal, no ceremony of its own`}${r.setup.beacon ? `; beacon ${r.setup.beacon.slice(0, 16)}...` : ""}`);
  lines.push(`proof        ${r.system} (${r.prover} prover), ${r.proofBytes} bytes on chain, verified: ${r.verified ? "yes" : "NO"}`);
  lines.push("");
  lines.push("stage       seconds   peak MB   ");
  for (const s of r.stages) {
    const peak = s.peakMB === null ? (s.cached ? "" : "in-proc") : s.peakMB.toFixed(0);
    lines.push(`${s.stage.padEnd(10)} ${s.cached ? "  cached" : fmtS(s.seconds).padStart(8)}  ${peak.padStart(8)}`);
  }
  lines.push(`total      ${fmtS(r.totalSeconds).padStart(8)}`);
  lines.push("");
  lines.push(`proof.json              ${rel(r.files.proof)}`);
  lines.push(`public.json             ${rel(r.files.public)}`);
  lines.push(`verification_key.json   ${rel(r.files.verificationKey)}`);
  lines.push(`verifier contract       ${rel(r.files.verifier)} (${r.files.verifierContract})`);
  for (const w of r.warnings) lines.push(`\nwarning: ${w}`);
  return lines.join("\n");
}

export function renderJson(r: ProveReport): string {
  return JSON.stringify(r, null, 2);
}
