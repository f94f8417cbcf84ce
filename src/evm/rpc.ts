/**
 * Talking to a node over a network that can fail: reads are retried, a transaction is sent again only when the
 * node provably did not take it, and what fails for good becomes a ZkmlError naming the URL and what was or was
 * not sent.
 *
 * Why: an HTTP client keeps idle connections open for reuse; a node (Hardhat's among them) closes them after a few
 * idle seconds. A request written to such a socket as it closes fails with "other side closed" (undici's
 * SocketError) or ECONNRESET although nothing is wrong with the node: submit-proof hit it after proving for a
 * while between two requests. A read is safe to repeat. A send is not in general (the node may have taken the
 * transaction before the connection dropped), so the sender's pending nonce decides: unchanged, nothing was
 * taken and the send is repeated; advanced, it was, and we stop and say so rather than pay twice.
 */
import { BaseWallet, Interface, keccak256, toQuantity } from "ethers";
import type { BigNumberish, Provider, Signer, TransactionLike, TransactionRequest, TransactionResponse } from "ethers";
import { isZkmlError, ZkmlError } from "../core/errors";

/** Where a call goes and what to call it in messages. */
export interface NodeTarget {
  network: string;
  /** the RPC URL, for messages */
  url?: string;
  /** how long one call may go unanswered (default rpcTimeoutMs()) */
  timeoutMs?: number;
}

/** How long a node may leave one call unanswered: 30 s, or ZKML_RPC_TIMEOUT_MS (milliseconds) from the environment. */
export function rpcTimeoutMs(t?: NodeTarget): number {
  const env = Number(process.env.ZKML_RPC_TIMEOUT_MS);
  return t?.timeoutMs ?? (Number.isFinite(env) && env > 0 ? env : 30_000);
}

/** A node that took the connection but did not answer in time (undici's headers or body timeout, Hardhat's own). */
const TIMED_OUT = /HeadersTimeoutError|BodyTimeoutError|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|UND_ERR_CONNECT_TIMEOUT|request-timeout|TIMEOUT/;

function timedOut(t: NodeTarget, what: string, e: unknown, sent?: string): ZkmlError {
  return new ZkmlError("NETWORK_UNREACHABLE", `${where(t)}: ${what}: no answer within ${(rpcTimeoutMs(t) / 1000).toFixed(0)} s (the node accepts connections but does not reply)${sent ?? ""}`, {
    cause: e,
    hint: `check that ${t.url ?? "the URL"} is a working JSON-RPC endpoint (a node that is still starting or overloaded answers late)${sent ? "" : "; ZKML_RPC_TIMEOUT_MS sets the wait"}`,
  });
}

class Deadline extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "Deadline";
  }
}

/** `fn()`, or a Deadline error once the target's timeout has passed (the timer never keeps the process alive). */
function withDeadline<T>(t: NodeTarget, fn: () => Promise<T>): Promise<T> {
  const ms = rpcTimeoutMs(t);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline(ms)), ms);
    timer.unref();
  });
  return Promise.race([fn(), late]).finally(() => clearTimeout(timer));
}

const isTimeout = (e: unknown) => e instanceof Deadline || TIMED_OUT.test(messages(e));

/** The node could not be reached at all (nothing listens, no such host). */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|cannot connect|couldn't connect|could not detect network/i;
/** The connection failed under a request (an idle socket closed by the node, a reset, a timeout). */
const DROPPED = /other side closed|UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNRESET|EPIPE|socket hang up|ETIMEDOUT|fetch failed|terminated/i;

/** Every message in an error's cause chain (ethers and undici wrap the socket's error). */
function messages(e: unknown): string {
  const out: string[] = [];
  type Wrapped = { code?: unknown; message?: unknown; cause?: unknown; error?: unknown };
  for (let c = e as Wrapped | undefined, depth = 0; c && depth < 6; c = (c.cause ?? c.error) as Wrapped | undefined, depth++) out.push(String(c.code ?? ""), String(c.message ?? c));
  return out.join(" | ");
}

export const isUnreachable = (e: unknown) => UNREACHABLE.test(messages(e));
export const isDropped = (e: unknown) => !isUnreachable(e) && DROPPED.test(messages(e));

const where = (t: NodeTarget) => `network ${t.network}${t.url ? ` (${t.url})` : ""}`;
const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split("\n")[0];

function unreachable(t: NodeTarget, e: unknown): ZkmlError {
  return new ZkmlError("NETWORK_UNREACHABLE", `${where(t)}: cannot reach the node (${firstLine(e)})`, {
    cause: e,
    hint: t.network === "localhost" ? "start one with `npx hardhat node` (or set LOCALHOST_RPC_URL to where it runs)" : "check the RPC URL and your connection",
  });
}

