/**
 * What trusting a model's output on-chain costs: the model run in the EVM (the naive baseline, src/backends/solidity/inference.ts)
 * against a succinct proof checked by a verifier (snarkjs's Groth16, PLONK or FFLONK templates) and recorded by a
 * consumer contract (src/backends/solidity/consumer.ts).
 *
 * Every number is the gasUsed of a mined transaction's receipt on an EVM the caller hands us (EIP-1193), never an
 * estimate. Two chains: `standard` has the limits a real network has (the hardfork's per-transaction cap, EIP-7825
 * on osaka: 16,777,216 gas; a block gas limit; EIP-170's 24,576-byte contracts) and `raised` has them lifted.
 * Each group of transactions (the naive inference; each proof system) runs on the raised chain first; when all of
 * it fits the standard limits it runs again on the standard chain and those receipts are reported, otherwise the
 * raised receipts are reported and flagged with the limits they pass. Gas does not depend on the limits, only on
 * the hardfork, and both chains run the same hardfork.
 *
 * The crossover: naive gas grows with the multiply-accumulates (MACs); verifying costs the same for any model with
 * the same public signals. We measure the naive gas of the smallest model with the same input and output (one dense
 * layer) and of the model itself, draw the line through both, and report the MACs where it meets each verifier's gas.
 */
import { AbiCoder, Interface, LogDescription } from "ethers";
import { checkContractSize, Compiled, EIP170_LIMIT } from "./solc";
import { Chain, ChainSpec, measureGroup, MEASURE_GAS_LIMIT } from "./chain";
import { isZkmlError, ZkmlError } from "../core/errors";
import type { ProofSystem } from "../core/paths";
import { BN254_R } from "../core/field";
import { SolidityBundle } from "../backends/solidity/inference";
import { circuitSystemFor } from "../systems/registry";
import { submitSignalArgs } from "../backends/solidity/consumer";
import type { PublicLayout } from "../statement/layout";

export interface ContractGas {
  name: string;
  runtimeBytes: number;
  deployGas: number;
  flags: string[];
}

export interface CallGas {
  gas: number;
  /** The call ran out of the measurement gas (MEASURE_GAS_LIMIT): `gas` is a lower bound. */
  lowerBound?: boolean;
  calldataBytes: number;
  flags: string[];
}

export interface NaiveGas {
  contract: string;
  macs: number;
  /** Data contracts holding the weights, then the inference contract. */
  contracts: ContractGas[];
  deployGas: number;
  call: CallGas;
  /** infer(x) returned exactly the reference interpreter's output (null: not run to the end, see call.lowerBound). */
  matchesReference: boolean | null;
  raisedLimits: boolean;
}

export interface SystemGas {
  system: ProofSystem;
  /** the statement proved, input/weights/output */
  statement: string;
  /** inferences one proof covers; per-inference figures divide by it */
  batch: number;
  /** submit's gas divided by the batch: what one inference costs on-chain */
  submitPerInference: number;
  /** proving seconds divided by the batch (null: the proof's time is unknown) */
  proveSecondsPerInference: number | null;
  publicSignals: number;
  proofBytes: number;
  verifier: ContractGas;
  consumer: ContractGas;
  deployGas: number;
  /** verifyProof(proof, publicSignals) sent as a transaction. */
  verify: CallGas;
  /** consumer.submit(proof, publicSignals): field checks, verification, event. */
  submit: CallGas;
  /** The verifier accepted the proof, refused it with one public signal changed, and the event carried the reference output. */
  checks: { accepts: boolean; rejectsChangedSignal: boolean; eventMatchesReference: boolean };
  raisedLimits: boolean;
  /** MACs from which verifying costs less gas per call than running a model of this input and output in the EVM. */
  crossoverMacs: number | null;
  /** Calls after which verifying has paid for its deployment: null when it never does. */
  breakEvenCalls: number | null;
  /** When verifying costs more per call but less to deploy: it stays cheaper in total up to this many calls. */
  cheaperUpToCalls?: number;
}

export interface GasReport {
  model: string;
  parameters: number;
  macs: number;
  inputs: number;
  outputs: number;
  limits: { hardfork: string; blockGasLimit: number; txGasCap: number | null; contractSizeLimit: number; raised: string };
  naive: NaiveGas;
  /** The line the crossover is read from: naive gas of the smallest model of this shape and of this model. */
  line: { baselineMacs: number; baselineGas: number; gasPerMac: number };
  systems: SystemGas[];
  notes: string[];
}

