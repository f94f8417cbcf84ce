/**
 * Where a powers of tau comes from, and how far it can be trusted.
 *
 * Why this exists: a Groth16 proof is only as sound as its setup. A development ptau (src/setup/ptau.ts) had its
 * secret on this machine; a file from a public ceremony (the Perpetual Powers of Tau, "Hermez" round: 54
 * contributions and a beacon) is trustworthy only if it is the published file, byte for byte. So every file a
 * user names is hashed (BLAKE2b-512, as snarkjs's README publishes them) and compared with the published table
 * (data/ptau-hashes.json, extracted from snarkjs's README by scripts/ptau-hashes.ts), and the verdict travels
 * with the setup's metadata. Downloads are opt-in, land in a temporary file, and are kept only when the hash
 * matches.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";
import { ZkmlError } from "../core/errors";
import { produceAtomic, writeFileAtomic } from "../core/files";
import { PACKAGE_ROOT } from "../core/paths";
import { withSections } from "../core/container";
import { DEV_CONTRIBUTION_NAME, PTAU_ERRORS, readPtauHeader } from "./ptau";

export interface PublishedPtau {
  power: number;
  name: string;
  url: string;
  blake2b: string;
}

export function publishedPtaus(): PublishedPtau[] {
  const file = path.join(PACKAGE_ROOT, "data", "ptau-hashes.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { files: PublishedPtau[] }).files;
}

/** The smallest published file holding 2^power powers. */
export function publishedFor(power: number, table: PublishedPtau[] = publishedPtaus()): PublishedPtau {
  const hit = table.filter((f) => f.power >= power).sort((a, b) => a.power - b.power)[0];
  if (!hit) throw new ZkmlError("PTAU_TOO_SMALL", `no published powers-of-tau file holds 2^${power} powers (largest: 2^${Math.max(...table.map((f) => f.power))})`);
  return hit;
}

/** BLAKE2b-512 of a file, streamed. */
export async function hashFile(file: string, onProgress?: (done: number, total: number) => void): Promise<string> {
  const total = fs.statSync(file).size;
  const h = crypto.createHash("blake2b512");
  let done = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 24 })) {
    h.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    onProgress?.(done, total);
  }
  return h.digest("hex");
}

/** The names of a ptau's contributions, oldest first (section 7). */
export function ptauContributionNames(file: string): string[] {
  const buf = withSections(file, "ptau", PTAU_ERRORS, (s, read) => {
    const c = s.get(7);
    return c ? read(c.offset, c.size) : undefined;
  });
  if (!buf) return [];
  const names: string[] = [];
  let p = 4;
  const fixed = 64 + 128 + 64 + 64 + 128 + (6 * 64 + 3 * 128) + 216 + 64 + 4; // points, key, hash, challenge, type
  for (let i = 0; i < buf.readUInt32LE(0) && p + fixed + 4 <= buf.length; i++) {
    p += fixed;
    const len = buf.readUInt32LE(p);
    p += 4;
    let name = "";
    for (let q = p; q < p + len; ) {
      const id = buf[q], n = buf[q + 1];
      if (id === 1) name = buf.toString("utf8", q + 2, q + 2 + n);
      q += 2 + n;
    }
    names.push(name);
    p += len;
  }
  return names;
}

export type PtauOrigin = "published" | "trusted" | "development" | "unknown";

export interface PtauCheck {
  file: string;
  power: number;
  blake2b: string;
  origin: PtauOrigin;
  /** The published file it is, when it is one. */
  published?: PublishedPtau;
  contributions: number;
  /** One sentence on what trusting proofs from this file means; printed and kept in setup.json. */
  trust: string;
  /** Seconds spent hashing (0 when the hash came from the cache). */
  hashSeconds: number;
}

