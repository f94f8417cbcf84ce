//! The Hyrax commitment (Pedersen rows over BN254 G1, no trusted setup) to a vector of small signed integers,
//! and its opening at a point of the vector's MLE. Two forms: the plain one (format 2's proofs: rows without a
//! blinding term, the opening sends the row combination u in the clear) and the hiding one (zero-knowledge step 1
//! of docs/design/zero-knowledge.md: rows blinded by r_i H, the opening a proof of dot product, dot_product.rs,
//! that reveals nothing of u).
//!
//! Layout: a vector of 2^k entries (padded with zeros) is a matrix of 2^(k - c) rows by 2^c columns, row-major,
//! c = ceil(k / 2). Its MLE's variables 0..c are the column bits (r_low) and c..k the row bits (r_high), so a
//! point r = (r_low || r_high) and v~(r) = sum_i eq(r_high, i) sum_j eq(r_low, j) M[i][j].
//!
//! Generators, by try-and-increment hash to curve (y^2 = x^3 + 3 over Fq, BN254 G1, cofactor 1 so every point is
//! in the group): G_j for j < 2^c is `hash_to_g1(tag, j)`, H is `hash_to_g1(tag, 2^64 - 1)`, G_v (a scalar's
//! generator, for the zero-knowledge opening) is `hash_to_g1(tag, 2^64 - 2)`, where
//! `hash_to_g1(tag, i)` takes, for counter = 0, 1, ..., h = keccak256(tag || uint256(i) || uint256(counter)) and
//! x = uint256(h) mod p, and returns the first (x, y) with x^3 + 3 a square, y the square root whose integer
//! value (in [0, p)) is even.
//!
//! commit: C_i = sum_j M[i][j] G_j, one point per row (small-scalar MSMs). open at r: the prover sends
//! u = sum_i eq(r_high, i) M[i] (2^c field elements); the verifier checks sum_j u_j G_j == sum_i eq(r_high, i) C_i
//! and that the claimed value is <u, eq(r_low)>. Transcript: the caller absorbs the commitment
//! (`HyraxCommitment::absorb`, label "hyrax commitment") when it is made; the opening absorbs
//! `absorb_frs("hyrax opening", u)`.

use super::dot_product::{DotGens, DotProductProof, DotWitness};
use super::error::VerifyError;
use super::fold::{fold_rows, FoldMethod};
use super::mle::{eq_table, inner_product};
use super::transcript::Transcript;
use ark_bn254::{Fq, Fr, G1Affine, G1Projective};
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInteger, Field, One, PrimeField, Zero};
use ark_std::rand::{CryptoRng, RngCore};
use ark_std::UniformRand;
use rayon::prelude::*;
use sha3::{Digest, Keccak256};

/// The point of BN254 G1 that the tag and index hash to (module doc: try-and-increment, even y).
pub fn hash_to_g1(tag: &[u8], index: u64) -> G1Affine {
    let mut counter = 0u64;
    loop {
        let mut idx = [0u8; 32];
        idx[24..].copy_from_slice(&index.to_be_bytes());
        let mut ctr = [0u8; 32];
        ctr[24..].copy_from_slice(&counter.to_be_bytes());
        let h = Keccak256::new().chain_update(tag).chain_update(idx).chain_update(ctr).finalize();
        let x = Fq::from_be_bytes_mod_order(&h);
        if let Some(y) = (x.square() * x + Fq::from(3u64)).sqrt() {
            let y = if y.into_bigint().is_even() { y } else { -y };
            let p = G1Affine::new_unchecked(x, y);
            debug_assert!(p.is_on_curve());
            return p;
        }
        counter += 1;
    }
}

/// The public parameters for vectors of 2^num_vars entries: the shape and the generators.
#[derive(Clone, Debug)]
pub struct HyraxParams {
    pub num_vars: usize,
    /// c: the number of column variables (the low ones); 2^c generators.
    pub col_vars: usize,
    pub row_vars: usize,
    pub gens: Vec<G1Affine>,
    /// The blinding generator H (`hash_to_g1(tag, 2^64 - 1)`): a hiding row is C_i = sum_j M[i][j] G_j + r_i H.
    pub h: G1Affine,
    /// The scalar generator G_v (`hash_to_g1(tag, 2^64 - 2)`): a committed value is y G_v + r H.
    pub g_v: G1Affine,
}

impl HyraxParams {
    /// The parameters for 2^num_vars entries, generators hashed from `tag` (in parallel).
    pub fn new(tag: &[u8], num_vars: usize) -> Self {
        let col_vars = num_vars.div_ceil(2);
        let gens = (0..1u64 << col_vars).into_par_iter().map(|j| hash_to_g1(tag, j)).collect();
        let (h, g_v) = (hash_to_g1(tag, u64::MAX), hash_to_g1(tag, u64::MAX - 1));
        HyraxParams { num_vars, col_vars, row_vars: num_vars - col_vars, gens, h, g_v }
    }

    /// The generators of a dot-product proof over this matrix's columns.
    pub fn dot_gens(&self) -> DotGens<'_> {
        DotGens { g: &self.gens, g_v: self.g_v, h: self.h }
    }

    /// The commitment to a public value y: y G_v, blinder 0 (what a zero-knowledge opening of a public claim proves).
    pub fn public_value(&self, y: Fr) -> G1Affine {
        (self.g_v * y).into_affine()
    }

    /// 2^c: the number of columns (and of generators G_j).
    pub fn cols(&self) -> usize {
        1 << self.col_vars
    }

    /// 2^(k - c): the number of rows (and of points in a commitment).
    pub fn rows(&self) -> usize {
        1 << self.row_vars
    }
}

/// One G1 point per row.
#[derive(Clone, Debug, PartialEq)]
pub struct HyraxCommitment {
    pub rows: Vec<G1Affine>,
}

impl HyraxCommitment {
    /// Absorbs the row commitments, in row order, as one message ("hyrax commitment").
    pub fn absorb(&self, t: &mut Transcript) {
        t.absorb_g1s(b"hyrax commitment", &self.rows);
    }
}

