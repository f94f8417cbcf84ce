//! The byte layouts of iden3's files and hashes, as ark-bn254 values, both ways.
//!
//! Files (ptau, zkey): field elements of points are stored little-endian in Montgomery form ("LEM"), which is
//! ark-ff's own internal form for BN254 (R = 2^256), so a coordinate is its four limbs; an Fq2 is c0 then c1; the
//! point at infinity is all zeros. Witness values and R1CS coefficients are plain little-endian integers. Every
//! value read is checked to be below its modulus and every point to lie on its curve: a damaged file is refused,
//! it never turns into a wrong proof.
//!
//! Hashes (ffjavascript's LEMtoU and LEMtoC, which snarkjs hashes): coordinates in normal form, big-endian, an
//! Fq2 as c1 then c0. Uncompressed ("U"): x then y, infinity all zeros. Compressed ("C"): x, with 0x80 set in the
//! first byte when y is the "negative" root (above (p-1)/2; for Fq2 decided by c1 unless c1 is zero), 0x40 alone
//! for infinity.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, BigInteger, PrimeField};

pub const FR_BYTES: usize = 32;
pub const G1_BYTES: usize = 64;
pub const G2_BYTES: usize = 128;

/// Four little-endian u64 limbs from 32 bytes.
pub fn limbs(b: &[u8]) -> [u64; 4] {
    let mut l = [0u64; 4];
    for (i, x) in l.iter_mut().enumerate() {
        *x = u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap());
    }
    l
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

// ---------- decoders ----------

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

// ---------- the files' layout (LEM) ----------

fn fq_lem(x: &Fq, out: &mut [u8]) {
    for (i, l) in x.0 .0.iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&l.to_le_bytes());
    }
}

/// A G1 point into `out[..64]`.
pub fn put_g1_lem(p: &G1Affine, out: &mut [u8]) {
    match p.xy() {
        Some((x, y)) => {
            fq_lem(&x, &mut out[0..32]);
            fq_lem(&y, &mut out[32..64]);
        }
        None => out[..G1_BYTES].fill(0),
    }
}

/// A G2 point into `out[..128]`.
pub fn put_g2_lem(p: &G2Affine, out: &mut [u8]) {
    match p.xy() {
        Some((x, y)) => {
            for (i, c) in [x.c0, x.c1, y.c0, y.c1].iter().enumerate() {
                fq_lem(c, &mut out[32 * i..32 * i + 32]);
            }
        }
        None => out[..G2_BYTES].fill(0),
    }
}

pub fn g1s_lem(pts: &[G1Affine]) -> Vec<u8> {
    let mut o = vec![0u8; G1_BYTES * pts.len()];
    o.chunks_mut(G1_BYTES).zip(pts).for_each(|(c, p)| put_g1_lem(p, c));
    o
}

pub fn g2s_lem(pts: &[G2Affine]) -> Vec<u8> {
    let mut o = vec![0u8; G2_BYTES * pts.len()];
    o.chunks_mut(G2_BYTES).zip(pts).for_each(|(c, p)| put_g2_lem(p, c));
    o
}

// ---------- the hashes' layouts (U, C) ----------

/// A coordinate's Fq components stored LEM (without a range check: these are our own points) in normal form,
/// big-endian, highest component first, into `out`; returns the sign of the first nonzero component: -1 above
/// (p-1)/2, 1 at or below, 0 when all are zero.
fn coord_be(lem: &[u8], words: usize, out: &mut [u8]) -> i32 {
    let mut sign = 0;
    for (k, w) in (0..words).rev().enumerate() {
        let c = Fq::new_unchecked(BigInt::new(limbs(&lem[32 * w..32 * w + 32]))).into_bigint();
        out[32 * k..32 * k + 32].copy_from_slice(&c.to_bytes_be());
        if sign == 0 && !c.is_zero() {
            sign = if c > Fq::MODULUS_MINUS_ONE_DIV_TWO { -1 } else { 1 };
        }
    }
    sign
}

/// Points stored LEM (G1: 64 bytes each, G2: 128) in the hashes' encoding: uncompressed (the same size) or
/// compressed (half). None when `lem` is not a whole number of points.
pub fn encode_points(lem: &[u8], g2: bool, compressed: bool) -> Option<Vec<u8>> {
    let words = if g2 { 2 } else { 1 };
    let psize = 64 * words;
    if lem.len() % psize != 0 {
        return None;
    }
    let osize = if compressed { psize / 2 } else { psize };
    let mut out = vec![0u8; lem.len() / psize * osize];
    let mut tmp = [0u8; 64];
    for (p, o) in lem.chunks(psize).zip(out.chunks_mut(osize)) {
        if p.iter().all(|&b| b == 0) {
            if compressed {
                o[0] = 0x40;
            }
            continue;
        }
        coord_be(&p[..psize / 2], words, &mut o[..psize / 2]);
        if compressed {
            if coord_be(&p[psize / 2..], words, &mut tmp) < 0 {
                o[0] |= 0x80;
            }
        } else {
            coord_be(&p[psize / 2..], words, &mut o[psize / 2..]);
        }
    }
    Some(out)
}

/// The uncompressed hash encoding of G1 points (LEM, then encoded).
pub fn g1s_u(pts: &[G1Affine]) -> Vec<u8> {
    encode_points(&g1s_lem(pts), false, false).expect("whole points")
}

pub fn g2s_u(pts: &[G2Affine]) -> Vec<u8> {
    encode_points(&g2s_lem(pts), true, false).expect("whole points")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{CurveGroup, PrimeGroup};
    use ark_ff::UniformRand;

    #[test]
    fn lem_round_trip_and_u_encoding() {
        let mut rng = ark_std::test_rng();
        let p = (ark_bn254::G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let mut b = [0u8; 64];
        put_g1_lem(&p, &mut b);
        assert_eq!(g1(&b), Some(p));
        let u = g1s_u(&[p]);
        assert_eq!(&u[..32], &p.x.into_bigint().to_bytes_be()[..]);
        assert_eq!(&u[32..], &p.y.into_bigint().to_bytes_be()[..]);
        let q = (ark_bn254::G2Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let u = g2s_u(&[q]);
        assert_eq!(&u[..32], &q.x.c1.into_bigint().to_bytes_be()[..]);
        assert_eq!(&u[96..], &q.y.c0.into_bigint().to_bytes_be()[..]);
        let c = encode_points(&g1s_lem(&[p, -p, G1Affine::identity()]), false, true).unwrap();
        assert_eq!(&c[1..32], &u8s(&p.x)[1..]);
        let neg = |y: Fq| y.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO;
        assert_eq!(c[0] & 0x80 != 0, neg(p.y));
        assert_eq!(c[32] & 0x80 != 0, neg(-p.y));
        assert_eq!(c[64], 0x40);
    }

    fn u8s(x: &Fq) -> Vec<u8> {
        x.into_bigint().to_bytes_be()
    }
}
