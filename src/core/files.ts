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

/** What the file system said, in words, for the errors a user can cause or meet (a read-only folder, a full disk). */
const FILE_ERRNO: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  EMFILE: "too many open files",
  EIO: "an input/output error of the device",
  EFBIG: "the file is too large for the file system",
};

/**
 * A failed file operation (an Error with an errno code) as a ZkmlError naming the file and what to do; anything
 * else is returned unchanged. `file` defaults to the path the error names.
 */
export function fileError(e: unknown, doing: "write" | "read", file?: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err !== "object" || typeof err.code !== "string" || !(err.code in FILE_ERRNO) || (err as { name?: string }).name === "ZkmlError") return e;
  const target = file ?? err.path ?? "(unknown file)";
  const what = `${FILE_ERRNO[err.code]} (${err.code}${err.syscall ? ` in ${err.syscall}` : ""})`;
  const hint =
    err.code === "ENOSPC" || err.code === "EDQUOT"
      ? "free space on that disk (build/ holds every cached artifact: delete old circuits under build/circuits/), then run again"
      : err.code === "ENOENT"
        ? "check the path"
        : doing === "write"
          ? `make ${path.dirname(target)} writable by this user (or run from a project folder you own), then run again`
          : "make the file readable by this user";
  return new ZkmlError(doing === "write" ? "FILE_WRITE_FAILED" : "FILE_READ_FAILED", `cannot ${doing}: ${what}`, { file: target, hint, cause: e });
}

/** fileError for an error from anywhere (a task's last resort): reading or writing, as its system call says. */
export function anyFileError(e: unknown): unknown {
  const err = e as NodeJS.ErrnoException;
  if (!err?.path) return e;
  const writing = /^(mkdir|rename|write|unlink|rmdir|rm|copyfile|symlink|link|chmod|chown|utime|futime|ftruncate|truncate)/.test(err.syscall ?? "") || ["EROFS", "ENOSPC", "EDQUOT", "EFBIG"].includes(err.code ?? "");
  return fileError(e, writing ? "write" : "read");
}

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const tmp = tmpPath(target);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw fileError(e, "write", target);
  }
}

/** Run `produce(tmp)`, which writes a file at tmp, then move it into place; on failure remove tmp. */
export async function produceAtomic<T>(target: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
  } catch (e) {
    throw fileError(e, "write", target);
  }
  const tmp = tmpPath(target);
  try {
    const r = await produce(tmp);
    fs.renameSync(tmp, target);
    return r;
  } catch (e) {
    fs.rmSync(tmp, { force: true, recursive: true });
    throw fileError(e, "write", target);
  }
}

function openForRead(file: string): number {
  try {
    return fs.openSync(file, "r");
  } catch (e) {
    throw fileError(e, "read", file);
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
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw fileError(e, "read", file);
  }
  if (text.trim() === "") throw new ZkmlError(code, "not valid JSON: the file is empty", { file, hint: "write the JSON it should hold (a run that was cut off leaves empty files: make it again)" });
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = Number(/position (\d+)/.exec(msg)?.[1] ?? NaN);
    const truncated = /end of JSON input|Unterminated/i.test(msg) || at >= text.trimEnd().length;
    throw new ZkmlError(code, `not valid JSON${truncated ? " (the file ends early: truncated?)" : ""}: ${msg}`, { file, hint: truncated ? "the file was cut short (a copy or a run stopped halfway): make it again" : "fix the JSON syntax" });
  }
}

/** A metadata file a stage wrote, or undefined when it is missing or not valid JSON (the stage then runs again). */
export function readMeta<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/**
 * A file's content as recorded when it was written: its sha256 and the inode facts (size, mtime, ctime, inode)
 * that say whether it could have changed since. A stage records one in its metadata for each artifact it writes
 * and checks it on reuse (checkDigest), so a cached artifact changed behind the pipeline's back (a coefficient of
 * an r1cs zeroed, a digit of a key edited, bytes of a ptau flipped) is rebuilt, or refused, never used.
 */
export interface FileDigest {
  sha256: string;
  size: number;
  mtimeMs: number;
  /** the inode's change time: set by the kernel on every write, chmod or utimes; no call sets it back */
  ctimeMs: number;
  ino: number;
}

const statFacts = (st: fs.Stats) => ({ size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino });

/** sha256 of a file, streamed in 4 MB reads (a zkey of hundreds of MB never sits in memory whole). */
export function sha256File(file: string): string {
  const h = crypto.createHash("sha256");
  const buf = Buffer.allocUnsafe(1 << 22);
  const fd = openForRead(file);
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest("hex");
}

/** The file's digest now. The stat is taken before and after hashing: a file written meanwhile is hashed again. */
export function digestFile(file: string): FileDigest {
  for (;;) {
    const before = statFacts(fs.statSync(file));
    const sha = sha256File(file);
    const after = statFacts(fs.statSync(file));
    if (JSON.stringify(before) === JSON.stringify(after)) return { sha256: sha, ...after };
  }
}

export type DigestCheck = { ok: true; digest: FileDigest; rehashed: boolean } | { ok: false; why: string };

/**
 * Is `file` still what `recorded` describes? When size, mtime, ctime and inode are all unchanged the file has not
 * been written since (ctime moves on any write, and also when mtime is set back with touch or utimes), so it is
 * not read again; otherwise it is hashed, and only its sha256 decides (a copy or a restored backup with the same
 * bytes passes, with fresh facts in `digest` to record). Missing record or file: not ok, with the reason.
 */
export function checkDigest(file: string, recorded: FileDigest | undefined): DigestCheck {
  if (!recorded?.sha256) return { ok: false, why: `no content hash recorded for ${file} (made by an older version)` };
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) return { ok: false, why: `${file} is gone` };
  const now = statFacts(st);
  if (now.size === recorded.size && now.mtimeMs === recorded.mtimeMs && now.ctimeMs === recorded.ctimeMs && now.ino === recorded.ino) return { ok: true, digest: recorded, rehashed: false };
  if (now.size !== recorded.size) return { ok: false, why: `${file} changed since it was made (${recorded.size} bytes then, ${now.size} now)` };
  const d = digestFile(file);
  if (d.sha256 !== recorded.sha256) return { ok: false, why: `${file} changed since it was made (sha256 ${recorded.sha256.slice(0, 12)}... then, ${d.sha256.slice(0, 12)}... now)` };
  return { ok: true, digest: d, rehashed: true };
}
