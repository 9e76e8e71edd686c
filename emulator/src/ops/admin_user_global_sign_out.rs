//! AdminUserGlobalSignOut: GlobalSignOut for a named user.

use cognito_protocol::wire::{AdminUserRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens;

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let sub = state.pool(&req.user_pool_id)?.user(&req.username)?.sub.clone();
        tokens::revoke_user(state, &req.user_pool_id, &sub);
        Ok(Empty {})
    })
}
