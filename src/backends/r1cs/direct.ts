/**
 * The direct backend: the circuit written straight from the IR, without circom. It emits the same constraints the
 * circom renderer (src/circom.ts) describes, as an iden3 .r1cs file streamed to disk (so memory stays bounded by
 * the wires, not the terms), and computes the witness (.wtns) from the reference interpreter's values. snarkjs
 * sets up, proves and verifies from them as from circom's output.
 *
 * One semantics, two renderers: the circom source stays the readable, auditable form of every circuit; this one
 * exists for models circom cannot hold (circom2 runs as WebAssembly in 4 GB and ran out of memory on a single
 * 784x512 layer of constants). Wires are numbered as circom numbers them: 0 the constant 1, then the public
 * outputs, the public inputs, the private inputs, then internal signals. Constraints per op:
 *   input range      B booleans b(b - 1) = 0 and (sum b_i 2^i - (x - min)) * 1 = 0
 *   requant          K booleans, (sum b_j 2^j - acc - 2^(K-1)) * 1 = 0, then relu: b_{K-1} * m = out, or
 *                    signed: (out - m + (1 - b_{K-1}) 2^(K-1-S)) * 1 = 0, with m = sum_{S<=j<K-1} b_j 2^(j-S)
 *   linear output    (y - acc) * 1 = 0 where a dense/conv is not followed by a requant; sum pool likewise; a
 *                    plain copy (y = x) is no constraint, as circom --O1 removes it (a public output's copy too:
 *                    the copied wire is replaced by the output, see substitutionStart)
 *   max pool         per further window value: R booleans, (sum - (v - m + 2^(R-1))) * 1 = 0, c * (v - m) = m' - m
 *   private weights  p = w * x per multiply-accumulate
 *   packed input     (limb - sum (x - min) 2^(Bt)) * 1 = 0
 *   label            N booleans, (sum s - 1) * 1 = 0, (label - sum i s_i) * 1 = 0, prod_i = s_i y_i, and R-bit
 *                    differences sum prod - y_i - [i < label]
 *   hashes           the reference Poseidon permutation (circomlib's constants): 3 constraints per S-box
 *                    (x^2, x^4, x^5), (8 t + partial rounds) S-boxes, the linear layers folded into the next
 *                    S-box's linear combinations (circom --O1 keeps them as constraints: 2,092 for Poseidon(16)
 *                    against 612 here); chained as ZkmlHashChain; weights range-checked and packed as in circom
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { clampHighBits, irShapes, opPlan, QModel, QOp, requantValue, runIR } from "../../ir/ir";
import { argmax } from "../../model/format";
import { BN254_R, fieldInverse, fieldOf, writeWtns } from "../../snark/r1cs";
import { DEFAULT_VISIBILITY, hashBlocks, labelBits, packValues, paramWidths, perLimb, privateWeightsModel, Visibility } from "../../statement/visibility";

/** A linear combination: wire -> coefficient (signed integers; reduced mod r when written). */
type LC = Map<number, bigint>;

const lc = (...terms: [number, bigint][]): LC => {
  const m: LC = new Map();
  for (const [w, c] of terms) addTerm(m, w, c);
  return m;
};
function addTerm(m: LC, w: number, c: bigint): void {
  if (c === 0n) return;
  const v = (m.get(w) ?? 0n) + c;
  if (v === 0n) m.delete(w);
  else m.set(w, v);
}
const ONE = 0;

/** Streams constraints into the r1cs file; patches the counts into the header at the end. */
class R1csWriter {
  private fd: number;
  private pos = 0;
  private buf = Buffer.alloc(1 << 22);
  private used = 0;
  private sectionStart = 0;
  constraints = 0;
  private headerAt = 0;

  constructor(readonly file: string, readonly counts: { nPubOut: number; nPubIn: number; nPrvIn: number }) {
    this.fd = fs.openSync(file, "w");
    const head = Buffer.alloc(12);
    head.write("r1cs", 0, "latin1");
    head.writeUInt32LE(1, 4);
    head.writeUInt32LE(3, 8);
    this.raw(head);
    // section 1: header, patched in finish()
    const h = Buffer.alloc(12 + 4 + 32 + 4 * 4 + 8 + 4);
    h.writeUInt32LE(1, 0);
    h.writeBigUInt64LE(BigInt(h.length - 12), 4);
    this.headerAt = this.pos;
    this.raw(h);
    // section 2: constraints, size patched in finish()
    const s = Buffer.alloc(12);
    s.writeUInt32LE(2, 0);
    this.raw(s);
    this.sectionStart = this.pos;
  }

