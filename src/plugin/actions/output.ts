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

/** A line of the task's report on stdout (nothing when called through `hre.zkml`). */
export const print = (text: string) => {
  if (!quiet()) process.stdout.write(`${text}\n`);
};
