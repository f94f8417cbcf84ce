//! The lookup argument in zero knowledge (zero-knowledge step 4 of docs/design/zero-knowledge.md, variant (ii):
//! committed helper columns, Haböck's logUp, section 3). logup.rs's trees send their roots (functions of the
//! private multiset) and read their leaves at Boolean child coordinates, where no mask that vanishes on the cube can
//! hide them; here every value sent is a masked one, and the sum identity is never sent at all.
//!
//! The looked-up columns f_c (2^k rows) and the multiplicities m (2^l, one per table row) are committed, with the
//! masks this module allocates, before alpha and beta (logup.rs's `draw_challenges`: the table's description and
//! the sizes absorbed first). The prover then commits the helper columns h_f(i) = 1 / (alpha - f(i)) and
//! h_t(j) = m_j / (alpha - t(j)), f = sum_c beta^c f_c, t likewise from the table, and proves
//! - sum_i h_f(i) = sum_j h_t(j): a claim on the two helper columns (at (1/2, ..., 1/2), times 2^k and 2^l), merged
//!   with the others by the joint merge: nothing is sent for it;
//! - for every i, h_f(i) (alpha - f(i)) = 1: the zero-knowledge sumcheck of sum_i eq(tau, i) h_f(i) G(i) = 1 with
//!   G = alpha - f (h_f and G hidden), tau drawn after the helpers' commitment;
//! - for every j, h_t(j) (alpha - t(j)) = m_j: the zero-knowledge sumcheck of sum_j eq(tau', j) h_t(j) T'(j) = m~(tau')
//!   with T' = alpha - t public (the verifier evaluates t~), its claim sent as M = m~(tau') + rho_m (a one-time pad),
//!   the pad carried as the sumcheck's correction.
//!
//! Together (tau, tau' random) these give sum_i 1 / (alpha - f(i)) = sum_j m_j / (alpha - t(j)) with no zero
//! denominator on the looked-up side, which for a random alpha means every row of f is a table row.
//!
//! Sent: the two sumchecks (zk.rs), h_f^(r) and G^(r) after the first, M before the second, h_t^(r') after it. Left
//! to the joint merge: the sum claim, each masked value's claim (its column at the point plus its slot with weight
//! Z), the two sumchecks' claims on the mask, and M's (m~(tau') + rho_m).
//!
//! Transcript, in order (after the caller's commitments to f, m and the masks, `draw_challenges`, then the
//! helpers' commitment): tau = k challenges, tau' = l challenges, the first sumcheck (zk.rs), `absorb_frs("lookup f
//! values", [h_f^(r), G^(r)])`, the second (its claim M absorbed by zk.rs), `absorb_fr("lookup t value", h_t^(r'))`.

use super::error::VerifyError;
use super::joint::ColClaim;
use super::logup::{fold_columns, LookupError, Table};
use super::mle::{eq_eval, eq_table, fr_from_i64, Mle};
use super::transcript::Transcript;
use super::zk::{prove_zk, verify_zk, LibraMask, MaskAlloc, ZkShape, ZkSumcheckProof};
use ark_bn254::Fr;
use ark_ff::{batch_inversion, Field, One, Zero};
use rayon::prelude::*;

/// The columns a lookup reads: looked-up column c, the multiplicities, the two helpers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    F(usize),
    M,
    Hf,
    Ht,
}

/// The masks of one lookup: each sumcheck's shape (slots) and Libra mask, and M's pad. Allocated before anything
/// is committed.
#[derive(Clone, Debug, PartialEq)]
pub struct LookupMasks {
    pub(crate) f_shape: ZkShape,
    f_libra: LibraMask,
    pub(crate) t_shape: ZkShape,
    t_libra: LibraMask,
    rho_m: usize,
}

impl LookupMasks {
    /// The masks for 2^k looked-up rows into a table of 2^l rows (k, l >= 1).
    pub fn new(alloc: &mut MaskAlloc, k: usize, l: usize) -> Self {
        assert!(k >= 1 && l >= 1, "a zero-knowledge lookup needs at least two rows a side");
        let f_shape = ZkShape { num_vars: k, slots: vec![None, Some(alloc.take(1)), Some(alloc.take(1))] };
        let f_libra = f_shape.libra(alloc);
        let t_shape = ZkShape { num_vars: l, slots: vec![None, Some(alloc.take(1)), None] };
        let t_libra = t_shape.libra(alloc);
        LookupMasks { f_shape, f_libra, t_shape, t_libra, rho_m: alloc.take(1) }
    }

