/**
 * Writes test/fixtures/gas/<model>-<system>-<input>-<weights>-<output>.json: a real proof of the model's default
 * input under a statement (default: the default statement; --input, --weights, --output as the tasks take them),
 * with its verification key, so the gas-budget tests can check lenet5 and mlp-mnist verifiers on chain without running setups that take
 * minutes (lenet5's Groth16 setup) to hours (its PLONK setup). The proofs come from the prove-model pipeline.
 *
 * With --contracts it also writes contracts/fixtures/<Name>.sol: the inference contract and, per proof, the
 * verifier and consumer rendered from it. Hardhat compiles them as ordinary artifacts, so test/contracts.test.ts
 * deploys them with getContractFactory and hardhat-gas-reporter (REPORT_GAS=true) names their methods. Only for
 * models whose contracts fit EIP-170 (tiny-cnn); test/contracts.test.ts checks they are what the renderers give.
 *
 *   npx ts-node --transpile-only scripts/gas-fixtures.ts --model lenet5 --systems groth16
 *   npx ts-node --transpile-only scripts/gas-fixtures.ts --model test/fixtures/tiny-cnn.json --systems groth16 --contracts
 */
import * as path from "path";
import { collectProofs, DEFAULT_CIRCUIT, gasSubject, renderGasContracts } from "../src/evm/compare";
import { parseVisibility } from "../src/statement/visibility";
import { stringifyBig, writeFileAtomic } from "../src/core/files";
import { Paths } from "../src/core/paths";
import { parseSystem } from "../src/systems/registry";
import { resolveModel } from "../src/model/zoo";

async function main() {
  const arg = (k: string, d?: string) => {
    const i = process.argv.indexOf(`--${k}`);
    return i >= 0 ? process.argv[i + 1] : d;
  };
  const model = resolveModel(arg("model")!);
  const systems = arg("systems", "groth16")!.split(",").map((s) => parseSystem(s, "--systems"));
  const root = path.join(__dirname, "..");
  const paths = new Paths(root);
  // a fixture is the verifier's cost under an unbound statement (its file names no context); what binding a proof
  // to its submitter adds, test/binding.test.ts measures
  const visibility = parseVisibility({ input: arg("input"), weights: arg("weights"), output: arg("output"), context: "none" }, (k) => `--${k}`);
  const circuit = { ...DEFAULT_CIRCUIT, visibility };
  const proofs = await collectProofs({ root, model, systems, circuit, log: (m) => process.stderr.write(`${m}\n`) });
  const written: string[] = [];
  for (const p of proofs) {
    const file = paths.get({ kind: "gasFixture", model: model.name, system: p.system, visibility });
    writeFileAtomic(file, stringifyBig({ model: model.name, made: "scripts/gas-fixtures.ts with a development ptau", visibility, ...p }) + "\n");
    written.push(file);
  }
  if (process.argv.includes("--contracts")) {
    // named "Fixture...", so they never clash with the contracts prove-model writes for the same model
    const g = renderGasContracts({ ...model, name: `fixture-${model.name}` }, [{ subject: await gasSubject(model, circuit), proofs }]);
    for (const contract of [g.naive.contract, ...g.names.flatMap((n) => [n.verifier, n.consumer])]) {
      const file = paths.get({ kind: "fixtureSol", contract });
      writeFileAtomic(file, g.sources[`${contract}.sol`]);
      written.push(file);
    }
  }
  for (const f of written) process.stderr.write(`wrote ${path.relative(root, f)}\n`);
  process.exit(0);
}
main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
