//! GlobalSignOut: revokes every refresh token of the signed-in user and the access tokens
//! issued from them.

use cognito_protocol::wire::{AccessTokenRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens;

pub fn handle(ctx: &Ctx, req: AccessTokenRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let sub = state.pool(&pool_id)?.user(&username)?.sub.clone();
        tokens::revoke_user(state, &pool_id, &sub);
        Ok(Empty {})
    })
}
