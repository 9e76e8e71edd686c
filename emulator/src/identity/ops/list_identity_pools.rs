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
    ctx.store.with(|state| {
        let mut pools = state
            .identity
            .pools
            .range(start.unwrap_or_default()..)
            .map(|(_, p)| p);
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
