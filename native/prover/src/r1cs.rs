//! A constraint system (iden3 "r1cs", version 1), read only to check a witness before proving: section 1 the
//! header (n8, prime, wires, public outputs and inputs, private inputs, labels, constraints), section 2 the
//! constraints, each three linear combinations of (u32 wire, plain little-endian coefficient) terms.

use crate::container::{u32_at, Container};
use crate::encoding::{fr_plain, FR_BYTES};
use crate::error::Result;
use ark_bn254::Fr;
use ark_ff::Zero;

pub struct R1csHeader {
    pub n_wires: usize,
    pub n_public: usize,
    pub n_constraints: usize,
}

/// The first constraint (index) that `w` does not satisfy, if any, with the circuit's header.
pub fn first_unsatisfied(path: &str, w: &[Fr]) -> Result<(R1csHeader, Option<usize>)> {
    let mut c = Container::open(path, b"r1cs", "R1CS_INVALID")?;
    let h = c.read(1, None)?;
    if h.len() < 4 + FR_BYTES + 28 || u32_at(&h, 0) as usize != FR_BYTES {
        return Err(c.err("header: expected 32-byte field elements (BN254)"));
    }
    let o = 4 + FR_BYTES;
    let header = R1csHeader {
        n_wires: u32_at(&h, o) as usize,
        n_public: (u32_at(&h, o + 4) + u32_at(&h, o + 8)) as usize,
        n_constraints: u32_at(&h, o + 24) as usize,
    };
    if header.n_wires != w.len() {
        return Ok((header, None));
    }
    let body = c.read(2, None)?;
    let mut at = 0usize;
    let lc = |at: &mut usize| -> Result<Fr> {
        if *at + 4 > body.len() {
            return Err(c.err("constraints section ends inside a constraint"));
        }
        let n = u32_at(&body, *at) as usize;
        *at += 4;
        let mut sum = Fr::zero();
        for _ in 0..n {
            if *at + 4 + FR_BYTES > body.len() {
                return Err(c.err("constraints section ends inside a term"));
            }
            let wire = u32_at(&body, *at) as usize;
            let k = fr_plain(&body[*at + 4..*at + 4 + FR_BYTES]).ok_or_else(|| c.err("a coefficient is not below the modulus"))?;
            let v = w.get(wire).ok_or_else(|| c.err(format!("a term names wire {wire}; the circuit has {}", w.len())))?;
            sum += k * v;
            *at += 4 + FR_BYTES;
        }
        Ok(sum)
    };
    for i in 0..header.n_constraints {
        let a = lc(&mut at)?;
        let b = lc(&mut at)?;
        let cc = lc(&mut at)?;
        if a * b != cc {
            return Ok((header, Some(i)));
        }
    }
    Ok((header, None))
}
