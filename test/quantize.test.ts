/**
 * Calibration and scales: `npx hardhat quantize` reports, per scale width, accuracy against held-out digits, argmax
 * agreement, max error and the exact constraint count; prove-model proves at a chosen --scale-bits; calibration
 * files are checked element by element.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { constraintCount } from "../src/statement/cost";
import { loadModelFile } from "../src/model/format";
import { proveModel } from "../src/pipeline/prove";
import { groth16Power } from "../src/setup/ptau";
import { parseCalibration } from "../src/quantize/scales";
import { quantizeTable } from "../src/pipeline/quantize-table";
import { DEFAULT_VISIBILITY } from "../src/statement/visibility";
import { statementLayout } from "../src/statement/layout";
import { resolveModel } from "../src/model/zoo";
import { quantizeFor } from "../src/quantize/quantize";
import { ACCOUNT0, ROOT } from "./helpers/circuit";

describe("quantize: scales, calibration, accuracy", function () {
  this.timeout(600_000);

  it("mlp-mnist at 4 and 8 bits: accuracy on held-out digits, agreement, error shrinking with bits, exact constraints", () => {
    const m = resolveModel("mlp-mnist");
    const t = quantizeTable(m, { scales: [4, 8], samples: 60 });
    expect(t.samples).to.equal(60);
    const [b4, b8] = t.rows;
    expect(b8.quantizedAccuracy!).to.be.at.least(0.85);
    expect(b8.agreement).to.be.at.least(0.95);
    expect(b8.maxAbsError).to.be.below(b4.maxAbsError);
    for (const r of t.rows) {
      const q = quantizeFor(m, { scaleBits: r.scaleBits });
      expect(r.constraints).to.equal(constraintCount(q).total);
      expect(r.ptauPower).to.equal(groth16Power(r.constraints, statementLayout(q, DEFAULT_VISIBILITY).publicSignals));
    }
    // 8 bits is the circuit prove-model builds by default (packed input, label, the context): 9,463 constraints =
    // 784 x (9 + 1: the declared range's top) + 56 x (K + 2) + 10 linear outputs (8,410 + 784 every value public)
    // + 26 limbs bound + the label of 10 outputs at R = 21 bits (2 x 10 + 2 + 10 x 22 = 242) + the context squared
    expect(b8.constraints).to.equal(8_410 + 784 + 26 + 242 + 1);
  });

  it("a calibration file is checked element by element, naming the sample", () => {
    const m = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    expect(() => parseCalibration([[0.5]], m, "cal.json")).to.throw(/cal\.json: inputs\[0\]: expected 36 values \(shape 1x6x6\), got 1/);
    expect(() => parseCalibration({ inputs: [Array(36).fill(2)] }, m, "cal.json")).to.throw(/inputs\[0\]\[0\]: expected a number in the model's range \[0, 1\], got 2/);
    expect(parseCalibration([Array(36).fill(0.25)], m, "cal.json")).to.have.length(1);
  });

  it("prove-model --scale-bits 6: a 6-bit circuit that proves, verifies and matches the reference", async () => {
    const m = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const r = await proveModel({ root: ROOT, model: m, circuit: { quant: { scaleBits: 6 } }, context: ACCOUNT0 });
    expect(r.verified).to.equal(true);
    expect(r.matchesReference).to.equal(true);
    expect(r.circuit.constraints).to.equal(constraintCount(quantizeFor(m, { scaleBits: 6 })).total);
    expect(r.circuit.constraints).to.be.below(constraintCount(quantizeFor(m)).total);
  });

  it("the CLI prints the table; a bad --scales exits non-zero naming it", () => {
    const cli = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
    const ok = spawnSync("node", [cli, "quantize", "--model", "mlp-mnist", "--scales", "6,8", "--samples", "20"], { cwd: ROOT, encoding: "utf8" });
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/scale bits\s+float acc\.\s+quantized acc\.\s+argmax agree\s+max \|error\|\s+constraints\s+ptau/);
    expect(ok.stdout).to.match(/\n8\s+[0-9.]+%\s+[0-9.]+%\s+[0-9.]+%\s+[0-9.]+\s+9,463\s+2\^14/);
    const bad = spawnSync("node", [cli, "quantize", "--model", "mlp-mnist", "--scales", "1,8"], { cwd: ROOT, encoding: "utf8" });
    expect(bad.status).to.not.equal(0);
    expect(bad.stderr + bad.stdout).to.contain("--scales: expected whole numbers of bits in 2..32, got 1,8");
  });
});
