//! One error type for the prover: a code the TypeScript side maps onto its own error class (ZkmlError), the file
//! it concerns, and what went wrong. Rendered as `CODE\tfile\tmessage` across the N-API boundary.

use std::fmt;

#[derive(Debug)]
pub struct ProverError {
    pub code: &'static str,
    pub file: String,
    pub message: String,
}

impl ProverError {
    pub fn new(code: &'static str, file: &str, message: impl Into<String>) -> Self {
        ProverError { code, file: file.to_string(), message: message.into() }
    }
}

impl fmt::Display for ProverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}\t{}", self.code, self.file, self.message)
    }
}

pub type Result<T> = std::result::Result<T, ProverError>;
