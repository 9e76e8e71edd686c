//! AdminResetUserPassword: the user must reset the password (sign-in answers
//! PasswordResetRequiredException); a reset code goes to the verified email or phone number.

use cognito_protocol::wire::{AdminUserRequest, Empty};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::outbox::MessageKind;
use crate::{accounts::lifecycle, accounts::users};

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let user = pool.user(&req.username)?.clone();
        if user.status == UserStatus::Unconfirmed {
            return Err(CognitoError::not_authorized("User password cannot be reset in the current state."));
        }
        let sent = lifecycle::reset_target(&user).map(|(medium, attr, destination)| users::send_code(ctx, pool, &user, medium, attr, &destination, MessageKind::ForgotPassword));
        let (code, outgoing) = sent.map_or((None, Vec::new()), |(issued, _, out)| (Some(issued), vec![out]));
        let modified = ctx.clock.now_epoch_f64();
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        user.status = UserStatus::ResetRequired;
        user.reset_code = code;
        user.modified = modified;
        Ok(outgoing)
    })
    .and_then(|outgoing| {
        users::deliver(ctx, None, outgoing, None)?;
        Ok(Empty {})
    })
}
