//! User pool management: CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool,
//! DeleteUserPool.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::{SchemaAttributeType, UserPoolPolicyType};

/// `AdminCreateUserConfig`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfigType {
    /// Only administrators may create users (SignUp is refused).
    pub allow_admin_create_user_only: Option<bool>,
    /// Legacy: days a temporary password stays valid.
    pub unused_account_validity_days: Option<i64>,
    /// The invitation message templates.
    pub invite_message_template: Option<Value>,
}

/// `UsernameConfiguration`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfigurationType {
    /// Whether usernames (and aliases) are matched case-sensitively.
    pub case_sensitive: Option<bool>,
}

/// The settings UpdateUserPool may change (absent members go back to their defaults, as in
/// Cognito).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolMutableSettings {
    /// Password policy.
    pub policies: Option<UserPoolPolicyType>,
    /// `ACTIVE` or `INACTIVE`.
    pub deletion_protection: Option<String>,
    /// Lambda triggers (stored).
    pub lambda_config: Option<Value>,
    /// `email` and/or `phone_number`.
    pub auto_verified_attributes: Option<Vec<String>>,
    /// Legacy SMS verification message.
    pub sms_verification_message: Option<String>,
    /// Legacy email verification message.
    pub email_verification_message: Option<String>,
    /// Legacy email verification subject.
    pub email_verification_subject: Option<String>,
    /// Verification message templates.
    pub verification_message_template: Option<Value>,
    /// SMS MFA message.
    pub sms_authentication_message: Option<String>,
    /// Attribute update settings.
    pub user_attribute_update_settings: Option<Value>,
    /// `OFF`, `ON` or `OPTIONAL`.
    pub mfa_configuration: Option<String>,
    /// Device tracking; present means the pool tracks devices.
    pub device_configuration: Option<super::DeviceConfigurationType>,
    /// Email sending configuration.
    pub email_configuration: Option<Value>,
    /// SMS sending configuration.
    pub sms_configuration: Option<Value>,
    /// Tags.
    pub user_pool_tags: Option<BTreeMap<String, String>>,
    /// Admin-create-user settings.
    pub admin_create_user_config: Option<AdminCreateUserConfigType>,
    /// Advanced security add-ons.
    pub user_pool_add_ons: Option<Value>,
    /// Account recovery settings.
    pub account_recovery_setting: Option<Value>,
    /// `LITE`, `ESSENTIALS` or `PLUS`.
    pub user_pool_tier: Option<String>,
}

/// CreateUserPool input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    /// The pool's name.
    pub pool_name: String,
    /// Attributes users may sign in with besides the username.
    pub alias_attributes: Option<Vec<String>>,
    /// Attributes that serve as the username (`email`, `phone_number`).
    pub username_attributes: Option<Vec<String>>,
    /// Custom and standard attribute definitions.
    pub schema: Option<Vec<SchemaAttributeType>>,
    /// Username case sensitivity.
    pub username_configuration: Option<UsernameConfigurationType>,
    /// Everything UpdateUserPool can change too.
    #[serde(flatten)]
    pub settings: UserPoolMutableSettings,
}

/// A user pool as DescribeUserPool, CreateUserPool and UpdateUserPool show it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolType {
    /// `{region}_{id}`.
    pub id: Option<String>,
    /// The pool's name.
    pub name: Option<String>,
    /// The pool's ARN.
    pub arn: Option<String>,
    /// Legacy status (`Enabled`).
    pub status: Option<String>,
    /// Last change (epoch seconds).
    pub last_modified_date: Option<f64>,
    /// Creation (epoch seconds).
    pub creation_date: Option<f64>,
    /// The full schema, standard attributes included.
    pub schema_attributes: Option<Vec<SchemaAttributeType>>,
    /// Alias attributes.
    pub alias_attributes: Option<Vec<String>>,
    /// Username attributes.
    pub username_attributes: Option<Vec<String>>,
    /// Approximate number of users.
    pub estimated_number_of_users: Option<i64>,
    /// Username case sensitivity.
    pub username_configuration: Option<UsernameConfigurationType>,
    /// The hosted UI domain prefix, if any.
    pub domain: Option<String>,
    /// The mutable settings.
    #[serde(flatten)]
    pub settings: UserPoolMutableSettings,
}

/// CreateUserPool output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolResponse {
    /// The new pool.
    pub user_pool: Option<UserPoolType>,
}

/// Input naming one pool (DescribeUserPool, DeleteUserPool).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolIdRequest {
    /// The pool id.
    pub user_pool_id: String,
}

/// DescribeUserPool output.
pub type DescribeUserPoolResponse = CreateUserPoolResponse;

/// UpdateUserPool input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// A new name (optional).
    pub pool_name: Option<String>,
    /// The new settings; anything absent is reset to its default.
    #[serde(flatten)]
    pub settings: UserPoolMutableSettings,
}

