/**
 * Accuracy by default (issue 29 item 2): without --scale-bits the tasks quantize at the narrowest width of 8-16 bits
 * whose outputs are within --max-error of the float model's on held-out inputs, within what the proof system takes
 * (the sumcheck system refuses lookup tables past 2^20 rows); an explicit --scale-bits wins; `quantize` reports per
 * width the error, the agreement and each system's cost; prove-model's report says the proved output's error.
 * Small models only (mlp-mnist, tiny-cnn): under a minute.
 */
import { expect } from "chai";
import * as path from "path";
import { forwardFloat, loadModelFile } from "../src/model/format";
import { resolveModel } from "../src/model/zoo";
import { quantize, quantizeFor, scaleOptions } from "../src/quantize/quantize";
import { calibrationFor } from "../src/model/zoo";
import { chooseScaleBits, DEFAULT_MAX_ERROR, evaluationInputs, measureError, MAX_SCALE_BITS, MIN_SCALE_BITS, parseMaxError } from "../src/quantize/choose";
import { sumcheckArch } from "../src/systems/sumcheck/arch";
import { quantizeTable, renderQuantizeMarkdown, renderQuantizeTerminal } from "../src/pipeline/quantize-table";
import { constraintCount } from "../src/statement/cost";
import { circuitOptions } from "../src/plugin/actions/circuit";
import { proveModelAction } from "../src/plugin/actions/prove-model";
import { resolveZkmlConfig } from "../src/core/config";
import { VISIBILITY_RULES } from "../src/statement/visibility";
import { renderTerminal } from "../src/report/prove";
import type { ModelFile } from "../src/model/format";
import { ROOT } from "./helpers/circuit";

const TINY = path.join(__dirname, "fixtures", "tiny-cnn.json");
const cfg = resolveZkmlConfig(undefined, VISIBILITY_RULES);
const sumcheckAccepts = (q: Parameters<typeof sumcheckArch>[0]) => void sumcheckArch(q);

/** The error at a width, measured independently of the chooser, on the inputs it measures on. */
function errorAt(m: ModelFile, bits: number, samples: number): number {
  const { inputs } = evaluationInputs(m, samples);
  const q = quantize(m, { ...scaleOptions(bits), calibration: calibrationFor(m) });
  return measureError(q, inputs, inputs.map((s) => forwardFloat(m, s.values).data)).maxAbsError;
}

