/**
 * The direct backend against the circom renderer: on random models both give the same public signals for the
 * same input; the written r1cs parses with snarkjs (`r1cs info`) and `wtns check` passes for the written witness;
 * every wire is in some constraint and changing any public signal or a sample of internal wires fails the
 * check; hashed statements give circomlibjs's Poseidon; prove-model --backend direct proves and verifies;
 * auto is the direct backend.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { renderCircuit } from "../src/backends/circom/render";
import { rng } from "../src/model/mnist";
import { buildDirect } from "../src/backends/r1cs/lower";
import { irShapes, opPlan, QModel, runIR } from "../src/ir/ir";
import { loadModelFile } from "../src/model/format";
import { chooseBackend, proveModel } from "../src/pipeline/prove";
import { firstUnsatisfied, readR1cs, unconstrainedWires } from "../src/core/r1cs";
import { BN254_R } from "../src/core/field";
import { statementFor } from "../src/statement/statement";
import { constraintCount } from "../src/statement/cost";
import { quantize, quantizeFor } from "../src/quantize/quantize";
import { resolveModel } from "../src/model/zoo";
import { ACCOUNT0, compileSource, ROOT, tmpDir, witness } from "./helpers/circuit";
import { prepareModels, Prepared } from "./helpers/random";
import { spreadInput } from "./helpers/models";
import { batchOf, OPEN_VISIBILITY, Visibility } from "../src/statement/visibility";
import { SIX_STATEMENTS, TEST_OPENING } from "./helpers/fingerprints";
import { slowTests } from "./helpers/statements";

const SNARKJS = path.join(ROOT, "node_modules", "snarkjs", "build", "cli.cjs");
const VIS = SIX_STATEMENTS;

/** Weights of convolutions that no window ever applies to an input value (every tap of theirs is padding). */
function paddingOnlyWeights(q: QModel): number {
  const shapes = irShapes(q);
  let n = 0;
  q.ops.forEach((op, k) => {
    if (op.op !== "conv2d") return;
    const p = opPlan(op, shapes[k]);
    const used = new Set<number>();
    for (let o = 0; o < p.count.length; o++) for (let t = o * p.taps; t < o * p.taps + p.count[o]; t++) used.add(p.weight[t]);
    n += op.filters * (op.weights.length / op.filters - used.size);
  });
  return n;
}

/**
 * One random model under one statement, both backends: the same public signals for each input; the direct r1cs
 * holds for its witness; every wire is constrained; changing a public signal or an internal wire breaks it.
 */
