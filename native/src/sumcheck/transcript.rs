//! The Fiat-Shamir transcript of the sumcheck system: keccak256 over 32-byte words, so a Solidity verifier can
//! replay it with `keccak256(abi.encodePacked(...))`.
//!
//! Byte layout (every word 32 bytes; `||` is concatenation; `state` is a bytes32):
//! - `new(tag)`:                  `state = keccak256(tag)` (the tag's raw bytes, any length).
//! - `absorb_bytes(label, data)`: `state = keccak256(state || label32 || data)`, where `label32` is the label's
//!   ASCII bytes right-padded with zeros to 32 (`bytes32("label")` in Solidity; 1..=32 bytes, first byte non-zero)
//!   and `data` the raw bytes.
//! - `absorb_fr(label, x)`:       `data` = x as a 32-byte big-endian integer in [0, r) (`uint256`).
//! - `absorb_frs(label, xs)`:     `data` = the xs' words one after the other, no length (`abi.encodePacked(uint256[])`);
//!   an empty slice still hashes `state || label32`.
//! - `absorb_g1(label, P)`:       `data` = P.x || P.y, each a 32-byte big-endian integer in [0, p); the point at
//!   infinity as 64 zero bytes. `absorb_g1s` concatenates the points' 64-byte pairs.
//! - `challenge_fr()`:            `h = keccak256(state || counter32)` with `counter32` the number of challenges drawn
//!   before as a 32-byte big-endian integer; then `state = h`, `counter += 1`, and the challenge is
//!   `uint256(h) % r` (Fr::from_be_bytes_mod_order). Challenges chain: each depends on every absorb and every
//!   challenge before it.
//!
//! Domain separation between the two kinds of hash: an absorb hashes `state || label32 || ...`, whose 33rd byte
//! (the label's first) is non-zero; a challenge hashes `state || counter32`, whose 33rd byte is zero (counter < 2^248).
//! Every absorb is one hash, so the message boundaries are fixed by the verifier's sequence of calls.

