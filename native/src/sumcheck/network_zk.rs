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
use super::logup::{columns_fr, draw_challenges, Table};
use super::logup_zk::{helpers, prove_lookup_zk, verify_lookup_zk, Col, LookupMasks, ZkLookupProof};
use super::mle::{eq_table, fr_from_i64, log2_ceil, Mle};
use super::dot_product::DotProductProof;
use super::network::{absorb_statement, eq_high, model_vector, pow2_parts, stopwatch, timed, try_run, Arch, ArchOp, DecodeError, Layouts, Network, Op, Reader, Timings, Writer, HYRAX_TAG};
use super::transcript::g1_to_be64;
use super::requant::{requant_multiplicities, requant_witness, RequantOp};
use super::error::VerifyError;
use super::fold::{fold_rows, FoldMethod};
use super::transcript::Transcript;
use super::zk::{prove_zk, vanishing, verify_zk, LibraMask, MaskAlloc, MaskClaim, ZkShape, ZkSumcheckProof};
use ark_bn254::{Fr, G1Affine};
use ark_ff::{One, Zero};
use ark_std::rand::{CryptoRng, RngCore};
use ark_std::UniformRand;

/// The zero-knowledge proofs' transcript tag (a proof of one kind never verifies as the other).
pub const ZK_DOMAIN_TAG: &[u8] = b"zkml-sumcheck-fc-zk-v1";

/// The masks of one op, allocated from the architecture alone.
#[derive(Clone, Debug)]
enum OpMasks {
    Dense { b: usize, shape: ZkShape, libra: LibraMask },
    Requant { q: usize, r: usize, range: Box<LookupMasks>, act: Box<LookupMasks> },
    None,
}

/// Everything both sides derive from the architecture: layouts, masks, the vectors' parameters.
pub struct Plan {
    layouts: Layouts,
    masks: Vec<OpMasks>,
    /// Per requant (op index), the first of its four helper vectors (index into the joint vectors).
    helper_base: Vec<usize>,
    joint: JointParams,
}

fn unsupported(what: String) -> String {
    format!("the zero-knowledge sumcheck system proves dense, requant and flatten ops so far: {what}")
}

impl Plan {
    pub fn new(arch: &Arch) -> Result<Plan, String> {
        let lens = arch.check()?;
        let layouts = arch.layouts();
        let mut alloc = MaskAlloc::default();
        let mut masks = vec![OpMasks::None; arch.ops.len()];
        let mut helper_sizes = Vec::new();
        let mut helper_base = vec![usize::MAX; arch.ops.len()];
        for (k, op) in arch.ops.iter().enumerate().rev() {
            masks[k] = match *op {
                ArchOp::Flatten => OpMasks::None,
                ArchOp::Dense { n, .. } => {
                    let vars = log2_ceil(n);
                    if vars == 0 {
                        return Err(unsupported(format!("ops[{k}] dense of one input column (a sumcheck needs two)")));
                    }
                    let b = alloc.take(1);
                    let a_slot = (k > 0).then(|| alloc.take(1));
                    let shape = ZkShape { num_vars: vars, slots: vec![Some(alloc.take(1)), a_slot] };
                    let libra = shape.libra(&mut alloc);
                    OpMasks::Dense { b, shape, libra }
                }
                ArchOp::Requant { shift, bits, .. } => {
                    let vars = log2_ceil(lens[k]);
                    if vars == 0 || shift == 0 || bits <= shift {
                        return Err(unsupported(format!("ops[{k}] requant of {} values, shift {shift}, {bits} bits (each lookup needs two rows a side)", lens[k])));
                    }
                    let (q, r) = (alloc.take(1), alloc.take(1));
                    let range = Box::new(LookupMasks::new(&mut alloc, vars, shift as usize));
                    let act = Box::new(LookupMasks::new(&mut alloc, vars, (bits - shift) as usize));
                    helper_base[k] = 3 + helper_sizes.len();
                    helper_sizes.extend([vars, shift as usize, vars, (bits - shift) as usize]);
                    OpMasks::Requant { q, r, range, act }
                }
                _ => return Err(unsupported(format!("ops[{k}] is {op:?}"))),
            };
        }
        let witness = layouts.witness.as_ref().ok_or_else(|| unsupported("a network without a requant".into()))?;
        let mut vectors = vec![HyraxParams::new(HYRAX_TAG, layouts.model.num_vars), HyraxParams::new(HYRAX_TAG, witness.num_vars)];
        vectors.push(HyraxParams::new(HYRAX_TAG, log2_ceil(alloc.len())));
        vectors.extend(helper_sizes.iter().map(|&n| HyraxParams::new(HYRAX_TAG, n)));
        Ok(Plan { layouts, masks, helper_base, joint: JointParams::new(vectors) })
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
}

/// A column of the network's proof: a segment of the model or the witness, or a helper vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NCol {
    Model(usize),
    Wit(usize),
    Help(usize),
}

