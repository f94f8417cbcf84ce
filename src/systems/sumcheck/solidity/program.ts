/**
 * What the Solidity verifier needs to know of a model, computed once here from the architecture and the committed
 * vectors' layouts (../verifier/architecture.ts, ../verifier/layout.ts) so the contract only renders it: the ops
 * from the last down as a program of uint32 words (./library.ts `Sumcheck.layers` reads it), each committed
 * column's segment index (offset / 2^vars), the claim counts, and the statement's sizes.
 *
 * Program: the op count, then per op (flatten has none, it passes the claim):
 *   dense m x n:  1, m, n, log2ceil(m), log2ceil(n), the bias's segment, one segment per W block (row run major);
 *   requant:      2, log2ceil(len), shift, relu, bits, clamp (0: none), the segments of a, q, r, the range and the
 *                 activation multiplicities.
 * The Solidity side takes dense, requant and flatten (paper0's MLPs and the zoo's MLPs); any other op is refused.
 */
import { ZkmlError } from "../../../core/errors";
import { SumcheckArch } from "../arch";
import { checkArch, archHashOfWords, CheckedArch, pow2Parts } from "../verifier/architecture";
import { log2Ceil } from "../verifier/field";
import { layoutsOf, Layout, SegKind } from "../verifier/layout";
import { hyraxShape } from "../verifier/hyrax";

export interface SumcheckProgram {
  archHash: string;
  inputLen: number;
  inputMin: bigint;
  inputTop: bigint;
  outputLen: number;
  /** uint32 words */
  words: number[];
  model: { numVars: number; claims: number; rows: number; cols: number };
  witness: { numVars: number; claims: number; rows: number; cols: number };
}

const SOLIDITY_OPS = ["dense", "requant", "flatten"];

function segIndex(layout: Layout, op: number, kind: SegKind): number {
  const s = layout.find(op, kind);
  return s.offset / 2 ** s.vars;
}

function shapeOf(layout: Layout, claims: number) {
  const { rows, cols } = hyraxShape(layout.numVars);
  return { numVars: layout.numVars, claims, rows, cols };
}

/** The program of a checked architecture with a public input, one inference (the statement the contract takes). */
export function sumcheckProgram(arch: SumcheckArch): SumcheckProgram {
  const checked: CheckedArch = checkArch(arch);
  checked.ops.forEach((op, k) => {
    if (!SOLIDITY_OPS.includes(op.op))
      throw new ZkmlError("OPTION_INVALID", `ops[${k}] ${op.op}: the sumcheck system's Solidity verifier takes dense, requant and flatten ops so far (MLPs)`, {
        hint: "verify this model's sumcheck proofs off-chain (verify-proof --system sumcheck), or prove it on-chain with --system groth16",
      });
  });
  const layouts = layoutsOf(checked);
  if (!layouts.witness) throw new ZkmlError("OPTION_INVALID", "a network without a requant: the sumcheck system's Solidity verifier expects a witness commitment", { hint: "prove this model with --system groth16 on-chain" });
  const { model, witness } = layouts;
  const words: number[] = [];
  let ops = 0;
  let modelClaims = 0;
  let witnessClaims = 0;
  for (let k = checked.ops.length - 1; k >= 0; k--) {
    const op = checked.ops[k];
    if (op.op === "dense") {
      const rp = pow2Parts(op.m);
      const cp = pow2Parts(op.n);
      words.push(1, op.m, op.n, log2Ceil(op.m), log2Ceil(op.n), segIndex(model, k, { kind: "bias" }));
      rp.forEach((_, rb) => cp.forEach((__, cb) => words.push(segIndex(model, k, { kind: "weights", rb, cb }))));
      modelClaims += 1 + rp.length * cp.length;
      ops++;
    } else if (op.op === "requant") {
      const seg = (kind: SegKind["kind"]) => segIndex(witness, k, { kind } as SegKind);
      words.push(2, log2Ceil(checked.lens[k]), op.shift, op.relu ? 1 : 0, op.bits, op.clamp ?? 0, seg("act"), seg("quot"), seg("rem"), seg("multRange"), seg("multAct"));
      witnessClaims += 8;
      ops++;
    }
  }
  for (const w of words) if (!Number.isInteger(w) || w < 0 || w >= 2 ** 32) throw new Error(`program word ${w} is not a uint32`);
  return {
    archHash: "0x" + archHashOfWords(checked.words),
    inputLen: checked.inputLen,
    inputMin: checked.inputMin,
    inputTop: checked.inputTop,
    outputLen: checked.lens[checked.lens.length - 1],
    words: [ops, ...words],
    model: shapeOf(model, modelClaims),
    witness: shapeOf(witness, witnessClaims),
  };
}
