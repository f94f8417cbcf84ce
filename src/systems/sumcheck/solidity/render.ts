/**
 * The sumcheck system's Solidity verifier for one model with committed weights (the verifier holds the model's
 * commitment; a proof of other weights fails): the contract renders ./program.ts's facts and calls ./library.ts.
 *
 * The model commitment's rows and the Hyrax generators are too large for a contract's code at any real size (64
 * bytes a point: mlp-mnist's 256 rows and 256 generators are 32 kB), so they live in data contracts (runtime code
 * 0x00 || the bytes, at most EIP-170's 24,576 bytes each, read with EXTCODECOPY), whose code hashes the verifier's
 * constructor checks: the deployed verifier is bound to exactly this commitment and these generators.
 *
 * Calldata: `verifyProof(bytes input, int256[] output, uint256 context, bytes proof)`: the input packed (each value minus the
 * declared minimum as an unsigned big-endian integer of `inputBytes` bytes: one byte for MNIST's 0..127), the
 * outputs as int256 (each a 64-bit integer), the proof's bytes as the prover wrote them (format version 2).
 */
import { keccak256, toUtf8Bytes } from "ethers";
import { dataInitCode, splitBlob } from "../../../backends/solidity/inference";
import { decodeCommitment } from "../verifier/decode";
import { generators } from "../verifier/hyrax";
import { DOMAIN_TAG, HYRAX_TAG } from "../verifier/network";
import { word } from "../verifier/transcript";
import { log2Ceil } from "../verifier/field";
import type { SumcheckArch } from "../arch";
import { SUMCHECK_LIBRARY } from "./library";
import { sumcheckProgram, SumcheckProgram } from "./program";

/** A data contract's bytes: its runtime code is 0x00 (STOP, so a call does nothing) then the data (the naive
 * inference contract's data contracts, ../../../backends/solidity/inference.ts, are made the same way). */
export interface DataChunk {
  blob: "rows" | "gens";
  /** the data (without the leading 0x00) */
  data: Buffer;
  /** creation code, hex without 0x */
  creationCode: string;
  /** keccak256 of the runtime code (what EXTCODEHASH gives), 0x-prefixed */
  codeHash: string;
}

export interface RenderedSumcheckVerifier {
  /** the commitment scheme the contract checks: Hyrax (format 2) or KZG (format 4, docs/design/kzg-pcs.md) */
  pcs: "hyrax" | "kzg";
  contractName: string;
  /** the consumer, in the same source: constructed with the verifier's address */
  consumerName: string;
  source: string;
  program: SumcheckProgram;
  /** deploy these first, pass their addresses to the verifier's constructor in this order */
  chunks: DataChunk[];
  /** bytes per packed input value */
  inputBytes: number;
}

function dataContract(blob: DataChunk["blob"], data: Buffer): DataChunk {
  const runtime = Buffer.concat([Buffer.from([0]), data]);
  return { blob, data, creationCode: dataInitCode(runtime.toString("hex")), codeHash: keccak256(runtime) };
}

const chunked = (blob: DataChunk["blob"], data: Buffer): DataChunk[] => splitBlob(data).map((c) => dataContract(blob, c));

function pointBytes(ps: readonly ({ x: bigint; y: bigint } | null)[]): Buffer {
  return Buffer.from(ps.map((p) => (p === null ? "0".repeat(128) : word(p.x) + word(p.y))).join(""), "hex");
}

/** The fewest bytes that hold top - min as an unsigned integer. */
export function inputBytesFor(min: bigint, top: bigint): number {
  let b = 1;
  while (top - min >= 1n << BigInt(8 * b)) b++;
  return b;
}

function programHex(words: readonly number[]): string {
  return words.map((w) => w.toString(16).padStart(8, "0")).join("");
}

/** A contract name from the model's id: letters, digits and underscores, not starting with a digit. */
export function sumcheckContractName(modelId: string): string {
  const base = modelId.replace(/[^A-Za-z0-9_]/g, "_");
  return `SumcheckVerifier_${base}`;
}