    fn k(&self) -> usize {
        self.f_shape.num_vars
    }
}

/// h_f(i) = 1 / (alpha - f(i)) and h_t(j) = m_j / (alpha - t(j)): what the prover commits after alpha and beta.
/// A zero denominator (alpha equal to a looked-up value or a table row with m_j != 0) is LookupError::ZeroDenominator.
pub fn helpers(f: &[&[Fr]], m: &[u64], table: &Table, alpha: Fr, beta: Fr) -> Result<(Vec<Fr>, Vec<Fr>), LookupError> {
    let mut h_f: Vec<Fr> = (0..f[0].len()).into_par_iter().map(|i| alpha - fold_columns(&f.iter().map(|c| c[i]).collect::<Vec<_>>(), beta)).collect();
    let mut h_t: Vec<Fr> = (0..m.len())
        .into_par_iter()
        .map(|j| alpha - fold_columns(&table.row(j).into_iter().map(fr_from_i64).collect::<Vec<_>>(), beta))
        .collect();
    if h_f.iter().any(Fr::is_zero) || h_t.iter().zip(m).any(|(d, &mj)| d.is_zero() && mj != 0) {
        return Err(LookupError::ZeroDenominator);
    }
    batch_inversion(&mut h_f);
    batch_inversion(&mut h_t);
    h_t.iter_mut().zip(m).for_each(|(h, &mj)| *h *= Fr::from(mj));
    Ok((h_f, h_t))
}

/// The prover's messages.
#[derive(Clone, Debug, PartialEq)]
pub struct ZkLookupProof {
    pub f_sumcheck: ZkSumcheckProof,
    /// h_f^(r), G^(r).
    pub f_values: [Fr; 2],
    /// M = m~(tau') + rho_m.
    pub m_hat: Fr,
    pub t_sumcheck: ZkSumcheckProof,
    /// h_t^(r').
    pub t_value: Fr,
}

/// What a lookup leaves to the joint merge.
pub type LookupClaims = Vec<ColClaim<Col>>;

/// Everything the claims need from a run of either side.
struct Ends<'a> {
    masks: &'a LookupMasks,
    alpha: Fr,
    beta: Fr,
    columns: usize,
    l: usize,
    tau_t: &'a [Fr],
    r: &'a [Fr],
    r_t: &'a [Fr],
    z: Fr,
    z_t: Fr,
}

/// The claims, formed the same way by the prover and the verifier.
fn claims(e: &Ends, proof: &ZkLookupProof, mask_claims: impl IntoIterator<Item = super::zk::MaskClaim>) -> LookupClaims {
    let half = |n: usize| vec![Fr::from(2u64).inverse().expect("2 is invertible"); n];
    let pow2 = |n: usize| Fr::from(2u64).pow([n as u64]);
    let k = e.masks.k();
    let slot = |shape: &ZkShape, i: usize| shape.slots[i].expect("a hidden factor's slot");
    let mut out = vec![ColClaim { evals: vec![(Col::Hf, half(k), pow2(k)), (Col::Ht, half(e.l), -pow2(e.l))], mask: vec![], value: Fr::zero() }];
    out.push(ColClaim { evals: vec![(Col::Hf, e.r.to_vec(), Fr::one())], mask: vec![(slot(&e.masks.f_shape, 1), e.z)], value: proof.f_values[0] });
    let mut power = -Fr::one();
    let g_evals = (0..e.columns)
        .map(|c| {
            let term = (Col::F(c), e.r.to_vec(), power);
            power *= e.beta;
            term
        })
        .collect();
    out.push(ColClaim { evals: g_evals, mask: vec![(slot(&e.masks.f_shape, 2), e.z)], value: proof.f_values[1] - e.alpha });
    out.push(ColClaim { evals: vec![(Col::M, e.tau_t.to_vec(), Fr::one())], mask: vec![(e.masks.rho_m, Fr::one())], value: proof.m_hat });
    out.push(ColClaim { evals: vec![(Col::Ht, e.r_t.to_vec(), Fr::one())], mask: vec![(slot(&e.masks.t_shape, 1), e.z_t)], value: proof.t_value });
    out.extend(mask_claims.into_iter().map(|c| ColClaim::on_mask(&c)));
    out
}

