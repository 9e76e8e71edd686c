//! SignUp: an UNCONFIRMED user with a password verifier; the confirmation code goes to the
//! outbox. The PreSignUp trigger runs between planning and committing (never under the store
//! lock): it can reject the sign-up, auto-confirm the user and auto-verify email or phone.

use cognito_protocol::wire::{SignUpRequest, SignUpResponse};
use serde_json::{json, Value};

use crate::signin::app_request;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::triggers::{self, Call, TriggerKind};
use crate::{accounts::attributes, accounts::password, accounts::users};

fn flag(response: Option<&Value>, name: &str) -> bool {
    response.and_then(|r| r.get(name)).and_then(Value::as_bool).unwrap_or(false)
}

pub fn handle(ctx: &Ctx, req: SignUpRequest) -> Result<SignUpResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    let pw = req
        .password
        .as_ref()
        .map(|p| p.expose().clone())
        .ok_or_else(|| CognitoError::invalid_parameter("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"))?;

    // Plan: everything that can refuse the sign-up, without changing anything.
    let (pool_id, mut user) = ctx.store.with(|state| -> Result<_> {
        let (pool, _) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
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
        user.password = Some(password::record(&pool.id, &user.username, &pw, None));
        Ok((pool.id.clone(), user))
    })?;

    // The PreSignUp trigger, outside the lock.
    let as_map = |v: &Option<Vec<cognito_protocol::wire::AttributeType>>| {
        v.as_ref().map(|list| {
            Value::Object(list.iter().map(|a| (a.name.clone(), Value::String(a.value.clone().unwrap_or_default()))).collect())
        })
    };
    let response = triggers::invoke(ctx, TriggerKind::PreSignUp, Call {
        pool_id: &pool_id,
        client_id: Some(&req.client_id),
        user_name: &user.username,
        source: "PreSignUp_SignUp",
        request: json!({
            "userAttributes": triggers::attributes_map(&user.attributes),
            "validationData": as_map(&req.validation_data),
            "clientMetadata": req.client_metadata,
        }),
    })?;
    let auto_confirm = flag(response.as_ref(), "autoConfirmUser");
    for (flag_name, attr) in [("autoVerifyEmail", "email"), ("autoVerifyPhone", "phone_number")] {
        if flag(response.as_ref(), flag_name) && user.attr(attr).is_some() {
            user.set_attr(&format!("{attr}_verified"), "true");
        }
    }

    // Commit.
    ctx.store.with(|state| {
        let pool = state.pool(&pool_id)?;
        if pool.users.contains_key(&pool.user_key(&user.username)) {
            return Err(CognitoError::username_exists("User already exists"));
        }
        let delivery = if auto_confirm {
            user.status = UserStatus::Confirmed;
            None
        } else {
            users::send_signup_code(ctx, pool, &mut user)
        };
        let sub = user.sub.clone();
        let pool = state.pool_mut(&pool_id)?;
        pool.insert_user(user);
        Ok((sub, delivery))
    })
    .and_then(|(sub, delivery)| {
        let (details, outgoing) = delivery.map_or((None, Vec::new()), |(d, o)| (Some(d), vec![o]));
        users::deliver(ctx, Some(&req.client_id), outgoing, req.client_metadata.as_ref())?;
        Ok(SignUpResponse {
            user_confirmed: auto_confirm,
            code_delivery_details: details,
            user_sub: sub,
            session: None,
        })
    })
}
