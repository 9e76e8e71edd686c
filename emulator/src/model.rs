//! The emulator's records: pools, app clients, users, and the short-lived state of sign-ins
//! (pending SRP exchanges, challenge sessions, refresh tokens). Plain data; the rules live in
//! the modules that use them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cognito_protocol::wire::{
    SchemaAttributeType, UserPoolClientSettings, UserPoolMutableSettings,
};
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};

use crate::tracked::TrackedMap;

/// A user's status, as Cognito names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Signed up, not confirmed.
    Unconfirmed,
    /// Confirmed.
    Confirmed,
    /// Created by an administrator; must change the temporary password.
    ForceChangePassword,
    /// Must reset the password.
    ResetRequired,
    /// Signed in through an external identity provider (federation).
    ExternalProvider,
}

impl UserStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::ResetRequired => "RESET_REQUIRED",
            Self::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }
}

/// What the emulator keeps instead of a password: an SRP salt and verifier.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRecord {
    /// 16 random bytes.
    #[serde(with = "big_hex")]
    pub salt: BigUint,
    /// v = g^x mod N.
    #[serde(with = "big_hex")]
    pub verifier: BigUint,
    /// For a temporary password: when it stops working (Unix seconds).
    pub temporary_until: Option<i64>,
}

impl std::fmt::Debug for PasswordRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordRecord")
            .field("temporary_until", &self.temporary_until)
            .finish_non_exhaustive()
    }
}

/// A code sent to the user, with its expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    /// Six digits.
    pub code: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A user of a pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    /// The canonical username (`USER_ID_FOR_SRP`); the `sub` when email/phone are username
    /// attributes.
    pub username: String,
    /// The immutable UUID.
    pub sub: String,
    /// Attributes in the order they were set (`sub` first).
    pub attributes: Vec<(String, String)>,
    /// The status.
    pub status: UserStatus,
    /// Disabled users cannot sign in or refresh.
    pub enabled: bool,
    /// Creation (epoch seconds).
    pub created: f64,
    /// Last change (epoch seconds).
    pub modified: f64,
    /// The password verifier, once a password is set.
    pub password: Option<PasswordRecord>,
    /// The pending sign-up confirmation code.
    pub confirmation_code: Option<IssuedCode>,
    /// Pending attribute verification codes, by attribute.
    pub attribute_codes: BTreeMap<String, IssuedCode>,
    /// New values of verified attributes, kept until verified.
    pub pending_attributes: BTreeMap<String, String>,
    /// The pending forgot-password code.
    pub reset_code: Option<IssuedCode>,
    /// The groups the user is in.
    pub groups: BTreeSet<String>,
    /// Multi-factor authentication settings.
    pub mfa: UserMfa,
    /// Tracked devices by device key.
    pub devices: BTreeMap<String, Device>,
}

/// A device the pool tracks for a user: issued in `NewDeviceMetadata`, confirmed with its own
/// SRP salt and verifier (never the device password), and possibly remembered.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// `{region}_{uuid}`.
    pub key: String,
    /// The group key, the SRP realm of device authentication.
    pub group_key: String,
    /// The name given at ConfirmDevice.
    pub name: Option<String>,
    /// Salt and verifier, once confirmed.
    #[serde(with = "big_hex::pair")]
    pub verifier: Option<(BigUint, BigUint)>,
    /// Remembered (`Some(true)`), not remembered (`Some(false)`), or not yet decided.
    pub remembered: Option<bool>,
    /// Creation (epoch seconds).
    pub created: f64,
    /// Last change (epoch seconds).
    pub modified: f64,
    /// Last sign-in from the device (epoch seconds).
    pub last_authenticated: f64,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("key", &self.key)
            .field("name", &self.name)
            .field("confirmed", &self.verifier.is_some())
            .field("remembered", &self.remembered)
            .finish_non_exhaustive()
    }
}

/// A user's MFA state.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMfa {
    /// A TOTP secret being set up (AssociateSoftwareToken, not yet verified).
    #[serde(with = "bytes_hex")]
    pub pending_totp: Option<Vec<u8>>,
    /// The verified TOTP secret.
    #[serde(with = "bytes_hex")]
    pub totp_secret: Option<Vec<u8>>,
    /// Software-token MFA is enabled.
    pub totp_enabled: bool,
    /// SMS MFA is enabled.
    pub sms_enabled: bool,
    /// Email MFA (EMAIL_OTP) is enabled.
    pub email_enabled: bool,
    /// `SOFTWARE_TOKEN_MFA`, `SMS_MFA` or `EMAIL_OTP`.
    pub preferred: Option<String>,
}

impl std::fmt::Debug for UserMfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserMfa")
            .field("totp_enabled", &self.totp_enabled)
            .field("sms_enabled", &self.sms_enabled)
            .field("email_enabled", &self.email_enabled)
            .field("preferred", &self.preferred)
            .finish_non_exhaustive()
    }
}

