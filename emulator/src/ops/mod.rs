//! One Cognito operation, one handler: each module here is `handle(&Ctx, Input) -> Result<Output>`
//! for one `X-Amz-Target`, and [`TABLE`] is the single table that maps operation names to them
//! and to their quota categories.

pub(crate) mod views;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::http::request;
use crate::pipeline::quota::Category;

/// A type-erased handler: JSON in, JSON out.
pub type Handler = fn(&Ctx, Value) -> Result<Value>;

pub(crate) fn run<I: DeserializeOwned, O: Serialize>(
    ctx: &Ctx,
    body: Value,
    f: fn(&Ctx, I) -> Result<O>,
) -> Result<Value> {
    let input = request::typed::<I>(body)?;
    let output = f(ctx, input)?;
    serde_json::to_value(output)
        .map_err(|e| CognitoError::internal(format!("response encoding failed: {e}")))
}

/// One operation of a service: its name, its handler, and the quota category Cognito meters
/// it in. Each service has one table of them ([`TABLE`] here, `identity::ops::TABLE`), and
/// everything that lists operations (dispatch, quotas, `GET /`, the README check) reads it.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The name after the target prefix (`InitiateAuth`).
    pub name: &'static str,
    /// The handler.
    pub handler: Handler,
    /// Where its requests are metered.
    pub category: Category,
    /// Whether Cognito serves it only to callers with AWS credentials (SigV4). The service
    /// model marks the others unauthenticated (`"authtype": "none"`); `--require-sigv4`
    /// enforces the difference.
    pub needs_credentials: bool,
}

