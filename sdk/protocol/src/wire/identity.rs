//! Cognito Identity (identity pools, `AWSCognitoIdentityService`): the shapes of the
//! operations that turn sign-ins into AWS credentials.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::Sensitive;

/// The `X-Amz-Target` prefix of the identity pools service.
pub const IDENTITY_TARGET_PREFIX: &str = "AWSCognitoIdentityService";

/// A user pool an identity pool accepts id tokens from.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CognitoIdentityProvider {
    /// `cognito-idp.{region}.amazonaws.com/{userPoolId}`.
    pub provider_name: Option<String>,
    /// The app client whose id tokens are accepted.
    pub client_id: Option<String>,
    /// Check with the user pool that the token has not been revoked.
    pub server_side_token_check: Option<bool>,
}

/// An identity pool's settings (CreateIdentityPool's input, and what Describe/Update return).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolSettings {
    /// The name.
    pub identity_pool_name: String,
    /// Whether identities without logins may get credentials.
    pub allow_unauthenticated_identities: bool,
    /// Whether the basic (classic) flow is allowed.
    pub allow_classic_flow: Option<bool>,
    /// Public providers (`graph.facebook.com`, `accounts.google.com`, …) and their app ids.
    pub supported_login_providers: Option<BTreeMap<String, String>>,
    /// The developer provider name.
    pub developer_provider_name: Option<String>,
    /// OpenID Connect provider ARNs.
    #[serde(rename = "OpenIdConnectProviderARNs")]
    pub open_id_connect_provider_arns: Option<Vec<String>>,
    /// User pools.
    pub cognito_identity_providers: Option<Vec<CognitoIdentityProvider>>,
    /// SAML provider ARNs.
    #[serde(rename = "SamlProviderARNs")]
    pub saml_provider_arns: Option<Vec<String>>,
    /// Tags.
    pub identity_pool_tags: Option<BTreeMap<String, String>>,
}

/// An identity pool (CreateIdentityPool and DescribeIdentityPool output).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPool {
    /// `{region}:{uuid}`.
    pub identity_pool_id: String,
    /// The settings.
    #[serde(flatten)]
    pub settings: IdentityPoolSettings,
}

/// An identity pool's id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolIdRequest {
    /// `{region}:{uuid}`.
    pub identity_pool_id: String,
}

/// ListIdentityPools input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolsRequest {
    /// Page size, 1–60.
    pub max_results: i64,
    /// Where the previous page ended.
    pub next_token: Option<String>,
}

/// One identity pool in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolShortDescription {
    /// The id.
    pub identity_pool_id: String,
    /// The name.
    pub identity_pool_name: String,
}

/// ListIdentityPools output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolsResponse {
    /// The pools.
    pub identity_pools: Vec<IdentityPoolShortDescription>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// SetIdentityPoolRoles input and GetIdentityPoolRoles output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolRoles {
    /// The pool.
    pub identity_pool_id: String,
    /// `authenticated` and `unauthenticated` role ARNs.
    pub roles: Option<BTreeMap<String, String>>,
    /// Role mappings by provider (kept, not applied).
    pub role_mappings: Option<serde_json::Value>,
}

/// GetId input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdRequest {
    /// The AWS account.
    pub account_id: Option<String>,
    /// The pool.
    pub identity_pool_id: String,
    /// Provider name → token.
    pub logins: Option<Sensitive<BTreeMap<String, String>>>,
}

/// GetId output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdResponse {
    /// `{region}:{uuid}`.
    pub identity_id: String,
}

/// GetCredentialsForIdentity and GetOpenIdToken input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityLoginsRequest {
    /// The identity.
    pub identity_id: String,
    /// Provider name → token.
    pub logins: Option<Sensitive<BTreeMap<String, String>>>,
    /// A role to assume instead of the pool's (GetCredentialsForIdentity only).
    pub custom_role_arn: Option<String>,
}

/// Temporary AWS credentials as Cognito Identity returns them.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityCredentials {
    /// `ASIA…`.
    pub access_key_id: Option<String>,
    /// The secret key.
    pub secret_key: Option<Sensitive<String>>,
    /// The session token.
    pub session_token: Option<Sensitive<String>>,
    /// Expiry (epoch seconds).
    pub expiration: Option<f64>,
}

/// GetCredentialsForIdentity output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCredentialsForIdentityResponse {
    /// The identity.
    pub identity_id: Option<String>,
    /// The credentials.
    pub credentials: Option<IdentityCredentials>,
}

/// GetOpenIdToken output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOpenIdTokenResponse {
    /// The identity.
    pub identity_id: Option<String>,
    /// An OpenID token for the identity (RS256 JWT).
    pub token: Option<Sensitive<String>>,
}

/// The `X-Amz-Target` header value for an identity pools operation.
pub fn identity_target(operation: &str) -> String {
    format!("{IDENTITY_TARGET_PREFIX}.{operation}")
}

/// An identity as DescribeIdentity and ListIdentities describe it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityDescription {
    /// `{region}:{uuid}`.
    pub identity_id: Option<String>,
    /// The providers of its linked logins (`cognito-idp.{region}.amazonaws.com/{pool}`, …).
    pub logins: Option<Vec<String>>,
    /// Creation (epoch seconds).
    pub creation_date: Option<f64>,
    /// Last change (epoch seconds).
    pub last_modified_date: Option<f64>,
}

/// DescribeIdentity input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityIdRequest {
    /// `{region}:{uuid}`.
    pub identity_id: String,
}

/// ListIdentities input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentitiesRequest {
    /// The pool.
    pub identity_pool_id: String,
    /// Page size, 1–60.
    pub max_results: i64,
    /// Where the previous page ended.
    pub next_token: Option<String>,
    /// Leave out disabled identities (the emulator has none).
    pub hide_disabled: Option<bool>,
}

/// ListIdentities output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentitiesResponse {
    /// The pool.
    pub identity_pool_id: Option<String>,
    /// One page of identities.
    pub identities: Vec<IdentityDescription>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// DeleteIdentities input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteIdentitiesRequest {
    /// 1–60 identity ids.
    pub identity_ids_to_delete: Vec<String>,
}

/// An identity DeleteIdentities could not delete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnprocessedIdentityId {
    /// The id.
    pub identity_id: String,
    /// `AccessDenied` or `InternalServerError`.
    pub error_code: String,
}

/// DeleteIdentities output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteIdentitiesResponse {
    /// What was not deleted.
    pub unprocessed_identity_ids: Vec<UnprocessedIdentityId>,
}

/// UnlinkIdentity input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnlinkIdentityRequest {
    /// The identity.
    pub identity_id: String,
    /// Current tokens of its logins, proving the caller holds them.
    pub logins: Sensitive<BTreeMap<String, String>>,
    /// Provider names whose links to remove.
    pub logins_to_remove: Vec<String>,
}
