//! ChangePassword: the signed-in user proves the current password and sets a new one that
//! meets the policy. A passwordless user (signed up without one) sets a first password with no
//! previous one.

use cognito_protocol::wire::{ChangePasswordRequest, Empty};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::{accounts::password, tokens};

pub fn handle(ctx: &Ctx, req: ChangePasswordRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?;
        let user = pool.user(&username)?;
        // A user with a password proves it; a passwordless user sets a first one without.
        match (&user.password, &req.previous_password) {
            (Some(current), Some(given))
                if password::matches(current, &pool_id, &user.username, given.expose()) => {}
            (None, None) => {}
            _ => return Err(CognitoError::wrong_credentials()),
        }
        password::check_policy(&password::policy(pool), req.proposed_password.expose())?;
        let record = password::record(&pool_id, &user.username, req.proposed_password.expose(), None);
        let modified = ctx.clock.now_epoch_f64();
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        user.password = Some(record);
        user.modified = modified;
        Ok(Empty {})
    })
}
