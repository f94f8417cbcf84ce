//! The KZG key read from a powers of tau (issue 28, docs/design/kzg-pcs.md step K1): what a KZG-family multilinear
//! commitment (Gemini folds, one KZG check) needs of the ceremony, and the checks that make a file usable for it.
//!
//! The prover needs tauG1[0..len), the monomial G1 powers (section 2 of a ptau; the Lagrange sections are not used:
//! the polynomial is read with the vector's entries as its coefficients). A ptau of power p holds 2^(p+1) - 1 of
//! them, so the least usable power for `len` entries is `power_for(len)`; a smaller file is refused naming it.
//! The verifier needs three points: [1]_1 (G1's generator), [1]_2 = tauG2[0] and [tau]_2 = tauG2[1].
//!
//! Checks (section 2 of the design): tauG1[0] and tauG2[0] are the generators; tauG2[1] is in G2's prime-order
//! subgroup (the container's G2 parser checks the curve equation only; G1 has cofactor 1, so on the curve is
//! enough there); e(tauG1[1], [1]_2) = e([1]_1, tauG2[1]), which ties the G1 powers the prover uses to the G2 point
//! the verifier uses. The chain of the higher powers (tauG1[i+1] = tau tauG1[i]) is src/setup/ptau-check.ts's job,
//! by random linear combinations, as for Groth16 today.

