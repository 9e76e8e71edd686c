//! ListUserSessions: the signed-in user's active token sessions across the pool's app clients
//! (see `tokens::sessions`), the calling token's own marked `IsCurrentSession`. One page of up
//! to 125, as Cognito returns them; none while the pool does not track sessions.

use cognito_protocol::wire::AccessTokenRequest;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens;

pub fn handle(ctx: &Ctx, req: AccessTokenRequest) -> Result<Value> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    let now = ctx.now();
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let sub = state.pool(&pool_id)?.user(&username)?.sub.clone();
        let sessions = tokens::sessions::of_user(state, &pool_id, &sub, now);
        Ok(super::admin_list_user_sessions::render(&sessions, access.origin()))
    })
}
