//! The IR's requant op (src/ir/ir.ts, `requantValue`): y = floor(z / 2^s), then max(y, 0) if relu, then with a
//! clamp A saturated into [0, 2^A - 1] (relu) or [-2^(A-1), 2^(A-1) - 1] (signed); z must lie in
//! [-2^(bits-1), 2^(bits-1)).
//!
//! Witness (committed by the caller, each column padded with zeros to a power of two; a zero row is (q, r, a) =
//! (0, 0, 0), which both tables hold): q = floor(z / 2^s), r = z - 2^s q in [0, 2^s), a = act(q).
//!
//! What is proved here, and what the caller does:
//! - z = 2^s q + r: linear, so the caller, holding a claim z~(rho), opens q~ and r~ at rho and checks
//!   `check_input(z~(rho), q~(rho), r~(rho), s)`. With the two lookups below this also gives z's declared range.
//! - r in [0, 2^s): a lookup into the range table [0, 2^s) (s <= 16 for now: a larger shift is refused with
//!   `LookupError::Unsupported`; 16-bit limbs committed apart are the plan).
//! - (q, a) in {(t, act(t)) : t in [-2^(bits-1-s), 2^(bits-1-s))}: one lookup into a two-column table (folded by
//!   beta), 2^(bits-s) rows; more than 2^20 rows is refused (`LookupError::TableTooLarge`, naming the op).
//!
//! Transcript, in order (the caller has absorbed the commitments to q, r, a and both multiplicity vectors):
//! `absorb_frs("requant op", [shift, relu, bits, has clamp, clamp])`, the range lookup (logup.rs), the
//! activation lookup. Each lookup leaves claims the caller opens: r~ at one point, q~ and a~ at another, each m~.

use super::error::VerifyError;
use super::logup::{columns_fr, prove_logup, table_multiplicities, verify_logup, LogupClaims, LogupProof, LookupError, Table, MAX_TABLE_LOG};
use super::mle::fr_from_i64;
use super::transcript::Transcript;
use ark_bn254::Fr;
use ark_ff::Zero;

/// The largest shift whose remainder is looked up in one range table (2^16 rows).
pub const MAX_RANGE_LOG: u32 = 16;

/// A requant op's parameters, as the IR has them (`{ op: "requant", shift, relu, bits, clamp? }`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequantOp {
    pub shift: u32,
    pub relu: bool,
    pub bits: u32,
    pub clamp: Option<u32>,
}

/// runIR's requantValue: floor(x / 2^shift) (an arithmetic shift: floor for negatives too), then max(., 0) if
/// relu, then the clamp's saturation.
pub fn requant_value(x: i64, shift: u32, relu: bool, clamp: Option<u32>) -> i64 {
    let y = x >> shift;
    if relu && y < 0 {
        return 0;
    }
    match clamp {
        None => y,
        Some(a) => {
            let (lo, hi) = clamp_range(relu, a);
            y.clamp(lo, hi)
        }
    }
}

/// The range a clamp A saturates into: [0, 2^A - 1] after ReLU, [-2^(A-1), 2^(A-1) - 1] signed.
pub fn clamp_range(relu: bool, a: u32) -> (i64, i64) {
    if relu {
        (0, (1i64 << a) - 1)
    } else {
        (-(1i64 << (a - 1)), (1i64 << (a - 1)) - 1)
    }
}

impl RequantOp {
    /// "requant (shift s, bits b, relu, clamp A)", for error messages (the caller adds the op's index).
    pub fn describe(&self) -> String {
        let mut s = format!("requant (shift {}, bits {}", self.shift, self.bits);
        if self.relu {
            s += ", relu";
        }
        if let Some(a) = self.clamp {
            s += &format!(", clamp {a}");
        }
        s + ")"
    }

    /// The activation applied to a quotient: `requant_value(2^s q, ..)`.
    pub fn act(&self, q: i64) -> i64 {
        requant_value(q << self.shift, self.shift, self.relu, self.clamp)
    }

    /// The parameters this module handles: 1 <= bits <= 62, bits >= shift + 1, 1 <= clamp <= 62.
    fn check(&self) -> Result<(), LookupError> {
        if self.bits == 0 || self.bits > 62 || self.bits < self.shift + 1 || self.clamp.is_some_and(|a| a == 0 || a > 62) {
            return Err(LookupError::Unsupported { what: format!("{}: parameters outside 1 <= shift + 1 <= bits <= 62, 1 <= clamp <= 62", self.describe()) });
        }
        Ok(())
    }

