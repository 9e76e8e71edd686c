//! The HTTP surface: everything that speaks HTTP, and nothing that knows Cognito's rules.
//!
//! - [`listener`]: the accept loop (connections, resets on request).
//! - [`router`]: the routes, the API entry point (`POST /`) and its pipeline run.
//! - [`request`]: request bodies into typed operation inputs, with Cognito's errors.
//! - [`control`], [`state_routes`], [`console`]: the control plane (`/_emulator/*`).
//! - [`guard`]: the control plane's boundary (no CORS, JSON only, Host allow-list, admin
//!   token) and the API's CORS.
//! - [`import_upload`]: where user import jobs' pre-signed URLs point (the CSV upload).
//! - [`sigv4_check`]: the SigV4 echo endpoint identity-pool credentials are tested against.
//! - [`client`]: outgoing HTTP (trigger webhooks, the `health` command).
//!
//! Below: `pipeline`, `ops`, `identity`, `oauth`, `state`.

pub mod api;
pub mod client;
pub mod console;
pub mod control;
pub mod guard;
pub mod import_upload;
pub mod listener;
pub mod request;
pub mod router;
pub mod sigv4_check;
pub mod state_routes;
