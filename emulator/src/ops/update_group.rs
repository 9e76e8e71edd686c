//! UpdateGroup: the members given replace the group's description, role and precedence.

use cognito_protocol::wire::{CreateGroupRequest, GroupResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: CreateGroupRequest) -> Result<GroupResponse> {
    if req.precedence.is_some_and(|p| p < 0) {
        return Err(CognitoError::invalid_parameter("Precedence must be 0 or more."));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let pool_id = pool.id.clone();
        let group = pool.groups.get_mut(&req.group_name).ok_or_else(|| CognitoError::resource_not_found("Group not found."))?;
        if let Some(d) = req.description {
            group.description = Some(d);
        }
        if let Some(r) = req.role_arn {
            group.role_arn = Some(r);
        }
        if let Some(p) = req.precedence {
            group.precedence = Some(p);
        }
        group.modified = now;
        Ok(GroupResponse { group: Some(views::group(&pool_id, group)) })
    })
}
