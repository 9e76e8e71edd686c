//! The server side of SRP, once for every flow that uses it: USER_SRP_AUTH (and CUSTOM_AUTH's
//! PASSWORD_VERIFIER) here, DEVICE_SRP_AUTH in `devices`. The steps both share are [`client_a`]
//! (the client's A, checked), [`open_exchange`] (B and the `SECRET_BLOCK`), [`read_claim`] (the
//! block's MAC and the claim's timestamp) and [`claim_is_valid`] (the session key and the
//! claim signature).
//!
//! SRP state lives server-side. The `SECRET_BLOCK` handed to the client is a random id plus an
//! HMAC over it, the pool and the client: a forged block fails the MAC, a replayed one finds
//! nothing (the pending exchange is removed when first answered).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cognito_protocol::srp::{self, ServerEphemeral};
use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::{PendingSrp, State, User};
use serde_json::json;

use super::client::{check_secret_hash, prevents_existence_errors, session_minutes, unknown_user};
use super::custom::custom_next;
use super::param;
use super::password::pre_authentication;
use super::session::{after_password, new_session};

/// The client's public value A from `SRP_A`: hexadecimal, and not 0 mod N.
pub(crate) fn client_a(params: &StringMap) -> Result<BigUint> {
    let a_pub = srp::parse_hex(param(params, "SRP_A")?, "SRP_A")
        .map_err(|_| CognitoError::invalid_parameter("SRP_A is not a hexadecimal number."))?;
    if (&a_pub % &srp::group().n) == BigUint::default() {
        return Err(CognitoError::invalid_parameter(
            "SRP_A is invalid: A mod N is 0.",
        ));
    }
    Ok(a_pub)
}

/// The server's half of a new exchange, computed outside the store lock (B costs a modular
/// exponentiation): the ephemeral, the exchange id and the `SECRET_BLOCK` (id ‖ MAC) that names
/// it.
pub(crate) struct Opened {
    /// b, and B = k·v + g^b.
    pub server: ServerEphemeral,
    /// The key of the pending exchange.
    pub id: [u8; 32],
    /// The `SECRET_BLOCK` parameter, base64.
    pub block: String,
}

/// Draws b for a verifier and makes the block that will name the exchange.
pub(crate) fn open_exchange(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    verifier: &BigUint,
) -> Opened {
    let server = ServerEphemeral::from_private_bytes(&ids::bytes::<32>(), verifier);
    let id = ids::bytes::<32>();
    let mut block = id.to_vec();
    block.extend_from_slice(&block_tag(ctx, &id, pool_id, client_id));
    Opened {
        server,
        id,
        block: B64.encode(block),
    }
}

/// Keeps a pending exchange until it is answered or expires.
pub(crate) fn keep_exchange(state: &mut State, id: [u8; 32], pending: PendingSrp, now: i64) {
    state.srp_expiry.drop_expired(&mut state.srp_pending, now);
    let expires_at = pending.expires_at;
    state
        .srp_expiry
        .insert(&mut state.srp_pending, id, pending, expires_at);
}

/// A password claim as the client sent it (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER), its
/// block's MAC and its timestamp already checked.
pub(crate) struct Claim<'a> {
    /// The exchange the block names.
    pub id: [u8; 32],
    /// The decoded `PASSWORD_CLAIM_SECRET_BLOCK`.
    pub block: Vec<u8>,
    /// `PASSWORD_CLAIM_SIGNATURE`.
    pub signature: &'a str,
    /// `TIMESTAMP`.
    pub timestamp: &'a str,
}

/// Reads a claim: the three parameters, the block's MAC for this pool and client, and the
/// timestamp's format (and window, when one is set).
pub(crate) fn read_claim<'a>(
    ctx: &Ctx,
    responses: &'a StringMap,
    pool_id: &str,
    client_id: &str,
) -> Result<Claim<'a>> {
    let block_b64 = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let block = B64
        .decode(block_b64)
        .map_err(|_| CognitoError::wrong_credentials())?;
    let id = check_block(ctx, &block, pool_id, client_id)?;
    check_timestamp(ctx, timestamp)?;
    Ok(Claim {
        id,
        block,
        signature,
        timestamp,
    })
}

