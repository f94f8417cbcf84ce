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
import { BaseWallet, keccak256, toQuantity } from "ethers";
import type { BigNumberish, Provider, Signer, TransactionLike, TransactionRequest, TransactionResponse } from "ethers";
import { ZkmlError } from "../core/errors";

/** Where a call goes and what to call it in messages. */
export interface NodeTarget {
  network: string;
  /** the RPC URL, for messages */
  url?: string;
}

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
 * connection drops under it. `what` names it in the error if every attempt fails.
 */
export async function readNode<T>(t: NodeTarget, what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
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
      await provider.broadcastTransaction(raw);
      return hash;
    } catch (e) {
      if (dropped && /already known|known transaction|nonce too low|nonce has already been used/i.test(messages(e))) return hash;
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
      return (await (signer.provider as unknown as { send: (m: string, p: unknown[]) => Promise<string> }).send("eth_sendTransaction", [rpcTx])) as string;
    } catch (e) {
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
