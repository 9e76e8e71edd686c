//! The emulator's records: pools, app clients, groups, and the short-lived state of sign-ins
//! (pending SRP exchanges, challenge sessions, refresh tokens), and [`State`], which holds them
//! all. Users are in `state::user`. Plain data; the rules live in the modules that use them.

use std::collections::{BTreeMap, HashMap};

use cognito_protocol::wire::{
    SchemaAttributeType, UserPoolClientSettings, UserPoolMutableSettings,
};
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};

use crate::state::tracked::TrackedMap;
pub use crate::state::user::{Device, IssuedCode, PasswordRecord, User, UserStatus};

/// An app client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppClient {
    /// 26 lower-case alphanumerics.
    pub id: String,
    /// The name.
    pub name: String,
    /// The secret, when generated.
    pub secret: Option<String>,
    /// Creation (epoch seconds).
    pub created: f64,
    /// Last change (epoch seconds).
    pub modified: f64,
    /// The settings, defaults filled in.
    pub settings: UserPoolClientSettings,
    /// A second active secret added by AddUserPoolClientSecret, for rotation: either secret is
    /// accepted while both exist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_secrets: Vec<ClientSecret>,
}

/// A client secret beside the first one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientSecret {
    /// Its id (ListUserPoolClientSecrets, DeleteUserPoolClientSecret).
    pub id: String,
    /// The secret.
    pub value: String,
    /// Creation (epoch seconds).
    pub created: f64,
}

impl AppClient {
    /// The active secrets: the first, then any added for rotation.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.secret
            .as_deref()
            .into_iter()
            .chain(self.more_secrets.iter().map(|s| s.value.as_str()))
    }

    /// Whether `given` is one of the active secrets (compared in constant time, every secret).
    pub fn secret_matches(&self, given: &str) -> bool {
        use subtle::ConstantTimeEq as _;
        self.secrets()
            .fold(subtle::Choice::from(0), |found, s| {
                found | s.as_bytes().ct_eq(given.as_bytes())
            })
            .into()
    }

    /// The id of the first secret (see [`AppClient::secret_id`]).
    pub fn first_secret_id(&self) -> Option<String> {
        self.secret.as_deref().map(|s| self.secret_id(s))
    }

    /// A secret's id: derived from the client and the secret, so it stays the same across
    /// restarts, exports, and when a second secret becomes the first.
    pub fn secret_id(&self, secret: &str) -> String {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(secret.as_bytes());
        format!("{}-{}", self.id, hex::encode(&digest[..8]))
    }
}

/// A group of users.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    /// The name.
    pub name: String,
    /// A description.
    pub description: Option<String>,
    /// An IAM role.
    pub role_arn: Option<String>,
    /// Lower wins for `cognito:preferred_role`.
    pub precedence: Option<i64>,
    /// Creation (epoch seconds).
    pub created: f64,
    /// Last change (epoch seconds).
    pub modified: f64,
}