/** Retry schedule: waits before the 2nd, 3rd and 4th attempts. */
export const RETRY_DELAYS_MS = [100, 500, 2_000];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A read (or any call that is safe to repeat: eth_call, getCode, waiting for a receipt), retried when the
 * connection drops under it, and given up (naming the URL) when the node does not answer within rpcTimeoutMs.
 * `what` names it in the error if every attempt fails.
 */
export async function readNode<T>(t: NodeTarget, what: string, fn: () => Promise<T>, opts: { deadline?: boolean } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      // a wait for confirmations polls the node (each poll bounded by the client's own timeout) and may take minutes
      return await (opts.deadline === false ? fn() : withDeadline(t, fn));
    } catch (e) {
      if (isZkmlError(e)) throw e;
      if (isTimeout(e)) throw timedOut(t, what, e, "; nothing was sent");
      if (isUnreachable(e)) throw unreachable(t, e);
      if (!isDropped(e)) throw e;
      if (attempt >= RETRY_DELAYS_MS.length)
        throw new ZkmlError("NETWORK_FAILED", `${where(t)}: ${what}: the connection dropped ${attempt + 1} times in a row (${firstLine(e)}); nothing was sent`, {
          cause: e,
          hint: "the node or the network in between closes connections: check it, then run the task again",
        });
      await sleep(RETRY_DELAYS_MS[attempt]);
    }
  }
}

/**
 * Send one transaction, at most once. Its fields are filled first (gas, fees, and the nonce, pinned), by reads
 * that are retried. A key held here signs it, and the same signed bytes are broadcast again after a drop (a node
 * that already has them says so, and the hash is known either way). A key held by the node (eth_sendTransaction)
 * is sent again only while the sender's pending nonce shows the node did not take it; if it did, we stop with an
 * error naming the nonce, so the user checks before paying again.
 */
export async function sendOnce(t: NodeTarget, signer: Signer, what: string, request: TransactionRequest): Promise<TransactionResponse> {
  const provider = signer.provider!;
  const tx = await readNode(t, `${what}: preparing the transaction`, () => signer.populateTransaction(request));
  // pinned: a second send of the same nonce can never be a second payment (some signers leave it to the node)
  tx.nonce ??= await readNode(t, `${what}: reading the sender's nonce`, async () => provider.getTransactionCount(await signer.getAddress(), "pending"));
  const hash = isLocalSigner(signer) ? await broadcastSigned(t, what, provider, await signer.signTransaction(tx)) : await sendFromNode(t, what, signer, tx);
  for (let wait = 0; ; wait++) {
    const r = await readNode(t, `${what}: reading transaction ${hash}`, () => provider.getTransaction(hash));
    if (r) return r;
    if (wait >= 20) throw new ZkmlError("NETWORK_FAILED", `${where(t)}: ${what}: the node accepted transaction ${hash} but does not return it`, { hint: `look it up on the node or an explorer before sending again` });
    await sleep(250);
  }
}

const isLocalSigner = (s: Signer): s is Signer & { signTransaction: (tx: TransactionRequest) => Promise<string> } => s instanceof BaseWallet; // Wallet and HDNodeWallet extend it

async function broadcastSigned(t: NodeTarget, what: string, provider: Provider, raw: string): Promise<string> {
  const hash = keccak256(raw);
  let dropped = false;
  for (let attempt = 0; ; attempt++) {
    try {
      await withDeadline(t, () => provider.broadcastTransaction(raw));
      return hash;
    } catch (e) {
      if (dropped && /already known|known transaction|nonce too low|nonce has already been used/i.test(messages(e))) return hash;
      if (isTimeout(e)) throw timedOut(t, what, e, `; transaction ${hash} may or may not have reached the node: look it up before sending again`);
      if (isUnreachable(e)) throw unreachable(t, e);
      if (!isDropped(e)) throw e;
      dropped = true;
      if (attempt >= RETRY_DELAYS_MS.length)
        throw new ZkmlError("NETWORK_FAILED", `${where(t)}: ${what}: the connection dropped ${attempt + 1} times in a row (${firstLine(e)}); transaction ${hash} may or may not have reached the node`, {
          cause: e,
          hint: `look up ${hash} on the node or an explorer before sending again`,
        });
      await sleep(RETRY_DELAYS_MS[attempt]);
    }
  }
}

