//! One multilinear polynomial opened with KZG (issue 28, docs/design/kzg-pcs.md section 1.5, step K2): Gemini's
//! folds reduce "F~(s) = v" to univariate evaluations, Shplonk batches them into one quotient, and one KZG check
//! (two pairings) closes it. No degree bound is needed (section 1.5 says why), so the powers of tau any published
//! ceremony has are enough.
//!
//! A vector F of 2^n entries is the univariate polynomial with those coefficients, A_0(X) = sum_k F[k] X^k, and
//! [P] = sum_k P_k tauG1[k]. Variable i of F~ is bit i of the index (s_0 the lowest). Folds: A_(i+1)[k] =
//! (1 - s_i) A_i[2k] + s_i A_i[2k + 1], so A_(i+1)(Y^2) = (1 - s_i) (A_i(Y) + A_i(-Y)) / 2 + s_i (A_i(Y) - A_i(-Y)) /
//! (2Y), and A_n is the constant F~(s).
//!
//! Prover (after v is in the transcript; the caller absorbed the commitment and v): [A_1] .. [A_(n-1)]
//! ("gemini folds"); r; a_i = A_i(-w_i), w_i = r^(2^i) ("gemini evals"); nu; [Q] ("shplonk q") for
//! Q(X) = sum_i nu^(2i) (A_i(X) - b_i) / (X - w_i) + nu^(2i+1) (A_i(X) - a_i) / (X + w_i), b_i = A_i(w_i); z;
//! [W] ("kzg w") for W = L(X) / (X - z), L(X) = sum_i c_i^- (A_i(X) - b_i) + c_i^+ (A_i(X) - a_i) - Q(X) with
//! c_i^- = nu^(2i) / (z - w_i), c_i^+ = nu^(2i+1) / (z + w_i) (L(z) = 0).
//!
//! Verifier: b_n = v, and down the chain b_i = (2 w_i b_(i+1) - a_i (w_i (1 - s_i) - s_i)) / (w_i (1 - s_i) + s_i)
//! (never read from the proof); [L] = sum_i (c_i^- + c_i^+) [A_i] - (sum_i c_i^- b_i + c_i^+ a_i) [1]_1 - [Q];
//! accept when e([L] + z [W], [1]_2) = e([W], [tau]_2). Refused first: a count other than n - 1 folds or n
//! evaluations, the identity anywhere, r = 0, a fold denominator w_i (1 - s_i) + s_i = 0, z = +-w_i.

use super::error::VerifyError;
use super::kzg::KzgKey;
use super::network::{DecodeError, Reader, Writer};
use super::transcript::{g1_to_be64, Transcript};
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, Field, One, Zero};

/// A Gemini opening: n - 1 folds, n evaluations at -w_i, Shplonk's Q and the KZG witness W.
#[derive(Clone, Debug, PartialEq)]
pub struct GeminiProof {
    pub folds: Vec<G1Affine>,
    pub evals: Vec<Fr>,
    pub q: G1Affine,
    pub w: G1Affine,
}

/// What the verifier holds of the key: [1]_2 and [tau]_2.
#[derive(Clone, Copy, Debug)]
pub struct VerifierKey {
    pub g2: G2Affine,
    pub tau_g2: G2Affine,
}

impl KzgKey {
    pub fn verifier_key(&self) -> VerifierKey {
        VerifierKey { g2: self.g2, tau_g2: self.tau_g2 }
    }
}

/// [P] for the polynomial of coefficients `p` (at most the key's length once its zero top coefficients are
/// dropped).
pub fn commit(key: &KzgKey, p: &[Fr]) -> G1Affine {
    let p = &p[..p.iter().rposition(|c| !c.is_zero()).map_or(0, |k| k + 1)];
    assert!(p.len() <= key.powers.len(), "a polynomial of {} coefficients for a key of {}", p.len(), key.powers.len());
    G1Projective::msm(&key.powers[..p.len()], p).expect("equal lengths").into_affine()
}

/// P(x) by Horner's rule.
fn evaluate(p: &[Fr], x: Fr) -> Fr {
    p.iter().rev().fold(Fr::zero(), |acc, c| acc * x + c)
}