/** The format-4 (KZG) verifier's contract name from the model's id. */
export const sumcheckKzgContractName = (modelId: string): string => sumcheckContractName(modelId).replace(/^SumcheckVerifier_/, "SumcheckKzgVerifier_");

/** The verifier of `arch` holding the model commitment `modelCommitment` (sumcheckCommitModel's bytes). */
export function renderSumcheckVerifier(arch: SumcheckArch, modelCommitment: Uint8Array, modelId: string): RenderedSumcheckVerifier {
  const program = sumcheckProgram(arch);
  const rows = decodeCommitment(modelCommitment);
  if (rows.length !== program.model.rows) throw new Error(`model commitment of ${rows.length} rows, the architecture's has ${program.model.rows}`);
  const gens = generators(HYRAX_TAG, Math.max(program.model.cols, program.witness.cols));
  const chunks = [...chunked("rows", pointBytes(rows)), ...chunked("gens", pointBytes(gens))];
  const inputBytes = inputBytesFor(program.inputMin, program.inputTop);
  const contractName = sumcheckContractName(modelId);
  const consumerName = contractName.replace(/^SumcheckVerifier_/, "SumcheckInference_");
  return { pcs: "hyrax", contractName, consumerName, source: contractSource(contractName, program, chunks, inputBytes) + consumerSource(consumerName, contractName, modelId), program, chunks, inputBytes };
}

/** A 64-byte point or 128-byte G2 point as its 32-byte words, 0x-prefixed. */
function wordsOf(b: Uint8Array, n: number, what: string): string[] {
  if (b.length !== 32 * n) throw new Error(`${what}: ${b.length} bytes, expected ${32 * n}`);
  return Array.from({ length: n }, (_, i) => "0x" + Buffer.from(b.subarray(32 * i, 32 * i + 32)).toString("hex"));
}

/**
 * The format-4 verifier of `arch` (KZG commitments: one joint merge, one Gemini opening, one pairing check) holding
 * the model's KZG commitment (sumcheckCommitModelKzg's 64 bytes) and the setup's [tau]_2 (kzgVerifierKey's 128
 * bytes): no data contracts, both are constants of the code.
 */
export function renderSumcheckVerifierKzg(arch: SumcheckArch, modelCommitment: Uint8Array, tauG2: Uint8Array, modelId: string): RenderedSumcheckVerifier {
  const program = sumcheckProgram(arch);
  const inputBytes = inputBytesFor(program.inputMin, program.inputTop);
  const contractName = sumcheckKzgContractName(modelId);
  const consumerName = contractName.replace(/^SumcheckKzgVerifier_/, "SumcheckKzgInference_");
  const source = kzgContractSource(contractName, program, inputBytes, wordsOf(modelCommitment, 2, "KZG model commitment"), wordsOf(tauG2, 4, "KZG verifier key"));
  return { pcs: "kzg", contractName, consumerName, source: source + consumerSource(consumerName, contractName, modelId), program, chunks: [], inputBytes };
}

