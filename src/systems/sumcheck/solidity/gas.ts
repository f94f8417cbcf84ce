/**
 * A sumcheck proof's verification as a chain sees it, from the files prove-model writes (the IR, the proof, its
 * public values, the model's commitment): the verifier rendered and compiled, its data contracts, verifyProof's
 * calldata, and the parts of the call's gas that are exact arithmetic: 21,000 and the calldata (EIP-2028: 4 and 16
 * gas a byte), and the openings' ecMul and ecAdd calls (./cost.ts). Whoever measures (the bench, on its chains)
 * sends it; the rest of the measured gas is the transcript, sumchecks, lookups, merges, MLEs and memory.
 */
import { Interface } from "ethers";
import { ZkmlError } from "../../../core/errors";
import { compileSolidity, Compiled } from "../../../evm/solc";
import { sumcheckArch } from "../arch";
import { readCommitment, readIr, readProofBytes, readSumcheckPublic } from "../index";
import { renderSumcheckVerifier, RenderedSumcheckVerifier } from "./render";
import { calldataGas, EC_ADD, EC_MUL, sumcheckGasFloor } from "./cost";

export interface SumcheckVerifierCall {
  rendered: RenderedSumcheckVerifier;
  verifier: Compiled & { name: string };
  dataContracts: { initCode: string; runtimeBytes: number }[];
  /** verifyProof's calldata, 0x-prefixed */
  data: string;
  /** the exact parts of the call's gas */
  parts: { baseAndCalldataGas: number; precompileGas: number };
  /** the least the call can cost: its precompile calls, 21,000 and the calldata, or EIP-7623's calldata floor if
   * more (./cost.ts) */
  floor: number;
}

/** The input packed as the contract takes it: each value minus the minimum, big-endian in `bytes` bytes. */
export function packInput(x: readonly bigint[], min: bigint, bytes: number): Buffer {
  return Buffer.from(x.flatMap((xi) => Array.from({ length: bytes }, (_, i) => Number(((xi - min) >> BigInt(8 * (bytes - 1 - i))) & 0xffn))));
}

/** The verification of the proof in `files` (committed weights and a public input: the statement the contract takes). */
export function sumcheckVerifierCall(files: { ir: string; proof: string; public: string; commitment?: string }, name: string): SumcheckVerifierCall {
  const commitment = readCommitment(files.commitment);
  const pub = readSumcheckPublic(files.public);
  if (!commitment || pub.input === null)
    throw new ZkmlError("OPTION_INVALID", "the sumcheck system's Solidity verifier takes committed weights and a public input (--weights hashed --input public)", { file: files.public, hint: "prove with --weights hashed --input public" });
  const rendered = renderSumcheckVerifier(sumcheckArch(readIr(files.ir)), commitment, name);
  const compiled = compileSolidity({ [`${rendered.contractName}.sol`]: rendered.source }, { viaIR: true }).get(rendered.contractName);
  if (!compiled) throw new ZkmlError("SOLIDITY_FAILED", `solc produced no contract ${rendered.contractName}`);
  const data = new Interface(compiled.abi).encodeFunctionData("verifyProof", [packInput(pub.input, rendered.program.inputMin, rendered.inputBytes), pub.output, readProofBytes(files.proof)]);
  const cd = calldataGas(Buffer.from(data.slice(2), "hex"));
  const { model: m, witness: w } = rendered.program;
  return {
    rendered,
    verifier: { name: rendered.contractName, ...compiled },
    dataContracts: rendered.chunks.map((c) => ({ initCode: c.creationCode, runtimeBytes: c.data.length + 1 })),
    data,
    parts: { baseAndCalldataGas: 21_000 + cd.standard, precompileGas: (m.rows + m.cols + w.rows + w.cols) * (EC_MUL + EC_ADD) },
    floor: Math.max(sumcheckGasFloor(rendered.program) + cd.standard, cd.floor),
  };
}
