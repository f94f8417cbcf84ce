//! Convolutions and sum pools: their geometry, runIR's meaning of them, and the "wiring" sumcheck that carries a
//! claim across a fixed linear map.
//!
//! The wiring sumcheck. For a public matrix M with few non-zeros per row (a copy or a sum of copies) and u = M x,
//! a claim u~(r) = v becomes `sum_j g(j) x~(j) = v` with g(j) = sum_i eq(r, i) M[i][j]: a degree-2 sumcheck over
//! x's variables, ending on g~(r') x~(r'). The prover sends x~(r') (absorbed as "wiring eval"); the verifier
//! builds g itself from the geometry (O(non-zeros)) and evaluates it at r', so nothing about M is taken from the
//! prover. This is GKR's wiring predicate for the three maps a CNN needs (`Wiring`):
//! - `Unpad`: a conv's output y (runIR's flat [f][p], p < P = oh * ow) from Z, the same values with each channel's
//!   run padded to P' = 2^ceil(log2 P) (Z[f P' + p]), the layout the matrix product below leaves its claim in.
//!   When P is a power of two the two layouts are one and no wiring is sent.
//! - `Im2col`: X'[t P' + p] = x[c h w + iy w + ix], t = (c kh + ky) kw + kx the tap, p = oy ow + ox, (iy, ix) =
//!   (oy sh + ky - ph, ox sw + kx - pw) when in bounds (zero padding: no entry otherwise). Never materialised.
//! - `Pool`: a sum pool, y[c P + p] = sum of its window's taps (no padding).
//!
//! A conv layer is then Z = W X' + b 1^T: Z~(rp, rf) = sum_t W~(rf, t) X'~(t, rp) + b~(rf) S(rp), S(rp) =
//! sum_{p < P} eq(rp, p), which is dense.rs's matrix-vector sumcheck over W (F x T, T = c kh kw: the weights'
//! own [f][c][ky][kx] order, committed in the same blocks as a dense layer's) with the vector a(t) = X'~(t, rp);
//! it ends on W's blocks and on X'~(rp || sigma), which `Im2col`'s wiring takes to x. Prover work per conv:
//! O(T P) for a and for g (the size of im2col, never stored), O(F T) for W's fold.

use super::error::VerifyError;
use super::mle::{eq_table, log2_ceil, Mle};
use super::sumcheck::{self, SumcheckProof};
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::{One, Zero};
use rayon::prelude::*;

/// The most entries a window's im2col (taps x output positions x channels) may have.
pub const MAX_WINDOW_ENTRIES: usize = 1 << 30;

/// A 2-D window over a channel-major [c][h][w] input: a conv's (with zero padding) or a sum pool's (none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub c: usize,
    pub h: usize,
    pub w: usize,
    pub kh: usize,
    pub kw: usize,
    pub sh: usize,
    pub sw: usize,
    pub ph: usize,
    pub pw: usize,
}

impl Window {
    /// The output's (oh, ow), or why the geometry is refused: every size at least 1, padding below the kernel
    /// (a window of padding only has no input), the kernel within the padded input, im2col within 2^30 entries.
    pub fn check(&self) -> Result<(usize, usize), String> {
        let Window { c, h, w, kh, kw, sh, sw, ph, pw } = *self;
        if [c, h, w, kh, kw, sh, sw].contains(&0) {
            return Err(format!("window {self:?}: every size and stride must be at least 1"));
        }
        if ph >= kh || pw >= kw {
            return Err(format!("window {self:?}: padding must be below the kernel"));
        }
        if h + 2 * ph < kh || w + 2 * pw < kw {
            return Err(format!("window {self:?}: the kernel is larger than the padded input"));
        }
        let (oh, ow) = ((h + 2 * ph - kh) / sh + 1, (w + 2 * pw - kw) / sw + 1);
        let product = |v: &[usize]| v.iter().try_fold(1usize, |a, &b| a.checked_mul(b)).filter(|&e| e <= MAX_WINDOW_ENTRIES);
        if product(&[c, kh, kw, oh, ow]).is_none() || product(&[c, h, w]).is_none() {
            return Err(format!("window {self:?}: more than 2^30 im2col or input entries"));
        }
        Ok((oh, ow))
    }

