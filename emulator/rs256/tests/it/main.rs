//! RS256 against OpenSSL's known answers.
//!
//! One test binary per crate: each module below was once a binary of its own; linking them
//! once keeps `cargo test` fast and `target/` small.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod openssl_vectors;
