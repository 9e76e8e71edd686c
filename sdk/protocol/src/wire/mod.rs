//! The Cognito User Pools wire protocol (AWS JSON 1.1): request and response shapes, error
//! codes and the `SECRET_HASH`.
//!
//! These are plain serde types with Cognito's PascalCase member names, shared by the SDK (which
//! sends requests and reads responses) and the emulator (which does the reverse). Optional
//! members are skipped when absent, so a serialised request carries exactly what the caller set.
//! Whether the shapes match Cognito is proven by third-party clients (boto3,
//! amazon-cognito-identity-js) talking to the emulator, not by this crate talking to itself.
//!
//! ```
//! use cognito_protocol::wire::{self, InitiateAuthRequest, Sensitive};
//! use std::collections::BTreeMap;
//!
//! let req = InitiateAuthRequest {
//!     auth_flow: "USER_PASSWORD_AUTH".into(),
//!     client_id: "1example23456789abcdefghij".into(),
//!     auth_parameters: Some(Sensitive(BTreeMap::from([
//!         ("USERNAME".to_owned(), "alice".to_owned()),
//!         ("PASSWORD".to_owned(), "Passw0rd!".to_owned()),
//!     ]))),
//!     ..Default::default()
//! };
//! let body = serde_json::to_value(&req).unwrap();
//! assert_eq!(body["AuthFlow"], "USER_PASSWORD_AUTH");
//! assert!(body.get("Session").is_none());
//! assert!(!format!("{req:?}").contains("Passw0rd"));
//! assert_eq!(wire::target("InitiateAuth"), "AWSCognitoIdentityProviderService.InitiateAuth");
//! ```

mod auth;
mod clients;
mod devices;
mod error;
mod identity;
mod lifecycle;
mod mfa;
mod pools;
mod types;
mod users;

pub use auth::*;
pub use clients::*;
pub use devices::*;
pub use error::{ErrorBody, ErrorKind};
pub use identity::*;
pub use lifecycle::*;
pub use mfa::*;
pub use pools::*;
pub use types::*;
pub use users::*;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// `Content-Type` of every request and response.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The `X-Amz-Target` prefix of the user pools service.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService";

/// The `X-Amz-Target` header value for an operation.
pub fn target(operation: &str) -> String {
    format!("{TARGET_PREFIX}.{operation}")
}

/// `SECRET_HASH` = base64(HMAC-SHA256(key = client secret, message = username ‖ client id)).
///
/// ```
/// let hash = cognito_protocol::wire::secret_hash(
///     "exampleclientsecret0123456789abcdefghijklmnopqrstu",
///     "testuser",
///     "1example23456789abcdefghij",
/// );
/// assert_eq!(hash, "6B8efOXeqXVIUyfvF6fadNEo3P5CqrdoquzFKHWiwXs=");
/// ```
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(client_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!());
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}
