//! The commitment layout of a network proof: every committed column (a dense layer's W, in blocks, and b, a requant's q, r and
//! a, later the lookups' multiplicities) as an aligned power-of-two segment of one i64 vector, committed once with
//! Hyrax; a claim on a segment's MLE lifted to a claim on the big MLE; and the claims accumulator that merges every
//! claim into one point (batch.rs's protocol) for one opening.
//!
//! Placement: segments are sorted by size, largest first (ties: W blocks, b, a, q, r, the two multiplicities, then by op index), and laid end
//! to end from offset 0. Sizes are powers of two taken in decreasing order, so every segment's offset is a multiple
//! of its size. The big vector has 2^K entries, K = log2_ceil(sum of sizes), zero past the last segment.
//!
//! Bit order: index bits are little-endian (mle.rs), so for a segment of 2^v entries at offset o (o a multiple of
//! 2^v), big index o + i has i in its low v bits and o >> v in its high K - v bits. Its MLE s~ relates to the big
//! MLE P~ by s~(p) = P~(p || h), where h is the K - v bits of o >> v as 0/1 field elements, least significant first
//! (`Layout::lift`). The big vector's first variables are therefore each segment's own, and Hyrax's column
//! variables (the low ceil(K/2)) are a prefix of every large segment's.
//!
//! The accumulator: each claim (segment, local point, value) becomes (lift(point), value) on P~; `prove_claims`
//! runs batch.rs's protocol (same transcript, same messages; checked by `batch::verify_batch`) for
//! E(x) = sum_k alpha^k eq(z_k, x) without building E: eq(p || h, x) vanishes outside the segment, and while a
//! segment still has variables of its own its part of E stays a sum of its claims' eq, so each round's message is,
//! per claim, c_k eq1(z_kj, X) sum_b eq(z_k[j+1..], b) p_j(2b + X) (`SegProver`). A segment's first rounds (up
//! to 4, while its value range is small beside its size) come from one pass of per-value buckets over its
//! integers (additions only), its table is then folded from the integers by per-position tables, and later
//! rounds fold it and pair-sum the eq tables in one pass. A segment folded to one entry joins the tail (explicit
//! E and P, the table prover's rounds); the sumcheck runs over the entries in use only (`Layout::used`).
//! Messages are exactly sumcheck.rs's (degree 2); tested against the table prover on random layouts.

use super::batch::BatchProof;
use super::hyrax::{commit_i64, HyraxCommitment, HyraxParams};
use super::mle::{eq_table, fr_from_i64, log2_ceil, PAR_THRESHOLD};
use super::sumcheck::SumcheckProof;
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, One, Zero};
use rayon::prelude::*;

/// What a segment holds (its order is the placement's tie-break).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SegKind {
    /// One block of a dense layer's W: rows and columns each split into aligned power-of-two runs (m's and n's
    /// binary digits, largest first: network.rs's `pow2_parts`), block (row run `rb`, column run `cb`) stored
    /// row-major with its column bits low, so W is committed with no padding.
    Weights { rb: u8, cb: u8 },
    /// A dense layer's bias, padded to 2^mu.
    Bias,
    /// A requant's output a.
    Act,
    /// A requant's quotient q = floor(z / 2^s).
    Quot,
    /// A requant's remainder r = z - 2^s q.
    Rem,
    /// A requant's multiplicities in its remainder's range table (2^shift entries).
    MultRange,
    /// A requant's multiplicities in its (q, act(q)) table (2^(bits - shift) entries).
    MultAct,
    /// The network's input x, when it is private (committed instead of sent).
    Input,
    /// A private input's multiplicities in its range table.
    MultInput,
    /// A max pool's output y.
    PoolOut,
    /// A max pool's differences y - x[tap], one run per tap (taps padded to a power of two).
    PoolDiff,
    /// A max pool's multiplicities in its differences' range table.
    MultPool,
}

/// One segment: which op and column, its size 2^vars and its offset in the big vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub op: usize,
    pub kind: SegKind,
    pub vars: usize,
    pub offset: usize,
}

/// Every segment, placed; the big vector has 2^num_vars entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub segments: Vec<Segment>,
    pub num_vars: usize,
}

