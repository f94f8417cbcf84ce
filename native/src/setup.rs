//! A Groth16 proving key from secrets known to this machine: what `snarkjs zkey new` followed by one `snarkjs zkey
//! contribute` would write for a development powers of tau (src/setup/ptau.ts) whose tau, alpha and beta are
//! known, computed in the field and turned into points by fixed-base multiplication instead of combining the
//! ptau's Lagrange points one coefficient at a time. Byte for byte the sections snarkjs writes (so `snarkjs zkey
//! verify` recomputes and accepts them), with gamma = 1 as snarkjs leaves it:
//!   L_c = L_c(tau) on the domain of size n;  a_s, b_s, c_s = sum over the A, B, C entries of wire s of coef * L_c
//!   (A also gets L_{m+s} for the public wires s <= nPublic, m constraints);  k_s = beta a_s + alpha b_s + c_s
//!   IC_s = k_s G1 (s <= nPublic);  C_s = k_s / delta G1 (private s);  A_s = a_s G1;  B1_s = b_s G1;  B2_s = b_s G2
//!   H_i = L'_{2i+1}(tau) / delta G1, L' on the domain of size 2n (the odd coset snarkjs's prover evaluates on)
//! and the circuit hash snarkjs keeps in section 10 (BLAKE2b-512 of the initial key's points, uncompressed), which
//! the caller completes with the H points as snarkjs hashes them and then records the contribution.
//!
//! For a ceremony's ptau, whose secrets nobody knows, `ceremony_zkey` does snarkjs's phase-2 work natively: each
//! wire's points combined from the ptau's Lagrange points, then C and H divided by the contribution's delta.
//!
//! Both take the parsed circuit (r1cs.rs) and give the key's sections in memory (`Key`); lib.rs reads the files
//! and writes the key (zkey.rs's writer).

