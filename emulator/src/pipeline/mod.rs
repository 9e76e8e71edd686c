//! What happens to every API request between the HTTP surface and the operation's handler, in
//! this order: the [`quota`] bucket of its category (over quota: `TooManyRequestsException`),
//! the first matching [`faults`] rule (whose whole meaning, before and after the handler, lives
//! in that module), the handler itself, and the [`journal`] entry that records what was
//! answered. `http::api` runs the steps; the layers never call a handler themselves.
//!
//! Below: `state`, `clock`, the protocol crate. Above: `http`.

pub mod faults;
pub mod journal;
pub mod quota;
