//! DeleteUserAttributes: the signed-in user removes optional attributes.

use cognito_protocol::wire::{DeleteUserAttributesRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{accounts::lifecycle, tokens};

pub fn handle(ctx: &Ctx, req: DeleteUserAttributesRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        // The user is changed on a copy and put back whole: the pool is only read meanwhile
        // (copying the pool, as this once did, cost a copy of every user per request).
        let pool = state.pool(&pool_id)?;
        let mut user = pool.user(&username)?.clone();
        lifecycle::delete(ctx, pool, &mut user, &req.user_attribute_names)?;
        state.pool_mut(&pool_id)?.insert_user(user);
        Ok(Empty {})
    })
}