impl Layout {
    /// Places segments (op, kind, vars) as the module doc says. Panics on two segments with the same (op, kind).
    pub fn new(requests: &[(usize, SegKind, usize)]) -> Layout {
        let mut req = requests.to_vec();
        req.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)).then(a.0.cmp(&b.0)));
        for w in req.windows(2) {
            assert!(!(w[0].0 == w[1].0 && w[0].1 == w[1].1), "two segments for op {} {:?}", w[0].0, w[0].1);
        }
        let mut offset = 0usize;
        let mut segments = Vec::with_capacity(req.len());
        for (op, kind, vars) in req {
            debug_assert_eq!(offset % (1 << vars), 0);
            segments.push(Segment { op, kind, vars, offset });
            offset += 1 << vars;
        }
        Layout { segments, num_vars: log2_ceil(offset) }
    }

    /// The joint layout of two committed vectors (docs/design/kzg-pcs.md section 3): with n the larger of their
    /// variable counts, `self` at offset 0 and `other` at 2^n, so the joint MLE over n + 1 variables is
    /// J~(x, j) = (1 - j) self~(x) + j other~(x), the selector j its last variable (a vector of fewer than n
    /// variables is itself zero-extended: its claims get zero high coordinates). `other`'s segment i is joint
    /// segment `self.segments.len() + i`.
    pub fn joint(&self, other: &Layout) -> Layout {
        let n = self.num_vars.max(other.num_vars);
        let shifted = other.segments.iter().map(|s| Segment { offset: s.offset + (1 << n), ..s.clone() });
        Layout { segments: self.segments.iter().cloned().chain(shifted).collect(), num_vars: n + 1 }
    }

    /// The index of (op, kind)'s segment.
    pub fn find(&self, op: usize, kind: SegKind) -> Option<usize> {
        self.segments.iter().position(|s| s.op == op && s.kind == kind)
    }

    /// The index of (op, kind)'s segment; panics when absent (the layout is built from the same architecture).
    pub fn get(&self, op: usize, kind: SegKind) -> usize {
        self.find(op, kind).unwrap_or_else(|| panic!("no segment for op {op} {kind:?}"))
    }

    /// The K - v high coordinates that select segment `seg`: bits of offset >> v, least significant first.
    pub fn high_bits(&self, seg: usize) -> Vec<Fr> {
        let s = &self.segments[seg];
        let idx = s.offset >> s.vars;
        (0..self.num_vars - s.vars).map(|i| if (idx >> i) & 1 == 1 { Fr::one() } else { Fr::zero() }).collect()
    }

    /// The point on the big MLE equivalent to `local` on segment `seg`'s MLE: local || high_bits(seg).
    pub fn lift(&self, seg: usize, local: &[Fr]) -> Vec<Fr> {
        assert_eq!(local.len(), self.segments[seg].vars, "a point of the wrong length for its segment");
        let mut p = local.to_vec();
        p.extend(self.high_bits(seg));
        p
    }

    /// Copies `data` (at most the segment's size; the rest stays zero) into the big vector.
    pub fn place(&self, seg: usize, data: &[i64], big: &mut [i64]) {
        let s = &self.segments[seg];
        assert!(data.len() <= 1 << s.vars, "segment data longer than its segment");
        big[s.offset..s.offset + data.len()].copy_from_slice(data);
    }

    /// The entries in use: the end of the last segment (the big vector is zero from there on).
    pub fn used(&self) -> usize {
        self.segments.last().map_or(0, |s| s.offset + (1 << s.vars))
    }

    /// The segment's slice of the big vector (2^vars entries).
    pub fn slice<'a>(&self, seg: usize, big: &'a [i64]) -> &'a [i64] {
        let s = &self.segments[seg];
        &big[s.offset..s.offset + (1 << s.vars)]
    }
}

/// Commits the big vector (2^params.num_vars entries) with Hyrax in blocks of rows, so that each block's MSMs use
/// buckets for its own largest value (the weights' rows stay at 8 bits when a remainder column holds 2^s).
/// Gives exactly `commit_i64(params, big)`.
pub fn commit_big(params: &HyraxParams, big: &[i64]) -> HyraxCommitment {
    let rows = params.rows();
    let cols = params.cols();
    assert!(big.len() <= rows * cols);
    let block_vars = params.row_vars.min(4);
    let per = rows >> block_vars;
    let mut out = Vec::with_capacity(rows);
    let sub = HyraxParams {
        num_vars: params.col_vars + (params.row_vars - block_vars),
        col_vars: params.col_vars,
        row_vars: params.row_vars - block_vars,
        gens: params.gens.clone(),
        h: params.h,
        g_v: params.g_v,
    };
    for b in 0..1usize << block_vars {
        let lo = (b * per * cols).min(big.len());
        let hi = ((b + 1) * per * cols).min(big.len());
        out.extend(commit_i64(&sub, &big[lo..hi]).rows);
    }
    HyraxCommitment { rows: out }
}

/// Claims on the big polynomial, each made on one segment: (segment, local point, value).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Claims {
    pub items: Vec<(usize, Vec<Fr>, Fr)>,
}

impl Claims {
    pub fn add(&mut self, seg: usize, point: Vec<Fr>, value: Fr) {
        self.items.push((seg, point, value));
    }

    /// The lifted points on the big MLE, in claim order.
    pub fn points(&self, layout: &Layout) -> Vec<Vec<Fr>> {
        self.items.iter().map(|(s, p, _)| layout.lift(*s, p)).collect()
    }

    pub fn values(&self) -> Vec<Fr> {
        self.items.iter().map(|c| c.2).collect()
    }
}