function kzgContractSource(name: string, p: SumcheckProgram, inputBytes: number, cm: string[], tau: string[]): string {
  const n = Math.max(p.model.numVars, p.witness.numVars);
  return `// SPDX-License-Identifier: MIT
// Generated by zkml-hardhat (src/systems/sumcheck/solidity/render.ts): the sumcheck system's verifier of one model
// with committed weights and KZG commitments (proof format 4). Do not edit: rendered from the model's architecture,
// its weights' KZG commitment and the setup's [tau]_2.
pragma solidity ^0.8.24;
${SUMCHECK_LIBRARY}
/// Verifies sumcheck proofs (format 4, KZG) that the committed model maps a public input to a public output.
contract ${name} {
${statementConstants(p, inputBytes)}
    /// n: the larger committed vector's variables; the joint merge has n + 1 (the selector last)
    uint256 private constant N = ${n};
    /// the model's KZG commitment and the setup's [tau]_2 (EIP-197's word order)
    uint256 private constant CM_X = ${cm[0]};
    uint256 private constant CM_Y = ${cm[1]};
    uint256 private constant TAU_X1 = ${tau[0]};
    uint256 private constant TAU_X0 = ${tau[1]};
    uint256 private constant TAU_Y1 = ${tau[2]};
    uint256 private constant TAU_Y0 = ${tau[3]};

${ioFunctions()}

    /// The statement absorbed: the architecture, x, y, the context when there is one (0: none), the scheme, the
    /// setup's [tau]_2 and the model's commitment.
    function _statement(Sumcheck.Transcript memory t, bytes calldata input, int256[] calldata output, uint256 context)
        private
        pure
        returns (uint256[] memory x, uint256[] memory y)
    {
        (x, y) = _publicValues(t, input, output, context);
        Sumcheck.absorb1(t, "pcs", 2);
        uint256[] memory vk = new uint256[](4);
        (vk[0], vk[1], vk[2], vk[3]) = (TAU_X1, TAU_X0, TAU_Y1, TAU_Y0);
        Sumcheck.absorbWords(t, "kzg vk", vk);
        Sumcheck.absorb2(t, "model commitment", CM_X, CM_Y);
    }

    /// The proof's head: version 4, scheme 2, no model commitment of its own, the witness's (returned, absorbed).
    function _head(Sumcheck.Transcript memory t, bytes calldata proof, Sumcheck.Cursor memory c) private pure returns (uint256 wx, uint256 wy) {
        Sumcheck.expectWord(proof, c, 4);
        Sumcheck.expectWord(proof, c, 2);
        Sumcheck.expectWord(proof, c, 0);
        Sumcheck.expectWord(proof, c, 1);
        (wx, wy) = Sumcheck.kzgPoint(proof, c.at);
        c.at += 64;
        Sumcheck.absorb2(t, "witness commitment", wx, wy);
        Sumcheck.expectWord(proof, c, LAYERS);
    }

    /// The joint merge (the model's claims, then the witness's, over n + 1 variables), then the opening of
    /// (1 - sigma) C_M + sigma C_W at the merge point's first n coordinates.
    function _opening(Sumcheck.Transcript memory t, bytes calldata proof, Sumcheck.Cursor memory c, Sumcheck.Claims memory cm, Sumcheck.Claims memory cw, uint256 wx, uint256 wy)
        private
        view
    {
        (uint256[] memory s, uint256 v) = Sumcheck.merge(t, proof, c, Sumcheck.concat(cm, cw));
        uint256 sigma = s[N];
        assembly ("memory-safe") {
            mstore(s, N)
        }
        Sumcheck.Kzg memory k = Sumcheck.kzgRead(t, proof, c, N);
        Sumcheck.kzgCheck(proof, k, s, v, [CM_X, CM_Y, wx, wy], [Sumcheck.sub(1, sigma), sigma], [TAU_X1, TAU_X0, TAU_Y1, TAU_Y0]);
    }

    /// True when the proof shows the committed model maps input to output, bound to the context (0: a proof bound to
    /// nothing; the consumer passes its caller's address, so a copied proof fails for anyone else); otherwise
    /// reverts with SumcheckRejected(code).
    function verifyProof(bytes calldata input, int256[] calldata output, uint256 context, bytes calldata proof) external view returns (bool) {
        Sumcheck.Transcript memory t = Sumcheck.Transcript(DOMAIN, 0);
        (uint256[] memory x, uint256[] memory y) = _statement(t, input, output, context);
        Sumcheck.Cursor memory c = Sumcheck.Cursor(0);
        (uint256 wx, uint256 wy) = _head(t, proof, c);
        Sumcheck.Claim memory cur = Sumcheck.Claim(Sumcheck.challenges(t, OUTPUT_VARS), 0);
        cur.value = Sumcheck.mle(y, cur.point);
        Sumcheck.Claims memory cm = Sumcheck.newClaimsAt(MODEL_CLAIMS, N + 1, 0);
        Sumcheck.Claims memory cw = Sumcheck.newClaimsAt(WITNESS_CLAIMS, N + 1, 1 << N);
        Sumcheck.layers(t, proof, c, cm, cw, PROGRAM, cur);
        if (Sumcheck.mle(x, cur.point) != cur.value) revert SumcheckRejected(9);
        _opening(t, proof, c, cm, cw, wx, wy);
        if (c.at != proof.length) revert SumcheckRejected(14);
        return true;
    }
}
`;
}

