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

use crate::container::{limbs, u32_at, Container};
use crate::encoding::{fr_plain, g1, g2, FR_BYTES};
use crate::error::{ProverError, Result};
use ark_bn254::{Fq, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{batch_inversion, BigInteger, FftField, Field, One, PrimeField, Zero};
use blake2::{Blake2b512, Digest};
use rayon::prelude::*;
use std::fs::File;
use std::io::{BufWriter, Write};

pub struct Secrets {
    pub tau: Fr,
    pub alpha: Fr,
    pub beta: Fr,
    pub delta: Fr,
}

struct Entry {
    constraint: u32,
    wire: u32,
    coef: Fr,
}

struct Circuit {
    n_wires: usize,
    n_public: usize,
    n_constraints: usize,
    /// A, B, C entries in the r1cs's order
    m: [Vec<Entry>; 3],
}

fn read_circuit(path: &str) -> Result<Circuit> {
    let mut c = Container::open(path, b"r1cs", "R1CS_INVALID")?;
    let h = c.read(1, None)?;
    if h.len() < 4 + FR_BYTES + 28 || u32_at(&h, 0) as usize != FR_BYTES || ark_ff::BigInt::<4>::new(limbs(&h[4..36])) != Fr::MODULUS {
        return Err(c.err("header: not a BN254 circuit"));
    }
    let o = 4 + FR_BYTES;
    let (n_wires, n_public, n_constraints) = (u32_at(&h, o) as usize, (u32_at(&h, o + 4) + u32_at(&h, o + 8)) as usize, u32_at(&h, o + 24) as usize);
    let body = c.read(2, None)?;
    let mut m: [Vec<Entry>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut at = 0usize;
    for constraint in 0..n_constraints as u32 {
        for list in m.iter_mut() {
            if at + 4 > body.len() {
                return Err(c.err("constraints section ends inside a constraint"));
            }
            let n = u32_at(&body, at) as usize;
            at += 4;
            for _ in 0..n {
                if at + 4 + FR_BYTES > body.len() {
                    return Err(c.err("constraints section ends inside a term"));
                }
                let wire = u32_at(&body, at);
                let coef = fr_plain(&body[at + 4..at + 4 + FR_BYTES]).ok_or_else(|| c.err("a coefficient is not below the modulus"))?;
                if wire as usize >= n_wires {
                    return Err(c.err(format!("a term names wire {wire}; the circuit has {n_wires}")));
                }
                list.push(Entry { constraint, wire, coef });
                at += 4 + FR_BYTES;
            }
        }
    }
    Ok(Circuit { n_wires, n_public, n_constraints, m })
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

fn fq_lem(x: &Fq, out: &mut Vec<u8>) {
    for l in x.0 .0.iter() {
        out.extend_from_slice(&l.to_le_bytes());
    }
}

fn fq_be(x: &Fq, out: &mut Vec<u8>) {
    out.extend_from_slice(&x.into_bigint().to_bytes_be());
}

/// A G1 point as x then y, each coordinate by `coord`; infinity all zeros (in both of iden3's layouts).
fn g1_enc(p: &G1Affine, out: &mut Vec<u8>, coord: fn(&Fq, &mut Vec<u8>)) {
    match p.xy() {
        Some((x, y)) => {
            coord(&x, out);
            coord(&y, out);
        }
        None => out.extend_from_slice(&[0u8; 64]),
    }
}

/// A G2 point as x then y, each Fq2 as c0, c1 (the files' LEM layout) or c1, c0 (the hashes' uncompressed one).
fn g2_enc(p: &G2Affine, out: &mut Vec<u8>, coord: fn(&Fq, &mut Vec<u8>), c1_first: bool) {
    match p.xy() {
        Some((x, y)) => {
            let order = if c1_first { [x.c1, x.c0, y.c1, y.c0] } else { [x.c0, x.c1, y.c0, y.c1] };
            order.iter().for_each(|c| coord(c, out));
        }
        None => out.extend_from_slice(&[0u8; 128]),
    }
}

/// The key file's layout: coordinates little-endian in Montgomery form.
fn g1_lem(p: &G1Affine, out: &mut Vec<u8>) {
    g1_enc(p, out, fq_lem)
}

fn g2_lem(p: &G2Affine, out: &mut Vec<u8>) {
    g2_enc(p, out, fq_lem, false)
}

/// ffjavascript's uncompressed encoding, which snarkjs hashes: normal form, big-endian, Fq2 as c1 then c0.
fn g1_u(p: &G1Affine, out: &mut Vec<u8>) {
    g1_enc(p, out, fq_be)
}

fn g2_u(p: &G2Affine, out: &mut Vec<u8>) {
    g2_enc(p, out, fq_be, true)
}

fn g1_mul(scalars: &[Fr]) -> Vec<G1Affine> {
    if scalars.is_empty() {
        return Vec::new();
    }
    BatchMulPreprocessing::new(G1Projective::generator(), scalars.len()).batch_mul(scalars)
}

fn g2_mul(scalars: &[Fr]) -> Vec<G2Affine> {
    if scalars.is_empty() {
        return Vec::new();
    }
    BatchMulPreprocessing::new(G2Projective::generator(), scalars.len()).batch_mul(scalars)
}

struct ZkeyWriter {
    sections: Vec<(u32, Vec<u8>)>,
}

impl ZkeyWriter {
    fn write(&self, path: &str) -> std::io::Result<()> {
        let mut f = BufWriter::new(File::create(path)?);
        f.write_all(b"zkey")?;
        f.write_all(&1u32.to_le_bytes())?;
        // section 10 (the MPC record) is appended by the caller: counted here
        f.write_all(&((self.sections.len() + 1) as u32).to_le_bytes())?;
        for (t, b) in &self.sections {
            f.write_all(&t.to_le_bytes())?;
            f.write_all(&(b.len() as u64).to_le_bytes())?;
            f.write_all(b)?;
        }
        f.flush()
    }
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

fn checked_circuit(r1cs_path: &str) -> Result<(Circuit, usize)> {
    let circ = read_circuit(r1cs_path)?;
    if circ.n_public + 1 > circ.n_wires {
        return Err(ProverError::new("R1CS_INVALID", r1cs_path, "more public signals than wires"));
    }
    let n = domain_size(circ.n_constraints, circ.n_public);
    Ok((circ, n))
}

/// Write sections 1..9 of the key to `zkey_path` (the header counts a tenth: the MPC record, which the caller
/// appends) and return the circuit hash. `h_u` is what snarkjs's newZKey hashes for H (`hashHPoints`: differences
/// of the ptau's tau powers, read from the ptau file as snarkjs reads them), computed by the caller with snarkjs's
/// own code.
fn write_key(circ: &Circuit, n: usize, p: &KeyPoints, h_u: &[u8], zkey_path: &str) -> Result<[u8; 64]> {
    let (nv, np, m) = (circ.n_wires, circ.n_public, circ.n_constraints);
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();

    // the circuit hash over the initial key (delta = 1), as newZKey feeds it
    let mut hasher = Blake2b512::new();
    let mut u = Vec::new();
    g1_u(&p.alpha1, &mut u);
    g1_u(&p.beta1, &mut u);
    g2_u(&p.beta2, &mut u);
    g2_u(&g2, &mut u);
    g1_u(&g1, &mut u);
    g2_u(&g2, &mut u);
    hasher.update(&u);
    let hash_g1 = |hasher: &mut Blake2b512, pts: &[G1Affine]| {
        hasher.update((pts.len() as u32).to_be_bytes());
        let mut u = Vec::with_capacity(64 * pts.len());
        pts.iter().for_each(|q| g1_u(q, &mut u));
        hasher.update(&u);
    };
    hash_g1(&mut hasher, &p.ic);
    hasher.update(((n - 1) as u32).to_be_bytes());
    hasher.update(h_u);
    hash_g1(&mut hasher, &p.c_init);
    hash_g1(&mut hasher, &p.a);
    hash_g1(&mut hasher, &p.b1);
    hasher.update((p.b2.len() as u32).to_be_bytes());
    let mut u2 = Vec::with_capacity(128 * p.b2.len());
    p.b2.iter().for_each(|q| g2_u(q, &mut u2));
    hasher.update(&u2);
    drop(u2);
    let cs_hash: [u8; 64] = hasher.finalize().into();

    let mut hdr = Vec::new();
    hdr.extend_from_slice(&32u32.to_le_bytes());
    hdr.extend_from_slice(&Fq::MODULUS.to_bytes_le());
    hdr.extend_from_slice(&32u32.to_le_bytes());
    hdr.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    for x in [nv, np, n] {
        hdr.extend_from_slice(&(x as u32).to_le_bytes());
    }
    g1_lem(&p.alpha1, &mut hdr);
    g1_lem(&p.beta1, &mut hdr);
    g2_lem(&p.beta2, &mut hdr);
    g2_lem(&g2, &mut hdr);
    g1_lem(&p.delta1, &mut hdr);
    g2_lem(&p.delta2, &mut hdr);

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
    let lem1 = |pts: &[G1Affine]| {
        let mut o = Vec::with_capacity(64 * pts.len());
        pts.iter().for_each(|q| g1_lem(q, &mut o));
        o
    };
    let mut b2 = Vec::with_capacity(128 * p.b2.len());
    p.b2.iter().for_each(|q| g2_lem(q, &mut b2));
    let w = ZkeyWriter {
        sections: vec![(1, 1u32.to_le_bytes().to_vec()), (2, hdr), (3, lem1(&p.ic)), (4, coefs), (5, lem1(&p.a)), (6, lem1(&p.b1)), (7, b2), (8, lem1(&p.c)), (9, lem1(&p.h))],
    };
    w.write(zkey_path).map_err(|e| ProverError::new("SETUP_FAILED", zkey_path, format!("cannot write: {e}")))?;
    Ok(cs_hash)
}

/// The development route: every point k G for a scalar k computed in the field from the secrets.
pub fn dev_zkey(r1cs_path: &str, zkey_path: &str, s: &Secrets, h_u: &[u8]) -> Result<[u8; 64]> {
    let (circ, n) = checked_circuit(r1cs_path)?;
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
    let inv_delta = s.delta.inverse().ok_or_else(|| ProverError::new("SETUP_FAILED", zkey_path, "delta is zero"))?;
    let h_scalars: Vec<Fr> = lagrange(s.tau, 2 * n, (0..n).map(|i| 2 * i + 1)).into_par_iter().map(|x| x * inv_delta).collect();
    let c_private: Vec<Fr> = k[np + 1..].par_iter().map(|x| *x * inv_delta).collect();
    let header_g1 = g1_mul(&[s.alpha, s.beta, s.delta]);
    let header_g2 = g2_mul(&[s.beta, s.delta]);
    let points = KeyPoints {
        alpha1: header_g1[0],
        beta1: header_g1[1],
        delta1: header_g1[2],
        beta2: header_g2[0],
        delta2: header_g2[1],
        ic: g1_mul(&k[..=np]),
        c_init: g1_mul(&k[np + 1..]),
        c: g1_mul(&c_private),
        a: g1_mul(&a),
        b1: g1_mul(&b),
        b2: g2_mul(&b),
        h: g1_mul(&h_scalars),
    };
    write_key(&circ, n, &points, h_u, zkey_path)
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
pub fn ceremony_zkey(r1cs_path: &str, ptau_path: &str, zkey_path: &str, delta: Fr, h_u: &[u8]) -> Result<[u8; 64]> {
    let (circ, n) = checked_circuit(r1cs_path)?;
    let (nv, np, m) = (circ.n_wires, circ.n_public, circ.n_constraints);
    let mut pt = Container::open(ptau_path, b"ptau", "PTAU_INVALID")?;
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
    let inv_delta = delta.inverse().ok_or_else(|| ProverError::new("SETUP_FAILED", zkey_path, "delta is zero"))?;
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
    write_key(&circ, n, &points, h_u, zkey_path)
}