/// sumcheck.rs's prover for sum_x e(x) p(x) over `num_vars` variables (same transcript, same messages), the
/// tables given up to their last non-zero entry (zero past it): each round works on the live prefix only.
/// Returns the proof, the point and p's value there.
pub fn prove_product_trimmed(mut e: Vec<Fr>, mut p: Vec<Fr>, num_vars: usize, t: &mut Transcript) -> (SumcheckProof, Vec<Fr>, Fr) {
    assert_eq!(e.len(), p.len());
    assert!(e.len() <= 1 << num_vars);
    if e.is_empty() {
        e.push(Fr::zero());
        p.push(Fr::zero());
    }
    let round = |e: &[Fr], p: &[Fr]| -> [Fr; 3] {
        let f = |b: usize| {
            let (e0, e1, p0, p1) = (e[2 * b], e[2 * b + 1], p[2 * b], p[2 * b + 1]);
            [e0 * p0, e1 * p1, (e1.double() - e0) * (p1.double() - p0)]
        };
        let add = |a: [Fr; 3], b: [Fr; 3]| [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
        let half = e.len() / 2;
        if half >= PAR_THRESHOLD {
            (0..half).into_par_iter().map(f).reduce(|| [Fr::zero(); 3], add)
        } else {
            (0..half).map(f).fold([Fr::zero(); 3], add)
        }
    };
    let fold = |v: &[Fr], r: Fr| -> Vec<Fr> {
        let g = |c: &[Fr]| c[0] + r * (c[1] - c[0]);
        if v.len() / 2 >= PAR_THRESHOLD {
            v.par_chunks(2).map(g).collect()
        } else {
            v.chunks(2).map(g).collect()
        }
    };
    let even = |v: &mut Vec<Fr>| {
        if v.len() % 2 == 1 {
            v.push(Fr::zero());
        }
    };
    let mut rounds = Vec::with_capacity(num_vars);
    let mut point = Vec::with_capacity(num_vars);
    for j in 0..num_vars {
        even(&mut e);
        even(&mut p);
        let g = round(&e, &p);
        if j == 0 {
            t.absorb_frs(b"sumcheck claim", &[g[0] + g[1], Fr::from(num_vars as u64), Fr::from(2u64)]);
        }
        t.absorb_frs(b"sumcheck round", &g);
        let r = t.challenge_fr();
        e = fold(&e, r);
        p = fold(&p, r);
        rounds.push(g.to_vec());
        point.push(r);
    }
    if num_vars == 0 {
        t.absorb_frs(b"sumcheck claim", &[e[0] * p[0], Fr::zero(), Fr::from(2u64)]);
    }
    (SumcheckProof { rounds }, point, p[0])
}

/// batch.rs's prover (identical transcript and messages, checked by `batch::verify_batch` with `claims.points`)
/// over the entries in use, E never built: module doc and `ClaimsProver`. `big` is the committed vector (at
/// least `layout.used()` entries). Returns the proof and the point s at which the big vector must be opened.
pub fn prove_claims(layout: &Layout, big: &[i64], claims: &Claims, t: &mut Transcript) -> (BatchProof, Vec<Fr>) {
    let points = claims.points(layout);
    let flat: Vec<Fr> = points.iter().flatten().copied().collect();
    t.absorb_frs(b"batch points", &flat);
    t.absorb_frs(b"batch values", &claims.values());
    let alpha = t.challenge_fr();
    let (sumcheck, point, p_eval) = ClaimsProver::new(layout, big, claims, alpha).prove(t);
    t.absorb_fr(b"batch eval", &p_eval);
    (BatchProof { sumcheck, p_eval }, point)
}

/// At most this many of a segment's first rounds are answered from one pass of buckets over its integers.
const MAX_INT_ROUNDS: usize = 4;
/// A segment's per-entry passes are split over threads from this many entries up.
const SEG_PAR: usize = 1 << 14;

/// eq1(a, x) = a x + (1 - a)(1 - x).
fn eq1(a: Fr, x: Fr) -> Fr {
    a * x + (Fr::one() - a) * (Fr::one() - x)
}

/// One segment's part of the claims sumcheck. Its E is sum_k c_k eq(z_k, x) over its own variables (eq vanishes
/// off the segment), kept as the claims themselves: after j rounds it is sum_k c_k eq(z_k[..j], r[..j])
/// eq(z_k[j], X) eq(z_k[j+1..], x'), so round j's part of the message is, per claim, c_k eq1(z_kj, X) A(X) with
/// A(X) = sum_b eqt_j(b) p_j(2b + X), eqt_j = eq(z_k[j+1..], .), p_j the segment's table folded j times (its
/// degree-2 value at X = 2 from E(2) = 2 E(1) - E(0), p(2) = 2 p(1) - p(0): exactly the table prover's sums).
/// The first `int_rounds` = L rounds come from S_k[i] = sum_b eq(z_k[L..], b) data[2^L b + i] (i < 2^L), summed
/// from per-value buckets by additions only; p_L is then built from data by per-position tables of eq(r, u) v;
/// later rounds fold p and pair-sum eqt (one pass each round).
struct SegProver<'a> {
    vars: usize,
    data: &'a [i64],
    min: i64,
    range: usize,
    int_rounds: usize,
    /// The claims' points and their factors c_k prod_{i<j} eq1(z_ki, r_i).
    zs: Vec<&'a [Fr]>,
    cs: Vec<Fr>,
    /// S_k[i], claim-major (the integer rounds).
    sums: Vec<Fr>,
    /// p_j, and the buffer the next fold writes into.
    p: Vec<Fr>,
    p_spare: Vec<Fr>,
    /// eqt_j of every claim, interleaved (entry b of claim k at b * K + k), and the next buffer.
    eqt: Vec<Fr>,
    eqt_spare: Vec<Fr>,
}

/// eq tables of several points of one length, interleaved: out[b * K + k] = eq(points[k], b).
fn eq_tables_interleaved(points: &[&[Fr]]) -> Vec<Fr> {
    match points.len() {
        0 => Vec::new(),
        1 => eq_table(points[0]),
        k => {
            let tables: Vec<Vec<Fr>> = points.iter().map(|z| eq_table(z)).collect();
            let n = tables[0].len();
            let mut out = Vec::with_capacity(n * k);
            for b in 0..n {
                out.extend(tables.iter().map(|t| t[b]));
            }
            out
        }
    }
}

/// sum_t (min + t) B[t] by a running sum: 2 (len - 1) additions and one product.
fn bucket_value(b: &[Fr], min: Fr) -> Fr {
    let (mut run, mut acc) = (Fr::zero(), Fr::zero());
    for x in b[1..].iter().rev() {
        run += x;
        acc += run;
    }
    acc + (run + b[0]) * min
}

