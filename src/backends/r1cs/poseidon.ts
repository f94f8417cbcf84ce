/**
 * circomlib's Poseidon over BN254 as constraints: the reference permutation with circomlib's round constants and
 * MDS matrices (read from circomlibjs, so both agree by construction), state[0] out. Each S-box x^5 is three
 * constraints (x^2, x^4, x^5); the linear layers are folded into the next S-box's linear combinations, which
 * circom --O1 keeps as constraints instead: Poseidon(16) is 612 constraints here against its 2,092.
 */
import * as fs from "fs";
import * as path from "path";
import { BN254_R } from "../../core/field";
import { hashBlocks } from "../../statement/commitments";
import type { R1csBuilder } from "./builder";
import { addTerm, LC, lc, ONE } from "./lc";

/** Partial rounds per width t = 2..17 (circomlib's); every width has 8 full rounds. */
export const POSEIDON_PARTIAL_ROUNDS = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

let constants: { C: bigint[][]; M: bigint[][][] } | undefined;

/** circomlib's round constants C and MDS matrices M per width, from circomlibjs's table (read once). */
function poseidonConstants(): { C: bigint[][]; M: bigint[][][] } {
  if (!constants) {
    const file = path.join(path.dirname(require.resolve("circomlibjs")), "..", "src", "poseidon_constants.json");
    const raw = JSON.parse(fs.readFileSync(file, "utf8")) as { C: string[][]; M: string[][][] };
    constants = { C: raw.C.map((r) => r.map((v) => BigInt(v))), M: raw.M.map((m) => m.map((r) => r.map((v) => BigInt(v)))) };
  }
  return constants;
}

/** x^5 of a linear combination: three constraints, the result a new wire. */
function pow5(b: R1csBuilder, x: LC): LC {
  const xv = b.value(x);
  const x2 = b.wire((xv * xv) % BN254_R);
  b.constrain(x, x, lc([x2, 1n]));
  const x4 = b.wire((b.val(x2) * b.val(x2)) % BN254_R);
  b.constrain(lc([x2, 1n]), lc([x2, 1n]), lc([x4, 1n]));
  const x5 = b.wire((b.val(x4) * xv) % BN254_R);
  b.constrain(lc([x4, 1n]), x, lc([x5, 1n]));
  return lc([x5, 1n]);
}

/** Poseidon(n) of n linear combinations (n = 1..16), its capacity starting at `initialState` (PoseidonEx's; 0 is
 * Poseidon). 3 (8t + partial rounds) constraints, t = n + 1. */
export function poseidon(b: R1csBuilder, inputs: LC[], initialState = 0n): LC {
  const { C, M } = poseidonConstants();
  const t = inputs.length + 1;
  const partial = POSEIDON_PARTIAL_ROUNDS[t - 2];
  let state: LC[] = [lc([ONE, initialState]), ...inputs.map((m) => new Map(m))];
  for (let r = 0; r < 8 + partial; r++) {
    state = state.map((m, i) => {
      const a = new Map(m);
      addTerm(a, ONE, C[t - 2][r * t + i]);
      return a;
    });
    if (r < 4 || r >= 4 + partial) state = state.map((x) => pow5(b, x));
    else state[0] = pow5(b, state[0]);
    state = state.map((_, i) => {
      const out = lc();
      state.forEach((m, j) => {
        for (const [w, c] of m) addTerm(out, w, (M[t - 2][i][j] * c) % BN254_R);
      });
      return out;
    });
  }
  return state[0];
}

/** ZkmlHashChain(N, tag): Poseidon of up to 16 values from the capacity `tag`, then the previous hash and up to 15 more per block. */
export function hashChain(b: R1csBuilder, values: LC[], tag = 0n): LC {
  const sizes = hashBlocks(values.length);
  let h = poseidon(b, values.slice(0, sizes[0]), tag);
  let at = sizes[0];
  for (const sz of sizes.slice(1)) {
    h = poseidon(b, [h, ...values.slice(at, at + sz - 1)]);
    at += sz - 1;
  }
  return h;
}
