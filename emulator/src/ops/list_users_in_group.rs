//! ListUsersInGroup, paginated by username. Like ListUsers, a page starts at its token's key in
//! the pool's ordered user map and only the page's users are rendered, so a page costs the
//! same at any depth (a group with few members in a large pool still scans until the page is
//! full).

use cognito_sdk::wire::{ListUsersInGroupRequest, ListUsersInGroupResponse};

use super::{key_token, page_size, token_key};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::views;

pub fn handle(ctx: &Ctx, req: ListUsersInGroupRequest) -> Result<ListUsersInGroupResponse> {
    let limit = page_size(req.limit, "limit")?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        if !pool.groups.contains_key(&req.group_name) {
            return Err(CognitoError::resource_not_found("Group not found."));
        }
        let start = match req.next_token.as_deref() {
            Some(t) => token_key(t)?,
            None => String::new(),
        };
        let mut members = pool
            .users
            .range(start..)
            .filter(|(_, u)| u.groups.contains(&req.group_name));
        let users = members
            .by_ref()
            .take(limit)
            .map(|(_, u)| views::user(u, None))
            .collect();
        let next_token = members.next().map(|(k, _)| key_token(k));
        Ok(ListUsersInGroupResponse { users, next_token })
    })
}
