//! The zero-knowledge sumcheck (zero-knowledge step 2 of docs/design/zero-knowledge.md, approach B): Libra's
//! masking polynomial for the rounds, and one evaluation mask ("slot") for each hidden factor. Everything the
//! prover sends is then uniformly random up to the checks the verifier makes; what it proves is unchanged.
//!
//! All masks are entries of one vector (the mask segment, committed with hiding rows before any challenge they
//! meet); this module allocates them (MaskAlloc) and turns every revealed value into a linear claim on them
//! (MaskClaim), which the joint merge (step 3) proves together with the committed columns' claims.
//!
//! The statement: sum_x prod_i F_i(x) = H over n >= 1 variables, where the verifier knows only the public value
//! v = H + <l, s> (s slots of earlier masked values, l public weights: the "corrections" of the claim).
//! - Each hidden factor F_i becomes F^_i(x) = F_i(x) + rho_i Z(x), Z(x) = prod_{j<n} x_j (1 - x_j), rho_i its slot:
//!   F^_i equals F_i on the cube (the sum is unchanged) and Z vanishes while one variable is Boolean, so the mask
//!   shows only in the last round, as rho_i c X (1 - X) with c = prod_{j<n-1} r_j (1 - r_j): that round's degree is
//!   d + m (m hidden factors), every other round's d.
//! - Libra's mask g(x) = a_0 + sum_j g_j(x_j), g_j of round j's degree D_j, stored by its values on 0..=D_j (so a
//!   round's share of g is read off its values). Its sum over the cube is G = 2^n a_0 + 2^(n-1) sum_j (g_j(0) + g_j(1)).
//! - After the claim the verifier draws eta; the prover sends K = eta G - <l, s> and proves
//!   sum_x (prod_i F^_i(x) + eta g(x)) = v + K by the plain rounds (each of length D_j + 1). At the end it sends
//!   y = g(r); the verifier's final value e must be prod_i F^_i(r) + eta y, the caller checking the product against
//!   the revealed F^_i(r) = F_i(r) + rho_i Z(r) (with Z(r) != 0: no coordinate of r in {0, 1}, checked by the
//!   prover, else a value would go out unmasked).
//! - The claims left on the mask vector: K = eta G - <l, s> and y = g(r) (public weights, MaskClaim), and each
//!   revealed F^_i(r) (a claim on F_i's committed column at r plus rho_i with weight Z(r), the caller's).
//!
//! Transcript, in order: the caller's commitment to the mask vector (before this), `absorb_frs("zk sumcheck
//! claim", [v, n, d, m])`, eta = challenge, `absorb_fr("zk sumcheck sum", K)`, per round `absorb_frs("sumcheck
//! round", g_j(0..=D_j))` and r_j = challenge, then `absorb_fr("zk mask eval", y)`. The revealed factor values
//! are the caller's to absorb (as in the plain sumcheck, whose caller decides what it sends).

use super::error::VerifyError;
use super::mle::Mle;
use super::sumcheck::{interpolate, lagrange_basis, round_evals, MAX_DEGREE};
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, One, Zero};

/// Allocates entries of the mask vector, in order.
#[derive(Clone, Debug, Default)]
pub struct MaskAlloc {
    len: usize,
}

impl MaskAlloc {
    /// The start of `n` fresh entries.
    pub fn take(&mut self, n: usize) -> usize {
        self.len += n;
        self.len - n
    }

    /// The entries allocated so far.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A linear claim on the mask vector: sum of weight * mask[index] over `weights` equals `value`.
#[derive(Clone, Debug, PartialEq)]
pub struct MaskClaim {
    pub weights: Vec<(usize, Fr)>,
    pub value: Fr,
}

impl MaskClaim {
    /// Whether the claim holds for this mask vector (the prover's check, and the tests').
    pub fn holds(&self, mask: &[Fr]) -> bool {
        self.weights.iter().map(|(i, w)| mask[*i] * w).sum::<Fr>() == self.value
    }
}

/// The shape of one zero-knowledge sumcheck, fixed by the architecture: n variables, d factors, and for each factor
/// its slot in the mask vector when it is hidden (None for a factor the verifier knows, such as eq).
#[derive(Clone, Debug, PartialEq)]
pub struct ZkShape {
    pub num_vars: usize,
    pub slots: Vec<Option<usize>>,
}

impl ZkShape {
    pub fn degree(&self) -> usize {
        self.slots.len()
    }

