//! REFRESH_TOKEN_AUTH (and the hosted UI's `refresh_token` grant): new id and access tokens
//! from a refresh token, with the checks Cognito makes on the token, the client, the device and
//! the user.

use std::collections::BTreeMap;

use cognito_protocol::wire::{AuthResponse, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{User, UserStatus};
use crate::tokens;

use super::client::{check_secret_hash, unknown_user};
use super::finish::pre_token_generation;
use super::param;

/// REFRESH_TOKEN_AUTH: new id and access tokens for a valid refresh token of this client,
/// keeping `auth_time` and `origin_jti`. The refresh token itself is not rotated.
pub(crate) fn refresh(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let token = param(params, "REFRESH_TOKEN")?;
    let now = ctx.now();
    type Found = (User, tokens::Origin, Option<String>, Option<String>);
    let (user, origin, device, scope) = ctx.store.with(|state| -> Result<Found> {
        let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
        let record = state
            .refresh_tokens
            .get(token)
            .cloned()
            .ok_or_else(invalid)?;
        let (pool, client) = state.client_in(pool_id, client_id)?;
        if record.client_id != client_id || record.pool_id != pool_id {
            return Err(invalid());
        }
        let user = pool.user_by_sub(&record.sub).cloned();
        let mut names: Vec<&str> = vec![record.sub.as_str()];
        if let Some(u) = &user {
            names.push(u.username.as_str());
        }
        if let Some(given) = params.get("USERNAME") {
            if user
                .as_ref()
                .is_some_and(|u| pool.find_user(given).map(|f| &f.sub) == Some(&u.sub))
            {
                names.push(given.as_str());
            }
        }
        check_secret_hash(
            client,
            params.get("SECRET_HASH").map(String::as_str),
            &names,
        )?;
        if record.revoked {
            return Err(CognitoError::not_authorized(
                "Refresh Token has been revoked",
            ));
        }
        if record.expires_at <= now {
            return Err(CognitoError::not_authorized("Refresh Token has expired"));
        }
        let user = user.ok_or_else(|| unknown_user(client))?;
        if !super::devices::refresh_allowed(
            &user,
            record.device_key.as_deref(),
            super::devices::given(params).as_deref(),
        ) {
            return Err(invalid());
        }
        if !user.enabled {
            return Err(CognitoError::not_authorized("User is disabled."));
        }
        if user.status == UserStatus::ResetRequired {
            return Err(CognitoError::password_reset_required(
                "Password reset required for the user",
            ));
        }
        Ok((
            user,
            tokens::Origin {
                origin_jti: record.origin_jti.clone(),
                auth_time: record.auth_time,
            },
            record.device_key.clone(),
            record.scope.clone(),
        ))
    })?;
    let overrides = pre_token_generation(
        ctx,
        pool_id,
        client_id,
        &user,
        "TokenGeneration_RefreshTokens",
        metadata,
    )?;
    let result = ctx
        .store
        .with(|state| {
            tokens::prepare(
                ctx,
                state,
                tokens::Issue {
                    pool_id,
                    client_id,
                    user: &user,
                    origin: &origin,
                    with_refresh: false,
                    overrides: overrides.as_ref(),
                    device_key: device.as_deref(),
                    scope: scope.as_deref(),
                    nonce: None,
                },
            )
        })?
        .sign(ctx)?;
    Ok(AuthResponse {
        challenge_parameters: Some(BTreeMap::new()),
        authentication_result: Some(result),
        ..Default::default()
    })
}
