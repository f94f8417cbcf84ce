/**
 * The consumer contract: what a dapp deploys next to a model's verifier. `submit(proof, publicSignals)` checks
 * that every public signal is a canonical field element, asks the verifier, and records the inference as an
 * event: who submitted it, a commitment to the input (keccak256 of the input signals as 32-byte words, or of the input bytes when they are packed on-chain), the
 * predicted class and the outputs as signed integers.
 *
 * Why check the field here: the verifiers reduce public signals modulo the BN254 scalar field r, so x and x + r
 * can be the same statement to them; a dapp that keys anything on the raw value must refuse the non-canonical
 * one. snarkjs's Groth16 template checks this itself, PLONK's and FFLONK's do not say so; we check once for all.
 *
 * Public signal order is circom's: the outputs first, then the public inputs.
 *
 * Packed input: the consumer takes the quantized input itself, `bytes input` (each value as its offset x - min
 * in ceil(B / 8) big-endian bytes), and the other public signals (`claims`: the output part, then the model's
 * commitment); it packs the limbs on-chain exactly as commitments.ts packValues does, so the proof is checked
 * against the very bytes it records (inputHash = keccak256(input)). For 8-bit values each limb is one
 * calldataload, a byte reversal and a mask.
 *
 * Context (a statement with `context: "sender"`, the last public signal): submit requires it to equal
 * expectedContext(), which is uint160(msg.sender), before asking the verifier: a proof copied from the mempool and
 * submitted by anyone else reverts with ContextMismatch (a re-randomised copy too: the context is a public input,
 * so changing it breaks the proof). An application that binds proofs to its own value (a game id and round)
 * derives a contract from this one and overrides expectedContext().
 *
 * Private weights: nothing binds them, so the consumer accepts an inference of some model of this architecture,
 * not of the named model (paper0's statement); its NatSpec says so.
 */
import { keccak256 } from "ethers";
import type { ProofSystem } from "../../core/paths";
import { BN254_R } from "../../core/field";
import type { PublicLayout } from "../../statement/layout";

/** A verifier's proof parameters as Solidity declares them (`decl`) and passes them on (`args`): each proof system's own. */
export interface SolidityProofParams {
  decl: string;
  args: string;
}

/** What a consumer is rendered from: the statement's public-signal layout (src/statement/layout.ts) and the proof system. */
export interface ConsumerSpec {
  contract: string;
  system: ProofSystem;
  /** the system's verifyProof parameters before the public values (ProofSystemImpl.solidityProof) */
  proof: SolidityProofParams;
  layout: PublicLayout;
  model: string;
  /** the statement's weights visibility: private weights make the consumer say "some model of this architecture" */
  weights?: "fixed" | "private" | "hashed";
}

/** The event a consumer emits, by the statement's output part (the default one, outputs public, first). */
function eventFor(output: ConsumerSpec["layout"]["output"]): { decl: string; emit: string; body: string[] } {
  switch (output.kind) {
    case "values":
      return {
        decl: "event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 label, int256[] output);",
        body: [
          `        int256[] memory output = new int256[](${output.count});`,
          `        for (uint256 i = 0; i < ${output.count}; i++) {`,
          `            uint256 v = pubSignals[${output.offset ? `${output.offset} + i` : "i"}];`,
          `            // a field element above r/2 stands for the negative number v - r`,
          `            output[i] = v > R / 2 ? -int256(R - v) : int256(v);`,
          `            if (output[i] > output[label]) label = i;`,
          `        }`,
        ],
        emit: "emit InferenceVerified(msg.sender, inputHash, label, output);",
      };
    case "label":
      return { decl: "event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 label);", body: [`        label = pubSignals[${output.offset}];`], emit: "emit InferenceVerified(msg.sender, inputHash, label);" };
    case "labels": {
      // a batch: one record per inference, its index in the batch and its label, unpacked from the limbs
      const { values: n, bits, perLimb: c } = output.packing!;
      return {
        decl: "event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 index, uint256 label);",
        body: [],
        emit: [
          `for (uint256 i = 0; i < ${n}; i++) {`,
          `            label = (pubSignals[${output.offset} + i / ${c}] >> (${bits} * (i % ${c}))) & ${(1n << BigInt(bits)) - 1n};`,
          `            emit InferenceVerified(msg.sender, inputHash, i, label);`,
          `        }`,
        ].join("\n"),
      };
    }
    case "commitment":
      return {
        decl: "event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 outputHash);",
        body: [`        label = type(uint256).max; // the outputs are known by their hash only`],
        emit: `emit InferenceVerified(msg.sender, inputHash, pubSignals[${output.offset}]);`,
      };
  }
}

