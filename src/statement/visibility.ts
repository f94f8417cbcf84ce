/**
 * What a proof attests: which of input, weights and output the verifier sees, and how.
 *
 *   input    public   every input value is a public signal (784 for an MNIST digit)
 *            packed   the values, each range-checked to the input's B bits, packed floor(253 / B) to a public
 *                     signal: limb_j = sum_t (x_{j*c+t} - min) * 2^(B*t). The range checks make the packing
 *                     injective (every term is below 2^B and a limb below 2^253 < r, so nothing wraps).
 *            private  the verifier learns nothing of the input
 *            hashed   one public signal: the Poseidon commitment (hashChain) of the packed limbs
 *   weights  fixed    the weights are constants of the circuit: "this public model gave this output". Costs no
 *                     constraint per multiply-accumulate (they are linear combinations).
 *            private  the weights are private inputs. One constraint per multiply-accumulate (w * x of two
 *                     signals). Nothing binds them: any weights satisfy the circuit, so the proof says only
 *                     "some model of this architecture gave this output" (paper0's statement; for comparison).
 *            hashed   private weights plus a public Poseidon commitment to them: the verifier knows the model by
 *                     its commitment. Each parameter is range-checked to its tensor's signed width (P + 1
 *                     constraints: P bits and their sum), which makes the packing into limbs injective, as
 *                     above, and keeps every accumulator within the bound analysis, so the field computation is
 *                     the integer one.
 *   output   public   every output value is a public signal
 *            label    one public signal: the index of the first largest output (the reference's argmax),
 *                     proved with a one-hot selector and bounded differences (see src/backends/circom/library.ts ZkmlArgmax)
 *            hashed   one public signal: the Poseidon commitment of the outputs (as field elements)
 *   context  sender   one public signal after all others: a value the proof is bound to. The consumer contract
 *                     requires it to equal uint160(msg.sender) (an application may override expectedContext(),
 *                     e.g. with a game id and round), so a proof copied from the mempool is refused when anyone
 *                     else submits it. The circuit squares it (1 constraint), so Groth16 binds it like any input.
 *                     The default (DEFAULT_VISIBILITY) wherever a consumer contract checks it: the tasks bind the
 *                     proof to the account that will submit it (prove-model's --bind-to, else the network's first
 *                     account; submit-proof proves for its own). A system without a consumer (sumcheck, so far)
 *                     proves without one unless --context asks (plugin/actions/circuit.ts circuitOptions).
 *            none     no context: anyone holding the proof can submit it (`--context none` opts out)
 *
 * Hashed inputs and outputs are salted (a random private salt the prover keeps), and every commitment is
 * domain-separated (src/statement/commitments.ts).
 *
 * Public signal order: see src/statement/layout.ts.
 *
 * With private or hashed weights the circuit must not depend on the weights' values (the verification key would
 * reveal them), so its requant range checks are sized for the worst case of any weights of the recorded widths
 * (privateWeightsModel), not for the actual ones; the widths (bits per weight and per bias, per layer) are the
 * only thing about the weights the circuit reveals.
 *
 * Hashing (circomlib's Poseidon over BN254, t <= 17): hashChain(v) = Poseidon(v[0..16)) for up to 16 values;
 * beyond, each further block hashes the previous result with up to 15 more values. circomlibjs computes the
 * same in TypeScript.
 */
import { ZkmlError } from "../core/errors";
import type { VisibilityRules } from "../core/config";

export const INPUT_VISIBILITY = ["public", "packed", "private", "hashed"] as const;
export const WEIGHTS_VISIBILITY = ["fixed", "private", "hashed"] as const;
export const OUTPUT_VISIBILITY = ["public", "label", "hashed"] as const;
export const CONTEXT_VISIBILITY = ["sender", "none"] as const;
export type ContextVisibility = (typeof CONTEXT_VISIBILITY)[number];
export type InputVisibility = (typeof INPUT_VISIBILITY)[number];
export type WeightsVisibility = (typeof WEIGHTS_VISIBILITY)[number];
export type OutputVisibility = (typeof OUTPUT_VISIBILITY)[number];

export interface Visibility {
  input: InputVisibility;
  weights: WeightsVisibility;
  output: OutputVisibility;
  /** inferences one proof covers (default 1): the inputs and outputs of all of them, concatenated, make the
   * statement's input and output parts; with a label output the N labels are packed (layout.ts) */
  batch?: number;
  /** a public value the proof is bound to (`sender`: the consumer checks it against msg.sender); absent: none */
  context?: ContextVisibility;
}

/** A statement's context, absent meaning none. */
export const contextOf = (vis: Pick<Visibility, "context">): ContextVisibility => vis.context ?? "none";

/** The largest batch: a statement over more inferences than this is a circuit too large to set up here. */
export const MAX_BATCH = 1024;

/** The batch of a statement, checked: a whole number from 1 to MAX_BATCH. */
export function batchOf(vis: Pick<Visibility, "batch">): number {
  const n = vis.batch ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH)
    throw new ZkmlError("OPTION_INVALID", `--batch: expected a whole number from 1 to ${MAX_BATCH}, got ${JSON.stringify(vis.batch)}`, { hint: "e.g. --batch 8" });
  return n;
}

/**
 * The default statement: the input packed (the chain sees every value, 31 8-bit values to a public signal), the
 * weights fixed, the output a label, the proof bound to its submitter. Chosen from measurements
 * (docs/benchmarks/gas): its verifier fits EIP-170 and its submit the per-transaction gas cap for every model of
 * the zoo and of paper0's suites (lenet5: 28 public signals, where every value public made 794, a 79,844-byte
 * verifier and 5.6M gas). The context costs one public signal, one constraint and about 7,500 gas a submit
 * (test/binding.test.ts); without it anyone can copy a proof from the mempool and submit it first.
 */
export const DEFAULT_VISIBILITY: Visibility = { input: "packed", weights: "fixed", output: "label", context: "sender" };

/** Everything public: every input and output value a public signal (the bench's statement, paper0's comparisons). */
export const OPEN_VISIBILITY: Visibility = { input: "public", weights: "fixed", output: "public" };

/** Validate one option; `where` names it in the error (`--input`, `zkml.visibility.input`). */
export function parseVisibility(given: Partial<Record<keyof Visibility, unknown>>, where: (k: keyof Visibility) => string): Visibility {
  const pick = <T extends string>(k: keyof Visibility, allowed: readonly T[], dflt: T): T => {
    const v = given[k];
    if (v === undefined) return dflt;
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v))
      throw new ZkmlError("OPTION_INVALID", `${where(k)}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`, {
        hint: `e.g. ${where(k)} ${allowed[allowed.length - 1]}`,
      });
    return v as T;
  };
  const vis: Visibility = {
    input: pick("input", INPUT_VISIBILITY, DEFAULT_VISIBILITY.input),
    weights: pick("weights", WEIGHTS_VISIBILITY, DEFAULT_VISIBILITY.weights),
    output: pick("output", OUTPUT_VISIBILITY, DEFAULT_VISIBILITY.output),
  };
  const context = pick("context", CONTEXT_VISIBILITY, contextOf(DEFAULT_VISIBILITY));
  if (context !== "none") vis.context = context;
  return vis;
}

/** The `zkml.visibility` config field's rules, for resolveZkmlConfig (core/config.ts cannot import this layer). */
export const VISIBILITY_RULES: VisibilityRules<Visibility> = { defaults: DEFAULT_VISIBILITY, parse: parseVisibility };
