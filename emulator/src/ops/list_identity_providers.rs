//! ListIdentityProviders, paginated by provider name.

use cognito_protocol::wire::{ListIdentityProvidersRequest, ListIdentityProvidersResponse, ProviderDescription};

use super::{page_size, paginate};
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: ListIdentityProvidersRequest) -> Result<ListIdentityProvidersResponse> {
    let limit = page_size(req.max_results, "maxResults")?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let all: Vec<_> = pool
            .identity_providers
            .iter()
            .map(|(name, p)| {
                let description = ProviderDescription {
                    provider_name: p.provider_name.clone(),
                    provider_type: p.provider_type.clone(),
                    last_modified_date: p.last_modified_date,
                    creation_date: p.creation_date,
                };
                (name.clone(), description)
            })
            .collect();
        let (providers, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListIdentityProvidersResponse { providers, next_token })
    })
}
