//! Groth16 proving on a snarkjs proving key, as snarkjs proves (groth16_prove.js), with its checks:
//!   pi_a = alpha1 + sum w_i A_i + r delta1
//!   pi_b = beta2 + sum w_i B2_i + s delta2          (B1 alike in G1, for pi_c)
//!   pi_c = sum_{private} w_i C_i + sum h_j H_j + s pi_a + r B1 - r s delta1
//! Before proving: the witness must satisfy the circuit's R1CS (a clear error names the first broken constraint).
//! After: the proof must pass the pairing check against the key's own verification key, so a key damaged in a
//! way no size or curve check sees gives an error, never a wrong proof.

use crate::error::{ProverError, Result};
use crate::qap::{ab_at_domain, h_scalars};
use crate::r1cs::first_unsatisfied;
use crate::wtns::read_witness;
use crate::zkey::Zkey;
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_std::UniformRand;
use ark_ff::Zero;
use std::time::Instant;

pub struct Proof {
    pub a: G1Affine,
    pub b: G2Affine,
    pub c: G1Affine,
    pub public: Vec<Fr>,
    /// (phase, milliseconds) in the order they ran.
    pub timings: Vec<(String, f64)>,
}

struct Clock(Instant, Vec<(String, f64)>);

impl Clock {
    fn lap(&mut self, what: &str) {
        let now = Instant::now();
        self.1.push((what.to_string(), (now - self.0).as_secs_f64() * 1000.0));
        self.0 = now;
    }
}

fn msm1(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    G1Projective::msm_unchecked(bases, scalars)
}

pub fn prove(zkey_path: &str, wtns_path: &str, r1cs_path: &str) -> Result<Proof> {
    let mut clock = Clock(Instant::now(), Vec::new());
    let mut z = Zkey::open(zkey_path)?;
    let w = read_witness(wtns_path)?;
    let h = &z.h;
    let (n_vars, n_pub, n) = (h.n_vars, h.n_public, h.domain_size);
    if w.len() != n_vars {
        return Err(ProverError::new("WITNESS_INVALID", wtns_path, format!("{} values, the proving key's circuit has {n_vars} wires: a witness of another circuit", w.len())));
    }
    // the R1CS check (one thread, reading the r1cs) runs beside H's NTTs (the other); a broken witness is refused
    // before any MSM and before anything is written
    let (check, h_poly) = rayon::join(
        || first_unsatisfied(r1cs_path, &w),
        || -> Result<Vec<Fr>> {
            let coefs = z.coefs()?;
            let (a, b) = ab_at_domain(&coefs, &w, n);
            drop(coefs);
            Ok(h_scalars(a, b))
        },
    );
    let (r1, broken) = check?;
    if r1.n_wires != n_vars || r1.n_public != n_pub || r1.n_constraints + n_pub + 1 > n {
        return Err(ProverError::new("R1CS_INVALID", r1cs_path, format!("{} wires, {} public signals, {} constraints: not the circuit of the proving key ({n_vars} wires, {n_pub} public, domain {n})", r1.n_wires, r1.n_public, r1.n_constraints)));
    }
    if let Some(i) = broken {
        return Err(ProverError::new("WITNESS_UNSATISFIED", wtns_path, format!("the witness does not satisfy constraint {i} of {} (A*B != C): refusing to prove", r1.n_constraints)));
    }
    let hs = h_poly?;
    clock.lap("R1CS check beside the H polynomial (NTTs)");

    let pts = z.g1_section(5, n_vars, "A")?;
    let pi_a = msm1(&pts, &w);
    let pts = z.g1_section(6, n_vars, "B1")?;
    let pib1 = msm1(&pts, &w);
    clock.lap("MSM A, B1 (G1)");
    let pts2 = z.g2_section(7, n_vars, "B2")?;
    let pi_b = G2Projective::msm_unchecked(&pts2, &w);
    drop(pts2);
    clock.lap("MSM B2 (G2)");
    let pts = z.g1_section(8, n_vars - n_pub - 1, "C")?;
    let pi_c = msm1(&pts, &w[n_pub + 1..]);
    clock.lap("MSM C (G1)");
    let pts = z.g1_section(9, n, "H")?;
    let res_h = msm1(&pts, &hs);
    drop(pts);
    clock.lap("MSM H (G1)");

    let h = &z.h;
    let mut rng = ark_std::rand::rngs::OsRng;
    let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
    let pi_a = pi_a + h.alpha1 + h.delta1 * r;
    let pi_b = pi_b + h.beta2 + h.delta2 * s;
    let pib1 = pib1 + h.beta1 + h.delta1 * s;
    let pi_c = pi_c + res_h + pi_a * s + pib1 * r - h.delta1 * (r * s);
    let public = w[1..=n_pub].to_vec();
    let proof = Proof { a: pi_a.into_affine(), b: pi_b.into_affine(), c: pi_c.into_affine(), public, timings: Vec::new() };
    self_check(&mut z, &proof)?;
    clock.lap("pairing self-check");
    Ok(Proof { timings: clock.1, ..proof })
}

/// e(A, B) = e(alpha, beta) e(IC(public), gamma) e(C, delta), with the key's own verification key.
fn self_check(z: &mut Zkey, p: &Proof) -> Result<()> {
    let n_pub = z.h.n_public;
    let ic = z.g1_section(3, n_pub + 1, "IC")?;
    let vk_x = ic[0].into_group() + msm1(&ic[1..], &p.public);
    let h = &z.h;
    let lhs = [(-p.a.into_group()).into_affine(), h.alpha1, vk_x.into_affine(), p.c];
    let rhs = [p.b, h.beta2, h.gamma2, h.delta2];
    if !Bn254::multi_pairing(lhs, rhs).is_zero() {
        return Err(z.c.err("the proof made with this key fails its own verification key: the key's points are damaged or inconsistent"));
    }
    Ok(())
}