/// The table side's public factor alpha - t(j), as a table.
fn table_denominators(table: &Table, alpha: Fr, beta: Fr) -> Vec<Fr> {
    (0..1usize << table.log_size())
        .into_par_iter()
        .map(|j| alpha - fold_columns(&table.row(j).into_iter().map(fr_from_i64).collect::<Vec<_>>(), beta))
        .collect()
}

/// Proves the lookup after the helpers' commitment (module doc), given alpha and beta from `draw_challenges`.
#[allow(clippy::too_many_arguments)]
pub fn prove_lookup_zk(
    f: &[&[Fr]],
    m: &[u64],
    h: (&[Fr], &[Fr]),
    table: &Table,
    masks: &LookupMasks,
    mask: &[Fr],
    (alpha, beta): (Fr, Fr),
    t: &mut Transcript,
) -> (ZkLookupProof, LookupClaims) {
    let (k, l) = (masks.k(), table.log_size());
    let tau = t.challenge_frs(k);
    let tau_t = t.challenge_frs(l);
    let g: Vec<Fr> = (0..1usize << k).into_par_iter().map(|i| alpha - fold_columns(&f.iter().map(|c| c[i]).collect::<Vec<_>>(), beta)).collect();
    let mle = |v: Vec<Fr>, n: usize| Mle { evals: v, num_vars: n };
    let f_factors = vec![mle(eq_table(&tau), k), mle(h.0.to_vec(), k), mle(g, k)];
    let f_out = prove_zk(f_factors, &masks.f_shape, &masks.f_libra, mask, Fr::one(), &[], t);
    let f_values = [f_out.values[1], f_out.values[2]];
    t.absorb_frs(b"lookup f values", &f_values);
    let m_fr: Vec<Fr> = m.iter().map(|&x| Fr::from(x)).collect();
    let m_hat = mle(m_fr, l).evaluate(&tau_t) + mask[masks.rho_m];
    let t_factors = vec![mle(eq_table(&tau_t), l), mle(h.1.to_vec(), l), mle(table_denominators(table, alpha, beta), l)];
    let t_out = prove_zk(t_factors, &masks.t_shape, &masks.t_libra, mask, m_hat, &[(masks.rho_m, Fr::one())], t);
    let t_value = t_out.values[1];
    t.absorb_fr(b"lookup t value", &t_value);
    let proof = ZkLookupProof { f_sumcheck: f_out.proof, f_values, m_hat, t_sumcheck: t_out.proof, t_value };
    let ends = Ends {
        masks,
        alpha,
        beta,
        columns: table.columns(),
        l,
        tau_t: &tau_t,
        r: &f_out.point,
        r_t: &t_out.point,
        z: super::zk::vanishing(&f_out.point),
        z_t: super::zk::vanishing(&t_out.point),
    };
    let claims = claims(&ends, &proof, f_out.mask_claims.into_iter().chain(t_out.mask_claims));
    (proof, claims)
}

/// Checks a lookup's two sumchecks and their final values (the caller has absorbed f's, m's and the masks'
/// commitments, drawn alpha and beta, and absorbed the helpers' commitments, as the prover did); returns the
/// claims the joint merge must prove.
pub fn verify_lookup_zk(
    proof: &ZkLookupProof,
    table: &Table,
    masks: &LookupMasks,
    (alpha, beta): (Fr, Fr),
    t: &mut Transcript,
) -> Result<LookupClaims, VerifyError> {
    let (k, l) = (masks.k(), table.log_size());
    let tau = t.challenge_frs(k);
    let tau_t = t.challenge_frs(l);
    let f = verify_zk(&proof.f_sumcheck, &masks.f_shape, &masks.f_libra, Fr::one(), &[], t)?;
    if f.final_value != eq_eval(&tau, &f.point) * proof.f_values[0] * proof.f_values[1] {
        return Err(VerifyError::FinalValue { what: "zk lookup: h_f (alpha - f)" });
    }
    t.absorb_frs(b"lookup f values", &proof.f_values);
    let tv = verify_zk(&proof.t_sumcheck, &masks.t_shape, &masks.t_libra, proof.m_hat, &[(masks.rho_m, Fr::one())], t)?;
    let t_at = fold_columns(&table.evaluate(&tv.point), beta);
    if tv.final_value != eq_eval(&tau_t, &tv.point) * proof.t_value * (alpha - t_at) {
        return Err(VerifyError::FinalValue { what: "zk lookup: h_t (alpha - t)" });
    }
    t.absorb_fr(b"lookup t value", &proof.t_value);
    let ends = Ends { masks, alpha, beta, columns: table.columns(), l, tau_t: &tau_t, r: &f.point, r_t: &tv.point, z: f.z, z_t: tv.z };
    Ok(claims(&ends, proof, f.mask_claims.into_iter().chain(tv.mask_claims)))
}