/// The opening proof: the row combination u = sum_i eq(r_high, i) M[i].
#[derive(Clone, Debug, PartialEq)]
pub struct HyraxOpening {
    pub u: Vec<Fr>,
}

/// How a row's small-scalar MSM is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitMethod {
    /// ark-ec's VariableBaseMSM::msm_bigint (it sorts the scalars by size and uses u8/u16/... routines).
    Ark,
    /// One bucket per absolute value (the sign folded into the base), summed by a running sum: cols mixed additions
    /// plus 2 * max|v| additions per row.
    Buckets,
    /// Buckets summed in affine coordinates with batched inversions (msm_small_batch_affine).
    BatchAffine,
    /// BatchAffine when max|v| <= max(cols, 256), else Ark.
    Auto,
}

/// sum_j v_j G_j for small signed v, by one bucket per absolute value.
fn msm_small_buckets(gens: &[G1Affine], v: &[i64], max_abs: usize) -> G1Projective {
    let mut buckets = vec![G1Projective::zero(); max_abs];
    for (g, &x) in gens.iter().zip(v) {
        if x > 0 {
            buckets[x as usize - 1] += g;
        } else if x < 0 {
            buckets[x.unsigned_abs() as usize - 1] -= g;
        }
    }
    // sum_k (k + 1) B_k by a running sum from the top.
    let (mut run, mut acc) = (G1Projective::zero(), G1Projective::zero());
    for b in buckets.iter().rev() {
        run += b;
        acc += run;
    }
    acc
}

/// sum_j v_j G_j for small signed v, the buckets summed in affine coordinates: the row's points sorted by |v|
/// (negated for negative v), then each bucket halved pairwise, level by level, every level's slopes inverted
/// at once (Montgomery's trick): about 6 multiplications an addition against 11 for a mixed Jacobian one.
/// Pairs the affine formula cannot add (equal x, or the identity) are added in projective form instead.
fn msm_small_batch_affine(gens: &[G1Affine], v: &[i64], max_abs: usize) -> G1Projective {
    // Counting sort: bucket b (|v| = b + 1) holds pts[start[b]..start[b] + len[b]].
    let mut len = vec![0usize; max_abs];
    for &x in v {
        if x != 0 {
            len[x.unsigned_abs() as usize - 1] += 1;
        }
    }
    let mut start = vec![0usize; max_abs];
    for b in 1..max_abs {
        start[b] = start[b - 1] + len[b - 1];
    }
    let total: usize = len.iter().sum();
    let mut pts = vec![G1Affine::identity(); total];
    let mut fill = start.clone();
    for (g, &x) in gens.iter().zip(v) {
        if x != 0 {
            let b = x.unsigned_abs() as usize - 1;
            pts[fill[b]] = if x > 0 { *g } else { -*g };
            fill[b] += 1;
        }
    }
    sum_groups_batch_affine(&mut pts, &start, &mut len);
    let (mut run, mut acc) = (G1Projective::zero(), G1Projective::zero());
    for b in (0..max_abs).rev() {
        if len[b] == 1 {
            run += pts[start[b]];
        }
        acc += run;
    }
    acc
}

/// Sums groups of affine points in place: group b is pts[start[b]..start[b] + len[b]], halved pairwise level by
/// level, every level's slopes inverted at once (Montgomery's trick). At the end len[b] is 0 (an empty group) or 1,
/// the sum at pts[start[b]]. Pairs the affine formula cannot add (equal x, or the identity) go through projective
/// form instead.
fn sum_groups_batch_affine(pts: &mut [G1Affine], start: &[usize], len: &mut [usize]) {
    let mut den: Vec<Fq> = Vec::with_capacity(pts.len() / 2);
    loop {
        // The pairs of this level: (bucket, i) adds pts[s + 2i] and pts[s + 2i + 1].
        den.clear();
        let mut any = false;
        for b in 0..start.len() {
            let (s0, l) = (start[b], len[b]);
            for i in 0..l / 2 {
                let (p, q) = (&pts[s0 + 2 * i], &pts[s0 + 2 * i + 1]);
                // Zero marks a pair for the projective path (batch inversion skips zeros).
                den.push(if p.is_zero() || q.is_zero() { Fq::zero() } else { q.x - p.x });
                any = true;
            }
        }
        if !any {
            break;
        }
        ark_ff::fields::serial_batch_inversion_and_mul(&mut den, &Fq::one());
        let mut k = 0;
        for b in 0..start.len() {
            let (s0, l) = (start[b], len[b]);
            for i in 0..l / 2 {
                let (p, q) = (pts[s0 + 2 * i], pts[s0 + 2 * i + 1]);
                let inv = den[k];
                k += 1;
                pts[s0 + i] = if inv.is_zero() {
                    (p.into_group() + q).into_affine()
                } else {
                    let lambda = (q.y - p.y) * inv;
                    let x3 = lambda.square() - p.x - q.x;
                    let y3 = lambda * (p.x - x3) - p.y;
                    G1Affine::new_unchecked(x3, y3)
                };
            }
            if l % 2 == 1 {
                pts[s0 + l / 2] = pts[s0 + l - 1];
            }
            len[b] = l.div_ceil(2);
        }
    }
}

/// sum_j v_j G_j with ark's MSM: the scalars as big integers (negative v as r - |v|).
fn msm_small_ark(gens: &[G1Affine], v: &[i64]) -> G1Projective {
    let scalars: Vec<<Fr as PrimeField>::BigInt> = v.iter().map(|&x| super::mle::fr_from_i64(x).into_bigint()).collect();
    G1Projective::msm_bigint(&gens[..v.len()], &scalars)
}