/**
 * The consumer: what a dapp deploys beside the verifier. submit(input, output, proof) has the verifier check the
 * proof (a refusal reverts with its SumcheckRejected code) and records the inference: who submitted it, keccak256
 * of the packed input, the first largest output's index and the outputs. The weights are the committed model's
 * (the verifier holds its commitment). A proof must be bound to its submitter (the statement's context, absorbed
 * into the transcript after the outputs): submit passes uint160(msg.sender), so a proof copied from the mempool
 * fails for anyone else; it costs one keccak of three words.
 */
/** The consumer's interface as ethers reads it (the verifier's refusal included: it reverts through submit); a test
 * checks it against the compiled one. */
export const SUMCHECK_CONSUMER_ABI = [
  "function submit(bytes input, int256[] output, bytes proof) returns (uint256 label)",
  "function expectedContext() view returns (uint256)",
  "function verifier() view returns (address)",
  "event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 label, int256[] output)",
  "error SumcheckRejected(uint256 code)",
] as const;

function consumerSource(name: string, verifier: string, modelId: string): string {
  return `
/// Records inferences of ${modelId.replace(/[^A-Za-z0-9_./-]/g, "_")} (its committed weights) proved by the sumcheck system.
contract ${name} {
    ${verifier} public immutable verifier;

    event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 label, int256[] output);

    constructor(${verifier} v) {
        verifier = v;
    }

    /// The value a proof must be bound to: its submitter's address (prove with --context sender --bind-to it). A
    /// contract binding proofs to its own value (a game and round) derives from this one and overrides it.
    function expectedContext() public view virtual returns (uint256) {
        return uint256(uint160(msg.sender));
    }

    /// Verifies the proof, bound to expectedContext() (reverting with SumcheckRejected(code) when it fails: a
    /// proof copied from the mempool fails for anyone but the account it was made for), and records the inference.
    function submit(bytes calldata input, int256[] calldata output, bytes calldata proof) external returns (uint256 label) {
        verifier.verifyProof(input, output, expectedContext(), proof);
        for (uint256 i = 1; i < output.length; i++) {
            if (output[i] > output[label]) label = i;
        }
        emit InferenceVerified(msg.sender, keccak256(input), label, output);
    }
}
`;
}

function blobFunction(name: string, blob: DataChunk["blob"], chunks: readonly DataChunk[]): string {
  const mine = chunks.map((c, i) => ({ c, i })).filter(({ c }) => c.blob === blob);
  const total = mine.reduce((s, { c }) => s + c.data.length, 0);
  let at = 0;
  const copies = mine.map(({ c, i }) => {
    const line = `        _copy(CHUNK_${i}, b, ${at}, ${c.data.length});`;
    at += c.data.length;
    return line;
  });
  return `    function ${name}() private view returns (bytes memory b) {
        b = new bytes(${total});
${copies.join("\n")}
    }`;
}

/** The contract's _input and _output: the packed input as field elements in the declared range, the outputs as
 * 64-bit integers (both pcs). */