impl<'a> SegProver<'a> {
    fn new(vars: usize, data: &'a [i64], zs: Vec<&'a [Fr]>, cs: Vec<Fr>) -> Self {
        debug_assert_eq!(data.len(), 1 << vars);
        let (min, max) = if data.len() >= SEG_PAR {
            data.par_iter().fold(|| (i64::MAX, i64::MIN), |(a, b), &v| (a.min(v), b.max(v))).reduce(|| (i64::MAX, i64::MIN), |(a, b), (c, d)| (a.min(c), b.max(d)))
        } else {
            data.iter().fold((i64::MAX, i64::MIN), |(a, b), &v| (a.min(v), b.max(v)))
        };
        let range = (max as i128 - min as i128 + 1) as u128;
        // L rounds from buckets when the tables (K 2^L ranges of buckets, 2^L of values) stay well below the data.
        let per = (range as usize).saturating_mul(zs.len().max(1));
        let int_rounds = if range > 1 << 20 {
            0
        } else {
            (0..=MAX_INT_ROUNDS.min(vars)).rev().find(|&l| l == 0 || (per << l) * 8 <= 1 << vars).unwrap_or(0)
        };
        SegProver { vars, data, min, range: range as usize, int_rounds, zs, cs, sums: Vec::new(), p: Vec::new(), p_spare: Vec::new(), eqt: Vec::new(), eqt_spare: Vec::new() }
    }

    /// Multiplies each claim's factor by eq1(z_k[j], r).
    fn advance(&mut self, j: usize, r: Fr) {
        for (c, z) in self.cs.iter_mut().zip(&self.zs) {
            *c *= eq1(z[j], r);
        }
    }

    /// Round j's part of the message, given r_0..r_{j-1} (this segment still has variable j).
    fn round(&mut self, j: usize, r: &[Fr]) -> [Fr; 3] {
        if j > 0 {
            self.advance(j - 1, r[j - 1]);
        }
        let l = self.int_rounds;
        let a: Vec<[Fr; 2]> = if j < l {
            if j == 0 {
                self.bucket_pass();
            }
            self.sums_message(j, r)
        } else if j == l {
            self.p = if l == 0 { self.data.iter().map(|&v| fr_from_i64(v)).collect() } else { self.table_fold(&r[..l]) };
            let tails: Vec<&[Fr]> = self.zs.iter().map(|z| &z[j + 1..]).collect();
            self.eqt = eq_tables_interleaved(&tails);
            self.table_message()
        } else {
            self.fold_message(r[j - 1])
        };
        let mut g = [Fr::zero(); 3];
        for ((&c, z), [a0, a1]) in self.cs.iter().zip(&self.zs).zip(a) {
            let cz = c * z[j];
            g[0] += (c - cz) * a0;
            g[1] += cz * a1;
            g[2] += (cz.double() + cz - c) * (a1.double() - a0);
        }
        g
    }

    /// After the round on its last variable (challenge r_{vars-1}): its E and P values, one entry of the next level.
    fn finish(&mut self, r: &[Fr]) -> (Fr, Fr) {
        let v = self.vars;
        self.advance(v - 1, r[v - 1]);
        let e = self.cs.iter().sum();
        let p = if self.int_rounds == v {
            self.table_fold(&r[..v])[0]
        } else {
            let (p0, p1) = (self.p[0], self.p[1]);
            p0 + r[v - 1] * (p1 - p0)
        };
        self.p = Vec::new();
        self.p_spare = Vec::new();
        self.eqt = Vec::new();
        self.eqt_spare = Vec::new();
        (e, p)
    }

