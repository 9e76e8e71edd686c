//! DescribeIdentityProvider.

use cognito_protocol::wire::{DescribeIdentityProviderRequest, IdentityProviderResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: DescribeIdentityProviderRequest) -> Result<IdentityProviderResponse> {
    ctx.store.with(|state| {
        let provider = state
            .pool(&req.user_pool_id)?
            .identity_providers
            .get(&req.provider_name)
            .cloned()
            .ok_or_else(|| {
                CognitoError::resource_not_found(format!(
                    "Identity provider {} does not exist.",
                    req.provider_name
                ))
            })?;
        Ok(IdentityProviderResponse { identity_provider: provider })
    })
}