use ark_bn254::{Fr, G1Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use sha3::{Digest, Keccak256};

/// A keccak256 Fiat-Shamir transcript (see the module doc for the exact bytes).
#[derive(Clone, Debug)]
pub struct Transcript {
    state: [u8; 32],
    counter: u64,
    /// Tests only: challenges given in advance (the honest-verifier setting of a zero-knowledge test, where the
    /// simulator chooses the verifier's randomness); while any are left, challenge_fr returns them in order.
    #[cfg(test)]
    script: std::collections::VecDeque<Fr>,
}

/// The label as a bytes32: its bytes right-padded with zeros. Panics on an empty label, one longer than 32 bytes
/// or one starting with a zero byte (a programming error: labels are constants).
fn label32(label: &[u8]) -> [u8; 32] {
    assert!(!label.is_empty() && label.len() <= 32 && label[0] != 0, "transcript label must be 1..=32 bytes, first non-zero");
    let mut w = [0u8; 32];
    w[..label.len()].copy_from_slice(label);
    w
}

/// x as a 32-byte big-endian word (canonical, in [0, modulus)).
pub fn fr_to_be32(x: &Fr) -> [u8; 32] {
    let b = x.into_bigint().to_bytes_be();
    let mut w = [0u8; 32];
    w[32 - b.len()..].copy_from_slice(&b);
    w
}

/// P as 64 bytes: x then y, each a 32-byte big-endian word; the point at infinity as 64 zeros.
pub fn g1_to_be64(p: &G1Affine) -> [u8; 64] {
    let mut w = [0u8; 64];
    if !p.is_zero() {
        let x = p.x.into_bigint().to_bytes_be();
        let y = p.y.into_bigint().to_bytes_be();
        w[32 - x.len()..32].copy_from_slice(&x);
        w[64 - y.len()..].copy_from_slice(&y);
    }
    w
}

impl Transcript {
    /// A transcript whose state is keccak256(domain_tag).
    pub fn new(domain_tag: &[u8]) -> Self {
        Transcript {
            state: Keccak256::digest(domain_tag).into(),
            counter: 0,
            #[cfg(test)]
            script: Default::default(),
        }
    }

    /// Tests only: a transcript whose next challenges are `challenges`, whatever was absorbed (then keccak again).
    #[cfg(test)]
    pub fn programmed(challenges: Vec<Fr>) -> Self {
        Transcript { script: challenges.into(), ..Transcript::new(b"programmed") }
    }

    /// The current 32-byte state (for tests and for replaying elsewhere).
    pub fn state(&self) -> [u8; 32] {
        self.state
    }

    fn absorb_parts(&mut self, label: &[u8], parts: &[&[u8]]) {
        let mut h = Keccak256::new();
        h.update(self.state);
        h.update(label32(label));
        for p in parts {
            h.update(p);
        }
        self.state = h.finalize().into();
    }

    /// state = keccak256(state || label32 || bytes).
    pub fn absorb_bytes(&mut self, label: &[u8], bytes: &[u8]) {
        self.absorb_parts(label, &[bytes]);
    }

    /// Absorbs one field element as a 32-byte big-endian word.
    pub fn absorb_fr(&mut self, label: &[u8], x: &Fr) {
        self.absorb_parts(label, &[&fr_to_be32(x)]);
    }

    /// Absorbs field elements as consecutive 32-byte big-endian words, in one hash.
    pub fn absorb_frs(&mut self, label: &[u8], xs: &[Fr]) {
        let mut buf = Vec::with_capacity(32 * xs.len());
        for x in xs {
            buf.extend_from_slice(&fr_to_be32(x));
        }
        self.absorb_parts(label, &[&buf]);
    }

    /// Absorbs a G1 point as x || y (32-byte big-endian words; infinity as zeros).
    pub fn absorb_g1(&mut self, label: &[u8], p: &G1Affine) {
        self.absorb_parts(label, &[&g1_to_be64(p)]);
    }

    /// Absorbs G1 points as their consecutive 64-byte pairs, in one hash.
    pub fn absorb_g1s(&mut self, label: &[u8], ps: &[G1Affine]) {
        let mut buf = Vec::with_capacity(64 * ps.len());
        for p in ps {
            buf.extend_from_slice(&g1_to_be64(p));
        }
        self.absorb_parts(label, &[&buf]);
    }

    /// Absorbs an unsigned integer (a size, a count) as a 32-byte big-endian word.
    pub fn absorb_u64(&mut self, label: &[u8], v: u64) {
        let mut w = [0u8; 32];
        w[24..].copy_from_slice(&v.to_be_bytes());
        self.absorb_parts(label, &[&w]);
    }

    /// h = keccak256(state || counter32); state = h; counter += 1; returns h mod r.
    pub fn challenge_fr(&mut self) -> Fr {
        let mut w = [0u8; 32];
        w[24..].copy_from_slice(&self.counter.to_be_bytes());
        let mut h = Keccak256::new();
        h.update(self.state);
        h.update(w);
        self.state = h.finalize().into();
        self.counter += 1;
        #[cfg(test)]
        if let Some(x) = self.script.pop_front() {
            return x;
        }
        Fr::from_be_bytes_mod_order(&self.state)
    }

    /// n challenges drawn one after the other.
    pub fn challenge_frs(&mut self, n: usize) -> Vec<Fr> {
        (0..n).map(|_| self.challenge_fr()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn fixed_sequence() -> Transcript {
        let mut t = Transcript::new(b"zkml-sumcheck-test-v1");
        t.absorb_bytes(b"bytes", b"hello");
        t.absorb_fr(b"fr", &Fr::from(42u64));
        t.absorb_frs(b"frs", &[Fr::from(1u64), -Fr::from(1u64)]);
        t.absorb_g1(b"g1", &G1Affine::generator());
        t.absorb_g1(b"inf", &G1Affine::identity());
        t
    }

    #[test]
    fn keccak_is_keccak256() {
        // keccak256("") as the EVM computes it (not SHA3-256).
        assert_eq!(hex(&Keccak256::digest(b"")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    }

    /// Pinned once from this code, and replayed independently with ethers' keccak256 over
    /// `concat([state, encodeBytes32String(label), data])` and `BigInt(h) % r`: the same two values.
    #[test]
    fn known_answer() {
        let mut t = fixed_sequence();
        let c0 = t.challenge_fr();
        let c1 = t.challenge_fr();
        let h0 = hex(&fr_to_be32(&c0));
        let h1 = hex(&fr_to_be32(&c1));
        println!("known-answer challenges: {h0} {h1}");
        assert_eq!(h0, "2f26b9d0cce3d34713b8cc961d04c4b6d61862a87871f91bc4443819ff14a9d9");
        assert_eq!(h1, "0eb331d30dd701dcffcb3629a3f505842882dcb7dda1d65ca1dc8dd4196950cb");
    }

    #[test]
    fn layout_by_hand() {
        // Replays new, absorb_fr and challenge_fr with raw keccak, as a Solidity verifier would.
        let mut t = Transcript::new(b"tag");
        t.absorb_fr(b"x", &Fr::from(7u64));
        let c = t.challenge_fr();
        let s0: [u8; 32] = Keccak256::digest(b"tag").into();
        let mut label = [0u8; 32];
        label[0] = b'x';
        let mut x = [0u8; 32];
        x[31] = 7;
        let s1: [u8; 32] = Keccak256::digest([&s0[..], &label, &x].concat()).into();
        let h: [u8; 32] = Keccak256::digest([&s1[..], &[0u8; 32]].concat()).into();
        assert_eq!(c, Fr::from_be_bytes_mod_order(&h));
        assert_eq!(t.state(), h);
    }

    #[test]
    fn labels_orders_and_values_matter() {
        let base = fixed_sequence().challenge_fr();
        let mut variants = Vec::new();
        // A different label.
        let mut t = Transcript::new(b"zkml-sumcheck-test-v1");
        t.absorb_bytes(b"bytez", b"hello");
        t.absorb_fr(b"fr", &Fr::from(42u64));
        variants.push(t);
        // A different order.
        let mut t = Transcript::new(b"zkml-sumcheck-test-v1");
        t.absorb_fr(b"fr", &Fr::from(42u64));
        t.absorb_bytes(b"bytes", b"hello");
        variants.push(t);
        // A different domain tag.
        let mut t = Transcript::new(b"zkml-sumcheck-test-v2");
        t.absorb_bytes(b"bytes", b"hello");
        variants.push(t);
        // One absorb of two elements against two absorbs of one.
        let mut a = Transcript::new(b"t");
        a.absorb_frs(b"v", &[Fr::from(1u64), Fr::from(2u64)]);
        let mut b = Transcript::new(b"t");
        b.absorb_fr(b"v", &Fr::from(1u64));
        b.absorb_fr(b"v", &Fr::from(2u64));
        assert_ne!(a.challenge_fr(), b.challenge_fr());
        for mut v in variants {
            assert_ne!(v.challenge_fr(), base);
        }
        // Challenges chain: the second differs from the first, and a clone replays the same ones.
        let mut t = fixed_sequence();
        let mut u = t.clone();
        let (c0, c1) = (t.challenge_fr(), t.challenge_fr());
        assert_ne!(c0, c1);
        assert_eq!((c0, c1), (u.challenge_fr(), u.challenge_fr()));
    }

    #[test]
    #[should_panic]
    fn long_label_refused() {
        Transcript::new(b"t").absorb_bytes(&[b'a'; 33], b"");
    }
}
