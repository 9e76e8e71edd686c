//! Authentication: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
//! AdminRespondToAuthChallenge, GlobalSignOut, RevokeToken.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::{AuthenticationResultType, Sensitive, SensitiveMap, StringMap};

/// InitiateAuth input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    /// `USER_SRP_AUTH`, `USER_PASSWORD_AUTH`, `REFRESH_TOKEN_AUTH` …
    pub auth_flow: String,
    /// `USERNAME`, `SRP_A`, `PASSWORD`, `REFRESH_TOKEN`, `SECRET_HASH`, `DEVICE_KEY` …
    #[serde(default, deserialize_with = "super::types::lenient::sensitive_map")]
    pub auth_parameters: Option<SensitiveMap>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
    /// The app client id.
    pub client_id: String,
    /// Pinpoint analytics.
    pub analytics_metadata: Option<Value>,
    /// Advanced security context.
    pub user_context_data: Option<Value>,
    /// A session from SignUp / ConfirmSignUp (choice-based auth).
    pub session: Option<Sensitive<String>>,
}

/// AdminInitiateAuth input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminInitiateAuthRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// `ADMIN_USER_PASSWORD_AUTH`, `USER_SRP_AUTH`, `REFRESH_TOKEN_AUTH` …
    pub auth_flow: String,
    /// The flow's parameters.
    #[serde(default, deserialize_with = "super::types::lenient::sensitive_map")]
    pub auth_parameters: Option<SensitiveMap>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
    /// Pinpoint analytics.
    pub analytics_metadata: Option<Value>,
    /// Advanced security context.
    pub context_data: Option<Value>,
    /// A session (choice-based auth).
    pub session: Option<Sensitive<String>>,
}

/// The answer to InitiateAuth and RespondToAuthChallenge (and their Admin forms): either a
/// challenge to answer or the tokens.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    /// The next challenge, if any.
    pub challenge_name: Option<String>,
    /// The session to send back with the answer.
    pub session: Option<Sensitive<String>>,
    /// The challenge's parameters (`SALT`, `SRP_B`, `SECRET_BLOCK` …); Cognito always sends
    /// this member, empty when there is no challenge.
    pub challenge_parameters: Option<StringMap>,
    /// The tokens, when signed in.
    pub authentication_result: Option<AuthenticationResultType>,
    /// Choice-based auth: the challenges on offer.
    pub available_challenges: Option<Vec<String>>,
}

/// RespondToAuthChallenge input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    /// The app client id.
    pub client_id: String,
    /// The challenge being answered.
    pub challenge_name: String,
    /// The session from the challenge.
    pub session: Option<Sensitive<String>>,
    /// The answers (`USERNAME`, `PASSWORD_CLAIM_SIGNATURE`, `NEW_PASSWORD` …).
    #[serde(default, deserialize_with = "super::types::lenient::sensitive_map")]
    pub challenge_responses: Option<SensitiveMap>,
    /// Pinpoint analytics.
    pub analytics_metadata: Option<Value>,
    /// Advanced security context.
    pub user_context_data: Option<Value>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// AdminRespondToAuthChallenge input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRespondToAuthChallengeRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The challenge being answered.
    pub challenge_name: String,
    /// The answers.
    #[serde(default, deserialize_with = "super::types::lenient::sensitive_map")]
    pub challenge_responses: Option<SensitiveMap>,
    /// The session from the challenge.
    pub session: Option<Sensitive<String>>,
    /// Pinpoint analytics.
    pub analytics_metadata: Option<Value>,
    /// Advanced security context.
    pub context_data: Option<Value>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// RevokeToken input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    /// The refresh token to revoke.
    pub token: Sensitive<String>,
    /// The app client the token was issued to.
    pub client_id: String,
    /// The client secret, when the client has one.
    pub client_secret: Option<Sensitive<String>>,
}

/// GetTokensFromRefreshToken input: a refresh token for new tokens (and, with rotation, a new
/// refresh token). A client with a secret sends the secret itself, not a SECRET_HASH.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    /// The refresh token.
    pub refresh_token: Sensitive<String>,
    /// The app client that issued it.
    pub client_id: String,
    /// The client's secret, when it has one.
    pub client_secret: Option<Sensitive<String>>,
    /// The remembered device the tokens are bound to.
    pub device_key: Option<String>,
    /// Passed to the PreTokenGeneration trigger.
    pub client_metadata: Option<StringMap>,
}

/// GetTokensFromRefreshToken output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenResponse {
    /// The new tokens.
    pub authentication_result: Option<AuthenticationResultType>,
}