/// sum_j v_j G_j for small signed integers v on any bases (a KZG commitment of 8-bit weights, kzg.rs): chunks in
/// parallel, each summed by buckets in affine form when the values are small, else by ark's MSM.
pub(crate) fn msm_i64(gens: &[G1Affine], v: &[i64]) -> G1Projective {
    const CHUNK: usize = 1 << 12;
    assert!(v.len() <= gens.len(), "{} values for {} bases", v.len(), gens.len());
    let max_abs = v.par_iter().map(|x| x.unsigned_abs()).max().unwrap_or(0);
    v.par_chunks(CHUNK)
        .enumerate()
        .map(|(i, c)| {
            let g = &gens[i * CHUNK..];
            if max_abs <= CHUNK as u64 {
                msm_small_batch_affine(g, c, max_abs as usize)
            } else {
                msm_small_ark(g, c)
            }
        })
        .sum()
}

/// Commits to v (at most 2^num_vars entries, padded with zeros): one MSM per row, rows in parallel.
pub fn commit_i64_with(params: &HyraxParams, v: &[i64], method: CommitMethod) -> HyraxCommitment {
    assert!(v.len() <= 1 << params.num_vars, "vector longer than the parameters allow");
    let cols = params.cols();
    let max_abs = v.par_iter().map(|x| x.unsigned_abs()).max().unwrap_or(0);
    let method = match method {
        CommitMethod::Auto if max_abs <= cols.max(256) as u64 => CommitMethod::BatchAffine,
        CommitMethod::Auto => CommitMethod::Ark,
        m => m,
    };
    let rows: Vec<G1Projective> = (0..params.rows())
        .into_par_iter()
        .map(|i| {
            let start = (i * cols).min(v.len());
            let row = &v[start..((i + 1) * cols).min(v.len())];
            match method {
                CommitMethod::Buckets => msm_small_buckets(&params.gens, row, max_abs as usize),
                CommitMethod::BatchAffine => msm_small_batch_affine(&params.gens, row, max_abs as usize),
                _ => msm_small_ark(&params.gens, row),
            }
        })
        .collect();
    HyraxCommitment { rows: G1Projective::normalize_batch(&rows) }
}

/// commit_i64_with, the method chosen from the values' size.
pub fn commit_i64(params: &HyraxParams, v: &[i64]) -> HyraxCommitment {
    commit_i64_with(params, v, CommitMethod::Auto)
}

/// u = sum_i eq(r_high, i) M[i]: v's rows (v padded with zeros to whole rows) combined along eq(r_high).
pub(crate) fn row_combination(params: &HyraxParams, v: &[i64], r_high: &[Fr]) -> Vec<Fr> {
    let cols = params.cols();
    let padded;
    let m = if v.len().is_multiple_of(cols) {
        v
    } else {
        padded = [v, &vec![0; v.len().next_multiple_of(cols) - v.len()]].concat();
        &padded[..]
    };
    fold_rows(m, m.len() / cols, cols, &eq_table(r_high), FoldMethod::Auto)
}

/// Opens v's MLE at `point` (num_vars coordinates, r_low first): returns the row combination u and the value
/// v~(point); absorbs u ("hyrax opening").
pub fn open_i64(params: &HyraxParams, v: &[i64], point: &[Fr], t: &mut Transcript) -> (HyraxOpening, Fr) {
    assert_eq!(point.len(), params.num_vars, "opening point of the wrong length");
    let (r_low, r_high) = point.split_at(params.col_vars);
    let u = row_combination(params, v, r_high);
    let value = inner_product(&u, &eq_table(r_low));
    t.absorb_frs(b"hyrax opening", &u);
    (HyraxOpening { u }, value)
}

/// The point's length and the commitment's row count against the parameters.
fn check_shapes(params: &HyraxParams, comm: &HyraxCommitment, point: &[Fr]) -> Result<(), VerifyError> {
    if point.len() != params.num_vars {
        return Err(VerifyError::Shape { what: "hyrax point", got: point.len(), expected: params.num_vars });
    }
    if comm.rows.len() != params.rows() {
        return Err(VerifyError::Shape { what: "hyrax commitment rows", got: comm.rows.len(), expected: params.rows() });
    }
    Ok(())
}

/// Checks that the committed vector's MLE is `value` at `point`: the shapes, sum_j u_j G_j against
/// sum_i eq(r_high, i) C_i (two MSMs of sqrt size), and value == <u, eq(r_low)>; absorbs u ("hyrax opening").
pub fn verify_opening(
    params: &HyraxParams,
    comm: &HyraxCommitment,
    point: &[Fr],
    value: Fr,
    proof: &HyraxOpening,
    t: &mut Transcript,
) -> Result<(), VerifyError> {
    check_shapes(params, comm, point)?;
    if proof.u.len() != params.cols() {
        return Err(VerifyError::Shape { what: "hyrax opening", got: proof.u.len(), expected: params.cols() });
    }
    let (r_low, r_high) = point.split_at(params.col_vars);
    let lhs = G1Projective::msm(&params.gens, &proof.u).expect("lengths checked");
    let rhs = combined_rows(comm, r_high);
    if lhs != rhs {
        return Err(VerifyError::Opening { what: "row combination does not match the commitment" });
    }
    if inner_product(&proof.u, &eq_table(r_low)) != value {
        return Err(VerifyError::Opening { what: "claimed value is not <u, eq(r_low)>" });
    }
    t.absorb_frs(b"hyrax opening", &proof.u);
    Ok(())
}

/// r_i H for uniform r_i from `rng`, one a row: the blinding terms and their blinders.
fn blinding_terms<R: RngCore + CryptoRng>(params: &HyraxParams, rng: &mut R) -> (Vec<G1Affine>, Vec<Fr>) {
    let blinders: Vec<Fr> = (0..params.rows()).map(|_| Fr::rand(rng)).collect();
    (BatchMulPreprocessing::new(params.h.into_group(), blinders.len()).batch_mul(&blinders), blinders)
}

fn add_rows(rows: &[G1Affine], terms: &[G1Affine]) -> HyraxCommitment {
    let sums: Vec<G1Projective> = rows.iter().zip(terms).map(|(c, m)| *c + m).collect();
    HyraxCommitment { rows: G1Projective::normalize_batch(&sums) }
}

