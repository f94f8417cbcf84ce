/**
 * zkml-hardhat's public API, free of Hardhat: what the tasks call, for use from scripts and other tools. The
 * pipeline follows the folders: model -> quantize -> ir -> statement -> backends (circom, r1cs, solidity) ->
 * snark and setup -> pipeline (prove-model) -> evm (gas, deployments) -> bench -> report.
 */
export { ZkmlError, isZkmlError } from "./core/errors";
export type { ErrorCode } from "./core/errors";
export { Paths } from "./core/paths";
export type { Artifact, ProofSystem } from "./core/paths";
export { resolveZkmlConfig } from "./core/config";
export type { ZkmlConfig, ZkmlUserConfig } from "./core/config";

export { loadModelFile, validateModel, forwardFloat, countParams, argmax } from "./model/format";
export type { ModelFile, Layer } from "./model/format";
export type { Shape } from "./ir/window";
export { resolveModel, defaultInput, calibrationFor } from "./model/zoo";

export { quantize, quantizeInput, quantizeFor, DEFAULT_QUANT } from "./quantize/quantize";
export { chooseScaleBits, DEFAULT_MAX_ERROR } from "./quantize/choose";
export type { WidthChoice } from "./quantize/quantize";
export { runIR, analyzeBounds, irShapes, countMacs } from "./ir/ir";
export type { QModel, QOp } from "./ir/ir";

export { DEFAULT_VISIBILITY, parseVisibility } from "./statement/visibility";
export type { Visibility } from "./statement/visibility";
export { statementLayout, publicLayout } from "./statement/layout";
export type { StatementLayout, PublicLayout } from "./statement/layout";
export { statementFor } from "./statement/statement";
export { hashChain, packValues, weightsCommitment } from "./statement/commitments";
export { constraintCount, GADGET_COST } from "./statement/cost";

export { renderCircuit } from "./backends/circom/render";
export { buildDirect } from "./backends/r1cs/lower";
export { renderSolidity } from "./backends/solidity/inference";
export { contractNames } from "./backends/solidity/verifier";
export { SYSTEMS, systemFor } from "./systems/registry";
export type { ProofSystemImpl } from "./systems/system";
export { renderConsumer } from "./backends/solidity/consumer";

export { proveModel, locateCircuit } from "./pipeline/prove";
export type { ProveOptions, ProveReport } from "./pipeline/prove";
export { chooseBackend, circuitId, resolveCircuit } from "./pipeline/circuit";
export type { CircuitOptions, Backend } from "./pipeline/circuit";

export { compareModelGas } from "./evm/compare";
export { deployVerifier, submitProof, readDeployment } from "./evm/deploy";
export { renderJson, renderTerminal } from "./report/prove";
