//! User accounts: the rules that sign-up, the Admin* operations, the sign-in flows and the
//! hosted UI share about a user, apart from how they sign in. Each module owns one concern:
//!
//! - [`users`]: creating users and delivering their codes.
//! - [`attributes`]: the attribute schema and the checks on supplied attributes.
//! - [`lifecycle`]: attribute updates, deletion, password-reset state.
//! - [`password`]: the pool's policy and the salt-and-verifier record kept instead of a password.
//! - [`limits`]: lock-outs after wrong passwords and codes.
//! - [`totp`]: software-token codes.
//! - [`filter`]: ListUsers' `Filter`.
//!
//! Below: `state` (records, store). Above: `signin`, `ops`, `oauth`, `seed`.

pub mod attributes;
pub mod filter;
pub mod import;
pub mod lifecycle;
pub mod limits;
pub mod password;
pub mod totp;
pub mod users;
