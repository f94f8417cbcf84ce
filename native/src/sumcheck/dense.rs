//! A dense layer's matrix-vector product by one degree-2 sumcheck: for W (m x n, row-major) and a (n), with
//! z = W a, the claim c = z~(rho) at the verifier's rho (log2 m coordinates) is reduced to
//! `sum_{j in {0,1}^log n} W~(rho, j) a~(j) = c` and, after the sumcheck, to two evaluation claims:
//! W~(rho, sigma) and a~(sigma). The bias stays out: the caller subtracts b~(rho) from its z claim first.
//!
//! Padding and variable order: m and n are padded to M = 2^mu and N = 2^nu with zeros; W is the flattened M x N
//! row-major table (row stride N), so its MLE's variables 0..nu are the column bits and nu..nu+mu the row bits:
//! W~(rho, sigma) is that MLE at the point (sigma || rho).
//!
//! Transcript, in order: the sumcheck's (its claim c, sizes, each round), then
//! `absorb_frs("dense evals", [W~(rho, sigma), a~(sigma)])`. rho is drawn by the caller before.

use super::error::VerifyError;
use super::fold::{fold_rows, FoldMethod};
use super::mle::{eq_table, fr_from_i64, log2_ceil, Mle};
use super::sumcheck::{self, SumcheckProof};
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{One, Zero};

/// The dense layer's proof: the sumcheck's rounds and the two claimed evaluations it ends on.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseProof {
    pub sumcheck: SumcheckProof,
    /// W~(rho, sigma).
    pub w_eval: Fr,
    /// a~(sigma).
    pub a_eval: Fr,
}

/// What the prover ends with: the proof, the claim it proved (c = (W a)~(rho)), sigma and the two evaluations.
#[derive(Clone, Debug)]
pub struct DenseProverOutput {
    pub proof: DenseProof,
    pub claim: Fr,
    pub sigma: Vec<Fr>,
    pub w_eval: Fr,
    pub a_eval: Fr,
}

/// What the verifier ends with: sigma and the two evaluation claims it must still check (by openings, or
/// itself for a public vector).
#[derive(Clone, Debug, PartialEq)]
pub struct DenseClaims {
    pub sigma: Vec<Fr>,
    pub w_eval: Fr,
    pub a_eval: Fr,
}

/// W (m x n, row-major) padded with zeros to 2^mu x 2^nu, row-major with row stride 2^nu: the table whose MLE is W~.
pub fn pad_matrix(w: &[i64], m: usize, n: usize) -> Vec<i64> {
    assert_eq!(w.len(), m * n);
    let (mm, nn) = (1 << log2_ceil(m), 1 << log2_ceil(n));
    let mut out = vec![0i64; mm * nn];
    for i in 0..m {
        out[i * nn..i * nn + n].copy_from_slice(&w[i * n..(i + 1) * n]);
    }
    out
}

/// c = (W a)~(rho): the product computed in i128, its MLE evaluated at rho (what the prover claims; a verifier
/// gets it from the next layer's claims instead).
pub fn output_claim(w: &[i64], m: usize, n: usize, a: &[i64], rho: &[Fr]) -> Fr {
    assert_eq!(w.len(), m * n);
    assert_eq!(a.len(), n);
    let z: Vec<Fr> = (0..m)
        .map(|i| Fr::from(w[i * n..(i + 1) * n].iter().zip(a).map(|(&x, &y)| x as i128 * y as i128).sum::<i128>()))
        .collect();
    Mle::new(z).evaluate(rho)
}

/// Proves sum_j W~(rho, j) a~(j) = (W a)~(rho): folds W along eq(rho) (O(mn) small-integer work, `method`),
/// runs the degree-2 sumcheck over log2 n variables, then absorbs the two final evaluations.
pub fn prove_dense_with(w: &[i64], m: usize, n: usize, a: &[i64], rho: &[Fr], t: &mut Transcript, method: FoldMethod) -> DenseProverOutput {
    assert_eq!(w.len(), m * n, "W is not m x n");
    assert_eq!(a.len(), n, "a is not of length n");
    assert_eq!(rho.len(), log2_ceil(m), "rho must have log2 m coordinates");
    // W~(rho, j) for every column j: the rows past m are zero, so only the first m weights matter.
    let eq = eq_table(rho);
    let folded = Mle::new(fold_rows(w, m, n, &eq, method));
    let a_mle = Mle::from_i64(a);
    let out = sumcheck::prove(vec![folded, a_mle], t);
    let (w_eval, a_eval) = (out.factor_evals[0], out.factor_evals[1]);
    t.absorb_frs(b"dense evals", &[w_eval, a_eval]);
    DenseProverOutput {
        proof: DenseProof { sumcheck: out.proof, w_eval, a_eval },
        claim: out.claim,
        sigma: out.point,
        w_eval,
        a_eval,
    }
}

