/**
 * The circuit checks every batch of issue 29's ops makes (test/ops*.test.ts): both circuit backends against the formula
 * and each other, each named signal and every private wire tampered, the Solidity inference contract against runIR.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { dequantize, QModel, runIR } from "../../src/ir/ir";
import { irFromJson, irToJson } from "../../src/ir/serialize";
import { forwardFloat, ModelFile } from "../../src/model/format";
import { loadOnnxModel } from "../../src/model/onnx/import";
import { OnnxNode } from "../../src/model/onnx/proto";
import { diagnoseNodes } from "../../src/model/onnx/support";
import { quantize, quantizeInput } from "../../src/quantize/quantize";
import { buildDirect } from "../../src/backends/r1cs/lower";
import { renderCircuit } from "../../src/backends/circom/render";
import { firstUnsatisfied, readR1cs } from "../../src/core/r1cs";
import { BN254_R } from "../../src/core/field";
import { OPEN_VISIBILITY } from "../../src/statement/visibility";
import { statementFor } from "../../src/statement/statement";
import { renderSolidity } from "../../src/backends/solidity/inference";
import { compileAll, deployInference } from "./evm";
import { compileSource, witness } from "./circuit";
import { encode, intAttr, intsAttr, onnxGraph, runOrt, tensor, values } from "./onnx";

/** A graph built as torch.onnx.export writes a model, with the layers it was built for. */
export type OpsGraph = { name: string; ops: string[]; g: Parameters<typeof onnxGraph>[0] };

/** nn.Linear as torch exports it: Gemm with transB, its weights and bias named after the node. */
export const gemm = (name: string, x: string, y: string): OnnxNode => ({ name, opType: "Gemm", input: [x, `${name}.W`, `${name}.b`], output: [y], attribute: [intAttr("transB", 1)] });
export const gemmInit = (name: string, out: number, inn: number, seed: number) => [tensor(`${name}.W`, [out, inn], values(out * inn, seed)), tensor(`${name}.b`, [out], values(out, seed + 1))];
/** nn.Conv2d(c, f, 3, padding=1) as torch exports it. */
export const convNode = (name: string, x: string, y: string): OnnxNode => ({ name, opType: "Conv", input: [x, `${name}.w`, `${name}.b`], output: [y], attribute: [intsAttr("kernel_shape", [3, 3]), intsAttr("pads", [1, 1, 1, 1])] });
export const convInit = (name: string, f: number, c: number, seed: number) => [tensor(`${name}.w`, [f, c, 3, 3], values(f * c * 9, seed)), tensor(`${name}.b`, [f], values(f, seed + 1))];

/** `count` seeded inputs in [0, 1] (the graphs' declared range) of a model's input size. */
export const sampleInputs = (m: ModelFile, count: number) => [...Array(count)].map((_, s) => values(m.input.shape.reduce((a, b) => a * b, 1), 31 * s + 5).map((v) => (v + 1) / 2));

/** The graph written to dir as an .onnx file with input range [0, 1], and imported. */
export function loadGraph(dir: string, c: OpsGraph): { model: ModelFile; bytes: Uint8Array } {
  const bytes = encode(onnxGraph({ ...c.g, range: [0, 1] }));
  const file = path.join(dir, `${c.name}.onnx`);
  fs.writeFileSync(file, bytes);
  return { model: loadOnnxModel(file), bytes };
}

/**
 * Every node of the graph accepted; the float path equal to onnxruntime within 1e-5; runIR, dequantized, within the
 * quantization's error of it at 8 and 12 bits (a few units of the activations' steps, relative to the outputs' size),
 * 12 bits the more accurate; the IR through its JSON unchanged.
 */