    /// The remainder's table [0, 2^shift). Refuses a shift above 16 (limbs are not built yet).
    pub fn range_table(&self) -> Result<Table, LookupError> {
        self.check()?;
        if self.shift > MAX_RANGE_LOG {
            return Err(LookupError::Unsupported {
                what: format!(
                    "{}: a shift above {MAX_RANGE_LOG} needs its remainder split into 16-bit limbs, not built yet",
                    self.describe()
                ),
            });
        }
        Ok(Table::range(0, self.shift as usize))
    }

    /// The quotient's range [q_min, q_max] = [-2^(bits-1-s), 2^(bits-1-s) - 1].
    pub fn q_range(&self) -> (i64, i64) {
        let h = 1i64 << (self.bits - 1 - self.shift);
        (-h, h - 1)
    }

    /// The table {(t, act(t)) : t in [q_min, q_max]}: 2^(bits - shift) rows, refused above 2^20.
    pub fn activation_table(&self) -> Result<Table, LookupError> {
        self.check()?;
        let log_size = (self.bits - self.shift) as usize;
        if log_size > MAX_TABLE_LOG {
            return Err(LookupError::TableTooLarge { what: format!("{}: its (q, act(q)) table", self.describe()), log_size, max: MAX_TABLE_LOG });
        }
        let (lo, hi) = match (self.relu, self.clamp) {
            (true, None) => (Some(0), None),
            (false, None) => (None, None),
            (relu, Some(a)) => {
                let (lo, hi) = clamp_range(relu, a);
                (Some(lo), Some(hi))
            }
        };
        Ok(Table::Activation { offset: self.q_range().0, log_size, lo, hi })
    }

    fn absorb(&self, t: &mut Transcript) {
        let w = [self.shift as u64, self.relu as u64, self.bits as u64, self.clamp.is_some() as u64, self.clamp.unwrap_or(0) as u64];
        t.absorb_frs(b"requant op", &w.map(Fr::from));
    }
}

/// The committed columns of one requant: quotient, remainder, output (same length, a power of two).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequantWitness {
    pub q: Vec<i64>,
    pub r: Vec<i64>,
    pub a: Vec<i64>,
}

/// q, r and a for the input z, padded with zeros to the next power of two (at least 1). Refuses a z outside
/// [-2^(bits-1), 2^(bits-1)) (naming the op and the index), and ops this module does not handle.
pub fn requant_witness(z: &[i64], op: &RequantOp) -> Result<RequantWitness, LookupError> {
    op.check()?;
    let lim = 1i64 << (op.bits - 1);
    if let Some((i, &v)) = z.iter().enumerate().find(|(_, &v)| v < -lim || v >= lim) {
        return Err(LookupError::OutOfRange { what: format!("{}: input", op.describe()), index: i, value: v });
    }
    let n = z.len().max(1).next_power_of_two();
    let mut w = RequantWitness { q: vec![0; n], r: vec![0; n], a: vec![0; n] };
    for (i, &v) in z.iter().enumerate() {
        let q = v >> op.shift;
        w.q[i] = q;
        w.r[i] = v - (q << op.shift);
        w.a[i] = requant_value(v, op.shift, op.relu, op.clamp);
    }
    Ok(w)
}

/// The two multiplicity vectors the caller commits (before the lookups' challenges).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequantMultiplicities {
    /// Of r in [0, 2^shift): 2^shift entries.
    pub range: Vec<u64>,
    /// Of (q, a) in the activation table: 2^(bits - shift) entries.
    pub act: Vec<u64>,
}

/// Counts the witness's rows in both tables; a row outside (a wrong witness) is an error naming it.
pub fn requant_multiplicities(w: &RequantWitness, op: &RequantOp) -> Result<RequantMultiplicities, LookupError> {
    Ok(RequantMultiplicities {
        range: table_multiplicities(&[&w.r], &op.range_table()?)?,
        act: table_multiplicities(&[&w.q, &w.a], &op.activation_table()?)?,
    })
}

/// The two lookups' proofs.
#[derive(Clone, Debug, PartialEq)]
pub struct RequantProof {
    pub range: LogupProof,
    pub act: LogupProof,
}