export interface CheckOptions {
  /** Extra hashes the user trusts (zkml.ptauHashes in hardhat.config.ts): file name or label -> BLAKE2b-512 hex. */
  trusted?: Record<string, string>;
  /** A JSON file caching hashes by (path, size, mtime, ctime, inode), so a large file is hashed once. */
  cacheFile?: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Check a ptau a user names: readable and BN254 (readPtauHeader), then its hash against the published table.
 * A file named like a published one whose hash differs is refused: it is damaged or not what it claims.
 */
export async function checkPtau(file: string, opts: CheckOptions = {}): Promise<PtauCheck> {
  const header = readPtauHeader(file);
  const st = fs.statSync(file);
  // ctime and inode too: a file rewritten with its mtime set back (touch -r) has a new ctime, and is hashed again
  const key = `${path.resolve(file)}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  let cache: Record<string, string> = {};
  if (opts.cacheFile && fs.existsSync(opts.cacheFile)) {
    try {
      cache = JSON.parse(fs.readFileSync(opts.cacheFile, "utf8"));
    } catch {
      cache = {};
    }
  }
  const t = Date.now();
  let blake2b = cache[key];
  let hashSeconds = 0;
  if (!blake2b) {
    blake2b = await hashFile(file, opts.onProgress);
    hashSeconds = (Date.now() - t) / 1000;
    if (opts.cacheFile) writeFileAtomic(opts.cacheFile, JSON.stringify({ ...cache, [key]: blake2b }, null, 1));
  }
  const table = publishedPtaus();
  const base = path.basename(file);
  const byName = table.find((f) => f.name === base);
  const byHash = table.find((f) => f.blake2b === blake2b);
  const trustedLabel = Object.entries(opts.trusted ?? {}).find(([, h]) => h.toLowerCase() === blake2b)?.[0];
  if (byName && !byHash && !trustedLabel)
    throw new ZkmlError("PTAU_HASH_MISMATCH", `${base} is named like the published ceremony file but its BLAKE2b-512 differs: expected ${byName.blake2b.slice(0, 16)}..., got ${blake2b.slice(0, 16)}...`, {
      file,
      hint: `the file is damaged or not the published one; download it again from ${byName.url} (or with --download-ptau)`,
    });
  const names = ptauContributionNames(file);
  const common = { file, power: header.power, blake2b, contributions: header.contributions, hashSeconds };
  if (byHash)
    return {
      ...common,
      origin: "published",
      published: byHash,
      trust: `published ceremony file ${byHash.name} (Perpetual Powers of Tau, ${header.contributions} contributions), hash checked`,
    };
  if (trustedLabel) return { ...common, origin: "trusted", trust: `file trusted by its hash in zkml.ptauHashes ("${trustedLabel}")` };
  if (names.includes(DEV_CONTRIBUTION_NAME) && names.length === 1)
    return { ...common, origin: "development", trust: "development ptau: its secret existed on the machine that made it; for development only" };
  return {
    ...common,
    origin: "unknown",
    trust: `not a published ceremony file (BLAKE2b-512 ${blake2b.slice(0, 16)}...); proofs are as trustworthy as this file's origin. Add its hash to zkml.ptauHashes once you have checked it`,
  };
}

export interface DownloadOptions {
  dir: string;
  /** Fetch from here instead of the published address (a mirror; tests use a server on 127.0.0.1). */
  baseUrl?: string;
  /** Replace the published table (tests). */
  table?: PublishedPtau[];
  onProgress?: (done: number, total: number) => void;
  timeoutMs?: number;
}

/**
 * Fetch the published ptau for `power` into `dir` (opt-in), hashing as it streams. Kept only when the hash
 * matches; an existing file with the right hash is reused.
 */
export async function downloadPtau(power: number, opts: DownloadOptions): Promise<{ file: string; entry: PublishedPtau; downloaded: boolean; seconds: number }> {
  const entry = publishedFor(power, opts.table);
  const file = path.join(opts.dir, entry.name);
  const t = Date.now();
  if (fs.existsSync(file) && (await hashFile(file)) === entry.blake2b) return { file, entry, downloaded: false, seconds: 0 };
  const url = opts.baseUrl ? new URL(entry.name, opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`).toString() : entry.url;
  fs.mkdirSync(opts.dir, { recursive: true });
  await produceAtomic(file, async (tmp) => {
    const got = await fetchTo(url, tmp, opts.onProgress, opts.timeoutMs ?? 30_000);
    if (got !== entry.blake2b)
      throw new ZkmlError("PTAU_HASH_MISMATCH", `${url}: BLAKE2b-512 of the downloaded file differs from the published one: expected ${entry.blake2b.slice(0, 16)}..., got ${got.slice(0, 16)}...`, {
        hint: "the server sent another file or the transfer was damaged; nothing was kept. Try again, or download it yourself and pass --ptau",
      });
  });
  return { file, entry, downloaded: true, seconds: (Date.now() - t) / 1000 };
}

function fetchTo(url: string, dest: string, onProgress: ((done: number, total: number) => void) | undefined, timeoutMs: number, redirects = 5): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (why: string, cause?: unknown) =>
      reject(new ZkmlError("PTAU_DOWNLOAD_FAILED", `could not download ${url}: ${why}`, { hint: "check the network (this machine may be offline), or download the file yourself and pass --ptau <file>", cause }));
    const lib = url.startsWith("https:") ? https : http;
    const req = lib.get(url, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        fetchTo(new URL(res.headers.location, url).toString(), dest, onProgress, timeoutMs, redirects - 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        fail(`HTTP ${status}`);
        return;
      }
      const total = Number(res.headers["content-length"] ?? 0);
      const h = crypto.createHash("blake2b512");
      const out = fs.createWriteStream(dest);
      let done = 0;
      res.on("data", (chunk: Buffer) => {
        h.update(chunk);
        done += chunk.length;
        onProgress?.(done, total);
      });
      res.on("error", (e) => fail(e.message, e));
      res.pipe(out);
      out.on("finish", () => {
        if (total && done !== total) fail(`the transfer stopped after ${done} of ${total} bytes`);
        else resolve(h.digest("hex"));
      });
      out.on("error", (e) => fail(e.message, e));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", (e) => fail((e as NodeJS.ErrnoException).code ?? e.message, e));
  });
}
