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
//! runs batch.rs's protocol (same transcript, same messages; checked by `batch::verify_batch`) but builds
//! E(x) = sum_k alpha^k eq(z_k, x) segment by segment: eq(p || h, x) vanishes outside the segment, so each claim costs
//! its segment's size, not 2^K, and the sumcheck runs over the entries in use only (`Layout::used`; both E and P
//! are zero past them), with exactly sumcheck.rs's messages (degree 2).

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
/// with E built segment by segment and the sumcheck over the entries in use. `big` is the committed vector (at
/// least `layout.used()` entries). Returns the proof and the point s at which the big vector must be opened.
pub fn prove_claims(layout: &Layout, big: &[i64], claims: &Claims, t: &mut Transcript) -> (BatchProof, Vec<Fr>) {
    let used = layout.used();
    let points = claims.points(layout);
    let flat: Vec<Fr> = points.iter().flatten().copied().collect();
    t.absorb_frs(b"batch points", &flat);
    t.absorb_frs(b"batch values", &claims.values());
    let alpha = t.challenge_fr();
    let mut e = vec![Fr::zero(); used];
    let mut power = Fr::one();
    for (seg, local, _) in &claims.items {
        let s = &layout.segments[*seg];
        let eqz = eq_table(local);
        let dst = &mut e[s.offset..s.offset + (1 << s.vars)];
        if dst.len() >= PAR_THRESHOLD {
            dst.par_iter_mut().zip(eqz.par_iter()).for_each(|(a, b)| *a += power * b);
        } else {
            dst.iter_mut().zip(&eqz).for_each(|(a, b)| *a += power * b);
        }
        power *= alpha;
    }
    let p: Vec<Fr> = big[..used].par_iter().map(|&v| fr_from_i64(v)).collect();
    let (sumcheck, point, p_eval) = prove_product_trimmed(e, p, layout.num_vars, t);
    t.absorb_fr(b"batch eval", &p_eval);
    (BatchProof { sumcheck, p_eval }, point)
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
