//! AdminListGroupsForUser, paginated by group name.

use cognito_protocol::wire::{AdminListGroupsForUserRequest, ListGroupsResponse};

use super::{page_size, paginate};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: AdminListGroupsForUserRequest) -> Result<ListGroupsResponse> {
    let limit = page_size(req.limit, "limit")?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let user = pool.user(&req.username)?;
        let all: Vec<_> = user.groups.iter().filter_map(|g| pool.groups.get(g)).map(|g| (g.name.clone(), views::group(&pool.id, g))).collect();
        let (groups, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListGroupsResponse { groups, next_token })
    })
}