/// A user pool. Its users are stored as records of their own, so they are not serialized
/// with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pool {
    /// `{region}_{id}`.
    pub id: String,
    /// The name.
    pub name: String,
    /// The ARN.
    pub arn: String,
    /// Creation (epoch seconds).
    pub created: f64,
    /// Last change (epoch seconds).
    pub modified: f64,
    /// Sign-in aliases (`email`, `phone_number`, `preferred_username`).
    pub alias_attributes: Vec<String>,
    /// Username attributes (`email`, `phone_number`).
    pub username_attributes: Vec<String>,
    /// Whether usernames match case-sensitively.
    pub case_sensitive: bool,
    /// The full schema (standard and custom attributes).
    pub schema: Vec<SchemaAttributeType>,
    /// The mutable settings, defaults filled in.
    pub settings: UserPoolMutableSettings,
    /// App clients by id.
    pub clients: BTreeMap<String, AppClient>,
    /// Users by normalised username. Add and remove them with `Pool::insert_user` and
    /// `Pool::remove_user`, and change them through `Pool::user_mut`, which keep `subs` and
    /// `aliases` in step.
    #[serde(skip)]
    pub users: TrackedMap<String, User>,
    /// The key in `users` of each user's `sub`, so lookups by `sub` (every access token)
    /// cost the same at any pool size.
    #[serde(skip)]
    pub subs: HashMap<String, String>,
    /// The users holding each email, phone number and preferred_username, kept in step by
    /// `Pool::insert_user`, `Pool::remove_user` and the `UserMut` handles of `Pool::user_mut`.
    #[serde(skip)]
    pub aliases: crate::state::aliases::Aliases,
    /// Groups by name.
    pub groups: BTreeMap<String, Group>,
    /// The hosted-UI domain prefix, once created.
    pub domain: Option<String>,
    /// The domain's stored settings: managed login version (1 or 2), custom domain
    /// configuration and routing, as CreateUserPoolDomain and UpdateUserPoolDomain gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_settings: Option<cognito_protocol::wire::UserPoolDomainRequest>,
    /// Resource servers (OAuth scopes for client_credentials) by identifier.
    pub resource_servers: BTreeMap<String, cognito_protocol::wire::ResourceServerType>,
    /// External identity providers by name.
    pub identity_providers: BTreeMap<String, cognito_protocol::wire::IdentityProviderType>,
    /// The MFA factors SetUserPoolMfaConfig last set (MfaConfiguration itself is in
    /// `settings`). `None` until it is first called: every factor is then available, as the
    /// emulator always allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_factors: Option<cognito_protocol::wire::UserPoolMfaConfig>,
    /// Settings whose effect needs the cloud (log delivery, risk rules, hosted-UI branding):
    /// validated, stored and returned as Cognito returns them.
    #[serde(default)]
    pub stored: StoredConfig,
    /// External users linked to native ones by AdminLinkProviderForUser: `{provider}|{subject}`
    /// → the native username they sign in as.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provider_links: BTreeMap<String, String>,
    /// The pool's own signing keys (PKCS#1 PEM), made when it first signs: one for id tokens,
    /// one for access tokens, as Cognito's JWKS lists two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_keys: Option<PoolKeyPems>,
}

/// A pool's two private signing keys as PEM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolKeyPems {
    /// Signs id tokens.
    pub id: String,
    /// Signs access tokens.
    pub access: String,
}

/// Configuration the emulator keeps and returns but does not act on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredConfig {
    /// SetUICustomization's answers by client id (`ALL` for the pool's default).
    #[serde(default)]
    pub ui: BTreeMap<String, serde_json::Value>,
    /// SetLogDeliveryConfiguration's log configurations.
    #[serde(default)]
    pub log_configurations: Option<serde_json::Value>,
    /// SetRiskConfiguration's answers by client id (`ALL` for the pool's default).
    #[serde(default)]
    pub risk: BTreeMap<String, serde_json::Value>,
    /// SetUserPoolSessionConfiguration's settings (tracking off, 20 per user, until set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_tracking: Option<SessionTracking>,
    /// SetUserPoolClientSessionConfiguration's SSO session validity (minutes) by client id.
    #[serde(default)]
    pub client_sso_minutes: BTreeMap<String, i64>,
    /// Terms documents (`TermsType`) by terms id.
    #[serde(default)]
    pub terms: BTreeMap<String, serde_json::Value>,
    /// Managed login branding styles by id.
    #[serde(default)]
    pub branding: BTreeMap<String, Branding>,
    /// Replicas in other regions: region → status (`ACTIVE` or `INACTIVE`).
    #[serde(default)]
    pub replicas: BTreeMap<String, String>,
    /// User import jobs by id.
    #[serde(default)]
    pub import_jobs: BTreeMap<String, ImportJob>,
    /// The SAML signing certificate (base64 DER), once GetSigningCertificate made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saml_certificate: Option<String>,
}