  private raw(b: Buffer): void {
    this.flush();
    fs.writeSync(this.fd, b, 0, b.length, this.pos);
    this.pos += b.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    fs.writeSync(this.fd, this.buf, 0, this.used, this.pos);
    this.pos += this.used;
    this.used = 0;
  }

  private room(n: number): void {
    if (this.used + n > this.buf.length) this.flush();
    if (n > this.buf.length) this.buf = Buffer.alloc(n);
  }

  private writeLC(m: LC): void {
    this.room(4 + m.size * 36);
    this.buf.writeUInt32LE(m.size, this.used);
    this.used += 4;
    // snarkjs expects each linear combination's wires in increasing order
    for (const w of [...m.keys()].sort((a, b) => a - b)) {
      this.buf.writeUInt32LE(w, this.used);
      let x = fieldOf(m.get(w)!);
      for (let i = 0; i < 32; i++, x >>= 8n) this.buf[this.used + 4 + i] = Number(x & 0xffn);
      this.used += 36;
    }
  }

  add(a: LC, b: LC, c: LC): void {
    this.writeLC(a);
    this.writeLC(b);
    this.writeLC(c);
    this.constraints++;
  }

  finish(nWires: number): void {
    this.flush();
    const size = this.pos - this.sectionStart;
    const s = Buffer.alloc(8);
    s.writeBigUInt64LE(BigInt(size));
    fs.writeSync(this.fd, s, 0, 8, this.sectionStart - 8);
    // section 3: wire -> label (identity)
    const map = Buffer.alloc(12 + 8 * nWires);
    map.writeUInt32LE(3, 0);
    map.writeBigUInt64LE(BigInt(8 * nWires), 4);
    for (let i = 0; i < nWires; i++) map.writeBigUInt64LE(BigInt(i), 12 + 8 * i);
    this.raw(map);
    const h = Buffer.alloc(4 + 32 + 16 + 8 + 4);
    h.writeUInt32LE(32, 0);
    let p = BN254_R;
    for (let i = 0; i < 32; i++, p >>= 8n) h[4 + i] = Number(p & 0xffn);
    h.writeUInt32LE(nWires, 36);
    h.writeUInt32LE(this.counts.nPubOut, 40);
    h.writeUInt32LE(this.counts.nPubIn, 44);
    h.writeUInt32LE(this.counts.nPrvIn, 48);
    h.writeBigUInt64LE(BigInt(nWires), 52);
    h.writeUInt32LE(this.constraints, 60);
    fs.writeSync(this.fd, h, 0, h.length, this.headerAt + 12);
    fs.closeSync(this.fd);
  }
}

/** Where a build goes: constraints to a writer (compile), values to a witness (prove), or both. */
interface Sink {
  constrain(a: LC, b: LC, c: LC): void;
}

export interface DirectResult {
  constraints: number;
  wires: number;
  publicOutputs: number;
  publicInputs: number;
  privateInputs: number;
  /** the witness, when an input was given */
  witness?: bigint[];
}

/** circomlib's Poseidon constants (round constants C and MDS matrices M per width t), from circomlibjs. */
let poseidonConstants: { C: bigint[][]; M: bigint[][][] } | undefined;
function poseidonParams(): { C: bigint[][]; M: bigint[][][] } {
  if (!poseidonConstants) {
    const file = path.join(path.dirname(require.resolve("circomlibjs")), "..", "src", "poseidon_constants.json");
    const raw = JSON.parse(fs.readFileSync(file, "utf8")) as { C: string[][]; M: string[][][] };
    poseidonConstants = { C: raw.C.map((r) => r.map((v) => BigInt(v))), M: raw.M.map((m) => m.map((r) => r.map((v) => BigInt(v)))) };
  }
  return poseidonConstants;
}
/** Partial rounds per width t = 2..17 (circomlib's), and 8 full rounds. */
const POSEIDON_PARTIAL = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

/**
 * Build the circuit of `q` under `vis`: write its r1cs to `r1csFile` when given, and its witness for input `x`
 * when given (values from the reference interpreter). Either or both.
 */
