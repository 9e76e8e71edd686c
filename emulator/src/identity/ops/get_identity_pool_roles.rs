//! GetIdentityPoolRoles.

use cognito_protocol::wire::{IdentityPoolIdRequest, IdentityPoolRoles};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::identity;

pub fn handle(ctx: &Ctx, req: IdentityPoolIdRequest) -> Result<IdentityPoolRoles> {
    ctx.store.with(|state| {
        let pool = identity::pool(state, &req.identity_pool_id)?;
        Ok(IdentityPoolRoles {
            identity_pool_id: pool.id.clone(),
            roles: Some(pool.roles.clone()),
            role_mappings: pool.role_mappings.clone(),
        })
    })
}
