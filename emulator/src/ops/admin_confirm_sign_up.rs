//! AdminConfirmSignUp: confirms an UNCONFIRMED user without a code (attributes stay unverified).

use cognito_protocol::wire::{AdminUserRequest, Empty};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::triggers;

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<Empty> {
    let modified = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(CognitoError::not_authorized(format!(
                "User cannot be confirmed. Current status is {}",
                user.status.as_str()
            )));
        }
        user.status = UserStatus::Confirmed;
        user.confirmation_code = None;
        user.modified = modified;
        Ok(user.clone())
    })
    .and_then(|user| {
        triggers::post_confirmation(ctx, &req.user_pool_id, None, &user, "PostConfirmation_ConfirmSignUp", req.client_metadata.as_ref())?;
        Ok(Empty {})
    })
}
