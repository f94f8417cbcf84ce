//! A lookup argument: every row of a looked-up column set f (2^k rows, c columns folded by a challenge) lies in a
//! table T (2^l rows) fixed by the verifier, by logUp-GKR (Haböck 2022; Papini and Haböck 2023):
//!
//!   sum_i 1 / (alpha - f(i)) = sum_j m_j / (alpha - t(j)),   f(i) = sum_c beta^c f_c(i), t(j) likewise,
//!
//! with the multiplicities m committed by the caller before alpha. Each side is a binary tree of fractions
//! (p, q): the leaves are (1, alpha - f(i)) and (m_j, alpha - t(j)); a parent of (p0, q0) and (p1, q1) is
//! (p0 q1 + p1 q0, q0 q1). The prover sends both roots; the verifier checks p_f q_t = p_t q_f with q_f, q_t != 0
//! (a non-zero root denominator makes every leaf's non-zero), then walks each tree from its root to its leaves,
//! one sumcheck per layer, so no helper column is committed.
//!
//! Layers and variables: layer j has 2^j nodes; node x of layer j has the children x and x + 2^j of layer j + 1,
//! so the child bit is layer j + 1's highest variable and (p_{j+1}(x, 0), p_{j+1}(x, 1)) are the two halves of the
//! table. Given claims p_j(rho), q_j(rho) (rho of j coordinates) and the verifier's mu, one degree-3 sumcheck
//! over x in {0,1}^j proves
//!
//!   p_j(rho) + mu q_j(rho) = sum_x eq(rho, x) (p0(x) q1(x) + p1(x) q0(x) + mu q0(x) q1(x)),
//!
//! (p0(x) = p_{j+1}(x, 0), ...), ends at a point r with the four values p0(r), p1(r), q0(r), q1(r) sent by the
//! prover and checked against the sumcheck's final value; the verifier draws lambda and the next claims are
//! p_{j+1}(r, lambda) = p0 + lambda (p1 - p0), q_{j+1} likewise, at rho' = (r, lambda). At the leaves (j = k): the
//! f side's p must be 1 and its q is alpha - sum_c beta^c f_c~(point), with the f_c~(point) sent by the prover
//! (claims the caller opens); the table side's p is m~(point) (a claim the caller opens) and its q must be
//! alpha - t~(point), which the verifier computes itself in O(l) from the table's description.
//!
//! Transcript, in order (the caller has absorbed the commitments to f's columns and to m before):
//! `absorb_frs("logup table", table description)`, `absorb_frs("logup sizes", [k, c])`, alpha = challenge, beta =
//! challenge (only when c > 1), `absorb_frs("logup roots", [p_f, q_f, p_t, q_t])`; then the f tree's layers, each
//! mu = challenge, the layer's sumcheck (sumcheck.rs's format: claim, sizes and rounds, degree 3, every round's
//! 4 evaluations), `absorb_frs("logup layer evals", [p0, p1, q0, q1])`, lambda = challenge; then
//! `absorb_frs("logup f evals", [f_0~(point), ..])`; then the table tree's layers the same way.
//!
//! A zero denominator (alpha - f(i) or alpha - t(j) = 0, probability at most (2^k + 2^l) / |Fr| over alpha): the
//! prover returns `LookupError::ZeroDenominator` and the verifier refuses a zero root denominator.

use super::error::VerifyError;
use super::mle::{eq_eval, eq_table, fr_from_i64, Mle, PAR_THRESHOLD};
use super::sumcheck::{interpolate, SumcheckProof};
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, One, Zero};
use rayon::prelude::*;
use std::fmt;

/// The largest table this module builds: 2^20 rows.
pub const MAX_TABLE_LOG: usize = 20;

/// Why the prover could not make a lookup proof (the verifier's refusals are `VerifyError`s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupError {
    /// Row `row` of the looked-up columns (its values in `value`) is not in the table `table`.
    NotInTable { row: usize, value: String, table: String },
    /// alpha equals a looked-up value or a table entry (a denominator is zero): negligible; retry with another
    /// transcript (another commitment randomness, later) or report it.
    ZeroDenominator,
    /// The two fractional sums differ: m is not the looked-up values' multiplicities.
    SumsDiffer,
    /// A column or multiplicity vector of the wrong length (`what` says which).
    Shape { what: &'static str, got: usize, expected: usize },
    /// A table larger than MAX_TABLE_LOG allows (`what` names the op).
    TableTooLarge { what: String, log_size: usize, max: usize },
    /// A value outside the range its op declares (`what` names the op).
    OutOfRange { what: String, index: usize, value: i64 },
    /// Something this module does not handle yet (`what` says what and why).
    Unsupported { what: String },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::NotInTable { row, value, table } => write!(f, "lookup: row {row} ({value}) is not in the table {table}"),
            LookupError::ZeroDenominator => write!(f, "lookup: the challenge alpha equals a looked-up value or a table entry (a zero denominator)"),
            LookupError::SumsDiffer => write!(f, "lookup: the fractional sums differ (the multiplicities do not count the looked-up values)"),
            LookupError::Shape { what, got, expected } => write!(f, "lookup: {what} has length {got}, expected {expected}"),
            LookupError::TableTooLarge { what, log_size, max } => {
                write!(f, "{what}: its lookup table would have 2^{log_size} rows, more than 2^{max}")
            }
            LookupError::OutOfRange { what, index, value } => write!(f, "{what}: value {value} at [{index}] is outside its declared range"),
            LookupError::Unsupported { what } => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for LookupError {}

/// A table fixed by the verifier, with an MLE it evaluates in O(l) from this description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Table {
    /// One column: t_j = offset + j, j < 2^log_size.
    Range { offset: i64, log_size: usize },
    /// Two columns: (t_j, act(t_j)) with t_j = offset + j and act(t) = min(max(t, lo), hi) (a bound left out
    /// is no bound): ReLU is lo = 0, a clamp adds hi (and lo when signed).
    Activation { offset: i64, log_size: usize, lo: Option<i64>, hi: Option<i64> },
}

/// The MLE over x.len() variables of j -> j (sum_b 2^b x_b).
fn index_mle(x: &[Fr]) -> Fr {
    let mut s = Fr::zero();
    let mut w = Fr::one();
    for &xb in x {
        s += w * xb;
        w.double_in_place();
    }
    s
}

