//! DescribeUserPool.

use cognito_protocol::wire::{DescribeUserPoolResponse, UserPoolIdRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: UserPoolIdRequest) -> Result<DescribeUserPoolResponse> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        Ok(DescribeUserPoolResponse { user_pool: Some(views::pool(pool)) })
    })
}