    /// S_k[i] = sum_b eq(z_k[L..], b) data[2^L b + i]: buckets by value per (claim, i), summed at the end.
    fn bucket_pass(&mut self) {
        let (l, k, range, min) = (self.int_rounds, self.zs.len(), self.range, self.min);
        let tails: Vec<&[Fr]> = self.zs.iter().map(|z| &z[l..]).collect();
        let w = eq_tables_interleaved(&tails);
        let groups = 1usize << (self.vars - l);
        let width = 1usize << l;
        let data = self.data;
        let fill = |lo: usize, hi: usize| {
            let mut buckets = vec![Fr::zero(); k * width * range];
            for b in lo..hi {
                let row = &data[b * width..(b + 1) * width];
                for kk in 0..k {
                    let wb = w[b * k + kk];
                    let base = kk * width * range;
                    for (i, &v) in row.iter().enumerate() {
                        buckets[base + i * range + (v - min) as usize] += wb;
                    }
                }
            }
            buckets
        };
        let buckets = if data.len() >= SEG_PAR {
            let chunk = groups.div_ceil(rayon::current_num_threads().max(1) * 2).max(1);
            (0..groups.div_ceil(chunk))
                .into_par_iter()
                .map(|c| fill(c * chunk, ((c + 1) * chunk).min(groups)))
                .reduce_with(|mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    a
                })
                .expect("at least one chunk")
        } else {
            fill(0, groups)
        };
        let fmin = fr_from_i64(min);
        self.sums = buckets.chunks(range).map(|b| bucket_value(b, fmin)).collect();
    }

    /// Round j < L: A_k(X) = sum_{u < 2^j, y} eq(r[..j], u) eq(z_k[j+1..L], y) S_k[u + 2^j X + 2^(j+1) y].
    fn sums_message(&self, j: usize, r: &[Fr]) -> Vec<[Fr; 2]> {
        let l = self.int_rounds;
        let width = 1usize << l;
        let ru = eq_table(&r[..j]);
        self.zs
            .iter()
            .enumerate()
            .map(|(kk, z)| {
                let zy = eq_table(&z[j + 1..l]);
                let s = &self.sums[kk * width..(kk + 1) * width];
                let mut a = [Fr::zero(); 2];
                for (y, &wy) in zy.iter().enumerate() {
                    for (x, ax) in a.iter_mut().enumerate() {
                        let base = (x << j) + (y << (j + 1));
                        let inner: Fr = ru.iter().enumerate().map(|(u, &wu)| wu * s[base + u]).sum();
                        *ax += wy * inner;
                    }
                }
                a
            })
            .collect()
    }

    /// p_L(b) = sum_{u < 2^L} eq(r, u) data[2^L b + u], by a table of eq(r, u) (min + t) per u.
    fn table_fold(&self, r: &[Fr]) -> Vec<Fr> {
        let l = r.len();
        let width = 1usize << l;
        let range = self.range;
        let fmin = fr_from_i64(self.min);
        let mut tables = vec![Fr::zero(); width * range];
        for (u, wu) in eq_table(r).into_iter().enumerate() {
            let t = &mut tables[u * range..(u + 1) * range];
            t[0] = wu * fmin;
            for i in 1..range {
                t[i] = t[i - 1] + wu;
            }
        }
        let min = self.min;
        let f = |row: &[i64]| -> Fr {
            let mut acc = Fr::zero();
            for (u, &v) in row.iter().enumerate() {
                acc += tables[u * range + (v - min) as usize];
            }
            acc
        };
        if self.data.len() >= SEG_PAR {
            self.data.par_chunks(width).map(f).collect()
        } else {
            self.data.chunks(width).map(f).collect()
        }
    }

    /// A_k(X) = sum_b eqt[b K + k] p[2b + X] for the current tables.
    fn table_message(&self) -> Vec<[Fr; 2]> {
        let k = self.zs.len();
        if k == 0 {
            return Vec::new();
        }
        let (p, eqt) = (&self.p, &self.eqt);
        let acc = |lo: usize, hi: usize| {
            let mut a = vec![[Fr::zero(); 2]; k];
            for b in lo..hi {
                let (p0, p1) = (p[2 * b], p[2 * b + 1]);
                for (kk, ak) in a.iter_mut().enumerate() {
                    let e = eqt[b * k + kk];
                    ak[0] += e * p0;
                    ak[1] += e * p1;
                }
            }
            a
        };
        let pairs = p.len() / 2;
        if p.len() >= SEG_PAR {
            let chunk = 1 << 11;
            (0..pairs.div_ceil(chunk)).into_par_iter().map(|c| acc(c * chunk, ((c + 1) * chunk).min(pairs))).reduce_with(add_pairs).expect("at least one chunk")
        } else {
            acc(0, pairs)
        }
    }

    /// Folds p with r (its variable j - 1), pair-sums eqt, and returns the new round's A_k in the same pass.
    fn fold_message(&mut self, r: Fr) -> Vec<[Fr; 2]> {
        let k = self.zs.len();
        let half = self.p.len() / 2;
        let mut np = std::mem::take(&mut self.p_spare);
        np.clear();
        np.resize(half, Fr::zero());
        let mut ne = std::mem::take(&mut self.eqt_spare);
        ne.clear();
        ne.resize(half / 2 * k, Fr::zero());
        let (p, eqt) = (&self.p, &self.eqt);
        // Pairs b of the new level: p'[2b], p'[2b + 1] from p[4b..4b + 4]; eqt'[b] = eqt[2b] + eqt[2b + 1].
        let work = |b0: usize, npc: &mut [Fr], nec: &mut [Fr]| {
            let mut a = vec![[Fr::zero(); 2]; k];
            for (i, pair) in npc.chunks_mut(2).enumerate() {
                let b = b0 + i;
                let q = &p[4 * b..4 * b + 4];
                let (x0, x1) = (q[0] + r * (q[1] - q[0]), q[2] + r * (q[3] - q[2]));
                pair[0] = x0;
                pair[1] = x1;
                for (kk, ak) in a.iter_mut().enumerate() {
                    let e = eqt[2 * b * k + kk] + eqt[(2 * b + 1) * k + kk];
                    nec[i * k + kk] = e;
                    ak[0] += e * x0;
                    ak[1] += e * x1;
                }
            }
            a
        };
        let a = if k == 0 {
            let f = |c: &[Fr]| c[0] + r * (c[1] - c[0]);
            if half >= SEG_PAR {
                np.par_iter_mut().zip(p.par_chunks(2)).for_each(|(o, c)| *o = f(c));
            } else {
                np.iter_mut().zip(p.chunks(2)).for_each(|(o, c)| *o = f(c));
            }
            Vec::new()
        } else if half >= SEG_PAR {
            let chunk = 1 << 11;
            np.par_chunks_mut(2 * chunk)
                .zip(ne.par_chunks_mut(chunk * k))
                .enumerate()
                .map(|(c, (npc, nec))| work(c * chunk, npc, nec))
                .reduce_with(add_pairs)
                .expect("at least one chunk")
        } else {
            work(0, &mut np, &mut ne)
        };
        self.p_spare = std::mem::replace(&mut self.p, np);
        self.eqt_spare = std::mem::replace(&mut self.eqt, ne);
        a
    }
}

fn add_pairs(mut a: Vec<[Fr; 2]>, b: Vec<[Fr; 2]>) -> Vec<[Fr; 2]> {
    for (x, y) in a.iter_mut().zip(b) {
        x[0] += y[0];
        x[1] += y[1];
    }
    a
}

/// The claims sumcheck over the layout: the segments still holding variable j answer round j themselves
/// (`SegProver`); the segments folded to one entry, all smaller than every live one, form the tail: explicit E and
/// P tables of the current level (the table prover's own rounds), each finished segment prepended to it.
struct ClaimsProver<'a> {
    /// The segments with variables of their own, largest first, each with its offset.
    segs: Vec<(usize, SegProver<'a>)>,
    num_vars: usize,
    /// The entries of finished segments at the current level: (index at this level, E, P), by index.
    tail: Vec<(usize, Fr, Fr)>,
}

/// The tail's part of a round's message: pairs (2b, 2b + 1) of the sparse level, a missing entry zero.
fn tail_round(tail: &[(usize, Fr, Fr)]) -> [Fr; 3] {
    let mut g = [Fr::zero(); 3];
    for ((e0, p0), (e1, p1)) in tail_pairs(tail) {
        g[0] += e0 * p0;
        g[1] += e1 * p1;
        g[2] += (e1.double() - e0) * (p1.double() - p0);
    }
    g
}

