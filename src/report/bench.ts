/**
 * Bench reports: one view of the results (src/bench/harness.ts's JSON beside paper0's charted figures from
 * data/paper0/results.json), rendered as markdown and as one self-contained HTML page whose charts are inline SVG
 * drawn here (no script, no network), log-scale like paper0's figures: proof time and peak prover memory against
 * parameters and against layers, this project's points beside paper0's six systems, and tables of ratios.
 *
 * paper0 measured proof generation alone (its timers wrap the prover call) on 64 vCPUs with 128 GB; the matching
 * stage here is `prove` (the series' prover, in a process of its own). Setup, witness and verify are reported too but
 * have no paper0 counterpart.
 */
import { median } from "../bench/stats";
import * as fs from "fs";
import * as path from "path";
import { BENCH_STAGES, BenchEntry, BenchFile, BenchRun, BenchStage, BenchWeights, latestEntries } from "../bench/harness";
import { paper0Networks, ROOT } from "../model/zoo";

export const PAPER0_RESULTS = path.join(ROOT, "data", "paper0", "results.json");
export const PAPER0_SYSTEMS = ["groth16", "gemini", "halo2", "plonky2", "zkcnn", "winterfell"] as const;
type Paper0System = (typeof PAPER0_SYSTEMS)[number];
type Paper0Point = { proveSeconds: number; peakGB: number } | null;

export interface Paper0Results {
  hardware: string;
  metric: string;
  accuracy: string;
  parameter: Record<string, Partial<Record<Paper0System, Paper0Point>> | undefined>;
  depth: Record<string, Partial<Record<Paper0System, Paper0Point>> | undefined>;
}

export function readPaper0Results(file = PAPER0_RESULTS): Paper0Results {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Paper0Results;
}

/** One network of a suite: paper0's numbers and this project's measurements (one per system and weights). */
export interface NetRow {
  net: string;
  suite: "parameter" | "depth";
  /** weights (paper0's parameter-suite x axis) and dense layers (the depth-suite x axis) */
  macs: number;
  layers: number;
  paper0: Partial<Record<Paper0System, Paper0Point>>;
  ours: Map<string, Measured>;
}

/** The median over repeats of one (network, system, weights), or why it was skipped. */
export interface Measured {
  series: string;
  status: "ok" | "skipped";
  reason?: string;
  repeats: number;
  constraints?: number;
  backend?: string;
  publicSignals?: number;
  proofBytes?: number;
  verifyGas?: number;
  /** verifyGas is a lower bound (the call was past the measuring chain's limit, or not run) */
  verifyGasAtLeast?: boolean;
  stages: Partial<Record<BenchStage, { seconds: number; peakMB: number | null }>>;
}

export interface BenchView {
  runs: BenchRun[];
  series: string[];
  rows: NetRow[];
  /** entries of models outside paper0's suites (zoo, paths) */
  others: Measured[];
  paper0: Paper0Results;
}

/** A series: the proof system and its prover (entries from before the native prover were snarkjs's), and the weights' statement. */
export function seriesName(e: Pick<BenchEntry, "system" | "weights" | "prover" | "input" | "zeroKnowledge" | "pcs">): string {
  return `zkml-hardhat ${e.system} (${e.prover ?? "snarkjs"} prover${e.pcs === "kzg" ? ", KZG commitments" : ""}), ${e.weights} weights${e.input ? `, ${e.input} input` : ""}${e.zeroKnowledge ? ", zero knowledge" : ""}`;
}

/** What each weights series proves: the report says it beside the numbers. */
export const WEIGHTS_STATEMENTS: Record<BenchWeights, string> = {
  fixed: "input and output public, the weights constants of the circuit: the proof binds this exact model, and a multiply-accumulate costs no constraint",
  hashed: "input and output public, the weights private and bound by a public commitment (Groth16: a Poseidon hash in the circuit, one constraint a multiply-accumulate plus the hash and range checks; sumcheck: the model's Hyrax commitment, or with --pcs kzg its KZG commitment under a powers of tau, made once, outside the proof)",
  private: "input and output public, the weights private and unbound (paper0's statement; Groth16: one constraint a multiply-accumulate; sumcheck: the weights committed inside each proof): the like-for-like comparison with paper0's systems",
};