/// The MLE over l = x.len() variables of j -> (j - c) [j >= c] for j in [0, 2^l), at x, in O(l): j >= c splits
/// by the highest bit i where j and c differ (c_i = 0, j_i = 1, j's bits above i equal c's, below i free); the
/// free bits average to x_b under eq, so that part contributes x_i prod_{b>i} e_b (high_i + 2^i + low_i - c),
/// with e_b = x_b if c_b = 1 else 1 - x_b, high_i = sum_{b>i} 2^b c_b and low_i = sum_{b<i} 2^b x_b (j = c adds 0).
fn ramp_mle(x: &[Fr], c: i64) -> Fr {
    let l = x.len();
    if c <= 0 {
        return index_mle(x) - fr_from_i64(c);
    }
    if l < 63 && c >= 1i64 << l {
        return Fr::zero();
    }
    let c = c as u64;
    let mut low = vec![Fr::zero(); l + 1];
    let mut w = Fr::one();
    for b in 0..l {
        low[b + 1] = low[b] + w * x[b];
        w.double_in_place();
    }
    let (mut acc, mut prod, mut high) = (Fr::zero(), Fr::one(), 0u64);
    for i in (0..l).rev() {
        let ci = (c >> i) & 1;
        if ci == 0 {
            // high + 2^i > c: c's bits below i are less than 2^i.
            acc += x[i] * prod * (Fr::from(high + (1u64 << i) - c) + low[i]);
            prod *= Fr::one() - x[i];
        } else {
            prod *= x[i];
        }
        high += ci << i;
    }
    acc
}

impl Table {
    /// The range table offset, offset + 1, ..., offset + 2^log_size - 1.
    pub fn range(offset: i64, log_size: usize) -> Table {
        Table::Range { offset, log_size }
    }

    /// The number of variables l (2^l rows).
    pub fn log_size(&self) -> usize {
        match self {
            Table::Range { log_size, .. } | Table::Activation { log_size, .. } => *log_size,
        }
    }

    /// The number of columns (1 or 2).
    pub fn columns(&self) -> usize {
        match self {
            Table::Range { .. } => 1,
            Table::Activation { .. } => 2,
        }
    }

    fn act(lo: Option<i64>, hi: Option<i64>, t: i64) -> i64 {
        let t = lo.map_or(t, |lo| t.max(lo));
        hi.map_or(t, |hi| t.min(hi))
    }

    /// Column c's value in row j.
    pub fn value(&self, c: usize, j: usize) -> i64 {
        match *self {
            Table::Range { offset, .. } => offset + j as i64,
            Table::Activation { offset, lo, hi, .. } => {
                let t = offset + j as i64;
                if c == 0 {
                    t
                } else {
                    Table::act(lo, hi, t)
                }
            }
        }
    }

    /// Row j's values (one per column).
    pub fn row(&self, j: usize) -> Vec<i64> {
        (0..self.columns()).map(|c| self.value(c, j)).collect()
    }

    /// The row holding these values, if any, in O(1).
    pub fn index_of(&self, row: &[i64]) -> Option<usize> {
        if row.len() != self.columns() {
            return None;
        }
        let (offset, l) = match *self {
            Table::Range { offset, log_size } | Table::Activation { offset, log_size, .. } => (offset, log_size),
        };
        let j = row[0].checked_sub(offset)?;
        if j < 0 || (l < 63 && j >= 1i64 << l) {
            return None;
        }
        if let Table::Activation { lo, hi, .. } = *self {
            if row[1] != Table::act(lo, hi, row[0]) {
                return None;
            }
        }
        Some(j as usize)
    }

    /// Each column's MLE at x (l coordinates), in O(l).
    pub fn evaluate(&self, x: &[Fr]) -> Vec<Fr> {
        assert_eq!(x.len(), self.log_size(), "table point of the wrong length");
        match *self {
            Table::Range { offset, .. } => vec![fr_from_i64(offset) + index_mle(x)],
            Table::Activation { offset, lo, hi, .. } => {
                let t = fr_from_i64(offset) + index_mle(x);
                // act = base + (t - lo)[t >= lo] - (t - hi)[t >= hi], in the index j = t - offset.
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    if lo > hi {
                        // min(max(t, lo), hi) is the constant hi.
                        return vec![t, fr_from_i64(hi)];
                    }
                }
                let mut a = match lo {
                    Some(lo) => fr_from_i64(lo) + ramp_mle(x, lo - offset),
                    None => t,
                };
                if let Some(hi) = hi {
                    a -= ramp_mle(x, hi - offset);
                }
                vec![t, a]
            }
        }
    }

    /// Absorbs [kind, offset, log_size, has lo, lo, has hi, hi] (signed values as field elements).
    fn absorb(&self, t: &mut Transcript) {
        let opt = |v: Option<i64>| [Fr::from(v.is_some() as u64), fr_from_i64(v.unwrap_or(0))];
        let words: Vec<Fr> = match *self {
            Table::Range { offset, log_size } => {
                [Fr::from(1u64), fr_from_i64(offset), Fr::from(log_size as u64)].into_iter().chain(opt(None)).chain(opt(None)).collect()
            }
            Table::Activation { offset, log_size, lo, hi } => {
                [Fr::from(2u64), fr_from_i64(offset), Fr::from(log_size as u64)].into_iter().chain(opt(lo)).chain(opt(hi)).collect()
            }
        };
        t.absorb_frs(b"logup table", &words);
    }

    /// A short description for error messages.
    pub fn describe(&self) -> String {
        match self {
            Table::Range { offset, log_size } => format!("[{offset}, {offset} + 2^{log_size})"),
            Table::Activation { offset, log_size, lo, hi } => {
                format!("(t, min(max(t, {lo:?}), {hi:?})) for t in [{offset}, {offset} + 2^{log_size})")
            }
        }
    }
}

/// How often each table row is used: `index_of` maps a looked-up value to its row (None: not in the table, an
/// error naming the first such row). The caller commits the result before the lookup's challenges.
pub fn multiplicities<T>(values: &[T], table_len: usize, index_of: impl Fn(&T) -> Option<usize>) -> Result<Vec<u64>, usize> {
    let mut m = vec![0u64; table_len];
    for (i, v) in values.iter().enumerate() {
        match index_of(v) {
            Some(j) if j < table_len => m[j] += 1,
            _ => return Err(i),
        }
    }
    Ok(m)
}

/// The multiplicities of the rows (columns[0][i], columns[1][i], ...) in `table`.
pub fn table_multiplicities(columns: &[&[i64]], table: &Table) -> Result<Vec<u64>, LookupError> {
    check_columns(columns.iter().map(|c| c.len()), table)?;
    let n = columns[0].len();
    let rows: Vec<usize> = (0..n).collect();
    let row_of = |i: usize| columns.iter().map(|c| c[i]).collect::<Vec<i64>>();
    multiplicities(&rows, 1usize << table.log_size(), |&i| table.index_of(&row_of(i))).map_err(|i| LookupError::NotInTable {
        row: i,
        value: format!("{:?}", row_of(i)),
        table: table.describe(),
    })
}

