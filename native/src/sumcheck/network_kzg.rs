//! Format 4: network.rs's proof with a KZG-family commitment (issue 28, docs/design/kzg-pcs.md sections 3 and 4.1):
//! the same statement, the same layer proofs, but the model and the witness are each one G1 point
//! ([U(M)] = sum_k M[k] tauG1[k], kzg.rs), their claims are merged in one sumcheck over the joint layout (the
//! selector the last variable, layout.rs `Layout::joint`), and the one value left is opened by Gemini with Shplonk
//! and one pairing check (gemini.rs) on (1 - sigma) C_M + sigma C_W. On-chain that verifier costs n + 3 scalar
//! multiplications and two pairings where Hyrax's costs rows + columns multiplications.
//!
//! Transcript (keccak256, transcript.rs), in order:
//! 1. network.rs's statement (`absorb_statement`: arch, batch, input or its length, output, context);
//!    `absorb_frs("pcs", [2])`; `absorb_bytes("kzg vk", [tau]_2)` (four words, EIP-197's order: `g2_to_words`),
//!    so a proof is bound to its setup; `absorb_g1("model commitment", C_M)` (the proof's, or the verifier's own);
//!    `absorb_g1("witness commitment", C_W)` when the network has a witness.
//! 2. The layer proofs exactly as format 2 (network.rs steps 2-4), leaving claims on M and on W.
//! 3. The joint merge (batch.rs's protocol, layout.rs's prover): the model's claims then the witness's, lifted to the
//!    joint layout of n + 1 variables (n the larger vector's), "batch points", "batch values", alpha, the sumcheck,
//!    "batch eval" v = J~(s). Without a witness the merge is the model's alone over its n variables.
//! 4. Gemini (gemini.rs) for F = (1 - sigma) M + sigma W (F = M without a witness) at s' = s's first n
//!    coordinates, sigma = s_n: "gemini folds", r, "gemini evals", nu, "shplonk q", z, "kzg w".
//!
//! Proof bytes (`KzgNetworkProof::to_bytes`): 32-byte big-endian words, points as 64 bytes (x then y):
//! `version` (= 4), `pcs` (= 2), a flag and (when 1) C_M, a flag and (when 1) C_W, the layer proofs as format 2
//! (`L`, then each), the merge's sumcheck (`k`, `e`, k x e words), v, then the opening: n - 1 folds, n evaluations,
//! Q, W, with n = k - 1 when there is a witness and k otherwise. Every point must be on the curve and none may be
//! the identity; nothing may follow.

use super::batch::{verify_batch, BatchProof};
use super::error::VerifyError;
use super::gemini::{self, FoldTables, GeminiProof, VerifierKey};
use super::hyrax::msm_i64;
use super::kzg::{g2_to_words, KzgKey};
use super::layout::{prove_claims, Claims, Layout};
use super::mle::fr_from_i64;
use super::network::{
    absorb_statement, layers_frs_mut, model_vector, prove_layers, stopwatch, sumcheck_frs_mut, verify_layers, Arch, ClaimSet, DecodeError, InputVis, LayerProof,
    Layouts, Network, Reader, Statement, Timings, Witness, Writer, DOMAIN_TAG,
};
use super::transcript::{g1_to_be64, Transcript};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{One, Zero};

/// The first word of a format-4 proof.
pub const KZG_PROOF_VERSION: u64 = 4;
/// The commitment scheme's word (1 would be Hyrax).
pub const PCS_KZG: u64 = 2;

/// A format-4 proof.
#[derive(Clone, Debug, PartialEq)]
pub struct KzgNetworkProof {
    /// C_M when the proof carries it (private weights); absent when the verifier holds it (committed weights).
    pub model_commitment: Option<G1Affine>,
    /// C_W; absent exactly when the network has no witness (no requant, max pool or private input).
    pub commitment: Option<G1Affine>,
    /// From the last op down, as format 2.
    pub layers: Vec<LayerProof>,
    /// The joint merge and v = J~(s).
    pub merge: BatchProof,
    pub opening: GeminiProof,
}

