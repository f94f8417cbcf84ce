/**
 * On-chain inference is the reference interpreter, bit for bit: random models rendered to Solidity (weights
 * packed in data contracts), compiled offline with the pinned solc, deployed on the in-process network, and
 * called; every output equals runIR's. Out-of-range inputs revert.
 */
import { expect } from "chai";
import { QModel, runIR } from "../src/ir/ir";
import { argmax } from "../src/model/format";
import { renderSolidity, CHUNK_BYTES } from "../src/backends/solidity/inference";
import { compileAll, deployInference } from "./helpers/evm";
import { prepareModels } from "./helpers/random";
import { calibrationFor, defaultInput, resolveModel } from "../src/model/zoo";
import { DEFAULT_QUANT, quantize, quantizeInput } from "../src/quantize/quantize";
import hre from "hardhat";
import { BrowserProvider } from "ethers";
import { gasChains } from "../src/plugin/hardhat2/chains";
import { heldOutInterleaved } from "../src/model/mnist";



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

  it("residual connections: 20 random models with adds (a later add reading a tensor a requant would overwrite in place) x 3 inputs, bit for bit", async () => {
    const models = prepareModels(20, 7100, { residual: true }).filter((m) => m.q.ops.some((o) => o.op === "add"));
    expect(models.length).to.be.at.least(8);
    const bundles = models.map((m, i) => renderSolidity(m.q, `Residual_${i}`));
    const compiled = compileAll(bundles);
    for (let i = 0; i < models.length; i++) {
      const c = await deployInference(bundles[i], compiled.get(bundles[i].contract)!);
      for (const x of models[i].inputs) expect((await c.infer(x)).map(String), `model ${i}`).to.deep.equal(runIR(models[i].q, x).output.map(String));
    }
  });

  it("mlp-mnist on a held-out MNIST digit: equals runIR; infer measured at about 2.44M gas", async () => {
    const m = resolveModel("mlp-mnist");
    const q = quantize(m, { ...DEFAULT_QUANT, calibration: calibrationFor(m) });
    const b = renderSolidity(q, "MlpMnistInference");
    expect(b.dataRuntimes.length, "44,596 bytes of weights: two data contracts").to.equal(2);
    const c = await deployInference(b, compileAll([b]).get("MlpMnistInference")!);
    const x = quantizeInput(q, defaultInput(m).values, "digit");
    expect((await c.infer(x)).map(String)).to.deep.equal(runIR(q, x).output.map(String));
    const gas = await c.infer.estimateGas(x);
    // 784 x 56 + 56 x 10 = 44,464 MACs; measured 2,437,670 with the unrolled loops (4.72M with plain loops);
    // a budget, not a timing: it fails if the inner loop gets much worse
    expect(Number(gas)).to.be.lessThan(3_000_000);
  });

  it("lenet5 on five held-out MNIST digits, one of each class 0-4: equals runIR; about 22.6M gas a call", async () => {
    // 406,656 MACs at ~57 gas each: past osaka's 16.8M per-transaction cap, so it runs on the raised twin chain
    // (block gas limit 2^53-1, cap off) that compare-gas measures with. EDR keeps a trace of ~160 bytes per gas
    // for each call, so the calls go one at a time.
    const m = resolveModel("lenet5");
    const q = quantize(m, { ...DEFAULT_QUANT, calibration: calibrationFor(m) });
    const b = renderSolidity(q, "Lenet5Inference");
    const { raised } = await gasChains(hre, 30_000_000);
    const signer = await new BrowserProvider(raised.provider).getSigner();
    const c = await deployInference(b, compileAll([b]).get("Lenet5Inference")!, signer);
    const digits = heldOutInterleaved(5);
    let agree = 0;
    for (const d of digits) {
      const x = quantizeInput(q, d.pixels, d.id);
      const ref = runIR(q, x).output;
      const got: bigint[] = await c.infer(x, { gasLimit: 40_000_000 });
      expect(got.map(String), d.id).to.deep.equal(ref.map(String));
      if (argmax(ref) === d.label) agree++;
    }
    expect(agree, "the quantized lenet5 should read at least 4 of 5 digits").to.be.at.least(4);
    // gas from one mined transaction (estimateGas would run the call several times, each with its trace)
    const data = c.interface.encodeFunctionData("infer", [quantizeInput(q, digits[0].pixels, digits[0].id)]);
    const receipt = await (await signer.sendTransaction({ to: await c.getAddress(), data, gasLimit: 40_000_000 })).wait();
    const gas = Number(receipt!.gasUsed);
    // budget: 406,656 MACs x ~55 gas (measured 22,562,375 by compare-gas); the old loop needed over 40M
    expect(gas).to.be.within(15_000_000, 26_000_000);
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
