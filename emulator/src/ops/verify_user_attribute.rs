//! VerifyUserAttribute: the code marks the email or phone number verified (applying a pending
//! new value). A verified alias may belong to one user only.

use cognito_protocol::wire::{Empty, VerifyUserAttributeRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::{tokens, accounts::users};

pub fn handle(ctx: &Ctx, req: VerifyUserAttributeRequest) -> Result<Empty> {
    let attr = req.attribute_name.clone();
    let now = ctx.now();
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?;
        let user = pool.user(&username)?;
        state.check_code_attempts(&pool_id, &username, now)?;
        if let Err(e) = users::check_code(user.attribute_codes.get(&attr), &req.code, now) {
            state.code_failed(&pool_id, &username, now);
            return Err(e);
        }
        let value = user.pending_attributes.get(&attr).cloned().or_else(|| user.attr(&attr).map(str::to_owned)).unwrap_or_default();
        let is_alias = pool.alias_attributes.contains(&attr) || pool.username_attributes.contains(&attr);
        if is_alias && pool.holders_of(&attr, &value).any(|u| u.username != user.username && u.attr(&attr) == Some(value.as_str()) && u.is_verified(&attr)) {
            return Err(CognitoError::alias_exists(format!("An account with the {attr} already exists.")));
        }
        let modified = ctx.clock.now_epoch_f64();
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        user.set_attr(&attr, &value);
        user.set_attr(&format!("{attr}_verified"), "true");
        user.pending_attributes.remove(&attr);
        user.attribute_codes.remove(&attr);
        user.modified = modified;
        Ok(Empty {})
    })
}
