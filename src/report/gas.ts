/**
 * Renderers of a GasReport (src/evm/gas.ts): terminal, markdown and JSON from the one data model, so every view says
 * the same numbers.
 */
import type { GasReport, SystemGas } from "../evm/gas";

const n = (v: number) => v.toLocaleString("en-US");
const flagged = (flags: string[], raised: boolean) => (flags.length ? " !" : raised ? " r" : "");

function breakEvenText(s: SystemGas): string {
  if (s.breakEvenCalls !== null) return s.breakEvenCalls <= 1 ? "from the first call" : `after ${n(s.breakEvenCalls)} calls`;
  if (s.cheaperUpToCalls !== undefined) return `never per call; cheaper in total up to ${n(s.cheaperUpToCalls)} calls`;
  return "never";
}

function crossoverText(r: GasReport, s: SystemGas): string {
  if (s.crossoverMacs === null) return "n/a";
  if (s.crossoverMacs <= r.line.baselineMacs) return `any model of this shape (<= ${n(r.line.baselineMacs)} MACs)`;
  return `${n(s.crossoverMacs)} MACs`;
}

interface Row {
  what: string;
  gas: string;
  bytes: string;
  note: string;
}

function rows(r: GasReport): Row[] {
  const out: Row[] = [];
  const nv = r.naive;
  out.push({ what: `naive infer() per call`, gas: (nv.call.lowerBound ? "> " : "") + n(nv.call.gas) + flagged(nv.call.flags, nv.raisedLimits), bytes: `${n(nv.call.calldataBytes)} calldata`, note: nv.call.flags.join("; ") });
  out.push({
    what: `naive deployment (${nv.contracts.length - 1} data + 1)`,
    gas: n(nv.deployGas) + flagged(nv.contracts.flatMap((c) => c.flags), nv.raisedLimits),
    bytes: `${n(nv.contracts.reduce((a, c) => a + c.runtimeBytes, 0))} code`,
    note: [...new Set(nv.contracts.flatMap((c) => c.flags))].join("; "),
  });
  for (const s of r.systems) {
    const label = `${s.system} ${s.statement}`;
    out.push({ what: `${label} verifyProof per call`, gas: n(s.verify.gas) + flagged(s.verify.flags, s.raisedLimits), bytes: `${n(s.verify.calldataBytes)} calldata`, note: s.verify.flags.join("; ") });
    out.push({ what: `${label} consumer submit per call`, gas: n(s.submit.gas) + flagged(s.submit.flags, s.raisedLimits), bytes: `${n(s.submit.calldataBytes)} calldata`, note: s.submit.flags.join("; ") });
    out.push({ what: `${label} verifier deployment`, gas: n(s.verifier.deployGas) + flagged(s.verifier.flags, s.raisedLimits), bytes: `${n(s.verifier.runtimeBytes)} code`, note: s.verifier.flags.join("; ") });
    out.push({ what: `${label} consumer deployment`, gas: n(s.consumer.deployGas) + flagged(s.consumer.flags, s.raisedLimits), bytes: `${n(s.consumer.runtimeBytes)} code`, note: s.consumer.flags.join("; ") });
  }
  return out;
}

function summary(r: GasReport): string[] {
  return r.systems.map(
    (s) =>
      `${s.system} ${s.statement}: ${s.publicSignals} public signals, ${s.proofBytes}-byte proof; verifying is cheaper per call than naive inference from ${crossoverText(r, s)}; ` +
      `it pays for its deployment ${breakEvenText(s)}; checks: accepts ${s.checks.accepts ? "yes" : "NO"}, rejects a changed signal ${s.checks.rejectsChangedSignal ? "yes" : "NO"}, event equals reference ${s.checks.eventMatchesReference ? "yes" : "NO"}`,
  );
}

