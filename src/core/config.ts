/**
 * The `zkml` section of hardhat.config.ts: project-wide defaults for the tasks, validated with messages that
 * name the field (`zkml.ptauHashes["mine"]: expected 128 hex digits, got 12 characters`).
 *
 * Command-line flags win over these; these win over built-in defaults.
 *
 * The `visibility` field's values belong to the statement layer, above core: the caller passes its rules in
 * (`resolveZkmlConfig(user, VISIBILITY_RULES)`, VISIBILITY_RULES from src/statement/visibility.ts).
 */
import { ZkmlError } from "./errors";

/** How the `visibility` field is checked and completed (its default, and a parser whose errors name the field). */
export interface VisibilityRules<V> {
  defaults: V;
  parse(given: Record<string, unknown>, where: (k: string) => string): V;
}

export interface ZkmlUserConfig<V = Record<string, string>> {
  /** A phase-2-prepared ptau file used for every setup (a published ceremony file, typically). */
  ptau?: string;
  /** Fetch the published ceremony file of the right size when no ptau is given (off by default). */
  downloadPtau?: boolean;
  /** A mirror to fetch published ptau files from, instead of their published addresses. */
  ptauBaseUrl?: string;
  /** Ptau files trusted by their BLAKE2b-512 (label -> 128 hex digits), beside the published table. */
  ptauHashes?: Record<string, string>;
  /** The block gas limit compare-gas flags transactions against (default 30,000,000). */
  blockGasLimit?: number;
  /** What proofs make public by default: { input: public|packed|private|hashed, weights: fixed|private|hashed, output: public|label|hashed }. */
  visibility?: Partial<V>;
  /** The proof queue's Redis (prove-worker, prove-jobs), a redis:// URL; REDIS_URL and --redis win over it. */
  queue?: string;
  /** How models are quantized when no --scale-bits is given: maxError, the largest absolute output error against the float model the narrowest width must meet (--max-error wins; default 0.005). */
  quantize?: { maxError?: number };
}

/**
 * Where a setup's powers of tau comes from and which files are trusted: the config's ptau fields, which a task's
 * --ptau and --download-ptau override (`ptauTrust`). Declared once; the pipeline takes it whole.
 */
export interface PtauTrust {
  ptau?: string;
  downloadPtau: boolean;
  ptauBaseUrl?: string;
  ptauHashes: Record<string, string>;
}

/** The config's ptau trust with a task's own flags on top. */
export function ptauTrust(cfg: PtauTrust, flags: { ptau?: string; downloadPtau?: boolean } = {}): PtauTrust {
  return { ptau: flags.ptau ?? cfg.ptau, downloadPtau: Boolean(flags.downloadPtau) || cfg.downloadPtau, ptauBaseUrl: cfg.ptauBaseUrl, ptauHashes: cfg.ptauHashes };
}

export interface ZkmlConfig<V = Record<string, string>> extends PtauTrust {
  blockGasLimit: number;
  visibility: V;
  queue?: string;
  /** maxError: given in the config (else the tasks' default, src/quantize/choose.ts DEFAULT_MAX_ERROR) */
  quantize?: { maxError?: number };
}

export const DEFAULT_BLOCK_GAS_LIMIT = 30_000_000;

const KNOWN = ["ptau", "downloadPtau", "ptauBaseUrl", "ptauHashes", "blockGasLimit", "visibility", "queue", "quantize"];

