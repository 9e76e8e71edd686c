//! AdminRevokeUserSession: ends one of a user's sessions: its refresh tokens and the access
//! tokens issued from it stop working. `LINKED` reaches no further here: the emulator has no
//! SSO sessions for a token session to come through.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::tokens;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    username: String,
    session_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.now();
    ctx.store.with(|state| {
        let sub = state.pool(&req.user_pool_id)?.user(&req.username)?.sub.clone();
        if !tokens::sessions::revoke(state, &req.user_pool_id, &sub, &req.session_id, now) {
            return Err(CognitoError::resource_not_found("Session does not exist."));
        }
        Ok(json!({}))
    })
}
