#!/usr/bin/env node
/**
 * ts-node's transpiler (tsconfig.test.json, which `npx hardhat test` gives the processes it starts through
 * TS_NODE_PROJECT: hardhat.config.ts) with a disk cache: TypeScript's transpileModule, as ts-node's transpile-only
 * mode (Hardhat's default) runs it, its output kept in the OS temp folder under a hash of everything it depends on
 * (the source, the file's name, the compiler options, TypeScript's version). Every `npx hardhat` a test spawns loads
 * this repository's src/ through ts-node, which transpiled each file again: about 1.1 s of a 3.3 s start on a 2-core
 * machine, well over a hundred starts in a run. A result with diagnostics, or a write that fails, is not kept.
 */
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS module: ts-node requires it before anything is compiled */
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

/** ts-node's transpiler interface: create() once per module kind, then transpile(source, { fileName }). */
exports.create = function create({ service }) {
  const ts = require("typescript");
  const compilerOptions = service.config.options;
  const dir = path.join(os.tmpdir(), `zkml-ts-cache-${ts.version}`);
  const salt = JSON.stringify([ts.version, compilerOptions]);
  return {
    transpile(input, { fileName }) {
      const key = crypto.createHash("sha256").update(salt).update("\0").update(fileName).update("\0").update(input).digest("hex");
      const file = path.join(dir, `${key}.json`);
      try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
      } catch {
        // not kept yet (or unreadable): transpile
      }
      const r = ts.transpileModule(input, { fileName, compilerOptions, reportDiagnostics: true });
      const result = { outputText: r.outputText, sourceMapText: r.sourceMapText, diagnostics: r.diagnostics ?? [] };
      if (result.diagnostics.length === 0) {
        try {
          fs.mkdirSync(dir, { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, JSON.stringify(result));
          fs.renameSync(tmp, file);
        } catch {
          // a cache that cannot be written costs only time
        }
      }
      return result;
    },
  };
};
