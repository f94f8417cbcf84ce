#!/usr/bin/env node
/**
 * Builds the native addon: native/ (Rust on arkworks: the Groth16 prover and setup, fixed-base multiplication,
 * point encodings and BLAKE2b) with cargo, its crates pinned by native/Cargo.lock (`--locked`), fetched from
 * crates.io on the first build; an N-API addon built this way needs no Node headers. The library is copied to
 * native/build/Release/zkml_native.node, where src/core/native.ts loads it. `npm ci` runs this (the package's
 * install script); `npm run build:native` again. With the argument `test` it runs the crate's own tests instead
 * (`npm test` does, before the TypeScript suite). As the install script it is optional (see below).
 */
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script: it runs before anything is compiled */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const crate = path.join(__dirname, "..", "native");
const cargoHome = process.env.CARGO_HOME || path.join(os.homedir(), ".cargo");
const cargo = [path.join(cargoHome, "bin", "cargo")].find((f) => fs.existsSync(f)) || "cargo";
/** The measured cost of going without the addon (README, "Without Rust"). */
const COST = "its development setup over 100x slower (a powers of tau of 2^12: 113 s of CPU against 0.9 s; mlp-mnist's 2^14: 534 s) and its proofs about 5x (lenet5: 5.7 s against 1.1 s)";
const fix = "  fix: install Rust (https://rustup.rs: cargo 1.80 or newer) and run `npm run build:native`; crates.io must be reachable for the first build";
if (process.argv[2] === "test") {
  const t = spawnSync(cargo, ["test", "--release", "--locked", "--manifest-path", path.join(crate, "Cargo.toml")], { stdio: "inherit" });
  if (t.error) console.error(`zkml-hardhat: could not run cargo test: ${t.error.message}\n${fix}`);
  process.exit(t.error ? 1 : (t.status ?? 1));
}
// As an install script (npm ci, or npm install of the package) the addon is optional: without cargo or a C compiler
// the install completes, one line says what was not built, what that costs and how to build it later, and
// prove-model proves with snarkjs and sets up with its JavaScript code (src/core/native.ts nativeAvailable).
// Asked for by name (npm run build:native) it is required. With both present nothing differs.
if (process.env.npm_lifecycle_event === "install") {
  const runs = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    return !r.error && r.status === 0;
  };
  const missing = !runs(cargo, ["--version"]) ? "Rust's cargo" : process.platform !== "win32" && !runs(process.env.CC || "cc", ["--version"]) ? "a C compiler (cc)" : undefined;
  if (missing) {
    const later = __dirname.split(path.sep).includes("node_modules") ? "`npm rebuild zkml-hardhat`" : "`npm run build:native`";
    console.error(`zkml-hardhat: native addon not built (${missing} not found): prove-model will prove with snarkjs and set up in JavaScript, ${COST}; to build it, install Rust 1.80+ (https://rustup.rs) and run ${later}`);
    process.exit(0);
  }
}
const c = spawnSync(cargo, ["build", "--release", "--locked", "--manifest-path", path.join(crate, "Cargo.toml")], { stdio: "inherit" });
if (c.error || c.status !== 0) {
  console.error(`zkml-hardhat: could not build the native addon (native/, Rust): ${c.error ? c.error.message : `cargo exited with ${c.status}`}`);
  console.error(fix);
  process.exit(1);
}
const lib = { darwin: "libzkml_native.dylib", win32: "zkml_native.dll" }[process.platform] || "libzkml_native.so";
const built = path.join(crate, "target", "release", lib);
if (!fs.existsSync(built)) {
  console.error(`zkml-hardhat: cargo succeeded but ${built} is missing`);
  console.error(fix);
  process.exit(1);
}
const outDir = path.join(crate, "build", "Release");
fs.mkdirSync(outDir, { recursive: true });
// copy then rename: a process that has the old addon loaded keeps its (unlinked) file intact
const out = path.join(outDir, "zkml_native.node");
fs.copyFileSync(built, `${out}.tmp`);
fs.renameSync(`${out}.tmp`, out);
