/**
 * Built-in models resolve, and every paper0 network is built exactly as data/paper0/suites.json describes it.
 */
import { expect } from "chai";
import { countParams, validateModel } from "../src/model/format";
import { paper0Networks, resolveModel } from "../src/model/zoo";

describe("model zoo", function () {
  this.timeout(120_000);

  it("lenet5 and mlp-mnist load, validate, and record held-out accuracy", () => {
    for (const name of ["lenet5", "mlp-mnist"]) {
      const m = resolveModel(name);
      const acc = (m.provenance.heldOutAccuracy as { float: number; quantized: number; samples: number });
      expect(acc.samples).to.equal(2004);
      expect(acc.float).to.be.greaterThan(0.9);
      expect(acc.quantized).to.be.greaterThan(0.9);
    }
    expect(countParams(resolveModel("lenet5"))).to.equal(61_706); // 156 + 2,416 + 48,120 + 10,164 + 850
  });

  it("every small paper0 network matches its parameter count in suites.json", () => {
    const nets = paper0Networks().filter((n) => n.net.params < 300_000);
    expect(nets.length).to.be.at.least(7);
    for (const { net } of nets) {
      const m = validateModel(resolveModel(`paper0/${net.name}`));
      expect(countParams(m), net.name).to.equal(net.params);
      expect(m.layers.filter((l) => l.type === "relu").length, `${net.name} relus`).to.equal(net.layers.filter((l) => l[2]).length);
    }
  });

  it("paper0 weights are seeded: the same network twice is the same model", () => {
    const a = JSON.stringify(resolveModel("paper0/FC_3_layers"));
    expect(JSON.stringify(resolveModel("paper0/FC_3_layers"))).to.equal(a);
  });
});
