/**
 * Regenerate data/ptau-hashes.json: the Perpetual Powers of Tau files (Hermez round, 54 contributions and a
 * beacon) that snarkjs's README publishes, with each file's BLAKE2b-512 hash and download address.
 * Read from the installed snarkjs README so that no hash is retyped: `npx ts-node --transpile-only scripts/ptau-hashes.ts`.
 */
import * as fs from "fs";
import * as path from "path";

const readme = fs.readFileSync(path.join(path.dirname(require.resolve("snarkjs")), "..", "README.md"), "utf8");
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("snarkjs")), "..", "package.json"), "utf8")).version;
const files: { power: number; name: string; url: string; blake2b: string }[] = [];
for (const m of readme.matchAll(/^\|\s*(\d+)\s*\|[^|]*\|\s*\[([^\]]+\.ptau)\]\(([^)]+)\)\s*\|\s*([0-9a-f]{128})\s*\|/gm))
  files.push({ power: Number(m[1]), name: m[2], url: m[3], blake2b: m[4] });
if (files.length < 20) throw new Error(`expected the table of ptau files in snarkjs's README, found ${files.length} rows`);
const out = path.join(__dirname, "..", "data", "ptau-hashes.json");
const body = { source: `snarkjs ${version} README.md (table of prepared Perpetual Powers of Tau files)`, hash: "blake2b-512 of the whole file", files };
fs.writeFileSync(out, JSON.stringify(body, null, 1) + "\n");
console.log(`${files.length} files written to ${path.relative(process.cwd(), out)}`);
