//! SignUp: an UNCONFIRMED user with a password verifier; the confirmation code goes to the
//! outbox.

use cognito_sdk::wire::{SignUpRequest, SignUpResponse};

use crate::auth::app_request;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::model::UserStatus;
use crate::{attributes, password, users};

pub fn handle(ctx: &Ctx, req: SignUpRequest) -> Result<SignUpResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    let pw = req
        .password
        .as_ref()
        .map(|p| p.expose().clone())
        .ok_or_else(|| CognitoError::invalid_parameter("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"))?;
    ctx.store.with(|state| {
        let (pool, _) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        let pool_id = pool.id.clone();
        let admin_only = pool
            .settings
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.allow_admin_create_user_only)
            .unwrap_or(false);
        if admin_only {
            return Err(CognitoError::not_authorized("SignUp is not permitted for this user pool"));
        }
        password::check_policy(&password::policy(pool), &pw)?;
        let attrs = req.user_attributes.clone().unwrap_or_default();
        let mut user = users::build(ctx, pool, &req.username, &attrs, UserStatus::Unconfirmed)?;
        attributes::check_required(pool, &user.attributes)?;
        user.password = Some(password::record(&pool_id, &user.username, &pw, None));
        let delivery = users::send_signup_code(ctx, pool, &mut user);
        let sub = user.sub.clone();
        let pool = state.pool_mut(&pool_id)?;
        pool.users.insert(pool.user_key(&user.username), user);
        Ok(SignUpResponse {
            user_confirmed: false,
            code_delivery_details: delivery,
            user_sub: sub,
            session: None,
        })
    })
}
