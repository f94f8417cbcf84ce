/**
 * Test helpers: compile circom source into a temporary folder, compute witnesses, read symbols.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CompileResult } from "../../src/backends/compiled";
import { runStage } from "../../src/pipeline/runner";
import { readWtns } from "../../src/core/r1cs";

export const ROOT = path.join(__dirname, "..", "..");

/** Hardhat's default account 0, the first signer of the in-process network and of `npx hardhat node`: what the
 * default statement's proofs (bound to their submitter) are bound to in these tests, as the tasks bind them. */
export const ACCOUNT0 = 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n;

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `zkml-${prefix}-`));
}

/**
 * Compile circom source as prove-model does: in a child process of its own (src/pipeline/runner.ts). Each circom2
 * run instantiates its 9 MB WebAssembly compiler and grows up to 4 GB of memory; a few dozen of them in the test
 * process, beside everything else it holds, once ended the whole suite with V8 dying ("Illegal instruction") on
 * another machine. A child per compile keeps the test process small, and a death in one compile fails that test
 * with the child's own output instead of ending the run.
 */
export async function compileSource(source: string, dir: string, opts: { inspect?: boolean } = {}): Promise<CompileResult> {
  const file = path.join(dir, "main.circom");
  fs.writeFileSync(file, source);
  return (await runStage("compile", { circom: file, outDir: path.join(dir, "out"), root: ROOT, inspect: opts.inspect })).result;
}

export async function witness(wasm: string, input: Record<string, unknown>, dir: string): Promise<bigint[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const snarkjs = require("snarkjs");
  const file = path.join(dir, `w-${Math.random().toString(36).slice(2)}.wtns`);
  await snarkjs.wtns.calculate(input, wasm, file);
  const w = readWtns(file);
  fs.rmSync(file);
  return w;
}

/** Signal name -> witness index, from circom's .sym file (entries circom optimised away are skipped). */
export function readSym(sym: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of fs.readFileSync(sym, "utf8").split("\n")) {
    const [, varIdx, , name] = line.split(",");
    if (name && Number(varIdx) >= 0) m.set(name.trim(), Number(varIdx));
  }
  return m;
}