/// Columns as field elements.
pub fn columns_fr(columns: &[&[i64]]) -> Vec<Vec<Fr>> {
    columns.iter().map(|c| c.par_iter().map(|&v| fr_from_i64(v)).collect()).collect()
}

fn check_columns(lens: impl Iterator<Item = usize>, table: &Table) -> Result<usize, LookupError> {
    let lens: Vec<usize> = lens.collect();
    if lens.len() != table.columns() {
        return Err(LookupError::Shape { what: "looked-up columns", got: lens.len(), expected: table.columns() });
    }
    let n = lens[0];
    if !n.is_power_of_two() {
        return Err(LookupError::Shape { what: "looked-up column (a power of two)", got: n, expected: n.max(1).next_power_of_two() });
    }
    if let Some(&other) = lens.iter().find(|&&x| x != n) {
        return Err(LookupError::Shape { what: "looked-up column", got: other, expected: n });
    }
    if table.log_size() > MAX_TABLE_LOG {
        return Err(LookupError::TableTooLarge { what: format!("table {}", table.describe()), log_size: table.log_size(), max: MAX_TABLE_LOG });
    }
    Ok(n)
}

/// One layer's reduction: its sumcheck and the four values at the sumcheck's point.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerProof {
    pub sumcheck: SumcheckProof,
    /// [p0(r), p1(r), q0(r), q1(r)].
    pub evals: [Fr; 4],
}

/// The lookup's proof.
#[derive(Clone, Debug, PartialEq)]
pub struct LogupProof {
    /// The looked-up side's root (p_f, q_f): p_f / q_f = sum_i 1 / (alpha - f(i)).
    pub f_root: [Fr; 2],
    /// The table side's root (p_t, q_t): p_t / q_t = sum_j m_j / (alpha - t(j)).
    pub t_root: [Fr; 2],
    /// k layers from the f root to its leaves.
    pub f_layers: Vec<LayerProof>,
    /// l layers from the table root to its leaves.
    pub t_layers: Vec<LayerProof>,
    /// f_c~(f_point) for each column c.
    pub f_evals: Vec<Fr>,
}

/// What the lookup leaves to the caller: f_c~(f_point) = f_values[c] for every looked-up column c, and
/// m~(m_point) = m_value; the caller checks them by openings of its commitments (or its own evaluations).
#[derive(Clone, Debug, PartialEq)]
pub struct LogupClaims {
    pub f_point: Vec<Fr>,
    pub f_values: Vec<Fr>,
    pub m_point: Vec<Fr>,
    pub m_value: Fr,
}

/// alpha, and beta when the table has several columns (beta = 0 with one column: never used then).
pub(crate) fn draw_challenges(table: &Table, k: usize, t: &mut Transcript) -> (Fr, Fr) {
    table.absorb(t);
    t.absorb_frs(b"logup sizes", &[Fr::from(k as u64), Fr::from(table.columns() as u64)]);
    let alpha = t.challenge_fr();
    let beta = if table.columns() > 1 { t.challenge_fr() } else { Fr::zero() };
    (alpha, beta)
}

/// sum_c beta^c v_c.
pub(crate) fn fold_columns(v: &[Fr], beta: Fr) -> Fr {
    v.iter().rev().fold(Fr::zero(), |acc, x| acc * beta + x)
}

/// One layer of a fraction tree: its numerators (None: all 1, the looked-up side's leaves) and denominators.
type Layer = (Option<Vec<Fr>>, Vec<Fr>);

/// Every layer of a fraction tree, root first: layers[j] = (p_j, q_j) of 2^j entries each.
fn build_tree(p: Option<Vec<Fr>>, q: Vec<Fr>) -> Vec<Layer> {
    let mut layers = vec![(p, q)];
    while layers.last().unwrap().1.len() > 1 {
        let (p, q) = layers.last().unwrap();
        let h = q.len() / 2;
        let node = |x: usize| match p {
            Some(p) => (p[x] * q[x + h] + p[x + h] * q[x], q[x] * q[x + h]),
            None => (q[x] + q[x + h], q[x] * q[x + h]),
        };
        let (np, nq): (Vec<Fr>, Vec<Fr>) = if h >= PAR_THRESHOLD { (0..h).into_par_iter().map(node).unzip() } else { (0..h).map(node).unzip() };
        layers.push((Some(np), nq));
    }
    layers.reverse();
    layers
}

/// h(0) and h(2) (or h(1) alone when `at_one`) of h(X) = sum_b w[b] F(X, b), F = a b + c d over the tables
/// [a, b, c, d] = [p0, q1, q0, p1 + mu q1], or F = c0 + c1 + mu c0 c1 over [q0, q1] (unit numerators); variable 0
/// of the tables is X.
fn layer_h(w: &[Fr], tables: &[Mle], mu: Fr, at_one: bool) -> [Fr; 2] {
    let half = w.len();
    let ev: Vec<&[Fr]> = tables.iter().map(|m| m.evals.as_slice()).collect();
    let f = |v: &[Fr; 4]| if ev.len() == 4 { v[0] * v[1] + v[2] * v[3] } else { v[0] + v[1] + mu * v[0] * v[1] };
    let accumulate = |range: std::ops::Range<usize>| {
        let mut acc = [Fr::zero(); 2];
        let mut lo = [Fr::zero(); 4];
        let mut two = [Fr::zero(); 4];
        for b in range {
            if at_one {
                for (x, t) in lo.iter_mut().zip(&ev) {
                    *x = t[2 * b + 1];
                }
                acc[0] += w[b] * f(&lo);
                continue;
            }
            for ((x, y), t) in lo.iter_mut().zip(two.iter_mut()).zip(&ev) {
                *x = t[2 * b];
                *y = t[2 * b + 1].double() - x;
            }
            acc[0] += w[b] * f(&lo);
            acc[1] += w[b] * f(&two);
        }
        acc
    };
    if half >= PAR_THRESHOLD {
        const CHUNK: usize = 1 << 10;
        (0..half.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| accumulate(c * CHUNK..((c + 1) * CHUNK).min(half)))
            .reduce(|| [Fr::zero(); 2], |a, b| [a[0] + b[0], a[1] + b[1]])
    } else {
        accumulate(0..half)
    }
}