/// Whether `list` holds `name`; usable in the tables' constant initialisers.
pub(crate) const fn listed(list: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        let (a, b) = (list[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Declares a service's operation table: first `unauthenticated: [...]`, the operations the
/// service model serves without AWS credentials (implemented or not), then
/// `"Name" => module: Category,` per operation, one module (one file) per handler.
macro_rules! operations {
    (unauthenticated: [$($public:literal),* $(,)?]; $($name:literal => $module:ident: $category:ident,)*) => {
        $(pub(crate) mod $module;)*

        /// The operations the service model marks unauthenticated (`"authtype": "none"`).
        pub const UNAUTHENTICATED: &[&str] = &[$($public,)*];

        /// Every operation of this service, with its handler and quota category.
        pub static TABLE: &[$crate::ops::Operation] = &[$(
            $crate::ops::Operation {
                name: $name,
                handler: |ctx, body| $crate::ops::run(ctx, body, $module::handle),
                category: $crate::pipeline::quota::Category::$category,
                needs_credentials: !$crate::ops::listed(UNAUTHENTICATED, $name),
            },
        )*];

        /// Every operation's name, in table order.
        pub const NAMES: &[&str] = &[$($name,)*];
    };
}
pub(crate) use operations;

operations! {
    unauthenticated: [
        "AssociateSoftwareToken", "ChangePassword", "CompleteWebAuthnRegistration",
        "ConfirmDevice", "ConfirmForgotPassword", "ConfirmSignUp", "DeleteUser",
        "DeleteUserAttributes", "DeleteWebAuthnCredential", "ForgetDevice", "ForgotPassword",
        "GetDevice", "GetTokensFromRefreshToken", "GetUser", "GetUserAttributeVerificationCode",
        "GetUserAuthFactors", "GlobalSignOut", "InitiateAuth", "ListDevices", "ListUserSessions",
        "ListWebAuthnCredentials", "ResendConfirmationCode", "RespondToAuthChallenge",
        "RevokeToken", "RevokeUserSession", "SetUserMFAPreference", "SetUserSettings", "SignUp",
        "StartWebAuthnRegistration", "UpdateAuthEventFeedback", "UpdateDeviceStatus",
        "UpdateUserAttributes", "VerifySoftwareToken", "VerifyUserAttribute",
    ];
    "CreateUserPool" => create_user_pool: UserResourceUpdate,
    "DescribeUserPool" => describe_user_pool: UserResourceRead,
    "ListUserPools" => list_user_pools: UserResourceRead,
    "UpdateUserPool" => update_user_pool: UserResourceUpdate,
    "DeleteUserPool" => delete_user_pool: UserResourceUpdate,
    "SetUserPoolMfaConfig" => set_user_pool_mfa_config: UserResourceUpdate,
    "GetUserPoolMfaConfig" => get_user_pool_mfa_config: UserResourceRead,
    "AddCustomAttributes" => add_custom_attributes: UserResourceUpdate,
    "GetCSVHeader" => get_csv_header: UserResourceRead,
    "GetProvisionedLimit" => get_provisioned_limit: UserResourceRead,
    "UpdateProvisionedLimit" => update_provisioned_limit: UserResourceUpdate,
    "SetUICustomization" => set_ui_customization: UserResourceUpdate,
    "GetUICustomization" => get_ui_customization: UserResourceRead,
    "SetLogDeliveryConfiguration" => set_log_delivery_configuration: UserResourceUpdate,
    "GetLogDeliveryConfiguration" => get_log_delivery_configuration: UserResourceRead,
    "SetRiskConfiguration" => set_risk_configuration: UserResourceUpdate,
    "DescribeRiskConfiguration" => describe_risk_configuration: UserResourceRead,
    "CreateUserPoolClient" => create_user_pool_client: UserResourceUpdate,
    "DescribeUserPoolClient" => describe_user_pool_client: UserResourceRead,
    "ListUserPoolClients" => list_user_pool_clients: UserResourceRead,
    "UpdateUserPoolClient" => update_user_pool_client: UserResourceUpdate,
    "DeleteUserPoolClient" => delete_user_pool_client: UserResourceUpdate,
    "AddUserPoolClientSecret" => add_user_pool_client_secret: UserResourceUpdate,
    "ListUserPoolClientSecrets" => list_user_pool_client_secrets: UserResourceRead,
    "DeleteUserPoolClientSecret" => delete_user_pool_client_secret: UserResourceUpdate,
    "SignUp" => sign_up: UserCreation,
    "ConfirmSignUp" => confirm_sign_up: UserCreation,
    "ResendConfirmationCode" => resend_confirmation_code: UserAccountRecovery,
    "AdminCreateUser" => admin_create_user: UserCreation,
    "AdminSetUserPassword" => admin_set_user_password: UserAccountRecovery,
    "AdminConfirmSignUp" => admin_confirm_sign_up: UserCreation,
    "AdminGetUserAuthFactors" => admin_get_user_auth_factors: UserRead,
    "AdminGetUser" => admin_get_user: UserRead,
    "AdminDeleteUser" => admin_delete_user: UserUpdate,
    "AdminDisableUser" => admin_disable_user: UserUpdate,
    "AdminEnableUser" => admin_enable_user: UserUpdate,
    "ListUsers" => list_users: UserList,
    "GetUserAuthFactors" => get_user_auth_factors: UserRead,
    "GetUser" => get_user: UserRead,
    "InitiateAuth" => initiate_auth: UserAuthentication,
    "AdminInitiateAuth" => admin_initiate_auth: UserAuthentication,
    "RespondToAuthChallenge" => respond_to_auth_challenge: UserAuthChallenge,
    "AdminRespondToAuthChallenge" => admin_respond_to_auth_challenge: UserAuthChallenge,
    "GlobalSignOut" => global_sign_out: UserUpdate,
    "AdminUserGlobalSignOut" => admin_user_global_sign_out: UserUpdate,
    "RevokeToken" => revoke_token: UserToken,
    "GetTokensFromRefreshToken" => get_tokens_from_refresh_token: UserAuthentication,
    "UpdateUserAttributes" => update_user_attributes: UserUpdate,
    "AdminUpdateUserAttributes" => admin_update_user_attributes: UserUpdate,
    "DeleteUserAttributes" => delete_user_attributes: UserUpdate,
    "AdminDeleteUserAttributes" => admin_delete_user_attributes: UserUpdate,
    "GetUserAttributeVerificationCode" => get_user_attribute_verification_code: UserUpdate,
    "VerifyUserAttribute" => verify_user_attribute: UserUpdate,
    "ChangePassword" => change_password: UserAccountRecovery,
    "ForgotPassword" => forgot_password: UserAccountRecovery,
    "ConfirmForgotPassword" => confirm_forgot_password: UserAccountRecovery,
    "AdminResetUserPassword" => admin_reset_user_password: UserAccountRecovery,
    "DeleteUser" => delete_user: UserUpdate,
    "CreateGroup" => create_group: UserResourceUpdate,
    "GetGroup" => get_group: UserResourceRead,
    "ListGroups" => list_groups: UserResourceRead,
    "DeleteGroup" => delete_group: UserResourceUpdate,
    "UpdateGroup" => update_group: UserResourceUpdate,
    "AdminAddUserToGroup" => admin_add_user_to_group: UserUpdate,
    "AdminRemoveUserFromGroup" => admin_remove_user_from_group: UserUpdate,
    "AdminListGroupsForUser" => admin_list_groups_for_user: UserRead,
    "ListUsersInGroup" => list_users_in_group: UserList,
    "AssociateSoftwareToken" => associate_software_token: UserUpdate,
    "VerifySoftwareToken" => verify_software_token: UserUpdate,
    "SetUserMFAPreference" => set_user_mfa_preference: UserUpdate,
    "AdminSetUserMFAPreference" => admin_set_user_mfa_preference: UserUpdate,
    "AdminDeleteSoftwareToken" => admin_delete_software_token: UserUpdate,
    "SetUserSettings" => set_user_settings: UserUpdate,
    "AdminSetUserSettings" => admin_set_user_settings: UserUpdate,
    "ConfirmDevice" => confirm_device: UserUpdate,
    "GetDevice" => get_device: UserRead,
    "AdminGetDevice" => admin_get_device: UserRead,
    "ListDevices" => list_devices: UserRead,
    "AdminListDevices" => admin_list_devices: UserRead,
    "UpdateDeviceStatus" => update_device_status: UserUpdate,
    "AdminUpdateDeviceStatus" => admin_update_device_status: UserUpdate,
    "ForgetDevice" => forget_device: UserUpdate,
    "AdminForgetDevice" => admin_forget_device: UserUpdate,
    "CreateUserPoolDomain" => create_user_pool_domain: UserResourceUpdate,
    "DescribeUserPoolDomain" => describe_user_pool_domain: UserResourceRead,
    "DeleteUserPoolDomain" => delete_user_pool_domain: UserResourceUpdate,
    "UpdateUserPoolDomain" => update_user_pool_domain: UserResourceUpdate,
    "CreateResourceServer" => create_resource_server: UserResourceUpdate,
    "DescribeResourceServer" => describe_resource_server: UserResourceRead,
    "ListResourceServers" => list_resource_servers: UserResourceRead,
    "UpdateResourceServer" => update_resource_server: UserResourceUpdate,
    "DeleteResourceServer" => delete_resource_server: UserResourceUpdate,
    "CreateIdentityProvider" => create_identity_provider: UserResourceUpdate,
    "DescribeIdentityProvider" => describe_identity_provider: UserResourceRead,
    "ListIdentityProviders" => list_identity_providers: UserResourceRead,
    "UpdateIdentityProvider" => update_identity_provider: UserResourceUpdate,
    "DeleteIdentityProvider" => delete_identity_provider: UserResourceUpdate,
    "GetIdentityProviderByIdentifier" => get_identity_provider_by_identifier: UserResourceRead,
    "AdminLinkProviderForUser" => admin_link_provider_for_user: UserUpdate,
    "AdminDisableProviderForUser" => admin_disable_provider_for_user: UserUpdate,
    "TagResource" => tag_resource: UserResourceUpdate,
    "UntagResource" => untag_resource: UserResourceUpdate,
    "ListTagsForResource" => list_tags_for_resource: UserResourceRead,
    "ListUserSessions" => list_user_sessions: UserRead,
    "RevokeUserSession" => revoke_user_session: UserUpdate,
    "AdminListUserSessions" => admin_list_user_sessions: UserRead,
    "AdminRevokeUserSession" => admin_revoke_user_session: UserUpdate,
    "SetUserPoolSessionConfiguration" => set_user_pool_session_configuration: UserResourceUpdate,
    "GetUserPoolSessionConfiguration" => get_user_pool_session_configuration: UserResourceRead,
    "SetUserPoolClientSessionConfiguration" => set_user_pool_client_session_configuration: UserResourceUpdate,
    "GetUserPoolClientSessionConfiguration" => get_user_pool_client_session_configuration: UserResourceRead,
    "CreateTerms" => create_terms: UserResourceUpdate,
    "DescribeTerms" => describe_terms: UserResourceRead,
    "DescribeTermsByClient" => describe_terms_by_client: UserResourceRead,
    "ListTerms" => list_terms: UserResourceRead,
    "UpdateTerms" => update_terms: UserResourceUpdate,
    "DeleteTerms" => delete_terms: UserResourceUpdate,
    "CreateManagedLoginBranding" => create_managed_login_branding: UserResourceUpdate,
    "DescribeManagedLoginBranding" => describe_managed_login_branding: UserResourceRead,
    "DescribeManagedLoginBrandingByClient" => describe_managed_login_branding_by_client: UserResourceRead,
    "UpdateManagedLoginBranding" => update_managed_login_branding: UserResourceUpdate,
    "DeleteManagedLoginBranding" => delete_managed_login_branding: UserResourceUpdate,
    "CreateUserPoolReplica" => create_user_pool_replica: UserResourceUpdate,
    "ListUserPoolReplicas" => list_user_pool_replicas: UserResourceRead,
    "UpdateUserPoolReplica" => update_user_pool_replica: UserResourceUpdate,
    "DeleteUserPoolReplica" => delete_user_pool_replica: UserResourceUpdate,
    "CreateUserImportJob" => create_user_import_job: UserResourceUpdate,
    "DescribeUserImportJob" => describe_user_import_job: UserResourceRead,
    "ListUserImportJobs" => list_user_import_jobs: UserResourceRead,
    "StartUserImportJob" => start_user_import_job: UserResourceUpdate,
    "StopUserImportJob" => stop_user_import_job: UserResourceUpdate,
    "AdminListUserAuthEvents" => admin_list_user_auth_events: UserRead,
    "AdminUpdateAuthEventFeedback" => admin_update_auth_event_feedback: UserUpdate,
    "UpdateAuthEventFeedback" => update_auth_event_feedback: UserUpdate,
    "GetSigningCertificate" => get_signing_certificate: UserResourceRead,
    "GetClientToken" => get_client_token: UserToken,
    "GetDerivedToken" => get_derived_token: UserToken,
    "StartWebAuthnRegistration" => start_web_authn_registration: UserUpdate,
    "CompleteWebAuthnRegistration" => complete_web_authn_registration: UserUpdate,
    "ListWebAuthnCredentials" => list_web_authn_credentials: UserRead,
    "DeleteWebAuthnCredential" => delete_web_authn_credential: UserUpdate,
}

/// The key a pagination token starts at. Tokens are the base64 of the next key and a tag (an
/// HMAC under a secret of this process), so a token this server did not issue, or one edited
/// by hand, is refused as Cognito refuses it. Tokens do not outlive the process.
pub(crate) fn token_key(token: &str) -> Result<String> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
    use base64::Engine as _;
    let invalid = || CognitoError::invalid_parameter("Invalid pagination token.");
    let (key, tag) = token.split_once('.').ok_or_else(invalid)?;
    let key = B64URL
        .decode(key)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid)?;
    let tag = B64URL.decode(tag).map_err(|_| invalid())?;
    let mut mac = token_mac();
    hmac::Mac::update(&mut mac, key.as_bytes());
    hmac::Mac::verify_truncated_left(mac, &tag).map_err(|_| invalid())?;
    Ok(key)
}

/// The pagination token that starts at `key`.
pub(crate) fn key_token(key: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
    use base64::Engine as _;
    let mut mac = token_mac();
    hmac::Mac::update(&mut mac, key.as_bytes());
    let tag = hmac::Mac::finalize(mac).into_bytes();
    format!(
        "{}.{}",
        B64URL.encode(key.as_bytes()),
        B64URL.encode(&tag[..16])
    )
}

/// The MAC that tags pagination tokens, keyed by a secret drawn once per process.
fn token_mac() -> hmac::Hmac<sha2::Sha256> {
    static SECRET: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let secret = SECRET.get_or_init(rand::random);
    <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

/// Pages through a sorted list: `token` is the key to start at (base64), `limit` the page
/// size. Returns the page and the next token.
pub(crate) fn paginate<T: Clone>(
    items: &[(String, T)],
    token: Option<&str>,
    limit: usize,
) -> Result<(Vec<T>, Option<String>)> {
    let start = match token {
        Some(t) => {
            let key = token_key(t)?;
            items
                .iter()
                .position(|(k, _)| *k >= key)
                .unwrap_or(items.len())
        }
        None => 0,
    };
    let page: Vec<T> = items
        .iter()
        .skip(start)
        .take(limit)
        .map(|(_, v)| v.clone())
        .collect();
    let next = items.get(start + limit).map(|(k, _)| key_token(k));
    Ok((page, next))
}

/// A page of a pool's users in username order: from the token's key, the first `limit` users
/// that `keep` accepts, each rendered by `render`, and the token of the next such user. A page
/// costs the same at any depth and pool size, except that a `keep` that accepts few users
/// scans until the page is full.
pub(crate) fn user_page<T>(
    pool: &crate::state::records::Pool,
    token: Option<&str>,
    limit: usize,
    keep: impl Fn(&crate::state::records::User) -> bool,
    render: impl Fn(&crate::state::records::User) -> T,
) -> Result<(Vec<T>, Option<String>)> {
    let start = match token {
        Some(t) => token_key(t)?,
        None => String::new(),
    };
    let mut matching = pool.users.range(start..).filter(|(_, u)| keep(u));
    let page = matching
        .by_ref()
        .take(limit)
        .map(|(_, u)| render(u))
        .collect();
    let next = matching.next().map(|(k, _)| key_token(k));
    Ok((page, next))
}

/// Checks a page size against Cognito's 1–60 range.
pub(crate) fn page_size(given: Option<i64>, member: &str) -> Result<usize> {
    match given {
        None => Ok(60),
        Some(n) if (1..=60).contains(&n) => Ok(usize::try_from(n).unwrap_or(60)),
        Some(n) => Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{n}' at '{member}' failed to satisfy constraint: Member must have value between 1 and 60"
        ))),
    }
}

