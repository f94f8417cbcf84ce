/**
 * On-chain inference is the reference interpreter, bit for bit: random models rendered to Solidity (weights
 * packed in data contracts), compiled offline with the pinned solc, deployed on the in-process network, and
 * called; every output equals runIR's. Out-of-range inputs revert.
 */
import { expect } from "chai";
import { QModel, runIR } from "../src/ir";
import { renderSolidity, CHUNK_BYTES } from "../src/solidity";
import { compileAll, deployInference } from "./helpers/evm";
import { prepareModels } from "./helpers/random";
import { calibrationFor, defaultInput, resolveModel } from "../src/zoo";
import { DEFAULT_QUANT, quantize, quantizeInput } from "../src/quantize";


describe("Solidity inference = reference interpreter (property, random models)", function () {
  this.timeout(900_000);
  const BATCHES = 4;
  const PER = 25;
  for (let b = 0; b < BATCHES; b++) {
    it(`batch ${b + 1}/${BATCHES}: ${PER} random models x 3 inputs, outputs bit for bit`, async () => {
      const models = prepareModels(PER, 5000 + b);
      const bundles = models.map((m, i) => renderSolidity(m.q, `Random${b}_${i}`));
      const compiled = compileAll(bundles);
      for (let i = 0; i < models.length; i++) {
        const c = await deployInference(bundles[i], compiled.get(bundles[i].contract)!);
        for (const x of models[i].inputs) {
          const got: bigint[] = await c.infer(x);
          expect(got.map(String), `model ${i}`).to.deep.equal(runIR(models[i].q, x).output.map(String));
        }
      }
    });
  }

  it("mlp-mnist on a held-out MNIST digit: equals runIR; infer measured at about 4.7M gas", async () => {
    const m = resolveModel("mlp-mnist");
    const q = quantize(m, { ...DEFAULT_QUANT, calibration: calibrationFor(m) });
    const b = renderSolidity(q, "MlpMnistInference");
    expect(b.dataRuntimes.length, "44,596 bytes of weights: two data contracts").to.equal(2);
    const c = await deployInference(b, compileAll([b]).get("MlpMnistInference")!);
    const x = quantizeInput(q, defaultInput(m).values, "digit");
    expect((await c.infer(x)).map(String)).to.deep.equal(runIR(q, x).output.map(String));
    const gas = await c.infer.estimateGas(x);
    // 784 x 56 + 56 x 10 = 44,464 MACs; a budget, not a timing: it fails if the inner loop gets much worse
    expect(Number(gas)).to.be.lessThan(6_000_000);
  });

  it("reverts on an input out of range or of the wrong length; splits weights past EIP-170", async () => {
    const m = prepareModels(1, 77)[0];
    const q: QModel = m.q;
    const bundle = renderSolidity(q, "RangeCheck");
    const compiled = compileAll([bundle]);
    const c = await deployInference(bundle, compiled.get("RangeCheck")!);
    const x = [...m.inputs[0]];
    x[0] = q.input.min - 1n;
    await expect(c.infer(x)).to.be.revertedWithCustomError(c, "InputOutOfRange").withArgs(0);
    await expect(c.infer(x.slice(1))).to.be.revertedWithCustomError(c, "WrongInputLength");
    // a dense layer with 30,000 one-byte weights needs two data contracts
    const wide: QModel = {
      ...q,
      name: "wide",
      input: { ...q.input, shape: [300] },
      ops: [{ op: "dense", inSize: 300, units: 100, weights: Array.from({ length: 30000 }, (_, i) => BigInt((i % 255) - 127)), bias: Array(100).fill(3n) }],
    };
    const wb = renderSolidity(wide, "Wide");
    expect(wb.dataRuntimes.length).to.equal(Math.ceil((30000 + 100) / CHUNK_BYTES));
    const wc = await deployInference(wb, compileAll([wb]).get("Wide")!);
    const wx = Array.from({ length: 300 }, (_, i) => wide.input.min + BigInt(i % 3));
    expect((await wc.infer(wx)).map(String)).to.deep.equal(runIR(wide, wx).output.map(String));
  });
});
