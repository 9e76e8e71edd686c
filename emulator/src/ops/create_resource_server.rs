//! CreateResourceServer: an API identifier and its scopes (`{identifier}/{scope}`), which app
//! clients may be allowed for client_credentials and the hosted UI.

use cognito_protocol::wire::{CreateResourceServerRequest, ResourceServerResponse, ResourceServerScopeType, ResourceServerType};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: CreateResourceServerRequest) -> Result<ResourceServerResponse> {
    check(&req)?;
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.resource_servers.contains_key(&req.identifier) {
            return Err(CognitoError::invalid_parameter(format!(
                "{} already exists in pool {}.",
                req.identifier, req.user_pool_id
            )));
        }
        let server = ResourceServerType {
            user_pool_id: Some(req.user_pool_id.clone()),
            identifier: Some(req.identifier.clone()),
            name: Some(req.name),
            scopes: Some(req.scopes.unwrap_or_default()),
        };
        pool.resource_servers.insert(req.identifier, server.clone());
        Ok(ResourceServerResponse { resource_server: server })
    })
}

/// The checks CreateResourceServer and UpdateResourceServer share: an identifier and a name,
/// and scope names without spaces or slashes.
pub(crate) fn check(req: &CreateResourceServerRequest) -> Result<()> {
    super::non_empty(&req.identifier, "identifier")?;
    super::non_empty(&req.name, "name")?;
    check_scopes(req.scopes.iter().flatten())
}

fn check_scopes<'a>(scopes: impl Iterator<Item = &'a ResourceServerScopeType>) -> Result<()> {
    for s in scopes {
        if s.scope_name.is_empty() || s.scope_name.contains(char::is_whitespace) || s.scope_name.contains('/') {
            return Err(CognitoError::invalid_parameter(format!("Invalid scope name '{}'.", s.scope_name)));
        }
    }
    Ok(())
}
