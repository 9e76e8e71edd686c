//! The sign-in flows shared by InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge /
//! AdminRespondToAuthChallenge: which flows a client allows, `SECRET_HASH`, the SRP exchange,
//! password checks, refresh, and what follows a correct password (tokens, or the
//! NEW_PASSWORD_REQUIRED challenge).
//!
//! SRP state lives server-side. The `SECRET_BLOCK` handed to the client is a random id plus an
//! HMAC over it, the pool and the user: a forged block fails the MAC, a replayed one finds
//! nothing (the pending exchange is removed when first answered).

pub mod choice;
pub mod devices;

use std::collections::BTreeMap;

use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine as _;
use cognito_protocol::srp::{self, ServerEphemeral};
use cognito_protocol::wire::{self, AuthResponse, Sensitive, StringMap};
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{
    AppClient, ChallengeSession, PendingSrp, Pool, State, User, UserStatus,
};
use crate::triggers::{self, Call, TriggerKind};
use crate::{accounts::attributes, accounts::password, accounts::users, ids, tokens};
use serde_json::json;

/// The auth flows Cognito knows.
pub const FLOWS: &[&str] = &[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
];

/// Whether the request came through an `Admin*` operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// InitiateAuth / RespondToAuthChallenge.
    App,
    /// AdminInitiateAuth / AdminRespondToAuthChallenge.
    Admin,
}

pub(crate) fn param<'a>(map: &'a StringMap, name: &str) -> Result<&'a str> {
    map.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
        })
}

/// Fails unless the app client allows the flow.
pub fn check_flow_allowed(client: &AppClient, flow: &str) -> Result<()> {
    let flows = client
        .settings
        .explicit_auth_flows
        .clone()
        .unwrap_or_default();
    let has = |f: &str| flows.iter().any(|x| x == f);
    let modern = flows.iter().any(|f| f.starts_with("ALLOW_"));
    let allowed = match flow {
        "USER_SRP_AUTH" => !modern || has("ALLOW_USER_SRP_AUTH"),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => !modern || has("ALLOW_REFRESH_TOKEN_AUTH"),
        "USER_PASSWORD_AUTH" => has("ALLOW_USER_PASSWORD_AUTH") || has("USER_PASSWORD_AUTH"),
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || has("ADMIN_NO_SRP_AUTH")
        }
        "CUSTOM_AUTH" => has("ALLOW_CUSTOM_AUTH") || has("CUSTOM_AUTH_FLOW_ONLY"),
        "USER_AUTH" => has("ALLOW_USER_AUTH"),
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )))
    }
}

