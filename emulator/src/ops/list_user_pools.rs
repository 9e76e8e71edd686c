//! ListUserPools, paginated by pool id.

use cognito_protocol::wire::{ListUserPoolsRequest, ListUserPoolsResponse};

use super::{page_size, paginate};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: ListUserPoolsRequest) -> Result<ListUserPoolsResponse> {
    let limit = page_size(Some(req.max_results), "maxResults")?;
    ctx.store.with(|state| {
        // A signed request sees the pools of its region, as a regional endpoint does.
        let region = ctx.signed_region().map(|r| format!("{r}_"));
        let all: Vec<_> = state
            .pools
            .values()
            .filter(|p| region.as_deref().is_none_or(|r| p.id.starts_with(r)))
            .map(|p| (p.id.clone(), views::pool_description(p)))
            .collect();
        let (user_pools, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListUserPoolsResponse { user_pools, next_token })
    })
}