/// The tail's entries paired by index: ((E, P) at 2b, (E, P) at 2b + 1), zeros where absent; with b.
fn tail_pairs(tail: &[(usize, Fr, Fr)]) -> impl Iterator<Item = ((Fr, Fr), (Fr, Fr))> + '_ {
    tail_pairs_indexed(tail).map(|(_, a, b)| (a, b))
}

fn tail_pairs_indexed(tail: &[(usize, Fr, Fr)]) -> impl Iterator<Item = (usize, (Fr, Fr), (Fr, Fr))> + '_ {
    let zero = (Fr::zero(), Fr::zero());
    let mut k = 0;
    std::iter::from_fn(move || {
        let &(i, e, p) = tail.get(k)?;
        k += 1;
        if i % 2 == 1 {
            return Some((i / 2, zero, (e, p)));
        }
        match tail.get(k) {
            Some(&(j, e1, p1)) if j == i + 1 => {
                k += 1;
                Some((i / 2, (e, p), (e1, p1)))
            }
            _ => Some((i / 2, (e, p), zero)),
        }
    })
}

impl<'a> ClaimsProver<'a> {
    fn new(layout: &Layout, big: &'a [i64], claims: &'a Claims, alpha: Fr) -> Self {
        let mut per_seg: Vec<(Vec<&'a [Fr]>, Vec<Fr>)> = vec![(Vec::new(), Vec::new()); layout.segments.len()];
        let mut power = Fr::one();
        for (seg, local, _) in &claims.items {
            assert_eq!(local.len(), layout.segments[*seg].vars, "a point of the wrong length for its segment");
            per_seg[*seg].0.push(local);
            per_seg[*seg].1.push(power);
            power *= alpha;
        }
        let (mut segs, mut tail) = (Vec::new(), Vec::new());
        for (i, (zs, cs)) in per_seg.into_iter().enumerate() {
            let s = &layout.segments[i];
            let data = layout.slice(i, big);
            if s.vars == 0 {
                tail.push((s.offset, cs.iter().sum(), fr_from_i64(data[0])));
            } else {
                segs.push((s.offset, SegProver::new(s.vars, data, zs, cs)));
            }
        }
        segs.sort_by(|a, b| b.1.vars.cmp(&a.1.vars));
        tail.sort_by_key(|x| x.0);
        ClaimsProver { segs, num_vars: layout.num_vars, tail }
    }

    fn prove(mut self, t: &mut Transcript) -> (SumcheckProof, Vec<Fr>, Fr) {
        if self.num_vars == 0 {
            let (e, p) = self.tail.first().map_or((Fr::zero(), Fr::zero()), |x| (x.1, x.2));
            return prove_product_trimmed(vec![e], vec![p], 0, t);
        }
        let mut rounds = Vec::with_capacity(self.num_vars);
        let mut point: Vec<Fr> = Vec::with_capacity(self.num_vars);
        for j in 0..self.num_vars {
            let live = self.segs.partition_point(|s| s.1.vars > j);
            let mut g = self.segs[..live].par_iter_mut().map(|s| s.1.round(j, &point)).reduce(|| [Fr::zero(); 3], |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
            let gt = tail_round(&self.tail);
            g = [g[0] + gt[0], g[1] + gt[1], g[2] + gt[2]];
            if j == 0 {
                t.absorb_frs(b"sumcheck claim", &[g[0] + g[1], Fr::from(self.num_vars as u64), Fr::from(2u64)]);
            }
            t.absorb_frs(b"sumcheck round", &g);
            let r = t.challenge_fr();
            point.push(r);
            rounds.push(g.to_vec());
            // The next level's tail: the old tail folded, and the segments finishing now (vars = j + 1) at their
            // offsets' index there.
            let done = self.segs.partition_point(|s| s.1.vars > j + 1);
            let finished: Vec<(usize, Fr, Fr)> = self.segs[done..live].par_iter_mut().map(|(o, s)| {
                let (e, p) = s.finish(&point);
                (*o >> (j + 1), e, p)
            }).collect();
            self.segs.truncate(done);
            let mut next: Vec<(usize, Fr, Fr)> = tail_pairs_indexed(&self.tail).map(|(b, (e0, p0), (e1, p1))| (b, e0 + r * (e1 - e0), p0 + r * (p1 - p0))).collect();
            next.extend(finished);
            next.sort_by_key(|x| x.0);
            self.tail = next;
        }
        debug_assert!(self.segs.is_empty() && self.tail.len() <= 1);
        let p = self.tail.first().map_or(Fr::zero(), |x| x.2);
        (SumcheckProof { rounds }, point, p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::batch::{prove_batch, verify_batch};
    use super::super::mle::Mle;
    use super::super::sumcheck;
    use super::*;
    use ark_std::{rand::Rng, test_rng, UniformRand};

    /// The trimmed prover sends sumcheck.rs's messages for the zero-padded tables, whatever the live length.
    #[test]
    fn trimmed_product_sumcheck_matches_sumcheck_rs() {
        let mut rng = test_rng();
        for (k, len) in [(0, 0), (0, 1), (1, 1), (3, 5), (4, 16), (6, 33), (13, 5000)] {
            let e: Vec<Fr> = (0..len).map(|_| Fr::rand(&mut rng)).collect();
            let p: Vec<Fr> = (0..len).map(|_| Fr::rand(&mut rng)).collect();
            let pad = |v: &[Fr]| {
                let mut v = v.to_vec();
                v.resize(1 << k, Fr::zero());
                Mle { evals: v, num_vars: k }
            };
            let mut t1 = Transcript::new(b"t");
            let want = sumcheck::prove(vec![pad(&e), pad(&p)], &mut t1);
            let mut t2 = Transcript::new(b"t");
            let (proof, point, pe) = prove_product_trimmed(e, p, k, &mut t2);
            assert_eq!(proof, want.proof, "k {k} len {len}");
            assert_eq!(point, want.point);
            assert_eq!(pe, want.factor_evals[1]);
            assert_eq!(t1.state(), t2.state());
        }
    }

    fn sample_layout() -> Layout {
        Layout::new(&[(0, SegKind::Weights { rb: 0, cb: 0 }, 5), (0, SegKind::Bias, 2), (1, SegKind::Act, 2), (1, SegKind::Quot, 2), (1, SegKind::Rem, 2), (2, SegKind::Weights { rb: 0, cb: 0 }, 3), (3, SegKind::Bias, 0), (1, SegKind::MultAct, 1)])
    }

    #[test]
    fn segments_are_aligned_and_disjoint() {
        let l = sample_layout();
        // 32 + 8 + 4 * 4 + 2 + 1 = 59 -> 64.
        assert_eq!(l.num_vars, 6);
        let mut end = 0;
        for s in &l.segments {
            assert_eq!(s.offset % (1 << s.vars), 0);
            assert_eq!(s.offset, end);
            end += 1 << s.vars;
        }
        assert_eq!(l.segments[0].kind, SegKind::Weights { rb: 0, cb: 0 });
        assert_eq!(l.segments[2].kind, SegKind::Bias); // size 4: b before a, q, r
        assert_eq!(l.segments.last().unwrap().vars, 0);
    }

    /// A claim on a segment's own MLE, lifted, is the big MLE's value there: checked by direct evaluation.
    #[test]
    fn lift_agrees_with_direct_evaluation() {
        let mut rng = test_rng();
        let l = sample_layout();
        let mut big = vec![0i64; 1 << l.num_vars];
        let mut datas = Vec::new();
        for (i, s) in l.segments.iter().enumerate() {
            let len = (1usize << s.vars) - (s.vars > 1) as usize; // some segments not full
            let d: Vec<i64> = (0..len).map(|_| rng.gen_range(-1000..=1000)).collect();
            l.place(i, &d, &mut big);
            datas.push(d);
        }
        let p = Mle::from_i64(&big);
        for (i, s) in l.segments.iter().enumerate() {
            let local: Vec<Fr> = (0..s.vars).map(|_| Fr::rand(&mut rng)).collect();
            let want = Mle::from_i64(&datas[i]);
            let want = Mle { evals: { let mut e = want.evals; e.resize(1 << s.vars, Fr::zero()); e }, num_vars: s.vars }.evaluate(&local);
            assert_eq!(p.evaluate(&l.lift(i, &local)), want, "segment {i} {:?}", s.kind);
            // On the cube: the lifted Boolean point is the entry offset + j.
            let j = (1usize << s.vars) - 1;
            let bits: Vec<Fr> = (0..s.vars).map(|b| Fr::from(((j >> b) & 1) as u64)).collect();
            assert_eq!(p.evaluate(&l.lift(i, &bits)), Fr::from(big[s.offset + j]));
        }
    }

    #[test]
    fn chunked_commit_equals_commit() {
        let mut rng = test_rng();
        for k in [0, 3, 9, 12] {
            let params = HyraxParams::new(b"zkml-layout-test", k);
            let mut v: Vec<i64> = (0..1 << k).map(|_| rng.gen_range(-128..=127)).collect();
            if k > 0 {
                v[(1 << k) - 1] = 5000;
            }
            assert_eq!(commit_big(&params, &v), commit_i64(&params, &v), "k = {k}");
        }
    }

    /// The table prover prove_claims replaced: E built segment by segment, then prove_product_trimmed.
    fn prove_claims_tables(layout: &Layout, big: &[i64], claims: &Claims, t: &mut Transcript) -> (BatchProof, Vec<Fr>) {
        let used = layout.used();
        let flat: Vec<Fr> = claims.points(layout).iter().flatten().copied().collect();
        t.absorb_frs(b"batch points", &flat);
        t.absorb_frs(b"batch values", &claims.values());
        let alpha = t.challenge_fr();
        let mut e = vec![Fr::zero(); used];
        let mut power = Fr::one();
        for (seg, local, _) in &claims.items {
            let s = &layout.segments[*seg];
            for (a, b) in e[s.offset..s.offset + (1 << s.vars)].iter_mut().zip(eq_table(local)) {
                *a += power * b;
            }
            power *= alpha;
        }
        let p: Vec<Fr> = big[..used].iter().map(|&v| fr_from_i64(v)).collect();
        let (sumcheck, point, p_eval) = prove_product_trimmed(e, p, layout.num_vars, t);
        t.absorb_fr(b"batch eval", &p_eval);
        (BatchProof { sumcheck, p_eval }, point)
    }

    /// Random layouts (segments of 2^0..2^15 entries, narrow and wide values, zero to three claims a segment, some
    /// segments without any): the segment prover's messages, point and transcript are the table prover's.
    #[test]
    fn segment_prover_matches_the_table_prover() {
        let mut rng = test_rng();
        for case in 0..24 {
            let n = rng.gen_range(1..12);
            let mut req = Vec::new();
            for op in 0..n {
                let vars = match case % 4 {
                    0 => rng.gen_range(0..4),
                    1 => rng.gen_range(0..16),
                    _ => rng.gen_range(8..16),
                };
                req.push((op, SegKind::Weights { rb: 0, cb: 0 }, vars));
                if rng.gen_bool(0.3) {
                    req.push((op, SegKind::Bias, rng.gen_range(0..6)));
                }
            }
            let l = Layout::new(&req);
            let mut big = vec![0i64; l.used()];
            for (i, s) in l.segments.iter().enumerate() {
                let (lo, hi) = match (case + i) % 5 {
                    0 => (-128, 127),
                    1 => (0, 255),
                    2 => (-5000, 5000),
                    3 => (3, 3),
                    _ => (-(1 << 40), 1 << 40),
                };
                let len = (1usize << s.vars) - rng.gen_range(0..=(1usize << s.vars) / 3);
                let d: Vec<i64> = (0..len).map(|_| rng.gen_range(lo..=hi)).collect();
                l.place(i, &d, &mut big);
            }
            let mut claims = Claims::default();
            for _ in 0..rng.gen_range(1..3 * l.segments.len() + 1) {
                let seg = rng.gen_range(0..l.segments.len());
                if seg % 4 == 3 {
                    continue; // some segments have no claim
                }
                let local: Vec<Fr> = (0..l.segments[seg].vars).map(|_| Fr::rand(&mut rng)).collect();
                claims.add(seg, local, Fr::rand(&mut rng));
            }
            let mut t1 = Transcript::new(b"t");
            let a = prove_claims(&l, &big, &claims, &mut t1);
            let mut t2 = Transcript::new(b"t");
            let b = prove_claims_tables(&l, &big, &claims, &mut t2);
            assert_eq!(a, b, "case {case}: {:?}", l.segments.iter().map(|s| s.vars).collect::<Vec<_>>());
            assert_eq!(t1.state(), t2.state());
        }
    }

    /// A joint layout (two vectors of different sizes, either larger): the segment prover's messages are the table
    /// prover's, batch.rs's verifier accepts them, and the final value is (1 - j) M~(s) + j W~(s) at s's selector.
    #[test]
    fn joint_layout_merges_two_vectors() {
        let mut rng = test_rng();
        for (mv, wv) in [(6, 3), (3, 6), (5, 5), (0, 4), (7, 0)] {
            let ml = Layout::new(&[(0, SegKind::Weights { rb: 0, cb: 0 }, mv), (0, SegKind::Bias, mv.saturating_sub(2))]);
            let wl = Layout::new(&[(1, SegKind::Act, wv), (1, SegKind::Quot, wv), (1, SegKind::MultAct, 0)]);
            let j = ml.joint(&wl);
            let n = j.num_vars - 1;
            let fill = |l: &Layout, rng: &mut _| -> Vec<i64> {
                let mut big = vec![0i64; 1 << n];
                for i in 0..l.segments.len() {
                    let d: Vec<i64> = (0..1usize << l.segments[i].vars).map(|_| Rng::gen_range(rng, -300..=300)).collect();
                    l.place(i, &d, &mut big);
                }
                big
            };
            let (m, w) = (fill(&ml, &mut rng), fill(&wl, &mut rng));
            let big: Vec<i64> = m.iter().chain(&w).copied().collect();
            let p = Mle::from_i64(&big);
            let mut claims = Claims::default();
            for seg in 0..j.segments.len() {
                for _ in 0..1 + seg % 2 {
                    let local: Vec<Fr> = (0..j.segments[seg].vars).map(|_| Fr::rand(&mut rng)).collect();
                    let v = p.evaluate(&j.lift(seg, &local));
                    claims.add(seg, local, v);
                }
            }
            // a claim made on the model's own layout, lifted with zero high coordinates and selector 0, is the same
            let local: Vec<Fr> = (0..ml.segments[0].vars).map(|_| Fr::rand(&mut rng)).collect();
            let mut own = ml.lift(0, &local);
            own.resize(n, Fr::zero());
            own.push(Fr::zero());
            assert_eq!(own, j.lift(0, &local), "({mv}, {wv})");
            let mut t1 = Transcript::new(b"t");
            let a = prove_claims(&j, &big, &claims, &mut t1);
            let mut t2 = Transcript::new(b"t");
            let b = prove_claims_tables(&j, &big, &claims, &mut t2);
            assert_eq!(a, b, "({mv}, {wv})");
            let (s, v) = verify_batch(&a.0, &claims.points(&j), &claims.values(), j.num_vars, &mut Transcript::new(b"t")).unwrap();
            let sel = s[n];
            let want = (Fr::one() - sel) * Mle::from_i64(&m).evaluate(&s[..n]) + sel * Mle::from_i64(&w).evaluate(&s[..n]);
            assert_eq!(v, want, "({mv}, {wv})");
        }
    }

    /// The segment-wise prover sends exactly batch.rs's messages, and batch.rs's verifier accepts them.
    #[test]
    fn segment_batch_matches_batch_rs() {
        let mut rng = test_rng();
        let l = sample_layout();
        let big: Vec<i64> = (0..1 << l.num_vars).map(|i| if i < l.used() { rng.gen_range(-50..=50) } else { 0 }).collect();
        let p = Mle::from_i64(&big);
        let mut claims = Claims::default();
        for seg in [0, 3, 0, 6, 2] {
            let local: Vec<Fr> = (0..l.segments[seg].vars).map(|_| Fr::rand(&mut rng)).collect();
            let v = p.evaluate(&l.lift(seg, &local));
            claims.add(seg, local, v);
        }
        let mut t1 = Transcript::new(b"t");
        let (a, s1) = prove_claims(&l, &big, &claims, &mut t1);
        let mut t2 = Transcript::new(b"t");
        let (b, s2) = prove_batch(&p, &claims.points(&l), &claims.values(), &mut t2);
        assert_eq!((a.clone(), s1.clone()), (b, s2));
        assert_eq!(t1.state(), t2.state());
        let (s, v) = verify_batch(&a, &claims.points(&l), &claims.values(), l.num_vars, &mut Transcript::new(b"t")).unwrap();
        assert_eq!(s, s1);
        assert_eq!(v, p.evaluate(&s));
    }
}
