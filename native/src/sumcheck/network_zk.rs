//! A fully connected network's proof in zero knowledge (zero-knowledge step 5 of docs/design/zero-knowledge.md):
//! network.rs's statement (x and y public; weights private, in the proof or committed once) for networks of dense,
//! requant and flatten ops, with nothing of the weights or the activations revealed. Built from zk.rs (masked
//! sumchecks), logup_zk.rs (lookups by committed helper columns) and joint.rs (one merge and zero-knowledge openings
//! of every committed vector).
//!
//! Vectors, all hiding (Hyrax rows blinded), in the joint merge's order: 0 the model (network.rs's model layout),
//! 1 the witness (every requant's a, q, r and multiplicities), 2 the masks (every slot, pad and Libra mask this
//! architecture needs, allocated by `Plan` in proving order), then per requant (last first) the range lookup's
//! h_f and h_t and the activation lookup's h_f and h_t. The merge's own mask (C_M) is joint.rs's.
//!
//! A running claim on an op's output is (point p, public value v, corrections l): the true value is v - <l, masks>.
//! - requant (shift s): the claim becomes one on a's segment; the prover sends q^ = q~(p) + rho_q and
//!   r^ = r~(p) + rho_r (pads), each a claim; the claim on the input z is (p, 2^s q^ + r^, [(rho_q, 2^s), (rho_r, 1)]);
//!   then both lookups (r in [0, 2^s); (q, a) in the activation table), each: challenges, helpers committed, proof.
//! - dense (m x n): the prover sends b^ = b~(p) + rho_b (a claim); the masked sumcheck proves
//!   sum_j W~(p, j) a~(j) = (v - b^) - <l - rho_b, masks>, W~(p, .) and a hidden (a public when it is x); it sends
//!   W^(sigma) (a claim: W's blocks at (sigma_low || p_low) weighted as network.rs's w_eval_from_blocks, plus its
//!   slot) and a^(sigma); the running claim becomes (sigma, a^, [(rho_a, Z(sigma))]), or, on x, the verifier's own
//!   x~(sigma) inside the sumcheck's final check.
//! - flatten: the claim passes.
//!
//! A claim left on x (a first op that is not dense) is checked as v - x~(p) = <l, masks>.
//!
//! Transcript: `Transcript::new(ZK_DOMAIN_TAG)`, network.rs's statement words, the model's rows ("model
//! commitment"), the witness's and the masks' ("hyrax commitment"), C_M ("merge mask"); rho; per op from the last:
//! requant `absorb_frs("requant evals", [q^, r^])`, then per lookup logup.rs's `draw_challenges`, the two helpers'
//! rows, logup_zk.rs's proof; dense `absorb_fr("dense bias", b^)`, zk.rs's sumcheck, `absorb_frs("dense values",
//! [W^] or [W^, a^])`; then joint.rs's merge of every claim.

use super::hyrax::{commit_fr_hiding_fixed, commit_i64_hiding, FixedBases, HyraxCommitment, HyraxParams};
use super::joint::{commit_mask, prove_joint_timed, verify_joint, ColClaim, JointParams, JointProof, JointWitness, VecRef};
use super::layout::{Layout, SegKind};
use super::logup::{columns_fr, draw_challenges, table_multiplicities, Table};
use super::conv::{batch_table, im2col_fold, maxpool_diffs_batch, prefix_eq_sum, Window, Wiring};
use super::logup_zk::{helpers, prove_lookup_zk, verify_lookup_zk, Col, LookupMasks, ZkLookupProof};
use super::mle::{eq_eval, eq_table, fr_from_i64, log2_ceil, Mle};
use super::dot_product::DotProductProof;
use super::network::{
    absorb_statement, batch_vector, eq_high, fold_samples, maxpool_table, model_vector, pad_rows, pow2_parts, stopwatch, timed, try_run, Arch, ArchOp, DecodeError, InputVis, Layouts, Network, Op, Reader, Timings, Writer, HYRAX_TAG,
};
use super::transcript::g1_to_be64;
use super::requant::{requant_multiplicities, requant_witness, RequantOp};
use super::error::VerifyError;
use super::fold::{fold_rows, FoldMethod};
use super::transcript::Transcript;
use super::zk::{prove_zk, vanishing, verify_zk, LibraMask, MaskAlloc, MaskClaim, ZkShape, ZkSumcheckProof};
use ark_bn254::{Fr, G1Affine};
use ark_ff::{Field, One, Zero};
use ark_std::rand::{CryptoRng, RngCore};
use ark_std::UniformRand;

/// The zero-knowledge proofs' transcript tag (a proof of one kind never verifies as the other).
pub const ZK_DOMAIN_TAG: &[u8] = b"zkml-sumcheck-fc-zk-v1";

/// What a proof states besides the architecture: whether the input is public or hidden (committed in the witness,
/// in the declared range by a lookup), and how many samples it proves (a batch: each layer's sumchecks once over
/// every sample, network.rs's batch layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZkStatement {
    pub input: InputVis,
    pub batch: usize,
}

impl ZkStatement {
    /// One inference of a public input: format 3 as first built.
    pub const ONE: ZkStatement = ZkStatement { input: InputVis::Public, batch: 1 };

    fn bv(&self) -> usize {
        log2_ceil(self.batch)
    }

    /// Whether op k's input is hidden from the verifier: every op's but the first's, and the first's when the
    /// input is private.
    fn hidden_input(&self, k: usize) -> bool {
        k > 0 || self.input == InputVis::Private
    }
}

/// A wiring's zero-knowledge sumcheck: sum_j g(j) x(j), g public (the map's table), x hidden unless it is a public
/// input.
#[derive(Clone, Debug)]
struct WireMasks {
    shape: ZkShape,
    libra: LibraMask,
}

impl WireMasks {
    fn new(alloc: &mut MaskAlloc, vars: usize, hidden: bool) -> WireMasks {
        let shape = ZkShape { num_vars: vars, slots: vec![None, hidden.then(|| alloc.take(1))] };
        let libra = shape.libra(alloc);
        WireMasks { shape, libra }
    }
}

/// A dense or conv op's matrix product: its bias's pad and the sumcheck of sum_j W~(p, j) a~(j) (slots: W's, then
/// a's when the input is hidden).
#[derive(Clone, Debug)]
struct MatrixMasks {
    b: usize,
    shape: ZkShape,
    libra: LibraMask,
}

impl MatrixMasks {
    fn new(alloc: &mut MaskAlloc, vars: usize, hidden: bool) -> MatrixMasks {
        let b = alloc.take(1);
        let a_slot = hidden.then(|| alloc.take(1));
        let shape = ZkShape { num_vars: vars, slots: vec![Some(alloc.take(1)), a_slot] };
        let libra = shape.libra(alloc);
        MatrixMasks { b, shape, libra }
    }

    fn a_slot(&self) -> Option<usize> {
        self.shape.slots[1]
    }
}

/// The masks of one op, allocated from the architecture and the statement alone, in proving order.
#[derive(Clone, Debug)]
enum OpMasks {
    Dense(MatrixMasks),
    /// A shift of 0 has no remainder: no r slot and no range lookup (q = z).
    Requant { q: usize, r: Option<usize>, range: Option<Box<LookupMasks>>, act: Box<LookupMasks> },
    /// Unpadding (output positions not a power of two), the matrix, im2col (a hidden input only).
    Conv { unpad: Option<WireMasks>, matrix: MatrixMasks, im2col: Option<WireMasks> },
    Pool(WireMasks),
    /// The added tensor's pad (none when it is the public input: the verifier evaluates it).
    Add { t: Option<usize> },
    /// The zerocheck of eq(tau) times each tap's difference (every difference hidden), y's pad at its point, the
    /// differences' range lookup, the taps' wiring.
    MaxPool { zerocheck: Box<WireMasks>, y: usize, lookup: Box<LookupMasks>, wire: WireMasks },
    None,
}

/// Everything both sides derive from the architecture and the statement: layouts, masks, the vectors' parameters.
pub struct Plan {
    stmt: ZkStatement,
    lens: Vec<usize>,
    layouts: Layouts,
    masks: Vec<OpMasks>,
    /// Per requant (op index), the first of its four helper vectors (index into the joint vectors).
    helper_base: Vec<usize>,
    /// A private input's range lookup: its masks and its two helper vectors' first index.
    input_lookup: Option<(LookupMasks, usize)>,
    joint: JointParams,
}

fn unsupported(what: String) -> String {
    format!("the zero-knowledge sumcheck system proves dense, conv, requant, sum and max pool, add and flatten ops: {what}")
}

impl Plan {
    /// One inference of a public input (`ZkStatement::ONE`).
    pub fn new(arch: &Arch) -> Result<Plan, String> {
        Plan::for_statement(arch, ZkStatement::ONE)
    }

    pub fn for_statement(arch: &Arch, stmt: ZkStatement) -> Result<Plan, String> {
        let lens = arch.check()?;
        if stmt.batch == 0 {
            return Err("a batch of no samples".into());
        }
        let bv = stmt.bv();
        if stmt.input == InputVis::Private {
            arch.input_table()?; // a range without 0, or past 2^20 rows, cannot be a private input's (before the layout)
        }
        let layouts = arch.layouts_batch(stmt.input, stmt.batch);
        let mut alloc = MaskAlloc::default();
        let mut masks = vec![OpMasks::None; arch.ops.len()];
        let mut helper_sizes = Vec::new();
        let mut helper_base = vec![usize::MAX; arch.ops.len()];
        let in_vars = |len: usize| log2_ceil(len) + bv;
        for (k, op) in arch.ops.iter().enumerate().rev() {
            let hidden = stmt.hidden_input(k);
            masks[k] = match *op {
                ArchOp::Flatten => OpMasks::None,
                ArchOp::Dense { n, .. } => {
                    let vars = log2_ceil(n);
                    if vars == 0 {
                        return Err(unsupported(format!("ops[{k}] dense of one input column (a sumcheck needs two)")));
                    }
                    OpMasks::Dense(MatrixMasks::new(&mut alloc, vars, hidden))
                }
                ArchOp::Requant { shift, bits, .. } => {
                    let vars = in_vars(lens[k]);
                    if vars == 0 || bits <= shift {
                        return Err(unsupported(format!("ops[{k}] requant of {} values, shift {shift}, {bits} bits (each lookup needs two rows a side)", lens[k])));
                    }
                    let q = alloc.take(1);
                    let r = (shift > 0).then(|| alloc.take(1));
                    let range = (shift > 0).then(|| Box::new(LookupMasks::new(&mut alloc, vars, shift as usize)));
                    let act = Box::new(LookupMasks::new(&mut alloc, vars, (bits - shift) as usize));
                    helper_base[k] = 3 + helper_sizes.len();
                    if shift > 0 {
                        helper_sizes.extend([vars, shift as usize]);
                    }
                    helper_sizes.extend([vars, (bits - shift) as usize]);
                    OpMasks::Requant { q, r, range, act }
                }
                ArchOp::Conv { win, f } => {
                    let (pl, tl) = (win.positions(), win.c * win.taps());
                    if log2_ceil(tl) == 0 || (hidden && in_vars(win.in_len()) == 0) {
                        return Err(unsupported(format!("ops[{k}] conv of one tap on one channel, or of a one-value input (a sumcheck needs two)")));
                    }
                    let unpad = (!pl.is_power_of_two()).then(|| WireMasks::new(&mut alloc, in_vars(Wiring::Unpad { rows: f, cols: pl }.in_len()), true));
                    let matrix = MatrixMasks::new(&mut alloc, log2_ceil(tl), hidden);
                    let im2col = hidden.then(|| WireMasks::new(&mut alloc, in_vars(win.in_len()), true));
                    OpMasks::Conv { unpad, matrix, im2col }
                }
                ArchOp::SumPool { win } => {
                    if in_vars(win.in_len()) == 0 {
                        return Err(unsupported(format!("ops[{k}] sum pool of one value")));
                    }
                    OpMasks::Pool(WireMasks::new(&mut alloc, in_vars(win.in_len()), hidden))
                }
                ArchOp::Add { from, .. } => OpMasks::Add { t: (from > 0 || stmt.input == InputVis::Private).then(|| alloc.take(1)) },
                ArchOp::MaxPool { win, bits } => {
                    let (vars, taps) = (in_vars(lens[k]), win.taps());
                    if vars == 0 || bits < 2 {
                        return Err(unsupported(format!("ops[{k}] max pool to one value or of {bits} bits (its zerocheck and lookup need two rows)")));
                    }
                    let shape = ZkShape { num_vars: vars, slots: std::iter::once(None).chain((0..taps).map(|_| Some(alloc.take(1)))).collect() };
                    let libra = shape.libra(&mut alloc);
                    let y = alloc.take(1);
                    let lookup_vars = vars + log2_ceil(taps);
                    let lookup = Box::new(LookupMasks::new(&mut alloc, lookup_vars, bits as usize - 1));
                    helper_base[k] = 3 + helper_sizes.len();
                    helper_sizes.extend([lookup_vars, bits as usize - 1]);
                    let wire = WireMasks::new(&mut alloc, in_vars(win.in_len()), hidden);
                    OpMasks::MaxPool { zerocheck: Box::new(WireMasks { shape, libra }), y, lookup, wire }
                }
            };
        }
        let input_lookup = match stmt.input {
            InputVis::Public => None,
            InputVis::Private => {
                let table = arch.input_table()?;
                let vars = in_vars(arch.input_len);
                if vars == 0 {
                    return Err(unsupported("a private input of one value (its lookup needs two rows)".into()));
                }
                let lm = LookupMasks::new(&mut alloc, vars, table.log_size());
                let base = 3 + helper_sizes.len();
                helper_sizes.extend([vars, table.log_size()]);
                Some((lm, base))
            }
        };
        let witness = layouts.witness.as_ref().ok_or_else(|| unsupported("a network without a requant or a private input".into()))?;
        let mut vectors = vec![HyraxParams::new(HYRAX_TAG, layouts.model.num_vars), HyraxParams::new(HYRAX_TAG, witness.num_vars)];
        vectors.push(HyraxParams::new(HYRAX_TAG, log2_ceil(alloc.len())));
        vectors.extend(helper_sizes.iter().map(|&n| HyraxParams::new(HYRAX_TAG, n)));
        Ok(Plan { stmt, lens, layouts, masks, helper_base, input_lookup, joint: JointParams::new(vectors) })
    }

    fn witness(&self) -> &Layout {
        self.layouts.witness.as_ref().expect("checked in Plan::new")
    }

    fn mask_len(&self) -> usize {
        1 << self.joint.vectors[2].num_vars
    }

    /// A network column's place in the joint merge's vectors: (vector, offset).
    fn place(&self, col: NCol) -> (usize, usize) {
        match col {
            NCol::Model(seg) => (0, self.layouts.model.segments[seg].offset),
            NCol::Wit(seg) => (1, self.witness().segments[seg].offset),
            NCol::Help(i) => (i, 0),
        }
    }

    /// The witness column of op k's output (a requant's a) or of the input (k = 0 past the ops).
    fn wit(&self, k: usize, kind: SegKind) -> NCol {
        NCol::Wit(self.witness().get(k, kind))
    }
}

/// A column of the network's proof: a segment of the model or the witness, or a helper vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NCol {
    Model(usize),
    Wit(usize),
    Help(usize),
}

/// A wiring's messages: its sumcheck and x^(r') (none when x is the public input).
#[derive(Clone, Debug, PartialEq)]
pub struct ZkWire {
    pub sumcheck: ZkSumcheckProof,
    pub x_hat: Option<Fr>,
}

/// A lookup's messages: its two helper columns' commitments and its proof.
pub type ZkLookup = (Vec<HyraxCommitment>, ZkLookupProof);

