//! Fixed-base scalar multiplication on BN254 (alt_bn128; circom and snarkjs call it bn128), G1 and G2.
//!
//! Why this exists: a development powers of tau made from a known secret is, point for point, k_i * G for scalars
//! k_i that are cheap to compute in the field (tau^i, Lagrange basis values L_i(tau), ...). snarkjs's command
//! line gets the same points by FFTs over group elements, which takes minutes to hours on two cores. With one base
//! known in advance, a comb table of 16-bit windows (row j holds d * 2^(16 j) * G for every 16-bit d, built once
//! per process) turns every multiplication into at most 16 mixed additions, and Montgomery's batch inversion
//! turns a chunk of results to affine for one inversion.
//!
//! Scalars: n x 32 bytes, little-endian (any 256-bit integer; the generator's order makes k and k mod r the same
//! point). Points out: the files' LEM layout (encoding.rs), infinity all zeros.
//!
//! `batch_g1` / `batch_g2` are the setup's (setup.rs): field scalars to affine points through ark-ec's
//! `BatchMulPreprocessing`, whose table is sized for the batch at hand rather than kept for the process.

use crate::encoding::{put_g1_lem, put_g2_lem, G1_BYTES, G2_BYTES};
use ark_bn254::{g1, g2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, PrimeGroup};
use ark_ff::{serial_batch_inversion_and_mul, Field, Zero};
use rayon::prelude::*;
use std::sync::OnceLock;

const WINDOW: usize = 16;
const WINDOWS: usize = 256 / WINDOW;
const ROW: usize = 1 << WINDOW;
/// Scalars per batch inversion.
const CHUNK: usize = 4096;

/// `table[j * ROW + d] = d * 2^(WINDOW j) * G`.
fn build_table<P: SWCurveConfig>() -> Vec<Affine<P>> {
    let mut base = Projective::<P>::generator();
    let mut bases = Vec::with_capacity(WINDOWS);
    for _ in 0..WINDOWS {
        bases.push(base);
        for _ in 0..WINDOW {
            base.double_in_place();
        }
    }
    let bases = normalize(&bases);
    let rows: Vec<Vec<Affine<P>>> = bases
        .par_iter()
        .map(|b| {
            let mut row = Vec::with_capacity(ROW);
            let mut acc = Projective::<P>::zero();
            for _ in 0..ROW {
                row.push(acc);
                acc += b;
            }
            normalize(&row)
        })
        .collect();
    rows.concat()
}

/// Projective (Jacobian) to affine with one inversion, on the calling thread.
fn normalize<P: SWCurveConfig>(v: &[Projective<P>]) -> Vec<Affine<P>> {
    let mut zs: Vec<P::BaseField> = v.iter().map(|p| p.z).collect();
    serial_batch_inversion_and_mul(&mut zs, &P::BaseField::ONE);
    v.iter()
        .zip(zs)
        .map(|(p, zinv)| {
            if p.is_zero() {
                return Affine::identity();
            }
            let z2 = zinv.square();
            Affine::new_unchecked(p.x * z2, p.y * z2 * zinv)
        })
        .collect()
}

fn g1_table() -> &'static [G1Affine] {
    static T: OnceLock<Vec<G1Affine>> = OnceLock::new();
    T.get_or_init(build_table::<g1::Config>)
}

fn g2_table() -> &'static [G2Affine] {
    static T: OnceLock<Vec<G2Affine>> = OnceLock::new();
    T.get_or_init(build_table::<g2::Config>)
}

