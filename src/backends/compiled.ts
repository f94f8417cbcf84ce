/**
 * What compiling a circuit hands on, whichever backend compiled it: the r1cs (and for circom the witness
 * calculator's wasm and the symbols), and the counts from the r1cs header.
 */
import type { FileDigest } from "../core/files";

export interface CompileResult {
  r1cs: string;
  wasm: string;
  sym: string;
  constraints: number;
  wires: number;
  publicInputs: number;
  publicOutputs: number;
  privateInputs: number;
  /** PLONK/FFLONK gates, counted when first needed. */
  plonkGates?: number;
  log: string;
  /** The content hash of each file the compile wrote (r1cs, and for circom its wasm), recorded in compile.json
   * when they were written and checked whenever they are reused (src/core/files.ts checkDigest). */
  digests?: { r1cs?: FileDigest; wasm?: FileDigest };
}