/// One op's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum ZkLayer {
    Dense { b_hat: Fr, sumcheck: ZkSumcheckProof, w_hat: Fr, a_hat: Option<Fr> },
    /// r^ and the range lookup are absent for a shift of 0.
    Requant { q_hat: Fr, r_hat: Option<Fr>, lookups: Vec<ZkLookup> },
    Conv { unpad: Option<ZkWire>, b_hat: Fr, sumcheck: ZkSumcheckProof, w_hat: Fr, a_hat: Option<Fr>, im2col: Option<ZkWire> },
    Pool { wire: ZkWire },
    Add { t_hat: Option<Fr> },
    /// A private input's range lookup, after every op.
    InputRange { lookup: ZkLookup },
    /// The zerocheck, each tap's difference d^ and y^ at its point, the differences' lookup, the taps' wiring.
    MaxPool { zerocheck: ZkSumcheckProof, d_hats: Vec<Fr>, y_hat: Fr, lookup: ZkLookup, wire: ZkWire },
}

/// The proof: the commitments, each op's messages (last op first) and the joint merge.
#[derive(Clone, Debug, PartialEq)]
pub struct ZkNetworkProof {
    /// The model's hiding commitment: in the proof (paper0's statement) or None (the verifier holds it).
    pub model_commitment: Option<HyraxCommitment>,
    pub witness: HyraxCommitment,
    pub masks: HyraxCommitment,
    pub merge_mask: G1Affine,
    pub layers: Vec<ZkLayer>,
    pub joint: JointProof,
}

/// A committed model's secret: its hiding commitment and the rows' blinders (the owner's, never published).
#[derive(Clone, Debug)]
pub struct ModelSecret {
    pub commitment: HyraxCommitment,
    pub blinders: Vec<Fr>,
}

impl ModelSecret {
    /// The secret's bytes (the owner's file, beside the published commitment): the commitment as
    /// network.rs's `commitment_to_bytes` writes it, then one 32-byte word per row's blinder.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(super::network::commitment_to_bytes(&self.commitment));
        self.blinders.iter().for_each(|b| w.fr(b));
        w.0
    }

    /// Back from `to_bytes` for the architecture `arch` (its model's row count), every row on the curve, every
    /// blinder below the modulus, nothing after.
    pub fn from_bytes(bytes: &[u8], arch: &Arch) -> Result<ModelSecret, DecodeError> {
        let rows = model_params(arch).map_err(|what| DecodeError { offset: 0, what })?.rows();
        let mut r = Reader { b: bytes, at: 0 };
        let commitment = r.commitment("model secret's commitment")?;
        if commitment.rows.len() != rows {
            return r.err(format!("a commitment of {} rows, this architecture's model has {}", commitment.rows.len(), rows));
        }
        let blinders = (0..rows).map(|i| r.fr(&format!("blinder {i}"))).collect::<Result<Vec<_>, _>>()?;
        if r.at != bytes.len() {
            return r.err(format!("{} bytes after the secret's end", bytes.len() - r.at));
        }
        Ok(ModelSecret { commitment, blinders })
    }
}

/// Commits the model once with hiding rows (committed weights): the commitment to publish and the secret to keep.
pub fn commit_model_zk<R: RngCore + CryptoRng>(net: &Network, rng: &mut R) -> Result<ModelSecret, String> {
    let arch = net.arch();
    let (commitment, blinders) = commit_i64_hiding(&model_params(&arch)?, &model_vector(net, &arch.layouts()), rng);
    Ok(ModelSecret { commitment, blinders })
}

/// The model vector's Hyrax parameters: the statement's plan's vector 0 for every statement (the model's layout
/// holds the weights only), so a committed model serves a private input and batches alike.
fn model_params(arch: &Arch) -> Result<HyraxParams, String> {
    arch.check()?;
    Ok(HyraxParams::new(HYRAX_TAG, arch.layouts().model.num_vars))
}

/// The claim that an op's output, at `point`, is `value` less <corr, masks>.
#[derive(Clone, Debug)]
struct Running {
    point: Vec<Fr>,
    value: Fr,
    corr: Vec<(usize, Fr)>,
}

/// A requant's claims, formed alike by both sides: a at p; q^ and r^ (none for a shift of 0) with their pads.
/// Returns the input's claim, 2^s q^ + r^ less the pads.
fn requant_claims(plan: &Plan, k: usize, run: &Running, (q_hat, r_hat): (Fr, Option<Fr>), shift: u32, out: &mut Vec<ColClaim<NCol>>) -> Running {
    let OpMasks::Requant { q, r, .. } = plan.masks[k] else { unreachable!("a requant's masks") };
    let col = |kind| plan.wit(k, kind);
    out.push(ColClaim { evals: vec![(col(SegKind::Act), run.point.clone(), Fr::one())], mask: run.corr.clone(), value: run.value });
    out.push(ColClaim { evals: vec![(col(SegKind::Quot), run.point.clone(), Fr::one())], mask: vec![(q, Fr::one())], value: q_hat });
    let two_s = fr_from_i64(1i64 << shift);
    let mut next = Running { point: run.point.clone(), value: two_s * q_hat, corr: vec![(q, two_s)] };
    if let (Some(r), Some(r_hat)) = (r, r_hat) {
        out.push(ColClaim { evals: vec![(col(SegKind::Rem), run.point.clone(), Fr::one())], mask: vec![(r, Fr::one())], value: r_hat });
        next.value += r_hat;
        next.corr.push((r, Fr::one()));
    }
    next
}

/// A lookup's claims in the network's columns: f's columns and m are witness segments, the helpers vectors.
fn lookup_claims(claims: Vec<ColClaim<Col>>, f_cols: &[usize], m_col: usize, helper: usize, out: &mut Vec<ColClaim<NCol>>) {
    let name = |c: Col| match c {
        Col::F(i) => NCol::Wit(f_cols[i]),
        Col::M => NCol::Wit(m_col),
        Col::Hf => NCol::Help(helper),
        Col::Ht => NCol::Help(helper + 1),
    };
    out.extend(claims.into_iter().map(|c| ColClaim { evals: c.evals.into_iter().map(|(col, p, k)| (name(col), p, k)).collect(), mask: c.mask, value: c.value }));
}

/// One lookup: its table, the looked-up segments, the multiplicities' segment, its masks, its first helper vector
/// and the looked-up columns' variables.
struct LookupSpec {
    table: Table,
    f_segs: Vec<usize>,
    m_seg: usize,
    masks: LookupMasks,
    helper: usize,
    vars: usize,
}

/// A requant's lookups: the range lookup of r (none for a shift of 0), then the activation lookup of (q, a).
fn requant_lookups(plan: &Plan, k: usize, op: &RequantOp) -> Result<Vec<LookupSpec>, String> {
    let OpMasks::Requant { range, act, .. } = &plan.masks[k] else { unreachable!("a requant's masks") };
    let w = plan.witness();
    let seg = |kind| w.get(k, kind);
    let (base, vars) = (plan.helper_base[k], log2_ceil(plan.lens[k]) + plan.stmt.bv());
    let mut out = Vec::new();
    if let Some(range) = range {
        out.push(LookupSpec { table: op.range_table().map_err(|e| e.to_string())?, f_segs: vec![seg(SegKind::Rem)], m_seg: seg(SegKind::MultRange), masks: (**range).clone(), helper: base, vars });
    }
    let helper = base + 2 * out.len();
    out.push(LookupSpec { table: op.activation_table().map_err(|e| e.to_string())?, f_segs: vec![seg(SegKind::Quot), seg(SegKind::Act)], m_seg: seg(SegKind::MultAct), masks: (**act).clone(), helper, vars });
    Ok(out)
}

/// A max pool's range lookup of its differences (every tap's run) into [0, 2^(bits - 1)).
fn maxpool_lookup(plan: &Plan, k: usize, bits: u32) -> LookupSpec {
    let OpMasks::MaxPool { lookup, .. } = &plan.masks[k] else { unreachable!("a max pool's masks") };
    let w = plan.witness();
    let vars = lookup.f_shape.num_vars;
    LookupSpec { table: maxpool_table(bits), f_segs: vec![w.get(k, SegKind::PoolDiff)], m_seg: w.get(k, SegKind::MultPool), masks: (**lookup).clone(), helper: plan.helper_base[k], vars }
}

/// A max pool's claims at the zerocheck's point tp, formed alike by both sides: each d^_t on its tap's run of the
/// differences (the tap's bits high) with its slot at weight Z(tp), y^ with its pad. Returns the claim the taps'
/// wiring starts from: sum_t gamma^t (y - d_t)(tp) = sum_t gamma^t (y^ - d^_t) less the pads.
fn maxpool_claims(plan: &Plan, k: usize, tp: &[Fr], (d_hats, y_hat): (&[Fr], Fr), gamma: Fr, out: &mut Vec<ColClaim<NCol>>) -> Running {
    let OpMasks::MaxPool { zerocheck, y, .. } = &plan.masks[k] else { unreachable!("a max pool's masks") };
    let (z, tap_bits) = (vanishing(tp), log2_ceil(d_hats.len()));
    let mut run = Running { point: tp.to_vec(), value: Fr::zero(), corr: Vec::new() };
    let mut power = Fr::one();
    let mut powers_sum = Fr::zero();
    for (i, (d, slot)) in d_hats.iter().zip(zerocheck.shape.slots[1..].iter().flatten()).enumerate() {
        let point: Vec<Fr> = tp.iter().copied().chain((0..tap_bits).map(|b| Fr::from(((i >> b) & 1) as u64))).collect();
        out.push(ColClaim { evals: vec![(plan.wit(k, SegKind::PoolDiff), point, Fr::one())], mask: vec![(*slot, z)], value: *d });
        run.value += power * (y_hat - d);
        run.corr.push((*slot, -power * z));
        powers_sum += power;
        power *= gamma;
    }
    out.push(ColClaim { evals: vec![(plan.wit(k, SegKind::PoolOut), tp.to_vec(), Fr::one())], mask: vec![(*y, Fr::one())], value: y_hat });
    run.corr.push((*y, powers_sum));
    run
}

/// A private input's range lookup: the pairs (x, x) into the declared range's table (network.rs's `InputVis`).
fn input_lookup(plan: &Plan, arch: &Arch) -> Result<LookupSpec, String> {
    let (masks, helper) = plan.input_lookup.clone().ok_or("the input is public: it has no range lookup")?;
    let w = plan.witness();
    let x = w.get(0, SegKind::Input);
    Ok(LookupSpec { table: arch.input_table()?, f_segs: vec![x, x], m_seg: w.get(0, SegKind::MultInput), masks, helper, vars: log2_ceil(arch.input_len) + plan.stmt.bv() })
}

/// A matrix product's claims (dense or conv), formed alike by both sides: b^ with its pad at p; W^ as its blocks at
/// (sigma_low || p_low) plus its slot; the sumcheck's claims on the masks.
#[allow(clippy::too_many_arguments)]
fn matrix_claims(plan: &Plan, k: usize, mm: &MatrixMasks, (m, n): (usize, usize), p: &[Fr], sigma: &[Fr], (b_hat, w_hat): (Fr, Fr), mask_claims: Vec<MaskClaim>, out: &mut Vec<ColClaim<NCol>>) {
    let model = &plan.layouts.model;
    out.push(ColClaim { evals: vec![(NCol::Model(model.get(k, SegKind::Bias)), p.to_vec(), Fr::one())], mask: vec![(mm.b, Fr::one())], value: b_hat });
    let z = vanishing(sigma);
    let mut blocks = Vec::new();
    for (rb, &(ro, rl)) in pow2_parts(m).iter().enumerate() {
        for (cb, &(co, cl)) in pow2_parts(n).iter().enumerate() {
            let seg = model.get(k, SegKind::Weights { rb: rb as u8, cb: cb as u8 });
            let at: Vec<Fr> = sigma[..cl].iter().chain(&p[..rl]).copied().collect();
            blocks.push((NCol::Model(seg), at, eq_high(p, rl, ro) * eq_high(sigma, cl, co)));
        }
    }
    out.push(ColClaim { evals: blocks, mask: vec![(mm.shape.slots[0].expect("W's slot"), z)], value: w_hat });
    out.extend(mask_claims.iter().map(ColClaim::on_mask));
}

/// A matrix sumcheck's claim: (v - weight b^, l with rho_b's weight -weight), `weight` the bias's in the running
/// claim (1 for one sample of a dense op; a conv's positions and a batch's samples each add it once).
fn matrix_claim(run: &Running, b: usize, b_hat: Fr, weight: Fr) -> (Fr, Vec<(usize, Fr)>) {
    let mut corr = run.corr.clone();
    corr.push((b, -weight));
    (run.value - b_hat * weight, corr)
}

/// The running claim past a hidden factor's revealed value F^(r) = F(r) + rho Z(r): (r || rest, F^, rho's weight Z(r)).
fn revealed(point: &[Fr], rest: &[Fr], value: Fr, slot: usize) -> Running {
    Running { point: point.iter().chain(rest).copied().collect(), value, corr: vec![(slot, vanishing(point))] }
}

/// An add's input claim, y = mul x + from_mul t: x(p) = (v - from_mul t^) / mul less <l / mul, masks> plus
/// (from_mul / mul) rho_t.
fn add_running(run: &Running, t_hat: Fr, t_slot: Option<usize>, mul: i64, from_mul: i64) -> Running {
    let inv = Fr::from(mul as u64).inverse().expect("mul >= 1");
    let fm = Fr::from(from_mul as u64);
    let mut corr: Vec<(usize, Fr)> = run.corr.iter().map(|(i, w)| (*i, *w * inv)).collect();
    corr.extend(t_slot.map(|s| (s, -fm * inv)));
    Running { point: run.point.clone(), value: (run.value - fm * t_hat) * inv, corr }
}

/// The claim left on the input: the public x checked by the verifier (v - x~(p) = <l, masks>), or a private x's
/// witness segment.
fn input_claim(plan: &Plan, run: &Running, x: Option<&[i64]>) -> ColClaim<NCol> {
    match x {
        Some(x) => ColClaim { evals: vec![], mask: run.corr.clone(), value: run.value - Mle::from_i64(x).evaluate(&run.point) },
        None => ColClaim { evals: vec![(plan.wit(0, SegKind::Input), run.point.clone(), Fr::one())], mask: run.corr.clone(), value: run.value },
    }
}

/// The claim an add's t^ makes: on the earlier requant's a, or on a private input (a public one has no t^).
fn add_t_claim(plan: &Plan, from: usize, point: &[Fr], t_hat: Fr, slot: usize) -> ColClaim<NCol> {
    let col = if from > 0 { plan.wit(from - 1, SegKind::Act) } else { plan.wit(0, SegKind::Input) };
    ColClaim { evals: vec![(col, point.to_vec(), Fr::one())], mask: vec![(slot, Fr::one())], value: t_hat }
}

fn absorb_commitments(t: &mut Transcript, model: &HyraxCommitment, proof_parts: (&HyraxCommitment, &HyraxCommitment, &G1Affine)) {
    t.absorb_g1s(b"model commitment", &model.rows);
    proof_parts.0.absorb(t);
    proof_parts.1.absorb(t);
    t.absorb_g1(b"merge mask", proof_parts.2);
}

/// A matrix product's input a, folded along the batch's samples (`rb`) and cut to its `cols` columns.
fn matrix_input(v: &[i64], cols: usize, rb: &[Fr]) -> Vec<Fr> {
    let mut a = fold_samples(v, 1 << log2_ceil(cols), rb);
    a.truncate(cols);
    a
}