/// (P(X) - P(a)) / (X - a) by synthetic division (the remainder P(a) dropped).
fn divide_linear(p: &[Fr], a: Fr) -> Vec<Fr> {
    let mut q = vec![Fr::zero(); p.len().saturating_sub(1)];
    let mut carry = Fr::zero();
    for k in (1..p.len()).rev() {
        carry = p[k] + carry * a;
        q[k - 1] = carry;
    }
    q
}

/// A_0 = f, then each fold at s_i (f of 2^m entries, m >= s.len(); all n = s.len() folds, the last A_n).
fn folds(f: &[Fr], s: &[Fr]) -> Vec<Vec<Fr>> {
    let mut out = vec![f.to_vec()];
    for &si in s {
        let a = out.last().expect("A_0");
        let next: Vec<Fr> = a.chunks(2).map(|c| c[0] + si * (c.get(1).copied().unwrap_or_default() - c[0])).collect();
        out.push(next);
    }
    out
}

/// w_i = r^(2^i), i < n.
fn squares(r: Fr, n: usize) -> Vec<Fr> {
    std::iter::successors(Some(r), |w| Some(w.square())).take(n).collect()
}

/// (c_i^-, c_i^+) for every i, or None when z = +-w_i.
fn shplonk_weights(nu: Fr, z: Fr, ws: &[Fr]) -> Option<Vec<(Fr, Fr)>> {
    let mut power = Fr::one();
    let mut out = Vec::with_capacity(ws.len());
    for &w in ws {
        let minus = power * (z - w).inverse()?;
        power *= nu;
        let plus = power * (z + w).inverse()?;
        power *= nu;
        out.push((minus, plus));
    }
    Some(out)
}

/// Opens F~(s) for F = `f` (2^n entries, n = s.len() >= 1) committed under `key`; the transcript has absorbed the
/// commitment and the value. Panics on a challenge that the verifier would refuse (probability about n / |Fr|).
pub fn open(key: &KzgKey, f: &[Fr], s: &[Fr], t: &mut Transcript) -> GeminiProof {
    open_with(key, f, s, t, |_, a| commit(key, a))
}

/// The model's fold commitments made once (docs/design/kzg-pcs.md section 6): for levels i = 1..=h, the 2^i
/// commitments S_(i,b) of M's stride-2^i subvectors M[b], M[b + 2^i], ...; then a proof's [A_i(M)] for a point s is
/// sum_b eq(s_<i, b) S_(i,b), an MSM of 2^i points instead of a commitment of 2^(n-i) entries.
#[derive(Clone, Debug)]
pub struct FoldTables {
    levels: Vec<Vec<G1Affine>>,
}

impl FoldTables {
    /// Tables of levels 1..=h for the model `m` (its length a power of two).
    pub fn build(key: &KzgKey, m: &[Fr], h: usize) -> FoldTables {
        let levels = (1..=h)
            .map(|i| {
                let stride = 1usize << i;
                (0..stride).map(|b| commit(key, &m[b..].iter().step_by(stride).copied().collect::<Vec<_>>())).collect()
            })
            .collect();
        FoldTables { levels }
    }

    /// Levels held.
    pub fn depth(&self) -> usize {
        self.levels.len()
    }

    /// Its bytes: the depth as one word, then level i's 2^i points (64 bytes each), i = 1..depth.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.count(self.levels.len());
        self.levels.iter().flatten().for_each(|p| w.0.extend_from_slice(&g1_to_be64(p)));
        w.0
    }

    /// `to_bytes` read back from `r` (every point on the curve; level i must hold 2^i).
    pub(crate) fn read(r: &mut Reader) -> Result<FoldTables, DecodeError> {
        let depth = r.count("fold tables depth", 30)?;
        let levels = (1..=depth).map(|i| (0..1usize << i).map(|b| r.point(&format!("fold table level {i} point {b}"))).collect::<Result<Vec<_>, _>>()).collect::<Result<_, _>>()?;
        Ok(FoldTables { levels })
    }

    /// [A_i(M)] at the point's first i coordinates (1 <= i <= depth).
    pub fn fold(&self, i: usize, s: &[Fr]) -> G1Affine {
        let eq = super::mle::eq_table(&s[..i]);
        G1Projective::msm(&self.levels[i - 1], &eq).expect("2^i points and weights").into_affine()
    }
}

