/**
 * Times the sumcheck system's two verifiers, side by side in one process, on a proof prove-model made (either
 * format: the version word says which). Prints the median of N runs of each, and the proof's size.
 *
 *   npx hardhat prove-model --model mlp-mnist --system sumcheck --input public --weights private --output public --zk
 *   npx ts-node --transpile-only scripts/sumcheck-verify-times.ts build/circuits/<id>/runs/<run> [N=5]
 */
import * as path from "path";
import { readIr, readProofBytes, readSumcheckPublic } from "../src/systems/sumcheck";
import { loadSumcheck } from "../src/core/native";
import { archWords, i64Bytes, sumcheckArch } from "../src/systems/sumcheck/arch";
import { verifySumcheckProof } from "../src/systems/sumcheck/verifier";

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  const [runDir, n = "5"] = process.argv.slice(2);
  if (!runDir) throw new Error("usage: sumcheck-verify-times.ts <run folder> [N]");
  const arch = sumcheckArch(readIr(path.join(runDir, "..", "..", "ir.json")));
  const pub = readSumcheckPublic(path.join(runDir, "sumcheck-public.json"));
  if (pub.model !== undefined) throw new Error("a committed model's proof: time it with its commitment (not supported here)");
  const proof = readProofBytes(path.join(runDir, "sumcheck-proof.bin"));
  const words = i64Bytes(archWords(arch));
  const [rust, ts]: number[][] = [[], []];
  for (let i = 0; i < Number(n); i++) {
    let t0 = process.hrtime.bigint();
    const v = await loadSumcheck().sumcheckVerify(words, pub.input && i64Bytes(pub.input), i64Bytes(pub.output), proof);
    rust.push(Number(process.hrtime.bigint() - t0) / 1e6);
    t0 = process.hrtime.bigint();
    const w = verifySumcheckProof(arch, pub.input, pub.output, proof);
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!v.valid || !w.valid) throw new Error(`not valid: rust ${v.reason ?? "valid"}, typescript ${w.valid ? "valid" : w.reason}`);
  }
  const version = proof[31];
  console.log(`format ${version}, ${proof.length.toLocaleString("en-US")} bytes: Rust verify ${median(rust).toFixed(1)} ms, TypeScript ${median(ts).toFixed(1)} ms (median of ${n}; ${(median(ts) / median(rust)).toFixed(1)}x)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
