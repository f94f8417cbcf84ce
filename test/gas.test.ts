/**
 * On-chain verification against on-chain inference, from real transaction receipts:
 * - tiny-cnn proved live with Groth16, PLONK and FFLONK: every verifier accepts its proof, the consumer records the
 *   reference output, and changed public signals, changed proof elements and signals at or above the field modulus
 *   are rejected on chain;
 * - gas budgets for lenet5 and mlp-mnist from committed real proofs (test/fixtures/gas, written by
 *   scripts/gas-fixtures.ts; their setups take minutes to hours, too long for `npm test`);
 * - the crossover and break-even arithmetic.
 */
import { expect } from "chai";
import * as path from "path";
import hre from "hardhat";
import { AbiCoder, Interface } from "ethers";
import { assembleGasInput, collectProofs, compareModelGas, gasSubject, GasSubject, ProofArtifact } from "../src/evm/compare";
import { submitSignalArgs } from "../src/backends/solidity/consumer";
import { DEFAULT_VISIBILITY, OPEN_VISIBILITY } from "../src/statement/visibility";
import type { CircuitOptions } from "../src/pipeline/circuit";
import { breakEven, compareGas, crossover, GasReport, measureSystem } from "../src/evm/gas";
import { renderGasJson, renderGasMarkdown, renderGasTerminal } from "../src/report/gas";
import { loadModelFile } from "../src/model/format";
import { BN254_R } from "../src/core/field";
import { systemFor } from "../src/systems/registry";
import type { CircuitProtocol } from "../src/core/paths";

const verifyProofArgs = (system: CircuitProtocol, proof: bigint[], pub: bigint[]) => systemFor({ system }).verifyProofArgs(proof, pub);
import { resolveModel } from "../src/model/zoo";
import { gasChains } from "../src/plugin/hardhat2/chains";
import { ROOT } from "./helpers/circuit";
import { loadGasFixture } from "./helpers/evm";

/* eslint-disable @typescript-eslint/no-explicit-any */


async function rpc(p: any, method: string, params: unknown[]): Promise<any> {
  return p.request({ method, params });
}

