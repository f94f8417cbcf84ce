//! Groth16 proving on a snarkjs proving key, as snarkjs proves (groth16_prove.js), with its checks:
//!   pi_a = alpha1 + sum w_i A_i + r delta1
//!   pi_b = beta2 + sum w_i B2_i + s delta2          (B1 alike in G1, for pi_c)
//!   pi_c = sum_{private} w_i C_i + sum h_j H_j + s pi_a + r B1 - r s delta1
//! Before proving: the witness must satisfy the circuit's R1CS (a clear error names the first broken constraint).
//! After: the proof must pass the pairing check against the key's own verification key, so a key damaged in a
//! way no size or curve check sees gives an error, never a wrong proof.
//!
//! The key, witness and circuit come in as containers over any seekable source (lib.rs opens the files); the key's
//! point sections are read one at a time, each parsed and dropped before the next.

use crate::container::Container;
use crate::error::{Code, NativeError, Result};
use crate::qap::{ab_at_domain, h_scalars};
use crate::r1cs::first_unsatisfied;
use crate::wtns::read_witness;
use crate::zkey::Zkey;
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_std::UniformRand;
use ark_ff::Zero;
use std::io::{Read, Seek};
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

pub fn prove<Z, W, C>(zkey: Container<Z>, mut wtns: Container<W>, mut r1cs: Container<C>) -> Result<Proof>
where
    Z: Read + Seek + Send,
    W: Read + Seek,
    C: Read + Seek + Send,
{
    let mut clock = Clock(Instant::now(), Vec::new());
    let mut z = Zkey::read(zkey)?;
    let w = read_witness(&mut wtns)?;
    let h = &z.h;
    let (n_vars, n_pub, n) = (h.n_vars, h.n_public, h.domain_size);
    if w.len() != n_vars {
        return Err(wtns.err(format!("{} values, the proving key's circuit has {n_vars} wires: a witness of another circuit", w.len())));
    }
    // the R1CS check (one thread, reading the r1cs) runs beside H's NTTs (the other); a broken witness is refused
    // before any MSM and before anything is written
    let (check, h_poly) = rayon::join(
        || first_unsatisfied(&mut r1cs, &w),
        || -> Result<Vec<Fr>> {
            let coefs = z.coefs()?;
            let (a, b) = ab_at_domain(&coefs, &w, n);
            drop(coefs);
            Ok(h_scalars(a, b))
        },
    );
    let (r1, broken) = check?;
    if r1.n_wires != n_vars || r1.n_public != n_pub || r1.n_constraints + n_pub + 1 > n {
        return Err(r1cs.err(format!("{} wires, {} public signals, {} constraints: not the circuit of the proving key ({n_vars} wires, {n_pub} public, domain {n})", r1.n_wires, r1.n_public, r1.n_constraints)));
    }
    if let Some(b) = broken {
        let [a, bb, c] = b.abc;
        return Err(NativeError::new(Code::WitnessUnsatisfied, &wtns.name, format!("the witness does not satisfy constraint {} of {} (A = {a}, B = {bb}, A*B = {}, C = {c}): refusing to prove", b.index, r1.n_constraints, a * bb)));
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
fn self_check<R: Read + Seek>(z: &mut Zkey<R>, p: &Proof) -> Result<()> {
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

#[cfg(test)]
mod tests {
    //! The core on bytes in memory, no file: a circuit (out = x * y), its development key (setup.rs, sections
    //! written by zkey.rs), a witness, then a proof, which `prove` checks against the key's verification key.
    use super::*;
    use crate::container::{self, Container};
    use crate::error::Code;
    use crate::r1cs::R1cs;
    use crate::setup::{dev_zkey, Secrets};
    use crate::zkey::write_sections;
    use ark_ff::{BigInteger, PrimeField};
    use std::io::Cursor;

    fn fr_bytes(x: u64) -> Vec<u8> {
        Fr::from(x).into_bigint().to_bytes_le()
    }

    /// wires: 1, out (public), x, y; one constraint x * y = out
    fn r1cs() -> Vec<u8> {
        let mut h = 32u32.to_le_bytes().to_vec();
        h.extend(Fr::MODULUS.to_bytes_le());
        for v in [4u32, 1, 0, 2] {
            h.extend(v.to_le_bytes());
        }
        h.extend(4u64.to_le_bytes());
        h.extend(1u32.to_le_bytes());
        let mut c = Vec::new();
        for wire in [2u32, 3, 1] {
            c.extend(1u32.to_le_bytes());
            c.extend(wire.to_le_bytes());
            c.extend(fr_bytes(1));
        }
        let mut out = Vec::new();
        container::write(&mut out, b"r1cs", 1, &[(1, h), (2, c)], 2).unwrap();
        out
    }

    fn wtns(values: &[u64]) -> Container<Cursor<Vec<u8>>> {
        let mut h = 32u32.to_le_bytes().to_vec();
        h.extend(Fr::MODULUS.to_bytes_le());
        h.extend((values.len() as u32).to_le_bytes());
        let mut out = Vec::new();
        container::write(&mut out, b"wtns", 2, &[(1, h), (2, values.iter().flat_map(|v| fr_bytes(*v)).collect())], 2).unwrap();
        Container::new(Cursor::new(out), "w.wtns", b"wtns", Code::WitnessInvalid).unwrap()
    }

    #[test]
    fn prove_in_memory() {
        let r1 = || Container::new(Cursor::new(r1cs()), "c.r1cs", b"r1cs", Code::R1csInvalid).unwrap();
        let circ = R1cs::read(&mut r1()).unwrap();
        let s = Secrets { tau: Fr::from(7u64), alpha: Fr::from(11u64), beta: Fr::from(13u64), delta: Fr::from(17u64) };
        let key = dev_zkey(&circ, &s, &[]).unwrap();
        let mut zkey = Vec::new();
        write_sections(&mut zkey, &key.sections).unwrap();
        // section 10, as the caller appends it: empty here
        zkey.extend(10u32.to_le_bytes());
        zkey.extend(0u64.to_le_bytes());
        let z = || Container::new(Cursor::new(zkey.clone()), "k.zkey", b"zkey", Code::ZkeyInvalid).unwrap();
        let p = prove(z(), wtns(&[1, 6, 2, 3]), r1()).unwrap();
        assert_eq!(p.public, vec![Fr::from(6u64)]);
        let e = prove(z(), wtns(&[1, 7, 2, 3]), r1()).err().unwrap();
        assert_eq!((e.code, e.file.as_str()), (Code::WitnessUnsatisfied, "w.wtns"));
        assert!(e.message.contains("constraint 0 of 1 (A = 2, B = 3, A*B = 6, C = 7)"), "{}", e.message);
        let e = prove(z(), wtns(&[1, 6, 2]), r1()).err().unwrap();
        assert_eq!((e.code, e.file.as_str()), (Code::WitnessInvalid, "w.wtns"));
        // all zeros satisfies x * y = out; wire 0 must be the constant 1
        let e = prove(z(), wtns(&[0, 0, 0, 0]), r1()).err().unwrap();
        assert_eq!((e.code, e.file.as_str()), (Code::WitnessInvalid, "w.wtns"));
        assert!(e.message.contains("wire 0 is 0, not 1"), "{}", e.message);
    }
}
