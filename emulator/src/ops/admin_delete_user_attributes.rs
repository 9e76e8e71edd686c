//! AdminDeleteUserAttributes.

use cognito_protocol::wire::{AdminDeleteUserAttributesRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::accounts::lifecycle;

pub fn handle(ctx: &Ctx, req: AdminDeleteUserAttributesRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?.clone();
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        lifecycle::delete(ctx, &pool, &mut user, &req.user_attribute_names)?;
        Ok(Empty {})
    })
}
