//! DescribeResourceServer.

use cognito_protocol::wire::{ResourceServerIdRequest, ResourceServerResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: ResourceServerIdRequest) -> Result<ResourceServerResponse> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let server = pool.resource_servers.get(&req.identifier).cloned().ok_or_else(|| {
            CognitoError::resource_not_found(format!(
                "Resource server {} does not exist.",
                req.identifier
            ))
        })?;
        Ok(ResourceServerResponse { resource_server: server })
    })
}