/// A committed model as its prover keeps it: C_M and the fold tables that spare each proof the model's part of
/// the folds (gemini.rs `FoldTables`, docs/design/kzg-pcs.md section 6).
#[derive(Clone, Debug)]
pub struct KzgModel {
    pub commitment: G1Affine,
    pub tables: FoldTables,
}

impl KzgModel {
    /// C_M (64 bytes) then the fold tables (`FoldTables::to_bytes`): what the prover keeps beside the commitment.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = g1_to_be64(&self.commitment).to_vec();
        b.extend(self.tables.to_bytes());
        b
    }

    /// `to_bytes` read back; nothing may follow.
    pub fn from_bytes(b: &[u8]) -> Result<KzgModel, DecodeError> {
        let mut r = Reader { b, at: 0 };
        let commitment = non_identity(&mut r, "model commitment")?;
        let tables = FoldTables::read(&mut r)?;
        if r.at != b.len() {
            return r.err(format!("{} bytes after the model's tables", b.len() - r.at));
        }
        Ok(KzgModel { commitment, tables })
    }
}

/// The key length a network's proofs need: the larger committed vector's 2^n entries (the quotients have fewer).
pub fn key_len(layouts: &Layouts) -> usize {
    1usize << joint_vars(layouts)
}

/// n: the larger committed vector's variables.
fn joint_vars(layouts: &Layouts) -> usize {
    layouts.model.num_vars.max(layouts.witness.as_ref().map_or(0, |w| w.num_vars))
}

/// [U(v)] for a vector of small integers.
pub fn commit_i64(key: &KzgKey, v: &[i64]) -> G1Affine {
    let live = v.iter().rposition(|&x| x != 0).map_or(0, |k| k + 1);
    assert!(live <= key.powers.len(), "a vector of {live} entries for a key of {}", key.powers.len());
    msm_i64(&key.powers, &v[..live]).into_affine()
}

/// The model's commitment and fold tables (made once per model; C_M is what a verifier of committed weights
/// holds). Tables of half the model's variables: about 2^(n/2) points.
pub fn commit_model(net: &Network, key: &KzgKey) -> Result<KzgModel, String> {
    net.check()?;
    let layouts = net.arch().layouts();
    let m = model_vector(net, &layouts);
    if m.len() > key.powers.len() {
        return Err(format!("the model has 2^{} entries, the KZG key {}", layouts.model.num_vars, key.powers.len()));
    }
    let tables = FoldTables::build(key, &to_fr(&m), layouts.model.num_vars / 2);
    Ok(KzgModel { commitment: commit_i64(key, &m), tables })
}

fn to_fr(v: &[i64]) -> Vec<Fr> {
    v.iter().map(|&x| fr_from_i64(x)).collect()
}

/// The joint layout and its claims: the model's, then the witness's (reindexed past the model's segments).
fn joint_claims(layouts: &Layouts, claims: ClaimSet) -> (Layout, Claims) {
    match &layouts.witness {
        None => (layouts.model.clone(), claims.model),
        Some(w) => {
            let shift = layouts.model.segments.len();
            let mut items = claims.model.items;
            items.extend(claims.witness.items.into_iter().map(|(seg, p, v)| (seg + shift, p, v)));
            (layouts.model.joint(w), Claims { items })
        }
    }
}

/// The transcript's step 1 after the statement: the scheme, the key's [tau]_2 and the commitments.
fn absorb_setup(t: &mut Transcript, vk: &VerifierKey, model: &G1Affine, witness: Option<&G1Affine>) {
    t.absorb_frs(b"pcs", &[Fr::from(PCS_KZG)]);
    t.absorb_bytes(b"kzg vk", &g2_to_words(&vk.tau_g2));
    t.absorb_g1(b"model commitment", model);
    if let Some(c) = witness {
        t.absorb_g1(b"witness commitment", c);
    }
}

