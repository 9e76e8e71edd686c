//! ListGroups, paginated by name.

use cognito_protocol::wire::{ListGroupsRequest, ListGroupsResponse};

use super::{page_size, paginate};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: ListGroupsRequest) -> Result<ListGroupsResponse> {
    let limit = page_size(req.limit, "limit")?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let all: Vec<_> = pool.groups.values().map(|g| (g.name.clone(), views::group(&pool.id, g))).collect();
        let (groups, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListGroupsResponse { groups, next_token })
    })
}
