/**
 * The direct backend's stages, run in child processes of their own (src/pipeline/runner.ts): write a circuit's
 * r1cs from its IR file, and compute a witness. Each writes to a temporary name and renames it into place.
 */
import * as fs from "fs";
import { produceAtomic } from "../../core/files";
import { irFromJson } from "../../ir/serialize";
import { Visibility } from "../../statement/visibility";
import { buildDirect } from "./lower";
import type { CompileResult } from "../compiled";

/** Stage (child process): write the r1cs of the IR in `ir` (a file from irToJson). */
export async function directCompile(args: { ir: string; visibility: Visibility; r1cs: string }): Promise<CompileResult> {
  const q = irFromJson(fs.readFileSync(args.ir, "utf8"));
  const r = await produceAtomic(args.r1cs, async (tmp) => buildDirect(q, args.visibility, { r1csFile: tmp }));
  return { r1cs: args.r1cs, wasm: "", sym: "", constraints: r.constraints, wires: r.wires, publicInputs: r.publicInputs, publicOutputs: r.publicOutputs, privateInputs: r.privateInputs, log: "direct backend" };
}

/** Stage (child process): the witness of input `x` (decimal strings) with the statement's context and salts (`opening`, decimal strings), written to `wtns`. */
export async function directWitness(args: { ir: string; visibility: Visibility; x: string[]; opening?: Record<string, string>; wtns: string }): Promise<{ wires: number }> {
  const q = irFromJson(fs.readFileSync(args.ir, "utf8"));
  const opening = Object.fromEntries(Object.entries(args.opening ?? {}).map(([k, v]) => [k, BigInt(v)]));
  const r = await produceAtomic(args.wtns, async (tmp) => buildDirect(q, args.visibility, { x: args.x.map(BigInt), opening, wtnsFile: tmp }));
  return { wires: r.wires };
}