/// A hiding commitment: the rows of `commit_i64` plus r_i H, r_i uniform from `rng` (the prover's CSPRNG, never the
/// transcript). Returns the commitment and the blinders r_i, which the opening needs and nobody else may learn.
pub fn commit_i64_hiding<R: RngCore + CryptoRng>(params: &HyraxParams, v: &[i64], rng: &mut R) -> (HyraxCommitment, Vec<Fr>) {
    let (terms, blinders) = blinding_terms(params, rng);
    (add_rows(&commit_i64(params, v).rows, &terms), blinders)
}

/// A hiding commitment to a vector of field elements (masks, lookup helpers: full-size scalars, one MSM a row over
/// its non-zero entries).
pub fn commit_fr_hiding<R: RngCore + CryptoRng>(params: &HyraxParams, v: &[Fr], rng: &mut R) -> (HyraxCommitment, Vec<Fr>) {
    assert!(v.len() <= 1 << params.num_vars, "vector longer than the parameters allow");
    let cols = params.cols();
    let rows: Vec<G1Projective> = (0..params.rows())
        .into_par_iter()
        .map(|i| {
            let row = &v[(i * cols).min(v.len())..((i + 1) * cols).min(v.len())];
            // Zero entries dropped first: a lookup's table-side helper is zero wherever a row is unused.
            let (gens, scalars): (Vec<G1Affine>, Vec<Fr>) =
                params.gens.iter().zip(row).filter(|(_, x)| !x.is_zero()).map(|(g, x)| (*g, *x)).unzip();
            G1Projective::msm(&gens, &scalars).expect("lengths match")
        })
        .collect();
    let (terms, blinders) = blinding_terms(params, rng);
    (add_rows(&G1Projective::normalize_batch(&rows), &terms), blinders)
}

/// Fixed-base tables for a few bases (a vector's column generators and H): for window k of W bits and digit
/// d in 1..=2^(W-1), d 2^(W k) B in affine form. A full-size scalar times B is then one mixed addition a window
/// (signed digits), with no doubling: for the many short rows of lookup helpers and masks, where a per-row MSM
/// pays its bucket overhead on a handful of points. Built once a proof, shared by every hiding commitment of
/// field elements in it.
pub struct FixedBases {
    /// bases[j], j < the column count, are G_j; the last is H.
    bases: Vec<G1Affine>,
    tables: Vec<Vec<G1Affine>>,
    /// W, 2^(W-1) and the number of windows.
    window: usize,
    half: usize,
    windows: usize,
}

/// A scalar's signed digits in [-2^(W-1), 2^(W-1)), least significant first (Fr < 2^254: no carry out of the top).
fn signed_digits(x: &Fr, window: usize, out: &mut Vec<i16>) {
    let limbs = x.into_bigint().0;
    let bit = |i: usize| if i < 256 { (limbs[i / 64] >> (i % 64)) & 1 } else { 0 };
    out.clear();
    let mut carry = 0i64;
    for k in 0..256usize.div_ceil(window) {
        let mut d = carry;
        for b in 0..window {
            d += (bit(k * window + b) as i64) << b;
        }
        if d >= 1 << (window - 1) {
            d -= 1 << window;
            carry = 1;
        } else {
            carry = 0;
        }
        out.push(d as i16);
    }
    debug_assert_eq!(carry, 0);
}

impl FixedBases {
    /// Tables for params' column generators (the first `cols` of them) and H, their window chosen for about
    /// `entries` scalars to multiply: a table of 2^(W-1) points a window costs about two affine additions a
    /// point, each scalar one a window.
    pub fn new(params: &HyraxParams, cols: usize, entries: usize) -> Self {
        let cost = |w: usize| 256usize.div_ceil(w) * ((cols + 1) * (1 << (w - 1)) * 2 + entries);
        let window = (3..=8).min_by_key(|&w| cost(w)).expect("a window");
        let (half, windows) = (1 << (window - 1), 256usize.div_ceil(window));
        let mut bases = params.gens[..cols].to_vec();
        bases.push(params.h);
        let tables = bases
            .par_iter()
            .map(|b| {
                let mut pts = Vec::with_capacity(windows * half);
                let mut p = b.into_group();
                for _ in 0..windows {
                    let mut acc = p;
                    for _ in 0..half {
                        pts.push(acc);
                        acc += p;
                    }
                    for _ in 0..window {
                        p.double_in_place();
                    }
                }
                G1Projective::normalize_batch(&pts)
            })
            .collect();
        FixedBases { bases, tables, window, half, windows }
    }

    /// Whether these tables serve params' rows (its generators are a prefix of the bases, its H the same).
    fn serves(&self, params: &HyraxParams) -> bool {
        self.covers(&params.gens[..params.cols()], &params.h)
    }

    /// Whether g is a prefix of the column bases and h is H.
    pub fn covers(&self, g: &[G1Affine], h: &G1Affine) -> bool {
        let cols = self.bases.len() - 1;
        g.len() <= cols && g == &self.bases[..g.len()] && *h == self.bases[cols]
    }

    /// sum_j x_j G_j + r H (the caller has checked `covers`).
    pub fn commit(&self, x: &[Fr], r: &Fr) -> G1Affine {
        let h = self.bases.len() - 1;
        assert!(x.len() <= h, "more scalars than column bases");
        let (mut pts, mut digits) = (Vec::new(), Vec::with_capacity(self.windows));
        for (j, x) in x.iter().enumerate().filter(|(_, x)| !x.is_zero()).chain([(h, r)]) {
            self.push_terms(&mut pts, &mut digits, j, x);
        }
        let mut len = [pts.len()];
        sum_groups_batch_affine(&mut pts, &[0], &mut len);
        if len[0] == 1 {
            pts[0]
        } else {
            G1Affine::identity()
        }
    }

