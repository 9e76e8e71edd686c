//! Shapes shared by several operations: attributes, code delivery, tokens, policies, users.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `ClientMetadata` / `ValidationData`-style string maps.
pub type StringMap = BTreeMap<String, String>;

/// A user attribute (`{"Name": "email", "Value": "a@example.com"}`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    /// The attribute name (`email`, `custom:team` …).
    pub name: String,
    /// The value; absent means empty.
    pub value: Option<String>,
}

impl AttributeType {
    /// An attribute with a value.
    ///
    /// ```
    /// let a = cognito_protocol::wire::AttributeType::new("email", "a@example.com");
    /// assert_eq!(a.value.as_deref(), Some("a@example.com"));
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// Where a code was sent.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetailsType {
    /// The masked destination (`a***@e***`).
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: Option<String>,
    /// The attribute the code went to (`email`, `phone_number`).
    pub attribute_name: Option<String>,
}

/// Device keys issued when the pool remembers devices.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadataType {
    /// The device key.
    pub device_key: Option<String>,
    /// The device group key.
    pub device_group_key: Option<String>,
}

/// The tokens of a successful sign-in or refresh.
#[skip_serializing_none]
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResultType {
    /// The access token (JWT).
    pub access_token: Option<String>,
    /// Seconds until the access token expires.
    pub expires_in: Option<i64>,
    /// Always `Bearer`.
    pub token_type: Option<String>,
    /// The refresh token (opaque); absent on a refresh that does not rotate it.
    pub refresh_token: Option<String>,
    /// The id token (JWT).
    pub id_token: Option<String>,
    /// Present when the pool tracks devices.
    pub new_device_metadata: Option<NewDeviceMetadataType>,
}

impl std::fmt::Debug for AuthenticationResultType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |t: &Option<String>| t.as_ref().map(|_| "<redacted>");
        f.debug_struct("AuthenticationResultType")
            .field("access_token", &shown(&self.access_token))
            .field("id_token", &shown(&self.id_token))
            .field("refresh_token", &shown(&self.refresh_token))
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .field("new_device_metadata", &self.new_device_metadata)
            .finish()
    }
}

/// A legacy MFA option (`{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaOptionType {
    /// `SMS` or `EMAIL`.
    pub delivery_medium: Option<String>,
    /// The attribute used.
    pub attribute_name: Option<String>,
}

/// A user as `ListUsers` and `AdminCreateUser` return it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserType {
    /// The canonical username.
    pub username: Option<String>,
    /// The attributes.
    pub attributes: Option<Vec<AttributeType>>,
    /// Creation time (epoch seconds).
    pub user_create_date: Option<f64>,
    /// Last change (epoch seconds).
    pub user_last_modified_date: Option<f64>,
    /// Whether the user may sign in.
    pub enabled: Option<bool>,
    /// `UNCONFIRMED`, `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED` …
    pub user_status: Option<String>,
    /// Legacy MFA options.
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Option<Vec<MfaOptionType>>,
}

/// The pool's password rules.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicyType {
    /// Minimum length (6–99).
    pub minimum_length: Option<i64>,
    /// An upper-case letter is required.
    pub require_uppercase: Option<bool>,
    /// A lower-case letter is required.
    pub require_lowercase: Option<bool>,
    /// A digit is required.
    pub require_numbers: Option<bool>,
    /// A symbol is required.
    pub require_symbols: Option<bool>,
    /// Previous passwords that may not be reused.
    pub password_history_size: Option<i64>,
    /// Days a temporary password stays valid.
    pub temporary_password_validity_days: Option<i64>,
}

/// The pool's policies.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolPolicyType {
    /// The password policy.
    pub password_policy: Option<PasswordPolicyType>,
    /// Choice-based sign-in (USER_AUTH): `{"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}`.
    pub sign_in_policy: Option<SignInPolicyType>,
}

/// A pool's sign-in policy.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignInPolicyType {
    /// `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`; Cognito's default is `["PASSWORD"]`.
    pub allowed_first_auth_factors: Option<Vec<String>>,
}

/// Constraints of a string attribute.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StringAttributeConstraintsType {
    /// Minimum length, as a decimal string.
    pub min_length: Option<String>,
    /// Maximum length, as a decimal string.
    pub max_length: Option<String>,
}

/// Constraints of a number attribute.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NumberAttributeConstraintsType {
    /// Minimum value, as a decimal string.
    pub min_value: Option<String>,
    /// Maximum value, as a decimal string.
    pub max_value: Option<String>,
}

/// One attribute of the pool's schema.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttributeType {
    /// The name (custom attributes are created without the `custom:` prefix).
    pub name: Option<String>,
    /// `String`, `Number`, `DateTime` or `Boolean`.
    pub attribute_data_type: Option<String>,
    /// Only administrators may read or write it.
    pub developer_only_attribute: Option<bool>,
    /// May change after sign-up.
    pub mutable: Option<bool>,
    /// Required at sign-up.
    pub required: Option<bool>,
    /// Number constraints.
    pub number_attribute_constraints: Option<NumberAttributeConstraintsType>,
    /// String constraints.
    pub string_attribute_constraints: Option<StringAttributeConstraintsType>,
}

/// Token validity units of an app client.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnitsType {
    /// `seconds`, `minutes`, `hours` or `days` (default hours).
    pub access_token: Option<String>,
    /// As above (default hours).
    pub id_token: Option<String>,
    /// As above (default days).
    pub refresh_token: Option<String>,
}

/// A value that must never appear in logs: serialised as itself, shown as `<redacted>`.
///
/// ```
/// let p = cognito_protocol::wire::Sensitive::from("hunter2");
/// assert_eq!(format!("{p:?}"), "<redacted>");
/// assert_eq!(serde_json::to_string(&p).unwrap(), "\"hunter2\"");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive<T: Wipe>(pub T);

/// What [`Sensitive`] overwrites when it is dropped: a string's bytes, a map's values.
pub trait Wipe {
    /// Overwrites the secret parts with zeros.
    fn wipe(&mut self);
}

impl Wipe for String {
    fn wipe(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

impl Wipe for StringMap {
    fn wipe(&mut self) {
        for value in self.values_mut() {
            zeroize::Zeroize::zeroize(value);
        }
    }
}

impl<T: Wipe> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.wipe();
    }
}

impl<T: Wipe + Default> Sensitive<T> {
    /// The wrapped value, taken out (the caller is now responsible for it).
    pub fn into_inner(mut self) -> T {
        std::mem::take(&mut self.0)
    }
}

impl<T: Wipe> Sensitive<T> {
    /// The wrapped value.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Wipe> std::fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for Sensitive<String> {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for Sensitive<String> {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// A string map whose values may be secret (`AuthParameters`, `ChallengeResponses`):
/// `Debug` shows the keys only.
pub type SensitiveMap = Sensitive<StringMap>;

/// Deserialisers for string maps whose values may be JSON `null`, which Cognito accepts and
/// treats as absent (amazon-cognito-identity-js sends `"DEVICE_KEY": null` on refresh when no
/// device is remembered).
pub(crate) mod lenient {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer};

    use super::{Sensitive, StringMap};

    fn strip(map: Option<BTreeMap<String, Option<String>>>) -> Option<StringMap> {
        map.map(|m| {
            m.into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect()
        })
    }

    pub(crate) fn map<'de, D: Deserializer<'de>>(d: D) -> Result<Option<StringMap>, D::Error> {
        Ok(strip(Option::deserialize(d)?))
    }

    pub(crate) fn sensitive_map<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Sensitive<StringMap>>, D::Error> {
        Ok(strip(Option::deserialize(d)?).map(Sensitive))
    }
}
