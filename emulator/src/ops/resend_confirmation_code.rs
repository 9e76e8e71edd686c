//! ResendConfirmationCode: a new code for an unconfirmed user (the old one stops working).

use cognito_sdk::wire::{CodeDeliveryResponse, ResendConfirmationCodeRequest};

use crate::auth::app_request;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::model::UserStatus;
use crate::users;

pub fn handle(ctx: &Ctx, req: ResendConfirmationCodeRequest) -> Result<CodeDeliveryResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    ctx.store.with(|state| {
        let (pool, _) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        let pool_id = pool.id.clone();
        let mut user = pool
            .find_user(&req.username)
            .cloned()
            .ok_or_else(|| CognitoError::user_not_found("Username/client id combination not found."))?;
        if user.status != UserStatus::Unconfirmed {
            return Err(CognitoError::invalid_parameter("User is already confirmed."));
        }
        let delivery = users::send_signup_code(ctx, pool, &mut user)
            .ok_or_else(|| CognitoError::invalid_parameter("Cannot resend codes. Auto verification not turned on."))?;
        let pool = state.pool_mut(&pool_id)?;
        let key = pool.user_key(&user.username);
        pool.users.insert(key, user);
        Ok(CodeDeliveryResponse { code_delivery_details: Some(delivery) })
    })
}
