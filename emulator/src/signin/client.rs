//! What a sign-in checks about the app client before anything else: which flows it allows,
//! `SECRET_HASH`, how long its challenge sessions last, how it answers for unknown users, and
//! the user a challenge-driven flow starts for.

use cognito_protocol::wire::{self, Sensitive, StringMap};
use subtle::ConstantTimeEq;

use crate::error::{CognitoError, Result};
use crate::state::records::{AppClient, Pool, State, User, UserStatus};

use super::Flow;

/// Fails unless the app client allows the flow.
pub(crate) fn check_flow_allowed(client: &AppClient, flow: Flow) -> Result<()> {
    let flows = client
        .settings
        .explicit_auth_flows
        .clone()
        .unwrap_or_default();
    let has = |f: &str| flows.iter().any(|x| x == f);
    let modern = flows.iter().any(|f| f.starts_with("ALLOW_"));
    let allowed = match flow {
        Flow::UserSrp => !modern || has("ALLOW_USER_SRP_AUTH"),
        Flow::RefreshTokenAuth | Flow::RefreshToken => !modern || has("ALLOW_REFRESH_TOKEN_AUTH"),
        Flow::UserPassword => has("ALLOW_USER_PASSWORD_AUTH") || has("USER_PASSWORD_AUTH"),
        Flow::AdminUserPassword | Flow::AdminNoSrp => {
            has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || has("ADMIN_NO_SRP_AUTH")
        }
        Flow::Custom => has("ALLOW_CUSTOM_AUTH") || has("CUSTOM_AUTH_FLOW_ONLY"),
        Flow::UserAuth => has("ALLOW_USER_AUTH"),
    };
    if allowed {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter(format!(
            "{} flow not enabled for this client",
            flow.name()
        )))
    }
}

/// Checks `SECRET_HASH` for a client with a secret: it must be the HMAC, under one of the
/// client's active secrets, of one of the accepted usernames. Clients without a secret ignore
/// it.
pub(crate) fn check_secret_hash(
    client: &AppClient,
    given: Option<&str>,
    usernames: &[&str],
) -> Result<()> {
    if client.secret.is_none() {
        return Ok(());
    }
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        return Err(CognitoError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    let ok = client.secrets().any(|secret| {
        usernames.iter().any(|u| {
            let expected = wire::secret_hash(secret, u, &client.id);
            bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
        })
    });
    if ok {
        Ok(())
    } else {
        Err(CognitoError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}

/// The pool and app client of an unauthenticated app request (SignUp, ConfirmSignUp,
/// ForgotPassword …), once its `SECRET_HASH` for `username` has been checked.
pub(crate) fn app_request<'s>(
    state: &'s State,
    client_id: &str,
    secret_hash: Option<&Sensitive<String>>,
    username: &str,
) -> Result<(&'s Pool, &'s AppClient)> {
    let pool_id = state.pool_of_client(client_id)?;
    let (pool, client) = state.client_in(&pool_id, client_id)?;
    check_secret_hash(
        client,
        secret_hash.map(|s| s.expose().as_str()),
        &[username],
    )?;
    Ok((pool, client))
}

/// Whether the client answers unknown users like wrong passwords.
pub(crate) fn prevents_existence_errors(client: &AppClient) -> bool {
    client.settings.prevent_user_existence_errors.as_deref() == Some("ENABLED")
}

/// The error for an unknown user: like a wrong password when the client prevents user
/// existence errors, `UserNotFoundException` otherwise.
pub(crate) fn unknown_user(client: &AppClient) -> CognitoError {
    if prevents_existence_errors(client) {
        CognitoError::wrong_credentials()
    } else {
        CognitoError::user_not_found("User does not exist.")
    }
}

pub(crate) fn session_minutes(client: &AppClient) -> i64 {
    client.settings.auth_session_validity.unwrap_or(3)
}

/// The user a challenge-driven flow (CUSTOM_AUTH, USER_AUTH) starts for: `SECRET_HASH`
/// checked, and the user known, enabled and confirmed.
pub(crate) fn user_for_challenges(
    state: &State,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    login: &str,
) -> Result<User> {
    let (pool, client) = state.client_in(pool_id, client_id)?;
    check_secret_hash(
        client,
        params.get("SECRET_HASH").map(String::as_str),
        &[login],
    )?;
    let user = pool
        .find_user(login)
        .cloned()
        .ok_or_else(|| unknown_user(client))?;
    check_enabled_and_confirmed(&user)?;
    Ok(user)
}

/// Refuses disabled and unconfirmed users.
pub(crate) fn check_enabled_and_confirmed(user: &User) -> Result<()> {
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if user.status == UserStatus::Unconfirmed {
        return Err(CognitoError::user_not_confirmed("User is not confirmed."));
    }
    Ok(())
}
