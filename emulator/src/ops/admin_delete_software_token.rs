//! AdminDeleteSoftwareToken: removes a user's authenticator (TOTP) factor, for a lost phone.
//! The user can no longer answer SOFTWARE_TOKEN_MFA and can associate a new authenticator; a
//! preference for it is cleared.

use cognito_protocol::wire::{AdminUserRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<Empty> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        user.mfa.totp_secret = None;
        user.mfa.pending_totp = None;
        user.mfa.totp_enabled = false;
        if user.mfa.preferred.as_deref() == Some("SOFTWARE_TOKEN_MFA") {
            user.mfa.preferred = None;
        }
        user.modified = now;
        Ok(Empty {})
    })
}
