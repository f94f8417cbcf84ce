/**
 * Where a setup's trust comes from: the powers of tau (a file the user names, checked against the published
 * hashes; a published one fetched on request; or a development one made here) and the record kept beside each
 * circuit's keys (setup.json), which says so to every task that later uses those keys.
 */
import * as fs from "fs";
import * as path from "path";
import type { PtauTrust } from "../core/config";
import { ZkmlError } from "../core/errors";
import type { FileDigest } from "../core/files";
import { checkPtau, downloadPtau, PtauOrigin } from "./ceremony";
import { readPtauHeader } from "./ptau";

export const DEV_PTAU_WARNING =
  "The powers of tau was generated on this machine: its secret existed here, so proofs are only as trustworthy as this machine. Development only; pass --ptau <ceremony file> or --download-ptau for anything real.";

/** The ptau's trust, and a phase-2 contribution of the user's for systems with a ceremony. */
export interface SetupTrust extends Partial<PtauTrust> {
  /** Add a phase-2 contribution with this entropy, then close the setup with a beacon. */
  contribute?: { entropy: string; beacon?: string; name?: string };
}

/** The powers of tau a setup uses, and why it is trusted. */
export interface PtauInfo {
  file: string;
  power: number;
  development: boolean;
  origin: PtauOrigin;
  blake2b?: string;
  trust: string;
}

/** What setup.json records about a circuit's setup: where its trust comes from. */
export interface SetupMeta {
  ptauId: string;
  /** the r1cs the key was made from, by path, size and mtime: a recompiled circuit is set up again */
  r1csId: string;
  ptau: string;
  ptauOrigin: PtauOrigin;
  ptauBlake2b?: string;
  power: number;
  developmentPtau: boolean;
  trust: string;
  contributions: string[];
  beacon?: string;
  created: string;
  /** the content hash of the r1cs, the key and its verification key, recorded when the key was made and checked
   * whenever it is reused (a key or verification key changed since is made again) */
  digests?: { r1cs?: string; zkey?: FileDigest; vkey?: FileDigest };
}

export function setupMeta(ids: { ptauId: string; r1csId: string }, ptau: PtauInfo, keys: { contributions: string[]; beacon?: string }): SetupMeta {
  return {
    ...ids,
    ptau: ptau.file,
    ptauOrigin: ptau.origin,
    ptauBlake2b: ptau.blake2b,
    power: ptau.power,
    developmentPtau: ptau.development,
    trust: ptau.trust,
    contributions: keys.contributions,
    beacon: keys.beacon,
    created: new Date().toISOString(),
  };
}

/**
 * Whether someone on this machine can forge proofs for a key: a key made from a development powers of tau (its
 * tau, alpha and beta existed here), or from any ptau whose secrets file is kept on this machine. With the ptau's
 * alpha and beta (snarkjs fixes gamma to the generator) A = alpha + beta^-1 * vk_x, B = beta, C = 0 verifies for
 * any public signals, whatever phase-2 contributions followed: a contribution only changes delta.
 */
export interface SetupForgeability {
  forgeable: boolean;
  /** why (the ptau and where its secrets are), or where the key's trust comes from */
  reason: string;
}

/** Read setup.json (`metaFile`) beside a key; `secretsOf` names the secrets file a ptau would keep beside it. */
export function setupForgeability(metaFile: string, secretsOf: (ptau: string) => string): SetupForgeability {
  if (!fs.existsSync(metaFile)) return { forgeable: false, reason: `no setup record (${metaFile}): the key's origin is unknown here` };
  let meta: Partial<SetupMeta>;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, "utf8")) as Partial<SetupMeta>;
  } catch (e) {
    throw new ZkmlError("SETUP_NOT_FOUND", `not valid JSON: ${(e as Error).message}`, { file: metaFile, hint: "run prove-model --force to set up again" });
  }
  const ptau = meta.ptau ?? "(unknown ptau)";
  const secrets = meta.ptau ? secretsOf(meta.ptau) : undefined;
  if (secrets && fs.existsSync(secrets))
    return { forgeable: true, reason: `the key was made from ${ptau}, whose secrets (tau, alpha, beta) are kept on this machine in ${secrets}` };
  if (meta.developmentPtau || meta.ptauOrigin === "development")
    return { forgeable: true, reason: `the key was made from a development powers of tau (${ptau}): its secrets existed on the machine that made it` };
  return { forgeable: false, reason: meta.trust ?? `made from ${ptau}` };
}

/** A file as a cache key: its path, size and modification time. */
export function fileId(file: string): string {
  const st = fs.statSync(file);
  return `${file}:${st.size}:${st.mtimeMs}`;
}

/** The trust a development ptau of this power (made on this machine) carries. */
export const developmentPtau = (file: string, power: number): PtauInfo => ({ file, power, development: true, origin: "development", trust: DEV_PTAU_WARNING });

/** A cached development ptau of this power whose header reads; a damaged cache entry is rebuilt. */
export function readablePtau(file: string, power: number): boolean {
  try {
    return fs.existsSync(file) && readPtauHeader(file).power === power;
  } catch {
    return false;
  }
}

/** Does the user's trust name a ptau (a file, or the published one to fetch)? Else a development one is made. */
export const namesPtau = (t: SetupTrust | undefined): boolean => Boolean(t?.ptau || t?.downloadPtau);

export interface GivenPtauArgs {
  trust: SetupTrust;
  /** the power the circuit needs under `system`, and what needs it (for the error when the file is too small) */
  power: number;
  needs: string;
  system: string;
  /** where published files are fetched to, and the cache of files' hashes */
  downloadDir: string;
  hashCache: string;
  progress: (msg: string) => void;
}

/** A ptau the user names, or a published one downloaded on request: hashed and checked against the published table. */
export async function givenPtau(a: GivenPtauArgs): Promise<PtauInfo> {
  const every = throttle(2000);
  let file: string;
  if (a.trust.ptau) file = path.resolve(a.trust.ptau);
  else {
    const d = await downloadPtau(a.power, {
      dir: a.downloadDir,
      baseUrl: a.trust.ptauBaseUrl,
      onProgress: (done, total) => every() && a.progress(`${(done / 2 ** 20).toFixed(0)}${total ? ` of ${(total / 2 ** 20).toFixed(0)}` : ""} MB${total ? ` (${((100 * done) / total).toFixed(0)}%)` : ""}`),
    });
    file = d.file;
    a.progress(`${d.entry.name} ${d.downloaded ? `downloaded in ${d.seconds.toFixed(1)} s` : "already here"}, hash matches the published one`);
  }
  const c = await checkPtau(file, { trusted: a.trust.ptauHashes, cacheFile: a.hashCache, onProgress: (done, total) => total > 1 << 28 && every() && a.progress(`hashing ${((100 * done) / total).toFixed(0)}%`) });
  if (c.power < a.power)
    throw new ZkmlError("PTAU_TOO_SMALL", `holds 2^${c.power} powers; this circuit (${a.needs}) needs 2^${a.power} for ${a.system}`, {
      file,
      hint: `use a ptau of power ${a.power} or more (e.g. powersOfTau28_hez_final_${String(a.power).padStart(2, "0")}.ptau), or omit --ptau for a development one`,
    });
  return { file, power: c.power, development: c.origin === "development", origin: c.origin, blake2b: c.blake2b, trust: c.trust };
}

/** A function true at most once per `ms`: throttles progress messages. */
export function throttle(ms: number): () => boolean {
  let last = 0;
  return () => {
    if (Date.now() - last < ms) return false;
    last = Date.now();
    return true;
  };
}