/// Opens F = coef M + R (M the tabled model, at most f's length, zero-extended; R the rest) as `open` does, the model's part of
/// each fold within the tables' depth from its tables: the same proof, byte for byte.
pub fn open_tabled(key: &KzgKey, tables: &FoldTables, coef: Fr, m: &[Fr], f: &[Fr], s: &[Fr], t: &mut Transcript) -> GeminiProof {
    let model_folds = folds(m, &s[..tables.depth().min(s.len())]);
    open_with(key, f, s, t, |i, a| {
        if i > tables.depth() {
            return commit(key, a);
        }
        let mf = &model_folds[i];
        let rest: Vec<Fr> = a.iter().enumerate().map(|(k, x)| *x - coef * mf.get(k).copied().unwrap_or_default()).collect();
        let live = rest.iter().rposition(|x| !x.is_zero()).map_or(0, |k| k + 1);
        (tables.fold(i, s).into_group() * coef + commit(key, &rest[..live])).into_affine()
    })
}

/// `open` with the fold commitments from `fold_commitment(i, A_i)` (i = 1..n-1).
fn open_with(key: &KzgKey, f: &[Fr], s: &[Fr], t: &mut Transcript, fold_commitment: impl Fn(usize, &[Fr]) -> G1Affine) -> GeminiProof {
    let n = s.len();
    assert!(n >= 1, "a Gemini opening needs a variable");
    let a = folds(f, s);
    let fold_comms: Vec<G1Affine> = (1..n).map(|i| fold_commitment(i, &a[i])).collect();
    t.absorb_g1s(b"gemini folds", &fold_comms);
    let r = t.challenge_fr();
    let ws = squares(r, n);
    let evals: Vec<Fr> = (0..n).map(|i| evaluate(&a[i], -ws[i])).collect();
    let b: Vec<Fr> = (0..n).map(|i| evaluate(&a[i], ws[i])).collect();
    t.absorb_frs(b"gemini evals", &evals);
    let nu = t.challenge_fr();
    // Q = sum nu^(2i) (A_i - b_i) / (X - w_i) + nu^(2i+1) (A_i - a_i) / (X + w_i): each division drops its remainder
    let mut q = vec![Fr::zero(); f.len()];
    let mut power = Fr::one();
    for i in 0..n {
        for (root, scale) in [(ws[i], power), (-ws[i], power * nu)] {
            for (qk, dk) in q.iter_mut().zip(divide_linear(&a[i], root)) {
                *qk += scale * dk;
            }
        }
        power *= nu * nu;
    }
    let q_comm = commit(key, &q);
    t.absorb_g1(b"shplonk q", &q_comm);
    let z = t.challenge_fr();
    let weights = shplonk_weights(nu, z, &ws).expect("z is not +-w_i");
    // L = sum (c^- + c^+) A_i - (c^- b_i + c^+ a_i) - Q, which vanishes at z
    let mut l: Vec<Fr> = q.iter().map(|c| -*c).collect();
    for i in 0..n {
        let (cm, cp) = weights[i];
        for (lk, ak) in l.iter_mut().zip(&a[i]) {
            *lk += (cm + cp) * ak;
        }
        l[0] -= cm * b[i] + cp * evals[i];
    }
    debug_assert!(evaluate(&l, z).is_zero(), "L vanishes at z");
    let w_comm = commit(key, &divide_linear(&l, z));
    t.absorb_g1(b"kzg w", &w_comm);
    GeminiProof { folds: fold_comms, evals, q: q_comm, w: w_comm }
}

impl GeminiProof {
    /// Its words in transcript order (format 4's opening part, docs/design/kzg-pcs.md 4.1): the n - 1 folds (64-byte
    /// points), the n evaluations, Q, W; no counts (n is the statement's).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        self.folds.iter().for_each(|p| w.0.extend_from_slice(&g1_to_be64(p)));
        self.evals.iter().for_each(|x| w.fr(x));
        w.0.extend_from_slice(&g1_to_be64(&self.q));
        w.0.extend_from_slice(&g1_to_be64(&self.w));
        w.0
    }

    /// Reads an opening of n variables from `r` (every word below its modulus, every point on the curve).
    pub(crate) fn read(r: &mut Reader, n: usize) -> Result<GeminiProof, DecodeError> {
        let folds = (1..n).map(|i| r.point(&format!("gemini fold {i}"))).collect::<Result<_, _>>()?;
        let evals = (0..n).map(|i| r.fr(&format!("gemini evaluation {i}"))).collect::<Result<_, _>>()?;
        Ok(GeminiProof { folds, evals, q: r.point("shplonk q")?, w: r.point("kzg w")? })
    }

    /// Back from `to_bytes` for n variables; nothing may follow.
    pub fn from_bytes(bytes: &[u8], n: usize) -> Result<GeminiProof, DecodeError> {
        let mut r = Reader { b: bytes, at: 0 };
        let p = GeminiProof::read(&mut r, n)?;
        if r.at != bytes.len() {
            return r.err(format!("{} bytes after the opening's end", bytes.len() - r.at));
        }
        Ok(p)
    }
}

