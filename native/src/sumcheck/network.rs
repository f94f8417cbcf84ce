//! A fully connected network's proof (paper0's statement): the input x and output y public, every weight and bias
//! private. The network is `Network { input_len, ops }` with dense, requant and flatten ops; `run` is runIR
//! (src/ir/ir.ts) for these ops.
//!
//! NOT YET SOUND FOR REQUANT: a requant's output a and its q, r are committed and z = 2^s q + r is checked, but the
//! lookups that tie a = act(q) and 0 <= r < 2^s are not run yet (logup.rs / requant.rs, in progress). Until they are,
//! a prover can choose any a (and any split of z into q, r) at a requant, so a proof through a requant binds only the
//! linear parts. A network with no requant (dense and flatten only) is sound; nothing is zero knowledge yet.
//!
//! Committed (one Hyrax commitment, layout.rs): every dense W (padded) and b, every requant's q, r and a.
//!
//! Transcript (keccak256, transcript.rs), in order:
//! 1. `Transcript::new(DOMAIN_TAG)`; `absorb_bytes("arch", arch_hash)` (32 bytes, `Arch::hash`);
//!    `absorb_frs("input", x)`; `absorb_frs("output", y)`; the commitment's rows ("hyrax commitment").
//! 2. rho = log2_ceil(len y) challenges; the claim on the last op's output is y~(rho), computed by the verifier.
//! 3. Ops from the last to the first, with a claim (point p, value c) on the op's output:
//!    - flatten: the claim passes to its input unchanged;
//!    - requant (shift s): (a's segment, p, c) joins the accumulator; the prover sends q~(p), r~(p)
//!      (`absorb_frs("requant evals", [q, r])`), both join the accumulator, and the claim on its input z is
//!      (p, 2^s q~(p) + r~(p));
//!    - dense (m x n): the prover sends b~(p) (`absorb_fr("dense bias", b)`), which joins the accumulator; dense.rs's
//!      sumcheck proves c - b~(p) = sum_j W~(p, j) a~(j) and ends on W~(p, sigma) (joins the accumulator at
//!      sigma || p) and a~(sigma), the claim (sigma, a~(sigma)) on its input.
//! 4. The claim left on x: the verifier evaluates x~ itself and compares.
//! 5. Every accumulated claim, lifted to the big MLE, merged into one point (batch.rs), and one Hyrax opening there.
//!
//! Proof bytes (`NetworkProof::to_bytes`): 32-byte big-endian words, points as 64 bytes (x then y, the identity as
//! zeros): `version` (= 1); `R`, then R commitment rows; `L`, then per layer proof (from the last op down, flatten
//! ops have none) `kind` (1 dense, 2 requant), then for dense `b~(p)`, `k`, `e`, k x e round evaluations,
//! `W~(p, sigma)`, `a~(sigma)`; for requant `q~(p)`, `r~(p)`; the batch's `k`, `e`, k x e round evaluations, `P(s)`;
//! the opening's `n` and its n elements. Counts are words; every field word must be below its modulus, every point
//! on the curve; nothing may follow.

use super::batch::{verify_batch, BatchProof};
use super::dense::{pad_matrix, prove_dense, verify_dense, DenseProof};
use super::error::VerifyError;
use super::hyrax::{open_i64, verify_opening, HyraxCommitment, HyraxOpening, HyraxParams};
use super::layout::{commit_big, prove_claims, Claims, Layout, SegKind};
use super::mle::{fr_from_i64, log2_ceil, Mle};
use super::sumcheck::SumcheckProof;
use super::transcript::{fr_to_be32, g1_to_be64, Transcript};
use ark_bn254::{Fq, Fr, G1Affine};
use ark_ff::PrimeField;
use sha3::{Digest, Keccak256};
use std::fmt;

/// The transcript's domain tag.
pub const DOMAIN_TAG: &[u8] = b"zkml-sumcheck-fc-v1";
/// The Hyrax generators' tag.
pub const HYRAX_TAG: &[u8] = b"zkml-sumcheck-hyrax-v1";
/// The first word of a serialized proof.
pub const PROOF_VERSION: u64 = 1;
/// The architecture encoding's version (the first word hashed).
pub const ARCH_VERSION: u64 = 1;

/// One op of the network (runIR's meaning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// y[o] = b[o] + sum_i w[o * n + i] x[i]; w row-major m x n.
    Dense { m: usize, n: usize, w: Vec<i64>, b: Vec<i64> },
    /// y = floor(x / 2^shift), then max(y, 0) if relu, then saturated to `clamp` bits; x must fit `bits` signed bits.
    Requant { shift: u32, relu: bool, bits: u32, clamp: Option<u32> },
    /// Reshape only.
    Flatten,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub input_len: usize,
    pub ops: Vec<Op>,
}

/// An op without its weights: what the verifier knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchOp {
    Dense { m: usize, n: usize },
    Requant { shift: u32, relu: bool, bits: u32, clamp: Option<u32> },
    Flatten,
}

/// The public architecture: everything but the weights and biases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arch {
    pub input_len: usize,
    pub ops: Vec<ArchOp>,
}