/// eq1(a, X) = a X + (1 - a)(1 - X).
fn eq1(a: Fr, x: Fr) -> Fr {
    a * x + (Fr::one() - a) * (Fr::one() - x)
}

/// Proves layer j's claim p_j(rho) + mu q_j(rho) = `claim` from layer j + 1's tables (p, q of 2^(j+1) entries;
/// p None: all 1). Writes sumcheck.rs's transcript format (claim, sizes, rounds; degree 3, all 4 evaluations).
/// Returns the rounds, r and the four values [p0, p1, q0, q1] at r.
///
/// Round i's polynomial is g(X) = E_i eq1(rho_i, X) h(X) with E_i = prod_{b<i} eq1(rho_b, r_b) and h of degree 2
/// (Gruen's factoring of eq): h(0), h(2) come from one pass with the weights eq(rho_{>i}, .) (each round's
/// weights are the previous ones summed in pairs), h(1) from the claim, h(3) = h(0) - 3 h(1) + 3 h(2).
fn prove_layer(p: Option<&[Fr]>, q: &[Fr], rho: &[Fr], mu: Fr, claim: Fr, t: &mut Transcript) -> (SumcheckProof, Vec<Fr>, [Fr; 4]) {
    let j = rho.len();
    let h = 1usize << j;
    t.absorb_frs(b"sumcheck claim", &[claim, Fr::from(j as u64), Fr::from(3u64)]);
    let (q0, q1) = (&q[..h], &q[h..]);
    let cols: Vec<Vec<Fr>> = match p {
        Some(p) => {
            let s: Vec<Fr> = if h >= PAR_THRESHOLD {
                p[h..].par_iter().zip(q1.par_iter()).map(|(a, b)| *a + mu * b).collect()
            } else {
                p[h..].iter().zip(q1).map(|(a, b)| *a + mu * b).collect()
            };
            vec![p[..h].to_vec(), q1.to_vec(), q0.to_vec(), s]
        }
        None => vec![q0.to_vec(), q1.to_vec()],
    };
    let mut tables: Vec<Mle> = cols.into_iter().map(|evals| Mle { evals, num_vars: j }).collect();
    let mut w = if j > 0 { eq_table(&rho[1..]) } else { Vec::new() };
    let mut rounds = Vec::with_capacity(j);
    let mut point = Vec::with_capacity(j);
    let (mut claim, mut e) = (claim, Fr::one());
    let (two, three) = (Fr::from(2u64), Fr::from(3u64));
    // 1 / rho_i, all at once (zero where rho_i is zero).
    let mut rho_inv = rho.to_vec();
    ark_ff::batch_inversion(&mut rho_inv);
    for (&rho_i, &rho_i_inv) in rho.iter().zip(&rho_inv) {
        let [h0, h2] = layer_h(&w, &tables, mu, false);
        // claim = g(0) + g(1), g(1) = E rho_i h(1): so g(1) = claim - g(0) and E h(1) = g(1) / rho_i (the values
        // E eq1(rho_i, x) h(x) of h(1) = (claim / E - (1 - rho_i) h(0)) / rho_i, with no inversion a round); h(1)
        // by its own pass when rho_i is zero.
        let g: Vec<Fr> = if rho_i.is_zero() {
            let h1 = layer_h(&w, &tables, mu, true)[0];
            let h3 = h0 - three * (h1 - h2);
            [(Fr::zero(), h0), (Fr::one(), h1), (two, h2), (three, h3)].iter().map(|&(x, hx)| e * eq1(rho_i, x) * hx).collect()
        } else {
            let g0 = e * eq1(rho_i, Fr::zero()) * h0;
            let g1 = claim - g0;
            let eh1 = g1 * rho_i_inv;
            let eq3 = eq1(rho_i, three);
            [g0, g1, e * eq1(rho_i, two) * h2, eq3 * (e * (h0 + three * h2) - three * eh1)].to_vec()
        };
        t.absorb_frs(b"sumcheck round", &g);
        let r = t.challenge_fr();
        claim = interpolate(&g, r);
        e *= eq1(rho_i, r);
        // Large tables fold in parallel inside; mid-sized ones side by side; small ones (most rounds of a tree's
        // small layers) in this thread, where waking another costs more than the fold.
        let len = tables[0].evals.len();
        if len / 2 >= PAR_THRESHOLD {
            tables.iter_mut().for_each(|m| m.fix_first_variable(r));
        } else if len >= 1 << 10 {
            tables.par_iter_mut().for_each(|m| m.fix_first_variable(r));
        } else {
            tables.iter_mut().for_each(|m| m.fix_first_variable(r));
        }
        w = w.chunks(2).map(|c| c.iter().sum()).collect();
        rounds.push(g);
        point.push(r);
    }
    let evals = if tables.len() == 4 {
        let (p0, q1, q0, s) = (tables[0].evals[0], tables[1].evals[0], tables[2].evals[0], tables[3].evals[0]);
        [p0, s - mu * q1, q0, q1]
    } else {
        [Fr::one(), Fr::one(), tables[0].evals[0], tables[1].evals[0]]
    };
    (SumcheckProof { rounds }, point, evals)
}

/// Walks a built tree from its root (already absorbed) to its leaves: the layer proofs, the leaves' point and
/// the claims (p, q) there.
fn prove_tree(layers: &[Layer], t: &mut Transcript) -> (Vec<LayerProof>, Vec<Fr>, Fr, Fr) {
    let (mut cp, mut cq) = (layers[0].0.as_ref().map_or(Fr::one(), |p| p[0]), layers[0].1[0]);
    let mut rho = Vec::new();
    let mut proofs = Vec::with_capacity(layers.len() - 1);
    for (p, q) in &layers[1..] {
        let mu = t.challenge_fr();
        let (sumcheck, r, evals) = prove_layer(p.as_deref(), q, &rho, mu, cp + mu * cq, t);
        t.absorb_frs(b"logup layer evals", &evals);
        let lambda = t.challenge_fr();
        cp = evals[0] + lambda * (evals[1] - evals[0]);
        cq = evals[2] + lambda * (evals[3] - evals[2]);
        rho = r;
        rho.push(lambda);
        proofs.push(LayerProof { sumcheck, evals });
    }
    (proofs, rho, cp, cq)
}