#[cfg(test)]
mod tests {
    use super::super::hyrax::{commit_fr_hiding, HyraxCommitment, HyraxParams};
    use super::super::joint::{commit_mask, prove_joint, verify_joint, JointParams, JointProof, JointWitness, VecRef};
    use super::super::logup::{draw_challenges, table_multiplicities};
    use super::super::mle::log2_ceil;
    use super::*;
    use ark_bn254::G1Affine;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
    use ark_std::UniformRand;

    /// The vectors of a lookup's proof, in commitment order: f's columns, m, the masks (before alpha), then h_f, h_t.
    fn vector_of(c: Col, columns: usize) -> usize {
        match c {
            Col::F(i) => i,
            Col::M => columns,
            Col::Hf => columns + 2,
            Col::Ht => columns + 3,
        }
    }

    /// A whole proof of one lookup (commitments, the lookup, the joint merge) and its verification.
    struct Run {
        params: JointParams,
        comms: Vec<HyraxCommitment>,
        mask_comm: G1Affine,
        masks: LookupMasks,
        proof: ZkLookupProof,
        joint: JointProof,
    }

    fn commit_all(vectors: &[Vec<Fr>], rng: &mut StdRng) -> (Vec<HyraxParams>, Vec<HyraxCommitment>, Vec<Vec<Fr>>) {
        let params: Vec<HyraxParams> = vectors.iter().map(|v| HyraxParams::new(b"zkml-lookup-test", log2_ceil(v.len()))).collect();
        let (comms, blinders) = params.iter().zip(vectors).map(|(p, v)| commit_fr_hiding(p, v, rng)).unzip();
        (params, comms, blinders)
    }

    /// Proves that f's rows are in the table with multiplicities m (m as given: a cheating prover passes others).
    fn prove(f: &[Vec<i64>], m: &[u64], table: &Table, rng: &mut StdRng) -> Run {
        let k = log2_ceil(f[0].len());
        let mut alloc = MaskAlloc::default();
        let masks = LookupMasks::new(&mut alloc, k, table.log_size());
        let mask: Vec<Fr> = (0..alloc.len()).map(|_| Fr::rand(rng)).collect();
        let f_fr: Vec<Vec<Fr>> = f.iter().map(|c| c.iter().map(|&v| fr_from_i64(v)).collect()).collect();
        let mut vectors: Vec<Vec<Fr>> = f_fr.clone();
        vectors.push(m.iter().map(|&x| Fr::from(x)).collect());
        vectors.push(mask.clone());
        let (mut vparams, mut comms, mut blinders) = commit_all(&vectors, rng);
        // The helpers' sizes are known in advance: the joint parameters (and C_M) are fixed before any challenge.
        let helper_params = [k, table.log_size()].map(|n| HyraxParams::new(b"zkml-lookup-test", n));
        vparams.extend(helper_params.iter().cloned());
        let params = JointParams::new(vparams);
        let merge_mask: Vec<Fr> = (0..params.mask_len()).map(|_| Fr::rand(rng)).collect();
        let (mask_comm, mask_blinder) = commit_mask(&params, &merge_mask, rng);
        let mut t = Transcript::new(b"lookup-zk-test");
        comms.iter().for_each(|c| c.absorb(&mut t));
        t.absorb_g1(b"merge mask", &mask_comm);
        let ab = draw_challenges(table, k, &mut t);
        let f_refs: Vec<&[Fr]> = f_fr.iter().map(|c| &c[..]).collect();
        let (h_f, h_t) = helpers(&f_refs, m, table, ab.0, ab.1).expect("no zero denominator");
        for (p, h) in helper_params.iter().zip([&h_f, &h_t]) {
            let (c, b) = commit_fr_hiding(p, h, rng);
            c.absorb(&mut t);
            comms.push(c);
            blinders.push(b);
        }
        vectors.extend([h_f.clone(), h_t.clone()]);
        let (proof, claims) = prove_lookup_zk(&f_refs, m, (&h_f, &h_t), table, &masks, &mask, ab, &mut t);
        let columns = f.len();
        let joint_claims = claims.into_iter().map(|c| c.into_joint(|col| (vector_of(col, columns), 0), columns + 1)).collect::<Vec<_>>();
        let w = JointWitness {
            vectors: vectors.iter().map(|v| VecRef::Fr(v)).collect(),
            blinders: blinders.iter().map(|v| &v[..]).collect(),
            mask: &merge_mask,
            mask_blinder,
            fixed: None,
        };
        let joint = prove_joint(&params, &w, &joint_claims, &mut t, rng);
        Run { params, comms, mask_comm, masks, proof, joint }
    }