    /// Pushes the table points whose sum is x bases[j] (one a non-zero digit, negated for a negative one).
    fn push_terms(&self, pts: &mut Vec<G1Affine>, digits: &mut Vec<i16>, j: usize, x: &Fr) {
        let table = &self.tables[j];
        signed_digits(x, self.window, digits);
        debug_assert_eq!(digits.len(), self.windows);
        for (k, &d) in digits.iter().enumerate() {
            if d > 0 {
                pts.push(table[k * self.half + d as usize - 1]);
            } else if d < 0 {
                pts.push(-table[k * self.half + d.unsigned_abs() as usize - 1]);
            }
        }
    }
}

/// commit_fr_hiding by fixed-base tables (the same commitment and blinders, the same draws from `rng`), or by
/// commit_fr_hiding when the tables do not serve these parameters.
pub fn commit_fr_hiding_fixed<R: RngCore + CryptoRng>(params: &HyraxParams, v: &[Fr], fixed: &FixedBases, rng: &mut R) -> (HyraxCommitment, Vec<Fr>) {
    if !fixed.serves(params) {
        return commit_fr_hiding(params, v, rng);
    }
    assert!(v.len() <= 1 << params.num_vars, "vector longer than the parameters allow");
    let blinders: Vec<Fr> = (0..params.rows()).map(|_| Fr::rand(rng)).collect();
    let (cols, h) = (params.cols(), fixed.bases.len() - 1);
    // Rows in chunks, one a thread (one batch of affine additions each, so few inversions): every entry's table
    // points, then the blinder's.
    let chunk = blinders.len().div_ceil(rayon::current_num_threads()).max(1);
    let rows: Vec<G1Affine> = blinders
        .par_chunks(chunk)
        .enumerate()
        .flat_map_iter(|(c, rs)| {
            let (mut pts, mut start, mut len) = (Vec::new(), Vec::with_capacity(rs.len()), Vec::with_capacity(rs.len()));
            let mut digits = Vec::with_capacity(fixed.windows);
            for (k, r) in rs.iter().enumerate() {
                let i = c * chunk + k;
                let row = &v[(i * cols).min(v.len())..((i + 1) * cols).min(v.len())];
                start.push(pts.len());
                for (j, x) in row.iter().enumerate().filter(|(_, x)| !x.is_zero()).chain([(h, r)]) {
                    fixed.push_terms(&mut pts, &mut digits, j, x);
                }
                len.push(pts.len() - start[k]);
            }
            sum_groups_batch_affine(&mut pts, &start, &mut len);
            (0..rs.len()).map(move |k| if len[k] == 1 { pts[start[k]] } else { G1Affine::identity() }).collect::<Vec<_>>()
        })
        .collect();
    (HyraxCommitment { rows }, blinders)
}

/// The zero-knowledge opening: a proof of dot product that the value committed by Y (the caller's: y G_v + r_y H,
/// or `params.public_value(y)` with r_y = 0 for a public claim) is v~(point), revealing nothing of v's rows.
pub type HyraxZkOpening = DotProductProof;

/// T = sum_i eq(r_high, i) C_i: the commitment to the row combination u (blinder sum_i eq(r_high, i) r_i).
fn combined_rows(comm: &HyraxCommitment, r_high: &[Fr]) -> G1Projective {
    G1Projective::msm(&comm.rows, &eq_table(r_high)).expect("rows and eq(r_high) have one length")
}

/// The zero-knowledge opening of the row combination u (at the point's row part): returns the proof and
/// <u, eq(r_low)>, the vector's MLE at the point.
fn open_rows_zk<R: RngCore + CryptoRng>(
    params: &HyraxParams,
    u: &[Fr],
    blinders: &[Fr],
    point: &[Fr],
    r_y: Fr,
    t: &mut Transcript,
    rng: &mut R,
) -> (HyraxZkOpening, Fr) {
    assert_eq!(blinders.len(), params.rows(), "one blinder a row");
    let (r_low, r_high) = point.split_at(params.col_vars);
    let a = eq_table(r_low);
    let value = inner_product(u, &a);
    let tau = inner_product(&eq_table(r_high), blinders);
    let gens = params.dot_gens();
    let y_comm = super::dot_product::commit_scalar(&gens, value, r_y);
    (super::dot_product::prove(&gens, &a, &y_comm, &DotWitness { u, tau, r_y }, t, rng), value)
}

/// Opens v's MLE at `point` without revealing u: the dot-product proof of <u, eq(r_low)> = v~(point) against
/// T = sum_i eq(r_high, i) C_i, with Y's blinder `r_y`. `blinders` are the commitment's (commit_i64_hiding).
/// Returns the proof and v~(point). Transcript: the dot-product proof's (dot_product.rs).
pub fn open_i64_zk<R: RngCore + CryptoRng>(
    params: &HyraxParams,
    v: &[i64],
    blinders: &[Fr],
    point: &[Fr],
    r_y: Fr,
    t: &mut Transcript,
    rng: &mut R,
) -> (HyraxZkOpening, Fr) {
    assert_eq!(point.len(), params.num_vars, "opening point of the wrong length");
    let u = row_combination(params, v, &point[params.col_vars..]);
    open_rows_zk(params, &u, blinders, point, r_y, t, rng)
}

/// open_i64_zk for a vector of field elements (commit_fr_hiding's).
pub fn open_fr_zk<R: RngCore + CryptoRng>(
    params: &HyraxParams,
    v: &[Fr],
    blinders: &[Fr],
    point: &[Fr],
    r_y: Fr,
    t: &mut Transcript,
    rng: &mut R,
) -> (HyraxZkOpening, Fr) {
    assert_eq!(point.len(), params.num_vars, "opening point of the wrong length");
    let u = row_combination_fr(params, v, &point[params.col_vars..]);
    open_rows_zk(params, &u, blinders, point, r_y, t, rng)
}

/// u = sum_i eq(r_high, i) M[i] for a vector of field elements (rows past v's end are zeros).
pub(crate) fn row_combination_fr(params: &HyraxParams, v: &[Fr], r_high: &[Fr]) -> Vec<Fr> {
    let cols = params.cols();
    let weights = eq_table(r_high);
    let mut u = vec![Fr::zero(); cols];
    for (row, w) in v.chunks(cols).zip(&weights) {
        u.iter_mut().zip(row).for_each(|(a, x)| *a += *w * x);
    }
    u
}

