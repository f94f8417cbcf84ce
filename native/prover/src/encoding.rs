//! The byte layouts of iden3's files, as ark-bn254 values. Field elements of the proving key's points are stored
//! little-endian in Montgomery form ("LEM"), which is ark-ff's own internal form for BN254 (R = 2^256), so a
//! coordinate is its four limbs; witness values and R1CS coefficients are plain little-endian integers. Every
//! value is checked to be below its modulus and every point to lie on its curve: a damaged file is refused, it
//! never turns into a wrong proof.

use crate::container::limbs;
use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ff::{BigInt, PrimeField};

pub const FR_BYTES: usize = 32;
pub const G1_BYTES: usize = 64;
pub const G2_BYTES: usize = 128;

fn fq_mont(b: &[u8]) -> Option<Fq> {
    let v = BigInt::new(limbs(b));
    (v < Fq::MODULUS).then(|| Fq::new_unchecked(v))
}

/// A plain little-endian integer below r.
pub fn fr_plain(b: &[u8]) -> Option<Fr> {
    Fr::from_bigint(BigInt::new(limbs(b)))
}

/// An Fr stored as snarkjs stores its internal (Montgomery) form.
pub fn fr_mont(b: &[u8]) -> Option<Fr> {
    let v = BigInt::new(limbs(b));
    (v < Fr::MODULUS).then(|| Fr::new_unchecked(v))
}

/// An affine G1 point (all zeros is the point at infinity), or None when off the curve or out of range.
pub fn g1(b: &[u8]) -> Option<G1Affine> {
    if b[..G1_BYTES].iter().all(|&x| x == 0) {
        return Some(G1Affine::identity());
    }
    let p = G1Affine::new_unchecked(fq_mont(&b[0..32])?, fq_mont(&b[32..64])?);
    p.is_on_curve().then_some(p)
}

pub fn g2(b: &[u8]) -> Option<G2Affine> {
    if b[..G2_BYTES].iter().all(|&x| x == 0) {
        return Some(G2Affine::identity());
    }
    let x = Fq2::new(fq_mont(&b[0..32])?, fq_mont(&b[32..64])?);
    let y = Fq2::new(fq_mont(&b[64..96])?, fq_mont(&b[96..128])?);
    let p = G2Affine::new_unchecked(x, y);
    p.is_on_curve().then_some(p)
}

/// Decimal text of a field element, as snarkjs writes proof coordinates and public signals.
pub fn dec<F: PrimeField>(x: F) -> String {
    if x.is_zero() {
        return "0".to_string();
    }
    x.into_bigint().to_string()
}