/// What the caller must still check by openings: r~(r_point) = r_value; q~(qa_point) = q_value and
/// a~(qa_point) = a_value; each multiplicity vector's MLE at its point. (The input's relation is `check_input`.)
#[derive(Clone, Debug, PartialEq)]
pub struct RequantClaims {
    pub r_point: Vec<Fr>,
    pub r_value: Fr,
    pub qa_point: Vec<Fr>,
    pub q_value: Fr,
    pub a_value: Fr,
    pub m_range_point: Vec<Fr>,
    pub m_range_value: Fr,
    pub m_act_point: Vec<Fr>,
    pub m_act_value: Fr,
}

impl RequantClaims {
    /// The range lookup's claims (on r) and the activation lookup's (on q and a), as the caller opens them.
    fn from_lookups(rc: LogupClaims, ac: LogupClaims) -> Self {
        RequantClaims {
            r_point: rc.f_point,
            r_value: rc.f_values[0],
            qa_point: ac.f_point,
            q_value: ac.f_values[0],
            a_value: ac.f_values[1],
            m_range_point: rc.m_point,
            m_range_value: rc.m_value,
            m_act_point: ac.m_point,
            m_act_value: ac.m_value,
        }
    }
}

/// Proves both lookups of one requant (module doc). The caller has committed and absorbed q, r, a and m.
pub fn prove_requant(w: &RequantWitness, m: &RequantMultiplicities, op: &RequantOp, t: &mut Transcript) -> Result<(RequantProof, RequantClaims), LookupError> {
    let (range_table, act_table) = (op.range_table()?, op.activation_table()?);
    op.absorb(t);
    let cols = columns_fr(&[&w.q, &w.r, &w.a]);
    let (range, rc) = prove_logup(&[&cols[1]], &m.range, &range_table, t)?;
    let (act, ac) = prove_logup(&[&cols[0], &cols[2]], &m.act, &act_table, t)?;
    Ok((RequantProof { range, act }, RequantClaims::from_lookups(rc, ac)))
}

/// Checks both lookups of one requant over columns of 2^num_vars entries. An op this module does not handle
/// (a shift above 16, a table above 2^20 rows) is refused as a shape error on the table.
pub fn verify_requant(proof: &RequantProof, num_vars: usize, op: &RequantOp, t: &mut Transcript) -> Result<RequantClaims, VerifyError> {
    let unsupported = |e: LookupError| match e {
        LookupError::TableTooLarge { log_size, max, .. } => VerifyError::Shape { what: "requant table variables", got: log_size, expected: max },
        _ => VerifyError::Shape { what: "requant shift (at most 16) or parameters", got: op.shift as usize, expected: MAX_RANGE_LOG as usize },
    };
    let range_table = op.range_table().map_err(unsupported)?;
    let act_table = op.activation_table().map_err(unsupported)?;
    op.absorb(t);
    let rc = verify_logup(&proof.range, num_vars, &range_table, t)?;
    let ac = verify_logup(&proof.act, num_vars, &act_table, t)?;
    Ok(RequantClaims::from_lookups(rc, ac))
}

/// 2^shift q + r: the input's value at a point from the quotient's and remainder's openings there.
pub fn input_from_parts(q_value: Fr, r_value: Fr, shift: u32) -> Fr {
    fr_from_i64(1i64 << shift) * q_value + r_value
}

/// The linear check z~(rho) = 2^shift q~(rho) + r~(rho), the three values opened (or claimed) at one rho.
pub fn check_input(z_value: Fr, q_value: Fr, r_value: Fr, shift: u32) -> Result<(), VerifyError> {
    if (input_from_parts(q_value, r_value, shift) - z_value).is_zero() {
        Ok(())
    } else {
        Err(VerifyError::FinalValue { what: "requant: z is not 2^shift q + r" })
    }
}

#[cfg(test)]
mod tests {
    use super::super::mle::Mle;
    use super::*;
    use ark_std::{rand::Rng, test_rng};

