//! DescribeIdentityPool.

use cognito_protocol::wire::{IdentityPool, IdentityPoolIdRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::identity;

pub fn handle(ctx: &Ctx, req: IdentityPoolIdRequest) -> Result<IdentityPool> {
    ctx.store.with(|state| {
        let pool = identity::pool(state, &req.identity_pool_id)?;
        Ok(IdentityPool {
            identity_pool_id: pool.id.clone(),
            settings: pool.settings.clone(),
        })
    })
}