/// An app client by id, with its pool's id (a copy, for use outside the state lock).
pub(crate) fn client_by_id(
    ctx: &Ctx,
    client_id: &str,
) -> Result<(String, crate::state::records::AppClient)> {
    ctx.store.with(|state| {
        let pool_id = state.pool_of_client(client_id)?;
        let (_, client) = state.client_in(&pool_id, client_id)?;
        Ok((pool_id, client.clone()))
    })
}

/// A member the model leaves optional but the operation cannot do without.
pub(crate) fn required<T>(value: Option<T>, member: &str) -> Result<T> {
    value.ok_or_else(|| {
        CognitoError::invalid_parameter(format!("{member} is required for this operation."))
    })
}

/// Fails unless a required string member is non-empty.
pub(crate) fn non_empty(value: &str, member: &str) -> Result<()> {
    if value.is_empty() {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length greater than or equal to 1"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod pagination_tests {
    use super::{key_token, token_key};
    use base64::Engine as _;

    #[test]
    fn only_tokens_this_server_issued_are_accepted() {
        let token = key_token("alice");
        assert_eq!(token_key(&token).unwrap(), "alice");
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let (_, tag) = token.split_once('.').unwrap();
        for forged in [
            b64("alice"),
            format!("{}.{tag}", b64("bob")),
            format!("{}.AAAA", b64("alice")),
            "%%%".to_owned(),
            String::new(),
        ] {
            let err = token_key(&forged).unwrap_err();
            assert_eq!(err.kind.code(), "InvalidParameterException", "{forged}");
        }
    }
}
