//! AdminGetUserAuthFactors: a user's MFA settings and the factors USER_AUTH offers them.

use cognito_protocol::wire::{AdminUserRequest, UserAuthFactorsResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::signin;

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<UserAuthFactorsResponse> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        Ok(signin::factors::of(pool, pool.user(&req.username)?))
    })
}
