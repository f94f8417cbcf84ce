/**
 * What every task shares: the plugin name and the boundary where a ZkmlError becomes a HardhatPluginError
 * (message with the file, field, expected and got, plus the fix), so Hardhat prints it and exits non-zero.
 */
import { HardhatPluginError } from "hardhat/plugins";
import { task, types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import { isZkmlError, ZkmlError } from "../../core/errors";
import type { CircuitArgs } from "../actions/circuit";
import { taskFailure } from "../actions/output";
import { TaskId, TaskSpec, TASKS, taskOptions } from "../actions/tasks";

const TYPES = { string: types.string, int: types.int, float: types.float } as const;

export const PLUGIN = "zkml-hardhat";

export async function boundary<T>(fn: () => Promise<T>, opts: { json?: boolean } = {}): Promise<T> {
  try {
    return await fn();
  } catch (caught) {
    const e = await taskFailure(caught, opts.json);
    if (isZkmlError(e)) throw new HardhatPluginError(PLUGIN, `[${e.code}] ${e.describe()}`);
    throw e;
  }
}

// the output (stdout report, stderr progress, quiet inside hre.zkml) and the circuit options are the shared actions'
export { print, quiet, runQuietly, say } from "../actions/output";
export { circuitFlags, readCalibration } from "../actions/circuit";
export type { CircuitArgs } from "../actions/circuit";

/** A task as the task table declares it (../actions/tasks.ts): description, options, positional arguments; add the action. */
export function defineTask(id: TaskId): ConfigurableTaskDefinition {
  const spec: TaskSpec = TASKS[id];
  const t = task(id, spec.description);
  for (const p of spec.positional ?? []) t.addPositionalParam(p.name, p.description, undefined, types.string);
  for (const o of taskOptions(id)) {
    if (o.kind === "flag") t.addFlag(o.name, o.description);
    else if (o.required) t.addParam(o.name, o.description, undefined, TYPES[o.kind]);
    else t.addOptionalParam(o.name, o.description, o.default, TYPES[o.kind]);
  }
  return t;
}

/** The circuit options from a task's arguments and `zkml.visibility`, validated (errors name the option). */
export async function circuitOptions(args: CircuitArgs, hre: HardhatRuntimeEnvironment, model: import("../../model/format").ModelFile): Promise<import("../../pipeline/circuit").CircuitOptions> {
  return (await import("../actions/circuit")).circuitOptions(args, hre.config.zkml, model, hre.config.paths.root);
}

/**
 * Load a peer dependency the plugin needs at start: its absence is a ZkmlError naming the install, not Node's
 * "Cannot find module" from inside the plugin.
 */
export function loadPeer(name: string, install: string): void {
  try {
    require(name); // eslint-disable-line @typescript-eslint/no-require-imports
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === "MODULE_NOT_FOUND" && err.message?.includes(`'${name}'`))
      throw new ZkmlError("CONFIG_INVALID", `${name} is not installed: zkml-hardhat's Hardhat 2 plugin needs it for the accounts its tasks send from`, { hint: install });
    throw e;
  }
}