function ioFunctions(): string {
  return `    /// The packed input as field elements, each in the declared range.
    function _input(bytes calldata input) private pure returns (uint256[] memory x) {
        if (input.length != INPUT_LEN * INPUT_BYTES) revert SumcheckRejected(15);
        x = new uint256[](INPUT_LEN);
        bool ok = true;
        // v = the value's INPUT_BYTES big-endian bytes; x = INPUT_MIN + v <= INPUT_TOP, as a field element
        uint256 span = uint256(INPUT_TOP - INPUT_MIN);
        uint256 minField = Sumcheck.fr(INPUT_MIN);
        assembly ("memory-safe") {
            let d := add(x, 32)
            for { let i := 0 } lt(i, INPUT_LEN) { i := add(i, 1) } {
                let v := shr(sub(256, mul(8, INPUT_BYTES)), calldataload(add(input.offset, mul(i, INPUT_BYTES))))
                ok := and(ok, iszero(gt(v, span)))
                mstore(add(d, mul(i, 32)), addmod(minField, v, R))
            }
        }
        if (!ok) revert SumcheckRejected(15);
    }

    function _output(int256[] calldata output) private pure returns (uint256[] memory y) {
        if (output.length != OUTPUT_LEN) revert SumcheckRejected(16);
        y = new uint256[](OUTPUT_LEN);
        for (uint256 i = 0; i < OUTPUT_LEN; i++) {
            if (output[i] < type(int64).min || output[i] > type(int64).max) revert SumcheckRejected(16);
            y[i] = Sumcheck.fr(output[i]);
        }
    }

    /// Format 2's and 4's statement: the architecture, x, y, and the context when there is one (0: none), absorbed.
    function _publicValues(Sumcheck.Transcript memory t, bytes calldata input, int256[] calldata output, uint256 context)
        private
        pure
        returns (uint256[] memory x, uint256[] memory y)
    {
        Sumcheck.absorb1(t, "arch", ARCH_HASH);
        x = _input(input);
        y = _output(output);
        Sumcheck.absorbWords(t, "input", x);
        Sumcheck.absorbWords(t, "output", y);
        if (context != 0) Sumcheck.absorb1(t, "context", context);
    }`;
}

/** The constants both verifiers declare: the statement's sizes and the program. */
function statementConstants(p: SumcheckProgram, inputBytes: number): string {
  return `    uint256 private constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    bytes32 private constant DOMAIN = ${keccak256(toUtf8Bytes(DOMAIN_TAG))};
    uint256 private constant ARCH_HASH = ${p.archHash};
    uint256 private constant INPUT_LEN = ${p.inputLen};
    int256 private constant INPUT_MIN = ${p.inputMin};
    int256 private constant INPUT_TOP = ${p.inputTop};
    uint256 private constant INPUT_BYTES = ${inputBytes};
    uint256 private constant OUTPUT_LEN = ${p.outputLen};
    uint256 private constant OUTPUT_VARS = ${log2Ceil(p.outputLen)};
    uint256 private constant LAYERS = ${p.words[0]};
    uint256 private constant MODEL_CLAIMS = ${p.model.claims};
    uint256 private constant WITNESS_CLAIMS = ${p.witness.claims};
    bytes private constant PROGRAM = hex"${programHex(p.words)}";`;
}

