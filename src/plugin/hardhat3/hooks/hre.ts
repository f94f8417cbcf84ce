/**
 * The Hardhat 3 runtime environment hook: `hre.zkml`, the tasks as typed functions for scripts and tests, the same
 * methods as Hardhat 2's (../../actions/api.ts), each running its Hardhat 3 task (`hre.tasks.getTask(id).run`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { zkmlRuntimeOn } from "../../actions/api";

/** Hardhat 3's tasks take numbers as text (their options are strings, read in the action, as on the command line). */
const asText = (args: Record<string, unknown>) => Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "number" ? String(v) : v]));

export default async () => ({
  created: async (_context: unknown, hre: any) => {
    hre.zkml = zkmlRuntimeOn((task, args) => hre.tasks.getTask(task).run(asText(args)));
  },
});
