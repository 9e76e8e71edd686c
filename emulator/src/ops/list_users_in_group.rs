//! ListUsersInGroup, paginated by username.

use cognito_sdk::wire::{ListUsersInGroupRequest, ListUsersInGroupResponse};

use super::{page_size, paginate};
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
        let all: Vec<_> = pool.users.iter().filter(|(_, u)| u.groups.contains(&req.group_name)).map(|(k, u)| (k.clone(), views::user(u, None))).collect();
        let (users, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListUsersInGroupResponse { users, next_token })
    })
}
