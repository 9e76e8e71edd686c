#![warn(missing_docs)]
//! # cognito-protocol
//!
//! What the Cognito SDK and the Cognito emulator both speak, without an HTTP client: the two
//! halves of the workspace depend on this crate, and neither on the other.
//!
//! - [`wire`]: AWS JSON 1.1 request and response shapes, error codes, `SECRET_HASH`.
//! - [`srp`]: Cognito's SRP-6a variant, client and server side, with device verifiers.
//! - [`modexp`]: the modular exponentiation under SRP (an AVX-512 IFMA backend and a portable
//!   one, chosen at run time), including the fixed-base tables the server side uses.
//! - [`sigv4`]: Signature Version 4 through the official `aws-sigv4` crate.
//! - [`clock`]: the clock the SDK reads, which the emulator's clock implements too.
//!
//! The SDK re-exports `wire`, `srp` and `sigv4` as `cognito_sdk::{wire, srp, sigv4, clock}`.

pub mod clock;
mod group;
pub mod modexp;
pub mod sigv4;
pub mod srp;
pub mod wire;