/// One op's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum ZkLayer {
    Dense { b_hat: Fr, sumcheck: ZkSumcheckProof, w_hat: Fr, a_hat: Option<Fr> },
    Requant { q_hat: Fr, r_hat: Fr, lookups: Vec<(Vec<HyraxCommitment>, ZkLookupProof)> },
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
        let plan = Plan::new(arch).map_err(|what| DecodeError { offset: 0, what })?;
        let mut r = Reader { b: bytes, at: 0 };
        let commitment = r.commitment("model secret's commitment")?;
        if commitment.rows.len() != plan.rows(0) {
            return r.err(format!("a commitment of {} rows, this architecture's model has {}", commitment.rows.len(), plan.rows(0)));
        }
        let blinders = (0..plan.rows(0)).map(|i| r.fr(&format!("blinder {i}"))).collect::<Result<Vec<_>, _>>()?;
        if r.at != bytes.len() {
            return r.err(format!("{} bytes after the secret's end", bytes.len() - r.at));
        }
        Ok(ModelSecret { commitment, blinders })
    }
}

/// Commits the model once with hiding rows (committed weights): the commitment to publish and the secret to keep.
pub fn commit_model_zk<R: RngCore + CryptoRng>(net: &Network, rng: &mut R) -> Result<ModelSecret, String> {
    let plan = Plan::new(&net.arch())?;
    let (commitment, blinders) = commit_i64_hiding(&plan.joint.vectors[0], &model_vector(net, &plan.layouts), rng);
    Ok(ModelSecret { commitment, blinders })
}

/// The claim that an op's output, at `point`, is `value` less <corr, masks>.
#[derive(Clone, Debug)]
struct Running {
    point: Vec<Fr>,
    value: Fr,
    corr: Vec<(usize, Fr)>,
}