export function resolveZkmlConfig<V>(user: unknown, rules: VisibilityRules<V>, where = "hardhat.config.ts"): ZkmlConfig<V> {
  const fail = (field: string, expected: string, got: unknown) =>
    new ZkmlError("CONFIG_INVALID", `zkml.${field}: expected ${expected}, got ${JSON.stringify(got)}`, { file: where, hint: "fix the zkml section of your Hardhat config (see the README)" });
  if (user === undefined) return { downloadPtau: false, ptauHashes: {}, blockGasLimit: DEFAULT_BLOCK_GAS_LIMIT, visibility: rules.defaults };
  if (typeof user !== "object" || user === null || Array.isArray(user)) throw new ZkmlError("CONFIG_INVALID", `zkml: expected an object, got ${JSON.stringify(user)}`, { file: where });
  const u = user as Record<string, unknown>;
  for (const k of Object.keys(u)) if (!KNOWN.includes(k)) throw fail(k, `one of the known fields (${KNOWN.join(", ")})`, k);
  if (u.ptau !== undefined && (typeof u.ptau !== "string" || !u.ptau)) throw fail("ptau", "a path to a .ptau file", u.ptau);
  if (u.downloadPtau !== undefined && typeof u.downloadPtau !== "boolean") throw fail("downloadPtau", "true or false", u.downloadPtau);
  if (u.ptauBaseUrl !== undefined && (typeof u.ptauBaseUrl !== "string" || !/^https?:\/\//.test(u.ptauBaseUrl))) throw fail("ptauBaseUrl", "an http(s) URL", u.ptauBaseUrl);
  if (u.blockGasLimit !== undefined && !isGasLimit(u.blockGasLimit)) throw fail("blockGasLimit", "a whole number of gas, at least 21,000", u.blockGasLimit);
  if (u.queue !== undefined && (typeof u.queue !== "string" || !/^redis:\/\/[^/]/.test(u.queue))) throw fail("queue", "a redis:// URL (e.g. redis://10.0.0.5:6379)", u.queue);
  let quantize: { maxError?: number } | undefined;
  if (u.quantize !== undefined) {
    if (typeof u.quantize !== "object" || u.quantize === null || Array.isArray(u.quantize)) throw fail("quantize", "an object { maxError }", u.quantize);
    const qz = u.quantize as Record<string, unknown>;
    for (const k of Object.keys(qz)) if (k !== "maxError") throw fail(`quantize.${k}`, "maxError", k);
    if (qz.maxError !== undefined && (typeof qz.maxError !== "number" || !Number.isFinite(qz.maxError) || qz.maxError <= 0))
      throw fail("quantize.maxError", "a positive number (the largest absolute output error against the float model, e.g. 0.005)", qz.maxError);
    quantize = qz.maxError === undefined ? {} : { maxError: qz.maxError as number };
  }
  let visibility = rules.defaults;
  if (u.visibility !== undefined) {
    if (typeof u.visibility !== "object" || u.visibility === null || Array.isArray(u.visibility)) throw fail("visibility", "an object { input, weights, output, context }", u.visibility);
    const v = u.visibility as Record<string, unknown>;
    for (const k of Object.keys(v)) if (!["input", "weights", "output", "context"].includes(k)) throw fail(`visibility.${k}`, "one of input, weights, output, context", k);
    try {
      visibility = rules.parse(v, (k) => `zkml.visibility.${k}`);
    } catch (e) {
      throw new ZkmlError("CONFIG_INVALID", (e as Error).message, { file: where, hint: "fix the zkml section of your Hardhat config (see the README)" });
    }
  }
  const hashes: Record<string, string> = {};
  if (u.ptauHashes !== undefined) {
    if (typeof u.ptauHashes !== "object" || u.ptauHashes === null || Array.isArray(u.ptauHashes)) throw fail("ptauHashes", "an object of label -> BLAKE2b-512 hex", u.ptauHashes);
    for (const [k, v] of Object.entries(u.ptauHashes as Record<string, unknown>)) {
      if (typeof v !== "string" || !/^[0-9a-fA-F]{128}$/.test(v))
        throw fail(`ptauHashes[${JSON.stringify(k)}]`, "128 hex digits (b2sum of the file)", typeof v === "string" ? `${v.length} characters` : v);
      hashes[k] = v.toLowerCase();
    }
  }
  return {
    ptau: u.ptau as string | undefined,
    downloadPtau: (u.downloadPtau as boolean | undefined) ?? false,
    ptauBaseUrl: u.ptauBaseUrl as string | undefined,
    ptauHashes: hashes,
    blockGasLimit: (u.blockGasLimit as number | undefined) ?? DEFAULT_BLOCK_GAS_LIMIT,
    visibility,
    queue: u.queue as string | undefined,
    ...(quantize ? { quantize } : {}),
  };
}

export function isGasLimit(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 21_000;
}
