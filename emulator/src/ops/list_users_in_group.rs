//! ListUsersInGroup, paginated by username. Like ListUsers, a page starts at its token's key in
//! the pool's ordered user map and only the page's users are rendered, so a page costs the
//! same at any depth (a group with few members in a large pool still scans until the page is
//! full).

use cognito_protocol::wire::{ListUsersInGroupRequest, ListUsersInGroupResponse};

use super::{page_size, user_page};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: ListUsersInGroupRequest) -> Result<ListUsersInGroupResponse> {
    let limit = page_size(req.limit, "limit")?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        if !pool.groups.contains_key(&req.group_name) {
            return Err(CognitoError::resource_not_found("Group not found."));
        }
        let (users, next_token) = user_page(
            pool,
            req.next_token.as_deref(),
            limit,
            |u| u.groups.contains(&req.group_name),
            |u| views::user(u, None),
        )?;
        Ok(ListUsersInGroupResponse { users, next_token })
    })
}
