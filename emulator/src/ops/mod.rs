//! One Cognito operation, one handler: each module here is `handle(&Ctx, Input) -> Result<Output>`
//! for one `X-Amz-Target`, and [`handler`] is the single dispatch table that maps operation
//! names to them.

pub(crate) mod views;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::http::request;

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

macro_rules! operations {
    ($($name:literal => $module:ident,)*) => {
        $(pub(crate) mod $module;)*

        /// The handler of an operation, if the emulator implements it.
        pub fn handler(operation: &str) -> Option<Handler> {
            Some(match operation {
                $($name => |ctx, body| run(ctx, body, $module::handle),)*
                _ => return None,
            })
        }

        /// Every implemented operation's name.
        pub const NAMES: &[&str] = &[$($name,)*];
    };
}

operations! {
    "CreateUserPool" => create_user_pool,
    "DescribeUserPool" => describe_user_pool,
    "ListUserPools" => list_user_pools,
    "UpdateUserPool" => update_user_pool,
    "DeleteUserPool" => delete_user_pool,
    "CreateUserPoolClient" => create_user_pool_client,
    "DescribeUserPoolClient" => describe_user_pool_client,
    "ListUserPoolClients" => list_user_pool_clients,
    "UpdateUserPoolClient" => update_user_pool_client,
    "DeleteUserPoolClient" => delete_user_pool_client,
    "SignUp" => sign_up,
    "ConfirmSignUp" => confirm_sign_up,
    "ResendConfirmationCode" => resend_confirmation_code,
    "AdminCreateUser" => admin_create_user,
    "AdminSetUserPassword" => admin_set_user_password,
    "AdminConfirmSignUp" => admin_confirm_sign_up,
    "AdminGetUser" => admin_get_user,
    "AdminDeleteUser" => admin_delete_user,
    "AdminDisableUser" => admin_disable_user,
    "AdminEnableUser" => admin_enable_user,
    "ListUsers" => list_users,
    "GetUser" => get_user,
    "InitiateAuth" => initiate_auth,
    "AdminInitiateAuth" => admin_initiate_auth,
    "RespondToAuthChallenge" => respond_to_auth_challenge,
    "AdminRespondToAuthChallenge" => admin_respond_to_auth_challenge,
    "GlobalSignOut" => global_sign_out,
    "AdminUserGlobalSignOut" => admin_user_global_sign_out,
    "RevokeToken" => revoke_token,
    "UpdateUserAttributes" => update_user_attributes,
    "AdminUpdateUserAttributes" => admin_update_user_attributes,
    "DeleteUserAttributes" => delete_user_attributes,
    "AdminDeleteUserAttributes" => admin_delete_user_attributes,
    "GetUserAttributeVerificationCode" => get_user_attribute_verification_code,
    "VerifyUserAttribute" => verify_user_attribute,
    "ChangePassword" => change_password,
    "ForgotPassword" => forgot_password,
    "ConfirmForgotPassword" => confirm_forgot_password,
    "AdminResetUserPassword" => admin_reset_user_password,
    "DeleteUser" => delete_user,
    "CreateGroup" => create_group,
    "GetGroup" => get_group,
    "ListGroups" => list_groups,
    "DeleteGroup" => delete_group,
    "AdminAddUserToGroup" => admin_add_user_to_group,
    "AdminRemoveUserFromGroup" => admin_remove_user_from_group,
    "AdminListGroupsForUser" => admin_list_groups_for_user,
    "ListUsersInGroup" => list_users_in_group,
    "AssociateSoftwareToken" => associate_software_token,
    "VerifySoftwareToken" => verify_software_token,
    "SetUserMFAPreference" => set_user_mfa_preference,
    "AdminSetUserMFAPreference" => admin_set_user_mfa_preference,
    "SetUserSettings" => set_user_settings,
    "AdminSetUserSettings" => admin_set_user_settings,
    "ConfirmDevice" => confirm_device,
    "GetDevice" => get_device,
    "AdminGetDevice" => admin_get_device,
    "ListDevices" => list_devices,
    "AdminListDevices" => admin_list_devices,
    "UpdateDeviceStatus" => update_device_status,
    "AdminUpdateDeviceStatus" => admin_update_device_status,
    "ForgetDevice" => forget_device,
    "AdminForgetDevice" => admin_forget_device,
    "CreateUserPoolDomain" => create_user_pool_domain,
    "DescribeUserPoolDomain" => describe_user_pool_domain,
    "DeleteUserPoolDomain" => delete_user_pool_domain,
    "CreateResourceServer" => create_resource_server,
    "DescribeResourceServer" => describe_resource_server,
    "CreateIdentityProvider" => create_identity_provider,
    "DescribeIdentityProvider" => describe_identity_provider,
}

/// The key a pagination token starts at (tokens are the base64 of the next key).
pub(crate) fn token_key(token: &str) -> Result<String> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
    use base64::Engine as _;
    B64URL
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| CognitoError::invalid_parameter("Invalid pagination token."))
}

/// The pagination token that starts at `key`.
pub(crate) fn key_token(key: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
    use base64::Engine as _;
    B64URL.encode(key.as_bytes())
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

/// Fails unless a required string member is non-empty.
pub(crate) fn non_empty(value: &str, member: &str) -> Result<()> {
    if value.is_empty() {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length greater than or equal to 1"
        )));
    }
    Ok(())
}