    fn hidden(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Round j's degree: d, and d + m in the last round (each hidden factor is of degree 2 there).
    pub fn round_degree(&self, j: usize) -> usize {
        self.degree() + if j + 1 == self.num_vars { self.hidden() } else { 0 }
    }

    /// Libra's mask for this sumcheck, each g_j of its round's degree, allocated from `alloc`.
    pub fn libra(&self, alloc: &mut MaskAlloc) -> LibraMask {
        LibraMask::new(alloc, (0..self.num_vars).map(|j| self.round_degree(j)).collect())
    }
}

/// Libra's mask g(x) = a_0 + sum_j g_j(x_j): a_0 at mask[a0], g_j's values on 0..=degrees[j] at mask[offsets[j]..].
#[derive(Clone, Debug, PartialEq)]
pub struct LibraMask {
    pub a0: usize,
    pub offsets: Vec<usize>,
    pub degrees: Vec<usize>,
}

impl LibraMask {
    pub fn new(alloc: &mut MaskAlloc, degrees: Vec<usize>) -> Self {
        let a0 = alloc.take(1);
        let offsets = degrees.iter().map(|d| alloc.take(d + 1)).collect();
        LibraMask { a0, offsets, degrees }
    }

    fn values<'a>(&self, mask: &'a [Fr], j: usize) -> &'a [Fr] {
        &mask[self.offsets[j]..self.offsets[j] + self.degrees[j] + 1]
    }

    /// g_j(x): a stored value on 0..=degree, else interpolated.
    fn g(&self, mask: &[Fr], j: usize, x: Fr) -> Fr {
        interpolate(self.values(mask, j), x)
    }

    /// G = sum of g over the cube, as weights on the mask: 2^n on a_0, 2^(n-1) on each g_j(0) and g_j(1).
    pub fn sum_weights(&self) -> Vec<(usize, Fr)> {
        let n = self.offsets.len();
        let half = Fr::from(2u64).pow([n as u64 - 1]);
        let mut w = vec![(self.a0, half.double())];
        for &o in &self.offsets {
            w.extend([(o, half), (o + 1, half)]);
        }
        w
    }

    /// g(r) as weights on the mask: 1 on a_0, L_k(r_j) on g_j's value at k.
    pub fn eval_weights(&self, r: &[Fr]) -> Vec<(usize, Fr)> {
        let mut w = vec![(self.a0, Fr::one())];
        for ((&o, &d), &rj) in self.offsets.iter().zip(&self.degrees).zip(r) {
            w.extend(lagrange_basis(d + 1, rj).into_iter().enumerate().map(|(k, l)| (o + k, l)));
        }
        w
    }

    /// Round j's share of sum_x g(x) with variables 0..j bound to r (their part `bound` = a_0 + sum_{t<j} g_t(r_t)),
    /// at X = 0..=len - 1: 2^(n-1-j) (bound + g_j(X)) + 2^(n-2-j) sum_{t>j} (g_t(0) + g_t(1)).
    fn round_share(&self, mask: &[Fr], j: usize, bound: Fr, len: usize) -> Vec<Fr> {
        let n = self.offsets.len();
        let rest: Fr = (j + 1..n).map(|t| self.values(mask, t)[0] + self.values(mask, t)[1]).sum();
        let rest = if j + 1 < n { rest * Fr::from(2u64).pow([(n - 2 - j) as u64]) } else { Fr::zero() };
        let scale = Fr::from(2u64).pow([(n - 1 - j) as u64]);
        (0..len).map(|x| scale * (bound + self.g(mask, j, Fr::from(x as u64))) + rest).collect()
    }
}

/// Z(r) = prod_j r_j (1 - r_j): the vanishing polynomial's value, the weight of a hidden factor's slot.
pub fn vanishing(r: &[Fr]) -> Fr {
    r.iter().map(|x| *x * (Fr::one() - x)).product()
}

