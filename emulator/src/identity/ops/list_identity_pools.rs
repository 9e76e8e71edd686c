//! ListIdentityPools: a page of pools, by id.

use cognito_protocol::wire::{
    IdentityPoolShortDescription, ListIdentityPoolsRequest, ListIdentityPoolsResponse,
};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::{key_token, page_size, token_key};

pub fn handle(ctx: &Ctx, req: ListIdentityPoolsRequest) -> Result<ListIdentityPoolsResponse> {
    let limit = page_size(Some(req.max_results), "maxResults")?;
    let start = req.next_token.as_deref().map(token_key).transpose()?;
    let region = ctx.signed_region().map(|r| format!("{r}:"));
    ctx.store.with(|state| {
        let mut pools = state
            .identity
            .pools
            .range(start.unwrap_or_default()..)
            .map(|(_, p)| p)
            // A signed request sees the pools of its region, as a regional endpoint does.
            .filter(|p| region.as_deref().is_none_or(|r| p.id.starts_with(r)));
        let identity_pools = pools
            .by_ref()
            .take(limit)
            .map(|p| IdentityPoolShortDescription {
                identity_pool_id: p.id.clone(),
                identity_pool_name: p.settings.identity_pool_name.clone(),
            })
            .collect();
        Ok(ListIdentityPoolsResponse {
            identity_pools,
            next_token: pools.next().map(|p| key_token(&p.id)),
        })
    })
}
