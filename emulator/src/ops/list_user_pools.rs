//! ListUserPools, paginated by pool id.

use cognito_protocol::wire::{ListUserPoolsRequest, ListUserPoolsResponse};

use super::{page_size, paginate};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: ListUserPoolsRequest) -> Result<ListUserPoolsResponse> {
    let limit = page_size(Some(req.max_results), "maxResults")?;
    ctx.store.with(|state| {
        let all: Vec<_> = state.pools.values().map(|p| (p.id.clone(), views::pool_description(p))).collect();
        let (user_pools, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListUserPoolsResponse { user_pools, next_token })
    })
}