impl UserMfa {
    /// The factors enabled, in Cognito's order.
    pub fn enabled(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.sms_enabled {
            out.push("SMS_MFA");
        }
        if self.totp_enabled && self.totp_secret.is_some() {
            out.push("SOFTWARE_TOKEN_MFA");
        }
        if self.email_enabled {
            out.push("EMAIL_OTP");
        }
        out
    }
}

impl User {
    /// A user with these names, attributes and status, enabled, created and modified at `now`
    /// (epoch seconds), with no password, codes, groups, MFA or devices yet.
    pub fn new(
        username: String,
        sub: String,
        attributes: Vec<(String, String)>,
        status: UserStatus,
        now: f64,
    ) -> Self {
        Self {
            username,
            sub,
            attributes,
            status,
            enabled: true,
            created: now,
            modified: now,
            password: None,
            confirmation_code: None,
            attribute_codes: Default::default(),
            pending_attributes: Default::default(),
            reset_code: Default::default(),
            groups: Default::default(),
            mfa: Default::default(),
            devices: Default::default(),
        }
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets (or replaces) an attribute.
    pub fn set_attr(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_owned(),
            None => self.attributes.push((name.to_owned(), value.to_owned())),
        }
    }

    /// Whether `<attr>_verified` is `true`.
    pub fn is_verified(&self, attr: &str) -> bool {
        self.attr(&format!("{attr}_verified")) == Some("true")
    }
}

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
    pub aliases: crate::aliases::Aliases,
    /// Groups by name.
    pub groups: BTreeMap<String, Group>,
    /// The hosted-UI domain prefix, once created.
    pub domain: Option<String>,
    /// Resource servers (OAuth scopes for client_credentials) by identifier.
    pub resource_servers: BTreeMap<String, cognito_protocol::wire::ResourceServerType>,
    /// External identity providers by name.
    pub identity_providers: BTreeMap<String, cognito_protocol::wire::IdentityProviderType>,
}

/// A PASSWORD_VERIFIER challenge waiting for its answer.
#[derive(Debug, Clone)]
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
}

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
    pub srp_expiry: crate::expiry::Expiry<[u8; 32]>,
    /// When each challenge session expires, soonest first.
    pub session_expiry: crate::expiry::Expiry<String>,
    /// Refresh tokens by token string.
    pub refresh_tokens: TrackedMap<String, RefreshRecord>,
    /// `origin_jti`s whose access tokens are revoked.
    pub revoked_origins: TrackedMap<String, ()>,
    /// Wrong passwords by (pool, username): count and locked-until (Unix seconds).
    pub sign_in_failures: HashMap<(String, String), (u32, i64)>,
    /// Wrong codes by (pool, username): count and time of the last (Unix seconds).
    pub code_failures: HashMap<(String, String), (u32, i64)>,
    /// Identity pools, identities and the credentials issued to them.
    pub identity: crate::identity::IdentityState,
    /// App client id → the id of its pool, so every request naming a client finds its pool
    /// without looking through all pools. `State::pool_of_client` checks each answer.
    pub client_pools: HashMap<String, String>,
    /// Hosted-UI domains → pool id.
    pub domains: HashMap<String, String>,
    /// OAuth authorization codes and hosted-UI sign-ins waiting for MFA.
    pub oauth: crate::oauth::OAuthState,
}

/// Big numbers as lower-case hex strings.
mod big_hex {
    use num_bigint::BigUint;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &BigUint, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&n.to_str_radix(16))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BigUint, D::Error> {
        let text = String::deserialize(d)?;
        BigUint::parse_bytes(text.as_bytes(), 16)
            .ok_or_else(|| serde::de::Error::custom("expected a hex number"))
    }

    /// An optional (salt, verifier) pair.
    pub mod pair {
        use super::*;
        use serde::Serialize;

        pub fn serialize<S: Serializer>(
            pair: &Option<(BigUint, BigUint)>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            pair.as_ref()
                .map(|(a, b)| [a.to_str_radix(16), b.to_str_radix(16)])
                .serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<(BigUint, BigUint)>, D::Error> {
            let Some([a, b]) = Option::<[String; 2]>::deserialize(d)? else {
                return Ok(None);
            };
            let parse = |t: &str| {
                BigUint::parse_bytes(t.as_bytes(), 16)
                    .ok_or_else(|| serde::de::Error::custom("expected a hex number"))
            };
            Ok(Some((parse(&a)?, parse(&b)?)))
        }
    }
}

/// Optional byte strings as hex.
mod bytes_hex {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        bytes.as_ref().map(hex::encode).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| hex::decode(t).map_err(serde::de::Error::custom))
            .transpose()
    }
}
