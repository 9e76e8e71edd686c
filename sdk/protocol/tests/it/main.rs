//! The protocol crate against other implementations: SRP known answers from amazon-cognito-identity-js, SigV4 vectors from the AWS test suite.
//!
//! One test binary per crate: each module below was once a binary of its own; linking them
//! once keeps `cargo test` fast and `target/` small.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sigv4_vectors;
mod srp_vectors;