/// prove_dense (the same messages and transcript) with W folded along eq(rho) one run of rows at a time: `rows`
/// are m's aligned power-of-two runs (offset, log2 length; network.rs's `pow2_parts`), and run B's fold
/// g_B(j) = sum_{i < 2^rl} eq(rho[..rl], i) W[o + i][j] is returned beside the proof, so W_BC~(sigma_low || rho_low),
/// the committed blocks' evaluations, are inner products of g_B's column runs with eq(sigma_low) (W read once,
/// not once for the sumcheck and again per block). The sumcheck's table is sum_B eq(rho[rl..], o >> rl) g_B.
pub fn prove_dense_rows(w: &[i64], m: usize, n: usize, a: &[i64], rho: &[Fr], rows: &[(usize, usize)], t: &mut Transcript) -> (DenseProverOutput, Vec<Vec<Fr>>) {
    assert_eq!(a.len(), n, "a is not of length n");
    prove_dense_rows_mle(w, m, n, Mle::from_i64(a), rho, rows, t)
}

/// prove_dense_rows with the vector given as field values (a conv's folded im2col, conv.rs), padded to 2^log2 n.
pub fn prove_dense_rows_mle(w: &[i64], m: usize, n: usize, a: Mle, rho: &[Fr], rows: &[(usize, usize)], t: &mut Transcript) -> (DenseProverOutput, Vec<Vec<Fr>>) {
    assert_eq!(w.len(), m * n, "W is not m x n");
    assert_eq!(a.num_vars, log2_ceil(n), "a is not of length n");
    assert_eq!(rho.len(), log2_ceil(m), "rho must have log2 m coordinates");
    let mut end = 0;
    for &(o, l) in rows {
        assert!(o == end && o % (1 << l) == 0, "row runs must be aligned and consecutive");
        end += 1 << l;
    }
    assert_eq!(end, m, "row runs must cover the m rows");
    let folds: Vec<Vec<Fr>> = rows.iter().map(|&(o, l)| fold_rows(&w[o * n..(o + (1 << l)) * n], 1 << l, n, &eq_table(&rho[..l]), FoldMethod::Auto)).collect();
    let mut f = vec![Fr::zero(); n];
    for (&(o, l), g) in rows.iter().zip(&folds) {
        let c: Fr = (l..rho.len()).map(|b| if (o >> b) & 1 == 1 { rho[b] } else { Fr::one() - rho[b] }).product();
        for (x, y) in f.iter_mut().zip(g) {
            *x += c * y;
        }
    }
    let out = sumcheck::prove(vec![Mle::new(f), a], t);
    let (w_eval, a_eval) = (out.factor_evals[0], out.factor_evals[1]);
    t.absorb_frs(b"dense evals", &[w_eval, a_eval]);
    let out = DenseProverOutput { proof: DenseProof { sumcheck: out.proof, w_eval, a_eval }, claim: out.claim, sigma: out.point, w_eval, a_eval };
    (out, folds)
}

/// prove_dense_with, the folding method chosen from the values' range (FoldMethod::Auto).
pub fn prove_dense(w: &[i64], m: usize, n: usize, a: &[i64], rho: &[Fr], t: &mut Transcript) -> DenseProverOutput {
    prove_dense_with(w, m, n, a, rho, t, FoldMethod::Auto)
}

/// Checks a dense proof of c = sum_j W~(rho, j) a~(j): rho's length, the sumcheck (degree 2, log2 n rounds) and
/// that its final value is w_eval * a_eval; absorbs the two evaluations. Returns sigma and the two claims, which
/// the caller must check against openings (W~ at (sigma || rho), a~ at sigma) or its own evaluations.
pub fn verify_dense(proof: &DenseProof, c: Fr, m: usize, n: usize, rho: &[Fr], t: &mut Transcript) -> Result<DenseClaims, VerifyError> {
    if rho.len() != log2_ceil(m) {
        return Err(VerifyError::Shape { what: "dense rho", got: rho.len(), expected: log2_ceil(m) });
    }
    let (sigma, value) = sumcheck::verify(&proof.sumcheck, c, log2_ceil(n), 2, t)?;
    if value != proof.w_eval * proof.a_eval {
        return Err(VerifyError::FinalValue { what: "dense layer" });
    }
    t.absorb_frs(b"dense evals", &[proof.w_eval, proof.a_eval]);
    Ok(DenseClaims { sigma, w_eval: proof.w_eval, a_eval: proof.a_eval })
}