/// Checks a zero-knowledge opening: the shapes, then the dot-product proof that Y commits to the committed
/// vector's MLE at `point`.
pub fn verify_opening_zk(
    params: &HyraxParams,
    comm: &HyraxCommitment,
    point: &[Fr],
    y_comm: &G1Affine,
    proof: &HyraxZkOpening,
    t: &mut Transcript,
) -> Result<(), VerifyError> {
    check_shapes(params, comm, point)?;
    let (r_low, r_high) = point.split_at(params.col_vars);
    super::dot_product::verify(&params.dot_gens(), &eq_table(r_low), &combined_rows(comm, r_high), y_comm, proof, t)
}

#[cfg(test)]
mod tests {
    use super::super::mle::Mle;
    use super::*;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
    use ark_std::{test_rng, UniformRand};
    use std::time::Instant;

    fn tr() -> Transcript {
        Transcript::new(b"hyrax-test")
    }

    /// The fixed-base tables' commitment is commit_fr_hiding's, point for point, with the same blinders: full-size
    /// entries, zeros, a short last row, a vector shorter than its parameters, a narrower one served by wider tables.
    #[test]
    fn fixed_base_hiding_commitments_equal_the_msm_ones() {
        let mut rng = StdRng::seed_from_u64(77);
        let wide = HyraxParams::new(b"zkml-hyrax-test", 7);
        // Entries to commit from few to many: windows from 3 to 8 bits.
        for (n, len, entries) in [(7, 128, 10), (7, 100, 1000), (5, 32, 1 << 14), (4, 9, 1 << 20), (1, 2, 1000)] {
            let fixed = FixedBases::new(&wide, wide.cols(), entries);
            let params = HyraxParams::new(b"zkml-hyrax-test", n);
            let mut v: Vec<Fr> = (0..len).map(|_| Fr::rand(&mut rng)).collect();
            v.iter_mut().step_by(3).for_each(|x| *x = Fr::zero());
            v[len - 1] = -Fr::one();
            let seed = rng.gen::<u64>();
            let a = commit_fr_hiding(&params, &v, &mut StdRng::seed_from_u64(seed));
            let b = commit_fr_hiding_fixed(&params, &v, &fixed, &mut StdRng::seed_from_u64(seed));
            assert_eq!(a, b, "2^{n}, {len} entries");
        }
        // Other generators: the plain path.
        let fixed = FixedBases::new(&wide, wide.cols(), 1000);
        let other = HyraxParams::new(b"zkml-other", 4);
        let v: Vec<Fr> = (0..16).map(|_| Fr::rand(&mut rng)).collect();
        assert_eq!(commit_fr_hiding(&other, &v, &mut StdRng::seed_from_u64(1)), commit_fr_hiding_fixed(&other, &v, &fixed, &mut StdRng::seed_from_u64(1)));
    }

    #[test]
    fn generators_are_deterministic_points_with_even_y() {
        let p = HyraxParams::new(b"zkml-hyrax-test", 6);
        assert_eq!((p.cols(), p.rows()), (8, 8));
        let q = HyraxParams::new(b"zkml-hyrax-test", 6);
        assert_eq!(p.gens, q.gens);
        let mut all = p.gens.clone();
        all.push(p.h);
        for (i, g) in all.iter().enumerate() {
            assert!(g.is_on_curve() && g.is_in_correct_subgroup_assuming_on_curve(), "generator {i}");
            assert!(g.y.into_bigint().is_even());
            assert!(all[..i].iter().all(|o| o != g));
        }
        assert_ne!(HyraxParams::new(b"other", 6).gens[0], p.gens[0]);
        // Pinned for the Solidity and TypeScript sides.
        let x0: String = fr_to_hex(&p.gens[0].x.into_bigint().to_bytes_be());
        println!("G_0.x = {x0}");
        assert_eq!(x0, PINNED_G0_X);
    }

    /// G_0.x for the tag "zkml-hyrax-test", pinned once and recomputed independently (ethers keccak256 and a BigInt
    /// square root): the same value.
    const PINNED_G0_X: &str = "16b65393f44d03eab18683ed55a32f296ef042d236b10adb451571e3de804840";

    fn fr_to_hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn honest_openings_give_the_mle_value() {
        let mut rng = test_rng();
        for (k, len) in [(0, 1), (1, 2), (2, 3), (5, 32), (8, 200), (9, 512), (12, 4000)] {
            let params = HyraxParams::new(b"zkml-hyrax-test", k);
            let v: Vec<i64> = (0..len).map(|_| rng.gen_range(-128..=127)).collect();
            let comm = commit_i64(&params, &v);
            let point: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
            let (proof, value) = open_i64(&params, &v, &point, &mut tr());
            assert_eq!(value, Mle::from_i64(&v).evaluate(&point), "k = {k}");
            assert_eq!(verify_opening(&params, &comm, &point, value, &proof, &mut tr()), Ok(()));
        }
    }

    #[test]
    fn commit_methods_agree() {
        let mut rng = test_rng();
        let params = HyraxParams::new(b"zkml-hyrax-test", 10);
        for (lo, hi) in [(-128i64, 127i64), (0, 1), (-3000, 3000), (-(1 << 40), 1 << 40)] {
            let v: Vec<i64> = (0..1000).map(|_| rng.gen_range(lo..=hi)).collect();
            let a = commit_i64_with(&params, &v, CommitMethod::Ark);
            if hi <= 3000 {
                assert_eq!(commit_i64_with(&params, &v, CommitMethod::Buckets), a);
                assert_eq!(commit_i64_with(&params, &v, CommitMethod::BatchAffine), a);
            }
            assert_eq!(commit_i64(&params, &v), a);
        }
    }

