//! USER_SRP_AUTH: the first step answers PASSWORD_VERIFIER with SALT, SRP_B and SECRET_BLOCK;
//! PASSWORD_VERIFIER checks the claim. A decoy exchange answers for unknown users when the
//! client prevents user existence errors. CUSTOM_AUTH uses the same steps when
//! DefineAuthChallenge asks for the password.

use std::collections::BTreeMap;

use cognito_protocol::srp;
use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};
use num_bigint::BigUint;
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::{PendingSrp, User, UserStatus};

use super::client::{check_secret_hash, prevents_existence_errors, session_minutes, unknown_user};
use super::next_step::after_password;
use super::param;
use super::password::pre_authentication;
use super::session::new_session;
use super::srp::{
    claim_is_valid, client_a, keep_exchange, open_exchange, read_claim, spend_pending,
};

/// USER_SRP_AUTH, first step: answers PASSWORD_VERIFIER with SALT, SRP_B and SECRET_BLOCK.
pub(crate) fn start_srp(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    begin_srp(ctx, pool_id, client_id, params, metadata, None)
}

/// The SRP first step, for USER_SRP_AUTH or (with the challenge history) for CUSTOM_AUTH whose
/// DefineAuthChallenge asked for PASSWORD_VERIFIER; the latter also gets a `Session`.
pub(crate) fn begin_srp(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
    custom_history: Option<Vec<serde_json::Value>>,
) -> Result<AuthResponse> {
    let login = param(params, "USERNAME")?;
    let a_pub = client_a(params)?;

    let found = ctx.store.with(|state| -> Result<_> {
        let (pool, client) = state.client_in(pool_id, client_id)?;
        check_secret_hash(
            client,
            params.get("SECRET_HASH").map(String::as_str),
            &[login],
        )?;
        match pool.find_user(login) {
            Some(user) => {
                if !user.enabled {
                    return Err(CognitoError::not_authorized("User is disabled."));
                }
                match &user.password {
                    Some(pw) => Ok((
                        Some(user.clone()),
                        pw.salt.clone(),
                        pw.verifier.clone(),
                        session_minutes(client),
                    )),
                    // An imported user has no password until they reset it.
                    None if user.status == UserStatus::ResetRequired => {
                        Err(CognitoError::password_reset_required(
                            "Password reset required for the user",
                        ))
                    }
                    None => Ok((
                        None,
                        decoy_salt(login),
                        decoy_verifier(),
                        session_minutes(client),
                    )),
                }
            }
            None if prevents_existence_errors(client) => Ok((
                None,
                decoy_salt(login),
                decoy_verifier(),
                session_minutes(client),
            )),
            None => Err(unknown_user(client)),
        }
    })?;
    let (known, salt, verifier, minutes) = found;
    if let Some(user) = &known {
        pre_authentication(ctx, pool_id, client_id, user, metadata)?;
    }
    let username = known.map(|u| u.username);

    let opened = open_exchange(ctx, pool_id, client_id, &verifier);
    let b_hex = opened.server.public_hex();
    let user_id_for_srp = username.clone().unwrap_or_else(|| login.to_owned());
    let now = ctx.now();
    let custom = custom_history.is_some();
    let session = ctx.store.with(|state| {
        let session = match (&username, custom) {
            (Some(name), true) => Some(new_session(
                state,
                pool_id,
                client_id,
                name,
                "PASSWORD_VERIFIER",
                now + minutes * 60,
            )),
            _ => None,
        };
        let pending = PendingSrp {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username,
            a_pub,
            server: opened.server,
            verifier,
            expires_at: now + minutes * 60,
            custom_history,
            device: None,
        };
        keep_exchange(state, opened.id, pending, now);
        session
    });
    let parameters = BTreeMap::from([
        ("SALT".to_owned(), salt.to_str_radix(16)),
        ("SRP_B".to_owned(), b_hex),
        ("SECRET_BLOCK".to_owned(), opened.block),
        ("USERNAME".to_owned(), user_id_for_srp.clone()),
        ("USER_ID_FOR_SRP".to_owned(), user_id_for_srp),
    ]);
    Ok(AuthResponse {
        challenge_name: Some("PASSWORD_VERIFIER".into()),
        challenge_parameters: Some(parameters),
        session: session.map(Sensitive),
        ..Default::default()
    })
}

