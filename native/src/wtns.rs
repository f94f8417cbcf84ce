//! A witness (iden3 "wtns", version 2): section 1 the field (n8, q) and the number of values, section 2 the
//! values as plain little-endian integers, wire order.

use crate::container::Container;
use crate::encoding::{fr_plain, limbs, u32_at, FR_BYTES};
use crate::error::Result;
use ark_bn254::Fr;
use ark_ff::{BigInt, One, PrimeField};
use rayon::prelude::*;
use std::io::{Read, Seek};

pub fn read_witness<R: Read + Seek>(c: &mut Container<R>) -> Result<Vec<Fr>> {
    let h = c.read(1, None)?;
    if h.len() < 4 + FR_BYTES + 4 || u32_at(&h, 0) as usize != FR_BYTES {
        return Err(c.err("header: expected 32-byte field elements (BN254)"));
    }
    if BigInt::<4>::new(limbs(&h[4..36])) != Fr::MODULUS {
        return Err(c.err("made for another field than BN254's scalar field"));
    }
    let n = u32_at(&h, 36) as usize;
    let raw = c.read(2, Some((n * FR_BYTES) as u64))?;
    let values: Vec<Option<Fr>> = raw.par_chunks(FR_BYTES).map(fr_plain).collect();
    if let Some(i) = values.iter().position(|v| v.is_none()) {
        return Err(c.err(format!("value {i} is not below the field's modulus: the file is damaged")));
    }
    let values: Vec<Fr> = values.into_iter().map(|v| v.unwrap()).collect();
    // wire 0 is the constant 1 every constraint's constants multiply: with it 0, an all-zero witness satisfies any
    // R1CS (0 * 0 = 0) and proves nothing
    if let Some(v) = values.first().filter(|v| !v.is_one()) {
        return Err(c.err(format!("wire 0 is {v}, not 1: every witness starts with the constant 1 (an all-zero witness satisfies any R1CS); the file is damaged or not a witness")));
    }
    Ok(values)
}