    /// The output positions P = oh * ow (the geometry must have passed `check`).
    pub fn positions(&self) -> usize {
        let (oh, ow) = self.check().expect("a checked window");
        oh * ow
    }

    /// The taps of one channel, kh * kw.
    pub fn taps(&self) -> usize {
        self.kh * self.kw
    }

    /// The input's length c * h * w.
    pub fn in_len(&self) -> usize {
        self.c * self.h * self.w
    }

    /// For every output position p and tap (ky, kx) of one channel, the input's spatial index iy * w + ix, or
    /// None in the padding; indexed [tap][p] (tap = ky kw + kx).
    pub fn sources(&self) -> Vec<Vec<Option<usize>>> {
        let (oh, ow) = self.check().expect("a checked window");
        let mut out = Vec::with_capacity(self.taps());
        for ky in 0..self.kh {
            for kx in 0..self.kw {
                let mut row = Vec::with_capacity(oh * ow);
                for oy in 0..oh {
                    for ox in 0..ow {
                        let (iy, ix) = ((oy * self.sh + ky) as isize - self.ph as isize, (ox * self.sw + kx) as isize - self.pw as isize);
                        row.push((iy >= 0 && ix >= 0 && (iy as usize) < self.h && (ix as usize) < self.w).then(|| iy as usize * self.w + ix as usize));
                    }
                }
                out.push(row);
            }
        }
        out
    }
}

/// runIR's conv2d: y[f P + p] = b[f] + sum over in-bounds taps of w[f T + t] x[c h w + src], in i128, each
/// output checked into i64.
pub fn conv_run(win: &Window, f: usize, w: &[i64], b: &[i64], x: &[i64]) -> Result<Vec<i64>, String> {
    let (srcs, p_len, hw, t_len) = (win.sources(), win.positions(), win.h * win.w, win.c * win.taps());
    let out: Vec<Result<Vec<i64>, String>> = (0..f)
        .into_par_iter()
        .map(|fi| {
            let mut acc = vec![b[fi] as i128; p_len];
            for c in 0..win.c {
                for (tap, row) in srcs.iter().enumerate() {
                    let wt = w[fi * t_len + c * win.taps() + tap] as i128;
                    if wt == 0 {
                        continue;
                    }
                    let xc = &x[c * hw..(c + 1) * hw];
                    for (a, s) in acc.iter_mut().zip(row) {
                        if let Some(s) = s {
                            *a += wt * xc[*s] as i128;
                        }
                    }
                }
            }
            acc.into_iter().enumerate().map(|(p, s)| i64::try_from(s).map_err(|_| format!("conv sum {s} at [{}] outside i64", fi * p_len + p))).collect()
        })
        .collect();
    Ok(out.into_iter().collect::<Result<Vec<_>, _>>()?.concat())
}

/// runIR's maxpool2d: y[c P + p] = the max of the window (no padding: every tap in bounds).
pub fn maxpool_run(win: &Window, x: &[i64]) -> Vec<i64> {
    let (srcs, hw) = (win.sources(), win.h * win.w);
    let mut out = Vec::with_capacity(win.c * win.positions());
    for c in 0..win.c {
        let xc = &x[c * hw..(c + 1) * hw];
        out.extend((0..win.positions()).map(|p| srcs.iter().filter_map(|row| row[p]).map(|s| xc[s]).max().expect("a window has a tap")));
    }
    out
}

/// A max pool's differences d_tap[c P + p] = y[c P + p] - x[c h w + src(tap, p)], one run per tap, each run
/// padded to 2^ceil(log2 (c P)) and the taps to a power of two (zero runs): the column its proof commits.
pub fn maxpool_diffs(win: &Window, x: &[i64], y: &[i64]) -> Vec<i64> {
    let (srcs, hw, pl) = (win.sources(), win.h * win.w, win.positions());
    let run = 1usize << log2_ceil(win.c * pl);
    let mut d = vec![0i64; run << log2_ceil(win.taps())];
    for (tap, row) in srcs.iter().enumerate() {
        for c in 0..win.c {
            for p in 0..pl {
                let s = row[p].expect("no padding in a max pool");
                d[tap * run + c * pl + p] = y[c * pl + p] - x[c * hw + s];
            }
        }
    }
    d
}