/// The prover's messages besides the revealed factor values (the caller's).
#[derive(Clone, Debug, PartialEq)]
pub struct ZkSumcheckProof {
    pub k: Fr,
    pub rounds: Vec<Vec<Fr>>,
    pub y: Fr,
}

/// What the prover ends with.
#[derive(Clone, Debug)]
pub struct ZkProverOutput {
    pub proof: ZkSumcheckProof,
    pub point: Vec<Fr>,
    /// F^_i(r): F_i(r) + rho_i Z(r) for a hidden factor, F_i(r) otherwise.
    pub values: Vec<Fr>,
    /// F_i(r), for the caller's claims on the committed columns.
    pub true_values: Vec<Fr>,
    /// The claims on the mask vector, as the verifier forms them (K's and y's).
    pub mask_claims: Vec<MaskClaim>,
}

/// What the verifier ends with: the point, the value prod_i F^_i(r) must have, Z(r), and the claims on the mask.
#[derive(Clone, Debug)]
pub struct ZkVerified {
    pub point: Vec<Fr>,
    pub final_value: Fr,
    pub z: Fr,
    pub mask_claims: Vec<MaskClaim>,
}

fn absorb_claim(t: &mut Transcript, shape: &ZkShape, claim: Fr) {
    let words = [claim, Fr::from(shape.num_vars as u64), Fr::from(shape.degree() as u64), Fr::from(shape.hidden() as u64)];
    t.absorb_frs(b"zk sumcheck claim", &words);
}

fn correction(l: &[(usize, Fr)], mask: &[Fr]) -> Fr {
    l.iter().map(|(i, w)| mask[*i] * w).sum()
}

/// The last round's evaluations at 0..=D of prod_i (F_i(X) + rho_i c X (1 - X)), each factor down to 2 entries.
fn last_round(factors: &[Mle], shape: &ZkShape, mask: &[Fr], c: Fr, len: usize) -> Vec<Fr> {
    (0..len as u64)
        .map(|x| {
            let x = Fr::from(x);
            let z = c * x * (Fr::one() - x);
            factors
                .iter()
                .zip(&shape.slots)
                .map(|(f, slot)| f.evals[0] + x * (f.evals[1] - f.evals[0]) + slot.map_or(Fr::zero(), |s| mask[s] * z))
                .product()
        })
        .collect()
}

/// Proves sum_x prod_i F_i(x) = v - <l, mask> in zero knowledge (module doc). The factors' tables may stop short
/// of 2^n entries (all of one length), the rest zeros: the rounds skip the zero tail. `mask` holds every slot of `shape`,
/// `libra`'s entries and the corrections' slots, committed before this call. Panics if the factors do not sum to
/// v - <l, mask> (a prover bug) or, with probability about 2n / |Fr| (below 2^-240 here), if a challenge is 0 or 1
/// (or eta is 0):
/// a hidden value would go out unmasked, so the prover stops rather than send it.
pub fn prove_zk(
    factors: Vec<Mle>,
    shape: &ZkShape,
    libra: &LibraMask,
    mask: &[Fr],
    claim: Fr,
    l: &[(usize, Fr)],
    t: &mut Transcript,
) -> ZkProverOutput {
    let out = prove_messages(factors, shape, libra, mask, claim, l, t);
    let first = &out.proof.rounds[0];
    assert_eq!(first[0] + first[1], claim + out.proof.k, "the factors do not sum to the claim less its corrections");
    out
}

/// A caller's first round, for factors it never builds whole: the first round's evaluations of prod_i F_i at
/// 0..=d, and the factors' tables with variable 0 bound to the challenge (n - 1 variables each).
pub struct FirstRound<'a> {
    pub evals: Vec<Fr>,
    pub fold: Box<dyn FnOnce(Fr) -> Vec<Mle> + 'a>,
}

/// prove_zk with the first round from the caller (n >= 2): the same messages as prove_zk of the whole factors.
#[allow(clippy::too_many_arguments)]
pub fn prove_zk_first(first: FirstRound, shape: &ZkShape, libra: &LibraMask, mask: &[Fr], claim: Fr, l: &[(usize, Fr)], t: &mut Transcript) -> ZkProverOutput {
    assert!(shape.num_vars >= 2 && first.evals.len() == shape.round_degree(0) + 1, "a first round of the shape's length, not the last round");
    let out = prove_rounds(Start::First(first), shape, libra, mask, claim, l, t);
    let g = &out.proof.rounds[0];
    assert_eq!(g[0] + g[1], claim + out.proof.k, "the factors do not sum to the claim less its corrections");
    out
}

