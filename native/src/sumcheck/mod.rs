//! The sumcheck proof system (issue 27; the plan is docs/design/sumcheck.md): a keccak256 Fiat-Shamir transcript,
//! dense multilinear extensions, the sumcheck protocol for products of multilinear factors, the dense layer's
//! matrix-vector sumcheck and the Hyrax (Pedersen rows) commitment. Format 2's proofs (network.rs) are not zero
//! knowledge; the zero-knowledge form (docs/design/zero-knowledge.md, steps 0-5) is dot_product.rs, zk.rs,
//! joint.rs, logup_zk.rs and network_zk.rs, for MLPs, not yet reachable from the tasks.
//!
//! Files, bottom up: transcript.rs (keccak256 Fiat-Shamir over 32-byte words), mle.rs (tables, eq), fold.rs (small
//! integer matrices folded along field weights), sumcheck.rs (the protocol, prover and verifier apart), dense.rs (a
//! layer's W a), hyrax.rs (the commitment and its opening), batch.rs
//! (several claims on one polynomial merged into one), error.rs (why a verifier refuses); layout.rs (every committed
//! column as a segment of one vector, the claims accumulator) and network.rs (the FC network's proof and verifier).

pub mod batch;
pub mod conv;
pub mod dense;
pub mod dot_product;
pub mod error;
pub mod fold;
pub mod hyrax;
pub mod gemini;
pub mod joint;
pub mod kzg;
pub mod layout;
pub mod logup;
pub mod logup_zk;
pub mod mle;
pub mod network;
pub mod network_kzg;
pub mod network_zk;
pub mod requant;
#[allow(clippy::module_inception)] // the protocol's own file, named as the plan names it
pub mod sumcheck;
pub mod transcript;
pub mod zk;

/// This process's CPU seconds (utime + stime from /proc/self/stat, 100 ticks a second), for the measurements:
/// the machine is shared, so wall time alone overstates the work.
#[cfg(test)]
pub(crate) fn cpu_seconds() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<f64> = s.rsplit(')').next().unwrap_or("").split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}
