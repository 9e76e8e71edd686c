//! DeleteUserPoolClient: the client's refresh tokens stop working with it.

use cognito_protocol::wire::{Empty, UserPoolClientIdRequest};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: UserPoolClientIdRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        state.client_in(&req.user_pool_id, &req.client_id)?;
        state.pool_mut(&req.user_pool_id)?.clients.remove(&req.client_id);
        state.client_pools.remove(&req.client_id);
        state.refresh_tokens.retain(|_, r| r.client_id != req.client_id);
        state.sessions.retain(|_, s| s.client_id != req.client_id);
        state.srp_pending.retain(|_, p| p.client_id != req.client_id);
        Ok(Empty {})
    })
}