    #[test]
    fn requant_value_matches_run_ir() {
        // test/ir.test.ts's cases for requantValue.
        assert_eq!(requant_value(-7, 2, true, None), 0);
        assert_eq!(requant_value(-7, 2, false, None), -2);
        assert_eq!(requant_value(12, 0, true, None), 12);
        assert_eq!(requant_value(100, 2, true, Some(4)), 15);
        assert_eq!(requant_value(60, 2, true, Some(4)), 15);
        assert_eq!(requant_value(-100, 2, true, Some(4)), 0);
        assert_eq!(requant_value(100, 2, false, Some(4)), 7);
        assert_eq!(requant_value(-100, 2, false, Some(4)), -8);
        assert_eq!(requant_value(-29, 2, false, Some(4)), -8);
        // Floor, not truncation, for negatives; exact multiples; boundaries of the clamp both ways.
        assert_eq!(requant_value(-1, 3, false, None), -1);
        assert_eq!(requant_value(-8, 3, false, None), -1);
        assert_eq!(requant_value(-9, 3, false, None), -2);
        assert_eq!(requant_value(7, 3, false, None), 0);
        assert_eq!(requant_value(-1, 0, true, None), 0);
        assert_eq!(requant_value(64, 2, true, Some(4)), 15); // 16 -> 15
        assert_eq!(requant_value(59, 2, true, Some(4)), 14);
        assert_eq!(requant_value(28, 2, false, Some(4)), 7); // exactly 7: unchanged
        assert_eq!(requant_value(32, 2, false, Some(4)), 7); // 8 -> 7
        assert_eq!(requant_value(-32, 2, false, Some(4)), -8); // exactly -8
        assert_eq!(requant_value(-33, 2, false, Some(4)), -8);
        assert_eq!(requant_value(-128, 0, false, Some(8)), -128);
        assert_eq!(requant_value(127, 0, false, Some(8)), 127);
        assert_eq!(requant_value(128, 0, false, Some(8)), 127);
        // Against a definition by integer division, over a grid.
        for x in -300i64..300 {
            for s in 0..5u32 {
                let d = 1i64 << s;
                let fl = x.div_euclid(d);
                for relu in [false, true] {
                    let y = if relu { fl.max(0) } else { fl };
                    assert_eq!(requant_value(x, s, relu, None), y);
                    for a in [1u32, 3, 4] {
                        let (lo, hi) = if relu { (0, (1 << a) - 1) } else { (-(1 << (a - 1)), (1 << (a - 1)) - 1) };
                        assert_eq!(requant_value(x, s, relu, Some(a)), y.clamp(lo, hi), "x {x} s {s} relu {relu} a {a}");
                    }
                }
            }
        }
    }

    #[test]
    fn witness_parts() {
        let op = RequantOp { shift: 3, relu: true, bits: 8, clamp: Some(3) };
        let z = [-128i64, -1, 0, 7, 8, 127, -9];
        let w = requant_witness(&z, &op).unwrap();
        assert_eq!(w.q.len(), 8);
        assert_eq!(w.q, vec![-16, -1, 0, 0, 1, 15, -2, 0]);
        assert_eq!(w.r, vec![0, 7, 0, 7, 0, 7, 7, 0]);
        assert_eq!(w.a, vec![0, 0, 0, 0, 1, 7, 0, 0]);
        assert_eq!(op.q_range(), (-16, 15));
        assert!(matches!(requant_witness(&[128], &op), Err(LookupError::OutOfRange { index: 0, value: 128, .. })));
        assert!(matches!(requant_witness(&[0, -129], &op), Err(LookupError::OutOfRange { index: 1, .. })));
        // Parameters refused with the op named.
        let big = RequantOp { shift: 5, relu: true, bits: 26, clamp: Some(8) };
        let e = big.activation_table().unwrap_err();
        assert_eq!(e, LookupError::TableTooLarge { what: "requant (shift 5, bits 26, relu, clamp 8): its (q, act(q)) table".into(), log_size: 21, max: 20 });
        println!("{e}");
        let wide = RequantOp { shift: 17, relu: false, bits: 30, clamp: None };
        assert!(matches!(wide.range_table(), Err(LookupError::Unsupported { .. })));
        println!("{}", wide.range_table().unwrap_err());
        assert!(requant_witness(&[0], &RequantOp { shift: 8, relu: false, bits: 8, clamp: None }).is_err());
    }

    fn tr() -> Transcript {
        Transcript::new(b"requant-test")
    }

    /// A caller's view of one requant: the columns "committed" (absorbed in the clear, standing for their
    /// commitments), rho drawn, the lookups, then every claim checked against the columns' true MLEs (standing
    /// for openings) and z's relation at rho.
    struct Run {
        proof: RequantProof,
        z_at_rho: Fr,
    }

