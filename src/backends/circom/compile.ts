/**
 * circom2 (circom 2 as WebAssembly): a circom file compiled into r1cs, the witness calculator's wasm and the
 * symbols. circom2 is loaded lazily, when the stage runs.
 */
import * as fs from "fs";
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { tmpPath } from "../../core/files";
import { readR1cs } from "../../core/r1cs";
import type { CompileResult } from "../compiled";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** Compile a circom file with circom2 (circom 2 as WebAssembly) into `outDir`: r1cs, wasm, sym. */
export async function compileCircom(args: { circom: string; outDir: string; root: string; optimize?: "O0" | "O1" | "O2"; inspect?: boolean }): Promise<CompileResult> {
  const { CircomRunner, bindings } = require("circom2");
  const base = path.basename(args.circom, ".circom");
  // circom writes into outDir as it goes; build in a fresh temporary folder and rename it into place
  const tmpDir = tmpPath(args.outDir);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  const cwd = process.cwd();
  let log = "";
  process.chdir(args.root); // circom2 resolves every path relative to the working directory
  try {
    const rel = (p: string) => path.relative(args.root, p) || ".";
    const captured = {
      ...fs,
      writeSync(fd: number, buf: any, ...rest: any[]) {
        if (fd === 1 || fd === 2) {
          log += typeof buf === "string" ? buf : Buffer.from(buf.buffer ?? buf, buf.byteOffset ?? 0, buf.byteLength ?? buf.length).toString();
          return typeof buf === "string" ? Buffer.byteLength(buf) : buf.byteLength ?? buf.length;
        }
        return (fs.writeSync as any)(fd, buf, ...rest);
      },
    };
    const preopens: Record<string, string> = { ".": "." };
    for (let d = args.root, up = "."; ; up = path.join(up, "..")) {
      preopens[up] = up;
      const next = path.dirname(d);
      if (next === d) break;
      d = next;
    }
    // circomlib's includes resolve against the folder that holds the installed package, wherever npm put it (a
    // workspace may hoist it to a parent's node_modules; so its folder is preopened as it is named)
    const libDir = path.dirname(path.dirname(require.resolve("circomlib/package.json")));
    preopens[libDir] = libDir;
    const runner = new CircomRunner({
      args: [rel(args.circom), "--r1cs", "--wasm", "--sym", `--${args.optimize ?? "O1"}`, ...(args.inspect ? ["--inspect"] : []), "-l", libDir, "-o", rel(tmpDir)],
      env: {},
      preopens,
      bindings: { ...bindings, fs: captured },
    });
    try {
      await runner.execute(fs.readFileSync(require.resolve("circom2/circom.wasm")));
    } catch (e) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      const clean = log.replace(/\x1b\[[0-9;]*m/g, "").trim();
      throw new ZkmlError("CIRCOM_FAILED", `circom failed on ${args.circom}:\n${clean.split("\n").slice(-20).join("\n")}`, {
        hint: "this is a bug in the generated circuit or a circom limit (4 GB of WebAssembly memory); report it with the model",
        cause: e,
      });
    }
  } finally {
    process.chdir(cwd);
  }
  fs.rmSync(args.outDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, args.outDir);
  const r1cs = path.join(args.outDir, `${base}.r1cs`);
  const h = readR1cs(r1cs, { constraints: false });
  return {
    r1cs,
    wasm: path.join(args.outDir, `${base}_js`, `${base}.wasm`),
    sym: path.join(args.outDir, `${base}.sym`),
    constraints: h.nConstraints,
    wires: h.nWires,
    publicInputs: h.nPubIn,
    publicOutputs: h.nPubOut,
    privateInputs: h.nPrvIn,
    log: log.replace(/\x1b\[[0-9;]*m/g, ""),
  };
}