/// runIR's requant of one value: floor(z / 2^shift) (an arithmetic shift floors negatives too), then ReLU, then the
/// clamp: [0, 2^A - 1] after ReLU, [-2^(A-1), 2^(A-1) - 1] without.
pub fn requant_value(z: i64, shift: u32, relu: bool, clamp: Option<u32>) -> i64 {
    let mut y = z >> shift;
    if relu && y < 0 {
        y = 0;
    }
    match clamp {
        None => y,
        Some(a) => {
            let (lo, hi) = if relu { (0, (1i64 << a) - 1) } else { (-(1i64 << (a - 1)), (1i64 << (a - 1)) - 1) };
            y.clamp(lo, hi)
        }
    }
}

fn word(v: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&v.to_be_bytes());
    w
}

impl Arch {
    /// Checks the shapes chain and the parameters' ranges; returns each op's output length.
    pub fn check(&self) -> Result<Vec<usize>, String> {
        if self.input_len == 0 {
            return Err("input_len must be at least 1".into());
        }
        let mut len = self.input_len;
        let mut lens = Vec::with_capacity(self.ops.len());
        for (k, op) in self.ops.iter().enumerate() {
            match *op {
                ArchOp::Dense { m, n } => {
                    if n != len || m == 0 {
                        return Err(format!("ops[{k}] dense {m}x{n}: its input has {len} values"));
                    }
                    len = m;
                }
                ArchOp::Requant { shift, bits, clamp, .. } => {
                    if shift > 62 || bits < shift + 1 || bits > 63 {
                        return Err(format!("ops[{k}] requant: shift {shift}, bits {bits} (need shift <= 62, shift + 1 <= bits <= 63)"));
                    }
                    if let Some(a) = clamp {
                        if !(1..=62).contains(&a) {
                            return Err(format!("ops[{k}] requant: clamp {a} outside 1..=62"));
                        }
                    }
                }
                ArchOp::Flatten => {}
            }
            lens.push(len);
        }
        Ok(lens)
    }

    /// keccak256 of the architecture's words (32-byte big-endian): ARCH_VERSION, input_len, the op count, then per
    /// op: dense `1, m, n`; requant `2, shift, relu (0/1), bits, clamp (0 for none)`; flatten `3`.
    pub fn hash(&self) -> [u8; 32] {
        let mut h = Keccak256::new();
        for v in [ARCH_VERSION, self.input_len as u64, self.ops.len() as u64] {
            h.update(word(v));
        }
        for op in &self.ops {
            let ws: Vec<u64> = match *op {
                ArchOp::Dense { m, n } => vec![1, m as u64, n as u64],
                ArchOp::Requant { shift, relu, bits, clamp } => vec![2, shift as u64, relu as u64, bits as u64, clamp.unwrap_or(0) as u64],
                ArchOp::Flatten => vec![3],
            };
            for v in ws {
                h.update(word(v));
            }
        }
        h.finalize().into()
    }

    /// The committed segments: per dense op W (log m + log n variables) and b (log m); per requant a, q, r.
    pub fn layout(&self) -> Layout {
        let lens = self.check().expect("a valid architecture");
        let mut req = Vec::new();
        for (k, op) in self.ops.iter().enumerate() {
            match *op {
                ArchOp::Dense { m, n } => {
                    req.push((k, SegKind::Weights, log2_ceil(m) + log2_ceil(n)));
                    req.push((k, SegKind::Bias, log2_ceil(m)));
                }
                ArchOp::Requant { .. } => {
                    for kind in [SegKind::Act, SegKind::Quot, SegKind::Rem] {
                        req.push((k, kind, log2_ceil(lens[k])));
                    }
                }
                ArchOp::Flatten => {}
            }
        }
        Layout::new(&req)
    }

    /// The output's length.
    pub fn output_len(&self) -> usize {
        self.check().ok().and_then(|l| l.last().copied()).unwrap_or(self.input_len)
    }

    /// The Hyrax parameters for this architecture's layout (generators hashed from HYRAX_TAG).
    pub fn hyrax_params(&self) -> HyraxParams {
        HyraxParams::new(HYRAX_TAG, self.layout().num_vars)
    }
}

impl Network {
    /// The architecture (weights and biases dropped).
    pub fn arch(&self) -> Arch {
        let ops = self
            .ops
            .iter()
            .map(|op| match op {
                Op::Dense { m, n, .. } => ArchOp::Dense { m: *m, n: *n },
                &Op::Requant { shift, relu, bits, clamp } => ArchOp::Requant { shift, relu, bits, clamp },
                Op::Flatten => ArchOp::Flatten,
            })
            .collect();
        Arch { input_len: self.input_len, ops }
    }

    /// The architecture's checks and the weights' and biases' lengths.
    pub fn check(&self) -> Result<(), String> {
        self.arch().check()?;
        for (k, op) in self.ops.iter().enumerate() {
            if let Op::Dense { m, n, w, b } = op {
                if w.len() != m * n || b.len() != *m {
                    return Err(format!("ops[{k}] dense {m}x{n}: {} weights and {} biases", w.len(), b.len()));
                }
            }
        }
        Ok(())
    }
}

