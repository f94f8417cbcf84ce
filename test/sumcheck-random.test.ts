/**
 * The sumcheck system on the property tests' random models (test/helpers/random.ts: random architectures, float
 * weights, input ranges and bit widths, quantized as a user's model would be): every one it takes (dense,
 * requant and flatten ops within its lookup limits) proves each input with the output runIR gives, bit for bit,
 * both verifiers accept, and both refuse the proof for an output one unit off. Committed weights too: the proof
 * verifies against the model's commitment and not against another model's.
 */
import { expect } from "chai";
import { runIR } from "../src/ir/ir";
import { loadSumcheck } from "../src/core/native";
import { archWords, fromI64Bytes, i64Bytes, sumcheckArch, sumcheckParamBytes } from "../src/systems/sumcheck/arch";
import { verifySumcheckProof } from "../src/systems/sumcheck/verifier";
import { prepareModels } from "./helpers/random";

describe("sumcheck on random quantized models: the output is runIR's, both verifiers agree", function () {
  this.timeout(300_000);

  it("proves every random model it takes, each input, with runIR's output; a wrong output refused by both", async () => {
    const native = loadSumcheck();
    let proved = 0;
    let refused = 0;
    for (const { q, inputs } of prepareModels(40, 2707)) {
      let arch;
      try {
        arch = sumcheckArch(q);
      } catch {
        refused++; // conv, pools, a residual add: refused with the op named (test/systems.test.ts)
        continue;
      }
      const words = i64Bytes(archWords(arch));
      const params = sumcheckParamBytes(q);
      const committed = q.name.endsWith("0") || q.name.endsWith("5");
      const model = committed ? await native.sumcheckCommitModel(words, params) : undefined;
      for (const x of inputs) {
        const p = await native.sumcheckProve(words, params, i64Bytes(x), model);
        const y = fromI64Bytes(p.output);
        expect(y, q.name).to.deep.equal(runIR(q, x).output);
        expect((await native.sumcheckVerify(words, i64Bytes(x), p.output, p.proof, model)).valid, q.name).to.equal(true);
        expect(verifySumcheckProof(arch, x, y, p.proof, model), q.name).to.deep.equal({ valid: true });
        const wrong = y.map((v, i) => (i === y.length - 1 ? v + 1n : v));
        expect((await native.sumcheckVerify(words, i64Bytes(x), i64Bytes(wrong), p.proof, model)).valid, q.name).to.equal(false);
        expect(verifySumcheckProof(arch, x, wrong, p.proof, model).valid, q.name).to.equal(false);
        if (model) {
          // without the commitment the committed proof is not a private-weights proof
          expect((await native.sumcheckVerify(words, i64Bytes(x), p.output, p.proof)).valid).to.equal(false);
          expect(verifySumcheckProof(arch, x, y, p.proof).valid).to.equal(false);
        }
        proved++;
      }
    }
    // the generator draws images (conv) half the time: enough of both kinds to mean something
    expect(proved, `${proved} proved, ${refused} models refused`).to.be.at.least(30);
    expect(refused).to.be.at.least(5);
  });
});
