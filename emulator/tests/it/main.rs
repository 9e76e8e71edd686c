//! The emulator through its HTTP surface, in-process and as a binary.
//!
//! One test binary per crate: each module below was once a binary of its own; linking them
//! once keeps `cargo test` fast and `target/` small.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin_users;
mod auth;
mod cli;
mod common;
mod console;
mod control_plane;
mod custom_auth;
mod devices;
mod durable;
mod faults;
mod keys;
mod lifecycle;
mod limits;
mod mfa;
mod pools_and_clients;
mod protocol;
mod rotation;
mod server;
mod tokens;
mod triggers;
mod user_auth;
mod users;
