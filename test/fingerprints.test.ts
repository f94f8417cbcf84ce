/**
 * The circuits are what they were: every circuit the tests build (random models under random statements, the
 * soundness harness's model under all 36 statements and its saturated twin) has the constraint count, the r1cs
 * bytes, the circom source and the public signals recorded in test/fixtures/circuit-fingerprints.json, and four of
 * them the same verification key from a deterministic setup. A change meant to alter circuits records new ones
 * with scripts/circuit-fingerprints.ts and says why.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { circuitFingerprint, fingerprintCases, Fingerprints, vkeyFingerprints } from "./helpers/fingerprints";

const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "circuit-fingerprints.json"), "utf8")) as Fingerprints;

describe("circuit fingerprints: constraints, r1cs, circom source, public signals and keys as recorded", function () {
  this.timeout(300_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-fp-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("covers the 67 recorded circuits (28 random models, 36 statements of the all-ops model, 3 saturated)", () => {
    expect(fingerprintCases().map((c) => c.name)).to.deep.equal(recorded.circuits.map((c) => c.name));
  });

  it("each circuit is byte for byte the recorded one", async () => {
    const cases = fingerprintCases();
    for (let i = 0; i < cases.length; i++) expect(await circuitFingerprint(cases[i], dir), cases[i].name).to.deep.equal(recorded.circuits[i]);
  });

  it("a deterministic setup gives the recorded verification keys", async () => {
    expect(await vkeyFingerprints(dir)).to.deep.equal(recorded.vkeys);
  });
});