/// maxpool_diffs for a batch: sample b's run of tap t at t (n' Y') + b Y' (Y' = 2^ceil(log2 (c P)), n' the
/// samples padded to a power of two): the taps' bits highest, then the samples', then the position's.
pub fn maxpool_diffs_batch(win: &Window, xs: &[&[i64]], ys: &[&[i64]]) -> Vec<i64> {
    let yp = 1usize << log2_ceil(win.c * win.positions());
    let run = yp << log2_ceil(xs.len());
    let taps = 1usize << log2_ceil(win.taps());
    let mut d = vec![0i64; run * taps];
    for (b, (x, y)) in xs.iter().zip(ys).enumerate() {
        let db = maxpool_diffs(win, x, y);
        for tap in 0..taps {
            d[tap * run + b * yp..tap * run + (b + 1) * yp].copy_from_slice(&db[tap * yp..(tap + 1) * yp]);
        }
    }
    d
}

/// runIR's sumpool2d: y[c P + p] = the sum of the window's in-bounds taps.
pub fn pool_run(win: &Window, x: &[i64]) -> Vec<i64> {
    let (srcs, hw) = (win.sources(), win.h * win.w);
    let mut out = Vec::with_capacity(win.c * win.positions());
    for c in 0..win.c {
        let xc = &x[c * hw..(c + 1) * hw];
        out.extend((0..win.positions()).map(|p| srcs.iter().filter_map(|row| row[p]).map(|s| xc[s]).sum::<i64>()));
    }
    out
}

/// sum_{p < len} eq(r, p): the MLE of the indicator of [0, len) at r (a conv's bias broadcast over its positions).
pub fn prefix_eq_sum(r: &[Fr], len: usize) -> Fr {
    eq_table(r)[..len].iter().sum()
}

/// The vector a(t) = sum_{p < P} eq(rp, p) X'[t][p] = X'~(t, rp) for t < T = c kh kw (a conv's matrix product's
/// input, folded along the output positions).
pub fn im2col_fold(win: &Window, x: &[Fr], eq_p: &[Fr]) -> Vec<Fr> {
    let (srcs, hw) = (win.sources(), win.h * win.w);
    (0..win.c * win.taps())
        .into_par_iter()
        .map(|t| {
            let (c, tap) = (t / win.taps(), t % win.taps());
            let xc = &x[c * hw..(c + 1) * hw];
            let mut s = Fr::zero();
            for (p, src) in srcs[tap].iter().enumerate() {
                if let Some(j) = src {
                    let v = xc[*j];
                    if !v.is_zero() {
                        s += eq_p[p] * v;
                    }
                }
            }
            s
        })
        .collect()
}

/// A fixed linear map u = M x that a wiring sumcheck crosses (module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wiring {
    /// y[f P + p] = Z[f P' + p], f < rows, p < P = cols, P' = 2^ceil(log2 P).
    Unpad { rows: usize, cols: usize },
    /// X'[t P' + p] = x[c h w + src(tap, p)], t = c kh kw + tap; the point is (rp || rt): log2 P' then
    /// log2_ceil(T) coordinates.
    Im2col { win: Window },
    /// y[c P + p] = sum over taps of x[c h w + src(tap, p)].
    Pool { win: Window },
    /// y[c P + p] = sum over taps of gamma^tap x[c h w + src(tap, p)]: a max pool's taps combined by gamma.
    Taps { win: Window, gamma: Fr },
}

impl Wiring {
    /// x's length (the sumcheck runs over log2_ceil of it).
    pub fn in_len(&self) -> usize {
        match *self {
            Wiring::Unpad { rows, cols } => (1 << log2_ceil(rows)) * (1 << log2_ceil(cols)),
            Wiring::Im2col { win } | Wiring::Pool { win } | Wiring::Taps { win, .. } => win.in_len(),
        }
    }

    /// The coordinates of u's point.
    pub fn out_vars(&self) -> usize {
        match *self {
            Wiring::Unpad { rows, cols } => log2_ceil(rows * cols),
            Wiring::Im2col { win } => log2_ceil(win.positions()) + log2_ceil(win.c * win.taps()),
            Wiring::Pool { win } | Wiring::Taps { win, .. } => log2_ceil(win.c * win.positions()),
        }
    }

