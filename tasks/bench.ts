/**
 * `npx hardhat bench`: parse arguments, run the harness (src/bench/harness.ts) with an in-process EVM for verification gas,
 * write the reports (src/report/bench.ts), print where they are.
 */
import * as fs from "fs";
import * as path from "path";
import { task, types } from "hardhat/config";
import { ZkmlError } from "../src/core/errors";
import { boundary, say } from "./common";
import { gasChains } from "./chains";

interface Args {
  suite: string;
  systems: string;
  weights: string;
  maxConstraints?: number;
  repeat: number;
  out: string;
  force: boolean;
  reportOnly: boolean;
}

task("bench", "Benchmark paper0's suites (or any models) through the whole pipeline: each stage in its own process, seconds and peak memory, constraints, proof size and verification gas, beside paper0's figures")
  .addOptionalParam("suite", "parameter, depth, zoo, or a comma-separated list of models (built-in names, paper0/<network>, paths)", "depth", types.string)
  .addOptionalParam("systems", "Comma-separated proof systems: groth16, plonk, fflonk", "groth16", types.string)
  .addOptionalParam("weights", "fixed (circuit constants) or hashed (private, bound by a public Poseidon commitment: paper0's statement plus the binding)", "fixed", types.string)
  .addOptionalParam("maxConstraints", "Skip (and record why) every circuit with more constraints than this, by the exact constraint formula (default 4,000,000)", undefined, types.int)
  .addOptionalParam("repeat", "Measure each network this many times (the reports show medians)", 1, types.int)
  .addOptionalParam("out", "Folder for results.json (appended to, so a stopped run resumes) and the reports", "build/bench", types.string)
  .addFlag("force", "Measure again what results.json already holds")
  .addFlag("reportOnly", "Only write the reports from results.json")
  .setAction(async (args: Args, hre) =>
    boundary(async () => {
      const { DEFAULT_MAX_CONSTRAINTS, runBench, readBenchFile, resultsFile } = await import("../src/bench/harness");
      const { benchView, renderBenchHtml, renderBenchMarkdown } = await import("../src/report/bench");
      const { parseSystem } = await import("../src/snark/systems");
      const { writeFileAtomic } = await import("../src/core/files");
      const root = hre.config.paths.root;
      const out = path.resolve(root, args.out);
      if (args.weights !== "fixed" && args.weights !== "hashed")
        throw new ZkmlError("OPTION_INVALID", `--weights: expected fixed or hashed, got "${args.weights}"`, { hint: "--weights private proves nothing about which model ran; the bench measures fixed and hashed" });
      const systems = [...new Set(args.systems.split(",").map((s) => parseSystem(s.trim(), "--systems")))];
      if (!args.reportOnly) {
        const { compileSolidity } = await import("../src/evm/solc");
        const { measureVerifier } = await import("../src/evm/gas");
        const { proofForVerifier, readProofFiles } = await import("../src/evm/compare");
        const chains = await gasChains(hre, hre.config.zkml.blockGasLimit);
        await runBench({
          root,
          suite: args.suite,
          systems,
          weights: args.weights,
          maxConstraints: args.maxConstraints ?? DEFAULT_MAX_CONSTRAINTS,
          repeat: args.repeat,
          out,
          force: args.force,
          log: say,
          measureVerifyGas: async (system, sol, contract, proofFile, publicFile) => {
            const compiled = compileSolidity({ [`${contract}.sol`]: fs.readFileSync(sol, "utf8") }).get(contract);
            if (!compiled) throw new ZkmlError("SOLIDITY_FAILED", `solc produced no contract ${contract}`, { file: sol });
            const p = await proofForVerifier(system, ...readProofFiles(proofFile, publicFile));
            return measureVerifier(chains, system, { name: contract, ...compiled }, p.proof, p.publicSignals);
          },
        });
      }
      const view = benchView(readBenchFile(resultsFile(out)));
      writeFileAtomic(path.join(out, "report.md"), renderBenchMarkdown(view));
      writeFileAtomic(path.join(out, "report.html"), renderBenchHtml(view));
      say(`results: ${path.relative(root, resultsFile(out))}`);
      say(`reports: ${path.relative(root, path.join(out, "report.md"))}, ${path.relative(root, path.join(out, "report.html"))}`);
      return view;
    }),
  );