/** What the consumer of a statement must do: how submit takes the signals, its constructor arguments, its event. */
export interface StatementExpectation {
  /** the statement's name, input/weights/output (e.g. packed/fixed/label) */
  statement: string;
  /** the statement's public-signal layout: how submit takes the signals (packed input: as bytes) */
  layout: PublicLayout;
  /** the consumer's constructor arguments after the verifier's address (the model commitment, for hashed weights) */
  consumerArgs: bigint[];
  /** what the consumer's InferenceVerified must record for the statement: label and outputs, the label, or the
   * outputs' hash; for a batch with labels, one event per inference with these labels in order */
  event: { label?: number; output?: bigint[]; outputHash?: bigint; labels?: number[] };
}

export interface SystemInput extends StatementExpectation {
  system: ProofSystem;
  /** inferences the proof covers */
  batch: number;
  /** seconds the proof took to make, when known */
  proveSeconds: number | null;
  verifier: Compiled & { name: string };
  consumer: Compiled & { name: string };
  proof: bigint[];
  publicSignals: bigint[];
  proofBytes: number;
}

/**
 * A system whose verifier takes its proof as bytes and reads data contracts (the sumcheck system): its calls come
 * encoded (src/evm/sumcheck-verifier.ts sumcheckVerifierCall), the proof bound to the measuring chain's sender.
 */
export interface IrSystemInput {
  system: ProofSystem;
  statement: string;
  proveSeconds: number | null;
  verifier: Compiled & { name: string };
  consumer: Compiled & { name: string };
  /** deployed first; their addresses are the verifier's constructor argument (address[]) */
  dataContracts: { initCode: string; runtimeBytes: number }[];
  verifyData: string;
  /** verifyProof with an output changed: must be refused */
  changedData: string;
  submitData: string;
  publicSignals: number;
  proofBytes: number;
  /** what InferenceVerified must record */
  event: { label: number; output: bigint[] };
}

export interface GasInput {
  model: string;
  parameters: number;
  macs: number;
  /** The quantized input and the reference output for it. */
  x: bigint[];
  reference: bigint[];
  naive: { bundle: SolidityBundle; compiled: Compiled };
  /** One dense layer from the same input to the same output, for the crossover line. */
  baseline: { bundle: SolidityBundle; compiled: Compiled; macs: number };
  systems: SystemInput[];
  irSystems?: IrSystemInput[];
}

async function measureNaive(chains: { standard: ChainSpec; raised: ChainSpec }, n: { bundle: SolidityBundle; compiled: Compiled }, x: bigint[]) {
  const iface = new Interface(n.compiled.abi);
  const data = iface.encodeFunctionData("infer", [x]);
  const m = await measureGroup(
    chains,
    async (c) => {
      const contracts: (ContractGas & { address: string })[] = [];
      for (let i = 0; i < n.bundle.dataInitCodes.length; i++)
        contracts.push(await c.deploy(`${n.bundle.contract} data ${i}`, n.bundle.dataInitCodes[i], n.bundle.dataRuntimes[i].length / 2));
      const ctor = iface.encodeDeploy(contracts.map((d) => d.address)).slice(2);
      contracts.push(await c.deploy(n.bundle.contract, n.compiled.bytecode + ctor, n.compiled.runtimeBytes));
      const target = contracts[contracts.length - 1].address;
      const call = await c.send({ to: target, data }, { allowOutOfGas: true });
      const out = call.outOfGas ? null : [...(iface.decodeFunctionResult("infer", await c.call(target, data))[0] as bigint[])];
      return { contracts, out, callGas: call.gas, lowerBound: call.outOfGas };
    },
    (r) => [...r.contracts.map((k) => ({ gas: k.deployGas, runtimeBytes: k.runtimeBytes })), { gas: r.callGas }],
  );
  const contracts = m.result.contracts.map((k, i) => ({ name: k.name, runtimeBytes: k.runtimeBytes, deployGas: k.deployGas, flags: m.flags[i] }));
  return {
    contracts,
    out: m.result.out,
    call: { gas: m.result.callGas, calldataBytes: (data.length - 2) / 2, flags: m.flags[m.flags.length - 1], ...(m.result.lowerBound ? { lowerBound: true } : {}) },
    raised: m.raised,
  };
}