/// Proves a batch of inferences (network.rs `prove_batch_timed`'s statement) with KZG commitments. With `model`
/// (made by `commit_model` under the same key) C_M is not sent and its folds come from the tables; without it C_M
/// is made here and sent (private weights). Returns the proof, the outputs and each phase's time.
pub fn prove_timed(net: &Network, xs: &[Vec<i64>], key: &KzgKey, model: Option<&KzgModel>, input: InputVis, context: Option<&[u8; 32]>) -> Result<(KzgNetworkProof, Vec<Vec<i64>>, Timings), String> {
    let mut timings = Timings::new();
    let mut lap = stopwatch();
    let wit = Witness::build(net, xs, input)?;
    let layouts = &wit.layouts;
    let n = joint_vars(layouts);
    if key.powers.len() < key_len(layouts) {
        return Err(format!("the KZG key has {} powers, this proof needs {} (a ptau of power {} or more)", key.powers.len(), key_len(layouts), super::kzg::power_for(key_len(layouts))));
    }
    lap("run and witness", &mut timings);
    let mut t = Transcript::new(DOMAIN_TAG);
    absorb_statement(&mut t, &wit.arch.hash(), (input == InputVis::Public).then_some(xs), wit.arch.input_len, &wit.ys, context);
    let c_m = model.map_or_else(|| commit_i64(key, &wit.big_m), |m| m.commitment);
    let c_w = layouts.witness.as_ref().map(|_| commit_i64(key, &wit.big_w));
    absorb_setup(&mut t, &key.verifier_key(), &c_m, c_w.as_ref());
    lap("commit", &mut timings);
    let (layers, claims) = prove_layers(net, &wit, &mut t)?;
    lap("layers", &mut timings);
    let (joint, jclaims) = joint_claims(layouts, claims);
    let big_j: Vec<i64> = match &layouts.witness {
        None => wit.big_m.clone(),
        Some(_) => {
            let mut j = vec![0i64; 2 << n];
            j[..wit.big_m.len()].copy_from_slice(&wit.big_m);
            j[1 << n..(1 << n) + wit.big_w.len()].copy_from_slice(&wit.big_w);
            j
        }
    };
    let (merge, s) = prove_claims(&joint, &big_j, &jclaims, &mut t);
    drop(big_j);
    lap("merge", &mut timings);
    let (point, sigma) = (&s[..n], s.get(n).copied());
    let coef = sigma.map_or(Fr::one(), |x| Fr::one() - x);
    let mut f = vec![Fr::zero(); 1 << n];
    for (fk, &mk) in f.iter_mut().zip(&wit.big_m) {
        if mk != 0 {
            *fk = coef * fr_from_i64(mk);
        }
    }
    if let Some(sigma) = sigma {
        for (fk, &wk) in f.iter_mut().zip(&wit.big_w) {
            if wk != 0 {
                *fk += sigma * fr_from_i64(wk);
            }
        }
    }
    let opening = match model {
        Some(m) if m.tables.depth() > 0 => gemini::open_tabled(key, &m.tables, coef, &to_fr(&wit.big_m), &f, point, &mut t),
        _ => gemini::open(key, &f, point, &mut t),
    };
    lap("opening", &mut timings);
    let proof = KzgNetworkProof { model_commitment: model.is_none().then_some(c_m), commitment: c_w, layers, merge, opening };
    Ok((proof, wit.ys, timings))
}

