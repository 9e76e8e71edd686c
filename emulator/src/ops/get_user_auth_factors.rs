//! GetUserAuthFactors: the signed-in user's MFA settings and the factors USER_AUTH offers them.

use cognito_protocol::wire::{AccessTokenRequest, UserAuthFactorsResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{signin, tokens};

pub fn handle(ctx: &Ctx, req: AccessTokenRequest) -> Result<UserAuthFactorsResponse> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?;
        Ok(signin::factors::of(pool, pool.user(&username)?))
    })
}
