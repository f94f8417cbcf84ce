//! The proof of a dot product with a public vector (Hyrax, Wahby et al., S&P 2018, the "proof of dot product"
//! sigma protocol; Thaler's book, section 14.4): the prover knows u and the blinders tau, r_y of two Pedersen
//! commitments T = <u, G> + tau H and Y = y G_v + r_y H, and convinces the verifier that y = <a, u> for the public
//! vector a, revealing nothing else about u (honest-verifier zero knowledge; the challenge from the transcript).
//!
//! Prover: d uniform in Fr^n, r_delta and r_beta uniform; sends delta = <d, G> + r_delta H and
//! beta = <a, d> G_v + r_beta H; the challenge c; sends z = c u + d, z_delta = c tau + r_delta,
//! z_beta = c r_y + r_beta. Verifier: c T + delta == <z, G> + z_delta H and c Y + beta == <z, a> G_v + z_beta H.
//! Special soundness: two accepting answers to c != c' for one (delta, beta) give u = (z - z') / (c - c') with
//! T's opening, and Y's opening to <a, u>; binding rests on the discrete logarithms between G, G_v and H being
//! unknown (all are hashed to the curve).
//!
//! Transcript, in order: `absorb_g1("dot claim", Y)`, `absorb_g1s("dot first", [delta, beta])`, c = challenge,
//! then `absorb_frs("dot response", z || z_delta || z_beta)`. T is the caller's: it is a public function of
//! commitments the caller has absorbed already.

use super::error::VerifyError;
use super::mle::inner_product;
use super::transcript::Transcript;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_std::rand::{CryptoRng, RngCore};
use ark_std::UniformRand;

/// The generators a dot-product proof uses: G_j for the vector, G_v for the scalar, H for the blinders.
#[derive(Clone, Copy, Debug)]
pub struct DotGens<'a> {
    pub g: &'a [G1Affine],
    pub g_v: G1Affine,
    pub h: G1Affine,
}

/// The prover's messages.
#[derive(Clone, Debug, PartialEq)]
pub struct DotProductProof {
    pub delta: G1Affine,
    pub beta: G1Affine,
    pub z: Vec<Fr>,
    pub z_delta: Fr,
    pub z_beta: Fr,
}

/// What the prover knows: u and the blinders of T and Y.
pub struct DotWitness<'a> {
    pub u: &'a [Fr],
    pub tau: Fr,
    pub r_y: Fr,
}

/// y G_v + r H: a Pedersen commitment to one scalar.
pub fn commit_scalar(gens: &DotGens, y: Fr, r: Fr) -> G1Affine {
    (gens.g_v * y + gens.h * r).into_affine()
}

fn absorb_first(y_comm: &G1Affine, delta: &G1Affine, beta: &G1Affine, t: &mut Transcript) -> Fr {
    t.absorb_g1(b"dot claim", y_comm);
    t.absorb_g1s(b"dot first", &[*delta, *beta]);
    t.challenge_fr()
}

fn absorb_response(proof: &DotProductProof, t: &mut Transcript) {
    let mut words = proof.z.clone();
    words.extend([proof.z_delta, proof.z_beta]);
    t.absorb_frs(b"dot response", &words);
}

/// The prover's randomness for one proof: d, r_delta and r_beta, drawn from the rng in that order.
pub struct DotNonce {
    d: Vec<Fr>,
    r_delta: Fr,
    r_beta: Fr,
}

/// Draws a proof's randomness for vectors of n entries (prove's draws, in prove's order).
pub fn draw_nonce<R: RngCore + CryptoRng>(n: usize, rng: &mut R) -> DotNonce {
    let d: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
    let (r_delta, r_beta) = (Fr::rand(rng), Fr::rand(rng));
    DotNonce { d, r_delta, r_beta }
}

/// The first message (delta, beta), a function of the nonce and a alone: it can be computed before the transcript
/// reaches the proof (many proofs' first messages at once).
pub fn first_message(gens: &DotGens, a: &[Fr], nonce: &DotNonce) -> (G1Affine, G1Affine) {
    let n = nonce.d.len();
    assert!(a.len() == n && gens.g.len() >= n, "dot product: lengths differ");
    let delta = (G1Projective::msm(&gens.g[..n], &nonce.d).expect("lengths checked") + gens.h * nonce.r_delta).into_affine();
    (delta, commit_scalar(gens, inner_product(a, &nonce.d), nonce.r_beta))
}

