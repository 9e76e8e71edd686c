//! A user of a pool and what belongs to them alone: status, the password record (salt and
//! verifier, never the password), codes, MFA settings and remembered devices. Plain data.

use std::collections::{BTreeMap, BTreeSet};

use num_bigint::BigUint;
use serde::{Deserialize, Serialize};

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
    /// Registered passkeys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webauthn: Vec<PasskeyRecord>,
    /// A passkey registration in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webauthn_pending: Option<Box<PasskeyCeremony>>,
}

/// A registered passkey (see `signin::webauthn`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasskeyRecord {
    /// The credential id (base64url).
    pub id: String,
    /// The RP id it was registered for.
    pub relying_party_id: String,
    /// What the authenticator said about itself: `platform` or `cross-platform`.
    pub attachment: Option<String>,
    /// Transports the client reported (`internal`, `usb`, `hybrid` …).
    pub transports: Vec<String>,
    /// The public key and extension state (`webauthn_rp`'s encoding, base64url).
    pub static_state: String,
    /// Sign count and flags (`webauthn_rp`'s encoding, base64url).
    pub dynamic_state: String,
    /// `AuthTransports` as `webauthn_rp` encodes them.
    pub transports_bits: u8,
    /// When it was registered (epoch seconds).
    pub created: f64,
}

/// A passkey ceremony in progress for a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyCeremony {
    /// The app client that started it.
    pub client_id: String,
    /// `webauthn_rp`'s server state, encoded (base64url).
    pub state: String,
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
    /// Passkey MFA (`WebAuthnMfaSettings`): a passkey sign-in with user verification satisfies
    /// MFA, where the pool's `FactorConfiguration` allows it.
    #[serde(default)]
    pub webauthn_enabled: bool,
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
            webauthn: Vec::new(),
            webauthn_pending: None,
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
