//! The joint merge and opening (zero-knowledge step 3 of docs/design/zero-knowledge.md): every claim a
//! zero-knowledge proof leaves, on any of its hiding-committed vectors, merged by one zero-knowledge sumcheck
//! and proved by zero-knowledge openings, so that nothing but uniformly masked values leaves the prover.
//!
//! Vectors: V_0..V_{K-1}, V_i of 2^(n_i) field elements under its own Hyrax parameters (all with one H and G_v),
//! committed with hiding rows before any challenge (the caller absorbs them). They are the segments of one virtual
//! vector P over n = log2_ceil(sum_i 2^(n_i)) variables, placed as layout.rs places segments (largest first, ties by
//! index, end to end, so V_i's offset o_i is a multiple of 2^(n_i)): P~(x) = sum_i eq(o_i >> n_i, x[n_i..])
//! V_i~(x[..n_i]), and lambda_i(s) = eq(o_i >> n_i, s[n_i..]) is V_i's weight at s.
//!
//! Claims: sum_k (pieces of claim k) = value_k, each piece either c eq-evaluation of a vector at a point
//! (`Piece::Eq`) or public weights on its entries (`Piece::Weights`); a masked value F(r) + rho Z(r) is one claim
//! of two pieces (F's column at r, rho's entry with weight Z(r)). All are sum_x E_k(x) P(x) = value_k for a public
//! E_k (built segment by segment: a piece costs its segment's size), merged with the verifier's alpha into sum_x E(x) P(x) = sum_k alpha^k value_k, E = sum_k alpha^k E_k.
//!
//! The merge is zk.rs's sumcheck of E P with P hidden (E is the verifier's): its masks (rho_P, Libra's g_M) cannot
//! be in the vectors it merges, so they form the merge mask m, committed by a plain hiding Pedersen vector
//! commitment C_M = sum_j m_j M_j + r_M H (M_j = hash_to_g1("zkml-merge-mask", j)) with the vectors. It ends at
//! s with P^(s) = P(s) + rho_P Z(s) revealed (uniform by rho_P), and two claims on m (K_M and g_M(s)).
//! The openings: for each vector a commitment Y_i = V_i~(s_i) G_v + r_i H and its zero-knowledge Hyrax opening
//! (hyrax.rs), s_i = s[..n_i]; then with the verifier's gamma one proof of dot product on C_M of
//! <Z(s) e_rho + gamma w_K + gamma^2 w_y, m> = (P^(s) - sum_i lambda_i V_i~(s_i)) + gamma K_M + gamma^2 g_M(s)
//! against Y = (P^(s) + gamma K_M + gamma^2 g_M(s)) G_v - sum_i lambda_i Y_i, lambda_i = P~'s selector weight of
//! V_i at s. Nothing of the vectors is revealed but P^(s); soundness rests on the sumcheck, the openings' binding
//! and gamma drawn after every Y_i.
//!
//! Transcript, after the caller's commitments (vectors and C_M): `absorb_frs("joint values", value_k...)`,
//! alpha = challenge, zk.rs's sumcheck (claim sum_k alpha^k value_k, no corrections), `absorb_fr("joint value",
//! P^(s))`, each vector's opening in order (dot_product.rs: its Y_i first), gamma = challenge, C_M's proof. The
//! claims' points and weights are not absorbed: the verifier computes them from the statement and earlier
//! challenges, as it does every other point.

use super::dot_product::{self, DotGens, DotProductProof, DotWitness};
use super::error::VerifyError;
use super::hyrax::{hash_to_g1, row_combination, FixedBases, row_combination_fr, verify_opening_zk, HyraxCommitment, HyraxParams, HyraxZkOpening};
use super::mle::{eq_eval, eq_table, fr_from_i64, inner_product, log2_ceil, Mle};
use super::network::{timed, Timings};
use super::transcript::Transcript;
use super::zk::{prove_zk, prove_zk_first, verify_zk, FirstRound, LibraMask, MaskAlloc, ZkShape, ZkSumcheckProof};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, Zero};
use ark_std::rand::{CryptoRng, RngCore};
use ark_std::UniformRand;
use rayon::prelude::*;

/// One part of a claim: c times vector `vector`'s MLE at `point`, or a weighted sum of its entries.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// c times the MLE at `point` of the vector's 2^len(point) entries from `offset` (a multiple of that size):
    /// a segment of it, or the whole vector (offset 0, a point of its length).
    Eq { vector: usize, offset: usize, point: Vec<Fr>, coeff: Fr },
    Weights { vector: usize, weights: Vec<(usize, Fr)> },
}

/// The sum of the pieces equals `value`.
#[derive(Clone, Debug, PartialEq)]
pub struct JointClaim {
    pub pieces: Vec<Piece>,
    pub value: Fr,
}

/// A claim a protocol step leaves, in its own names for columns (C): sum of coeff col~(point) over `evals`, plus
/// <weights, mask> on the mask vector, equals `value`. The caller maps the names to vectors (`into_joint`).
#[derive(Clone, Debug, PartialEq)]
pub struct ColClaim<C> {
    pub evals: Vec<(C, Vec<Fr>, Fr)>,
    pub mask: Vec<(usize, Fr)>,
    pub value: Fr,
}

impl<C: Copy> ColClaim<C> {
    /// A claim on the mask alone (zk.rs's MaskClaim).
    pub fn on_mask(c: &super::zk::MaskClaim) -> Self {
        ColClaim { evals: Vec::new(), mask: c.weights.clone(), value: c.value }
    }