enum Start<'a> {
    Tables(Vec<Mle>),
    First(FirstRound<'a>),
}

/// prove_zk's messages, whether or not the factors sum to the claim (the tests measure the view as a function
/// of the masks, some of which make the claim false).
fn prove_messages(
    factors: Vec<Mle>,
    shape: &ZkShape,
    libra: &LibraMask,
    mask: &[Fr],
    claim: Fr,
    l: &[(usize, Fr)],
    t: &mut Transcript,
) -> ZkProverOutput {
    let n = shape.num_vars;
    assert!(n >= 1 && factors.len() == shape.degree() && shape.round_degree(n - 1) <= 2 * MAX_DEGREE, "zk sumcheck shape");
    let len = factors[0].evals.len();
    assert!(factors.iter().all(|f| f.num_vars == n && f.evals.len() == len && len <= 1 << n), "factors of different sizes");
    prove_rounds(Start::Tables(factors), shape, libra, mask, claim, l, t)
}

fn prove_rounds(start: Start, shape: &ZkShape, libra: &LibraMask, mask: &[Fr], claim: Fr, l: &[(usize, Fr)], t: &mut Transcript) -> ZkProverOutput {
    let n = shape.num_vars;
    let (mut factors, mut first) = match start {
        Start::Tables(f) => (f, None),
        Start::First(f) => (Vec::new(), Some(f)),
    };
    absorb_claim(t, shape, claim);
    let eta = t.challenge_fr();
    // eta = 0 would send every round unmasked (K = -<l, s>): as unlikely as a challenge in {0, 1}, refused alike
    assert!(!eta.is_zero(), "a mask challenge of 0: retry with fresh masks");
    let k = eta * correction(&libra.sum_weights(), mask) - correction(l, mask);
    t.absorb_fr(b"zk sumcheck sum", &k);
    let (mut rounds, mut point) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut bound = mask[libra.a0];
    for j in 0..n {
        let len = shape.round_degree(j) + 1;
        // Tables shorter than 2^(n - j) (zeros after their end) are padded to whole pairs.
        if !factors.is_empty() && factors[0].evals.len() % 2 == 1 {
            factors.iter_mut().for_each(|f| f.evals.push(Fr::zero()));
        }
        let f_part = match &first {
            Some(f) => f.evals.clone(),
            None if j + 1 < n => round_evals(&factors),
            None => last_round(&factors, shape, mask, vanishing(&point), len),
        };
        let g_part = libra.round_share(mask, j, bound, len);
        let msg: Vec<Fr> = f_part.iter().zip(&g_part).map(|(f, g)| *f + eta * g).collect();
        t.absorb_frs(b"sumcheck round", &msg);
        let r = t.challenge_fr();
        assert!(!r.is_zero() && !r.is_one(), "a challenge in {{0, 1}}: retry with fresh masks");
        match first.take() {
            Some(f) => {
                factors = (f.fold)(r);
                let len = factors[0].evals.len();
                assert!(factors.len() == shape.degree() && factors.iter().all(|f| f.num_vars == n - 1 && f.evals.len() == len && len <= 1 << (n - 1)), "the first round's folded factors");
            }
            None => factors.iter_mut().for_each(|f| f.fix_first_variable(r)),
        }
        bound += libra.g(mask, j, r);
        rounds.push(msg);
        point.push(r);
    }
    t.absorb_fr(b"zk mask eval", &bound);
    let z = vanishing(&point);
    let true_values: Vec<Fr> = factors.iter().map(|f| f.evals[0]).collect();
    let values = true_values.iter().zip(&shape.slots).map(|(v, s)| *v + s.map_or(Fr::zero(), |s| mask[s] * z)).collect();
    let mask_claims = mask_claims(libra, eta, l, &point, k, bound);
    ZkProverOutput { proof: ZkSumcheckProof { k, rounds, y: bound }, point, values, true_values, mask_claims }
}