use crate::container::Container;
use crate::encoding::{g1, g2};
use crate::error::{Code, NativeError, Result};
use ark_bn254::{Bn254, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::AffineRepr;
use std::io::{Read, Seek};

/// The ptau's sections this reads (iden3's layout).
const HEADER: u32 = 1;
const TAU_G1: u32 = 2;
const TAU_G2: u32 = 3;

/// The KZG key for vectors of up to `powers.len()` entries.
#[derive(Clone, Debug)]
pub struct KzgKey {
    /// tauG1[0..len): the prover's bases
    pub powers: Vec<G1Affine>,
    /// [1]_2 (tauG2[0], G2's generator) and [tau]_2 (tauG2[1]): the verifier's
    pub g2: G2Affine,
    pub tau_g2: G2Affine,
    /// the file's power (2^(power+1) - 1 G1 powers in it)
    pub power: u32,
}

/// A G2 point as four 32-byte big-endian words in EIP-197's order (x's imaginary coefficient, x's real, y's
/// imaginary, y's real): how a proof's transcript absorbs the verifier's [tau]_2 and a contract holds it.
pub fn g2_to_words(p: &G2Affine) -> [u8; 128] {
    use ark_ff::{BigInteger, PrimeField};
    let mut w = [0u8; 128];
    if let Some((x, y)) = p.xy() {
        for (i, c) in [x.c1, x.c0, y.c1, y.c0].iter().enumerate() {
            let b = c.into_bigint().to_bytes_be();
            w[32 * (i + 1) - b.len()..32 * (i + 1)].copy_from_slice(&b);
        }
    }
    w
}

/// `g2_to_words` read back: a point of G2's prime-order subgroup, or an error saying what is wrong.
pub fn g2_from_words(b: &[u8]) -> std::result::Result<G2Affine, String> {
    use ark_bn254::{Fq, Fq2};
    use ark_ff::{BigInteger, PrimeField};
    if b.len() != 128 {
        return Err(format!("a G2 point is 128 bytes, got {}", b.len()));
    }
    let mut c = [Fq::from(0u64); 4];
    for (i, x) in c.iter_mut().enumerate() {
        *x = Fq::from_be_bytes_mod_order(&b[32 * i..32 * (i + 1)]);
        let mut back = x.into_bigint().to_bytes_be();
        while back.len() < 32 {
            back.insert(0, 0);
        }
        if back != b[32 * i..32 * (i + 1)] {
            return Err(format!("word {i} is not below the base field's modulus"));
        }
    }
    let p = G2Affine::new_unchecked(Fq2::new(c[1], c[0]), Fq2::new(c[3], c[2]));
    if !p.is_on_curve() || !p.is_in_correct_subgroup_assuming_on_curve() || p.is_zero() {
        return Err("not a point of G2's prime-order subgroup".into());
    }
    Ok(p)
}

/// The least ptau power whose 2^(p+1) - 1 G1 powers cover `len` entries (len >= 1).
pub fn power_for(len: usize) -> u32 {
    let mut p = 0u32;
    while (1usize << (p + 1)) - 1 < len {
        p += 1;
    }
    p
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes")))
}

/// The ptau header's power (section 1: n8, q, power, ceremony power), checked to be BN254's (n8 = 32).
fn header_power<R: Read + Seek>(pt: &mut Container<R>) -> Result<u32> {
    let h = pt.read(HEADER, None)?;
    match (u32_at(&h, 0), u32_at(&h, 36)) {
        (Some(32), Some(p)) if p < 32 => Ok(p),
        (Some(n8), _) if n8 != 32 => Err(pt.err(format!("header: a field of {n8} bytes, not BN254's 32"))),
        _ => Err(pt.err(format!("header: {} bytes, not a ptau header (n8, q, power, ceremony power)", h.len()))),
    }
}

impl KzgKey {
    /// The key for vectors of up to `len` entries from an open ptau, every check of the module's doc made; a file
    /// too small for `len` is refused with the power it would need.
    pub fn from_container<R: Read + Seek>(pt: &mut Container<R>, len: usize) -> Result<KzgKey> {
        if len == 0 {
            return Err(NativeError::bare(Code::NativeCallInvalid, "a KZG key of no powers"));
        }
        let power = header_power(pt)?;
        let have = (1usize << (power + 1)) - 1;
        if have < len {
            return Err(pt.err(format!("a ptau of power {power} holds {have} G1 powers; {len} are needed: use a ptau of power {} or more", power_for(len))));
        }
        let powers = pt.points(TAU_G1, 0, len.max(2), 64, "tauG1", g1)?;
        let g2s = pt.points(TAU_G2, 0, 2, 128, "tauG2", g2)?;
        let key = KzgKey { powers: powers[..len].to_vec(), g2: g2s[0], tau_g2: g2s[1], power };
        key.check(&powers[..2]).map_err(|what| pt.err(what))?;
        Ok(key)
    }

    /// The key from the ptau file at `path`.
    pub fn from_ptau(path: &str, len: usize) -> Result<KzgKey> {
        let file = std::fs::File::open(path).map_err(|e| NativeError::new(Code::PtauInvalid, path, e.to_string()))?;
        KzgKey::from_container(&mut Container::new(std::io::BufReader::new(file), path, b"ptau", Code::PtauInvalid)?, len)
    }

    /// The design's checks on the first two G1 powers and the two G2 points.
    fn check(&self, first: &[G1Affine]) -> std::result::Result<(), String> {
        if first[0] != G1Affine::generator() {
            return Err("tauG1[0] is not G1's generator".into());
        }
        if self.g2 != G2Affine::generator() {
            return Err("tauG2[0] is not G2's generator".into());
        }
        if self.tau_g2.is_zero() || !self.tau_g2.is_in_correct_subgroup_assuming_on_curve() {
            return Err("tauG2[1] is not in G2's prime-order subgroup".into());
        }
        if Bn254::pairing(first[1], self.g2) != Bn254::pairing(G1Affine::generator(), self.tau_g2) {
            return Err("tauG1[1] and tauG2[1] are not powers of one tau (e(tauG1[1], [1]_2) != e([1]_1, tauG2[1]))".into());
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::container::write;
    use crate::encoding::{g1s_lem, g2s_lem};
    use ark_bn254::{Fq, Fr, G1Projective, G2Projective};
    use ark_ec::CurveGroup;
    use ark_ff::{BigInteger, PrimeField};
    use std::io::Cursor;

    /// A ptau's three first sections for `tau` at `power` (what the key reads), as iden3's container.
    pub(crate) fn dev_ptau(tau: Fr, power: u32, tamper: impl Fn(&mut Vec<G1Affine>, &mut Vec<G2Affine>)) -> Vec<u8> {
        let n1 = (1usize << (power + 1)) - 1;
        let mut t = Fr::from(1u64);
        let mut g1s = Vec::with_capacity(n1);
        for _ in 0..n1 {
            g1s.push((G1Projective::from(G1Affine::generator()) * t).into_affine());
            t *= tau;
        }
        let mut g2s = vec![G2Affine::generator(), (G2Projective::from(G2Affine::generator()) * tau).into_affine()];
        tamper(&mut g1s, &mut g2s);
        let mut header = 32u32.to_le_bytes().to_vec();
        header.extend(Fq::MODULUS.to_bytes_le());
        header.extend(power.to_le_bytes());
        header.extend(power.to_le_bytes());
        let mut out = Vec::new();
        write(&mut out, b"ptau", 1, &[(HEADER, header), (TAU_G1, g1s_lem(&g1s)), (TAU_G2, g2s_lem(&g2s))], 3).expect("in memory");
        out
    }

    fn key(bytes: Vec<u8>, len: usize) -> Result<KzgKey> {
        KzgKey::from_container(&mut Container::new(Cursor::new(bytes), "test.ptau", b"ptau", Code::PtauInvalid)?, len)
    }

    fn refusal(bytes: Vec<u8>, len: usize) -> String {
        key(bytes, len).unwrap_err().to_string()
    }

    #[test]
    fn the_powers_are_tau_s_and_the_verifier_s_points_are_read() {
        let tau = Fr::from(98_765u64);
        let k = key(dev_ptau(tau, 4, |_, _| {}), 20).unwrap();
        assert_eq!((k.powers.len(), k.power), (20, 4));
        let mut t = Fr::from(1u64);
        for p in &k.powers {
            assert_eq!(*p, (G1Affine::generator() * t).into_affine());
            t *= tau;
        }
        assert_eq!(k.tau_g2, (G2Affine::generator() * tau).into_affine());
    }

    #[test]
    fn the_least_power_covers_the_entries() {
        assert_eq!([1, 2, 3, 4, 7, 8, 4_120_199].map(power_for), [0, 1, 1, 2, 2, 3, 21]);
        // a file of power 3 holds 15 powers: 16 are refused with the power needed
        let e = refusal(dev_ptau(Fr::from(5u64), 3, |_, _| {}), 16);
        assert!(e.contains("holds 15 G1 powers; 16 are needed: use a ptau of power 4 or more"), "{e}");
        assert!(key(dev_ptau(Fr::from(5u64), 3, |_, _| {}), 15).is_ok());
    }

    #[test]
    fn a_file_whose_points_do_not_belong_together_is_refused() {
        let tau = Fr::from(31u64);
        let other = |_: &mut Vec<G1Affine>, g2: &mut Vec<G2Affine>| g2[1] = (G2Affine::generator() * Fr::from(32u64)).into_affine();
        assert!(refusal(dev_ptau(tau, 3, other), 8).contains("are not powers of one tau"));
        let moved = |g1: &mut Vec<G1Affine>, _: &mut Vec<G2Affine>| g1[0] = g1[1];
        assert!(refusal(dev_ptau(tau, 3, moved), 8).contains("tauG1[0] is not G1's generator"));
        let g2_moved = |_: &mut Vec<G1Affine>, g2: &mut Vec<G2Affine>| g2[0] = g2[1];
        assert!(refusal(dev_ptau(tau, 3, g2_moved), 8).contains("tauG2[0] is not G2's generator"));
        // a point on the twist's curve outside the prime-order subgroup: x = 1 + u, its y solved, never checked by
        // the parser (which checks the curve equation only)
        let outside = |_: &mut Vec<G1Affine>, g2: &mut Vec<G2Affine>| g2[1] = point_off_subgroup();
        assert!(refusal(dev_ptau(tau, 3, outside), 8).contains("not in G2's prime-order subgroup"));
    }

    /// A point on BN254's G2 curve but outside its prime-order subgroup (the cofactor is not 1 on the twist).
    fn point_off_subgroup() -> G2Affine {
        use ark_bn254::Fq2;
        use ark_ec::short_weierstrass::SWCurveConfig;
        use ark_ff::{Field, One};
        let mut x = Fq2::new(Fq::one(), Fq::one());
        loop {
            let rhs = x * x * x + ark_bn254::g2::Config::COEFF_B;
            if let Some(y) = rhs.sqrt() {
                let p = G2Affine::new_unchecked(x, y);
                if p.is_on_curve() && !p.is_in_correct_subgroup_assuming_on_curve() {
                    return p;
                }
            }
            x += Fq2::one();
        }
    }

    #[test]
    fn a_header_of_another_field_is_refused() {
        let mut bytes = dev_ptau(Fr::from(3u64), 2, |_, _| {});
        // the header section's n8 word: after the 12-byte file header and the 12-byte section header
        bytes[24] = 48;
        assert!(refusal(bytes, 4).contains("a field of 48 bytes, not BN254's 32"));
    }
}
