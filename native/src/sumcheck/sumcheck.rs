//! The sumcheck protocol for `claim = sum_{x in {0,1}^k} prod_{i<d} f_i(x)`, f_i multilinear (d = 2 for a
//! product f*g, d = 3 for a zerocheck eq*f*g), prover and verifier apart.
//!
//! Messages: in round j (binding variable j, the index's bit j) the prover sends its round polynomial
//! g_j(X) = sum over the remaining cube of prod_i f_i(r_0..r_{j-1}, X, ...) as its d + 1 evaluations at
//! X = 0, 1, ..., d (all of them: g(1) is not derived from the claim, so the verifier's g(0) + g(1) check is
//! explicit and a message of the wrong length is refused before anything else).
//!
//! Transcript, in order (both sides): `absorb_frs("sumcheck claim", [claim, k, d])`, then per round
//! `absorb_frs("sumcheck round", [g_j(0), ..., g_j(d)])` and `r_j = challenge_fr()`.
//! The verifier ends with (r, the claimed value prod_i f_i(r)); the caller must check that value against what it
//! computes itself or opens from a commitment: the sumcheck alone does not.

use super::error::VerifyError;
use super::mle::{inner_product, Mle, PAR_THRESHOLD};
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, One, Zero};
use rayon::prelude::*;

/// The largest number of factors (the degree of the round polynomials) the prover handles.
pub const MAX_DEGREE: usize = 8;

/// The prover's messages: one round polynomial per variable, each as its evaluations at 0..=d.
#[derive(Clone, Debug, PartialEq)]
pub struct SumcheckProof {
    pub rounds: Vec<Vec<Fr>>,
}

/// What the prover ends with besides the proof.
#[derive(Clone, Debug)]
pub struct ProverOutput {
    pub proof: SumcheckProof,
    /// The sum it proved (computed from the factors).
    pub claim: Fr,
    /// The challenges r_0..r_{k-1}, in variable order.
    pub point: Vec<Fr>,
    /// Each factor's value at the point: f_i(point).
    pub factor_evals: Vec<Fr>,
}


pub(crate) fn absorb_claim(t: &mut Transcript, claim: &Fr, num_vars: usize, degree: usize) {
    t.absorb_frs(b"sumcheck claim", &[*claim, Fr::from(num_vars as u64), Fr::from(degree as u64)]);
}

/// sum_x prod_i f_i(x) over the cube (the claim the prover proves).
pub fn product_sum(factors: &[Mle]) -> Fr {
    let n = factors[0].evals.len();
    let term = |x: usize| factors.iter().map(|f| f.evals[x]).product::<Fr>();
    if n >= PAR_THRESHOLD {
        (0..n).into_par_iter().map(term).sum()
    } else {
        (0..n).map(term).sum()
    }
}

/// The round polynomial's evaluations at 0..=d for the factors' current tables (this round binds their
/// variable 0: entries 2b and 2b+1 pair up).
pub(crate) fn round_evals(factors: &[Mle]) -> Vec<Fr> {
    let d = factors.len();
    let half = factors[0].evals.len() / 2;
    // Adds, for pairs b in `range`, prod_i (lo_i + X (hi_i - lo_i)) at X = 0..=d into acc. Degrees 2 and 3 are
    // written out (their products by hand, no multiplication by one); others go through the generic loop.
    let accumulate = |range: std::ops::Range<usize>, acc: &mut [Fr; MAX_DEGREE + 1]| match d {
        2 => {
            let (f, g) = (&factors[0].evals, &factors[1].evals);
            for b in range {
                let (f0, f1, g0, g1) = (f[2 * b], f[2 * b + 1], g[2 * b], g[2 * b + 1]);
                acc[0] += f0 * g0;
                acc[1] += f1 * g1;
                acc[2] += (f1.double() - f0) * (g1.double() - g0);
            }
        }
        3 => {
            let (e, f, g) = (&factors[0].evals, &factors[1].evals, &factors[2].evals);
            for b in range {
                let (e0, e1, f0, f1, g0, g1) = (e[2 * b], e[2 * b + 1], f[2 * b], f[2 * b + 1], g[2 * b], g[2 * b + 1]);
                acc[0] += e0 * f0 * g0;
                acc[1] += e1 * f1 * g1;
                let (de, df, dg) = (e1 - e0, f1 - f0, g1 - g0);
                let (e2, f2, g2) = (e1 + de, f1 + df, g1 + dg);
                acc[2] += e2 * f2 * g2;
                acc[3] += (e2 + de) * (f2 + df) * (g2 + dg);
            }
        }
        _ => {
            let mut v = [Fr::zero(); MAX_DEGREE];
            let mut dv = [Fr::zero(); MAX_DEGREE];
            for b in range {
                for (i, f) in factors.iter().enumerate() {
                    let (lo, hi) = (f.evals[2 * b], f.evals[2 * b + 1]);
                    v[i] = lo;
                    dv[i] = hi - lo;
                }
                for a in acc.iter_mut().take(d + 1) {
                    *a += v[1..d].iter().fold(v[0], |p, x| p * x);
                    for i in 0..d {
                        v[i] += dv[i];
                    }
                }
            }
        }
    };
    let acc = if half >= PAR_THRESHOLD {
        const CHUNK: usize = 1 << 10;
        (0..half.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut acc = [Fr::zero(); MAX_DEGREE + 1];
                accumulate(c * CHUNK..((c + 1) * CHUNK).min(half), &mut acc);
                acc
            })
            .reduce(
                || [Fr::zero(); MAX_DEGREE + 1],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x += y;
                    }
                    a
                },
            )
    } else {
        let mut acc = [Fr::zero(); MAX_DEGREE + 1];
        accumulate(0..half, &mut acc);
        acc
    };
    acc[..d + 1].to_vec()
}

