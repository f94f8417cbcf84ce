/**
 * Fingerprints of the circuits the tests build: for each (model, statement), the constraint formula's count, the
 * direct backend's r1cs bytes, the circom source, and the public signals of an honest witness; and, for a few,
 * the verification key of a deterministic setup (a fixed-secret powers of tau, snarkjs's newZKey without a
 * contribution). Recorded once in test/fixtures/circuit-fingerprints.json (scripts/circuit-fingerprints.ts) so a
 * change of structure that is meant to change nothing can be shown to change nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { buildDirect } from "../../src/backends/r1cs/lower";
import { renderCircuit } from "../../src/backends/circom/render";
import { constraintCount } from "../../src/statement/cost";
import { QModel, runIR } from "../../src/ir/ir";
import { quantize } from "../../src/quantize/quantize";
import { rng } from "../../src/model/mnist";
import { loadModelFile } from "../../src/model/format";
import { INPUT_VISIBILITY, OUTPUT_VISIBILITY, Visibility, WEIGHTS_VISIBILITY } from "../../src/statement/visibility";
import { Opening, statementFor } from "../../src/statement/statement";
import { writeDevPtau } from "../../src/setup/ptau";
import { prepareModels } from "./random";
import { allOpsCase, allOpsModel } from "./models";

export interface CircuitFingerprint {
  name: string;
  formula: number;
  constraints: number;
  wires: number;
  publicSignals: number;
  r1cs: string;
  circom: string;
  publicValues: string;
}

export interface Fingerprints {
  circuits: CircuitFingerprint[];
  vkeys: { name: string; vkey: string }[];
}

const sha = (b: string | Uint8Array) => createHash("sha256").update(b).digest("hex");
const visName = (v: Visibility) => `${v.input}/${v.weights}/${v.output}`;

/** Fixed salts (and a context, for statements with one), so a test's statements and witnesses are the same every run. */
export const TEST_OPENING: Opening = { context: 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n, xSalt: 1n, ySalt: 2n };

/** Six statements that between them use every option: the direct-backend property test cycles through them. */
export const SIX_STATEMENTS: Visibility[] = [
  { input: "public", weights: "fixed", output: "public" },
  { input: "packed", weights: "private", output: "label" },
  { input: "hashed", weights: "fixed", output: "label" },
  { input: "public", weights: "hashed", output: "hashed" },
  { input: "private", weights: "private", output: "hashed" },
  { input: "hashed", weights: "hashed", output: "public" },
];

/** Every (model, statement, input) the fingerprints cover: the tests' random models and the soundness harness's. */
export function fingerprintCases(): { name: string; q: QModel; vis: Visibility; x: bigint[] }[] {
  const cases: { name: string; q: QModel; vis: Visibility; x: bigint[] }[] = [];
  const six = SIX_STATEMENTS;
  prepareModels(16, 555).forEach((m, i) => cases.push({ name: `random-555-${i} ${visName(six[i % 6])}`, q: m.q, vis: six[i % 6], x: m.inputs[0] }));
  const r = rng(31);
  prepareModels(12, 9100).forEach((m, i) => {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const vis: Visibility = { input: pick(INPUT_VISIBILITY), weights: pick(WEIGHTS_VISIBILITY), output: pick(OUTPUT_VISIBILITY) };
    cases.push({ name: `random-9100-${i} ${visName(vis)}`, q: m.q, vis, x: m.inputs[0] });
  });
  const all = allOpsModel();
  const { q, x } = allOpsCase();
  for (const input of INPUT_VISIBILITY) for (const weights of WEIGHTS_VISIBILITY) for (const output of OUTPUT_VISIBILITY)
    cases.push({ name: `all-ops ${input}/${weights}/${output}`, q, vis: { input, weights, output }, x });
  const qs = quantize(all, { inputBits: 8, weightBits: 8, activationBits: 4, saturate: "on", calibration: [[...Array(36)].map((_, i) => ((i % 7) / 7) * 0.3)] });
  for (const vis of [{ input: "public", weights: "fixed", output: "public" }, { input: "hashed", weights: "hashed", output: "label" }, { input: "private", weights: "private", output: "hashed" }] as Visibility[])
    cases.push({ name: `all-ops saturated ${visName(vis)}`, q: qs, vis, x });
  return cases;
}

export async function circuitFingerprint(c: { name: string; q: QModel; vis: Visibility; x: bigint[] }, dir: string): Promise<CircuitFingerprint> {
  const file = path.join(dir, "fp.r1cs");
  const d = buildDirect(c.q, c.vis, { r1csFile: file, x: c.x, opening: TEST_OPENING });
  const st = await statementFor(c.q, c.vis, c.x, runIR(c.q, c.x).output, TEST_OPENING);
  const fp: CircuitFingerprint = {
    name: c.name,
    formula: constraintCount(c.q, c.vis).total,
    constraints: d.constraints,
    wires: d.wires,
    publicSignals: d.publicOutputs + d.publicInputs,
    r1cs: sha(fs.readFileSync(file)),
    circom: sha(renderCircuit(c.q, c.vis)),
    publicValues: sha(st.publicSignals.join(",")),
  };
  fs.rmSync(file, { force: true });
  return fp;
}

/** Verification keys of a deterministic setup, for a few circuits (each a second or two). */
export async function vkeyFingerprints(dir: string): Promise<{ name: string; vkey: string }[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const snarkjs = require("snarkjs");
  const ptau = path.join(dir, "fixed.ptau");
  await writeDevPtau(ptau, 14, { secrets: { tau: 1234567n, alpha: 7654321n, beta: 1111111n } });
  const tiny = loadModelFile(path.join(__dirname, "..", "fixtures", "tiny-cnn.json"));
  const qt = quantize(tiny, { inputBits: 8, weightBits: 8, activationBits: 8, calibration: [[...Array(tiny.input.shape.reduce((a, b) => a * b, 1))].map((_, i) => (i % 5) / 5)] });
  const cases = fingerprintCases().filter((c) => c.name === "all-ops public/fixed/public" || c.name === "all-ops hashed/hashed/label" || c.name === "all-ops saturated public/fixed/public");
  cases.push({ name: "tiny-cnn public/fixed/public", q: qt, vis: { input: "public", weights: "fixed", output: "public" }, x: [] });
  const out: { name: string; vkey: string }[] = [];
  for (const c of cases) {
    const r1cs = path.join(dir, "vk.r1cs"), zkey = path.join(dir, "vk.zkey");
    buildDirect(c.q, c.vis, { r1csFile: r1cs });
    await snarkjs.zKey.newZKey(r1cs, ptau, zkey);
    const vk = await snarkjs.zKey.exportVerificationKey(zkey);
    out.push({ name: c.name, vkey: sha(JSON.stringify(vk)) });
  }
  return out;
}

export async function computeFingerprints(): Promise<Fingerprints> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zkml-fp-"));
  try {
    const circuits: CircuitFingerprint[] = [];
    for (const c of fingerprintCases()) circuits.push(await circuitFingerprint(c, dir));
    return { circuits, vkeys: await vkeyFingerprints(dir) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
