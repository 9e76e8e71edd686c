//! DescribeUserPoolClient.

use cognito_protocol::wire::{UserPoolClientIdRequest, UserPoolClientResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: UserPoolClientIdRequest) -> Result<UserPoolClientResponse> {
    ctx.store.with(|state| {
        let (pool, client) = state.client_in(&req.user_pool_id, &req.client_id)?;
        Ok(UserPoolClientResponse { user_pool_client: Some(views::client(&pool.id, client)) })
    })
}
