/**
 * What every task shares: the plugin name and the boundary where a ZkmlError becomes a HardhatPluginError
 * (message with the file, field, expected and got, plus the fix), so Hardhat prints it and exits non-zero.
 */
import { HardhatPluginError } from "hardhat/plugins";
import { types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import { isZkmlError } from "../../core/errors";
import type { CircuitArgs } from "../actions/circuit";
import { taskFailure } from "../actions/output";

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

/** Adds the circuit options (statement, backend, quantization) to a task. */
export function withCircuitOptions<T extends ConfigurableTaskDefinition>(t: T): T {
  t.addOptionalParam(
    "input",
    "What the verifier sees of the input: public (every value), packed (values packed into as few signals as fit 253 bits), private (nothing), hashed (a Poseidon commitment); default zkml.visibility.input, else packed (the default statement fits EIP-170 for every model)",
    undefined,
    types.string,
  )
    .addOptionalParam(
      "weights",
      "fixed (constants of the circuit: proves this public model), hashed (private, with a public Poseidon commitment: proves the committed model), private (private and unbound: proves only that SOME weights of this architecture give the output, paper0's statement); default fixed",
      undefined,
      types.string,
    )
    .addOptionalParam("batch", "Inferences one proof covers (default 1): their inputs and outputs make one statement; with --output label the consumer records each one's label", undefined, types.int)
    .addOptionalParam("output", "public (every output), label (the argmax class only, proved in the circuit), hashed (a Poseidon commitment); default zkml.visibility.output, else label", undefined, types.string)
    .addOptionalParam(
      "context",
      "sender (a last public signal the consumer requires to equal uint160(msg.sender): a proof copied from the mempool is refused when anyone else submits it; prove-model binds it to --bind-to, else to the network's first account) or none (anyone holding the proof can submit it); default zkml.visibility.context, else sender (none for --system sumcheck, which has no consumer contract)",
      undefined,
      types.string,
    )
    .addOptionalParam("backend", "circom (the readable circom source, compiled by circom2), direct (r1cs and witness written straight from the IR) or auto (the direct path when circom2 would be slow or out of memory)", "auto", types.string)
    .addOptionalParam("scaleBits", "Bits of the quantized input, weights and activations (see `npx hardhat quantize`); default: the narrowest of 8-16 bits that meets --max-error", undefined, types.int)
    .addOptionalParam("maxError", "Without --scale-bits: the largest absolute output error against the float model, on held-out inputs, that the narrowest width chosen must meet (default zkml.quantize.maxError, else 0.005)", undefined, types.float)
    .addOptionalParam("saturate", "Saturating requants: auto picks the circuit with fewer constraints (deep networks: on), on, off", "auto", types.string)
    .addOptionalParam("calibration", "A JSON file of sample inputs ([[...], ...] or {\"inputs\": [...]}) that sets the activation scales; default: MNIST training digits, or seeded inputs", undefined, types.string);
  return t;
}

/** The circuit options from a task's arguments and `zkml.visibility`, validated (errors name the option). */
export async function circuitOptions(args: CircuitArgs, hre: HardhatRuntimeEnvironment, model: import("../../model/format").ModelFile): Promise<import("../../pipeline/circuit").CircuitOptions> {
  return (await import("../actions/circuit")).circuitOptions(args, hre.config.zkml, model);
}
