//! DeleteGroup: its members leave it.

use cognito_protocol::wire::{Empty, GroupNameRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: GroupNameRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.groups.remove(&req.group_name).is_none() {
            return Err(CognitoError::resource_not_found("Group not found."));
        }
        // Change (and so mark for durable mode) only the members, not every user of the pool.
        let members: Vec<String> = pool
            .users
            .iter()
            .filter(|(_, u)| u.groups.contains(&req.group_name))
            .map(|(name, _)| name.clone())
            .collect();
        for name in members {
            if let Some(user) = pool.users.get_mut(&name) {
                user.groups.remove(&req.group_name);
            }
        }
        Ok(Empty {})
    })
}
