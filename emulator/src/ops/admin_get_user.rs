//! AdminGetUser.

use cognito_protocol::wire::{AdminGetUserResponse, AdminUserRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::ops::views;

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<AdminGetUserResponse> {
    ctx.store.with(|state| {
        let user = state.pool(&req.user_pool_id)?.user(&req.username)?;
        Ok(AdminGetUserResponse {
            username: user.username.clone(),
            user_attributes: Some(views::attributes(user, None)),
            user_create_date: Some(user.created),
            user_last_modified_date: Some(user.modified),
            enabled: Some(user.enabled),
            user_status: Some(user.status.as_str().to_owned()),
            mfa_options: crate::accounts::lifecycle::mfa_options(user),
            preferred_mfa_setting: user.mfa.preferred.clone(),
            user_mfa_setting_list: Some(user.mfa.enabled().iter().map(|m| (*m).to_owned()).collect::<Vec<_>>()).filter(|l| !l.is_empty()),
        })
    })
}