export async function expectOrtAgreement(dir: string, c: OpsGraph): Promise<void> {
  expect(diagnoseNodes(onnxGraph(c.g)).filter((v) => !v.supported)).to.deep.equal([]);
  const { model, bytes } = loadGraph(dir, c);
  const errs: number[] = [];
  for (const bits of [8, 12]) {
    const q = quantize(model, { inputBits: bits, weightBits: bits, activationBits: bits, calibration: sampleInputs(model, 16) });
    expect(irFromJson(irToJson(q))).to.deep.equal(q);
    let err = 0, scale = 0;
    for (const x of sampleInputs(model, 6)) {
      const ort = await runOrt(bytes, x, [1, ...model.input.shape]);
      const fl = forwardFloat(model, x).data;
      for (let i = 0; i < ort.length; i++) expect(Math.abs(fl[i] - ort[i]), `${c.name} float[${i}]`).to.be.below(1e-5);
      const ours = dequantize(q, runIR(q, quantizeInput(q, x)).output);
      ort.forEach((v, i) => {
        err = Math.max(err, Math.abs(ours[i] - v));
        scale = Math.max(scale, Math.abs(v));
      });
    }
    errs.push(err);
    expect(err, `${c.name} at ${bits} bits`).to.be.below((bits === 8 ? 0.08 : 0.006) * Math.max(1, scale));
  }
  expect(errs[1], "12 bits are more accurate than 8").to.be.below(errs[0]);
}

/** circom (--inspect clean) and the direct backend, each with `total` constraints; the honest witness holds and both give the statement's public signals. */
export async function bothBackends(q: QModel, x: bigint[], vis: typeof OPEN_VISIBILITY, dir: string, total: number) {
  const compiled = await compileSource(renderCircuit(q, vis), dir, { inspect: true });
  expect(compiled.log.split("\n").filter((l) => /warning/i.test(l)), compiled.log).to.deep.equal([]);
  expect(compiled.constraints).to.equal(total);
  const r1csFile = path.join(dir, "direct.r1cs");
  const d = buildDirect(q, vis, { r1csFile, x });
  expect(d.constraints).to.equal(total);
  const st = await statementFor(q, vis, x, runIR(q, x).output);
  const wit = await witness(compiled.wasm, st.witnessInput, dir);
  const r1cs = readR1cs(compiled.r1cs);
  expect(firstUnsatisfied(r1cs, wit)).to.equal(-1);
  expect(wit.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn).map(String)).to.deep.equal(st.publicSignals.map(String));
  expect(d.witness!.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn).map(String)).to.deep.equal(st.publicSignals.map(String));
  return { compiled, r1csFile, d, wit, r1cs };
}

/** Each named circom signal changed alone (a bit flipped, any other value moved by one) breaks a constraint. */
export function expectEachChangeFails(r1cs: ReturnType<typeof readR1cs>, wit: bigint[], sym: Map<string, number>, targets: [string, boolean][]): void {
  for (const [name, bit] of targets) {
    const at = sym.get(name);
    expect(at, name).to.be.a("number");
    const bad = wit.slice();
    bad[at!] = bit ? (bad[at!] === 1n ? 0n : 1n) : (bad[at!] + 1n) % BN254_R;
    expect(firstUnsatisfied(r1cs, bad), `${name} changed`).to.be.at.least(0);
  }
}

/** The direct backend's r1cs holds the witness, and every private wire moved by one alone breaks a constraint. */
export function expectEveryWireCaught(r1csFile: string, w: bigint[]): void {
  const dr = readR1cs(r1csFile);
  expect(firstUnsatisfied(dr, w)).to.equal(-1);
  let caught = 0;
  for (let i = 1 + dr.nPubOut + dr.nPubIn; i < w.length; i++) {
    const bad = w.slice();
    bad[i] = (bad[i] + 1n) % BN254_R;
    if (firstUnsatisfied(dr, bad) >= 0) caught++;
  }
  expect(caught).to.equal(w.length - 1 - dr.nPubOut - dr.nPubIn);
}

/** The Solidity inference contract of q returns runIR's output bit for bit on each input. */
export async function expectInferenceIsRunIR(q: QModel, name: string, xs: bigint[][]): Promise<void> {
  const bundle = renderSolidity(q, name);
  const c = await deployInference(bundle, compileAll([bundle]).get(name)!);
  for (const xi of xs) expect((await c.infer(xi)).map(String)).to.deep.equal(runIR(q, xi).output.map(String));
}
