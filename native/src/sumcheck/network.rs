//! A fully connected network's proof: the input x and output y public, every weight and bias private, and either
//! unbound (paper0's statement: the proof carries the model's commitment) or bound to a model commitment the
//! verifier holds (committed weights: `commit_model` once, then `prove_with(.., Some(c))` / `verify_with(.., Some(c))`;
//! the prover does not check that c is its weights' commitment: a wrong one makes a proof that fails). The network is `Network { input_len, input_min, input_top, ops }` with dense, requant and flatten ops; `run` is runIR
//! (src/ir/ir.ts) for these ops.
//!
//! Every requant runs requant.rs's two lookups (r in [0, 2^s), (q, a) in the activation table), so a = act(q) and
//! z = 2^s q + r hold row by row. Not zero knowledge (nothing is masked or blinded; network_zk.rs is the zero-knowledge
//! form, for MLPs so far): the weights are hidden
//! from nobody who reads the proof's evaluations carefully; the statement is sound, not private.
//!
//! Committed (two Hyrax commitments, layout.rs, `Arch::layouts`): the model's polynomial, every dense W (in unpadded
//! blocks) and b (padded), made once per model; the witness's, every requant's q, r and a (padded) and its two
//! multiplicity vectors (range table, activation table), made per proof and absent when there is no requant.
//!
//! Transcript (keccak256, transcript.rs), in order:
//! 1. `Transcript::new(DOMAIN_TAG)`; `absorb_bytes("arch", arch_hash)` (32 bytes, `Arch::hash`);
//!    `absorb_frs("input", x)`; `absorb_frs("output", y)`; the model commitment's rows (`absorb_g1s("model
//!    commitment", ..)`: the proof's, or the verifier's); the witness commitment's rows ("hyrax commitment"), if any.
//! 2. rho = log2_ceil(len y) challenges; the claim on the last op's output is y~(rho), computed by the verifier.
//! 3. Ops from the last to the first, with a claim (point p, value c) on the op's output:
//!    - flatten: the claim passes to its input unchanged;
//!    - requant (shift s): (a's segment, p, c) joins the accumulator; the prover sends q~(p), r~(p)
//!      (`absorb_frs("requant evals", [q, r])`), both join the accumulator, and the claim on its input z is
//!      (p, 2^s q~(p) + r~(p)); then requant.rs's lookups (its transcript), whose claims on r, q, a and both
//!      multiplicity vectors join the accumulator;
//!    - dense (m x n): the prover sends b~(p) (`absorb_fr("dense bias", b)`), which joins the accumulator; dense.rs's
//!      sumcheck proves c - b~(p) = sum_j W~(p, j) a~(j) and ends on W~(p, sigma) and a~(sigma), the claim
//!      (sigma, a~(sigma)) on its input. W is committed in blocks (no padding: m and n split into their binary
//!      digits, `pow2_parts`), so the prover sends each block's W_BC~(sigma_low || p_low)
//!      (`absorb_frs("dense w blocks", ..)`, row block major), each joins the accumulator, and the verifier checks
//!      W~(p, sigma) = sum_BC eq(p_high, B's index) eq(sigma_high, C's index) W_BC~(..) itself.
//! 4. The claim left on x: the verifier evaluates x~ itself and compares.
//! 5. Each polynomial's accumulated claims, lifted to its big MLE, merged into one point (batch.rs): the model's,
//!    then the witness's; then one Hyrax opening of each, the model's first.
//!
//! Proof bytes (`NetworkProof::to_bytes`): 32-byte big-endian words, points as 64 bytes (x then y, the identity as
//! zeros): `version` (= 2); a flag (1: the model commitment follows as `R`, R rows; 0: none, the verifier holds
//! it); the witness commitment as `R`, R rows (R = 0: none); `L`, then per layer proof (from the last op down, flatten
//! ops have none) `kind` (1 dense, 2 requant), then for dense `b~(p)`, `k`, `e`, k x e round evaluations,
//! `W~(p, sigma)`, `a~(sigma)`, `nb`, nb block evaluations; for requant `q~(p)`, `r~(p)`, then two lookup proofs
//! (range, activation), each `p_f, q_f, p_t, q_t`, `nf`, nf tree layers, `nt`, nt tree layers (a layer: a sumcheck
//! as `k`, `e`, k x e words, then its 4 evaluations; a sumcheck of no rounds has e = 0), `nc`, nc column
//! evaluations; then for the model, and for the witness when it has a commitment: the batch's `k`, `e`, k x e round
//! evaluations, `P(s)`, the opening's `n` and its n elements. Counts are words; every field word must be below its
//! modulus, every point on the curve; nothing may follow. A model commitment alone (`commitment_to_bytes`): `R`, R
//! rows.

use super::batch::{verify_batch, BatchProof};
use super::conv::{conv_run, im2col_fold, maxpool_diffs, maxpool_diffs_batch, maxpool_run, pool_run, prefix_eq_sum, prove_wiring, verify_wiring, Window, Wiring, WiringProof};
use super::dense::{prove_dense_rows_mle, verify_dense, DenseProof};
use super::error::VerifyError;
use super::hyrax::{open_i64, verify_opening, HyraxCommitment, HyraxOpening, HyraxParams};
use super::layout::{commit_big, prove_claims, Claims, Layout, SegKind};
use super::logup::{columns_fr, prove_logup, table_multiplicities, verify_logup, LayerProof as LogupLayer, LogupClaims, LogupProof, Table, MAX_TABLE_LOG};
use super::requant::{
    input_from_parts, prove_requant, requant_multiplicities, requant_witness, verify_requant, RequantClaims, RequantOp, RequantProof, MAX_RANGE_LOG,
};
use super::mle::{eq_eval, eq_table, fr_from_i64, inner_product, log2_ceil, Mle};
use super::sumcheck::{self, SumcheckProof};
use super::transcript::{fr_to_be32, g1_to_be64, Transcript};
use ark_bn254::{Fq, Fr, G1Affine};
use ark_ff::{Field, PrimeField};
use sha3::{Digest, Keccak256};
use std::fmt;

/// The transcript's domain tag.
pub const DOMAIN_TAG: &[u8] = b"zkml-sumcheck-fc-v1";
/// The Hyrax generators' tag.
pub const HYRAX_TAG: &[u8] = b"zkml-sumcheck-hyrax-v1";
/// The first word of a serialized proof.
pub const PROOF_VERSION: u64 = 2;
/// The architecture encoding's version (the first word hashed).
pub const ARCH_VERSION: u64 = 2;

/// One op of the network (runIR's meaning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// y[o] = b[o] + sum_i w[o * n + i] x[i]; w row-major m x n.
    Dense { m: usize, n: usize, w: Vec<i64>, b: Vec<i64> },
    /// y = floor(x / 2^shift), then max(y, 0) if relu, then saturated to `clamp` bits; x must fit `bits` signed bits.
    Requant { shift: u32, relu: bool, bits: u32, clamp: Option<u32> },
    /// Reshape only.
    Flatten,
    /// y[f P + p] = b[f] + sum over in-bounds taps of w[f T + t] x[c h w + src] (conv.rs); w is f x T, T = c kh kw,
    /// in [f][c][ky][kx] order.
    Conv { win: Window, f: usize, w: Vec<i64>, b: Vec<i64> },
    /// y[c P + p] = the sum of the window (no padding): an average pool with its division folded into the scale.
    SumPool { win: Window },
    /// y = mul x + from_mul t, t the output of ops[from - 1] (a requant: committed) or, for from = 0, the input.
    Add { from: usize, mul: i64, from_mul: i64 },
    /// y[c P + p] = the max of the window (no padding); every difference y - x[tap] below 2^(bits - 1).
    MaxPool { win: Window, bits: u32 },
}

impl Op {
    /// A dense or conv op's weight matrix (m x n, row-major) and bias (m): what the model commits.
    fn matrix(&self) -> Option<(usize, usize, &[i64], &[i64])> {
        match self {
            Op::Dense { m, n, w, b } => Some((*m, *n, w, b)),
            Op::Conv { win, f, w, b } => Some((*f, win.c * win.taps(), w, b)),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub input_len: usize,
    /// The declared input range [min, top] (runIR's input.min and inputTop): public, hashed into the architecture,
    /// checked on x by the verifier.
    pub input_min: i64,
    pub input_top: i64,
    pub ops: Vec<Op>,
}

/// Whether the verifier holds the input x (public: it evaluates x~ itself) or not (private: x is a segment of the
/// witness, committed before any challenge and opened like every other column, in the declared range by one lookup
/// of the pairs (x, x) into {(t, min(t, top)) : t in [min, min + 2^k)}, which holds (x, x) exactly when min <= x
/// <= top; its padding rows (0, 0) need min <= 0 <= top). A statement fact, not an architecture fact: the
/// transcript says which ("input" with x, or "input private" with its length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputVis {
    Public,
    Private,
}

/// The widest input range accepted (values fit far inside i64 and the field).
pub const MAX_INPUT_ABS: i64 = 1 << 48;
/// The most entries a dense layer may have (m x n), so no count read from an architecture can overflow a layout.
pub const MAX_DENSE_ENTRIES: usize = 1 << 30;

/// An op without its weights: what the verifier knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchOp {
    Dense { m: usize, n: usize },
    Requant { shift: u32, relu: bool, bits: u32, clamp: Option<u32> },
    Flatten,
    Conv { win: Window, f: usize },
    SumPool { win: Window },
    Add { from: usize, mul: i64, from_mul: i64 },
    MaxPool { win: Window, bits: u32 },
}

/// The most taps a max pool's window may have (its zerocheck has degree taps + 1, sumcheck.rs's MAX_DEGREE).
pub const MAX_POOL_TAPS: usize = 7;

/// A max pool's differences' range table [0, 2^(bits - 1)).
pub(crate) fn maxpool_table(bits: u32) -> Table {
    Table::range(0, bits as usize - 1)
}

/// The largest `mul` or `from_mul` of an add (small positive integers: they bring two scales to one step).
pub const MAX_ADD_MUL: i64 = 1 << 20;

impl ArchOp {
    /// A dense or conv op's weight matrix shape (m, n): committed in the model as W's blocks and b.
    pub fn matrix(&self) -> Option<(usize, usize)> {
        match *self {
            ArchOp::Dense { m, n } => Some((m, n)),
            ArchOp::Conv { win, f } => Some((f, win.c * win.taps())),
            _ => None,
        }
    }

    /// The op's words (`Arch::words`).
    fn words(&self) -> Vec<i64> {
        let win_words = |v: &Window| [v.c, v.h, v.w, v.kh, v.kw, v.sh, v.sw].map(|x| x as i64);
        match *self {
            ArchOp::Dense { m, n } => vec![1, m as i64, n as i64],
            ArchOp::Requant { shift, relu, bits, clamp } => vec![2, shift as i64, relu as i64, bits as i64, clamp.unwrap_or(0) as i64],
            ArchOp::Flatten => vec![3],
            ArchOp::Conv { win, f } => [vec![4], win_words(&win).to_vec(), vec![win.ph as i64, win.pw as i64, f as i64]].concat(),
            ArchOp::SumPool { win } => [vec![5], win_words(&win).to_vec()].concat(),
            ArchOp::Add { from, mul, from_mul } => vec![6, from as i64, mul, from_mul],
            ArchOp::MaxPool { win, bits } => [vec![7], win_words(&win).to_vec(), vec![bits as i64]].concat(),
        }
    }
}

/// The public architecture: everything but the weights and biases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arch {
    pub input_len: usize,
    pub input_min: i64,
    pub input_top: i64,
    pub ops: Vec<ArchOp>,
}

/// n as aligned power-of-two runs, largest first: (offset, log2 size) for each binary digit of n (55: 32 at 0,
/// 16 at 32, 4 at 48, 2 at 52, 1 at 54). Each offset is a multiple of its run's size.
pub fn pow2_parts(n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut off = 0;
    for b in (0..usize::BITS as usize).rev() {
        if (n >> b) & 1 == 1 {
            out.push((off, b));
            off += 1 << b;
        }
    }
    out
}

/// The two committed polynomials' layouts (`Arch::layouts`).
#[derive(Clone, Debug)]
pub struct Layouts {
    pub model: Layout,
    pub witness: Option<Layout>,
}

/// Which committed polynomial a segment lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poly {
    /// weights and biases: committed once per model
    Model,
    /// every requant's columns and multiplicities: committed per proof
    Witness,
}

impl Layouts {
    /// (op, kind)'s polynomial and segment index.
    fn get(&self, op: usize, kind: SegKind) -> (Poly, usize) {
        match kind {
            SegKind::Weights { .. } | SegKind::Bias => (Poly::Model, self.model.get(op, kind)),
            _ => (Poly::Witness, self.witness.as_ref().expect("a requant's segment, so a witness layout").get(op, kind)),
        }
    }
}

/// The Hyrax parameters of both polynomials (`Arch::hyrax_params`).
#[derive(Clone, Debug)]
pub struct NetParams {
    pub model: HyraxParams,
    pub witness: Option<HyraxParams>,
}

/// Claims on both polynomials.
#[derive(Default)]
pub(crate) struct ClaimSet {
    pub(crate) model: Claims,
    pub(crate) witness: Claims,
}

impl ClaimSet {
    fn add(&mut self, (poly, seg): (Poly, usize), point: Vec<Fr>, value: Fr) {
        match poly {
            Poly::Model => self.model.add(seg, point, value),
            Poly::Witness => self.witness.add(seg, point, value),
        }
    }
}

/// The K high coordinates of `p` past its first `low` that select the run at `offset` (2^low entries): eq(p_high,
/// bits of offset >> low).
pub(crate) fn eq_high(p: &[Fr], low: usize, offset: usize) -> Fr {
    let idx = offset >> low;
    p[low..].iter().enumerate().map(|(i, &c)| if (idx >> i) & 1 == 1 { c } else { Fr::from(1u64) - c }).product()
}

/// W's block (rows [ro, ro + 2^rl), columns [co, co + 2^cl)) as a row-major table, columns low.
fn w_block(w: &[i64], n: usize, (ro, rl): (usize, usize), (co, cl): (usize, usize)) -> Vec<i64> {
    let mut out = Vec::with_capacity(1 << (rl + cl));
    for i in ro..ro + (1 << rl) {
        out.extend_from_slice(&w[i * n + co..i * n + co + (1 << cl)]);
    }
    out
}

/// runIR's requant of one value (requant.rs's).
pub use super::requant::requant_value;

/// A signed value as an int256 word (two's complement, sign-extended): what Solidity's abi.encode(int256) gives.
fn signed_word(v: i64) -> [u8; 32] {
    let mut w = if v < 0 { [0xffu8; 32] } else { [0u8; 32] };
    w[24..].copy_from_slice(&v.to_be_bytes());
    w
}