/// runIR for these ops: every op's output (index k is ops[k]'s). Errors (as runIR throws) on a malformed network,
/// an input of the wrong length, a requant input outside its bits, or a sum outside i64.
pub fn try_run(net: &Network, x: &[i64]) -> Result<Vec<Vec<i64>>, String> {
    net.check()?;
    if x.len() != net.input_len {
        return Err(format!("input: expected {} values, got {}", net.input_len, x.len()));
    }
    let mut cur = x.to_vec();
    let mut out = Vec::with_capacity(net.ops.len());
    for (k, op) in net.ops.iter().enumerate() {
        cur = match op {
            Op::Dense { m, n, w, b } => (0..*m)
                .map(|o| {
                    let s = w[o * n..(o + 1) * n].iter().zip(&cur).map(|(&wi, &xi)| wi as i128 * xi as i128).sum::<i128>() + b[o] as i128;
                    i64::try_from(s).map_err(|_| format!("ops[{k}] dense: sum {s} at [{o}] outside i64"))
                })
                .collect::<Result<_, _>>()?,
            &Op::Requant { shift, relu, bits, clamp } => {
                let lim = 1i64 << (bits - 1);
                cur.iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        if v < -lim || v >= lim {
                            Err(format!("ops[{k}] requant: value {v} at [{i}] does not fit {bits} signed bits"))
                        } else {
                            Ok(requant_value(v, shift, relu, clamp))
                        }
                    })
                    .collect::<Result<_, _>>()?
            }
            Op::Flatten => cur,
        };
        out.push(cur.clone());
    }
    Ok(out)
}

/// try_run, panicking with its message.
pub fn run(net: &Network, x: &[i64]) -> Vec<Vec<i64>> {
    try_run(net, x).unwrap_or_else(|e| panic!("{e}"))
}

/// One op's part of the proof (flatten has none).
#[derive(Clone, Debug, PartialEq)]
pub enum LayerProof {
    Dense { b_eval: Fr, dense: DenseProof },
    Requant { q_eval: Fr, r_eval: Fr },
}

/// The whole proof.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkProof {
    pub commitment: HyraxCommitment,
    /// From the last op down, flatten ops skipped.
    pub layers: Vec<LayerProof>,
    pub batch: BatchProof,
    pub opening: HyraxOpening,
}

fn absorb_statement(t: &mut Transcript, arch: &Arch, x: &[i64], y: &[i64]) {
    t.absorb_bytes(b"arch", &arch.hash());
    t.absorb_frs(b"input", &x.iter().map(|&v| fr_from_i64(v)).collect::<Vec<_>>());
    t.absorb_frs(b"output", &y.iter().map(|&v| fr_from_i64(v)).collect::<Vec<_>>());
}

/// Proves that the network's weights map x to y (returned with the proof), with the given Hyrax parameters (those
/// of `net.arch().hyrax_params()`; pass them to reuse the generators).
pub fn prove_with(net: &Network, x: &[i64], params: &HyraxParams) -> Result<(NetworkProof, Vec<i64>), String> {
    let trace = try_run(net, x)?;
    let arch = net.arch();
    let layout = arch.layout();
    if params.num_vars != layout.num_vars {
        return Err(format!("Hyrax parameters for 2^{} entries, the layout has 2^{}", params.num_vars, layout.num_vars));
    }
    let input_of = |k: usize| if k == 0 { x } else { &trace[k - 1][..] };
    let y = trace.last().cloned().unwrap_or_else(|| x.to_vec());

    // The witness: every segment placed in one vector.
    let mut big = vec![0i64; 1 << layout.num_vars];
    for (k, op) in net.ops.iter().enumerate() {
        match op {
            Op::Dense { m, n, w, b } => {
                layout.place(layout.get(k, SegKind::Weights), &pad_matrix(w, *m, *n), &mut big);
                layout.place(layout.get(k, SegKind::Bias), b, &mut big);
            }
            &Op::Requant { shift, .. } => {
                let z = input_of(k);
                let q: Vec<i64> = z.iter().map(|&v| v >> shift).collect();
                let r: Vec<i64> = z.iter().zip(&q).map(|(&v, &qv)| v - (qv << shift)).collect();
                layout.place(layout.get(k, SegKind::Quot), &q, &mut big);
                layout.place(layout.get(k, SegKind::Rem), &r, &mut big);
                layout.place(layout.get(k, SegKind::Act), &trace[k], &mut big);
            }
            Op::Flatten => {}
        }
    }

    let mut t = Transcript::new(DOMAIN_TAG);
    absorb_statement(&mut t, &arch, x, &y);
    let commitment = commit_big(params, &big);
    commitment.absorb(&mut t);

    let seg_mle = |seg: usize| {
        let s = layout.slice(seg, &big);
        Mle::from_i64(s)
    };
    let mut point = t.challenge_frs(log2_ceil(y.len()));
    let mut claims = Claims::default();
    let mut layers = Vec::new();
    for (k, op) in net.ops.iter().enumerate().rev() {
        match op {
            Op::Flatten => {}
            &Op::Requant { .. } => {
                let a_seg = layout.get(k, SegKind::Act);
                let a_val = seg_mle(a_seg).evaluate(&point);
                claims.add(a_seg, point.clone(), a_val);
                let (qs, rs) = (layout.get(k, SegKind::Quot), layout.get(k, SegKind::Rem));
                let (q_eval, r_eval) = (seg_mle(qs).evaluate(&point), seg_mle(rs).evaluate(&point));
                t.absorb_frs(b"requant evals", &[q_eval, r_eval]);
                claims.add(qs, point.clone(), q_eval);
                claims.add(rs, point.clone(), r_eval);
                layers.push(LayerProof::Requant { q_eval, r_eval });
            }
            Op::Dense { m, n, w, .. } => {
                let bs = layout.get(k, SegKind::Bias);
                let b_eval = seg_mle(bs).evaluate(&point);
                t.absorb_fr(b"dense bias", &b_eval);
                claims.add(bs, point.clone(), b_eval);
                let out = prove_dense(w, *m, *n, input_of(k), &point, &mut t);
                let w_point: Vec<Fr> = out.sigma.iter().chain(&point).copied().collect();
                claims.add(layout.get(k, SegKind::Weights), w_point, out.w_eval);
                point = out.sigma;
                layers.push(LayerProof::Dense { b_eval, dense: out.proof });
            }
        }
    }
    let big_mle = Mle::from_i64(&big);
    let (batch, s) = prove_claims(&layout, big_mle, &claims, &mut t);
    let (opening, value) = open_i64(params, &big, &s, &mut t);
    debug_assert_eq!(value, batch.p_eval);
    Ok((NetworkProof { commitment, layers, batch, opening }, y))
}

