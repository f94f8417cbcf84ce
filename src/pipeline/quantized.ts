/**
 * A model's quantization kept on disk between commands: quantizing a large model is most of a command's time
 * (worldcoin-proxy: 64 float passes for the calibration and a bound analysis over 167M multiply-adds, about a minute
 * on this machine, against a 3-4 s proof), and every task that finds a circuit quantizes it again. The file is
 * keyed by what the result depends on: the model's content, the quantization options (a given calibration set by
 * its values) and the code that quantizes (src/ir, src/model, src/quantize, hashed as loaded), so an edited model,
 * another option or another version of the quantizer never reads a stale one. A result is kept only when it reads
 * back identical (every value of the same type), so a cached IR is exactly the computed one.
 */
import * as fs from "fs";
import * as path from "path";
import { sha256, writeFileAtomic } from "../core/files";
import { Paths } from "../core/paths";
import type { QModel } from "../ir/ir";
import { irFromJson, irToJson } from "../ir/serialize";
import type { ModelFile } from "../model/format";
import { quantizeFor, QuantChoice } from "../quantize/quantize";

/** The quantizer's source (or compiled) files, hashed once per process. */
let codeHash: string | undefined;
function quantizerCode(): string {
  if (codeHash === undefined) {
    const parts: string[] = [];
    for (const dir of ["ir", "model", "quantize"].map((d) => path.join(__dirname, "..", d)))
      for (const f of fs.readdirSync(dir).sort()) if (/\.(ts|js)$/.test(f) && !f.endsWith(".d.ts")) parts.push(f, sha256(fs.readFileSync(path.join(dir, f))));
    codeHash = sha256(parts.join("\n"));
  }
  return codeHash;
}

/** The model's content hash, per model object (worldcoin-proxy's JSON is 40 MB). */
const contentHashes = new WeakMap<ModelFile, string>();
function contentHash(model: ModelFile): string {
  let h = contentHashes.get(model);
  if (h === undefined) contentHashes.set(model, (h = sha256(JSON.stringify(model))));
  return h;
}

/** What a quantization depends on, as one key. */
export function quantizationKey(model: ModelFile, quant: QuantChoice): string {
  const calibration = quant.calibration && sha256(Buffer.concat(quant.calibration.map((v) => Buffer.from(Float64Array.from(v).buffer))));
  const options = JSON.stringify([quant.scaleBits ?? null, quant.saturate ?? null, quant.maxConstraints ?? null, calibration ?? null]);
  return `${model.name.replace(/[^A-Za-z0-9_.-]/g, "_")}-${sha256([contentHash(model), options, quantizerCode()].join("\n")).slice(0, 24)}`;
}

/**
 * A value computed from a model (a width choice: five or more quantizations and 32 float and integer passes each,
 * 424 s for worldcoin-proxy), kept like a quantization: by the model's content, `options` (JSON) and the quantizer's
 * code; only a value that reads back identical is kept.
 */
export function cachedForModel<T>(root: string, model: ModelFile, what: string, options: unknown, compute: () => T, onHit?: (file: string) => void): T {
  const name = `${model.name.replace(/[^A-Za-z0-9_.-]/g, "_")}-${what}-`;
  const file = new Paths(root).get({ kind: "quantized", key: `${name}${sha256([contentHash(model), JSON.stringify(options), quantizerCode()].join("\n")).slice(0, 24)}` });
  return kept(file, name, { write: JSON.stringify, read: (text) => JSON.parse(text) as T }, compute, onHit);
}

/**
 * The value in `file` (read back with `codec`), or computed and written there when it reads back identical; a
 * damaged file is computed again and replaced; the files of `prefix` past the newest KEEP are deleted.
 */
function kept<T>(file: string, prefix: string, codec: { write: (v: T) => string | undefined; read: (text: string) => T }, compute: () => T, onHit?: (file: string) => void): T {
  if (fs.existsSync(file)) {
    try {
      const v = codec.read(fs.readFileSync(file, "utf8"));
      onHit?.(file);
      return v;
    } catch {
      // damaged: computed again below, and replaced
    }
  }
  const v = compute();
  const text = codec.write(v);
  if (text !== undefined && sameValue(codec.read(text), v)) {
    writeFileAtomic(file, text);
    prune(path.dirname(file), prefix);
  }
  return v;
}

/** Deep equality with types: a bigint read back as a string or a number is a difference. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a !== null && typeof a === "object") {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** This process's results per model object and file: a command's stages ask more than once. */
const loaded = new WeakMap<ModelFile, Map<string, QModel>>();

/** quantizeFor, through the cache under `root`'s build folder (and this process's). */
export function quantizedFor(root: string, model: ModelFile, quant: QuantChoice = {}): QModel {
  const file = new Paths(root).get({ kind: "quantized", key: quantizationKey(model, quant) });
  let mine = loaded.get(model);
  if (!mine) loaded.set(model, (mine = new Map()));
  let q = mine.get(file);
  if (!q) mine.set(file, (q = kept(file, path.basename(file).replace(/[0-9a-f]{24}\.json$/, ""), { write: irToJson, read: irFromJson }, () => quantizeFor(model, quant))));
  return q;
}

/** A model's quantizations past the newest KEEP (other widths, earlier versions of the model or the code) are deleted. */
const KEEP = 8;
function prune(dir: string, prefix: string): void {
  const mine = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && /^[0-9a-f]{24}\.json$/.test(f.slice(prefix.length)))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of mine.slice(KEEP)) fs.rmSync(path.join(dir, f), { force: true });
}