async function sendFromNode(t: NodeTarget, what: string, signer: Signer, tx: TransactionLike<string>): Promise<string> {
  const from = await readNode(t, `${what}: reading the sender`, () => signer.getAddress());
  const nonce = Number(tx.nonce);
  const q = (v: BigNumberish | null | undefined) => (v === null || v === undefined ? undefined : toQuantity(v));
  const rpcTx = { from, to: tx.to ?? undefined, data: tx.data ?? undefined, value: q(tx.value), gas: q(tx.gasLimit), nonce: q(nonce), maxFeePerGas: q(tx.maxFeePerGas), maxPriorityFeePerGas: q(tx.maxPriorityFeePerGas), gasPrice: tx.maxFeePerGas == null ? q(tx.gasPrice) : undefined };
  for (let attempt = 0; ; attempt++) {
    try {
      return (await withDeadline(t, () => (signer.provider as unknown as { send: (m: string, p: unknown[]) => Promise<string> }).send("eth_sendTransaction", [rpcTx]))) as string;
    } catch (e) {
      if (isTimeout(e)) throw timedOut(t, what, e, `; nonce ${nonce} of ${from} may or may not be used now: look it up before sending again`);
      if (isUnreachable(e)) throw unreachable(t, e);
      if (!isDropped(e)) throw e;
      const used = await readNode(t, `${what}: reading ${from}'s nonce`, () => signer.provider!.getTransactionCount(from, "pending"));
      if (used > nonce)
        throw new ZkmlError("NETWORK_FAILED", `${where(t)}: ${what}: the connection dropped after the node took the transaction (nonce ${nonce} of ${from} is now used; ${firstLine(e)})`, {
          cause: e,
          hint: `it may be pending or mined: look up ${from}'s transaction with nonce ${nonce} before sending again`,
        });
      if (attempt >= RETRY_DELAYS_MS.length)
        throw new ZkmlError("NETWORK_FAILED", `${where(t)}: ${what}: the connection dropped ${attempt + 1} times in a row (${firstLine(e)}); the transaction was not sent (nonce ${nonce} of ${from} is unused)`, {
          cause: e,
          hint: "the node or the network in between closes connections: check it, then run the task again",
        });
      await sleep(RETRY_DELAYS_MS[attempt]);
    }
  }
}

/** The revert data in an error's chain: a `data` field of 0x + a 4-byte selector or more, or "return data: 0x..." in a message. */
export function revertData(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): string | undefined => {
    if (!v || typeof v !== "object" || seen.has(v) || depth > 6) return undefined;
    seen.add(v);
    const o = v as Record<string, unknown>;
    for (const k of ["data", "returnData", "revertData"]) {
      const d = o[k];
      if (typeof d === "string" && /^0x[0-9a-fA-F]{8,}$/.test(d)) return d;
      if (d && typeof d === "object") {
        const inner = visit(d, depth + 1);
        if (inner) return inner;
      }
    }
    const m = typeof o.message === "string" ? /return data: (0x[0-9a-fA-F]{8,})/.exec(o.message) : null;
    if (m) return m[1];
    for (const k of ["revert", "info", "error", "cause", "payload"]) {
      const inner = visit(o[k], depth + 1);
      if (inner) return inner;
    }
    return undefined;
  };
  return visit(e, 0);
}

/**
 * Why a call reverted, by name: the contract's custom error decoded with its ABI (`ProofRejected()`,
 * `ModelMismatch(123)`), Error(string)'s message, or Panic's code; else the error's first line.
 */
export function revertReason(e: unknown, abi: ConstructorParameters<typeof Interface>[0]): string {
  const decoded = (e as { revert?: { name?: string; args?: unknown[] } })?.revert;
  const show = (name: string, args: readonly unknown[]) => (name === "Error" ? `Error(${JSON.stringify(String(args[0]))})` : `${name}(${args.map((a) => String(a)).join(", ")})`);
  if (decoded?.name) return show(decoded.name, decoded.args ?? []);
  const data = revertData(e);
  if (data) {
    try {
      const err = new Interface(abi).parseError(data);
      if (err) return show(err.name, [...err.args]);
    } catch {
      /* not one of the contract's errors */
    }
    const std = new Interface(["error Error(string)", "error Panic(uint256)"]);
    try {
      const err = std.parseError(data);
      if (err) return err.name === "Error" ? show("Error", [...err.args]) : `Panic(0x${BigInt(err.args[0]).toString(16)})`;
    } catch {
      /* unknown */
    }
    return `an error the contract's ABI does not name (selector ${data.slice(0, 10)})`;
  }
  return firstLine(e);
}