/// Whether the claim proves the password (or device secret): the session key from the spent
/// exchange, and the signature over realm ‖ user id ‖ block ‖ timestamp, compared in constant
/// time. `realm` is the pool name, or the device group key; `user_id` the username, or the
/// device key.
pub(crate) fn claim_is_valid(
    pending: &PendingSrp,
    realm: &str,
    user_id: &str,
    claim: &Claim<'_>,
) -> bool {
    let Ok(key) = pending
        .server
        .session_key(&pending.a_pub, &pending.verifier)
    else {
        return false;
    };
    let message = srp::claim_message(realm, user_id, &claim.block, claim.timestamp);
    srp::verify_claim_signature(&srp::claim_mac(&key, &message), claim.signature)
}

pub(crate) fn block_tag(ctx: &Ctx, id: &[u8; 32], pool_id: &str, client_id: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&ctx.block_key[..])
        .unwrap_or_else(|_| unreachable!());
    mac.update(id);
    mac.update(pool_id.as_bytes());
    mac.update(&[0]);
    mac.update(client_id.as_bytes());
    mac.finalize().into_bytes().into()
}

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

/// PASSWORD_VERIFIER: checks the claim signature, then continues as after a correct password.
pub(crate) fn verify_srp(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
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
                let key = crate::signin::devices::given(responses);
                crate::signin::devices::check_known(pool, user, key.as_deref())?;
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
    let device = crate::signin::devices::given(responses);

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
        return custom_next(ctx, pool_id, client_id, &user, history, metadata, None);
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
}

/// Spends the SRP exchange of a secret block (a block answers once, right or wrong) and checks
/// that it is a user (or, with `device`, a device) exchange of this pool and client, still
/// open, and for the user the claim names.
pub(crate) fn spend_pending(
    state: &mut State,
    id: &[u8; 32],
    pool_id: &str,
    client_id: &str,
    same_user: Option<String>,
    now: i64,
    device: bool,
) -> Result<PendingSrp> {
    let pending = state
        .srp_pending
        .remove(id)
        .ok_or_else(CognitoError::wrong_credentials)?;
    if pending.device.is_some() != device {
        return Err(CognitoError::wrong_credentials());
    }
    if pending.client_id != client_id || pending.pool_id != pool_id {
        return Err(CognitoError::wrong_credentials());
    }
    if pending.expires_at <= now {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    if pending.username.is_none() || same_user != pending.username {
        return Err(CognitoError::wrong_credentials());
    }
    Ok(pending)
}

/// Checks a `SECRET_BLOCK` (id ‖ HMAC tag) and returns the exchange id.
pub(crate) fn check_block(
    ctx: &Ctx,
    block: &[u8],
    pool_id: &str,
    client_id: &str,
) -> Result<[u8; 32]> {
    if block.len() != 64 {
        return Err(CognitoError::wrong_credentials());
    }
    let mut id = [0u8; 32];
    let mut tag = [0u8; 32];
    id.copy_from_slice(&block[..32]);
    tag.copy_from_slice(&block[32..]);
    if !bool::from(block_tag(ctx, &id, pool_id, client_id).ct_eq(&tag)) {
        return Err(CognitoError::wrong_credentials());
    }
    Ok(id)
}

/// Checks a claim's `TIMESTAMP`: always its format, and the clock window when one is set.
pub(crate) fn check_timestamp(ctx: &Ctx, timestamp: &str) -> Result<()> {
    let secs = srp::parse_timestamp(timestamp).ok_or_else(|| {
        CognitoError::invalid_parameter(
            "TIMESTAMP is not in the format 'Sun Nov 1 01:02:03 UTC 2026'.",
        )
    })?;
    if let Some(window) = ctx.config.srp_timestamp_window {
        let skew = (secs - ctx.now()).unsigned_abs();
        if skew > window.as_secs() {
            return Err(CognitoError::not_authorized(
                "TIMESTAMP is outside the allowed clock skew.",
            ));
        }
    }
    Ok(())
}
