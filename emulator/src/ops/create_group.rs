//! CreateGroup.

use cognito_protocol::wire::{CreateGroupRequest, GroupResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::Group;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: CreateGroupRequest) -> Result<GroupResponse> {
    let name = req.group_name.clone();
    if name.is_empty() || name.chars().count() > 128 || name.chars().any(char::is_whitespace) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    if req.precedence.is_some_and(|p| p < 0) {
        return Err(CognitoError::invalid_parameter("Precedence must be 0 or more."));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.groups.contains_key(&name) {
            return Err(CognitoError::group_exists("A group with the name already exists."));
        }
        let group = Group { name: name.clone(), description: req.description, role_arn: req.role_arn, precedence: req.precedence, created: now, modified: now };
        let view = views::group(&pool.id, &group);
        pool.groups.insert(name, group);
        Ok(GroupResponse { group: Some(view) })
    })
}
