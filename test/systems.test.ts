/**
 * The proof-system registry: every system it lists proves and verifies tiny-cnn through the interface alone
 * (setup, prove, verify, the verifier's input and its Solidity source), refuses a changed public value, and its
 * cost model is the one the pipeline used; and the registry's choices and refusals.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { isZkmlError } from "../src/core/errors";
import { loadModelFile } from "../src/model/format";
import { proveModel } from "../src/pipeline/prove";
import { PROOF_SYSTEMS, PROVERS, SYSTEMS, systemFor } from "../src/systems/registry";
import { ROOT, tmpDir } from "./helpers/circuit";

describe("proof systems: the registry", () => {
  it("names each protocol, with Groth16's native prover as its default and snarkjs beside it", () => {
    expect([...new Set(SYSTEMS.map((s) => s.protocol))].sort()).to.deep.equal([...PROOF_SYSTEMS].sort());
    expect(SYSTEMS.map((s) => `${s.protocol}/${s.prover}`)).to.deep.equal(["groth16/native", "groth16/snarkjs", "plonk/snarkjs", "fflonk/snarkjs"]);
    expect(systemFor({ system: "groth16" }).prover).to.equal("native");
    expect(systemFor({ system: "groth16", prover: "snarkjs" }).prover).to.equal("snarkjs");
    expect(PROVERS).to.deep.equal(["native", "snarkjs"]);
  });

  it("refuses a prover the protocol does not have, saying which does", () => {
    try {
      systemFor({ system: "fflonk", prover: "native" });
      expect.fail("accepted");
    } catch (e) {
      expect(isZkmlError(e) && e.code).to.equal("OPTION_INVALID");
      expect((e as Error).message).to.match(/native prover proves groth16, not fflonk/);
    }
  });

  it("only systems with a ceremony take a contribution; only those that count gates ask for them", () => {
    for (const s of SYSTEMS) {
      expect(s.ceremony, s.protocol).to.equal(s.protocol === "groth16");
      if (!s.countsGates) expect(s.ptauPower({ constraints: 1000, publicSignals: 3 })).to.equal(10); // 2^10 = 1024 > 1003 > 2^9
      else expect(() => s.ptauPower({ constraints: 1000, publicSignals: 3 })).to.throw(/gate count/);
    }
  });
});

describe("proof systems: each one through the interface on tiny-cnn", function () {
  this.timeout(900_000);
  const model = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
  const dir = tmpDir("systems");

  for (const sys of SYSTEMS) {
    it(`${sys.protocol} (${sys.prover} prover): prove, verify, a changed public value refused, the verifier's input and source`, async () => {
      const r = await proveModel({ root: ROOT, model, system: sys.protocol, prover: sys.prover });
      expect(r.verified).to.equal(true);
      expect(r.prover).to.equal(sys.prover);
      expect(r.proofBytes).to.equal(32 * sys.proofWords);
      // the pipeline's setup size is this system's cost model
      expect(r.circuit.ptauPower).to.equal(sys.ptauPower({ constraints: r.circuit.constraints, publicSignals: r.circuit.publicSignals, gates: r.circuit.gates }));
      expect(r.circuit.gates === undefined).to.equal(!sys.countsGates);

      const files = { vkey: r.files.verificationKey, proof: r.files.proof, public: r.files.public };
      expect(await sys.verify(files)).to.deep.equal({ valid: true });
      const pub = JSON.parse(fs.readFileSync(files.public, "utf8")) as string[];
      const changed = path.join(dir, `${sys.protocol}-${sys.prover}-public.json`);
      fs.writeFileSync(changed, JSON.stringify([...pub.slice(0, -1), String(BigInt(pub[pub.length - 1]) + 1n)]));
      expect(await sys.verify({ ...files, public: changed })).to.deep.equal({ valid: false });

      const input = await sys.verifierInput(JSON.parse(fs.readFileSync(files.proof, "utf8")), pub);
      expect(input.proof).to.have.length(sys.proofWords);
      expect(input.publicSignals).to.deep.equal(pub.map(BigInt));
      expect(sys.verifyProofArgs(input.proof, input.publicSignals).at(-1)).to.deep.equal(input.publicSignals);
      const sol = sys.renderVerifier(JSON.parse(fs.readFileSync(files.vkey, "utf8")), "SomeVerifier");
      expect(sol).to.match(/contract SomeVerifier\b/);
      expect(fs.readFileSync(r.files.verifier, "utf8")).to.contain(`contract ${r.files.verifierContract}`);
    });
  }

  it("a verification key of another system is refused by the renderer, naming both", () => {
    const [groth16, plonk] = [systemFor({ system: "groth16" }), systemFor({ system: "plonk" })];
    expect(() => plonk.renderVerifier({ protocol: "groth16" }, "X")).to.throw(/expected a plonk verification key, got protocol "groth16"/);
    expect(() => groth16.renderVerifier({}, "X")).to.throw(/expected a groth16 verification key/);
  });
});