/// first_message with delta from fixed-base tables when they cover G and H (the same point).
pub fn first_message_fixed(gens: &DotGens, a: &[Fr], nonce: &DotNonce, fixed: Option<&super::hyrax::FixedBases>) -> (G1Affine, G1Affine) {
    let n = nonce.d.len();
    match fixed {
        Some(f) if a.len() == n && gens.g.len() >= n && f.covers(&gens.g[..n], &gens.h) => (f.commit(&nonce.d, &nonce.r_delta), commit_scalar(gens, inner_product(a, &nonce.d), nonce.r_beta)),
        _ => first_message(gens, a, nonce),
    }
}

/// The proof from its first message: absorbs Y and (delta, beta), draws c, answers and absorbs the answer.
pub fn respond(y_comm: &G1Affine, (delta, beta): (G1Affine, G1Affine), w: &DotWitness, nonce: &DotNonce, t: &mut Transcript) -> DotProductProof {
    assert_eq!(w.u.len(), nonce.d.len(), "dot product: lengths differ");
    let c = absorb_first(y_comm, &delta, &beta, t);
    let z: Vec<Fr> = w.u.iter().zip(&nonce.d).map(|(u, d)| c * u + d).collect();
    let proof = DotProductProof { delta, beta, z, z_delta: c * w.tau + nonce.r_delta, z_beta: c * w.r_y + nonce.r_beta };
    absorb_response(&proof, t);
    proof
}

/// Proves <a, w.u> is the value Y commits to (Y = <a, u> G_v + w.r_y H, T = <u, G> + w.tau H).
pub fn prove<R: RngCore + CryptoRng>(
    gens: &DotGens,
    a: &[Fr],
    y_comm: &G1Affine,
    w: &DotWitness,
    t: &mut Transcript,
    rng: &mut R,
) -> DotProductProof {
    assert!(a.len() == w.u.len(), "dot product: lengths differ");
    let nonce = draw_nonce(w.u.len(), rng);
    let first = first_message(gens, a, &nonce);
    respond(y_comm, first, w, &nonce, t)
}

