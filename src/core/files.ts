/**
 * File writes that never leave half a file behind: write to a temporary name in the same folder, then rename.
 */
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import { ErrorCode, ZkmlError } from "./errors";

export function tmpPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
}

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tmpPath(target);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Run `produce(tmp)`, which writes a file at tmp, then move it into place; on failure remove tmp. */
export async function produceAtomic<T>(target: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tmpPath(target);
  try {
    const r = await produce(tmp);
    fs.renameSync(tmp, target);
    return r;
  } catch (e) {
    fs.rmSync(tmp, { force: true, recursive: true });
    throw e;
  }
}

export function sha256(data: string | Uint8Array): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** JSON with bigints written as decimal strings. */
export function stringifyBig(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), space);
}

/** Parse a JSON file; a missing file or bad syntax is a ZkmlError with `code`, naming the file. */
export function readJsonFile(file: string, code: ErrorCode, missingHint: string): unknown {
  if (!fs.existsSync(file)) throw new ZkmlError(code, `file not found: ${file}`, { hint: missingHint });
  if (fs.statSync(file).isDirectory()) throw new ZkmlError(code, "expected a JSON file, got a folder", { file, hint: `name a file inside it (${fs.readdirSync(file).filter((f) => f.endsWith(".json")).slice(0, 3).join(", ") || "no .json file there"})` });
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ZkmlError(code, `not valid JSON: ${(e as Error).message}`, { file, hint: "fix the JSON syntax" });
  }
}