use crate::container::Container;
use crate::encoding::{g1, g1s_lem, g1s_u, g2, g2s_lem, g2s_u};
use crate::error::{Code, NativeError, Result};
use crate::fixed_base::{batch_g1, batch_g2};
use crate::r1cs::R1cs;
use ark_bn254::{Fq, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{batch_inversion, BigInteger, FftField, Field, One, PrimeField, Zero};
use blake2::{Blake2b512, Digest};
use rayon::prelude::*;
use std::io::{Read, Seek};

pub struct Secrets {
    pub tau: Fr,
    pub alpha: Fr,
    pub beta: Fr,
    pub delta: Fr,
}

/// L_j(tau) on the domain of size n, for j in `js`: (tau^n - 1)/n * w^j / (tau - w^j).
fn lagrange(tau: Fr, n: usize, js: impl Iterator<Item = usize>) -> Vec<Fr> {
    let w = Fr::get_root_of_unity(n as u64).expect("a power-of-two domain within BN254's two-adicity");
    let k = (tau.pow([n as u64]) - Fr::one()) * Fr::from(n as u64).inverse().unwrap();
    let wj: Vec<Fr> = js.map(|j| w.pow([j as u64])).collect();
    let mut den: Vec<Fr> = wj.par_iter().map(|x| tau - x).collect();
    batch_inversion(&mut den);
    wj.par_iter().zip(den.par_iter()).map(|(x, d)| k * x * d).collect()
}

/// The domain size snarkjs picks: the smallest power of two above constraints + public signals.
pub fn domain_size(n_constraints: usize, n_public: usize) -> usize {
    let need = n_constraints + n_public;
    1usize << (usize::BITS - need.leading_zeros())
}

/// The points of a Groth16 key before its contribution (as `snarkjs zkey new` makes them: delta = 1) and after one
/// of secret delta (C and H divided by delta): what the two routes below compute, each its own way.
struct KeyPoints {
    alpha1: G1Affine,
    beta1: G1Affine,
    beta2: G2Affine,
    delta1: G1Affine,
    delta2: G2Affine,
    ic: Vec<G1Affine>,
    /// C before the contribution: only hashed
    c_init: Vec<G1Affine>,
    c: Vec<G1Affine>,
    a: Vec<G1Affine>,
    b1: Vec<G1Affine>,
    b2: Vec<G2Affine>,
    h: Vec<G1Affine>,
}

/// A key's sections 1..9 (zkey.rs writes them; its header counts a tenth, the MPC record, which the caller
/// appends) and the circuit hash.
pub struct Key {
    pub sections: Vec<(u32, Vec<u8>)>,
    pub hash: [u8; 64],
}

/// The domain size for `circ`, which must fit in BN254's two-adicity.
fn domain(circ: &R1cs) -> Result<usize> {
    let n = domain_size(circ.n_constraints, circ.n_public);
    if n.trailing_zeros() >= Fr::TWO_ADICITY {
        return Err(NativeError::bare(Code::SetupFailed, format!("{} constraints need a domain of 2^{}, above BN254's 2^{}", circ.n_constraints, n.trailing_zeros(), Fr::TWO_ADICITY - 1)));
    }
    Ok(n)
}

/// Sections 1..9 of the key and the circuit hash. `h_u` is what snarkjs's newZKey hashes for H (`hashHPoints`:
/// differences of the ptau's tau powers, read from the ptau file as snarkjs reads them), computed by the caller
/// with snarkjs's own code.
fn key_sections(circ: &R1cs, n: usize, p: &KeyPoints, h_u: &[u8]) -> Key {
    let (nv, np, m) = (circ.n_wires, circ.n_public, circ.n_constraints);
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();

    // the circuit hash over the initial key (delta = 1), as newZKey feeds it
    let mut hasher = Blake2b512::new();
    hasher.update(g1s_u(&[p.alpha1, p.beta1]));
    hasher.update(g2s_u(&[p.beta2, g2]));
    hasher.update(g1s_u(&[g1]));
    hasher.update(g2s_u(&[g2]));
    let hash_g1 = |hasher: &mut Blake2b512, pts: &[G1Affine]| {
        hasher.update((pts.len() as u32).to_be_bytes());
        hasher.update(g1s_u(pts));
    };
    hash_g1(&mut hasher, &p.ic);
    hasher.update(((n - 1) as u32).to_be_bytes());
    hasher.update(h_u);
    hash_g1(&mut hasher, &p.c_init);
    hash_g1(&mut hasher, &p.a);
    hash_g1(&mut hasher, &p.b1);
    hasher.update((p.b2.len() as u32).to_be_bytes());
    hasher.update(g2s_u(&p.b2));
    let cs_hash: [u8; 64] = hasher.finalize().into();

    let mut hdr = Vec::new();
    hdr.extend_from_slice(&32u32.to_le_bytes());
    hdr.extend_from_slice(&Fq::MODULUS.to_bytes_le());
    hdr.extend_from_slice(&32u32.to_le_bytes());
    hdr.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    for x in [nv, np, n] {
        hdr.extend_from_slice(&(x as u32).to_le_bytes());
    }
    hdr.extend(g1s_lem(&[p.alpha1, p.beta1]));
    hdr.extend(g2s_lem(&[p.beta2, g2]));
    hdr.extend(g1s_lem(&[p.delta1]));
    hdr.extend(g2s_lem(&[p.delta2]));

    // coefficients as snarkjs stores them: the integer c R^2 mod r; per constraint its A then its B entries, then
    // the public wires' rows
    let r2 = Fr::from(2u64).pow([512u64]);
    let entry = |matrix: u32, constraint: u32, wire: u32, coef: Fr, out: &mut Vec<u8>| {
        out.extend_from_slice(&matrix.to_le_bytes());
        out.extend_from_slice(&constraint.to_le_bytes());
        out.extend_from_slice(&wire.to_le_bytes());
        out.extend_from_slice(&(coef * r2).into_bigint().to_bytes_le());
    };
    let mut coefs = Vec::new();
    let count = circ.m[0].len() + circ.m[1].len() + np + 1;
    coefs.extend_from_slice(&(count as u32).to_le_bytes());
    let (mut ia, mut ib) = (0usize, 0usize);
    for cn in 0..m as u32 {
        while ia < circ.m[0].len() && circ.m[0][ia].constraint == cn {
            let e = &circ.m[0][ia];
            entry(0, cn, e.wire, e.coef, &mut coefs);
            ia += 1;
        }
        while ib < circ.m[1].len() && circ.m[1][ib].constraint == cn {
            let e = &circ.m[1][ib];
            entry(1, cn, e.wire, e.coef, &mut coefs);
            ib += 1;
        }
    }
    for w in 0..=np {
        entry(0, (m + w) as u32, w as u32, Fr::one(), &mut coefs);
    }
    let lem1 = g1s_lem;
    let sections = vec![(1, 1u32.to_le_bytes().to_vec()), (2, hdr), (3, lem1(&p.ic)), (4, coefs), (5, lem1(&p.a)), (6, lem1(&p.b1)), (7, g2s_lem(&p.b2)), (8, lem1(&p.c)), (9, lem1(&p.h))];
    Key { sections, hash: cs_hash }
}

/// The development route: every point k G for a scalar k computed in the field from the secrets.
pub fn dev_zkey(circ: &R1cs, s: &Secrets, h_u: &[u8]) -> Result<Key> {
    let n = domain(circ)?;
    let (nv, np, m) = (circ.n_wires, circ.n_public, circ.n_constraints);
    let l = lagrange(s.tau, n, 0..m + np + 1);
    let (mut a, mut b, mut c) = (vec![Fr::zero(); nv], vec![Fr::zero(); nv], vec![Fr::zero(); nv]);
    for (k, acc) in [&mut a, &mut b, &mut c].into_iter().enumerate() {
        for e in &circ.m[k] {
            acc[e.wire as usize] += e.coef * l[e.constraint as usize];
        }
    }
    for w in 0..=np {
        a[w] += l[m + w];
    }
    let k: Vec<Fr> = (0..nv).into_par_iter().map(|w| s.beta * a[w] + s.alpha * b[w] + c[w]).collect();
    drop(c);
    let inv_delta = s.delta.inverse().ok_or_else(|| NativeError::bare(Code::SetupFailed, "delta is zero"))?;
    let h_scalars: Vec<Fr> = lagrange(s.tau, 2 * n, (0..n).map(|i| 2 * i + 1)).into_par_iter().map(|x| x * inv_delta).collect();
    let c_private: Vec<Fr> = k[np + 1..].par_iter().map(|x| *x * inv_delta).collect();
    let header_g1 = batch_g1(&[s.alpha, s.beta, s.delta]);
    let header_g2 = batch_g2(&[s.beta, s.delta]);
    let points = KeyPoints {
        alpha1: header_g1[0],
        beta1: header_g1[1],
        delta1: header_g1[2],
        beta2: header_g2[0],
        delta2: header_g2[1],
        ic: batch_g1(&k[..=np]),
        c_init: batch_g1(&k[np + 1..]),
        c: batch_g1(&c_private),
        a: batch_g1(&a),
        b1: batch_g1(&b),
        b2: batch_g2(&b),
        h: batch_g1(&h_scalars),
    };
    Ok(key_sections(circ, n, &points, h_u))
}

/// `coef * p`, cheap for the small coefficients circuits are made of (bits' powers of two, 8-bit weights, their
/// negatives): double-and-add over the scalar's own length, GLV for the rest.
fn times<G: CurveGroup>(p: &G::Affine, coef: &Fr) -> G
where
    G::Affine: AffineRepr<ScalarField = Fr, Group = G>,
{
    let v = coef.into_bigint();
    if v.num_bits() <= 64 {
        return p.mul_bigint([v.0[0]]);
    }
    let neg = (-*coef).into_bigint();
    if neg.num_bits() <= 64 {
        return -p.mul_bigint([neg.0[0]]);
    }
    *p * *coef
}

/// sum over a wire's entries of coef * point(constraint), for every wire: entries grouped by wire, wires in parallel.
fn combine<G: CurveGroup>(nv: usize, terms: &[(u32, u32, Fr, u8)], pick: impl Fn(u8, u32) -> Option<G::Affine> + Sync) -> Vec<G::Affine>
where
    G::Affine: AffineRepr<ScalarField = Fr, Group = G>,
{
    // terms: (wire, constraint, coef, which basis); sorted by wire
    let mut starts = vec![0usize; nv + 1];
    for t in terms {
        starts[t.0 as usize + 1] += 1;
    }
    for w in 0..nv {
        starts[w + 1] += starts[w];
    }
    let sums: Vec<G> = (0..nv)
        .into_par_iter()
        .map(|w| {
            let mut acc = G::zero();
            for t in &terms[starts[w]..starts[w + 1]] {
                if let Some(p) = pick(t.3, t.1) {
                    acc += times::<G>(&p, &t.2);
                }
            }
            acc
        })
        .collect();
    G::normalize_batch(&sums)
}

/// A ptau's Lagrange points for the domain of size n: level log2(n) of sections 12..15.
struct Lagrange {
    tau_g1: Vec<G1Affine>,
    tau_g2: Vec<G2Affine>,
    alpha_g1: Vec<G1Affine>,
    beta_g1: Vec<G1Affine>,
}

/// The ceremony route (any phase-2-prepared ptau, no secret known): what `snarkjs zkey new` computes, each wire's
/// points a combination of the ptau's Lagrange points, then one contribution of secret `delta` (C and H divided
/// by it, as `snarkjs zkey contribute` does).
pub fn ceremony_zkey<R: Read + Seek>(circ: &R1cs, pt: &mut Container<R>, delta: Fr, h_u: &[u8]) -> Result<Key> {
    let n = domain(circ)?;
    let (nv, np, m) = (circ.n_wires, circ.n_public, circ.n_constraints);
    // level log2(n) of each Lagrange section starts at point n - 1
    let lg = Lagrange {
        tau_g1: pt.points(12, n - 1, n, 64, "tauG1 Lagrange", g1)?,
        tau_g2: pt.points(13, n - 1, n, 128, "tauG2 Lagrange", g2)?,
        alpha_g1: pt.points(14, n - 1, n, 64, "alphaTauG1 Lagrange", g1)?,
        beta_g1: pt.points(15, n - 1, n, 64, "betaTauG1 Lagrange", g1)?,
    };
    let alpha1 = pt.points(4, 0, 1, 64, "alphaTauG1", g1)?[0];
    let beta1 = pt.points(5, 0, 1, 64, "betaTauG1", g1)?[0];
    let beta2 = pt.points(6, 0, 1, 128, "betaG2", g2)?[0];
    // H before the contribution: the odd points of the Lagrange level of size 2n
    let level2: Vec<G1Affine> = pt.points(12, 2 * n - 1, 2 * n, 64, "tauG1 Lagrange", g1)?;
    let h_init: Vec<G1Affine> = level2.into_iter().skip(1).step_by(2).collect();

    // (wire, constraint, coef, basis) with basis 0 = tau G1, 1 = tau G2, 2 = alpha tau G1, 3 = beta tau G1
    let one = Fr::one();
    let mut a_terms: Vec<(u32, u32, Fr, u8)> = circ.m[0].iter().map(|e| (e.wire, e.constraint, e.coef, 0)).collect();
    a_terms.extend((0..=np as u32).map(|w| (w, m as u32 + w, one, 0)));
    a_terms.sort_by_key(|t| t.0);
    let mut b_terms: Vec<(u32, u32, Fr, u8)> = circ.m[1].iter().map(|e| (e.wire, e.constraint, e.coef, 0)).collect();
    b_terms.sort_by_key(|t| t.0);
    // IC and C: beta tau for A's entries, alpha tau for B's, tau for C's
    let mut k_terms: Vec<(u32, u32, Fr, u8)> = a_terms.iter().map(|t| (t.0, t.1, t.2, 3)).collect();
    k_terms.extend(circ.m[1].iter().map(|e| (e.wire, e.constraint, e.coef, 2)));
    k_terms.extend(circ.m[2].iter().map(|e| (e.wire, e.constraint, e.coef, 0)));
    k_terms.sort_by_key(|t| t.0);
    let g1_basis = |basis: u8, c: u32| -> Option<G1Affine> {
        let v = match basis {
            0 => &lg.tau_g1,
            2 => &lg.alpha_g1,
            _ => &lg.beta_g1,
        };
        v.get(c as usize).copied()
    };
    let a = combine::<G1Projective>(nv, &a_terms, g1_basis);
    let b1 = combine::<G1Projective>(nv, &b_terms, g1_basis);
    let b2 = combine::<G2Projective>(nv, &b_terms, |_, c| lg.tau_g2.get(c as usize).copied());
    let k = combine::<G1Projective>(nv, &k_terms, g1_basis);
    let inv_delta = delta.inverse().ok_or_else(|| NativeError::bare(Code::SetupFailed, "delta is zero"))?;
    let divide = |pts: &[G1Affine]| -> Vec<G1Affine> {
        let v: Vec<G1Projective> = pts.par_iter().map(|p| *p * inv_delta).collect();
        G1Projective::normalize_batch(&v)
    };
    let c_init = k[np + 1..].to_vec();
    let points = KeyPoints {
        alpha1,
        beta1,
        beta2,
        delta1: (G1Affine::generator() * delta).into_affine(),
        delta2: (G2Affine::generator() * delta).into_affine(),
        ic: k[..=np].to_vec(),
        c: divide(&c_init),
        c_init,
        a,
        b1,
        b2,
        h: divide(&h_init),
    };
    Ok(key_sections(circ, n, &points, h_u))
}