    fn verify(run: &Run, proof: &ZkLookupProof, table: &Table, columns: usize) -> Result<(), VerifyError> {
        let mut t = Transcript::new(b"lookup-zk-test");
        run.comms[..columns + 2].iter().for_each(|c| c.absorb(&mut t));
        t.absorb_g1(b"merge mask", &run.mask_comm);
        let ab = draw_challenges(table, run.masks.k(), &mut t);
        run.comms[columns + 2..].iter().for_each(|c| c.absorb(&mut t));
        let claims = verify_lookup_zk(proof, table, &run.masks, ab, &mut t)?;
        let joint_claims: Vec<_> = claims.into_iter().map(|c| c.into_joint(|col| (vector_of(col, columns), 0), columns + 1)).collect();
        verify_joint(&run.params, &run.comms, &run.mask_comm, &joint_claims, &run.joint, &mut t)
    }

    fn range_case(rng: &mut StdRng) -> (Vec<Vec<i64>>, Table) {
        (vec![(0..32).map(|_| rng.gen_range(-8..8)).collect()], Table::range(-8, 4))
    }

    #[test]
    fn lookups_into_range_and_activation_tables_are_accepted() {
        let mut rng = StdRng::seed_from_u64(40);
        let (f, table) = range_case(&mut rng);
        let m = table_multiplicities(&[&f[0]], &table).unwrap();
        let run = prove(&f, &m, &table, &mut rng);
        assert_eq!(verify(&run, &run.proof, &table, 1), Ok(()));
        // (q, relu(q)) pairs into the activation table, 8 rows into 2^5.
        let table = Table::Activation { offset: -16, log_size: 5, lo: Some(0), hi: Some(9) };
        let q: Vec<i64> = (0..8).map(|_| rng.gen_range(-16..16)).collect();
        let a: Vec<i64> = q.iter().map(|&x| x.clamp(0, 9)).collect();
        let m = table_multiplicities(&[&q, &a], &table).unwrap();
        let run = prove(&[q, a], &m, &table, &mut rng);
        assert_eq!(verify(&run, &run.proof, &table, 2), Ok(()));
    }

    #[test]
    fn a_value_outside_the_table_or_wrong_multiplicities_cannot_be_proved() {
        let mut rng = StdRng::seed_from_u64(41);
        let (mut f, table) = range_case(&mut rng);
        let m = table_multiplicities(&[&f[0]], &table).unwrap();
        // One value moved out of [-8, 8), its count left where it was: the helpers' sums differ, so the merged claim is
        // false and the prover's own sumcheck refuses to make it (a forged merge is refused by joint.rs's tests).
        f[0][3] = 8;
        refused(|| prove(&f, &m, &table, &mut StdRng::seed_from_u64(1)));
        let (f, _) = range_case(&mut rng);
        let mut m = table_multiplicities(&[&f[0]], &table).unwrap();
        let j = m.iter().position(|&x| x > 0).unwrap();
        m[j] -= 1;
        m[(j + 1) % 16] += 1;
        refused(|| prove(&f, &m, &table, &mut StdRng::seed_from_u64(2)));
    }

    /// The prover stops at the merge: its merged claim is false.
    fn refused(run: impl FnOnce() -> Run + std::panic::UnwindSafe) {
        let err = std::panic::catch_unwind(run).err().expect("a false lookup was proved");
        let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(msg.contains("do not sum to the claim"), "refused for another reason: {msg}");
    }

