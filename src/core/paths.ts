/**
 * Every artifact path comes from here.
 *
 * Layout under the build root (default `<project>/build`, all of it generated and git-ignored):
 *   ptau/pot<power>.ptau                         local development powers of tau, cached by power
 *   ptau/powersOfTau28_hez_final_<nn>.ptau       published ceremony files fetched on request (--download-ptau)
 *   ptau/hashes.json                             BLAKE2b-512 of ptau files already checked, by path, size, mtime, ctime, inode
 *   ptau/pot<power>.ptau.sha256.json             a development ptau's content hash, recorded when it was made
 *   circuits/<circuit>/                          one folder per circuit; <circuit> = <model>-<hash of IR and options>
 *     main.circom   compile.json   circom/main.r1cs  circom/main.sym  circom/main_js/main.wasm
 *     (direct backend: ir.json  compile.json  circom/main.r1cs, no wasm: src/backends/r1cs/lower.ts computes witnesses)
 *     groth16/circuit.zkey  groth16/verification_key.json  groth16/setup.json
 *     runs/<input hash>/input.json  witness.wtns  <system>-proof.json  <system>-public.json
 *     (an IR system, sumcheck: ir.json  sumcheck/model.bin  [sumcheck/model.commitment, or with --zk
 *     sumcheck/model-hiding.commitment and its secret model-hiding.secret]  runs/<input hash>/sumcheck-proof.bin  sumcheck-public.json;
 *     no r1cs, no key)
 *   bench/results.json  bench/report.md ...      the benchmark (bench --out elsewhere); bench/ezkl-work/ EZKL's files
 *   queue/<job>/input.json  queue/<job>/result.json  a proof-queue job's input and result
 * The Solidity verifier and consumer go to contracts/generated/<Model><System>{Verifier,Consumer}_<circuit hash>.sol,
 * named per circuit, so that `hardhat compile` sees them and two statements of a model never share one.
 * deploy-verifier records each deployment in deployments/<network>/<circuit>-<system>.json (localhost and hardhat
 * ones are git-ignored; testnet records are meant to be committed).
 * Committed fixtures (small, made by scripts/gas-fixtures.ts): test/fixtures/gas/<model>-<system>.json, a real proof
 * with its verification key, and for small models contracts/fixtures/<Name>.sol, the contracts rendered from it,
 * which Hardhat compiles so that contract tests and hardhat-gas-reporter see them as artifacts.
 */
import * as fs from "fs";
import * as path from "path";

/**
 * This package's own folder (models/, data/, native/): the nearest folder above this file whose package.json is
 * zkml-hardhat's. Found, not assumed one level up, because stages also run from a transpiled copy of src/ under
 * build/worker/ (see workerDir).
 */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

function findPackageRoot(from: string): string {
  for (let d = from; ; d = path.dirname(d)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")) as { name?: string }).name === "zkml-hardhat") return d;
    } catch {
      /* no package.json here */
    }
    if (path.dirname(d) === d) return path.join(from, "..");
  }
}

/** The stage worker's JavaScript, transpiled from src/ once per version of the sources (src/pipeline/runner.ts). */
export function workerDir(sourcesHash: string): string {
  return path.join(PACKAGE_ROOT, "build", "worker", sourcesHash);
}