/// Checks a format-4 proof of `ys` (and `xs`, None for a private input) against the architecture, the key's
/// verifier points and, for committed weights, the model's commitment the verifier holds.
pub fn verify(arch: &Arch, xs: Option<&[Vec<i64>]>, ys: &[Vec<i64>], proof: &KzgNetworkProof, vk: &VerifierKey, model: Option<&G1Affine>, context: Option<&[u8; 32]>) -> Result<(), VerifyError> {
    let st = Statement::check(arch, xs, ys, proof.layers.len())?;
    let layouts = &st.layouts;
    let c_m = match (model, &proof.model_commitment) {
        (Some(c), None) | (None, Some(c)) => c,
        (Some(_), Some(_)) => return Err(VerifyError::Shape { what: "model commitment (the verifier holds the model's: the proof must not carry one)", got: 1, expected: 0 }),
        (None, None) => return Err(VerifyError::Shape { what: "model commitment (weights private: the proof must carry one)", got: 0, expected: 1 }),
    };
    let has_witness = layouts.witness.is_some();
    if proof.commitment.is_some() != has_witness {
        return Err(VerifyError::Shape { what: "witness commitment (present exactly when the network has a requant, a max pool or a private input)", got: proof.commitment.is_some() as usize, expected: has_witness as usize });
    }
    if c_m.is_zero() || proof.commitment.is_some_and(|c| c.is_zero()) {
        return Err(VerifyError::Opening { what: "kzg: the identity as a commitment" });
    }
    let mut t = Transcript::new(DOMAIN_TAG);
    absorb_statement(&mut t, &arch.hash(), xs, arch.input_len, ys, context);
    absorb_setup(&mut t, vk, c_m, proof.commitment.as_ref());
    let claims = verify_layers(arch, &st, ys, &proof.layers, &mut t)?;
    let (joint, jclaims) = joint_claims(layouts, claims);
    let (s, v) = verify_batch(&proof.merge, &jclaims.points(&joint), &jclaims.values(), joint.num_vars, &mut t)?;
    let n = joint_vars(layouts);
    let c = match (proof.commitment, s.get(n)) {
        (Some(c_w), Some(&sigma)) => (G1Projective::from(*c_m) * (Fr::one() - sigma) + c_w * sigma).into_affine(),
        _ => *c_m,
    };
    gemini::verify(vk, &c, &s[..n], v, &proof.opening, &mut t)
}

