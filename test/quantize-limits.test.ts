/**
 * Issue 31, item 4: quantize and the input readers refuse, early and by name, what used to hang or silently give
 * wrong results. Each case failed before: a layer whose largest weight is below about 7e-307 looped forever in
 * scaleFor; a 3000x3000 input with one 3x3 conv allocated gigabytes (the default calibration alone is 64 inputs of
 * 9M values) before anything said no; one weight of 1e300 zeroed every other weight of its layer; weights of 1e200
 * made the float reference NaN; an input nested 2x1x18 for a 1x6x6 model was flattened without a word.
 *
 * The cases that hung or ran out of memory run in a child process with a time and heap limit, so the old code
 * fails the test instead of stopping it.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ModelFile } from "../src/model/format";
import { readInputFile, resolveModel } from "../src/model/zoo";
import { constraintFloor, MAX_CONSTRAINTS, quantizeFor } from "../src/quantize/quantize";
import { parseCalibration } from "../src/quantize/scales";
import { constraintCount } from "../src/statement/cost";
import { isZkmlError } from "../src/core/errors";
import { ROOT, tmpDir } from "./helpers/circuit";

/* eslint-disable @typescript-eslint/no-explicit-any */

const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");
const tiny = (): ModelFile => JSON.parse(fs.readFileSync(TINY, "utf8"));

/** Map every weight of layers[i] (a dense or conv). */
function mapWeights(m: ModelFile, i: number, f: (w: number, j: number) => number): ModelFile {
  let j = 0;
  const walk = (v: any): any => (Array.isArray(v) ? v.map(walk) : f(v, j++));
  (m.layers[i] as any).weights = walk((m.layers[i] as any).weights);
  return m;
}

function refusal(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    expect(isZkmlError(e), String(e)).to.equal(true);
    return e;
  }
  throw new Error("expected a ZkmlError, nothing was thrown");
}

