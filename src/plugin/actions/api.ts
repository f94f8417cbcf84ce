/**
 * `hre.zkml`'s methods, in either Hardhat major: the tasks as typed functions for scripts and tests. Each one runs
 * its task (same options, same checks, same caches under the project's build/) without printing, and resolves to
 * the task's result; progress lines go to `log` when one is given. Errors are the tasks' (the major's
 * HardhatPluginError with the ZkmlError's code, message and fix). Each plugin says how a task is run
 * (../hardhat2/api.ts, ../hardhat3/hooks/hre.ts).
 */
import type { DeployResult, SubmitResult } from "../../evm/deploy";
import type { GasReport } from "../../evm/gas";
import type { CircuitProveReport, ProveReport } from "../../pipeline/report";
import type { CircuitProtocol, ProofSystem } from "../../core/paths";
import { runQuietly } from "./output";

/** The options that decide which circuit a model compiles to (prove-model's flags, camel-cased). */
export interface ZkmlCircuitOptions {
  input?: "public" | "packed" | "private" | "hashed";
  weights?: "fixed" | "private" | "hashed";
  output?: "public" | "label" | "hashed";
  backend?: "circom" | "direct" | "auto";
  /** default: the narrowest width of 8-16 bits whose outputs are within maxError of the float model's */
  scaleBits?: number;
  /** without scaleBits: the largest absolute output error against the float model (default zkml.quantize.maxError, else 0.005) */
  maxError?: number;
  saturate?: "auto" | "on" | "off";
  calibration?: string;
  batch?: number;
  /** sender (the default): the proof is bound to its submitter; none: anyone holding it can submit it */
  context?: "sender" | "none";
}

interface Logged {
  /** Progress lines (silent without it). */
  log?: (line: string) => void;
}

export interface ZkmlProveOptions extends ZkmlCircuitOptions, Logged {
  /** lenet5, mlp-mnist, paper0/<network>, or a path to a model file (.json or .onnx) */
  model: string;
  system?: ProofSystem;
  prover?: "native" | "snarkjs";
  inputFile?: string;
  ptau?: string;
  downloadPtau?: boolean;
  force?: boolean;
  /** a bound statement's submitter (0x...) or an application's value; default: the network's first account */
  bindTo?: string;
}

export interface ZkmlDeployOptions extends ZkmlCircuitOptions, Logged {
  model: string;
  system?: ProofSystem;
  confirmations?: number;
  force?: boolean;
  allowDevelopmentSetup?: boolean;
}

export interface ZkmlSubmitOptions extends ZkmlCircuitOptions, Logged {
  model: string;
  system?: ProofSystem;
  /** a folder with the proof (default: prove the model's default input, from prove-model's cache) */
  proof?: string;
  /** a finished proof-queue job's id */
  job?: string;
  allowDevelopmentSetup?: boolean;
}

export interface ZkmlCompareGasOptions extends ZkmlCircuitOptions, Logged {
  model: string;
  systems?: ProofSystem[];
  blockGasLimit?: number;
  /** several statements side by side: input/weights/output[/batch] items */
  statements?: string[];
  markdown?: string;
}

export interface ZkmlRuntime {
  /** prove-model: quantize, compile, set up, prove one inference and verify it (a circuit system's report has its circuit). */
  prove(opts: ZkmlProveOptions & { system?: CircuitProtocol }): Promise<CircuitProveReport>;
  prove(opts: ZkmlProveOptions): Promise<ProveReport>;
  /** deploy-verifier on hre.network: the circuit's verifier and consumer, recorded in deployments/. */
  deploy(opts: ZkmlDeployOptions): Promise<DeployResult>;
  /** submit-proof on hre.network: a proof sent to the deployed consumer; the transaction, its gas and what it recorded. */
  submit(opts: ZkmlSubmitOptions): Promise<SubmitResult>;
  /** compare-gas: the model run in the EVM against verifying its proof, on fresh in-process chains. */
  compareGas(opts: ZkmlCompareGasOptions): Promise<GasReport>;
}

/** The task's arguments: the options without `log` and undefined values (Hardhat fills in the defaults). */
function taskArgs(opts: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(opts).filter(([k, v]) => k !== "log" && v !== undefined));
}

/** `hre.zkml` on a Hardhat that runs a task by its name with these arguments. */
export function zkmlRuntimeOn(runTask: (task: string, args: Record<string, unknown>) => Promise<unknown>): ZkmlRuntime {
  const call = <T>(task: string, opts: Logged & object, extra: Record<string, unknown> = {}): Promise<T> =>
    runQuietly(opts.log, () => runTask(task, { ...taskArgs(opts), ...extra }) as Promise<T>);
  return {
    prove: ((opts: ZkmlProveOptions) => call<ProveReport>("prove-model", opts)) as ZkmlRuntime["prove"],
    deploy: (opts) => call<DeployResult>("deploy-verifier", opts),
    submit: (opts) => call<SubmitResult>("submit-proof", opts),
    compareGas: (opts) =>
      call<GasReport>("compare-gas", opts, {
        ...(opts.systems ? { systems: opts.systems.join(",") } : {}),
        ...(opts.statements ? { statements: opts.statements.join(",") } : {}),
      }),
  };
}
