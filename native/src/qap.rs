//! The H polynomial's values exactly as snarkjs defines them (groth16_prove.js): A, B on the domain from the
//! key's matrix entries and the witness, C = A*B there, then each of A, B, C interpolated (inverse NTT), shifted
//! to the odd coset (coefficient i times w_2n^i, w_2n the 2n-th root of unity ffjavascript uses) and evaluated
//! there (NTT); H's scalars are A*B - C on that coset. The key's H points were made for these scalars, so no
//! division by the vanishing polynomial is needed. ark-bn254's two-adic root comes from the same generator (5)
//! as ffjavascript's, so both use the same domain.

use crate::zkey::Coef;
use ark_bn254::Fr;
use ark_ff::{FftField, Field, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rayon::prelude::*;

/// A and B at the domain's points: row c of each matrix times the witness.
pub fn ab_at_domain(coefs: &[Coef], w: &[Fr], n: usize) -> (Vec<Fr>, Vec<Fr>) {
    let mut a = vec![Fr::zero(); n];
    let mut b = vec![Fr::zero(); n];
    for k in coefs {
        let v = k.value * w[k.wire as usize];
        if k.matrix == 0 {
            a[k.constraint as usize] += v;
        } else {
            b[k.constraint as usize] += v;
        }
    }
    (a, b)
}

fn to_odd_coset(domain: &Radix2EvaluationDomain<Fr>, shift: Fr, v: &mut Vec<Fr>) {
    domain.ifft_in_place(v);
    const CHUNK: usize = 1 << 12;
    v.par_chunks_mut(CHUNK).enumerate().for_each(|(k, chunk)| {
        let mut p = shift.pow([(k * CHUNK) as u64]);
        for x in chunk.iter_mut() {
            *x *= p;
            p *= shift;
        }
    });
    domain.fft_in_place(v);
}

/// H's scalars from A and B on the domain (consumed).
pub fn h_scalars(mut a: Vec<Fr>, mut b: Vec<Fr>) -> Vec<Fr> {
    let n = a.len();
    let domain = Radix2EvaluationDomain::<Fr>::new(n).expect("a power-of-two domain within BN254's two-adicity");
    let shift = Fr::get_root_of_unity(2 * n as u64).expect("BN254 has 2^28-th roots of unity");
    let mut c: Vec<Fr> = a.par_iter().zip(b.par_iter()).map(|(x, y)| *x * y).collect();
    to_odd_coset(&domain, shift, &mut a);
    to_odd_coset(&domain, shift, &mut b);
    to_odd_coset(&domain, shift, &mut c);
    a.par_iter_mut().zip(b.par_iter()).zip(c.par_iter()).for_each(|((x, y), z)| *x = *x * y - z);
    a
}
