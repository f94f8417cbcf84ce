/**
 * How much quantization costs in accuracy: float model against integer reference on held-out MNIST digits.
 */
import { mnistCalibration, mnistSplit } from "../model/mnist";
import { runIR } from "../ir/ir";
import { argmax, forwardFloat, ModelFile } from "../model/format";
import { DEFAULT_QUANT, quantize, quantizeInput, QuantizeOptions } from "./quantize";

export interface AccuracyReport {
  samples: number;
  float: number;
  quantized: number;
  /** Fraction of digits where float and quantized models predict the same class. */
  agreement: number;
  quantization: Omit<QuantizeOptions, "calibration"> & { calibrationSamples: number };
}

export function accuracy(model: ModelFile, opts: { limit?: number; quant?: Partial<QuantizeOptions>; log?: (s: string) => void } = {}): AccuracyReport {
  const calibration = opts.quant?.calibration ?? mnistCalibration();
  const qopts = { ...DEFAULT_QUANT, ...opts.quant, calibration };
  const q = quantize(model, qopts);
  const heldOut = mnistSplit().heldOut.slice(0, opts.limit ?? Infinity);
  let f = 0, qc = 0, agree = 0;
  heldOut.forEach((s, i) => {
    const pf = argmax(forwardFloat(model, s.pixels).data);
    const pq = argmax(runIR(q, quantizeInput(q, s.pixels)).output);
    if (pf === s.label) f++;
    if (pq === s.label) qc++;
    if (pf === pq) agree++;
    if (opts.log && (i + 1) % 500 === 0) opts.log(`accuracy: ${i + 1}/${heldOut.length}`);
  });
  const n = heldOut.length;
  return {
    samples: n,
    float: f / n,
    quantized: qc / n,
    agreement: agree / n,
    quantization: { inputBits: qopts.inputBits, weightBits: qopts.weightBits, activationBits: qopts.activationBits, calibrationSamples: calibration.length },
  };
}
