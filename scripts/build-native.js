#!/usr/bin/env node
/**
 * Builds the two native addons. native/ (the fixed-base multiplier and BLAKE2b, C++) with node-gyp against the
 * headers of the Node that runs this script: --nodedir is the prefix of process.execPath, where include/node
 * lives. Without it node-gyp downloads the headers tarball, which fails on a machine without internet; with it
 * the build never depends on a machine's npm setting. native/prover/ (the Groth16 prover, Rust on arkworks) with
 * cargo, its crates pinned by native/prover/Cargo.lock (`--locked`), fetched from crates.io on the first build;
 * an N-API addon needs no Node headers. `npm ci` runs this (the package's install script); `npm run
 * build:native` again.
 */
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script: it runs before anything is compiled */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const hasHeaders = (dir) => Boolean(dir) && fs.existsSync(path.join(dir, "include", "node", "node_api.h"));
// this Node's own headers first; a configured nodedir only when this Node was installed without them
const prefix = path.dirname(path.dirname(process.execPath));
const nodedir = [prefix, process.env.npm_config_nodedir].find(hasHeaders);
if (!nodedir) {
  console.error(`zkml-hardhat: cannot build native/: this Node's headers are not in ${path.join(prefix, "include", "node")}`);
  console.error("  fix: install Node with its headers (a distribution's nodejs-dev package, or the official tarball), or set npm_config_nodedir to a folder holding include/node");
  process.exit(1);
}
// npm hands its scripts the path of its bundled node-gyp; run by hand, npm's copy beside this Node, else one on PATH
const bundled = path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
const gyp = process.env.npm_config_node_gyp || (fs.existsSync(bundled) ? bundled : undefined);
const [cmd, pre] = gyp ? [process.execPath, [gyp]] : ["node-gyp", []];
const r = spawnSync(cmd, [...pre, "rebuild", "--directory", path.join(__dirname, "..", "native"), `--nodedir=${nodedir}`], {
  stdio: "inherit",
  // node-gyp reads npm_config_nodedir before its own --nodedir: an empty or stale machine setting would win
  env: { ...process.env, npm_config_nodedir: nodedir },
});
if (r.error) {
  console.error(`zkml-hardhat: could not run node-gyp (${r.error.message})`);
  console.error("  fix: run `npm ci` (npm brings node-gyp), or install node-gyp");
  process.exit(1);
}
if (r.status !== 0) process.exit(r.status ?? 1);

const crate = path.join(__dirname, "..", "native", "prover");
const cargoHome = process.env.CARGO_HOME || path.join(require("os").homedir(), ".cargo");
const cargo = [path.join(cargoHome, "bin", "cargo")].find((f) => fs.existsSync(f)) || "cargo";
const c = spawnSync(cargo, ["build", "--release", "--locked", "--manifest-path", path.join(crate, "Cargo.toml")], { stdio: "inherit" });
if (c.error || c.status !== 0) {
  console.error(`zkml-hardhat: could not build the native prover (native/prover): ${c.error ? c.error.message : `cargo exited with ${c.status}`}`);
  console.error("  fix: install Rust (https://rustup.rs: cargo 1.80 or newer) and run `npm run build:native`; crates.io must be reachable for the first build");
  process.exit(1);
}
const built = path.join(crate, "target", "release", process.platform === "darwin" ? "libzkml_prover.dylib" : "libzkml_prover.so");
fs.copyFileSync(built, path.join(__dirname, "..", "native", "build", "Release", "zkml_prover.node"));
