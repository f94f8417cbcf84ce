/**
 * Tensor shapes and the index plan of a 2-D window op (conv, sum/max pool): the geometry the IR interpreter,
 * the float model pass and the circuit renderers share, so it lives at the IR, below the model format.
 */

export type Shape = number[];

/**
 * Index plan of a 2-D window op, computed once per geometry: for output position o, its taps are
 * `input[o*T .. o*T+count[o]]` (flat input indices) with weight offsets `weight[...]` into the layer's flat
 * [in / groups][kh][kw] kernel (conv) or -1 (pool). A conv sums over the input channels of its filter's group (all of
 * them with one group; filter f of F is in group floor(f / (F / groups))); a pool stays in its channel.
 * Shared by the float pass, the integer interpreter and the circuit renderer, so all three index alike.
 */
export interface WindowPlan {
  outShape: Shape;
  taps: number; // T, the stride of the arrays below
  count: Int32Array;
  input: Int32Array;
  weight: Int32Array;
  channel: Int32Array; // output channel of each output position
}

const planCache = new Map<string, WindowPlan>();

export function windowPlan(
  inShape: Shape,
  outShape: Shape,
  kernel: [number, number],
  stride: [number, number],
  padding: [number, number],
  allChannels: boolean,
  groups = 1,
): WindowPlan {
  const key = JSON.stringify([inShape, outShape, kernel, stride, padding, allChannels, groups]);
  const hit = planCache.get(key);
  if (hit) return hit;
  const [c, h, w] = inShape;
  const [oc, oh, ow] = outShape;
  const per = allChannels ? c / groups : 1; // input channels a filter reads
  const T = per * kernel[0] * kernel[1];
  const n = oc * oh * ow;
  const plan: WindowPlan = {
    outShape,
    taps: T,
    count: new Int32Array(n),
    input: new Int32Array(n * T),
    weight: new Int32Array(n * T),
    channel: new Int32Array(n),
  };
  for (let f = 0; f < oc; f++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        const o = (f * oh + oy) * ow + ox;
        plan.channel[o] = f;
        let k = 0;
        const ch0 = allChannels ? Math.floor(f / (oc / groups)) * per : f;
        for (let ch = ch0; ch < ch0 + per; ch++)
          for (let ky = 0; ky < kernel[0]; ky++)
            for (let kx = 0; kx < kernel[1]; kx++) {
              const iy = oy * stride[0] - padding[0] + ky;
              const ix = ox * stride[1] - padding[1] + kx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              plan.input[o * T + k] = (ch * h + iy) * w + ix;
              plan.weight[o * T + k] = allChannels ? ((ch - ch0) * kernel[0] + ky) * kernel[1] + kx : -1;
              k++;
            }
        plan.count[o] = k;
      }
  if (planCache.size > 64) planCache.clear();
  planCache.set(key, plan);
  return plan;
}
