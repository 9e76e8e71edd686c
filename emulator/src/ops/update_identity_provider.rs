//! UpdateIdentityProvider: the members given replace the provider's details, attribute
//! mapping and identifiers (its name and type stay).

use cognito_protocol::wire::{IdentityProviderResponse, UpdateIdentityProviderRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: UpdateIdentityProviderRequest) -> Result<IdentityProviderResponse> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let taken = req.idp_identifiers.iter().flatten().find(|id| {
            pool.identity_providers.iter().any(|(name, p)| {
                *name != req.provider_name && p.idp_identifiers.iter().flatten().any(|other| other == *id)
            })
        });
        if let Some(id) = taken {
            return Err(CognitoError::duplicate_provider(format!("Identifier {id} is already used by another provider.")));
        }
        let provider = pool.identity_providers.get_mut(&req.provider_name).ok_or_else(|| {
            CognitoError::resource_not_found(format!("Identity provider {} does not exist.", req.provider_name))
        })?;
        if let Some(details) = req.provider_details {
            provider.provider_details = Some(details);
        }
        if let Some(mapping) = req.attribute_mapping {
            provider.attribute_mapping = Some(mapping);
        }
        if let Some(ids) = req.idp_identifiers {
            provider.idp_identifiers = Some(ids);
        }
        provider.last_modified_date = Some(now);
        Ok(IdentityProviderResponse { identity_provider: provider.clone() })
    })
}
