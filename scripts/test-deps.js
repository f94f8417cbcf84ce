#!/usr/bin/env node
/**
 * What `npm test` needs beyond `npm ci`: Debian's redis-server (the proof queue's tests start their own on
 * 127.0.0.1) and chromium (the bench report is rendered headless). Run first by `npm test`, so the README's test
 * command passes on a fresh machine with nothing installed by hand: when one is missing and apt-get can run (as
 * root, or through sudo without a password) it installs it, waiting for the dpkg lock another install may hold;
 * otherwise it names what is missing and how to install it, and exits non-zero before any test runs.
 * ZKML_SKIP_TEST_DEPS=1 skips the check (a machine that provides them some other way).
 */
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script: it runs before anything is compiled */
const { spawnSync } = require("child_process");
const fs = require("fs");

if (process.env.ZKML_SKIP_TEST_DEPS === "1") process.exit(0);

/** Debian package -> how to tell it is there. */
const NEEDED = {
  "redis-server": () => onPath("redis-server"),
  chromium: () => onPath("chromium") || fs.existsSync("/usr/bin/chromium-browser"),
};

function onPath(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

const missing = Object.keys(NEEDED).filter((pkg) => !NEEDED[pkg]());
if (missing.length === 0) process.exit(0);

const root = typeof process.getuid === "function" && process.getuid() === 0;
const sudo = !root && onPath("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
const fix = `install them (Debian: apt-get install ${missing.join(" ")}), or set ZKML_SKIP_TEST_DEPS=1 if they are provided another way`;
if (!onPath("apt-get") || !(root || sudo)) {
  console.error(`zkml-hardhat tests: missing ${missing.join(", ")}, and apt-get cannot run here without a password`);
  console.error(`  fix: ${fix}`);
  process.exit(1);
}

console.error(`zkml-hardhat tests: installing ${missing.join(", ")} (Debian packages the tests use)`);
const apt = (args) => {
  const cmd = [...(sudo ? ["sudo", "-n"] : []), "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=600", "-o", "Acquire::Retries=3", ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ["ignore", "inherit", "inherit"] });
  return r.status === 0;
};
if (!apt(["update", "-qq"]) || !apt(["install", "-y", "-qq", "--no-install-recommends", ...missing])) {
  console.error(`zkml-hardhat tests: apt-get could not install ${missing.join(", ")}`);
  console.error(`  fix: ${fix}`);
  process.exit(1);
}
const still = missing.filter((pkg) => !NEEDED[pkg]());
if (still.length) {
  console.error(`zkml-hardhat tests: ${still.join(", ")} still missing after apt-get install`);
  console.error(`  fix: ${fix}`);
  process.exit(1);
}