impl KzgNetworkProof {
    /// The module doc's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.count(KZG_PROOF_VERSION as usize);
        w.count(PCS_KZG as usize);
        for c in [&self.model_commitment, &self.commitment] {
            w.count(c.is_some() as usize);
            if let Some(p) = c {
                w.0.extend_from_slice(&g1_to_be64(p));
            }
        }
        w.layers(&self.layers);
        w.sumcheck(&self.merge.sumcheck);
        w.fr(&self.merge.p_eval);
        w.0.extend(self.opening.to_bytes());
        w.0
    }

    /// Parses `to_bytes`'s layout: a truncated, overlong or corrupted encoding, an identity point, a wrong version
    /// or scheme word is an error saying where.
    pub fn from_bytes(b: &[u8]) -> Result<KzgNetworkProof, DecodeError> {
        let mut r = Reader { b, at: 0 };
        let v = r.count("version", u32::MAX as usize)?;
        if v as u64 != KZG_PROOF_VERSION {
            r.at = 0;
            return r.err(format!("version {v}, a KZG proof is version {KZG_PROOF_VERSION}"));
        }
        let pcs = r.count("commitment scheme", u32::MAX as usize)?;
        if pcs as u64 != PCS_KZG {
            r.at -= 32;
            return r.err(format!("commitment scheme {pcs}, a KZG proof's is {PCS_KZG}"));
        }
        let mut commitments = [None, None];
        for (c, what) in commitments.iter_mut().zip(["model commitment", "witness commitment"]) {
            if r.count(&format!("{what} flag"), 1)? == 1 {
                *c = Some(non_identity(&mut r, what)?);
            }
        }
        let layers = r.layers()?;
        let sumcheck = r.sumcheck("merge sumcheck")?;
        let p_eval = r.fr("merge evaluation")?;
        let n = sumcheck.rounds.len().checked_sub(commitments[1].is_some() as usize).filter(|&n| n >= 1);
        let Some(n) = n else {
            return r.err(format!("merge of {} rounds: too few variables to open", sumcheck.rounds.len()));
        };
        let at = r.at;
        let opening = GeminiProof::read(&mut r, n)?;
        if let Some(i) = opening.folds.iter().chain([&opening.q, &opening.w]).position(|p| p.is_zero()) {
            r.at = at + 64 * i.min(n - 1) + if i >= n - 1 { 32 * n + 64 * (i - (n - 1)) } else { 0 };
            return r.err("the identity as a Gemini fold, Q or W".into());
        }
        if r.at != b.len() {
            return r.err(format!("{} bytes after the proof's end", b.len() - r.at));
        }
        let [model_commitment, commitment] = commitments;
        Ok(KzgNetworkProof { model_commitment, commitment, layers, merge: BatchProof { sumcheck, p_eval }, opening })
    }

    /// Every field element of the proof in serialization order (for tests that change each in turn).
    pub fn field_elements_mut(&mut self) -> Vec<&mut Fr> {
        let mut out = Vec::new();
        layers_frs_mut(&mut self.layers, &mut out);
        sumcheck_frs_mut(&mut self.merge.sumcheck, &mut out);
        out.push(&mut self.merge.p_eval);
        out.extend(self.opening.evals.iter_mut());
        out
    }

    /// Every point of the proof in serialization order.
    pub fn points_mut(&mut self) -> Vec<&mut G1Affine> {
        let mut out: Vec<&mut G1Affine> = self.model_commitment.iter_mut().chain(self.commitment.iter_mut()).collect();
        out.extend(self.opening.folds.iter_mut());
        out.push(&mut self.opening.q);
        out.push(&mut self.opening.w);
        out
    }
}

