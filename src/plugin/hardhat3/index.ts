/**
 * zkml-hardhat's Hardhat 3 plugin: `import zkml from "zkml-hardhat/hardhat3"` and `plugins: [zkml]` in
 * hardhat.config.ts. The same tasks and options as the Hardhat 2 plugin (prove-model, deploy-verifier, submit-proof,
 * verify-proof, compare-gas, inspect-model, export-model, quantize, ptau, verify-setup, bench, prove-worker,
 * prove-jobs), running the same actions (../actions/); `hre.zkml`, the same typed calls of the tasks as Hardhat 2's
 * (./hooks/hre.ts); the validated `zkml` config section; and the
 * compiler: a project that names no `solidity` gets solc 0.8.30 from the pinned `solc` npm package, so compiling
 * never downloads.
 *
 * The tasks are Hardhat 3's task definitions as plain objects (what its task builders produce), made from the task
 * table both plugins read (../actions/tasks.ts: descriptions, options, defaults), their actions imported lazily, so
 * loading the plugin imports nothing from Hardhat. Hardhat 3 has no required options in a
 * plugin's tasks and no integer option without a default: --model is checked in the action, numbers are read from
 * strings there.
 */
import type { ZkmlConfig, ZkmlUserConfig } from "../../core/config";
import type { Visibility } from "../../statement/visibility";
import type { ZkmlRuntime } from "../actions/api";
import { OptionSpec, TaskId, TaskSpec, TASKS, taskOptions } from "../actions/tasks";

// the `zkml` section in a Hardhat 3 config's types (in this repository the same augmentation Hardhat 2's config.ts makes)
declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    zkml?: ZkmlUserConfig<Visibility>;
  }
  interface HardhatConfig {
    zkml: ZkmlConfig<Visibility>;
  }
}

// `hre.zkml` (the hre hook, ./hooks/hre.ts) in a Hardhat 3 project's types
declare module "hardhat/types/hre" {
  interface HardhatRuntimeEnvironment {
    zkml: ZkmlRuntime;
  }
}

type Action = () => Promise<{ default: (args: never, hre: never) => Promise<unknown> }>;

/** Each task's action, imported when the task runs. */
const ACTIONS: Record<TaskId, Action> = {
  "prove-model": () => import("./tasks/prove-model"),
  "deploy-verifier": () => import("./tasks/deploy-verifier"),
  "submit-proof": () => import("./tasks/submit-proof"),
  "verify-proof": () => import("./tasks/verify-proof"),
  "compare-gas": () => import("./tasks/compare-gas"),
  "inspect-model": () => import("./tasks/model"),
  "export-model": () => import("./tasks/export-model"),
  quantize: () => import("./tasks/quantize"),
  ptau: () => import("./tasks/ptau"),
  "verify-setup": () => import("./tasks/verify-setup"),
  bench: () => import("./tasks/bench"),
  "prove-worker": () => import("./tasks/prove-worker"),
  "prove-jobs": () => import("./tasks/prove-jobs"),
};

/**
 * An option of the task table as Hardhat 3's option object: flags are flags; everything else is text (a number's
 * default as text, read back by the action), without a default when it has none or is required.
 */
function option(o: OptionSpec) {
  if (o.kind === "flag") return { name: o.name, description: o.description, type: "FLAG" as const, defaultValue: false };
  const defaultValue = o.required || o.default === undefined ? undefined : String(o.default);
  return { name: o.name, description: o.description, type: defaultValue === undefined ? ("STRING_WITHOUT_DEFAULT" as const) : ("STRING" as const), defaultValue };
}

/** A task of the table (../actions/tasks.ts) as Hardhat 3's task definition (what its task builder produces). */
function task(id: TaskId) {
  const spec: TaskSpec = TASKS[id];
  return {
    type: "NEW_TASK" as const,
    id: [id],
    description: spec.description,
    options: Object.fromEntries(taskOptions(id).map((o) => [o.name, option(o)])),
    positionalArguments: (spec.positional ?? []).map((p) => ({ name: p.name, description: p.description, type: "STRING" as const, defaultValue: undefined, isVariadic: false })),
    action: ACTIONS[id],
  };
}

const plugin = {
  id: "zkml-hardhat",
  npmPackage: "zkml-hardhat",
  hookHandlers: { config: () => import("./hooks/config"), hre: () => import("./hooks/hre") },
  tasks: (Object.keys(TASKS) as TaskId[]).map(task),
};

/**
 * Hardhat 3's HardhatPlugin, exported untyped: this repository type-checks against Hardhat 2, whose types are not
 * Hardhat 3's (their TaskDefinitionType enum is not a string literal), so a precise type here would not be
 * assignable to a Hardhat 3 config's `plugins`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const hardhatPlugin: any = plugin;
export = hardhatPlugin;
