//! Dense multilinear extensions over BN254's Fr and the eq polynomial.
//!
//! A table of 2^k values is the MLE v~ over k variables with v~(b) = v[b] on the Boolean cube, the index's bits
//! little-endian: variable 0 is the index's lowest bit. So fixing the first variable pairs entries 2i and 2i+1,
//! and a row-major matrix with 2^c columns has its column bits as variables 0..c and its row bits after them.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

/// Tables at least this long are folded and built in parallel.
pub const PAR_THRESHOLD: usize = 1 << 12;

/// A small signed integer as a field element (negative v as r - |v|).
#[inline]
pub fn fr_from_i64(v: i64) -> Fr {
    Fr::from(v)
}

/// The number of variables of a table of `len` entries padded to a power of two (0 for len <= 1).
pub fn log2_ceil(len: usize) -> usize {
    len.max(1).next_power_of_two().trailing_zeros() as usize
}

/// A dense multilinear polynomial: its 2^num_vars values on the cube, little-endian index bits.
#[derive(Clone, Debug, PartialEq)]
pub struct Mle {
    pub evals: Vec<Fr>,
    pub num_vars: usize,
}

impl Mle {
    /// The MLE of `evals`, padded with zeros to the next power of two (an empty slice is the zero constant).
    pub fn new(mut evals: Vec<Fr>) -> Self {
        let num_vars = log2_ceil(evals.len());
        evals.resize(1 << num_vars, Fr::zero());
        Mle { evals, num_vars }
    }

    /// The MLE of small signed integers, padded with zeros to a power of two.
    pub fn from_i64(v: &[i64]) -> Self {
        let evals: Vec<Fr> = if v.len() >= PAR_THRESHOLD {
            v.par_iter().map(|&x| fr_from_i64(x)).collect()
        } else {
            v.iter().map(|&x| fr_from_i64(x)).collect()
        };
        Mle::new(evals)
    }

    /// v~(r), r of num_vars coordinates (r[0] binds variable 0), in O(2^k) by folding a copy.
    pub fn evaluate(&self, r: &[Fr]) -> Fr {
        assert_eq!(r.len(), self.num_vars, "evaluation point has the wrong number of coordinates");
        if self.num_vars == 0 {
            return self.evals[0];
        }
        // The first fold reads self and writes half the size, so the copy costs half a table.
        let mut t = fold_into(&self.evals, r[0]);
        for &ri in &r[1..] {
            t = fold_into(&t, ri);
        }
        t[0]
    }

    /// Binds variable 0 to r in place: evals[i] = e[2i] + r (e[2i+1] - e[2i]); num_vars decreases by one.
    pub fn fix_first_variable(&mut self, r: Fr) {
        assert!(self.num_vars > 0, "no variable left to fix");
        let half = self.evals.len() / 2;
        if half >= PAR_THRESHOLD {
            self.evals = fold_into(&self.evals, r);
        } else {
            for i in 0..half {
                let (a, b) = (self.evals[2 * i], self.evals[2 * i + 1]);
                self.evals[i] = a + r * (b - a);
            }
            self.evals.truncate(half);
        }
        self.num_vars -= 1;
    }
}

/// The table with its first variable bound to r: out[i] = t[2i] + r (t[2i+1] - t[2i]).
fn fold_into(t: &[Fr], r: Fr) -> Vec<Fr> {
    let f = |p: &[Fr]| p[0] + r * (p[1] - p[0]);
    if t.len() / 2 >= PAR_THRESHOLD {
        t.par_chunks(2).map(f).collect()
    } else {
        t.chunks(2).map(f).collect()
    }
}

/// eq(r, b) for every b in {0,1}^k, indexed by b with little-endian bits (bit i of b pairs with r[i]); O(2^k).
pub fn eq_table(r: &[Fr]) -> Vec<Fr> {
    let mut t = Vec::with_capacity(1 << r.len());
    t.push(Fr::one());
    for (i, &ri) in r.iter().enumerate() {
        let half = 1usize << i;
        // Entries with bit i set are old * r_i; the old ones become old * (1 - r_i) = old - old * r_i.
        t.resize(2 * half, Fr::zero());
        let (lo, hi) = t.split_at_mut(half);
        let step = |(l, h): (&mut Fr, &mut Fr)| {
            *h = *l * ri;
            *l -= *h;
        };
        if half >= PAR_THRESHOLD {
            lo.par_iter_mut().zip(hi.par_iter_mut()).for_each(step);
        } else {
            lo.iter_mut().zip(hi.iter_mut()).for_each(step);
        }
    }
    t
}

