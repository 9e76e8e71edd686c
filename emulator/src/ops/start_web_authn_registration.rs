//! StartWebAuthnRegistration: passkey creation options for the signed-in user (see
//! `signin::webauthn`): a fresh challenge, the user's handle, the pool's relying party, and the
//! user's passkeys excluded. Needs `WEB_AUTHN` among the pool's first factors; at most 20
//! passkeys a user.

use cognito_protocol::wire::{AccessTokenRequest, ErrorKind};
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::signin::{choice, webauthn};
use crate::state::records::Pool;
use crate::tokens;

/// Passkeys a user may hold.
pub(crate) const MAX_PASSKEYS: usize = 20;

/// Fails unless the pool offers passkeys (`WEB_AUTHN` in `AllowedFirstAuthFactors`).
pub(crate) fn passkeys_enabled(pool: &Pool) -> Result<webauthn::Settings> {
    if !choice::allowed_first_factors(pool).iter().any(|f| f == "WEB_AUTHN") {
        return Err(CognitoError {
            kind: ErrorKind::WebAuthnNotEnabled,
            message: "Passkeys are not enabled for this user pool (WEB_AUTHN in SignInPolicy.AllowedFirstAuthFactors).".into(),
        });
    }
    webauthn::settings(pool, pool.id.split('_').next().unwrap_or_default())
}

pub fn handle(ctx: &Ctx, req: AccessTokenRequest) -> Result<Value> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    let client_id = access.client_id().unwrap_or_default().to_owned();
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?;
        let settings = passkeys_enabled(pool)?;
        let user = pool.user(&username)?;
        if user.webauthn.len() >= MAX_PASSKEYS {
            return Err(CognitoError::limit_exceeded(format!(
                "A user can register at most {MAX_PASSKEYS} passkeys."
            )));
        }
        let (options, pending) = webauthn::start_registration(&settings, user, &client_id)?;
        state.pool_mut(&pool_id)?.user_mut(&username)?.webauthn_pending = Some(Box::new(pending));
        Ok(json!({ "CredentialCreationOptions": options }))
    })
}
