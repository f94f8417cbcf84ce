/**
 * Where a task's output goes, in either Hardhat major. From the command line: the report to stdout, progress lines
 * to stderr. Called through `hre.zkml` (Hardhat 2's ./hardhat2/api.ts), a task runs inside `runQuietly`: nothing
 * is printed, progress lines go to the caller's `log` if it gave one, and the task's return value is the result.
 */
import { AsyncLocalStorage } from "async_hooks";

const api = new AsyncLocalStorage<{ log?: (line: string) => void }>();

export function runQuietly<T>(log: ((line: string) => void) | undefined, fn: () => Promise<T>): Promise<T> {
  return api.run({ log }, fn);
}

/** True inside `hre.zkml`'s calls (no terminal output). */
export const quiet = (): boolean => api.getStore() !== undefined;

export const say = (line: string) => {
  const ctx = api.getStore();
  if (ctx) ctx.log?.(line);
  else process.stderr.write(`  ${line}\n`);
};

/**
 * A task's failure as its user sees it, in either Hardhat major: a file the system would not let us read or write
 * (a read-only build folder, a full disk) named rather than a stack, and with --json the one JSON object on stdout
 * saying what failed. Each plugin's boundary then raises it in its own Hardhat's error class.
 */
export async function taskFailure(caught: unknown, json?: boolean): Promise<unknown> {
  const { anyFileError } = await import("../../core/files");
  const { isZkmlError } = await import("../../core/errors");
  const e = anyFileError(caught);
  if (json) process.stdout.write(JSON.stringify({ error: isZkmlError(e) ? e.toJSON() : { code: "INTERNAL", message: String((e as Error)?.message ?? e) } }) + "\n");
  return e;
}

/** A line of the task's report on stdout (nothing when called through `hre.zkml`). */
export const print = (text: string) => {
  if (!quiet()) process.stdout.write(`${text}\n`);
};
