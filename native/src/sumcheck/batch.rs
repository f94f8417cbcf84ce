//! Several evaluation claims on one multilinear polynomial P merged into one (HyperPlonk section 3.8): claims
//! P(z_k) = v_k for k < K become, with the verifier's alpha, `sum_x E(x) P(x) = sum_k alpha^k v_k` where
//! E(x) = sum_k alpha^k eq(z_k, x); one degree-2 sumcheck leaves a single claim P(s) (to open once) and E(s),
//! which the verifier computes itself in O(K n).
//!
//! Transcript, in order: `absorb_frs("batch points", z_0 || z_1 || ...)`, `absorb_frs("batch values", v)`,
//! alpha = challenge, the sumcheck's (claim, sizes, rounds), then `absorb_fr("batch eval", P(s))`.

use super::error::VerifyError;
use super::mle::{eq_eval, eq_table, Mle, PAR_THRESHOLD};
use super::sumcheck::{self, SumcheckProof};
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

/// The merged claims' proof: the sumcheck and P's value at its point.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchProof {
    pub sumcheck: SumcheckProof,
    pub p_eval: Fr,
}

fn absorb_claims(points: &[Vec<Fr>], values: &[Fr], t: &mut Transcript) -> Fr {
    let flat: Vec<Fr> = points.iter().flatten().copied().collect();
    t.absorb_frs(b"batch points", &flat);
    t.absorb_frs(b"batch values", values);
    t.challenge_fr()
}

/// Merges the claims P(points[k]) = values[k] into one: returns the proof and the point s at which P must now be
/// opened (P(s) is in the proof). The values are P's own evaluations (computed by the caller).
pub fn prove_batch(p: &Mle, points: &[Vec<Fr>], values: &[Fr], t: &mut Transcript) -> (BatchProof, Vec<Fr>) {
    assert_eq!(points.len(), values.len());
    assert!(points.iter().all(|z| z.len() == p.num_vars), "a point of the wrong length");
    let alpha = absorb_claims(points, values, t);
    let mut e = vec![Fr::zero(); p.evals.len()];
    let mut power = Fr::one();
    for z in points {
        let eqz = eq_table(z);
        if e.len() >= PAR_THRESHOLD {
            e.par_iter_mut().zip(eqz.par_iter()).for_each(|(a, b)| *a += power * b);
        } else {
            e.iter_mut().zip(&eqz).for_each(|(a, b)| *a += power * b);
        }
        power *= alpha;
    }
    let out = sumcheck::prove(vec![Mle::new(e), p.clone()], t);
    let p_eval = out.factor_evals[1];
    t.absorb_fr(b"batch eval", &p_eval);
    (BatchProof { sumcheck: out.proof, p_eval }, out.point)
}

/// Checks merged claims P(points[k]) = values[k] over `num_vars` variables: the sumcheck of
/// sum_k alpha^k values[k], then that its final value is E(s) * P(s) with E(s) computed here. Returns (s, P(s)):
/// the one claim left, which the caller must open against P's commitment.
pub fn verify_batch(
    proof: &BatchProof,
    points: &[Vec<Fr>],
    values: &[Fr],
    num_vars: usize,
    t: &mut Transcript,
) -> Result<(Vec<Fr>, Fr), VerifyError> {
    if points.len() != values.len() {
        return Err(VerifyError::Shape { what: "batch values", got: values.len(), expected: points.len() });
    }
    if let Some(z) = points.iter().find(|z| z.len() != num_vars) {
        return Err(VerifyError::Shape { what: "batch point", got: z.len(), expected: num_vars });
    }
    let alpha = absorb_claims(points, values, t);
    let mut claim = Fr::zero();
    let mut power = Fr::one();
    for v in values {
        claim += power * v;
        power *= alpha;
    }
    let (s, value) = sumcheck::verify(&proof.sumcheck, claim, num_vars, 2, t)?;
    let mut e_s = Fr::zero();
    let mut power = Fr::one();
    for z in points {
        e_s += power * eq_eval(z, &s);
        power *= alpha;
    }
    if value != e_s * proof.p_eval {
        return Err(VerifyError::FinalValue { what: "batched claims" });
    }
    t.absorb_fr(b"batch eval", &proof.p_eval);
    Ok((s, proof.p_eval))
}

