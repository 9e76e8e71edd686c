//! DeleteResourceServer: its scopes stop being grantable at once.

use cognito_protocol::wire::{Empty, ResourceServerIdRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: ResourceServerIdRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.resource_servers.remove(&req.identifier).ok_or_else(|| {
            CognitoError::resource_not_found(format!("Resource server {} does not exist.", req.identifier))
        })?;
        Ok(Empty {})
    })
}
