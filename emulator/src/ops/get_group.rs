//! GetGroup.

use cognito_protocol::wire::{GroupNameRequest, GroupResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: GroupNameRequest) -> Result<GroupResponse> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let group = pool.groups.get(&req.group_name).ok_or_else(|| CognitoError::resource_not_found("Group not found."))?;
        Ok(GroupResponse { group: Some(views::group(&pool.id, group)) })
    })
}
