//! Choice-based sign-in (USER_AUTH): the pool's `SignInPolicy.AllowedFirstAuthFactors` and the
//! user's attributes decide which first factors are on offer (PASSWORD and PASSWORD_SRP,
//! EMAIL_OTP, SMS_OTP, WEB_AUTHN). `PREFERRED_CHALLENGE` picks one directly; otherwise the client gets
//! SELECT_CHALLENGE with `AvailableChallenges` and answers with its choice.

use std::collections::BTreeMap;

use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};

use super::param;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::User;

/// USER_AUTH, first step.
pub fn start(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let login = param(params, "USERNAME")?;
    let (user, available) = ctx.store.with(|state| -> Result<_> {
        let user = super::client::user_for_challenges(state, pool_id, client_id, params, login)?;
        let available = available(state.pool(pool_id)?, &user);
        Ok((user, available))
    })?;
    match params.get("PREFERRED_CHALLENGE") {
        Some(choice) if available.contains(&choice.as_str()) => {
            begin(ctx, pool_id, client_id, &user, choice, params, metadata)
        }
        _ => select_challenge(ctx, pool_id, client_id, &user, &available),
    }
}

/// SELECT_CHALLENGE: `ANSWER` names one of the available challenges, with its parameters.
pub fn answer_select(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let choice = param(responses, "ANSWER")?;
    let now = ctx.now();
    let user = ctx.store.with(|state| -> Result<User> {
        let sess = super::session::take_session(
            state,
            session,
            pool_id,
            client_id,
            "SELECT_CHALLENGE",
            now,
        )?;
        let pool = state.pool(pool_id)?;
        let user = pool.user(&sess.username)?.clone();
        super::client::check_enabled_and_confirmed(&user)?;
        if !available(pool, &user).contains(&choice) {
            return Err(CognitoError::invalid_parameter(format!(
                "{choice} is not one of the available challenges."
            )));
        }
        if let Some(s) = session {
            state.sessions.remove(s);
        }
        Ok(user)
    })?;
    begin(ctx, pool_id, client_id, &user, choice, responses, metadata)
}

/// The pool's `SignInPolicy.AllowedFirstAuthFactors` (PASSWORD alone when unset).
pub(crate) fn allowed_first_factors(pool: &crate::state::records::Pool) -> Vec<String> {
    pool.settings
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
        .and_then(|p| p.allowed_first_auth_factors.clone())
        .unwrap_or_else(|| vec!["PASSWORD".to_owned()])
}

/// The first factors this user can use in this pool, in Cognito's order.
pub(crate) fn available(pool: &crate::state::records::Pool, user: &User) -> Vec<&'static str> {
    let factors = allowed_first_factors(pool);
    let allowed = |f: &str| factors.iter().any(|x| x == f);
    let mut out = Vec::new();
    if allowed("PASSWORD") && user.password.is_some() {
        out.extend(["PASSWORD", "PASSWORD_SRP"]);
    }
    if allowed("EMAIL_OTP") && user.attr("email").is_some() {
        out.push("EMAIL_OTP");
    }
    if allowed("SMS_OTP") && user.attr("phone_number").is_some() {
        out.push("SMS_OTP");
    }
    // A passkey alone is one factor: where the pool requires MFA, it is on offer only to users
    // for whom passkeys count as MFA.
    let mfa_required = pool.settings.mfa_configuration.as_deref() == Some("ON");
    if allowed("WEB_AUTHN")
        && !user.webauthn.is_empty()
        && (!mfa_required || super::webauthn::passkey_mfa(pool, user))
    {
        out.push("WEB_AUTHN");
    }
    out
}

