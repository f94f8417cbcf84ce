/**
 * Writes test/fixtures/gas/<model>-<system>.json: a real proof of the model's default input with its verification
 * key, so the gas-budget tests can check lenet5 and mlp-mnist verifiers on chain without running setups that take
 * minutes (lenet5's Groth16 setup) to hours (its PLONK setup). The proofs come from the prove-model pipeline.
 *
 *   npx ts-node --transpile-only scripts/gas-fixtures.ts --model lenet5 --systems groth16
 */
import * as path from "path";
import { collectProofs } from "../src/compare";
import { stringifyBig, writeFileAtomic } from "../src/fsutil";
import { parseSystem } from "../src/systems";
import { resolveModel } from "../src/zoo";

async function main() {
  const arg = (k: string, d?: string) => {
    const i = process.argv.indexOf(`--${k}`);
    return i >= 0 ? process.argv[i + 1] : d;
  };
  const model = resolveModel(arg("model")!);
  const systems = arg("systems", "groth16")!.split(",").map((s) => parseSystem(s, "--systems"));
  const root = path.join(__dirname, "..");
  const proofs = await collectProofs({ root, model, systems, log: (m) => process.stderr.write(`${m}\n`) });
  for (const p of proofs) {
    const file = path.join(root, "test", "fixtures", "gas", `${model.name.replace(/[^A-Za-z0-9]+/g, "_")}-${p.system}.json`);
    writeFileAtomic(file, stringifyBig({ model: model.name, made: "scripts/gas-fixtures.ts with a development ptau", ...p }) + "\n");
    process.stderr.write(`wrote ${path.relative(root, file)}\n`);
  }
  process.exit(0);
}
main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
