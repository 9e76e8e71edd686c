//! # cognito-emulator
//!
//! An Amazon Cognito User Pools emulator that real clients (boto3,
//! amazon-cognito-identity-js, the AWS SDKs) talk to as if it were Cognito: AWS JSON 1.1 on
//! `POST /`, real SRP (the server keeps salts and verifiers, never passwords), RS256 tokens
//! published at the pool's JWKS, and a clock tests control.
//!
//! In a test, start one per test; it binds 127.0.0.1 on an ephemeral port and stops on drop:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use cognito_emulator::{seed, Emulator};
//! use std::time::Duration;
//!
//! let emu = Emulator::start().await;
//! let created = seed::apply(&emu, &seed::demo()).unwrap();
//! assert_eq!(created.pools[0].pool_id, "us-east-1_DemoPool1");
//! emu.clock().advance(Duration::from_secs(3600)); // tokens issued before now look an hour old
//! # }
//! ```
//!
//! Data flow: the [`router`](crate::emulator::EmulatorBuilder::into_router) reads `X-Amz-Target`,
//! finds the operation in the dispatch table (`ops`), parses the body into the operation's
//! input type (shared with the SDK in `cognito_protocol::wire`), and the handler works on the store
//! through the services in its context (clock, outbox, signing key).

mod accounts;
mod clock;
mod ctx;
mod emulator;
mod error;
mod http;
mod identity;
mod ids;
mod oauth;
mod ops;
mod outbox;
mod pipeline;
pub mod seed;
mod signin;
mod state;
mod tokens;
pub mod triggers;

pub use accounts::totp;
#[doc(hidden)]
pub use http::client as http_client;
pub use pipeline::{faults, quota};
pub use state::durable;

pub use clock::EmulatorClock;
pub use ctx::{Issuer, Limits};
pub use emulator::{Emulator, EmulatorBuilder, Handle};
pub use error::CognitoError;
pub use outbox::{Message, MessageKind, Outbox};
pub use pipeline::journal::{ControlEvent, ControlNote, Journal, JournalEntry};
pub use tokens::keys::{Jwk, KeyError, KeyHandle, SigningKey};

/// The operations this emulator implements.
pub fn operations() -> &'static [&'static str] {
    ops::NAMES
}
