/**
 * Records the fingerprints of the tests' circuits (test/helpers/fingerprints.ts) in
 * test/fixtures/circuit-fingerprints.json. Run it when a change is meant to change circuits, and say why in the
 * commit; test/fingerprints.test.ts fails on any change it did not record.
 *
 *   npx ts-node --transpile-only scripts/circuit-fingerprints.ts
 */
import * as fs from "fs";
import * as path from "path";
import { computeFingerprints } from "../test/helpers/fingerprints";

async function main(): Promise<void> {
  const fp = await computeFingerprints();
  const file = path.join(__dirname, "..", "test", "fixtures", "circuit-fingerprints.json");
  fs.writeFileSync(file, JSON.stringify(fp, null, 1) + "\n");
  console.log(`${fp.circuits.length} circuits, ${fp.vkeys.length} verification keys -> ${path.relative(process.cwd(), file)}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