export type Artifact =
  | { kind: "ptau"; power: number }
  | { kind: "ptauHashes" }
  | { kind: "ptauSecrets"; ptau: string }
  | { kind: "ptauDigest"; ptau: string }
  | { kind: "circuitDir"; circuit: string }
  | { kind: "circom"; circuit: string }
  | { kind: "ir"; circuit: string }
  | { kind: "quantized"; key: string }
  | { kind: "compileDir"; circuit: string }
  | { kind: "r1cs"; circuit: string }
  | { kind: "sym"; circuit: string }
  | { kind: "wasm"; circuit: string }
  | { kind: "compileMeta"; circuit: string }
  | { kind: "zkey"; circuit: string; system: ProofSystem }
  | { kind: "vkey"; circuit: string; system: ProofSystem }
  | { kind: "setupMeta"; circuit: string; system: ProofSystem }
  | { kind: "runDir"; circuit: string; run: string }
  | { kind: "input"; circuit: string; run: string }
  | { kind: "witness"; circuit: string; run: string }
  | { kind: "proof"; circuit: string; run: string; system: ProofSystem }
  | { kind: "public"; circuit: string; run: string; system: ProofSystem }
  | { kind: "proofBytes"; circuit: string; run: string; system: ProofSystem }
  | { kind: "systemModel"; circuit: string; system: ProofSystem }
  | { kind: "modelCommitment"; circuit: string; system: ProofSystem; hiding?: boolean; kzg?: boolean }
  | { kind: "modelSecret"; circuit: string; system: ProofSystem }
  | { kind: "kzgSetup"; circuit: string; system: ProofSystem }
  | { kind: "kzgModel"; circuit: string; system: ProofSystem }
  | { kind: "verifierSol"; contract: string }
  | { kind: "irVerifierSol"; circuit: string; system: ProofSystem; contract: string }
  | { kind: "fixtureSol"; contract: string }
  | { kind: "gasFixture"; model: string; system: ProofSystem; visibility: { input: string; weights: string; output: string } }
  | { kind: "deployment"; network: string; circuit: string; system: ProofSystem; kzg?: boolean }
  | { kind: "benchDir" }
  | { kind: "ezklWork" }
  | { kind: "queueInput"; job: string }
  | { kind: "queueResult"; job: string };

/** The systems that prove a circuit's R1CS after a setup (src/systems/system.ts CircuitSystem). */
export type CircuitProtocol = "groth16" | "plonk" | "fflonk";
export type ProofSystem = CircuitProtocol | "sumcheck";

/** circom's name for the main file; one fixed name keeps the wasm path predictable. */
export const MAIN = "main";

export class Paths {
  constructor(
    readonly root: string,
    readonly buildDir: string = path.join(root, "build"),
  ) {}

