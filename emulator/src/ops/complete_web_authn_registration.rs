//! CompleteWebAuthnRegistration: the authenticator's registration response checked against the
//! ceremony StartWebAuthnRegistration began (attestation, challenge, origin, RP id hash, user
//! presence and verification; see `signin::webauthn`), from the same app client; the passkey
//! is kept. A ceremony is answered once, right or wrong.

use cognito_protocol::wire::{ErrorKind, Sensitive};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::signin::webauthn;
use crate::tokens;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    access_token: Sensitive<String>,
    credential: Value,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    let client_id = access.client_id().unwrap_or_default().to_owned();
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?;
        let settings = super::start_web_authn_registration::passkeys_enabled(pool)?;
        let pending = pool.user(&username)?.webauthn_pending.clone().ok_or_else(|| CognitoError {
            kind: ErrorKind::WebAuthnChallengeNotFound,
            message: "No passkey registration is in progress: call StartWebAuthnRegistration first.".into(),
        })?;
        state.pool_mut(&pool_id)?.user_mut(&username)?.webauthn_pending = None;
        if pending.client_id != client_id {
            return Err(CognitoError {
                kind: ErrorKind::WebAuthnClientMismatch,
                message: "The registration was started by another app client.".into(),
            });
        }
        let credential = webauthn::complete_registration(&settings, &pending, &req.credential, now)?;
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        if user.webauthn.iter().any(|c| c.id == credential.id) {
            return Err(CognitoError::invalid_parameter("The passkey is already registered."));
        }
        user.webauthn.push(credential);
        Ok(json!({}))
    })
}
