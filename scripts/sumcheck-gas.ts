/**
 * Measures the sumcheck system's Solidity verifier on real proofs (src/systems/sumcheck/solidity/gas.ts) for each
 * model, on Hardhat's in-process chain raised past the per-transaction cap (so a verifier past it is measured and
 * named, not just refused), and writes docs/benchmarks/sumcheck-onchain/gas.{json,md}. Until compare-gas takes
 * --system sumcheck (issue 28), this is the command behind the figures in docs/design/sumcheck.md:
 *
 *   MODELS=mlp-mnist,paper0/FC_3_layers npx hardhat run scripts/sumcheck-gas.ts
 *
 * A model with an op the Solidity side does not take yet (a conv: lenet5) is listed as refused with the reason.
 */
import * as path from "path";
import * as fs from "fs";
import hre from "hardhat";
import { BrowserProvider } from "ethers";
import { gasChains } from "../src/plugin/hardhat2/chains";
import { calibrationFor, defaultInput, resolveModel } from "../src/model/zoo";
import { DEFAULT_QUANT, quantize, quantizeInput } from "../src/quantize/quantize";
import { measureSumcheckGas, sumcheckGasMarkdown, SumcheckGasRow } from "../src/systems/sumcheck/solidity/gas";
import { MEASURE_GAS_LIMIT } from "../src/evm/chain";
import { isZkmlError } from "../src/core/errors";

async function main() {
  const models = (process.env.MODELS ?? "mlp-mnist,lenet5,paper0/FC_3_layers,paper0/FC_5_layers").split(",");
  const out = process.env.OUT ?? path.join(__dirname, "..", "docs", "benchmarks", "sumcheck-onchain");
  const { raised } = await gasChains(hre, 30_000_000);
  const signer = await new BrowserProvider(raised.provider).getSigner();
  const rows: SumcheckGasRow[] = [];
  const refused: { model: string; reason: string }[] = [];
  for (const name of models) {
    const m = resolveModel(name);
    const q = quantize(m, { ...DEFAULT_QUANT, calibration: calibrationFor(m) });
    const x = quantizeInput(q, defaultInput(m).values, "default input");
    try {
      const row = await measureSumcheckGas({ ...q, name }, x, signer, MEASURE_GAS_LIMIT);
      rows.push(row);
      console.error(`${name}: ${row.gas === null ? "out of the measuring limit" : row.gas.toLocaleString("en-US")} gas`);
    } catch (e) {
      if (!isZkmlError(e)) throw e;
      refused.push({ model: name, reason: e.message });
      console.error(`${name}: refused (${e.message})`);
    }
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "gas.json"), JSON.stringify({ measured: new Date().toISOString(), rows, refused }, null, 2) + "\n");
  fs.writeFileSync(path.join(out, "gas.md"), `# The sumcheck verifier on-chain (committed weights, public input and output)\n\nMeasured by \`MODELS=${models.join(",")} npx hardhat run scripts/sumcheck-gas.ts\` on Hardhat's in-process chain (a mined transaction's gasUsed).\n\n${sumcheckGasMarkdown(rows, refused)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