/// prove_with, the Hyrax generators derived here.
pub fn prove(net: &Network, x: &[i64]) -> Result<(NetworkProof, Vec<i64>), String> {
    let params = net.arch().hyrax_params();
    prove_with(net, x, &params)
}

/// Checks a proof that some weights of `arch` map x to y: the transcript replayed, y~ and x~ evaluated here, every
/// sumcheck checked, every claim on committed data merged and opened (module doc). See the module doc for what a
/// requant does not yet bind.
pub fn verify_with(arch: &Arch, x: &[i64], y: &[i64], proof: &NetworkProof, params: &HyraxParams) -> Result<(), VerifyError> {
    let lens = arch.check().map_err(|_| VerifyError::Shape { what: "architecture", got: 0, expected: 0 })?;
    if x.len() != arch.input_len {
        return Err(VerifyError::Shape { what: "input", got: x.len(), expected: arch.input_len });
    }
    let out_len = lens.last().copied().unwrap_or(arch.input_len);
    if y.len() != out_len {
        return Err(VerifyError::Shape { what: "output", got: y.len(), expected: out_len });
    }
    let layout = arch.layout();
    if params.num_vars != layout.num_vars {
        return Err(VerifyError::Shape { what: "hyrax parameters", got: params.num_vars, expected: layout.num_vars });
    }
    let expected_layers = arch.ops.iter().filter(|o| !matches!(o, ArchOp::Flatten)).count();
    if proof.layers.len() != expected_layers {
        return Err(VerifyError::Shape { what: "layer proofs", got: proof.layers.len(), expected: expected_layers });
    }
    let mut t = Transcript::new(DOMAIN_TAG);
    absorb_statement(&mut t, arch, x, y);
    proof.commitment.absorb(&mut t);
    let mut point = t.challenge_frs(log2_ceil(y.len()));
    let mut value = Mle::from_i64(y).evaluate(&point);
    let mut claims = Claims::default();
    let mut lp = proof.layers.iter();
    for (k, op) in arch.ops.iter().enumerate().rev() {
        match *op {
            ArchOp::Flatten => {}
            ArchOp::Requant { shift, .. } => {
                let Some(LayerProof::Requant { q_eval, r_eval }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (requant expected)", got: k, expected: k });
                };
                claims.add(layout.get(k, SegKind::Act), point.clone(), value);
                t.absorb_frs(b"requant evals", &[*q_eval, *r_eval]);
                claims.add(layout.get(k, SegKind::Quot), point.clone(), *q_eval);
                claims.add(layout.get(k, SegKind::Rem), point.clone(), *r_eval);
                // NOT SOUND YET: a = act(q) and 0 <= r < 2^s are the lookups' (logup.rs / requant.rs), not run here.
                value = Fr::from(1u64 << shift) * q_eval + r_eval;
            }
            ArchOp::Dense { m, n } => {
                let Some(LayerProof::Dense { b_eval, dense }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (dense expected)", got: k, expected: k });
                };
                t.absorb_fr(b"dense bias", b_eval);
                claims.add(layout.get(k, SegKind::Bias), point.clone(), *b_eval);
                let cl = verify_dense(dense, value - b_eval, m, n, &point, &mut t)?;
                let w_point: Vec<Fr> = cl.sigma.iter().chain(&point).copied().collect();
                claims.add(layout.get(k, SegKind::Weights), w_point, cl.w_eval);
                point = cl.sigma;
                value = cl.a_eval;
            }
        }
    }
    if Mle::from_i64(x).evaluate(&point) != value {
        return Err(VerifyError::FinalValue { what: "network input (x~ at the first layer's sigma)" });
    }
    let (s, p_s) = verify_batch(&proof.batch, &claims.points(&layout), &claims.values(), layout.num_vars, &mut t)?;
    verify_opening(params, &proof.commitment, &s, p_s, &proof.opening, &mut t)
}

/// verify_with, the Hyrax generators derived here.
pub fn verify(arch: &Arch, x: &[i64], y: &[i64], proof: &NetworkProof) -> Result<(), VerifyError> {
    let params = arch.hyrax_params();
    verify_with(arch, x, y, proof, &params)
}

/// Why proof bytes do not parse: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub offset: usize,
    pub what: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "network proof bytes, at byte {}: {}", self.offset, self.what)
    }
}

impl std::error::Error for DecodeError {}

struct Writer(Vec<u8>);

