// One proof by one route, in this process: prints {"seconds", "peakMB"} as one JSON line. Used by compare.ts.
//   node route.js <arkworks|snarkjs> zkey wtns r1cs proof.json public.json
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require("fs");
const path = require("path");
const [route, zkey, wtns, r1cs, proofFile, publicFile] = process.argv.slice(2);
const root = path.join(__dirname, "..", "..");
const peakMB = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]) / 1024;
(async () => {
  const t0 = process.hrtime.bigint();
  let proof, publicSignals;
  if (route === "arkworks") {
    const p = await require(path.join(root, "native", "build", "Release", "zkml_native.node")).prove(zkey, wtns, r1cs);
    proof = { pi_a: p.piA, pi_b: p.piB, pi_c: p.piC, protocol: "groth16", curve: "bn128" };
    publicSignals = p.publicSignals;
  } else if (route === "snarkjs") {
    ({ proof, publicSignals } = await require(path.join(root, "node_modules", "snarkjs")).groth16.prove(zkey, wtns));
  } else throw new Error(`unknown route ${route}`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.writeFileSync(proofFile, JSON.stringify(proof));
  fs.writeFileSync(publicFile, JSON.stringify(publicSignals));
  console.log(JSON.stringify({ seconds, peakMB: peakMB() }));
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