impl Arch {
    /// Checks the shapes chain and the parameters' ranges; returns each op's output length.
    pub fn check(&self) -> Result<Vec<usize>, String> {
        if self.input_len == 0 {
            return Err("input_len must be at least 1".into());
        }
        if self.input_min > self.input_top || self.input_min < -MAX_INPUT_ABS || self.input_top > MAX_INPUT_ABS {
            return Err(format!("input range [{}, {}]: min must not exceed top, both within +-2^48", self.input_min, self.input_top));
        }
        let mut len = self.input_len;
        let mut lens = Vec::with_capacity(self.ops.len());
        for (k, op) in self.ops.iter().enumerate() {
            match *op {
                ArchOp::Dense { m, n } => {
                    if n != len || m == 0 {
                        return Err(format!("ops[{k}] dense {m}x{n}: its input has {len} values"));
                    }
                    if m.checked_mul(n).is_none_or(|e| e > MAX_DENSE_ENTRIES) {
                        return Err(format!("ops[{k}] dense {m}x{n}: more than 2^30 weights"));
                    }
                    len = m;
                }
                ArchOp::Requant { shift, bits, clamp, .. } => {
                    if shift > MAX_RANGE_LOG || bits < shift + 1 || bits > 62 || (bits - shift) as usize > MAX_TABLE_LOG {
                        return Err(format!(
                            "ops[{k}] requant: shift {shift}, bits {bits} (the lookups need shift <= {MAX_RANGE_LOG}, shift + 1 <= bits <= 62, bits - shift <= {MAX_TABLE_LOG})"
                        ));
                    }
                    if let Some(a) = clamp {
                        if !(1..=62).contains(&a) {
                            return Err(format!("ops[{k}] requant: clamp {a} outside 1..=62"));
                        }
                    }
                }
                ArchOp::Flatten => {}
                ArchOp::Conv { win, f } => {
                    let (oh, ow) = win.check().map_err(|e| format!("ops[{k}] conv: {e}"))?;
                    if win.in_len() != len || f == 0 {
                        return Err(format!("ops[{k}] conv of a {}x{}x{} input to {f} filters: its input has {len} values", win.c, win.h, win.w));
                    }
                    if f.checked_mul(win.c * win.taps()).is_none_or(|e| e > MAX_DENSE_ENTRIES) || f.checked_mul(oh * ow).is_none_or(|e| e > MAX_DENSE_ENTRIES) {
                        return Err(format!("ops[{k}] conv: more than 2^30 weights or outputs"));
                    }
                    len = f * oh * ow;
                }
                ArchOp::SumPool { win } => {
                    let (oh, ow) = win.check().map_err(|e| format!("ops[{k}] sumpool: {e}"))?;
                    if win.in_len() != len || win.ph != 0 || win.pw != 0 {
                        return Err(format!("ops[{k}] sumpool of a {}x{}x{} input (no padding): its input has {len} values", win.c, win.h, win.w));
                    }
                    len = win.c * oh * ow;
                }
                ArchOp::MaxPool { win, bits } => {
                    let (oh, ow) = win.check().map_err(|e| format!("ops[{k}] maxpool: {e}"))?;
                    if win.in_len() != len || win.ph != 0 || win.pw != 0 {
                        return Err(format!("ops[{k}] maxpool of a {}x{}x{} input (no padding): its input has {len} values", win.c, win.h, win.w));
                    }
                    if win.taps() > MAX_POOL_TAPS {
                        return Err(format!("ops[{k}] maxpool: a window of {} taps (at most {MAX_POOL_TAPS}: its zerocheck's degree)", win.taps()));
                    }
                    if !(2..=MAX_TABLE_LOG as u32 + 1).contains(&bits) {
                        return Err(format!("ops[{k}] maxpool: bits {bits} (its differences' range table needs 2 <= bits <= {})", MAX_TABLE_LOG + 1));
                    }
                    if k == 0 || !matches!(self.ops[k - 1], ArchOp::Requant { .. }) {
                        return Err(format!("ops[{k}] maxpool: its input must be a requant's output (this system commits those)"));
                    }
                    len = win.c * oh * ow;
                }
                ArchOp::Add { from, mul, from_mul } => {
                    if !(1..=MAX_ADD_MUL).contains(&mul) || !(1..=MAX_ADD_MUL).contains(&from_mul) {
                        return Err(format!("ops[{k}] add: mul {mul} and from_mul {from_mul} must be in 1..=2^20"));
                    }
                    let from_len = match from {
                        0 => self.input_len,
                        j if j <= k && matches!(self.ops[j - 1], ArchOp::Requant { .. }) => lens[j - 1],
                        _ => return Err(format!("ops[{k}] add: from {from} must be 0 (the input) or an earlier requant's output (this system commits those)")),
                    };
                    if from_len != len {
                        return Err(format!("ops[{k}] add: its sides have {len} and {from_len} values"));
                    }
                }
            }
            lens.push(len);
        }
        if !self.ops.iter().any(|o| o.matrix().is_some()) {
            return Err("the network has no dense or conv op (nothing to prove)".into());
        }
        Ok(lens)
    }

    /// The architecture as words (the N-API edge passes them, `hash` hashes them): ARCH_VERSION, input_len,
    /// input_min, input_top, the op count, then per op: dense `1, m, n`; requant `2, shift, relu (0/1), bits, clamp
    /// (0 for none)`; flatten `3`; conv `4, c, h, w, kh, kw, sh, sw, ph, pw, f`; sumpool `5, c, h, w, kh, kw, sh, sw`;
    /// add `6, from, mul, from_mul`; maxpool `7, c, h, w, kh, kw, sh, sw, bits`.
    pub fn words(&self) -> Vec<i64> {
        let mut w = vec![ARCH_VERSION as i64, self.input_len as i64, self.input_min, self.input_top, self.ops.len() as i64];
        for op in &self.ops {
            w.extend(op.words());
        }
        w
    }

    /// The architecture `words` describe, checked (`check`), or what is wrong with them.
    pub fn from_words(w: &[i64]) -> Result<Arch, String> {
        let mut it = w.iter().copied().enumerate();
        let mut next = |what: &str, lo: i64, hi: i64| -> Result<i64, String> {
            match it.next() {
                None => Err(format!("architecture words end before {what}")),
                Some((i, v)) if v < lo || v > hi => Err(format!("architecture word {i} ({what}): expected {lo}..={hi}, got {v}")),
                Some((_, v)) => Ok(v),
            }
        };
        let v = ARCH_VERSION as i64;
        next("the version", v, v)?;
        let input_len = next("input_len", 1, 1 << 40)? as usize;
        let input_min = next("input_min", -MAX_INPUT_ABS, MAX_INPUT_ABS)?;
        let input_top = next("input_top", -MAX_INPUT_ABS, MAX_INPUT_ABS)?;
        let count = next("the op count", 0, 1 << 20)?;
        let mut ops = Vec::with_capacity(count.min(1 << 10) as usize);
        for _ in 0..count {
            let win = |next: &mut dyn FnMut(&str, i64, i64) -> Result<i64, String>, pad: bool| -> Result<Window, String> {
                let mut v = [0usize; 9];
                for (i, name) in ["c", "h", "w", "kh", "kw", "sh", "sw", "ph", "pw"].iter().enumerate().take(if pad { 9 } else { 7 }) {
                    v[i] = next(&format!("window {name}"), 0, 1 << 30)? as usize;
                }
                Ok(Window { c: v[0], h: v[1], w: v[2], kh: v[3], kw: v[4], sh: v[5], sw: v[6], ph: v[7], pw: v[8] })
            };
            ops.push(match next("an op's kind", 1, 7)? {
                7 => {
                    let w = win(&mut next, false)?;
                    ArchOp::MaxPool { win: w, bits: next("maxpool bits", 1, 62)? as u32 }
                }
                4 => {
                    let w = win(&mut next, true)?;
                    ArchOp::Conv { win: w, f: next("conv filters", 1, 1 << 30)? as usize }
                }
                5 => ArchOp::SumPool { win: win(&mut next, false)? },
                6 => ArchOp::Add { from: next("add from", 0, 1 << 20)? as usize, mul: next("add mul", 1, MAX_ADD_MUL)?, from_mul: next("add from_mul", 1, MAX_ADD_MUL)? },
                1 => ArchOp::Dense { m: next("dense m", 1, 1 << 30)? as usize, n: next("dense n", 1, 1 << 30)? as usize },
                2 => {
                    let (shift, relu, bits) = (next("requant shift", 0, 62)? as u32, next("requant relu", 0, 1)? == 1, next("requant bits", 1, 62)? as u32);
                    let clamp = next("requant clamp", 0, 62)? as u32;
                    ArchOp::Requant { shift, relu, bits, clamp: (clamp > 0).then_some(clamp) }
                }
                _ => ArchOp::Flatten,
            });
        }
        if w.len() > 5 + ops.iter().map(|o| o.words().len()).sum::<usize>() {
            return Err("architecture words continue past the last op".into());
        }
        let arch = Arch { input_len, input_min, input_top, ops };
        arch.check()?;
        Ok(arch)
    }

    /// keccak256 of `words`, each as a 32-byte big-endian int256 word (two's complement; what Solidity's
    /// abi.encode of int256 values gives).
    pub fn hash(&self) -> [u8; 32] {
        let mut h = Keccak256::new();
        for v in self.words() {
            h.update(signed_word(v));
        }
        h.finalize().into()
    }

    /// The committed segments, in two polynomials: the model's (per dense op its W blocks and b: committed once
    /// per model) and the witness's (per requant a, q, r and its two multiplicity vectors: committed per proof;
    /// absent when the network has no requant).
    pub fn layouts(&self) -> Layouts {
        self.layouts_for(InputVis::Public)
    }

    /// The range table of a private input (`InputVis`), or why this architecture's input cannot be private.
    pub fn input_table(&self) -> Result<Table, String> {
        let span = (self.input_top - self.input_min) as u64 + 1;
        let log_size = (64 - (span - 1).leading_zeros()).max(1) as usize;
        if self.input_min > 0 || self.input_top < 0 {
            return Err(format!("a private input's range [{}, {}] must contain 0 (the padding's value)", self.input_min, self.input_top));
        }
        if log_size > MAX_TABLE_LOG {
            return Err(format!("a private input's range [{}, {}] needs a table of 2^{log_size} rows, more than 2^{MAX_TABLE_LOG}", self.input_min, self.input_top));
        }
        Ok(Table::Activation { offset: self.input_min, log_size, lo: None, hi: Some(self.input_top) })
    }

    /// `layouts` for a statement whose input is public or private (a private input and its multiplicities join
    /// the witness).
    pub fn layouts_for(&self, input: InputVis) -> Layouts {
        self.layouts_batch(input, 1)
    }

    /// `layouts_for` a batch of `n` samples: every per-sample column (a requant's a, q, r; a private input; a max
    /// pool's y and differences) holds the batch's vector, log2 n more variables; the model and the tables' multiplicity
    /// columns are the batch's, once.
    pub fn layouts_batch(&self, input: InputVis, n: usize) -> Layouts {
        let lens = self.check().expect("a valid architecture");
        let bv = log2_ceil(n);
        let (mut model, mut wit) = (Vec::new(), Vec::new());
        for (k, op) in self.ops.iter().enumerate() {
            match *op {
                ArchOp::Dense { .. } | ArchOp::Conv { .. } => {
                    let (m, n) = op.matrix().expect("a matrix op");
                    for (rb, &(_, rl)) in pow2_parts(m).iter().enumerate() {
                        for (cb, &(_, cl)) in pow2_parts(n).iter().enumerate() {
                            model.push((k, SegKind::Weights { rb: rb as u8, cb: cb as u8 }, rl + cl));
                        }
                    }
                    model.push((k, SegKind::Bias, log2_ceil(m)));
                }
                ArchOp::SumPool { .. } | ArchOp::Add { .. } => {}
                ArchOp::MaxPool { win, bits } => {
                    wit.push((k, SegKind::PoolOut, log2_ceil(lens[k]) + bv));
                    wit.push((k, SegKind::PoolDiff, log2_ceil(lens[k]) + bv + log2_ceil(win.taps())));
                    wit.push((k, SegKind::MultPool, bits as usize - 1));
                }
                ArchOp::Requant { shift, bits, .. } => {
                    for kind in [SegKind::Act, SegKind::Quot, SegKind::Rem] {
                        wit.push((k, kind, log2_ceil(lens[k]) + bv));
                    }
                    wit.push((k, SegKind::MultRange, shift as usize));
                    wit.push((k, SegKind::MultAct, (bits - shift) as usize));
                }
                ArchOp::Flatten => {}
            }
        }
        if input == InputVis::Private {
            wit.push((0, SegKind::Input, log2_ceil(self.input_len) + bv));
            wit.push((0, SegKind::MultInput, self.input_table().expect("a private input's table").log_size()));
        }
        Layouts { model: Layout::new(&model), witness: (!wit.is_empty()).then(|| Layout::new(&wit)) }
    }

    /// The output's length.
    pub fn output_len(&self) -> usize {
        self.check().ok().and_then(|l| l.last().copied()).unwrap_or(self.input_len)
    }

    /// The Hyrax parameters for this architecture's two polynomials (generators hashed from HYRAX_TAG).
    pub fn hyrax_params(&self) -> NetParams {
        self.hyrax_params_for(InputVis::Public)
    }

    /// `hyrax_params` for the statement's input visibility.
    pub fn hyrax_params_for(&self, input: InputVis) -> NetParams {
        self.hyrax_params_batch(input, 1)
    }

    /// `hyrax_params_for` a batch of `n` samples.
    pub fn hyrax_params_batch(&self, input: InputVis, n: usize) -> NetParams {
        let l = self.layouts_batch(input, n);
        NetParams { model: HyraxParams::new(HYRAX_TAG, l.model.num_vars), witness: l.witness.map(|w| HyraxParams::new(HYRAX_TAG, w.num_vars)) }
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
                Op::Conv { win, f, .. } => ArchOp::Conv { win: *win, f: *f },
                &Op::SumPool { win } => ArchOp::SumPool { win },
                &Op::Add { from, mul, from_mul } => ArchOp::Add { from, mul, from_mul },
                &Op::MaxPool { win, bits } => ArchOp::MaxPool { win, bits },
            })
            .collect();
        Arch { input_len: self.input_len, input_min: self.input_min, input_top: self.input_top, ops }
    }

    /// The network of `arch` with its dense layers' weights and biases taken in order from `params` (per dense op:
    /// its m x n weights row-major, then its m biases), or what does not fit.
    pub fn from_parts(arch: &Arch, params: &[i64]) -> Result<Network, String> {
        let mut at = 0;
        let mut take = |len: usize, k: usize| -> Result<Vec<i64>, String> {
            let v = params.get(at..at + len).ok_or_else(|| format!("ops[{k}] dense: the parameters end at {} values", params.len()))?.to_vec();
            at += len;
            Ok(v)
        };
        let mut ops = Vec::with_capacity(arch.ops.len());
        for (k, op) in arch.ops.iter().enumerate() {
            ops.push(match *op {
                ArchOp::Dense { m, n } => Op::Dense { m, n, w: take(m * n, k)?, b: take(m, k)? },
                ArchOp::Requant { shift, relu, bits, clamp } => Op::Requant { shift, relu, bits, clamp },
                ArchOp::Flatten => Op::Flatten,
                ArchOp::Conv { win, f } => Op::Conv { win, f, w: take(f * win.c * win.taps(), k)?, b: take(f, k)? },
                ArchOp::SumPool { win } => Op::SumPool { win },
                ArchOp::Add { from, mul, from_mul } => Op::Add { from, mul, from_mul },
                ArchOp::MaxPool { win, bits } => Op::MaxPool { win, bits },
            });
        }
        if at != params.len() {
            return Err(format!("parameters: the architecture takes {at} values, got {}", params.len()));
        }
        Ok(Network { input_len: arch.input_len, input_min: arch.input_min, input_top: arch.input_top, ops })
    }

    /// The architecture's checks and the weights' and biases' lengths.
    pub fn check(&self) -> Result<(), String> {
        self.arch().check()?;
        for (k, op) in self.ops.iter().enumerate() {
            if let Some((m, n, w, b)) = op.matrix() {
                if w.len() != m * n || b.len() != m {
                    return Err(format!("ops[{k}]: a {m}x{n} weight matrix with {} weights and {} biases", w.len(), b.len()));
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
    if let Some((i, v)) = x.iter().enumerate().find(|(_, &v)| v < net.input_min || v > net.input_top) {
        return Err(format!("input: value {v} at [{i}] outside the declared range [{}, {}]", net.input_min, net.input_top));
    }
    let mut cur = x.to_vec();
    let mut out: Vec<Vec<i64>> = Vec::with_capacity(net.ops.len());
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
            Op::Conv { win, f, w, b } => conv_run(win, *f, w, b, &cur).map_err(|e| format!("ops[{k}] {e}"))?,
            Op::SumPool { win } => pool_run(win, &cur),
            &Op::MaxPool { win, bits } => {
                let y = maxpool_run(&win, &cur);
                if let Some(i) = maxpool_diffs(&win, &cur, &y).iter().position(|&d| d >= 1i64 << (bits - 1)) {
                    return Err(format!("ops[{k}] maxpool: a difference in the window of output [{}] does not fit {} bits", i % (1usize << log2_ceil(y.len())), bits - 1));
                }
                y
            }
            &Op::Add { from, mul, from_mul } => {
                let t = if from == 0 { x } else { &out[from - 1][..] };
                cur.iter()
                    .zip(t)
                    .enumerate()
                    .map(|(i, (&a, &b))| {
                        let s = mul as i128 * a as i128 + from_mul as i128 * b as i128;
                        i64::try_from(s).map_err(|_| format!("ops[{k}] add: sum {s} at [{i}] outside i64"))
                    })
                    .collect::<Result<_, _>>()?
            }
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
    /// b~(p), the dense sumcheck, and W's blocks' evaluations (row block major).
    Dense { b_eval: Fr, dense: DenseProof, w_blocks: Vec<Fr> },
    /// q~(p), r~(p) and the two lookups.
    Requant { q_eval: Fr, r_eval: Fr, lookups: Box<RequantProof> },
    /// The unpadding wiring (absent when the output positions are a power of two), b~(rf), the matrix product's
    /// sumcheck, W's blocks' evaluations, and the im2col wiring to the input (conv.rs).
    Conv { unpad: Option<WiringProof>, b_eval: Fr, dense: DenseProof, w_blocks: Vec<Fr>, im2col: WiringProof },
    /// The pool's wiring to its input.
    Pool { wiring: WiringProof },
    /// t~(p), the added tensor's evaluation (checked by the committed activation's opening, or computed from x).
    Add { t_eval: Fr },
    /// A private input's range lookup (`InputVis`): after the first op's layer proof, the last in the list.
    InputRange { lookup: Box<LogupProof> },
    /// A max pool: the zerocheck that some difference of each window is 0, the differences' and y's evaluations at
    /// its point, the differences' range lookup, and the taps' wiring to the input.
    MaxPool { zerocheck: SumcheckProof, d_evals: Vec<Fr>, y_eval: Fr, lookup: Box<LogupProof>, wiring: WiringProof },
}

/// A committed polynomial's claims merged into one point (batch.rs) and opened there (hyrax.rs).
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub batch: BatchProof,
    pub opening: HyraxOpening,
}

/// The whole proof.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkProof {
    /// The model's commitment when the proof carries it (private weights: made with the proof); absent when the
    /// verifier holds it (committed weights: made once per model, published).
    pub model_commitment: Option<HyraxCommitment>,
    /// The witness's commitment; absent exactly when the network has no requant.
    pub commitment: Option<HyraxCommitment>,
    /// From the last op down, flatten ops skipped.
    pub layers: Vec<LayerProof>,
    pub model_open: Opened,
    /// Present exactly when `commitment` is.
    pub witness_open: Option<Opened>,
}

/// The architecture's hash, a batch's size ("batch", only past one sample), then every sample's x in order
/// ("input") or, for a private input, its length ("input private"), then every sample's y.
/// The statement's words: the architecture, a batch's size past one sample, the inputs (or a private input's length),
/// the outputs, and the context the proof is bound to when there is one (a 32-byte word, for instance the address
/// that will submit it: a consumer contract passes uint160(msg.sender), so a proof copied from the mempool fails
/// for anyone else).
pub(crate) fn absorb_statement(t: &mut Transcript, arch_hash: &[u8; 32], xs: Option<&[Vec<i64>]>, input_len: usize, ys: &[Vec<i64>], context: Option<&[u8; 32]>) {
    let frs = |vs: &[Vec<i64>]| vs.iter().flatten().map(|&v| fr_from_i64(v)).collect::<Vec<_>>();
    t.absorb_bytes(b"arch", arch_hash);
    if ys.len() > 1 {
        t.absorb_frs(b"batch", &[Fr::from(ys.len() as u64)]);
    }
    match xs {
        Some(xs) => t.absorb_frs(b"input", &frs(xs)),
        None => t.absorb_frs(b"input private", &[Fr::from(input_len as u64)]),
    }
    t.absorb_frs(b"output", &frs(ys));
    if let Some(c) = context {
        t.absorb_bytes(b"context", c);
    }
}

/// A batch's layout of the samples' vectors (each of `len` values): each padded to 2^ceil(log2 len), then zero
/// samples up to a power of two, so a vector's MLE has its position's variables low and the sample's high. One
/// sample is its own vector, padded.
pub fn batch_vector<'a>(vs: impl Iterator<Item = &'a [i64]>, len: usize, n: usize) -> Vec<i64> {
    let run = 1usize << log2_ceil(len);
    let mut out = vec![0i64; run << log2_ceil(n)];
    for (b, v) in vs.enumerate() {
        out[b * run..b * run + v.len()].copy_from_slice(v);
    }
    out
}