/// Proves sum_x prod_i f_i(x) (the factors' own sum, returned as `claim`). Consumes the factors (they are folded
/// in place). Transcript: the claim, then each round's message before its challenge (module doc).
pub fn prove(mut factors: Vec<Mle>, t: &mut Transcript) -> ProverOutput {
    let d = factors.len();
    assert!((1..=MAX_DEGREE).contains(&d), "between 1 and {MAX_DEGREE} factors");
    let k = factors[0].num_vars;
    assert!(factors.iter().all(|f| f.num_vars == k), "factors of different sizes");
    // The claim is g_0(0) + g_0(1): the first round's message gives it without a separate pass.
    let first = (k > 0).then(|| round_evals(&factors));
    let claim = match &first {
        Some(g) => g[0] + g[1],
        None => product_sum(&factors),
    };
    absorb_claim(t, &claim, k, d);
    let mut rounds = Vec::with_capacity(k);
    let mut point = Vec::with_capacity(k);
    let mut first = first;
    for _ in 0..k {
        let g = first.take().unwrap_or_else(|| round_evals(&factors));
        t.absorb_frs(b"sumcheck round", &g);
        let r = t.challenge_fr();
        if factors[0].evals.len() / 2 >= PAR_THRESHOLD {
            // Each fold is parallel inside; the factors go one after the other.
            factors.iter_mut().for_each(|f| f.fix_first_variable(r));
        } else {
            factors.par_iter_mut().for_each(|f| f.fix_first_variable(r));
        }
        rounds.push(g);
        point.push(r);
    }
    let factor_evals = factors.iter().map(|f| f.evals[0]).collect();
    ProverOutput { proof: SumcheckProof { rounds }, claim, point, factor_evals }
}

/// g(r) for the polynomial of degree < evals.len() through (j, evals[j]), j = 0..len, by Lagrange's formula.
pub fn interpolate(evals: &[Fr], r: Fr) -> Fr {
    inner_product(evals, &lagrange_basis(evals.len(), r))
}

/// The Lagrange basis on the nodes 0..n at r: L_i(r) for i < n, so that g(r) = sum_i g(i) L_i(r) for g of degree
/// below n (a zero-knowledge mask stored by its values reads its value at r through these weights).
pub fn lagrange_basis(n: usize, r: Fr) -> Vec<Fr> {
    let diffs: Vec<Fr> = (0..n).map(|j| r - Fr::from(j as u64)).collect();
    // prefix[i] = prod_{j<i} (r - j), suffix[i] = prod_{j>i} (r - j).
    let mut prefix = vec![Fr::one(); n + 1];
    for j in 0..n {
        prefix[j + 1] = prefix[j] * diffs[j];
    }
    let mut suffix = vec![Fr::one(); n + 1];
    for j in (0..n).rev() {
        suffix[j] = suffix[j + 1] * diffs[j];
    }
    let with = |inv: &[Fr]| (0..n).map(|i| prefix[i] * suffix[i + 1] * inv[i]).collect();
    match LAGRANGE_DEN_INV.get(n) {
        Some(inv) => with(inv),
        None => with(&lagrange_den_inv(n)),
    }
}