    /// The helper-column lookup beside logup.rs's trees, on the plan's three shapes (2^16 values into 2^16 rows,
    /// 2^20 into 2^8, 2^12 into 2^20), the helpers' hiding commitment included, the joint merge not (it is shared
    /// by every claim of a proof). `cargo test --release measure_zk_lookup -- --ignored --nocapture --test-threads=1`.
    #[test]
    #[ignore]
    fn measure_zk_lookup() {
        use super::super::logup::prove_logup;
        let cpu = super::super::cpu_seconds;
        let mut rng = StdRng::seed_from_u64(43);
        for (k, l) in [(16, 16), (20, 8), (12, 20)] {
            let table = Table::range(0, l);
            let f: Vec<i64> = (0..1usize << k).map(|_| rng.gen_range(0..1i64 << l)).collect();
            let m = table_multiplicities(&[&f], &table).unwrap();
            let f_fr: Vec<Fr> = f.iter().map(|&v| fr_from_i64(v)).collect();
            let c0 = cpu();
            prove_logup(&[&f_fr], &m, &table, &mut Transcript::new(b"m")).unwrap();
            let c1 = cpu();
            let mut alloc = MaskAlloc::default();
            let masks = LookupMasks::new(&mut alloc, k, l);
            let mask: Vec<Fr> = (0..alloc.len()).map(|_| Fr::rand(&mut rng)).collect();
            let mut t = Transcript::new(b"m");
            let ab = draw_challenges(&table, k, &mut t);
            let (h_f, h_t) = helpers(&[&f_fr], &m, &table, ab.0, ab.1).unwrap();
            let c2 = cpu();
            for (h, n) in [(&h_f, k), (&h_t, l)] {
                commit_fr_hiding(&HyraxParams::new(b"m", n), h, &mut rng).0.absorb(&mut t);
            }
            let c3 = cpu();
            prove_lookup_zk(&[&f_fr], &m, (&h_f, &h_t), &table, &masks, &mask, ab, &mut t);
            let c4 = cpu();
            println!(
                "2^{k} into 2^{l}: trees {:.2} s CPU; helpers {:.2} s + their commitment {:.2} s + two zk sumchecks {:.2} s = {:.2} s CPU",
                c1 - c0,
                c2 - c1,
                c3 - c2,
                c4 - c3,
                c4 - c1
            );
        }
    }

    #[test]
    fn every_word_of_the_lookup_changed_is_rejected() {
        let mut rng = StdRng::seed_from_u64(42);
        let (f, table) = range_case(&mut rng);
        let m = table_multiplicities(&[&f[0]], &table).unwrap();
        let run = prove(&f, &m, &table, &mut rng);
        let one = Fr::one();
        let mut changed: Vec<(String, ZkLookupProof)> = Vec::new();
        let mut push = |what: String, g: &dyn Fn(&mut ZkLookupProof)| {
            let mut p = run.proof.clone();
            g(&mut p);
            changed.push((what, p));
        };
        push("f K".into(), &|p| p.f_sumcheck.k += one);
        push("f y".into(), &|p| p.f_sumcheck.y += one);
        push("t K".into(), &|p| p.t_sumcheck.k += one);
        push("t y".into(), &|p| p.t_sumcheck.y += one);
        push("h_f^".into(), &|p| p.f_values[0] += one);
        push("G^".into(), &|p| p.f_values[1] += one);
        push("M".into(), &|p| p.m_hat += one);
        push("h_t^".into(), &|p| p.t_value += one);
        for (j, g) in run.proof.f_sumcheck.rounds.iter().enumerate() {
            for x in 0..g.len() {
                push(format!("f round {j} word {x}"), &|p| p.f_sumcheck.rounds[j][x] += one);
            }
        }
        for (j, g) in run.proof.t_sumcheck.rounds.iter().enumerate() {
            for x in 0..g.len() {
                push(format!("t round {j} word {x}"), &|p| p.t_sumcheck.rounds[j][x] += one);
            }
        }
        for (what, p) in &changed {
            assert!(verify(&run, p, &table, 1).is_err(), "{what} changed and accepted");
        }
        // The same proof against another table.
        assert!(verify(&run, &run.proof, &Table::range(-7, 4), 1).is_err());
    }
}