/// sum_b eq(rb, b) v_b: a batch vector folded along its samples' variables (runs of `run` values).
pub(crate) fn fold_samples(v: &[i64], run: usize, rb: &[Fr]) -> Vec<Fr> {
    let eq = eq_table(rb);
    let mut out = vec![Fr::from(0u64); run];
    for (b, e) in eq.iter().enumerate() {
        for (o, &x) in out.iter_mut().zip(&v[b * run..(b + 1) * run]) {
            if x != 0 {
                *o += *e * fr_from_i64(x);
            }
        }
    }
    out
}

/// Proves that the network's weights map x to y (returned with the proof), with the given Hyrax parameters (those
/// of `net.arch().hyrax_params()`; pass them to reuse the generators). With `model`, the model's commitment the
/// verifier holds (`commit_model`, made once) is used and not sent; without it, it is made and sent.
pub fn prove_with(net: &Network, x: &[i64], params: &NetParams, model: Option<&HyraxCommitment>) -> Result<(NetworkProof, Vec<i64>), String> {
    prove_timed(net, x, params, model, InputVis::Public).map(|(p, y, _)| (p, y))
}

/// The model's polynomial: every dense op's W blocks and b placed in the model layout.
pub(crate) fn model_vector(net: &Network, layouts: &Layouts) -> Vec<i64> {
    let l = &layouts.model;
    let mut big = vec![0i64; 1 << l.num_vars];
    for (k, op) in net.ops.iter().enumerate() {
        if let Some((m, n, w, b)) = op.matrix() {
            for (rb, &rp) in pow2_parts(m).iter().enumerate() {
                for (cb, &cp) in pow2_parts(n).iter().enumerate() {
                    l.place(l.get(k, SegKind::Weights { rb: rb as u8, cb: cb as u8 }), &w_block(w, n, rp, cp), &mut big);
                }
            }
            l.place(l.get(k, SegKind::Bias), b, &mut big);
        }
    }
    big
}

/// The model's commitment (its weights and biases, Hyrax over the model layout): made once per model; what a
/// deployment publishes and a verifier of committed weights holds.
pub fn commit_model(net: &Network, params: &NetParams) -> Result<HyraxCommitment, String> {
    net.check()?;
    let layouts = net.arch().layouts();
    if params.model.num_vars != layouts.model.num_vars {
        return Err(format!("Hyrax parameters for 2^{} model entries, the layout has 2^{}", params.model.num_vars, layouts.model.num_vars));
    }
    Ok(commit_big(&params.model, &model_vector(net, &layouts)))
}

