/** `npx hardhat node` as the end-to-end tests run it: a separate process on a free port of 127.0.0.1. */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { freePort } from "../../src/core/net";
import { ROOT } from "./circuit";

export const HARDHAT_CLI = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");

/** Starts the node and resolves once it serves JSON-RPC (its URL and process; kill the process when done). */
export async function startHardhatNode(): Promise<{ node: ChildProcess; rpc: string; port: number }> {
  const port = await freePort();
  const node = spawn("node", [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const t = setTimeout(() => reject(new Error(`hardhat node did not start:\n${seen}`)), 120_000);
    node.stdout!.on("data", (d) => {
      seen += d;
      if (/Started HTTP and WebSocket JSON-RPC server/.test(seen)) {
        clearTimeout(t);
        resolve();
      }
    });
    node.on("exit", (code) => reject(new Error(`hardhat node exited with ${code}:\n${seen}`)));
  });
  return { node, rpc: `http://127.0.0.1:${port}`, port };
}
