//! SignUp: an UNCONFIRMED user with a password verifier (or none, where passwordless sign-in
//! allows it); the confirmation code goes to the
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

/// Cognito's conditions for a sign-up without a password: passwordless sign-in is active in
/// the pool (EMAIL_OTP or SMS_OTP among the first factors) and the client (ALLOW_USER_AUTH),
/// and the user gives an attribute for one of those factors that the pool verifies itself.
fn passwordless_allowed(
    pool: &crate::state::records::Pool,
    client: &crate::state::records::AppClient,
    user: &crate::state::records::User,
) -> Result<()> {
    let factors = crate::signin::choice::allowed_first_factors(pool);
    let auto = pool.settings.auto_verified_attributes.clone().unwrap_or_default();
    let client_allows = client
        .settings
        .explicit_auth_flows
        .iter()
        .flatten()
        .any(|f| f == "ALLOW_USER_AUTH");
    let usable = [("EMAIL_OTP", "email"), ("SMS_OTP", "phone_number")]
        .iter()
        .any(|(factor, attr)| {
            factors.iter().any(|f| f == factor)
                && auto.iter().any(|a| a == attr)
                && user.attr(attr).is_some()
        });
    if client_allows && usable {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter(
            "A password is required: sign-up without one needs passwordless sign-in (EMAIL_OTP or SMS_OTP) active in the user pool and ALLOW_USER_AUTH on the app client, and an auto-verified email or phone number for it.",
        ))
    }
}

pub fn handle(ctx: &Ctx, req: SignUpRequest) -> Result<SignUpResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    // No password (absent or blank): a passwordless user, where the pool and client allow it.
    let pw = req
        .password
        .as_ref()
        .map(|p| p.expose().clone())
        .filter(|p| !p.is_empty());

    // Plan: everything that can refuse the sign-up, without changing anything.
    let (pool_id, mut user) = ctx.store.with(|state| -> Result<_> {
        let (pool, client) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        let admin_only = pool
            .settings
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.allow_admin_create_user_only)
            .unwrap_or(false);
        if admin_only {
            return Err(CognitoError::not_authorized("SignUp is not permitted for this user pool"));
        }
        if let Some(pw) = &pw {
            password::check_policy(&password::policy(pool), pw)?;
        }
        let attrs = req.user_attributes.clone().unwrap_or_default();
        let mut user = users::build(ctx, pool, &req.username, &attrs, UserStatus::Unconfirmed)?;
        attributes::check_required(pool, &user.attributes)?;
        match &pw {
            Some(pw) => user.password = Some(password::record(&pool.id, &user.username, pw, None)),
            None => passwordless_allowed(pool, client, &user)?,
        }
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