async function backendsAgree(m: Prepared, vis: Visibility, i: number): Promise<void> {
  const dir = tmpDir("direct");
  try {
    const c = await compileSource(renderCircuit(m.q, vis), dir);
    const file = path.join(dir, "direct.r1cs");
    const d = buildDirect(m.q, vis, { r1csFile: file });
    const r1cs = readR1cs(file);
    expect([r1cs.nPubOut, r1cs.nPubIn, r1cs.nPrvIn]).to.deep.equal([d.publicOutputs, d.publicInputs, d.privateInputs]);
    const hashed = vis.input === "hashed" || vis.weights === "hashed" || vis.output === "hashed";
    if (hashed)
      // Poseidon's linear layers are folded into the next S-box here; circom --O1 keeps them as constraints
      expect(d.constraints).to.be.below(c.constraints);
    // otherwise the same constraints: circom --O1's removals of copies (y = x) are made here too
    else expect(d.constraints).to.equal(c.constraints);
    // every wire is in a constraint, except (--weights private only) a convolution's weights whose taps fall in
    // the padding for every window: they multiply nothing, so the statement does not depend on them
    const free = unconstrainedWires(r1cs);
    const firstPrivate = 1 + r1cs.nPubOut + r1cs.nPubIn;
    expect(free.length, `unconstrained wires ${free.join(", ")}`).to.equal(vis.weights === "private" ? paddingOnlyWeights(m.q) : 0);
    expect(free.every((w) => w >= firstPrivate && w < firstPrivate + r1cs.nPrvIn)).to.equal(true);
    for (const x of m.inputs) {
      const st = await statementFor(m.q, vis, x, runIR(m.q, x).output);
      const wc = await witness(c.wasm, st.witnessInput, dir);
      const wd = buildDirect(m.q, vis, { x, opening: st.opening }).witness!;
      expect(firstUnsatisfied(r1cs, wd), "direct witness").to.equal(-1);
      const pub = (w: bigint[]) => w.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn).map(String);
      expect(pub(wd)).to.deep.equal(pub(wc));
      expect(pub(wd)).to.deep.equal(st.publicSignals.map(String));
    }
    const w = buildDirect(m.q, vis, { x: m.inputs[0], opening: TEST_OPENING }).witness!;
    const r = rng(i + 1);
    // public signals, and internal wires (which the inputs determine); private inputs are the prover's free
    // choice (a private weight times a zero activation can change without breaking anything: that is the
    // statement --weights private makes), so they are not tampered with here
    const targets = [...Array(r1cs.nPubOut + r1cs.nPubIn).keys()].map((k) => k + 1);
    const firstInternal = 1 + r1cs.nPubOut + r1cs.nPubIn + r1cs.nPrvIn;
    for (let k = 0; k < 40 && firstInternal < w.length; k++) targets.push(firstInternal + Math.floor(r() * (w.length - firstInternal)));
    for (const t of targets) {
      const bad = w.slice();
      bad[t] = (bad[t] + 1n) % BN254_R;
      expect(firstUnsatisfied(r1cs, bad), `wire ${t} changed`).to.be.at.least(0);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("direct backend = circom renderer (property, random models)", function () {
  this.timeout(900_000);
  // 16 models with ZKML_SLOW_TESTS=1; CI's 8 still cycle through every statement of VIS
  const models = prepareModels(16, 555).slice(0, slowTests() ? 16 : 8);
  models.forEach((m, i) => {
    const vis = VIS[i % VIS.length];
    it(`random model ${i + 1} (${m.q.ops.map((o) => o.op).join(" -> ")}), ${vis.input}/${vis.weights}/${vis.output}: same public signals; the r1cs holds for the witness; tampering fails`, () => backendsAgree(m, vis, i));
  });

  // residual connections (add): each model under one of the statements, as above
  prepareModels(12, 4242, { residual: true })
    .filter((m) => m.q.ops.some((o) => o.op === "add"))
    .slice(0, slowTests() ? 6 : 3)
    .forEach((m, i) => {
      const vis = VIS[(i + 2) % VIS.length];
      it(`residual model ${i + 1} (${m.q.ops.map((o) => (o.op === "add" ? `add(t${o.from})` : o.op)).join(" -> ")}), ${vis.input}/${vis.weights}/${vis.output}: the same checks`, () => backendsAgree(m, vis, 100 + i));
    });

  it("Poseidon(16) costs 612 constraints directly: (8 full rounds x 17 + 68 partial) S-boxes x 3", () => {
    // the salt and 15 outputs hashed against the same 15 outputs public: the hash and one constraint binding it
    const q: QModel = { format: "zkml-ir/1", name: "p16", input: { shape: [2], min: 0n, bits: 2, step: 1, range: [0, 3] }, ops: [{ op: "dense", inSize: 2, units: 15, weights: Array(30).fill(1n), bias: Array(15).fill(0n) }], output: { step: 1 } };
    const pub = buildDirect(q, { input: "public", weights: "fixed", output: "public" }).constraints;
    const hashed = buildDirect(q, { input: "public", weights: "fixed", output: "hashed" }).constraints;
    expect(hashed - pub).to.equal((8 * 17 + 68) * 3 + 1);
  });

  it("lenet5 and mlp-mnist, every value public: the same constraint count as circom (147,534 and 9,194)", () => {
    // circom2 counted 146,750 and 8,410 before the declared input range was enforced; that adds one constraint
    // a pixel (their [0, 1] range ends at min + 2^7 within 8 bits: the top bit times the lower bits): + 784
    expect(buildDirect(quantizeFor(resolveModel("lenet5")), OPEN_VISIBILITY).constraints).to.equal(146_750 + 784);
    expect(buildDirect(quantizeFor(resolveModel("mlp-mnist")), OPEN_VISIBILITY).constraints).to.equal(8_410 + 784);
  });
});

describe("direct backend with snarkjs's own tools, and prove-model --backend", function () {
  this.timeout(600_000);

  it("snarkjs r1cs info reads the written r1cs; snarkjs wtns check accepts the written witness", () => {
    const dir = tmpDir("direct-snarkjs");
    try {
      const m = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
      const q = quantizeFor(m);
      const x = spreadInput(q, 7);
      const file = path.join(dir, "c.r1cs"), wtns = path.join(dir, "c.wtns");
      const d = buildDirect(q, OPEN_VISIBILITY, { r1csFile: file, x, wtnsFile: wtns });
      const info = execFileSync("node", [SNARKJS, "r1cs", "info", file], { encoding: "utf8" }).replace(/\x1b\[[0-9;]*m/g, "");
      expect(info).to.contain(`# of Constraints: ${d.constraints}`);
      expect(info).to.contain(`# of Wires: ${d.wires}`);
      expect(info).to.contain("# of Public Inputs: 36");
      expect(info).to.contain("# of Outputs: 3");
      const check = execFileSync("node", [SNARKJS, "wtns", "check", file, wtns], { encoding: "utf8" });
      expect(check).to.contain("WITNESS IS CORRECT");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prove-model --backend direct proves and verifies tiny-cnn with the public signals of the circom backend", async () => {
    const m = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
    const d = await proveModel({ root: ROOT, model: m, circuit: { backend: "direct" }, context: ACCOUNT0 });
    const c = await proveModel({ root: ROOT, model: m, circuit: { backend: "circom" }, context: ACCOUNT0 });
    expect(d.backend.name).to.equal("direct");
    expect(d.verified && d.matchesReference).to.equal(true);
    expect(fs.readFileSync(d.files.public, "utf8")).to.equal(fs.readFileSync(c.files.public, "utf8"));
  });

  it("auto is the direct backend for every model and statement, and names the option that compiles the circom source", () => {
    expect(chooseBackend("auto")).to.deep.include({ backend: "direct" });
    expect(chooseBackend("auto").reason).to.contain("--backend circom");
    expect(chooseBackend("circom").backend).to.equal("circom");
    expect(chooseBackend("direct").backend).to.equal("direct");
  });
});

describe("a last limb that holds one value is a copy: circom drops it, and so do the formula and the direct backend", function () {
  this.timeout(300_000);
  const dense = (nIn: number, units: number): QModel =>
    quantize(
      { format: "zkml-model/1", name: `copy-limb-${nIn}-${units}`, input: { shape: [nIn], range: [0, 1] }, layers: [{ type: "dense", units, weights: [...Array(units)].map((_, o) => [...Array(nIn)].map((_, i) => (((i * 7 + o * 3) % 11) / 11) - 0.5)), bias: [...Array(units)].map((_, o) => o / 10) }], provenance: { source: "test" } },
      { inputBits: 8, weightBits: 8, activationBits: 8, calibration: [[...Array(nIn)].map((_, i) => (i % 5) / 5)] },
    );
  const cases: { name: string; q: QModel; vis: Visibility; x: bigint[] }[] = [];
  // 32 pixels at 8 bits, 31 to a limb: the second limb is the last pixel itself (the input's minimum is 0)
  const q32 = dense(32, 3);
  cases.push({ name: "32 inputs, packed", q: q32, vis: { input: "packed", weights: "fixed", output: "label" }, x: spreadInput(q32) });
  // 127 inferences of a 3-class model: 2-bit labels, 126 to a limb: the second limb is the last label itself
  const q2 = dense(2, 3);
  cases.push({ name: "127 labels, a batch", q: q2, vis: { input: "public", weights: "fixed", output: "label", batch: 127 }, x: [...Array(127)].flatMap((_, i) => [BigInt(i % 100), BigInt((i * 37) % 100)]) });
  for (const c of cases)
    it(`${c.name}: circom's count = the formula = the direct backend's; the same public signals; tampering the copied limb fails`, async () => {
      const dir = tmpDir("copy-limb");
      try {
        const compiled = await compileSource(renderCircuit(c.q, c.vis), dir);
        const file = path.join(dir, "direct.r1cs");
        const d = buildDirect(c.q, c.vis, { r1csFile: file, x: c.x, opening: TEST_OPENING });
        expect(constraintCount(c.q, c.vis).total, "formula").to.equal(compiled.constraints);
        expect(d.constraints, "direct").to.equal(compiled.constraints);
        const N = batchOf(c.vis);
        const n = c.x.length / N;
        const outputs = [...Array(N)].flatMap((_, i) => runIR(c.q, c.x.slice(i * n, (i + 1) * n)).output);
        const st = await statementFor(c.q, c.vis, c.x, outputs, TEST_OPENING);
        const r1cs = readR1cs(file);
        const w = d.witness!;
        expect(firstUnsatisfied(r1cs, w)).to.equal(-1);
        expect(w.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn).map(String)).to.deep.equal(st.publicSignals.map(String));
        const wc = await witness(compiled.wasm, st.witnessInput, dir);
        expect(wc.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn).map(String)).to.deep.equal(st.publicSignals.map(String));
        // the copied limb is a public signal: changing it must break the direct circuit, and circom's
        const last = c.vis.input === "packed" ? r1cs.nPubOut + r1cs.nPubIn : r1cs.nPubOut;
        for (const [sys, wit] of [[r1cs, w], [readR1cs(compiled.r1cs), wc]] as const) {
          const bad = wit.slice();
          bad[last] = (bad[last] + 1n) % BN254_R;
          expect(firstUnsatisfied(sys, bad)).to.be.at.least(0);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
});