fn non_identity(r: &mut Reader, what: &str) -> Result<G1Affine, DecodeError> {
    let p = r.point(what)?;
    if p.is_zero() {
        r.at -= 64;
        return r.err(format!("{what}: the identity is not a commitment"));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::super::kzg::tests::dev_ptau;
    use super::super::network::tests::{cnns, fc};
    use super::super::network::run;
    use super::*;
    use crate::container::Container;
    use crate::error::Code;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
    use sha3::{Digest, Keccak256};
    use std::io::Cursor;

    const TAU: u64 = 1_234_567_891;

    fn key_for(len: usize, tau: u64) -> KzgKey {
        let power = super::super::kzg::power_for(len);
        let bytes = dev_ptau(Fr::from(tau), power, |_, _| {});
        KzgKey::from_container(&mut Container::new(Cursor::new(bytes), "t.ptau", b"ptau", Code::PtauInvalid).unwrap(), len).unwrap()
    }

    fn key(net: &Network, input: InputVis, batch: usize) -> KzgKey {
        key_for(key_len(&net.arch().layouts_batch(input, batch)), TAU)
    }

    fn mlp() -> (Network, Vec<i64>) {
        let mut rng = StdRng::seed_from_u64(7);
        let x: Vec<i64> = (0..12).map(|i| (i * 37 % 200) - 100).collect();
        (fc(&[12, 9, 5], &x, 8, &mut rng), x)
    }

    /// Every statement (public and private input, batches of 1 and 3, private and committed weights) of the
    /// CNNs and an MLP: proved, outputs runIR's, verified, bytes round-tripped; another output, another input,
    /// another model, another setup's verifier key: refused.
    #[test]
    fn every_statement_proves_and_verifies() {
        let mut nets = cnns();
        nets.push(mlp());
        for (ni, (net, x)) in nets.iter().enumerate() {
            let arch = net.arch();
            for input in [InputVis::Public, InputVis::Private] {
                for batch in [1usize, 3] {
                    let xs: Vec<Vec<i64>> = (0..batch).map(|b| x.iter().map(|v| v / (b as i64 + 1)).collect()).collect();
                    let key = key(net, input, batch);
                    let vk = key.verifier_key();
                    let model = commit_model(net, &key).unwrap();
                    let public = (input == InputVis::Public).then_some(&xs[..]);
                    for committed in [false, true] {
                        let m = committed.then_some(&model);
                        let (proof, ys, _) = prove_timed(net, &xs, &key, m, input, None).unwrap();
                        for (b, y) in ys.iter().enumerate() {
                            assert_eq!(y, &run(net, &xs[b]).pop().unwrap(), "net {ni}");
                        }
                        let held = committed.then_some(&model.commitment);
                        assert_eq!(verify(&arch, public, &ys, &proof, &vk, held, None), Ok(()), "net {ni} {input:?} batch {batch} committed {committed}");
                        assert_eq!(KzgNetworkProof::from_bytes(&proof.to_bytes()).unwrap(), proof);
                        let mut ys2 = ys.clone();
                        ys2[batch - 1][0] += 1;
                        assert!(verify(&arch, public, &ys2, &proof, &vk, held, None).is_err());
                        if let Some(xs) = public {
                            let mut xs2 = xs.to_vec();
                            xs2[0][1] = if xs2[0][1] == arch.input_top { arch.input_min } else { xs2[0][1] + 1 };
                            assert!(verify(&arch, Some(&xs2), &ys, &proof, &vk, held, None).is_err());
                        } else {
                            assert!(verify(&arch, Some(&xs), &ys, &proof, &vk, held, None).is_err(), "a private-input proof is not a public one");
                        }
                        assert!(verify(&arch, public, &ys, &proof, &key_for(4, TAU + 1).verifier_key(), held, None).is_err(), "another setup");
                        if committed {
                            let other = (model.commitment + G1Affine::generator()).into_affine();
                            assert!(verify(&arch, public, &ys, &proof, &vk, Some(&other), None).is_err());
                            assert!(verify(&arch, public, &ys, &proof, &vk, None, None).is_err());
                        } else {
                            assert!(verify(&arch, public, &ys, &proof, &vk, Some(&model.commitment), None).is_err());
                        }
                    }
                }
            }
        }
    }

    /// The tables' opening is the plain one byte for byte (a committed model's proof equals the proof made with
    /// C_M known but every fold committed).
    #[test]
    fn tabled_and_plain_openings_agree() {
        let (net, x) = cnns().swap_remove(0);
        let key = key(&net, InputVis::Public, 1);
        let model = commit_model(&net, &key).unwrap();
        let back = KzgModel::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!((back.commitment, back.tables.depth()), (model.commitment, model.tables.depth()));
        assert!(KzgModel::from_bytes(&model.to_bytes()[..100]).is_err());
        let untabled = KzgModel { commitment: model.commitment, tables: FoldTables::build(&key, &[], 0) };
        let a = prove_timed(&net, &[x.clone()], &key, Some(&back), InputVis::Public, None).unwrap().0;
        let b = prove_timed(&net, &[x], &key, Some(&untabled), InputVis::Public, None).unwrap().0;
        assert_eq!(a, b);
    }

    /// Every field element and every point of a proof with a private input and a max pool, changed in turn, is
    /// refused; so are other weights, truncations, a trailing word, and other version and scheme words.
    #[test]
    fn every_tampered_part_is_rejected() {
        for (net, x) in [cnns().swap_remove(cnns().len() - 1), mlp()] {
            let arch = net.arch();
            let key = key(&net, InputVis::Private, 1);
            let vk = key.verifier_key();
            let (proof, ys, _) = prove_timed(&net, &[x.clone()], &key, None, InputVis::Private, None).unwrap();
            let ok = |p: &KzgNetworkProof| verify(&arch, None, &ys, p, &vk, None, None).is_ok();
            assert!(ok(&proof));
            let count = proof.clone().field_elements_mut().len();
            for i in 0..count {
                let mut p = proof.clone();
                *p.field_elements_mut()[i] += Fr::one();
                assert!(!ok(&p), "field element {i} of {count}");
            }
            let points = proof.clone().points_mut().len();
            for i in 0..points {
                let mut p = proof.clone();
                let q = p.points_mut().swap_remove(i);
                *q = (*q + G1Affine::generator()).into_affine();
                assert!(!ok(&p), "point {i} of {points}");
            }
            // other weights, same shapes: a proof of them does not verify against this model's commitment
            let mut other = net.clone();
            for op in other.ops.iter_mut() {
                if let super::super::network::Op::Dense { b, .. } | super::super::network::Op::Conv { b, .. } = op {
                    b[0] += 1;
                    break;
                }
            }
            let model = commit_model(&net, &key).unwrap();
            let other_model = commit_model(&other, &key).unwrap();
            let (p2, ys2, _) = prove_timed(&other, &[x.clone()], &key, Some(&other_model), InputVis::Private, None).unwrap();
            assert!(verify(&arch, None, &ys2, &p2, &vk, Some(&model.commitment), None).is_err());
            assert!(verify(&arch, None, &ys2, &p2, &vk, Some(&other_model.commitment), None).is_ok());
            let bytes = proof.to_bytes();
            for cut in [32, bytes.len() / 2, bytes.len() - 32] {
                assert!(KzgNetworkProof::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
            }
            let mut long = bytes.clone();
            long.extend([0u8; 32]);
            assert!(KzgNetworkProof::from_bytes(&long).unwrap_err().what.contains("after the proof's end"));
            for (word, want) in [(0, "version"), (1, "commitment scheme")] {
                let mut b = bytes.clone();
                b[32 * word + 31] ^= 6;
                assert!(KzgNetworkProof::from_bytes(&b).unwrap_err().what.contains(want));
            }
            let mut p = proof.clone();
            p.opening.q = G1Affine::identity();
            assert!(KzgNetworkProof::from_bytes(&p.to_bytes()).unwrap_err().what.contains("identity"));
            let mut p = proof.clone();
            p.model_commitment = Some(G1Affine::identity());
            assert!(KzgNetworkProof::from_bytes(&p.to_bytes()).unwrap_err().what.contains("identity"));
            assert!(!ok(&p));
        }
    }

    /// A network with no witness (dense only): the merge is the model's alone, no selector.
    #[test]
    fn a_network_without_witness_opens_the_model_alone() {
        let (mut net, x) = mlp();
        net.ops.truncate(1);
        let key = key(&net, InputVis::Public, 1);
        let (proof, ys, _) = prove_timed(&net, &[x.clone()], &key, None, InputVis::Public, None).unwrap();
        assert!(proof.commitment.is_none());
        assert_eq!(proof.merge.sumcheck.rounds.len(), net.arch().layouts().model.num_vars);
        assert_eq!(verify(&net.arch(), Some(&[x]), &ys, &proof, &key.verifier_key(), None, None), Ok(()));
    }

    /// The bytes of a seeded proof are pinned (the TypeScript and Solidity verifiers are written against them).
    #[test]
    fn proof_bytes_are_pinned() {
        let (net, x) = mlp();
        let key = key(&net, InputVis::Public, 1);
        let (proof, _, _) = prove_timed(&net, &[x], &key, None, InputVis::Public, None).unwrap();
        let hash = hex(&Keccak256::digest(proof.to_bytes()));
        assert_eq!(hash, "467a56493076cac5cf056363704be2f6d72c1f30201ade7976d94cd67ed0377f", "format 4's bytes changed: {} bytes", proof.to_bytes().len());
    }

    /// A key of `len` powers of a known tau made in memory by one fixed-base batch multiplication (the measurements'
    /// sizes: dev_ptau's one multiplication a power is minutes at 2^22).
    fn fast_key(len: usize) -> KzgKey {
        use ark_ec::scalar_mul::BatchMulPreprocessing;
        use ark_bn254::{G2Affine, G2Projective};
        let tau = Fr::from(TAU);
        let scalars: Vec<Fr> = std::iter::successors(Some(Fr::one()), |p| Some(*p * tau)).take(len).collect();
        let powers = BatchMulPreprocessing::new(G1Affine::generator().into_group(), len).batch_mul(&scalars);
        KzgKey { powers, g2: G2Affine::generator(), tau_g2: (G2Projective::from(G2Affine::generator()) * tau).into_affine(), power: super::super::kzg::power_for(len) }
    }

    /// Format 4's cost on paper0's MLP shapes (`ZKML_MEASURE=mlp-mnist,batch64,FC_256x3,FC_4107399`, ignored in CI):
    /// each phase's wall and CPU seconds, proof bytes, verify time, committed weights (tables) and private ones.
    #[test]
    #[ignore]
    fn measure_kzg_network() {
        let fc_4107399 = [784, 55, 60, 66, 73, 80, 88, 97, 107, 117, 129, 142, 156, 172, 189, 208, 229, 252, 277, 305, 336, 370, 407, 447, 492, 541, 595, 655, 721, 793, 1000];
        let only = std::env::var("ZKML_MEASURE").unwrap_or_else(|_| "mlp-mnist".into());
        let cpu = super::super::cpu_seconds;
        for (name, widths, batch) in [("mlp-mnist", &[784usize, 56, 10][..], 1usize), ("batch64", &[784, 56, 10][..], 64), ("batch1024", &[784, 56, 10][..], 1024), ("FC_256x3", &[784, 256, 256, 256, 10][..], 1), ("FC_4107399", &fc_4107399[..], 1)] {
            if !only.split(',').any(|o| o == name) {
                continue;
            }
            let mut rng = StdRng::seed_from_u64(4107399);
            let x: Vec<i64> = (0..784).map(|_| rng.gen_range(-128..=127)).collect();
            let net = fc(widths, &x, 8, &mut rng);
            let xs = vec![x; batch];
            let arch = net.arch();
            let layouts = arch.layouts_batch(InputVis::Public, batch);
            let t0 = std::time::Instant::now();
            let key = fast_key(key_len(&layouts));
            println!("{name}: model 2^{}, witness 2^{}; key of {} powers made in {:.1} s", layouts.model.num_vars, layouts.witness.as_ref().map_or(0, |w| w.num_vars), key.powers.len(), t0.elapsed().as_secs_f64());
            let (c0, t0) = (cpu(), std::time::Instant::now());
            let model = commit_model(&net, &key).unwrap();
            println!("  commit model and tables: {:.3} s wall / {:.2} s CPU", t0.elapsed().as_secs_f64(), cpu() - c0);
            for committed in [true, false] {
                let (c0, t0) = (cpu(), std::time::Instant::now());
                let (proof, ys, phases) = prove_timed(&net, &xs, &key, committed.then_some(&model), InputVis::Public, None).unwrap();
                let (wall, c) = (t0.elapsed().as_secs_f64(), cpu() - c0);
                let t1 = std::time::Instant::now();
                verify(&arch, Some(&xs), &ys, &proof, &key.verifier_key(), committed.then_some(&model.commitment), None).unwrap();
                println!(
                    "  {}: prove {wall:.3} s wall / {c:.2} s CPU ({}); verify {:.3} s; {} bytes (opening {})",
                    if committed { "committed weights" } else { "private weights" },
                    phases.iter().map(|(n, w, c)| format!("{n} {w:.3}/{c:.2}")).collect::<Vec<_>>().join(", "),
                    t1.elapsed().as_secs_f64(),
                    proof.to_bytes().len(),
                    proof.opening.to_bytes().len()
                );
            }
        }
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