    /// Whether it holds, given each column's MLE evaluation and the mask (the tests' check).
    pub fn holds(&self, eval: impl Fn(C, &[Fr]) -> Fr, mask: &[Fr]) -> bool {
        let lhs: Fr = self.evals.iter().map(|(c, p, k)| *k * eval(*c, p)).sum::<Fr>() + self.mask.iter().map(|(i, w)| mask[*i] * w).sum::<Fr>();
        lhs == self.value
    }

    /// The joint claim: `place(col)` gives the vector and the offset in it of col's entries; the mask entries
    /// are vector `mask_vector`'s.
    pub fn into_joint(self, place: impl Fn(C) -> (usize, usize), mask_vector: usize) -> JointClaim {
        let mut pieces: Vec<Piece> = self
            .evals
            .into_iter()
            .map(|(c, point, coeff)| {
                let (vector, offset) = place(c);
                Piece::Eq { vector, offset, point, coeff }
            })
            .collect();
        if !self.mask.is_empty() {
            pieces.push(Piece::Weights { vector: mask_vector, weights: self.mask });
        }
        JointClaim { pieces, value: self.value }
    }
}

/// The public shape: each vector's variable count, and the generators of the merge mask.
#[derive(Clone, Debug)]
pub struct JointParams {
    pub vectors: Vec<HyraxParams>,
    /// Each vector's offset in the virtual vector P, and P's variables.
    pub offsets: Vec<usize>,
    pub num_vars: usize,
    /// The merge mask's layout (rho_P at slot 0, then Libra's g_M) and its generators M_j.
    pub mask_shape: ZkShape,
    pub mask_libra: LibraMask,
    pub mask_gens: Vec<G1Affine>,
}

impl JointParams {
    pub fn new(vectors: Vec<HyraxParams>) -> Self {
        assert!(!vectors.is_empty() && vectors.iter().all(|p| p.h == vectors[0].h && p.g_v == vectors[0].g_v), "vectors share H and G_v");
        let mut order: Vec<usize> = (0..vectors.len()).collect();
        order.sort_by(|&a, &b| vectors[b].num_vars.cmp(&vectors[a].num_vars).then(a.cmp(&b)));
        let mut offsets = vec![0; vectors.len()];
        let mut end = 0usize;
        for i in order {
            offsets[i] = end;
            end += 1 << vectors[i].num_vars;
        }
        let num_vars = log2_ceil(end);
        assert!(num_vars >= 1, "a joint vector of one entry has nothing to merge");
        let mut alloc = MaskAlloc::default();
        let rho = alloc.take(1);
        let mask_shape = ZkShape { num_vars, slots: vec![None, Some(rho)] };
        let mask_libra = mask_shape.libra(&mut alloc);
        let mask_gens = (0..alloc.len() as u64).map(|j| hash_to_g1(b"zkml-merge-mask", j)).collect();
        JointParams { vectors, offsets, num_vars, mask_shape, mask_libra, mask_gens }
    }

    /// The merge mask's length (rho_P and Libra's entries).
    pub fn mask_len(&self) -> usize {
        self.mask_gens.len()
    }

    fn mask_dot_gens(&self) -> DotGens<'_> {
        DotGens { g: &self.mask_gens, g_v: self.vectors[0].g_v, h: self.vectors[0].h }
    }

    /// lambda_i: V_i's weight in P~ at s, eq(o_i >> n_i, s[n_i..]).
    fn selector(&self, i: usize, s: &[Fr]) -> Fr {
        let n = self.vectors[i].num_vars;
        eq_bits(self.offsets[i] >> n, &s[n..])
    }

    /// E_k's value at s: the claim's pieces evaluated at the merge's end point.
    fn claim_at(&self, claim: &JointClaim, s: &[Fr]) -> Fr {
        claim
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Eq { vector, offset, point, coeff } => {
                    let (len, n) = (point.len(), self.vectors[*vector].num_vars);
                    *coeff * eq_eval(point, &s[..len]) * eq_bits(offset >> len, &s[len..n]) * self.selector(*vector, s)
                }
                Piece::Weights { vector, weights } => {
                    let own = &s[..self.vectors[*vector].num_vars];
                    weights.iter().map(|(idx, w)| *w * eq_bits(*idx, own)).sum::<Fr>() * self.selector(*vector, s)
                }
            })
            .sum()
    }

    /// Adds c E_k into the table of E (entries of the virtual vector).
    fn add_claim(&self, claim: &JointClaim, c: Fr, e: &mut [Fr]) {
        for piece in &claim.pieces {
            match piece {
                Piece::Eq { vector, offset, point, coeff } => {
                    let size = 1usize << point.len();
                    assert!(offset % size == 0 && offset + size <= 1 << self.vectors[*vector].num_vars, "a segment past its vector");
                    let base = self.offsets[*vector] + offset;
                    let cc = c * coeff;
                    e[base..base + (1 << point.len())].iter_mut().zip(eq_table(point)).for_each(|(x, q)| *x += cc * q);
                }
                Piece::Weights { vector, weights } => {
                    let base = self.offsets[*vector];
                    for (idx, w) in weights {
                        assert!(*idx < 1 << self.vectors[*vector].num_vars, "a weight past its vector");
                        e[base + idx] += c * w;
                    }
                }
            }
        }
    }
}

/// eq(bits of idx, r) = prod_j (bit_j ? r_j : 1 - r_j).
fn eq_bits(idx: usize, r: &[Fr]) -> Fr {
    r.iter().enumerate().map(|(j, x)| if (idx >> j) & 1 == 1 { *x } else { Fr::one() - x }).product()
}