    #[test]
    fn batch_affine_handles_doubling_and_the_identity() {
        use ark_ec::AffineRepr;
        let g = G1Affine::generator();
        let gens = vec![g; 8];
        for v in [vec![1i64, 1, 1, -1, 1, -1, 0, 0], vec![2, -2, 2, -2, 1, 1, -1, 3], vec![-1; 8], vec![0; 8]] {
            let want = g.into_group() * Fr::from(v.iter().sum::<i64>());
            assert_eq!(msm_small_batch_affine(&gens, &v, 3), want, "{v:?}");
            assert_eq!(msm_small_buckets(&gens, &v, 3), want, "{v:?}");
        }
    }

    #[test]
    fn tampering_is_rejected() {
        let mut rng = test_rng();
        let k = 7;
        let params = HyraxParams::new(b"zkml-hyrax-test", k);
        let v: Vec<i64> = (0..1 << k).map(|_| rng.gen_range(-128..=127)).collect();
        let comm = commit_i64(&params, &v);
        let point: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
        let (proof, value) = open_i64(&params, &v, &point, &mut tr());
        assert!(verify_opening(&params, &comm, &point, value, &proof, &mut tr()).is_ok());
        // A changed u.
        for j in [0, params.cols() - 1] {
            let mut p = proof.clone();
            p.u[j] += Fr::from(1u64);
            assert!(matches!(verify_opening(&params, &comm, &point, value, &p, &mut tr()), Err(VerifyError::Opening { .. })));
        }
        // A changed commitment row (another vector's row).
        let mut v2 = v.clone();
        v2[params.cols() + 3] += 1;
        let comm2 = commit_i64(&params, &v2);
        assert_ne!(comm2.rows[1], comm.rows[1]);
        let mut c = comm.clone();
        c.rows[1] = comm2.rows[1];
        assert!(matches!(verify_opening(&params, &c, &point, value, &proof, &mut tr()), Err(VerifyError::Opening { .. })));
        // A wrong claimed value.
        assert!(matches!(
            verify_opening(&params, &comm, &point, value + Fr::from(1u64), &proof, &mut tr()),
            Err(VerifyError::Opening { .. })
        ));
        // The true opening of another vector against this commitment.
        let (p2, val2) = open_i64(&params, &v2, &point, &mut tr());
        assert!(verify_opening(&params, &comm, &point, val2, &p2, &mut tr()).is_err());
        // Shapes.
        let mut p = proof.clone();
        p.u.push(Fr::from(0u64));
        assert!(matches!(verify_opening(&params, &comm, &point, value, &p, &mut tr()), Err(VerifyError::Shape { .. })));
        assert!(matches!(verify_opening(&params, &comm, &point[1..], value, &proof, &mut tr()), Err(VerifyError::Shape { .. })));
    }


    /// A hiding commitment of a random 8-bit vector, and a zero-knowledge opening of it at a random point.
    struct ZkCase {
        params: HyraxParams,
        v: Vec<i64>,
        comm: HyraxCommitment,
        blinders: Vec<Fr>,
        point: Vec<Fr>,
    }

    fn zk_case(k: usize, len: usize, rng: &mut StdRng) -> ZkCase {
        let params = HyraxParams::new(b"zkml-hyrax-test", k);
        let v: Vec<i64> = (0..len).map(|_| rng.gen_range(-128..=127)).collect();
        let (comm, blinders) = commit_i64_hiding(&params, &v, rng);
        let point = (0..k).map(|_| Fr::rand(rng)).collect();
        ZkCase { params, v, comm, blinders, point }
    }

    #[test]
    fn zero_knowledge_openings_are_accepted_for_public_and_committed_values() {
        let mut rng = StdRng::seed_from_u64(7);
        for (k, len) in [(0, 1), (1, 2), (3, 5), (6, 64), (9, 300)] {
            let c = zk_case(k, len, &mut rng);
            // The hiding rows are the plain rows plus r_i H.
            let plain = commit_i64(&c.params, &c.v);
            for ((h, p), r) in c.comm.rows.iter().zip(&plain.rows).zip(&c.blinders) {
                assert_eq!(h.into_group(), p.into_group() + c.params.h * r);
            }
            let (proof, value) = open_i64_zk(&c.params, &c.v, &c.blinders, &c.point, Fr::zero(), &mut tr(), &mut rng);
            assert_eq!(value, Mle::from_i64(&c.v).evaluate(&c.point), "k = {k}");
            let y = c.params.public_value(value);
            assert_eq!(verify_opening_zk(&c.params, &c.comm, &c.point, &y, &proof, &mut tr()), Ok(()), "k = {k}");
            let r_y = Fr::rand(&mut rng);
            let (proof, value) = open_i64_zk(&c.params, &c.v, &c.blinders, &c.point, r_y, &mut tr(), &mut rng);
            let y = super::super::dot_product::commit_scalar(&c.params.dot_gens(), value, r_y);
            assert_eq!(verify_opening_zk(&c.params, &c.comm, &c.point, &y, &proof, &mut tr()), Ok(()), "k = {k}");
        }
    }

