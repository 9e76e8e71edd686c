//! DeleteUser: the signed-in user deletes themselves; their tokens stop working.

use cognito_protocol::wire::{AccessTokenRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens;

pub fn handle(ctx: &Ctx, req: AccessTokenRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?;
        let user = pool.user(&username)?;
        let (key, sub) = (pool.user_key(&user.username), user.sub.clone());
        tokens::revoke_user(state, &pool_id, &sub);
        state.pool_mut(&pool_id)?.remove_user(&key);
        state.sessions.retain(|_, s| !(s.pool_id == pool_id && s.username == username));
        Ok(Empty {})
    })
}