/** quantizeFor(model) in a child with a time and heap limit: the error's code and message, or how it died. */
function quantizeInChild(m: ModelFile, dir: string): { code?: string; message?: string; died?: string; ms: number } {
  const file = path.join(dir, `${m.name}.json`);
  fs.writeFileSync(file, JSON.stringify(m));
  const script = `
    const { quantizeFor } = require(${JSON.stringify(path.join(ROOT, "src/quantize/quantize"))});
    const m = JSON.parse(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"));
    try { quantizeFor(m); console.log(JSON.stringify({ ok: true })); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
  const t0 = Date.now();
  const r = spawnSync("node", ["--max-old-space-size=768", "-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  const ms = Date.now() - t0;
  const last = r.stdout.trim().split("\n").pop();
  if (r.status !== 0 || !last) return { died: r.error ? String(r.error) : `exit ${r.status} ${r.signal ?? ""}: ${r.stderr.slice(-300)}`, ms };
  return { ...JSON.parse(last), ms };
}

describe("quantize and the input readers refuse early what cannot be represented (issue 31, item 4)", function () {
  this.timeout(300_000);
  let dir: string;
  before(() => (dir = tmpDir("quantize-limits")));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a layer whose weights are all subnormal (largest 1e-310): refused at once, naming the layer (it looped forever)", () => {
    const m = mapWeights(tiny(), 0, (w) => w * 1e-310);
    const r = quantizeInChild({ ...m, name: "subnormal" }, dir);
    expect(r.died, r.died).to.equal(undefined);
    expect(r.code).to.equal("QUANTIZE_FAILED");
    expect(r.message).to.contain("layers[0] (conv2d).weights: every weight rounds to 0: the largest |weight| is").and.to.contain("below 2^-31");
    // weights that are merely tiny (1e-12) collapse the same way, in process
    const e = refusal(() => quantizeFor(mapWeights(tiny(), 4, (w) => w * 1e-12)));
    expect(e.message).to.contain("layers[4] (dense).weights: every weight rounds to 0");
    expect(e.hint).to.contain("scale the layer's weights up by a power of two");
  });

  it("one weight of 1e300 among normal ones: refused, naming it, instead of zeroing the rest of its layer", () => {
    const m = mapWeights(tiny(), 4, (w, j) => (j === 5 ? 1e300 : w));
    const e = refusal(() => quantizeFor(m));
    expect(e.code).to.equal("QUANTIZE_FAILED");
    expect(e.message).to.equal("layers[4] (dense).weights: 53 of 54 non-zero weights round to 0 at 8 bits: weights[5] (flat) = 1e+300 sets the scale to 2^-990, and the median |weight| 0.3467 is far below its unit");
    expect(e.hint).to.contain("clip or retrain that weight");
  });

  it("weights of 1e200: the float pass overflows; refused naming the layer, not a NaN reference", () => {
    let m = mapWeights(tiny(), 0, (w) => w * 1e200);
    m = mapWeights(m, 4, (w) => w * 1e200);
    const e = refusal(() => quantizeFor(m));
    expect(e.code).to.equal("QUANTIZE_FAILED");
    expect(e.message).to.match(/^layers\[4\] \(dense\): the float model's output is (NaN|-?Infinity) on calibration sample 0: its values overflow float64/);
  });

  it("a weight that is NaN or infinite (a model made in code, past validateModel): refused naming the value", () => {
    const m = mapWeights(tiny(), 0, (w, j) => (j === 3 ? NaN : w));
    const e = refusal(() => quantizeFor(m));
    expect(e.message).to.equal("layers[0].weights: value 3 (flat) is NaN, expected a finite number");
    const b = tiny();
    (b.layers[4] as any).bias[1] = Infinity;
    expect(refusal(() => quantizeFor(b)).message).to.equal("layers[4].bias: value 1 (flat) is Infinity, expected a finite number");
  });

  it("a 3000x3000 input with one 3x3 conv: refused from its shapes before anything is allocated, the limit in the message", () => {
    const m = tiny();
    const conv = m.layers[0] as any;
    const big: ModelFile = { ...m, name: "huge", input: { shape: [1, 3000, 3000], range: [0, 1] }, layers: [{ ...conv, filters: 1, weights: [conv.weights[0]], bias: [0.1] }, { type: "relu" }, { ...conv, filters: 1, weights: [conv.weights[0]], bias: [0.1] }] };
    const r = quantizeInChild(big, dir);
    expect(r.died, r.died).to.equal(undefined);
    expect(r.code).to.equal("MODEL_TOO_LARGE");
    expect(r.message).to.match(/^huge: its circuit would have at least [\d,]+ constraints \(input 1x3000x3000, [\d,]+ values through its layers\), past the limit of 33,554,432 \(2\^25\)/);
    expect(r.ms, "refused in the time a child starts, not after allocating").to.be.below(30_000);
    const e = refusal(() => quantizeFor(big));
    expect(e.hint).to.contain("maxConstraints");
  });

  it("the size floor never exceeds the exact count, and the limit lets every built-in model through with room", () => {
    for (const m of [tiny(), resolveModel("lenet5")]) {
      const exact = constraintCount(quantizeFor(m)).total;
      expect(constraintFloor(m, { inputBits: 8, activationBits: 8 }).constraints).to.be.at.most(exact);
    }
    // paper0's largest (FC_500_layers, 2,095,168 constraints under the default statement) is 16 times below the limit
    expect(MAX_CONSTRAINTS / 2_095_168).to.be.above(16);
    // a smaller limit refuses tiny-cnn, naming it; the option raises or lowers it
    expect(refusal(() => quantizeFor(tiny(), { maxConstraints: 500 })).code).to.equal("MODEL_TOO_LARGE");
  });

  it("an input nested as 2x1x18 for a 1x6x6 model is refused with both shapes; 1x6x6, 6x6 and flat are read", () => {
    const values = [...Array(36)].map((_, i) => i / 36);
    const write = (name: string, v: unknown) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, JSON.stringify(v));
      return f;
    };
    const shape = tiny().input.shape;
    const wrong = write("2x1x18.json", { input: [[values.slice(0, 18)], [values.slice(18)]] });
    const e = refusal(() => readInputFile(wrong, shape));
    expect(e.code).to.equal("INPUT_INVALID");
    expect(e.message).to.equal(`${wrong}: input: expected shape 1x6x6 (or 36 values flat), got shape 2x1x18`);
    expect(e.hint).to.contain("nest the values as 1x6x6");
    const rows = [...Array(6)].map((_, r) => values.slice(6 * r, 6 * r + 6));
    expect(readInputFile(write("1x6x6.json", [rows]), shape)).to.deep.equal(values);
    expect(readInputFile(write("6x6.json", { input: rows }), shape)).to.deep.equal(values);
    expect(readInputFile(write("flat.json", values), shape)).to.deep.equal(values);
    expect(refusal(() => readInputFile(write("ragged.json", [rows.slice(0, 5).concat([values.slice(0, 5)])]), shape)).message).to.contain("nested arrays of unequal lengths");
    // calibration files and queue inputs go through the same check
    expect(refusal(() => parseCalibration([[[values.slice(0, 18)], [values.slice(18)]]], tiny(), "cal.json")).message).to.equal("cal.json: inputs[0]: expected shape 1x6x6 (or 36 values flat), got shape 2x1x18");
  });
});