/// The number of nodes whose Lagrange denominators are kept inverted (rounds of degree up to MAX_DEGREE).
const LAGRANGE_CACHED: usize = MAX_DEGREE + 2;

/// 1 / (i! (n-1-i)! (-1)^(n-1-i)) for i < n: the denominators of the Lagrange weights on the nodes 0..n.
fn lagrange_den_inv(n: usize) -> Vec<Fr> {
    let mut fact = vec![Fr::one(); n.max(1)];
    for i in 1..n {
        fact[i] = fact[i - 1] * Fr::from(i as u64);
    }
    (0..n)
        .map(|i| {
            let den = fact[i] * fact[n - 1 - i];
            let den = if (n - 1 - i) % 2 == 1 { -den } else { den };
            den.inverse().expect("non-zero: small factorials")
        })
        .collect()
}

/// lagrange_den_inv(n) for every n < LAGRANGE_CACHED, computed once (interpolate runs once a sumcheck round, and
/// its inversions were most of a logUp layer's small rounds).
static LAGRANGE_DEN_INV: LazyDenominators = LazyDenominators(std::sync::OnceLock::new());

struct LazyDenominators(std::sync::OnceLock<Vec<Vec<Fr>>>);

impl LazyDenominators {
    fn get(&self, n: usize) -> Option<&[Fr]> {
        (n < LAGRANGE_CACHED).then(|| self.0.get_or_init(|| (0..LAGRANGE_CACHED).map(lagrange_den_inv).collect())[n].as_slice())
    }
}

/// Checks a sumcheck proof of `claim` over `num_vars` variables with round polynomials of degree `degree`:
/// the round count, each message's length (exactly degree + 1), g(0) + g(1) against the running claim, then
/// absorbs the message, draws r and takes g(r) as the next claim. Returns (r, the final claim): the caller checks
/// that value (prod_i f_i(r)) against its own evaluations or openings.
pub fn verify(
    proof: &SumcheckProof,
    claim: Fr,
    num_vars: usize,
    degree: usize,
    t: &mut Transcript,
) -> Result<(Vec<Fr>, Fr), VerifyError> {
    if proof.rounds.len() != num_vars {
        return Err(VerifyError::RoundCount { got: proof.rounds.len(), expected: num_vars });
    }
    absorb_claim(t, &claim, num_vars, degree);
    let mut e = claim;
    let mut point = Vec::with_capacity(num_vars);
    for (round, g) in proof.rounds.iter().enumerate() {
        if g.len() != degree + 1 {
            return Err(VerifyError::Degree { round, got: g.len(), expected: degree + 1 });
        }
        if g[0] + g[1] != e {
            return Err(VerifyError::RoundSum { round });
        }
        t.absorb_frs(b"sumcheck round", g);
        let r = t.challenge_fr();
        e = interpolate(g, r);
        point.push(r);
    }
    Ok((point, e))
}

#[cfg(test)]
mod tests {
    use super::super::mle::{eq_eval, eq_table};
    use super::*;
    use ark_std::{test_rng, UniformRand};

    fn rand_mle(k: usize, rng: &mut impl ark_std::rand::Rng) -> Mle {
        Mle::new((0..1 << k).map(|_| Fr::rand(rng)).collect())
    }

    fn tr() -> Transcript {
        Transcript::new(b"sumcheck-test")
    }

    #[test]
    fn interpolation_is_exact() {
        let mut rng = test_rng();
        for n in 1..6 {
            let coeffs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let p = |x: Fr| coeffs.iter().rev().fold(Fr::zero(), |a, c| a * x + c);
            let evals: Vec<Fr> = (0..n).map(|j| p(Fr::from(j as u64))).collect();
            let r = Fr::rand(&mut rng);
            assert_eq!(interpolate(&evals, r), p(r));
            assert_eq!(interpolate(&evals, Fr::from(1u64)), evals.get(1).copied().unwrap_or(evals[0]));
        }
    }

