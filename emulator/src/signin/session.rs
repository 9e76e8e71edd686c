//! What follows a proven first factor: challenge sessions (made, looked up), the next step
//! (NEW_PASSWORD_REQUIRED, MFA, DEVICE_SRP_AUTH) and, at the end of every successful sign-in,
//! the PostAuthentication and PreTokenGeneration triggers and the tokens.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{ChallengeSession, State, User, UserStatus};
use crate::triggers::{self, Call, TriggerKind};
use crate::{accounts::attributes, accounts::users, ids, tokens};
use serde_json::json;

use super::client::session_minutes;
use super::mfa::mfa_step;

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

/// What follows a correct password: refusal for disabled, unconfirmed or reset users, the
/// NEW_PASSWORD_REQUIRED challenge for a temporary password, or (after the PostAuthentication and
/// PreTokenGeneration triggers, run outside the store lock) tokens.
pub(crate) fn after_password(
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
    /// A challenge whose code must be delivered once the store is unlocked.
    pub(crate) fn with_message(response: AuthResponse, message: users::Outgoing) -> Self {
        Step {
            response,
            message: Some(message),
        }
    }

    /// Records the device the sign-in comes from on the challenge's session.
    pub(crate) fn carry_device(&self, state: &mut State, device: Option<String>) {
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

pub(crate) fn challenge(name: &str, session: String, params: &[(&str, String)]) -> AuthResponse {
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
