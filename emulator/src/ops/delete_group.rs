//! DeleteGroup: its members leave it.

use cognito_sdk::wire::{Empty, GroupNameRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: GroupNameRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.groups.remove(&req.group_name).is_none() {
            return Err(CognitoError::resource_not_found("Group not found."));
        }
        for user in pool.users.values_mut() {
            user.groups.remove(&req.group_name);
        }
        Ok(Empty {})
    })
}