    fn commit(w: &RequantWitness, m: &RequantMultiplicities, t: &mut Transcript) -> Vec<Fr> {
        for c in [&w.q, &w.r, &w.a] {
            t.absorb_frs(b"column", &c.iter().map(|&v| fr_from_i64(v)).collect::<Vec<_>>());
        }
        for c in [&m.range, &m.act] {
            t.absorb_frs(b"column", &c.iter().map(|&v| Fr::from(v)).collect::<Vec<_>>());
        }
        t.challenge_frs(w.q.len().trailing_zeros() as usize)
    }

    fn prove_run(z: &[i64], w: &RequantWitness, m: &RequantMultiplicities, op: &RequantOp) -> Result<Run, LookupError> {
        let mut t = tr();
        let rho = commit(w, m, &mut t);
        let mut zp = z.to_vec();
        zp.resize(w.q.len(), 0);
        let z_at_rho = Mle::from_i64(&zp).evaluate(&rho);
        let (proof, _) = prove_requant(w, m, op, &mut t)?;
        Ok(Run { proof, z_at_rho })
    }

    /// The verifier with the committed columns w and m (its openings are their true MLEs).
    fn verify_run(run: &Run, w: &RequantWitness, m: &RequantMultiplicities, op: &RequantOp) -> Result<(), VerifyError> {
        let mut t = tr();
        let rho = commit(w, m, &mut t);
        let k = w.q.len().trailing_zeros() as usize;
        let (q, r, a) = (Mle::from_i64(&w.q), Mle::from_i64(&w.r), Mle::from_i64(&w.a));
        check_input(run.z_at_rho, q.evaluate(&rho), r.evaluate(&rho), op.shift)?;
        let c = verify_requant(&run.proof, k, op, &mut t)?;
        let opening = |ok: bool, what: &'static str| if ok { Ok(()) } else { Err(VerifyError::Opening { what }) };
        opening(r.evaluate(&c.r_point) == c.r_value, "r")?;
        opening(q.evaluate(&c.qa_point) == c.q_value, "q")?;
        opening(a.evaluate(&c.qa_point) == c.a_value, "a")?;
        let mu = |v: &[u64]| Mle::new(v.iter().map(|&x| Fr::from(x)).collect());
        opening(mu(&m.range).evaluate(&c.m_range_point) == c.m_range_value, "m range")?;
        opening(mu(&m.act).evaluate(&c.m_act_point) == c.m_act_value, "m act")
    }

    fn ops() -> Vec<RequantOp> {
        let mut v = Vec::new();
        for relu in [false, true] {
            for clamp in [None, Some(3), Some(4)] {
                v.push(RequantOp { shift: 4, relu, bits: 12, clamp });
            }
        }
        v.push(RequantOp { shift: 0, relu: true, bits: 6, clamp: None });
        v.push(RequantOp { shift: 7, relu: true, bits: 17, clamp: Some(8) });
        v.push(RequantOp { shift: 16, relu: false, bits: 20, clamp: None });
        v
    }

    fn random_z(op: &RequantOp, n: usize, rng: &mut impl Rng) -> Vec<i64> {
        let lim = 1i64 << (op.bits - 1);
        let mut z: Vec<i64> = (0..n).map(|_| rng.gen_range(-lim..lim)).collect();
        // The ends of the range and values around zero.
        z.extend([-lim, lim - 1, -1, 0, 1]);
        z
    }

    #[test]
    fn honest_requants_verify() {
        let mut rng = test_rng();
        for op in ops() {
            for n in [1usize, 20, 300] {
                let z = random_z(&op, n, &mut rng);
                let w = requant_witness(&z, &op).unwrap();
                for (i, &v) in z.iter().enumerate() {
                    assert_eq!(w.a[i], requant_value(v, op.shift, op.relu, op.clamp));
                    assert_eq!(v, (w.q[i] << op.shift) + w.r[i]);
                }
                let m = requant_multiplicities(&w, &op).unwrap();
                let run = prove_run(&z, &w, &m, &op).unwrap();
                assert_eq!(verify_run(&run, &w, &m, &op), Ok(()), "{op:?}, n = {n}");
            }
        }
    }

