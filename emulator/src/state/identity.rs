//! Identity-pool records: pools, identities and the credentials handed out to them. The rules
//! (checking logins, issuing credentials) live in `crate::identity`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cognito_protocol::wire::IdentityPoolSettings;
use serde_json::Value;

/// An identity pool.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IdentityPoolRecord {
    /// `{region}:{uuid}`.
    pub id: String,
    /// Its settings as created or updated.
    pub settings: IdentityPoolSettings,
    /// `authenticated` / `unauthenticated` role ARNs.
    pub roles: BTreeMap<String, String>,
    /// Role mappings, kept as given.
    pub role_mappings: Option<Value>,
    /// SetPrincipalTagAttributeMap's settings by identity provider name.
    #[serde(default)]
    pub principal_tags: BTreeMap<String, PrincipalTagMap>,
}

/// How an identity provider's claims become principal tags.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PrincipalTagMap {
    /// `UseDefaults`.
    pub use_defaults: bool,
    /// Tag key → claim name.
    pub tags: BTreeMap<String, String>,
}

/// An identity: its pool and the logins linked to it (`provider|subject`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    /// The pool.
    pub pool_id: String,
    /// Linked logins.
    pub logins: BTreeSet<String>,
    /// When GetId created it (epoch seconds; 0 for identities kept before this was recorded).
    #[serde(default)]
    pub created: f64,
    /// When a login was last linked or unlinked (epoch seconds).
    #[serde(default)]
    pub modified: f64,
}

/// Credentials the emulator handed out.
#[derive(Clone)]
pub struct IssuedCredentials {
    /// The secret key.
    pub secret: String,
    /// The session token.
    pub session_token: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// The identity they were issued to.
    pub identity_id: String,
    /// The role they stand for.
    pub role_arn: String,
}

impl std::fmt::Debug for IssuedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredentials")
            .field("identity_id", &self.identity_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Everything identity pools hold.
#[derive(Debug, Default)]
pub struct IdentityState {
    /// Pools by id.
    pub pools: super::tracked::TrackedMap<String, IdentityPoolRecord>,
    /// Identities by id.
    pub identities: super::tracked::TrackedMap<String, Identity>,
    /// (pool, `provider|subject`) → identity id.
    pub by_login: HashMap<(String, String), String>,
    /// Issued credentials by access key id.
    pub credentials: HashMap<String, IssuedCredentials>,
    /// When each issued credential is forgotten (an hour after it expires, so that a request
    /// signed with it is refused as expired rather than unknown).
    pub credential_expiry: super::expiry::Expiry<String>,
    /// Accepted public-provider tokens: (provider, token) → subject.
    pub external_tokens: HashMap<(String, String), String>,
}
