//! ConfirmForgotPassword: the reset code and a new password that meets the policy; a user who
//! had to reset is confirmed again.

use cognito_protocol::wire::{ConfirmForgotPasswordRequest, Empty};

use crate::signin::client::{app_request, prevents_existence_errors, unknown_user};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::{accounts::password, triggers, accounts::users};

pub fn handle(ctx: &Ctx, req: ConfirmForgotPasswordRequest) -> Result<Empty> {
    super::non_empty(&req.client_id, "clientId")?;
    let now = ctx.now();
    ctx.store.with(|state| {
        let (pool, client) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        let pool_id = pool.id.clone();
        let prevent = prevents_existence_errors(client);
        let user = match pool.find_user(&req.username) {
            Some(u) => u.clone(),
            None if prevent => return Err(CognitoError::code_mismatch("Invalid verification code provided, please try again.")),
            None => return Err(unknown_user(client)),
        };
        state.check_code_attempts(&pool_id, &user.username, now)?;
        if let Err(e) = users::check_code(user.reset_code.as_ref(), &req.confirmation_code, now) {
            state.code_failed(&pool_id, &user.username, now);
            return Err(e);
        }
        password::check_policy(&password::policy(pool), req.password.expose())?;
        let record = password::record(&pool_id, &user.username, req.password.expose(), None);
        let modified = ctx.clock.now_epoch_f64();
        let mut user = state.pool_mut(&pool_id)?.user_mut(&user.username)?;
        user.password = Some(record);
        user.reset_code = None;
        if matches!(user.status, UserStatus::ResetRequired | UserStatus::ForceChangePassword) {
            user.status = UserStatus::Confirmed;
        }
        user.modified = modified;
        Ok((pool_id, user.clone()))
    })
    .and_then(|(pool_id, user)| {
        triggers::post_confirmation(ctx, &pool_id, Some(&req.client_id), &user, "PostConfirmation_ConfirmForgotPassword", req.client_metadata.as_ref())?;
        Ok(Empty {})
    })
}