/// eq(a, b) = prod_i (a_i b_i + (1 - a_i)(1 - b_i)) for two points of the same length.
pub fn eq_eval(a: &[Fr], b: &[Fr]) -> Fr {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(&x, &y)| x * y + (Fr::one() - x) * (Fr::one() - y)).product()
}

/// The inner product of two equally long slices (parallel when long).
pub fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    assert_eq!(a.len(), b.len());
    if a.len() >= PAR_THRESHOLD {
        a.par_iter().zip(b.par_iter()).map(|(x, y)| *x * y).sum()
    } else {
        a.iter().zip(b).map(|(x, y)| *x * y).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::{test_rng, UniformRand};

    /// sum_b v[b] eq(r, b) with eq evaluated coordinate by coordinate: the definition, in O(k 2^k).
    fn naive(v: &[Fr], r: &[Fr]) -> Fr {
        let mut s = Fr::zero();
        for (b, &vb) in v.iter().enumerate() {
            let mut e = Fr::one();
            for (i, &ri) in r.iter().enumerate() {
                e *= if (b >> i) & 1 == 1 { ri } else { Fr::one() - ri };
            }
            s += vb * e;
        }
        s
    }

    #[test]
    fn evaluate_agrees_with_naive() {
        let mut rng = test_rng();
        for k in 0..=8 {
            let m = Mle::new((0..1 << k).map(|_| Fr::rand(&mut rng)).collect());
            let r: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
            assert_eq!(m.evaluate(&r), naive(&m.evals, &r), "k = {k}");
        }
        // Large enough to take the parallel path.
        let k = 14;
        let m = Mle::new((0..1 << k).map(|_| Fr::rand(&mut rng)).collect());
        let r: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
        assert_eq!(m.evaluate(&r), inner_product(&m.evals, &eq_table(&r)));
    }

    #[test]
    fn agrees_on_the_cube_little_endian() {
        let m = Mle::from_i64(&[3, -5, 7, 11, 2]);
        assert_eq!(m.num_vars, 3);
        assert_eq!(m.evals.len(), 8);
        let bit = |b: usize, i: usize| if (b >> i) & 1 == 1 { Fr::one() } else { Fr::zero() };
        let vals = [3i64, -5, 7, 11, 2, 0, 0, 0];
        for (b, &v) in vals.iter().enumerate() {
            let r: Vec<Fr> = (0..3).map(|i| bit(b, i)).collect();
            assert_eq!(m.evaluate(&r), Fr::from(v));
        }
        assert_eq!(Fr::from(-5i64) + Fr::from(5u64), Fr::zero());
        assert_eq!(Mle::from_i64(&[]).num_vars, 0);
        assert_eq!(Mle::from_i64(&[9]).evaluate(&[]), Fr::from(9u64));
    }

    #[test]
    fn eq_table_sums_to_one_and_matches_eq_eval() {
        let mut rng = test_rng();
        for k in [0, 1, 2, 5, 13] {
            let r: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
            let t = eq_table(&r);
            assert_eq!(t.len(), 1 << k);
            assert_eq!(t.iter().sum::<Fr>(), Fr::one());
            for b in [0usize, (1 << k) - 1, (1 << k) / 3] {
                let bits: Vec<Fr> = (0..k).map(|i| Fr::from(((b >> i) & 1) as u64)).collect();
                assert_eq!(t[b], eq_eval(&r, &bits));
            }
        }
    }

    #[test]
    fn fixing_every_variable_equals_evaluate() {
        let mut rng = test_rng();
        for k in [1, 3, 7, 14] {
            let mut m = Mle::new((0..1 << k).map(|_| Fr::rand(&mut rng)).collect());
            let r: Vec<Fr> = (0..k).map(|_| Fr::rand(&mut rng)).collect();
            let want = m.evaluate(&r);
            for &ri in &r {
                m.fix_first_variable(ri);
            }
            assert_eq!(m.num_vars, 0);
            assert_eq!(m.evals, vec![want]);
        }
    }
}