    #[test]
    fn honest_products_verify() {
        let mut rng = test_rng();
        for k in 0..=12 {
            let (f, g) = (rand_mle(k, &mut rng), rand_mle(k, &mut rng));
            let out = prove(vec![f.clone(), g.clone()], &mut tr());
            assert_eq!(out.claim, product_sum(&[f.clone(), g.clone()]));
            let (point, value) = verify(&out.proof, out.claim, k, 2, &mut tr()).expect("honest proof");
            assert_eq!(point, out.point);
            assert_eq!(value, f.evaluate(&point) * g.evaluate(&point), "k = {k}");
            assert_eq!(out.factor_evals, vec![f.evaluate(&point), g.evaluate(&point)]);
        }
    }

    #[test]
    fn honest_parallel_size_and_single_factor() {
        let mut rng = test_rng();
        let k = 14;
        let (f, g) = (rand_mle(k, &mut rng), rand_mle(k, &mut rng));
        let out = prove(vec![f.clone(), g.clone()], &mut tr());
        let (point, value) = verify(&out.proof, out.claim, k, 2, &mut tr()).unwrap();
        assert_eq!(value, f.evaluate(&point) * g.evaluate(&point));
        let out = prove(vec![f.clone()], &mut tr());
        assert_eq!(out.claim, f.evals.iter().sum::<Fr>());
        let (point, value) = verify(&out.proof, out.claim, k, 1, &mut tr()).unwrap();
        assert_eq!(value, f.evaluate(&point));
    }

    #[test]
    fn honest_generic_degrees() {
        let mut rng = test_rng();
        for d in [1, 4, 5, MAX_DEGREE] {
            for k in [0, 3, 13] {
                let factors: Vec<Mle> = (0..d).map(|_| rand_mle(k, &mut rng)).collect();
                let out = prove(factors.clone(), &mut tr());
                assert_eq!(out.claim, product_sum(&factors));
                let (point, value) = verify(&out.proof, out.claim, k, d, &mut tr()).unwrap();
                assert_eq!(value, factors.iter().map(|f| f.evaluate(&point)).product::<Fr>(), "d = {d}, k = {k}");
            }
        }
    }

    #[test]
    fn honest_zerocheck_eq_f_g() {
        let mut rng = test_rng();
        for k in [1, 4, 9, 13] {
            let tau: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
            let (f, g) = (rand_mle(k, &mut rng), rand_mle(k, &mut rng));
            // Make f*g vanish on the cube except where it should not: g = 0 where f != 0 on half the points.
            let mut g = g;
            for x in 0..1 << k {
                if x % 2 == 0 {
                    g.evals[x] = Fr::zero();
                }
            }
            let eq = Mle::new(eq_table(&tau));
            let out = prove(vec![eq, f.clone(), g.clone()], &mut tr());
            let (point, value) = verify(&out.proof, out.claim, k, 3, &mut tr()).unwrap();
            assert_eq!(value, eq_eval(&tau, &point) * f.evaluate(&point) * g.evaluate(&point));
            // The claim is sum eq(tau, x) f(x) g(x) = (f g)~(tau) for the pointwise product's MLE.
            let fg = Mle::new(f.evals.iter().zip(&g.evals).map(|(a, b)| *a * b).collect());
            assert_eq!(out.claim, fg.evaluate(&tau));
        }
    }

    /// Accepted and consistent: verify passes and its final value is prod f_i(point) computed by the caller.
    fn accepted(proof: &SumcheckProof, claim: Fr, factors: &[Mle], degree: usize) -> bool {
        let k = factors[0].num_vars;
        match verify(proof, claim, k, degree, &mut tr()) {
            Ok((point, value)) => value == factors.iter().map(|f| f.evaluate(&point)).product::<Fr>(),
            Err(_) => false,
        }
    }

    #[test]
    fn tampering_is_rejected() {
        let mut rng = test_rng();
        let k = 5;
        for degree in [2usize, 3] {
            let factors: Vec<Mle> = (0..degree).map(|_| rand_mle(k, &mut rng)).collect();
            let out = prove(factors.clone(), &mut tr());
            assert!(accepted(&out.proof, out.claim, &factors, degree));
            // Every evaluation of every round.
            for round in 0..k {
                for j in 0..=degree {
                    let mut p = out.proof.clone();
                    p.rounds[round][j] += Fr::one();
                    assert!(!accepted(&p, out.claim, &factors, degree), "round {round} eval {j}");
                }
            }
            // The claim.
            assert_eq!(
                verify(&out.proof, out.claim + Fr::one(), k, degree, &mut tr()),
                Err(VerifyError::RoundSum { round: 0 })
            );
            // The final value: the prover's stated factor evaluations changed no longer multiply to it.
            let (_, value) = verify(&out.proof, out.claim, k, degree, &mut tr()).unwrap();
            assert_eq!(value, out.factor_evals.iter().product::<Fr>());
            let mut evals = out.factor_evals.clone();
            evals[degree - 1] += Fr::one();
            assert_ne!(value, evals.iter().product::<Fr>());
            // A different transcript (another statement absorbed before) moves the challenges: the second round's
            // sum no longer matches.
            let mut t = tr();
            t.absorb_bytes(b"other", b"statement");
            assert_eq!(verify(&out.proof, out.claim, k, degree, &mut t), Err(VerifyError::RoundSum { round: 1 }));
        }
    }

