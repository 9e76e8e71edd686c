//! Hosted-UI records: authorization codes waiting to be exchanged and sign-ins waiting for their
//! second factor. The endpoints that make and spend them live in `crate::oauth`.

use std::collections::HashMap;

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub redirect_uri: String,
    pub scope: String,
    /// (challenge, method).
    pub challenge: Option<(String, String)>,
    pub nonce: Option<String>,
    pub expires_at: i64,
}

/// A hosted-UI sign-in in progress: one whose password was right and which now waits for the
/// second factor, or a passkey sign-in waiting for the browser's assertion (`kind` WEB_AUTHN).
#[derive(Debug, Clone)]
pub struct PendingLogin {
    pub request: AuthorizeRequest,
    pub pool_id: String,
    pub username: String,
    pub kind: String,
    pub code: Option<super::user::IssuedCode>,
    /// WEB_AUTHN: the passkey ceremony (`webauthn_rp`'s encoded server state).
    pub webauthn_state: Option<String>,
    pub expires_at: i64,
}

/// What the hosted UI holds between requests.
#[derive(Debug, Default)]
pub struct OAuthState {
    pub codes: HashMap<String, AuthCode>,
    pub pending: HashMap<String, PendingLogin>,
}

/// The OAuth parameters of an authorize request, as given.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuthorizeRequest {
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub response_type: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub code_challenge: Option<String>,
    #[serde(default)]
    pub code_challenge_method: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    /// Skip the sign-in page and federate through this external provider.
    #[serde(default)]
    pub identity_provider: Option<String>,
}