/// Each prover phase's wall and CPU seconds (this process's, all threads), in order.
pub type Timings = Vec<(&'static str, f64, f64)>;

/// A lap timer: each call pushes the phase's wall and CPU seconds since the last call (or the timer's start).
pub(crate) fn stopwatch() -> impl FnMut(&'static str, &mut Timings) {
    let (mut clock, mut cpu) = (std::time::Instant::now(), process_cpu_seconds());
    move |name, timings| {
        let c = process_cpu_seconds();
        timings.push((name, clock.elapsed().as_secs_f64(), c - cpu));
        (clock, cpu) = (std::time::Instant::now(), c);
    }
}

/// Runs f and adds its wall and CPU seconds to the entry `name` of `timings` (pushed at the first call): a phase's
/// laps summed over a loop.
pub(crate) fn timed<T>(timings: &mut Timings, name: &'static str, f: impl FnOnce() -> T) -> T {
    let (clock, cpu) = (std::time::Instant::now(), process_cpu_seconds());
    let out = f();
    let (wall, c) = (clock.elapsed().as_secs_f64(), process_cpu_seconds() - cpu);
    match timings.iter_mut().find(|(n, ..)| *n == name) {
        Some(e) => {
            e.1 += wall;
            e.2 += c;
        }
        None => timings.push((name, wall, c)),
    }
    out
}

/// This process's CPU seconds (utime + stime from /proc/self/stat at 100 ticks a second; 0 where there is none).
pub(crate) fn process_cpu_seconds() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<f64> = s.rsplit(')').next().unwrap_or("").split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// prove_with, also returning each phase's wall time (run and witness, commit, layers, batch, opening).
pub fn prove_timed(net: &Network, x: &[i64], params: &NetParams, model: Option<&HyraxCommitment>, input: InputVis) -> Result<(NetworkProof, Vec<i64>, Timings), String> {
    prove_batch_timed(net, &[x.to_vec()], params, model, input, None).map(|(p, mut ys, t)| (p, ys.remove(0), t))
}

/// prove_timed for a batch of inputs (one proof of every sample's inference: each layer's sumcheck runs once over
/// the batch, the weights folded once): the outputs in order. The Hyrax parameters are
/// `arch.hyrax_params_batch(input, xs.len())`'s. One sample's proof is prove_timed's. With `context`, the proof is
/// bound to it (absorb_statement): it verifies only with the same context.
pub fn prove_batch_timed(net: &Network, xs: &[Vec<i64>], params: &NetParams, model: Option<&HyraxCommitment>, input: InputVis, context: Option<&[u8; 32]>) -> Result<(NetworkProof, Vec<Vec<i64>>, Timings), String> {
    let mut timings = Timings::new();
    let mut lap = stopwatch();
    let wit = Witness::build(net, xs, input)?;
    let layouts = &wit.layouts;
    let sizes = |p: &NetParams| (p.model.num_vars, p.witness.as_ref().map(|w| w.num_vars));
    if sizes(params) != (layouts.model.num_vars, layouts.witness.as_ref().map(|w| w.num_vars)) {
        return Err(format!("Hyrax parameters for {:?} variables, the layouts have {:?}", sizes(params), (layouts.model.num_vars, layouts.witness.as_ref().map(|w| w.num_vars))));
    }
    lap("run and witness", &mut timings);
    let mut t = Transcript::new(DOMAIN_TAG);
    absorb_statement(&mut t, &wit.arch.hash(), (input == InputVis::Public).then_some(xs), wit.arch.input_len, &wit.ys, context);
    let model_commitment = match model {
        Some(c) => c.clone(),
        None => commit_big(&params.model, &wit.big_m),
    };
    t.absorb_g1s(b"model commitment", &model_commitment.rows);
    let commitment = params.witness.as_ref().map(|p| commit_big(p, &wit.big_w));
    if let Some(c) = &commitment {
        c.absorb(&mut t);
    }
    lap("commit", &mut timings);
    let (layers, claims) = prove_layers(net, &wit, &mut t)?;
    lap("layers", &mut timings);
    let (model_batch, s_m) = prove_claims(&layouts.model, &wit.big_m, &claims.model, &mut t);
    let witness_batch = layouts.witness.as_ref().map(|l| prove_claims(l, &wit.big_w, &claims.witness, &mut t));
    lap("batch", &mut timings);
    let (model_opening, value) = open_i64(&params.model, &wit.big_m, &s_m, &mut t);
    debug_assert_eq!(value, model_batch.p_eval);
    let witness_open = witness_batch.map(|(batch, s)| {
        let (opening, value) = open_i64(params.witness.as_ref().expect("witness params"), &wit.big_w, &s, &mut t);
        debug_assert_eq!(value, batch.p_eval);
        Opened { batch, opening }
    });
    lap("opening", &mut timings);
    let proof = NetworkProof {
        model_commitment: model.is_none().then_some(model_commitment),
        commitment,
        layers,
        model_open: Opened { batch: model_batch, opening: model_opening },
        witness_open,
    };
    Ok((proof, wit.ys, timings))
}

/// Requant data kept for its layer proof: the op, its witness columns and multiplicities.
type RequantData = (RequantOp, super::requant::RequantWitness, super::requant::RequantMultiplicities);

/// What the prover knows before any commitment, whatever the commitment scheme: every op's output as a batch
/// vector (`batch_vector`), the two committed vectors (the model's weights and biases; every requant's columns and
/// multiplicities, a max pool's output, differences and multiplicities, a private input and its multiplicities),
/// and each op's data for its layer proof.
pub(crate) struct Witness {
    pub(crate) arch: Arch,
    pub(crate) input: InputVis,
    pub(crate) layouts: Layouts,
    /// Samples in the batch, and the batch's variables (log2_ceil of it).
    n: usize,
    bv: usize,
    traces: Vec<Vec<Vec<i64>>>,
    x_b: Vec<i64>,
    trace: Vec<Vec<i64>>,
    pub(crate) ys: Vec<Vec<i64>>,
    pub(crate) big_m: Vec<i64>,
    pub(crate) big_w: Vec<i64>,
    requant_data: Vec<Option<RequantData>>,
    pool_data: Vec<Option<(Vec<i64>, Vec<u64>)>>,
    input_table: Option<Table>,
    input_mult: Option<Vec<u64>>,
}

impl Witness {
    /// Runs the network on every sample and lays out both committed vectors (`arch.layouts_batch(input, n)`).
    pub(crate) fn build(net: &Network, xs: &[Vec<i64>], input: InputVis) -> Result<Witness, String> {
        if xs.is_empty() {
            return Err("a batch of no inputs".into());
        }
        let n = xs.len();
        let bv = log2_ceil(n);
        let traces: Vec<Vec<Vec<i64>>> = xs.iter().enumerate().map(|(b, x)| try_run(net, x).map_err(|e| if n > 1 { format!("batch[{b}]: {e}") } else { e })).collect::<Result<_, _>>()?;
        let arch = net.arch();
        let lens = arch.check()?;
        let input_table = match input {
            InputVis::Private => Some(arch.input_table()?),
            InputVis::Public => None,
        };
        let layouts = arch.layouts_batch(input, n);
        // every op's output as a batch vector (batch_vector); the input's too
        let x_b = batch_vector(xs.iter().map(|x| &x[..]), arch.input_len, n);
        let trace: Vec<Vec<i64>> = (0..net.ops.len()).map(|k| batch_vector(traces.iter().map(|t| &t[k][..]), lens[k], n)).collect();
        let input_of = |k: usize| if k == 0 { &x_b[..] } else { &trace[k - 1][..] };
        let ys: Vec<Vec<i64>> = traces.iter().zip(xs).map(|(t, x)| t.last().cloned().unwrap_or_else(|| x.clone())).collect();

        // The witness: every requant's columns and multiplicities placed in one vector; the model's in another.
        let big_m = model_vector(net, &layouts);
        let mut big_w = vec![0i64; layouts.witness.as_ref().map_or(0, |l| 1 << l.num_vars)];
        let mut requant_data = vec![None; net.ops.len()];
        for (k, op) in net.ops.iter().enumerate() {
            if let &Op::Requant { shift, relu, bits, clamp } = op {
                let l = layouts.witness.as_ref().expect("a requant, so a witness layout");
                let op = RequantOp { shift, relu, bits, clamp };
                let wit = requant_witness(input_of(k), &op).map_err(|e| format!("ops[{k}]: {e}"))?;
                let mult = requant_multiplicities(&wit, &op).map_err(|e| format!("ops[{k}]: {e}"))?;
                debug_assert_eq!(&wit.a[..trace[k].len()], &trace[k][..]);
                l.place(l.get(k, SegKind::Quot), &wit.q, &mut big_w);
                l.place(l.get(k, SegKind::Rem), &wit.r, &mut big_w);
                l.place(l.get(k, SegKind::Act), &wit.a, &mut big_w);
                let as_i64 = |m: &[u64]| m.iter().map(|&c| c as i64).collect::<Vec<i64>>();
                l.place(l.get(k, SegKind::MultRange), &as_i64(&mult.range), &mut big_w);
                l.place(l.get(k, SegKind::MultAct), &as_i64(&mult.act), &mut big_w);
                requant_data[k] = Some((op, wit, mult));
            }
        }
        let mut pool_data = vec![None; net.ops.len()];
        for (k, op) in net.ops.iter().enumerate() {
            if let &Op::MaxPool { win, bits } = op {
                let l = layouts.witness.as_ref().expect("a max pool, so a witness layout");
                let d = maxpool_diffs_batch(&win, &traces.iter().map(|t| if k == 0 { &[][..] } else { &t[k - 1][..] }).collect::<Vec<_>>(), &traces.iter().map(|t| &t[k][..]).collect::<Vec<_>>());
                let mult = table_multiplicities(&[&d], &maxpool_table(bits)).map_err(|e| format!("ops[{k}] maxpool: {e}"))?;
                l.place(l.get(k, SegKind::PoolOut), &trace[k], &mut big_w);
                l.place(l.get(k, SegKind::PoolDiff), &d, &mut big_w);
                l.place(l.get(k, SegKind::MultPool), &mult.iter().map(|&c| c as i64).collect::<Vec<_>>(), &mut big_w);
                pool_data[k] = Some((d, mult));
            }
        }
        let input_mult = match &input_table {
            Some(table) => {
                let l = layouts.witness.as_ref().expect("a private input, so a witness layout");
                let mult = table_multiplicities(&[&x_b, &x_b], table).map_err(|e| format!("input: {e}"))?;
                l.place(l.get(0, SegKind::Input), &x_b, &mut big_w);
                l.place(l.get(0, SegKind::MultInput), &mult.iter().map(|&c| c as i64).collect::<Vec<_>>(), &mut big_w);
                Some(mult)
            }
            None => None,
        };

        Ok(Witness { arch, input, layouts, n, bv, traces, x_b, trace, ys, big_m, big_w, requant_data, pool_data, input_table, input_mult })
    }

    /// The input of op k as a batch vector (the network's input for op 0).
    fn input_of(&self, k: usize) -> &[i64] {
        if k == 0 {
            &self.x_b
        } else {
            &self.trace[k - 1]
        }
    }
}

/// Every op's layer proof, from the last op down (module doc, steps 2-4), after the statement and the commitments
/// are in the transcript: the proofs and the claims they leave on the two committed vectors.
pub(crate) fn prove_layers(net: &Network, wit: &Witness, t: &mut Transcript) -> Result<(Vec<LayerProof>, ClaimSet), String> {
    let (layouts, arch, n, bv, input, traces, trace, x_b) = (&wit.layouts, &wit.arch, wit.n, wit.bv, wit.input, &wit.traces, &wit.trace, &wit.x_b);
    let (big_m, big_w, requant_data, pool_data) = (&wit.big_m, &wit.big_w, &wit.requant_data, &wit.pool_data);
    let (input_table, input_mult) = (&wit.input_table, &wit.input_mult);
    let input_of = |k: usize| wit.input_of(k);
    let big_of = |poly: Poly| if poly == Poly::Model { (&big_m[..], &layouts.model) } else { (&big_w[..], layouts.witness.as_ref().expect("witness")) };
    let seg_mle = |(poly, seg): (Poly, usize)| {
        let (big, l) = big_of(poly);
        Mle::from_i64(l.slice(seg, big))
    };
    let mut point = t.challenge_frs(log2_ceil(arch.output_len()) + bv);
    let mut claims = ClaimSet::default();
    let mut layers = Vec::new();
    for (k, op) in net.ops.iter().enumerate().rev() {
        match op {
            Op::Flatten => {}
            &Op::Requant { .. } => {
                let a_seg = layouts.get(k, SegKind::Act);
                let a_val = seg_mle(a_seg).evaluate(&point);
                claims.add(a_seg, point.clone(), a_val);
                let (qs, rs) = (layouts.get(k, SegKind::Quot), layouts.get(k, SegKind::Rem));
                let (q_eval, r_eval) = (seg_mle(qs).evaluate(&point), seg_mle(rs).evaluate(&point));
                t.absorb_frs(b"requant evals", &[q_eval, r_eval]);
                claims.add(qs, point.clone(), q_eval);
                claims.add(rs, point.clone(), r_eval);
                let (op, wit, mult) = requant_data[k].as_ref().expect("witness built above");
                let (lookups, rc) = prove_requant(wit, mult, op, t).map_err(|e| format!("ops[{k}]: {e}"))?;
                add_requant_claims(&mut claims, &layouts, k, &rc);
                layers.push(LayerProof::Requant { q_eval, r_eval, lookups: Box::new(lookups) });
            }
            Op::Dense { m, n: cols, w, .. } => {
                let (local, rb) = point.split_at(point.len() - bv);
                let bs = layouts.get(k, SegKind::Bias);
                let b_eval = seg_mle(bs).evaluate(local);
                t.absorb_fr(b"dense bias", &b_eval);
                claims.add(bs, local.to_vec(), b_eval);
                let a = Mle::new(fold_samples(input_of(k), 1 << log2_ceil(*cols), rb));
                let (dense, w_blocks, sigma) = prove_matrix(&layouts, k, (w, *m, *cols), a, local, &mut claims, t);
                point = sigma.iter().chain(rb).copied().collect();
                layers.push(LayerProof::Dense { b_eval, dense, w_blocks });
            }
            Op::Conv { win, f, w, .. } => {
                let (pl, tl) = (win.positions(), win.c * win.taps());
                let unpad = (!pl.is_power_of_two()).then(|| {
                    let z = batch_vector(traces.iter().map(|t| pad_rows(&t[k], *f, pl)).collect::<Vec<_>>().iter().map(|v| &v[..]), (1 << log2_ceil(*f)) << log2_ceil(pl), n);
                    let (proof, r2, _) = prove_wiring(&Wiring::Unpad { rows: *f, cols: pl }, &point, &z, n, t);
                    point = r2;
                    proof
                });
                let (local, rb) = point.split_at(point.len() - bv);
                let (rp, rf) = local.split_at(log2_ceil(pl));
                let bs = layouts.get(k, SegKind::Bias);
                let b_eval = seg_mle(bs).evaluate(rf);
                t.absorb_fr(b"conv bias", &b_eval);
                claims.add(bs, rf.to_vec(), b_eval);
                let x_fold = fold_samples(input_of(k), 1 << log2_ceil(win.in_len()), rb);
                let a = Mle::new(im2col_fold(win, &x_fold, &eq_table(rp)));
                let (dense, w_blocks, sigma) = prove_matrix(&layouts, k, (w, *f, tl), a, rf, &mut claims, t);
                let r: Vec<Fr> = rp.iter().chain(&sigma).chain(rb).copied().collect();
                let (im2col, r2, _) = prove_wiring(&Wiring::Im2col { win: *win }, &r, input_of(k), n, t);
                point = r2;
                layers.push(LayerProof::Conv { unpad, b_eval, dense, w_blocks, im2col });
            }
            Op::SumPool { win } => {
                let (wiring, r2, _) = prove_wiring(&Wiring::Pool { win: *win }, &point, input_of(k), n, t);
                point = r2;
                layers.push(LayerProof::Pool { wiring });
            }
            &Op::MaxPool { win, bits } => {
                let (d, mult) = pool_data[k].as_ref().expect("witness built above");
                let y = &trace[k];
                claims.add(layouts.get(k, SegKind::PoolOut), point.clone(), Mle::from_i64(y).evaluate(&point));
                let nv = log2_ceil(y.len());
                let run = 1usize << nv;
                let tau = t.challenge_frs(nv);
                let factors: Vec<Mle> = std::iter::once(Mle::new(eq_table(&tau))).chain((0..win.taps()).map(|i| Mle::from_i64(&d[i * run..(i + 1) * run]))).collect();
                let zc = sumcheck::prove(factors, t);
                debug_assert!(zc.claim == Fr::from(0u64), "a window with no zero difference");
                let (tp, d_evals) = (zc.point, zc.factor_evals[1..].to_vec());
                let y_eval = Mle::from_i64(y).evaluate(&tp);
                let (lookup, wiring, r2) = prove_maxpool_rest(&layouts, k, (&win, bits, n), d, mult, (&tp, &d_evals, y_eval), input_of(k), &mut claims, t)?;
                point = r2;
                layers.push(LayerProof::MaxPool { zerocheck: zc.proof, d_evals, y_eval, lookup: Box::new(lookup), wiring });
            }
            &Op::Add { from, .. } => {
                let t_eval = Mle::from_i64(if from == 0 { &x_b } else { &trace[from - 1] }).evaluate(&point);
                t.absorb_fr(b"add eval", &t_eval);
                if from > 0 {
                    claims.add(layouts.get(from - 1, SegKind::Act), point.clone(), t_eval);
                } else if input == InputVis::Private {
                    claims.add(layouts.get(0, SegKind::Input), point.clone(), t_eval);
                }
                layers.push(LayerProof::Add { t_eval });
            }
        }
    }
    if let (Some(table), Some(mult)) = (&input_table, &input_mult) {
        claims.add(layouts.get(0, SegKind::Input), point.clone(), Mle::from_i64(&x_b).evaluate(&point));
        let xf = columns_fr(&[&x_b]).pop().expect("one column");
        let (lookup, lc) = prove_logup(&[&xf, &xf], mult, table, t).map_err(|e| format!("input: {e}"))?;
        add_input_claims(&mut claims, &layouts, &lc);
        layers.push(LayerProof::InputRange { lookup: Box::new(lookup) });
    }
    Ok((layers, claims))
}

/// y (f runs of `cols` values) with each run padded to 2^ceil(log2 cols), f padded to a power of two: the layout a
/// conv's matrix product leaves its claim in (conv.rs, `Wiring::Unpad`).
pub(crate) fn pad_rows(y: &[i64], f: usize, cols: usize) -> Vec<i64> {
    let pp = 1 << log2_ceil(cols);
    let mut z = vec![0i64; (1 << log2_ceil(f)) * pp];
    for (i, run) in y.chunks(cols).enumerate() {
        z[i * pp..i * pp + cols].copy_from_slice(run);
    }
    z
}

/// A dense or conv op's matrix-vector step (its bias already taken from the claim by the caller): the sumcheck of
/// sum_j W~(rho, j) a~(j), W's blocks' evaluations at (sigma_low || rho_low) as claims on the model, absorbed.
/// Returns the proof, the blocks' evaluations and sigma (a~(sigma) is in the proof).
fn prove_matrix(layouts: &Layouts, k: usize, (w, m, n): (&[i64], usize, usize), a: Mle, rho: &[Fr], claims: &mut ClaimSet, t: &mut Transcript) -> (DenseProof, Vec<Fr>, Vec<Fr>) {
    let rows = pow2_parts(m);
    let (out, row_folds) = prove_dense_rows_mle(w, m, n, a, rho, &rows, t);
    let cols = pow2_parts(n);
    let eq_cols: Vec<Vec<Fr>> = cols.iter().map(|&(_, cl)| eq_table(&out.sigma[..cl])).collect();
    let mut w_blocks = Vec::new();
    for (rb, (&(_, rl), g)) in rows.iter().zip(&row_folds).enumerate() {
        for (cb, (&(co, cl), eq_c)) in cols.iter().zip(&eq_cols).enumerate() {
            let seg = layouts.get(k, SegKind::Weights { rb: rb as u8, cb: cb as u8 });
            let v = inner_product(&g[co..co + (1 << cl)], eq_c);
            let local: Vec<Fr> = out.sigma[..cl].iter().chain(&rho[..rl]).copied().collect();
            claims.add(seg, local, v);
            w_blocks.push(v);
        }
    }
    debug_assert_eq!(w_eval_from_blocks(&w_blocks, m, n, rho, &out.sigma), Some(out.w_eval));
    t.absorb_frs(b"dense w blocks", &w_blocks);
    (out.proof, w_blocks, out.sigma)
}

/// Checks a dense or conv op's matrix-vector step against the claim c (bias taken out): the sumcheck, W's blocks
/// combined against W~(rho, sigma), each block's evaluation added to the model's claims. Returns sigma and a~(sigma).
#[allow(clippy::too_many_arguments)]
fn verify_matrix(layouts: &Layouts, k: usize, (m, n): (usize, usize), dense: &DenseProof, w_blocks: &[Fr], c: Fr, rho: &[Fr], claims: &mut ClaimSet, t: &mut Transcript) -> Result<(Vec<Fr>, Fr), VerifyError> {
    let cl = verify_dense(dense, c, m, n, rho, t)?;
    let nb = pow2_parts(m).len() * pow2_parts(n).len();
    if w_blocks.len() != nb {
        return Err(VerifyError::Shape { what: "dense W block evaluations", got: w_blocks.len(), expected: nb });
    }
    if w_eval_from_blocks(w_blocks, m, n, rho, &cl.sigma) != Some(cl.w_eval) {
        return Err(VerifyError::FinalValue { what: "dense W blocks (their combination is not W~(rho, sigma))" });
    }
    t.absorb_frs(b"dense w blocks", w_blocks);
    let mut i = 0;
    for (rb, &(_, rl)) in pow2_parts(m).iter().enumerate() {
        for (cb, &(_, cll)) in pow2_parts(n).iter().enumerate() {
            let local: Vec<Fr> = cl.sigma[..cll].iter().chain(&rho[..rl]).copied().collect();
            claims.add(layouts.get(k, SegKind::Weights { rb: rb as u8, cb: cb as u8 }), local, w_blocks[i]);
            i += 1;
        }
    }
    Ok((cl.sigma, cl.a_eval))
}

/// prove_with, the Hyrax generators derived here.
pub fn prove(net: &Network, x: &[i64]) -> Result<(NetworkProof, Vec<i64>), String> {
    let params = net.arch().hyrax_params();
    prove_with(net, x, &params, None)
}

/// Checks a proof that some weights of `arch` map x to y: the transcript replayed, y~ and x~ evaluated here, every
/// sumcheck checked, every claim on committed data merged and opened (module doc). With `model`, the weights are
/// the ones of that commitment (committed weights: the proof must not carry one); without, any weights (the proof
/// carries their commitment: paper0's statement).
pub fn verify_with(arch: &Arch, x: &[i64], y: &[i64], proof: &NetworkProof, params: &NetParams, model: Option<&HyraxCommitment>) -> Result<(), VerifyError> {
    verify_hashed(arch, &arch.hash(), Some(&[x.to_vec()]), &[y.to_vec()], proof, params, model, None)
}

/// verify_with for a batch (prove_batch_timed's proofs): every sample's input (None: private inputs) and output,
/// in order; `params` are `arch.hyrax_params_batch(input, ys.len())`; `context`: the one the proof was bound to.
pub fn verify_batch_with(arch: &Arch, xs: Option<&[Vec<i64>]>, ys: &[Vec<i64>], proof: &NetworkProof, params: &NetParams, model: Option<&HyraxCommitment>, context: Option<&[u8; 32]>) -> Result<(), VerifyError> {
    verify_hashed(arch, &arch.hash(), xs, ys, proof, params, model, context)
}

/// verify_with for a private input (`InputVis::Private`): x is not known; the proof binds some x in the declared
/// range, committed in the witness. `params` are `arch.hyrax_params_for(InputVis::Private)`.
pub fn verify_private_input(arch: &Arch, y: &[i64], proof: &NetworkProof, params: &NetParams, model: Option<&HyraxCommitment>) -> Result<(), VerifyError> {
    verify_hashed(arch, &arch.hash(), None, &[y.to_vec()], proof, params, model, None)
}

/// verify_with with the architecture's hash given (the tests pass another to show it is bound).
#[allow(clippy::too_many_arguments)]
fn verify_hashed(arch: &Arch, arch_hash: &[u8; 32], xs: Option<&[Vec<i64>]>, ys: &[Vec<i64>], proof: &NetworkProof, params: &NetParams, model: Option<&HyraxCommitment>, context: Option<&[u8; 32]>) -> Result<(), VerifyError> {
    let st = Statement::check(arch, xs, ys, proof.layers.len())?;
    let layouts = &st.layouts;
    if params.model.num_vars != layouts.model.num_vars || params.witness.as_ref().map(|p| p.num_vars) != layouts.witness.as_ref().map(|l| l.num_vars) {
        return Err(VerifyError::Shape { what: "hyrax parameters", got: params.model.num_vars, expected: layouts.model.num_vars });
    }
    let model_commitment = match (model, &proof.model_commitment) {
        (Some(c), None) => c,
        (None, Some(c)) => c,
        (Some(_), Some(_)) => return Err(VerifyError::Shape { what: "model commitment (the verifier holds the model's: the proof must not carry one)", got: 1, expected: 0 }),
        (None, None) => return Err(VerifyError::Shape { what: "model commitment (weights private: the proof must carry one)", got: 0, expected: 1 }),
    };
    let has_witness = layouts.witness.is_some();
    if proof.commitment.is_some() != has_witness || proof.witness_open.is_some() != has_witness {
        return Err(VerifyError::Shape { what: "witness commitment and opening (present exactly when the network has a requant or a private input)", got: proof.commitment.is_some() as usize, expected: has_witness as usize });
    }
    let mut t = Transcript::new(DOMAIN_TAG);
    absorb_statement(&mut t, arch_hash, xs, arch.input_len, ys, context);
    t.absorb_g1s(b"model commitment", &model_commitment.rows);
    if let Some(c) = &proof.commitment {
        c.absorb(&mut t);
    }
    let claims = verify_layers(arch, &st, ys, &proof.layers, &mut t)?;
    let (s_m, p_m) = verify_batch(&proof.model_open.batch, &claims.model.points(&layouts.model), &claims.model.values(), layouts.model.num_vars, &mut t)?;
    let witness = match (&layouts.witness, &proof.witness_open) {
        (Some(l), Some(o)) => Some(verify_batch(&o.batch, &claims.witness.points(l), &claims.witness.values(), l.num_vars, &mut t)?),
        _ => None,
    };
    verify_opening(&params.model, model_commitment, &s_m, p_m, &proof.model_open.opening, &mut t)?;
    if let (Some((s_w, p_w)), Some(c), Some(o), Some(pw)) = (witness, &proof.commitment, &proof.witness_open, &params.witness) {
        verify_opening(pw, c, &s_w, p_w, &o.opening, &mut t)?;
    }
    Ok(())
}


/// What the verifier derives from the architecture and the public values before reading the proof, whatever the
/// commitment scheme: the batch, the input's form, the layouts, each op's output length.
pub(crate) struct Statement {
    lens: Vec<usize>,
    n: usize,
    bv: usize,
    out_len: usize,
    input_table: Option<Table>,
    x_b: Option<Vec<i64>>,
    pub(crate) layouts: Layouts,
}

impl Statement {
    /// The statement's shapes checked against the architecture (inputs in range, as many outputs as inputs,
    /// `layer_count` layer proofs).
    pub(crate) fn check(arch: &Arch, xs: Option<&[Vec<i64>]>, ys: &[Vec<i64>], layer_count: usize) -> Result<Statement, VerifyError> {
    let lens = arch.check().map_err(|_| VerifyError::Shape { what: "architecture", got: 0, expected: 0 })?;
        let n = ys.len();
        if n == 0 || xs.is_some_and(|xs| xs.len() != n) {
            return Err(VerifyError::Shape { what: "batch (as many inputs as outputs, at least one)", got: xs.map_or(0, |xs| xs.len()), expected: n });
        }
        let bv = log2_ceil(n);
        let input = if xs.is_some() { InputVis::Public } else { InputVis::Private };
        let input_table = match input {
            InputVis::Private => Some(arch.input_table().map_err(|_| VerifyError::Shape { what: "private input range table (the range must contain 0, in at most 2^20 rows)", got: 0, expected: 0 })?),
            InputVis::Public => None,
        };
        for x in xs.unwrap_or(&[]) {
            if x.len() != arch.input_len {
                return Err(VerifyError::Shape { what: "input", got: x.len(), expected: arch.input_len });
            }
            if let Some((index, &value)) = x.iter().enumerate().find(|(_, &v)| v < arch.input_min || v > arch.input_top) {
                return Err(VerifyError::InputRange { index, value, min: arch.input_min, top: arch.input_top });
            }
        }
        let out_len = lens.last().copied().unwrap_or(arch.input_len);
        if let Some(y) = ys.iter().find(|y| y.len() != out_len) {
            return Err(VerifyError::Shape { what: "output", got: y.len(), expected: out_len });
        }
        let x_b = xs.map(|xs| batch_vector(xs.iter().map(|x| &x[..]), arch.input_len, n));
        let layouts = arch.layouts_batch(input, n);
        let expected_layers = arch.ops.iter().filter(|o| !matches!(o, ArchOp::Flatten)).count() + input_table.is_some() as usize;
        if layer_count != expected_layers {
            return Err(VerifyError::Shape { what: "layer proofs", got: layer_count, expected: expected_layers });
        }
        Ok(Statement { lens, n, bv, out_len, input_table, x_b, layouts })
    }
}

/// Replays every layer proof from the last op down (module doc, steps 2-4) after the statement and commitments are
/// in the transcript: the claims left on the two committed vectors.
pub(crate) fn verify_layers(arch: &Arch, st: &Statement, ys: &[Vec<i64>], layers: &[LayerProof], t: &mut Transcript) -> Result<ClaimSet, VerifyError> {
    let (lens, n, bv, out_len, input_table, x_b, layouts) = (&st.lens, st.n, st.bv, st.out_len, &st.input_table, &st.x_b, &st.layouts);
    let mut point = t.challenge_frs(log2_ceil(out_len) + bv);
    let mut value = Mle::from_i64(&batch_vector(ys.iter().map(|y| &y[..]), out_len, n)).evaluate(&point);
    let mut claims = ClaimSet::default();
    let mut lp = layers.iter();
    for (k, op) in arch.ops.iter().enumerate().rev() {
        match *op {
            ArchOp::Flatten => {}
            ArchOp::Requant { shift, relu, bits, clamp } => {
                let Some(LayerProof::Requant { q_eval, r_eval, lookups }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (requant expected)", got: k, expected: k });
                };
                claims.add(layouts.get(k, SegKind::Act), point.clone(), value);
                t.absorb_frs(b"requant evals", &[*q_eval, *r_eval]);
                claims.add(layouts.get(k, SegKind::Quot), point.clone(), *q_eval);
                claims.add(layouts.get(k, SegKind::Rem), point.clone(), *r_eval);
                value = input_from_parts(*q_eval, *r_eval, shift);
                let op = RequantOp { shift, relu, bits, clamp };
                let rc = verify_requant(lookups, log2_ceil(lens[k]) + bv, &op, t)?;
                add_requant_claims(&mut claims, &layouts, k, &rc);
            }
            ArchOp::Dense { m, n: cols } => {
                let Some(LayerProof::Dense { b_eval, dense, w_blocks }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (dense expected)", got: k, expected: k });
                };
                let (local, rb) = point.split_at(point.len() - bv);
                t.absorb_fr(b"dense bias", b_eval);
                claims.add(layouts.get(k, SegKind::Bias), local.to_vec(), *b_eval);
                let (sigma, a_eval) = verify_matrix(&layouts, k, (m, cols), dense, w_blocks, value - *b_eval * prefix_eq_sum(rb, n), local, &mut claims, t)?;
                point = sigma.iter().chain(rb).copied().collect();
                value = a_eval;
            }
            ArchOp::Conv { win, f } => {
                let Some(LayerProof::Conv { unpad, b_eval, dense, w_blocks, im2col }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (conv expected)", got: k, expected: k });
                };
                let (pl, tl) = (win.positions(), win.c * win.taps());
                match (pl.is_power_of_two(), unpad) {
                    (true, None) => {}
                    (false, Some(u)) => (point, value) = verify_wiring(&Wiring::Unpad { rows: f, cols: pl }, u, &point, value, n, t)?,
                    (pow2, _) => return Err(VerifyError::Shape { what: "conv unpadding wiring (sent exactly when the output positions are not a power of two)", got: pow2 as usize, expected: !pow2 as usize }),
                }
                let (local, rb) = point.split_at(point.len() - bv);
                let (rp, rf) = local.split_at(log2_ceil(pl));
                t.absorb_fr(b"conv bias", b_eval);
                claims.add(layouts.get(k, SegKind::Bias), rf.to_vec(), *b_eval);
                let bias_weight = prefix_eq_sum(rp, pl) * prefix_eq_sum(rb, n);
                let (sigma, a_eval) = verify_matrix(&layouts, k, (f, tl), dense, w_blocks, value - *b_eval * bias_weight, rf, &mut claims, t)?;
                let r: Vec<Fr> = rp.iter().chain(&sigma).chain(rb).copied().collect();
                (point, value) = verify_wiring(&Wiring::Im2col { win }, im2col, &r, a_eval, n, t)?;
            }
            ArchOp::SumPool { win } => {
                let Some(LayerProof::Pool { wiring }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (sumpool expected)", got: k, expected: k });
                };
                (point, value) = verify_wiring(&Wiring::Pool { win }, wiring, &point, value, n, t)?;
            }
            ArchOp::MaxPool { win, bits } => {
                let Some(LayerProof::MaxPool { zerocheck, d_evals, y_eval, lookup, wiring }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (maxpool expected)", got: k, expected: k });
                };
                claims.add(layouts.get(k, SegKind::PoolOut), point.clone(), value);
                if d_evals.len() != win.taps() {
                    return Err(VerifyError::Shape { what: "maxpool difference evaluations", got: d_evals.len(), expected: win.taps() });
                }
                let nv = log2_ceil(lens[k]) + bv;
                let tau = t.challenge_frs(nv);
                let (tp, e) = sumcheck::verify(zerocheck, Fr::from(0u64), nv, win.taps() + 1, t)?;
                if e != eq_eval(&tau, &tp) * d_evals.iter().product::<Fr>() {
                    return Err(VerifyError::FinalValue { what: "maxpool zerocheck (a window with no zero difference)" });
                }
                absorb_maxpool_evals(&layouts, k, &win, &tp, d_evals, *y_eval, &mut claims, t);
                let lc = verify_logup(lookup, nv + log2_ceil(win.taps()), &maxpool_table(bits), t)?;
                if lc.f_values.len() != 1 {
                    return Err(VerifyError::Shape { what: "maxpool lookup columns", got: lc.f_values.len(), expected: 1 });
                }
                add_maxpool_lookup_claims(&layouts, k, &lc, &mut claims);
                let gamma = t.challenge_fr();
                let mut combined = Fr::from(0u64);
                for d in d_evals.iter().rev() {
                    combined = combined * gamma + (*y_eval - d);
                }
                (point, value) = verify_wiring(&Wiring::Taps { win, gamma }, wiring, &tp, combined, n, t)?;
            }
            ArchOp::Add { from, mul, from_mul } => {
                let Some(LayerProof::Add { t_eval }) = lp.next() else {
                    return Err(VerifyError::Shape { what: "layer proof kind (add expected)", got: k, expected: k });
                };
                t.absorb_fr(b"add eval", t_eval);
                if from == 0 {
                    match &x_b {
                        Some(x) if Mle::from_i64(x).evaluate(&point) != *t_eval => return Err(VerifyError::FinalValue { what: "add (the input's evaluation)" }),
                        Some(_) => {}
                        None => claims.add(layouts.get(0, SegKind::Input), point.clone(), *t_eval),
                    }
                } else {
                    claims.add(layouts.get(from - 1, SegKind::Act), point.clone(), *t_eval);
                }
                value = (value - Fr::from(from_mul) * t_eval) * Fr::from(mul).inverse().expect("mul >= 1");
            }
        }
    }
    match (&x_b, &input_table) {
        (Some(x), _) => {
            if Mle::from_i64(x).evaluate(&point) != value {
                return Err(VerifyError::FinalValue { what: "network input (x~ at the first layer's sigma)" });
            }
        }
        (None, Some(table)) => {
            claims.add(layouts.get(0, SegKind::Input), point.clone(), value);
            let Some(LayerProof::InputRange { lookup }) = lp.next() else {
                return Err(VerifyError::Shape { what: "layer proof kind (the private input's range lookup expected last)", got: 0, expected: 0 });
            };
            let lc = verify_logup(lookup, log2_ceil(arch.input_len) + bv, table, t)?;
            if lc.f_values.len() != 2 {
                return Err(VerifyError::Shape { what: "private input lookup columns", got: lc.f_values.len(), expected: 2 });
            }
            add_input_claims(&mut claims, &layouts, &lc);
        }
        (None, None) => unreachable!("a private input has its table"),
    }
    Ok(claims)
}

/// The zerocheck point's evaluations absorbed and claimed (differences on their taps' runs, y), then the
/// differences' range lookup and the taps' wiring to x (combined by gamma, drawn after both): a max pool's
/// proof after its zerocheck. Returns the lookup, the wiring and the point of its claim on x.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn prove_maxpool_rest(layouts: &Layouts, k: usize, (win, bits, n): (&Window, u32, usize), d: &[i64], mult: &[u64], (tp, d_evals, y_eval): (&[Fr], &[Fr], Fr), x: &[i64], claims: &mut ClaimSet, t: &mut Transcript) -> Result<(LogupProof, WiringProof, Vec<Fr>), String> {
    absorb_maxpool_evals(layouts, k, win, tp, d_evals, y_eval, claims, t);
    let df = columns_fr(&[d]).pop().expect("one column");
    let (lookup, lc) = prove_logup(&[&df], mult, &maxpool_table(bits), t).map_err(|e| format!("ops[{k}] maxpool: {e}"))?;
    add_maxpool_lookup_claims(layouts, k, &lc, claims);
    let gamma = t.challenge_fr();
    let (wiring, r2, _) = prove_wiring(&Wiring::Taps { win: *win, gamma }, tp, x, n, t);
    Ok((lookup, wiring, r2))
}

