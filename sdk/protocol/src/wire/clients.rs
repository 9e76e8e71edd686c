//! App clients: CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
//! UpdateUserPoolClient, DeleteUserPoolClient.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::{Sensitive, TokenValidityUnitsType};

/// The settings of an app client that UpdateUserPoolClient may change (absent members go back
/// to their defaults, as in Cognito).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientSettings {
    /// Refresh token validity, in `TokenValidityUnits.RefreshToken` (default 30 days).
    pub refresh_token_validity: Option<i64>,
    /// Access token validity (default 60 minutes).
    pub access_token_validity: Option<i64>,
    /// Id token validity (default 60 minutes).
    pub id_token_validity: Option<i64>,
    /// Units of the three validities.
    pub token_validity_units: Option<TokenValidityUnitsType>,
    /// Attributes the client may read.
    pub read_attributes: Option<Vec<String>>,
    /// Attributes the client may write.
    pub write_attributes: Option<Vec<String>>,
    /// `ALLOW_USER_SRP_AUTH`, `ALLOW_USER_PASSWORD_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH` …
    pub explicit_auth_flows: Option<Vec<String>>,
    /// Identity providers (`COGNITO` …).
    pub supported_identity_providers: Option<Vec<String>>,
    /// OAuth callback URLs.
    #[serde(rename = "CallbackURLs")]
    pub callback_urls: Option<Vec<String>>,
    /// OAuth logout URLs.
    #[serde(rename = "LogoutURLs")]
    pub logout_urls: Option<Vec<String>>,
    /// Default redirect URI.
    #[serde(rename = "DefaultRedirectURI")]
    pub default_redirect_uri: Option<String>,
    /// `code`, `implicit`, `client_credentials`.
    #[serde(rename = "AllowedOAuthFlows")]
    pub allowed_oauth_flows: Option<Vec<String>>,
    /// OAuth scopes.
    #[serde(rename = "AllowedOAuthScopes")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    /// Whether the OAuth settings apply.
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: Option<bool>,
    /// Pinpoint analytics.
    pub analytics_configuration: Option<Value>,
    /// `ENABLED` or `LEGACY`.
    pub prevent_user_existence_errors: Option<String>,
    /// Whether refresh tokens can be revoked (default true).
    pub enable_token_revocation: Option<bool>,
    /// Propagate additional user context data.
    pub enable_propagate_additional_user_context_data: Option<bool>,
    /// Minutes an auth session (challenge) stays valid (3–15, default 3).
    pub auth_session_validity: Option<i64>,
    /// Refresh token rotation: with `Feature: ENABLED`, every GetTokensFromRefreshToken
    /// returns a new refresh token and the old one works for `RetryGracePeriodSeconds` more.
    pub refresh_token_rotation: Option<RefreshTokenRotationType>,
}

/// An app client's refresh token rotation.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RefreshTokenRotationType {
    /// `ENABLED` or `DISABLED`.
    pub feature: String,
    /// How long (0–60 seconds) a rotated-out refresh token keeps working, for client retries.
    pub retry_grace_period_seconds: Option<i64>,
}

impl RefreshTokenRotationType {
    /// Whether rotation is on.
    pub fn enabled(&self) -> bool {
        self.feature == "ENABLED"
    }
}

/// CreateUserPoolClient input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The client's name.
    pub client_name: String,
    /// Whether to generate a client secret.
    pub generate_secret: Option<bool>,
    /// The settings.
    #[serde(flatten)]
    pub settings: UserPoolClientSettings,
}

/// An app client as Describe/Create/UpdateUserPoolClient show it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientType {
    /// The pool id.
    pub user_pool_id: Option<String>,
    /// The client's name.
    pub client_name: Option<String>,
    /// The client id.
    pub client_id: Option<String>,
    /// The client secret, when generated.
    pub client_secret: Option<Sensitive<String>>,
    /// Last change (epoch seconds).
    pub last_modified_date: Option<f64>,
    /// Creation (epoch seconds).
    pub creation_date: Option<f64>,
    /// The settings.
    #[serde(flatten)]
    pub settings: UserPoolClientSettings,
}

/// Output carrying one app client.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientResponse {
    /// The client.
    pub user_pool_client: Option<UserPoolClientType>,
}

/// Input naming one app client (Describe/DeleteUserPoolClient).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientIdRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The client id.
    pub client_id: String,
}

/// UpdateUserPoolClient input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolClientRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The client id.
    pub client_id: String,
    /// A new name.
    pub client_name: Option<String>,
    /// The new settings; anything absent is reset to its default.
    #[serde(flatten)]
    pub settings: UserPoolClientSettings,
}

/// ListUserPoolClients input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// Page size (1–60).
    pub max_results: Option<i64>,
    /// The token of the previous page.
    pub next_token: Option<String>,
}

/// A client in ListUserPoolClients.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientDescription {
    /// The client id.
    pub client_id: Option<String>,
    /// The pool id.
    pub user_pool_id: Option<String>,
    /// The client's name.
    pub client_name: Option<String>,
}

/// ListUserPoolClients output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsResponse {
    /// This page.
    pub user_pool_clients: Vec<UserPoolClientDescription>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// A client secret as AddUserPoolClientSecret (with its value) and ListUserPoolClientSecrets
/// (without) describe it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientSecretDescriptorType {
    /// Its id.
    pub client_secret_id: Option<String>,
    /// The secret (AddUserPoolClientSecret only).
    pub client_secret_value: Option<Sensitive<String>>,
    /// Creation (epoch seconds).
    pub client_secret_create_date: Option<f64>,
}

/// AddUserPoolClientSecret input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddUserPoolClientSecretRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The client.
    pub client_id: String,
    /// A secret of your own (24–64 word characters); generated when absent.
    pub client_secret: Option<Sensitive<String>>,
}

/// AddUserPoolClientSecret output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddUserPoolClientSecretResponse {
    /// The new secret, with its value.
    pub client_secret_descriptor: ClientSecretDescriptorType,
}

/// ListUserPoolClientSecrets input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientSecretsRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The client.
    pub client_id: String,
    /// Unused: there are at most two secrets.
    pub next_token: Option<String>,
}

/// ListUserPoolClientSecrets output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientSecretsResponse {
    /// The active secrets, without values.
    pub client_secrets: Vec<ClientSecretDescriptorType>,
}

/// DeleteUserPoolClientSecret input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserPoolClientSecretRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The client.
    pub client_id: String,
    /// The secret's id.
    pub client_secret_id: String,
}
