//! A constraint system (iden3 "r1cs", version 1), one reader for the prover's check and the setup: section 1 the
//! header (n8, prime, wires, public outputs and inputs, private inputs, labels, constraints), section 2 the
//! constraints, each three linear combinations (A, B, C) of (u32 wire, plain little-endian coefficient) terms.
//! `walk` parses and checks the constraints one at a time; the setup keeps them all (`R1cs::read`), the prover's
//! check only evaluates them (`first_unsatisfied`), so it holds no more than the section's bytes.

use crate::container::Container;
use crate::encoding::{fr_plain, limbs, u32_at, FR_BYTES};
use crate::error::Result;
use ark_bn254::Fr;
use ark_ff::{BigInt, PrimeField, Zero};
use std::io::{Read, Seek};

pub struct Header {
    pub n_wires: usize,
    /// public outputs and inputs
    pub n_public: usize,
    pub n_constraints: usize,
}

/// One term of a linear combination.
#[derive(Clone, Copy)]
pub struct Term {
    pub wire: u32,
    pub coef: Fr,
}

/// One term of a constraint's linear combination, with the constraint it belongs to.
pub struct Entry {
    pub constraint: u32,
    pub wire: u32,
    pub coef: Fr,
}

pub struct R1cs {
    pub n_wires: usize,
    pub n_public: usize,
    pub n_constraints: usize,
    /// A, B, C terms, each in constraint order
    pub m: [Vec<Entry>; 3],
}

fn header<R: Read + Seek>(c: &mut Container<R>) -> Result<Header> {
    let h = c.read(1, None)?;
    if h.len() < 4 + FR_BYTES + 28 || u32_at(&h, 0) as usize != FR_BYTES || BigInt::<4>::new(limbs(&h[4..36])) != Fr::MODULUS {
        return Err(c.err("header: not a BN254 circuit (32-byte field elements below r)"));
    }
    let o = 4 + FR_BYTES;
    let (n_wires, n_public, n_constraints) = (u32_at(&h, o) as usize, (u32_at(&h, o + 4) + u32_at(&h, o + 8)) as usize, u32_at(&h, o + 24) as usize);
    if n_public + 1 > n_wires {
        return Err(c.err(format!("{n_public} public signals and the constant one need more than its {n_wires} wires")));
    }
    Ok(Header { n_wires, n_public, n_constraints })
}

/// The header, then each constraint in order as its A, B, C terms, to `f` (which returns false to stop). Every
/// term is checked: inside the section, its coefficient below r, its wire one of the circuit's.
fn walk<R: Read + Seek>(c: &mut Container<R>, mut f: impl FnMut(&Header, u32, &[Vec<Term>; 3]) -> bool) -> Result<Header> {
    let h = header(c)?;
    let body = c.read(2, None)?;
    let mut lcs: [Vec<Term>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut at = 0usize;
    for constraint in 0..h.n_constraints as u32 {
        for lc in lcs.iter_mut() {
            lc.clear();
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
                if wire as usize >= h.n_wires {
                    return Err(c.err(format!("a term names wire {wire}; the circuit has {}", h.n_wires)));
                }
                lc.push(Term { wire, coef });
                at += 4 + FR_BYTES;
            }
        }
        if !f(&h, constraint, &lcs) {
            break;
        }
    }
    Ok(h)
}

impl R1cs {
    /// The whole circuit.
    pub fn read<R: Read + Seek>(c: &mut Container<R>) -> Result<R1cs> {
        let mut m: [Vec<Entry>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let h = walk(c, |_, constraint, lcs| {
            for (list, lc) in m.iter_mut().zip(lcs) {
                list.extend(lc.iter().map(|t| Entry { constraint, wire: t.wire, coef: t.coef }));
            }
            true
        })?;
        Ok(R1cs { n_wires: h.n_wires, n_public: h.n_public, n_constraints: h.n_constraints, m })
    }
}

/// A constraint the witness breaks: its index and the values of its three linear combinations (A * B != C).
#[derive(Debug, PartialEq)]
pub struct Broken {
    pub index: usize,
    pub abc: [Fr; 3],
}

/// The circuit's header and the first constraint that the witness `w` does not satisfy, if any; no constraint is
/// evaluated when `w` is not one value a wire (the caller refuses such a pair with the header).
pub fn first_unsatisfied<R: Read + Seek>(c: &mut Container<R>, w: &[Fr]) -> Result<(Header, Option<Broken>)> {
    let h = header(c)?;
    if h.n_wires != w.len() {
        return Ok((h, None));
    }
    let mut broken = None;
    let eval = |lc: &Vec<Term>| lc.iter().fold(Fr::zero(), |s, t| s + t.coef * w[t.wire as usize]);
    let h = walk(c, |_, i, [a, b, cc]| {
        let abc = [eval(a), eval(b), eval(cc)];
        if abc[0] * abc[1] != abc[2] {
            broken = Some(Broken { index: i as usize, abc });
        }
        broken.is_none()
    })?;
    Ok((h, broken))
}
