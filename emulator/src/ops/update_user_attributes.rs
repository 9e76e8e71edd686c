//! UpdateUserAttributes: the signed-in user changes attributes; a changed email or phone
//! number is unverified (or, when the pool requires verification before update, kept pending
//! until verified) and a code is sent.

use cognito_protocol::wire::{UpdateUserAttributesRequest, UpdateUserAttributesResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::accounts::lifecycle::{self, Actor};
use crate::{tokens, accounts::users};

pub fn handle(ctx: &Ctx, req: UpdateUserAttributesRequest) -> Result<UpdateUserAttributesResponse> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        // Changed on a copy of the user and put back whole (see admin_update_user_attributes).
        let pool = state.pool(&pool_id)?;
        let mut user = pool.user(&username)?.clone();
        let answer = lifecycle::update(ctx, pool, &mut user, &req.user_attributes, Actor::User)?;
        state.pool_mut(&pool_id)?.insert_user(user);
        Ok(answer)
    })
    .and_then(|(deliveries, outgoing)| {
        users::deliver(ctx, None, outgoing, req.client_metadata.as_ref())?;
        Ok(UpdateUserAttributesResponse { code_delivery_details_list: (!deliveries.is_empty()).then_some(deliveries) })
    })
}
