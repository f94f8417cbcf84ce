/**
 * The native Groth16 prover (native/) against snarkjs, the reference: on every statement of the soundness
 * harness's all-ops model (27: each input, weights and output option) and on random models, a native proof of
 * the direct backend's witness verifies with stock snarkjs, and its public signals are snarkjs's. A witness that
 * breaks one constraint is refused before proving; a truncated, damaged or mismatched zkey, wtns or r1cs gives a
 * clear error with the file, never a crash or a wrong proof.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildDirect } from "../src/backends/r1cs/lower";
import { isZkmlError, ZkmlError } from "../src/core/errors";
import { prove } from "../src/systems/stages";
import { readR1cs, readWtns, writeWtns, firstUnsatisfied } from "../src/core/r1cs";
import { writeDevPtau } from "../src/setup/ptau";
import type { Visibility } from "../src/statement/visibility";
import { everyStatement, slowTests, sweptStatements } from "./helpers/statements";
import { allOpsCase } from "./helpers/models";
import { prepareModels } from "./helpers/random";
import { TEST_OPENING } from "./helpers/fingerprints";
import { ROOT, tmpDir } from "./helpers/circuit";
import { QModel } from "../src/ir/ir";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const snarkjs = (): any => require("snarkjs");

interface Keyed {
  r1cs: string;
  wtns: string;
  zkey: string;
  vkey: any;
}

/** r1cs and witness from the direct backend, a zkey from snarkjs (the reference setup) and its verification key. */
async function keyed(dir: string, name: string, q: QModel, vis: Visibility, x: bigint[], ptau: string): Promise<Keyed> {
  const r1cs = path.join(dir, `${name}.r1cs`), wtns = path.join(dir, `${name}.wtns`), zkey = path.join(dir, `${name}.zkey`);
  buildDirect(q, vis, { r1csFile: r1cs, x, wtnsFile: wtns, opening: TEST_OPENING });
  await snarkjs().zKey.newZKey(r1cs, ptau, zkey);
  return { r1cs, wtns, zkey, vkey: await snarkjs().zKey.exportVerificationKey(zkey) };
}

async function nativeProof(k: Keyed, dir: string, wtns = k.wtns, zkey = k.zkey, r1cs = k.r1cs) {
  const proof = path.join(dir, "proof.json"), pub = path.join(dir, "public.json");
  const r = await prove({ system: "groth16", prover: "native", zkey, wtns, r1cs, proof, public: pub });
  return { r, proof: JSON.parse(fs.readFileSync(proof, "utf8")), publicSignals: JSON.parse(fs.readFileSync(pub, "utf8")) as string[], files: { proof, pub } };
}

async function refused(p: Promise<unknown>): Promise<ZkmlError> {
  try {
    await p;
  } catch (e) {
    if (isZkmlError(e)) return e as ZkmlError;
    throw e;
  }
  throw new Error("expected a ZkmlError, the prover succeeded");
}

/** Offsets and sizes of an iden3 container's sections. */
function sections(file: string): Map<number, { offset: number; size: number }> {
  const b = fs.readFileSync(file);
  const m = new Map<number, { offset: number; size: number }>();
  let at = 12;
  for (let i = 0; i < b.readUInt32LE(8); i++) {
    const size = Number(b.readBigUInt64LE(at + 4));
    m.set(b.readUInt32LE(at), { offset: at + 12, size });
    at += 12 + size;
  }
  return m;
}