/// ListUserPools input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsRequest {
    /// Page size (1–60).
    pub max_results: i64,
    /// The token of the previous page.
    pub next_token: Option<String>,
}

/// A pool in ListUserPools.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDescriptionType {
    /// The pool id.
    pub id: Option<String>,
    /// The pool name.
    pub name: Option<String>,
    /// Lambda triggers.
    pub lambda_config: Option<Value>,
    /// Legacy status.
    pub status: Option<String>,
    /// Last change (epoch seconds).
    pub last_modified_date: Option<f64>,
    /// Creation (epoch seconds).
    pub creation_date: Option<f64>,
}

/// ListUserPools output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsResponse {
    /// This page.
    pub user_pools: Vec<UserPoolDescriptionType>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// An empty output (`{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// A resource server's scope.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerScopeType {
    /// The scope name (`read`); granted as `{identifier}/{name}`.
    pub scope_name: String,
    /// What it allows.
    pub scope_description: String,
}

/// A resource server: an API whose scopes clients can be granted.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerType {
    /// The pool.
    pub user_pool_id: Option<String>,
    /// The identifier (`https://api.example.com`).
    pub identifier: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The scopes.
    pub scopes: Option<Vec<ResourceServerScopeType>>,
}

/// CreateResourceServer input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateResourceServerRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The identifier.
    pub identifier: String,
    /// The name.
    pub name: String,
    /// The scopes.
    pub scopes: Option<Vec<ResourceServerScopeType>>,
}

/// CreateResourceServer and DescribeResourceServer output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerResponse {
    /// The resource server.
    pub resource_server: ResourceServerType,
}

/// DescribeResourceServer and DeleteResourceServer input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerIdRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The identifier.
    pub identifier: String,
}

/// CreateUserPoolDomain and DeleteUserPoolDomain input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainRequest {
    /// The domain prefix (`myapp` for `myapp.auth.{region}.amazoncognito.com`).
    pub domain: String,
    /// The pool.
    pub user_pool_id: String,
    /// A custom domain's settings (kept, not served).
    pub custom_domain_config: Option<Value>,
    /// 1 (classic hosted UI) or 2 (managed login); stored.
    pub managed_login_version: Option<i64>,
    /// Multi-region routing settings; stored.
    pub routing: Option<Value>,
}

/// CreateUserPoolDomain and UpdateUserPoolDomain output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainResponse {
    /// The managed login version.
    pub managed_login_version: Option<i64>,
    /// The host the domain is served from (for the emulator, its own host and port).
    pub cloud_front_domain: Option<String>,
    /// Routing settings, as given.
    pub routing: Option<Value>,
}

/// DescribeUserPoolDomain input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainRequest {
    /// The domain prefix.
    pub domain: String,
}

/// A domain as DescribeUserPoolDomain describes it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainDescriptionType {
    /// The pool.
    pub user_pool_id: Option<String>,
    /// The domain prefix.
    pub domain: Option<String>,
    /// `ACTIVE`.
    pub status: Option<String>,
    /// The host the domain is served from (Cognito: a CloudFront host; the emulator: its own
    /// host and port, where `/domains/{domain}/…` answers).
    pub cloud_front_distribution: Option<String>,
    /// The AWS account.
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: Option<String>,
    /// The managed login version (1 or 2).
    pub managed_login_version: Option<i64>,
    /// A custom domain's settings, as given.
    pub custom_domain_config: Option<Value>,
    /// Routing settings, as given.
    pub routing: Option<Value>,
}

/// DescribeUserPoolDomain output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainResponse {
    /// The domain, or an empty object when there is none.
    pub domain_description: DomainDescriptionType,
}

/// An external identity provider of a user pool (Facebook, Google, SAML, OIDC …).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderType {
    /// The pool.
    pub user_pool_id: Option<String>,
    /// The name clients use (`Facebook`, `Google`, `MySAML`).
    pub provider_name: Option<String>,
    /// `Facebook`, `Google`, `LoginWithAmazon`, `SignInWithApple`, `SAML` or `OIDC`.
    pub provider_type: Option<String>,
    /// Provider settings. The emulator reads `emulator_subject` and `emulator_email`: the
    /// external user its federation stub signs in.
    pub provider_details: Option<BTreeMap<String, String>>,
    /// Pool attribute → provider attribute.
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// Other identifiers.
    pub idp_identifiers: Option<Vec<String>>,
    /// Last change (epoch seconds).
    pub last_modified_date: Option<f64>,
    /// Creation (epoch seconds).
    pub creation_date: Option<f64>,
}