function contractSource(name: string, p: SumcheckProgram, chunks: readonly DataChunk[], inputBytes: number): string {
  const immutables = chunks.map((_, i) => `    address private immutable CHUNK_${i};`).join("\n");
  const assigns = chunks.map((c, i) => `        if (chunks[${i}].codehash != ${c.codeHash}) revert SumcheckRejected(3);\n        CHUNK_${i} = chunks[${i}];`).join("\n");
  return `// SPDX-License-Identifier: MIT
// Generated by zkml-hardhat (src/systems/sumcheck/solidity/render.ts): the sumcheck system's verifier of one model
// with committed weights. Do not edit: rendered from the model's architecture and its weights' commitment.
pragma solidity ^0.8.24;
${SUMCHECK_LIBRARY}
/// Verifies sumcheck proofs that the committed model maps a public input to a public output (one inference).
contract ${name} {
${statementConstants(p, inputBytes)}
    uint256 private constant MODEL_VARS = ${p.model.numVars};
    uint256 private constant MODEL_COLS = ${p.model.cols};
    uint256 private constant WITNESS_VARS = ${p.witness.numVars};
    uint256 private constant WITNESS_ROWS = ${p.witness.rows};
${immutables}

    /// chunks: the data contracts of the model commitment's rows, then of the Hyrax generators, in the order the
    /// renderer lists them; each must have the code rendered here.
    constructor(address[] memory chunks) {
        if (chunks.length != ${chunks.length}) revert SumcheckRejected(3);
${assigns}
    }

    function _copy(address a, bytes memory b, uint256 o, uint256 n) private view {
        assembly ("memory-safe") {
            extcodecopy(a, add(add(b, 32), o), 1, n)
        }
    }

${blobFunction("_rows", "rows", chunks)}

${blobFunction("_gens", "gens", chunks)}

${ioFunctions()}
    /// The statement absorbed: the architecture, x, y, the context when there is one (0: none), the model's
    /// commitment (returned: its rows).
    function _statement(Sumcheck.Transcript memory t, bytes calldata input, int256[] calldata output, uint256 context)
        private
        view
        returns (uint256[] memory x, uint256[] memory y, bytes memory rows)
    {
        (x, y) = _publicValues(t, input, output, context);
        rows = _rows();
        Sumcheck.absorbBytes(t, "model commitment", rows);
    }

    /// The proof's head: its version, no model commitment of its own, the witness's (returned, absorbed).
    function _head(Sumcheck.Transcript memory t, bytes calldata proof, Sumcheck.Cursor memory c) private pure returns (bytes memory wrows) {
        Sumcheck.expectWord(proof, c, 2);
        Sumcheck.expectWord(proof, c, 0);
        Sumcheck.expectWord(proof, c, WITNESS_ROWS);
        if (c.at + 64 * WITNESS_ROWS > proof.length) revert SumcheckRejected(1);
        wrows = proof[c.at:c.at + 64 * WITNESS_ROWS];
        c.at += 64 * WITNESS_ROWS;
        Sumcheck.checkPoints(wrows);
        Sumcheck.absorbBytes(t, "hyrax commitment", wrows);
        Sumcheck.expectWord(proof, c, LAYERS);
    }

    /// Both vectors' claims merged (the model's, then the witness's), then both opened in that order.
    function _openings(
        Sumcheck.Transcript memory t,
        bytes calldata proof,
        Sumcheck.Cursor memory c,
        Sumcheck.Claims memory cm,
        Sumcheck.Claims memory cw,
        bytes memory rows,
        bytes memory wrows
    ) private view {
        (uint256[] memory sm, uint256 pm) = Sumcheck.merge(t, proof, c, cm);
        Sumcheck.Cursor memory mo = Sumcheck.Cursor(c.at);
        c.at += 32 * (1 + MODEL_COLS);
        (uint256[] memory sw, uint256 pwit) = Sumcheck.merge(t, proof, c, cw);
        bytes memory gens = _gens();
        Sumcheck.open(t, proof, mo, rows, gens, sm, pm);
        Sumcheck.open(t, proof, c, wrows, gens, sw, pwit);
    }

    /// True when the proof shows the committed model maps input to output, bound to the context (0: a proof bound to
    /// nothing; the consumer passes its caller's address, so a copied proof fails for anyone else); otherwise
    /// reverts with SumcheckRejected(code).
    function verifyProof(bytes calldata input, int256[] calldata output, uint256 context, bytes calldata proof) external view returns (bool) {
        Sumcheck.Transcript memory t = Sumcheck.Transcript(DOMAIN, 0);
        (uint256[] memory x, uint256[] memory y, bytes memory rows) = _statement(t, input, output, context);
        Sumcheck.Cursor memory c = Sumcheck.Cursor(0);
        bytes memory wrows = _head(t, proof, c);
        Sumcheck.Claim memory cur = Sumcheck.Claim(Sumcheck.challenges(t, OUTPUT_VARS), 0);
        cur.value = Sumcheck.mle(y, cur.point);
        Sumcheck.Claims memory cm = Sumcheck.newClaims(MODEL_CLAIMS, MODEL_VARS);
        Sumcheck.Claims memory cw = Sumcheck.newClaims(WITNESS_CLAIMS, WITNESS_VARS);
        Sumcheck.layers(t, proof, c, cm, cw, PROGRAM, cur);
        if (Sumcheck.mle(x, cur.point) != cur.value) revert SumcheckRejected(9);
        _openings(t, proof, c, cm, cw, rows, wrows);
        if (c.at != proof.length) revert SumcheckRejected(14);
        return true;
    }
}
`;
}