/// The two claims a zero-knowledge sumcheck leaves on the mask vector: K = eta G - <l, s> and y = g(r).
fn mask_claims(libra: &LibraMask, eta: Fr, l: &[(usize, Fr)], point: &[Fr], k: Fr, y: Fr) -> Vec<MaskClaim> {
    let mut k_weights: Vec<(usize, Fr)> = libra.sum_weights().into_iter().map(|(i, w)| (i, eta * w)).collect();
    k_weights.extend(l.iter().map(|(i, w)| (*i, -*w)));
    vec![MaskClaim { weights: k_weights, value: k }, MaskClaim { weights: libra.eval_weights(point), value: y }]
}

/// Checks a zero-knowledge sumcheck of the public claim v with corrections l: the round count, each round's length
/// (its degree, the last one raised), g(0) + g(1) against the running claim from v + K; returns the point, the value
/// prod_i F^_i(r) must equal (the final claim less eta y: the caller checks it against the revealed values), Z(r),
/// and the two claims on the mask vector (K's and y's).
pub fn verify_zk(
    proof: &ZkSumcheckProof,
    shape: &ZkShape,
    libra: &LibraMask,
    claim: Fr,
    l: &[(usize, Fr)],
    t: &mut Transcript,
) -> Result<ZkVerified, VerifyError> {
    let n = shape.num_vars;
    if n == 0 {
        return Err(VerifyError::Shape { what: "zk sumcheck variables", got: 0, expected: 1 });
    }
    if proof.rounds.len() != n {
        return Err(VerifyError::RoundCount { got: proof.rounds.len(), expected: n });
    }
    absorb_claim(t, shape, claim);
    let eta = t.challenge_fr();
    t.absorb_fr(b"zk sumcheck sum", &proof.k);
    let mut e = claim + proof.k;
    let mut point = Vec::with_capacity(n);
    for (j, g) in proof.rounds.iter().enumerate() {
        let expected = shape.round_degree(j) + 1;
        if g.len() != expected {
            return Err(VerifyError::Degree { round: j, got: g.len(), expected });
        }
        if g[0] + g[1] != e {
            return Err(VerifyError::RoundSum { round: j });
        }
        t.absorb_frs(b"sumcheck round", g);
        let r = t.challenge_fr();
        e = interpolate(g, r);
        point.push(r);
    }
    t.absorb_fr(b"zk mask eval", &proof.y);
    let mask_claims = mask_claims(libra, eta, l, &point, proof.k, proof.y);
    Ok(ZkVerified { final_value: e - eta * proof.y, z: vanishing(&point), point, mask_claims })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;

    fn rand_vec(n: usize, rng: &mut StdRng) -> Vec<Fr> {
        (0..n).map(|_| Fr::rand(rng)).collect()
    }

    /// A zero-knowledge sumcheck over n variables of d factors, `hidden[i]` saying which are masked, its claim
    /// carrying `corrections` earlier slots: the shape, the mask layout and the public claim.
    struct Harness {
        shape: ZkShape,
        libra: LibraMask,
        /// The corrections l (on the first entries of the mask).
        l: Vec<(usize, Fr)>,
        mask_len: usize,
    }

    impl Harness {
        fn new(n: usize, hidden: &[bool], corrections: usize, rng: &mut StdRng) -> Self {
            let mut alloc = MaskAlloc::default();
            let l = (0..corrections).map(|_| (alloc.take(1), Fr::rand(rng))).collect();
            let slots = hidden.iter().map(|&h| h.then(|| alloc.take(1))).collect();
            let shape = ZkShape { num_vars: n, slots };
            let libra = shape.libra(&mut alloc);
            Harness { shape, libra, l, mask_len: alloc.len() }
        }

        /// v = H + <l, s>: the public claim for factors summing to H.
        fn claim(&self, factors: &[Mle], mask: &[Fr]) -> Fr {
            super::super::sumcheck::product_sum(factors) + correction(&self.l, mask)
        }

        fn prove(&self, factors: &[Mle], mask: &[Fr], t: &mut Transcript) -> ZkProverOutput {
            prove_zk(factors.to_vec(), &self.shape, &self.libra, mask, self.claim(factors, mask), &self.l, t)
        }

        /// The verifier's whole check, the caller's part included: the final value against the revealed values'
        /// product and every claim on the mask (here checked against the mask itself; the joint merge proves them).
        fn verify(&self, claim: Fr, proof: &ZkSumcheckProof, values: &[Fr], mask: &[Fr], t: &mut Transcript) -> Result<(), String> {
            let v = verify_zk(proof, &self.shape, &self.libra, claim, &self.l, t).map_err(|e| e.to_string())?;
            if values.iter().product::<Fr>() != v.final_value {
                return Err("final value".into());
            }
            match v.mask_claims.iter().position(|c| !c.holds(mask)) {
                Some(i) => Err(format!("mask claim {i}")),
                None => Ok(()),
            }
        }
    }

    fn factors(n: usize, d: usize, rng: &mut StdRng) -> Vec<Mle> {
        (0..d).map(|_| Mle::new(rand_vec(1 << n, rng))).collect()
    }

    #[test]
    fn honest_proofs_are_accepted_and_reveal_masked_values() {
        let mut rng = StdRng::seed_from_u64(20);
        for (n, hidden, corr) in [(1, vec![true], 0), (1, vec![true, true], 1), (3, vec![true, false], 2), (5, vec![true, true], 3), (4, vec![false, true, true], 1)] {
            let h = Harness::new(n, &hidden, corr, &mut rng);
            let f = factors(n, hidden.len(), &mut rng);
            let mask = rand_vec(h.mask_len, &mut rng);
            let out = h.prove(&f, &mask, &mut Transcript::new(b"zk"));
            let claim = h.claim(&f, &mask);
            assert_eq!(h.verify(claim, &out.proof, &out.values, &mask, &mut Transcript::new(b"zk")), Ok(()), "n = {n}, {hidden:?}");
            let z = vanishing(&out.point);
            for (i, fi) in f.iter().enumerate() {
                assert_eq!(out.true_values[i], fi.evaluate(&out.point));
                let pad = h.shape.slots[i].map_or(Fr::zero(), |s| mask[s] * z);
                assert_eq!(out.values[i], out.true_values[i] + pad);
            }
            assert_eq!(out.proof.rounds.last().unwrap().len(), hidden.len() + hidden.iter().filter(|x| **x).count() + 1);
        }
    }

    #[test]
    fn every_message_changed_is_rejected_and_a_false_claim_fails() {
        let mut rng = StdRng::seed_from_u64(21);
        let h = Harness::new(4, &[true, true], 2, &mut rng);
        let f = factors(4, 2, &mut rng);
        let mask = rand_vec(h.mask_len, &mut rng);
        let out = h.prove(&f, &mask, &mut Transcript::new(b"zk"));
        let claim = h.claim(&f, &mask);
        let check = |p: &ZkSumcheckProof, values: &[Fr], claim: Fr| h.verify(claim, p, values, &mask, &mut Transcript::new(b"zk"));
        assert!(check(&out.proof, &out.values, claim).is_ok());
        assert!(check(&out.proof, &out.values, claim + Fr::one()).is_err(), "a false claim");
        let one = Fr::one();
        let mut p = out.proof.clone();
        p.k += one;
        assert!(check(&p, &out.values, claim).is_err(), "K");
        let mut p = out.proof.clone();
        p.y += one;
        assert!(check(&p, &out.values, claim).is_err(), "y");
        for j in 0..p.rounds.len() {
            for x in 0..out.proof.rounds[j].len() {
                let mut p = out.proof.clone();
                p.rounds[j][x] += one;
                assert!(check(&p, &out.values, claim).is_err(), "round {j} word {x}");
            }
        }
        for i in 0..out.values.len() {
            let mut values = out.values.clone();
            values[i] += one;
            assert!(check(&out.proof, &values, claim).is_err(), "value {i}");
        }
        // A last round of the unraised degree (what a prover that does not mask would send) is refused first.
        let mut p = out.proof.clone();
        p.rounds.last_mut().unwrap().pop();
        assert_eq!(verify_zk(&p, &h.shape, &h.libra, claim, &h.l, &mut Transcript::new(b"zk")).unwrap_err(), VerifyError::Degree { round: 3, got: 4, expected: 5 });
        let mut p = out.proof.clone();
        p.rounds.pop();
        assert!(matches!(verify_zk(&p, &h.shape, &h.libra, claim, &h.l, &mut Transcript::new(b"zk")), Err(VerifyError::RoundCount { .. })));
    }

    /// Solves M x = b over Fr (M given by columns) by Gaussian elimination; None if b is outside M's column space.
    fn solve(cols: &[Vec<Fr>], b: &[Fr]) -> Option<Vec<Fr>> {
        let (rows, ncols) = (b.len(), cols.len());
        let mut a: Vec<Vec<Fr>> = (0..rows).map(|r| cols.iter().map(|c| c[r]).chain([b[r]]).collect()).collect();
        let mut pivots = Vec::new();
        let mut row = 0;
        for c in 0..ncols {
            let Some(p) = (row..rows).find(|&r| !a[r][c].is_zero()) else { continue };
            a.swap(row, p);
            let inv = a[row][c].inverse().unwrap();
            a[row].iter_mut().for_each(|x| *x *= inv);
            for r in 0..rows {
                if r != row && !a[r][c].is_zero() {
                    let f = a[r][c];
                    let pivot_row = a[row].clone();
                    a[r].iter_mut().zip(&pivot_row).for_each(|(x, y)| *x -= f * y);
                }
            }
            pivots.push(c);
            row += 1;
        }
        if a[row..].iter().any(|r| !r[ncols].is_zero()) {
            return None;
        }
        let mut x = vec![Fr::zero(); ncols];
        for (r, &c) in pivots.iter().enumerate() {
            x[c] = a[r][ncols];
        }
        Some(x)
    }

    /// Everything the verifier sees of one proof, as words: K, every round, y, the revealed values.
    fn view(out: &ZkProverOutput) -> Vec<Fr> {
        let mut w = vec![out.proof.k];
        out.proof.rounds.iter().for_each(|g| w.extend(g));
        w.push(out.proof.y);
        w.extend(&out.values);
        w
    }

    /// The zero-knowledge test proper (a substitution): with the verifier's challenges fixed, a proof of one witness
    /// and masks are given; for a second witness with the same public claim, masks are found that make its proof
    /// equal word for word. The slots follow from the revealed values (rho' = (F^(r) - F'(r)) / Z(r)); given them
    /// every other word is affine in Libra's entries and the corrections' slots, solved for by elimination. So the
    /// view does not depend on which witness was used: each view has as many masks giving it under either.
    fn substitute(h: &Harness, f1: &[Mle], f2: &[Mle], rng: &mut StdRng) -> bool {
        let challenges = rand_vec(h.shape.num_vars + 1, rng);
        let prog = || Transcript::programmed(challenges.clone());
        let mask1 = rand_vec(h.mask_len, rng);
        let target = h.prove(f1, &mask1, &mut prog());
        let v = h.claim(f1, &mask1);
        // mask2 with the slots fixed by the values; the remaining entries (Libra's, the corrections') free.
        let z = vanishing(&target.point);
        let mut base = vec![Fr::zero(); h.mask_len];
        for (i, s) in h.shape.slots.iter().enumerate() {
            if let Some(s) = s {
                base[*s] = (target.values[i] - f2[i].evaluate(&target.point)) / z;
            }
        }
        let free: Vec<usize> = (0..h.mask_len).filter(|i| !h.shape.slots.contains(&Some(*i))).collect();
        // The proof of f2 must keep v = H + <l, s'>: the corrections' slots are constrained by that too, as a row.
        let words = |m: &[Fr]| {
            let mut w = view(&prove_messages(f2.to_vec(), &h.shape, &h.libra, m, v, &h.l, &mut prog()));
            w.push(h.claim(f2, m));
            w
        };
        let w0 = words(&base);
        let cols: Vec<Vec<Fr>> = free
            .iter()
            .map(|&i| {
                let mut m = base.clone();
                m[i] += Fr::one();
                words(&m).iter().zip(&w0).map(|(a, b)| *a - b).collect()
            })
            .collect();
        let mut want = view(&target);
        want.push(v);
        let rhs: Vec<Fr> = want.iter().zip(&w0).map(|(a, b)| *a - b).collect();
        let Some(x) = solve(&cols, &rhs) else { return false };
        let mut mask2 = base;
        for (&i, xi) in free.iter().zip(&x) {
            mask2[i] += xi;
        }
        let out2 = h.prove(f2, &mask2, &mut prog());
        view(&out2) == view(&target)
    }

    /// Two witnesses with one sum: f2 is f1 with its first factor reversed and its second changed at two cube
    /// points, the one at point 0 chosen so that the products' sum stays.
    fn same_sum_pair(n: usize, d: usize, rng: &mut StdRng) -> (Vec<Mle>, Vec<Mle>) {
        let sum = super::super::sumcheck::product_sum;
        let f1 = factors(n, d, rng);
        let mut f2 = f1.clone();
        f2[0].evals.reverse();
        f2[1].evals[1] += Fr::from(5u64);
        let others: Fr = f2.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, g)| g.evals[0]).product();
        let shift = (sum(&f2) - sum(&f1)) / others;
        f2[1].evals[0] -= shift;
        assert_eq!(sum(&f2), sum(&f1));
        (f1, f2)
    }

    #[test]
    fn proofs_of_two_witnesses_with_one_claim_are_the_same_views() {
        let mut rng = StdRng::seed_from_u64(22);
        for (n, d, corr) in [(1, 2, 0), (3, 2, 1), (4, 3, 2), (5, 2, 0)] {
            let h = Harness::new(n, &vec![true; d], corr, &mut rng);
            let (f1, f2) = same_sum_pair(n, d, &mut rng);
            assert!(substitute(&h, &f1, &f2, &mut rng), "n = {n}, d = {d}: no masks give the second witness the first's proof");
        }
    }

    /// The test can fail: with one round's Libra mask a degree short, the rounds reveal a coefficient of the
    /// witness's round polynomial, and no masks make the second witness's proof equal the first's.
    #[test]
    fn a_mask_of_too_low_a_degree_is_caught_by_the_substitution_test() {
        let mut rng = StdRng::seed_from_u64(23);
        let (n, d) = (4, 2);
        let mut h = Harness::new(n, &[true, true], 0, &mut rng);
        h.libra.degrees[1] -= 1;
        let (f1, f2) = same_sum_pair(n, d, &mut rng);
        assert!(!substitute(&h, &f1, &f2, &mut rng));
    }

    /// And a hidden factor sent without its slot: its value at r is the witness's own.
    #[test]
    fn a_hidden_factor_without_a_slot_is_caught_by_the_substitution_test() {
        let mut rng = StdRng::seed_from_u64(24);
        let h = Harness::new(4, &[true, false], 1, &mut rng);
        let (f1, f2) = same_sum_pair(4, 2, &mut rng);
        assert!(!substitute(&h, &f1, &f2, &mut rng));
    }

    /// The masks' cost: a plain and a zero-knowledge sumcheck of the same factors side by side, degrees 2 and 3 at
    /// 2^20 (all factors hidden). `cargo test --release measure_zk_sumcheck -- --ignored --nocapture --test-threads=1`.
    #[test]
    #[ignore]
    fn measure_zk_sumcheck() {
        let cpu = super::super::cpu_seconds;
        let mut rng = StdRng::seed_from_u64(25);
        for d in [2, 3] {
            let n = 20;
            let h = Harness::new(n, &vec![true; d], 0, &mut rng);
            let f = factors(n, d, &mut rng);
            let mask = rand_vec(h.mask_len, &mut rng);
            let claim = h.claim(&f, &mask);
            let (f1, f2) = (f.clone(), f.clone());
            let c0 = cpu();
            let plain = super::super::sumcheck::prove(f1, &mut Transcript::new(b"m"));
            let c1 = cpu();
            let zk = prove_zk(f2, &h.shape, &h.libra, &mask, claim, &h.l, &mut Transcript::new(b"m"));
            let c2 = cpu();
            assert_eq!(zk.point.len(), plain.point.len());
            println!("degree {d} at 2^{n}: plain {:.2} s CPU, zero knowledge {:.2} s CPU ({} mask entries)", c1 - c0, c2 - c1, h.mask_len);
        }
    }
}