fn refuse(what: &'static str) -> VerifyError {
    VerifyError::Opening { what }
}

/// Checks that the polynomial committed as `c` (of 2^n coefficients, n = s.len()) has F~(s) = v, replaying the
/// transcript after the caller absorbed `c` and v.
pub fn verify(vk: &VerifierKey, c: &G1Affine, s: &[Fr], v: Fr, proof: &GeminiProof, t: &mut Transcript) -> Result<(), VerifyError> {
    let n = s.len();
    if n == 0 {
        return Err(VerifyError::Shape { what: "gemini point", got: 0, expected: 1 });
    }
    if proof.folds.len() != n - 1 {
        return Err(VerifyError::Shape { what: "gemini folds", got: proof.folds.len(), expected: n - 1 });
    }
    if proof.evals.len() != n {
        return Err(VerifyError::Shape { what: "gemini evaluations", got: proof.evals.len(), expected: n });
    }
    if c.is_zero() || proof.folds.iter().chain([&proof.q, &proof.w]).any(|p| p.is_zero()) {
        return Err(refuse("gemini: the identity as a commitment, fold, Q or W"));
    }
    t.absorb_g1s(b"gemini folds", &proof.folds);
    let r = t.challenge_fr();
    if r.is_zero() {
        return Err(refuse("gemini: r = 0"));
    }
    let ws = squares(r, n);
    t.absorb_frs(b"gemini evals", &proof.evals);
    let nu = t.challenge_fr();
    t.absorb_g1(b"shplonk q", &proof.q);
    let z = t.challenge_fr();
    t.absorb_g1(b"kzg w", &proof.w);
    // the fold chain, from b_n = v down
    let mut b = vec![Fr::zero(); n + 1];
    b[n] = v;
    for i in (0..n).rev() {
        let (w, si, a) = (ws[i], s[i], proof.evals[i]);
        let den = (w * (Fr::one() - si) + si).inverse().ok_or_else(|| refuse("gemini: a fold's denominator is zero"))?;
        b[i] = (w.double() * b[i + 1] - a * (w * (Fr::one() - si) - si)) * den;
    }
    let weights = shplonk_weights(nu, z, &ws).ok_or_else(|| refuse("gemini: z is a point opened"))?;
    let mut bases: Vec<G1Affine> = vec![*c];
    bases.extend(&proof.folds);
    let mut scalars: Vec<Fr> = weights.iter().map(|(m, p)| *m + p).collect();
    let constant: Fr = (0..n).map(|i| weights[i].0 * b[i] + weights[i].1 * proof.evals[i]).sum();
    bases.extend([G1Affine::generator(), proof.q, proof.w]);
    scalars.extend([-constant, -Fr::one(), z]);
    let lhs = G1Projective::msm(&bases, &scalars).expect("equal lengths").into_affine();
    if Bn254::multi_pairing([lhs, -proof.w], [vk.g2, vk.tau_g2]).is_zero() {
        Ok(())
    } else {
        Err(refuse("gemini: the KZG check e([L] + z[W], [1]_2) = e([W], [tau]_2) fails"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::kzg::tests::dev_ptau;
    use super::*;
    use crate::container::Container;
    use crate::error::Code;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
    use ark_std::UniformRand;
    use std::io::Cursor;

    const TAU: u64 = 987_654_321;

    fn key(len: usize) -> KzgKey {
        let power = super::super::kzg::power_for(len);
        let bytes = dev_ptau(Fr::from(TAU), power, |_, _| {});
        KzgKey::from_container(&mut Container::new(Cursor::new(bytes), "t.ptau", b"ptau", Code::PtauInvalid).unwrap(), len).unwrap()
    }

    /// F~(s) by its definition (index bit i is variable i).
    fn mle(f: &[Fr], s: &[Fr]) -> Fr {
        f.iter()
            .enumerate()
            .map(|(k, x)| *x * s.iter().enumerate().map(|(i, si)| if k >> i & 1 == 1 { *si } else { Fr::one() - si }).product::<Fr>())
            .sum()
    }

    fn transcript(c: &G1Affine, v: Fr) -> Transcript {
        let mut t = Transcript::new(b"gemini test");
        t.absorb_g1(b"commitment", c);
        t.absorb_fr(b"value", &v);
        t
    }

    fn prove(k: &KzgKey, f: &[Fr], s: &[Fr]) -> (G1Affine, Fr, GeminiProof) {
        let c = commit(k, f);
        let v = mle(f, s);
        (c, v, open(k, f, s, &mut transcript(&c, v)))
    }

    fn check(k: &KzgKey, c: &G1Affine, s: &[Fr], v: Fr, p: &GeminiProof) -> Result<(), VerifyError> {
        verify(&k.verifier_key(), c, s, v, p, &mut transcript(c, v))
    }

    #[test]
    fn honest_openings_verify_for_one_to_nine_variables() {
        let mut rng = StdRng::seed_from_u64(1);
        let k = key(1 << 9);
        for n in 1..=9 {
            let f: Vec<Fr> = (0..1 << n).map(|_| Fr::from(rng.gen_range(-128i64..128))).collect();
            let mut s: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            // points with 0 and 1 coordinates too
            if n > 2 {
                s[0] = Fr::zero();
                s[1] = Fr::one();
            }
            let (c, v, p) = prove(&k, &f, &s);
            assert_eq!(p.folds.len(), n - 1);
            check(&k, &c, &s, v, &p).unwrap_or_else(|e| panic!("n = {n}: {e}"));
            let full: Vec<Fr> = (0..1 << n).map(|_| Fr::rand(&mut rng)).collect();
            let (c, v, p) = prove(&k, &full, &s);
            check(&k, &c, &s, v, &p).unwrap_or_else(|e| panic!("n = {n}, full scalars: {e}"));
        }
    }

    #[test]
    fn a_commitment_is_the_polynomial_at_tau_times_the_generator() {
        // checked with the known tau of the test's ptau: the coefficients are read lowest power first
        let mut rng = StdRng::seed_from_u64(2);
        let k = key(64);
        let f: Vec<Fr> = (0..64).map(|_| Fr::rand(&mut rng)).collect();
        assert_eq!(commit(&k, &f), (G1Affine::generator() * evaluate(&f, Fr::from(TAU))).into_affine());
        // and the division helpers: (P - P(a)) / (X - a) times (X - a) plus P(a) is P, at a random x
        let (a, x) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        assert_eq!(evaluate(&divide_linear(&f, a), x) * (x - a) + evaluate(&f, a), evaluate(&f, x));
    }

    #[test]
    fn a_wrong_value_and_every_changed_word_are_refused() {
        let mut rng = StdRng::seed_from_u64(3);
        let k = key(32);
        let f: Vec<Fr> = (0..32).map(|_| Fr::from(rng.gen_range(0u64..256))).collect();
        let s: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        let (c, v, p) = prove(&k, &f, &s);
        assert!(check(&k, &c, &s, v + Fr::one(), &p).is_err(), "a wrong value");
        let other = commit(&k, &f.iter().map(|x| *x + Fr::one()).collect::<Vec<_>>());
        assert!(check(&k, &other, &s, v, &p).is_err(), "another commitment");
        let mut s2 = s.clone();
        s2[3] += Fr::one();
        assert!(check(&k, &c, &s2, v, &p).is_err(), "another point");
        let some_point = (G1Affine::generator() * Fr::from(7u64)).into_affine();
        for i in 0..p.folds.len() {
            let mut bad = p.clone();
            bad.folds[i] = some_point;
            assert!(check(&k, &c, &s, v, &bad).is_err(), "fold {i} replaced");
        }
        for i in 0..p.evals.len() {
            let mut bad = p.clone();
            bad.evals[i] += Fr::one();
            assert!(check(&k, &c, &s, v, &bad).is_err(), "evaluation {i} plus one");
        }
        for which in ["q", "w"] {
            let mut bad = p.clone();
            if which == "q" {
                bad.q = some_point;
            } else {
                bad.w = some_point;
            }
            assert!(check(&k, &c, &s, v, &bad).is_err(), "{which} replaced");
        }
        let mut short = p.clone();
        short.folds.pop();
        assert!(matches!(check(&k, &c, &s, v, &short), Err(VerifyError::Shape { what: "gemini folds", .. })));
        let mut long = p.clone();
        long.evals.push(Fr::one());
        assert!(matches!(check(&k, &c, &s, v, &long), Err(VerifyError::Shape { what: "gemini evaluations", .. })));
        let mut identity = p.clone();
        identity.w = G1Affine::identity();
        assert!(check(&k, &c, &s, v, &identity).unwrap_err().to_string().contains("identity"));
    }

    #[test]
    fn a_known_answer_opening_round_trips_its_bytes_and_keeps_them() {
        // seeded vector and point under the test ptau's tau: the bytes' keccak256 is pinned, so a change to the
        // protocol, the transcript or the encoding shows here (the TypeScript and Solidity verifiers replay it)
        use sha3::{Digest, Keccak256};
        let mut rng = StdRng::seed_from_u64(5);
        let k = key(16);
        let f: Vec<Fr> = (0..16).map(|_| Fr::from(rng.gen_range(0u64..256))).collect();
        let s: Vec<Fr> = (0..4).map(|_| Fr::rand(&mut rng)).collect();
        let (c, v, p) = prove(&k, &f, &s);
        let bytes = p.to_bytes();
        assert_eq!(bytes.len(), 64 * 3 + 32 * 4 + 64 * 2);
        let back = GeminiProof::from_bytes(&bytes, 4).unwrap();
        assert_eq!(back, p);
        assert!(check(&k, &c, &s, v, &back).is_ok());
        let mut bad = bytes.clone();
        bad[64 * 3 + 31] ^= 1;
        let changed = GeminiProof::from_bytes(&bad, 4).unwrap();
        assert!(check(&k, &c, &s, v, &changed).is_err());
        assert!(GeminiProof::from_bytes(&bytes[..bytes.len() - 1], 4).is_err());
        assert!(GeminiProof::from_bytes(&[&bytes[..], &[0u8; 32]].concat(), 4).unwrap_err().what.contains("after the opening's end"));
        let hash = hex(&Keccak256::digest(&bytes));
        assert_eq!(hash, PINNED, "the known-answer opening's bytes changed: {hash}");
    }

    /// `cargo test --release write_gemini_known_answer -- --ignored`: the known-answer opening as
    /// test/fixtures/gemini-known-answer.json (decimal strings), which the TypeScript verifier's test replays.
    #[test]
    #[ignore]
    fn write_gemini_known_answer() {
        use ark_ff::PrimeField;
        let mut rng = StdRng::seed_from_u64(5);
        let k = key(16);
        let f: Vec<Fr> = (0..16).map(|_| Fr::from(rng.gen_range(0u64..256))).collect();
        let s: Vec<Fr> = (0..4).map(|_| Fr::rand(&mut rng)).collect();
        let (c, v, p) = prove(&k, &f, &s);
        let d = |x: &dyn Fn() -> String| format!("\"{}\"", x());
        let fq = |x: ark_bn254::Fq| x.into_bigint().to_string();
        let frs = |xs: &[Fr]| xs.iter().map(|x| d(&|| x.into_bigint().to_string())).collect::<Vec<_>>().join(", ");
        let g2 = |p: G2Affine| format!("[[\"{}\", \"{}\"], [\"{}\", \"{}\"]]", fq(p.x.c0), fq(p.x.c1), fq(p.y.c0), fq(p.y.c1));
        let json = format!(
            "{{\n \"what\": \"native/src/sumcheck/gemini.rs a_known_answer_opening_round_trips_its_bytes_and_keeps_them: a Gemini opening of 16 8-bit entries at a 4-variable point, under a test ptau of tau = {TAU}\",\n \"tauG2\": {},\n \"commitment\": [\"{}\", \"{}\"],\n \"point\": [{}],\n \"value\": \"{}\",\n \"vector\": [{}],\n \"proof\": \"{}\"\n}}\n",
            g2(k.tau_g2),
            fq(c.x),
            fq(c.y),
            frs(&s),
            v.into_bigint(),
            frs(&f),
            hex(&p.to_bytes())
        );
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/../test/fixtures/gemini-known-answer.json"), json).unwrap();
    }

    const PINNED: &str = "d0cf1134a3bbbe412169b6583912bc34ec5b3a31d5266c547aaffcf76300d2fc";

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn the_model_s_folds_from_its_tables_give_the_same_proof() {
        // F = coef M + R with M an 8-bit model of 2^8 entries and R a witness of 2^5 (the rest zeros), tables of
        // levels 1..4: the proof equals the one that commits every fold, and verifies against coef C_M + C_R
        let mut rng = StdRng::seed_from_u64(6);
        let k = key(256);
        let m: Vec<Fr> = (0..256).map(|_| Fr::from(rng.gen_range(0u64..256))).collect();
        let mut r = vec![Fr::zero(); 256];
        r[..32].iter_mut().for_each(|x| *x = Fr::from(rng.gen_range(0u64..4096)));
        let coef = Fr::rand(&mut rng);
        let f: Vec<Fr> = m.iter().zip(&r).map(|(a, b)| coef * a + b).collect();
        let s: Vec<Fr> = (0..8).map(|_| Fr::rand(&mut rng)).collect();
        let tables = FoldTables::build(&k, &m, 4);
        let c = (commit(&k, &m).into_group() * coef + commit(&k, &r[..32])).into_affine();
        let v = mle(&f, &s);
        let direct = open(&k, &f, &s, &mut transcript(&c, v));
        let tabled = open_tabled(&k, &tables, coef, &m, &f, &s, &mut transcript(&c, v));
        assert_eq!(tabled, direct);
        assert!(check(&k, &c, &s, v, &tabled).is_ok());
        // each table level is the stride subvectors' commitments
        assert_eq!(tables.fold(1, &s), commit(&k, &folds(&m, &s[..1])[1]));
        assert_eq!(tables.fold(4, &s), commit(&k, &folds(&m, &s[..4])[4]));
    }

    #[test]
    fn a_polynomial_of_twice_the_coefficients_opened_as_n_variate_is_refused() {
        // 2^(n+1) coefficients folded n times leave two: the first block's value at s is not what the chain ends in
        let mut rng = StdRng::seed_from_u64(4);
        let k = key(64);
        let f: Vec<Fr> = (0..64).map(|_| Fr::rand(&mut rng)).collect();
        let s: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        let c = commit(&k, &f);
        let v = mle(&f[..32], &s);
        let p = open(&k, &f, &s, &mut transcript(&c, v));
        assert!(check(&k, &c, &s, v, &p).is_err());
    }

    /// `cargo test --release measure_gemini -- --ignored --nocapture`: prove (its MSMs: folds, Q, W) and verify
    /// times at 2^12 and 2^16 entries, 8-bit and full scalars (the key from an in-memory ptau of a known tau).
    #[test]
    #[ignore]
    fn measure_gemini() {
        let mut rng = StdRng::seed_from_u64(9);
        let k = key(1 << 16);
        for n in [12usize, 16] {
            for small in [true, false] {
                let f: Vec<Fr> = (0..1usize << n).map(|_| if small { Fr::from(rng.gen_range(0u64..256)) } else { Fr::rand(&mut rng) }).collect();
                let s: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
                let t0 = std::time::Instant::now();
                let c = commit(&k, &f);
                let commit_s = t0.elapsed().as_secs_f64();
                let v = mle(&f, &s);
                let t1 = std::time::Instant::now();
                let p = open(&k, &f, &s, &mut transcript(&c, v));
                let open_s = t1.elapsed().as_secs_f64();
                let t2 = std::time::Instant::now();
                check(&k, &c, &s, v, &p).unwrap();
                let verify_s = t2.elapsed().as_secs_f64();
                println!("2^{n} {}: commit {commit_s:.3} s, open {open_s:.3} s, verify {:.1} ms, proof {} words", if small { "8-bit" } else { "full" }, verify_s * 1e3, 2 * (n - 1) + n + 4);
                if small {
                    // a committed model (coef 1, no witness): its folds from tables of n / 2 levels
                    let t3 = std::time::Instant::now();
                    let tables = FoldTables::build(&k, &f, n / 2);
                    let build_s = t3.elapsed().as_secs_f64();
                    let t4 = std::time::Instant::now();
                    let p2 = open_tabled(&k, &tables, Fr::one(), &f, &f, &s, &mut transcript(&c, v));
                    println!("2^{n} 8-bit, folds from tables: open {:.3} s (tables of {} levels made once in {build_s:.3} s)", t4.elapsed().as_secs_f64(), n / 2);
                    assert_eq!(p2, p);
                }
            }
        }
    }
}
