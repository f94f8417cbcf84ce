import { buildDirect } from "../src/direct";
import { quantizeFor, resolveModel } from "../src/zoo";
for (const name of process.argv.slice(2)) {
  const t0 = Date.now();
  const q = quantizeFor(resolveModel(name));
  const t1 = Date.now();
  const r = buildDirect(q, undefined, { r1csFile: `/tmp/zk/${name.replace(/\//g, "_")}.r1cs` });
  console.log(name, "quantize", (t1 - t0) / 1000, "s; direct r1cs", (Date.now() - t1) / 1000, "s", r.constraints, "constraints", r.wires, "wires", "rss", process.memoryUsage().rss >> 20, "MB");
}