    #[test]
    fn wrong_message_lengths_are_rejected() {
        let mut rng = test_rng();
        let k = 4;
        let factors = vec![rand_mle(k, &mut rng), rand_mle(k, &mut rng)];
        let out = prove(factors.clone(), &mut tr());
        // A degree-3 message in a degree-2 sumcheck (an honest degree-3 sum of the same claim shape).
        let mut p = out.proof.clone();
        p.rounds[1].push(Fr::zero());
        assert_eq!(verify(&p, out.claim, k, 2, &mut tr()), Err(VerifyError::Degree { round: 1, got: 4, expected: 3 }));
        let mut p = out.proof.clone();
        p.rounds[2].pop();
        assert_eq!(verify(&p, out.claim, k, 2, &mut tr()), Err(VerifyError::Degree { round: 2, got: 2, expected: 3 }));
        // A proof made for degree 3 checked as degree 2 and the reverse.
        let three = vec![rand_mle(k, &mut rng), rand_mle(k, &mut rng), rand_mle(k, &mut rng)];
        let out3 = prove(three, &mut tr());
        assert!(matches!(verify(&out3.proof, out3.claim, k, 2, &mut tr()), Err(VerifyError::Degree { round: 0, .. })));
        assert!(matches!(verify(&out.proof, out.claim, k, 3, &mut tr()), Err(VerifyError::Degree { round: 0, .. })));
        // One round too many or too few.
        let mut p = out.proof.clone();
        p.rounds.push(vec![Fr::zero(); 3]);
        assert_eq!(verify(&p, out.claim, k, 2, &mut tr()), Err(VerifyError::RoundCount { got: 5, expected: 4 }));
        let mut p = out.proof.clone();
        p.rounds.pop();
        assert_eq!(verify(&p, out.claim, k, 2, &mut tr()), Err(VerifyError::RoundCount { got: 3, expected: 4 }));
    }

    /// Prover time for 2^20 and 2^22 tables, degree 2 and 3.
    /// `cargo test --release measure_sumcheck -- --ignored --nocapture --test-threads=1`.
    #[test]
    #[ignore]
    fn measure_sumcheck() {
        let mut rng = test_rng();
        for k in [20, 22] {
            let factors: Vec<Mle> = (0..3).map(|_| rand_mle(k, &mut rng)).collect();
            for d in [2, 3] {
                let (t, c0) = (std::time::Instant::now(), crate::sumcheck::cpu_seconds());
                let out = prove(factors[..d].to_vec(), &mut tr());
                let ms = t.elapsed().as_secs_f64() * 1e3;
                let cpu = crate::sumcheck::cpu_seconds() - c0;
                let t = std::time::Instant::now();
                verify(&out.proof, out.claim, k, d, &mut tr()).unwrap();
                println!(
                    "sumcheck 2^{k}, degree {d}: prove {ms:.0} ms wall ({cpu:.2} s CPU, with the factors' copies), verify {:.2} ms",
                    t.elapsed().as_secs_f64() * 1e3
                );
            }
        }
    }

    #[test]
    fn a_false_claim_cannot_be_proved_by_a_consistent_forgery() {
        // A prover that claims sum + 1 and adjusts g_0 to pass the first check (g_0(0) += 1) leaves a round
        // polynomial that is no longer the true one: the final value then differs from the factors' product.
        let mut rng = test_rng();
        let k = 6;
        let factors = vec![rand_mle(k, &mut rng), rand_mle(k, &mut rng)];
        let out = prove(factors.clone(), &mut tr());
        let mut p = out.proof.clone();
        p.rounds[0][0] += Fr::one();
        assert!(!accepted(&p, out.claim + Fr::one(), &factors, 2));
    }
}

