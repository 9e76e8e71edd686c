//! AdminDeleteUserAttributes.

use cognito_protocol::wire::{AdminDeleteUserAttributesRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::accounts::lifecycle;

pub fn handle(ctx: &Ctx, req: AdminDeleteUserAttributesRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        // The user is changed on a copy and put back whole: the pool is only read meanwhile
        // (copying the pool, as this once did, cost a copy of every user per request).
        let pool = state.pool(&req.user_pool_id)?;
        let mut user = pool.user(&req.username)?.clone();
        lifecycle::delete(ctx, pool, &mut user, &req.user_attribute_names)?;
        state.pool_mut(&req.user_pool_id)?.insert_user(user);
        Ok(Empty {})
    })
}
