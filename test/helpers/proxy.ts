/**
 * A TCP proxy in front of a node on 127.0.0.1 that misbehaves on purpose, to reproduce what a flaky network or a
 * node closing idle connections does to a client: for each HTTP request it sees, `policy` decides to pass it, to
 * close the client's connection before forwarding it (the node never sees it: "other side closed"), or to
 * forward it and close the client's connection before the answer comes back (the node took it; the client
 * cannot know).
 */
import * as net from "net";

export type ProxyAction = "pass" | "drop-request" | "drop-response";

export interface DroppingProxy {
  url: string;
  /** JSON-RPC methods seen, in order, with what was done */
  seen: { method: string; action: ProxyAction }[];
  close: () => Promise<void>;
}

export async function droppingProxy(targetPort: number, policy: (method: string, index: number) => ProxyAction): Promise<DroppingProxy> {
  const seen: DroppingProxy["seen"] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    const upstream = net.connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    let dropAnswer = false;
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    // a request's head and body may come in separate chunks: hold them until the whole request is here
    let pending = Buffer.alloc(0);
    client.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const text = pending.toString("latin1");
        const headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? 0);
        const total = headEnd + 4 + length;
        if (pending.length < total) return;
        const request = pending.subarray(0, total);
        pending = pending.subarray(total);
        const method = /"method"\s*:\s*"([^"]+)"/.exec(request.toString("latin1"))?.[1] ?? "?";
        const action = policy(method, seen.length);
        seen.push({ method, action });
        if (action === "drop-request") return kill();
        dropAnswer = action === "drop-response";
        upstream.write(request);
      }
    });
    upstream.on("data", (chunk) => {
      if (dropAnswer) return kill();
      client.write(chunk);
    });
    for (const s of [client, upstream]) {
      s.on("error", kill);
      s.on("close", () => {
        sockets.delete(s);
        kill();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
