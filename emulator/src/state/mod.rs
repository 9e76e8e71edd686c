//! The state layer: the records the emulator holds and how they are kept. It knows nothing of
//! requests, operations or sign-in flows, and imports none of the modules above it.
//!
//! - [`records`]: pools, app clients, users, groups, devices, refresh tokens, sign-ins in flight,
//!   identity pools and hosted-UI logins: plain data.
//! - [`store`]: the state behind one lock, with the lookups every handler needs.
//! - [`tracked`]: maps that remember what changed, for durable mode.
//! - [`durable`]: SQLite persistence (`serve --data DIR`), export and import.
//! - [`expiry`]: queues that drop expired exchanges and sessions without scans.
//! - [`aliases`]: the index of emails, phone numbers and preferred usernames.
//!
//! Below: the protocol crate's wire shapes, `error`.

pub mod aliases;
pub mod durable;
pub mod expiry;
pub mod identity;
pub mod oauth;
pub mod records;
pub mod store;
pub mod tracked;
pub mod user;