    #[test]
    fn wrong_witnesses_are_rejected() {
        let mut rng = test_rng();
        let op = RequantOp { shift: 4, relu: true, bits: 12, clamp: Some(5) };
        let z = random_z(&op, 60, &mut rng);
        let w = requant_witness(&z, &op).unwrap();
        let m = requant_multiplicities(&w, &op).unwrap();
        let honest = prove_run(&z, &w, &m, &op).unwrap();
        let neg = z.iter().position(|&v| v < -16).unwrap();
        let big = z.iter().position(|&v| v >= 16 << 5).unwrap();

        // Each wrong witness: its multiplicities cannot be counted, the prover refuses with m counted from the
        // honest rows, and the honest proof (or one forced with the honest m) is refused against it.
        let mut cases: Vec<(&str, RequantWitness)> = Vec::new();
        let mut no_relu = w.clone();
        no_relu.a[neg] = w.q[neg]; // relu not applied
        cases.push(("relu not applied", no_relu));
        let mut no_clamp = w.clone();
        no_clamp.a[big] = w.q[big]; // clamp not applied
        cases.push(("clamp not applied", no_clamp));
        let mut r_out = w.clone();
        r_out.q[neg] -= 1; // z = 2^s (q - 1) + (r + 2^s): consistent with z, r out of range
        r_out.r[neg] += 16;
        r_out.a[neg] = op.act(r_out.q[neg]);
        cases.push(("r out of range", r_out));
        let mut r_neg = w.clone();
        let i = z.iter().position(|&v| v == 0).unwrap();
        r_neg.q[i] += 1;
        r_neg.r[i] -= 16; // a negative remainder
        r_neg.a[i] = op.act(r_neg.q[i]);
        cases.push(("negative r", r_neg));
        for (what, bad) in &cases {
            assert!(requant_multiplicities(bad, &op).is_err(), "{what}");
            assert!(prove_run(&z, bad, &m, &op).is_err(), "{what}");
            assert!(verify_run(&honest, bad, &m, &op).is_err(), "{what}");
            // A prover forced through with the wrong witness and the honest m: the lookups refuse.
            let mut t = tr();
            commit(bad, &m, &mut t);
            let cols = columns_fr(&[&bad.q, &bad.r, &bad.a]);
            op.absorb(&mut t);
            let (range, _) = super::super::logup::prove_logup_unchecked(&[&cols[1]], &m.range, &op.range_table().unwrap(), &mut t).unwrap();
            let (act, _) = super::super::logup::prove_logup_unchecked(&[&cols[0], &cols[2]], &m.act, &op.activation_table().unwrap(), &mut t).unwrap();
            let forced = Run { proof: RequantProof { range, act }, z_at_rho: honest.z_at_rho };
            assert!(verify_run(&forced, bad, &m, &op).is_err(), "{what}");
        }

        // q inconsistent with z (q + 1 with its own activation, r unchanged): both lookups pass, z's relation fails.
        // (a row whose q + 1 stays in the activation table: test_rng is random, and row 3 could be the table's top)
        let top = 1i64 << (op.bits - 1 - op.shift);
        let j = (0..w.q.len()).find(|&i| w.q[i] + 1 < top).unwrap();
        let mut q_off = w.clone();
        q_off.q[j] += 1;
        q_off.a[j] = op.act(q_off.q[j]);
        let m2 = requant_multiplicities(&q_off, &op).unwrap();
        let run = prove_run(&z, &q_off, &m2, &op).unwrap();
        assert_eq!(verify_run(&run, &q_off, &m2, &op), Err(VerifyError::FinalValue { what: "requant: z is not 2^shift q + r" }));
        // A wrong z claim, a wrong op, and every lookup message changed: refused.
        let mut run = prove_run(&z, &w, &m, &op).unwrap();
        run.z_at_rho += Fr::from(1u64);
        assert!(verify_run(&run, &w, &m, &op).is_err());
        let other = RequantOp { relu: false, ..op };
        assert!(verify_run(&honest, &w, &m, &other).is_err());
        let tweaks: [fn(&mut RequantProof); 6] = [
            |p| p.range.f_evals[0] += Fr::from(1u64),
            |p| p.act.f_evals[1] += Fr::from(1u64),
            |p| p.act.t_root[0] += Fr::from(1u64),
            |p| p.range.f_layers[2].evals[1] += Fr::from(1u64),
            |p| p.act.t_layers[3].sumcheck.rounds[1][2] += Fr::from(1u64),
            |p| std::mem::swap(&mut p.range, &mut p.act),
        ];
        for (i, tweak) in tweaks.iter().enumerate() {
            let mut run = prove_run(&z, &w, &m, &op).unwrap();
            tweak(&mut run.proof);
            assert!(verify_run(&run, &w, &m, &op).is_err(), "tweak {i}");
        }
    }
}