/** Deploy a verifier and its consumer, check the proof, and measure verifyProof and submit from their receipts. */
export async function measureSystem(chains: { standard: ChainSpec; raised: ChainSpec }, s: SystemInput) {
  const vIface = new Interface(s.verifier.abi);
  const cIface = new Interface(s.consumer.abi);
  const args = circuitSystemFor({ system: s.system }, "a Solidity verifier").verifyProofArgs(s.proof, s.publicSignals);
  const verifyData = vIface.encodeFunctionData("verifyProof", args);
  const changed = [...s.publicSignals];
  changed[changed.length - 1] = (changed[changed.length - 1] + 1n) % BN254_R;
  const changedData = vIface.encodeFunctionData("verifyProof", circuitSystemFor({ system: s.system }, "a Solidity verifier").verifyProofArgs(s.proof, changed));
  const submitData = cIface.encodeFunctionData("submit", [...args.slice(0, -1), ...submitSignalArgs(s.layout, s.publicSignals)]);
  const accepted = (ret: string) => AbiCoder.defaultAbiCoder().decode(["bool"], ret)[0] as boolean;
  const m = await measureGroup(
    chains,
    async (c) => {
      const verifier = await c.deploy(s.verifier.name, s.verifier.bytecode, s.verifier.runtimeBytes);
      const consumer = await c.deploy(s.consumer.name, s.consumer.bytecode + cIface.encodeDeploy([verifier.address, ...s.consumerArgs]).slice(2), s.consumer.runtimeBytes);
      const accepts = accepted(await c.call(verifier.address, verifyData));
      const rejectsChangedSignal = !accepted(await c.call(verifier.address, changedData));
      const verify = await c.send({ to: verifier.address, data: verifyData });
      const submit = await c.send({ to: consumer.address, data: submitData });
      const evs = submit.logs.map((l) => cIface.parseLog(l)).filter((l): l is LogDescription => l?.name === "InferenceVerified");
      const eventMatchesReference = s.event.labels
        ? evs.length === s.event.labels.length && evs.every((e, i) => Number(e.args.index) === i && Number(e.args.label) === s.event.labels![i])
        : evs.length === 1 && eventMatches(evs[0], s.event);
      return { verifier, consumer, accepts, rejectsChangedSignal, eventMatchesReference, verifyGas: verify.gas, submitGas: submit.gas };
    },
    (r) => [
      { gas: r.verifier.deployGas, runtimeBytes: r.verifier.runtimeBytes },
      { gas: r.consumer.deployGas, runtimeBytes: r.consumer.runtimeBytes },
      { gas: r.verifyGas },
      { gas: r.submitGas },
    ],
  );
  const r = m.result;
  return {
    verifier: { name: r.verifier.name, runtimeBytes: r.verifier.runtimeBytes, deployGas: r.verifier.deployGas, flags: m.flags[0] },
    consumer: { name: r.consumer.name, runtimeBytes: r.consumer.runtimeBytes, deployGas: r.consumer.deployGas, flags: m.flags[1] },
    verify: { gas: r.verifyGas, calldataBytes: (verifyData.length - 2) / 2, flags: m.flags[2] },
    submit: { gas: r.submitGas, calldataBytes: (submitData.length - 2) / 2, flags: m.flags[3] },
    checks: { accepts: r.accepts, rejectsChangedSignal: r.rejectsChangedSignal, eventMatchesReference: r.eventMatchesReference },
    raised: m.raised,
  };
}

/** A verifier and the data contracts it reads: those first, their addresses its constructor's one argument (address[]; none: no argument). */
async function deployReadingData(c: Chain, verifier: Compiled & { name: string }, dataContracts: readonly { initCode: string; runtimeBytes: number }[]) {
  const deps: { deployGas: number; runtimeBytes: number; address: string }[] = [];
  for (const [i, d] of dataContracts.entries()) deps.push(await c.deploy(`${verifier.name} data ${i}`, d.initCode, d.runtimeBytes));
  const ctor = dataContracts.length ? AbiCoder.defaultAbiCoder().encode(["address[]"], [deps.map((d) => d.address)]).slice(2) : "";
  return { deps, verifier: await c.deploy(verifier.name, verifier.bytecode + ctor, verifier.runtimeBytes) };
}

