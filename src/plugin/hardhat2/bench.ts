/**
 * `npx hardhat bench` in Hardhat 2: its options; the action (../actions/bench.ts) is shared with Hardhat 3.
 */
import { task, types } from "hardhat/config";
import { BenchArgs, benchAction } from "../actions/bench";
import { boundary } from "./common";
import { hardhat2Host } from "./deploy";

task("bench", "Benchmark paper0's suites (or any models) through the whole pipeline: each stage in its own process, seconds and peak memory, constraints, proof size and verification gas, beside paper0's figures")
  .addOptionalParam("suite", "parameter, depth, zoo, or a comma-separated list of models (built-in names, paper0/<network>, paths)", "depth", types.string)
  .addOptionalParam("systems", "Comma-separated proof systems: groth16, plonk, fflonk, sumcheck (--throughput too: sumcheck proves --batch inferences a job, the weights committed)", "groth16", types.string)
  .addOptionalParam("weights", "fixed (circuit constants), hashed (private, bound by a public Poseidon commitment) or private (unbound: paper0's own statement, the like-for-like series)", "fixed", types.string)
  .addOptionalParam("input", "public (default) or private (the sumcheck system: the input committed in each proof, range-checked there)", "public", types.string)
  .addOptionalParam("prover", "Groth16's prover: native (default) or snarkjs", undefined, types.string)
  .addOptionalParam("maxConstraints", "Skip (and record why) every circuit with more constraints than this, by the exact constraint formula (default 4,000,000)", undefined, types.int)
  .addOptionalParam("repeat", "Measure each network this many times (the reports show medians)", 1, types.int)
  .addOptionalParam("out", "Folder for results.json (appended to, so a stopped run resumes) and the reports (default build/bench)", undefined, types.string)
  .addFlag("force", "Measure again what results.json already holds")
  .addFlag("reportOnly", "Only write the reports from results.json")
  .addFlag("throughput", "Instead: proofs a minute through the proof queue (--model, --batch, --jobs, --workers), and the machines one AI Arena round needs")
  .addOptionalParam("model", "--throughput: the model", "mlp-mnist", types.string)
  .addOptionalParam("batch", "--throughput: also measure a batch statement of this many inferences a proof", undefined, types.int)
  .addOptionalParam("jobs", "--throughput: jobs a case", 24, types.int)
  .addOptionalParam("workers", "--throughput: comma-separated worker counts to measure", "1,2", types.string)
  .addOptionalParam("redis", "--throughput: a Redis URL to use (default: a private redis-server started for the run)", undefined, types.string)
  .addFlag("ezkl", "Instead: EZKL beside us on --models (setup, prove, verify, memory, proof size, accuracy); needs EZKL for --python (scripts/ezkl/requirements.txt)")
  .addOptionalParam("python", "--ezkl: the Python that has EZKL installed", "python3", types.string)
  .addOptionalParam("models", "--ezkl: comma-separated models", "mlp-mnist,lenet5", types.string)
  .setAction(async (args: BenchArgs, hre) => boundary(async () => benchAction(args, hardhat2Host(hre))));
