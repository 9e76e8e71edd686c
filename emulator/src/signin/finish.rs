//! The end of every successful sign-in, whatever proved the user: DEVICE_SRP_AUTH when the
//! sign-in names a remembered device, otherwise the PostAuthentication and PreTokenGeneration
//! triggers and the tokens (bound to the device, or with `NewDeviceMetadata` for a new one).

use std::collections::BTreeMap;

use cognito_protocol::wire::{AuthResponse, StringMap};
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::User;
use crate::tokens;
use crate::triggers::{self, Call, TriggerKind};

use super::client::session_minutes;

/// PreTokenGeneration: the trigger's `claimsOverrideDetails`, if any.
pub(crate) fn pre_token_generation(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    source: &str,
    metadata: Option<&StringMap>,
) -> Result<Option<serde_json::Value>> {
    let groups = ctx
        .store
        .with(|state| tokens::group_configuration(state, pool_id, user));
    let response = triggers::invoke(
        ctx,
        TriggerKind::PreTokenGeneration,
        Call {
            pool_id,
            client_id: Some(client_id),
            user_name: &user.username,
            source,
            request: json!({"userAttributes": triggers::attributes_map(&user.attributes), "groupConfiguration": groups, "clientMetadata": metadata}),
        },
    )?;
    Ok(response.and_then(|r| r.get("claimsOverrideDetails").cloned()))
}

/// After the password and any MFA: DEVICE_SRP_AUTH when the sign-in names a confirmed device,
/// otherwise tokens.
pub(crate) fn device_or_finish(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    token_source: &str,
    metadata: Option<&StringMap>,
    device: Option<String>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let challenge = ctx.store.with(|state| -> Result<Option<AuthResponse>> {
        let (_, client) = state.client_in(pool_id, client_id)?;
        let expires_at = now + session_minutes(client) * 60;
        super::devices::challenge(
            state,
            pool_id,
            client_id,
            user,
            device.as_deref(),
            expires_at,
        )
    })?;
    match challenge {
        Some(response) => Ok(response),
        None => finish_sign_in(
            ctx,
            pool_id,
            client_id,
            user,
            token_source,
            metadata,
            device.as_deref(),
        ),
    }
}

/// The end of every successful sign-in: PostAuthentication, PreTokenGeneration, tokens (bound
/// to the device the sign-in names, or with `NewDeviceMetadata` for a new one).
pub(crate) fn finish_sign_in(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    token_source: &str,
    metadata: Option<&StringMap>,
    device: Option<&str>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let user = user.clone();
    let new_device = ctx.store.with(|state| -> Result<bool> {
        Ok(super::devices::is_new(state.pool(pool_id)?, &user, device))
    })?;
    triggers::invoke(
        ctx,
        TriggerKind::PostAuthentication,
        Call {
            pool_id,
            client_id: Some(client_id),
            user_name: &user.username,
            source: "PostAuthentication_Authentication",
            request: json!({"userAttributes": triggers::attributes_map(&user.attributes), "newDeviceUsed": new_device, "clientMetadata": metadata}),
        },
    )?;
    let overrides = pre_token_generation(ctx, pool_id, client_id, &user, token_source, metadata)?;
    let origin = tokens::Origin::fresh(now);
    let (unsigned, new_device) = ctx.store.with(|state| {
        let (bound, new_device) =
            super::devices::bind(ctx, state, pool_id, &user.username, device)?;
        let unsigned = tokens::prepare(
            ctx,
            state,
            tokens::Issue {
                pool_id,
                client_id,
                user: &user,
                origin: &origin,
                with_refresh: true,
                overrides: overrides.as_ref(),
                device_key: bound.as_deref(),
                scope: None,
                nonce: None,
            },
        )?;
        Ok::<_, CognitoError>((unsigned, new_device))
    })?;
    let mut result = unsigned.sign(ctx)?;
    result.new_device_metadata = new_device;
    Ok(AuthResponse {
        challenge_parameters: Some(BTreeMap::new()),
        authentication_result: Some(result),
        ..Default::default()
    })
}
