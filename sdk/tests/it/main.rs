//! The SDK end to end against the in-process emulator.
//!
//! One test binary per crate: each module below was once a binary of its own; linking them
//! once keeps `cargo test` fast and `target/` small.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod account;
mod common;
mod devices;
mod e2e;
mod faults;
mod harness;
mod identity;
mod oauth;
mod passkeys;
mod rotation;
mod transport;
mod vector_flows;