/// Both sides: the differences' and y's evaluations at the zerocheck's point, absorbed ("maxpool evals"), each
/// difference claimed on its tap's run of the differences' segment (the tap's bits high), y on its own.
#[allow(clippy::too_many_arguments)]
fn absorb_maxpool_evals(layouts: &Layouts, k: usize, win: &Window, tp: &[Fr], d_evals: &[Fr], y_eval: Fr, claims: &mut ClaimSet, t: &mut Transcript) {
    t.absorb_frs(b"maxpool evals", &d_evals.iter().copied().chain(std::iter::once(y_eval)).collect::<Vec<_>>());
    let tap_bits = log2_ceil(win.taps());
    for (i, v) in d_evals.iter().enumerate() {
        let point: Vec<Fr> = tp.iter().copied().chain((0..tap_bits).map(|b| Fr::from(((i >> b) & 1) as u64))).collect();
        claims.add(layouts.get(k, SegKind::PoolDiff), point, *v);
    }
    claims.add(layouts.get(k, SegKind::PoolOut), tp.to_vec(), y_eval);
}

/// A max pool's range lookup's claims: the differences' column and its multiplicities.
fn add_maxpool_lookup_claims(layouts: &Layouts, k: usize, lc: &LogupClaims, claims: &mut ClaimSet) {
    claims.add(layouts.get(k, SegKind::PoolDiff), lc.f_point.clone(), lc.f_values[0]);
    claims.add(layouts.get(k, SegKind::MultPool), lc.m_point.clone(), lc.m_value);
}

/// A private input's range lookup's claims: both looked-up columns are x, its multiplicities their own column.
fn add_input_claims(claims: &mut ClaimSet, layouts: &Layouts, lc: &LogupClaims) {
    for v in &lc.f_values {
        claims.add(layouts.get(0, SegKind::Input), lc.f_point.clone(), *v);
    }
    claims.add(layouts.get(0, SegKind::MultInput), lc.m_point.clone(), lc.m_value);
}

/// The lookups' claims on committed columns: r at its point, q and a at theirs, both multiplicity vectors.
fn add_requant_claims(claims: &mut ClaimSet, layouts: &Layouts, k: usize, rc: &RequantClaims) {
    claims.add(layouts.get(k, SegKind::Rem), rc.r_point.clone(), rc.r_value);
    claims.add(layouts.get(k, SegKind::Quot), rc.qa_point.clone(), rc.q_value);
    claims.add(layouts.get(k, SegKind::Act), rc.qa_point.clone(), rc.a_value);
    claims.add(layouts.get(k, SegKind::MultRange), rc.m_range_point.clone(), rc.m_range_value);
    claims.add(layouts.get(k, SegKind::MultAct), rc.m_act_point.clone(), rc.m_act_value);
}

/// W~(rho, sigma) of the padded matrix from its blocks' evaluations (row block major): sum_BC eq(rho_high, B)
/// eq(sigma_high, C) W_BC~(sigma_low || rho_low). None when the count is wrong.
fn w_eval_from_blocks(blocks: &[Fr], m: usize, n: usize, rho: &[Fr], sigma: &[Fr]) -> Option<Fr> {
    let (rp, cp) = (pow2_parts(m), pow2_parts(n));
    if blocks.len() != rp.len() * cp.len() {
        return None;
    }
    let mut s = Fr::from(0u64);
    for (i, &(ro, rl)) in rp.iter().enumerate() {
        let er = eq_high(rho, rl, ro);
        for (j, &(co, cl)) in cp.iter().enumerate() {
            s += er * eq_high(sigma, cl, co) * blocks[i * cp.len() + j];
        }
    }
    Some(s)
}

/// verify_with, the Hyrax generators derived here.
pub fn verify(arch: &Arch, x: &[i64], y: &[i64], proof: &NetworkProof) -> Result<(), VerifyError> {
    arch.check().map_err(|_| VerifyError::Shape { what: "architecture", got: 0, expected: 0 })?;
    let params = arch.hyrax_params();
    verify_with(arch, x, y, proof, &params, None)
}

/// verify_with against the model's commitment (committed weights), the Hyrax generators derived here.
pub fn verify_committed(arch: &Arch, x: &[i64], y: &[i64], proof: &NetworkProof, model: &HyraxCommitment) -> Result<(), VerifyError> {
    arch.check().map_err(|_| VerifyError::Shape { what: "architecture", got: 0, expected: 0 })?;
    let params = arch.hyrax_params();
    verify_with(arch, x, y, proof, &params, Some(model))
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

pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn count(&mut self, v: usize) {
        self.0.extend_from_slice(&signed_word(v as i64));
    }
    pub(crate) fn fr(&mut self, x: &Fr) {
        self.0.extend_from_slice(&fr_to_be32(x));
    }
    fn logup(&mut self, p: &LogupProof) {
        p.f_root.iter().chain(&p.t_root).for_each(|x| self.fr(x));
        for layers in [&p.f_layers, &p.t_layers] {
            self.count(layers.len());
            for l in layers {
                self.sumcheck(&l.sumcheck);
                l.evals.iter().for_each(|x| self.fr(x));
            }
        }
        self.count(p.f_evals.len());
        p.f_evals.iter().for_each(|x| self.fr(x));
    }
    fn wiring(&mut self, p: &WiringProof) {
        self.sumcheck(&p.sumcheck);
        self.fr(&p.x_eval);
    }
    /// A dense or conv op's matrix step: b~, the sumcheck, W~ and a~ at its end, W's blocks (counted).
    fn matrix(&mut self, b_eval: &Fr, dense: &DenseProof, w_blocks: &[Fr]) {
        self.fr(b_eval);
        self.sumcheck(&dense.sumcheck);
        self.fr(&dense.w_eval);
        self.fr(&dense.a_eval);
        self.count(w_blocks.len());
        w_blocks.iter().for_each(|x| self.fr(x));
    }
    /// The layer proofs: their count, then each as `kind` and its words (module doc).
    pub(crate) fn layers(&mut self, layers: &[LayerProof]) {
        self.count(layers.len());
        for l in layers {
            match l {
                LayerProof::Dense { b_eval, dense, w_blocks } => {
                    self.count(1);
                    self.matrix(b_eval, dense, w_blocks);
                }
                LayerProof::Requant { q_eval, r_eval, lookups } => {
                    self.count(2);
                    self.fr(q_eval);
                    self.fr(r_eval);
                    self.logup(&lookups.range);
                    self.logup(&lookups.act);
                }
                LayerProof::Conv { unpad, b_eval, dense, w_blocks, im2col } => {
                    self.count(3);
                    self.count(unpad.is_some() as usize);
                    if let Some(u) = unpad {
                        self.wiring(u);
                    }
                    self.matrix(b_eval, dense, w_blocks);
                    self.wiring(im2col);
                }
                LayerProof::Pool { wiring } => {
                    self.count(4);
                    self.wiring(wiring);
                }
                LayerProof::Add { t_eval } => {
                    self.count(5);
                    self.fr(t_eval);
                }
                LayerProof::InputRange { lookup } => {
                    self.count(6);
                    self.logup(lookup);
                }
                LayerProof::MaxPool { zerocheck, d_evals, y_eval, lookup, wiring } => {
                    self.count(7);
                    self.sumcheck(zerocheck);
                    self.count(d_evals.len());
                    d_evals.iter().for_each(|x| self.fr(x));
                    self.fr(y_eval);
                    self.logup(lookup);
                    self.wiring(wiring);
                }
            }
        }
    }
    fn commitment(&mut self, c: &HyraxCommitment) {
        self.count(c.rows.len());
        for p in &c.rows {
            self.0.extend_from_slice(&g1_to_be64(p));
        }
    }
    pub(crate) fn sumcheck(&mut self, p: &SumcheckProof) {
        let e = p.rounds.first().map_or(0, |g| g.len());
        self.count(p.rounds.len());
        self.count(e);
        for g in &p.rounds {
            assert_eq!(g.len(), e, "rounds of different lengths");
            g.iter().for_each(|x| self.fr(x));
        }
    }
}