    /// g(j) = sum_i eq(r, i) M[i][j] for every j (2^log2_ceil(in_len) entries).
    pub fn table(&self, r: &[Fr]) -> Vec<Fr> {
        assert_eq!(r.len(), self.out_vars(), "wiring point of the wrong length");
        let mut g = vec![Fr::zero(); 1 << log2_ceil(self.in_len())];
        match *self {
            Wiring::Unpad { rows, cols } => {
                let (eq, pp) = (eq_table(r), 1 << log2_ceil(cols));
                for f in 0..rows {
                    g[f * pp..f * pp + cols].copy_from_slice(&eq[f * cols..(f + 1) * cols]);
                }
            }
            Wiring::Im2col { win } => {
                let lp = log2_ceil(win.positions());
                let (eq_p, eq_t, srcs, hw) = (eq_table(&r[..lp]), eq_table(&r[lp..]), win.sources(), win.h * win.w);
                g[..win.in_len()].par_chunks_mut(hw).enumerate().for_each(|(c, gc)| {
                    for (tap, row) in srcs.iter().enumerate() {
                        let et = eq_t[c * win.taps() + tap];
                        for (p, src) in row.iter().enumerate() {
                            if let Some(j) = src {
                                gc[*j] += et * eq_p[p];
                            }
                        }
                    }
                });
            }
            Wiring::Pool { win } => pool_table(&win, r, &vec![Fr::one(); win.taps()], &mut g),
            Wiring::Taps { win, gamma } => {
                let powers: Vec<Fr> = std::iter::successors(Some(Fr::one()), |p| Some(*p * gamma)).take(win.taps()).collect();
                pool_table(&win, r, &powers, &mut g)
            }
        }
        g
    }
}

/// g(j) = sum over taps t and positions (c, p) reading x[j] of coef[t] eq(r, c P + p): a pool's map transposed.
fn pool_table(win: &Window, r: &[Fr], coef: &[Fr], g: &mut [Fr]) {
    let (eq, srcs, hw, pl) = (eq_table(r), win.sources(), win.h * win.w, win.positions());
    g[..win.in_len()].par_chunks_mut(hw).enumerate().for_each(|(c, gc)| {
        for (row, k) in srcs.iter().zip(coef) {
            for (p, src) in row.iter().enumerate() {
                if let Some(j) = src {
                    gc[*j] += *k * eq[c * pl + p];
                }
            }
        }
    });
}

/// A wiring sumcheck's messages and the evaluation it ends on, x~(r').
#[derive(Clone, Debug, PartialEq)]
pub struct WiringProof {
    pub sumcheck: SumcheckProof,
    pub x_eval: Fr,
}

/// A batch of `n` samples (network.rs): each sample's vector padded to a power of two, the samples' bits high. The
/// map acts on each sample alike, so its table for the point (r_local || r_b) is g(r_local) for every sample,
/// weighed by eq(r_b, b): sample b's run of the table is eq(r_b, b) g.
pub fn batch_table(wiring: &Wiring, r: &[Fr], n: usize) -> Vec<Fr> {
    let bv = log2_ceil(n);
    assert_eq!(r.len(), wiring.out_vars() + bv, "wiring point of the wrong length");
    let (local, rb) = r.split_at(wiring.out_vars());
    let g = wiring.table(local);
    if bv == 0 {
        return g;
    }
    eq_table(rb).iter().flat_map(|e| g.iter().map(move |v| *e * v)).collect()
}

/// Proves u~(r) = sum_j g(j) x~(j) for u = M x over a batch of `n` samples (x: each sample's input padded to
/// 2^ceil(log2 in_len), then the samples padded to a power of two); returns the proof and (r', x~(r')), the claim
/// on x.
pub fn prove_wiring(wiring: &Wiring, r: &[Fr], x: &[i64], n: usize, t: &mut Transcript) -> (WiringProof, Vec<Fr>, Fr) {
    assert!(x.len() == wiring.in_len() || x.len() == (1 << log2_ceil(wiring.in_len())) << log2_ceil(n), "wiring input of the wrong length");
    let out = sumcheck::prove(vec![Mle::new(batch_table(wiring, r, n)), Mle::from_i64(x)], t);
    let x_eval = out.factor_evals[1];
    t.absorb_fr(b"wiring eval", &x_eval);
    (WiringProof { sumcheck: out.proof, x_eval }, out.point, x_eval)
}

