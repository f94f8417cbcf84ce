/**
 * What verifying a sumcheck proof costs on a chain: one real proof of the model's input, its verifier rendered,
 * deployed (data contracts first) and called in a mined transaction, the gas split into what is exact arithmetic
 * (calldata by EIP-2028's 4 and 16 gas a byte; the openings' ecMul and ecAdd precompile calls at EIP-1108's 6,000
 * and 150, one pair per non-zero scalar) and the rest, measured (transcript, sumchecks, lookups, merges, the
 * MLEs, memory). Hardhat-free: the caller brings an ethers Signer on a chain whose per-transaction cap it knows.
 */
import { Signer, TransactionReceipt } from "ethers";
import { loadSumcheck } from "../../../core/native";
import type { QModel } from "../../../ir/ir";
import { compileSolidity, EIP7825_TX_GAS_CAP } from "../../../evm/solc";
import { archWords, fromI64Bytes, i64Bytes, sumcheckArch, sumcheckParamBytes } from "../arch";
import { renderSumcheckVerifier } from "./render";
import { EC_ADD, EC_MUL } from "./cost";
import { deploySumcheckVerifier } from "./deploy";

export interface SumcheckGasRow {
  model: string;
  parameters: number;
  proofBytes: number;
  calldataBytes: number;
  /** 21,000 + EIP-2028 calldata gas of the call */
  baseAndCalldataGas: number;
  /** ecMul + ecAdd precompile calls of both openings */
  precompileCalls: number;
  precompileGas: number;
  /** the mined transaction's gasUsed; null when the call ran out of the measuring limit `gasLimit` */
  gas: number | null;
  gasLimit: number;
  /** gas - baseAndCalldataGas - precompileGas: transcript, sumchecks, lookups, merges, MLEs, memory */
  otherGas: number | null;
  pastTxCap: boolean;
  runtimeBytes: number;
  dataContracts: number;
  deployGas: number;
}

/** Measures the verifier of `q` (committed weights, public input and output) on the proof of input `x`. */
export async function measureSumcheckGas(q: QModel, x: readonly bigint[], signer: Signer, gasLimit: number): Promise<SumcheckGasRow> {
  const arch = sumcheckArch(q);
  const native = loadSumcheck();
  const a = i64Bytes(archWords(arch));
  const params = sumcheckParamBytes(q);
  const model = await native.sumcheckCommitModel(a, params);
  const proved = await native.sumcheckProve(a, params, i64Bytes(x), model);
  const y = fromI64Bytes(proved.output);
  const r = renderSumcheckVerifier(arch, model, q.name);
  const compiled = compileSolidity({ [`${r.contractName}.sol`]: r.source }, { viaIR: true }).get(r.contractName)!;
  const dep = await deploySumcheckVerifier(r, compiled, signer);
  const packed = Buffer.from(x.flatMap((xi) => bigEndian(xi - r.program.inputMin, r.inputBytes)));
  const data = dep.verifier.interface.encodeFunctionData("verifyProof", [packed, y, proved.proof]);
  const receipt = await sendOrOutOfGas(signer, dep.address, data, gasLimit);
  const bytes = Buffer.from(data.slice(2), "hex");
  const baseAndCalldataGas = 21_000 + [...bytes].reduce((s, b) => s + (b === 0 ? 4 : 16), 0);
  const { model: m, witness: w } = r.program;
  const precompileCalls = 2 * (m.rows + m.cols + w.rows + w.cols);
  const precompileGas = (m.rows + m.cols + w.rows + w.cols) * (EC_MUL + EC_ADD);
  const gas = receipt === "out of gas" ? null : Number(receipt.gasUsed);
  const parameters = fromI64Bytes(params).length;
  return {
    model: q.name,
    parameters,
    proofBytes: proved.proof.length,
    calldataBytes: bytes.length,
    baseAndCalldataGas,
    precompileCalls,
    precompileGas,
    gas,
    gasLimit,
    otherGas: gas === null ? null : gas - baseAndCalldataGas - precompileGas,
    pastTxCap: gas === null || gas > EIP7825_TX_GAS_CAP,
    runtimeBytes: compiled.runtimeBytes,
    dataContracts: r.chunks.length,
    deployGas: dep.deployGas.reduce((s, g) => s + g, 0),
  };
}

/** The mined call's receipt, or "out of gas" when it used all of gasLimit; an honest proof refused is an error. */
async function sendOrOutOfGas(signer: Signer, to: string, data: string, gasLimit: number): Promise<TransactionReceipt | "out of gas"> {
  let receipt: TransactionReceipt | null;
  try {
    receipt = await (await signer.sendTransaction({ to, data, gasLimit })).wait();
  } catch (e) {
    // Hardhat refuses the send itself (no receipt) when the call runs out of gas
    const r = (e as { receipt?: TransactionReceipt }).receipt;
    if ((r && Number(r.gasUsed) === gasLimit) || /ran out of gas|OutOfGas/.test(String((e as Error).message).slice(0, 2000))) return "out of gas";
    throw e;
  }
  if (!receipt || receipt.status !== 1) throw new Error("the sumcheck verifier refused an honest proof");
  return receipt;
}

function bigEndian(v: bigint, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));
}

/** The rows as a markdown table. */
export function sumcheckGasMarkdown(rows: readonly SumcheckGasRow[], refused: readonly { model: string; reason: string }[]): string {
  const f = (n: number) => n.toLocaleString("en-US");
  const lines = [
    "| model | parameters | proof bytes | gas | 21k + calldata | openings' precompiles | the rest | past the 16.8M cap | verifier code | data contracts | deploy gas |",
    "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ...rows.map((r) => `| ${r.model} | ${f(r.parameters)} | ${f(r.proofBytes)} | ${r.gas === null ? `over ${f(r.gasLimit)}` : f(r.gas)} | ${f(r.baseAndCalldataGas)} | ${f(r.precompileGas)} (${f(r.precompileCalls)} calls) | ${r.otherGas === null ? "-" : f(r.otherGas)} | ${r.pastTxCap ? "yes" : "no"} | ${f(r.runtimeBytes)} | ${r.dataContracts} | ${f(r.deployGas)} |`),
    ...refused.map((r) => `| ${r.model} | | | refused: ${r.reason} | | | | | | | |`),
  ];
  return lines.join("\n") + "\n";
}
