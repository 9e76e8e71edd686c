//! What follows a proven first factor: challenge sessions (made, looked up), the next step
//! (NEW_PASSWORD_REQUIRED, MFA, DEVICE_SRP_AUTH) and, at the end of every successful sign-in,
//! the PostAuthentication and PreTokenGeneration triggers and the tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{ChallengeSession, State};
use crate::{accounts::users, ids};

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
            set_session_device(state, &session.0, device);
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
            webauthn_state: None,
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

/// Records the device a challenge session's sign-in comes from.
pub fn set_session_device(state: &mut State, session: &str, key: Option<String>) {
    if let Some(s) = state.sessions.get_mut(session) {
        s.device_key = key;
    }
}