/// A conv's matrix input a(t) = X'~(t, rp): im2col's map folded along the positions and the samples.
fn conv_input(win: &Window, x: &[i64], rp: &[Fr], rb: &[Fr]) -> Vec<Fr> {
    im2col_fold(win, &fold_samples(x, 1 << log2_ceil(win.in_len()), rb), &eq_table(rp))
}

/// A public factor's MLE at `point` (its table padded with zeros).
fn public_eval(mut v: Vec<Fr>, point: &[Fr]) -> Fr {
    v.resize(1 << point.len(), Fr::zero());
    Mle::new(v).evaluate(point)
}

/// Proves in zero knowledge that the network maps x to y (returned). With `model`, the committed model's secret
/// (commit_model_zk): its commitment is not sent; without, the model is committed here and sent. With `context`
/// (32 bytes, as format 2's: a consumer passes its caller's address), the proof verifies with that context only.
/// `rng` must be a CSPRNG seeded from the OS in production (a fixed seed repeats every mask: no zero knowledge).
/// Aborts, with probability about (rows + 2n) / |Fr|, when a challenge is 0 or 1 or a lookup's denominator is zero.
pub fn prove_network_zk<R: RngCore + CryptoRng>(net: &Network, x: &[i64], model: Option<&ModelSecret>, context: Option<&[u8; 32]>, rng: &mut R) -> Result<(ZkNetworkProof, Vec<i64>), String> {
    prove_network_zk_timed(net, x, model, context, rng).map(|(p, y, ..)| (p, y))
}

/// prove_network_zk with each phase's wall and CPU seconds (network.rs's Timings), and apart from them the laps of
/// their parts ("commit: model", "layers: dense sumcheck", ...: each already counted in its phase).
pub fn prove_network_zk_timed<R: RngCore + CryptoRng>(
    net: &Network,
    x: &[i64],
    model: Option<&ModelSecret>,
    context: Option<&[u8; 32]>,
    rng: &mut R,
) -> Result<(ZkNetworkProof, Vec<i64>, Timings, Timings), String> {
    let (proof, mut ys, timings, detail) = prove_network_zk_batch(net, &[x.to_vec()], InputVis::Public, model, context, rng)?;
    Ok((proof, ys.remove(0), timings, detail))
}

/// The prover's state while it walks the ops from the last: the transcript, the claims for the joint merge, the
/// lookups' helper vectors and the commitments of field elements.
struct ProveCx<'a, R> {
    plan: &'a Plan,
    masks: &'a [Fr],
    t: Transcript,
    claims: Vec<ColClaim<NCol>>,
    helper_vecs: Vec<(Vec<Fr>, Vec<Fr>)>,
    detail: Timings,
    fixed: &'a FixedBases,
    rng: &'a mut R,
}

impl<R: RngCore + CryptoRng> ProveCx<'_, R> {
    /// One lookup of the columns `f` (the spec's segments' values) with multiplicities `m`: challenges, both
    /// helpers committed and absorbed, the proof; its claims join the merge's.
    fn lookup(&mut self, spec: LookupSpec, f: &[&[Fr]], m: &[u64]) -> Result<ZkLookup, String> {
        let LookupSpec { table, f_segs, m_seg, masks: lm, helper, vars } = spec;
        let ab = draw_challenges(&table, vars, &mut self.t);
        let (h_f, h_t) = timed(&mut self.detail, "layers: lookup helpers", || helpers(f, m, &table, ab.0, ab.1)).map_err(|e| e.to_string())?;
        let jp = &self.plan.joint.vectors;
        let (mut comms, mut blinders) = (Vec::new(), Vec::new());
        for (j, h) in [&h_f, &h_t].into_iter().enumerate() {
            let (fixed, rng) = (self.fixed, &mut *self.rng);
            let (c, b) = timed(&mut self.detail, "layers: lookup helper commitments", || commit_fr_hiding_fixed(&jp[helper + j], h, fixed, rng));
            c.absorb(&mut self.t);
            comms.push(c);
            blinders.push(b);
        }
        let masks = self.masks;
        let t = &mut self.t;
        let (proof, lc) = timed(&mut self.detail, "layers: lookup sumchecks", || prove_lookup_zk(f, m, (&h_f, &h_t), &table, &lm, masks, ab, t));
        lookup_claims(lc, &f_segs, m_seg, helper, &mut self.claims);
        // the helpers join the merge's vectors (h_f, then h_t), moved, not copied
        self.helper_vecs.extend([h_f, h_t].into_iter().zip(blinders));
        Ok((comms, proof))
    }

    /// A wiring's sumcheck from the running claim on u = M x to x (hidden: its x^ sent and the claim carried on;
    /// public: the verifier evaluates x, None returned).
    fn wire(&mut self, wiring: &Wiring, wm: &WireMasks, run: &Running, x: &[i64], n: usize) -> (ZkWire, Option<Running>) {
        let g = batch_table(wiring, &run.point, n);
        let (masks, t) = (self.masks, &mut self.t);
        let out = timed(&mut self.detail, "layers: wiring sumcheck", || prove_zk(vec![Mle::new(g), Mle::from_i64(x)], &wm.shape, &wm.libra, masks, run.value, &run.corr, t));
        self.claims.extend(out.mask_claims.iter().map(ColClaim::on_mask));
        let x_hat = wm.shape.slots[1].map(|_| out.values[1]);
        if let Some(v) = &x_hat {
            self.t.absorb_fr(b"wiring eval", v);
        }
        let next = wm.shape.slots[1].map(|s| revealed(&out.point, &[], out.values[1], s));
        (ZkWire { sumcheck: out.proof, x_hat }, next)
    }

    /// A matrix product's sumcheck (its bias's pad `mm.b` already in `claim`'s corrections): W^ and a^ (when
    /// hidden) sent and absorbed under `tag`; W's and the bias's claims joined. Returns (sigma, W^, a^).
    #[allow(clippy::too_many_arguments)]
    fn matrix(&mut self, k: usize, mm: &MatrixMasks, (w, m, n): (&[i64], usize, usize), a: Vec<Fr>, p: &[Fr], (claim, corr): (Fr, Vec<(usize, Fr)>), b_hat: Fr, tag: &[u8]) -> (ZkSumcheckProof, Vec<Fr>, Fr, Option<Fr>) {
        let eq_p = eq_table(p);
        let w_p = timed(&mut self.detail, "layers: dense fold", || Mle::new(fold_rows(w, m, n, &eq_p, FoldMethod::Auto)));
        let (masks, t) = (self.masks, &mut self.t);
        let out = timed(&mut self.detail, "layers: dense sumcheck", || prove_zk(vec![w_p, Mle::new(a)], &mm.shape, &mm.libra, masks, claim, &corr, t));
        let (w_hat, a_hat) = (out.values[0], mm.a_slot().map(|_| out.values[1]));
        self.t.absorb_frs(tag, &[w_hat].into_iter().chain(a_hat).collect::<Vec<_>>());
        matrix_claims(self.plan, k, mm, (m, n), p, &out.point, (b_hat, w_hat), out.mask_claims, &mut self.claims);
        (out.proof, out.point, w_hat, a_hat)
    }
}

/// prove_network_zk_timed for a batch of inputs (`xs`, each sample's inference in one proof: every layer's
/// sumchecks run once over the batch, the weights folded once), the input public or private (committed in the
/// witness, in the declared range by a lookup, never sent): the outputs in order.
pub fn prove_network_zk_batch<R: RngCore + CryptoRng>(
    net: &Network,
    xs: &[Vec<i64>],
    input: InputVis,
    model: Option<&ModelSecret>,
    context: Option<&[u8; 32]>,
    rng: &mut R,
) -> Result<(ZkNetworkProof, Vec<Vec<i64>>, Timings, Timings), String> {
    let mut timings = Timings::new();
    let mut lap = stopwatch();
    if xs.is_empty() {
        return Err("a batch of no inputs".into());
    }
    let n = xs.len();
    let stmt = ZkStatement { input, batch: n };
    let bv = stmt.bv();
    let arch = net.arch();
    let plan = Plan::for_statement(&arch, stmt)?;
    let traces: Vec<Vec<Vec<i64>>> = xs.iter().enumerate().map(|(b, x)| try_run(net, x).map_err(|e| if n > 1 { format!("batch[{b}]: {e}") } else { e })).collect::<Result<_, _>>()?;
    let lens = &plan.lens;
    let x_b = batch_vector(xs.iter().map(|x| &x[..]), arch.input_len, n);
    let trace: Vec<Vec<i64>> = (0..net.ops.len()).map(|k| batch_vector(traces.iter().map(|t| &t[k][..]), lens[k], n)).collect();
    let ys: Vec<Vec<i64>> = traces.iter().zip(xs).map(|(t, x)| t.last().cloned().unwrap_or_else(|| x.clone())).collect();
    let input_of = |k: usize| if k == 0 { &x_b[..] } else { &trace[k - 1][..] };
    // The witness vector, as network.rs lays it out.
    let w_layout = plan.witness();
    let mut big_w = vec![0i64; 1 << w_layout.num_vars];
    let mut requant_data = vec![None; net.ops.len()];
    for (k, op) in net.ops.iter().enumerate() {
        if let &Op::Requant { shift, relu, bits, clamp } = op {
            let op = RequantOp { shift, relu, bits, clamp };
            let wit = requant_witness(input_of(k), &op).map_err(|e| format!("ops[{k}]: {e}"))?;
            let mult = requant_multiplicities(&wit, &op).map_err(|e| format!("ops[{k}]: {e}"))?;
            let as_i64 = |m: &[u64]| m.iter().map(|&c| c as i64).collect::<Vec<i64>>();
            for (kind, data) in [(SegKind::Quot, wit.q.clone()), (SegKind::Rem, wit.r.clone()), (SegKind::Act, wit.a.clone()), (SegKind::MultRange, as_i64(&mult.range)), (SegKind::MultAct, as_i64(&mult.act))] {
                w_layout.place(w_layout.get(k, kind), &data, &mut big_w);
            }
            requant_data[k] = Some((op, wit, mult));
        }
    }
    let mut pool_data = vec![None; net.ops.len()];
    for (k, op) in net.ops.iter().enumerate() {
        if let &Op::MaxPool { win, bits } = op {
            let ins: Vec<&[i64]> = traces.iter().zip(xs).map(|(t, x)| if k == 0 { &x[..] } else { &t[k - 1][..] }).collect();
            let d = maxpool_diffs_batch(&win, &ins, &traces.iter().map(|t| &t[k][..]).collect::<Vec<_>>());
            let mult = table_multiplicities(&[&d], &maxpool_table(bits)).map_err(|e| format!("ops[{k}] maxpool: {e}"))?;
            w_layout.place(w_layout.get(k, SegKind::PoolOut), &trace[k], &mut big_w);
            w_layout.place(w_layout.get(k, SegKind::PoolDiff), &d, &mut big_w);
            w_layout.place(w_layout.get(k, SegKind::MultPool), &mult.iter().map(|&c| c as i64).collect::<Vec<_>>(), &mut big_w);
            pool_data[k] = Some((d, mult));
        }
    }
    let input_mult = match input {
        InputVis::Private => {
            let mult = table_multiplicities(&[&x_b, &x_b], &arch.input_table()?).map_err(|e| format!("input: {e}"))?;
            w_layout.place(w_layout.get(0, SegKind::Input), &x_b, &mut big_w);
            w_layout.place(w_layout.get(0, SegKind::MultInput), &mult.iter().map(|&c| c as i64).collect::<Vec<_>>(), &mut big_w);
            Some(mult)
        }
        InputVis::Public => None,
    };
    let big_m = model_vector(net, &plan.layouts);
    lap("run and witness", &mut timings);
    let masks: Vec<Fr> = (0..plan.mask_len()).map(|_| Fr::rand(rng)).collect();
    let jp = &plan.joint.vectors;
    let mut detail = Timings::new();
    let model_secret = match model {
        Some(s) => s.clone(),
        None => timed(&mut detail, "commit: model", || {
            let (commitment, blinders) = commit_i64_hiding(&jp[0], &big_m, rng);
            ModelSecret { commitment, blinders }
        }),
    };
    let (wit_comm, wit_blind) = timed(&mut detail, "commit: witness", || commit_i64_hiding(&jp[1], &big_w, rng));
    // One set of fixed-base tables for the masks' and the lookups' helpers' columns, sized for their entries (at
    // most: h_f's rows, as many of h_t's).
    let helper_entries: usize = jp[3..].chunks(2).map(|h| (1usize << h[0].num_vars) + (1usize << h[0].num_vars.min(h[1].num_vars))).sum();
    let widest = jp[2..].iter().max_by_key(|p| p.cols()).expect("the masks' vector");
    let fixed = timed(&mut detail, "commit: fixed-base tables", || FixedBases::new(widest, widest.cols(), helper_entries + plan.mask_len()));
    let (mask_comm, mask_blind) = timed(&mut detail, "commit: masks", || commit_fr_hiding_fixed(&jp[2], &masks, &fixed, rng));
    let merge_mask: Vec<Fr> = (0..plan.joint.mask_len()).map(|_| Fr::rand(rng)).collect();
    let (merge_comm, merge_blind) = commit_mask(&plan.joint, &merge_mask, rng);
    let mut t = Transcript::new(ZK_DOMAIN_TAG);
    absorb_statement(&mut t, &arch.hash(), (input == InputVis::Public).then_some(xs), arch.input_len, &ys, context);
    absorb_commitments(&mut t, &model_secret.commitment, (&wit_comm, &mask_comm, &merge_comm));
    lap("commit", &mut timings);

    let point = t.challenge_frs(log2_ceil(arch.output_len()) + bv);
    let value = Mle::from_i64(&batch_vector(ys.iter().map(|y| &y[..]), arch.output_len(), n)).evaluate(&point);
    let mut run = Some(Running { point, value, corr: vec![] });
    let mut cx = ProveCx { plan: &plan, masks: &masks, t, claims: Vec::new(), helper_vecs: Vec::new(), detail, fixed: &fixed, rng };
    let mut layers = Vec::new();
    for (k, op) in net.ops.iter().enumerate().rev() {
        let cur = run.take().expect("a claim on every op's output");
        let (layer, next) = match op {
            Op::Flatten => {
                run = Some(cur);
                continue;
            }
            Op::Requant { shift, .. } => {
                let (rop, wit, mult) = requant_data[k].as_ref().expect("witness built above");
                let OpMasks::Requant { q, r, .. } = plan.masks[k] else { unreachable!() };
                let q_hat = Mle::from_i64(&wit.q).evaluate(&cur.point) + masks[q];
                let r_hat = r.map(|r| Mle::from_i64(&wit.r).evaluate(&cur.point) + masks[r]);
                cx.t.absorb_frs(b"requant evals", &[q_hat].into_iter().chain(r_hat).collect::<Vec<_>>());
                let next = requant_claims(&plan, k, &cur, (q_hat, r_hat), *shift, &mut cx.claims);
                let cols = columns_fr(&[&wit.q, &wit.r, &wit.a]);
                let mut lookups = Vec::new();
                for spec in requant_lookups(&plan, k, rop)? {
                    let (f, m): (Vec<&[Fr]>, &[u64]) = if spec.f_segs.len() == 1 { (vec![&cols[1]], &mult.range) } else { (vec![&cols[0], &cols[2]], &mult.act) };
                    lookups.push(cx.lookup(spec, &f, m).map_err(|e| format!("ops[{k}]: {e}"))?);
                }
                (ZkLayer::Requant { q_hat, r_hat, lookups }, Some(next))
            }
            Op::Dense { m, n: cols, w, b } => {
                let OpMasks::Dense(mm) = &plan.masks[k] else { unreachable!() };
                let (local, rb) = cur.point.split_at(cur.point.len() - bv);
                let b_hat = Mle::from_i64(b).evaluate(local) + masks[mm.b];
                cx.t.absorb_fr(b"dense bias", &b_hat);
                let claim = matrix_claim(&cur, mm.b, b_hat, prefix_eq_sum(rb, n));
                let a = matrix_input(input_of(k), *cols, rb);
                let (sumcheck, sigma, w_hat, a_hat) = cx.matrix(k, mm, (w, *m, *cols), a, local, claim, b_hat, b"dense values");
                let next = a_hat.map(|a| revealed(&sigma, rb, a, mm.a_slot().expect("a's slot")));
                (ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat }, next)
            }
            Op::Conv { win, f, w, b } => {
                let OpMasks::Conv { unpad: um, matrix: mm, im2col: im } = &plan.masks[k] else { unreachable!() };
                let (pl, tl) = (win.positions(), win.c * win.taps());
                let (unpad, cur) = match um {
                    Some(um) => {
                        let z = batch_vector(traces.iter().map(|t| pad_rows(&t[k], *f, pl)).collect::<Vec<_>>().iter().map(|v| &v[..]), (1 << log2_ceil(*f)) << log2_ceil(pl), n);
                        let (wire, next) = cx.wire(&Wiring::Unpad { rows: *f, cols: pl }, um, &cur, &z, n);
                        (Some(wire), next.expect("z is hidden"))
                    }
                    None => (None, cur),
                };
                let (local, rb) = cur.point.split_at(cur.point.len() - bv);
                let (rp, rf) = local.split_at(log2_ceil(pl));
                let b_hat = Mle::from_i64(b).evaluate(rf) + masks[mm.b];
                cx.t.absorb_fr(b"conv bias", &b_hat);
                let claim = matrix_claim(&cur, mm.b, b_hat, prefix_eq_sum(rp, pl) * prefix_eq_sum(rb, n));
                let a = conv_input(win, input_of(k), rp, rb);
                let (sumcheck, sigma, w_hat, a_hat) = cx.matrix(k, mm, (w, *f, tl), a, rf, claim, b_hat, b"conv values");
                let (im2col, next) = match (a_hat, im) {
                    (Some(a), Some(im)) => {
                        let on_cols = Running { point: rp.iter().chain(&sigma).chain(rb).copied().collect(), value: a, corr: vec![(mm.a_slot().expect("a's slot"), vanishing(&sigma))] };
                        let (wire, next) = cx.wire(&Wiring::Im2col { win: *win }, im, &on_cols, input_of(k), n);
                        (Some(wire), next)
                    }
                    _ => (None, None),
                };
                (ZkLayer::Conv { unpad, b_hat, sumcheck, w_hat, a_hat, im2col }, next)
            }
            Op::SumPool { win } => {
                let OpMasks::Pool(wm) = &plan.masks[k] else { unreachable!() };
                let (wire, next) = cx.wire(&Wiring::Pool { win: *win }, wm, &cur, input_of(k), n);
                (ZkLayer::Pool { wire }, next)
            }
            &Op::Add { from, mul, from_mul } => {
                let OpMasks::Add { t: slot } = plan.masks[k] else { unreachable!() };
                let t_true = Mle::from_i64(if from == 0 { &x_b } else { &trace[from - 1] }).evaluate(&cur.point);
                let t_hat = slot.map(|s| t_true + masks[s]);
                if let (Some(th), Some(s)) = (t_hat, slot) {
                    cx.t.absorb_fr(b"add eval", &th);
                    cx.claims.push(add_t_claim(&plan, from, &cur.point, th, s));
                }
                (ZkLayer::Add { t_hat }, Some(add_running(&cur, t_hat.unwrap_or(t_true), slot, mul, from_mul)))
            }
            &Op::MaxPool { win, bits } => {
                let OpMasks::MaxPool { zerocheck: zc, y: y_slot, wire: wm, .. } = &plan.masks[k] else { unreachable!() };
                let (d, mult) = pool_data[k].as_ref().expect("witness built above");
                cx.claims.push(ColClaim { evals: vec![(plan.wit(k, SegKind::PoolOut), cur.point.clone(), Fr::one())], mask: cur.corr.clone(), value: cur.value });
                let nv = cur.point.len();
                let tau = cx.t.challenge_frs(nv);
                let run_len = 1usize << nv;
                let factors: Vec<Mle> = std::iter::once(Mle::new(eq_table(&tau))).chain((0..win.taps()).map(|i| Mle::from_i64(&d[i * run_len..(i + 1) * run_len]))).collect();
                let t = &mut cx.t;
                let out = timed(&mut cx.detail, "layers: maxpool zerocheck", || prove_zk(factors, &zc.shape, &zc.libra, &masks, Fr::zero(), &[], t));
                cx.claims.extend(out.mask_claims.iter().map(ColClaim::on_mask));
                let (tp, d_hats) = (out.point, out.values[1..].to_vec());
                let y_hat = Mle::from_i64(&trace[k]).evaluate(&tp) + masks[*y_slot];
                cx.t.absorb_frs(b"maxpool evals", &d_hats.iter().copied().chain([y_hat]).collect::<Vec<_>>());
                let df = columns_fr(&[d]).pop().expect("one column");
                let lookup = cx.lookup(maxpool_lookup(&plan, k, bits), &[&df], mult).map_err(|e| format!("ops[{k}] maxpool: {e}"))?;
                let gamma = cx.t.challenge_fr();
                let on_taps = maxpool_claims(&plan, k, &tp, (&d_hats, y_hat), gamma, &mut cx.claims);
                let (wire, next) = cx.wire(&Wiring::Taps { win, gamma }, wm, &on_taps, input_of(k), n);
                (ZkLayer::MaxPool { zerocheck: out.proof, d_hats, y_hat, lookup, wire }, next)
            }
        };
        layers.push(layer);
        run = next;
    }
    if let Some(r) = &run {
        cx.claims.push(input_claim(&plan, r, (input == InputVis::Public).then_some(&x_b[..])));
    }
    if let Some(mult) = &input_mult {
        let xf = columns_fr(&[&x_b]).pop().expect("one column");
        let lookup = cx.lookup(input_lookup(&plan, &arch)?, &[&xf, &xf], mult).map_err(|e| format!("input: {e}"))?;
        layers.push(ZkLayer::InputRange { lookup });
    }
    let ProveCx { mut t, claims, helper_vecs, mut detail, rng, .. } = cx;
    lap("layers", &mut timings);
    let joint_claims: Vec<_> = claims.into_iter().map(|c| c.into_joint(|col| plan.place(col), 2)).collect();
    let mut vectors: Vec<VecRef> = vec![VecRef::Small(&big_m), VecRef::Small(&big_w), VecRef::Fr(&masks)];
    let mut blinders: Vec<&[Fr]> = vec![&model_secret.blinders, &wit_blind, &mask_blind];
    for (h, b) in &helper_vecs {
        vectors.push(VecRef::Fr(h));
        blinders.push(b);
    }
    let witness = JointWitness { vectors, blinders, mask: &merge_mask, mask_blinder: merge_blind, fixed: Some(&fixed) };
    let joint = prove_joint_timed(&plan.joint, &witness, &joint_claims, &mut t, rng, &mut detail);
    lap("joint merge and openings", &mut timings);
    let proof = ZkNetworkProof {
        model_commitment: model.is_none().then_some(model_secret.commitment),
        witness: wit_comm,
        masks: mask_comm,
        merge_mask: merge_comm,
        layers,
        joint,
    };
    Ok((proof, ys, timings, detail))
}

