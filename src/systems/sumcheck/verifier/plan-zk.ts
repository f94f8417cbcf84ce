/**
 * What both sides of a zero-knowledge proof derive from the architecture alone (native/src/sumcheck/network_zk.rs
 * `Plan`): the layouts, each op's masks and the joint merge's vectors. It fixes every count of format 3's bytes.
 *
 * Masks are allocated from the last op down: a dense op (n inputs) takes b's pad, a's slot (unless its input is x),
 * W's slot, then Libra's mask of its sumcheck (factors W~(p, .) and a, hidden: [W's slot, a's slot or none]); a
 * requant takes q's and r's pads, then its range lookup's masks (2^log2(len) rows into 2^shift) and its activation
 * lookup's (into 2^(bits - shift)). Vectors, in the merge's order: 0 the model, 1 the witness, 2 the masks (2^log2 of
 * the entries allocated), then per requant from the last down its range lookup's h_f (2^log2(len)) and h_t (2^shift)
 * and its activation lookup's h_f and h_t (2^(bits - shift)).
 *
 * Refused (ZkmlError IR_INVALID, as the Rust Plan refuses them): ops other than dense, requant and flatten; a dense
 * op of one input column; a requant of one value, or of shift 0 (each lookup needs two rows a side); a network
 * without a requant.
 */
import { ZkmlError } from "../../../core/errors";
import { log2Ceil } from "./field";
import type { CheckedArch } from "./architecture";
import { layoutsOf, Layout } from "./layout";
import { jointParams, JointParams } from "./joint";
import { lookupMasks, LookupMasks } from "./logup-zk";
import { libraFor, LibraMask, MaskAlloc, ZkShape } from "./zk";
import { HYRAX_TAG } from "./network";

export type OpMasks =
  | { kind: "dense"; b: number; shape: ZkShape; libra: LibraMask }
  | { kind: "requant"; q: number; r: number; range: LookupMasks; act: LookupMasks }
  | { kind: "none" };

export interface Plan {
  arch: CheckedArch;
  model: Layout;
  witness: Layout;
  masks: OpMasks[];
  /** Per requant (op index), its first helper vector's index (range h_f, range h_t, activation h_f, h_t). */
  helperBase: number[];
  joint: JointParams;
}

const unsupported = (what: string) => new ZkmlError("IR_INVALID", `sumcheck architecture: the zero-knowledge sumcheck system proves dense, requant and flatten ops so far: ${what}`);

function denseMasks(k: number, n: number, alloc: MaskAlloc): OpMasks {
  const vars = log2Ceil(n);
  if (vars === 0) throw unsupported(`ops[${k}] dense of one input column (a sumcheck needs two)`);
  const b = alloc.take(1);
  const aSlot = k > 0 ? alloc.take(1) : null;
  const shape: ZkShape = { numVars: vars, slots: [alloc.take(1), aSlot] };
  return { kind: "dense", b, shape, libra: libraFor(shape, alloc) };
}

/** The Plan of a checked architecture; throws ZkmlError IR_INVALID for one the zero-knowledge system refuses. */
export function planOf(arch: CheckedArch): Plan {
  const { model, witness } = layoutsOf(arch);
  const alloc = new MaskAlloc();
  const masks: OpMasks[] = arch.ops.map(() => ({ kind: "none" }));
  const helperSizes: number[] = [];
  const helperBase: number[] = arch.ops.map(() => -1);
  for (let k = arch.ops.length - 1; k >= 0; k--) {
    const op = arch.ops[k];
    if (op.op === "dense") masks[k] = denseMasks(k, op.n, alloc);
    else if (op.op === "requant") {
      const vars = log2Ceil(arch.lens[k]);
      if (vars === 0 || op.shift === 0 || op.bits <= op.shift)
        throw unsupported(`ops[${k}] requant of ${arch.lens[k]} values, shift ${op.shift}, ${op.bits} bits (each lookup needs two rows a side)`);
      const q = alloc.take(1);
      const r = alloc.take(1);
      const range = lookupMasks(alloc, vars, op.shift);
      const act = lookupMasks(alloc, vars, op.bits - op.shift);
      helperBase[k] = 3 + helperSizes.length;
      helperSizes.push(vars, op.shift, vars, op.bits - op.shift);
      masks[k] = { kind: "requant", q, r, range, act };
    } else if (op.op !== "flatten") throw unsupported(`ops[${k}] is a ${op.op}`);
  }
  if (!witness) throw unsupported("a network without a requant");
  const joint = jointParams(HYRAX_TAG, [model.numVars, witness.numVars, log2Ceil(alloc.len), ...helperSizes]);
  return { arch, model, witness, masks, helperBase, joint };
}
