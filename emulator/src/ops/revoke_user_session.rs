//! RevokeUserSession: the signed-in user ends another of their sessions: its refresh tokens and
//! the access tokens issued from it stop working. The calling token's own session cannot be
//! ended this way (GlobalSignOut or RevokeToken do that). `LINKED` reaches no further here: the
//! emulator has no SSO sessions for a token session to come through.

use serde::Deserialize;
use serde_json::{json, Value};

use cognito_protocol::wire::Sensitive;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::tokens;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    access_token: Sensitive<String>,
    session_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    let now = ctx.now();
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let sub = state.pool(&pool_id)?.user(&username)?.sub.clone();
        let current = tokens::sessions::of_user(state, &pool_id, &sub, now)
            .into_iter()
            .find(|s| Some(s.origin_jti.as_str()) == access.origin());
        if current.is_some_and(|s| s.id == req.session_id) {
            return Err(CognitoError::invalid_parameter(
                "The session that the access token belongs to cannot be revoked with RevokeUserSession.",
            ));
        }
        if !tokens::sessions::revoke(state, &pool_id, &sub, &req.session_id, now) {
            return Err(CognitoError::resource_not_found("Session does not exist."));
        }
        Ok(json!({}))
    })
}