function limitsLine(r: GasReport): string {
  const cap = r.limits.txGasCap === null ? "no per-transaction cap" : `per-transaction cap ${n(r.limits.txGasCap)}`;
  return `${r.limits.hardfork}, block gas limit ${n(r.limits.blockGasLimit)}, ${cap}, contracts up to ${n(r.limits.contractSizeLimit)} bytes`;
}

/** One line per proof system and statement: what each statement costs side by side. */
function statementTable(r: GasReport): string[][] {
  const head = ["system", "statement", "public signals", "verifier bytes", "verifier deploy", "verifyProof", "submit", "submit per inference", "proving s per inference", "crossover (MACs)"];
  const body = r.systems.map((s) => [
    s.system,
    s.statement,
    n(s.publicSignals),
    n(s.verifier.runtimeBytes),
    n(s.verifier.deployGas),
    n(s.verify.gas),
    n(s.submit.gas),
    n(s.submitPerInference),
    s.proveSecondsPerInference === null ? "n/a" : s.proveSecondsPerInference.toFixed(2),
    s.crossoverMacs === null ? "n/a" : s.crossoverMacs <= r.line.baselineMacs ? `<= ${n(r.line.baselineMacs)}` : n(s.crossoverMacs),
  ]);
  return [head, ...body];
}

export function renderGasTerminal(r: GasReport): string {
  const rs = rows(r);
  const w = [Math.max(...rs.map((x) => x.what.length), 4), Math.max(...rs.map((x) => x.gas.length), 3), Math.max(...rs.map((x) => x.bytes.length), 5)];
  const lines = [
    `model        ${r.model}: ${n(r.parameters)} parameters, ${n(r.macs)} MACs, ${r.inputs} inputs, ${r.outputs} outputs`,
    `chain        ${limitsLine(r)}`,
    `reference    infer() equals the reference interpreter: ${r.naive.matchesReference === null ? "not run to the end (gas bound)" : r.naive.matchesReference ? "yes" : "NO"}`,
    "",
    `${"what".padEnd(w[0])}  ${"gas".padStart(w[1])}  ${"bytes".padStart(w[2])}`,
    ...rs.map((x) => `${x.what.padEnd(w[0])}  ${x.gas.padStart(w[1])}  ${x.bytes.padStart(w[2])}${x.note ? `  ${x.note}` : ""}`),
    "",
    ...padTable(statementTable(r)),
    "",
    ...summary(r),
    "",
    `gas is each transaction receipt's gasUsed; "!" passes a standard limit (measured with it raised), "r" ran on the raised chain`,
    ...r.notes,
  ];
  return lines.join("\n");
}

export function renderGasMarkdown(r: GasReport): string {
  const lines = [
    `### ${r.model}: on-chain inference against proof verification`,
    "",
    `${n(r.parameters)} parameters, ${n(r.macs)} MACs, ${r.inputs} inputs, ${r.outputs} outputs. Chain: ${limitsLine(r)}.`,
    "",
    "| what | gas | bytes | note |",
    "|---|---:|---:|---|",
    ...rows(r).map((x) => `| ${x.what} | ${x.gas.replace(" !", " ⚠").replace(" r", "")} | ${x.bytes} | ${x.note} |`),
    "",
    ...statementTable(r).flatMap((row, i) => [`| ${row.join(" | ")} |`, ...(i === 0 ? [`|---|---|${"---:|".repeat(row.length - 2)}`] : [])]),
    "",
    ...summary(r).map((s) => `- ${s}`),
    "",
    ...r.notes.map((s) => `> ${s}`),
  ];
  return lines.join("\n");
}

function padTable(t: string[][]): string[] {
  const w = t[0].map((_, j) => Math.max(...t.map((row) => row[j].length)));
  return t.map((row) => row.map((c, j) => (j < 2 ? c.padEnd(w[j]) : c.padStart(w[j]))).join("  "));
}

export function renderGasJson(r: GasReport): string {
  return JSON.stringify(r, null, 1);
}