/// The verifier's walk of one tree of `n` layers from its root (already absorbed): each layer's sumcheck and
/// final check. Returns the leaves' point and the claims (p, q) there, which the caller checks.
fn verify_tree(layers: &[LayerProof], n: usize, root: [Fr; 2], t: &mut Transcript) -> Result<(Vec<Fr>, Fr, Fr), VerifyError> {
    if layers.len() != n {
        return Err(VerifyError::Shape { what: "logup layers", got: layers.len(), expected: n });
    }
    let [mut cp, mut cq] = root;
    let mut rho: Vec<Fr> = Vec::new();
    for layer in layers {
        let mu = t.challenge_fr();
        let (r, value) = super::sumcheck::verify(&layer.sumcheck, cp + mu * cq, rho.len(), 3, t)?;
        let [p0, p1, q0, q1] = layer.evals;
        if value != eq_eval(&rho, &r) * (p0 * q1 + p1 * q0 + mu * q0 * q1) {
            return Err(VerifyError::FinalValue { what: "logup layer" });
        }
        t.absorb_frs(b"logup layer evals", &layer.evals);
        let lambda = t.challenge_fr();
        cp = p0 + lambda * (p1 - p0);
        cq = q0 + lambda * (q1 - q0);
        rho = r;
        rho.push(lambda);
    }
    Ok((rho, cp, cq))
}

/// Proves that every row of the columns `f` (each 2^k field elements, as many columns as the table has) is a
/// row of `table`, given m = the rows' multiplicities (`table_multiplicities`), which the caller has committed
/// and absorbed, with f's commitments, before this call. Returns the proof and the claims the caller must open:
/// f_c~(f_point) for each column and m~(m_point). Errors: a column or m of the wrong size, the fractional sums
/// differing (a value outside the table or a wrong m), a zero denominator.
pub fn prove_logup(f: &[&[Fr]], m: &[u64], table: &Table, t: &mut Transcript) -> Result<(LogupProof, LogupClaims), LookupError> {
    prove_logup_inner(f, m, table, t, true)
}

fn prove_logup_inner(f: &[&[Fr]], m: &[u64], table: &Table, t: &mut Transcript, check_sums: bool) -> Result<(LogupProof, LogupClaims), LookupError> {
    let n = check_columns(f.iter().map(|c| c.len()), table)?;
    let k = n.trailing_zeros() as usize;
    let l = table.log_size();
    if m.len() != 1 << l {
        return Err(LookupError::Shape { what: "multiplicities", got: m.len(), expected: 1 << l });
    }
    let (alpha, beta) = draw_challenges(table, k, t);

    // Leaves. The f side's numerators are all 1.
    let fq: Vec<Fr> = (0..n)
        .into_par_iter()
        .with_min_len(1 << 10)
        .map(|i| alpha - f.iter().rev().fold(Fr::zero(), |acc, c| acc * beta + c[i]))
        .collect();
    let tq: Vec<Fr> = (0..1usize << l)
        .into_par_iter()
        .with_min_len(1 << 10)
        .map(|j| alpha - (0..table.columns()).rev().fold(Fr::zero(), |acc, c| acc * beta + fr_from_i64(table.value(c, j))))
        .collect();
    if fq.par_iter().any(|x| x.is_zero()) || tq.par_iter().any(|x| x.is_zero()) {
        return Err(LookupError::ZeroDenominator);
    }
    let tp: Vec<Fr> = m.par_iter().map(|&x| Fr::from(x)).collect();
    let f_tree = build_tree(None, fq);
    let t_tree = build_tree(Some(tp), tq);
    let root = |tree: &[Layer]| [tree[0].0.as_ref().map_or(Fr::one(), |p| p[0]), tree[0].1[0]];
    let (f_root, t_root) = (root(&f_tree), root(&t_tree));
    if check_sums && f_root[0] * t_root[1] != t_root[0] * f_root[1] {
        return Err(LookupError::SumsDiffer);
    }
    t.absorb_frs(b"logup roots", &[f_root[0], f_root[1], t_root[0], t_root[1]]);

    let (f_layers, f_point, _, _) = prove_tree(&f_tree, t);
    drop(f_tree);
    let f_evals: Vec<Fr> = f.iter().map(|c| Mle { evals: c.to_vec(), num_vars: k }.evaluate(&f_point)).collect();
    t.absorb_frs(b"logup f evals", &f_evals);
    let (t_layers, m_point, m_value, _) = prove_tree(&t_tree, t);
    let claims = LogupClaims { f_point, f_values: f_evals.clone(), m_point, m_value };
    Ok((LogupProof { f_root, t_root, f_layers, t_layers, f_evals }, claims))
}

/// Checks a lookup of 2^k rows into `table` (the caller has absorbed the commitments to f's columns and to m,
/// as the prover did). Returns the claims the caller must still check against its commitments: f_c~(f_point) =
/// f_values[c] and m~(m_point) = m_value. The table's own MLE is evaluated here.
pub fn verify_logup(proof: &LogupProof, k: usize, table: &Table, t: &mut Transcript) -> Result<LogupClaims, VerifyError> {
    if proof.f_evals.len() != table.columns() {
        return Err(VerifyError::Shape { what: "logup f evals", got: proof.f_evals.len(), expected: table.columns() });
    }
    if table.log_size() > MAX_TABLE_LOG {
        return Err(VerifyError::Shape { what: "logup table variables", got: table.log_size(), expected: MAX_TABLE_LOG });
    }
    let (alpha, beta) = draw_challenges(table, k, t);
    let ([pf, qf], [pt, qt]) = (proof.f_root, proof.t_root);
    t.absorb_frs(b"logup roots", &[pf, qf, pt, qt]);
    if qf.is_zero() || qt.is_zero() {
        return Err(VerifyError::FinalValue { what: "logup: a zero root denominator" });
    }
    if pf * qt != pt * qf {
        return Err(VerifyError::FinalValue { what: "logup: the two fractional sums differ" });
    }
    let (f_point, p, q) = verify_tree(&proof.f_layers, k, proof.f_root, t)?;
    if p != Fr::one() {
        return Err(VerifyError::FinalValue { what: "logup: a looked-up numerator is not 1" });
    }
    t.absorb_frs(b"logup f evals", &proof.f_evals);
    if q != alpha - fold_columns(&proof.f_evals, beta) {
        return Err(VerifyError::FinalValue { what: "logup: the looked-up values' denominator" });
    }
    let (m_point, m_value, q) = verify_tree(&proof.t_layers, table.log_size(), proof.t_root, t)?;
    if q != alpha - fold_columns(&table.evaluate(&m_point), beta) {
        return Err(VerifyError::FinalValue { what: "logup: the table's denominator" });
    }
    Ok(LogupClaims { f_point, f_values: proof.f_evals.clone(), m_point, m_value })
}