/// A user import job (CreateUserImportJob) and the CSV uploaded to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportJob {
    /// `import-…`.
    pub id: String,
    /// `JobName`.
    pub name: String,
    /// `Created`, `Pending`, `Stopped`, `Expired`, `Failed` or `Succeeded`.
    pub status: String,
    /// Epoch seconds.
    pub created: f64,
    /// Its place among the pool's jobs (creation order, also within one instant).
    #[serde(default)]
    pub seq: u64,
    /// When StartUserImportJob was called.
    pub started: Option<f64>,
    /// When it finished, stopped or expired.
    pub completed: Option<f64>,
    /// `CloudWatchLogsRoleArn` (no log is written).
    pub role_arn: String,
    /// `PasswordHashingAlgorithm`, as given.
    pub hashing_algorithm: Option<String>,
    /// Users created.
    pub imported: i64,
    /// Rows not imported because of what they hold.
    pub failed: i64,
    /// Rows not looked at (a job stopped before it ran).
    pub skipped: i64,
    /// `CompletionMessage`.
    pub message: Option<String>,
    /// The secret part of the upload URL.
    pub upload_token: String,
    /// The uploaded CSV.
    pub csv: Option<String>,
}

/// A managed login branding style and the app client it is assigned to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Branding {
    /// The app client.
    pub client_id: String,
    /// The style as DescribeManagedLoginBranding returns it (`ManagedLoginBrandingType`).
    pub style: serde_json::Value,
}

/// Whether a pool tracks token sessions, and how many a user may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTracking {
    /// `UserSessionTracking` is `ENABLED`.
    pub enabled: bool,
    /// `TokenSession.MaxPerUser` (1–100).
    pub max_per_user: i64,
}

impl Default for SessionTracking {
    fn default() -> Self {
        Self {
            enabled: false,
            max_per_user: 20,
        }
    }
}

impl Pool {
    /// An app client of this pool, to change; `ResourceNotFoundException` when there is none.
    pub fn client_mut(&mut self, client_id: &str) -> crate::error::Result<&mut AppClient> {
        self.clients.get_mut(client_id).ok_or_else(|| {
            crate::error::CognitoError::resource_not_found(format!(
                "User pool client {client_id} does not exist."
            ))
        })
    }

    /// Whether the pool lets users use this MFA factor (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`,
    /// `EMAIL_OTP`).
    pub fn allows_mfa(&self, factor: &str) -> bool {
        let Some(f) = &self.mfa_factors else {
            return true;
        };
        match factor {
            "SMS_MFA" => f.sms_mfa_configuration.is_some(),
            "SOFTWARE_TOKEN_MFA" => f
                .software_token_mfa_configuration
                .as_ref()
                .and_then(|c| c.enabled)
                .unwrap_or(false),
            "EMAIL_OTP" => f.email_mfa_configuration.is_some(),
            _ => false,
        }
    }
}

/// A PASSWORD_VERIFIER challenge waiting for its answer. Not `Clone`: its server ephemeral is
/// a secret that exists once.
#[derive(Debug)]
pub struct PendingSrp {
    /// The pool.
    pub pool_id: String,
    /// The client that started it.
    pub client_id: String,
    /// The canonical username; `None` when the user does not exist (the challenge is a decoy
    /// that can only fail, as Cognito does with PreventUserExistenceErrors).
    pub username: Option<String>,
    /// The client's A.
    pub a_pub: BigUint,
    /// The server's ephemeral.
    pub server: cognito_protocol::srp::ServerEphemeral,
    /// The verifier it was made for.
    pub verifier: BigUint,
    /// When it stops being answerable (Unix seconds).
    pub expires_at: i64,
    /// For CUSTOM_AUTH that started with SRP_A: the challenge history so far, handed back to
    /// DefineAuthChallenge once the password is verified.
    pub custom_history: Option<Vec<serde_json::Value>>,
    /// For device authentication (DEVICE_SRP_AUTH): the device key and group key, which take
    /// the places of the username and pool name.
    pub device: Option<(String, String)>,
}