/// C_M = sum_j m_j M_j + r_M H: the merge mask's hiding commitment, and r_M.
pub fn commit_mask<R: RngCore + CryptoRng>(params: &JointParams, mask: &[Fr], rng: &mut R) -> (G1Affine, Fr) {
    assert_eq!(mask.len(), params.mask_len(), "the merge mask's length");
    let r = Fr::rand(rng);
    let c = G1Projective::msm(&params.mask_gens, mask).expect("lengths checked") + params.vectors[0].h * r;
    (c.into_affine(), r)
}

/// The proof: the merge's sumcheck, P^(s), each vector's value commitment and opening, and C_M's proof.
#[derive(Clone, Debug, PartialEq)]
pub struct JointProof {
    pub merge: ZkSumcheckProof,
    pub p_hat: Fr,
    /// Y_i = V_i~(s_i) G_v + r_i H, the value each opening proves.
    pub evals: Vec<G1Affine>,
    pub openings: Vec<HyraxZkOpening>,
    pub mask_proof: DotProductProof,
}

/// A committed vector as the prover holds it: field elements, or small integers (the model, the witness).
#[derive(Clone, Copy, Debug)]
pub enum VecRef<'a> {
    Fr(&'a [Fr]),
    Small(&'a [i64]),
}

impl VecRef<'_> {
    fn len(&self) -> usize {
        match self {
            VecRef::Fr(v) => v.len(),
            VecRef::Small(v) => v.len(),
        }
    }

    /// Writes the vector's entries as field elements into out (out.len() == self.len()).
    fn write(&self, out: &mut [Fr]) {
        match self {
            VecRef::Fr(v) => out.copy_from_slice(v),
            VecRef::Small(v) => out.par_chunks_mut(1 << 14).zip(v.par_chunks(1 << 14)).for_each(|(o, v)| o.iter_mut().zip(v).for_each(|(o, x)| *o = fr_from_i64(*x))),
        }
    }

    /// Its Hyrax row combination along eq(r_high).
    fn row_combination(&self, params: &HyraxParams, r_high: &[Fr]) -> Vec<Fr> {
        match self {
            VecRef::Fr(v) => row_combination_fr(params, v, r_high),
            VecRef::Small(v) => row_combination(params, v, r_high),
        }
    }
}

/// What the prover holds: each vector and its rows' blinders, the merge mask and its blinder.
pub struct JointWitness<'a> {
    pub vectors: Vec<VecRef<'a>>,
    pub blinders: Vec<&'a [Fr]>,
    pub mask: &'a [Fr],
    pub mask_blinder: Fr,
    /// Fixed-base tables for the openings' first messages, where they cover a vector's generators.
    pub fixed: Option<&'a FixedBases>,
}

fn absorb_claims(claims: &[JointClaim], t: &mut Transcript) -> Fr {
    let values: Vec<Fr> = claims.iter().map(|c| c.value).collect();
    t.absorb_frs(b"joint values", &values);
    t.challenge_fr()
}

fn merged_value(claims: &[JointClaim], alpha: Fr) -> Fr {
    claims.iter().rev().fold(Fr::zero(), |acc, c| acc * alpha + c.value)
}

/// The coefficients of C_M's dot product and its value's public part: Z(s) on rho_P, gamma on K's weights,
/// gamma^2 on g_M(s)'s.
fn mask_relation(params: &JointParams, z: Fr, mask_claims: &[super::zk::MaskClaim], p_hat: Fr, gamma: Fr) -> (Vec<Fr>, Fr) {
    let mut a = vec![Fr::zero(); params.mask_len()];
    a[params.mask_shape.slots[1].expect("rho_P's slot")] += z;
    let mut value = p_hat;
    let mut power = gamma;
    for c in mask_claims {
        c.weights.iter().for_each(|(i, w)| a[*i] += power * w);
        value += power * c.value;
        power *= gamma;
    }
    (a, value)
}

/// eq1(a, x) = a x + (1 - a)(1 - x).
fn eq1(a: Fr, x: Fr) -> Fr {
    a * x + (Fr::one() - a) * (Fr::one() - x)
}

/// Pairs of a segment per parallel task in the first round.
const PAIR_CHUNK: usize = 1 << 13;