#[cfg(test)]
pub(crate) fn prove_logup_unchecked(f: &[&[Fr]], m: &[u64], table: &Table, t: &mut Transcript) -> Result<(LogupProof, LogupClaims), LookupError> {
    prove_logup_inner(f, m, table, t, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::{rand::Rng, test_rng, UniformRand};

    fn tr() -> Transcript {
        let mut t = Transcript::new(b"logup-test");
        // Stands for the caller's commitments to f and m.
        t.absorb_bytes(b"commitments", b"f, m");
        t
    }

    fn mle_u64(m: &[u64]) -> Mle {
        Mle::new(m.iter().map(|&x| Fr::from(x)).collect())
    }

    /// The dense MLE of the table's columns at x (the O(2^l) definition).
    fn dense_table_eval(table: &Table, x: &[Fr]) -> Vec<Fr> {
        let n = 1usize << table.log_size();
        (0..table.columns())
            .map(|c| Mle::new((0..n).map(|j| fr_from_i64(table.row(j)[c])).collect()).evaluate(x))
            .collect()
    }

    /// Accepted and the claims true: verify passes and its claims equal the true MLEs of f's columns and m.
    fn accepted(proof: &LogupProof, f: &[Vec<Fr>], m: &[u64], table: &Table) -> bool {
        let k = f[0].len().trailing_zeros() as usize;
        match verify_logup(proof, k, table, &mut tr()) {
            Ok(c) => {
                f.iter().zip(&c.f_values).all(|(col, v)| Mle::new(col.clone()).evaluate(&c.f_point) == *v)
                    && mle_u64(m).evaluate(&c.m_point) == c.m_value
            }
            Err(_) => false,
        }
    }

    fn range_lookup(k: usize, offset: i64, l: usize, rng: &mut impl Rng) -> (Vec<i64>, Table) {
        let f: Vec<i64> = (0..1 << k).map(|_| offset + rng.gen_range(0..1i64 << l)).collect();
        (f, Table::range(offset, l))
    }

    #[test]
    fn table_mles_are_the_dense_ones() {
        let mut rng = test_rng();
        for l in 0..=7 {
            let x: Vec<Fr> = (0..l).map(|_| Fr::rand(&mut rng)).collect();
            for offset in [-300i64, -17, -1, 0, 5] {
                let tables = [
                    Table::range(offset, l),
                    Table::Activation { offset, log_size: l, lo: Some(0), hi: None },
                    Table::Activation { offset, log_size: l, lo: Some(0), hi: Some(15) },
                    Table::Activation { offset, log_size: l, lo: Some(-8), hi: Some(7) },
                    Table::Activation { offset, log_size: l, lo: None, hi: None },
                    Table::Activation { offset, log_size: l, lo: None, hi: Some(3) },
                    Table::Activation { offset, log_size: l, lo: Some(offset + 3), hi: Some(offset + (1 << l) - 2) },
                ];
                for table in tables {
                    assert_eq!(table.evaluate(&x), dense_table_eval(&table, &x), "{table:?}");
                }
            }
        }
        for l in 0..=6 {
            let x: Vec<Fr> = (0..l).map(|_| Fr::rand(&mut rng)).collect();
            for c in -3..(1i64 << l) + 3 {
                let dense = Mle::new((0..1i64 << l).map(|j| if j >= c { fr_from_i64(j - c) } else { Fr::zero() }).collect());
                assert_eq!(ramp_mle(&x, c), dense.evaluate(&x), "l = {l}, c = {c}");
            }
        }
    }

    #[test]
    fn layer_sumcheck_with_a_zero_coordinate() {
        // rho_i = 0 (then E = 0 in later rounds) takes the direct pass for h(1); both kinds of numerators.
        let mut rng = test_rng();
        let j = 5;
        let p: Vec<Fr> = (0..2 << j).map(|_| Fr::rand(&mut rng)).collect();
        let q: Vec<Fr> = (0..2 << j).map(|_| Fr::rand(&mut rng)).collect();
        let mu = Fr::rand(&mut rng);
        for zero_at in [0, 2, j - 1] {
            let mut rho: Vec<Fr> = (0..j).map(|_| Fr::rand(&mut rng)).collect();
            rho[zero_at] = Fr::zero();
            for unit in [false, true] {
                let pp = if unit { vec![Fr::one(); 2 << j] } else { p.clone() };
                let h = 1 << j;
                let eq = eq_table(&rho);
                let claim: Fr = (0..h).map(|x| eq[x] * (pp[x] * q[x + h] + pp[x + h] * q[x] + mu * q[x] * q[x + h])).sum();
                let mut t = tr();
                let (proof, r, [p0, p1, q0, q1]) = prove_layer(if unit { None } else { Some(&pp) }, &q, &rho, mu, claim, &mut t);
                let (r2, value) = super::super::sumcheck::verify(&proof, claim, j, 3, &mut tr()).unwrap();
                assert_eq!(r, r2);
                assert_eq!(value, eq_eval(&rho, &r) * (p0 * q1 + p1 * q0 + mu * q0 * q1), "zero at {zero_at}, unit {unit}");
                let half = |v: &[Fr]| Mle::new(v.to_vec()).evaluate(&r);
                assert_eq!([p0, p1, q0, q1], [half(&pp[..h]), half(&pp[h..]), half(&q[..h]), half(&q[h..])]);
            }
        }
    }

    #[test]
    fn index_of_and_multiplicities() {
        let t = Table::Activation { offset: -4, log_size: 3, lo: Some(0), hi: Some(2) };
        assert_eq!(t.index_of(&[-4, 0]), Some(0));
        assert_eq!(t.index_of(&[3, 2]), Some(7));
        assert_eq!(t.index_of(&[3, 3]), None);
        assert_eq!(t.index_of(&[-2, -2]), None);
        assert_eq!(t.index_of(&[4, 2]), None);
        assert_eq!(t.index_of(&[-5, 0]), None);
        let q = [-4i64, 1, 1, 3];
        let a = [0i64, 1, 1, 2];
        let m = table_multiplicities(&[&q, &a], &t).unwrap();
        assert_eq!(m, vec![1, 0, 0, 0, 0, 2, 0, 1]);
        let bad = [0i64, 1, 2, 2];
        assert!(matches!(table_multiplicities(&[&q, &bad], &t), Err(LookupError::NotInTable { row: 2, .. })));
        let r = Table::range(0, 4);
        assert!(matches!(table_multiplicities(&[&[0, 15, 16, 3]], &r), Err(LookupError::NotInTable { row: 2, .. })));
        assert!(matches!(table_multiplicities(&[&[0, 1, 2]], &r), Err(LookupError::Shape { .. })));
    }

    #[test]
    fn honest_lookups_verify() {
        let mut rng = test_rng();
        // Every size 2^0..2^10 against tables of 2^4..2^12 rows (in turn), from 0 and from a negative offset.
        let cases = (0..=10).flat_map(|k| [(k, 4 + k % 9), (k, 12 - k % 9)]);
        for (k, l) in cases {
            for offset in [0i64, -(1 << (l - 1))] {
                let (f, table) = range_lookup(k, offset, l, &mut rng);
                let m = table_multiplicities(&[&f], &table).unwrap();
                let fr = columns_fr(&[&f]);
                let (proof, claims) = prove_logup(&[&fr[0]], &m, &table, &mut tr()).unwrap();
                assert_eq!(verify_logup(&proof, k, &table, &mut tr()), Ok(claims.clone()), "k = {k}, l = {l}");
                assert!(accepted(&proof, &fr, &m, &table));
                assert_eq!(claims.f_point.len(), k);
                assert_eq!(claims.m_point.len(), l);
            }
        }
        // A two-column table (a ReLU with a clamp), and a table of one row.
        for (k, l) in [(0, 4), (6, 5), (10, 8)] {
            let table = Table::Activation { offset: -(1 << (l - 1)), log_size: l, lo: Some(0), hi: Some(5) };
            let rows: Vec<Vec<i64>> = (0..1 << k).map(|_| table.row(rng.gen_range(0..1 << l))).collect();
            let (q, a): (Vec<i64>, Vec<i64>) = rows.iter().map(|r| (r[0], r[1])).unzip();
            let m = table_multiplicities(&[&q, &a], &table).unwrap();
            let fr = columns_fr(&[&q, &a]);
            let (proof, claims) = prove_logup(&[&fr[0], &fr[1]], &m, &table, &mut tr()).unwrap();
            assert_eq!(verify_logup(&proof, k, &table, &mut tr()), Ok(claims));
            assert!(accepted(&proof, &fr, &m, &table));
        }
        let table = Table::range(0, 0);
        let f = vec![0i64; 8];
        let m = table_multiplicities(&[&f], &table).unwrap();
        assert_eq!(m, vec![8]);
        let fr = columns_fr(&[&f]);
        let (proof, _) = prove_logup(&[&fr[0]], &m, &table, &mut tr()).unwrap();
        assert!(accepted(&proof, &fr, &m, &table));
    }

    #[test]
    fn a_value_outside_the_table_is_not_provable() {
        let mut rng = test_rng();
        let (k, l) = (6, 5);
        let (mut f, table) = range_lookup(k, 0, l, &mut rng);
        f[13] = 1 << l; // one past the table's end
        assert!(matches!(table_multiplicities(&[&f], &table), Err(LookupError::NotInTable { row: 13, .. })));
        // m counting the value as the last row (the nearest one) or leaving it out: the sums differ.
        let fr = columns_fr(&[&f]);
        let mut g = f.clone();
        g[13] = (1 << l) - 1;
        let m_near = table_multiplicities(&[&g], &table).unwrap();
        assert_eq!(prove_logup(&[&fr[0]], &m_near, &table, &mut tr()).unwrap_err(), LookupError::SumsDiffer);
        // A prover that goes on anyway: the verifier refuses the roots.
        let (forged, _) = prove_logup_unchecked(&[&fr[0]], &m_near, &table, &mut tr()).unwrap();
        assert_eq!(verify_logup(&forged, k, &table, &mut tr()), Err(VerifyError::FinalValue { what: "logup: the two fractional sums differ" }));
        // A prover that proves the in-table column g (and its m) while f is committed: accepted by the lookup,
        // but its claim on f is g~'s, not f~'s, so the caller's opening refuses it.
        let gr = columns_fr(&[&g]);
        let (proof, claims) = prove_logup(&[&gr[0]], &m_near, &table, &mut tr()).unwrap();
        assert!(verify_logup(&proof, k, &table, &mut tr()).is_ok());
        assert_ne!(Mle::new(fr[0].clone()).evaluate(&claims.f_point), claims.f_values[0]);
        assert!(!accepted(&proof, &fr, &m_near, &table));
        // A prover that changes the root to make the sums agree: the first layer refuses.
        let mut p = forged.clone();
        p.f_root = [p.t_root[0], p.t_root[1]];
        assert!(!accepted(&p, &fr, &m_near, &table));
        // A negative value below a range table from 0.
        let mut h = g.clone();
        h[0] = -1;
        assert!(table_multiplicities(&[&h], &table).is_err());
        let hr = columns_fr(&[&h]);
        let (forged, _) = prove_logup_unchecked(&[&hr[0]], &m_near, &table, &mut tr()).unwrap();
        assert!(!accepted(&forged, &hr, &m_near, &table));
    }

    #[test]
    fn every_message_tampered_is_rejected() {
        let mut rng = test_rng();
        let (k, l) = (4, 3);
        let table = Table::Activation { offset: -4, log_size: l, lo: Some(0), hi: Some(2) };
        let rows: Vec<Vec<i64>> = (0..1 << k).map(|_| table.row(rng.gen_range(0..1 << l))).collect();
        let (q, a): (Vec<i64>, Vec<i64>) = rows.iter().map(|r| (r[0], r[1])).unzip();
        let m = table_multiplicities(&[&q, &a], &table).unwrap();
        let fr = columns_fr(&[&q, &a]);
        let (proof, _) = prove_logup(&[&fr[0], &fr[1]], &m, &table, &mut tr()).unwrap();
        assert!(accepted(&proof, &fr, &m, &table));
        let mut count = 0;
        let mut check = |p: LogupProof, what: String| {
            assert!(!accepted(&p, &fr, &m, &table), "{what}");
            count += 1;
        };
        for i in 0..2 {
            let mut p = proof.clone();
            p.f_root[i] += Fr::one();
            check(p, format!("f root {i}"));
            let mut p = proof.clone();
            p.t_root[i] += Fr::one();
            check(p, format!("t root {i}"));
        }
        // Scaling both halves of a root keeps the ratio: the first layer refuses.
        let mut p = proof.clone();
        p.f_root = [p.f_root[0].double(), p.f_root[1].double()];
        check(p, "f root scaled".into());
        for side in 0..2 {
            let layers = if side == 0 { &proof.f_layers } else { &proof.t_layers };
            for (j, layer) in layers.iter().enumerate() {
                for (r, round) in layer.sumcheck.rounds.iter().enumerate() {
                    for e in 0..round.len() {
                        let mut p = proof.clone();
                        let lp = if side == 0 { &mut p.f_layers[j] } else { &mut p.t_layers[j] };
                        lp.sumcheck.rounds[r][e] += Fr::one();
                        check(p, format!("side {side} layer {j} round {r} eval {e}"));
                    }
                }
                for e in 0..4 {
                    let mut p = proof.clone();
                    let lp = if side == 0 { &mut p.f_layers[j] } else { &mut p.t_layers[j] };
                    lp.evals[e] += Fr::one();
                    check(p, format!("side {side} layer {j} evals {e}"));
                }
            }
        }
        for c in 0..2 {
            let mut p = proof.clone();
            p.f_evals[c] += Fr::one();
            check(p, format!("f eval {c}"));
        }
        // Shapes: a layer missing, an f eval missing, a round missing.
        let mut p = proof.clone();
        p.t_layers.pop();
        check(p, "t layer dropped".into());
        let mut p = proof.clone();
        p.f_evals.pop();
        check(p, "f eval dropped".into());
        let mut p = proof.clone();
        p.f_layers[3].sumcheck.rounds.pop();
        check(p, "round dropped".into());
        assert!(count > 60, "{count} tamperings");
        // Another table, another k, another transcript: refused.
        let other = Table::Activation { offset: -4, log_size: l, lo: Some(0), hi: Some(3) };
        assert!(verify_logup(&proof, k, &other, &mut tr()).is_err());
        assert!(verify_logup(&proof, k - 1, &table, &mut tr()).is_err());
        assert!(verify_logup(&proof, k, &table, &mut Transcript::new(b"logup-test")).is_err());
    }

    #[test]
    fn tampered_f_or_m_is_rejected() {
        let mut rng = test_rng();
        let (k, l) = (7, 6);
        let (f, table) = range_lookup(k, -10, l, &mut rng);
        let m = table_multiplicities(&[&f], &table).unwrap();
        let fr = columns_fr(&[&f]);
        let (proof, _) = prove_logup(&[&fr[0]], &m, &table, &mut tr()).unwrap();
        assert!(accepted(&proof, &fr, &m, &table));
        // The committed f differs from the proved one in one value (still in the table): the f claim is false.
        let mut f2 = fr.clone();
        f2[0][5] += Fr::one();
        assert!(!accepted(&proof, &f2, &m, &table));
        // The committed m differs in one count, or two counts swapped: the m claim is false.
        let mut m2 = m.clone();
        m2[3] += 1;
        assert!(!accepted(&proof, &fr, &m2, &table));
        let mut m3 = m.clone();
        let (i, j) = (m.iter().position(|&x| x > 0).unwrap(), m.iter().position(|&x| x == 0).unwrap());
        m3.swap(i, j);
        assert!(!accepted(&proof, &fr, &m3, &table));
        // Proving with the wrong m: the prover refuses; forced, the verifier refuses.
        assert_eq!(prove_logup(&[&fr[0]], &m2, &table, &mut tr()).unwrap_err(), LookupError::SumsDiffer);
        let (forged, _) = prove_logup_unchecked(&[&fr[0]], &m2, &table, &mut tr()).unwrap();
        assert!(!accepted(&forged, &fr, &m2, &table));
        // Wrong shapes are the prover's errors.
        assert!(matches!(prove_logup(&[&fr[0]], &m[1..], &table, &mut tr()), Err(LookupError::Shape { .. })));
        assert!(matches!(prove_logup(&[&fr[0][1..]], &m, &table, &mut tr()), Err(LookupError::Shape { .. })));
        assert!(matches!(prove_logup(&[&fr[0], &fr[0]], &m, &table, &mut tr()), Err(LookupError::Shape { .. })));
    }

    #[test]
    fn a_zero_denominator_is_refused() {
        // alpha cannot be steered onto a table entry through keccak, so each end is checked directly: the
        // prover's check on the leaves (a column holding the very alpha the transcript draws), the verifier's on
        // the roots.
        let table = Table::range(0, 2);
        let alpha = {
            let mut t = tr();
            draw_challenges(&table, 1, &mut t).0
        };
        // A looked-up column holding alpha itself (not a table value: only the denominator check is reached).
        let f = vec![alpha, Fr::zero()];
        assert_eq!(prove_logup_unchecked(&[&f], &[1, 0, 0, 0], &table, &mut tr()).unwrap_err(), LookupError::ZeroDenominator);
        // A proof whose root denominators are zero (with equal cross products): refused before anything else.
        let fv = [0i64, 1];
        let m = table_multiplicities(&[&fv], &table).unwrap();
        let fr = columns_fr(&[&fv]);
        let (mut proof, _) = prove_logup(&[&fr[0]], &m, &table, &mut tr()).unwrap();
        proof.f_root[1] = Fr::zero();
        proof.t_root[1] = Fr::zero();
        assert_eq!(verify_logup(&proof, 1, &table, &mut tr()), Err(VerifyError::FinalValue { what: "logup: a zero root denominator" }));
        let mut proof2 = proof.clone();
        proof2.t_root = [Fr::zero(), Fr::zero()];
        proof2.f_root = [Fr::zero(), Fr::one()];
        assert_eq!(verify_logup(&proof2, 1, &table, &mut tr()), Err(VerifyError::FinalValue { what: "logup: a zero root denominator" }));
    }

    /// Prover time of a lookup of 2^16 values into a 2^16 range table (and 2^20 into 2^8, 2^12 into 2^20).
    /// `cargo test --release measure_logup -- --ignored --nocapture --test-threads=1`.
    #[test]
    #[ignore]
    fn measure_logup() {
        let mut rng = test_rng();
        for (k, l) in [(16, 16), (20, 8), (12, 20)] {
            let (f, table) = range_lookup(k, 0, l, &mut rng);
            let (t0, c0) = (std::time::Instant::now(), crate::sumcheck::cpu_seconds());
            let m = table_multiplicities(&[&f], &table).unwrap();
            let fr = columns_fr(&[&f]);
            let prep = t0.elapsed().as_secs_f64() * 1e3;
            let (proof, _) = prove_logup(&[&fr[0]], &m, &table, &mut tr()).unwrap();
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            let cpu = crate::sumcheck::cpu_seconds() - c0;
            let t1 = std::time::Instant::now();
            verify_logup(&proof, k, &table, &mut tr()).unwrap();
            println!(
                "logup 2^{k} values into 2^{l}: prove {ms:.0} ms wall ({prep:.0} ms of it m and Fr columns; {cpu:.2} s CPU), verify {:.2} ms",
                t1.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}
