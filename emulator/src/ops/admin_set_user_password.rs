//! AdminSetUserPassword: a permanent password confirms a user who had to change or reset it;
//! a temporary one puts the user in FORCE_CHANGE_PASSWORD.

use cognito_protocol::wire::{AdminSetUserPasswordRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::state::records::UserStatus;
use crate::accounts::password;

pub fn handle(ctx: &Ctx, req: AdminSetUserPasswordRequest) -> Result<Empty> {
    let now = ctx.now();
    let modified = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let policy = password::policy(pool);
        password::check_policy(&policy, req.password.expose())?;
        let pool_id = pool.id.clone();
        let mut user = state.pool_mut(&pool_id)?.user_mut(&req.username)?;
        if req.permanent == Some(true) {
            user.password = Some(password::record(&pool_id, &user.username, req.password.expose(), None));
            if matches!(user.status, UserStatus::ForceChangePassword | UserStatus::ResetRequired) {
                user.status = UserStatus::Confirmed;
            }
        } else {
            let days = policy.temporary_password_validity_days.unwrap_or(7);
            user.password = Some(password::record(&pool_id, &user.username, req.password.expose(), Some(now + days * 86_400)));
            user.status = UserStatus::ForceChangePassword;
        }
        user.modified = modified;
        Ok(Empty {})
    })
}
