/**
 * One error type for the whole toolkit.
 *
 * Every failure a user can cause (a malformed model file, an input out of range, a ptau file too small) is a
 * ZkmlError carrying a stable code, a message that names the place (`layers[1].weights: expected 16x8, got 16x7`)
 * and a hint saying how to fix it. The Hardhat tasks turn it into a HardhatPluginError at the boundary; the
 * core never imports Hardhat.
 */

/** Every code a ZkmlError can carry; the native addon's codes are checked against this list (test/errors.test.ts). */
export const ERROR_CODES = [
  "MODEL_NOT_FOUND",
  "MODEL_INVALID",
  "INPUT_INVALID",
  "INPUT_OUT_OF_RANGE",
  "IR_INVALID",
  "QUANTIZE_FAILED",
  "CIRCOM_FAILED",
  "PTAU_INVALID",
  "PTAU_TOO_SMALL",
  "PTAU_HASH_MISMATCH",
  "PTAU_DOWNLOAD_FAILED",
  "ZKEY_INVALID",
  "SETUP_NOT_FOUND",
  "CONFIG_INVALID",
  "SETUP_FAILED",
  "WITNESS_FAILED",
  "WITNESS_INVALID",
  "WITNESS_UNSATISFIED",
  "R1CS_INVALID",
  "PROOF_INVALID",
  "NATIVE_MISSING",
  "NATIVE_CALL_INVALID",
  "OPTION_INVALID",
  "STAGE_FAILED",
  "SOLIDITY_FAILED",
  "CONTRACT_TOO_LARGE",
  "CHAIN_FAILED",
  "NETWORK_UNREACHABLE",
  "NETWORK_FAILED",
  "QUEUE_UNREACHABLE",
  "CHAIN_MISMATCH",
  "INSUFFICIENT_FUNDS",
  "DEPLOYMENT_INVALID",
  "DEPLOYMENT_MISSING",
  "VKEY_MISMATCH",
  "SETUP_FORGEABLE",
  "MODEL_TOO_LARGE",
  "BENCH_INVALID",
  "FILE_WRITE_FAILED",
  "FILE_READ_FAILED",
  "ARTIFACT_CHANGED",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class ZkmlError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly file?: string;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; file?: string; cause?: unknown } = {}) {
    super(opts.file ? `${opts.file}: ${message}` : message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "ZkmlError";
    this.code = code;
    this.hint = opts.hint;
    this.file = opts.file;
  }

  /** The message as a user reads it: what went wrong, then how to fix it. */
  describe(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message;
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isZkmlError(e: unknown): e is ZkmlError {
  return e instanceof ZkmlError || (typeof e === "object" && e !== null && (e as { name?: string }).name === "ZkmlError");
}

/** Re-create a ZkmlError that crossed a process boundary as plain JSON. */
export function reviveError(json: { code?: string; message?: string; hint?: string }): Error {
  if (json.code) return new ZkmlError(json.code as ErrorCode, json.message ?? "", { hint: json.hint });
  return new Error(json.message ?? "unknown error");
}