impl Writer {
    fn count(&mut self, v: usize) {
        self.0.extend_from_slice(&word(v as u64));
    }
    fn fr(&mut self, x: &Fr) {
        self.0.extend_from_slice(&fr_to_be32(x));
    }
    fn sumcheck(&mut self, p: &SumcheckProof) {
        let e = p.rounds.first().map_or(0, |g| g.len());
        self.count(p.rounds.len());
        self.count(e);
        for g in &p.rounds {
            assert_eq!(g.len(), e, "rounds of different lengths");
            g.iter().for_each(|x| self.fr(x));
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn err<T>(&self, what: String) -> Result<T, DecodeError> {
        Err(DecodeError { offset: self.at, what })
    }
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if self.b.len() - self.at < n {
            return self.err(format!("truncated: {what} needs {n} bytes, {} left", self.b.len() - self.at));
        }
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    /// A count word, at most `max` (what is left bounds every count, so a corrupted length cannot allocate).
    fn count(&mut self, what: &str, max: usize) -> Result<usize, DecodeError> {
        let w = self.take(32, what)?;
        if w[..24].iter().any(|&c| c != 0) || u64::from_be_bytes(w[24..].try_into().unwrap()) > max as u64 {
            self.at -= 32;
            return self.err(format!("{what}: count too large (at most {max} here)"));
        }
        Ok(u64::from_be_bytes(w[24..].try_into().unwrap()) as usize)
    }
    fn fr(&mut self, what: &str) -> Result<Fr, DecodeError> {
        let w = self.take(32, what)?;
        let x = Fr::from_be_bytes_mod_order(w);
        if fr_to_be32(&x) != w {
            self.at -= 32;
            return self.err(format!("{what}: not a field element (not below the scalar field's modulus)"));
        }
        Ok(x)
    }
    fn point(&mut self, what: &str) -> Result<G1Affine, DecodeError> {
        let w = self.take(64, what)?;
        if w.iter().all(|&c| c == 0) {
            return Ok(G1Affine::identity());
        }
        let (x, y) = (Fq::from_be_bytes_mod_order(&w[..32]), Fq::from_be_bytes_mod_order(&w[32..]));
        let p = G1Affine::new_unchecked(x, y);
        if g1_to_be64(&p) != w || !p.is_on_curve() || !p.is_in_correct_subgroup_assuming_on_curve() {
            self.at -= 64;
            return self.err(format!("{what}: not a point of BN254 G1"));
        }
        Ok(p)
    }
    fn left_words(&self) -> usize {
        (self.b.len() - self.at) / 32
    }
    fn sumcheck(&mut self, what: &str) -> Result<SumcheckProof, DecodeError> {
        let k = self.count(&format!("{what} round count"), 64)?;
        let e = self.count(&format!("{what} evaluations per round"), 16)?;
        if k * e > self.left_words() {
            return self.err(format!("truncated: {what} has {k} rounds of {e} evaluations, {} words left", self.left_words()));
        }
        let mut rounds = Vec::with_capacity(k);
        for i in 0..k {
            rounds.push((0..e).map(|j| self.fr(&format!("{what} round {i} evaluation {j}"))).collect::<Result<Vec<_>, _>>()?);
        }
        Ok(SumcheckProof { rounds })
    }
}

impl NetworkProof {
    /// The layout of the module doc.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.count(PROOF_VERSION as usize);
        w.count(self.commitment.rows.len());
        for p in &self.commitment.rows {
            w.0.extend_from_slice(&g1_to_be64(p));
        }
        w.count(self.layers.len());
        for l in &self.layers {
            match l {
                LayerProof::Dense { b_eval, dense } => {
                    w.count(1);
                    w.fr(b_eval);
                    w.sumcheck(&dense.sumcheck);
                    w.fr(&dense.w_eval);
                    w.fr(&dense.a_eval);
                }
                LayerProof::Requant { q_eval, r_eval } => {
                    w.count(2);
                    w.fr(q_eval);
                    w.fr(r_eval);
                }
            }
        }
        w.sumcheck(&self.batch.sumcheck);
        w.fr(&self.batch.p_eval);
        w.count(self.opening.u.len());
        self.opening.u.iter().for_each(|x| w.fr(x));
        w.0
    }

    /// Parses `to_bytes`'s layout; a truncated, overlong or corrupted encoding is an error saying where and what.
    /// (Shapes against an architecture are the verifier's checks.)
    pub fn from_bytes(b: &[u8]) -> Result<NetworkProof, DecodeError> {
        let mut r = Reader { b, at: 0 };
        let v = r.count("version", u32::MAX as usize)?;
        if v as u64 != PROOF_VERSION {
            r.at = 0;
            return r.err(format!("version {v}, this code reads version {PROOF_VERSION}"));
        }
        let rows = r.count("commitment row count", r.left_words() / 2)?;
        let commitment = HyraxCommitment { rows: (0..rows).map(|i| r.point(&format!("commitment row {i}"))).collect::<Result<_, _>>()? };
        let nl = r.count("layer count", r.left_words())?;
        let mut layers = Vec::with_capacity(nl);
        for i in 0..nl {
            let at = r.at;
            match r.count(&format!("layer {i} kind"), 2)? {
                1 => {
                    let b_eval = r.fr(&format!("layer {i} bias evaluation"))?;
                    let sumcheck = r.sumcheck(&format!("layer {i} dense sumcheck"))?;
                    let w_eval = r.fr(&format!("layer {i} W evaluation"))?;
                    let a_eval = r.fr(&format!("layer {i} input evaluation"))?;
                    layers.push(LayerProof::Dense { b_eval, dense: DenseProof { sumcheck, w_eval, a_eval } });
                }
                2 => {
                    let q_eval = r.fr(&format!("layer {i} q evaluation"))?;
                    let r_eval = r.fr(&format!("layer {i} r evaluation"))?;
                    layers.push(LayerProof::Requant { q_eval, r_eval });
                }
                k => {
                    r.at = at;
                    return r.err(format!("layer {i}: kind {k}, expected 1 (dense) or 2 (requant)"));
                }
            }
        }
        let sumcheck = r.sumcheck("batch sumcheck")?;
        let p_eval = r.fr("batch evaluation")?;
        let n = r.count("opening length", r.left_words())?;
        let u = (0..n).map(|i| r.fr(&format!("opening element {i}"))).collect::<Result<_, _>>()?;
        if r.at != b.len() {
            return r.err(format!("{} bytes after the proof's end", b.len() - r.at));
        }
        Ok(NetworkProof { commitment, layers, batch: BatchProof { sumcheck, p_eval }, opening: HyraxOpening { u } })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::One;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};

    /// A dense layer of random 8-bit weights and small biases.
    fn dense(m: usize, n: usize, rng: &mut impl Rng) -> Op {
        Op::Dense { m, n, w: (0..m * n).map(|_| rng.gen_range(-128..=127)).collect(), b: (0..m).map(|_| rng.gen_range(-2000..=2000)).collect() }
    }

    /// The requant a quantizer would choose after the values `z`: the shift that brings the largest |z| to about
    /// `act_bits` bits, and the narrowest `bits` that holds z.
    fn requant_for(z: &[i64], act_bits: u32, relu: bool, clamp: Option<u32>) -> Op {
        let max = z.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0).max(1);
        let need = 64 - max.leading_zeros(); // bits of |z|
        Op::Requant { shift: need.saturating_sub(act_bits), relu, bits: need + 1, clamp }
    }