fn decoy_salt(login: &str) -> BigUint {
    BigUint::from_bytes_be(&srp::identity_hash("decoy", login, "")[..16])
}

fn decoy_verifier() -> BigUint {
    srp::verifier(&BigUint::from_bytes_be(&ids::bytes::<32>()))
}

/// What a correct PASSWORD_VERIFIER leads to.
#[derive(Debug)]
pub(crate) enum Verified {
    /// The sign-in's next step or its tokens.
    Done(AuthResponse),
    /// CUSTOM_AUTH with SRP: the verified password joins the challenge history, and
    /// DefineAuthChallenge (`custom`) decides what follows.
    CustomAuth {
        /// The user.
        user: User,
        /// The challenges so far, PASSWORD_VERIFIER last.
        history: Vec<serde_json::Value>,
    },
}

/// PASSWORD_VERIFIER: checks the claim signature, then continues as after a correct password.
pub(crate) fn verify_srp(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<Verified> {
    let login = param(responses, "USERNAME")?;
    let claim = read_claim(ctx, responses, pool_id, client_id)?;
    let id = claim.id;

    let now = ctx.now();
    let pending = ctx.store.with(|state| -> Result<PendingSrp> {
        let (pool, client) = state.client_in(pool_id, client_id)?;
        check_secret_hash(
            client,
            responses.get("SECRET_HASH").map(String::as_str),
            &[login],
        )?;
        let found = pool.find_user(login);
        let same_user = found.map(|u| u.username.clone());
        // The DEVICE_KEY that counts is the one sent with the claim. An unknown one is refused
        // before the exchange is spent, so the client can forget the device and send the same
        // claim again without it (as amazon-cognito-identity-js does).
        if let (Some(user), Some(p)) = (found, state.srp_pending.get(&id)) {
            if p.device.is_none() && p.username.as_deref() == Some(user.username.as_str()) {
                let key = super::devices::given(responses);
                super::devices::check_known(pool, user, key.as_deref())?;
            }
        }
        let pending = spend_pending(state, &id, pool_id, client_id, same_user, now, false)?;
        state.check_sign_in_lock(
            pool_id,
            pending.username.as_deref().unwrap_or_default(),
            now,
        )?;
        Ok(pending)
    })?;
    let username = pending.username.clone().unwrap_or_default();
    let device = super::devices::given(responses);

    if !claim_is_valid(&pending, srp::pool_name(pool_id), &username, &claim) {
        ctx.store
            .with(|state| state.sign_in_failed(pool_id, &username, now));
        return Err(CognitoError::wrong_credentials());
    }
    ctx.store
        .with(|state| state.sign_in_succeeded(pool_id, &username));
    if let Some(mut history) = pending.custom_history {
        // CUSTOM_AUTH with SRP: the verified password joins the history and
        // DefineAuthChallenge decides what follows.
        history.push(json!({"challengeName": "PASSWORD_VERIFIER", "challengeResult": true, "challengeMetadata": null}));
        let user = ctx.store.with(|state| -> Result<User> {
            // The Session that came with PASSWORD_VERIFIER is spent (only if it is this
            // sign-in's own).
            let own = session.filter(|s| {
                state.sessions.get(*s).is_some_and(|x| {
                    x.challenge == "PASSWORD_VERIFIER"
                        && x.username == username
                        && x.pool_id == pool_id
                        && x.client_id == client_id
                })
            });
            if let Some(s) = own {
                state.sessions.remove(s);
            }
            Ok(state.pool(pool_id)?.user(&username)?.clone())
        })?;
        return Ok(Verified::CustomAuth { user, history });
    }
    after_password(
        ctx,
        pool_id,
        client_id,
        &username,
        "TokenGeneration_Authentication",
        metadata,
        device,
    )
    .map(Verified::Done)
}