pub(crate) struct Reader<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn err<T>(&self, what: String) -> Result<T, DecodeError> {
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
    pub(crate) fn count(&mut self, what: &str, max: usize) -> Result<usize, DecodeError> {
        let w = self.take(32, what)?;
        if w[..24].iter().any(|&c| c != 0) || u64::from_be_bytes(w[24..].try_into().unwrap()) > max as u64 {
            self.at -= 32;
            return self.err(format!("{what}: count too large (at most {max} here)"));
        }
        Ok(u64::from_be_bytes(w[24..].try_into().unwrap()) as usize)
    }
    pub(crate) fn fr(&mut self, what: &str) -> Result<Fr, DecodeError> {
        let w = self.take(32, what)?;
        let x = Fr::from_be_bytes_mod_order(w);
        if fr_to_be32(&x) != w {
            self.at -= 32;
            return self.err(format!("{what}: not a field element (not below the scalar field's modulus)"));
        }
        Ok(x)
    }
    pub(crate) fn point(&mut self, what: &str) -> Result<G1Affine, DecodeError> {
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
    fn logup(&mut self, what: &str) -> Result<LogupProof, DecodeError> {
        let mut root = [Fr::from(0u64); 4];
        for (i, x) in root.iter_mut().enumerate() {
            *x = self.fr(&format!("{what} root word {i}"))?;
        }
        let mut trees = Vec::with_capacity(2);
        for side in ["f", "table"] {
            let n = self.count(&format!("{what} {side} tree layer count"), 64)?;
            let mut layers = Vec::with_capacity(n);
            for j in 0..n {
                let sumcheck = self.sumcheck(&format!("{what} {side} layer {j} sumcheck"))?;
                let mut evals = [Fr::from(0u64); 4];
                for (i, x) in evals.iter_mut().enumerate() {
                    *x = self.fr(&format!("{what} {side} layer {j} evaluation {i}"))?;
                }
                layers.push(LogupLayer { sumcheck, evals });
            }
            trees.push(layers);
        }
        let n = self.count(&format!("{what} column evaluation count"), 16)?;
        let f_evals = (0..n).map(|i| self.fr(&format!("{what} column evaluation {i}"))).collect::<Result<_, _>>()?;
        let t_layers = trees.pop().unwrap();
        let f_layers = trees.pop().unwrap();
        Ok(LogupProof { f_root: [root[0], root[1]], t_root: [root[2], root[3]], f_layers, t_layers, f_evals })
    }
    /// Writer::matrix's fields read back (layer i, a `kind` layer whose vector is `vector`, for the errors).
    fn matrix(&mut self, i: usize, kind: &str, vector: &str) -> Result<(Fr, DenseProof, Vec<Fr>), DecodeError> {
        let b_eval = self.fr(&format!("layer {i} bias evaluation"))?;
        let sumcheck = self.sumcheck(&format!("layer {i} {kind} sumcheck"))?;
        let w_eval = self.fr(&format!("layer {i} W evaluation"))?;
        let a_eval = self.fr(&format!("layer {i} {vector} evaluation"))?;
        let nb = self.count(&format!("layer {i} W block count"), self.left_words())?;
        let w_blocks = (0..nb).map(|j| self.fr(&format!("layer {i} W block {j} evaluation"))).collect::<Result<_, _>>()?;
        Ok((b_eval, DenseProof { sumcheck, w_eval, a_eval }, w_blocks))
    }
    fn wiring(&mut self, what: &str) -> Result<WiringProof, DecodeError> {
        let sumcheck = self.sumcheck(&format!("{what} sumcheck"))?;
        Ok(WiringProof { sumcheck, x_eval: self.fr(&format!("{what} evaluation"))? })
    }
    /// Writer::layers's words read back.
    pub(crate) fn layers(&mut self) -> Result<Vec<LayerProof>, DecodeError> {
        let nl = self.count("layer count", self.left_words())?;
        let mut layers = Vec::with_capacity(nl);
        for i in 0..nl {
            let at = self.at;
            match self.count(&format!("layer {i} kind"), 7)? {
                1 => {
                    let (b_eval, dense, w_blocks) = self.matrix(i, "dense", "input")?;
                    layers.push(LayerProof::Dense { b_eval, dense, w_blocks });
                }
                2 => {
                    let q_eval = self.fr(&format!("layer {i} q evaluation"))?;
                    let r_eval = self.fr(&format!("layer {i} r evaluation"))?;
                    let range = self.logup(&format!("layer {i} range lookup"))?;
                    let act = self.logup(&format!("layer {i} activation lookup"))?;
                    layers.push(LayerProof::Requant { q_eval, r_eval, lookups: Box::new(RequantProof { range, act }) });
                }
                3 => {
                    let unpad = match self.count(&format!("layer {i} unpadding flag"), 1)? {
                        1 => Some(self.wiring(&format!("layer {i} unpadding wiring"))?),
                        _ => None,
                    };
                    let (b_eval, dense, w_blocks) = self.matrix(i, "conv", "im2col")?;
                    let im2col = self.wiring(&format!("layer {i} im2col wiring"))?;
                    layers.push(LayerProof::Conv { unpad, b_eval, dense, w_blocks, im2col });
                }
                4 => layers.push(LayerProof::Pool { wiring: self.wiring(&format!("layer {i} pool wiring"))? }),
                5 => layers.push(LayerProof::Add { t_eval: self.fr(&format!("layer {i} added tensor's evaluation"))? }),
                6 => layers.push(LayerProof::InputRange { lookup: Box::new(self.logup(&format!("layer {i} private input's range lookup"))?) }),
                7 => {
                    let zerocheck = self.sumcheck(&format!("layer {i} maxpool zerocheck"))?;
                    let n = self.count(&format!("layer {i} maxpool difference count"), MAX_POOL_TAPS)?;
                    let d_evals = (0..n).map(|j| self.fr(&format!("layer {i} maxpool difference {j} evaluation"))).collect::<Result<_, _>>()?;
                    let y_eval = self.fr(&format!("layer {i} maxpool output evaluation"))?;
                    let lookup = Box::new(self.logup(&format!("layer {i} maxpool range lookup"))?);
                    let wiring = self.wiring(&format!("layer {i} maxpool wiring"))?;
                    layers.push(LayerProof::MaxPool { zerocheck, d_evals, y_eval, lookup, wiring });
                }
                k => {
                    self.at = at;
                    return self.err(format!("layer {i}: kind {k}, expected 1 (dense) to 7 (maxpool)"));
                }
            }
        }
        Ok(layers)
    }
    pub(crate) fn commitment(&mut self, what: &str) -> Result<HyraxCommitment, DecodeError> {
        let rows = self.count(&format!("{what} row count"), self.left_words() / 2)?;
        Ok(HyraxCommitment { rows: (0..rows).map(|i| self.point(&format!("{what} row {i}"))).collect::<Result<_, _>>()? })
    }
    fn opened(&mut self, what: &str) -> Result<Opened, DecodeError> {
        let sumcheck = self.sumcheck(&format!("{what} batch sumcheck"))?;
        let p_eval = self.fr(&format!("{what} batch evaluation"))?;
        let n = self.count(&format!("{what} opening length"), self.left_words())?;
        let u = (0..n).map(|i| self.fr(&format!("{what} opening element {i}"))).collect::<Result<_, _>>()?;
        Ok(Opened { batch: BatchProof { sumcheck, p_eval }, opening: HyraxOpening { u } })
    }
    pub(crate) fn sumcheck(&mut self, what: &str) -> Result<SumcheckProof, DecodeError> {
        let k = self.count(&format!("{what} round count"), 64)?;
        let e = self.count(&format!("{what} evaluations per round"), if k == 0 { 0 } else { 16 })?;
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

/// Every field element of the layer proofs, in serialization order.
pub(crate) fn layers_frs_mut<'a>(layers: &'a mut [LayerProof], out: &mut Vec<&'a mut Fr>) {
    for l in layers.iter_mut() {
        match l {
            LayerProof::Dense { b_eval, dense, w_blocks } => {
                out.push(b_eval);
                sumcheck_frs_mut(&mut dense.sumcheck, out);
                out.push(&mut dense.w_eval);
                out.push(&mut dense.a_eval);
                out.extend(w_blocks.iter_mut());
            }
            LayerProof::Requant { q_eval, r_eval, lookups } => {
                out.push(q_eval);
                out.push(r_eval);
                logup_frs_mut(&mut lookups.range, out);
                logup_frs_mut(&mut lookups.act, out);
            }
            LayerProof::Conv { unpad, b_eval, dense, w_blocks, im2col } => {
                if let Some(u) = unpad {
                    wiring_frs_mut(u, out);
                }
                out.push(b_eval);
                sumcheck_frs_mut(&mut dense.sumcheck, out);
                out.push(&mut dense.w_eval);
                out.push(&mut dense.a_eval);
                out.extend(w_blocks.iter_mut());
                wiring_frs_mut(im2col, out);
            }
            LayerProof::Pool { wiring } => wiring_frs_mut(wiring, out),
            LayerProof::Add { t_eval } => out.push(t_eval),
            LayerProof::InputRange { lookup } => logup_frs_mut(lookup, out),
            LayerProof::MaxPool { zerocheck, d_evals, y_eval, lookup, wiring } => {
                sumcheck_frs_mut(zerocheck, out);
                out.extend(d_evals.iter_mut());
                out.push(y_eval);
                logup_frs_mut(lookup, out);
                wiring_frs_mut(wiring, out);
            }
        }
    }
}

pub(crate) fn sumcheck_frs_mut<'a>(p: &'a mut SumcheckProof, out: &mut Vec<&'a mut Fr>) {
    for g in p.rounds.iter_mut() {
        out.extend(g.iter_mut());
    }
}

fn wiring_frs_mut<'a>(p: &'a mut WiringProof, out: &mut Vec<&'a mut Fr>) {
    sumcheck_frs_mut(&mut p.sumcheck, out);
    out.push(&mut p.x_eval);
}

fn logup_frs_mut<'a>(p: &'a mut LogupProof, out: &mut Vec<&'a mut Fr>) {
    out.extend(p.f_root.iter_mut());
    out.extend(p.t_root.iter_mut());
    for l in p.f_layers.iter_mut().chain(p.t_layers.iter_mut()) {
        sumcheck_frs_mut(&mut l.sumcheck, out);
        out.extend(l.evals.iter_mut());
    }
    out.extend(p.f_evals.iter_mut());
}

/// A model commitment's bytes (what a deployment publishes): the row count word, then each row as 64 bytes.
pub fn commitment_to_bytes(c: &HyraxCommitment) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.commitment(c);
    w.0
}

/// Back from commitment_to_bytes, every row checked on the curve; nothing may follow.
pub fn commitment_from_bytes(b: &[u8]) -> Result<HyraxCommitment, DecodeError> {
    let mut r = Reader { b, at: 0 };
    let c = r.commitment("model commitment")?;
    if r.at != b.len() {
        return r.err(format!("{} bytes after the commitment's end", b.len() - r.at));
    }
    if c.rows.is_empty() {
        return r.err("a commitment of no rows".into());
    }
    Ok(c)
}

impl NetworkProof {
    /// Every field element of the proof (every prover message but the commitment's points), in serialization
    /// order: for tests that change each in turn.
    pub fn field_elements_mut(&mut self) -> Vec<&mut Fr> {
        let mut out = Vec::new();
        layers_frs_mut(&mut self.layers, &mut out);
        for o in std::iter::once(&mut self.model_open).chain(self.witness_open.as_mut()) {
            sumcheck_frs_mut(&mut o.batch.sumcheck, &mut out);
            out.push(&mut o.batch.p_eval);
            out.extend(o.opening.u.iter_mut());
        }
        out
    }