export function buildDirect(q: QModel, vis: Visibility = DEFAULT_VISIBILITY, opts: { r1csFile?: string; x?: readonly bigint[]; wtnsFile?: string } = {}): DirectResult {
  const privateWeights = vis.weights !== "fixed";
  const qc = privateWeights ? privateWeightsModel(q) : q;
  const shapes = irShapes(qc);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const nIn = size(shapes[0]), nOut = size(shapes[shapes.length - 1]);
  const B = q.input.bits;
  const limbs = Math.ceil(nIn / perLimb(B));
  const linear = qc.ops.flatMap((op, k) => (op.op === "dense" || op.op === "conv2d" ? [{ op, k }] : []));
  const nParams = privateWeights ? linear.reduce((a, { op }) => a + op.weights.length + op.bias.length, 0) : 0;

  const nPubOut = vis.output === "public" ? nOut : 1;
  const nPubIn = (vis.input === "public" ? nIn : vis.input === "packed" ? limbs : vis.input === "hashed" ? 1 : 0) + (vis.weights === "hashed" ? 1 : 0);
  const nPrvIn = (vis.input === "public" ? 0 : nIn) + nParams;

  const withWitness = opts.x !== undefined;
  const trace = withWitness ? runIR(q, opts.x!).trace : undefined;
  const values: bigint[] = [1n];
  let nWires = 1;
  const wire = (v?: bigint): number => {
    if (withWitness) values[nWires] = v ?? 0n;
    return nWires++;
  };
  const val = (w: number): bigint => (withWitness ? values[w] : 0n);
  const setVal = (w: number, v: bigint) => {
    if (withWitness) values[w] = v;
  };
  const writer = opts.r1csFile ? new R1csWriter(opts.r1csFile, { nPubOut, nPubIn, nPrvIn }) : undefined;
  let constraints = 0;
  // constraints held back while a substitution (below) may still rewrite them; null: written at once
  let pending: [LC, LC, LC][] | null = null;
  const sink: Sink = {
    constrain(a, b, c) {
      constraints++;
      if (pending) pending.push([a, b, c]);
      else writer?.add(a, b, c);
    },
  };
  const linearZero = (m: LC) => sink.constrain(m, lc([ONE, 1n]), new Map());
  const boolean = (w: number) => sink.constrain(lc([w, 1n]), lc([w, 1n], [ONE, -1n]), new Map());
  const lcVal = (m: LC): bigint => {
    let v = 0n;
    for (const [w, c] of m) v += c * (w === ONE ? 1n : val(w));
    return fieldOf(v);
  };
  /** x^5 of a linear combination: three constraints, the result a new wire. */
  const pow5 = (x: LC): LC => {
    const xv = lcVal(x);
    const x2 = wire((xv * xv) % BN254_R);
    sink.constrain(x, x, lc([x2, 1n]));
    const x4 = wire((val(x2) * val(x2)) % BN254_R);
    sink.constrain(lc([x2, 1n]), lc([x2, 1n]), lc([x4, 1n]));
    const x5 = wire((val(x4) * xv) % BN254_R);
    sink.constrain(lc([x4, 1n]), x, lc([x5, 1n]));
    return lc([x5, 1n]);
  };
  /** circomlib's Poseidon(n) of n linear combinations (the reference permutation, state[0] out). */
  const poseidon = (inputs: LC[]): LC => {
    const { C, M } = poseidonParams();
    const t = inputs.length + 1;
    const partial = POSEIDON_PARTIAL[t - 2];
    let state: LC[] = [lc(), ...inputs.map((m) => new Map(m))];
    for (let r = 0; r < 8 + partial; r++) {
      state = state.map((m, i) => {
        const a = new Map(m);
        addTerm(a, ONE, C[t - 2][r * t + i]);
        return a;
      });
      if (r < 4 || r >= 4 + partial) state = state.map(pow5);
      else state[0] = pow5(state[0]);
      state = state.map((_, i) => {
        const out = lc();
        state.forEach((m, j) => {
          for (const [w, c] of m) addTerm(out, w, (M[t - 2][i][j] * c) % BN254_R);
        });
        return out;
      });
    }
    return state[0];
  };
  /** ZkmlHashChain: Poseidon of up to 16, then the previous hash and up to 15 more per block. */
  const hashChain = (values: LC[]): LC => {
    const sizes = hashBlocks(values.length);
    let h = poseidon(values.slice(0, sizes[0]));
    let at = sizes[0];
    for (const sz of sizes.slice(1)) {
      h = poseidon([h, ...values.slice(at, at + sz - 1)]);
      at += sz - 1;
    }
    return h;
  };

  try {
    // wires in circom's order: public outputs, public inputs, private inputs
    const outWires = Array.from({ length: nPubOut }, () => wire());
    const x = opts.x ?? [];
    let xWires: number[];
    let packedWires: number[] = [];
    let xHashWire = -1, wHashWire = -1;
    if (vis.input === "public") xWires = Array.from({ length: nIn }, (_, i) => wire(fieldOf(x[i] ?? 0n)));
    else {
      if (vis.input === "packed") {
        const packed = withWitness ? packValues(x, B, q.input.min) : [];
        packedWires = Array.from({ length: limbs }, (_, j) => wire(packed[j]));
      }
      if (vis.input === "hashed") xHashWire = wire();
      if (vis.weights === "hashed") wHashWire = wire();
      xWires = Array.from({ length: nIn }, (_, i) => wire(fieldOf(x[i] ?? 0n)));
    }
    if (vis.input === "public" && vis.weights === "hashed") wHashWire = wire();
    const paramWires = new Map<number, { w: number[]; b: number[] }>();
    if (privateWeights)
      for (const { op, k } of linear)
        paramWires.set(k, { w: op.weights.map((v) => wire(fieldOf(v))), b: op.bias.map((v) => wire(fieldOf(v))) });

    // input range checks: x - min in [0, 2^B)
    xWires.forEach((xw, i) => {
      const u = withWitness ? x[i] - q.input.min : 0n;
      const sum = lc([xw, -1n], [ONE, q.input.min]);
      for (let j = 0; j < B; j++) {
        const b = wire((u >> BigInt(j)) & 1n);
        boolean(b);
        addTerm(sum, b, 1n << BigInt(j));
      }
      linearZero(sum);
    });
    // limb j of values v (wires) in [lo, lo + 2^P): sum_t (v - lo) 2^(P t), as a linear combination
    const limbLCs = (vs: number[], P: number, lo: bigint): LC[] => {
      const c = perLimb(P);
      const out: LC[] = [];
      for (let j = 0; j * c < vs.length; j++) {
        const m = lc();
        for (let t = 0; t < c && j * c + t < vs.length; t++) {
          addTerm(m, vs[j * c + t], 1n << BigInt(P * t));
          addTerm(m, ONE, -(lo << BigInt(P * t)));
        }
        out.push(m);
      }
      return out;
    };
    if (vis.input === "packed")
      limbLCs(xWires, B, q.input.min).forEach((m, j) => {
        addTerm(m, packedWires[j], -1n);
        linearZero(m);
      });
    if (vis.input === "hashed") {
      const h = hashChain(limbLCs(xWires, B, q.input.min));
      setVal(xHashWire, lcVal(h));
      linearZero(lc([xHashWire, -1n], ...h));
    }
    if (vis.weights === "hashed") {
      // each parameter range-checked to its tensor's width P, then packed and hashed, as the circom renderer does
      const widths = new Map(paramWidths(q).map((w) => [w.op, w]));
      const limbsAll: LC[] = [];
      for (const { op, k } of linear) {
        const wd = widths.get(k)!;
        const pw = paramWires.get(k)!;
        for (const [ws, vals, P] of [[pw.w, op.weights, wd.weightBits], [pw.b, op.bias, wd.biasBits]] as const) {
          const lo = -(1n << BigInt(P - 1));
          ws.forEach((w, i) => {
            const u = vals[i] - lo;
            const sum = lc([w, -1n], [ONE, lo]);
            for (let j = 0; j < P; j++) {
              const b = wire((u >> BigInt(j)) & 1n);
              boolean(b);
              addTerm(sum, b, 1n << BigInt(j));
            }
            linearZero(sum);
          });
          limbsAll.push(...limbLCs(ws, P, lo));
        }
      }
      const h = hashChain(limbsAll);
      setVal(wHashWire, lcVal(h));
      linearZero(lc([wHashWire, -1n], ...h));
    }

    // the model: each tensor element is a wire
    const isLast = (k: number) => k === qc.ops.length - 1;
    const finalWires = vis.output === "public" ? outWires : undefined;
    // circom --O1 removes signal-to-signal equalities: a public output that is a plain copy of one internal value
    // (a row with a single weight of 1 and no bias: y = x) makes circom replace x by y in every constraint and drop
    // the equation. The same here: such outputs are found before the model is written, the constraints from the op
    // that makes their inputs on are held back, then x is replaced by y and its wire removed
    const bufferFrom = !privateWeights && finalWires ? substitutionStart(qc, shapes) : -1;
    let pendingFrom = 0;
    const subst = new Map<number, { y: number }>();
    let cur = xWires;
    for (let k = 0; k < qc.ops.length; k++) {
      const op: QOp = qc.ops[k];
      if (k === bufferFrom) {
        pending = [];
        pendingFrom = nWires;
      }
      const inShape = shapes[k];
      const n = size(shapes[k + 1]);
      switch (op.op) {
        case "dense":
        case "conv2d": {
          // accumulators as linear combinations (fixed weights) or sums of product wires (private weights)
          const params = paramWires.get(k);
          const accs: LC[] = [];
          const accVals: bigint[] = [];
          const pushMac = (acc: LC, wIdx: number, w: bigint, xw: number): bigint => {
            if (!params) {
              addTerm(acc, xw, w);
              return w * signed(val(xw));
            }
            const p = wire(fieldOf(w * signed(val(xw))));
            sink.constrain(lc([params.w[wIdx], 1n]), lc([xw, 1n]), lc([p, 1n]));
            addTerm(acc, p, 1n);
            return w * signed(val(xw));
          };
          if (op.op === "dense") {
            for (let o = 0; o < op.units; o++) {
              const acc: LC = params ? lc([params.b[o], 1n]) : lc([ONE, op.bias[o]]);
              let v = op.bias[o];
              for (let i = 0; i < op.inSize; i++) v += pushMac(acc, o * op.inSize + i, op.weights[o * op.inSize + i], cur[i]);
              accs.push(acc);
              accVals.push(v);
            }
          } else {
            const p = opPlan(op, inShape);
            const per = op.weights.length / op.filters;
            for (let o = 0; o < n; o++) {
              const f = p.channel[o];
              const acc: LC = params ? lc([params.b[f], 1n]) : lc([ONE, op.bias[f]]);
              let v = op.bias[f];
              for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) v += pushMac(acc, f * per + p.weight[t], op.weights[f * per + p.weight[t]], cur[p.input[t]]);
              accs.push(acc);
              accVals.push(v);
            }
          }
          const next = qc.ops[k + 1];
          if (next?.op === "requant") {
            cur = accs.map((acc, i) => requant(acc, accVals[i], next, isLast(k + 1) ? finalWires?.[i] : undefined));
            k++;
          } else {
            cur = accs.map((acc, i) => {
              // a sum that is just one wire (one weight of 1, no bias) needs no wire of its own: circom --O1
              // substitutes such copies away too
              const only = acc.size === 1 ? [...acc.entries()][0] : undefined;
              const copy = only && only[0] !== ONE && only[1] === 1n ? only[0] : undefined;
              const toOutput = isLast(k) && finalWires;
              if (copy !== undefined && !toOutput) return copy;
              const y = toOutput ? finalWires[i] : wire();
              setVal(y, fieldOf(accVals[i]));
              // a public output copying a wire of the held-back ops: that wire becomes the output (flushed below)
              if (copy !== undefined && pending && copy >= pendingFrom && !subst.has(copy)) {
                subst.set(copy, { y });
                return y;
              }
              addTerm(acc, y, -1n);
              linearZero(acc);
              return y;
            });
          }
          break;
        }
        case "sumpool2d": {
          const p = opPlan(op, inShape);
          cur = Array.from({ length: n }, (_, o) => {
            const y = isLast(k) && finalWires ? finalWires[o] : wire();
            const m = lc([y, -1n]);
            let v = 0n;
            for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) {
              addTerm(m, cur[p.input[t]], 1n);
              v += signed(val(cur[p.input[t]]));
            }
            setVal(y, fieldOf(v));
            linearZero(m);
            return y;
          });
          break;
        }
        case "maxpool2d": {
          const p = opPlan(op, inShape);
          const R = op.bits;
          cur = Array.from({ length: n }, (_, o) => {
            let m = cur[p.input[o * p.taps]];
            const count = p.count[o];
            if (count === 1) {
              const y = isLast(k) && finalWires ? finalWires[o] : wire(val(m));
              linearZero(lc([y, 1n], [m, -1n]));
              return y;
            }
            for (let t = 1; t < count; t++) {
              const v = cur[p.input[o * p.taps + t]];
              const d = signed(val(v)) - signed(val(m)) + (1n << BigInt(R - 1));
              const sum = lc([v, -1n], [m, 1n], [ONE, -(1n << BigInt(R - 1))]);
              let c = 0;
              for (let j = 0; j < R; j++) {
                const b = wire((d >> BigInt(j)) & 1n);
                boolean(b);
                addTerm(sum, b, 1n << BigInt(j));
                if (j === R - 1) c = b;
              }
              linearZero(sum);
              const last = t === count - 1 && isLast(k) && finalWires ? finalWires[o] : undefined;
              const next = last ?? wire();
              setVal(next, val(c) === 1n ? val(v) : val(m));
              // c * (v - m) = next - m
              sink.constrain(lc([c, 1n]), lc([v, 1n], [m, -1n]), lc([next, 1n], [m, -1n]));
              m = next;
            }
            return m;
          });
          break;
        }
        case "requant": {
          // a requant not fused into a linear op (after a pool or at the start): its input wires are the sum
          cur = cur.map((w, i) => requant(lc([w, 1n]), signed(val(w)), op, isLast(k) ? finalWires?.[i] : undefined));
          break;
        }
        case "flatten":
          break;
      }
      const outTrace = trace?.[k + 1]; // after a fused requant, k is the requant's index
      if (withWitness && outTrace) {
        // the values flowing out of this op must be the reference interpreter's
        const got = cur.map((w) => signed(val(w)));
        if (got.length !== outTrace.length || got.some((v, i) => v !== outTrace[i]))
          throw new ZkmlError("STAGE_FAILED", `direct backend: ops[${k}] values differ from the reference interpreter`, { hint: "a bug in src/direct.ts; please report it" });
      }
    }

    function requant(acc: LC, accVal: bigint, op: Extract<QOp, { op: "requant" }>, into?: number): number {
      const K = op.bits, S = op.shift;
      const u = accVal + (1n << BigInt(K - 1));
      const sum = lc([ONE, -(1n << BigInt(K - 1))]);
      for (const [w, c] of acc) addTerm(sum, w, -c);
      const bits: number[] = [];
      for (let j = 0; j < K; j++) {
        const b = wire((u >> BigInt(j)) & 1n);
        boolean(b);
        addTerm(sum, b, 1n << BigInt(j));
        bits.push(b);
      }
      linearZero(sum);
      const out = into ?? wire();
      setVal(out, fieldOf(requantValue(accVal, S, op.relu, op.clamp)));
      const H = clampHighBits(op);
      if (H > 0) {
        // saturated: as src/circom.ts clampedRequantLines
        const A = op.clamp!, sign = bits[K - 1];
        const lo = lc();
        for (let j = S; j < (op.relu ? S + A : S + A - 1); j++) addTerm(lo, bits[j], 1n << BigInt(j - S));
        const hs = lc();
        for (let j = K - 1 - H; j < K - 1; j++) addTerm(hs, bits[j], 1n);
        let h = hs;
        if (!op.relu) {
          // h = hs + (1 - sign)(H - 2 hs)
          const hw = wire();
          const hsv = lcVal(hs), sv = val(sign);
          setVal(hw, fieldOf(hsv + (1n - sv) * (BigInt(H) - 2n * hsv)));
          const f = lc([ONE, BigInt(H)]);
          for (const [w, c] of hs) addTerm(f, w, -2n * c);
          const rhs = lc([hw, 1n]);
          for (const [w, c] of hs) addTerm(rhs, w, -c);
          sink.constrain(lc([ONE, 1n], [sign, -1n]), f, rhs);
          h = lc([hw, 1n]);
        }
        const hv = lcVal(h);
        const inv = wire(hv === 0n ? 0n : fieldInverse(hv));
        const o = wire(hv === 0n ? 0n : 1n);
        sink.constrain(h, lc([inv, 1n]), lc([o, 1n]));
        sink.constrain(h, lc([ONE, 1n], [o, -1n]), new Map());
        sink.constrain(lc([ONE, 1n], [o, -1n]), lc([inv, 1n]), new Map());
        if (op.relu) {
          const t = wire(fieldOf(val(o) * ((1n << BigInt(A)) - 1n - lcVal(lo))));
          const cMinusLo = lc([ONE, (1n << BigInt(A)) - 1n]);
          for (const [w, c] of lo) addTerm(cMinusLo, w, -c);
          sink.constrain(lc([o, 1n]), cMinusLo, lc([t, 1n]));
          const loT = lc([t, 1n]);
          for (const [w, c] of lo) addTerm(loT, w, c);
          sink.constrain(lc([sign, 1n]), loT, lc([out, 1n]));
        } else {
          // o (sign (2^(A-1) - 1) - lo) = out - lo + (1 - sign) 2^(A-1)
          const half = 1n << BigInt(A - 1);
          const d = lc([sign, half - 1n]);
          for (const [w, c] of lo) addTerm(d, w, -c);
          const rhs = lc([out, 1n], [ONE, half], [sign, -half]);
          for (const [w, c] of lo) addTerm(rhs, w, -c);
          sink.constrain(lc([o, 1n]), d, rhs);
        }
        return out;
      }
      const m = lc();
      for (let j = S; j < K - 1; j++) addTerm(m, bits[j], 1n << BigInt(j - S));
      if (op.relu) sink.constrain(lc([bits[K - 1], 1n]), m, lc([out, 1n]));
      else {
        // out = m - (1 - sign) 2^(K-1-S)
        const c = 1n << BigInt(K - 1 - S);
        const e = lc([out, 1n], [ONE, c], [bits[K - 1], -c]);
        for (const [w, cf] of m) addTerm(e, w, -cf);
        linearZero(e);
      }
      return out;
    }

    if (pending) {
      // substitute, renumber the wires after each removed one, write
      const held = pending;
      pending = null;
      const removed = [...subst.keys()].sort((a, b) => a - b);
      const renumber = (w: number) => {
        let lo = 0, hi = removed.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (removed[mid] < w) lo = mid + 1;
          else hi = mid;
        }
        return w - lo;
      };
      const rewrite = (m: LC): LC => {
        const out: LC = new Map();
        const add = (w: number, c: bigint) => {
          const v = fieldOf((out.get(w) ?? 0n) + c);
          if (v === 0n) out.delete(w);
          else out.set(w, v);
        };
        for (const [w, c] of m) {
          const s = subst.get(w);
          if (!s) add(renumber(w), c);
          else add(s.y, c); // x = y
        }
        return out;
      };
      for (const [a, b, c] of held) writer?.add(rewrite(a), rewrite(b), rewrite(c));
      for (let i = removed.length - 1; i >= 0; i--) if (withWitness) values.splice(removed[i], 1);
      nWires -= removed.length;
    }

    // the output part
    if (vis.output === "label") {
      const y = cur;
      const yv = y.map((w) => signed(val(w)));
      const best = withWitness ? argmax(yv) : 0;
      const R = labelBits(q, vis.weights);
      // with two outputs the label is the second selector itself (circom substitutes that copy away as well)
      // with one output the selector is the constant 1 (wire 0): nothing to check but the label being 0
      const s = y.map((_, i) => (y.length === 1 ? ONE : y.length === 2 && i === 1 ? outWires[0] : wire(BigInt(i === best ? 1 : 0))));
      setVal(outWires[0], BigInt(best));
      if (y.length > 1) {
        s.forEach(boolean);
        linearZero(lc([ONE, -1n], ...s.map((w) => [w, 1n] as [number, bigint])));
      }
      if (y.length !== 2) linearZero(lc([outWires[0], 1n], ...s.map((w, i) => [w, -BigInt(i)] as [number, bigint])));
      const prod = y.map((yw, i) => {
        const p = wire(fieldOf(i === best ? yv[i] : 0n));
        sink.constrain(lc([s[i], 1n]), lc([yw, 1n]), lc([p, 1n]));
        return p;
      });
      y.forEach((yw, i) => {
        const later = i < best ? 1n : 0n;
        const diff = withWitness ? yv[best] - yv[i] - later : 0n;
        const sum = lc(...prod.map((p) => [p, -1n] as [number, bigint]), [yw, 1n]);
        for (let j = i + 1; j < y.length; j++) addTerm(sum, s[j], 1n);
        for (let b = 0; b < R; b++) {
          const d = wire((diff >> BigInt(b)) & 1n);
          boolean(d);
          addTerm(sum, d, 1n << BigInt(b));
        }
        linearZero(sum);
      });
    } else if (vis.output === "hashed") {
      const h = hashChain(cur.map((w) => lc([w, 1n])));
      setVal(outWires[0], lcVal(h));
      linearZero(lc([outWires[0], -1n], ...h));
    } else if (cur.some((w, i) => w !== outWires[i])) {
      // an output that is not already a public wire (e.g. after a flatten): bind it
      cur.forEach((w, i) => {
        if (w === outWires[i]) return;
        setVal(outWires[i], val(w));
        linearZero(lc([outWires[i], 1n], [w, -1n]));
      });
    }
  } catch (e) {
    if (writer) {
      try {
        writer.finish(nWires);
      } catch {
        /* the file is removed below */
      }
      fs.rmSync(writer.file, { force: true });
    }
    throw e;
  }
  writer?.finish(nWires);
  const result: DirectResult = { constraints, wires: nWires, publicOutputs: nPubOut, publicInputs: nPubIn, privateInputs: nPrvIn };
  if (withWitness) {
    result.witness = values;
    if (opts.wtnsFile) writeWtns(opts.wtnsFile, values);
  }
  return result;
}

