//! MFA: software tokens (TOTP) and MFA preferences.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::Sensitive;

/// AssociateSoftwareToken input: the signed-in user's access token, or the session of an
/// MFA_SETUP challenge.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    /// The user's access token.
    pub access_token: Option<Sensitive<String>>,
    /// The MFA_SETUP challenge's session.
    pub session: Option<Sensitive<String>>,
}

/// AssociateSoftwareToken output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenResponse {
    /// The TOTP secret, base32.
    pub secret_code: Option<Sensitive<String>>,
    /// The session to continue MFA_SETUP with.
    pub session: Option<Sensitive<String>>,
}

/// VerifySoftwareToken input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    /// The user's access token.
    pub access_token: Option<Sensitive<String>>,
    /// The MFA_SETUP challenge's session.
    pub session: Option<Sensitive<String>>,
    /// The six-digit code from the authenticator.
    pub user_code: String,
    /// A name for the authenticator.
    pub friendly_device_name: Option<String>,
}

/// VerifySoftwareToken output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenResponse {
    /// `SUCCESS` or `ERROR`.
    pub status: Option<String>,
    /// The session to answer MFA_SETUP with.
    pub session: Option<Sensitive<String>>,
}

/// One factor's settings.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettingsType {
    /// Whether the factor is enabled.
    pub enabled: Option<bool>,
    /// Whether it is the preferred one.
    pub preferred_mfa: Option<bool>,
}

/// A user's passkey-MFA setting (`WebAuthnMfaSettings`): no preference, passkey MFA applies only
/// when a passkey is the first factor.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnMfaSettingsType {
    /// Whether a passkey with user verification satisfies MFA for the user.
    pub enabled: Option<bool>,
}

/// SetUserMFAPreference input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    /// SMS.
    #[serde(rename = "SMSMfaSettings")]
    pub sms_mfa_settings: Option<MfaSettingsType>,
    /// Software token (TOTP).
    pub software_token_mfa_settings: Option<MfaSettingsType>,
    /// Email one-time codes (EMAIL_OTP).
    pub email_mfa_settings: Option<MfaSettingsType>,
    /// Passkeys as MFA.
    pub web_authn_mfa_settings: Option<WebAuthnMfaSettingsType>,
    /// The user's access token.
    pub access_token: Sensitive<String>,
}

/// AdminSetUserMFAPreference input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserMfaPreferenceRequest {
    /// SMS.
    #[serde(rename = "SMSMfaSettings")]
    pub sms_mfa_settings: Option<MfaSettingsType>,
    /// Software token (TOTP).
    pub software_token_mfa_settings: Option<MfaSettingsType>,
    /// Email one-time codes (EMAIL_OTP).
    pub email_mfa_settings: Option<MfaSettingsType>,
    /// Passkeys as MFA.
    pub web_authn_mfa_settings: Option<WebAuthnMfaSettingsType>,
    /// The username.
    pub username: String,
    /// The pool id.
    pub user_pool_id: String,
}

/// SetUserSettings input (legacy SMS MFA): `[{"DeliveryMedium": "SMS", "AttributeName":
/// "phone_number"}]` enables SMS MFA, an empty list disables it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserSettingsRequest {
    /// The user's access token.
    pub access_token: Sensitive<String>,
    /// The MFA options.
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Vec<super::MfaOptionType>,
}

/// AdminSetUserSettings input (legacy SMS MFA).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserSettingsRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The username.
    pub username: String,
    /// The MFA options.
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Vec<super::MfaOptionType>,
}
