//! UpdateUserPoolClient. As in Cognito, every setting not given goes back to its default; the
//! secret and id stay.

use cognito_protocol::wire::{UpdateUserPoolClientRequest, UserPoolClientResponse};

use super::create_user_pool_client::settled;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: UpdateUserPoolClientRequest) -> Result<UserPoolClientResponse> {
    let settings = settled(req.settings)?;
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let pool_id = pool.id.clone();
        let client = pool
            .clients
            .get_mut(&req.client_id)
            .ok_or_else(|| CognitoError::resource_not_found(format!("User pool client {} does not exist.", req.client_id)))?;
        client.settings = settings;
        if let Some(name) = req.client_name.filter(|n| !n.is_empty()) {
            client.name = name;
        }
        client.modified = now;
        Ok(UserPoolClientResponse { user_pool_client: Some(views::client(&pool_id, client)) })
    })
}