/// (sum_b eqh[b] d[2b], sum_b eqh[b] d[2b + 1]) for small integers d (shorter than 2 eqh.len(): zeros after), by
/// one bucket per value (additions only) when the values' range is small beside the chunk, else by products.
fn pair_sums_small(eqh: &[Fr], d: &[i64]) -> (Fr, Fr) {
    let one = |(e, d): (&[Fr], &[i64])| -> (Fr, Fr) {
        let (min, max) = d.iter().fold((i64::MAX, i64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        if d.is_empty() {
            return (Fr::zero(), Fr::zero());
        }
        let range = (max - min) as u64 + 1;
        if range <= (e.len() as u64 / 4).max(16) {
            let mut b = vec![[Fr::zero(); 2]; range as usize];
            for (w, pair) in e.iter().zip(d.chunks(2)) {
                b[(pair[0] - min) as usize][0] += w;
                if let Some(x) = pair.get(1) {
                    b[(x - min) as usize][1] += w;
                }
            }
            b.iter().enumerate().fold((Fr::zero(), Fr::zero()), |(a0, a1), (v, [b0, b1])| {
                let x = fr_from_i64(min + v as i64);
                (a0 + x * b0, a1 + x * b1)
            })
        } else {
            e.iter().zip(d.chunks(2)).fold((Fr::zero(), Fr::zero()), |(a0, a1), (w, pair)| {
                (a0 + *w * fr_from_i64(pair[0]), a1 + pair.get(1).map_or(Fr::zero(), |x| *w * fr_from_i64(*x)))
            })
        }
    };
    let used = d.len().div_ceil(2).min(eqh.len());
    eqh[..used].par_chunks(PAIR_CHUNK).zip(d.par_chunks(2 * PAIR_CHUNK)).map(one).reduce(|| (Fr::zero(), Fr::zero()), |a, b| (a.0 + b.0, a.1 + b.1))
}

/// pair_sums_small for field elements.
fn pair_sums_fr(eqh: &[Fr], d: &[Fr]) -> (Fr, Fr) {
    let used = d.len().div_ceil(2).min(eqh.len());
    eqh[..used]
        .par_chunks(PAIR_CHUNK)
        .zip(d.par_chunks(2 * PAIR_CHUNK))
        .map(|(e, d)| e.iter().zip(d.chunks(2)).fold((Fr::zero(), Fr::zero()), |(a0, a1), (w, p)| (a0 + *w * p[0], a1 + p.get(1).map_or(Fr::zero(), |x| *w * x))))
        .reduce(|| (Fr::zero(), Fr::zero()), |a, b| (a.0 + b.0, a.1 + b.1))
}

impl VecRef<'_> {
    /// Entry i (zero past the end).
    fn at(&self, i: usize) -> Fr {
        match self {
            VecRef::Fr(v) => v.get(i).copied().unwrap_or_default(),
            VecRef::Small(v) => v.get(i).map_or(Fr::zero(), |x| fr_from_i64(*x)),
        }
    }

    /// The pair sums of entries from..from + 2 eqh.len() against eqh.
    fn pair_sums(&self, eqh: &[Fr], from: usize) -> (Fr, Fr) {
        match self {
            VecRef::Fr(v) => pair_sums_fr(eqh, &v[from.min(v.len())..(from + 2 * eqh.len()).min(v.len())]),
            VecRef::Small(v) => pair_sums_small(eqh, &v[from.min(v.len())..(from + 2 * eqh.len()).min(v.len())]),
        }
    }

    /// out[b] = v[2b] + r (v[2b + 1] - v[2b]) for b < out.len() (zeros past the end): small values through tables
    /// of their range when it is small.
    fn fold_into(&self, r: Fr, out: &mut [Fr]) {
        match self {
            VecRef::Fr(v) => out.par_iter_mut().enumerate().for_each(|(b, o)| {
                let (x, y) = (v.get(2 * b).copied().unwrap_or_default(), v.get(2 * b + 1).copied().unwrap_or_default());
                *o = x + r * (y - x);
            }),
            VecRef::Small(v) => {
                let (min, max) = v.par_iter().fold(|| (0i64, 0i64), |(a, b), &x| (a.min(x), b.max(x))).reduce(|| (0, 0), |(a, b), (c, d)| (a.min(c), b.max(d)));
                let range = (max - min) as usize + 1;
                let get = |i: usize| v.get(i).copied().unwrap_or(0);
                if range <= 1 << 16 && range <= v.len() / 4 {
                    // x + r (y - x) = (1 - r) x + r y: two tables over the values.
                    let t0: Vec<Fr> = (0..range).into_par_iter().map(|k| (Fr::one() - r) * fr_from_i64(min + k as i64)).collect();
                    let t1: Vec<Fr> = (0..range).into_par_iter().map(|k| r * fr_from_i64(min + k as i64)).collect();
                    out.par_iter_mut().enumerate().for_each(|(b, o)| *o = t0[(get(2 * b) - min) as usize] + t1[(get(2 * b + 1) - min) as usize]);
                } else {
                    out.par_iter_mut().enumerate().for_each(|(b, o)| {
                        let (x, y) = (get(2 * b), get(2 * b + 1));
                        *o = fr_from_i64(x) + r * fr_from_i64(y - x);
                    });
                }
            }
        }
    }
}

/// The merge's first round without E or P built whole (as layout.rs's ClaimsProver does for format 2's claims):
/// E is linear in the claims' pieces, so each piece's share of sum_b E(X, b) P(X, b) is c eq1(z_0, X) A(X), A(X) =
/// sum_b eq(z[1..], b) P(base + 2b + X) (exact at X = 2 by A's linearity), or a single entry's; after r_0, E's and
/// P's tables with variable 0 bound are built at half size. None when a vector has one entry (an odd offset).
fn merge_first_round<'a>(params: &'a JointParams, w: &'a JointWitness<'a>, claims: &'a [JointClaim], alpha: Fr, live: usize) -> Option<FirstRound<'a>> {
    if params.num_vars < 2 || params.vectors.iter().any(|v| v.num_vars == 0) {
        return None;
    }
    for (i, v) in w.vectors.iter().enumerate() {
        assert!(v.len() <= 1 << params.vectors[i].num_vars, "vector {i} longer than its parameters");
    }
    // Eq pieces of at least one variable: (vector, offset in it, point, coefficient); the rest single entries
    // (vector, index in it, weight).
    let (mut eqs, mut singles) = (Vec::new(), Vec::new());
    let mut power = Fr::one();
    for c in claims {
        for piece in &c.pieces {
            match piece {
                Piece::Eq { vector, offset, point, coeff } => {
                    let size = 1usize << point.len();
                    assert!(offset % size == 0 && offset + size <= 1 << params.vectors[*vector].num_vars, "a segment past its vector");
                    if point.is_empty() {
                        singles.push((*vector, *offset, power * coeff));
                    } else {
                        eqs.push((*vector, *offset, &point[..], power * coeff));
                    }
                }
                Piece::Weights { vector, weights } => {
                    for (idx, wt) in weights {
                        assert!(*idx < 1 << params.vectors[*vector].num_vars, "a weight past its vector");
                        singles.push((*vector, *idx, power * wt));
                    }
                }
            }
        }
        power *= alpha;
    }
    let two = Fr::from(2u64);
    let parts: Vec<(Vec<Fr>, [Fr; 3])> = eqs
        .par_iter()
        .map(|&(v, off, z, c)| {
            let eqh = eq_table(&z[1..]);
            let (a0, a1) = w.vectors[v].pair_sums(&eqh, off);
            let g = [c * (Fr::one() - z[0]) * a0, c * z[0] * a1, c * (z[0] + z[0] + z[0] - Fr::one()) * (two * a1 - a0)];
            (eqh, g)
        })
        .collect();
    let mut g = [Fr::zero(); 3];
    for (_, h) in &parts {
        (0..3).for_each(|x| g[x] += h[x]);
    }
    for &(v, idx, wt) in &singles {
        let (p0, p1) = (w.vectors[v].at(idx & !1), w.vectors[v].at(idx | 1));
        if idx & 1 == 0 {
            g[0] += wt * p0;
            g[2] -= wt * (two * p1 - p0);
        } else {
            g[1] += wt * p1;
            g[2] += two * wt * (two * p1 - p0);
        }
    }
    let n = params.num_vars;
    let fold = move |r: Fr| -> Vec<Mle> {
        let half = live / 2;
        let mut e = vec![Fr::zero(); half];
        for ((v, off, z, c), (eqh, _)) in eqs.iter().zip(parts) {
            let k = *c * eq1(z[0], r);
            let base = (params.offsets[*v] + off) / 2;
            e[base..base + eqh.len()].par_iter_mut().zip(eqh.par_iter()).for_each(|(x, q)| *x += k * q);
        }
        for &(v, idx, wt) in &singles {
            e[(params.offsets[v] + idx) / 2] += wt * if idx & 1 == 1 { r } else { Fr::one() - r };
        }
        let mut p = vec![Fr::zero(); half];
        for (i, v) in w.vectors.iter().enumerate() {
            let (o, size) = (params.offsets[i] / 2, 1usize << (params.vectors[i].num_vars - 1));
            v.fold_into(r, &mut p[o..o + size]);
        }
        vec![Mle { evals: e, num_vars: n - 1 }, Mle { evals: p, num_vars: n - 1 }]
    };
    Some(FirstRound { evals: g.to_vec(), fold: Box::new(fold) })
}

/// Proves every claim (each true of the witness's vectors) in zero knowledge.
pub fn prove_joint<R: RngCore + CryptoRng>(
    params: &JointParams,
    w: &JointWitness,
    claims: &[JointClaim],
    t: &mut Transcript,
    rng: &mut R,
) -> JointProof {
    prove_joint_timed(params, w, claims, t, rng, &mut Timings::new())
}

/// prove_joint with its phases' wall and CPU seconds added to `timings`.
pub fn prove_joint_timed<R: RngCore + CryptoRng>(
    params: &JointParams,
    w: &JointWitness,
    claims: &[JointClaim],
    t: &mut Transcript,
    rng: &mut R,
    timings: &mut Timings,
) -> JointProof {
    let n = params.num_vars;
    // P's vectors end at `live`; past it both tables are zeros, which the sumcheck skips.
    let live = params.vectors.iter().zip(&params.offsets).map(|(v, o)| o + (1 << v.num_vars)).max().expect("a vector");
    let alpha = absorb_claims(claims, t);
    let first = timed(timings, "joint: first round", || merge_first_round(params, w, claims, alpha, live));
    let out = match first {
        Some(first) => timed(timings, "joint: merge sumcheck", || prove_zk_first(first, &params.mask_shape, &params.mask_libra, w.mask, merged_value(claims, alpha), &[], t)),
        None => {
            let e = timed(timings, "joint: E", || {
                let mut e = vec![Fr::zero(); live];
                let mut power = Fr::one();
                for c in claims {
                    params.add_claim(c, power, &mut e);
                    power *= alpha;
                }
                e
            });
            let p = timed(timings, "joint: P", || {
                let mut p = vec![Fr::zero(); live];
                for (i, v) in w.vectors.iter().enumerate() {
                    assert!(v.len() <= 1 << params.vectors[i].num_vars, "vector {i} longer than its parameters");
                    v.write(&mut p[params.offsets[i]..][..v.len()]);
                }
                p
            });
            let factors = vec![Mle { evals: e, num_vars: n }, Mle { evals: p, num_vars: n }];
            timed(timings, "joint: merge sumcheck", || prove_zk(factors, &params.mask_shape, &params.mask_libra, w.mask, merged_value(claims, alpha), &[], t))
        }
    };
    let p_hat = out.values[1];
    t.absorb_fr(b"joint value", &p_hat);
    let s = &out.point;
    let (evals, openings, y_blind) = timed(timings, "joint: openings", || {
        // The rng's draws first, in the order one opening after another makes them (r_i, then its proof's); then
        // every opening's transcript-free part (u_i, its value, Y_i, the first message) in parallel; then the
        // answers in transcript order.
        let nonces: Vec<(Fr, dot_product::DotNonce)> = params.vectors.iter().map(|vp| (Fr::rand(rng), dot_product::draw_nonce(vp.cols(), rng))).collect();
        let parts: Vec<_> = (0..params.vectors.len())
            .into_par_iter()
            .map(|i| {
                let vp = &params.vectors[i];
                let (r_low, r_high) = s[..vp.num_vars].split_at(vp.col_vars);
                assert_eq!(w.blinders[i].len(), vp.rows(), "one blinder a row");
                let u = w.vectors[i].row_combination(vp, r_high);
                let a = eq_table(r_low);
                let value = inner_product(&u, &a);
                let tau = inner_product(&eq_table(r_high), w.blinders[i]);
                let (r_i, nonce) = &nonces[i];
                let y = dot_product::commit_scalar(&vp.dot_gens(), value, *r_i);
                let first = dot_product::first_message_fixed(&vp.dot_gens(), &a, nonce, w.fixed);
                (u, tau, y, first)
            })
            .collect();
        let mut y_blind = Fr::zero();
        let (mut evals, mut openings) = (Vec::new(), Vec::new());
        for (i, ((u, tau, y, first), (r_i, nonce))) in parts.into_iter().zip(&nonces).enumerate() {
            y_blind -= params.selector(i, s) * r_i;
            openings.push(dot_product::respond(&y, first, &DotWitness { u: &u, tau, r_y: *r_i }, nonce, t));
            evals.push(y);
        }
        (evals, openings, y_blind)
    });
    timed(timings, "joint: mask proof", || {
        let gamma = t.challenge_fr();
        let (a, value) = mask_relation(params, super::zk::vanishing(s), &out.mask_claims, p_hat, gamma);
        let y_comm = value_commitment(params, value, &evals, s);
        let witness = DotWitness { u: w.mask, tau: w.mask_blinder, r_y: y_blind };
        let mask_proof = dot_product::prove(&params.mask_dot_gens(), &a, &y_comm, &witness, t, rng);
        JointProof { merge: out.proof, p_hat, evals, openings, mask_proof }
    })
}

/// Y = value G_v - sum_i lambda_i Y_i: commits to value - sum_i lambda_i V_i~(s_i) with blinder -sum lambda_i r_i.
fn value_commitment(params: &JointParams, value: Fr, evals: &[G1Affine], s: &[Fr]) -> G1Affine {
    let lambdas: Vec<Fr> = (0..evals.len()).map(|i| -params.selector(i, s)).collect();
    (params.vectors[0].g_v * value + G1Projective::msm(evals, &lambdas).expect("one lambda a vector")).into_affine()
}

/// Each piece names a vector, and a segment or entries inside it (the verifier's claims come from its own
/// architecture, so this guards a caller's bug, never a prover's choice).
fn check_pieces(params: &JointParams, claims: &[JointClaim]) -> Result<(), VerifyError> {
    let k = params.vectors.len();
    for piece in claims.iter().flat_map(|c| &c.pieces) {
        let (vector, fits) = match piece {
            Piece::Eq { vector, offset, point, .. } => {
                let size = 1usize.checked_shl(point.len() as u32).unwrap_or(0);
                (*vector, *vector < k && size > 0 && point.len() <= params.vectors[*vector].num_vars && offset % size == 0 && offset + size <= 1 << params.vectors[*vector].num_vars)
            }
            Piece::Weights { vector, weights } => (*vector, *vector < k && weights.iter().all(|(i, _)| *i < 1 << params.vectors[*vector].num_vars)),
        };
        if !fits {
            return Err(VerifyError::Shape { what: "joint claim piece (outside its vector)", got: vector, expected: k });
        }
    }
    Ok(())
}

/// Checks a joint proof of `claims` against the vectors' commitments and C_M. The caller must have absorbed every
/// commitment (the vectors' and C_M) before the challenges the claims' points come from, as the prover did.
pub fn verify_joint(
    params: &JointParams,
    comms: &[HyraxCommitment],
    mask_comm: &G1Affine,
    claims: &[JointClaim],
    proof: &JointProof,
    t: &mut Transcript,
) -> Result<(), VerifyError> {
    let k = params.vectors.len();
    for (what, got) in [("joint commitments", comms.len()), ("joint evaluations", proof.evals.len()), ("joint openings", proof.openings.len())] {
        if got != k {
            return Err(VerifyError::Shape { what, got, expected: k });
        }
    }
    check_pieces(params, claims)?;
    let alpha = absorb_claims(claims, t);
    let v = verify_zk(&proof.merge, &params.mask_shape, &params.mask_libra, merged_value(claims, alpha), &[], t)?;
    let s = &v.point;
    let mut e_s = Fr::zero();
    let mut power = Fr::one();
    for c in claims {
        e_s += power * params.claim_at(c, s);
        power *= alpha;
    }
    if v.final_value != e_s * proof.p_hat {
        return Err(VerifyError::FinalValue { what: "joint merge" });
    }
    t.absorb_fr(b"joint value", &proof.p_hat);
    for (i, vp) in params.vectors.iter().enumerate() {
        verify_opening_zk(vp, &comms[i], &s[..vp.num_vars], &proof.evals[i], &proof.openings[i], t)?;
    }
    let gamma = t.challenge_fr();
    let (a, value) = mask_relation(params, v.z, &v.mask_claims, proof.p_hat, gamma);
    let y_comm = value_commitment(params, value, &proof.evals, s);
    dot_product::verify(&params.mask_dot_gens(), &a, &mask_comm.into_group(), &y_comm, &proof.mask_proof, t)
}

#[cfg(test)]
mod tests {
    use super::super::hyrax::commit_fr_hiding;
    use super::super::zk::{vanishing, MaskClaim};
    use super::*;
    use ark_std::rand::{rngs::StdRng, SeedableRng};

    fn rand_vec(n: usize, rng: &mut StdRng) -> Vec<Fr> {
        (0..n).map(|_| Fr::rand(rng)).collect()
    }

    /// Committed vectors (hiding), the merge mask and its commitment, all absorbed into a fresh transcript.
    struct Setup {
        params: JointParams,
        vectors: Vec<Vec<Fr>>,
        comms: Vec<HyraxCommitment>,
        blinders: Vec<Vec<Fr>>,
        mask: Vec<Fr>,
        mask_comm: G1Affine,
        mask_blinder: Fr,
    }

    impl Setup {
        fn new(vectors: Vec<Vec<Fr>>, rng: &mut StdRng) -> Self {
            let vparams: Vec<HyraxParams> = vectors.iter().map(|v| HyraxParams::new(b"zkml-joint-test", log2_ceil(v.len()))).collect();
            let (mut comms, mut blinders) = (Vec::new(), Vec::new());
            for (p, v) in vparams.iter().zip(&vectors) {
                let (c, b) = commit_fr_hiding(p, v, rng);
                comms.push(c);
                blinders.push(b);
            }
            let params = JointParams::new(vparams);
            let mask = rand_vec(params.mask_len(), rng);
            let (mask_comm, mask_blinder) = commit_mask(&params, &mask, rng);
            Setup { params, vectors, comms, blinders, mask, mask_comm, mask_blinder }
        }

        fn transcript(&self) -> Transcript {
            let mut t = Transcript::new(b"joint-test");
            self.comms.iter().for_each(|c| c.absorb(&mut t));
            t.absorb_g1(b"merge mask", &self.mask_comm);
            t
        }

        fn prove(&self, claims: &[JointClaim], rng: &mut StdRng) -> JointProof {
            let w = JointWitness {
                vectors: self.vectors.iter().map(|v| VecRef::Fr(v)).collect(),
                blinders: self.blinders.iter().map(|v| &v[..]).collect(),
                mask: &self.mask,
                mask_blinder: self.mask_blinder,
                fixed: None,
            };
            prove_joint(&self.params, &w, claims, &mut self.transcript(), rng)
        }

        fn verify(&self, claims: &[JointClaim], proof: &JointProof) -> Result<(), VerifyError> {
            verify_joint(&self.params, &self.comms, &self.mask_comm, claims, proof, &mut self.transcript())
        }

        fn eval(&self, i: usize, point: &[Fr]) -> Fr {
            Mle::new(self.vectors[i].clone()).evaluate(point)
        }
    }

    /// Three vectors of 32, 8 and 64 entries; claims: an evaluation of each, weights on the second, and one claim
    /// of two pieces on two vectors (3 V_0(z) + <w, V_2>).
    fn three_vectors(rng: &mut StdRng) -> (Setup, Vec<JointClaim>) {
        let s = Setup::new(vec![rand_vec(32, rng), rand_vec(8, rng), rand_vec(64, rng)], rng);
        let mut claims = Vec::new();
        for (i, n) in [(0, 5), (1, 3), (2, 6)] {
            let point = rand_vec(n, rng);
            claims.push(JointClaim { value: s.eval(i, &point), pieces: vec![Piece::Eq { vector: i, offset: 0, point, coeff: Fr::one() }] });
        }
        let weights: Vec<(usize, Fr)> = vec![(0, Fr::from(2u64)), (5, Fr::from(7u64)), (7, -Fr::one())];
        let value = weights.iter().map(|(i, w)| s.vectors[1][*i] * w).sum();
        claims.push(JointClaim { pieces: vec![Piece::Weights { vector: 1, weights }], value });
        let z = rand_vec(5, rng);
        let w2 = vec![(3, Fr::from(5u64)), (63, Fr::from(11u64))];
        let value = Fr::from(3u64) * s.eval(0, &z) + s.vectors[2][3] * Fr::from(5u64) + s.vectors[2][63] * Fr::from(11u64);
        claims.push(JointClaim { pieces: vec![Piece::Eq { vector: 0, offset: 0, point: z, coeff: Fr::from(3u64) }, Piece::Weights { vector: 2, weights: w2 }], value });
        (s, claims)
    }

    #[test]
    fn true_claims_on_three_vectors_are_accepted() {
        let mut rng = StdRng::seed_from_u64(30);
        let (s, claims) = three_vectors(&mut rng);
        let proof = s.prove(&claims, &mut rng);
        assert_eq!(s.verify(&claims, &proof), Ok(()));
        // One vector alone (no selector variables).
        let one = Setup::new(vec![rand_vec(16, &mut rng)], &mut rng);
        let point = rand_vec(4, &mut rng);
        let claims = vec![JointClaim { value: one.eval(0, &point), pieces: vec![Piece::Eq { vector: 0, offset: 0, point, coeff: Fr::one() }] }];
        let proof = one.prove(&claims, &mut rng);
        assert_eq!(one.verify(&claims, &proof), Ok(()));
    }

    #[test]
    fn a_false_claim_and_every_changed_word_are_rejected() {
        let mut rng = StdRng::seed_from_u64(31);
        let (s, claims) = three_vectors(&mut rng);
        let proof = s.prove(&claims, &mut rng);
        for k in 0..claims.len() {
            let mut wrong = claims.clone();
            wrong[k].value += Fr::one();
            assert!(s.verify(&wrong, &proof).is_err(), "claim {k} changed");
            // A prover that proves the false claims with the protocol is refused too (the merged claim is false).
            let forged = std::panic::catch_unwind(|| s.prove(&wrong, &mut StdRng::seed_from_u64(99)));
            if let Ok(forged) = forged {
                assert!(s.verify(&wrong, &forged).is_err(), "claim {k} forged");
            }
        }
        let one = Fr::one();
        let g = s.params.vectors[0].gens[0];
        let bump = |p: &G1Affine| (*p + g).into_affine();
        let mut changed: Vec<(String, JointProof)> = Vec::new();
        let mut push = |what: String, f: &dyn Fn(&mut JointProof)| {
            let mut p = proof.clone();
            f(&mut p);
            changed.push((what, p));
        };
        push("K".into(), &|p| p.merge.k += one);
        push("y".into(), &|p| p.merge.y += one);
        for j in 0..proof.merge.rounds.len() {
            for x in 0..proof.merge.rounds[j].len() {
                push(format!("round {j} word {x}"), &|p| p.merge.rounds[j][x] += one);
            }
        }
        push("P^(s)".into(), &|p| p.p_hat += one);
        for i in 0..3 {
            push(format!("Y_{i}"), &|p| p.evals[i] = bump(&p.evals[i]));
            push(format!("opening {i} delta"), &|p| p.openings[i].delta = bump(&p.openings[i].delta));
            push(format!("opening {i} beta"), &|p| p.openings[i].beta = bump(&p.openings[i].beta));
            push(format!("opening {i} z"), &|p| p.openings[i].z[0] += one);
            push(format!("opening {i} z_delta"), &|p| p.openings[i].z_delta += one);
            push(format!("opening {i} z_beta"), &|p| p.openings[i].z_beta += one);
        }
        push("mask delta".into(), &|p| p.mask_proof.delta = bump(&p.mask_proof.delta));
        push("mask beta".into(), &|p| p.mask_proof.beta = bump(&p.mask_proof.beta));
        for j in 0..proof.mask_proof.z.len() {
            push(format!("mask z {j}"), &|p| p.mask_proof.z[j] += one);
        }
        push("mask z_delta".into(), &|p| p.mask_proof.z_delta += one);
        push("mask z_beta".into(), &|p| p.mask_proof.z_beta += one);
        for (what, p) in &changed {
            assert!(s.verify(&claims, p).is_err(), "{what} changed and accepted");
        }
        // Y_0 and Y_1 swapped: each opening binds its own.
        let mut p = proof.clone();
        p.evals.swap(0, 1);
        assert!(s.verify(&claims, &p).is_err());
        // Commitments: a row of a vector, C_M.
        let mut other = s.comms.clone();
        other[2].rows[0] = bump(&other[2].rows[0]);
        assert!(verify_joint(&s.params, &other, &s.mask_comm, &claims, &proof, &mut s.transcript()).is_err());
        assert!(verify_joint(&s.params, &s.comms, &bump(&s.mask_comm), &claims, &proof, &mut s.transcript()).is_err());
        let mut p = proof.clone();
        p.openings.pop();
        assert!(matches!(s.verify(&claims, &p), Err(VerifyError::Shape { .. })));
    }

    /// Steps 2 and 3 together: a zero-knowledge sumcheck of F_1 F_2 (two hidden columns of one committed vector)
    /// whose masks are a second committed vector; every claim it leaves (the two masked values, K and y) proved by
    /// the joint merge. The whole protocol, verified; a changed masked value refused by the merge.
    #[test]
    fn a_zero_knowledge_sumcheck_with_its_claims_merged_and_opened() {
        use super::super::zk::{prove_zk, verify_zk, MaskAlloc, ZkShape};
        let mut rng = StdRng::seed_from_u64(32);
        let n = 4;
        let (f1, f2) = (rand_vec(1 << n, &mut rng), rand_vec(1 << n, &mut rng));
        let columns = [f1.clone(), f2.clone()].concat(); // F_1 at variables' high bit 0, F_2 at 1
        let mut alloc = MaskAlloc::default();
        let slots = vec![Some(alloc.take(1)), Some(alloc.take(1))];
        let shape = ZkShape { num_vars: n, slots };
        let libra = shape.libra(&mut alloc);
        let masks = rand_vec(alloc.len(), &mut rng);
        let s = Setup::new(vec![columns, masks.clone()], &mut rng);
        let claim: Fr = f1.iter().zip(&f2).map(|(a, b)| *a * b).sum();
        // Prover.
        let mut t = s.transcript();
        let out = prove_zk(vec![Mle::new(f1), Mle::new(f2)], &shape, &libra, &masks, claim, &[], &mut t);
        t.absorb_frs(b"values", &out.values);
        let claims_of = |values: &[Fr], point: &[Fr], mask_claims: &[MaskClaim]| -> Vec<JointClaim> {
            let z = vanishing(point);
            let mut claims: Vec<JointClaim> = (0..2)
                .map(|i| {
                    JointClaim {
                        pieces: vec![Piece::Eq { vector: 0, offset: i << point.len(), point: point.to_vec(), coeff: Fr::one() }, Piece::Weights { vector: 1, weights: vec![(shape.slots[i].unwrap(), z)] }],
                        value: values[i],
                    }
                })
                .collect();
            claims.extend(mask_claims.iter().map(|c| JointClaim { pieces: vec![Piece::Weights { vector: 1, weights: c.weights.clone() }], value: c.value }));
            claims
        };
        let claims = claims_of(&out.values, &out.point, &out.mask_claims);
        let w = JointWitness {
            vectors: s.vectors.iter().map(|v| VecRef::Fr(v)).collect(),
            blinders: s.blinders.iter().map(|v| &v[..]).collect(),
            mask: &s.mask,
            mask_blinder: s.mask_blinder,
            fixed: None,
        };
        let joint = prove_joint(&s.params, &w, &claims, &mut t, &mut rng);
        // Verifier.
        let check = |values: &[Fr]| -> Result<(), VerifyError> {
            let mut t = s.transcript();
            let v = verify_zk(&out.proof, &shape, &libra, claim, &[], &mut t)?;
            if values.iter().product::<Fr>() != v.final_value {
                return Err(VerifyError::FinalValue { what: "product" });
            }
            t.absorb_frs(b"values", values);
            verify_joint(&s.params, &s.comms, &s.mask_comm, &claims_of(values, &v.point, &v.mask_claims), &joint, &mut t)
        };
        assert_eq!(check(&out.values), Ok(()));
        // Values whose product is right but which are not the columns' (masked) values: the merge refuses them.
        let (a, b) = (out.values[0] * Fr::from(2u64), out.values[1] / Fr::from(2u64));
        assert!(check(&[a, b]).is_err());
    }
}
