/**
 * Solidity compilation and contract-size rules, free of Hardhat.
 *
 * Compiling goes through the pinned `solc` npm package (soljson, no download), with the same settings as
 * hardhat.config.ts, so gas measured here is gas of the code Hardhat would deploy. EIP-170 caps a deployed
 * contract's runtime code at 24,576 bytes on Ethereum and on the rollups that follow it; we check that before any
 * deployment so the user gets a sentence instead of an opaque out-of-gas.
 */
import { ZkmlError } from "../core/errors";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** EIP-170: the largest runtime code a contract may have. */
export const EIP170_LIMIT = 24_576;
/** EIP-7825 (osaka, "Fusaka"): the most gas one transaction may use. */
export const EIP7825_TX_GAS_CAP = 16_777_216;

/**
 * One set of compiler settings for every contract, used by hardhat.config.ts too, so the contracts compare-gas
 * compiles in memory are byte for byte the ones Hardhat compiles. evmVersion prague (solc 0.8.30's default, the
 * newest it knows) gives MCOPY, which the inference contract uses; Hardhat would otherwise default to paris.
 */
export const SOLC_SETTINGS = { optimizer: { enabled: true, runs: 200 }, evmVersion: "prague" };

export interface Compiled {
  abi: any[];
  /** Creation code, hex without 0x. */
  bytecode: string;
  /** Runtime code size in bytes. */
  runtimeBytes: number;
  /** Runtime code, hex without 0x (immutables zero). */
  deployedBytecode: string;
}

/** Compile sources (file name -> text) in one solc run; returns every contract by name. `viaIR`: the IR pipeline (the
 * sumcheck verifier needs it: its layer checks keep more values live than the legacy stack allows). */
export function compileSolidity(sources: Record<string, string>, opts: { viaIR?: boolean } = {}): Map<string, Compiled> {
  const solc = require("solc");
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([f, content]) => [f, { content }])),
    settings: { ...SOLC_SETTINGS, ...(opts.viaIR ? { viaIR: true } : {}), outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: any) => e.severity === "error");
  if (errors.length)
    throw new ZkmlError("SOLIDITY_FAILED", `solc ${solc.version()} rejected generated code:\n${errors.map((e: any) => e.formattedMessage).join("\n")}`, {
      hint: "this is a bug in zkml-hardhat's Solidity rendering; please report it with the model file",
    });
  const res = new Map<string, Compiled>();
  for (const file of Object.keys(out.contracts ?? {}))
    for (const [name, c] of Object.entries<any>(out.contracts[file]))
      res.set(name, { abi: c.abi, bytecode: c.evm.bytecode.object, runtimeBytes: c.evm.deployedBytecode.object.length / 2, deployedBytecode: c.evm.deployedBytecode.object });
  return res;
}

/** Refuse to deploy a contract that EIP-170 would reject. */
export function checkContractSize(name: string, runtimeBytes: number, file?: string): void {
  if (runtimeBytes > EIP170_LIMIT)
    throw new ZkmlError("CONTRACT_TOO_LARGE", `${name}: runtime code is ${runtimeBytes.toLocaleString("en-US")} bytes, EIP-170 allows ${EIP170_LIMIT.toLocaleString("en-US")}`, {
      file,
      hint:
        "a verifier grows with its public signals (Groth16 about 100 bytes each: 79,833 bytes for 794): make fewer of them public (e.g. hash or pack the input), or deploy only to a chain without the EIP-170 limit",
    });
}
