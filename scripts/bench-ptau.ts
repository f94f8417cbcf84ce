/**
 * Powers of tau, the snarkjs command line against zkml-hardhat's development path: seconds and peak memory per
 * power, each measured in its own process. Writes docs/benchmarks/ptau.json and ptau.md.
 *   npx ts-node --transpile-only scripts/bench-ptau.ts --powers 12,14,16,18,20 --cli 12,14
 * The command-line path is `powersoftau new`, `contribute`, `prepare phase2` (its peak is the largest of the three).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runStage } from "../src/pipeline/runner";
import { writeFileAtomic } from "../src/core/files";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1].split(",").map(Number) : [];
};

interface Row {
  power: number;
  path: "zkml-hardhat" | "snarkjs-cli";
  seconds: number;
  peakMB: number;
  steps?: { step: string; seconds: number; peakMB: number }[];
}

function timed(args: string[]): { seconds: number; peakMB: number } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr.slice(-500)}`);
  const [s, kb] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { seconds: s, peakMB: kb / 1024 };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ptau-"));
  const rows: Row[] = [];
  try {
    for (const p of arg("powers")) {
      const m = await runStage("ptau", { file: path.join(dir, `dev${p}.ptau`), power: p });
      rows.push({ power: p, path: "zkml-hardhat", seconds: m.seconds, peakMB: m.peakMB });
      console.log(`2^${p} zkml-hardhat: ${m.seconds.toFixed(1)} s, ${m.peakMB.toFixed(0)} MB`);
      fs.rmSync(path.join(dir, `dev${p}.ptau`));
    }
    const cli = path.join(__dirname, "..", "node_modules", "snarkjs", "build", "cli.cjs");
    for (const p of arg("cli")) {
      const f = (s: string) => path.join(dir, `cli${p}-${s}.ptau`);
      const steps = [
        { step: "new", ...timed([cli, "powersoftau", "new", "bn128", String(p), f("0")]) },
        { step: "contribute", ...timed([cli, "powersoftau", "contribute", f("0"), f("1"), "--name=bench", "-e=bench entropy"]) },
        { step: "prepare phase2", ...timed([cli, "powersoftau", "prepare", "phase2", f("1"), f("2")]) },
      ];
      const row: Row = { power: p, path: "snarkjs-cli", seconds: steps.reduce((a, s) => a + s.seconds, 0), peakMB: Math.max(...steps.map((s) => s.peakMB)), steps };
      rows.push(row);
      console.log(`2^${p} snarkjs CLI: ${row.seconds.toFixed(1)} s, ${row.peakMB.toFixed(0)} MB (${steps.map((s) => `${s.step} ${s.seconds.toFixed(1)} s`).join(", ")})`);
      for (const s of ["0", "1", "2"]) fs.rmSync(f(s), { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const out = path.join(__dirname, "..", "docs", "benchmarks");
  fs.mkdirSync(out, { recursive: true });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, date: new Date().toISOString() };
  const file = path.join(out, "ptau.json");
  const prev: Row[] = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")).rows as Row[]) : [];
  const merged = [...prev.filter((r) => !rows.some((n) => n.power === r.power && n.path === r.path)), ...rows].sort((a, b) => a.power - b.power || a.path.localeCompare(b.path));
  writeFileAtomic(file, JSON.stringify({ machine, rows: merged }, null, 1) + "\n");
  const md = [
    "# Powers of tau: snarkjs command line against zkml-hardhat's development path",
    "",
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGB} GiB, Node ${machine.node}. Regenerate: \`npx ts-node --transpile-only scripts/bench-ptau.ts --powers 12,14,16,18,20 --cli 12,14\`.`,
    "Both produce a phase-2-ready file with one contribution that `snarkjs powersoftau verify` accepts. Peak memory is the process's maximum resident set.",
    "",
    "| power | zkml-hardhat s | MB | snarkjs CLI s | MB | speed-up |",
    "|---:|---:|---:|---:|---:|---:|",
    ...[...new Set(merged.map((r) => r.power))].map((p) => {
      const a = merged.find((r) => r.power === p && r.path === "zkml-hardhat");
      const b = merged.find((r) => r.power === p && r.path === "snarkjs-cli");
      const c = (r?: Row) => (r ? `${r.seconds.toFixed(1)} | ${r.peakMB.toFixed(0)}` : "not run | ");
      return `| 2^${p} | ${c(a)} | ${c(b)} | ${a && b ? `${(b.seconds / a.seconds).toFixed(0)}x` : ""} |`;
    }),
    "",
  ].join("\n");
  writeFileAtomic(path.join(out, "ptau.md"), md);
  console.log(md);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
