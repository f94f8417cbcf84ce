/**
 * The float pass's conv (format.ts convFloat: direct loops, no index plan) against the plan it replaced, on random
 * geometries (strides, paddings, kernels past the input's edge): bit for bit equal, since every output sums its bias
 * then its taps in the plan's order. Calibration and the accuracy measurements read this pass.
 */
import { expect } from "chai";
import { applyLayerFloat, Conv2DLayer, flatKernel, planOf } from "../src/model/format";
import { rng } from "../src/model/mnist";

function planConv(layer: Conv2DLayer, x: { shape: number[]; data: Float64Array }): Float64Array {
  const p = planOf(layer, x.shape);
  const k = flatKernel(layer);
  const per = k.length / layer.filters;
  const out = new Float64Array(p.count.length);
  for (let o = 0; o < out.length; o++) {
    const f = p.channel[o];
    let acc = layer.bias[f];
    for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) acc += k[f * per + p.weight[t]] * x.data[p.input[t]];
    out[o] = acc;
  }
  return out;
}

describe("the float pass's conv", () => {
  it("equals the index plan's sums bit for bit on 40 random geometries", () => {
    const r = rng(2026);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    for (let n = 0; n < 40; n++) {
      const [c, h, w, f] = [int(1, 3), int(3, 9), int(3, 9), int(1, 4)];
      const kernel: [number, number] = [int(1, Math.min(4, h)), int(1, Math.min(4, w))];
      const stride: [number, number] = [int(1, 3), int(1, 3)];
      const padding: [number, number] = [int(0, kernel[0] - 1), int(0, kernel[1] - 1)];
      const v = () => (r() - 0.5) * 3;
      const layer: Conv2DLayer = {
        type: "conv2d",
        filters: f,
        kernel,
        stride,
        padding,
        weights: Array.from({ length: f }, () => Array.from({ length: c }, () => Array.from({ length: kernel[0] }, () => Array.from({ length: kernel[1] }, v)))),
        bias: Array.from({ length: f }, v),
      };
      const x = { shape: [c, h, w], data: Float64Array.from({ length: c * h * w }, v) };
      const got = applyLayerFloat(layer, x);
      const want = planConv(layer, x);
      expect(got.data.length, `geometry ${n}`).to.equal(want.length);
      got.data.forEach((g, i) => expect(Object.is(g, want[i]), `geometry ${n} ${JSON.stringify({ c, h, w, f, kernel, stride, padding })} output ${i}: ${g} vs ${want[i]}`).to.equal(true));
    }
  });
});
