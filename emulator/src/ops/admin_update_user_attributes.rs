//! AdminUpdateUserAttributes: values are set as given (`email_verified` included).

use cognito_protocol::wire::{AdminUpdateUserAttributesRequest, UpdateUserAttributesResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::accounts::lifecycle::{self, Actor};

pub fn handle(ctx: &Ctx, req: AdminUpdateUserAttributesRequest) -> Result<UpdateUserAttributesResponse> {
    ctx.store.with(|state| {
        // The user is changed on a copy and put back whole: the pool is only read meanwhile
        // (copying the pool, as this once did, cost a copy of every user per request).
        let pool = state.pool(&req.user_pool_id)?;
        let mut user = pool.user(&req.username)?.clone();
        lifecycle::update(ctx, pool, &mut user, &req.user_attributes, Actor::Admin)?;
        state.pool_mut(&req.user_pool_id)?.insert_user(user);
        Ok(UpdateUserAttributesResponse::default())
    })
}
