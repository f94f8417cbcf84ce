//! A Groth16 proving key as snarkjs writes it (iden3 "zkey"): 1 protocol (1 = Groth16); 2 header (n8q, q, n8r,
//! r, nVars, nPublic, domainSize, alpha1, beta1, beta2, gamma2, delta1, delta2); 3 IC; 4 the A and B matrix
//! entries (u32 count, then per entry u32 matrix, u32 constraint, u32 wire and the coefficient, stored as
//! snarkjs's internal form of c*R); 5 A, 6 B1, 7 B2, 8 C and 9 H points; 10 the MPC record (contributions).
//! The reader (for the prover) and the writer of sections 1..9 (for the setup, which appends section 10).

use crate::container::{self, Container};
use crate::encoding::{fr_mont, g1, g2, limbs, u32_at, FR_BYTES, G1_BYTES, G2_BYTES};
use crate::error::Result;
use ark_bn254::{Fq, Fr, G1Affine, G2Affine};
use ark_ff::{BigInt, PrimeField};
use rayon::prelude::*;
use std::io::{Read, Seek, Write};

pub struct Header {
    pub n_vars: usize,
    pub n_public: usize,
    pub domain_size: usize,
    pub alpha1: G1Affine,
    pub beta1: G1Affine,
    pub beta2: G2Affine,
    pub gamma2: G2Affine,
    pub delta1: G1Affine,
    pub delta2: G2Affine,
}

/// One nonzero entry of the A or B matrix.
pub struct Coef {
    pub matrix: u8,
    pub constraint: u32,
    pub wire: u32,
    pub value: Fr,
}

pub struct Zkey<R> {
    pub c: Container<R>,
    pub h: Header,
}

impl<R: Read + Seek> Zkey<R> {
    /// The key in `c` (a "zkey" container), its header read and checked.
    pub fn read(mut c: Container<R>) -> Result<Zkey<R>> {
        let p = c.read(1, Some(4))?;
        if u32_at(&p, 0) != 1 {
            return Err(c.err(format!("protocol {} is not Groth16 (1)", u32_at(&p, 0))));
        }
        let b = c.read(2, None)?;
        let need = 4 + 32 + 4 + 32 + 12 + 3 * G1_BYTES + 3 * G2_BYTES;
        if b.len() != need || u32_at(&b, 0) != 32 || u32_at(&b, 36) != 32 {
            return Err(c.err(format!("header holds {} bytes, expected {need} for BN254", b.len())));
        }
        if BigInt::<4>::new(limbs(&b[4..36])) != Fq::MODULUS || BigInt::<4>::new(limbs(&b[40..72])) != Fr::MODULUS {
            return Err(c.err("made for another curve than BN254"));
        }
        let mut o = 72;
        let (n_vars, n_public, domain_size) = (u32_at(&b, o) as usize, u32_at(&b, o + 4) as usize, u32_at(&b, o + 8) as usize);
        o += 12;
        let p1 = |o: &mut usize, what: &str| {
            let r = g1(&b[*o..]).ok_or_else(|| c.err(format!("header: {what} is not a point of G1")));
            *o += G1_BYTES;
            r
        };
        let alpha1 = p1(&mut o, "alpha")?;
        let beta1 = p1(&mut o, "beta (G1)")?;
        let beta2 = g2(&b[o..]).ok_or_else(|| c.err("header: beta is not a point of G2"))?;
        o += G2_BYTES;
        let gamma2 = g2(&b[o..]).ok_or_else(|| c.err("header: gamma is not a point of G2"))?;
        o += G2_BYTES;
        let delta1 = g1(&b[o..]).ok_or_else(|| c.err("header: delta (G1) is not a point of G1"))?;
        o += G1_BYTES;
        let delta2 = g2(&b[o..]).ok_or_else(|| c.err("header: delta (G2) is not a point of G2"))?;
        if !domain_size.is_power_of_two() || domain_size <= n_public || n_public >= n_vars {
            return Err(c.err(format!("header: domain {domain_size}, {n_vars} wires, {n_public} public signals do not fit together")));
        }
        Ok(Zkey { c, h: Header { n_vars, n_public, domain_size, alpha1, beta1, beta2, gamma2, delta1, delta2 } })
    }

    /// Section `t`, exactly `count` G1 points.
    pub fn g1_section(&mut self, t: u32, count: usize, name: &str) -> Result<Vec<G1Affine>> {
        self.exact(t, count * G1_BYTES)?;
        self.c.points(t, 0, count, G1_BYTES, name, g1)
    }

    /// Section `t`, exactly `count` G2 points.
    pub fn g2_section(&mut self, t: u32, count: usize, name: &str) -> Result<Vec<G2Affine>> {
        self.exact(t, count * G2_BYTES)?;
        self.c.points(t, 0, count, G2_BYTES, name, g2)
    }

    fn exact(&self, t: u32, bytes: usize) -> Result<()> {
        let size = self.c.size_of(t)?;
        if size != bytes as u64 {
            return Err(self.c.err(format!("section {t} holds {size} bytes, expected {bytes}")));
        }
        Ok(())
    }

    /// The A and B matrices' entries, coefficients as field values.
    pub fn coefs(&mut self) -> Result<Vec<Coef>> {
        let raw = self.c.read(4, None)?;
        let size = 12 + FR_BYTES;
        if raw.len() < 4 || (raw.len() - 4) % size != 0 || u32_at(&raw, 0) as usize != (raw.len() - 4) / size {
            return Err(self.c.err("section 4 (coefficients): its length does not match its count"));
        }
        // stored: the integer c*R^2 mod r, which read as a Montgomery form is c*R; one more R^-1 gives c
        let unmont = Fr::new_unchecked(BigInt::from(1u64)); // the element R^-1
        let (h, err) = (&self.h, |m: String| self.c.err(m));
        let out: Vec<Option<Coef>> = raw[4..]
            .par_chunks(size)
            .map(|e| {
                let (matrix, constraint, wire) = (u32_at(e, 0), u32_at(e, 4), u32_at(e, 8));
                if matrix > 1 || constraint as usize >= h.domain_size || wire as usize >= h.n_vars {
                    return None;
                }
                Some(Coef { matrix: matrix as u8, constraint, wire, value: fr_mont(&e[12..])? * unmont })
            })
            .collect();
        if let Some(i) = out.iter().position(|c| c.is_none()) {
            return Err(err(format!("section 4 (coefficients): entry {i} names a matrix, constraint or wire out of range: the file is damaged")));
        }
        Ok(out.into_iter().map(|c| c.unwrap()).collect())
    }
}

/// Sections 1..9 of a key (type, bytes) as a zkey file whose header counts ten: the caller appends section 10.
pub fn write_sections<W: Write>(out: W, sections: &[(u32, Vec<u8>)]) -> std::io::Result<()> {
    container::write(out, b"zkey", 1, sections, sections.len() + 1)
}