/**
 * Where the direct writer starts holding constraints back for circom's removal of copied outputs: the op that makes
 * the final linear op's inputs (the linear op it is fused into, for a requant), when the final op has constant
 * weights, some output that copies one input (one non-zero weight, equal to 1, and no bias), and inputs that are
 * not the circuit's own. -1: nothing to substitute, everything is written as it comes.
 */
function substitutionStart(q: QModel, shapes: number[][]): number {
  const k = q.ops.length - 1;
  const op = q.ops[k];
  if (!op || (op.op !== "dense" && op.op !== "conv2d")) return -1;
  // a copy: bias 0 and exactly one non-zero weight, which is 1
  const copies = (ws: bigint[], bias: bigint) => bias === 0n && ws.filter((w) => w !== 0n).length === 1 && ws.some((w) => w === 1n);
  let single = false;
  if (op.op === "dense") {
    for (let o = 0; o < op.units && !single; o++) single = copies(op.weights.slice(o * op.inSize, (o + 1) * op.inSize), op.bias[o]);
  } else {
    const p = opPlan(op, shapes[k]);
    const per = op.weights.length / op.filters;
    for (let o = 0; o < p.count.length && !single; o++) {
      const ws: bigint[] = [];
      for (let t = o * p.taps, e = t + p.count[o]; t < e; t++) ws.push(op.weights[p.channel[o] * per + p.weight[t]]);
      single = copies(ws, op.bias[p.channel[o]]);
    }
  }
  if (!single) return -1;
  let p = k - 1;
  while (p >= 0 && q.ops[p].op === "flatten") p--;
  if (p < 0) return -1;
  return q.ops[p].op === "requant" && p > 0 && (q.ops[p - 1].op === "dense" || q.ops[p - 1].op === "conv2d") ? p - 1 : p;
}

