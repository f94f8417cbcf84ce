/**
 * The EZKL comparison's report (data: src/bench/ezkl.ts): markdown, and the terminal's summary lines.
 */
import type { EzklRun, SideResult } from "../bench/ezkl";

const isResult = (s: SideResult | { error: string }): s is SideResult => !("error" in s);
const sec = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1));
const mb = (m: number | null) => (m === null ? "" : `, ${Math.round(m)} MB`);

const int = (n: number) => n.toLocaleString("en-US");

function gasCells(g: SideResult["verifyGas"]): string {
  if (!g) return "not measured | |";
  if ("error" in g) return `failed: ${g.error.replace(/\|/g, "/").slice(0, 160)} | |`;
  // the flags are the deployment's (a verifier past EIP-170, a deployment past the per-transaction cap)
  return `${int(g.gas)} | ${int(g.deployGas)} / ${int(g.runtimeBytes)} B${g.flags.length ? ` (${g.flags.join("; ")})` : ""} |`;
}

function cells(name: string, s: SideResult | { error: string }): string {
  if (!isResult(s)) return `| ${name} | failed: ${s.error.replace(/\|/g, "/")} | | | | | | | | |`;
  return `| ${name} | ${s.size} | ${sec(s.setupSeconds)} s${mb(s.setupPeakMB)} | ${sec(s.proveSeconds)} s${mb(s.provePeakMB)} | ${sec(s.verifySeconds)} s | ${s.proofBytes.toLocaleString("en-US")} | ${gasCells(s.verifyGas)} ${s.maxAbsError.toFixed(4)} | ${s.sameClass ? "yes" : "no"}${s.verified ? "" : " (NOT verified)"} |`;
}

/** EZKL's prove seconds and peak memory over ours (above 1: we are faster or smaller). */
export function ezklRatios(r: EzklRun): { model: string; time: number; memory: number | null }[] {
  return r.rows.flatMap((row) => {
    if (!isResult(row.ours) || !isResult(row.ezkl)) return [];
    const o = row.ours, e = row.ezkl;
    return [{ model: row.model, time: e.proveSeconds / o.proveSeconds, memory: o.provePeakMB && e.provePeakMB ? e.provePeakMB / o.provePeakMB : null }];
  });
}

/** EZKL's prove seconds and peak memory over the sumcheck system's. */
export function sumcheckRatios(r: EzklRun): { model: string; time: number; memory: number | null }[] {
  return r.rows.flatMap((row) => {
    if (!row.oursSumcheck || !isResult(row.oursSumcheck) || !isResult(row.ezkl)) return [];
    const o = row.oursSumcheck, e = row.ezkl;
    return [{ model: row.model, time: e.proveSeconds / o.proveSeconds, memory: o.provePeakMB && e.provePeakMB ? e.provePeakMB / o.provePeakMB : null }];
  });
}

export function renderEzklMarkdown(r: EzklRun): string {
  const m = r.machine;
  return [
    "# zkml-hardhat beside EZKL",
    "",
    `Measured ${r.started.slice(0, 10)} on ${m.cpus} cores (${m.cpuModel}), ${m.memoryGB} GB, Node ${m.node}, EZKL ${r.ezklVersion ?? "?"} (PyPI), with \`npx hardhat bench --ezkl\`.`,
    "Both prove the model's default input with every value public (EZKL: input public, params fixed, output public;",
    "zkml-hardhat: OPEN_VISIBILITY, Groth16, native prover), and ours again with the same public values but the input packed",
    "(31 pixels to a field element: fewer public signals, which a Groth16 verifier pays about 7k gas each for), and with the",
    "sumcheck system (no circuit; the weights committed once, its setup the commitment; no Solidity verifier yet, so no gas; not",
    "yet zero knowledge). Each stage ran in a process of its own; peak memory is that process's.",
    "EZKL's SRS is generated locally (gen-srs, its test-only path); our ptau is the cached development one. Error: the",
    "largest difference between a side's outputs and the float model's.",
    "",
    "| model / side | circuit | setup | prove | verify | proof bytes | verifyProof gas | verifier deploy gas / runtime | max error | float's class |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...r.rows.flatMap((row) => [
      cells(`${row.model}: zkml-hardhat, every value public`, row.ours),
      ...(row.oursPacked ? [cells(`${row.model}: zkml-hardhat, the input packed`, row.oursPacked)] : []),
      ...(row.oursSumcheck ? [cells(`${row.model}: zkml-hardhat sumcheck, the weights committed`, row.oursSumcheck)] : []),
      cells(`${row.model}: EZKL`, row.ezkl),
    ]),
    "",
    ...ezklRatios(r).map((x) => `- ${x.model}: EZKL's proving takes ${x.time.toFixed(1)}x our time${x.memory === null ? "" : ` and ${x.memory.toFixed(1)}x our peak memory`}.`),
    ...sumcheckRatios(r).map((x) => `- ${x.model}: EZKL's proving takes ${x.time.toFixed(0)}x the sumcheck system's time${x.memory === null ? "" : ` and ${x.memory.toFixed(1)}x its peak memory`}.`),
    "",
    "Gas: a real verifyProof transaction on Hardhat's in-process EVM (its configured hardfork), each side's verifier compiled by solc-js 0.8.30",
    "(optimizer on, 200 runs); EZKL's is the Halo2Verifier its create-evm-verifier writes, called with the calldata its encode-evm-calldata makes.",
    "A flag says where a limit (EIP-170's 24,576-byte contract, the per-transaction gas cap) had to be lifted to measure: such a verifier cannot be deployed to Ethereum as it is.",
    ...r.rows.flatMap((row) => (isResult(row.ezkl) && row.ezkl.gasNote ? [`${row.model}: ${row.ezkl.gasNote}.`] : [])),
    "",
  ].join("\n");
}

export function ezklSummary(r: EzklRun): string[] {
  return [
    ...ezklRatios(r).map((x) => `${x.model}: EZKL proves in ${x.time.toFixed(1)}x our time${x.memory === null ? "" : `, ${x.memory.toFixed(1)}x our peak memory`}`),
    ...sumcheckRatios(r).map((x) => `${x.model}: EZKL proves in ${x.time.toFixed(0)}x the sumcheck system's time${x.memory === null ? "" : `, ${x.memory.toFixed(1)}x its peak memory`}`),
  ];
}
