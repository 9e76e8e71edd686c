//! UpdateResourceServer: a new name and a new list of scopes, which take effect at once for
//! client_credentials grants and clients' AllowedOAuthScopes.

use cognito_protocol::wire::{CreateResourceServerRequest, ResourceServerResponse, ResourceServerType};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: CreateResourceServerRequest) -> Result<ResourceServerResponse> {
    super::create_resource_server::check(&req)?;
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let server = pool.resource_servers.get_mut(&req.identifier).ok_or_else(|| {
            CognitoError::resource_not_found(format!("Resource server {} does not exist.", req.identifier))
        })?;
        *server = ResourceServerType {
            user_pool_id: Some(req.user_pool_id.clone()),
            identifier: Some(req.identifier.clone()),
            name: Some(req.name),
            scopes: Some(req.scopes.unwrap_or_default()),
        };
        Ok(ResourceServerResponse { resource_server: server.clone() })
    })
}
