//! DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: a remembered device proves its secret with
//! SRP (the same server steps as the password, from `srp`), and the sign-in ends.

use std::collections::BTreeMap;

use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};
use subtle::ConstantTimeEq;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{PendingSrp, User};

use super::devices::not_found;
use super::param;
use super::session::set_session_device;
use super::srp;

/// DEVICE_SRP_AUTH answered with `SRP_A`: DEVICE_PASSWORD_VERIFIER with the device's salt, the
/// server's B and a secret block. The `Session` of the DEVICE_SRP_AUTH challenge is used when
/// given; clients that omit it (pycognito) are matched to the challenge by user and device.
pub fn start(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
) -> Result<AuthResponse> {
    let login = param(responses, "USERNAME")?;
    let device_key = param(responses, "DEVICE_KEY")?.to_owned();
    let a_pub = srp::client_a(responses)?;
    let now = ctx.now();
    let found = ctx.store.with(|state| -> Result<_> {
        let (pool, client) = state.client_in(pool_id, client_id)?;
        super::client::check_secret_hash(
            client,
            responses.get("SECRET_HASH").map(String::as_str),
            &[login],
        )?;
        let user = pool
            .find_user(login)
            .cloned()
            .ok_or_else(CognitoError::wrong_credentials)?;
        let pending_session = match session {
            Some(_) => {
                let s = super::session::take_session(
                    state,
                    session,
                    pool_id,
                    client_id,
                    "DEVICE_SRP_AUTH",
                    now,
                )?;
                (s.username == user.username && s.device_key.as_deref() == Some(&device_key))
                    .then(|| session.unwrap_or_default().to_owned())
            }
            None => state
                .sessions
                .iter()
                .find(|(_, s)| {
                    s.challenge == "DEVICE_SRP_AUTH"
                        && s.pool_id == pool_id
                        && s.client_id == client_id
                        && s.username == user.username
                        && s.device_key.as_deref() == Some(&device_key)
                        && s.expires_at > now
                })
                .map(|(k, _)| k.clone()),
        };
        let pending_session = pending_session
            .ok_or_else(|| CognitoError::not_authorized("Invalid session for the user."))?;
        let expires_at = state
            .sessions
            .remove(&pending_session)
            .map_or(now, |s| s.expires_at);
        let device = user.devices.get(&device_key).ok_or_else(not_found)?;
        let (salt, verifier) = device.verifier.clone().ok_or_else(not_found)?;
        let group_key = device.group_key.clone();
        Ok((user, expires_at, salt, verifier, group_key))
    })?;
    let (user, expires_at, salt, verifier, group_key) = found;
    let opened = srp::open_exchange(ctx, pool_id, client_id, &verifier);
    let b_hex = opened.server.public_hex();
    ctx.store.with(|state| -> Result<AuthResponse> {
        let pending = PendingSrp {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: Some(user.username.clone()),
            a_pub,
            server: opened.server,
            verifier,
            expires_at,
            custom_history: None,
            device: Some((device_key.clone(), group_key)),
        };
        srp::keep_exchange(state, opened.id, pending, now);
        let next = super::session::new_session(
            state,
            pool_id,
            client_id,
            &user.username,
            "DEVICE_PASSWORD_VERIFIER",
            expires_at,
        );
        set_session_device(state, &next, Some(device_key.clone()));
        Ok(AuthResponse {
            challenge_name: Some("DEVICE_PASSWORD_VERIFIER".into()),
            session: Some(Sensitive(next)),
            challenge_parameters: Some(BTreeMap::from([
                ("SALT".to_owned(), salt.to_str_radix(16)),
                ("SRP_B".to_owned(), b_hex),
                ("SECRET_BLOCK".to_owned(), opened.block),
                ("USERNAME".to_owned(), user.username.clone()),
                ("DEVICE_KEY".to_owned(), device_key),
            ])),
            ..Default::default()
        })
    })
}

/// DEVICE_PASSWORD_VERIFIER: checks the device's claim signature, then issues tokens bound to
/// the device.
pub fn verify(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let login = param(responses, "USERNAME")?;
    let device_key = param(responses, "DEVICE_KEY")?;
    let claim = srp::read_claim(ctx, responses, pool_id, client_id)?;
    let id = claim.id;
    let now = ctx.now();
    let (pending, username, group_key) = ctx.store.with(|state| -> Result<_> {
        let (pool, client) = state.client_in(pool_id, client_id)?;
        super::client::check_secret_hash(
            client,
            responses.get("SECRET_HASH").map(String::as_str),
            &[login],
        )?;
        let same_user = pool.find_user(login).map(|u| u.username.clone());
        let pending = srp::spend_pending(state, &id, pool_id, client_id, same_user, now, true)?;
        let (key, group_key) = pending.device.clone().unwrap_or_default();
        if !bool::from(key.as_bytes().ct_eq(device_key.as_bytes())) {
            return Err(CognitoError::wrong_credentials());
        }
        let username = pending.username.clone().unwrap_or_default();
        state.check_sign_in_lock(pool_id, &username, now)?;
        Ok((pending, username, group_key))
    })?;
    if !srp::claim_is_valid(&pending, &group_key, device_key, &claim) {
        ctx.store
            .with(|state| state.sign_in_failed(pool_id, &username, now));
        return Err(CognitoError::wrong_credentials());
    }
    let user = ctx.store.with(|state| -> Result<User> {
        state.sign_in_succeeded(pool_id, &username);
        if let Some(s) = session {
            let own = state.sessions.get(s).is_some_and(|x| {
                x.challenge == "DEVICE_PASSWORD_VERIFIER"
                    && x.username == username
                    && x.pool_id == pool_id
                    && x.client_id == client_id
            });
            if own {
                state.sessions.remove(s);
            }
        }
        Ok(state.pool(pool_id)?.user(&username)?.clone())
    })?;
    super::finish::finish_sign_in(
        ctx,
        pool_id,
        client_id,
        &user,
        "TokenGeneration_Authentication",
        metadata,
        Some(device_key),
    )
}
