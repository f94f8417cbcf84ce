/**
 * Compile one model with one backend and print a line: seconds, constraints, wires and this process's peak
 * resident memory. Run it once per model and backend (one process each, so the peak is that compile's):
 *
 *   /usr/bin/time -f "%e s, %M KB" npx ts-node --transpile-only scripts/bench-compile.ts direct paper0/FC_18252933_params
 *   /usr/bin/time -f "%e s, %M KB" npx ts-node --transpile-only scripts/bench-compile.ts circom lenet5
 *
 * The wall time printed by /usr/bin/time includes building the model (paper0's seeded weights) and quantizing
 * it; the line printed here splits quantize from compile. The issue 6 harness (`npx hardhat bench`) will replace it.
 */
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import { renderCircuit } from "../src/backends/circom/render";
import { buildDirect } from "../src/backends/r1cs/lower";
import { compileCircom } from "../src/backends/circom/compile";
import { resolveModel } from "../src/model/zoo";
import { quantizeFor } from "../src/quantize/quantize";

async function main() {
  const [backend, name] = process.argv.slice(2);
  if ((backend !== "direct" && backend !== "circom") || !name) throw new Error("usage: bench-compile.ts direct|circom <model>");
  const t0 = Date.now();
  const q = quantizeFor(resolveModel(name));
  const t1 = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-bench-"));
  try {
    let constraints: number, wires: number;
    if (backend === "direct") {
      const r = buildDirect(q, undefined, { r1csFile: path.join(dir, "main.r1cs") });
      ({ constraints, wires } = r);
    } else {
      const file = path.join(dir, "main.circom");
      fs.writeFileSync(file, renderCircuit(q));
      const r = await compileCircom({ circom: file, outDir: path.join(dir, "out"), root: path.join(__dirname, "..") });
      ({ constraints, wires } = r);
    }
    const peak = process.resourceUsage().maxRSS / 1024;
    console.log(`${name} ${backend}: quantize ${((t1 - t0) / 1000).toFixed(2)} s, compile ${((Date.now() - t1) / 1000).toFixed(2)} s, ${constraints} constraints, ${wires} wires, peak ${peak.toFixed(0)} MB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
main().catch((e) => {
  console.log(`${process.argv[3]} ${process.argv[2]}: FAILED ${String(e.message).split("\n").slice(-2).join(" ")}`);
  process.exit(1);
});
