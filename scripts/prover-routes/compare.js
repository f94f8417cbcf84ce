// Issue 18's route comparison: the same Groth16 proofs (same zkey, same witness) by arkworks (native/,
// the addon npm ci builds), gnark-crypto (scripts/prover-routes/gnark, built here with `go build`) and snarkjs,
// each proof in a fresh process, wall seconds and the process's peak resident memory, every proof checked by
// snarkjs. Rounds alternate the routes so a busy machine slows them alike.
//   node scripts/prover-routes/compare.js <label>=<circuit folder under build/circuits> ... [--rounds 3]
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports */
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const root = path.join(__dirname, "..", "..");
const args = process.argv.slice(2);
const ri = args.indexOf("--rounds");
const rounds = ri >= 0 ? Number(args.splice(ri, 2)[1]) : 3;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "routes-"));
const gnark = path.join(tmp, "gnark-route");
execFileSync("go", ["build", "-o", gnark, "."], { cwd: path.join(__dirname, "gnark"), stdio: "inherit" });

function files(dir) {
  const find = (d, re) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { const r = find(p, re); if (r) return r; } else if (re.test(e.name)) return p;
    }
  };
  return { zkey: path.join(dir, "groth16", "circuit.zkey"), vkey: path.join(dir, "groth16", "verification_key.json"), wtns: find(path.join(dir, "runs"), /\.wtns$/), r1cs: find(dir, /\.r1cs$/) };
}

function once(route, f) {
  const proof = path.join(tmp, "proof.json"), pub = path.join(tmp, "public.json");
  let r;
  if (route === "gnark") {
    const t = spawnSync("/usr/bin/time", ["-f", "%e %M", gnark, f.zkey, f.wtns, proof, pub], { encoding: "utf8" });
    if (t.status !== 0) throw new Error(t.stderr);
    const [s, kb] = t.stderr.trim().split("\n").pop().split(" ").map(Number);
    r = { seconds: s, peakMB: kb / 1024 };
  } else {
    const t = spawnSync(process.execPath, [path.join(__dirname, "route.js"), route, f.zkey, f.wtns, f.r1cs, proof, pub], { encoding: "utf8" });
    if (t.status !== 0) throw new Error(t.stderr);
    r = JSON.parse(t.stdout.trim().split("\n").pop());
  }
  const v = spawnSync(process.execPath, [path.join(root, "node_modules", "snarkjs", "build", "cli.cjs"), "groth16", "verify", f.vkey, pub, proof], { encoding: "utf8" });
  r.verified = /OK!/.test(v.stdout);
  return r;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const routes = ["arkworks", "gnark", "snarkjs"];
const rows = [];
for (const spec of args) {
  const [label, dir] = spec.split("=");
  const f = files(path.resolve(root, dir));
  const got = Object.fromEntries(routes.map((r) => [r, []]));
  for (let k = 0; k < rounds; k++) for (const r of routes) got[r].push(once(r, f));
  for (const r of routes) {
    const m = got[r];
    rows.push({ label, route: r, seconds: median(m.map((x) => x.seconds)), peakMB: median(m.map((x) => x.peakMB)), verified: m.every((x) => x.verified), runs: m.map((x) => x.seconds) });
  }
}
console.log(JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0].model }, rounds, rows }, null, 1));
fs.rmSync(tmp, { recursive: true, force: true });