/// A requant's claims, formed alike by both sides: a at p; q^ and r^ with their pads. Returns the input's claim.
fn requant_claims(plan: &Plan, k: usize, run: &Running, (q_hat, r_hat): (Fr, Fr), shift: u32, out: &mut Vec<ColClaim<NCol>>) -> Running {
    let OpMasks::Requant { q, r, .. } = plan.masks[k] else { unreachable!("a requant's masks") };
    let w = plan.witness();
    let col = |kind| NCol::Wit(w.get(k, kind));
    out.push(ColClaim { evals: vec![(col(SegKind::Act), run.point.clone(), Fr::one())], mask: run.corr.clone(), value: run.value });
    out.push(ColClaim { evals: vec![(col(SegKind::Quot), run.point.clone(), Fr::one())], mask: vec![(q, Fr::one())], value: q_hat });
    out.push(ColClaim { evals: vec![(col(SegKind::Rem), run.point.clone(), Fr::one())], mask: vec![(r, Fr::one())], value: r_hat });
    let two_s = fr_from_i64(1i64 << shift);
    Running { point: run.point.clone(), value: two_s * q_hat + r_hat, corr: vec![(q, two_s), (r, Fr::one())] }
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

/// One lookup of a requant: its table, the looked-up segments, the multiplicities' segment, its masks.
type LookupSpec = (Table, Vec<usize>, usize, LookupMasks);

/// The two lookups of a requant, range first.
fn requant_lookups(plan: &Plan, k: usize, op: &RequantOp) -> Result<[LookupSpec; 2], String> {
    let OpMasks::Requant { range, act, .. } = &plan.masks[k] else { unreachable!("a requant's masks") };
    let w = plan.witness();
    let seg = |kind| w.get(k, kind);
    Ok([
        (op.range_table().map_err(|e| e.to_string())?, vec![seg(SegKind::Rem)], seg(SegKind::MultRange), (**range).clone()),
        (op.activation_table().map_err(|e| e.to_string())?, vec![seg(SegKind::Quot), seg(SegKind::Act)], seg(SegKind::MultAct), (**act).clone()),
    ])
}

/// A dense op's claims, formed alike by both sides: b^ with its pad; W^ as its blocks at (sigma_low || p_low) plus
/// its slot; the sumcheck's claims on the masks. Returns the input's claim when the input is not x.
#[allow(clippy::too_many_arguments)]
fn dense_claims(plan: &Plan, k: usize, (m, n): (usize, usize), p: &[Fr], sigma: &[Fr], (b_hat, w_hat, a_hat): (Fr, Fr, Option<Fr>), mask_claims: Vec<MaskClaim>, out: &mut Vec<ColClaim<NCol>>) -> Option<Running> {
    let OpMasks::Dense { b, shape, .. } = &plan.masks[k] else { unreachable!("a dense op's masks") };
    let model = &plan.layouts.model;
    out.push(ColClaim { evals: vec![(NCol::Model(model.get(k, SegKind::Bias)), p.to_vec(), Fr::one())], mask: vec![(*b, Fr::one())], value: b_hat });
    let z = vanishing(sigma);
    let mut blocks = Vec::new();
    for (rb, &(ro, rl)) in pow2_parts(m).iter().enumerate() {
        for (cb, &(co, cl)) in pow2_parts(n).iter().enumerate() {
            let seg = model.get(k, SegKind::Weights { rb: rb as u8, cb: cb as u8 });
            let at: Vec<Fr> = sigma[..cl].iter().chain(&p[..rl]).copied().collect();
            blocks.push((NCol::Model(seg), at, eq_high(p, rl, ro) * eq_high(sigma, cl, co)));
        }
    }
    out.push(ColClaim { evals: blocks, mask: vec![(shape.slots[0].expect("W's slot"), z)], value: w_hat });
    out.extend(mask_claims.iter().map(ColClaim::on_mask));
    a_hat.map(|a| Running { point: sigma.to_vec(), value: a, corr: vec![(shape.slots[1].expect("a's slot"), z)] })
}

/// The sumcheck's claim for a dense op: (v - b^, l with rho_b taken out).
fn dense_claim(run: &Running, b: usize, b_hat: Fr) -> (Fr, Vec<(usize, Fr)>) {
    let mut corr = run.corr.clone();
    corr.push((b, -Fr::one()));
    (run.value - b_hat, corr)
}

fn absorb_commitments(t: &mut Transcript, model: &HyraxCommitment, proof_parts: (&HyraxCommitment, &HyraxCommitment, &G1Affine)) {
    t.absorb_g1s(b"model commitment", &model.rows);
    proof_parts.0.absorb(t);
    proof_parts.1.absorb(t);
    t.absorb_g1(b"merge mask", proof_parts.2);
}

/// A claim left on the public input (a first op other than dense): v - x~(p) = <l, masks>.
fn x_claim(run: &Running, x: &[i64]) -> ColClaim<NCol> {
    ColClaim { evals: vec![], mask: run.corr.clone(), value: run.value - Mle::from_i64(x).evaluate(&run.point) }
}

fn to_fr(v: &[i64]) -> Vec<Fr> {
    v.iter().map(|&x| fr_from_i64(x)).collect()
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
    let mut timings = Timings::new();
    let mut lap = stopwatch();
    let arch = net.arch();
    let plan = Plan::new(&arch)?;
    let trace = try_run(net, x)?;
    let lens = arch.check()?;
    let y = trace.last().cloned().unwrap_or_else(|| x.to_vec());
    let input_of = |k: usize| if k == 0 { x } else { &trace[k - 1][..] };
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
    // One set of fixed-base tables for every commitment of field elements (the masks, the lookups' helpers).
    // One set of fixed-base tables for the masks' and the lookups' helpers' columns, sized for their entries (at
    // most: h_f's rows, as many of h_t's).
    let helper_entries: usize = jp[3..].chunks(2).map(|h| (1usize << h[0].num_vars) + (1usize << h[0].num_vars.min(h[1].num_vars))).sum();
    let widest = jp[2..].iter().max_by_key(|p| p.cols()).expect("the masks' vector");
    let fixed = timed(&mut detail, "commit: fixed-base tables", || FixedBases::new(widest, widest.cols(), helper_entries + plan.mask_len()));
    let commit_fr = |p: &HyraxParams, v: &[Fr], rng: &mut R| commit_fr_hiding_fixed(p, v, &fixed, rng);
    let (mask_comm, mask_blind) = timed(&mut detail, "commit: masks", || commit_fr(&jp[2], &masks, rng));
    let merge_mask: Vec<Fr> = (0..plan.joint.mask_len()).map(|_| Fr::rand(rng)).collect();
    let (merge_comm, merge_blind) = commit_mask(&plan.joint, &merge_mask, rng);
    let mut t = Transcript::new(ZK_DOMAIN_TAG);
    absorb_statement(&mut t, &arch.hash(), Some(&[x.to_vec()]), arch.input_len, std::slice::from_ref(&y), context);
    absorb_commitments(&mut t, &model_secret.commitment, (&wit_comm, &mask_comm, &merge_comm));
    lap("commit", &mut timings);

    let mut run = Running { point: t.challenge_frs(log2_ceil(arch.output_len())), value: Fr::zero(), corr: vec![] };
    run.value = Mle::from_i64(&y).evaluate(&run.point);
    let mut claims: Vec<ColClaim<NCol>> = Vec::new();
    let mut layers = Vec::new();
    let mut helper_vecs: Vec<(Vec<Fr>, Vec<Fr>)> = Vec::new();
    for (k, op) in net.ops.iter().enumerate().rev() {
        match op {
            Op::Flatten => {}
            Op::Requant { shift, .. } => {
                let (rop, wit, mult) = requant_data[k].as_ref().expect("witness built above");
                let OpMasks::Requant { q, r, .. } = plan.masks[k] else { unreachable!() };
                let q_hat = Mle::from_i64(&wit.q).evaluate(&run.point) + masks[q];
                let r_hat = Mle::from_i64(&wit.r).evaluate(&run.point) + masks[r];
                t.absorb_frs(b"requant evals", &[q_hat, r_hat]);
                let next = requant_claims(&plan, k, &run, (q_hat, r_hat), *shift, &mut claims);
                let cols = columns_fr(&[&wit.q, &wit.r, &wit.a]);
                let mut lookups = Vec::new();
                for (i, (table, f_segs, m_seg, lm)) in requant_lookups(&plan, k, rop)?.into_iter().enumerate() {
                    let (f, m): (Vec<&[Fr]>, &[u64]) = if i == 0 { (vec![&cols[1]], &mult.range) } else { (vec![&cols[0], &cols[2]], &mult.act) };
                    let ab = draw_challenges(&table, log2_ceil(lens[k]), &mut t);
                    let (h_f, h_t) = timed(&mut detail, "layers: lookup helpers", || helpers(&f, m, &table, ab.0, ab.1)).map_err(|e| format!("ops[{k}]: {e}"))?;
                    let base = plan.helper_base[k] + 2 * i;
                    let mut comms = Vec::new();
                    for (j, h) in [&h_f, &h_t].into_iter().enumerate() {
                        let (c, b) = timed(&mut detail, "layers: lookup helper commitments", || commit_fr(&jp[base + j], h, rng));
                        c.absorb(&mut t);
                        comms.push(c);
                        helper_vecs.push((h.clone(), b));
                    }
                    let (proof, lc) = timed(&mut detail, "layers: lookup sumchecks", || prove_lookup_zk(&f, m, (&h_f, &h_t), &table, &lm, &masks, ab, &mut t));
                    lookup_claims(lc, &f_segs, m_seg, base, &mut claims);
                    lookups.push((comms, proof));
                }
                layers.push(ZkLayer::Requant { q_hat, r_hat, lookups });
                run = next;
            }
            Op::Dense { m, n, w, b } => {
                let OpMasks::Dense { b: b_slot, shape, libra } = &plan.masks[k] else { unreachable!() };
                let b_hat = Mle::from_i64(b).evaluate(&run.point) + masks[*b_slot];
                t.absorb_fr(b"dense bias", &b_hat);
                let (claim, corr) = dense_claim(&run, *b_slot, b_hat);
                let eq_p = eq_table(&run.point);
                let w_p = timed(&mut detail, "layers: dense fold", || Mle::new(fold_rows(w, *m, *n, &eq_p, FoldMethod::Auto)));
                let a = Mle::new(to_fr(input_of(k)));
                let out = timed(&mut detail, "layers: dense sumcheck", || prove_zk(vec![w_p, a], shape, libra, &masks, claim, &corr, &mut t));
                let (w_hat, a_hat) = (out.values[0], (k > 0).then_some(out.values[1]));
                t.absorb_frs(b"dense values", &[w_hat].into_iter().chain(a_hat).collect::<Vec<_>>());
                let next = dense_claims(&plan, k, (*m, *n), &run.point, &out.point, (b_hat, w_hat, a_hat), out.mask_claims, &mut claims);
                layers.push(ZkLayer::Dense { b_hat, sumcheck: out.proof, w_hat, a_hat });
                if let Some(r) = next {
                    run = r;
                }
            }
            _ => return Err(unsupported(format!("ops[{k}]"))),
        }
    }
    if !matches!(net.ops.first(), Some(Op::Dense { .. })) {
        claims.push(x_claim(&run, x));
    }
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
    Ok((proof, y, timings, detail))
}

/// Checks a zero-knowledge proof that the network of architecture `arch` maps x to y; `model` is the committed
/// model's commitment the verifier holds (None: the proof carries one, paper0's statement); `context` the 32 bytes
/// the proof was bound to, if any.
pub fn verify_network_zk(arch: &Arch, x: &[i64], y: &[i64], proof: &ZkNetworkProof, model: Option<&HyraxCommitment>, context: Option<&[u8; 32]>) -> Result<(), VerifyError> {
    let shape_err = |what: &'static str| VerifyError::Shape { what, got: 0, expected: 1 };
    let plan = Plan::new(arch).map_err(|_| shape_err("zero-knowledge architecture"))?;
    let lens = arch.check().map_err(|_| shape_err("architecture"))?;
    if x.len() != arch.input_len {
        return Err(VerifyError::Shape { what: "input", got: x.len(), expected: arch.input_len });
    }
    if y.len() != arch.output_len() {
        return Err(VerifyError::Shape { what: "output", got: y.len(), expected: arch.output_len() });
    }
    if let Some((index, &value)) = x.iter().enumerate().find(|(_, &v)| v < arch.input_min || v > arch.input_top) {
        return Err(VerifyError::InputRange { index, value, min: arch.input_min, top: arch.input_top });
    }
    let model_comm = match (model, &proof.model_commitment) {
        (Some(c), None) => c,
        (None, Some(c)) => c,
        _ => return Err(shape_err("model commitment (exactly one of the verifier's and the proof's)")),
    };
    let mut t = Transcript::new(ZK_DOMAIN_TAG);
    absorb_statement(&mut t, &arch.hash(), Some(&[x.to_vec()]), arch.input_len, &[y.to_vec()], context);
    absorb_commitments(&mut t, model_comm, (&proof.witness, &proof.masks, &proof.merge_mask));
    let point = t.challenge_frs(log2_ceil(arch.output_len()));
    let mut run = Running { value: Mle::from_i64(y).evaluate(&point), point, corr: vec![] };
    let mut claims: Vec<ColClaim<NCol>> = Vec::new();
    let mut helper_comms: Vec<HyraxCommitment> = Vec::new();
    let mut layers = proof.layers.iter();
    for (k, op) in arch.ops.iter().enumerate().rev() {
        match *op {
            ArchOp::Flatten => {}
            ArchOp::Requant { shift, relu, bits, clamp } => {
                let Some(ZkLayer::Requant { q_hat, r_hat, lookups }) = layers.next() else { return Err(shape_err("a requant's layer proof")) };
                if lookups.len() != 2 || lookups.iter().any(|(c, _)| c.len() != 2) {
                    return Err(shape_err("a requant's two lookups"));
                }
                t.absorb_frs(b"requant evals", &[*q_hat, *r_hat]);
                let next = requant_claims(&plan, k, &run, (*q_hat, *r_hat), shift, &mut claims);
                let rop = RequantOp { shift, relu, bits, clamp };
                let specs = requant_lookups(&plan, k, &rop).map_err(|_| shape_err("a requant's tables"))?;
                for (i, ((table, f_segs, m_seg, lm), (comms, lproof))) in specs.into_iter().zip(lookups).enumerate() {
                    let ab = draw_challenges(&table, log2_ceil(lens[k]), &mut t);
                    let base = plan.helper_base[k] + 2 * i;
                    for (j, c) in comms.iter().enumerate() {
                        if c.rows.len() != plan.joint.vectors[base + j].rows() {
                            return Err(VerifyError::Shape { what: "lookup helper rows", got: c.rows.len(), expected: plan.joint.vectors[base + j].rows() });
                        }
                        c.absorb(&mut t);
                        helper_comms.push(c.clone());
                    }
                    let lc = verify_lookup_zk(lproof, &table, &lm, ab, &mut t)?;
                    lookup_claims(lc, &f_segs, m_seg, base, &mut claims);
                }
                run = next;
            }
            ArchOp::Dense { m, n } => {
                let Some(ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat }) = layers.next() else { return Err(shape_err("a dense op's layer proof")) };
                if a_hat.is_some() != (k > 0) {
                    return Err(shape_err("a dense op's input value (sent unless the input is x)"));
                }
                let OpMasks::Dense { b, shape, libra } = &plan.masks[k] else { unreachable!() };
                t.absorb_fr(b"dense bias", b_hat);
                let (claim, corr) = dense_claim(&run, *b, *b_hat);
                let v = verify_zk(sumcheck, shape, libra, claim, &corr, &mut t)?;
                let a_val = match a_hat {
                    Some(a) => *a,
                    None => {
                        let mut xs = to_fr(x);
                        xs.resize(1 << v.point.len(), Fr::zero());
                        Mle::new(xs).evaluate(&v.point)
                    }
                };
                if v.final_value != *w_hat * a_val {
                    return Err(VerifyError::FinalValue { what: "zk dense: W^ a^" });
                }
                t.absorb_frs(b"dense values", &[*w_hat].into_iter().chain(*a_hat).collect::<Vec<_>>());
                if let Some(r) = dense_claims(&plan, k, (m, n), &run.point, &v.point, (*b_hat, *w_hat, *a_hat), v.mask_claims, &mut claims) {
                    run = r;
                }
            }
            _ => return Err(shape_err("an op the zero-knowledge system does not prove")),
        }
    }
    if layers.next().is_some() {
        return Err(shape_err("layer proofs past the architecture's ops"));
    }
    if !matches!(arch.ops.first(), Some(ArchOp::Dense { .. })) {
        claims.push(x_claim(&run, x));
    }
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

impl ZkNetworkProof {
    /// Format 3: 32-byte big-endian words (points as 64 bytes, x then y) in transcript order, with no counts: every
    /// count is the architecture's (`from_bytes` takes it). `version` (3); a flag (1: the model's rows follow); the
    /// model's rows; the witness's; the masks'; C_M; per op from the last (flatten none): requant q^, r^, then per
    /// lookup (range, activation) h_f's rows, h_t's rows, the first sumcheck (K, its rounds, y), h_f^, G^, M, the
    /// second sumcheck, h_t^; dense b^, its sumcheck, W^, a^ (not for the first op); then the merge's sumcheck, P^,
    /// per vector Y_i and its opening (delta, beta, z, z_delta, z_beta), and C_M's proof the same way.
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
                    w.fr(r_hat);
                    for (helpers, l) in lookups {
                        helpers.iter().for_each(|c| write_rows(&mut w, c));
                        write_sumcheck(&mut w, &l.f_sumcheck);
                        l.f_values.iter().chain([&l.m_hat]).for_each(|x| w.fr(x));
                        write_sumcheck(&mut w, &l.t_sumcheck);
                        w.fr(&l.t_value);
                    }
                }
                ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat } => {
                    w.fr(b_hat);
                    write_sumcheck(&mut w, sumcheck);
                    w.fr(w_hat);
                    a_hat.iter().for_each(|x| w.fr(x));
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

    /// Reads format 3 for the architecture `arch`; a wrong version, a count the architecture does not have, a
    /// word not below its modulus, a point off the curve, a truncation or trailing bytes are errors naming the place.
    pub fn from_bytes(bytes: &[u8], arch: &Arch) -> Result<ZkNetworkProof, DecodeError> {
        let mut r = Reader { b: bytes, at: 0 };
        let plan = Plan::new(arch).map_err(|what| DecodeError { offset: 0, what })?;
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
            match (op, &plan.masks[k]) {
                (ArchOp::Requant { .. }, OpMasks::Requant { range, act, .. }) => {
                    let (q_hat, r_hat) = (r.fr(&format!("ops[{k}] q^"))?, r.fr(&format!("ops[{k}] r^"))?);
                    let mut lookups = Vec::new();
                    for (i, lm) in [range, act].into_iter().enumerate() {
                        let what = format!("ops[{k}] lookup {i}");
                        let base = plan.helper_base[k] + 2 * i;
                        let helpers = vec![read_rows(&mut r, plan.rows(base), &format!("{what} h_f"))?, read_rows(&mut r, plan.rows(base + 1), &format!("{what} h_t"))?];
                        let f_sumcheck = read_sumcheck(&mut r, &lm.f_shape, &format!("{what} first sumcheck"))?;
                        let f_values = [r.fr(&format!("{what} h_f^"))?, r.fr(&format!("{what} G^"))?];
                        let m_hat = r.fr(&format!("{what} M"))?;
                        let t_sumcheck = read_sumcheck(&mut r, &lm.t_shape, &format!("{what} second sumcheck"))?;
                        let t_value = r.fr(&format!("{what} h_t^"))?;
                        lookups.push((helpers, ZkLookupProof { f_sumcheck, f_values, m_hat, t_sumcheck, t_value }));
                    }
                    layers.push(ZkLayer::Requant { q_hat, r_hat, lookups });
                }
                (ArchOp::Dense { .. }, OpMasks::Dense { shape, .. }) => {
                    let b_hat = r.fr(&format!("ops[{k}] b^"))?;
                    let sumcheck = read_sumcheck(&mut r, shape, &format!("ops[{k}] sumcheck"))?;
                    let w_hat = r.fr(&format!("ops[{k}] W^"))?;
                    let a_hat = if k > 0 { Some(r.fr(&format!("ops[{k}] a^"))?) } else { None };
                    layers.push(ZkLayer::Dense { b_hat, sumcheck, w_hat, a_hat });
                }
                _ => {}
            }
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
                            *(if f == 0 { q_hat } else { r_hat }) += one;
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
}