/** inputHash: keccak256 of the input signals (values) or of the input bytes (packed on-chain), the Poseidon commitment itself, or zero. */
function inputHashLines(input: ConsumerSpec["layout"]["input"]): string[] {
  switch (input.kind) {
    case "limbs":
      return [`        bytes32 inputHash;`, `        assembly {`, `            let m := mload(0x40)`, `            calldatacopy(m, input.offset, input.length)`, `            inputHash := keccak256(m, input.length)`, `        }`];
    case "values":
      return [
        `        bytes32 inputHash;`,
        `        assembly {`,
        `            let m := mload(0x40)`,
        `            calldatacopy(m, add(pubSignals, ${32 * input.offset}), ${32 * input.count})`,
        `            inputHash := keccak256(m, ${32 * input.count})`,
        `        }`,
      ];
    case "commitment":
      return [`        bytes32 inputHash = bytes32(pubSignals[${input.offset}]);`];
    case "none":
      return [`        bytes32 inputHash; // the input is private: nothing of it is public`];
  }
}

/** The submit function's parameters and the lines that leave the full public signals in `pubSignals`. */
function submitHead(spec: ConsumerSpec): { params: string; signals: string[]; errors: string[] } {
  const { input, publicSignals: n } = spec.layout;
  const p = spec.proof;
  if (input.kind !== "limbs")
    return {
      params: `${p.decl}, uint256[${n}] calldata pubSignals`,
      signals: [`        for (uint256 i = 0; i < ${n}; i++) {`, `            if (pubSignals[i] >= R) revert SignalOutOfField(i);`, `        }`],
      errors: [],
    };
  const k = n - input.count;
  const { values, bits, perLimb } = input.packing!;
  const width = Math.ceil(bits / 8);
  // claims[i] stands at public signal i before the limbs, i + limbs after them
  const at = (i: string) => (input.offset === 0 ? `add(${i}, ${input.count})` : input.offset === k ? i : `add(${i}, mul(${input.count}, iszero(lt(${i}, ${input.offset}))))`);
  return {
    params: `${p.decl}, bytes calldata input, uint256[${k}] calldata claims`,
    signals: [
      `        if (input.length != ${values * width}) revert InputLength(input.length);`,
      `        uint256[${n}] memory pubSignals;`,
      `        for (uint256 i = 0; i < ${k}; i++) {`,
      `            if (claims[i] >= R) revert SignalOutOfField(i);`,
      `        }`,
      `        assembly {`,
      `            for { let i := 0 } lt(i, ${k}) { i := add(i, 1) } {`,
      `                mstore(add(pubSignals, mul(32, ${at("i")})), calldataload(add(claims, mul(32, i))))`,
      `            }`,
      ...packLines(input.offset, input.count, values, bits, perLimb),
      `        }`,
    ],
    errors: [`    error InputLength(uint256 got);`, ...(bits % 8 === 0 ? [] : [`    error InputValueTooLarge(uint256 index);`])],
  };
}

/** Yul packing `values` offsets of `bits` bits from `input` into limbs at pubSignals[offset...]. */
function packLines(offset: number, limbs: number, values: number, bits: number, perLimb: number): string[] {
  const put = (j: string, v: string) => `mstore(add(pubSignals, mul(32, add(${offset}, ${j}))), ${v})`;
  if (bits === 8) {
    // a limb is perLimb bytes, first byte least significant: one word read, reversed, masked to its bytes
    const m = (w: number) => `0x${("0".repeat(w * 2) + "f".repeat(w * 2)).repeat(32 / (2 * w))}`;
    return [
      `            for { let j := 0 } lt(j, ${limbs}) { j := add(j, 1) } {`,
      `                let w := calldataload(add(input.offset, mul(j, ${perLimb})))`,
      ...[1, 2, 4, 8].map((b) => `                w := or(shr(${8 * b}, and(w, not(${m(b)}))), shl(${8 * b}, and(w, ${m(b)})))`),
      `                w := or(shr(128, w), shl(128, w))`,
      `                let n := sub(${values}, mul(j, ${perLimb}))`,
      `                if gt(n, ${perLimb}) { n := ${perLimb} }`,
      `                ${put("j", "and(w, sub(shl(mul(8, n), 1), 1))")}`,
      `            }`,
    ];
  }
  const width = Math.ceil(bits / 8);
  return [
    `            for { let i := 0 } lt(i, ${values}) { i := add(i, 1) } {`,
    `                let u := shr(${256 - 8 * width}, calldataload(add(input.offset, mul(i, ${width}))))`,
    `                if gt(u, ${(1n << BigInt(bits)) - 1n}) {`,
    `                    mstore(0, shl(224, 0x${errorSelector("InputValueTooLarge(uint256)")}))`,
    `                    mstore(4, i)`,
    `                    revert(0, 36)`,
    `                }`,
    `                let j := div(i, ${perLimb})`,
    `                let slot := add(pubSignals, mul(32, add(${offset}, j)))`,
    `                mstore(slot, or(mload(slot), shl(mul(${bits}, mod(i, ${perLimb})), u)))`,
    `            }`,
  ];
}

function errorSelector(sig: string): string {
  return keccak256(Buffer.from(sig)).slice(2, 10);
}

