//! GetIdentityProviderByIdentifier: the provider one of whose `IdpIdentifiers` is given.

use cognito_protocol::wire::{GetIdentityProviderByIdentifierRequest, IdentityProviderResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: GetIdentityProviderByIdentifierRequest) -> Result<IdentityProviderResponse> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let provider = pool
            .identity_providers
            .values()
            .find(|p| p.idp_identifiers.iter().flatten().any(|id| *id == req.idp_identifier))
            .cloned()
            .ok_or_else(|| CognitoError::resource_not_found(format!("Identity provider with identifier {} does not exist.", req.idp_identifier)))?;
        Ok(IdentityProviderResponse { identity_provider: provider })
    })
}