/// Checks a wiring proof of u~(r) = `claim`: the sumcheck (degree 2, over x's variables) and its final value
/// against g~(r') (built here) times the sent x~(r'); returns (r', x~(r')), the claim the caller carries on.
pub fn verify_wiring(wiring: &Wiring, proof: &WiringProof, r: &[Fr], claim: Fr, n: usize, t: &mut Transcript) -> Result<(Vec<Fr>, Fr), VerifyError> {
    let bv = log2_ceil(n);
    if r.len() != wiring.out_vars() + bv {
        return Err(VerifyError::Shape { what: "wiring point", got: r.len(), expected: wiring.out_vars() + bv });
    }
    let (r2, value) = sumcheck::verify(&proof.sumcheck, claim, log2_ceil(wiring.in_len()) + bv, 2, t)?;
    if value != Mle::new(batch_table(wiring, r, n)).evaluate(&r2) * proof.x_eval {
        return Err(VerifyError::FinalValue { what: "wiring (a conv's or pool's copy map)" });
    }
    t.absorb_fr(b"wiring eval", &proof.x_eval);
    Ok((r2, proof.x_eval))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::{rand::Rng, test_rng, UniformRand};

    fn random_win(rng: &mut impl Rng, pad: bool) -> Window {
        let (kh, kw) = (rng.gen_range(1..=3), rng.gen_range(1..=3));
        Window {
            c: rng.gen_range(1..=3),
            h: rng.gen_range(kh..=7),
            w: rng.gen_range(kw..=7),
            kh,
            kw,
            sh: rng.gen_range(1..=2),
            sw: rng.gen_range(1..=2),
            ph: if pad { rng.gen_range(0..kh) } else { 0 },
            pw: if pad { rng.gen_range(0..kw) } else { 0 },
        }
    }

    /// The map's matrix applied directly: u = M x, from the same sources the tables use.
    fn apply(wiring: &Wiring, x: &[i64]) -> Vec<i64> {
        match *wiring {
            Wiring::Unpad { rows, cols } => {
                let pp = 1 << log2_ceil(cols);
                (0..rows * cols).map(|i| x[(i / cols) * pp + i % cols]).collect()
            }
            Wiring::Im2col { win } => {
                let (srcs, pl, pp, hw) = (win.sources(), win.positions(), 1 << log2_ceil(win.positions()), win.h * win.w);
                let mut u = vec![0i64; win.c * win.taps() * pp];
                for c in 0..win.c {
                    for (tap, row) in srcs.iter().enumerate() {
                        for p in 0..pl {
                            if let Some(j) = row[p] {
                                u[(c * win.taps() + tap) * pp + p] = x[c * hw + j];
                            }
                        }
                    }
                }
                u
            }
            Wiring::Pool { win } => pool_run(&win, x),
            Wiring::Taps { .. } => unreachable!("the test combines the taps itself"),
        }
    }

    /// Each map's table is g = M^T eq(r): u~(r) = <g, x> for random x, so the sumcheck's claim is u~(r).
    #[test]
    fn tables_are_the_transposed_maps() {
        let mut rng = test_rng();
        for i in 0..30 {
            let win = random_win(&mut rng, i % 2 == 0);
            let pool = Window { ph: 0, pw: 0, ..win };
            let gamma = Fr::rand(&mut rng);
            for wiring in [Wiring::Unpad { rows: win.c + 1, cols: win.positions() }, Wiring::Im2col { win }, Wiring::Pool { win: pool }, Wiring::Taps { win: pool, gamma }] {
                let x: Vec<i64> = (0..wiring.in_len()).map(|_| rng.gen_range(-50..50)).collect();
                let r: Vec<Fr> = (0..wiring.out_vars()).map(|_| Fr::rand(&mut rng)).collect();
                let lhs = match wiring {
                    // sum_t gamma^t (S_t x)~(r): each tap's copy of x, combined
                    Wiring::Taps { win, gamma } => {
                        let (srcs, hw, pl) = (win.sources(), win.h * win.w, win.positions());
                        let mut acc = Fr::zero();
                        let mut power = Fr::one();
                        for row in &srcs {
                            let u: Vec<i64> = (0..win.c * pl).map(|i| x[(i / pl) * hw + row[i % pl].unwrap()]).collect();
                            acc += power * Mle::from_i64(&u).evaluate(&r);
                            power *= gamma;
                        }
                        acc
                    }
                    _ => Mle::from_i64(&apply(&wiring, &x)).evaluate(&r),
                };
                let g = wiring.table(&r);
                let rhs: Fr = g.iter().zip(&x).map(|(a, &b)| *a * Fr::from(b)).sum();
                assert_eq!(lhs, rhs, "{wiring:?}");
            }
        }
    }

    #[test]
    fn wiring_proofs_verify_and_tampering_fails() {
        let mut rng = test_rng();
        let win = Window { c: 2, h: 5, w: 6, kh: 3, kw: 2, sh: 1, sw: 2, ph: 1, pw: 1 };
        for wiring in [Wiring::Unpad { rows: 3, cols: 5 }, Wiring::Im2col { win }, Wiring::Pool { win: Window { ph: 0, pw: 0, ..win } }] {
            let x: Vec<i64> = (0..wiring.in_len()).map(|_| rng.gen_range(-50..50)).collect();
            let r: Vec<Fr> = (0..wiring.out_vars()).map(|_| Fr::rand(&mut rng)).collect();
            let claim = Mle::from_i64(&apply(&wiring, &x)).evaluate(&r);
            let (proof, r2, xe) = prove_wiring(&wiring, &r, &x, 1, &mut Transcript::new(b"w"));
            assert_eq!(xe, Mle::from_i64(&x).evaluate(&r2));
            assert_eq!(verify_wiring(&wiring, &proof, &r, claim, 1, &mut Transcript::new(b"w")).unwrap(), (r2, xe));
            assert!(verify_wiring(&wiring, &proof, &r, claim + Fr::from(1u64), 1, &mut Transcript::new(b"w")).is_err());
            let mut bad = proof.clone();
            bad.x_eval += Fr::from(1u64);
            assert!(verify_wiring(&wiring, &bad, &r, claim, 1, &mut Transcript::new(b"w")).is_err());
            let mut bad = proof.clone();
            bad.sumcheck.rounds[0][1] += Fr::from(1u64);
            assert!(verify_wiring(&wiring, &bad, &r, claim, 1, &mut Transcript::new(b"w")).is_err());
        }
    }

    /// conv_run against the definition written out tap by tap; the fold a(t) against X' folded directly.
    #[test]
    fn conv_and_fold_match_their_definitions() {
        let mut rng = test_rng();
        for i in 0..20 {
            let win = random_win(&mut rng, i % 2 == 1);
            let f = rng.gen_range(1..=3);
            let t_len = win.c * win.taps();
            let (w, b): (Vec<i64>, Vec<i64>) = ((0..f * t_len).map(|_| rng.gen_range(-9..9)).collect(), (0..f).map(|_| rng.gen_range(-9..9)).collect());
            let x: Vec<i64> = (0..win.in_len()).map(|_| rng.gen_range(-9..9)).collect();
            let (oh, ow) = win.check().unwrap();
            let y = conv_run(&win, f, &w, &b, &x).unwrap();
            for fi in 0..f {
                for oy in 0..oh {
                    for ox in 0..ow {
                        let mut s = b[fi];
                        for c in 0..win.c {
                            for ky in 0..win.kh {
                                for kx in 0..win.kw {
                                    let (iy, ix) = ((oy * win.sh + ky) as isize - win.ph as isize, (ox * win.sw + kx) as isize - win.pw as isize);
                                    if iy >= 0 && ix >= 0 && (iy as usize) < win.h && (ix as usize) < win.w {
                                        s += w[fi * t_len + (c * win.kh + ky) * win.kw + kx] * x[(c * win.h + iy as usize) * win.w + ix as usize];
                                    }
                                }
                            }
                        }
                        assert_eq!(y[(fi * oh + oy) * ow + ox], s);
                    }
                }
            }
            let lp = log2_ceil(win.positions());
            let rp: Vec<Fr> = (0..lp).map(|_| Fr::rand(&mut rng)).collect();
            let a = im2col_fold(&win, &x.iter().map(|&v| Fr::from(v)).collect::<Vec<_>>(), &eq_table(&rp));
            let xp = apply(&Wiring::Im2col { win }, &x);
            let pp = 1 << lp;
            for (tt, at) in a.iter().enumerate() {
                assert_eq!(*at, Mle::from_i64(&xp[tt * pp..(tt + 1) * pp]).evaluate(&rp));
            }
        }
    }
}