/** An IR system's verifier and consumer (data contracts first), measured as measureSystem measures a circuit system's. */
export async function measureIrSystem(chains: { standard: ChainSpec; raised: ChainSpec }, s: IrSystemInput) {
  const cIface = new Interface(s.consumer.abi);
  const accepted = async (c: Chain, to: string, data: string) => {
    try {
      return AbiCoder.defaultAbiCoder().decode(["bool"], await c.call(to, data))[0] as boolean;
    } catch {
      return false; // a refusal reverts
    }
  };
  const m = await measureGroup(
    chains,
    async (c) => {
      const { deps, verifier } = await deployReadingData(c, s.verifier, s.dataContracts);
      const consumer = await c.deploy(s.consumer.name, s.consumer.bytecode + cIface.encodeDeploy([verifier.address]).slice(2), s.consumer.runtimeBytes);
      const accepts = await accepted(c, verifier.address, s.verifyData);
      const rejectsChangedSignal = !(await accepted(c, verifier.address, s.changedData));
      const verify = await c.send({ to: verifier.address, data: s.verifyData });
      const submit = await c.send({ to: consumer.address, data: s.submitData });
      const evs = submit.logs.map((l) => cIface.parseLog(l)).filter((l): l is LogDescription => l?.name === "InferenceVerified");
      const eventMatchesReference = evs.length === 1 && eventMatches(evs[0], s.event);
      return { deps, verifier, consumer, accepts, rejectsChangedSignal, eventMatchesReference, verifyGas: verify.gas, submitGas: submit.gas };
    },
    (r) => [
      { gas: r.verifier.deployGas, runtimeBytes: r.verifier.runtimeBytes },
      { gas: r.consumer.deployGas, runtimeBytes: r.consumer.runtimeBytes },
      { gas: r.verifyGas },
      { gas: r.submitGas },
      ...r.deps.map((d) => ({ gas: d.deployGas, runtimeBytes: d.runtimeBytes })),
    ],
  );
  const r = m.result;
  return {
    verifier: { name: r.verifier.name, runtimeBytes: r.verifier.runtimeBytes, deployGas: r.verifier.deployGas + r.deps.reduce((a, d) => a + d.deployGas, 0), flags: [...m.flags[0], ...m.flags.slice(4).flat()] },
    consumer: { name: r.consumer.name, runtimeBytes: r.consumer.runtimeBytes, deployGas: r.consumer.deployGas, flags: m.flags[1] },
    verify: { gas: r.verifyGas, calldataBytes: (s.verifyData.length - 2) / 2, flags: m.flags[2] },
    submit: { gas: r.submitGas, calldataBytes: (s.submitData.length - 2) / 2, flags: m.flags[3] },
    checks: { accepts: r.accepts, rejectsChangedSignal: r.rejectsChangedSignal, eventMatchesReference: r.eventMatchesReference },
    raised: m.raised,
  };
}

/** Does the consumer's event record what the statement says: each field the statement makes public, and no other. */
function eventMatches(ev: LogDescription, expected: StatementExpectation["event"]): boolean {
  const fields = ev.fragment.inputs.map((i) => i.name).filter((n) => n === "label" || n === "output" || n === "outputHash");
  const wanted = Object.keys(expected).filter((k) => expected[k as keyof typeof expected] !== undefined);
  if (fields.sort().join() !== wanted.sort().join()) return false;
  const output = expected.output === undefined || ([...ev.args.output] as bigint[]).map(String).join() === expected.output.map(String).join();
  return output && (expected.label === undefined || Number(ev.args.label) === expected.label) && (expected.outputHash === undefined || BigInt(ev.args.outputHash) === expected.outputHash);
}

/** A verifier alone: deploy it, check it accepts the proof, and measure a verifyProof transaction (the bench's gas). */
export async function measureVerifier(chains: { standard: ChainSpec; raised: ChainSpec }, system: ProofSystem, verifier: Compiled & { name: string }, proof: bigint[], publicSignals: bigint[]): Promise<VerifierGas> {
  const iface = new Interface(verifier.abi);
  return measureVerifierCall(chains, verifier, iface.encodeFunctionData("verifyProof", circuitSystemFor({ system }, "a Solidity verifier").verifyProofArgs(proof, publicSignals)));
}

export interface VerifierGas {
  gas: number;
  deployGas: number;
  runtimeBytes: number;
  flags: string[];
  /** the call ran out of the measuring chain's limit: `gas` is that limit, a lower bound */
  lowerBound?: true;
}

