#!/usr/bin/env node
/**
 * Builds the native addon: native/ (Rust on arkworks: the Groth16 prover and setup, fixed-base multiplication,
 * point encodings and BLAKE2b) with cargo, its crates pinned by native/Cargo.lock (`--locked`), fetched from
 * crates.io on the first build; an N-API addon built this way needs no Node headers. The library is copied to
 * native/build/Release/zkml_native.node, where src/core/native.ts loads it. `npm ci` runs this (the package's
 * install script); `npm run build:native` again. With the argument `test` it runs the crate's own tests instead
 * (`npm test` does, before the TypeScript suite).
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
const fix = "  fix: install Rust (https://rustup.rs: cargo 1.80 or newer) and run `npm run build:native`; crates.io must be reachable for the first build";
if (process.argv[2] === "test") {
  const t = spawnSync(cargo, ["test", "--release", "--locked", "--manifest-path", path.join(crate, "Cargo.toml")], { stdio: "inherit" });
  if (t.error) console.error(`zkml-hardhat: could not run cargo test: ${t.error.message}\n${fix}`);
  process.exit(t.error ? 1 : (t.status ?? 1));
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