export function renderConsumer(spec: ConsumerSpec): string {
  const { output, input, weights, publicSignals: n } = spec.layout;
  const p = spec.proof;
  const iface = `I${spec.contract}Verifier`;
  const ev = eventFor(output);
  const head = submitHead(spec);
  const hashedWeights = weights.kind === "commitment";
  const context = spec.layout.context?.kind === "context" ? spec.layout.context : undefined;
  const what = [`${output.count} ${output.kind === "values" ? "outputs" : output.kind === "label" ? "label" : output.kind === "labels" ? `limbs of ${output.packing!.values} packed labels` : "output hash"}`];
  if (input.kind !== "none") what.push(`${input.count} ${input.kind === "values" ? "input values" : input.kind === "limbs" ? "packed input limbs (packed here from the input bytes)" : "input hash"}`);
  if (hashedWeights) what.push("the model's commitment");
  if (context) what.push("the context (uint160 of the submitter)");
  const accepts =
    spec.weights === "private"
      ? `/// Accepts an inference of some model of this architecture (the architecture of ${JSON.stringify(spec.model)}) with a valid ${spec.system} proof, and records it.
/// The weights are private inputs that nothing binds: any weights of the recorded widths satisfy the circuit (paper0's
/// statement), so a proof says "some model of this architecture gave this output", not that ${JSON.stringify(spec.model)} did.`
      : `/// Accepts an inference of ${JSON.stringify(spec.model)} only with a valid ${spec.system} proof, and records it.`;
  const contextLines = context
    ? `
    /// The context a proof must carry (its last public signal): the submitter's address, so a proof copied by
    /// anyone else is refused. Override it to bind proofs to an application's value instead (a game id and round).
    function expectedContext() public view virtual returns (uint256) {
        return uint160(msg.sender);
    }
`
    : "";
  const inputDoc =
    input.kind === "limbs"
      ? "keccak256 of the input bytes as submitted"
      : `keccak256 of the input signals as 32-byte words${input.kind === "commitment" ? " (here: the input's Poseidon commitment)" : ""}`;
  return `// SPDX-License-Identifier: MIT
// Generated by zkml-hardhat for model ${JSON.stringify(spec.model)} (${spec.system}); regenerate, do not edit.
pragma solidity ^0.8.20;

interface ${iface} {
    function verifyProof(${p.decl}, uint256[${n}] ${input.kind === "limbs" ? "memory" : "calldata"} pubSignals) external view returns (bool);
}

${accepts}
/// Public signals: ${what.join(", then ")}.
contract ${spec.contract} {
    /// BN254 (alt_bn128) scalar field: circom's signals live modulo this prime.
    uint256 internal constant R = ${BN254_R};
    uint256 public constant OUTPUTS = ${output.count};
    uint256 public constant INPUTS = ${input.count};
    ${iface} public immutable verifier;
${hashedWeights ? "    /// The Poseidon commitment to the model's weights: a proof made with any other weights is refused.\n    uint256 public immutable modelCommitment;\n" : ""}
    /// inputHash: ${inputDoc}; label: the first largest output.
    ${ev.decl}

    error SignalOutOfField(uint256 index);
    error ProofRejected();
${hashedWeights ? "    error ModelMismatch(uint256 commitment);\n" : ""}${context ? "    error ContextMismatch(uint256 expected, uint256 got);\n" : ""}${head.errors.map((e) => e + "\n").join("")}
    constructor(address verifier_${hashedWeights ? ", uint256 modelCommitment_" : ""}) {
        verifier = ${iface}(verifier_);${hashedWeights ? "\n        modelCommitment = modelCommitment_;" : ""}
    }
${contextLines}
    function submit(${head.params}) external returns (uint256 label) {
${head.signals.join("\n")}
${hashedWeights ? `        if (pubSignals[${weights.offset}] != modelCommitment) revert ModelMismatch(pubSignals[${weights.offset}]);\n` : ""}${context ? `        if (pubSignals[${context.offset}] != expectedContext()) revert ContextMismatch(expectedContext(), pubSignals[${context.offset}]);\n` : ""}        if (!verifier.verifyProof(${p.args}, pubSignals)) revert ProofRejected();
${ev.body.join("\n")}
${inputHashLines(input).join("\n")}
        ${ev.emit}
    }
}
`;
}

/**
 * submit's arguments after the proof's: the public signals as they are, or, for packed input, the input bytes
 * (unpacked from the limbs) and the other signals. The inverse of the consumer's on-chain packing.
 */
export function submitSignalArgs(layout: PublicLayout, publicSignals: readonly bigint[]): unknown[] {
  const { input } = layout;
  if (input.kind !== "limbs") return [publicSignals];
  const { values, bits, perLimb } = input.packing!;
  const width = Math.ceil(bits / 8);
  const bytes = Buffer.alloc(values * width);
  const mask = (1n << BigInt(bits)) - 1n;
  for (let i = 0; i < values; i++) {
    let u = (publicSignals[input.offset + Math.floor(i / perLimb)] >> BigInt(bits * (i % perLimb))) & mask;
    for (let b = width - 1; b >= 0; b--, u >>= 8n) bytes[i * width + b] = Number(u & 0xffn);
  }
  const claims = [...publicSignals.slice(0, input.offset), ...publicSignals.slice(input.offset + input.count)];
  return ["0x" + bytes.toString("hex"), claims];
}
