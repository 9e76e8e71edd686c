//! DeleteIdentityProvider: clients can no longer name it on the hosted UI.

use cognito_protocol::wire::{DescribeIdentityProviderRequest, Empty};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: DescribeIdentityProviderRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.identity_providers.remove(&req.provider_name).ok_or_else(|| {
            CognitoError::resource_not_found(format!("Identity provider {} does not exist.", req.provider_name))
        })?;
        Ok(Empty {})
    })
}