/**
 * Deploy a verifier and send it `data` (a verifyProof call, ours or another tool's), which must return true: the
 * call's gas, the deployment's and the runtime size, with the flags saying which limit was lifted to measure them.
 * `dataContracts` (creation code, runtime size) are deployed first and their addresses passed to the verifier's
 * constructor as one address[] (the sumcheck verifier's commitment rows and generators); deployGas is then all of
 * them together.
 */
export async function measureVerifierCall(chains: { standard: ChainSpec; raised: ChainSpec }, verifier: Compiled & { name: string }, data: string, dataContracts: { initCode: string; runtimeBytes: number }[] = []): Promise<VerifierGas> {
  const m = await measureGroup(
    chains,
    async (c) => {
      const { deps, verifier: v } = await deployReadingData(c, verifier, dataContracts);
      const refused = () => new ZkmlError("PROOF_INVALID", `${verifier.name} rejects the proof its prover accepted`, { hint: "a bug in the exported verifier; please report it" });
      // sent before it is called, so a call past the measuring limit stops there (an eth_call has no such limit)
      const sent = await c.send({ to: v.address, data }, { allowOutOfGas: true }).catch((e: unknown) => {
        throw isZkmlError(e) && e.code === "CHAIN_FAILED" ? refused() : e;
      });
      if (!sent.outOfGas && !(AbiCoder.defaultAbiCoder().decode(["bool"], await c.call(v.address, data))[0] as boolean)) throw refused();
      return { v, deps, gas: sent.gas, outOfGas: sent.outOfGas };
    },
    (r) => [...r.deps.map((d) => ({ gas: d.deployGas, runtimeBytes: d.runtimeBytes })), { gas: r.v.deployGas, runtimeBytes: r.v.runtimeBytes }, { gas: r.gas }],
  );
  const deployGas = m.result.v.deployGas + m.result.deps.reduce((s, d) => s + d.deployGas, 0);
  return { gas: m.result.gas, deployGas, runtimeBytes: m.result.v.runtimeBytes, flags: m.flags.flat(), ...(m.result.outOfGas ? { lowerBound: true as const } : {}) };
}

/** Calls n >= 1 from which deploying + n verifications costs no more than deploying + n inferences. */
export function breakEven(naive: { deployGas: number; callGas: number }, verify: { deployGas: number; callGas: number }): { calls: number | null; cheaperUpTo?: number } {
  const extra = verify.deployGas - naive.deployGas;
  const saving = naive.callGas - verify.callGas;
  if (saving > 0) return { calls: Math.max(1, Math.ceil(extra / saving)) };
  if (extra <= 0 && saving === 0) return { calls: 1 };
  // cheaper to deploy, dearer per call: cheaper in total for the calls the deployment saving covers (none: never)
  if (extra < 0) return Math.floor(extra / saving) >= 1 ? { calls: null, cheaperUpTo: Math.floor(extra / saving) } : { calls: null };
  return { calls: null };
}

/** MACs where the naive line a + b*MACs reaches `gas`; null when the line does not grow. */
export function crossover(line: { baselineMacs: number; baselineGas: number; gasPerMac: number }, gas: number): number | null {
  if (line.gasPerMac <= 0) return null;
  return Math.max(0, Math.ceil(line.baselineMacs + (gas - line.baselineGas) / line.gasPerMac));
}