function summarize(entries: BenchEntry[]): Measured {
  const ok = entries.filter((e) => e.status === "ok");
  const first = entries[0];
  if (ok.length === 0) return { series: seriesName(first), status: "skipped", reason: first.reason, repeats: 0, constraints: first.constraints, stages: {} };
  const stages: Measured["stages"] = {};
  for (const s of BENCH_STAGES) {
    const ms = ok.map((e) => e.stages?.[s]).filter((m): m is NonNullable<typeof m> => m !== undefined && !m.cached);
    if (ms.length === 0) continue;
    const peaks = ms.map((m) => m.peakMB).filter((p): p is number => p !== null);
    stages[s] = { seconds: median(ms.map((m) => m.seconds)), peakMB: peaks.length ? median(peaks) : null };
  }
  const e = ok[ok.length - 1];
  return { series: seriesName(e), status: "ok", repeats: ok.length, constraints: e.constraints, backend: e.backend, publicSignals: e.publicSignals, proofBytes: e.proofBytes, verifyGas: e.verifyGas?.gas, ...(e.verifyGas?.lowerBound ? { verifyGasAtLeast: true } : {}), stages };
}

export function benchView(data: BenchFile, paper0: Paper0Results = readPaper0Results()): BenchView {
  const entries = latestEntries(data);
  const groups = new Map<string, BenchEntry[]>();
  for (const e of entries) {
    const k = `${e.model}|${seriesName(e)}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const series = [...new Set(entries.map(seriesName))].sort();
  const rows: NetRow[] = [];
  const inSuites = new Set<string>();
  for (const { suite, net } of paper0Networks()) {
    if (suite !== "parameter" && suite !== "depth") continue;
    const ref = `paper0/${net.name}`;
    inSuites.add(ref);
    const ours = new Map<string, Measured>();
    for (const s of series) {
      const g = groups.get(`${ref}|${s}`);
      if (g) ours.set(s, summarize(g));
    }
    rows.push({ net: net.name, suite, macs: net.macs, layers: net.numLayers, paper0: paper0[suite][net.name] ?? {}, ours });
  }
  const others = [...groups.entries()].filter(([k]) => !inSuites.has(k.split("|")[0])).map(([k, g]) => ({ ...summarize(g), series: `${k.split("|")[0]}: ${seriesName(g[0])}` }));
  // a series measured only on other models (a private input's: worldcoin-proxy) has no suite tables or goals
  const suiteSeries = series.filter((s) => rows.some((r) => r.ours.has(s)));
  return { runs: data.runs, series: suiteSeries, rows, others, paper0 };
}

// ---------------------------------------------------------------- formatting

const int = (n: number | undefined) => (n === undefined ? "" : Math.round(n).toLocaleString("en-US"));
/** A measure's verification gas: "over N" where N is only a lower bound. */
const gasCell = (m: { verifyGas?: number; verifyGasAtLeast?: boolean }) => (m.verifyGasAtLeast ? `over ${int(m.verifyGas)}` : int(m.verifyGas));
const secs = (s: number | undefined) => (s === undefined ? "" : s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0));
const mb = (m: number | null | undefined) => (m === undefined || m === null ? "" : m >= 1024 ? `${(m / 1024).toFixed(2)} GB` : `${m.toFixed(0)} MB`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? "" : `${(a / b).toFixed(2)}x`);
const stageCell = (m: Measured, s: BenchStage) => (m.stages[s] ? `${secs(m.stages[s]!.seconds)} s / ${mb(m.stages[s]!.peakMB)}` : "");

export interface Goals {
  series: string;
  networks: number;
  proved: number;
  /** where paper0's Groth16 has a result */
  timeCompared: number;
  fasterOrEqual: number;
  memoryCompared: number;
  quarterMemory: number;
  /** where paper0 has any result: faster than its fastest system there */
  fastestCompared: number;
  fasterThanFastest: number;
  /** where paper0 has any memory figure: peak prover memory below its lowest system's there */
  lowestMemoryCompared: number;
  belowLowestMemory: number;
  largestParameters?: string;
  deepest?: string;
}

/** How far each goal of the issue is, per series (the time and memory goals compare with paper0's Groth16). */
export function goals(v: BenchView): Goals[] {
  return v.series.map((s) => {
    const g: Goals = { series: s, networks: v.rows.length, proved: 0, timeCompared: 0, fasterOrEqual: 0, memoryCompared: 0, quarterMemory: 0, fastestCompared: 0, fasterThanFastest: 0, lowestMemoryCompared: 0, belowLowestMemory: 0 };
    for (const r of v.rows) {
      const m = r.ours.get(s);
      if (!m || m.status !== "ok" || !m.stages.prove) continue;
      g.proved++;
      if (r.suite === "parameter") g.largestParameters = r.net;
      if (r.suite === "depth") g.deepest = r.net;
      const f = paper0Fastest(r);
      if (f) {
        g.fastestCompared++;
        if (m.stages.prove.seconds < f.proveSeconds) g.fasterThanFastest++;
      }
      const lowest = Math.min(...PAPER0_SYSTEMS.flatMap((sys) => (r.paper0[sys] ? [r.paper0[sys]!.peakGB] : [])));
      if (Number.isFinite(lowest) && m.stages.prove.peakMB !== null) {
        g.lowestMemoryCompared++;
        if (m.stages.prove.peakMB / 1024 < lowest) g.belowLowestMemory++;
      }
      const p = r.paper0.groth16;
      if (!p) continue;
      g.timeCompared++;
      if (m.stages.prove.seconds <= p.proveSeconds) g.fasterOrEqual++;
      if (m.stages.prove.peakMB !== null) {
        g.memoryCompared++;
        if (m.stages.prove.peakMB / 1024 <= p.peakGB / 4) g.quarterMemory++;
      }
    }
    return g;
  });
}

function machineLine(r: BenchRun): string {
  const m = r.machine;
  return `${m.cpus} x ${m.cpuModel}, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}; ${Object.entries(r.tools).map(([k, v]) => `${k} ${v}`).join(", ")}`;
}

/** paper0's fastest prover on one network, over its six systems (where its Groth16 stopped, the others go on). */
export function paper0Fastest(r: NetRow): { system: Paper0System; proveSeconds: number; peakGB: number } | undefined {
  let best: { system: Paper0System; proveSeconds: number; peakGB: number } | undefined;
  for (const system of PAPER0_SYSTEMS) {
    const p = r.paper0[system];
    if (p && (!best || p.proveSeconds < best.proveSeconds)) best = { system, ...p };
  }
  return best;
}

function suiteTable(v: BenchView, suite: "parameter" | "depth", s: string): string[] {
  const lines = [
    `| network | ${suite === "parameter" ? "weights" : "layers"} | constraints | backend | render | compile | setup | witness | prove | verify | proof | verify gas | paper0 Groth16 prove / peak | prove time vs paper0 | prove memory vs paper0 | paper0 fastest system prove / peak | prove time vs fastest |`,
    "|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const r of v.rows.filter((x) => x.suite === suite)) {
    const m = r.ours.get(s);
    const p = r.paper0.groth16;
    const paper = p ? `${p.proveSeconds} s / ${p.peakGB} GB` : "no result";
    const f = paper0Fastest(r);
    const fastest = f ? `${f.system} ${f.proveSeconds} s / ${f.peakGB} GB` : "no result";
    const x = suite === "parameter" ? int(r.macs) : String(r.layers);
    if (!m) {
      lines.push(`| ${r.net} | ${x} | | | not run yet | | | | | | | | ${paper} | | | ${fastest} | |`);
      continue;
    }
    if (m.status === "skipped") {
      lines.push(`| ${r.net} | ${x} | ${int(m.constraints)} | | skipped: ${m.reason} | | | | | | | | ${paper} | | | ${fastest} | |`);
      continue;
    }
    const pr = m.stages.prove;
    lines.push(
      `| ${r.net} | ${x} | ${int(m.constraints)} | ${m.backend ?? ""} | ${stageCell(m, "render")} | ${stageCell(m, "compile")} | ${stageCell(m, "setup")} | ${stageCell(m, "witness")} | ${stageCell(m, "prove")} | ${stageCell(m, "verify")} | ${int(m.proofBytes)} B | ${gasCell(m)} | ${paper} | ${ratio(pr?.seconds, p?.proveSeconds)} | ${ratio(pr?.peakMB === null || pr?.peakMB === undefined ? undefined : pr.peakMB / 1024, p?.peakGB)} | ${fastest} | ${ratio(pr?.seconds, f?.proveSeconds)} |`,
    );
  }
  return lines;
}

/** What each weights series in the view proves. */
function statements(v: BenchView): { weights: BenchWeights; text: string }[] {
  return [...new Set(latestEntries({ format: "zkml-bench/1", runs: v.runs }).map((e) => e.weights))].sort().map((w) => ({ weights: w, text: WEIGHTS_STATEMENTS[w] }));
}

/** The goals, one row a series, as markdown (the HTML report converts it). */
function goalsTable(v: BenchView): string[] {
  return [
    "| series | proved | largest (parameters) | deepest | prove time <= paper0 Groth16 | prove memory <= 1/4 of paper0 Groth16 | prove time < paper0's fastest system | prove memory < paper0's lowest |",
    "|---|--:|---|---|--:|--:|--:|--:|",
    ...goals(v).map((g) => `| ${g.series} | ${g.proved} of ${g.networks} | ${g.largestParameters ?? ""} | ${g.deepest ?? ""} | ${g.fasterOrEqual} of ${g.timeCompared} | ${g.quarterMemory} of ${g.memoryCompared} | ${g.fasterThanFastest} of ${g.fastestCompared} | ${g.belowLowestMemory} of ${g.lowestMemoryCompared} |`),
  ];
}

export function renderBenchMarkdown(v: BenchView): string {
  const out = ["# zkml-hardhat against paper0 (The Cost of Intelligence)", ""];
  const last = v.runs[v.runs.length - 1];
  if (last) out.push(`Machine: ${machineLine(last)}.`, "");
  out.push(
    `paper0: ${v.paper0.hardware}; ${v.paper0.metric}; values read from its charts (${v.paper0.accuracy}). Here every stage ran in a process of its own; each cell is wall seconds / that process's peak resident memory (median over repeats). Ratios are ours / paper0's Groth16 (below 1: we are faster or smaller).`,
    "",
    "## Statements",
    "",
    ...statements(v).map((x) => `- **${x.weights} weights**: ${x.text}.`),
    "",
    "## Goals",
    "",
    ...goalsTable(v),
  );
  for (const s of v.series)
    for (const suite of ["parameter", "depth"] as const) out.push("", `## ${suite === "parameter" ? "Parameter" : "Depth"} suite: ${s}`, "", ...suiteTable(v, suite, s));
  if (v.others.length) {
    out.push("", "## Other models", "", "| model | constraints | backend | compile | setup | prove | verify | verify gas | status |", "|---|--:|---|--:|--:|--:|--:|--:|---|");
    for (const m of v.others) out.push(`| ${m.series} | ${int(m.constraints)} | ${m.backend ?? ""} | ${stageCell(m, "compile")} | ${stageCell(m, "setup")} | ${stageCell(m, "prove")} | ${stageCell(m, "verify")} | ${gasCell(m)} | ${m.status === "ok" ? "ok" : `skipped: ${m.reason}`} |`);
  }
  out.push("", "## Runs", "");
  for (const r of v.runs) out.push(`- ${r.started}${r.tools["zkml-hardhat commit"] ? ` (commit ${r.tools["zkml-hardhat commit"]})` : ""}: --suite ${r.options.suite} --systems ${r.options.systems.join(",")} --weights ${r.options.weights}${r.options.input ? ` --input ${r.options.input}` : ""}${r.options.zeroKnowledge ? " --zk" : ""}${r.options.pcs ? ` --pcs ${r.options.pcs}` : ""} --max-constraints ${r.options.maxConstraints} --repeat ${r.options.repeat}: ${r.entries.length} entries`);
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- charts

export interface ChartSeries {
  name: string;
  color: string;
  ours: boolean;
  points: [number, number][];
}

const PAPER0_COLORS: Record<Paper0System, string> = { groth16: "#1f77b4", gemini: "#9467bd", halo2: "#2ca02c", plonky2: "#ff7f0e", zkcnn: "#8c564b", winterfell: "#7f7f7f" };
const OUR_COLORS = ["#d62728", "#e377c2", "#17becf", "#bcbd22"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Series of one chart: paper0's six systems, then ours (prove stage). */
export function chartSeries(v: BenchView, suite: "parameter" | "depth", metric: "seconds" | "memoryGB"): ChartSeries[] {
  const rows = v.rows.filter((r) => r.suite === suite);
  const x = (r: NetRow) => (suite === "parameter" ? r.macs : r.layers);
  const out: ChartSeries[] = PAPER0_SYSTEMS.map((sys) => ({
    name: `paper0 ${sys}`,
    color: PAPER0_COLORS[sys],
    ours: false,
    points: rows.flatMap((r) => {
      const p = r.paper0[sys];
      return p ? [[x(r), metric === "seconds" ? p.proveSeconds : p.peakGB] as [number, number]] : [];
    }),
  }));
  v.series.forEach((s, i) =>
    out.push({
      name: s,
      color: OUR_COLORS[i % OUR_COLORS.length],
      ours: true,
      points: rows.flatMap((r) => {
        const pr = r.ours.get(s)?.stages.prove;
        if (!pr) return [];
        const y = metric === "seconds" ? pr.seconds : pr.peakMB === null ? undefined : pr.peakMB / 1024;
        return y === undefined ? [] : [[x(r), y] as [number, number]];
      }),
    }),
  );
  return out;
}

/** A log-log line chart as inline SVG; each series a <g class="series" data-series=... data-points=...>. */
export function svgChart(title: string, xLabel: string, yLabel: string, series: ChartSeries[], id: string): string {
  const W = 560, H = 360, L = 64, R = 16, T = 30, B = 46;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const lo = (v: number[]) => Math.floor(Math.log10(Math.min(...v)));
  const hi = (v: number[]) => Math.ceil(Math.log10(Math.max(...v)));
  const [x0, x1] = all.length ? [lo(xs), Math.max(hi(xs), lo(xs) + 1)] : [0, 1];
  const [y0, y1] = all.length ? [lo(ys), Math.max(hi(ys), lo(ys) + 1)] : [0, 1];
  const px = (v: number) => L + ((Math.log10(v) - x0) / (x1 - x0)) * (W - L - R);
  const py = (v: number) => H - B - ((Math.log10(v) - y0) / (y1 - y0)) * (H - T - B);
  const parts = [`<svg id="${id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="title">${esc(title)}</text>`);
  for (let d = x0; d <= x1; d++) {
    const X = px(10 ** d);
    parts.push(`<line x1="${X}" y1="${T}" x2="${X}" y2="${H - B}" class="grid"/><text x="${X}" y="${H - B + 16}" text-anchor="middle" class="tick">${tickLabel(d)}</text>`);
  }
  for (let d = y0; d <= y1; d++) {
    const Y = py(10 ** d);
    parts.push(`<line x1="${L}" y1="${Y}" x2="${W - R}" y2="${Y}" class="grid"/><text x="${L - 6}" y="${Y + 4}" text-anchor="end" class="tick">${tickLabel(d)}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" class="axis">${esc(xLabel)} (log)</text>`);
  parts.push(`<text transform="translate(14 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle" class="axis">${esc(yLabel)} (log)</text>`);
  for (const s of series) {
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    parts.push(`<g class="series${s.ours ? " ours" : ""}" data-series="${esc(s.name)}" data-points="${pts.length}" stroke="${s.color}" fill="${s.color}">`);
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke-width="${s.ours ? 2.5 : 1.5}"${s.ours ? "" : ' stroke-dasharray="4 3"'} points="${pts.map(([a, b]) => `${px(a).toFixed(1)},${py(b).toFixed(1)}`).join(" ")}"/>`);
    for (const [a, b] of pts) parts.push(`<circle cx="${px(a).toFixed(1)}" cy="${py(b).toFixed(1)}" r="${s.ours ? 3.5 : 2.5}"><title>${esc(`${s.name}: ${a.toLocaleString("en-US")} -> ${b}`)}</title></circle>`);
    parts.push(`</g>`);
  }
  parts.push(`</svg>`);
  return parts.join("");
}

function tickLabel(d: number): string {
  const v = 10 ** d;
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(Number(v.toPrecision(3)));
}

function legend(series: ChartSeries[]): string {
  return `<ul class="legend">${series.map((s) => `<li><span class="swatch" style="background:${s.color}"></span>${esc(s.name)}</li>`).join("")}</ul>`;
}

function mdTableToHtml(lines: string[]): string {
  const cells = (l: string) => l.split("|").slice(1, -1).map((c) => c.trim());
  const [head, , ...body] = lines;
  return `<table><thead><tr>${cells(head).map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${body.map((l) => `<tr>${cells(l).map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

export function renderBenchHtml(v: BenchView): string {
  const charts: string[] = [];
  const defs: [string, "parameter" | "depth", "seconds" | "memoryGB", string, string][] = [
    ["chart-param-time", "parameter", "seconds", "Proof time against parameters", "seconds"],
    ["chart-param-memory", "parameter", "memoryGB", "Peak prover memory against parameters", "GB"],
    ["chart-depth-time", "depth", "seconds", "Proof time against layers", "seconds"],
    ["chart-depth-memory", "depth", "memoryGB", "Peak prover memory against layers", "GB"],
  ];
  for (const [id, suite, metric, title, unit] of defs) {
    const s = chartSeries(v, suite, metric);
    charts.push(`<figure>${svgChart(title, suite === "parameter" ? "weights" : "layers", unit, s, id)}${legend(s)}</figure>`);
  }
  const last = v.runs[v.runs.length - 1];
  const tables = v.series.flatMap((s) => (["parameter", "depth"] as const).map((suite) => `<h2>${suite === "parameter" ? "Parameter" : "Depth"} suite: ${esc(s)}</h2>${mdTableToHtml(suiteTable(v, suite, s))}`));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zkml-hardhat against paper0</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
.charts{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0;border:1px solid #ddd;padding:8px}
.chart .grid{stroke:#e4e4e4}.chart .tick{font-size:11px;fill:#555}.chart .axis{font-size:12px;fill:#333}.chart .title{font-size:14px;font-weight:600}
.legend{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;max-width:560px}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px}
table{border-collapse:collapse;margin:8px 0 20px;font-size:12px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th:first-child,td:first-child{text-align:left}
</style></head><body>
<h1>zkml-hardhat against paper0 (The Cost of Intelligence)</h1>
<p>${last ? `Machine: ${esc(machineLine(last))}.` : "No runs yet."}</p>
<p>paper0: ${esc(v.paper0.hardware)}; ${esc(v.paper0.metric)}; read from its charts (${esc(v.paper0.accuracy)}). Our points: the prove stage (each series names its prover) in a process of its own, wall seconds and that process's peak resident memory.</p>
<ul>${statements(v).map((x) => `<li><b>${esc(x.weights)} weights</b>: ${esc(x.text)}.</li>`).join("")}</ul>
<div class="charts">${charts.join("")}</div>
<h2>Goals</h2>
${mdTableToHtml(goalsTable(v))}
${tables.join("\n")}
</body></html>
`;
}