/// Checks a zero-knowledge proof that the network of architecture `arch` maps x to y; `model` is the committed
/// model's commitment the verifier holds (None: the proof carries one, paper0's statement); `context` the 32 bytes
/// the proof was bound to, if any.
pub fn verify_network_zk(arch: &Arch, x: &[i64], y: &[i64], proof: &ZkNetworkProof, model: Option<&HyraxCommitment>, context: Option<&[u8; 32]>) -> Result<(), VerifyError> {
    verify_network_zk_batch(arch, Some(&[x.to_vec()]), &[y.to_vec()], proof, model, context)
}

fn shape_err(what: &'static str) -> VerifyError {
    VerifyError::Shape { what, got: 0, expected: 1 }
}

/// The verifier's state while it walks the ops from the last.
struct CheckCx<'a> {
    plan: &'a Plan,
    t: Transcript,
    claims: Vec<ColClaim<NCol>>,
    helper_comms: Vec<HyraxCommitment>,
}

impl CheckCx<'_> {
    fn lookup(&mut self, spec: LookupSpec, (comms, lproof): &ZkLookup) -> Result<(), VerifyError> {
        let LookupSpec { table, f_segs, m_seg, masks: lm, helper, vars } = spec;
        if comms.len() != 2 {
            return Err(shape_err("a lookup's two helper commitments"));
        }
        let ab = draw_challenges(&table, vars, &mut self.t);
        for (j, c) in comms.iter().enumerate() {
            let rows = self.plan.joint.vectors[helper + j].rows();
            if c.rows.len() != rows {
                return Err(VerifyError::Shape { what: "lookup helper rows", got: c.rows.len(), expected: rows });
            }
            c.absorb(&mut self.t);
            self.helper_comms.push(c.clone());
        }
        let lc = verify_lookup_zk(lproof, &table, &lm, ab, &mut self.t)?;
        lookup_claims(lc, &f_segs, m_seg, helper, &mut self.claims);
        Ok(())
    }

    /// A wiring's sumcheck: its final value against g~(r') times x^ (or the public x's own evaluation); returns the
    /// running claim on a hidden x.
    fn wire(&mut self, wiring: &Wiring, wm: &WireMasks, proof: &ZkWire, run: &Running, x: Option<&[i64]>, n: usize) -> Result<Option<Running>, VerifyError> {
        let slot = wm.shape.slots[1];
        let v = verify_zk(&proof.sumcheck, &wm.shape, &wm.libra, run.value, &run.corr, &mut self.t)?;
        let x_val = match (slot, proof.x_hat, x) {
            (Some(_), Some(h), _) => h,
            (None, None, Some(x)) => Mle::from_i64(x).evaluate(&v.point),
            _ => return Err(shape_err("a wiring's input value (sent exactly when the input is hidden)")),
        };
        if v.final_value != Mle::new(batch_table(wiring, &run.point, n)).evaluate(&v.point) * x_val {
            return Err(VerifyError::FinalValue { what: "zk wiring (a conv's or pool's copy map)" });
        }
        self.claims.extend(v.mask_claims.iter().map(ColClaim::on_mask));
        if let Some(h) = &proof.x_hat {
            self.t.absorb_fr(b"wiring eval", h);
        }
        Ok(slot.map(|s| revealed(&v.point, &[], x_val, s)))
    }

    /// A matrix product's sumcheck: its final value against W^ times a^ (or the public input's a, `a_pub`),
    /// W^ and a^ absorbed under `tag`, the claims joined; returns sigma.
    #[allow(clippy::too_many_arguments)]
    fn matrix(&mut self, k: usize, mm: &MatrixMasks, (m, n): (usize, usize), (sumcheck, w_hat, a_hat): (&ZkSumcheckProof, Fr, Option<Fr>), a_pub: impl FnOnce(&[Fr]) -> Option<Fr>, p: &[Fr], (claim, corr): (Fr, Vec<(usize, Fr)>), b_hat: Fr, tag: &[u8]) -> Result<Vec<Fr>, VerifyError> {
        if a_hat.is_some() != mm.a_slot().is_some() {
            return Err(shape_err("a matrix product's input value (sent exactly when the input is hidden)"));
        }
        let v = verify_zk(sumcheck, &mm.shape, &mm.libra, claim, &corr, &mut self.t)?;
        let a_val = match a_hat {
            Some(a) => a,
            None => a_pub(&v.point).ok_or(shape_err("a matrix product's public input"))?,
        };
        if v.final_value != w_hat * a_val {
            return Err(VerifyError::FinalValue { what: "zk dense: W^ a^" });
        }
        self.t.absorb_frs(tag, &[w_hat].into_iter().chain(a_hat).collect::<Vec<_>>());
        matrix_claims(self.plan, k, mm, (m, n), p, &v.point, (b_hat, w_hat), v.mask_claims, &mut self.claims);
        Ok(v.point)
    }
}

