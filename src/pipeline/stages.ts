/**
 * The stages a child process can run (src/pipeline/worker.ts), by name: each a plain async function of file paths
 * and options returning a small JSON result, so it can run in this process (tests) or in a measured child whose
 * peak memory is then that stage's alone (src/pipeline/runner.ts). The bodies live with their stage's folder.
 */
import { compileCircom } from "../backends/circom/compile";
import { directCompile, directWitness } from "../backends/r1cs/stages";
import { makePtau, setupKeys, verifyPtau, verifySetup } from "../setup/keys";
import { computeWitness, prove, verify } from "../snark/prove";
import { renderStage } from "./circuit";

export const STAGES = {
  render: renderStage,
  compile: compileCircom,
  directCompile,
  directWitness,
  ptau: makePtau,
  setup: setupKeys,
  verifySetup,
  verifyPtau,
  witness: computeWitness,
  prove,
  verify,
};
export type StageName = keyof typeof STAGES;
