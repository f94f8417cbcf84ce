/**
 * ptau and verify-setup's actions, shared by both plugins: make, fetch or check a powers of tau, and check a model's
 * Groth16 proving key against its circuit and ptau. The work is in src/ (setup/, pipeline/runner.ts).
 */
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { CircuitArgs, circuitFlags, circuitOptions } from "./circuit";
import type { Host } from "./host";
import { say } from "./output";

export interface PtauArgs {
  power?: number;
  out?: string;
  download: boolean;
  check?: string;
  verify: boolean;
}

/** ptau: a development powers of tau made (--power), a published one fetched (--download) or a file checked (--check). */
export async function ptauAction(args: PtauArgs, host: Pick<Host, "root" | "zkml">) {
  const { Paths } = await import("../../core/paths");
  const { checkPtau, downloadPtau } = await import("../../setup/ceremony");
  const { runStage } = await import("../../pipeline/runner");
  const root = host.root;
  const paths = new Paths(root);
  const cfg = host.zkml;
  let file: string;
  if (args.check) {
    if (args.power !== undefined || args.out || args.download) throw new ZkmlError("OPTION_INVALID", "--check takes a file and no other option but --verify");
    file = path.resolve(args.check);
  } else {
    if (args.power === undefined) throw new ZkmlError("OPTION_INVALID", "--power is required (or --check <file>)", { hint: "e.g. npx hardhat ptau --power 16" });
    if (!Number.isInteger(args.power) || args.power < 1 || args.power > 27)
      throw new ZkmlError("OPTION_INVALID", `--power: expected an integer in 1..27, got ${args.power}`);
    if (args.download) {
      if (args.out) throw new ZkmlError("OPTION_INVALID", "--out applies to development files; downloads go to build/ptau/");
      const d = await downloadPtau(args.power, { dir: path.dirname(paths.get({ kind: "ptauHashes" })), baseUrl: cfg.ptauBaseUrl, onProgress: progressBytes() });
      file = d.file;
      say(`${d.entry.name}: ${d.downloaded ? `downloaded in ${d.seconds.toFixed(1)} s` : "already here"}; BLAKE2b-512 matches the published hash`);
    } else {
      file = path.resolve(args.out ?? paths.get({ kind: "ptau", power: args.power }));
      say(`generating a development powers of tau of 2^${args.power}...`);
      // the pipeline's own file keeps its secrets beside it (setups from it are then native); one written elsewhere
      // with --out, to hand on, does not
      const keepSecrets = args.out ? undefined : paths.get({ kind: "ptauSecrets", ptau: file });
      const m = await runStage("ptau", { file, power: args.power, keepSecrets, record: paths.get({ kind: "ptauDigest", ptau: file }) }, { onProgress: (l) => say(l) });
      say(`2^${args.power}: ${m.seconds.toFixed(1)} s, peak ${m.peakMB.toFixed(0)} MB -> ${path.relative(process.cwd(), file)}`);
      if (keepSecrets) say(`its secrets are kept in ${path.relative(process.cwd(), keepSecrets)} (readable by you only): Groth16 setups from it run natively, in seconds; delete the file to forget them`);
    }
  }
  const c = await checkPtau(file, { trusted: cfg.ptauHashes, cacheFile: paths.get({ kind: "ptauHashes" }) });
  const lines = [
    `file           ${file}`,
    `power          2^${c.power} (circuits up to ${(2 ** c.power - 1).toLocaleString("en-US")} constraints + public signals)`,
    `contributions  ${c.contributions}`,
    `BLAKE2b-512    ${c.blake2b}`,
    `origin         ${c.origin}: ${c.trust}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  // a file named with --check: its points too (pairing checks; --verify runs snarkjs's full verification instead)
  if (args.check && !args.verify) await checkPoints(file, "the file is damaged or not a valid ceremony: fetch it again (npx hardhat ptau --download --power <n>)");
  if (args.verify) {
    say("snarkjs powersoftau verify...");
    const m = await runStage("verifyPtau", { ptau: file });
    process.stdout.write(`snarkjs powersoftau verify: ${m.result.valid ? "OK" : "FAILED"} (${m.seconds.toFixed(1)} s)\n`);
    if (!m.result.valid)
      throw new ZkmlError("PTAU_INVALID", `snarkjs powersoftau verify failed:\n${m.result.log.filter((l) => l.startsWith("error")).join("\n")}`, {
        file,
        hint: args.check ? "the file is damaged or not a valid ceremony: fetch it again (npx hardhat ptau --download --power <n>)" : "delete the file and make it again (npx hardhat ptau --power <n>)",
      });
  }
  return c;
}

export interface VerifySetupArgs extends CircuitArgs {
  model: string;
}

/** verify-setup: the model's Groth16 key recomputed from its r1cs and ptau (snarkjs zkey verify), its contributions listed. */
export async function verifySetupAction(args: VerifySetupArgs, host: Pick<Host, "root" | "zkml">) {
  const fs = await import("fs");
  const { resolveModel } = await import("../../model/zoo");
  const { locateCircuit } = await import("../../pipeline/prove");
  const { checkZkey } = await import("../../snark/zkey");
  const { runStage } = await import("../../pipeline/runner");
  const root = host.root;
  const model = resolveModel(args.model);
  const c = locateCircuit(root, model, "groth16", await circuitOptions(args, host.zkml, model, root));
  if (!fs.existsSync(c.setupMeta) || !fs.existsSync(c.zkey))
    throw new ZkmlError("SETUP_NOT_FOUND", `no setup for ${args.model} (circuit ${c.id}) under build/`, { hint: `run \`npx hardhat prove-model --model ${args.model}${circuitFlags(args)}\` first` });
  const meta = JSON.parse(fs.readFileSync(c.setupMeta, "utf8")) as { ptau: string; trust: string; beacon?: string };
  if (!fs.existsSync(meta.ptau))
    throw new ZkmlError("SETUP_NOT_FOUND", `the ptau this key was made from is gone: ${meta.ptau}`, { file: c.setupMeta, hint: "restore the file, or run prove-model --force to set up again" });
  const info = checkZkey(c.zkey, "groth16");
  // the r1cs, the key and its verification key are the ones recorded when they were made, and the ptau's points sound
  const { checkBuiltArtifacts } = await import("../../pipeline/integrity");
  await checkBuiltArtifacts(root, c.id, "groth16", `npx hardhat prove-model --model ${args.model}${circuitFlags(args)}`);
  await checkPoints(meta.ptau, "the powers of tau this key was made from is damaged: restore it (or fetch it again), then set up again with prove-model --force");
  say(`recomputing the key from ${path.relative(root, c.r1cs)} and ${path.relative(root, meta.ptau)}...`);
  const m = await runStage("verifySetup", { r1cs: c.r1cs, ptau: meta.ptau, zkey: c.zkey }, { onProgress: (l) => say(l) });
  const out = [
    `circuit        ${c.id}`,
    `zkey           ${path.relative(root, c.zkey)}`,
    `ptau           ${meta.ptau}`,
    `trust          ${meta.trust}`,
    `contributions  ${info.contributions.map((x) => (x.beacon ? `${x.name} (beacon)` : x.name)).join("; ")}`,
    `result         ${m.result.valid ? "OK: the key follows from the circuit, the ptau and every recorded contribution" : "FAILED"} (${m.seconds.toFixed(1)} s, ${m.peakMB.toFixed(0)} MB)`,
  ];
  process.stdout.write(out.join("\n") + "\n");
  if (!m.result.valid)
    throw new ZkmlError("ZKEY_INVALID", `snarkjs zkey verify failed: the key does not follow from the circuit, the ptau and its contributions\n${m.result.log.filter((l) => l.startsWith("error")).join("\n")}`, {
      file: c.zkey,
      hint: `set the circuit up again: npx hardhat prove-model --model ${args.model}${circuitFlags(args)} --force`,
    });
  return m.result;
}

/** The ptau's points by pairing checks (src/setup/ptau-check.ts), in a child process; PTAU_INVALID naming the file if any fails. */
async function checkPoints(file: string, hint: string): Promise<void> {
  const { runStage } = await import("../../pipeline/runner");
  say(`checking the points of ${path.basename(file)} (pairing checks of random combinations)...`);
  const m = await runStage("ptauPoints", { ptau: file }, { onProgress: (l) => say(l) });
  process.stdout.write(`points         ${m.result.valid ? "OK" : "FAILED"}: ${m.result.log.length} checks (${m.seconds.toFixed(1)} s)\n`);
  if (!m.result.valid) throw new ZkmlError("PTAU_INVALID", `its points are not a powers of tau:\n${m.result.log.filter((l) => l.startsWith("FAILED")).join("\n")}`, { file, hint });
}

function progressBytes() {
  let last = 0;
  return (done: number, total: number) => {
    if (Date.now() - last < 2000) return;
    last = Date.now();
    say(`${(done / 2 ** 20).toFixed(0)}${total ? ` of ${(total / 2 ** 20).toFixed(0)}` : ""} MB`);
  };
}