/// Checks a zero-knowledge proof of a batch (`ys`: each sample's output) of the inputs `xs` (None: a private
/// input, committed in the proof's witness, bound to the declared range and nothing else); `model` and `context` as
/// verify_network_zk's.
pub fn verify_network_zk_batch(arch: &Arch, xs: Option<&[Vec<i64>]>, ys: &[Vec<i64>], proof: &ZkNetworkProof, model: Option<&HyraxCommitment>, context: Option<&[u8; 32]>) -> Result<(), VerifyError> {
    let n = ys.len();
    if n == 0 || xs.is_some_and(|xs| xs.len() != n) {
        return Err(VerifyError::Shape { what: "batch (as many inputs as outputs, at least one)", got: xs.map_or(0, |xs| xs.len()), expected: n });
    }
    let stmt = ZkStatement { input: if xs.is_some() { InputVis::Public } else { InputVis::Private }, batch: n };
    let plan = Plan::for_statement(arch, stmt).map_err(|_| shape_err("zero-knowledge architecture"))?;
    let bv = stmt.bv();
    for x in xs.unwrap_or(&[]) {
        if x.len() != arch.input_len {
            return Err(VerifyError::Shape { what: "input", got: x.len(), expected: arch.input_len });
        }
        if let Some((index, &value)) = x.iter().enumerate().find(|(_, &v)| v < arch.input_min || v > arch.input_top) {
            return Err(VerifyError::InputRange { index, value, min: arch.input_min, top: arch.input_top });
        }
    }
    let out_len = arch.output_len();
    if let Some(y) = ys.iter().find(|y| y.len() != out_len) {
        return Err(VerifyError::Shape { what: "output", got: y.len(), expected: out_len });
    }
    let x_b = xs.map(|xs| batch_vector(xs.iter().map(|x| &x[..]), arch.input_len, n));
    let model_comm = match (model, &proof.model_commitment) {
        (Some(c), None) => c,
        (None, Some(c)) => c,
        _ => return Err(shape_err("model commitment (exactly one of the verifier's and the proof's)")),
    };
    let mut t = Transcript::new(ZK_DOMAIN_TAG);
    absorb_statement(&mut t, &arch.hash(), xs, arch.input_len, ys, context);
    absorb_commitments(&mut t, model_comm, (&proof.witness, &proof.masks, &proof.merge_mask));
    let point = t.challenge_frs(log2_ceil(out_len) + bv);
    let value = Mle::from_i64(&batch_vector(ys.iter().map(|y| &y[..]), out_len, n)).evaluate(&point);
    let mut run = Some(Running { value, point, corr: vec![] });
    let mut cx = CheckCx { plan: &plan, t, claims: Vec::new(), helper_comms: Vec::new() };
    let mut layers = proof.layers.iter();
    for (k, op) in arch.ops.iter().enumerate().rev() {
        let cur = run.take().ok_or(shape_err("a claim on every op's output"))?;
        if matches!(op, ArchOp::Flatten) {
            run = Some(cur);
            continue;
        }
        let layer = layers.next().ok_or(shape_err("a layer proof for every op"))?;
        run = match (*op, &plan.masks[k], layer) {
            (ArchOp::Requant { shift, relu, bits, clamp }, &OpMasks::Requant { r, .. }, ZkLayer::Requant { q_hat, r_hat, lookups }) => {
                let specs = requant_lookups(&plan, k, &RequantOp { shift, relu, bits, clamp }).map_err(|_| shape_err("a requant's tables"))?;
                if lookups.len() != specs.len() || r_hat.is_some() != r.is_some() {
                    return Err(shape_err("a requant's lookups and r^ (two and r^, or one and none for a shift of 0)"));
                }
                cx.t.absorb_frs(b"requant evals", &[*q_hat].into_iter().chain(*r_hat).collect::<Vec<_>>());
                let next = requant_claims(&plan, k, &cur, (*q_hat, *r_hat), shift, &mut cx.claims);
                for (spec, l) in specs.into_iter().zip(lookups) {
                    cx.lookup(spec, l)?;
                }
                Some(next)
            }
            (ArchOp::Dense { m, n: cols }, OpMasks::Dense(mm), ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat }) => {
                let (local, rb) = cur.point.split_at(cur.point.len() - bv);
                cx.t.absorb_fr(b"dense bias", b_hat);
                let claim = matrix_claim(&cur, mm.b, *b_hat, prefix_eq_sum(rb, n));
                let a_pub = |s: &[Fr]| x_b.as_ref().map(|x| public_eval(matrix_input(x, cols, rb), s));
                let sigma = cx.matrix(k, mm, (m, cols), (sumcheck, *w_hat, *a_hat), a_pub, local, claim, *b_hat, b"dense values")?;
                a_hat.map(|a| revealed(&sigma, rb, a, mm.a_slot().expect("a's slot")))
            }
            (ArchOp::Conv { win, f }, OpMasks::Conv { unpad: um, matrix: mm, im2col: im }, ZkLayer::Conv { unpad, b_hat, sumcheck, w_hat, a_hat, im2col }) => {
                let (pl, tl) = (win.positions(), win.c * win.taps());
                let cur = match (um, unpad) {
                    (Some(um), Some(u)) => cx.wire(&Wiring::Unpad { rows: f, cols: pl }, um, u, &cur, None, n)?.ok_or(shape_err("conv unpadding's value"))?,
                    (None, None) => cur,
                    _ => return Err(shape_err("conv unpadding wiring (sent exactly when the output positions are not a power of two)")),
                };
                let (local, rb) = cur.point.split_at(cur.point.len() - bv);
                let (rp, rf) = local.split_at(log2_ceil(pl));
                cx.t.absorb_fr(b"conv bias", b_hat);
                let claim = matrix_claim(&cur, mm.b, *b_hat, prefix_eq_sum(rp, pl) * prefix_eq_sum(rb, n));
                let a_pub = |s: &[Fr]| x_b.as_ref().map(|x| public_eval(conv_input(&win, x, rp, rb), s));
                let sigma = cx.matrix(k, mm, (f, tl), (sumcheck, *w_hat, *a_hat), a_pub, rf, claim, *b_hat, b"conv values")?;
                match (a_hat, im, im2col) {
                    (Some(a), Some(im), Some(wire)) => {
                        let on_cols = Running { point: rp.iter().chain(&sigma).chain(rb).copied().collect(), value: *a, corr: vec![(mm.a_slot().expect("a's slot"), vanishing(&sigma))] };
                        cx.wire(&Wiring::Im2col { win }, im, wire, &on_cols, None, n)?
                    }
                    (None, None, None) => None,
                    _ => return Err(shape_err("conv im2col wiring (sent exactly when the input is hidden)")),
                }
            }
            (ArchOp::SumPool { win }, OpMasks::Pool(wm), ZkLayer::Pool { wire }) => {
                let x = if k == 0 { x_b.as_deref() } else { None };
                cx.wire(&Wiring::Pool { win }, wm, wire, &cur, x, n)?
            }
            (ArchOp::Add { from, mul, from_mul }, &OpMasks::Add { t: slot }, &ZkLayer::Add { t_hat }) => {
                let t_val = match (slot, t_hat, &x_b) {
                    (Some(s), Some(th), _) => {
                        cx.t.absorb_fr(b"add eval", &th);
                        cx.claims.push(add_t_claim(&plan, from, &cur.point, th, s));
                        th
                    }
                    (None, None, Some(x)) => Mle::from_i64(x).evaluate(&cur.point),
                    _ => return Err(shape_err("an add's value (sent unless it is the public input)")),
                };
                Some(add_running(&cur, t_val, slot, mul, from_mul))
            }
            (ArchOp::MaxPool { win, bits }, OpMasks::MaxPool { zerocheck: zc, wire: wm, .. }, ZkLayer::MaxPool { zerocheck, d_hats, y_hat, lookup, wire }) => {
                if d_hats.len() != win.taps() {
                    return Err(VerifyError::Shape { what: "maxpool difference values", got: d_hats.len(), expected: win.taps() });
                }
                cx.claims.push(ColClaim { evals: vec![(plan.wit(k, SegKind::PoolOut), cur.point.clone(), Fr::one())], mask: cur.corr.clone(), value: cur.value });
                let tau = cx.t.challenge_frs(cur.point.len());
                let v = verify_zk(zerocheck, &zc.shape, &zc.libra, Fr::zero(), &[], &mut cx.t)?;
                if v.final_value != eq_eval(&tau, &v.point) * d_hats.iter().product::<Fr>() {
                    return Err(VerifyError::FinalValue { what: "zk maxpool zerocheck (a window with no zero difference)" });
                }
                cx.claims.extend(v.mask_claims.iter().map(ColClaim::on_mask));
                cx.t.absorb_frs(b"maxpool evals", &d_hats.iter().copied().chain([*y_hat]).collect::<Vec<_>>());
                cx.lookup(maxpool_lookup(&plan, k, bits), lookup)?;
                let gamma = cx.t.challenge_fr();
                let on_taps = maxpool_claims(&plan, k, &v.point, (d_hats, *y_hat), gamma, &mut cx.claims);
                let x = if k == 0 { x_b.as_deref() } else { None };
                cx.wire(&Wiring::Taps { win, gamma }, wm, wire, &on_taps, x, n)?
            }
            _ => return Err(shape_err("a layer proof of another op")),
        };
    }
    match &run {
        Some(r) => cx.claims.push(input_claim(&plan, r, x_b.as_deref())),
        // only a public input's first op may take the claim itself (its x the verifier's)
        None if xs.is_none() => return Err(shape_err("a claim on the private input")),
        None => {}
    }
    if plan.input_lookup.is_some() {
        let Some(ZkLayer::InputRange { lookup }) = layers.next() else { return Err(shape_err("the private input's range lookup")) };
        cx.lookup(input_lookup(&plan, arch).map_err(|_| shape_err("the private input's table"))?, lookup)?;
    }
    if layers.next().is_some() {
        return Err(shape_err("layer proofs past the architecture's ops"));
    }
    let CheckCx { mut t, claims, helper_comms, .. } = cx;
    let joint_claims: Vec<_> = claims.into_iter().map(|c| c.into_joint(|col| plan.place(col), 2)).collect();
    let mut comms = vec![model_comm.clone(), proof.witness.clone(), proof.masks.clone()];
    comms.extend(helper_comms);
    verify_joint(&plan.joint, &comms, &proof.merge_mask, &joint_claims, &proof.joint, &mut t)
}

/// The first word of a zero-knowledge proof's bytes.
pub const ZK_PROOF_VERSION: u64 = 3;

/// What the bytes' shape follows: each op's sumcheck shapes, the vectors' row and column counts.
impl Plan {
    fn rows(&self, v: usize) -> usize {
        self.joint.vectors[v].rows()
    }
}

fn write_point(w: &mut Writer, p: &G1Affine) {
    w.0.extend_from_slice(&g1_to_be64(p));
}

fn write_rows(w: &mut Writer, c: &HyraxCommitment) {
    c.rows.iter().for_each(|p| write_point(w, p));
}

fn write_sumcheck(w: &mut Writer, s: &ZkSumcheckProof) {
    w.fr(&s.k);
    s.rounds.iter().flatten().for_each(|x| w.fr(x));
    w.fr(&s.y);
}

fn write_dot(w: &mut Writer, d: &DotProductProof) {
    write_point(w, &d.delta);
    write_point(w, &d.beta);
    d.z.iter().chain([&d.z_delta, &d.z_beta]).for_each(|x| w.fr(x));
}

fn read_rows(r: &mut Reader, n: usize, what: &str) -> Result<HyraxCommitment, DecodeError> {
    Ok(HyraxCommitment { rows: (0..n).map(|i| r.point(&format!("{what} row {i}"))).collect::<Result<_, _>>()? })
}

fn read_sumcheck(r: &mut Reader, shape: &ZkShape, what: &str) -> Result<ZkSumcheckProof, DecodeError> {
    let k = r.fr(&format!("{what} K"))?;
    let mut rounds = Vec::with_capacity(shape.num_vars);
    for j in 0..shape.num_vars {
        rounds.push((0..=shape.round_degree(j)).map(|e| r.fr(&format!("{what} round {j} evaluation {e}"))).collect::<Result<Vec<_>, _>>()?);
    }
    Ok(ZkSumcheckProof { k, rounds, y: r.fr(&format!("{what} y"))? })
}

fn read_dot(r: &mut Reader, n: usize, what: &str) -> Result<DotProductProof, DecodeError> {
    let (delta, beta) = (r.point(&format!("{what} delta"))?, r.point(&format!("{what} beta"))?);
    let z = (0..n).map(|i| r.fr(&format!("{what} z {i}"))).collect::<Result<_, _>>()?;
    Ok(DotProductProof { delta, beta, z, z_delta: r.fr(&format!("{what} z_delta"))?, z_beta: r.fr(&format!("{what} z_beta"))? })
}

fn write_lookup(w: &mut Writer, (helpers, l): &ZkLookup) {
    helpers.iter().for_each(|c| write_rows(w, c));
    write_sumcheck(w, &l.f_sumcheck);
    l.f_values.iter().chain([&l.m_hat]).for_each(|x| w.fr(x));
    write_sumcheck(w, &l.t_sumcheck);
    w.fr(&l.t_value);
}

fn write_wire(w: &mut Writer, wire: &ZkWire) {
    write_sumcheck(w, &wire.sumcheck);
    wire.x_hat.iter().for_each(|x| w.fr(x));
}

fn read_lookup(r: &mut Reader, plan: &Plan, lm: &LookupMasks, base: usize, what: &str) -> Result<ZkLookup, DecodeError> {
    let helpers = vec![read_rows(r, plan.rows(base), &format!("{what} h_f"))?, read_rows(r, plan.rows(base + 1), &format!("{what} h_t"))?];
    let f_sumcheck = read_sumcheck(r, &lm.f_shape, &format!("{what} first sumcheck"))?;
    let f_values = [r.fr(&format!("{what} h_f^"))?, r.fr(&format!("{what} G^"))?];
    let m_hat = r.fr(&format!("{what} M"))?;
    let t_sumcheck = read_sumcheck(r, &lm.t_shape, &format!("{what} second sumcheck"))?;
    let t_value = r.fr(&format!("{what} h_t^"))?;
    Ok((helpers, ZkLookupProof { f_sumcheck, f_values, m_hat, t_sumcheck, t_value }))
}

fn read_wire(r: &mut Reader, wm: &WireMasks, what: &str) -> Result<ZkWire, DecodeError> {
    let sumcheck = read_sumcheck(r, &wm.shape, &format!("{what} sumcheck"))?;
    let x_hat = wm.shape.slots[1].map(|_| r.fr(&format!("{what} x^"))).transpose()?;
    Ok(ZkWire { sumcheck, x_hat })
}