/// Checks the proof that Y commits to <a, u> where T commits to u. `t_comm` is T, computed by the caller from
/// commitments it absorbed before the challenges `a` comes from (this absorbs Y, not T: a caller that has not bound T
/// lets a prover choose it after seeing c).
pub fn verify(
    gens: &DotGens,
    a: &[Fr],
    t_comm: &G1Projective,
    y_comm: &G1Affine,
    proof: &DotProductProof,
    t: &mut Transcript,
) -> Result<(), VerifyError> {
    let n = a.len();
    if proof.z.len() != n {
        return Err(VerifyError::Shape { what: "dot product response", got: proof.z.len(), expected: n });
    }
    if gens.g.len() < n {
        return Err(VerifyError::Shape { what: "dot product generators", got: gens.g.len(), expected: n });
    }
    let c = absorb_first(y_comm, &proof.delta, &proof.beta, t);
    let lhs = *t_comm * c + proof.delta;
    let rhs = G1Projective::msm(&gens.g[..n], &proof.z).expect("lengths checked") + gens.h * proof.z_delta;
    if lhs != rhs {
        return Err(VerifyError::Opening { what: "dot product: the response does not open c T + delta" });
    }
    let lhs = *y_comm * c + proof.beta;
    let rhs = gens.g_v * inner_product(&proof.z, a) + gens.h * proof.z_beta;
    if lhs != rhs {
        return Err(VerifyError::Opening { what: "dot product: <z, a> does not open c Y + beta" });
    }
    absorb_response(proof, t);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::hyrax::hash_to_g1;
    use super::*;
    use ark_std::rand::{rngs::StdRng, SeedableRng};

    struct Setup {
        g: Vec<G1Affine>,
        g_v: G1Affine,
        h: G1Affine,
    }

    fn setup(n: usize) -> Setup {
        let g = (0..n as u64).map(|j| hash_to_g1(b"zkml-dot-test", j)).collect();
        Setup { g, g_v: hash_to_g1(b"zkml-dot-test", u64::MAX - 1), h: hash_to_g1(b"zkml-dot-test", u64::MAX) }
    }

    struct Case {
        a: Vec<Fr>,
        t_comm: G1Projective,
        y_comm: G1Affine,
        proof: DotProductProof,
        /// The prover's transcript state after the proof.
        state: [u8; 32],
    }

    /// An honest proof for a random u (n entries), Y committing to <a, u> (or to `y_shift` more).
    fn case(s: &Setup, n: usize, y_shift: Fr, rng: &mut StdRng) -> Case {
        let gens = DotGens { g: &s.g, g_v: s.g_v, h: s.h };
        let u: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
        let a: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
        let (tau, r_y) = (Fr::rand(rng), Fr::rand(rng));
        let t_comm = G1Projective::msm(&s.g[..n], &u).unwrap() + s.h * tau;
        let y_comm = commit_scalar(&gens, inner_product(&a, &u) + y_shift, r_y);
        let mut t = Transcript::new(b"dot");
        let proof = prove(&gens, &a, &y_comm, &DotWitness { u: &u, tau, r_y }, &mut t, rng);
        Case { a, t_comm, y_comm, proof, state: t.state() }
    }

    fn check(s: &Setup, c: &Case, proof: &DotProductProof) -> Result<[u8; 32], VerifyError> {
        let gens = DotGens { g: &s.g, g_v: s.g_v, h: s.h };
        let mut t = Transcript::new(b"dot");
        verify(&gens, &c.a, &c.t_comm, &c.y_comm, proof, &mut t).map(|_| t.state())
    }

    #[test]
    fn honest_proofs_are_accepted_and_end_in_the_same_transcript_state() {
        let s = setup(16);
        let mut rng = StdRng::seed_from_u64(1);
        for n in [1, 2, 5, 16] {
            let c = case(&s, n, Fr::from(0u64), &mut rng);
            assert_eq!(check(&s, &c, &c.proof), Ok(c.state), "n = {n}");
        }
    }

    #[test]
    fn every_part_changed_is_rejected() {
        let s = setup(8);
        let mut rng = StdRng::seed_from_u64(2);
        let c = case(&s, 8, Fr::from(0u64), &mut rng);
        let one = Fr::from(1u64);
        let mut changed: Vec<DotProductProof> = Vec::new();
        for j in 0..8 {
            let mut p = c.proof.clone();
            p.z[j] += one;
            changed.push(p);
        }
        let mut p = c.proof.clone();
        p.z_delta += one;
        changed.push(p);
        let mut p = c.proof.clone();
        p.z_beta += one;
        changed.push(p);
        let mut p = c.proof.clone();
        p.delta = (p.delta + s.g[0]).into_affine();
        changed.push(p);
        let mut p = c.proof.clone();
        p.beta = (p.beta + s.g_v).into_affine();
        changed.push(p);
        for (i, p) in changed.iter().enumerate() {
            assert!(matches!(check(&s, &c, p), Err(VerifyError::Opening { .. })), "change {i} accepted");
        }
        let mut p = c.proof.clone();
        p.z.pop();
        assert!(matches!(check(&s, &c, &p), Err(VerifyError::Shape { .. })));
    }

    #[test]
    fn a_wrong_value_or_another_vector_is_rejected() {
        let s = setup(8);
        let mut rng = StdRng::seed_from_u64(3);
        // Y commits to <a, u> + 1: the prover follows the protocol and still fails.
        let c = case(&s, 8, Fr::from(1u64), &mut rng);
        assert!(check(&s, &c, &c.proof).is_err());
        // The proof of one statement against another's commitments.
        let c1 = case(&s, 8, Fr::from(0u64), &mut rng);
        let c2 = case(&s, 8, Fr::from(0u64), &mut rng);
        assert!(check(&s, &c1, &c2.proof).is_err());
        let mixed = Case { t_comm: c2.t_comm, ..case(&s, 8, Fr::from(0u64), &mut rng) };
        assert!(check(&s, &mixed, &mixed.proof).is_err());
    }
}
