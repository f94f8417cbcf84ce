/**
 * The sumcheck verifier of native/src/sumcheck/sumcheck.rs, for claim = sum over {0,1}^k of a product of d
 * multilinear factors. Each round's message is the round polynomial's d + 1 evaluations at 0, 1, ..., d.
 *
 * Transcript: absorb [claim, k, d] ("sumcheck claim"); per round, the message ("sumcheck round") and then the
 * round's challenge. Checks: k rounds, each of exactly d + 1 evaluations, g(0) + g(1) equal to the running claim
 * (then g(r) is the next one). Returns the challenges and the final claim, which the caller checks against the
 * factors' values at that point.
 */
import { add, interpolate } from "./field";
import { Reject } from "./reject";
import { Transcript } from "./transcript";

export function verifySumcheck(rounds: readonly (readonly bigint[])[], claim: bigint, numVars: number, degree: number, t: Transcript, what: string): { point: bigint[]; value: bigint } {
  if (rounds.length !== numVars) throw new Reject(`${what}: sumcheck of ${rounds.length} rounds, expected ${numVars}`);
  t.absorbFrs("sumcheck claim", [claim, BigInt(numVars), BigInt(degree)]);
  let e = claim;
  const point: bigint[] = [];
  rounds.forEach((g, round) => {
    if (g.length !== degree + 1) throw new Reject(`${what}: sumcheck round ${round} has ${g.length} evaluations, expected ${degree + 1}`);
    if (add(g[0], g[1]) !== e) throw new Reject(`${what}: sumcheck round ${round}: g(0) + g(1) differs from the claim`);
    t.absorbFrs("sumcheck round", g);
    const r = t.challenge();
    e = interpolate(g, r);
    point.push(r);
  });
  return { point, value: e };
}
