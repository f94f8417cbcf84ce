/**
 * The throughput benchmark's reports (data: src/bench/throughput.ts): a markdown page and the terminal's summary.
 */
import { formatSeconds } from "../queue/progress";
import { ARENA_ROUND, ThroughputRun } from "../bench/throughput";

const n1 = (x: number) => x.toFixed(1);
const int = (x: number) => Math.round(x).toLocaleString("en-US");

export function renderThroughputMarkdown(r: ThroughputRun): string {
  const m = r.machine;
  const lines = [
    `# Proof throughput: ${r.model} through the proof queue`,
    "",
    `Measured ${r.started.slice(0, 10)} on ${m.cpus} cores (${m.cpuModel}), ${m.memoryGB} GB, Node ${m.node}, with \`npx hardhat bench --throughput\`.`,
    "Each case: an empty queue on a private redis-server, its workers (`npx hardhat prove-worker`, one process each) waiting, then",
    "jobs of fresh random inputs submitted at once; the clock stops when the last is done.",
    r.cases.every((c) => c.allVerified)
      ? "Every proof was verified by its worker and its public signals matched the reference interpreter."
      : `NOT every proof verified and matched the reference: ${r.cases.filter((c) => !c.allVerified).map((c) => `${c.statement} with ${c.workers} worker(s)`).join(", ")}.`,
    "",
    "| statement | workers | jobs | seconds | proofs a minute | inferences a minute | median prove stage | median job |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...r.cases.map((c) => `| ${c.statement} | ${c.workers} | ${c.jobs} | ${n1(c.seconds)} | ${n1(c.proofsPerMinute)} | ${n1(c.inferencesPerMinute)} | ${c.medianProveSeconds === null ? "-" : `${c.medianProveSeconds.toFixed(2)} s`} | ${c.medianJobSeconds.toFixed(2)} s |`),
    "",
    `## One AI Arena round: ${int(ARENA_ROUND.inferences)} inferences in ${formatSeconds(ARENA_ROUND.seconds)}`,
    "",
    "| statement | workers a machine | inferences a minute a machine | a round on one machine | machines for a round in a round |",
    "|---|---:|---:|---:|---:|",
    ...r.projection.map((p) => `| ${p.statement} | ${p.workers} | ${n1(p.inferencesPerMinute)} | ${formatSeconds(p.roundSecondsOneMachine)} | ${int(p.machines)} |`),
    "",
    `A machine here is this one (${m.cpus} cores); machines add up because workers share nothing but Redis and the artifact store.`,
    "",
  ];
  return lines.join("\n");
}

export function throughputSummary(r: ThroughputRun): string[] {
  return [
    ...r.cases.map((c) => `${c.statement}, ${c.workers} worker(s): ${n1(c.proofsPerMinute)} proofs a minute, ${n1(c.inferencesPerMinute)} inferences a minute`),
    ...r.projection.map((p) => `AI Arena round (${int(ARENA_ROUND.inferences)} inferences, ${formatSeconds(ARENA_ROUND.seconds)}), ${p.statement}: ${formatSeconds(p.roundSecondsOneMachine)} on one machine; ${int(p.machines)} machines for a round in a round`),
  ];
}