/// Checks `SECRET_HASH` for a client with a secret: it must be the HMAC of one of the
/// accepted usernames. Clients without a secret ignore it.
pub fn check_secret_hash(
    client: &AppClient,
    given: Option<&str>,
    usernames: &[&str],
) -> Result<()> {
    let Some(secret) = client.secret.as_deref() else {
        return Ok(());
    };
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        return Err(CognitoError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    let ok = usernames.iter().any(|u| {
        let expected = wire::secret_hash(secret, u, &client.id);
        bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
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
pub fn app_request<'s>(
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
pub fn prevents_existence_errors(client: &AppClient) -> bool {
    client.settings.prevent_user_existence_errors.as_deref() == Some("ENABLED")
}

/// The error for an unknown user: like a wrong password when the client prevents user
/// existence errors, `UserNotFoundException` otherwise.
pub fn unknown_user(client: &AppClient) -> CognitoError {
    if prevents_existence_errors(client) {
        CognitoError::wrong_credentials()
    } else {
        CognitoError::user_not_found("User does not exist.")
    }
}

pub(crate) fn session_minutes(client: &AppClient) -> i64 {
    client.settings.auth_session_validity.unwrap_or(3)
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
pub fn start_srp(
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
fn begin_srp(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
    custom_history: Option<Vec<serde_json::Value>>,
) -> Result<AuthResponse> {
    let login = param(params, "USERNAME")?;
    let a_hex = param(params, "SRP_A")?;
    let a_pub = srp::parse_hex(a_hex, "SRP_A")
        .map_err(|_| CognitoError::invalid_parameter("SRP_A is not a hexadecimal number."))?;
    if (&a_pub % &srp::group().n) == BigUint::default() {
        return Err(CognitoError::invalid_parameter(
            "SRP_A is invalid: A mod N is 0.",
        ));
    }

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

    let server = ServerEphemeral::from_private_bytes(&ids::bytes::<32>(), &verifier);
    let b_hex = server.public_hex();
    let id = ids::bytes::<32>();
    let tag = block_tag(ctx, &id, pool_id, client_id);
    let mut block = id.to_vec();
    block.extend_from_slice(&tag);
    let user_id_for_srp = username.clone().unwrap_or_else(|| login.to_owned());
    let now = ctx.now();
    let custom = custom_history.is_some();
    let session = ctx.store.with(|state| {
        state.srp_expiry.drop_expired(&mut state.srp_pending, now);
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
        let expires_at = now + minutes * 60;
        state.srp_expiry.insert(
            &mut state.srp_pending,
            id,
            PendingSrp {
                pool_id: pool_id.to_owned(),
                client_id: client_id.to_owned(),
                username,
                a_pub,
                server,
                verifier,
                expires_at,
                custom_history,
                device: None,
            },
            expires_at,
        );
        session
    });
    let parameters = BTreeMap::from([
        ("SALT".to_owned(), salt.to_str_radix(16)),
        ("SRP_B".to_owned(), b_hex),
        ("SECRET_BLOCK".to_owned(), B64.encode(block)),
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
pub fn verify_srp(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let block_b64 = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let login = param(responses, "USERNAME")?;

    let block = B64
        .decode(block_b64)
        .map_err(|_| CognitoError::wrong_credentials())?;
    let id = check_block(ctx, &block, pool_id, client_id)?;
    check_timestamp(ctx, timestamp)?;

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

    let key = pending
        .server
        .session_key(&pending.a_pub, &pending.verifier)
        .map_err(|_| CognitoError::wrong_credentials())?;
    let message = srp::claim_message(srp::pool_name(pool_id), &username, &block, timestamp);
    let expected = srp::claim_mac(&key, &message);
    if !srp::verify_claim_signature(&expected, signature) {
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

/// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: checks the password against the verifier.
/// An unknown user is migrated first when the pool has a UserMigration trigger.
pub fn password_auth(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let login = param(params, "USERNAME")?;
    let pw = param(params, "PASSWORD")?;
    let found = ctx.store.with(|state| -> Result<Option<User>> {
        let (pool, client) = state.client_in(pool_id, client_id)?;
        check_secret_hash(
            client,
            params.get("SECRET_HASH").map(String::as_str),
            &[login],
        )?;
        match pool.find_user(login) {
            Some(u) => Ok(Some(u.clone())),
            None if ctx.triggers.has(pool_id, TriggerKind::UserMigration) => Ok(None),
            None => Err(unknown_user(client)),
        }
    })?;
    let user = match found {
        Some(u) => u,
        None => migrate(ctx, pool_id, client_id, login, pw, metadata)?,
    };
    pre_authentication(ctx, pool_id, client_id, &user, metadata)?;
    let now = ctx.now();
    ctx.store
        .with(|state| state.check_sign_in_lock(pool_id, &user.username, now))?;
    let record = user
        .password
        .as_ref()
        .ok_or_else(CognitoError::wrong_credentials)?;
    if !password::matches(record, pool_id, &user.username, pw) {
        ctx.store
            .with(|state| state.sign_in_failed(pool_id, &user.username, now));
        return Err(CognitoError::wrong_credentials());
    }
    ctx.store
        .with(|state| state.sign_in_succeeded(pool_id, &user.username));
    let device = crate::signin::devices::given(params);
    ctx.store.with(|state| {
        crate::signin::devices::check_known(state.pool(pool_id)?, &user, device.as_deref())
    })?;
    after_password(
        ctx,
        pool_id,
        client_id,
        &user.username,
        "TokenGeneration_Authentication",
        metadata,
        device,
    )
}

/// UserMigration: asks the trigger for an unknown user and creates them with the password given.
fn migrate(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    login: &str,
    pw: &str,
    metadata: Option<&StringMap>,
) -> Result<User> {
    let response = triggers::invoke(
        ctx,
        TriggerKind::UserMigration,
        Call {
            pool_id,
            client_id: Some(client_id),
            user_name: login,
            source: "UserMigration_Authentication",
            request: json!({"password": pw, "validationData": null, "clientMetadata": metadata}),
        },
    )?
    .unwrap_or_default();
    let attrs: Vec<wire::AttributeType> = response
        .get("userAttributes")
        .and_then(|a| a.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, v)| wire::AttributeType::new(k, v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let status = match response.get("finalUserStatus").and_then(|v| v.as_str()) {
        Some("RESET_REQUIRED") => UserStatus::ResetRequired,
        _ => UserStatus::Confirmed,
    };
    ctx.store.with(|state| {
        let pool = state.pool(pool_id)?;
        let mut user = users::build(ctx, pool, login, &attrs, status)?;
        user.password = Some(password::record(pool_id, &user.username, pw, None));
        let pool = state.pool_mut(pool_id)?;
        pool.insert_user(user.clone());
        Ok(user)
    })
}

/// PreAuthentication: the trigger may refuse the sign-in.
fn pre_authentication(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    metadata: Option<&StringMap>,
) -> Result<()> {
    triggers::invoke(ctx, TriggerKind::PreAuthentication, Call {
        pool_id,
        client_id: Some(client_id),
        user_name: &user.username,
        source: "PreAuthentication_Authentication",
        request: json!({"userAttributes": triggers::attributes_map(&user.attributes), "validationData": null, "userNotFound": false, "clientMetadata": metadata}),
    })
    .map(|_| ())
}

/// PreTokenGeneration: the trigger's `claimsOverrideDetails`, if any.
fn pre_token_generation(
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

/// What follows a correct password: refusal for disabled, unconfirmed or reset users, the
/// NEW_PASSWORD_REQUIRED challenge for a temporary password, or (after the PostAuthentication and
/// PreTokenGeneration triggers, run outside the store lock) tokens.
pub fn after_password(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    username: &str,
    token_source: &str,
    metadata: Option<&StringMap>,
    device: Option<String>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let next = ctx
        .store
        .with(|state| -> Result<std::result::Result<User, Step>> {
            let (pool, client) = state.client_in(pool_id, client_id)?;
            let minutes = session_minutes(client);
            let user = pool.user(username)?.clone();
            if !user.enabled {
                return Err(CognitoError::not_authorized("User is disabled."));
            }
            match user.status {
                UserStatus::Unconfirmed => {
                    Err(CognitoError::user_not_confirmed("User is not confirmed."))
                }
                // Federated users have no password here; they sign in at their provider.
                UserStatus::ExternalProvider => Err(CognitoError::wrong_credentials()),
                UserStatus::ResetRequired => Err(CognitoError::password_reset_required(
                    "Password reset required for the user",
                )),
                UserStatus::ForceChangePassword => {
                    let expired = user
                        .password
                        .as_ref()
                        .and_then(|p| p.temporary_until)
                        .is_some_and(|until| until <= now);
                    if expired {
                        return Err(CognitoError::not_authorized(
                            "Temporary password has expired and must be reset by an administrator.",
                        ));
                    }
                    let required: Vec<String> = attributes::required_names(pool)
                        .into_iter()
                        .filter(|n| user.attr(n).is_none())
                        .map(|n| format!("userAttributes.{n}"))
                        .collect();
                    let current: serde_json::Map<String, serde_json::Value> = user
                        .attributes
                        .iter()
                        .filter(|(n, _)| n != "sub")
                        .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
                        .collect();
                    let session = new_session(
                        state,
                        pool_id,
                        client_id,
                        &user.username,
                        "NEW_PASSWORD_REQUIRED",
                        now + minutes * 60,
                    );
                    crate::signin::devices::set_session_device(state, &session, device.clone());
                    Ok(Err(Step::from(AuthResponse {
                        challenge_name: Some("NEW_PASSWORD_REQUIRED".into()),
                        session: Some(Sensitive(session)),
                        challenge_parameters: Some(BTreeMap::from([
                            ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
                            (
                                "requiredAttributes".to_owned(),
                                serde_json::to_string(&required).unwrap_or_default(),
                            ),
                            (
                                "userAttributes".to_owned(),
                                serde_json::Value::Object(current).to_string(),
                            ),
                        ])),
                        ..Default::default()
                    })))
                }
                UserStatus::Confirmed => mfa_step(
                    ctx,
                    state,
                    pool_id,
                    client_id,
                    user,
                    now + minutes * 60,
                    device.as_deref(),
                ),
            }
        })?;
    let user = match next {
        Ok(user) => user,
        Err(step) => return step.send(ctx, client_id, metadata),
    };
    device_or_finish(
        ctx,
        pool_id,
        client_id,
        &user,
        token_source,
        metadata,
        device,
    )
}

/// After the password and any MFA: DEVICE_SRP_AUTH when the sign-in names a confirmed device,
/// otherwise tokens.
fn device_or_finish(
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
        crate::signin::devices::challenge(
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

/// A challenge to answer, with the message (an SMS code) to deliver once the store is unlocked.
#[derive(Debug)]
pub struct Step {
    response: AuthResponse,
    message: Option<users::Outgoing>,
}

impl From<AuthResponse> for Step {
    fn from(response: AuthResponse) -> Self {
        Step {
            response,
            message: None,
        }
    }
}

impl Step {
    /// Records the device the sign-in comes from on the challenge's session.
    fn carry_device(&self, state: &mut State, device: Option<String>) {
        if let Some(session) = &self.response.session {
            crate::signin::devices::set_session_device(state, &session.0, device);
        }
    }

    pub(crate) fn send(
        self,
        ctx: &Ctx,
        client_id: &str,
        metadata: Option<&StringMap>,
    ) -> Result<AuthResponse> {
        users::deliver(
            ctx,
            Some(client_id),
            self.message.into_iter().collect(),
            metadata,
        )?;
        Ok(self.response)
    }
}

/// After a correct password, with MFA in force: the challenge the user must answer, or the
/// user (no MFA needed).
fn mfa_step(
    ctx: &Ctx,
    state: &mut State,
    pool_id: &str,
    client_id: &str,
    user: User,
    expires_at: i64,
    device: Option<&str>,
) -> Result<std::result::Result<User, Step>> {
    let pool = state.pool(pool_id)?;
    if crate::signin::devices::replaces_mfa(pool, &user, device) {
        return Ok(Ok(user));
    }
    let configuration = pool
        .settings
        .mfa_configuration
        .clone()
        .unwrap_or_else(|| "OFF".into());
    let enabled = user.mfa.enabled();
    if configuration == "OFF" || (configuration == "OPTIONAL" && enabled.is_empty()) {
        return Ok(Ok(user));
    }
    if enabled.is_empty() {
        let session = new_session(
            state,
            pool_id,
            client_id,
            &user.username,
            "MFA_SETUP",
            expires_at,
        );
        crate::signin::devices::set_session_device(state, &session, device.map(str::to_owned));
        return Ok(Err(challenge(
            "MFA_SETUP",
            session,
            &[
                ("MFAS_CAN_SETUP", "[\"SOFTWARE_TOKEN_MFA\"]".into()),
                ("USER_ID_FOR_SRP", user.username.clone()),
            ],
        )
        .into()));
    }
    let pick = match &user.mfa.preferred {
        Some(p) if enabled.contains(&p.as_str()) => Some(p.clone()),
        _ if enabled.len() == 1 => Some(enabled[0].to_owned()),
        _ => None,
    };
    match pick {
        Some(kind) => {
            let step = mfa_challenge(ctx, state, pool_id, client_id, &user, &kind, expires_at)?;
            step.carry_device(state, device.map(str::to_owned));
            Ok(Err(step))
        }
        None => {
            let session = new_session(
                state,
                pool_id,
                client_id,
                &user.username,
                "SELECT_MFA_TYPE",
                expires_at,
            );
            crate::signin::devices::set_session_device(state, &session, device.map(str::to_owned));
            let choices = serde_json::to_string(&enabled).unwrap_or_default();
            Ok(Err(challenge(
                "SELECT_MFA_TYPE",
                session,
                &[
                    ("MFAS_CAN_CHOOSE", choices),
                    ("USER_ID_FOR_SRP", user.username.clone()),
                ],
            )
            .into()))
        }
    }
}

fn challenge(name: &str, session: String, params: &[(&str, String)]) -> AuthResponse {
    AuthResponse {
        challenge_name: Some(name.into()),
        session: Some(Sensitive(session)),
        challenge_parameters: Some(
            params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        ),
        ..Default::default()
    }
}

/// SOFTWARE_TOKEN_MFA or SMS_MFA (with a code sent to the phone number).
pub(crate) fn mfa_challenge(
    ctx: &Ctx,
    state: &mut State,
    pool_id: &str,
    client_id: &str,
    user: &User,
    kind: &str,
    expires_at: i64,
) -> Result<Step> {
    let session = new_session(state, pool_id, client_id, &user.username, kind, expires_at);
    if kind == "SOFTWARE_TOKEN_MFA" {
        return Ok(challenge(kind, session, &[("USER_ID_FOR_SRP", user.username.clone())]).into());
    }
    let pool = state.pool(pool_id)?;
    let (issued, details, outgoing) = users::send_mfa_code(ctx, pool, user, kind);
    let medium = details.delivery_medium.clone().unwrap_or_default();
    if let Some(s) = state.sessions.get_mut(&session) {
        s.code = Some(crate::state::records::IssuedCode {
            code: issued.code,
            expires_at,
        });
    }
    let response = challenge(
        kind,
        session,
        &[
            ("CODE_DELIVERY_DELIVERY_MEDIUM", medium),
            (
                "CODE_DELIVERY_DESTINATION",
                details.destination.unwrap_or_default(),
            ),
            ("USER_ID_FOR_SRP", user.username.clone()),
        ],
    );
    Ok(Step {
        response,
        message: Some(outgoing),
    })
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
        Ok(crate::signin::devices::is_new(
            state.pool(pool_id)?,
            &user,
            device,
        ))
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
            crate::signin::devices::bind(ctx, state, pool_id, &user.username, device)?;
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
pub(crate) fn new_session(
    state: &mut State,
    pool_id: &str,
    client_id: &str,
    username: &str,
    challenge: &str,
    expires_at: i64,
) -> String {
    let now_floor = expires_at - 15 * 60;
    state
        .session_expiry
        .drop_expired(&mut state.sessions, now_floor);
    let session = B64URL.encode(ids::bytes::<96>());
    state.session_expiry.insert(
        &mut state.sessions,
        session.clone(),
        ChallengeSession {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            challenge: challenge.to_owned(),
            expires_at,
            code: None,
            custom_history: Vec::new(),
            custom_private: None,
            device_key: None,
        },
        expires_at,
    );
    session
}

pub(crate) fn take_session(
    state: &State,
    session: Option<&str>,
    pool_id: &str,
    client_id: &str,
    challenge: &str,
    now: i64,
) -> Result<ChallengeSession> {
    let invalid = || CognitoError::not_authorized("Invalid session for the user.");
    let s = state
        .sessions
        .get(session.ok_or_else(invalid)?)
        .ok_or_else(invalid)?;
    if s.pool_id != pool_id || s.client_id != client_id || s.challenge != challenge {
        return Err(invalid());
    }
    if s.expires_at <= now {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    Ok(s.clone())
}

/// NEW_PASSWORD_REQUIRED: sets the permanent password and required attributes, then issues
/// tokens. The session stays usable after a policy or attribute error, so the user can retry.
pub fn new_password(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let login = param(responses, "USERNAME")?;
    let new_pw = param(responses, "NEW_PASSWORD")?;
    let (username, device) = ctx
        .store
        .with(|state| -> Result<(String, Option<String>)> {
            let sess = take_session(
                state,
                session,
                pool_id,
                client_id,
                "NEW_PASSWORD_REQUIRED",
                now,
            )?;
            let (pool, client) = state.client_in(pool_id, client_id)?;
            check_secret_hash(
                client,
                responses.get("SECRET_HASH").map(String::as_str),
                &[login],
            )?;
            let user = pool
                .find_user(login)
                .ok_or_else(|| CognitoError::not_authorized("Invalid session for the user."))?;
            if user.username != sess.username {
                return Err(CognitoError::not_authorized(
                    "Invalid session for the user.",
                ));
            }
            let given: Vec<wire::AttributeType> = responses
                .iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("userAttributes.")
                        .map(|n| wire::AttributeType::new(n, v.clone()))
                })
                .collect();
            attributes::validate(pool, &given)?;
            let mut merged = user.attributes.clone();
            for a in &given {
                let value = a.value.clone().unwrap_or_default();
                match merged.iter_mut().find(|(n, _)| *n == a.name) {
                    Some(slot) => slot.1 = value,
                    None => merged.push((a.name.clone(), value)),
                }
            }
            attributes::check_required(pool, &merged)?;
            password::check_policy(&password::policy(pool), new_pw)?;
            let record = password::record(pool_id, &user.username, new_pw, None);
            let username = user.username.clone();
            let modified = ctx.clock.now_epoch_f64();
            {
                let mut user = state.pool_mut(pool_id)?.user_mut(&username)?;
                user.attributes = merged;
                user.password = Some(record);
                user.status = UserStatus::Confirmed;
                user.modified = modified;
            }
            if let Some(s) = session {
                state.sessions.remove(s);
            }
            Ok((username, sess.device_key))
        })?;
    after_password(
        ctx,
        pool_id,
        client_id,
        &username,
        "TokenGeneration_NewPasswordChallenge",
        metadata,
        device,
    )
}

/// REFRESH_TOKEN_AUTH: new id and access tokens for a valid refresh token of this client,
/// keeping `auth_time` and `origin_jti`. The refresh token itself is not rotated.
pub fn refresh(
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
        if !crate::signin::devices::refresh_allowed(
            &user,
            record.device_key.as_deref(),
            crate::signin::devices::given(params).as_deref(),
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
/// Runs an InitiateAuth-style request once the pool and client are known.
pub fn initiate(
    ctx: &Ctx,
    caller: Caller,
    pool_id: &str,
    client_id: &str,
    flow: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    if !FLOWS.contains(&flow) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            FLOWS.join(", ")
        )));
    }
    let admin_only = matches!(flow, "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH");
    if admin_only && caller == Caller::App {
        return Err(CognitoError::invalid_parameter(format!(
            "Initiate Auth method not supported: {flow}"
        )));
    }
    ctx.store.with(|state| -> Result<()> {
        let (_, client) = state.client_in(pool_id, client_id)?;
        check_flow_allowed(client, flow)
    })?;
    match flow {
        "USER_SRP_AUTH" => start_srp(ctx, pool_id, client_id, params, metadata),
        "CUSTOM_AUTH" => start_custom(ctx, pool_id, client_id, params, metadata),
        "USER_AUTH" => crate::signin::choice::start(ctx, pool_id, client_id, params, metadata),
        "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            password_auth(ctx, pool_id, client_id, params, metadata)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            refresh(ctx, pool_id, client_id, params, metadata)
        }
        other => Err(CognitoError::invalid_parameter(format!(
            "The {other} flow is not supported by this emulator yet."
        ))),
    }
}

/// Runs a RespondToAuthChallenge-style request once the pool and client are known.
pub fn respond(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    challenge: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    match challenge {
        "PASSWORD_VERIFIER" => verify_srp(ctx, pool_id, client_id, session, responses, metadata),
        "NEW_PASSWORD_REQUIRED" => {
            new_password(ctx, pool_id, client_id, session, responses, metadata)
        }
        "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" => answer_mfa(
            ctx, pool_id, client_id, challenge, session, responses, metadata,
        ),
        "SELECT_MFA_TYPE" => select_mfa_type(ctx, pool_id, client_id, session, responses, metadata),
        "SELECT_CHALLENGE" => crate::signin::choice::answer_select(
            ctx, pool_id, client_id, session, responses, metadata,
        ),
        "MFA_SETUP" => finish_mfa_setup(ctx, pool_id, client_id, session, responses, metadata),
        "CUSTOM_CHALLENGE" => answer_custom(ctx, pool_id, client_id, session, responses, metadata),
        "DEVICE_SRP_AUTH" => {
            crate::signin::devices::start(ctx, pool_id, client_id, session, responses)
        }
        "DEVICE_PASSWORD_VERIFIER" => {
            crate::signin::devices::verify(ctx, pool_id, client_id, session, responses, metadata)
        }
        other => Err(CognitoError::invalid_parameter(format!(
            "The {other} challenge is not supported by this emulator yet."
        ))),
    }
}

/// SOFTWARE_TOKEN_MFA (a TOTP code) or SMS_MFA (the code that was sent): right → tokens;
/// wrong → CodeMismatchException, and the session stays for another try until it expires.
fn answer_mfa(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    challenge: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let code_key = match challenge {
        "SMS_MFA" => "SMS_MFA_CODE",
        "EMAIL_OTP" => "EMAIL_OTP_CODE",
        "SMS_OTP" => "SMS_OTP_CODE",
        _ => "SOFTWARE_TOKEN_MFA_CODE",
    };
    let code = param(responses, code_key)?;
    let (user, device) = ctx.store.with(|state| -> Result<(User, Option<String>)> {
        let sess = take_session(state, session, pool_id, client_id, challenge, now)?;
        let user = state.pool(pool_id)?.user(&sess.username)?.clone();
        state.check_code_attempts(pool_id, &user.username, now)?;
        let valid = match challenge {
            "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" => {
                users::check_code(sess.code.as_ref(), code, now).is_ok()
            }
            _ => user
                .mfa
                .totp_secret
                .as_deref()
                .is_some_and(|secret| crate::accounts::totp::verify(secret, code, now)),
        };
        if !valid {
            state.code_failed(pool_id, &user.username, now);
            return Err(CognitoError::code_mismatch(
                "Invalid code received for user",
            ));
        }
        if let Some(s) = session {
            state.sessions.remove(s);
        }
        Ok((user, sess.device_key))
    })?;
    device_or_finish(
        ctx,
        pool_id,
        client_id,
        &user,
        "TokenGeneration_Authentication",
        metadata,
        device,
    )
}

/// SELECT_MFA_TYPE: the chosen factor's challenge.
fn select_mfa_type(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let answer = param(responses, "ANSWER")?;
    let step = ctx.store.with(|state| -> Result<Step> {
        let sess = take_session(state, session, pool_id, client_id, "SELECT_MFA_TYPE", now)?;
        let user = state.pool(pool_id)?.user(&sess.username)?.clone();
        if !user.mfa.enabled().contains(&answer) {
            return Err(CognitoError::invalid_parameter(format!(
                "{answer} is not one of the user's MFA types."
            )));
        }
        if let Some(s) = session {
            state.sessions.remove(s);
        }
        mfa_challenge(
            ctx,
            state,
            pool_id,
            client_id,
            &user,
            answer,
            sess.expires_at,
        )
        .inspect(|step| step.carry_device(state, sess.device_key.clone()))
    })?;
    step.send(ctx, client_id, metadata)
}

/// MFA_SETUP, answered after AssociateSoftwareToken and VerifySoftwareToken with the session:
/// the user now has software-token MFA and is signed in.
fn finish_mfa_setup(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    _responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let (user, device) = ctx.store.with(|state| -> Result<(User, Option<String>)> {
        let sess = take_session(state, session, pool_id, client_id, "MFA_SETUP", now)?;
        let user = state.pool(pool_id)?.user(&sess.username)?.clone();
        if user.mfa.enabled().is_empty() {
            return Err(CognitoError::invalid_parameter(
                "MFA setup is not complete: verify a software token first.",
            ));
        }
        if let Some(s) = session {
            state.sessions.remove(s);
        }
        Ok((user, sess.device_key))
    })?;
    device_or_finish(
        ctx,
        pool_id,
        client_id,
        &user,
        "TokenGeneration_Authentication",
        metadata,
        device,
    )
}

/// The user behind an MFA_SETUP session (AssociateSoftwareToken / VerifySoftwareToken), and a
/// fresh session that replaces it.
pub fn mfa_setup_session(
    ctx: &Ctx,
    state: &mut State,
    session: &str,
) -> Result<(String, String, String)> {
    let now = ctx.now();
    let invalid = || CognitoError::not_authorized("Invalid session for the user.");
    let sess = state.sessions.get(session).cloned().ok_or_else(invalid)?;
    if sess.challenge != "MFA_SETUP" {
        return Err(invalid());
    }
    if sess.expires_at <= now {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    state.sessions.remove(session);
    let next = new_session(
        state,
        &sess.pool_id,
        &sess.client_id,
        &sess.username,
        "MFA_SETUP",
        sess.expires_at,
    );
    crate::signin::devices::set_session_device(state, &next, sess.device_key);
    Ok((sess.pool_id, sess.username, next))
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

/// CUSTOM_AUTH, first step: the user must exist, be confirmed and enabled; then
/// DefineAuthChallenge decides.
fn start_custom(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let login = param(params, "USERNAME")?;
    let with_srp = params.contains_key("SRP_A");
    if with_srp && params.get("CHALLENGE_NAME").is_some_and(|c| c != "SRP_A") {
        return Err(CognitoError::invalid_parameter(
            "CHALLENGE_NAME must be SRP_A when CUSTOM_AUTH starts with SRP_A.",
        ));
    }
    let user = ctx
        .store
        .with(|state| user_for_challenges(state, pool_id, client_id, params, login))?;
    if with_srp {
        // DefineAuthChallenge sees the SRP_A step and usually asks for PASSWORD_VERIFIER.
        let history = vec![
            json!({"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": null}),
        ];
        return custom_next(
            ctx,
            pool_id,
            client_id,
            &user,
            history,
            metadata,
            Some(params),
        );
    }
    custom_next(ctx, pool_id, client_id, &user, Vec::new(), metadata, None)
}

/// Runs DefineAuthChallenge on the challenges so far: fail, issue tokens, or create the next
/// CUSTOM_CHALLENGE. Right after SRP_A (`srp` holds the client's SRP_A), it may also ask for
/// PASSWORD_VERIFIER.
fn custom_next(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    history: Vec<serde_json::Value>,
    metadata: Option<&StringMap>,
    srp: Option<&StringMap>,
) -> Result<AuthResponse> {
    let call = |kind, source, request| {
        triggers::invoke(
            ctx,
            kind,
            Call {
                pool_id,
                client_id: Some(client_id),
                user_name: &user.username,
                source,
                request,
            },
        )
    };
    let attrs = triggers::attributes_map(&user.attributes);
    let define = call(TriggerKind::DefineAuthChallenge, "DefineAuthChallenge_Authentication", json!({"userAttributes": attrs, "session": history, "clientMetadata": metadata, "userNotFound": false}))?
        .ok_or_else(|| CognitoError::invalid_parameter("Custom auth lambda trigger is not configured for the user pool."))?;
    if define
        .get("failAuthentication")
        .and_then(serde_json::Value::as_bool)
        == Some(true)
    {
        return Err(CognitoError::wrong_credentials());
    }
    if define
        .get("issueTokens")
        .and_then(serde_json::Value::as_bool)
        == Some(true)
    {
        return finish_sign_in(
            ctx,
            pool_id,
            client_id,
            user,
            "TokenGeneration_Authentication",
            metadata,
            None,
        );
    }
    let name = define
        .get("challengeName")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if name == "PASSWORD_VERIFIER" {
        if let Some(params) = srp {
            return begin_srp(ctx, pool_id, client_id, params, metadata, Some(history));
        }
    }
    if name != "CUSTOM_CHALLENGE" {
        return Err(CognitoError {
            kind: cognito_protocol::wire::ErrorKind::InvalidLambdaResponse,
            message: format!("DefineAuthChallenge asked for {name:?}; this emulator supports CUSTOM_CHALLENGE, PASSWORD_VERIFIER right after SRP_A, issueTokens and failAuthentication."),
        });
    }
    let create = call(TriggerKind::CreateAuthChallenge, "CreateAuthChallenge_Authentication", json!({"userAttributes": attrs, "challengeName": name, "session": history, "clientMetadata": metadata}))?
        .unwrap_or_default();
    let mut parameters: BTreeMap<String, String> = create
        .get("publicChallengeParameters")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    parameters.insert("USERNAME".into(), user.username.clone());
    let private = create
        .get("privateChallengeParameters")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let challenge_metadata = create
        .get("challengeMetadata")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    let now = ctx.now();
    let session = ctx.store.with(|state| -> Result<String> {
        let (_, client) = state.client_in(pool_id, client_id)?;
        let expires = now + session_minutes(client) * 60;
        let session = new_session(
            state,
            pool_id,
            client_id,
            &user.username,
            "CUSTOM_CHALLENGE",
            expires,
        );
        if let Some(s) = state.sessions.get_mut(&session) {
            s.custom_history = history;
            s.custom_private = Some((private, challenge_metadata));
        }
        Ok(session)
    })?;
    Ok(AuthResponse {
        challenge_name: Some("CUSTOM_CHALLENGE".into()),
        session: Some(Sensitive(session)),
        challenge_parameters: Some(parameters),
        ..Default::default()
    })
}

/// CUSTOM_CHALLENGE: VerifyAuthChallengeResponse judges the answer, which joins the history;
/// DefineAuthChallenge decides what follows.
fn answer_custom(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let answer = param(responses, "ANSWER")?;
    let now = ctx.now();
    let (user, mut history, private, challenge_metadata) =
        ctx.store.with(|state| -> Result<_> {
            let sess = take_session(state, session, pool_id, client_id, "CUSTOM_CHALLENGE", now)?;
            if let Some(s) = session {
                state.sessions.remove(s);
            }
            let user = state.pool(pool_id)?.user(&sess.username)?.clone();
            let (private, meta) = sess.custom_private.clone().unwrap_or((json!({}), None));
            Ok((user, sess.custom_history, private, meta))
        })?;
    let verify = triggers::invoke(ctx, TriggerKind::VerifyAuthChallengeResponse, Call {
        pool_id,
        client_id: Some(client_id),
        user_name: &user.username,
        source: "VerifyAuthChallengeResponse_Authentication",
        request: json!({"userAttributes": triggers::attributes_map(&user.attributes), "privateChallengeParameters": private, "challengeAnswer": answer, "clientMetadata": metadata, "userNotFound": false}),
    })?
    .unwrap_or_default();
    let correct = verify
        .get("answerCorrect")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    history.push(json!({"challengeName": "CUSTOM_CHALLENGE", "challengeResult": correct, "challengeMetadata": challenge_metadata}));
    custom_next(ctx, pool_id, client_id, &user, history, metadata, None)
}