    /// The layout of the module doc.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.count(PROOF_VERSION as usize);
        w.count(self.model_commitment.is_some() as usize);
        if let Some(c) = &self.model_commitment {
            w.commitment(c);
        }
        match &self.commitment {
            Some(c) => w.commitment(c),
            None => w.count(0),
        }
        w.layers(&self.layers);
        for o in std::iter::once(&self.model_open).chain(&self.witness_open) {
            w.sumcheck(&o.batch.sumcheck);
            w.fr(&o.batch.p_eval);
            w.count(o.opening.u.len());
            o.opening.u.iter().for_each(|x| w.fr(x));
        }
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
        let model_commitment = match r.count("model commitment flag", 1)? {
            1 => Some(r.commitment("model commitment")?),
            _ => None,
        };
        let commitment = Some(r.commitment("witness commitment")?).filter(|c| !c.rows.is_empty());
        let layers = r.layers()?;
        let model_open = r.opened("model")?;
        let witness_open = if commitment.is_some() { Some(r.opened("witness")?) } else { None };
        if r.at != b.len() {
            return r.err(format!("{} bytes after the proof's end", b.len() - r.at));
        }
        Ok(NetworkProof { model_commitment, commitment, layers, model_open, witness_open })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ark_ff::One;
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};

    /// A dense layer of random 8-bit weights and small biases.
    pub(crate) fn dense(m: usize, n: usize, rng: &mut impl Rng) -> Op {
        Op::Dense { m, n, w: (0..m * n).map(|_| rng.gen_range(-128..=127)).collect(), b: (0..m).map(|_| rng.gen_range(-2000..=2000)).collect() }
    }

    /// The requant a quantizer would choose after the values `z`: the shift that brings the largest |z| to about
    /// `act_bits` bits, and the narrowest `bits` that holds z.
    pub(crate) fn requant_for(z: &[i64], act_bits: u32, relu: bool, clamp: Option<u32>) -> Op {
        let max = z.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0).max(1);
        let need = 64 - max.leading_zeros(); // bits of |z|
        Op::Requant { shift: need.saturating_sub(act_bits), relu, bits: need + 1, clamp }
    }

    /// A network of the given widths with a requant (ReLU, `act_bits` clamp) between dense layers, the last dense
    /// layer's sum the output. The shifts come from running it on x.
    pub(crate) fn fc(widths: &[usize], x: &[i64], act_bits: u32, rng: &mut impl Rng) -> Network {
        let mut net = Network { input_len: widths[0], input_min: -128, input_top: 255, ops: Vec::new() };
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
    fn pow2_parts_and_blocks_agree_with_the_padded_matrix() {
        assert_eq!(pow2_parts(55), vec![(0, 5), (32, 4), (48, 2), (52, 1), (54, 0)]);
        assert_eq!(pow2_parts(64), vec![(0, 6)]);
        assert_eq!(pow2_parts(1), vec![(0, 0)]);
        let mut rng = StdRng::seed_from_u64(3);
        for (m, n) in [(1, 1), (3, 5), (8, 8), (7, 13), (55, 20)] {
            let w: Vec<i64> = (0..m * n).map(|_| rng.gen_range(-128..=127)).collect();
            let rho: Vec<Fr> = (0..log2_ceil(m)).map(|_| Fr::from(rng.gen::<u64>())).collect();
            let sigma: Vec<Fr> = (0..log2_ceil(n)).map(|_| Fr::from(rng.gen::<u64>())).collect();
            let mut blocks = Vec::new();
            let mut total = 0;
            for &(ro, rl) in &pow2_parts(m) {
                for &(co, cl) in &pow2_parts(n) {
                    let bw = w_block(&w, n, (ro, rl), (co, cl));
                    total += bw.len();
                    let pt: Vec<Fr> = sigma[..cl].iter().chain(&rho[..rl]).copied().collect();
                    blocks.push(Mle::from_i64(&bw).evaluate(&pt));
                }
            }
            assert_eq!(total, m * n);
            assert_eq!(w_eval_from_blocks(&blocks, m, n, &rho, &sigma), Some(super::super::dense::w_mle_eval(&w, m, n, &rho, &sigma)), "{m}x{n}");
        }
    }

    #[test]
    fn run_follows_the_ir() {
        let net = Network {
            input_len: 3,
            input_min: -128,
            input_top: 127,
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
        a.input_min -= 1;
        variants.push(a.hash());
        let mut a = net.arch();
        a.input_top += 1;
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
        let single = Network { input_len: 5, input_min: -128, input_top: 127, ops: vec![dense(1, 5, &mut rng)] };
        let x1: Vec<i64> = (0..5).map(|_| rng.gen_range(-9..=9)).collect();
        let (p1, y1) = prove(&single, &x1).unwrap();
        assert_eq!(verify(&single.arch(), &x1, &y1, &p1), Ok(()));
        let mut y2 = y1.clone();
        y2[0] += 1;
        assert!(verify(&single.arch(), &x1, &y2, &p1).is_err());
    }

    /// The architecture's words: from_words(words) is the architecture again, the parameters split back into the
    /// same network, and malformed words or parameter counts are errors.
    #[test]
    fn words_and_parts_round_trip() {
        let (net, _) = small();
        let mut net = net;
        net.ops.insert(0, Op::Flatten);
        let arch = net.arch();
        assert_eq!(Arch::from_words(&arch.words()).unwrap(), arch);
        let params: Vec<i64> = net.ops.iter().flat_map(|op| match op { Op::Dense { w, b, .. } => [w.clone(), b.clone()].concat(), _ => vec![] }).collect();
        assert_eq!(Network::from_parts(&arch, &params).unwrap(), net);
        assert!(Network::from_parts(&arch, &params[1..]).unwrap_err().contains("the parameters end"));
        assert!(Network::from_parts(&arch, &[params.clone(), vec![0]].concat()).unwrap_err().contains("takes"));
        let w = arch.words();
        assert!(Arch::from_words(&w[..w.len() - 1]).unwrap_err().contains("end before"));
        assert!(Arch::from_words(&[w.clone(), vec![3]].concat()).unwrap_err().contains("past the last op"));
        let mut bad = w.clone();
        bad[0] = 1;
        assert!(Arch::from_words(&bad).unwrap_err().contains("version"));
        let mut bad = w.clone();
        bad[5] = 9;
        assert!(Arch::from_words(&bad).unwrap_err().contains("kind"));
        // The hash of a known architecture, pinned so the TypeScript side can check its own encoding against it.
        let tiny = Arch { input_len: 2, input_min: -1, input_top: 3, ops: vec![ArchOp::Dense { m: 1, n: 2 }, ArchOp::Requant { shift: 1, relu: true, bits: 4, clamp: Some(2) }, ArchOp::Flatten] };
        let hex: String = tiny.hash().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "3b11e3737664af2ad4441672ce2f4d2f08a7e06221692c2efc4e427f9d88f7ce");
    }

    /// The declared input range: the prover refuses an input outside it, and the verifier refuses a proof whose
    /// public input leaves it, even one made honestly for a network declaring a wider range.
    #[test]
    fn the_input_range_is_checked() {
        let mut rng = StdRng::seed_from_u64(31);
        let mut net = Network { input_len: 4, input_min: -8, input_top: 300, ops: vec![dense(2, 4, &mut rng)] };
        let x = vec![-8, 300, 0, 299];
        let (proof, y) = prove(&net, &x).unwrap();
        assert_eq!(verify(&net.arch(), &x, &y, &proof), Ok(()));
        net.input_top = 299;
        assert!(try_run(&net, &x).unwrap_err().contains("outside the declared range [-8, 299]"));
        assert!(prove(&net, &x).is_err());
        assert_eq!(verify(&net.arch(), &x, &y, &proof), Err(VerifyError::InputRange { index: 1, value: 300, min: -8, top: 299 }));
        net.input_top = 300;
        net.input_min = -7;
        assert_eq!(verify(&net.arch(), &x, &y, &proof), Err(VerifyError::InputRange { index: 0, value: -8, min: -7, top: 300 }));
        let mut bad = net.arch();
        bad.input_min = 301;
        assert!(bad.check().is_err());
    }

    /// Every part of the proof changed in turn: every sumcheck evaluation, every claimed evaluation, every opening
    /// element, every commitment row; then each public input and output value and the architecture.
    #[test]
    fn every_tampered_part_is_rejected() {
        let (net, x) = small();
        every_tampered_part_of(&net, &x);
        // Non-powers of two: W in several blocks.
        let mut rng = StdRng::seed_from_u64(12);
        let x: Vec<i64> = (0..12).map(|_| rng.gen_range(-128..=127)).collect();
        let net = fc(&[12, 6, 3], &x, 8, &mut rng);
        every_tampered_part_of(&net, &x);
    }

    fn every_tampered_part_of(net: &Network, x: &[i64]) {
        let x = x.to_vec();
        let arch = net.arch();
        let params = arch.hyrax_params();
        let (proof, y) = prove_with(net, &x, &params, None).unwrap();
        let ok = |p: &NetworkProof| verify_with(&arch, &x, &y, p, &params, None).is_ok();
        assert!(ok(&proof));
        let mut tried = 0;
        let mut check = |p: NetworkProof, what: String| {
            assert!(!ok(&p), "accepted with {what} changed");
            tried += 1;
        };
        let one = Fr::one();
        let count = proof.clone().field_elements_mut().len();
        for i in 0..count {
            let mut p = proof.clone();
            *p.field_elements_mut()[i] += one;
            check(p, format!("field element {i} of {count}"));
        }
        let g = params.model.gens[0];
        for i in 0..proof.model_commitment.as_ref().unwrap().rows.len() {
            let mut p = proof.clone();
            let rows = &mut p.model_commitment.as_mut().unwrap().rows;
            rows[i] = (rows[i] + g).into();
            check(p, format!("model commitment row {i}"));
        }
        for i in 0..proof.commitment.as_ref().map_or(0, |c| c.rows.len()) {
            let mut p = proof.clone();
            let rows = &mut p.commitment.as_mut().unwrap().rows;
            rows[i] = (rows[i] + g).into();
            check(p, format!("witness commitment row {i}"));
        }
        // A dropped or extra layer proof, a round dropped, a commitment or an opening dropped.
        let mut p = proof.clone();
        p.layers.pop();
        check(p, "layer count".into());
        let mut p = proof.clone();
        p.model_open.batch.sumcheck.rounds.pop();
        check(p, "model batch round count".into());
        if proof.witness_open.is_some() {
            let mut p = proof.clone();
            p.witness_open.as_mut().unwrap().batch.sumcheck.rounds.pop();
            check(p, "witness batch round count".into());
            let mut p = proof.clone();
            p.commitment = None;
            p.witness_open = None;
            check(p, "witness part dropped".into());
        }
        let mut p = proof.clone();
        p.model_commitment = None;
        check(p, "model commitment dropped".into());
        println!("{tried} tampered proofs rejected");
        // Public values.
        for i in 0..x.len() {
            let mut x2 = x.clone();
            x2[i] += 1;
            assert!(verify_with(&arch, &x2, &y, &proof, &params, None).is_err(), "input {i}");
        }
        for i in 0..y.len() {
            let mut y2 = y.clone();
            y2[i] -= 1;
            assert!(verify_with(&arch, &x, &y2, &proof, &params, None).is_err(), "output {i}");
        }
        // The architecture's hash alone (one bit flipped, everything else the same): it is absorbed.
        let mut h = arch.hash();
        h[31] ^= 1;
        assert!(verify_hashed(&arch, &h, Some(std::slice::from_ref(&x)), std::slice::from_ref(&y), &proof, &params, None, None).is_err(), "architecture hash");
        assert!(verify_hashed(&arch, &arch.hash(), Some(std::slice::from_ref(&x)), std::slice::from_ref(&y), &proof, &params, None, None).is_ok());
        // Other architectures: a requant's bits (another activation table and layout), its shift.
        let mut a2 = arch.clone();
        if let ArchOp::Requant { bits, .. } = &mut a2.ops[1] {
            *bits += 1;
        }
        let p2 = a2.hyrax_params();
        assert!(verify_with(&a2, &x, &y, &proof, &p2, None).is_err(), "bits");
        let mut a3 = arch.clone();
        if let ArchOp::Requant { shift, .. } = &mut a3.ops[1] {
            *shift += 1;
        }
        let p3 = a3.hyrax_params();
        assert!(verify_with(&a3, &x, &y, &proof, &p3, None).is_err(), "shift");
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
        b[31] = 3;
        let e = NetworkProof::from_bytes(&b).unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.what.contains("version 3"), "{e}");
        // A row that is not a point.
        let mut b = bytes.clone();
        b[96 + 63] ^= 1;
        let e = NetworkProof::from_bytes(&b).unwrap_err();
        assert!(e.what.contains("model commitment row 0") && e.what.contains("not a point"), "{e}");
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
        for at in [32 + 31, 32 * 3 + 64 * proof.model_commitment.as_ref().unwrap().rows.len() - 1] {
            let mut b = bytes.clone();
            b[at] ^= 1;
            match NetworkProof::from_bytes(&b) {
                Err(e) => assert!(!e.what.is_empty()),
                Ok(p) => assert!(verify(&net.arch(), &x, &y, &p).is_err()),
            }
        }
    }

    /// The prover's bytes are pinned (the TypeScript verifier is written against them): keccak256 of the proof of
    /// fixed networks, one small and one whose tables cross the parallel thresholds (2^16 entries in use), so a
    /// prover optimisation that changes a message, the transcript or the format fails here.
    #[test]
    fn proof_bytes_are_pinned() {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let (net, x) = small();
        let (proof, _) = prove(&net, &x).unwrap();
        let small_hash = hex(&Keccak256::digest(proof.to_bytes()));
        let mut rng = StdRng::seed_from_u64(2707);
        let x: Vec<i64> = (0..300).map(|_| rng.gen_range(-128..=127)).collect();
        let net = fc(&[300, 130, 55, 70, 10], &x, 8, &mut rng);
        let (proof, y) = prove(&net, &x).unwrap();
        verify(&net.arch(), &x, &y, &proof).unwrap();
        let medium_hash = hex(&Keccak256::digest(proof.to_bytes()));
        println!("small {small_hash}\nmedium {medium_hash}");
        assert_eq!(small_hash, "abb6ffad982e9e86ae0b8adfbb73a635243d92e84334d66924363a7bb543f0b1");
        assert_eq!(medium_hash, "e91662d57b014efd125f03f62343490408e2454bd5ca3fec351a25c5310358a8");
    }

    /// Committed weights: the model's commitment made once; a proof made against it verifies against it and
    /// carries no model commitment; a proof made with other weights (or other biases) is rejected against it,
    /// whether it carries its own commitment or claims the published one; a private-weights proof is refused by a
    /// verifier holding a commitment, and a committed proof by one that holds none; every tampered part rejected.
    #[test]
    fn committed_weights_bind_the_model() {
        let (net, x) = small();
        let arch = net.arch();
        let params = arch.hyrax_params();
        let model = commit_model(&net, &params).unwrap();
        assert_eq!(commitment_from_bytes(&commitment_to_bytes(&model)).unwrap(), model);
        let (proof, y) = prove_with(&net, &x, &params, Some(&model)).unwrap();
        assert!(proof.model_commitment.is_none());
        assert_eq!(verify_committed(&arch, &x, &y, &proof, &model), Ok(()));
        assert!(verify(&arch, &x, &y, &proof).is_err(), "a committed proof without the commitment");
        assert_eq!(NetworkProof::from_bytes(&proof.to_bytes()).unwrap(), proof);
        // the private proof of the same weights carries the same commitment, and is refused by the committed verifier
        let (private, _) = prove(&net, &x).unwrap();
        assert_eq!(private.model_commitment.as_ref(), Some(&model));
        assert!(verify_committed(&arch, &x, &y, &private, &model).is_err());
        // other weights (one weight, or one bias, changed): their honest proofs fail against the published model
        for change in 0..2 {
            let mut other = net.clone();
            if let Op::Dense { w, b, .. } = &mut other.ops[0] {
                if change == 0 {
                    w[3] += 1;
                } else {
                    b[0] -= 1;
                }
            }
            let (p_own, y2) = prove(&other, &x).unwrap();
            assert_eq!(verify(&arch, &x, &y2, &p_own), Ok(()), "other weights, private statement");
            assert!(verify_committed(&arch, &x, &y2, &p_own, &model).is_err(), "carrying its own commitment");
            let (p_claimed, y3) = prove_with(&other, &x, &params, Some(&model)).unwrap();
            assert!(verify_committed(&arch, &x, &y3, &p_claimed, &model).is_err(), "claiming the published one");
        }
        // every field element of the committed proof, and every row of the published commitment
        let ok = |p: &NetworkProof, m: &HyraxCommitment| verify_committed(&arch, &x, &y, p, m).is_ok();
        let count = proof.clone().field_elements_mut().len();
        for i in 0..count {
            let mut p = proof.clone();
            *p.field_elements_mut()[i] += Fr::one();
            assert!(!ok(&p, &model), "field element {i} of {count}");
        }
        for i in 0..model.rows.len() {
            let mut m = model.clone();
            m.rows[i] = (m.rows[i] + params.model.gens[0]).into();
            assert!(!ok(&proof, &m), "model commitment row {i}");
        }
    }

    /// A network with no requant has no witness polynomial: nothing of it in the proof, and a proof given one refused.
    #[test]
    fn a_network_without_requant_has_no_witness_part() {
        let mut rng = StdRng::seed_from_u64(8);
        let net = Network { input_len: 6, input_min: -128, input_top: 127, ops: vec![dense(3, 6, &mut rng), Op::Flatten] };
        let x: Vec<i64> = (0..6).map(|_| rng.gen_range(-128..=127)).collect();
        let (proof, y) = prove(&net, &x).unwrap();
        assert!(proof.commitment.is_none() && proof.witness_open.is_none());
        assert_eq!(verify(&net.arch(), &x, &y, &proof), Ok(()));
        assert_eq!(NetworkProof::from_bytes(&proof.to_bytes()).unwrap(), proof);
        let (with_req, _) = prove(&small().0, &small().1).unwrap();
        let mut p = proof.clone();
        p.commitment = with_req.commitment.clone();
        p.witness_open = with_req.witness_open.clone();
        assert!(verify(&net.arch(), &x, &y, &p).is_err());
        assert!(Arch { input_len: 2, input_min: 0, input_top: 1, ops: vec![ArchOp::Flatten] }.check().unwrap_err().contains("no dense or conv op"));
    }

    /// A conv op of random 8-bit weights on a c x h x w input.
    fn conv(win: Window, f: usize, rng: &mut impl Rng) -> Op {
        let n = win.c * win.taps();
        Op::Conv { win, f, w: (0..f * n).map(|_| rng.gen_range(-128..=127)).collect(), b: (0..f).map(|_| rng.gen_range(-2000..=2000)).collect() }
    }

    /// Pushes `op`, then (for a conv or dense) the requant a quantizer would choose after it on x.
    fn push(net: &mut Network, op: Op, x: &[i64], requant: bool) {
        net.ops.push(op);
        if requant {
            let z = run(net, x).pop().unwrap();
            net.ops.push(requant_for(&z, 8, true, Some(8)));
        }
    }

    /// A small CNN with every op this system takes: a padded conv whose 36 positions need the unpadding wiring, a
    /// sum pool, a conv of 4 positions (none), a residual add of an earlier requant's output, flatten and dense;
    /// and a network adding its input.
    pub(crate) fn cnns() -> Vec<(Network, Vec<i64>)> {
        let mut rng = StdRng::seed_from_u64(2727);
        let x: Vec<i64> = (0..36).map(|_| rng.gen_range(0..=255)).collect();
        let mut net = Network { input_len: 36, input_min: 0, input_top: 255, ops: Vec::new() };
        let w1 = Window { c: 1, h: 6, w: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 };
        push(&mut net, conv(w1, 2, &mut rng), &x, true);
        push(&mut net, Op::SumPool { win: Window { c: 2, h: 6, w: 6, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 } }, &x, false);
        push(&mut net, conv(Window { c: 2, h: 3, w: 3, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0 }, 3, &mut rng), &x, true);
        push(&mut net, conv(Window { c: 3, h: 2, w: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 }, 3, &mut rng), &x, true);
        push(&mut net, Op::Add { from: 5, mul: 1, from_mul: 2 }, &x, false);
        net.ops.push(Op::Flatten);
        push(&mut net, dense(4, 12, &mut rng), &x, false);
        let x2: Vec<i64> = (0..8).map(|_| rng.gen_range(-128..=127)).collect();
        let mut net2 = Network { input_len: 8, input_min: -128, input_top: 127, ops: Vec::new() };
        push(&mut net2, dense(8, 8, &mut rng), &x2, true);
        push(&mut net2, Op::Add { from: 0, mul: 3, from_mul: 1 }, &x2, false);
        push(&mut net2, dense(3, 8, &mut rng), &x2, false);
        // a max pool after a requant: 2x2 windows (4 taps) on 2x5x5 -> 2x2x2, stride 2, the last row and column unread
        let x3: Vec<i64> = (0..50).map(|_| rng.gen_range(0..=255)).collect();
        let mut net3 = Network { input_len: 50, input_min: 0, input_top: 255, ops: Vec::new() };
        push(&mut net3, conv(Window { c: 2, h: 5, w: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 }, 2, &mut rng), &x3, true);
        push(&mut net3, Op::MaxPool { win: Window { c: 2, h: 5, w: 5, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 }, bits: 9 }, &x3, false);
        net3.ops.push(Op::Flatten);
        push(&mut net3, dense(3, 8, &mut rng), &x3, false);
        vec![(net, x), (net2, x2), (net3, x3)]
    }

    #[test]
    fn cnns_prove_verify_and_reject_every_tampered_part() {
        for (net, x) in cnns() {
            let arch = net.arch();
            assert_eq!(Arch::from_words(&arch.words()), Ok(arch.clone()));
            assert_eq!(Network::from_parts(&arch, &net.ops.iter().filter_map(|o| o.matrix()).flat_map(|(_, _, w, b)| [w, b].concat()).collect::<Vec<_>>()), Ok(net.clone()));
            let (proof, y) = prove(&net, &x).unwrap();
            assert_eq!(y, run(&net, &x).pop().unwrap());
            assert_eq!(NetworkProof::from_bytes(&proof.to_bytes()).unwrap(), proof);
            every_tampered_part_of(&net, &x);
            let mut y2 = y.clone();
            y2[0] += 1;
            assert!(verify(&arch, &x, &y2, &proof).is_err());
            let params = arch.hyrax_params();
            let model = commit_model(&net, &params).unwrap();
            let (committed, _) = prove_with(&net, &x, &params, Some(&model)).unwrap();
            assert_eq!(verify_committed(&arch, &x, &y, &committed, &model), Ok(()));
        }
        // the max pool's input (net3's ReLU output) varies, so the pool's zerocheck and differences mean something
        let (net3, x3) = &cnns()[2];
        let pooled = &run(net3, x3)[1];
        assert!(pooled.iter().filter(|&&v| v > 0).count() >= pooled.len() / 4, "{pooled:?}");
        let (net, _) = &cnns()[0];
        assert!(net.arch().layouts().witness.is_some());
        let kinds: Vec<&str> = prove(net, &cnns()[0].1).unwrap().0.layers.iter().map(|l| match l {
            LayerProof::Conv { unpad: Some(_), .. } => "conv+unpad",
            LayerProof::Conv { .. } => "conv",
            LayerProof::Pool { .. } => "pool",
            LayerProof::Add { .. } => "add",
            LayerProof::Dense { .. } => "dense",
            LayerProof::Requant { .. } => "requant",
            LayerProof::InputRange { .. } => "input range",
            LayerProof::MaxPool { .. } => "maxpool",
        }).collect();
        assert_eq!(kinds, ["dense", "add", "requant", "conv", "requant", "conv", "pool", "requant", "conv+unpad"]);
    }

    /// A private input: committed in the witness, range-checked by its lookup, never sent. Both the FC and the CNN
    /// networks (an add of the input among them) prove and verify; every field element and commitment row changed
    /// is refused; the verifier of a public input refuses the proof and the other way round; a wrong output is
    /// refused; an input outside the range cannot be proved; a range without 0 is refused.
    #[test]
    fn a_private_input_is_committed_and_range_checked() {
        let mut nets = cnns();
        nets.push(small());
        for (net, x) in nets {
            let arch = net.arch();
            let params = arch.hyrax_params_for(InputVis::Private);
            let (proof, y, _) = prove_timed(&net, &x, &params, None, InputVis::Private).unwrap();
            assert_eq!(y, run(&net, &x).pop().unwrap());
            assert!(matches!(proof.layers.last(), Some(LayerProof::InputRange { .. })));
            assert_eq!(NetworkProof::from_bytes(&proof.to_bytes()).unwrap(), proof);
            let ok = |p: &NetworkProof, y: &[i64]| verify_private_input(&arch, y, p, &params, None).is_ok();
            assert!(ok(&proof, &y));
            let mut y2 = y.clone();
            y2[0] -= 1;
            assert!(!ok(&proof, &y2));
            assert!(verify_with(&arch, &x, &y, &proof, &arch.hyrax_params(), None).is_err());
            let (public, _) = prove(&net, &x).unwrap();
            assert!(!ok(&public, &y));
            let count = proof.clone().field_elements_mut().len();
            for i in 0..count {
                let mut p = proof.clone();
                *p.field_elements_mut()[i] += Fr::one();
                assert!(!ok(&p, &y), "field element {i} of {count}");
            }
            for i in 0..proof.commitment.as_ref().unwrap().rows.len() {
                let mut p = proof.clone();
                let rows = &mut p.commitment.as_mut().unwrap().rows;
                rows[i] = (rows[i] + params.model.gens[0]).into();
                assert!(!ok(&p, &y), "witness commitment row {i}");
            }
            let mut p = proof.clone();
            p.layers.pop();
            assert!(!ok(&p, &y));
        }
        // outside the declared range: the prover refuses (the lookup has no row for it)
        let (net, mut x) = small();
        x[3] = net.input_top + 1;
        assert!(prove_timed(&net, &x, &net.arch().hyrax_params_for(InputVis::Private), None, InputVis::Private).unwrap_err().contains("input"));
        let arch = Arch { input_len: 4, input_min: 1, input_top: 9, ops: vec![ArchOp::Dense { m: 2, n: 4 }] };
        assert!(arch.input_table().unwrap_err().contains("must contain 0"));
        let arch = Arch { input_min: -(1 << 30), ..arch };
        assert!(arch.input_table().unwrap_err().contains("more than 2^20"));
    }

    /// Batches: one proof of every sample's inference (2 and 3 samples: the second pads to 4), each network of
    /// `cnns()` and `small()`, public and private inputs, private and committed weights: the outputs are each
    /// sample's run; every field element and witness row changed, a sample's output changed, two outputs swapped,
    /// a sample dropped: refused.
    #[test]
    fn batches_prove_every_sample_and_bind_each_output() {
        let mut nets = cnns();
        nets.push(small());
        let mut rng = StdRng::seed_from_u64(28);
        for (net0, x0) in nets {
            for n in [2usize, 3] {
                let lo = net0.input_min.max(-128);
                let xs: Vec<Vec<i64>> = std::iter::once(x0.clone()).chain((1..n).map(|_| x0.iter().map(|_| rng.gen_range(lo..=net0.input_top.min(127))).collect())).collect();
                // every requant's bits wide enough for every sample (a quantizer's bound would be)
                let mut net = net0.clone();
                for k in 0..net.ops.len() {
                    if matches!(net.ops[k], Op::Requant { .. }) {
                        let prefix = Network { ops: net.ops[..k].to_vec(), ..net.clone() };
                        let max = xs.iter().flat_map(|x| if k == 0 { x.clone() } else { run(&prefix, x).pop().unwrap() }).map(|v| v.unsigned_abs()).max().unwrap_or(0).max(1);
                        if let Op::Requant { bits, .. } = &mut net.ops[k] {
                            *bits = (*bits).max(64 - max.leading_zeros() + 1);
                        }
                    }
                }
                let arch = net.arch();
                for input in [InputVis::Public, InputVis::Private] {
                    let params = arch.hyrax_params_batch(input, n);
                    let public = (input == InputVis::Public).then_some(&xs[..]);
                    let (proof, ys, _) = prove_batch_timed(&net, &xs, &params, None, input, None).unwrap();
                    for (x, y) in xs.iter().zip(&ys) {
                        assert_eq!(y, &run(&net, x).pop().unwrap());
                    }
                    assert_eq!(NetworkProof::from_bytes(&proof.to_bytes()).unwrap(), proof);
                    let ok = |p: &NetworkProof, ys: &[Vec<i64>]| verify_batch_with(&arch, public, ys, p, &params, None, None).is_ok();
                    assert!(ok(&proof, &ys), "{n} samples, {input:?}");
                    let mut changed = ys.clone();
                    changed[n - 1][0] += 1;
                    assert!(!ok(&proof, &changed));
                    let mut swapped = ys.clone();
                    swapped.swap(0, 1);
                    assert!(swapped == ys || !ok(&proof, &swapped));
                    assert!(verify_batch_with(&arch, public.map(|p| &p[..n - 1]), &ys[..n - 1], &proof, &arch.hyrax_params_batch(input, n - 1), None, None).is_err());
                    if n == 3 {
                        let count = proof.clone().field_elements_mut().len();
                        for i in (0..count).step_by(if input == InputVis::Public { 1 } else { 5 }) {
                            let mut p = proof.clone();
                            *p.field_elements_mut()[i] += Fr::one();
                            assert!(!ok(&p, &ys), "field element {i} of {count}");
                        }
                        let mut p = proof.clone();
                        let rows = &mut p.commitment.as_mut().unwrap().rows;
                        rows[0] = (rows[0] + params.model.gens[0]).into();
                        assert!(!ok(&p, &ys));
                    }
                }
                // committed weights
                let params = arch.hyrax_params_batch(InputVis::Public, n);
                let model = commit_model(&net, &params).unwrap();
                let (proof, ys, _) = prove_batch_timed(&net, &xs, &params, Some(&model), InputVis::Public, None).unwrap();
                assert_eq!(verify_batch_with(&arch, Some(&xs), &ys, &proof, &params, Some(&model), None), Ok(()));
            }
        }
    }

    #[test]
    fn a_context_binds_the_proof() {
        // a proof bound to one context (an address as a 32-byte word) verifies with it only: not with another, not
        // without one; a proof without a context does not verify with one
        let (net, x) = small();
        let arch = net.arch();
        let params = arch.hyrax_params_batch(InputVis::Public, 1);
        let mut alice = [0u8; 32];
        alice[12..].copy_from_slice(&[0xa1; 20]);
        let mut bob = alice;
        bob[31] ^= 1;
        let xs = vec![x];
        let (proof, ys, _) = prove_batch_timed(&net, &xs, &params, None, InputVis::Public, Some(&alice)).unwrap();
        assert_eq!(verify_batch_with(&arch, Some(&xs), &ys, &proof, &params, None, Some(&alice)), Ok(()));
        assert!(verify_batch_with(&arch, Some(&xs), &ys, &proof, &params, None, Some(&bob)).is_err());
        assert!(verify_batch_with(&arch, Some(&xs), &ys, &proof, &params, None, None).is_err());
        let (unbound, ys, _) = prove_batch_timed(&net, &xs, &params, None, InputVis::Public, None).unwrap();
        assert!(verify_batch_with(&arch, Some(&xs), &ys, &unbound, &params, None, Some(&alice)).is_err());
        assert_eq!(verify_batch_with(&arch, Some(&xs), &ys, &unbound, &params, None, None), Ok(()));
    }

    #[test]
    fn cnn_architectures_are_checked() {
        let win = Window { c: 1, h: 4, w: 4, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0 };
        let arch = |ops: Vec<ArchOp>| Arch { input_len: 16, input_min: 0, input_top: 1, ops };
        assert!(arch(vec![ArchOp::Conv { win, f: 2 }]).check().is_ok());
        assert!(arch(vec![ArchOp::Conv { win: Window { c: 2, ..win }, f: 2 }]).check().unwrap_err().contains("its input has 16"));
        assert!(arch(vec![ArchOp::Conv { win: Window { ph: 2, ..win }, f: 2 }]).check().unwrap_err().contains("padding must be below"));
        assert!(arch(vec![ArchOp::Conv { win, f: 1 }, ArchOp::SumPool { win: Window { c: 1, h: 3, w: 3, ph: 1, ..win } }]).check().unwrap_err().contains("no padding"));
        // an add must take the input or a requant's output (committed), of its own length
        let dense = ArchOp::Dense { m: 16, n: 16 };
        let rq = ArchOp::Requant { shift: 4, relu: true, bits: 20, clamp: Some(8) };
        assert!(arch(vec![dense, rq, dense, ArchOp::Add { from: 2, mul: 1, from_mul: 1 }]).check().is_ok());
        assert!(arch(vec![dense, rq, dense, ArchOp::Add { from: 0, mul: 1, from_mul: 1 }]).check().is_ok());
        assert!(arch(vec![dense, rq, dense, ArchOp::Add { from: 3, mul: 1, from_mul: 1 }]).check().unwrap_err().contains("earlier requant"));
        assert!(arch(vec![dense, rq, dense, ArchOp::Add { from: 2, mul: 0, from_mul: 1 }]).check().unwrap_err().contains("1..=2^20"));
        assert!(arch(vec![dense, rq, ArchOp::Dense { m: 8, n: 16 }, ArchOp::Add { from: 2, mul: 1, from_mul: 1 }]).check().unwrap_err().contains("sides have 8 and 16"));
        // a max pool: after a requant, no padding, at most 7 taps, its bits within the table's limit
        let pool = ArchOp::MaxPool { win: Window { kh: 2, kw: 2, sh: 2, sw: 2, ..win }, bits: 9 };
        assert!(arch(vec![dense, rq, pool, ArchOp::Flatten, ArchOp::Dense { m: 2, n: 4 }]).check().is_ok());
        assert!(arch(vec![dense, pool]).check().unwrap_err().contains("a requant's output"));
        assert!(arch(vec![dense, rq, ArchOp::MaxPool { win: Window { kh: 3, kw: 3, ..win }, bits: 9 }]).check().unwrap_err().contains("at most 7"));
        assert!(arch(vec![dense, rq, ArchOp::MaxPool { win: Window { kh: 2, kw: 2, ph: 1, ..win }, bits: 9 }]).check().unwrap_err().contains("no padding"));
        assert!(arch(vec![dense, rq, ArchOp::MaxPool { win: Window { kh: 2, kw: 2, ..win }, bits: 22 }]).check().unwrap_err().contains("bits 22"));
        let a = arch(vec![dense, rq, pool, ArchOp::Flatten, ArchOp::Dense { m: 2, n: 4 }]);
        assert_eq!(Arch::from_words(&a.words()), Ok(a));
    }

    /// paper0's FC_4107399_params (data/paper0/suites.json: 784 -> 55 -> ... -> 793 -> 1000, ReLU after every layer
    /// but the last) with random 8-bit weights, biases of 12 bits, an 8-bit input, 8-bit activations (shift chosen
    /// per layer, ReLU, clamp 8). `cargo test --release measure_fc_4107399 -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn measure_fc_4107399() {
        let widths = [784, 55, 60, 66, 73, 80, 88, 97, 107, 117, 129, 142, 156, 172, 189, 208, 229, 252, 277, 305, 336, 370, 407, 447, 492, 541, 595, 655, 721, 793, 1000];
        let mut rng = StdRng::seed_from_u64(4107399);
        let x: Vec<i64> = (0..784).map(|_| rng.gen_range(-128..=127)).collect();
        let net = fc(&widths, &x, 8, &mut rng);
        let macs: usize = widths.windows(2).map(|w| w[0] * w[1]).sum();
        assert_eq!(macs, 4107399);
        let arch = net.arch();
        let layouts = arch.layouts();
        let wl = layouts.witness.as_ref().unwrap();
        let t0 = std::time::Instant::now();
        let params = arch.hyrax_params();
        let gens_s = t0.elapsed().as_secs_f64();
        let shifts: Vec<u32> = net.ops.iter().filter_map(|o| if let Op::Requant { shift, .. } = o { Some(*shift) } else { None }).collect();
        let mults: usize = wl.segments.iter().filter(|s| matches!(s.kind, SegKind::MultRange | SegKind::MultAct)).map(|s| 1 << s.vars).sum();
        println!(
            "FC_4107399_params: {macs} weights; model 2^{} entries ({} in use, {} segments); witness 2^{} ({} in use, {mults} multiplicities, {} segments); shifts {shifts:?}; generators in {gens_s:.3} s",
            layouts.model.num_vars,
            layouts.model.used(),
            layouts.model.segments.len(),
            wl.num_vars,
            wl.used(),
            wl.segments.len(),
        );
        let (c0, t0) = (super::super::cpu_seconds(), std::time::Instant::now());
        let model = commit_model(&net, &params).unwrap();
        println!("the model's commitment (once): {:.3} s wall, {:.2} s CPU", t0.elapsed().as_secs_f64(), super::super::cpu_seconds() - c0);
        for rep in 0..4 {
            // even runs: private weights (the commitment made and sent); odd: committed (the verifier holds it)
            let given = (rep % 2 == 1).then_some(&model);
            let (c0, t0) = (super::super::cpu_seconds(), std::time::Instant::now());
            let (proof, y, timings) = prove_timed(&net, &x, &params, given, InputVis::Public).unwrap();
            let (wall, cpu) = (t0.elapsed().as_secs_f64(), super::super::cpu_seconds() - c0);
            let phases: Vec<String> = timings.iter().map(|(n, s, c)| format!("{n} {s:.3}/{c:.2}")).collect();
            let what = if given.is_some() { "committed" } else { "private" };
            println!("prove #{rep} ({what}): {wall:.3} s wall, {cpu:.2} s CPU ({} threads); phases (wall/CPU s): {}", rayon::current_num_threads(), phases.join(", "));
            let t1 = std::time::Instant::now();
            verify_with(&arch, &x, &y, &proof, &params, given).unwrap();
            let bytes = proof.to_bytes();
            let hash: String = Keccak256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            println!("verify {:.3} s; proof {} bytes, keccak256 {hash}; output equals run's: {}", t1.elapsed().as_secs_f64(), bytes.len(), y == run(&net, &x).pop().unwrap());
        }
    }
}
