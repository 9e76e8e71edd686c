#![warn(missing_docs)]
//! # cognito-sdk
//!
//! A client SDK for Amazon Cognito User Pools, the Rust equal of amazon-cognito-identity-js:
//! sign-up and confirmation, SRP sign-in with typed next steps, sessions kept in pluggable
//! storage (with amazon-cognito-identity-js's keys), and a refresh that is single-flight, retries
//! what is worth retrying, and never discards tokens because of a network fault or throttling.
//!
//! ```no_run
//! # async fn run() -> Result<(), cognito_sdk::Error> {
//! use cognito_sdk::{AuthenticationDetails, AuthOutcome, CognitoUserPool, SignUp};
//!
//! let pool = CognitoUserPool::builder("us-east-1_ExaMPle12", "1example23456789abcdefghij").build()?;
//! let signed_up = pool.sign_up(SignUp::new("alice", "Passw0rd!").attribute("email", "alice@example.com")).await?;
//! signed_up.user.confirm_registration("123456", false).await?;
//! if let AuthOutcome::SignedIn(_) = signed_up.user.authenticate(AuthenticationDetails::new("alice", "Passw0rd!")).await? {
//!     // Later, anywhere: the stored session, refreshed when it has expired.
//!     let user = pool.current_user().await?.expect("signed in");
//!     let session = user.get_session().await?;
//!     println!("Authorization: {}", session.authorization_header());
//! }
//! # Ok(()) }
//! ```
//!
//! Where things are: [`CognitoUserPool`] (`pool`) signs up and finds the current user;
//! [`CognitoUser`] (`user/`, one module per capability: sign-in, choice-based sign-in, MFA,
//! account, devices; its module doc lists which method is where) does everything a signed-in
//! or signing-in user does; [`CognitoUserSession`] and [`Jwt`] are the tokens; [`storage`] keeps
//! them; [`HostedUi`] is the OAuth client; [`CognitoCredentials`] and [`SigV4Client`] turn a
//! session into AWS credentials and signed requests; [`transport`], [`retry`] and [`clock`] are
//! the seams tests and apps replace; [`Error`] is the one error type.
//!
//! The pure protocol core comes from the `cognito-protocol` crate, which the emulator shares, and
//! is re-exported here: [`srp`] (Cognito's SRP, both sides), [`wire`] (request and response
//! shapes, error codes, `SECRET_HASH`) and [`sigv4`] (request signing).

mod client;
mod credentials;
mod error;
pub mod jwks;
mod oauth;
mod pool;
pub mod retry;
mod session;
mod sigv4_client;
pub mod storage;
mod token;
pub mod transport;
mod user;

pub use cognito_protocol::{clock, sigv4, srp, wire};

pub use credentials::CognitoCredentials;
pub use error::{Cause, Error, Result};
pub use oauth::{AuthorizeRequest, HostedUi};
pub use pool::{CognitoUserPool, CognitoUserPoolBuilder, RandomSource, SignUp, SignUpResult};
pub use session::CognitoUserSession;
pub use sigv4_client::SigV4Client;
pub use token::Jwt;
pub use user::devices::{ConfirmedDevice, Device, DevicePage};
pub use user::mfa::MfaSetting;
pub use user::outcome::{
    AuthFlow, AuthOutcome, AuthenticationDetails, CustomChallenge, FirstFactor, MfaChallenge,
    MfaKind, MfaSetupChallenge, NewPasswordChallenge, SelectChallenge, SelectMfaChallenge,
    WebAuthnChallenge,
};
pub use user::passkeys::WebAuthnCredential;
pub use user::{CognitoUser, RefreshMethod};
