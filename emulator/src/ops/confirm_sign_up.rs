//! ConfirmSignUp: checks the code, confirms the user and verifies the attribute the code went
//! to. A verified email or phone alias already held by another user is refused
//! (AliasExistsException) unless ForceAliasCreation moves it.

use cognito_protocol::wire::{ConfirmSignUpRequest, ConfirmSignUpResponse};

use crate::signin::client::{app_request, prevents_existence_errors};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::{triggers, accounts::users};

pub fn handle(ctx: &Ctx, req: ConfirmSignUpRequest) -> Result<ConfirmSignUpResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    let now = ctx.now();
    ctx.store.with(|state| {
        let (pool, client) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        let pool_id = pool.id.clone();
        let prevent = prevents_existence_errors(client);
        let user = match pool.find_user(&req.username) {
            Some(u) => u.clone(),
            None if prevent => return Err(CognitoError::code_mismatch("Invalid verification code provided, please try again.")),
            None => return Err(CognitoError::user_not_found("Username/client id combination not found.")),
        };
        if user.status != UserStatus::Unconfirmed {
            return Err(CognitoError::not_authorized(format!(
                "User cannot be confirmed. Current status is {}",
                user.status.as_str()
            )));
        }
        state.check_code_attempts(&pool_id, &user.username, now)?;
        if let Err(e) = users::check_code(user.confirmation_code.as_ref(), &req.confirmation_code, now) {
            state.code_failed(&pool_id, &user.username, now);
            return Err(e);
        }
        let verified_attr = users::verification_target(pool, &user).map(|(_, attr, value)| (attr, value));
        // An alias may belong to one user only.
        let mut holder = None;
        if let Some((attr, value)) = &verified_attr {
            if pool.alias_attributes.iter().any(|a| a == attr) {
                holder = pool
                    .holders_of(attr, value)
                    .find(|u| u.username != user.username && u.attr(attr) == Some(value.as_str()) && u.is_verified(attr))
                    .map(|u| pool.user_key(&u.username));
                if holder.is_some() && req.force_alias_creation != Some(true) {
                    let what = if *attr == "email" { "email" } else { "phone_number" };
                    return Err(CognitoError::alias_exists(format!("An account with the {what} already exists.")));
                }
            }
        }
        let modified = ctx.clock.now_epoch_f64();
        let pool = state.pool_mut(&pool_id)?;
        if let (Some(key), Some((attr, _))) = (holder, &verified_attr) {
            if let Some(other) = pool.users.get_mut(&key) {
                other.set_attr(&format!("{attr}_verified"), "false");
                other.modified = modified;
            }
        }
        let mut user = pool.user_mut(&user.username)?;
        user.status = UserStatus::Confirmed;
        user.confirmation_code = None;
        if let Some((attr, _)) = verified_attr {
            user.set_attr(&format!("{attr}_verified"), "true");
        }
        user.modified = modified;
        Ok((pool_id, user.clone()))
    })
    .and_then(|(pool_id, user)| {
        triggers::post_confirmation(ctx, &pool_id, Some(&req.client_id), &user, "PostConfirmation_ConfirmSignUp", req.client_metadata.as_ref())?;
        Ok(ConfirmSignUpResponse { session: None })
    })
}