impl ZkNetworkProof {
    /// Format 3: 32-byte big-endian words (points as 64 bytes, x then y) in transcript order, with no counts: every
    /// count is the architecture's and the statement's (`from_bytes_for` takes them). `version` (3); a flag (1: the
    /// model's rows follow); the model's rows; the witness's; the masks'; C_M; per op from the last (flatten none):
    /// requant q^, r^, then per lookup (range, activation) h_f's rows, h_t's rows, the first sumcheck (K, its rounds,
    /// y), h_f^, G^, M, the second sumcheck, h_t^; dense b^, its sumcheck, W^, a^ (unless the input is public x);
    /// conv the unpadding wiring (its sumcheck, z^) when its positions are not a power of two, b^, the sumcheck, W^,
    /// a^ and the im2col wiring (sumcheck, x^) unless the input is public x; sum pool its wiring (x^ unless public
    /// x); add t^ (unless it is public x); max pool the zerocheck, each tap's d^, y^, the differences' lookup (as a
    /// requant's) and the taps' wiring; then a private input's lookup as a requant's; then the merge's sumcheck,
    /// P^, per vector Y_i and its opening (delta, beta, z, z_delta, z_beta), and C_M's proof the same way.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.count(ZK_PROOF_VERSION as usize);
        w.count(self.model_commitment.is_some() as usize);
        if let Some(c) = &self.model_commitment {
            write_rows(&mut w, c);
        }
        write_rows(&mut w, &self.witness);
        write_rows(&mut w, &self.masks);
        write_point(&mut w, &self.merge_mask);
        for layer in &self.layers {
            match layer {
                ZkLayer::Requant { q_hat, r_hat, lookups } => {
                    w.fr(q_hat);
                    r_hat.iter().for_each(|x| w.fr(x));
                    lookups.iter().for_each(|l| write_lookup(&mut w, l));
                }
                ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat } => {
                    w.fr(b_hat);
                    write_sumcheck(&mut w, sumcheck);
                    w.fr(w_hat);
                    a_hat.iter().for_each(|x| w.fr(x));
                }
                ZkLayer::Conv { unpad, b_hat, sumcheck, w_hat, a_hat, im2col } => {
                    unpad.iter().for_each(|u| write_wire(&mut w, u));
                    w.fr(b_hat);
                    write_sumcheck(&mut w, sumcheck);
                    w.fr(w_hat);
                    a_hat.iter().for_each(|x| w.fr(x));
                    im2col.iter().for_each(|u| write_wire(&mut w, u));
                }
                ZkLayer::Pool { wire } => write_wire(&mut w, wire),
                ZkLayer::Add { t_hat } => t_hat.iter().for_each(|x| w.fr(x)),
                ZkLayer::InputRange { lookup } => write_lookup(&mut w, lookup),
                ZkLayer::MaxPool { zerocheck, d_hats, y_hat, lookup, wire } => {
                    write_sumcheck(&mut w, zerocheck);
                    d_hats.iter().chain([y_hat]).for_each(|x| w.fr(x));
                    write_lookup(&mut w, lookup);
                    write_wire(&mut w, wire);
                }
            }
        }
        let j = &self.joint;
        write_sumcheck(&mut w, &j.merge);
        w.fr(&j.p_hat);
        for (y, o) in j.evals.iter().zip(&j.openings) {
            write_point(&mut w, y);
            write_dot(&mut w, o);
        }
        write_dot(&mut w, &j.mask_proof);
        w.0
    }

    /// Reads format 3 of one inference of a public input (`ZkStatement::ONE`).
    pub fn from_bytes(bytes: &[u8], arch: &Arch) -> Result<ZkNetworkProof, DecodeError> {
        Self::from_bytes_for(bytes, arch, ZkStatement::ONE)
    }

    /// Reads format 3 for the architecture `arch` and the statement `stmt`; a wrong version, a count the
    /// architecture does not have, a word not below its modulus, a point off the curve, a truncation or trailing
    /// bytes are errors naming the place.
    pub fn from_bytes_for(bytes: &[u8], arch: &Arch, stmt: ZkStatement) -> Result<ZkNetworkProof, DecodeError> {
        let mut r = Reader { b: bytes, at: 0 };
        let plan = Plan::for_statement(arch, stmt).map_err(|what| DecodeError { offset: 0, what })?;
        if !bytes.len().is_multiple_of(32) {
            return r.err(format!("{} bytes: not whole 32-byte words", bytes.len()));
        }
        let version = r.count("version", usize::MAX)?;
        if version as u64 != ZK_PROOF_VERSION {
            r.at = 0;
            return r.err(format!("version {version}, expected {ZK_PROOF_VERSION} (a zero-knowledge proof)"));
        }
        let model_commitment = match r.count("model commitment flag", 1)? {
            1 => Some(read_rows(&mut r, plan.rows(0), "model commitment")?),
            _ => None,
        };
        let witness = read_rows(&mut r, plan.rows(1), "witness commitment")?;
        let masks = read_rows(&mut r, plan.rows(2), "mask commitment")?;
        let merge_mask = r.point("merge mask commitment")?;
        let mut layers = Vec::new();
        for (k, op) in arch.ops.iter().enumerate().rev() {
            let layer = match (op, &plan.masks[k]) {
                (ArchOp::Requant { .. }, OpMasks::Requant { range, act, .. }) => {
                    let q_hat = r.fr(&format!("ops[{k}] q^"))?;
                    let r_hat = range.as_ref().map(|_| r.fr(&format!("ops[{k}] r^"))).transpose()?;
                    let mut lookups = Vec::new();
                    for (i, lm) in range.iter().map(|b| &**b).chain([&**act]).enumerate() {
                        lookups.push(read_lookup(&mut r, &plan, lm, plan.helper_base[k] + 2 * i, &format!("ops[{k}] lookup {i}"))?);
                    }
                    ZkLayer::Requant { q_hat, r_hat, lookups }
                }
                (ArchOp::Dense { .. }, OpMasks::Dense(mm)) => {
                    let b_hat = r.fr(&format!("ops[{k}] b^"))?;
                    let sumcheck = read_sumcheck(&mut r, &mm.shape, &format!("ops[{k}] sumcheck"))?;
                    let w_hat = r.fr(&format!("ops[{k}] W^"))?;
                    let a_hat = mm.a_slot().map(|_| r.fr(&format!("ops[{k}] a^"))).transpose()?;
                    ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat }
                }
                (ArchOp::Conv { .. }, OpMasks::Conv { unpad: um, matrix: mm, im2col: im }) => {
                    let unpad = um.as_ref().map(|um| read_wire(&mut r, um, &format!("ops[{k}] unpadding"))).transpose()?;
                    let b_hat = r.fr(&format!("ops[{k}] b^"))?;
                    let sumcheck = read_sumcheck(&mut r, &mm.shape, &format!("ops[{k}] sumcheck"))?;
                    let w_hat = r.fr(&format!("ops[{k}] W^"))?;
                    let a_hat = mm.a_slot().map(|_| r.fr(&format!("ops[{k}] a^"))).transpose()?;
                    let im2col = im.as_ref().map(|im| read_wire(&mut r, im, &format!("ops[{k}] im2col"))).transpose()?;
                    ZkLayer::Conv { unpad, b_hat, sumcheck, w_hat, a_hat, im2col }
                }
                (ArchOp::SumPool { .. }, OpMasks::Pool(wm)) => ZkLayer::Pool { wire: read_wire(&mut r, wm, &format!("ops[{k}] pool"))? },
                (ArchOp::Add { .. }, OpMasks::Add { t }) => ZkLayer::Add { t_hat: t.map(|_| r.fr(&format!("ops[{k}] t^"))).transpose()? },
                (ArchOp::MaxPool { win, .. }, OpMasks::MaxPool { zerocheck: zc, lookup: lm, wire: wm, .. }) => {
                    let zerocheck = read_sumcheck(&mut r, &zc.shape, &format!("ops[{k}] zerocheck"))?;
                    let d_hats = (0..win.taps()).map(|i| r.fr(&format!("ops[{k}] d^ {i}"))).collect::<Result<Vec<_>, _>>()?;
                    let y_hat = r.fr(&format!("ops[{k}] y^"))?;
                    let lookup = read_lookup(&mut r, &plan, lm, plan.helper_base[k], &format!("ops[{k}] lookup"))?;
                    let wire = read_wire(&mut r, wm, &format!("ops[{k}] taps"))?;
                    ZkLayer::MaxPool { zerocheck, d_hats, y_hat, lookup, wire }
                }
                _ => continue,
            };
            layers.push(layer);
        }
        if let Some((lm, base)) = &plan.input_lookup {
            layers.push(ZkLayer::InputRange { lookup: read_lookup(&mut r, &plan, lm, *base, "input lookup")? });
        }
        let merge = read_sumcheck(&mut r, &plan.joint.mask_shape, "merge sumcheck")?;
        let p_hat = r.fr("merge P^")?;
        let (mut evals, mut openings) = (Vec::new(), Vec::new());
        for (i, v) in plan.joint.vectors.iter().enumerate() {
            evals.push(r.point(&format!("vector {i} Y"))?);
            openings.push(read_dot(&mut r, v.cols(), &format!("vector {i} opening"))?);
        }
        let mask_proof = read_dot(&mut r, plan.joint.mask_len(), "merge mask proof")?;
        if r.at != bytes.len() {
            return r.err(format!("{} bytes after the proof's end", bytes.len() - r.at));
        }
        Ok(ZkNetworkProof { model_commitment, witness, masks, merge_mask, layers, joint: JointProof { merge, p_hat, evals, openings, mask_proof } })
    }
}

