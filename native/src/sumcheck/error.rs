//! Why a verifier of the sumcheck system refuses a proof: one enum for every check, so a caller (and later the
//! N-API edge) can say which check failed.

use std::fmt;

/// A refused proof: which check failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// A sumcheck proof has `got` rounds where the statement has `expected` variables.
    RoundCount { got: usize, expected: usize },
    /// Sumcheck round `round` sent `got` evaluations where degree d needs `expected` = d + 1.
    Degree { round: usize, got: usize, expected: usize },
    /// Sumcheck round `round`'s g(0) + g(1) is not the running claim.
    RoundSum { round: usize },
    /// The sumcheck's final value is not the product of the claimed evaluations (`what` says of which).
    FinalValue { what: &'static str },
    /// A vector or point of the wrong length (`what` says which).
    Shape { what: &'static str, got: usize, expected: usize },
    /// A commitment opening does not hold (`what` says which check).
    Opening { what: &'static str },
    /// A public input value outside the architecture's declared range [min, top].
    InputRange { index: usize, value: i64, min: i64, top: i64 },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::RoundCount { got, expected } => write!(f, "sumcheck: {got} rounds, expected {expected}"),
            VerifyError::Degree { round, got, expected } => {
                write!(f, "sumcheck round {round}: {got} evaluations, expected {expected} (degree bound)")
            }
            VerifyError::RoundSum { round } => write!(f, "sumcheck round {round}: g(0) + g(1) differs from the claim"),
            VerifyError::FinalValue { what } => write!(f, "{what}: the sumcheck's final value is not the claimed evaluations' product"),
            VerifyError::Shape { what, got, expected } => write!(f, "{what}: length {got}, expected {expected}"),
            VerifyError::Opening { what } => write!(f, "opening refused: {what}"),
            VerifyError::InputRange { index, value, min, top } => write!(f, "input [{index}] = {value} outside the declared range [{min}, {top}]"),
        }
    }
}

impl std::error::Error for VerifyError {}
