/**
 * A built circuit's artifacts checked against the content hashes recorded when they were made, for the tasks that
 * use them without running prove-model (verify-setup, deploy-verifier, submit-proof): the r1cs against compile.json,
 * the key and its verification key against setup.json, and the verification key against the one the key itself
 * holds. prove-model makes a changed artifact again (its stages' reuse checks the same records); these tasks cannot,
 * so they stop with an error naming the file.
 */
import type { CompileResult } from "../backends/compiled";
import { ZkmlError } from "../core/errors";
import { checkDigest, readMeta } from "../core/files";
import { Paths, ProofSystem } from "../core/paths";
import type { SetupMeta } from "../setup/trust";
import { vkeyMatchesZkey } from "../systems/snarkjs";

/** Throws ARTIFACT_CHANGED (naming the file) unless the circuit's r1cs, key and verification key are the recorded ones. */
export async function checkBuiltArtifacts(root: string, circuit: string, system: ProofSystem, rebuild: string): Promise<void> {
  const paths = new Paths(root);
  const changed = (file: string, why: string) => new ZkmlError("ARTIFACT_CHANGED", why, { file, hint: `make it again: ${rebuild} (it rebuilds what changed), then run this again` });
  const r1cs = paths.get({ kind: "r1cs", circuit });
  const zkey = paths.get({ kind: "zkey", circuit, system });
  const vkey = paths.get({ kind: "vkey", circuit, system });
  const compiled = readMeta<CompileResult>(paths.get({ kind: "compileMeta", circuit }));
  const setup = readMeta<SetupMeta>(paths.get({ kind: "setupMeta", circuit, system }));
  const r = checkDigest(r1cs, compiled?.digests?.r1cs);
  if (!r.ok) throw changed(r1cs, r.why);
  if (!setup?.digests?.r1cs || setup.digests.r1cs !== compiled?.digests?.r1cs?.sha256) throw changed(zkey, `the key was not made from ${r1cs} as it is now`);
  for (const [file, recorded] of [
    [zkey, setup.digests.zkey],
    [vkey, setup.digests.vkey],
  ] as const) {
    const c = checkDigest(file, recorded);
    if (!c.ok) throw changed(file, c.why);
  }
  if (!(await vkeyMatchesZkey(zkey, vkey))) throw changed(vkey, `not the verification key of ${zkey} (exported from the key again, they differ)`);
}