#[cfg(test)]
mod tests {
    use super::super::network::run;
    use super::super::network::tests::{dense, fc, requant_for};
    use super::*;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};

    fn small(seed: u64) -> (Network, Vec<i64>) {
        let mut rng = StdRng::seed_from_u64(seed);
        let x: Vec<i64> = (0..16).map(|_| rng.gen_range(-128..=127)).collect();
        (fc(&[16, 8, 4], &x, 8, &mut rng), x)
    }

    #[test]
    fn mlps_prove_and_verify_in_zero_knowledge() {
        let mut rng = StdRng::seed_from_u64(50);
        let (net, x) = small(27);
        let (proof, y) = prove_network_zk(&net, &x, None, None, &mut rng).unwrap();
        assert_eq!(y, run(&net, &x).pop().unwrap());
        assert_eq!(verify_network_zk(&net.arch(), &x, &y, &proof, None, None), Ok(()));
        assert_eq!(ZkNetworkProof::from_bytes(&proof.to_bytes(), &net.arch()), Ok(proof.clone()));
        // Three layers, widths not powers of two, a requant last (its output is y), a flatten first.
        let x: Vec<i64> = (0..12).map(|_| rng.gen_range(-128..=127)).collect();
        let mut net = fc(&[12, 6, 5, 3], &x, 8, &mut rng);
        net.ops.insert(0, Op::Flatten);
        let z = run(&net, &x).pop().unwrap();
        net.ops.push(requant_for(&z, 6, true, Some(6)));
        let (proof, y) = prove_network_zk(&net, &x, None, None, &mut rng).unwrap();
        assert_eq!(y, run(&net, &x).pop().unwrap());
        assert_eq!(verify_network_zk(&net.arch(), &x, &y, &proof, None, None), Ok(()));
        assert_eq!(ZkNetworkProof::from_bytes(&proof.to_bytes(), &net.arch()), Ok(proof.clone()));
        // A proof bound to a context verifies with that context only (a copied proof fails for anyone else).
        let ctx = [7u8; 32];
        let (bound, y) = prove_network_zk(&net, &x, None, Some(&ctx), &mut rng).unwrap();
        assert_eq!(verify_network_zk(&net.arch(), &x, &y, &bound, None, Some(&ctx)), Ok(()));
        assert!(verify_network_zk(&net.arch(), &x, &y, &bound, None, None).is_err());
        assert!(verify_network_zk(&net.arch(), &x, &y, &bound, None, Some(&[8u8; 32])).is_err());
        assert!(verify_network_zk(&net.arch(), &x, &y, &proof, None, Some(&ctx)).is_err());
        // Two proofs of one inference share no word: fresh masks and blinders each time.
        let (again, _) = prove_network_zk(&net, &x, None, None, &mut rng).unwrap();
        assert_ne!(again.witness.rows[0], proof.witness.rows[0]);
        assert_ne!(again.joint.p_hat, proof.joint.p_hat);
    }

    #[test]
    fn a_wrong_output_another_input_or_other_weights_are_rejected() {
        let mut rng = StdRng::seed_from_u64(51);
        let (net, x) = small(28);
        let arch = net.arch();
        let (proof, y) = prove_network_zk(&net, &x, None, None, &mut rng).unwrap();
        let mut y2 = y.clone();
        y2[1] += 1;
        assert!(verify_network_zk(&arch, &x, &y2, &proof, None, None).is_err());
        let mut x2 = x.clone();
        x2[0] = if x2[0] == 5 { 6 } else { 5 };
        assert!(verify_network_zk(&arch, &x2, &y, &proof, None, None).is_err());
        // Committed weights: a proof against the model's commitment verifies; the same against another model's
        // commitment (same architecture) does not, nor a proof made with other weights.
        let secret = commit_model_zk(&net, &mut rng).unwrap();
        let (proof, y) = prove_network_zk(&net, &x, Some(&secret), None, &mut rng).unwrap();
        assert!(proof.model_commitment.is_none());
        assert_eq!(verify_network_zk(&arch, &x, &y, &proof, Some(&secret.commitment), None), Ok(()));
        assert!(verify_network_zk(&arch, &x, &y, &proof, None, None).is_err());
        let mut other = net.clone();
        if let Op::Dense { w, .. } = &mut other.ops[2] {
            w[0] += 1;
        }
        let other_secret = commit_model_zk(&other, &mut rng).unwrap();
        assert!(verify_network_zk(&arch, &x, &y, &proof, Some(&other_secret.commitment), None).is_err());
        let (p2, y2) = prove_network_zk(&other, &x, Some(&other_secret), None, &mut rng).unwrap();
        assert!(verify_network_zk(&arch, &x, &y2, &p2, Some(&secret.commitment), None).is_err());
    }

    /// Every message changed in turn: each field word of each layer (bias, K, y, every round word, the sent
    /// values, the lookups' words) and of the merge, and a commitment row of each vector.
    #[test]
    fn every_word_of_a_zero_knowledge_proof_changed_is_rejected() {
        let mut rng = StdRng::seed_from_u64(52);
        let (net, x) = small(29);
        let arch = net.arch();
        let (proof, y) = prove_network_zk(&net, &x, None, None, &mut rng).unwrap();
        let one = Fr::one();
        let mut count = 0;
        let mut check = |p: &ZkNetworkProof, what: &str| {
            count += 1;
            assert!(verify_network_zk(&arch, &x, &y, p, None, None).is_err(), "{what} changed and accepted");
        };
        let sumcheck_words = |s: &ZkSumcheckProof| 2 + s.rounds.iter().map(Vec::len).sum::<usize>();
        let bump_sumcheck = |s: &mut ZkSumcheckProof, i: usize| {
            if i == 0 {
                s.k += Fr::one();
            } else if i == 1 {
                s.y += Fr::one();
            } else {
                let mut i = i - 2;
                for g in s.rounds.iter_mut() {
                    if i < g.len() {
                        g[i] += Fr::one();
                        return;
                    }
                    i -= g.len();
                }
            }
        };
        for (li, layer) in proof.layers.iter().enumerate() {
            match layer {
                ZkLayer::Dense { sumcheck, a_hat, .. } => {
                    for i in 0..sumcheck_words(sumcheck) {
                        let mut p = proof.clone();
                        if let ZkLayer::Dense { sumcheck, .. } = &mut p.layers[li] {
                            bump_sumcheck(sumcheck, i);
                        }
                        check(&p, &format!("layer {li} sumcheck word {i}"));
                    }
                    for f in 0..(2 + a_hat.is_some() as usize) {
                        let mut p = proof.clone();
                        if let ZkLayer::Dense { b_hat, w_hat, a_hat, .. } = &mut p.layers[li] {
                            match f {
                                0 => *b_hat += one,
                                1 => *w_hat += one,
                                _ => *a_hat.as_mut().unwrap() += one,
                            }
                        }
                        check(&p, &format!("layer {li} value {f}"));
                    }
                }
                ZkLayer::Requant { lookups, .. } => {
                    for f in 0..2 {
                        let mut p = proof.clone();
                        if let ZkLayer::Requant { q_hat, r_hat, .. } = &mut p.layers[li] {
                            *(if f == 0 { q_hat } else { r_hat.as_mut().unwrap() }) += one;
                        }
                        check(&p, &format!("layer {li} q^/r^ {f}"));
                    }
                    for (j, (_, lp)) in lookups.iter().enumerate() {
                        for (side, s) in [(0, &lp.f_sumcheck), (1, &lp.t_sumcheck)] {
                            for i in 0..sumcheck_words(s) {
                                let mut p = proof.clone();
                                if let ZkLayer::Requant { lookups, .. } = &mut p.layers[li] {
                                    bump_sumcheck(if side == 0 { &mut lookups[j].1.f_sumcheck } else { &mut lookups[j].1.t_sumcheck }, i);
                                }
                                check(&p, &format!("layer {li} lookup {j} side {side} word {i}"));
                            }
                        }
                        for f in 0..4 {
                            let mut p = proof.clone();
                            if let ZkLayer::Requant { lookups, .. } = &mut p.layers[li] {
                                let l = &mut lookups[j].1;
                                match f {
                                    0 | 1 => l.f_values[f] += one,
                                    2 => l.m_hat += one,
                                    _ => l.t_value += one,
                                }
                            }
                            check(&p, &format!("layer {li} lookup {j} value {f}"));
                        }
                        let mut p = proof.clone();
                        if let ZkLayer::Requant { lookups, .. } = &mut p.layers[li] {
                            let row = &mut lookups[j].0[1].rows[0];
                            *row = (*row + ark_bn254::G1Affine::generator()).into_affine();
                        }
                        check(&p, &format!("layer {li} lookup {j} helper row"));
                    }
                }
                _ => unreachable!("an MLP's layers"),
            }
        }
        for i in 0..sumcheck_words(&proof.joint.merge) {
            let mut p = proof.clone();
            bump_sumcheck(&mut p.joint.merge, i);
            check(&p, &format!("merge word {i}"));
        }
        let mut p = proof.clone();
        p.joint.p_hat += one;
        check(&p, "P^");
        let g = ark_bn254::G1Affine::generator();
        for v in 0..3 {
            let mut p = proof.clone();
            let c = match v {
                0 => &mut p.model_commitment.as_mut().unwrap().rows[0],
                1 => &mut p.witness.rows[0],
                _ => &mut p.masks.rows[0],
            };
            *c = (*c + g).into_affine();
            check(&p, &format!("vector {v} row"));
        }
        let mut p = proof.clone();
        p.merge_mask = (p.merge_mask + g).into_affine();
        check(&p, "merge mask");
        let mut p = proof.clone();
        p.layers.pop();
        check(&p, "a layer removed");
        assert!(count > 100, "{count} changes");
    }

    #[test]
    fn networks_the_zero_knowledge_system_does_not_prove_are_refused_with_the_op() {
        let mut rng = StdRng::seed_from_u64(53);
        let net = Network { input_len: 4, input_min: 0, input_top: 9, ops: vec![dense(1, 4, &mut rng)] };
        assert!(prove_network_zk(&net, &[1, 2, 3, 4], None, None, &mut rng).unwrap_err().contains("without a requant"));
        let net = Network { input_len: 1, input_min: 0, input_top: 9, ops: vec![dense(2, 1, &mut rng), requant_for(&[100, 200], 4, true, Some(4))] };
        assert!(prove_network_zk(&net, &[1], None, None, &mut rng).unwrap_err().contains("one input column"));
        // a private input whose declared range has no 0 (its table's padding rows need one): refused, not a panic,
        // by the plan, the decoder and the verifier alike (helper-41's finding)
        let arch = Arch { input_len: 4, input_min: 1, input_top: 10, ops: vec![ArchOp::Dense { m: 2, n: 4 }, ArchOp::Requant { shift: 1, relu: true, bits: 8, clamp: None }] };
        let private = ZkStatement { input: InputVis::Private, batch: 1 };
        assert!(Plan::for_statement(&arch, private).is_err());
        assert!(ZkNetworkProof::from_bytes_for(&[0u8; 32], &arch, private).is_err());
        let (proof, _) = prove_network_zk(&small(31).0, &small(31).1, None, None, &mut rng).unwrap();
        assert!(verify_network_zk_batch(&arch, None, &[vec![0, 0]], &proof, None, None).is_err());
        // committed weights for a statement the one-inference public plan refuses (no requant, a private input)
        let net = Network { input_len: 4, input_min: -8, input_top: 8, ops: vec![dense(2, 4, &mut rng)] };
        let secret = commit_model_zk(&net, &mut rng).unwrap();
        assert_eq!(ModelSecret::from_bytes(&secret.to_bytes(), &net.arch()).unwrap().blinders, secret.blinders);
        let (proof, ys, ..) = prove_network_zk_batch(&net, &[vec![1, -2, 3, 4]], InputVis::Private, Some(&secret), None, &mut rng).unwrap();
        assert_eq!(verify_network_zk_batch(&net.arch(), None, &ys, &proof, Some(&secret.commitment), None), Ok(()));
        // a conv of a hidden one-value input (its im2col wiring would have no variable): refused, not a panic
        let win = Window { c: 1, h: 1, w: 1, kh: 2, kw: 2, sh: 1, sw: 1, ph: 1, pw: 1 };
        let pool = Window { c: 1, h: 2, w: 2, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 };
        let arch = Arch { input_len: 4, input_min: 0, input_top: 9, ops: vec![ArchOp::SumPool { win: pool }, ArchOp::Conv { win, f: 2 }] };
        arch.check().unwrap();
        let e = Plan::for_statement(&arch, ZkStatement { input: InputVis::Private, batch: 1 }).err().unwrap_or_default();
        assert!(e.contains("one-value input"), "{e}");
    }

    /// Seeded proofs' bytes are pinned (keccak256 recorded before the prover's speed-ups): a prover change that
    /// alters a proof's bytes, the transcript's order or the randomness's draw order fails here.
    #[test]
    fn seeded_proofs_keep_their_bytes() {
        use sha3::{Digest, Keccak256};
        let hex = |b: &[u8]| Keccak256::digest(b).iter().map(|x| format!("{x:02x}")).collect::<String>();
        let mut got = Vec::new();
        let (net, x) = small(27);
        let mut rng = StdRng::seed_from_u64(60);
        got.push(hex(&prove_network_zk(&net, &x, None, None, &mut rng).unwrap().0.to_bytes()));
        let secret = commit_model_zk(&net, &mut rng).unwrap();
        got.push(hex(&prove_network_zk(&net, &x, Some(&secret), Some(&[3u8; 32]), &mut rng).unwrap().0.to_bytes()));
        let mut rng = StdRng::seed_from_u64(61);
        let x: Vec<i64> = (0..784).map(|_| rng.gen_range(-128..=127)).collect();
        let net = fc(&[784, 56, 10], &x, 8, &mut rng);
        got.push(hex(&prove_network_zk(&net, &x, None, None, &mut rng).unwrap().0.to_bytes()));
        let x: Vec<i64> = (0..12).map(|_| rng.gen_range(-128..=127)).collect();
        let mut net = fc(&[12, 6, 5, 3], &x, 8, &mut rng);
        net.ops.insert(0, Op::Flatten);
        let z = run(&net, &x).pop().unwrap();
        net.ops.push(requant_for(&z, 6, true, Some(6)));
        got.push(hex(&prove_network_zk(&net, &x, None, None, &mut rng).unwrap().0.to_bytes()));
        let expected = [
            "7d1798c11417389c5dc061683271fc8e7b9cb77d06fc159d5a8ffd1c630f08ef",
            "451a55704ec905e4b7e481f4128161d476f08d435f8a0a194f6af54d6e0566b0",
            "815717b69e6e4a043942b450bfecb404e8defd83613a2f8dd0894aed4b252bef",
            "ff513666971c6395e234cff264e3ff3442020db58e00cbc7bfe2069541a345f4",
        ];
        assert_eq!(got, expected);
    }

    /// Zero knowledge's cost beside the plain proof, one run each side by side: mlp-mnist's shape (784 -> 56 -> 10)
    /// and paper0's FC_4107399_params (network.rs's measure_fc_4107399), private weights.
    /// `cargo test --release measure_zk_network -- --ignored --nocapture --test-threads=1`.
    #[test]
    #[ignore]
    fn measure_zk_network() {
        use super::super::network::{prove_timed, verify_with, InputVis};
        let fc_4107399 = [784, 55, 60, 66, 73, 80, 88, 97, 107, 117, 129, 142, 156, 172, 189, 208, 229, 252, 277, 305, 336, 370, 407, 447, 492, 541, 595, 655, 721, 793, 1000];
        let cpu = super::super::cpu_seconds;
        let only = std::env::var("ZKML_MEASURE").unwrap_or_default();
        for (name, widths) in [("mlp-mnist", &[784usize, 56, 10][..]), ("FC_256x3", &[784, 256, 256, 256, 10][..]), ("FC_4107399", &fc_4107399[..])] {
            if !only.is_empty() && !only.split(',').any(|o| o == name) {
                continue;
            }
            let mut rng = StdRng::seed_from_u64(4107399);
            let x: Vec<i64> = (0..784).map(|_| rng.gen_range(-128..=127)).collect();
            let net = fc(widths, &x, 8, &mut rng);
            let arch = net.arch();
            let params = arch.hyrax_params();
            let (c0, t0) = (cpu(), std::time::Instant::now());
            let (plain, y, _) = prove_timed(&net, &x, &params, None, InputVis::Public).unwrap();
            let (plain_wall, plain_cpu) = (t0.elapsed().as_secs_f64(), cpu() - c0);
            let t1 = std::time::Instant::now();
            verify_with(&arch, &x, &y, &plain, &params, None).unwrap();
            let plain_verify = t1.elapsed().as_secs_f64();
            let (c0, t0) = (cpu(), std::time::Instant::now());
            let (zk, y2, phases, parts) = prove_network_zk_timed(&net, &x, None, None, &mut rng).unwrap();
            let phases: Timings = phases.into_iter().chain(parts).collect();
            println!("{name} zero-knowledge phases (wall/CPU s): {}", phases.iter().map(|(n, w, c)| format!("{n} {w:.3}/{c:.2}")).collect::<Vec<_>>().join(", "));
            let (zk_wall, zk_cpu) = (t0.elapsed().as_secs_f64(), cpu() - c0);
            let t1 = std::time::Instant::now();
            verify_network_zk(&arch, &x, &y2, &zk, None, None).unwrap();
            let zk_verify = t1.elapsed().as_secs_f64();
            assert_eq!(y, y2);
            println!(
                "{name}: prove plain {plain_wall:.3} s wall / {plain_cpu:.2} s CPU, zero knowledge {zk_wall:.3} s / {zk_cpu:.2} s; verify plain {plain_verify:.3} s, zero knowledge {zk_verify:.3} s; proof bytes plain {}, zero knowledge {}",
                plain.to_bytes().len(),
                zk.to_bytes().len()
            );
        }
        // Batches of mlp-mnist's shape (784-56-10), the input public, both provers side by side.
        for n in [64usize, 1024] {
            if !only.is_empty() && !only.split(',').any(|o| o == format!("batch{n}")) {
                continue;
            }
            let mut rng = StdRng::seed_from_u64(64);
            let x: Vec<i64> = (0..784).map(|_| rng.gen_range(-128..=127)).collect();
            let net = fc(&[784, 56, 10], &x, 8, &mut rng);
            let xs: Vec<Vec<i64>> = (0..n as i64).map(|b| x.iter().map(|v| v / (b % 4 + 1)).collect()).collect();
            let arch = net.arch();
            let (c0, t0) = (cpu(), std::time::Instant::now());
            let (plain, ys, _) = super::super::network::prove_batch_timed(&net, &xs, &arch.hyrax_params_batch(InputVis::Public, n), None, InputVis::Public, None).unwrap();
            let (plain_wall, plain_cpu) = (t0.elapsed().as_secs_f64(), cpu() - c0);
            let (c0, t0) = (cpu(), std::time::Instant::now());
            let (zk, ys2, ..) = prove_network_zk_batch(&net, &xs, InputVis::Public, None, None, &mut rng).unwrap();
            let (zk_wall, zk_cpu) = (t0.elapsed().as_secs_f64(), cpu() - c0);
            let t1 = std::time::Instant::now();
            verify_network_zk_batch(&arch, Some(&xs), &ys2, &zk, None, None).unwrap();
            let zk_verify = t1.elapsed().as_secs_f64();
            assert_eq!(ys, ys2);
            println!(
                "mlp-mnist's shape, batch {n}: prove plain {plain_wall:.3} s wall / {plain_cpu:.2} s CPU, zero knowledge {zk_wall:.3} s / {zk_cpu:.2} s ({:.2} ms an inference); verify zero knowledge {zk_verify:.3} s; proof bytes plain {}, zero knowledge {}",
                zk_wall * 1000.0 / n as f64,
                plain.to_bytes().len(),
                zk.to_bytes().len()
            );
        }
    }

    /// A model file as prove-model writes it (build/circuits/<id>/sumcheck/model.bin: the count of architecture
    /// words, the words, the parameters; little-endian i64), proved in zero knowledge with a private input (the
    /// declared range's midpoint everywhere) and with a public one, each part's lap printed:
    /// `ZKML_MODEL_BIN=<file> cargo test --release measure_zk_model_file -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn measure_zk_model_file() {
        let Ok(file) = std::env::var("ZKML_MODEL_BIN") else { return };
        let b = std::fs::read(&file).unwrap();
        let w: Vec<i64> = b.chunks(8).map(|c| i64::from_le_bytes(c.try_into().unwrap())).collect();
        let n = w[0] as usize;
        let arch = Arch::from_words(&w[1..1 + n]).unwrap();
        let net = Network::from_parts(&arch, &w[1 + n..]).unwrap();
        let x = vec![(arch.input_min + arch.input_top) / 2; arch.input_len];
        let mut rng = StdRng::seed_from_u64(1);
        for input in [InputVis::Private, InputVis::Public] {
            let (c0, t0) = (super::super::cpu_seconds(), std::time::Instant::now());
            let (proof, ys, phases, parts) = prove_network_zk_batch(&net, &[x.clone()], input, None, None, &mut rng).unwrap();
            println!("{input:?}: {:.3} s wall, {:.2} s CPU, {} bytes", t0.elapsed().as_secs_f64(), super::super::cpu_seconds() - c0, proof.to_bytes().len());
            let mut sums: Vec<(&str, f64, f64)> = Vec::new();
            for (name, wall, cpu) in phases.iter().chain(&parts) {
                match sums.iter_mut().find(|s| s.0 == *name) {
                    Some(s) => (s.1, s.2) = (s.1 + wall, s.2 + cpu),
                    None => sums.push((name, *wall, *cpu)),
                }
            }
            sums.iter().for_each(|(n, w, c)| println!("  {n}: {w:.3} / {c:.2}"));
            let t1 = std::time::Instant::now();
            let xs = [x.clone()];
            verify_network_zk_batch(&arch, (input == InputVis::Public).then_some(&xs[..]), &ys, &proof, None, None).unwrap();
            println!("  verify {:.3} s", t1.elapsed().as_secs_f64());
        }
    }

    /// Format 3's bytes: committed weights round-trip without the model's rows; every word changed to the field's
    /// modulus and every point's x changed refuse to parse or to verify; truncations, a trailing word, a wrong version
    /// and another architecture's shape are errors naming the place.
    #[test]
    fn a_model_secret_round_trips_and_refuses_damage() {
        let mut rng = StdRng::seed_from_u64(55);
        let (net, x) = small(31);
        let arch = net.arch();
        let secret = commit_model_zk(&net, &mut rng).unwrap();
        let bytes = secret.to_bytes();
        let back = ModelSecret::from_bytes(&bytes, &arch).unwrap();
        assert_eq!((back.commitment.clone(), back.blinders.clone()), (secret.commitment.clone(), secret.blinders.clone()));
        // the secret read back proves against the published commitment
        let (proof, y) = prove_network_zk(&net, &x, Some(&back), None, &mut rng).unwrap();
        assert!(verify_network_zk(&arch, &x, &y, &proof, Some(&secret.commitment), None).is_ok());
        let err = |b: &[u8]| ModelSecret::from_bytes(b, &arch).unwrap_err().what;
        assert!(err(&bytes[..bytes.len() - 32]).contains("truncated"), "{}", err(&bytes[..bytes.len() - 32]));
        assert!(err(&[&bytes[..], &[0u8; 32]].concat()).contains("after the secret's end"));
        let other = small(32).0.arch();
        let mut wider = other.clone();
        if let ArchOp::Dense { n, .. } = &mut wider.ops[0] {
            *n *= 4;
        }
        wider.input_len *= 4;
        assert!(ModelSecret::from_bytes(&bytes, &wider).unwrap_err().what.contains("rows, this architecture's model has"));
    }

    #[test]
    fn zero_knowledge_proof_bytes_round_trip_and_refuse_damage() {
        let mut rng = StdRng::seed_from_u64(54);
        let (net, x) = small(30);
        let arch = net.arch();
        let secret = commit_model_zk(&net, &mut rng).unwrap();
        let (proof, y) = prove_network_zk(&net, &x, Some(&secret), None, &mut rng).unwrap();
        let bytes = proof.to_bytes();
        assert_eq!(ZkNetworkProof::from_bytes(&bytes, &arch), Ok(proof.clone()));
        let (private, _) = prove_network_zk(&net, &x, None, None, &mut rng).unwrap();
        assert_eq!(private.to_bytes().len() - bytes.len(), 64 * secret.commitment.rows.len());
        let err = |b: &[u8]| ZkNetworkProof::from_bytes(b, &arch).unwrap_err().what;
        assert!(err(&bytes[..bytes.len() - 32]).contains("truncated"));
        assert!(err(&[&bytes[..], &[0u8; 32]].concat()).contains("after the proof's end"));
        let mut v2 = bytes.clone();
        v2[31] = 2;
        assert!(err(&v2).contains("version 2"));
        assert!(err(&bytes[..bytes.len() - 7]).contains("whole 32-byte words"));
        // A word replaced by the modulus (every 7th word past the header, so each kind of word is hit).
        let modulus = {
            let mut w = [0u8; 32];
            let m = <Fr as ark_ff::PrimeField>::MODULUS;
            for (i, limb) in m.0.iter().enumerate() {
                w[32 - 8 * (i + 1)..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
            }
            w
        };
        let mut refused = 0;
        for word in (2..bytes.len() / 32).step_by(7) {
            let mut b = bytes.clone();
            b[32 * word..32 * word + 32].copy_from_slice(&modulus);
            let parsed = ZkNetworkProof::from_bytes(&b, &arch);
            assert!(parsed.is_err() || verify_network_zk(&arch, &x, &y, &parsed.unwrap(), Some(&secret.commitment), None).is_err(), "word {word}");
            refused += 1;
        }
        assert!(refused > 50);
        // Another architecture's shape (17 inputs: the first sumcheck one round longer) does not parse these bytes;
        // one of the same shape parses and is refused by the verifier (the architecture's hash is in the transcript).
        let mut other = arch.clone();
        other.input_len += 1;
        if let ArchOp::Dense { n, .. } = &mut other.ops[0] {
            *n += 1;
        }
        assert!(ZkNetworkProof::from_bytes(&bytes, &other).is_err());
        let mut same_shape = arch.clone();
        if let ArchOp::Dense { m, .. } = &mut same_shape.ops[2] {
            *m += 1;
        }
        let parsed = ZkNetworkProof::from_bytes(&bytes, &same_shape).unwrap();
        let mut y5 = y.clone();
        y5.push(0);
        assert!(verify_network_zk(&same_shape, &x, &y5, &parsed, Some(&secret.commitment), None).is_err());
    }

    /// Every field word of a proof, in a fixed order (each layer's, then the merge's and the openings'), with the
    /// check its change must fail at when the refusal is local to its sumcheck (None where the word only feeds later
    /// claims): K and round j's g(0), g(1) at round j's sum; round j's other words at round j + 1's (the challenge
    /// moves); the last round's, y and the values revealed after it at the final value. Kept for the wiring and
    /// matrix sumchecks of step 8 (the lookups' and the merge's are the MLP test's).
    fn field_words(p: &mut ZkNetworkProof) -> Vec<(&mut Fr, Option<VerifyError>)> {
        const WIRE: &str = "zk wiring (a conv's or pool's copy map)";
        const MATRIX: &str = "zk dense: W^ a^";
        const POOL: &str = "zk maxpool zerocheck (a window with no zero difference)";
        type Tagged<'a> = Vec<(&'a mut Fr, Option<VerifyError>)>;
        fn untagged<'a>(v: impl IntoIterator<Item = &'a mut Fr>) -> Tagged<'a> {
            v.into_iter().map(|x| (x, None)).collect()
        }
        fn sc<'a>(s: &'a mut ZkSumcheckProof, fin: Option<&'static str>) -> Tagged<'a> {
            let last = s.rounds.len() - 1;
            let mut v: Tagged = vec![(&mut s.k, Some(VerifyError::RoundSum { round: 0 }))];
            for (j, g) in s.rounds.iter_mut().enumerate() {
                for (e, x) in g.iter_mut().enumerate() {
                    let check = match (e < 2, j == last) {
                        (true, _) => VerifyError::RoundSum { round: j },
                        (false, false) => VerifyError::RoundSum { round: j + 1 },
                        (false, true) => VerifyError::FinalValue { what: fin.unwrap_or("") },
                    };
                    v.push((x, Some(check)));
                }
            }
            v.push((&mut s.y, Some(VerifyError::FinalValue { what: fin.unwrap_or("") })));
            if fin.is_none() {
                v.iter_mut().for_each(|(_, c)| *c = None);
            }
            v
        }
        fn lookup(l: &mut ZkLookupProof) -> Tagged<'_> {
            let ZkLookupProof { f_sumcheck, f_values, m_hat, t_sumcheck, t_value } = l;
            let mut v = sc(f_sumcheck, None);
            v.extend(untagged(f_values.iter_mut()));
            v.push((m_hat, None));
            v.extend(sc(t_sumcheck, None));
            v.push((t_value, None));
            v
        }
        fn wire(w: &mut ZkWire) -> Tagged<'_> {
            let mut v = sc(&mut w.sumcheck, Some(WIRE));
            v.extend(w.x_hat.iter_mut().map(|x| (x, Some(VerifyError::FinalValue { what: WIRE }))));
            v
        }
        fn matrix<'a>(b_hat: &'a mut Fr, s: &'a mut ZkSumcheckProof, w_hat: &'a mut Fr, a_hat: &'a mut Option<Fr>) -> Tagged<'a> {
            let mut v: Tagged = vec![(b_hat, None)];
            v.extend(sc(s, Some(MATRIX)));
            v.extend(std::iter::once(w_hat).chain(a_hat.iter_mut()).map(|x| (x, Some(VerifyError::FinalValue { what: MATRIX }))));
            v
        }
        fn dot(d: &mut DotProductProof) -> Tagged<'_> {
            untagged(d.z.iter_mut().chain([&mut d.z_delta, &mut d.z_beta]))
        }
        let mut out: Tagged = Vec::new();
        for layer in p.layers.iter_mut() {
            match layer {
                ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat } => out.extend(matrix(b_hat, sumcheck, w_hat, a_hat)),
                ZkLayer::Requant { q_hat, r_hat, lookups } => {
                    out.extend(untagged(std::iter::once(q_hat).chain(r_hat.iter_mut())));
                    lookups.iter_mut().for_each(|l| out.extend(lookup(&mut l.1)));
                }
                ZkLayer::Conv { unpad, b_hat, sumcheck, w_hat, a_hat, im2col } => {
                    unpad.iter_mut().for_each(|u| out.extend(wire(u)));
                    out.extend(matrix(b_hat, sumcheck, w_hat, a_hat));
                    im2col.iter_mut().for_each(|u| out.extend(wire(u)));
                }
                ZkLayer::Pool { wire: w } => out.extend(wire(w)),
                ZkLayer::Add { t_hat } => out.extend(untagged(t_hat.iter_mut())),
                ZkLayer::InputRange { lookup: l } => out.extend(lookup(&mut l.1)),
                ZkLayer::MaxPool { zerocheck, d_hats, y_hat, lookup: l, wire: w } => {
                    out.extend(sc(zerocheck, Some(POOL)));
                    out.extend(d_hats.iter_mut().map(|x| (x, Some(VerifyError::FinalValue { what: POOL }))));
                    out.push((y_hat, None));
                    out.extend(lookup(&mut l.1));
                    out.extend(wire(w));
                }
            }
        }
        let JointProof { merge, p_hat, openings, mask_proof, .. } = &mut p.joint;
        out.extend(sc(merge, None));
        out.push((p_hat, None));
        openings.iter_mut().for_each(|o| out.extend(dot(o)));
        out.extend(dot(mask_proof));
        out
    }

    /// Every commitment row of a proof (model when sent, witness, masks, C_M, helpers, the openings' points).
    fn points(p: &mut ZkNetworkProof) -> Vec<&mut G1Affine> {
        let mut out: Vec<&mut G1Affine> = Vec::new();
        if let Some(c) = &mut p.model_commitment {
            out.extend(c.rows.iter_mut());
        }
        out.extend(p.witness.rows.iter_mut());
        out.extend(p.masks.rows.iter_mut());
        out.push(&mut p.merge_mask);
        for layer in p.layers.iter_mut() {
            match layer {
                ZkLayer::Requant { lookups, .. } => lookups.iter_mut().for_each(|l| l.0.iter_mut().for_each(|c| out.extend(c.rows.iter_mut()))),
                ZkLayer::InputRange { lookup } | ZkLayer::MaxPool { lookup, .. } => lookup.0.iter_mut().for_each(|c| out.extend(c.rows.iter_mut())),
                _ => {}
            }
        }
        out.extend(p.joint.evals.iter_mut());
        for o in p.joint.openings.iter_mut().chain([&mut p.joint.mask_proof]) {
            out.push(&mut o.delta);
            out.push(&mut o.beta);
        }
        out
    }

    /// The statements step 8 adds: a public or private input, one sample or a batch.
    fn statements() -> Vec<ZkStatement> {
        let mut out = Vec::new();
        for input in [InputVis::Public, InputVis::Private] {
            for batch in [1, 3] {
                out.push(ZkStatement { input, batch });
            }
        }
        out
    }

    /// `n` inputs in the network's declared range (which holds 0), the first `x`, then x's entries divided by
    /// 2, 3, ... (so no requant's input outgrows the bits chosen for x) with one entry at random kept.
    fn batch_inputs(x: &[i64], n: usize, rng: &mut StdRng) -> Vec<Vec<i64>> {
        (0..n as i64)
            .map(|b| {
                let keep = rng.gen_range(0..x.len());
                x.iter().enumerate().map(|(i, &v)| if i == keep { v } else { v / (b + 1) }).collect()
            })
            .collect()
    }

    fn verify_stmt(arch: &Arch, stmt: ZkStatement, xs: &[Vec<i64>], ys: &[Vec<i64>], p: &ZkNetworkProof, model: Option<&HyraxCommitment>) -> Result<(), VerifyError> {
        verify_network_zk_batch(arch, (stmt.input == InputVis::Public).then_some(xs), ys, p, model, None)
    }

    /// The CNNs of network.rs's tests (a padded conv with unpadding, a sum pool, convs of 4 positions, a residual
    /// add of an earlier requant, flatten, dense; a network adding its input) and an MLP, under every statement:
    /// proved, the outputs runIR's, verified, the bytes round trip; a wrong output, another input (public) and a
    /// proof of one statement checked as another refused.
    #[test]
    fn cnns_private_inputs_and_batches_prove_and_verify_in_zero_knowledge() {
        let mut rng = StdRng::seed_from_u64(70);
        // with a max pool after a requant (2x2 windows on 2x5x5, the last row and column unread)
        let mut nets: Vec<(Network, Vec<i64>)> = super::super::network::tests::cnns();
        nets.push(small(31));
        // a requant of shift 0 (no remainder: no r^ and no range lookup), as worldcoin-proxy's quantizer writes
        let x0: Vec<i64> = (0..8).map(|_| rng.gen_range(0..=15)).collect();
        let mut net0 = Network { input_len: 8, input_min: 0, input_top: 15, ops: vec![dense(4, 8, &mut rng)] };
        let z = run(&net0, &x0).pop().unwrap();
        let widest = z.iter().map(|v| 64 - v.unsigned_abs().leading_zeros()).max().unwrap();
        net0.ops.push(Op::Requant { shift: 0, relu: true, bits: widest + 2, clamp: Some(8) });
        net0.ops.push(dense(3, 4, &mut rng));
        nets.push((net0, x0));
        for (net, x) in &nets {
            let arch = net.arch();
            for stmt in statements() {
                let xs = batch_inputs(x, stmt.batch, &mut rng);
                let (proof, ys, ..) = prove_network_zk_batch(net, &xs, stmt.input, None, None, &mut rng).unwrap();
                for (x, y) in xs.iter().zip(&ys) {
                    assert_eq!(y, &run(net, x).pop().unwrap());
                }
                assert_eq!(verify_stmt(&arch, stmt, &xs, &ys, &proof, None), Ok(()), "{stmt:?}");
                assert_eq!(ZkNetworkProof::from_bytes_for(&proof.to_bytes(), &arch, stmt), Ok(proof.clone()));
                let mut ys2 = ys.clone();
                ys2[stmt.batch - 1][0] += 1;
                assert!(verify_stmt(&arch, stmt, &xs, &ys2, &proof, None).is_err(), "{stmt:?}: a wrong output accepted");
                if stmt.input == InputVis::Public {
                    let mut xs2 = xs.clone();
                    xs2[0][0] = if xs2[0][0] == net.input_min { net.input_min + 1 } else { net.input_min };
                    assert!(verify_stmt(&arch, stmt, &xs2, &ys, &proof, None).is_err(), "{stmt:?}: another input accepted");
                }
                let other = ZkStatement { input: if stmt.input == InputVis::Public { InputVis::Private } else { InputVis::Public }, ..stmt };
                assert!(verify_stmt(&arch, other, &xs, &ys, &proof, None).is_err(), "{stmt:?} checked as {other:?}");
            }
        }
    }

    /// Committed weights under the new statements: the model's hiding commitment made once binds every proof.
    #[test]
    fn a_committed_cnn_with_a_private_input_binds_its_weights() {
        let mut rng = StdRng::seed_from_u64(71);
        let (net, x) = super::super::network::tests::cnns().remove(0);
        let arch = net.arch();
        let secret = commit_model_zk(&net, &mut rng).unwrap();
        let stmt = ZkStatement { input: InputVis::Private, batch: 2 };
        let xs = batch_inputs(&x, 2, &mut rng);
        let (proof, ys, ..) = prove_network_zk_batch(&net, &xs, InputVis::Private, Some(&secret), None, &mut rng).unwrap();
        assert!(proof.model_commitment.is_none());
        assert_eq!(verify_stmt(&arch, stmt, &xs, &ys, &proof, Some(&secret.commitment)), Ok(()));
        let mut other = net.clone();
        if let Op::Conv { w, .. } = &mut other.ops[0] {
            w[3] += 1;
        }
        let other_secret = commit_model_zk(&other, &mut rng).unwrap();
        assert!(verify_stmt(&arch, stmt, &xs, &ys, &proof, Some(&other_secret.commitment)).is_err());
        let (p2, ys2, ..) = prove_network_zk_batch(&other, &xs, InputVis::Private, Some(&other_secret), None, &mut rng).unwrap();
        assert!(verify_stmt(&arch, stmt, &xs, &ys2, &p2, Some(&secret.commitment)).is_err());
    }

    /// Every field word and every point of a CNN's proof with a private input, and of a batch's, changed in turn:
    /// each refused, the wiring and matrix sumchecks' words at their own check (so no one check can go missing).
    #[test]
    fn every_word_of_a_cnn_or_batch_proof_changed_is_rejected() {
        let mut rng = StdRng::seed_from_u64(72);
        let mut nets = super::super::network::tests::cnns();
        let (pool_net, pool_x) = nets.remove(2);
        let (net, x) = nets.remove(0);
        for (net, x, stmt) in [(&net, &x, ZkStatement { input: InputVis::Private, batch: 1 }), (&net, &x, ZkStatement { input: InputVis::Public, batch: 2 }), (&pool_net, &pool_x, ZkStatement { input: InputVis::Private, batch: 1 })] {
            let arch = net.arch();
            let xs = batch_inputs(x, stmt.batch, &mut rng);
            let (proof, ys, ..) = prove_network_zk_batch(net, &xs, stmt.input, None, None, &mut rng).unwrap();
            let words = field_words(&mut proof.clone()).len();
            let mut local = 0;
            let tagged: Vec<bool> = field_words(&mut proof.clone()).iter().map(|(_, c)| c.is_some()).collect();
            // every word with a local check; of the rest (lookups, the merge, the openings: the MLP test sweeps
            // them whole) every fifth, and each bias and sent value
            for i in (0..words).filter(|&i| tagged[i] || i % 5 == 0) {
                let mut p = proof.clone();
                let (w, check) = field_words(&mut p).swap_remove(i);
                *w += Fr::one();
                let got = verify_stmt(&arch, stmt, &xs, &ys, &p, None);
                assert!(got.is_err(), "{stmt:?}: field word {i} of {words} changed and accepted");
                if let Some(c) = check {
                    assert_eq!(got, Err(c), "{stmt:?}: field word {i} refused at another check");
                    local += 1;
                }
            }
            assert!(local > 100, "{local} words with a local check");
            let n_points = points(&mut proof.clone()).len();
            for i in 0..n_points {
                let mut p = proof.clone();
                let q = points(&mut p).swap_remove(i);
                *q = (*q + G1Affine::generator()).into_affine();
                assert!(verify_stmt(&arch, stmt, &xs, &ys, &p, None).is_err(), "{stmt:?}: point {i} of {n_points} changed and accepted");
            }
            assert!(words > 300 && n_points > 20, "{words} words, {n_points} points");
        }
    }

    /// A private input outside the declared range is refused by the prover (its lookup has no row for it).
    #[test]
    fn a_private_input_out_of_range_is_refused() {
        let mut rng = StdRng::seed_from_u64(73);
        let (net, mut x) = super::super::network::tests::cnns().remove(0);
        x[5] = net.input_top + 1;
        let e = prove_network_zk_batch(&net, &[x], InputVis::Private, None, None, &mut rng).unwrap_err();
        assert!(e.starts_with("input"), "{e}");
    }
}
