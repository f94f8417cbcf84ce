/**
 * A free TCP port on 127.0.0.1, for a server a run starts for itself (a private redis-server, a Hardhat node).
 */
import * as net from "net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
