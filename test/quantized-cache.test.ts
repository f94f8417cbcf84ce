/**
 * The quantization cache (src/pipeline/quantized.ts): a second command reads the first one's result instead of
 * quantizing again, and only for the same model content, options and quantizer code.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { cachedForModel, quantizationKey, quantizedFor } from "../src/pipeline/quantized";
import { quantizeFor } from "../src/quantize/quantize";
import { resolveModel } from "../src/model/zoo";
import { irToJson } from "../src/ir/serialize";
import { tmpDir } from "./helpers/circuit";

describe("the quantization cache", () => {
  const fresh = () => resolveModel("mlp-mnist"); // a new object each time, as in a new process
  let root: string;
  before(() => (root = tmpDir("quantized")));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("keeps the result by the model's content and the options; a new process reads it back identical", () => {
    const q = quantizedFor(root, fresh(), { scaleBits: 8 });
    expect(irToJson(q)).to.equal(irToJson(quantizeFor(fresh(), { scaleBits: 8 })));
    const file = path.join(root, "build", "quantized", `${quantizationKey(fresh(), { scaleBits: 8 })}.json`);
    expect(fs.existsSync(file), file).to.equal(true);
    // the file is what a later command reads: changed on disk, the change comes back (so it was read, not recomputed)
    const changed = JSON.parse(fs.readFileSync(file, "utf8"));
    changed.ops[0].bias[0] = "12345";
    fs.writeFileSync(file, JSON.stringify(changed));
    expect(quantizedFor(root, fresh(), { scaleBits: 8 }).ops[0]).to.have.property("bias").that.satisfies((b: bigint[]) => b[0] === 12345n);
  });

  it("another width, saturation, calibration or a changed weight is another key", () => {
    const m = fresh();
    const base = quantizationKey(m, { scaleBits: 8 });
    expect(quantizationKey(m, { scaleBits: 9 })).to.not.equal(base);
    expect(quantizationKey(m, { scaleBits: 8, saturate: "on" })).to.not.equal(base);
    expect(quantizationKey(m, { scaleBits: 8, calibration: [new Float64Array(784).fill(0.5)] })).to.not.equal(base);
    const edited = fresh();
    (edited.layers[0] as { weights: number[][] }).weights[0][0] += 1e-9;
    expect(quantizationKey(edited, { scaleBits: 8 })).to.not.equal(base);
    expect(quantizationKey(fresh(), { scaleBits: 8 })).to.equal(base);
  });

  it("keeps a model's newest 8 quantizations", () => {
    for (let bits = 8; bits <= 16; bits++) quantizedFor(root, fresh(), { scaleBits: bits });
    const files = fs.readdirSync(path.join(root, "build", "quantized")).filter((f) => f.startsWith("mlp-mnist-"));
    expect(files).to.have.length(8);
    expect(files).to.include(`${quantizationKey(fresh(), { scaleBits: 16 })}.json`);
  });

  it("a width choice is kept the same way: computed once, read back by a later command, per options", () => {
    let runs = 0;
    const choose = () => (runs++, { bits: 12, target: 0.005, met: true, maxAbsError: 0.004, measured: [{ bits: 12, maxAbsError: 0.004 }] });
    const first = cachedForModel(root, fresh(), "width", [0.005, null], choose);
    expect(cachedForModel(root, fresh(), "width", [0.005, null], choose)).to.deep.equal(first);
    expect(runs).to.equal(1);
    cachedForModel(root, fresh(), "width", [0.001, null], choose);
    expect(runs).to.equal(2);
  });

  it("a damaged file is quantized again and replaced", () => {
    const file = path.join(root, "build", "quantized", `${quantizationKey(fresh(), { scaleBits: 10 })}.json`);
    quantizedFor(root, fresh(), { scaleBits: 10 });
    fs.writeFileSync(file, "{ not json");
    expect(irToJson(quantizedFor(root, fresh(), { scaleBits: 10 }))).to.equal(irToJson(quantizeFor(fresh(), { scaleBits: 10 })));
  });
});