describe("native Groth16 prover against snarkjs", function () {
  this.timeout(600_000);
  let dir: string;
  let ptau: string;
  before(async () => {
    dir = tmpDir("native-prover");
    ptau = path.join(dir, "dev.ptau");
    await writeDevPtau(ptau, 14, { secrets: { tau: 98765n, alpha: 4321n, beta: 777n } });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("the soundness harness's statements (all-ops model; all with ZKML_SLOW_TESTS=1, else a pairwise set): stock snarkjs verifies the native proof", () => {
    const { q, x } = allOpsCase();
    for (const vis of sweptStatements()) {
      const { input, weights, output } = vis;
      it(`${input}/${weights}/${output}`, async () => {
        const k = await keyed(dir, "allops", q, vis, x, ptau);
        const n = await nativeProof(k, dir);
        expect(n.r.prover).to.equal("native");
        expect(await snarkjs().groth16.verify(k.vkey, n.publicSignals, n.proof)).to.equal(true);
        // the public signals are the witness's, as snarkjs takes them
        const w = readWtns(k.wtns);
        expect(n.publicSignals).to.deep.equal(w.slice(1, 1 + n.publicSignals.length).map(String));
        // a proof for other public signals is rejected (the proof is bound to them)
        const other = [...n.publicSignals];
        other[0] = String((BigInt(other[0]) + 1n) % 21888242871839275222246405745257275088548364400416034343698204186575808495617n);
        expect(await snarkjs().groth16.verify(k.vkey, other, n.proof)).to.equal(false);
      });
    }
  });

  it("random models (4 in CI, 8 with ZKML_SLOW_TESTS=1; statements drawn): native proofs verify with snarkjs; snarkjs's own proof has the same public signals", async () => {
    const six: Visibility[] = [];
    six.push(...everyStatement());
    const models = prepareModels(slowTests() ? 8 : 4, 4242);
    for (const [i, m] of models.entries()) {
      const vis = six[(i * 7) % six.length];
      const k = await keyed(dir, `rnd${i}`, m.q, vis, m.inputs[0], ptau);
      const n = await nativeProof(k, dir);
      expect(await snarkjs().groth16.verify(k.vkey, n.publicSignals, n.proof), `model ${i} ${JSON.stringify(vis)}`).to.equal(true);
      const ref = await snarkjs().groth16.prove(k.zkey, k.wtns);
      expect(n.publicSignals).to.deep.equal(ref.publicSignals);
    }
  });

  it("the stock snarkjs command line verifies a native proof", async () => {
    const { q, x } = allOpsCase();
    const k = await keyed(dir, "cli", q, { input: "packed", weights: "hashed", output: "label" }, x, ptau);
    const n = await nativeProof(k, dir);
    const vk = path.join(dir, "cli.vkey.json");
    fs.writeFileSync(vk, JSON.stringify(k.vkey));
    const cli = path.join(ROOT, "node_modules", "snarkjs", "build", "cli.cjs");
    const out = execFileSync(process.execPath, [cli, "groth16", "verify", vk, n.files.pub, n.files.proof], { encoding: "utf8" });
    expect(out).to.match(/OK!/);
  });

  describe("refusals", () => {
    let k: Keyed;
    before(async () => {
      const { q, x } = allOpsCase();
      k = await keyed(dir, "bad", q, { input: "public", weights: "fixed", output: "public" }, x, ptau);
    });

    it("a witness that breaks a constraint (each of 12 wires changed in turn) is refused before proving, naming the constraint", async () => {
      const w = readWtns(k.wtns);
      const r = readR1cs(k.r1cs, { constraints: true });
      const f = path.join(dir, "tampered.wtns");
      let tried = 0;
      for (let wire = 1; wire < w.length && tried < 12; wire += Math.max(1, Math.floor(w.length / 12))) {
        const t = [...w];
        t[wire] = t[wire] + 1n;
        const broken = firstUnsatisfied(r, t);
        if (broken < 0) continue; // a wire no constraint reads (none expected; counted below)
        writeWtns(f, t);
        const e = await refused(nativeProof(k, dir, f));
        expect(e.code).to.equal("WITNESS_UNSATISFIED");
        expect(e.message).to.contain(`constraint ${broken} of`);
        expect(e.file).to.equal(f);
        tried++;
      }
      expect(tried).to.equal(12);
    });

    it("a truncated zkey, a point off the curve, two H points swapped, a damaged coefficient: ZKEY_INVALID, no proof written", async () => {
      const bytes = fs.readFileSync(k.zkey);
      const s = sections(k.zkey);
      const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
        ["truncated", (b) => b.subarray(0, Math.floor(b.length * 0.6)), /truncated/],
        ["A point off the curve", (b) => { b[s.get(5)!.offset + 64 * 3 + 5] ^= 0x40; return b; }, /section 5 \(A\): point 3 is not on the curve|not below/],
        ["two H points swapped", (b) => {
          const h = s.get(9)!.offset;
          const p0 = Buffer.from(b.subarray(h, h + 64));
          b.copy(b, h, h + 64 * 7, h + 64 * 8);
          p0.copy(b, h + 64 * 7);
          return b;
        }, /fails its own verification key/],
        ["a coefficient changed", (b) => {
          // the first entry whose wire is nonzero in this witness, so the change reaches the proof
          const w = readWtns(k.wtns);
          const c = s.get(4)!.offset + 4;
          let e = 0;
          while (w[b.readUInt32LE(c + 44 * e + 8)] === 0n) e++;
          b[c + 44 * e + 12] ^= 0x01;
          return b;
        }, /fails its own verification key/],
        ["not a zkey", () => Buffer.from("hello, this is not a key file at all"), /not a zkey file/],
      ];
      for (const [name, damage, why] of cases) {
        const f = path.join(dir, "damaged.zkey");
        fs.writeFileSync(f, damage(Buffer.from(bytes)));
        const proof = path.join(dir, "never.json");
        fs.rmSync(proof, { force: true });
        const e = await refused(prove({ system: "groth16", prover: "native", zkey: f, wtns: k.wtns, r1cs: k.r1cs, proof, public: path.join(dir, "never.pub.json") }));
        expect(e.code, name).to.equal("ZKEY_INVALID");
        expect(e.message, name).to.match(why);
        expect(e.file, name).to.equal(f);
        expect(e.hint, name).to.match(/setup runs again/);
        expect(fs.existsSync(proof), name).to.equal(false);
      }
    });

    it("a truncated wtns, a value past the modulus, another circuit's witness, another circuit's r1cs: clear errors", async () => {
      const f = path.join(dir, "damaged.wtns");
      const w = fs.readFileSync(k.wtns);
      fs.writeFileSync(f, w.subarray(0, w.length - 100));
      let e = await refused(nativeProof(k, dir, f));
      expect([e.code, e.file]).to.deep.equal(["WITNESS_INVALID", f]);
      expect(e.message).to.match(/truncated/);
      const big = Buffer.from(w);
      big.fill(0xff, sections(k.wtns).get(2)!.offset + 32 * 5, sections(k.wtns).get(2)!.offset + 32 * 6);
      fs.writeFileSync(f, big);
      e = await refused(nativeProof(k, dir, f));
      expect(e.code).to.equal("WITNESS_INVALID");
      expect(e.message).to.match(/value 5 is not below the field's modulus/);
      const other = await keyed(dir, "other", prepareModels(1, 77)[0].q, { input: "public", weights: "fixed", output: "public" }, prepareModels(1, 77)[0].inputs[0], ptau);
      e = await refused(nativeProof(k, dir, other.wtns));
      expect(e.code).to.equal("WITNESS_INVALID");
      expect(e.message).to.match(/another circuit/);
      e = await refused(nativeProof(k, dir, k.wtns, k.zkey, other.r1cs));
      expect(["R1CS_INVALID", "WITNESS_UNSATISFIED"]).to.include(e.code);
      expect(e.file).to.be.oneOf([other.r1cs, k.wtns]);
    });

    it("--prover native with PLONK is refused with the way out", async () => {
      const e = await refused(prove({ system: "plonk", prover: "native", zkey: k.zkey, wtns: k.wtns, r1cs: k.r1cs, proof: "x", public: "y" }));
      expect(e.code).to.equal("OPTION_INVALID");
      expect(e.hint).to.match(/snarkjs proves plonk/i);
    });
  });
});