/// W~(rho, sigma) computed from W itself: the padded table's MLE at (sigma || rho) (for tests and for a verifier
/// that holds W in the clear).
pub fn w_mle_eval(w: &[i64], m: usize, n: usize, rho: &[Fr], sigma: &[Fr]) -> Fr {
    let point: Vec<Fr> = sigma.iter().chain(rho).copied().collect();
    Mle::from_i64(&pad_matrix(w, m, n)).evaluate(&point)
}

/// a~(sigma) computed from a itself.
pub fn vec_mle_eval(a: &[i64], sigma: &[Fr]) -> Fr {
    Mle::new(a.iter().map(|&x| fr_from_i64(x)).collect()).evaluate(sigma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::{rand::Rng, test_rng, UniformRand};

    fn tr() -> Transcript {
        let mut t = Transcript::new(b"dense-test");
        t.absorb_bytes(b"statement", b"a model");
        t
    }

    fn random_layer(m: usize, n: usize, rng: &mut impl Rng) -> (Vec<i64>, Vec<i64>, Vec<Fr>) {
        let w = (0..m * n).map(|_| rng.gen_range(-128..=127)).collect();
        let a = (0..n).map(|_| rng.gen_range(0..=255)).collect();
        let rho = (0..log2_ceil(m)).map(|_| Fr::rand(rng)).collect();
        (w, a, rho)
    }

    /// The verifier's whole check: the sumcheck, then the two claims against the true W and a.
    fn accepts(proof: &DenseProof, c: Fr, w: &[i64], m: usize, n: usize, a: &[i64], rho: &[Fr]) -> bool {
        match verify_dense(proof, c, m, n, rho, &mut tr()) {
            Ok(cl) => cl.w_eval == w_mle_eval(w, m, n, rho, &cl.sigma) && cl.a_eval == vec_mle_eval(a, &cl.sigma),
            Err(_) => false,
        }
    }

    #[test]
    fn honest_layers_verify_including_padded_shapes() {
        let mut rng = test_rng();
        for (m, n) in [(1, 1), (1, 8), (4, 1), (4, 8), (5, 7), (16, 64), (10, 300), (33, 1000)] {
            let (w, a, rho) = random_layer(m, n, &mut rng);
            let c = output_claim(&w, m, n, &a, &rho);
            for method in [FoldMethod::FromOnTheFly, FoldMethod::Lookup, FoldMethod::RowTable] {
                let out = prove_dense_with(&w, m, n, &a, &rho, &mut tr(), method);
                assert_eq!(out.claim, c, "{m}x{n}");
                assert!(accepts(&out.proof, c, &w, m, n, &a, &rho), "{m}x{n} {method:?}");
                let cl = verify_dense(&out.proof, c, m, n, &rho, &mut tr()).unwrap();
                assert_eq!(cl.sigma, out.sigma);
                assert_eq!(cl.sigma.len(), log2_ceil(n));
            }
        }
    }

    #[test]
    fn a_changed_weight_or_activation_is_rejected() {
        let mut rng = test_rng();
        for (m, n) in [(4, 8), (5, 7), (16, 64)] {
            let (w, a, rho) = random_layer(m, n, &mut rng);
            let c = output_claim(&w, m, n, &a, &rho);
            for which in 0..2 {
                let (mut w2, mut a2) = (w.clone(), a.clone());
                if which == 0 {
                    // A weight whose activation is 0 changes nothing: pick one that counts.
                    let mut k = rng.gen_range(0..m * n);
                    while a[k % n] == 0 {
                        k = rng.gen_range(0..m * n);
                    }
                    w2[k] += 1;
                } else {
                    let k = rng.gen_range(0..n);
                    a2[k] += 1;
                }
                // The prover proves the false claim c' of other weights or activations honestly...
                let out = prove_dense(&w2, m, n, &a2, &rho, &mut tr());
                assert_ne!(out.claim, c);
                // ...which passes the sumcheck for c' but not the final check against the true W and a,
                assert!(verify_dense(&out.proof, out.claim, m, n, &rho, &mut tr()).is_ok());
                assert!(!accepts(&out.proof, out.claim, &w, m, n, &a, &rho), "{m}x{n} which {which}");
                // and fails the first round against the true claim c.
                assert_eq!(verify_dense(&out.proof, c, m, n, &rho, &mut tr()), Err(VerifyError::RoundSum { round: 0 }));
            }
        }
    }

    #[test]
    fn tampered_proofs_and_shapes_are_rejected() {
        let mut rng = test_rng();
        let (m, n) = (6, 12);
        let (w, a, rho) = random_layer(m, n, &mut rng);
        let c = output_claim(&w, m, n, &a, &rho);
        let out = prove_dense(&w, m, n, &a, &rho, &mut tr());
        assert!(accepts(&out.proof, c, &w, m, n, &a, &rho));
        let mut p = out.proof.clone();
        p.w_eval += Fr::from(1u64);
        assert_eq!(verify_dense(&p, c, m, n, &rho, &mut tr()), Err(VerifyError::FinalValue { what: "dense layer" }));
        let mut p = out.proof.clone();
        p.a_eval += Fr::from(1u64);
        assert!(verify_dense(&p, c, m, n, &rho, &mut tr()).is_err());
        for round in 0..p.sumcheck.rounds.len() {
            for j in 0..3 {
                let mut p = out.proof.clone();
                p.sumcheck.rounds[round][j] += Fr::from(1u64);
                assert!(!accepts(&p, c, &w, m, n, &a, &rho), "round {round} eval {j}");
            }
        }
        assert!(matches!(verify_dense(&out.proof, c, m, n, &rho[1..], &mut tr()), Err(VerifyError::Shape { .. })));
        assert!(matches!(verify_dense(&out.proof, c, m, 2 * n, &rho, &mut tr()), Err(VerifyError::RoundCount { .. })));
    }

    /// prove_dense_rows sends prove_dense's messages, and its row folds give every block's evaluation.
    #[test]
    fn row_runs_give_the_same_proof_and_the_blocks() {
        let mut rng = test_rng();
        let parts = crate::sumcheck::network::pow2_parts;
        for (m, n) in [(1, 1), (1, 8), (4, 1), (5, 7), (55, 20), (33, 300), (100, 1000)] {
            let (w, a, rho) = random_layer(m, n, &mut rng);
            let mut t1 = tr();
            let want = prove_dense(&w, m, n, &a, &rho, &mut t1);
            let mut t2 = tr();
            let (got, folds) = prove_dense_rows(&w, m, n, &a, &rho, &parts(m), &mut t2);
            assert_eq!((&got.proof, got.claim, &got.sigma), (&want.proof, want.claim, &want.sigma), "{m}x{n}");
            assert_eq!(t1.state(), t2.state());
            for (&(ro, rl), g) in parts(m).iter().zip(&folds) {
                for &(co, cl) in &parts(n) {
                    let block: Vec<i64> = (0..1 << rl).flat_map(|i| w[(ro + i) * n + co..(ro + i) * n + co + (1 << cl)].to_vec()).collect();
                    let pt: Vec<Fr> = got.sigma[..cl].iter().chain(&rho[..rl]).copied().collect();
                    let v = super::super::mle::inner_product(&g[co..co + (1 << cl)], &eq_table(&got.sigma[..cl]));
                    assert_eq!(v, Mle::from_i64(&block).evaluate(&pt), "{m}x{n} block ({ro}, {co})");
                }
            }
        }
    }

    /// The dense prover on 1024 x 4096 with each folding method. `cargo test --release measure_dense -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn measure_dense_1024x4096() {
        let mut rng = test_rng();
        let (m, n) = (1024, 4096);
        let (w, a, rho) = random_layer(m, n, &mut rng);
        for method in [FoldMethod::FromOnTheFly, FoldMethod::Lookup, FoldMethod::RowTable] {
            let t0 = std::time::Instant::now();
            let out = prove_dense_with(&w, m, n, &a, &rho, &mut tr(), method);
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            let t1 = std::time::Instant::now();
            let cl = verify_dense(&out.proof, out.claim, m, n, &rho, &mut tr()).unwrap();
            println!("dense 1024x4096 prove ({method:?}): {ms:.1} ms; verify (sumcheck only) {:.3} ms", t1.elapsed().as_secs_f64() * 1e3);
            assert_eq!(cl.w_eval, out.w_eval);
        }
    }
}
