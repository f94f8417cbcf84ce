/**
 * The statements a test sweeps: every (input, weights, output) combination with ZKML_SLOW_TESTS=1 (36), otherwise
 * a pairwise covering set (12: every pair of two parts' values appears in some statement), which keeps CI within its
 * time while each visibility value still meets each value of the other two parts.
 */
import { INPUT_VISIBILITY, OUTPUT_VISIBILITY, WEIGHTS_VISIBILITY, type Visibility } from "../../src/statement/visibility";

export const slowTests = (): boolean => process.env.ZKML_SLOW_TESTS === "1";

/** Every combination, input-major. */
export function everyStatement(): Visibility[] {
  return INPUT_VISIBILITY.flatMap((input) => WEIGHTS_VISIBILITY.flatMap((weights) => OUTPUT_VISIBILITY.map((output) => ({ input, weights, output }))));
}

/** input i and weights w with output (i + w) mod |outputs|: for a fixed input (or fixed weights) the outputs run
 * through every value, as |weights| = |outputs| = 3 and |inputs| >= 3. */
export function pairwiseStatements(): Visibility[] {
  return INPUT_VISIBILITY.flatMap((input, i) => WEIGHTS_VISIBILITY.map((weights, w) => ({ input, weights, output: OUTPUT_VISIBILITY[(i + w) % OUTPUT_VISIBILITY.length] })));
}

/** The sweep for this run (see the module's doc). */
export const sweptStatements = (): Visibility[] => (slowTests() ? everyStatement() : pairwiseStatements());
