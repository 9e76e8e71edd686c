//! DeleteUserPool: refused while deletion protection is active; takes the pool's tokens and
//! pending sign-ins with it.

use cognito_protocol::wire::{Empty, UserPoolIdRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: UserPoolIdRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        if pool.settings.deletion_protection.as_deref() == Some("ACTIVE") {
            return Err(CognitoError::invalid_parameter(
                "The user pool cannot be deleted because deletion protection is activated.",
            ));
        }
        let id = req.user_pool_id;
        state.pools.remove(&id);
        state.refresh_tokens.retain(|_, r| r.pool_id != id);
        state.sessions.retain(|_, s| s.pool_id != id);
        state.srp_pending.retain(|_, p| p.pool_id != id);
        state.client_pools.retain(|_, p| *p != id);
        Ok(Empty {})
    })
}