describe("accuracy by default: the narrowest width that meets --max-error", function () {
  this.timeout(120_000);

  it("mlp-mnist and tiny-cnn: the chosen width meets the target and the next narrower one does not", () => {
    for (const [m, target] of [
      [resolveModel("mlp-mnist"), DEFAULT_MAX_ERROR],
      [resolveModel("mlp-mnist"), 0.05],
      [loadModelFile(TINY), DEFAULT_MAX_ERROR],
    ] as const) {
      const c = chooseScaleBits(m, { maxError: target });
      expect(c.met, `${m.name} at ${target}`).to.equal(true);
      expect(c.bits).to.be.within(MIN_SCALE_BITS, MAX_SCALE_BITS);
      expect(c.bits, `${m.name}: 8 bits misses ${target}, so the default is wider than 8`).to.be.above(MIN_SCALE_BITS);
      expect(errorAt(m, c.bits, c.samples), `${m.name} at ${c.bits} bits`).to.be.at.most(target).and.to.equal(c.maxAbsError);
      expect(errorAt(m, c.bits - 1, c.samples), `${m.name} at ${c.bits - 1} bits`).to.be.above(target);
      // the width costs: more constraints than 8 bits'
      expect(constraintCount(quantizeFor(m, { scaleBits: c.bits })).total).to.be.above(constraintCount(quantizeFor(m, { scaleBits: 8 })).total);
    }
    // a looser target, a narrower (cheaper) width
    expect(chooseScaleBits(resolveModel("mlp-mnist"), { maxError: 0.05 }).bits).to.be.below(chooseScaleBits(resolveModel("mlp-mnist")).bits);
  });

  it("the sumcheck system: never a width it refuses; the widest it takes when none meets the target, and met says so", () => {
    const m = resolveModel("mlp-mnist");
    const c = chooseScaleBits(m, { accepts: sumcheckAccepts });
    expect(() => sumcheckArch(quantizeFor(m, { scaleBits: c.bits }))).to.not.throw();
    // mlp-mnist's first requant: shift 17 at 15 bits, past the 2^16 range table; 14 bits misses 0.005 (0.007)
    expect(() => sumcheckArch(quantizeFor(m, { scaleBits: c.widest + 1 }))).to.throw(/does not take shift/);
    expect(c.bits).to.equal(c.widest);
    expect(c.met).to.equal(false);
    expect(c.maxAbsError).to.be.above(DEFAULT_MAX_ERROR);
    expect(c.measured.filter((w) => w.refused).map((w) => w.bits)).to.include(c.widest + 1);
    // Groth16 takes the next width, which meets it
    expect(chooseScaleBits(m).bits).to.be.above(c.bits);
  });

  it("the tasks: --scale-bits wins, --max-error and zkml.quantize.maxError choose, sumcheck's choice is one it proves; bad values refused", async () => {
    const m = resolveModel("mlp-mnist");
    const base = { backend: "auto", saturate: "auto" };
    const given = await circuitOptions({ ...base, scaleBits: 9 }, cfg, m);
    expect(given.quant.scaleBits).to.equal(9);
    expect(given.quant.choice).to.equal(undefined);
    const byDefault = await circuitOptions(base, cfg, m);
    expect(byDefault.quant.scaleBits).to.equal(chooseScaleBits(m).bits);
    expect(byDefault.quant.choice!.target).to.equal(DEFAULT_MAX_ERROR);
    const loose = await circuitOptions({ ...base, maxError: "0.05" }, cfg, m);
    expect(loose.quant.scaleBits).to.equal(chooseScaleBits(m, { maxError: 0.05 }).bits).and.to.be.below(byDefault.quant.scaleBits!);
    const fromConfig = await circuitOptions(base, resolveZkmlConfig({ quantize: { maxError: 0.05 } }, VISIBILITY_RULES), m);
    expect(fromConfig.quant.scaleBits).to.equal(loose.quant.scaleBits);
    const sumcheck = await circuitOptions({ ...base, system: "sumcheck", input: "public", weights: "private", output: "public" }, cfg, m);
    expect(() => sumcheckArch(quantizeFor(m, { scaleBits: sumcheck.quant.scaleBits }))).to.not.throw();
    expect(sumcheck.quant.scaleBits).to.be.below(byDefault.quant.scaleBits!);
    expect(() => parseMaxError("0")).to.throw(/--max-error: expected a positive number/);
    expect(() => parseMaxError("abc")).to.throw(/--max-error/);
    expect(() => resolveZkmlConfig({ quantize: { maxError: -1 } }, VISIBILITY_RULES)).to.throw(/zkml\.quantize\.maxError: expected a positive number/);
    expect(() => resolveZkmlConfig({ quantize: { bits: 8 } }, VISIBILITY_RULES)).to.throw(/zkml\.quantize\.bits/);
  });

  it("a model that is not MNIST-shaped, given calibration inputs (real data), is measured on them, not on seeded inputs", () => {
    const m = loadModelFile(TINY);
    const calibration = [0.1, 0.5, 0.9].map((v) => new Float64Array(36).fill(v));
    const c = chooseScaleBits(m, { calibration });
    expect(c.samples).to.equal(3);
    expect(c.evaluation).to.equal("inputs of the calibration file");
    const q = quantize(m, { ...scaleOptions(c.bits), calibration });
    expect(measureError(q, calibration.map((values) => ({ values })), calibration.map((x) => forwardFloat(m, x).data)).maxAbsError).to.equal(c.maxAbsError).and.to.be.at.most(DEFAULT_MAX_ERROR);
    expect(chooseScaleBits(m).evaluation).to.equal("seeded random inputs in the model's range");
  });

  it("quantize's table: per width the error, the agreement, Groth16's constraints and the sumcheck system's largest table or its refusal, and the narrowest width within the target", () => {
    const m = resolveModel("mlp-mnist");
    const t = quantizeTable(m, { scales: [8, 14, 15], samples: 20, maxError: 0.01 });
    expect(t.maxError).to.equal(0.01);
    const [b8, b14, b15] = t.rows;
    for (const r of t.rows) {
      expect(r.constraints).to.equal(constraintCount(quantizeFor(m, { scaleBits: r.scaleBits })).total);
      expect(r.agreement).to.be.within(0.9, 1);
      expect(r.meets).to.equal(r.maxAbsError <= 0.01);
    }
    expect(b14.maxAbsError).to.be.below(b8.maxAbsError);
    expect(b8.meets).to.equal(false);
    // the activation table of mlp-mnist's requant at 8 bits: 22 - 10 = 12 (its range table 2^10)
    expect(b8.sumcheck).to.deep.equal({ tableLog: 12 });
    expect(b14.sumcheck).to.deep.equal({ tableLog: 18 });
    expect(b15.sumcheck).to.have.property("refused").that.matches(/shift 17/);
    const narrowest = t.rows.filter((r) => r.meets).map((r) => r.scaleBits)[0] ?? null;
    expect(t.chosen.groth16).to.equal(narrowest);
    expect(t.chosen.sumcheck).to.equal(b14.meets ? 14 : null);
    const text = renderQuantizeTerminal(t);
    expect(text).to.match(/scale bits\s+float acc\.\s+quantized acc\.\s+argmax agree\s+max \|error\|\s+constraints\s+ptau\s+sumcheck table\s+meets/);
    expect(text).to.match(new RegExp(`\\n8\\s+[0-9.]+%\\s+[0-9.]+%\\s+[0-9.]+%\\s+[0-9.]+\\s+${b8.constraints.toLocaleString("en-US")}\\s+2\\^14\\s+2\\^12 rows\\s+no`));
    expect(text).to.match(/\n15\s.*\s+refused\s+(yes|no)/);
    expect(text).to.contain("--max-error 0.01: the narrowest width within it on these inputs: groth16");
    expect(renderQuantizeMarkdown(t)).to.contain("| sumcheck table | meets |");
  });

  it("prove-model (tiny-cnn, Groth16): the chosen width, and the proved output's max error against the float model", async () => {
    const m = loadModelFile(TINY);
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write; // the report printed as JSON
    let r;
    try {
      r = await proveModelAction(
        { model: TINY, system: "groth16", backend: "auto", saturate: "auto", context: "none", downloadPtau: false, contribute: false, json: true, force: false },
        { root: ROOT, zkml: cfg },
      );
    } finally {
      process.stdout.write = write;
    }
    const c = chooseScaleBits(m);
    expect(r.verified).to.equal(true);
    expect(r.quantization.scaleBits).to.equal(c.bits);
    expect(r.quantization.choice).to.contain(`${c.bits}-bit scales: the narrowest of 8-16 bits within --max-error ${DEFAULT_MAX_ERROR}`);
    // the proved output against the float model on the proved input
    const real = r.prediction.real;
    const float = Array.from(forwardFloat(m, (await import("../src/model/zoo")).defaultInput(m).values).data);
    const err = Math.max(...real.map((v, i) => Math.abs(v - float[i])));
    expect(r.quantization.maxAbsError).to.equal(err);
    expect(err).to.be.above(0);
    expect(renderTerminal(r, ROOT)).to.match(/\naccuracy {5}max \|error\| [0-9.e-]+ of the proved output against the float model; \d+-bit scales: the narrowest/);
  });
});