/// `scalars` (32 bytes each) times the generator, into `out` (`size` bytes a point, written by `put`), on
/// `threads` threads of its own.
fn multiply<P: SWCurveConfig>(table: &[Affine<P>], scalars: &[u8], out: &mut [u8], size: usize, threads: usize, put: fn(&Affine<P>, &mut [u8])) {
    let n = scalars.len() / 32;
    let per = n.div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        for (sc, o) in scalars.chunks(32 * per).zip(out.chunks_mut(size * per)) {
            s.spawn(move || {
                let mut acc = Vec::with_capacity(CHUNK);
                for (sc, o) in sc.chunks(32 * CHUNK).zip(o.chunks_mut(size * CHUNK)) {
                    acc.clear();
                    acc.extend(sc.chunks(32).map(|k| {
                        let mut p = Projective::<P>::zero();
                        for j in 0..WINDOWS {
                            let d = u16::from_le_bytes([k[2 * j], k[2 * j + 1]]) as usize;
                            if d != 0 {
                                p += &table[j * ROW + d];
                            }
                        }
                        p
                    }));
                    for (q, dst) in normalize(&acc).iter().zip(o.chunks_mut(size)) {
                        put(q, dst);
                    }
                }
            });
        }
    });
}

/// `scalars.len() / 32` G1 points into `out` (64 bytes each).
pub fn g1_mul(scalars: &[u8], out: &mut [u8], threads: usize) {
    debug_assert!(scalars.len() % 32 == 0 && out.len() == scalars.len() / 32 * G1_BYTES);
    multiply(g1_table(), scalars, out, G1_BYTES, threads, put_g1_lem);
}

/// `scalars.len() / 32` G2 points into `out` (128 bytes each).
pub fn g2_mul(scalars: &[u8], out: &mut [u8], threads: usize) {
    debug_assert!(scalars.len() % 32 == 0 && out.len() == scalars.len() / 32 * G2_BYTES);
    multiply(g2_table(), scalars, out, G2_BYTES, threads, put_g2_lem);
}

/// Each scalar times G1's generator.
pub fn batch_g1(scalars: &[Fr]) -> Vec<G1Affine> {
    if scalars.is_empty() {
        return Vec::new();
    }
    BatchMulPreprocessing::new(G1Projective::generator(), scalars.len()).batch_mul(scalars)
}

/// Each scalar times G2's generator.
pub fn batch_g2(scalars: &[Fr]) -> Vec<G2Affine> {
    if scalars.is_empty() {
        return Vec::new();
    }
    BatchMulPreprocessing::new(G2Projective::generator(), scalars.len()).batch_mul(scalars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{g1, g2};
    use ark_ec::CurveGroup;
    use ark_ff::{BigInteger, PrimeField, UniformRand};

    #[test]
    fn matches_arkworks() {
        let mut rng = ark_std::test_rng();
        let mut ks: Vec<Fr> = (0..300).map(|_| Fr::rand(&mut rng)).collect();
        ks[0] = Fr::zero();
        ks[1] = Fr::from(1u64);
        ks[2] = -Fr::from(1u64);
        ks[3] = Fr::from(65536u64);
        let bytes: Vec<u8> = ks.iter().flat_map(|k| k.into_bigint().to_bytes_le()).collect();
        let mut o1 = vec![0u8; ks.len() * 64];
        g1_mul(&bytes, &mut o1, 3);
        let mut o2 = vec![0u8; ks.len() * 128];
        g2_mul(&bytes, &mut o2, 2);
        for (i, k) in ks.iter().enumerate() {
            assert_eq!(g1(&o1[64 * i..]).unwrap(), (G1Projective::generator() * k).into_affine(), "G1 {i}");
            assert_eq!(g2(&o2[128 * i..]).unwrap(), (G2Projective::generator() * k).into_affine(), "G2 {i}");
        }
        assert!(o1[..64].iter().all(|&b| b == 0));
        assert_eq!(batch_g1(&ks[..20]).iter().flat_map(|p| { let mut b = [0u8; 64]; put_g1_lem(p, &mut b); b }).collect::<Vec<u8>>(), o1[..20 * 64].to_vec());
        assert_eq!(batch_g2(&ks[..5]).iter().flat_map(|p| { let mut b = [0u8; 128]; put_g2_lem(p, &mut b); b }).collect::<Vec<u8>>(), o2[..5 * 128].to_vec());
    }
}