/// CreateIdentityProvider input (and the provider's settings).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateIdentityProviderRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The name.
    pub provider_name: String,
    /// The type.
    pub provider_type: String,
    /// Provider settings.
    pub provider_details: BTreeMap<String, String>,
    /// Pool attribute → provider attribute.
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// Other identifiers.
    pub idp_identifiers: Option<Vec<String>>,
}

/// DescribeIdentityProvider input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeIdentityProviderRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The name.
    pub provider_name: String,
}

/// CreateIdentityProvider and DescribeIdentityProvider output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderResponse {
    /// The provider.
    pub identity_provider: IdentityProviderType,
}

/// ListResourceServers input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersRequest {
    /// The pool.
    pub user_pool_id: String,
    /// Page size (1–50; 50 when absent).
    pub max_results: Option<i64>,
    /// The previous page's token.
    pub next_token: Option<String>,
}

/// ListResourceServers output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersResponse {
    /// One page of resource servers.
    pub resource_servers: Vec<ResourceServerType>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// A provider in ListIdentityProviders.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderDescription {
    /// The name.
    pub provider_name: Option<String>,
    /// The type.
    pub provider_type: Option<String>,
    /// Last change (epoch seconds).
    pub last_modified_date: Option<f64>,
    /// Creation (epoch seconds).
    pub creation_date: Option<f64>,
}

/// ListIdentityProviders input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersRequest {
    /// The pool.
    pub user_pool_id: String,
    /// Page size (1–60).
    pub max_results: Option<i64>,
    /// The previous page's token.
    pub next_token: Option<String>,
}

/// ListIdentityProviders output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersResponse {
    /// One page of providers.
    pub providers: Vec<ProviderDescription>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// UpdateIdentityProvider input: the members given replace the provider's.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateIdentityProviderRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The name.
    pub provider_name: String,
    /// New provider settings.
    pub provider_details: Option<BTreeMap<String, String>>,
    /// New attribute mapping.
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// New other identifiers.
    pub idp_identifiers: Option<Vec<String>>,
}

/// GetIdentityProviderByIdentifier input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdentityProviderByIdentifierRequest {
    /// The pool.
    pub user_pool_id: String,
    /// One of the provider's `IdpIdentifiers`.
    pub idp_identifier: String,
}

/// TagResource input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourceRequest {
    /// The user pool's ARN.
    pub resource_arn: String,
    /// Tags to add or replace.
    pub tags: BTreeMap<String, String>,
}

/// UntagResource input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagResourceRequest {
    /// The user pool's ARN.
    pub resource_arn: String,
    /// Keys of the tags to remove.
    pub tag_keys: Vec<String>,
}

/// ListTagsForResource input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceRequest {
    /// The user pool's ARN.
    pub resource_arn: String,
}

/// ListTagsForResource output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceResponse {
    /// The pool's tags.
    pub tags: Option<BTreeMap<String, String>>,
}

/// SMS MFA settings of a pool.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SmsMfaConfigType {
    /// The message, with `{####}` for the code.
    pub sms_authentication_message: Option<String>,
    /// Where SMS goes (SNS role and external id); stored as given.
    pub sms_configuration: Option<Value>,
}

/// Software-token (TOTP) MFA settings of a pool.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareTokenMfaConfigType {
    /// Whether users may use an authenticator app.
    pub enabled: Option<bool>,
}

/// Email MFA settings of a pool.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailMfaConfigType {
    /// The message, with `{####}` for the code.
    pub message: Option<String>,
    /// The subject.
    pub subject: Option<String>,
}

/// A pool's passkey (WebAuthn) settings.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnConfigurationType {
    /// The relying party id (a domain).
    pub relying_party_id: Option<String>,
    /// `required` or `preferred`.
    pub user_verification: Option<String>,
    /// `SINGLE_FACTOR` or `MULTI_FACTOR_WITH_USER_VERIFICATION`.
    pub factor_configuration: Option<String>,
}

/// A pool's MFA configuration: SetUserPoolMfaConfig's input (with the pool id) and output, and
/// GetUserPoolMfaConfig's output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolMfaConfig {
    /// The pool (input only).
    pub user_pool_id: Option<String>,
    /// SMS MFA, when enabled.
    pub sms_mfa_configuration: Option<SmsMfaConfigType>,
    /// Software-token MFA.
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfigType>,
    /// Email MFA, when enabled.
    pub email_mfa_configuration: Option<EmailMfaConfigType>,
    /// `OFF`, `ON` or `OPTIONAL`.
    pub mfa_configuration: Option<String>,
    /// Passkey settings.
    pub web_authn_configuration: Option<WebAuthnConfigurationType>,
}

/// AddCustomAttributes input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddCustomAttributesRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The attributes to add (1–25), named with or without `custom:`.
    pub custom_attributes: Vec<SchemaAttributeType>,
}