describe("compare-gas on another statement: tiny-cnn with hashed weights, hashed input and a label (Groth16)", function () {
  this.timeout(600_000);
  const model = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
  const circuit: CircuitOptions = { visibility: { input: "hashed", weights: "hashed", output: "label" }, backend: "direct", quant: {} };

  it("the consumer, built with the model's commitment, accepts the proof and records the reference's label; 3 public signals", async () => {
    const report = await compareModelGas({ root: ROOT, model, systems: ["groth16"], circuit }, await gasChains(hre, 30_000_000));
    const g = report.systems[0];
    expect(g.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
    expect(g.publicSignals).to.equal(3); // label, input hash, weights hash
    // Groth16 with 3 public signals: ~181k of pairings + 21k + calldata + 3 x ~6.5k
    expect(g.verify.gas).to.be.within(200_000, 300_000);
  });

  it("a consumer built with another model's commitment refuses the honest proof (ModelMismatch); so does one given a changed input hash", async () => {
    const proofs = await collectProofs({ root: ROOT, model, systems: ["groth16"], circuit });
    const subject = await gasSubject(model, circuit);
    const s = assembleGasInput(model, [{ subject, proofs }]).systems[0];
    const p = (await gasChains(hre, 30_000_000)).standard.provider;
    const from = (await rpc(p, "eth_accounts", []))[0];
    const send = async (tx: object) => rpc(p, "eth_getTransactionReceipt", [await rpc(p, "eth_sendTransaction", [{ from, gas: "0x1000000", ...tx }])]);
    const c = new Interface(s.consumer.abi);
    const v = await send({ data: `0x${s.verifier.bytecode}` });
    const call = async (consumer: string, pub: bigint[]) => {
      try {
        await rpc(p, "eth_call", [{ from, to: consumer, data: c.encodeFunctionData("submit", verifyProofArgs("groth16", s.proof, pub)) }, "latest"]);
        return "accepted";
      } catch (e: any) {
        const data = e.data ?? e.error?.data ?? e.info?.error?.data;
        return typeof data === "string" ? c.parseError(data)!.name : String(e.message);
      }
    };
    const honest = await send({ data: `0x${s.consumer.bytecode}${c.encodeDeploy([v.contractAddress, ...s.consumerArgs]).slice(2)}` });
    const other = await send({ data: `0x${s.consumer.bytecode}${c.encodeDeploy([v.contractAddress, s.consumerArgs[0] + 1n]).slice(2)}` });
    expect(await call(honest.contractAddress, s.publicSignals)).to.equal("accepted");
    expect(await call(other.contractAddress, s.publicSignals)).to.equal("ModelMismatch");
    const changed = [...s.publicSignals];
    changed[1] += 1n; // the input's commitment
    expect(await call(honest.contractAddress, changed)).to.equal("ProofRejected");
  });

  it("a subject of another statement refuses the proof: the event would not say what the statement says", async () => {
    const proofs = await collectProofs({ root: ROOT, model, systems: ["groth16"], circuit });
    const defaultSubject = await gasSubject(model);
    expect(() => assembleGasInput(model, [{ subject: defaultSubject, proofs }])).to.throw(/not those of tiny-cnn's default input under this statement/);
  });
});

describe("a batch: 4 tiny-cnn inferences in one Groth16 proof (packed inputs, packed labels)", function () {
  this.timeout(600_000);
  const model = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
  const circuit: CircuitOptions = { visibility: { ...DEFAULT_VISIBILITY, batch: 4 }, backend: "auto", quant: {} };

  it("proves, verifies on chain and records 4 labels equal to the reference's, at a quarter of the verification each", async () => {
    const report = await compareModelGas({ root: ROOT, model, systems: ["groth16"], circuit }, await gasChains(hre, 30_000_000));
    const g = report.systems[0];
    // eventMatchesReference: one InferenceVerified per inference, indexes 0..3, labels = the reference's argmax of each
    expect(g.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
    // the 4 labels packed into 1 limb (2 bits each), the 4 x 36 input bytes into 5 limbs of 31, the context (one
    // for the batch: the whole proof is bound to its submitter)
    expect(g.publicSignals).to.equal(1 + 5 + 1);
    expect(g.batch).to.equal(4);
    // ~181k of pairings + 21k + 7 x ~7k, then 4 events (~2k each) and the 144 bytes packed: one verification shared
    expect(g.verify.gas).to.be.within(220_000, 280_000);
    expect(g.submitPerInference).to.equal(Math.round(g.submit.gas / 4)).and.to.be.below(80_000);
  });
});

describe("compare-gas: tiny-cnn proved with groth16, plonk and fflonk (the default statement: packed input, label)", function () {
  this.timeout(900_000);
  const model = loadModelFile(path.join(__dirname, "fixtures", "tiny-cnn.json"));
  let proofs: ProofArtifact[];
  let report: GasReport;
  let subject: GasSubject;
  let chains: Awaited<ReturnType<typeof gasChains>>;

  before(async () => {
    proofs = await collectProofs({ root: ROOT, model, systems: ["groth16", "plonk", "fflonk"] });
    chains = await gasChains(hre, 30_000_000);
    subject = await gasSubject(model);
    report = await compareGas(assembleGasInput(model, [{ subject, proofs }]), chains);
  });

  it("every verifier accepts its proof, refuses a changed signal, and the consumer's event carries the reference output", () => {
    expect(report.naive.matchesReference).to.equal(true);
    for (const s of report.systems) expect(s.checks, s.system).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
  });

  it("verification within budget for 4 public signals (the label + 36 input values packed into 2 limbs + the context)", () => {
    const by = Object.fromEntries(report.systems.map((s) => [s.system, s]));
    expect(report.systems.map((s) => s.publicSignals)).to.deep.equal([4, 4, 4]);
    // Groth16: 21,000 base + calldata (~0.4 KB, ~6k) + 4 pairings (45,000 + 4 x 34,000 = 181,000) + one ECMUL
    // (6,000) and ECADD (150) per public signal plus field checks: about 21k + 6k + 181k + 4 x 6.5k = 234k.
    expect(by.groth16.verify.gas).to.be.within(200_000, 260_000);
    // PLONK and FFLONK: 2 pairings plus a fixed number of ECMULs, public signals cost only field arithmetic.
    expect(by.plonk.verify.gas).to.be.within(200_000, 340_000);
    expect(by.fflonk.verify.gas).to.be.within(160_000, 280_000);
    // the consumer adds the external call (2,600 cold), 36 input bytes of calldata, 2 limbs packed (~100 gas each),
    // the label's field check, the context's check against msg.sender, a keccak and the event: a few thousand
    for (const s of report.systems) expect(s.submit.gas - s.verify.gas, s.system).to.be.within(3_000, 30_000);
    // proof sizes: Groth16 8 words, PLONK and FFLONK 24
    expect(report.systems.map((s) => s.proofBytes)).to.deep.equal([256, 768, 768]);
  });

  it("flags what passes a standard limit and measures it with the limits raised", () => {
    for (const s of report.systems) {
      const big = s.verifier.runtimeBytes > 24_576;
      expect(s.verifier.flags.some((f) => /EIP-170/.test(f)), s.system).to.equal(big);
      expect(s.raisedLimits, s.system).to.equal(big);
    }
    expect(report.naive.raisedLimits).to.equal(false);
    expect(report.limits).to.include({ hardfork: "osaka", blockGasLimit: 30_000_000, txGasCap: 16_777_216 });
  });

  it("renders the same numbers to terminal, markdown and JSON", () => {
    const g = report.systems[0].verify.gas.toLocaleString("en-US");
    expect(renderGasTerminal(report)).to.contain(g);
    expect(renderGasMarkdown(report)).to.contain(`| groth16 packed/fixed/label verifyProof per call | ${g}`);
    expect(renderGasMarkdown(report)).to.contain(`| groth16 | packed/fixed/label | 4 |`);
    expect(JSON.parse(renderGasJson(report)).systems[0].verify.gas).to.equal(report.systems[0].verify.gas);
  });

  describe("rejection on chain", () => {
    const deployed: Record<string, { verifier: string; consumer: string; v: Interface; c: Interface; proof: bigint[]; pub: bigint[] }> = {};
    let p: any;
    let from: string;

    before(async () => {
      p = chains.raised.provider; // the FFLONK verifier passes EIP-170
      from = (await rpc(p, "eth_accounts", []))[0];
      const input = assembleGasInput(model, [{ subject, proofs }]);
      const send = async (tx: object) => {
        const hash = await rpc(p, "eth_sendTransaction", [{ from, gas: "0x1000000", ...tx }]);
        return rpc(p, "eth_getTransactionReceipt", [hash]);
      };
      for (const s of input.systems) {
        const v = await send({ data: `0x${s.verifier.bytecode}` });
        const c = new Interface(s.consumer.abi);
        const k = await send({ data: `0x${s.consumer.bytecode}${c.encodeDeploy([v.contractAddress]).slice(2)}` });
        deployed[s.system] = { verifier: v.contractAddress, consumer: k.contractAddress, v: new Interface(s.verifier.abi), c, proof: s.proof, pub: s.publicSignals };
      }
    });

    const verifies = async (system: string, proof: bigint[], pub: bigint[]) => {
      const d = deployed[system];
      const ret = await rpc(p, "eth_call", [{ from, to: d.verifier, data: d.v.encodeFunctionData("verifyProof", verifyProofArgs(system as any, proof, pub)) }, "latest"]);
      return AbiCoder.defaultAbiCoder().decode(["bool"], ret)[0] as boolean;
    };
    /** submit with the proof and the input as the consumer takes it: bytes (packed on chain) and the label */
    const submitError = async (system: string, proof: bigint[], input: string, claims: bigint[]): Promise<string> => {
      const d = deployed[system];
      try {
        const args = [...verifyProofArgs(system as any, proof, d.pub).slice(0, -1), input, claims];
        await rpc(p, "eth_call", [{ from, to: d.consumer, data: d.c.encodeFunctionData("submit", args) }, "latest"]);
        return "accepted";
      } catch (e: any) {
        const data = e.data ?? e.error?.data ?? e.info?.error?.data;
        const parsed = typeof data === "string" ? d.c.parseError(data) : null;
        return parsed ? `${parsed.name}(${parsed.args.join(",")})` : String(e.message);
      }
    };
    const honest = (system: string) => submitSignalArgs(subject.layout, deployed[system].pub) as [string, bigint[]];
    const flipByte = (hex: string, at: number) => {
      const b = Buffer.from(hex.slice(2), "hex");
      b[at] ^= 1;
      return "0x" + b.toString("hex");
    };

    for (const system of ["groth16", "plonk", "fflonk"]) {
      it(`${system}: the real proof is accepted; a changed label, limb, pixel or proof element is rejected`, async () => {
        const d = deployed[system];
        const [input, claims] = honest(system);
        expect(await verifies(system, d.proof, d.pub)).to.equal(true);
        expect(await submitError(system, d.proof, input, claims)).to.equal("accepted");
        for (const i of [0, 1, 2]) {
          const pub = [...d.pub];
          pub[i] = (pub[i] + 1n) % BN254_R;
          expect(await verifies(system, d.proof, pub), `signal ${i}`).to.equal(false);
        }
        for (const at of [0, 30, 31, 35]) expect(await submitError(system, d.proof, flipByte(input, at), claims), `pixel ${at}`).to.equal("ProofRejected()");
        expect(await submitError(system, d.proof, input, [(claims[0] + 1n) % 3n, ...claims.slice(1)])).to.equal("ProofRejected()");
        // the claims end with the context, the submitter's address: another one is refused before the verifier runs
        expect(claims[claims.length - 1]).to.equal(BigInt(from));
        expect(await submitError(system, d.proof, input, [...claims.slice(0, -1), claims[claims.length - 1] + 1n])).to.equal(`ContextMismatch(${BigInt(from)},${BigInt(from) + 1n})`);
        for (const w of [0, 1, d.proof.length - 1]) {
          const proof = [...d.proof];
          proof[w] = proof[w] + 1n;
          expect(await verifies(system, proof, d.pub), `proof word ${w}`).to.equal(false);
          expect(await submitError(system, proof, input, claims), `proof word ${w}`).to.equal("ProofRejected()");
        }
      });

      it(`${system}: a public signal at or above the field modulus is rejected (x + r states the same field element); so is input of the wrong length`, async () => {
        const d = deployed[system];
        for (const i of [0, d.pub.length - 1]) {
          const pub = [...d.pub];
          pub[i] = pub[i] + BN254_R;
          expect(await verifies(system, d.proof, pub), `verifier, signal ${i}`).to.equal(false);
        }
        const [input, claims] = honest(system);
        expect(await submitError(system, d.proof, input, [claims[0] + BN254_R, ...claims.slice(1)])).to.equal("SignalOutOfField(0)");
        expect(await submitError(system, d.proof, input.slice(0, -2), claims)).to.equal("InputLength(35)");
      });
    }
  });
});

describe("gas budgets from committed real proofs (lenet5, mlp-mnist)", function () {
  this.timeout(900_000);

  /** The committed proof's subject, gas input and measurements on the standard and raised chains. */
  async function measureFixture(name: string, system: "groth16" | "plonk" | "fflonk", visibility = DEFAULT_VISIBILITY) {
    const model = resolveModel(name);
    const proof = loadGasFixture(name, system, visibility);
    const input = assembleGasInput(model, [{ subject: await gasSubject(model, proof.circuit), proofs: [proof] }]);
    return { model, proof, input, m: await measureSystem(await gasChains(hre, 30_000_000), input.systems[0]) };
  }

  // The default statement for an MNIST model without its context (the fixtures are proofs of --context none): 784
  // pixels packed 31 to a limb (26 limbs) and the label: 27 public signals. Groth16: 21,000 base + 4 pairings
  // (181,000) + per signal an ECMUL (6,000), an ECADD (150), its field check and staticcall overhead (~400) and 32
  // bytes of calldata (~500): 202k + 27 x 7k = 391k. The consumer adds 784 bytes of calldata (zero bytes at 4 gas,
  // the rest at 16: 3-12k), the call to the verifier (2,600), 26 limbs packed (~100 each) and the event. Issue 17's
  // goal: the whole submit at most 450k. The default's context is one more signal and about 7,500 gas
  // (test/binding.test.ts measures it): 28 signals, still within the goal.
  for (const name of ["lenet5", "mlp-mnist"]) {
    it(`${name} groth16, default statement without its context: 27 public signals, verifier under EIP-170, submit of the 784 pixels within 450,000 gas`, async () => {
      const { m, input } = await measureFixture(name, "groth16");
      expect(m.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
      expect(input.systems[0].publicSignals.length).to.equal(27);
      expect(m.verify.gas).to.be.within(300_000, 420_000);
      expect(m.submit.gas).to.be.within(m.verify.gas, 450_000);
      expect(m.verifier.runtimeBytes).to.be.below(24_576);
      expect(m.raised).to.equal(false);
    });
  }

  // Every value public (794 signals: 10 outputs + 784 pixels), why it is not the default: 202k + 794 x 7k ~ 5.8M
  // at most; measured 5.59M, and a verifier past EIP-170. Budget 6M.
  it("lenet5 groth16, every value public: 794 signals, within 6M gas, the verifier past EIP-170 and flagged", async () => {
    const { m } = await measureFixture("lenet5", "groth16", OPEN_VISIBILITY);
    expect(m.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
    expect(m.verify.gas).to.be.within(4_000_000, 6_000_000);
    expect(m.verifier.runtimeBytes).to.be.above(24_576);
    expect(m.verifier.flags.join()).to.match(/EIP-170/);
    expect(m.raised).to.equal(true);
  });

  it("mlp-mnist groth16: naive inference on a held-out digit equals the reference; the crossover is computed", async () => {
    const model = resolveModel("mlp-mnist");
    const proof = loadGasFixture("mlp-mnist", "groth16");
    const subject = await gasSubject(model, proof.circuit);
    // the committed proof attests this model's label for the input we run (else: rerun scripts/gas-fixtures.ts)
    expect(proof.publicSignals[0]).to.equal(BigInt(subject.reference.indexOf(subject.reference.reduce((a, b) => (b > a ? b : a)))));
    const r = await compareGas(assembleGasInput(model, [{ subject, proofs: [proof] }]), await gasChains(hre, 30_000_000));
    const s = r.systems[0];
    expect(r.naive.matchesReference).to.equal(true);
    expect(s.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
    // 784-56-10: 44,464 MACs; infer measured at 2,437,670 gas (about 50 per MAC), within the standard limits
    expect(r.naive.call.gas).to.be.within(1_500_000, 3_000_000);
    expect(r.naive.raisedLimits).to.equal(false);
    expect(s.breakEvenCalls === null || s.breakEvenCalls >= 1).to.equal(true);
  });

  // Verification budgets for 794 public signals from committed real proofs (setups: PLONK 563 s, FFLONK 579 s;
  // proofs: 324 s / 7 GB and 259 s / 17 GB: too slow for npm test). Measured: PLONK 1,057,630, FFLONK 903,547.
  // lenet5 has the same 794 public signals, and neither verifier's gas depends on the circuit's size (its domain
  // size is a constant of the key), so these budgets stand for lenet5 too, whose 2^20 and 2^23 setups do not fit here.
  for (const [system, budget, why] of [
    ["plonk", 1_500_000, "2 pairings (113k) + 18 ECMULs (108k) + ~1k per public signal for its Lagrange term + 25.7 KB calldata"],
    ["fflonk", 1_200_000, "2 pairings + fewer ECMULs than PLONK, the same ~1k per public signal + 25.7 KB calldata"],
  ] as const) {
    it(`mlp-mnist ${system}, every value public: verification within ${budget.toLocaleString("en-US")} gas for 794 signals (${why})`, async () => {
      const { m } = await measureFixture("mlp-mnist", system, OPEN_VISIBILITY);
      expect(m.checks).to.deep.equal({ accepts: true, rejectsChangedSignal: true, eventMatchesReference: true });
      expect(m.verify.gas).to.be.below(budget);
    });
  }
});

describe("crossover and break-even arithmetic", () => {
  it("break-even: the first call count where deployment plus calls is no dearer", () => {
    // verifying saves 1,000 per call and costs 10,500 more to deploy: 11 calls
    expect(breakEven({ deployGas: 1_000, callGas: 5_000 }, { deployGas: 11_500, callGas: 4_000 })).to.deep.equal({ calls: 11 });
    expect(breakEven({ deployGas: 9_000, callGas: 5_000 }, { deployGas: 1_000, callGas: 4_000 })).to.deep.equal({ calls: 1 });
    expect(breakEven({ deployGas: 1_000, callGas: 4_000 }, { deployGas: 2_000, callGas: 5_000 })).to.deep.equal({ calls: null });
    // dearer per call but cheaper to deploy: cheaper in total while 8,000 - n x 1,000 >= 0
    expect(breakEven({ deployGas: 9_000, callGas: 4_000 }, { deployGas: 1_000, callGas: 5_000 })).to.deep.equal({ calls: null, cheaperUpTo: 8 });
    // cheaper to deploy by less than one call's extra: never cheaper (not "cheaper up to 0 calls")
    expect(breakEven({ deployGas: 10_000, callGas: 1_000 }, { deployGas: 9_900, callGas: 5_000 })).to.deep.equal({ calls: null });
  });

  it("crossover: where the naive line meets the verifier's gas", () => {
    expect(crossover({ baselineMacs: 100, baselineGas: 50_000, gasPerMac: 50 }, 300_000)).to.equal(5_100);
    expect(crossover({ baselineMacs: 100, baselineGas: 50_000, gasPerMac: 0 }, 300_000)).to.equal(null);
  });
});
