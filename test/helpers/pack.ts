/**
 * `npm pack` of this repository, once per test process: its prepack builds dist/ (tsc, about 20 s on 2 cores), and
 * the Hardhat 2 and Hardhat 3 package tests (test/package.test.ts, test/package-hardhat3.test.ts) install the same
 * tarball, so the second one to ask gets the first one's. The folder is removed when the process exits.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./circuit";

export interface Packed {
  /** the tarball's path */
  tarball: string;
  /** the files it holds, as npm pack lists them */
  files: string[];
}

let packed: Packed | undefined;

export function packOnce(): Packed {
  if (packed) return packed;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-pack-"));
  process.once("exit", () => fs.rmSync(work, { recursive: true, force: true }));
  const r = spawnSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true" }, maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).to.equal(0);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  packed = { tarball: path.join(work, info.filename), files: info.files.map((f) => f.path) };
  return packed;
}