#[cfg(test)]
mod tests {
    use super::super::dense::{output_claim, pad_matrix, prove_dense, verify_dense};
    use super::super::hyrax::{commit_i64, open_i64, verify_opening, HyraxCommitment, HyraxOpening, HyraxParams};
    use super::super::mle::log2_ceil;
    use super::super::transcript::Transcript;
    use super::super::dense::DenseProof;
    use super::*;
    use ark_std::{rand::Rng, test_rng, UniformRand};

    fn tr() -> Transcript {
        Transcript::new(b"batch-test")
    }

    #[test]
    fn merged_claims_verify_and_false_ones_do_not() {
        let mut rng = test_rng();
        for (k, count) in [(0, 1), (1, 2), (4, 3), (9, 5), (13, 2)] {
            let p = Mle::new((0..1 << k).map(|_| Fr::rand(&mut rng)).collect());
            let points: Vec<Vec<Fr>> = (0..count).map(|_| (0..k).map(|_| Fr::rand(&mut rng)).collect()).collect();
            let values: Vec<Fr> = points.iter().map(|z| p.evaluate(z)).collect();
            let (proof, s) = prove_batch(&p, &points, &values, &mut tr());
            let (s2, v) = verify_batch(&proof, &points, &values, k, &mut tr()).unwrap();
            assert_eq!(s, s2);
            assert_eq!(v, p.evaluate(&s), "k = {k}");
            // One false value: the honest prover's proof (for the true values) fails; a prover that proves the
            // false values over P itself ends at a P(s) that is not P's.
            let mut wrong = values.clone();
            wrong[count - 1] += Fr::one();
            assert!(verify_batch(&proof, &points, &wrong, k, &mut tr()).is_err());
            let (forged, _) = prove_batch(&p, &points, &wrong, &mut tr());
            assert!(verify_batch(&forged, &points, &wrong, k, &mut tr()).is_err());
            let mut p2 = proof.clone();
            p2.p_eval += Fr::one();
            assert_eq!(verify_batch(&p2, &points, &values, k, &mut tr()), Err(VerifyError::FinalValue { what: "batched claims" }));
        }
    }

    /// A whole dense layer with W and a committed: commitments absorbed, rho drawn, the sumcheck, then W's claim
    /// and a's claim each opened (a's claim merged with a second claim on a, as the next layer would make).
    struct LayerProof {
        w_comm: HyraxCommitment,
        a_comm: HyraxCommitment,
        c: Fr,
        dense: DenseProof,
        w_open: HyraxOpening,
        a_batch: BatchProof,
        a_open: HyraxOpening,
    }

    fn prove_layer(w: &[i64], m: usize, n: usize, a: &[i64], wp: &HyraxParams, ap: &HyraxParams, extra: &[Fr]) -> LayerProof {
        let mut t = tr();
        let w_comm = commit_i64(wp, &pad_matrix(w, m, n));
        let a_comm = commit_i64(ap, a);
        w_comm.absorb(&mut t);
        a_comm.absorb(&mut t);
        let rho = t.challenge_frs(log2_ceil(m));
        let c = output_claim(w, m, n, a, &rho);
        t.absorb_fr(b"dense claim", &c);
        let out = prove_dense(w, m, n, a, &rho, &mut t);
        let w_point: Vec<Fr> = out.sigma.iter().chain(&rho).copied().collect();
        let (w_open, _) = open_i64(wp, &pad_matrix(w, m, n), &w_point, &mut t);
        let a_mle = Mle::from_i64(a);
        let points = vec![out.sigma.clone(), extra.to_vec()];
        let values = vec![out.a_eval, a_mle.evaluate(extra)];
        let (a_batch, s) = prove_batch(&a_mle, &points, &values, &mut t);
        let (a_open, _) = open_i64(ap, a, &s, &mut t);
        LayerProof { w_comm, a_comm, c, dense: out.proof, w_open, a_batch, a_open }
    }