  get(a: Artifact): string {
    const c = (circuit: string) => path.join(this.buildDir, "circuits", circuit);
    switch (a.kind) {
      case "ptau":
        return path.join(this.buildDir, "ptau", `pot${a.power}.ptau`);
      case "ptauHashes":
        return path.join(this.buildDir, "ptau", "hashes.json");
      case "ptauSecrets":
        // beside the development ptau it belongs to (src/setup/ptau.ts keepSecrets)
        return `${a.ptau}.secrets.json`;
      case "ptauDigest":
        // the content hash of a development ptau, recorded when it was made and checked whenever it is reused
        return `${a.ptau}.sha256.json`;
      case "circuitDir":
        return c(a.circuit);
      case "circom":
        return path.join(c(a.circuit), `${MAIN}.circom`);
      case "ir":
        return path.join(c(a.circuit), "ir.json");
      case "quantized":
        // a model's quantization, kept by the model's content, the options and the quantizer's code (pipeline/quantized.ts)
        return path.join(this.buildDir, "quantized", `${a.key}.json`);
      case "compileDir":
        return path.join(c(a.circuit), "circom");
      case "r1cs":
        return path.join(c(a.circuit), "circom", `${MAIN}.r1cs`);
      case "sym":
        return path.join(c(a.circuit), "circom", `${MAIN}.sym`);
      case "wasm":
        return path.join(c(a.circuit), "circom", `${MAIN}_js`, `${MAIN}.wasm`);
      case "compileMeta":
        return path.join(c(a.circuit), "compile.json");
      case "zkey":
        return path.join(c(a.circuit), a.system, "circuit.zkey");
      case "vkey":
        return path.join(c(a.circuit), a.system, "verification_key.json");
      case "setupMeta":
        return path.join(c(a.circuit), a.system, "setup.json");
      case "runDir":
        return path.join(c(a.circuit), "runs", a.run);
      case "input":
        return path.join(c(a.circuit), "runs", a.run, "input.json");
      case "witness":
        return path.join(c(a.circuit), "runs", a.run, "witness.wtns");
      case "proof":
        return path.join(c(a.circuit), "runs", a.run, `${a.system}-proof.json`);
      case "public":
        return path.join(c(a.circuit), "runs", a.run, `${a.system}-public.json`);
      case "systemModel":
        // the model in an IR system's own form (its prover reads it, not the JSON IR)
        return path.join(c(a.circuit), a.system, "model.bin");
      case "modelCommitment":
        // an IR system's one-off commitment to the weights (committed weights: what a deployment publishes); a
        // hiding one (zero-knowledge proofs) beside it, never mistaken for the other
        // and a KZG one (--pcs kzg: one point, under the setup's tau)
        return path.join(c(a.circuit), a.system, a.hiding ? "model-hiding.commitment" : a.kzg ? "model-kzg.commitment" : "model.commitment");
      case "kzgSetup":
        // --pcs kzg: the powers of tau its commitments and proofs were made under (file, origin, trust), which a
        // deployment reads for the verifier key and the forgeability check
        return path.join(c(a.circuit), a.system, "kzg-setup.json");
      case "kzgModel":
        // the prover's form of the KZG commitment (it and the model's fold tables: a proof skips remaking them)
        return path.join(c(a.circuit), a.system, "model-kzg.prover");
      case "modelSecret":
        // the hiding commitment's blinders: the model owner's, never published (the prover needs them)
        return path.join(c(a.circuit), a.system, "model-hiding.secret");
      case "proofBytes":
        // a proof that is bytes, not JSON (the sumcheck system's)
        return path.join(c(a.circuit), "runs", a.run, `${a.system}-proof.bin`);
      case "irVerifierSol":
        // an IR system's verifier source: under build/, not contracts/ (it needs solc's viaIR, which the project's
        // Hardhat compile does not use; deploy-verifier compiles it itself)
        return path.join(c(a.circuit), a.system, `${a.contract}.sol`);
      case "verifierSol":
        return path.join(this.root, "contracts", "generated", `${a.contract}.sol`);
      case "fixtureSol":
        return path.join(this.root, "contracts", "fixtures", `${a.contract}.sol`);
      case "deployment":
        return path.join(this.root, "deployments", a.network, `${a.circuit}-${a.system}${a.kzg ? "-kzg" : ""}.json`);
      case "benchDir":
        // bench's results.json and reports when --out is not given
        return path.join(this.buildDir, "bench");
      case "ezklWork":
        // EZKL's keys, SRS and proofs for bench --ezkl: large, never next to the reports
        return path.join(this.buildDir, "bench", "ezkl-work");
      case "queueInput":
        return path.join(this.buildDir, "queue", a.job, "input.json");
      case "queueResult":
        return path.join(this.buildDir, "queue", a.job, "result.json");
      case "gasFixture":
        return path.join(this.root, "test", "fixtures", "gas", `${a.model.replace(/[^A-Za-z0-9]+/g, "_")}-${a.system}-${a.visibility.input}-${a.visibility.weights}-${a.visibility.output}.json`);
      default: {
        const never: never = a;
        throw new Error(`unknown artifact ${JSON.stringify(never)}`);
      }
    }
  }
}

/**
 * The inverse of the `runDir` artifact: the build folder, circuit and run a run folder's path names, or
 * undefined when `dir` is not laid out as one (so callers never rebuild the layout by hand).
 */
export function runDirOf(dir: string): { buildDir: string; circuit: string; run: string } | undefined {
  const abs = path.resolve(dir);
  const run = path.basename(abs);
  const circuitDir = path.dirname(path.dirname(abs));
  const buildDir = path.dirname(path.dirname(circuitDir));
  const found = { buildDir, circuit: path.basename(circuitDir), run };
  return new Paths(buildDir, buildDir).get({ kind: "runDir", circuit: found.circuit, run }) === abs ? found : undefined;
}
