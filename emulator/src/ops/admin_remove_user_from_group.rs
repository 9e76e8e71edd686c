//! AdminRemoveUserFromGroup.

use cognito_protocol::wire::{Empty, UserGroupRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: UserGroupRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if !pool.groups.contains_key(&req.group_name) {
            return Err(CognitoError::resource_not_found("Group not found."));
        }
        pool.user_mut(&req.username)?.groups.remove(&req.group_name);
        Ok(Empty {})
    })
}
