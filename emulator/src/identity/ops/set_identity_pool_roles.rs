//! SetIdentityPoolRoles: the `authenticated` and `unauthenticated` roles.

use cognito_protocol::wire::{Empty, IdentityPoolRoles};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity;

pub fn handle(ctx: &Ctx, req: IdentityPoolRoles) -> Result<Empty> {
    let roles = req.roles.unwrap_or_default();
    for (kind, arn) in &roles {
        if kind != "authenticated" && kind != "unauthenticated" {
            return Err(CognitoError::invalid_parameter(format!(
                "Roles: {kind} is not 'authenticated' or 'unauthenticated'."
            )));
        }
        if !arn.starts_with("arn:aws:iam::") || !arn.contains(":role/") {
            return Err(CognitoError::invalid_parameter(format!(
                "Roles: {arn} is not an IAM role ARN."
            )));
        }
    }
    ctx.store.with(|state| {
        identity::pool(state, &req.identity_pool_id)?;
        if let Some(pool) = state.identity.pools.get_mut(&req.identity_pool_id) {
            pool.roles = roles;
            pool.role_mappings = req.role_mappings;
        }
        Ok(Empty {})
    })
}
