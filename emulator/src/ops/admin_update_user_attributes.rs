//! AdminUpdateUserAttributes: values are set as given (`email_verified` included).

use cognito_protocol::wire::{AdminUpdateUserAttributesRequest, UpdateUserAttributesResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::accounts::lifecycle::{self, Actor};

pub fn handle(ctx: &Ctx, req: AdminUpdateUserAttributesRequest) -> Result<UpdateUserAttributesResponse> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?.clone();
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        lifecycle::update(ctx, &pool, &mut user, &req.user_attributes, Actor::Admin)?;
        Ok(UpdateUserAttributesResponse::default())
    })
}