    /// A network of the given widths with a requant (ReLU, `act_bits` clamp) between dense layers, the last dense
    /// layer's sum the output. The shifts come from running it on x.
    fn fc(widths: &[usize], x: &[i64], act_bits: u32, rng: &mut impl Rng) -> Network {
        let mut net = Network { input_len: widths[0], ops: Vec::new() };
        for i in 1..widths.len() {
            net.ops.push(dense(widths[i], widths[i - 1], rng));
            if i + 1 < widths.len() {
                let z = run(&net, x).pop().unwrap();
                net.ops.push(requant_for(&z, act_bits, true, Some(act_bits)));
            }
        }
        net
    }

    fn small() -> (Network, Vec<i64>) {
        let mut rng = StdRng::seed_from_u64(27);
        let x: Vec<i64> = (0..16).map(|_| rng.gen_range(-128..=127)).collect();
        (fc(&[16, 8, 4], &x, 8, &mut rng), x)
    }

    #[test]
    fn requant_value_matches_run_ir() {
        // floor, not truncation: an arithmetic shift.
        let cases: &[(i64, u32, bool, Option<u32>, i64)] = &[
            (7, 1, false, None, 3),
            (-1, 1, false, None, -1),
            (-3, 1, false, None, -2),
            (-4, 2, false, None, -1),
            (-5, 2, false, None, -2),
            (5, 0, false, None, 5),
            (-5, 0, false, None, -5),
            (-5, 1, true, None, 0),
            (-1, 3, true, None, 0),
            (9, 1, true, None, 4),
            (100, 2, true, Some(3), 7), // 25 saturates to 2^3 - 1
            (28, 2, true, Some(3), 7),
            (27, 2, true, Some(3), 6),
            (-100, 2, true, Some(3), 0),
            (-100, 2, false, Some(3), -4), // -25 saturates to -2^2
            (100, 2, false, Some(3), 3),
            (-9, 1, false, Some(3), -4), // floor(-4.5) = -5 -> -4
            (-7, 1, false, Some(3), -4),
            (-6, 1, false, Some(3), -3),
            (255 << 4, 4, true, Some(8), 255),
            (256 << 4, 4, true, Some(8), 255),
        ];
        for &(z, s, relu, clamp, want) in cases {
            assert_eq!(requant_value(z, s, relu, clamp), want, "requant({z}, {s}, {relu}, {clamp:?})");
        }
    }

    #[test]
    fn run_follows_the_ir() {
        let net = Network {
            input_len: 3,
            ops: vec![
                Op::Flatten,
                Op::Dense { m: 2, n: 3, w: vec![1, -2, 3, 4, 5, -6], b: vec![10, -10] },
                Op::Requant { shift: 2, relu: true, bits: 8, clamp: Some(2) },
                Op::Dense { m: 1, n: 2, w: vec![2, -3], b: vec![1] },
            ],
        };
        let tr = run(&net, &[1, 2, 3]);
        // 10 + 1 - 4 + 9 = 16; -10 + 4 + 10 - 18 = -14.
        assert_eq!(tr[1], vec![16, -14]);
        // 16 >> 2 = 4 -> clamp 3; -14 >> 2 = -4 -> relu 0.
        assert_eq!(tr[2], vec![3, 0]);
        assert_eq!(tr[3], vec![7]);
        // A requant input outside its bits, a wrong input length: errors as runIR's.
        let mut bad = net.clone();
        bad.ops[2] = Op::Requant { shift: 2, relu: true, bits: 5, clamp: None };
        assert!(try_run(&bad, &[1, 2, 3]).unwrap_err().contains("does not fit 5 signed bits"));
        assert!(try_run(&net, &[1, 2]).is_err());
    }