export async function compareGas(input: GasInput, chains: { standard: ChainSpec; raised: ChainSpec }, log: (m: string) => void = () => undefined): Promise<GasReport> {
  const notes: string[] = [];
  for (const s of input.systems) {
    try {
      checkContractSize(s.verifier.name, s.verifier.runtimeBytes);
    } catch (e) {
      notes.push(`${(e as Error).message}: measured with the limit lifted; this verifier cannot be deployed to Ethereum as it is.`);
    }
  }
  log(`naive: deploying ${input.naive.bundle.dataInitCodes.length} data contract(s) and ${input.naive.bundle.contract}, calling infer`);
  const naive = await measureNaive(chains, input.naive, input.x);
  const out = naive.out;
  const matchesReference = out === null ? null : out.length === input.reference.length && out.every((v, i) => v === input.reference[i]);
  if (matchesReference === false) throw new ZkmlError("STAGE_FAILED", "the inference contract's output differs from the reference interpreter's", { hint: "this is a bug in zkml-hardhat's Solidity renderer; please report it with the model file" });
  log(`naive: infer ${naive.call.lowerBound ? "more than " : ""}${naive.call.gas.toLocaleString("en-US")} gas${naive.raised ? " (raised limits)" : ""}`);
  if (naive.call.lowerBound)
    notes.push(
      `Naive inference needs more than ${MEASURE_GAS_LIMIT.toLocaleString("en-US")} gas, the most this tool runs in Hardhat's EVM (its execution traces take about 160 bytes per gas); its per-call gas, crossover and break-even are bounds.`,
    );
  const base = await measureNaive(chains, input.baseline, input.x);
  const line = {
    baselineMacs: input.baseline.macs,
    baselineGas: base.call.gas,
    gasPerMac: input.macs > input.baseline.macs ? (naive.call.gas - base.call.gas) / (input.macs - input.baseline.macs) : 0,
  };
  const naiveDeploy = naive.contracts.reduce((a, c) => a + c.deployGas, 0);
  const row = (s: { system: ProofSystem; statement: string; batch: number; proveSeconds: number | null; publicSignals: number; proofBytes: number }, m: Awaited<ReturnType<typeof measureSystem>>): SystemGas => {
    const deployGas = m.verifier.deployGas + m.consumer.deployGas;
    // per inference: a batch's one verification is shared by its N inferences
    const perInference = m.verify.gas / s.batch;
    const be = breakEven({ deployGas: naiveDeploy, callGas: naive.call.gas }, { deployGas, callGas: perInference });
    log(`${s.system} (${s.statement}): verify ${m.verify.gas.toLocaleString("en-US")} gas, submit ${m.submit.gas.toLocaleString("en-US")}${m.raised ? " (raised limits)" : ""}`);
    return {
      system: s.system,
      statement: s.statement,
      batch: s.batch,
      submitPerInference: Math.round(m.submit.gas / s.batch),
      proveSecondsPerInference: s.proveSeconds === null ? null : s.proveSeconds / s.batch,
      publicSignals: s.publicSignals,
      proofBytes: s.proofBytes,
      verifier: m.verifier,
      consumer: m.consumer,
      deployGas,
      verify: m.verify,
      submit: m.submit,
      checks: m.checks,
      raisedLimits: m.raised,
      crossoverMacs: crossover(line, perInference),
      breakEvenCalls: be.calls,
      ...(be.cheaperUpTo !== undefined ? { cheaperUpToCalls: be.cheaperUpTo } : {}),
    };
  };
  const systems: SystemGas[] = [];
  for (const s of input.systems) {
    log(`${s.system} (${s.statement}): deploying ${s.verifier.name} and ${s.consumer.name}, verifying, submitting`);
    systems.push(row({ ...s, publicSignals: s.publicSignals.length }, await measureSystem(chains, s)));
  }
  for (const s of input.irSystems ?? []) {
    log(`${s.system} (${s.statement}): deploying ${s.dataContracts.length} data contract(s), ${s.verifier.name} and ${s.consumer.name}, verifying, submitting`);
    systems.push(row({ ...s, batch: 1 }, await measureIrSystem(chains, s)));
  }
  if (naive.raised || systems.some((s) => s.raisedLimits))
    notes.push(`Rows marked "raised" pass a standard limit; they were measured on the same hardfork with the block gas limit at 2^53-1, the per-transaction cap off and EIP-170 off.`);
  notes.push(`Crossover: naive gas ≈ ${Math.round(line.baselineGas).toLocaleString("en-US")} + ${line.gasPerMac.toFixed(1)} × (MACs − ${line.baselineMacs.toLocaleString("en-US")}), the line through one dense layer of the same input and output and this model; verifying costs the same for any model with these public signals.`);
  return {
    model: input.model,
    parameters: input.parameters,
    macs: input.macs,
    inputs: input.x.length,
    outputs: input.reference.length,
    limits: {
      hardfork: chains.standard.hardfork,
      blockGasLimit: chains.standard.blockGasLimit,
      txGasCap: chains.standard.txGasCap,
      contractSizeLimit: EIP170_LIMIT,
      raised: "block gas limit 2^53-1, per-transaction cap off, EIP-170 off",
    },
    naive: { contract: input.naive.bundle.contract, macs: input.macs, contracts: naive.contracts, deployGas: naiveDeploy, call: naive.call, matchesReference, raisedLimits: naive.raised },
    line,
    systems,
    notes,
  };
}
