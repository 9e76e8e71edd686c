//! Users: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminCreateUser, AdminSetUserPassword,
//! AdminConfirmSignUp, AdminGetUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser,
//! ListUsers, GetUser.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::{
    AttributeType, CodeDeliveryDetailsType, MfaOptionType, Sensitive, StringMap, UserType,
};

/// SignUp input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    /// The app client id.
    pub client_id: String,
    /// `SECRET_HASH` when the client has a secret.
    pub secret_hash: Option<Sensitive<String>>,
    /// The username (or email / phone when they are username attributes).
    pub username: String,
    /// The password.
    pub password: Option<Sensitive<String>>,
    /// Attributes.
    pub user_attributes: Option<Vec<AttributeType>>,
    /// Data for the pre sign-up trigger.
    pub validation_data: Option<Vec<AttributeType>>,
    /// Pinpoint analytics.
    pub analytics_metadata: Option<Value>,
    /// Advanced security context.
    pub user_context_data: Option<Value>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// SignUp output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpResponse {
    /// Whether the user is already confirmed (e.g. by a trigger).
    pub user_confirmed: bool,
    /// Where the confirmation code went.
    pub code_delivery_details: Option<CodeDeliveryDetailsType>,
    /// The new user's `sub`.
    pub user_sub: String,
    /// A session for sign-in after confirmation (choice-based auth).
    pub session: Option<Sensitive<String>>,
}

/// ConfirmSignUp input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    /// The app client id.
    pub client_id: String,
    /// `SECRET_HASH` when the client has a secret.
    pub secret_hash: Option<Sensitive<String>>,
    /// The username.
    pub username: String,
    /// The code that was delivered.
    pub confirmation_code: String,
    /// Move an alias held by another user to this one.
    pub force_alias_creation: Option<bool>,
    /// Pinpoint analytics.
    pub analytics_metadata: Option<Value>,
    /// Advanced security context.
    pub user_context_data: Option<Value>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
    /// The session from SignUp.
    pub session: Option<Sensitive<String>>,
}

/// ConfirmSignUp output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpResponse {
    /// A session for sign-in (choice-based auth).
    pub session: Option<Sensitive<String>>,
}

/// ResendConfirmationCode input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeRequest {
    /// The app client id.
    pub client_id: String,
    /// `SECRET_HASH` when the client has a secret.
    pub secret_hash: Option<Sensitive<String>>,
    /// The username.
    pub username: String,
    /// Advanced security context.
    pub user_context_data: Option<Value>,
    /// Pinpoint analytics.
    pub analytics_metadata: Option<Value>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// Output carrying code delivery details.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryResponse {
    /// Where the code went.
    pub code_delivery_details: Option<CodeDeliveryDetailsType>,
}

/// AdminCreateUser input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The username.
    pub username: String,
    /// Attributes.
    pub user_attributes: Option<Vec<AttributeType>>,
    /// Data for the pre sign-up trigger.
    pub validation_data: Option<Vec<AttributeType>>,
    /// The temporary password (generated when absent).
    pub temporary_password: Option<Sensitive<String>>,
    /// Move an alias held by another user to this one.
    pub force_alias_creation: Option<bool>,
    /// `RESEND` or `SUPPRESS`.
    pub message_action: Option<String>,
    /// `EMAIL` and/or `SMS`.
    pub desired_delivery_mediums: Option<Vec<String>>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// AdminCreateUser output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserResponse {
    /// The new user.
    pub user: Option<UserType>,
}

/// AdminSetUserPassword input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPasswordRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The username (or an alias).
    pub username: String,
    /// The new password.
    pub password: Sensitive<String>,
    /// Permanent (CONFIRMED) or temporary (FORCE_CHANGE_PASSWORD).
    pub permanent: Option<bool>,
}

/// Input naming one user of a pool (AdminGetUser, AdminDeleteUser, AdminDisableUser,
/// AdminEnableUser, AdminConfirmSignUp, AdminUserGlobalSignOut).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The username (or an alias).
    pub username: String,
    /// Data for triggers (AdminConfirmSignUp).
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// AdminGetUser output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserResponse {
    /// The canonical username.
    pub username: String,
    /// The attributes.
    pub user_attributes: Option<Vec<AttributeType>>,
    /// Creation (epoch seconds).
    pub user_create_date: Option<f64>,
    /// Last change (epoch seconds).
    pub user_last_modified_date: Option<f64>,
    /// Whether the user may sign in.
    pub enabled: Option<bool>,
    /// The status.
    pub user_status: Option<String>,
    /// Legacy MFA options.
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Option<Vec<MfaOptionType>>,
    /// Preferred MFA.
    pub preferred_mfa_setting: Option<String>,
    /// Enabled MFA methods.
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}

/// ListUsers input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// Attributes to return (all when absent).
    pub attributes_to_get: Option<Vec<String>>,
    /// Page size (1–60).
    pub limit: Option<i64>,
    /// The token of the previous page.
    pub pagination_token: Option<String>,
    /// `name = "value"` or `name ^= "prefix"`.
    pub filter: Option<String>,
}

/// ListUsers output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersResponse {
    /// This page.
    pub users: Vec<UserType>,
    /// The next page's token.
    pub pagination_token: Option<String>,
}

/// Input carrying the user's access token (GetUser, GlobalSignOut).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    /// The access token.
    pub access_token: Sensitive<String>,
}

/// GetUser output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    /// The canonical username.
    pub username: String,
    /// The attributes.
    pub user_attributes: Vec<AttributeType>,
    /// Legacy MFA options.
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Option<Vec<MfaOptionType>>,
    /// Preferred MFA.
    pub preferred_mfa_setting: Option<String>,
    /// Enabled MFA methods.
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}

/// GetUserAuthFactors and AdminGetUserAuthFactors output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAuthFactorsResponse {
    /// The canonical username.
    pub username: String,
    /// Preferred MFA.
    pub preferred_mfa_setting: Option<String>,
    /// Enabled MFA methods.
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Option<Vec<String>>,
    /// What the user can sign in with through USER_AUTH: `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`,
    /// `WEB_AUTHN` (first factors or MFA), `SOFTWARE_TOKEN` (MFA only).
    pub configured_user_auth_factors: Option<Vec<String>>,
}