fn select_challenge(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    available: &[&str],
) -> Result<AuthResponse> {
    if available.is_empty() {
        return Err(CognitoError::not_authorized(
            "No sign-in method is available for the user.",
        ));
    }
    let now = ctx.now();
    let session = ctx.store.with(|state| -> Result<String> {
        let (_, client) = state.client_in(pool_id, client_id)?;
        let expires = now + super::client::session_minutes(client) * 60;
        Ok(super::session::new_session(
            state,
            pool_id,
            client_id,
            &user.username,
            "SELECT_CHALLENGE",
            expires,
        ))
    })?;
    Ok(AuthResponse {
        challenge_name: Some("SELECT_CHALLENGE".into()),
        session: Some(Sensitive(session)),
        challenge_parameters: Some(BTreeMap::new()),
        available_challenges: Some(available.iter().map(|c| (*c).to_owned()).collect()),
        ..Default::default()
    })
}

/// Starts the chosen first factor: a password checked at once, SRP's PASSWORD_VERIFIER, or a
/// one-time code sent by email or SMS (whose correct answer issues tokens, without MFA).
fn begin(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    choice: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let mut forwarded: StringMap = params
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "PASSWORD" | "SRP_A" | "SECRET_HASH"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    forwarded.insert("USERNAME".into(), user.username.clone());
    match choice {
        "PASSWORD" => super::password::password_auth(ctx, pool_id, client_id, &forwarded, metadata),
        "PASSWORD_SRP" => super::user_srp::start_srp(ctx, pool_id, client_id, &forwarded, metadata),
        "EMAIL_OTP" | "SMS_OTP" => {
            let now = ctx.now();
            let step = ctx.store.with(|state| -> Result<super::session::Step> {
                let (_, client) = state.client_in(pool_id, client_id)?;
                let expires = now + super::client::session_minutes(client) * 60;
                super::mfa::mfa_challenge(ctx, state, pool_id, client_id, user, choice, expires)
            })?;
            step.send(ctx, client_id, metadata)
        }
        "WEB_AUTHN" => {
            let now = ctx.now();
            let session = ctx.store.with(|state| -> Result<(String, String)> {
                let (pool, client) = state.client_in(pool_id, client_id)?;
                let region = pool_id.split('_').next().unwrap_or_default();
                let settings = super::webauthn::settings_for(pool, region, user)?;
                let (options, ceremony) = super::webauthn::start_authentication(&settings, user)?;
                let expires = now + super::client::session_minutes(client) * 60;
                let session = super::session::new_session(
                    state,
                    pool_id,
                    client_id,
                    &user.username,
                    "WEB_AUTHN",
                    expires,
                );
                if let Some(s) = state.sessions.get_mut(&session) {
                    s.webauthn_state = Some(ceremony);
                }
                Ok((session, options.to_string()))
            })?;
            Ok(super::session::challenge(
                "WEB_AUTHN",
                session.0,
                &[
                    ("USERNAME", user.username.clone()),
                    ("CREDENTIAL_REQUEST_OPTIONS", session.1),
                ],
            ))
        }
        other => Err(CognitoError::invalid_parameter(format!(
            "{other} is not a first factor this emulator offers."
        ))),
    }
}

/// WEB_AUTHN: `CREDENTIAL` is the authenticator's assertion (the `AuthenticationResponseJSON`
/// form), checked against the session's ceremony and the user's passkey; the passkey's sign
/// count is kept and the sign-in finishes (a passkey is a whole first factor, without MFA).
pub fn answer_web_authn(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let credential = param(responses, "CREDENTIAL")?;
    let now = ctx.now();
    let user = ctx.store.with(|state| -> Result<User> {
        let sess =
            super::session::take_session(state, session, pool_id, client_id, "WEB_AUTHN", now)?;
        // One answer per ceremony, right or wrong: a replayed assertion finds no session.
        if let Some(s) = session {
            state.sessions.remove(s);
        }
        let ceremony = sess
            .webauthn_state
            .as_deref()
            .ok_or_else(|| CognitoError::not_authorized("Invalid session for the user."))?;
        super::webauthn::verify_sign_in(state, pool_id, &sess.username, ceremony, credential)
    })?;
    super::finish::device_or_finish(
        ctx,
        pool_id,
        client_id,
        &user,
        "TokenGeneration_Authentication",
        metadata,
        None,
    )
}
