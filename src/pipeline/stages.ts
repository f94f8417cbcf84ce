/**
 * The stages a child process can run (src/pipeline/worker.ts), by name: each a plain async function of file paths
 * and options returning a small JSON result, so it can run in this process (tests) or in a measured child whose
 * peak memory is then that stage's alone (src/pipeline/runner.ts). The bodies live with their stage's folder; the
 * proof system's stages ask the registry for the system their arguments name (src/systems/stages.ts).
 */
import { compileCircom } from "../backends/circom/compile";
import { directCompile, directWitness } from "../backends/r1cs/stages";
import { makePtau, verifyPtau, verifySetup } from "../setup/keys";
import { checkPtauPoints } from "../setup/ptau-check";
import { computeWitness } from "../snark/witness";
import { irCommit, irProve, irVerify, prove, setupKeys, verify } from "../systems/stages";
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
  ptauPoints: checkPtauPoints,
  witness: computeWitness,
  prove,
  verify,
  irCommit,
  irProve,
  irVerify,
};
export type StageName = keyof typeof STAGES;
/** A stage's arguments and result, from its function: a changed signature fails to compile at every caller. */
export type StageArgs<S extends StageName> = Parameters<(typeof STAGES)[S]>[0];
export type StageResult<S extends StageName> = Awaited<ReturnType<(typeof STAGES)[S]>>;
