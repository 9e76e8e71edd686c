//! AdminDeleteUser: the user's refresh tokens and sessions go with it.

use cognito_protocol::wire::{AdminUserRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens;

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let user = pool.user(&req.username)?;
        let (key, sub, username) = (pool.user_key(&user.username), user.sub.clone(), user.username.clone());
        tokens::revoke_user(state, &req.user_pool_id, &sub);
        state.pool_mut(&req.user_pool_id)?.remove_user(&key);
        state.sessions.retain(|_, s| !(s.pool_id == req.user_pool_id && s.username == username));
        Ok(Empty {})
    })
}
