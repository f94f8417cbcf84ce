/**
 * The proof-system stages as plain functions of JSON arguments (src/pipeline/stages.ts runs them in measured child
 * processes): each names its system by a SystemChoice and asks the registry for it.
 */
import { ZkmlError } from "../core/errors";
import { readPtauHeader } from "../setup/ptau";
import { readR1cs } from "../core/r1cs";
import { plonkGates } from "./plonk/gates";
import { circuitSystemFor, irSystemFor, type SystemChoice } from "./registry";
import type { CircuitCounts, CircuitSystem, IrCommitArgs, IrProveArgs, IrProveResult, IrVerdict, IrVerifyArgs, ProveArgs, ProveResult, SetupArgs, SetupResult, VerifyArgs } from "./system";

/** The circuit's size as this system's cost model reads it (gates only when it counts them: that reads every constraint). */
export function circuitCounts(sys: CircuitSystem, r1cs: string): CircuitCounts {
  const h = readR1cs(r1cs, { constraints: sys.countsGates });
  return { constraints: h.nConstraints, publicSignals: h.nPubIn + h.nPubOut, gates: sys.countsGates ? plonkGates(h) : undefined };
}

/** The circuit-specific keys, after checking that the ptau is prepared and large enough for this system. */
export async function setupKeys(args: SetupArgs & SystemChoice): Promise<SetupResult> {
  const sys = circuitSystemFor(args, "a setup");
  if (args.contribute && !sys.ceremony)
    throw new ZkmlError("OPTION_INVALID", `--contribute: ${sys.protocol} has no circuit-specific ceremony to contribute to (its keys follow from the ptau alone)`, { hint: "contribute with --system groth16, or drop --contribute" });
  const counts = circuitCounts(sys, args.r1cs);
  const need = sys.ptauPower(counts);
  const pt = readPtauHeader(args.ptau);
  if (!pt.prepared) throw new ZkmlError("PTAU_INVALID", "not prepared for phase 2 (no Lagrange sections)", { file: args.ptau, hint: "run `snarkjs powersoftau prepare phase2` on it first" });
  const size = counts.gates === undefined ? `${counts.constraints} constraints` : `${counts.gates} ${sys.protocol.toUpperCase()} gates`;
  if (pt.power < need)
    throw new ZkmlError("PTAU_TOO_SMALL", `holds 2^${pt.power} powers; this circuit (${size}) needs 2^${need} for ${sys.protocol}`, { file: args.ptau, hint: `use a ptau of power ${need} or more` });
  const r = await sys.setup(args, need);
  return counts.gates === undefined ? r : { ...r, gates: counts.gates };
}

// async: a system the registry refuses is a rejection, like any other failure of the stage
export const prove = async (args: ProveArgs & SystemChoice): Promise<ProveResult> => circuitSystemFor(args, "a circuit's proof").prove(args);

export const verify = async (args: VerifyArgs & SystemChoice): Promise<{ valid: boolean }> => circuitSystemFor(args, "a circuit's verification").verify(args);

/** An IR system's one-off commitment to a model's weights. */
export const irCommit = async (args: IrCommitArgs & SystemChoice): Promise<{ bytes: number }> => irSystemFor(args).commit(args);

/** An IR system's proof of the quantized model on one input. */
export const irProve = async (args: IrProveArgs & SystemChoice): Promise<IrProveResult> => irSystemFor(args).prove(args);

/** An IR system's verdict (every verifier it has). */
export const irVerify = async (args: IrVerifyArgs & SystemChoice): Promise<IrVerdict> => irSystemFor(args).verify(args);
