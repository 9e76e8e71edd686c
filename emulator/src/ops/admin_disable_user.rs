//! AdminDisableUser: a disabled user cannot sign in, refresh, or use an access token.

use cognito_protocol::wire::{AdminUserRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<Empty> {
    let modified = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        user.enabled = false;
        user.modified = modified;
        Ok(Empty {})
    })
}
