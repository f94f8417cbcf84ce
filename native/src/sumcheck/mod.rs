//! The sumcheck proof system (issue 27; the plan is docs/design/sumcheck.md): a keccak256 Fiat-Shamir transcript,
//! dense multilinear extensions, the sumcheck protocol for products of multilinear factors, the dense layer's
//! matrix-vector sumcheck and the Hyrax (Pedersen rows) commitment. Not yet zero knowledge.

pub mod error;
pub mod fold;
pub mod mle;
pub mod sumcheck;
pub mod transcript;
pub mod dense;
pub mod hyrax;