    /// The verifier: c is given (in a network it comes from the next layer), extra_value is the second claim on a.
    #[allow(clippy::too_many_arguments)]
    fn verify_layer(p: &LayerProof, c: Fr, m: usize, n: usize, wp: &HyraxParams, ap: &HyraxParams, extra: &[Fr], extra_value: Fr) -> Result<(), VerifyError> {
        let mut t = tr();
        p.w_comm.absorb(&mut t);
        p.a_comm.absorb(&mut t);
        let rho = t.challenge_frs(log2_ceil(m));
        t.absorb_fr(b"dense claim", &c);
        let cl = verify_dense(&p.dense, c, m, n, &rho, &mut t)?;
        let w_point: Vec<Fr> = cl.sigma.iter().chain(&rho).copied().collect();
        verify_opening(wp, &p.w_comm, &w_point, cl.w_eval, &p.w_open, &mut t)?;
        let points = vec![cl.sigma.clone(), extra.to_vec()];
        let (s, a_s) = verify_batch(&p.a_batch, &points, &[cl.a_eval, extra_value], log2_ceil(n), &mut t)?;
        verify_opening(ap, &p.a_comm, &s, a_s, &p.a_open, &mut t)
    }

    #[test]
    fn a_committed_dense_layer_end_to_end() {
        let mut rng = test_rng();
        let (m, n) = (6, 20);
        let w: Vec<i64> = (0..m * n).map(|_| rng.gen_range(-128..=127)).collect();
        let a: Vec<i64> = (0..n).map(|_| rng.gen_range(0..=255)).collect();
        let wp = HyraxParams::new(b"zkml-test-w", log2_ceil(m) + log2_ceil(n));
        let ap = HyraxParams::new(b"zkml-test-a", log2_ceil(n));
        let extra: Vec<Fr> = (0..log2_ceil(n)).map(|_| Fr::rand(&mut rng)).collect();
        let extra_value = Mle::from_i64(&a).evaluate(&extra);
        let p = prove_layer(&w, m, n, &a, &wp, &ap, &extra);
        assert_eq!(verify_layer(&p, p.c, m, n, &wp, &ap, &extra, extra_value), Ok(()));
        // A wrong c, a wrong second claim on a.
        assert!(verify_layer(&p, p.c + Fr::one(), m, n, &wp, &ap, &extra, extra_value).is_err());
        assert!(verify_layer(&p, p.c, m, n, &wp, &ap, &extra, extra_value + Fr::one()).is_err());
        // Other weights proved honestly against the committed ones: the W opening fails.
        let mut w2 = w.clone();
        w2[7] += 1;
        let mut forged = prove_layer(&w2, m, n, &a, &wp, &ap, &extra);
        forged.w_comm = p.w_comm.clone();
        assert!(verify_layer(&forged, forged.c, m, n, &wp, &ap, &extra, extra_value).is_err());
        // Every message changed in turn.
        let tweaks: [fn(&mut LayerProof); 9] = [
            |p| p.dense.sumcheck.rounds[0][2] += Fr::one(),
            |p| p.dense.w_eval += Fr::one(),
            |p| p.dense.a_eval += Fr::one(),
            |p| p.w_open.u[0] += Fr::one(),
            |p| p.a_batch.sumcheck.rounds[1][0] += Fr::one(),
            |p| p.a_batch.p_eval += Fr::one(),
            |p| p.a_open.u[1] += Fr::one(),
            |p| p.w_comm.rows.swap(0, 1),
            |p| p.a_comm.rows.reverse(),
        ];
        for (i, tweak) in tweaks.iter().enumerate() {
            let mut q = prove_layer(&w, m, n, &a, &wp, &ap, &extra);
            tweak(&mut q);
            assert!(verify_layer(&q, q.c, m, n, &wp, &ap, &extra, extra_value).is_err(), "tweak {i}");
        }
    }
}
