/**
 * worldcoin-proxy: a built-in residual CNN of the shape of Worldcoin's iris-code network (about 1.8M parameters,
 * 50 layers, a one-channel image; paper0), with seeded random weights. It must keep to the ops the sumcheck
 * system takes: conv2d, relu, avgpool2d, add, flatten, dense, every add reading a relu's output or the input.
 *
 * Quantizing it takes about 85 s here (64 calibration inputs; two bound analyses of 167M interval MACs, for
 * saturate auto), so the quantize and runIR check runs only with ZKML_SLOW_TESTS=1.
 */
import { expect } from "chai";
import { countParams, forwardFloat, validateModel } from "../src/model/format";
import { builtinModels, defaultInput, resolveModel, worldcoinProxyModel } from "../src/model/zoo";
import { constraintFloor, DEFAULT_QUANT, MAX_CONSTRAINTS, quantizeFor, quantizeInput } from "../src/quantize/quantize";
import { runIR } from "../src/ir/ir";

describe("worldcoin-proxy", function () {
  this.timeout(600_000);
  const m = resolveModel("worldcoin-proxy");

  it("resolves by name, is listed, and says what it is a proxy of", () => {
    expect(builtinModels()).to.include("worldcoin-proxy");
    expect(m.name).to.equal("worldcoin-proxy");
    expect(m.input).to.deep.equal({ shape: [1, 64, 64], range: [0, 1] });
    expect(String(m.provenance.proxyOf)).to.match(/Worldcoin/);
    expect(String(m.provenance.source)).to.match(/seeded random weights/);
    validateModel(m); // shapes, weights' sizes, every add's two sides equal in shape
  });

  it("has 50 conv + dense layers and 1,851,074 parameters", () => {
    expect(m.layers.filter((l) => l.type === "conv2d" || l.type === "dense").length).to.equal(50);
    // stem 3x3 1->8: 80; 64x64 stage, 2 blocks (4 convs 8->8): 4 * 584 = 2,336;
    // stride-2 8->16: 1,168; 32x32, 4 blocks (8 convs 16->16): 8 * 2,320 = 18,560;
    // stride-2 16->32: 4,640; 16x16, 6 blocks (12 convs 32->32): 12 * 9,248 = 110,976;
    // stride-2 32->96: 27,744; 8x8, 10 blocks (20 convs 96->96): 20 * 83,040 = 1,660,800;
    // avgpool 4x4 -> 96x2x2, dense 384->64: 24,640; dense 64->2: 130.  Convs: 1 + 3 + 44, dense: 2.
    expect(countParams(m)).to.equal(1_851_074);
  });

  it("uses only conv2d, relu, avgpool2d, add, flatten, dense; every add reads a relu's output or the input", () => {
    const allowed = new Set(["conv2d", "relu", "avgpool2d", "add", "flatten", "dense"]);
    m.layers.forEach((l, i) => {
      expect(allowed.has(l.type), `layers[${i}] ${l.type}`).to.equal(true);
      if (l.type === "add") expect(l.from === -1 || m.layers[l.from].type === "relu", `layers[${i}].from = ${l.from}`).to.equal(true);
    });
    expect(m.layers.filter((l) => l.type === "add").length).to.equal(22);
    // within what quantize accepts, from its shapes alone
    expect(constraintFloor(m, DEFAULT_QUANT).constraints).to.be.below(MAX_CONSTRAINTS);
  });

  it("is seeded: built twice, the same weights; its float pass gives the 2 classes", () => {
    const sum = (model: typeof m) =>
      model.layers.reduce((s, l) => (l.type === "conv2d" ? s + l.weights.flat(3).reduce((a, b) => a + b, 0) : l.type === "dense" ? s + l.weights.flat().reduce((a, b) => a + b, 0) : s), 0);
    expect(sum(worldcoinProxyModel())).to.equal(sum(m));
    expect(sum(worldcoinProxyModel(28))).to.not.equal(sum(m));
    const out = forwardFloat(m, defaultInput(m).values);
    expect(out.shape).to.deep.equal([2]);
    expect(Array.from(out.data).every(Number.isFinite)).to.equal(true);
  });

  it("quantizes, and runIR on the default input gives 2 values near the float pass (ZKML_SLOW_TESTS=1)", function () {
    if (process.env.ZKML_SLOW_TESTS !== "1") return this.skip();
    const q = quantizeFor(m);
    const input = defaultInput(m).values;
    const { output } = runIR(q, quantizeInput(q, input));
    expect(output.length).to.equal(2);
    const float = forwardFloat(m, input).data;
    output.forEach((v, i) => expect(Math.abs(Number(v) * q.output.step - float[i])).to.be.below(0.05));
  });
});