    #[test]
    fn arch_hash_covers_every_field_but_weights() {
        let (net, _) = small();
        let h = net.arch().hash();
        let mut other = net.clone();
        if let Op::Dense { w, b, .. } = &mut other.ops[0] {
            w[0] += 1;
            b[0] += 1;
        }
        assert_eq!(other.arch().hash(), h);
        let mut variants = Vec::new();
        for f in 0..5 {
            let mut a = net.arch();
            if let ArchOp::Requant { shift, relu, bits, clamp } = &mut a.ops[1] {
                match f {
                    0 => *shift += 1,
                    1 => *relu = !*relu,
                    2 => *bits += 1,
                    3 => *clamp = None,
                    _ => *clamp = Some(7),
                }
            }
            variants.push(a.hash());
        }
        let mut a = net.arch();
        a.ops.insert(0, ArchOp::Flatten);
        variants.push(a.hash());
        let mut a = net.arch();
        a.ops[0] = ArchOp::Dense { m: 8, n: 16 };
        a.input_len = 16;
        assert_eq!(a.hash(), h);
        for (i, v) in variants.iter().enumerate() {
            assert_ne!(*v, h, "variant {i}");
        }
    }

    #[test]
    fn small_network_proves_and_verifies() {
        let (net, x) = small();
        let (proof, y) = prove(&net, &x).unwrap();
        assert_eq!(y, run(&net, &x).pop().unwrap());
        assert_eq!(y.len(), 4);
        assert_eq!(verify(&net.arch(), &x, &y, &proof), Ok(()));
        let bytes = proof.to_bytes();
        assert_eq!(NetworkProof::from_bytes(&bytes).unwrap(), proof);
        assert_eq!(verify(&net.arch(), &x, &y, &NetworkProof::from_bytes(&bytes).unwrap()), Ok(()));
    }

    /// Other shapes: padding (non-powers of two), a flatten, a requant last (its output is y), no requant at all.
    #[test]
    fn other_shapes_prove_and_verify() {
        let mut rng = StdRng::seed_from_u64(5);
        let x: Vec<i64> = (0..13).map(|_| rng.gen_range(0..=255)).collect();
        let mut net = fc(&[13, 7, 5, 3], &x, 6, &mut rng);
        net.ops.insert(0, Op::Flatten);
        let z = run(&net, &x).pop().unwrap();
        net.ops.push(requant_for(&z, 4, false, Some(4)));
        let (proof, y) = prove(&net, &x).unwrap();
        assert_eq!(y, run(&net, &x).pop().unwrap());
        assert_eq!(verify(&net.arch(), &x, &y, &proof), Ok(()));
        let single = Network { input_len: 5, ops: vec![dense(1, 5, &mut rng)] };
        let x1: Vec<i64> = (0..5).map(|_| rng.gen_range(-9..=9)).collect();
        let (p1, y1) = prove(&single, &x1).unwrap();
        assert_eq!(verify(&single.arch(), &x1, &y1, &p1), Ok(()));
        let mut y2 = y1.clone();
        y2[0] += 1;
        assert!(verify(&single.arch(), &x1, &y2, &p1).is_err());
    }

    /// Every part of the proof changed in turn: every sumcheck evaluation, every claimed evaluation, every opening
    /// element, every commitment row; then each public input and output value and the architecture.
    #[test]
    fn every_tampered_part_is_rejected() {
        let (net, x) = small();
        let arch = net.arch();
        let params = arch.hyrax_params();
        let (proof, y) = prove_with(&net, &x, &params).unwrap();
        let ok = |p: &NetworkProof| verify_with(&arch, &x, &y, p, &params).is_ok();
        assert!(ok(&proof));
        let mut tried = 0;
        let mut check = |p: NetworkProof, what: String| {
            assert!(!ok(&p), "accepted with {what} changed");
            tried += 1;
        };
        let one = Fr::one();
        for li in 0..proof.layers.len() {
            match &proof.layers[li] {
                LayerProof::Dense { dense, .. } => {
                    for (ri, g) in dense.sumcheck.rounds.iter().enumerate() {
                        for j in 0..g.len() {
                            let mut p = proof.clone();
                            if let LayerProof::Dense { dense, .. } = &mut p.layers[li] {
                                dense.sumcheck.rounds[ri][j] += one;
                            }
                            check(p, format!("layer {li} round {ri} evaluation {j}"));
                        }
                    }
                    for f in 0..3 {
                        let mut p = proof.clone();
                        if let LayerProof::Dense { b_eval, dense } = &mut p.layers[li] {
                            *[b_eval, &mut dense.w_eval, &mut dense.a_eval][f] += one;
                        }
                        check(p, format!("layer {li} evaluation {f}"));
                    }
                }
                LayerProof::Requant { .. } => {
                    for f in 0..2 {
                        let mut p = proof.clone();
                        if let LayerProof::Requant { q_eval, r_eval } = &mut p.layers[li] {
                            *[q_eval, r_eval][f] += one;
                        }
                        check(p, format!("layer {li} requant evaluation {f}"));
                    }
                }
            }
        }
        for (ri, g) in proof.batch.sumcheck.rounds.iter().enumerate() {
            for j in 0..g.len() {
                let mut p = proof.clone();
                p.batch.sumcheck.rounds[ri][j] += one;
                check(p, format!("batch round {ri} evaluation {j}"));
            }
        }
        let mut p = proof.clone();
        p.batch.p_eval += one;
        check(p, "batch evaluation".into());
        for j in 0..proof.opening.u.len() {
            let mut p = proof.clone();
            p.opening.u[j] += one;
            check(p, format!("opening element {j}"));
        }
        for i in 0..proof.commitment.rows.len() {
            let mut p = proof.clone();
            p.commitment.rows[i] = (p.commitment.rows[i] + params.gens[0]).into();
            check(p, format!("commitment row {i}"));
        }
        // A dropped or extra layer proof, a round dropped.
        let mut p = proof.clone();
        p.layers.pop();
        check(p, "layer count".into());
        let mut p = proof.clone();
        p.batch.sumcheck.rounds.pop();
        check(p, "batch round count".into());
        println!("{tried} tampered proofs rejected");
        // Public values.
        for i in 0..x.len() {
            let mut x2 = x.clone();
            x2[i] += 1;
            assert!(verify_with(&arch, &x2, &y, &proof, &params).is_err(), "input {i}");
        }
        for i in 0..y.len() {
            let mut y2 = y.clone();
            y2[i] -= 1;
            assert!(verify_with(&arch, &x, &y2, &proof, &params).is_err(), "output {i}");
        }
        // The architecture: `bits` only enters the verifier through the hash, so this tests its absorption.
        let mut a2 = arch.clone();
        if let ArchOp::Requant { bits, .. } = &mut a2.ops[1] {
            *bits += 1;
        }
        assert_ne!(a2.hash(), arch.hash());
        assert_eq!(a2.layout(), arch.layout());
        assert!(verify_with(&a2, &x, &y, &proof, &params).is_err(), "architecture hash");
        let mut a3 = arch.clone();
        if let ArchOp::Requant { shift, .. } = &mut a3.ops[1] {
            *shift += 1;
        }
        assert!(verify_with(&a3, &x, &y, &proof, &params).is_err(), "shift");
    }

