//! Multi-factor authentication during sign-in: which factor is asked for (SOFTWARE_TOKEN_MFA,
//! SMS_MFA, SELECT_MFA_TYPE, MFA_SETUP), the answers, and the MFA_SETUP session that
//! AssociateSoftwareToken and VerifySoftwareToken work with.

use cognito_protocol::wire::{AuthResponse, StringMap};

use crate::accounts::users;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{State, User};

use super::finish::device_or_finish;
use super::param;
use super::session::{challenge, new_session, take_session, Step};

/// After a correct password, with MFA in force: the challenge the user must answer, or the
/// user (no MFA needed).
pub(crate) fn mfa_step(
    ctx: &Ctx,
    state: &mut State,
    pool_id: &str,
    client_id: &str,
    user: User,
    expires_at: i64,
    device: Option<&str>,
) -> Result<std::result::Result<User, Step>> {
    let pool = state.pool(pool_id)?;
    if super::devices::replaces_mfa(pool, &user, device) {
        return Ok(Ok(user));
    }
    let configuration = pool
        .settings
        .mfa_configuration
        .clone()
        .unwrap_or_else(|| "OFF".into());
    // Only the factors the pool allows (SetUserPoolMfaConfig) count.
    let enabled: Vec<&str> = user
        .mfa
        .enabled()
        .into_iter()
        .filter(|f| pool.allows_mfa(f))
        .collect();
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
        super::session::set_session_device(state, &session, device.map(str::to_owned));
        let can_setup: Vec<&str> = ["SOFTWARE_TOKEN_MFA"]
            .into_iter()
            .filter(|f| pool_allows(state, pool_id, f))
            .collect();
        return Ok(Err(challenge(
            "MFA_SETUP",
            session,
            &[
                (
                    "MFAS_CAN_SETUP",
                    serde_json::to_string(&can_setup).unwrap_or_default(),
                ),
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
            super::session::set_session_device(state, &session, device.map(str::to_owned));
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

fn pool_allows(state: &State, pool_id: &str, factor: &str) -> bool {
    state.pool(pool_id).is_ok_and(|p| p.allows_mfa(factor))
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
    Ok(Step::with_message(response, outgoing))
}

/// SOFTWARE_TOKEN_MFA (a TOTP code) or SMS_MFA (the code that was sent): right → tokens;
/// wrong → CodeMismatchException, and the session stays for another try until it expires.
pub(crate) fn answer_mfa(
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
pub(crate) fn select_mfa_type(
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
pub(crate) fn finish_mfa_setup(
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
pub(crate) fn mfa_setup_session(
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
    super::session::set_session_device(state, &next, sess.device_key);
    Ok((sess.pool_id, sess.username, next))
}