    #[test]
    fn zero_knowledge_openings_refuse_every_change() {
        let mut rng = StdRng::seed_from_u64(8);
        let c = zk_case(6, 64, &mut rng);
        let (proof, value) = open_i64_zk(&c.params, &c.v, &c.blinders, &c.point, Fr::zero(), &mut tr(), &mut rng);
        let check = |comm: &HyraxCommitment, point: &[Fr], value: Fr, p: &HyraxZkOpening| {
            verify_opening_zk(&c.params, comm, point, &c.params.public_value(value), p, &mut tr())
        };
        assert!(check(&c.comm, &c.point, value, &proof).is_ok());
        assert!(check(&c.comm, &c.point, value + Fr::one(), &proof).is_err(), "a wrong value");
        let mut point = c.point.clone();
        point[5] += Fr::one();
        assert!(check(&c.comm, &point, value, &proof).is_err(), "another point");
        for i in 0..c.comm.rows.len() {
            let mut comm = c.comm.clone();
            comm.rows[i] = (comm.rows[i] + c.params.gens[0]).into_affine();
            assert!(check(&comm, &c.point, value, &proof).is_err(), "row {i} changed");
        }
        // Another vector, honestly committed and opened, against this commitment.
        let mut v2 = c.v.clone();
        v2[9] += 1;
        let (p2, val2) = open_i64_zk(&c.params, &v2, &c.blinders, &c.point, Fr::zero(), &mut tr(), &mut rng);
        assert!(check(&c.comm, &c.point, val2, &p2).is_err(), "another vector");
        // The row combination of plain rows: a prover that does not know the blinders cannot open.
        let (p3, _) = open_i64_zk(&c.params, &c.v, &vec![Fr::zero(); c.blinders.len()], &c.point, Fr::zero(), &mut tr(), &mut rng);
        assert!(check(&c.comm, &c.point, value, &p3).is_err(), "without the blinders");
        let mut comm = c.comm.clone();
        comm.rows.pop();
        assert!(matches!(check(&comm, &c.point, value, &proof), Err(VerifyError::Shape { .. })));
        assert!(matches!(check(&c.comm, &c.point[1..], value, &proof), Err(VerifyError::Shape { .. })));
    }

    #[test]
    fn hiding_commitments_and_openings_differ_each_time_for_one_vector() {
        let mut rng = StdRng::seed_from_u64(9);
        let c = zk_case(4, 16, &mut rng);
        let (again, blinders2) = commit_i64_hiding(&c.params, &c.v, &mut rng);
        assert!(again.rows.iter().zip(&c.comm.rows).all(|(a, b)| a != b), "a row repeated: the commitment is a dictionary");
        assert_ne!(blinders2, c.blinders);
        let (p1, v1) = open_i64_zk(&c.params, &c.v, &c.blinders, &c.point, Fr::zero(), &mut tr(), &mut rng);
        let (p2, v2) = open_i64_zk(&c.params, &c.v, &c.blinders, &c.point, Fr::zero(), &mut tr(), &mut rng);
        assert_eq!(v1, v2);
        assert!(p1.z.iter().zip(&p2.z).all(|(a, b)| a != b));
    }

    /// The response z = c u + d is uniform: over 1,000 seeded openings of one all-zero-but-one vector (the easiest
    /// to recognise), the low 4 bits of each z_j fall in 16 bins evenly (chi-squared with 15 degrees of freedom
    /// below 37.7, its 0.1% point), as do those of z_delta and z_beta.
    #[test]
    fn zero_knowledge_responses_look_uniform() {
        let mut rng = StdRng::seed_from_u64(10);
        let params = HyraxParams::new(b"zkml-hyrax-test", 4);
        let mut v = vec![0i64; 16];
        v[3] = 1;
        let point: Vec<Fr> = (0..4).map(|_| Fr::rand(&mut rng)).collect();
        let (runs, bins) = (1000usize, 16usize);
        let mut counts = vec![vec![0usize; bins]; params.cols() + 2];
        for _ in 0..runs {
            let (comm, blinders) = commit_i64_hiding(&params, &v, &mut rng);
            let _ = comm;
            let (p, _) = open_i64_zk(&params, &v, &blinders, &point, Fr::zero(), &mut tr(), &mut rng);
            for (j, x) in p.z.iter().chain([&p.z_delta, &p.z_beta]).enumerate() {
                counts[j][(x.into_bigint().as_ref()[0] & 15) as usize] += 1;
            }
        }
        let expect = runs as f64 / bins as f64;
        for (j, c) in counts.iter().enumerate() {
            let chi2: f64 = c.iter().map(|&n| (n as f64 - expect).powi(2) / expect).sum();
            assert!(chi2 < 37.7, "response word {j}: chi-squared {chi2:.1} over 16 bins");
        }
    }

    /// Committing 2^22 signed 8-bit values (2048 rows of 2048) both ways, and an opening.
    /// `cargo test --release measure_commit -- --ignored --nocapture --test-threads=1`.
    #[test]
    #[ignore]
    fn measure_commit_2_22() {
        let mut rng = test_rng();
        let k = 22;
        let t0 = Instant::now();
        let params = HyraxParams::new(b"zkml-hyrax-bench", k);
        println!("generators (2048 by hash to curve): {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
        let v: Vec<i64> = (0..1 << k).map(|_| rng.gen_range(-128..=127)).collect();
        let mut last = None;
        let cpu = super::super::cpu_seconds;
        for m in [CommitMethod::BatchAffine, CommitMethod::Buckets, CommitMethod::Ark] {
            let (t, c0) = (Instant::now(), cpu());
            let c = commit_i64_with(&params, &v, m);
            println!(
                "commit 2^22 i8 ({m:?}): {:.1} ms wall, {:.2} s CPU ({} threads)",
                t.elapsed().as_secs_f64() * 1e3,
                cpu() - c0,
                rayon::current_num_threads()
            );
            if let Some(l) = &last {
                assert_eq!(&c, l);
            }
            last = Some(c);
        }
        let comm = last.unwrap();
        let point: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
        let t = Instant::now();
        let (proof, value) = open_i64(&params, &v, &point, &mut tr());
        println!("open 2^22: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        verify_opening(&params, &comm, &point, value, &proof, &mut tr()).unwrap();
        println!("verify opening 2^22: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        let mut zrng = StdRng::seed_from_u64(11);
        let (t, c0) = (Instant::now(), cpu());
        let (comm, blinders) = commit_i64_hiding(&params, &v, &mut zrng);
        println!("hiding commit 2^22 i8: {:.1} ms wall, {:.2} s CPU", t.elapsed().as_secs_f64() * 1e3, cpu() - c0);
        let t = Instant::now();
        let (proof, value) = open_i64_zk(&params, &v, &blinders, &point, Fr::zero(), &mut tr(), &mut zrng);
        println!("zero-knowledge open 2^22: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        verify_opening_zk(&params, &comm, &point, &params.public_value(value), &proof, &mut tr()).unwrap();
        println!("verify zero-knowledge opening 2^22: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    }
}
