//! DeleteUserAttributes: the signed-in user removes optional attributes.

use cognito_protocol::wire::{DeleteUserAttributesRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{accounts::lifecycle, tokens};

pub fn handle(ctx: &Ctx, req: DeleteUserAttributesRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?.clone();
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        lifecycle::delete(ctx, &pool, &mut user, &req.user_attribute_names)?;
        Ok(Empty {})
    })
}