/** A field element read back as the signed integer it stands for. */
function signed(v: bigint): bigint {
  return v > BN254_R / 2n ? v - BN254_R : v;
}

/** The IR as JSON (bigints as decimal strings), for a child process. */
export function irToJson(q: QModel): string {
  return JSON.stringify(q, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Back from irToJson: weights, biases and the input minimum as bigints. */
export function irFromJson(text: string): QModel {
  const q = JSON.parse(text);
  q.input.min = BigInt(q.input.min);
  for (const op of q.ops) if (op.op === "dense" || op.op === "conv2d") {
    op.weights = op.weights.map(BigInt);
    op.bias = op.bias.map(BigInt);
  }
  return q as QModel;
}

/** Stage (child process): write the r1cs of the IR in `ir` (a file from irToJson). */
export async function directCompile(args: { ir: string; visibility: Visibility; r1cs: string }): Promise<{ r1cs: string; wasm: string; sym: string; constraints: number; wires: number; publicInputs: number; publicOutputs: number; privateInputs: number; log: string }> {
  const q = irFromJson(fs.readFileSync(args.ir, "utf8"));
  const tmp = `${args.r1cs}.tmp-${process.pid}`;
  fs.mkdirSync(path.dirname(args.r1cs), { recursive: true });
  const r = buildDirect(q, args.visibility, { r1csFile: tmp });
  fs.renameSync(tmp, args.r1cs);
  return { r1cs: args.r1cs, wasm: "", sym: "", constraints: r.constraints, wires: r.wires, publicInputs: r.publicInputs, publicOutputs: r.publicOutputs, privateInputs: r.privateInputs, log: "direct backend" };
}

/** Stage (child process): the witness of input `x` (decimal strings), written to `wtns`. */
export async function directWitness(args: { ir: string; visibility: Visibility; x: string[]; wtns: string }): Promise<{ wires: number }> {
  const q = irFromJson(fs.readFileSync(args.ir, "utf8"));
  const tmp = `${args.wtns}.tmp-${process.pid}`;
  const r = buildDirect(q, args.visibility, { x: args.x.map(BigInt), wtnsFile: tmp });
  fs.renameSync(tmp, args.wtns);
  return { wires: r.wires };
}