/// A challenge session (`Session`) waiting for the next answer.
#[derive(Debug, Clone)]
pub struct ChallengeSession {
    /// The pool.
    pub pool_id: String,
    /// The client.
    pub client_id: String,
    /// The canonical username.
    pub username: String,
    /// The challenge this session answers.
    pub challenge: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
    /// The code sent for an SMS_MFA challenge.
    pub code: Option<IssuedCode>,
    /// CUSTOM_AUTH: the challenges so far (DefineAuthChallenge's `session`).
    pub custom_history: Vec<serde_json::Value>,
    /// CUSTOM_AUTH: the current challenge's private parameters and metadata.
    pub custom_private: Option<(serde_json::Value, Option<String>)>,
    /// The device the sign-in comes from (`DEVICE_KEY`), carried to the tokens.
    pub device_key: Option<String>,
    /// WEB_AUTHN: the passkey ceremony (`webauthn_rp`'s encoded server state).
    pub webauthn_state: Option<String>,
}

/// An issued refresh token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshRecord {
    /// The pool.
    pub pool_id: String,
    /// The client it belongs to.
    pub client_id: String,
    /// The user's `sub`.
    pub sub: String,
    /// Shared by every token issued from this sign-in.
    pub origin_jti: String,
    /// The sign-in time, kept across refreshes.
    pub auth_time: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// Revoked by RevokeToken or a global sign-out.
    pub revoked: bool,
    /// The device the sign-in came from: refresh must name it, and forgetting it ends the
    /// token.
    pub device_key: Option<String>,
    /// OAuth scopes granted at sign-in (hosted UI), kept by refreshes.
    pub scope: Option<String>,
    /// When refresh token rotation first replaced this token (Unix seconds): it keeps working
    /// for the client's grace period after that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated_at: Option<i64>,
    /// The token session it belongs to (`tkn…`), when the pool tracks sessions: shared by
    /// every token of the sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// When it was issued (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<i64>,
    /// When it was last used to refresh (Unix seconds), for a tracked session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<i64>,
}

/// An access token lives at most a day, and none is issued for an origin after its last
/// refresh token expires: a day after that, nothing a revocation mark refuses can still be
/// valid, and an expired refresh token need no longer be told apart from an unknown one.
pub const MAX_ACCESS_SECONDS: i64 = 86_400;

/// Everything the emulator holds.
#[derive(Debug, Default)]
pub struct State {
    /// Pools by id.
    pub pools: TrackedMap<String, Pool>,
    /// Pending SRP exchanges by secret-block id.
    pub srp_pending: HashMap<[u8; 32], PendingSrp>,
    /// Challenge sessions by session string.
    pub sessions: HashMap<String, ChallengeSession>,
    /// When each pending SRP exchange expires, soonest first.
    pub srp_expiry: crate::state::expiry::Expiry<[u8; 32]>,
    /// When each challenge session expires, soonest first.
    pub session_expiry: crate::state::expiry::Expiry<String>,
    /// Refresh tokens by token string.
    pub refresh_tokens: TrackedMap<String, RefreshRecord>,
    /// `origin_jti`s whose access tokens are revoked.
    pub revoked_origins: TrackedMap<String, ()>,
    /// Sign-in history (AdminListUserAuthEvents) by `{pool id}/{sub}`, newest last.
    pub auth_events: TrackedMap<String, Vec<serde_json::Value>>,
    /// When each refresh token may be forgotten: a day after it expires (until then it is
    /// refused as expired rather than unknown).
    pub refresh_expiry: crate::state::expiry::Expiry<String>,
    /// When each revocation mark may be forgotten: once no access token of its origin can
    /// still be valid.
    pub revoked_expiry: crate::state::expiry::Expiry<String>,
    /// Wrong passwords by (pool, username): count and locked-until (Unix seconds).
    pub sign_in_failures: HashMap<(String, String), (u32, i64)>,
    /// Wrong codes by (pool, username): count and time of the last (Unix seconds).
    pub code_failures: HashMap<(String, String), (u32, i64)>,
    /// Identity pools, identities and the credentials issued to them.
    pub identity: super::identity::IdentityState,
    /// App client id → the id of its pool, so every request naming a client finds its pool
    /// without looking through all pools. `State::pool_of_client` checks each answer.
    pub client_pools: HashMap<String, String>,
    /// Hosted-UI domains → pool id.
    pub domains: HashMap<String, String>,
    /// OAuth authorization codes and hosted-UI sign-ins waiting for MFA.
    pub oauth: super::oauth::OAuthState,
}