    /// A proof for another output: other weights give y' and an honest proof of y'; it fails against y, and the
    /// proof of y fails against y'.
    #[test]
    fn a_proof_for_another_output_is_rejected() {
        let (net, x) = small();
        let (proof, y) = prove(&net, &x).unwrap();
        let mut net2 = net.clone();
        if let Op::Dense { b, .. } = &mut net2.ops[2] {
            b[1] += 5;
        }
        let (proof2, y2) = prove(&net2, &x).unwrap();
        assert_ne!(y, y2);
        assert_eq!(verify(&net.arch(), &x, &y2, &proof2), Ok(()));
        assert!(verify(&net.arch(), &x, &y, &proof2).is_err());
        assert!(verify(&net.arch(), &x, &y2, &proof).is_err());
    }

    #[test]
    fn truncated_or_corrupted_bytes_are_clear_errors() {
        let (net, x) = small();
        let (proof, y) = prove(&net, &x).unwrap();
        let bytes = proof.to_bytes();
        assert_eq!(bytes.len() % 32, 0);
        // Every truncation is an error (never a panic), most of them "truncated".
        for cut in 0..bytes.len() {
            let e = NetworkProof::from_bytes(&bytes[..cut]).unwrap_err();
            assert!(!e.to_string().is_empty());
            if cut % 32 == 0 && cut > 0 {
                assert!(e.what.contains("truncated") || e.what.contains("count too large"), "cut {cut}: {e}");
            }
        }
        let e = NetworkProof::from_bytes(&bytes[..bytes.len() - 32]).unwrap_err();
        assert!(e.what.contains("truncated"), "{e}");
        // Trailing bytes.
        let mut b = bytes.clone();
        b.extend_from_slice(&[0u8; 32]);
        assert!(NetworkProof::from_bytes(&b).unwrap_err().what.contains("after the proof's end"));
        // The version.
        let mut b = bytes.clone();
        b[31] = 2;
        let e = NetworkProof::from_bytes(&b).unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.what.contains("version 2"), "{e}");
        // A row that is not a point.
        let mut b = bytes.clone();
        b[64 + 63] ^= 1;
        let e = NetworkProof::from_bytes(&b).unwrap_err();
        assert!(e.what.contains("commitment row 0") && e.what.contains("not a point"), "{e}");
        // A field word at or above r (the last opening element set to all ones).
        let mut b = bytes.clone();
        let n = b.len();
        b[n - 32..].fill(0xff);
        let e = NetworkProof::from_bytes(&b).unwrap_err();
        assert!(e.what.contains("not a field element"), "{e}");
        // A huge count.
        let mut b = bytes.clone();
        b[32..56].fill(0xff);
        assert!(NetworkProof::from_bytes(&b).unwrap_err().what.contains("count too large"));
        // A corrupted field word that still parses: the proof is refused by the verifier.
        let mut b = bytes.clone();
        let n = b.len();
        b[n - 1] ^= 1;
        let p = NetworkProof::from_bytes(&b).unwrap();
        assert!(verify(&net.arch(), &x, &y, &p).is_err());
        // A corrupted count that still parses as a count: a shape error from the verifier or a decode error.
        for at in [32 + 31, 32 * 2 + 64 * proof.commitment.rows.len() - 1] {
            let mut b = bytes.clone();
            b[at] ^= 1;
            match NetworkProof::from_bytes(&b) {
                Err(e) => assert!(!e.what.is_empty()),
                Ok(p) => assert!(verify(&net.arch(), &x, &y, &p).is_err()),
            }
        }
    }
}
