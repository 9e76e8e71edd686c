//! AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password (given or
//! generated) that expires after the pool's TemporaryPasswordValidityDays. The invitation goes
//! to the outbox unless MessageAction is SUPPRESS; RESEND issues a new temporary password to
//! an existing FORCE_CHANGE_PASSWORD user.

use cognito_protocol::wire::{AdminCreateUserRequest, AdminCreateUserResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{Pool, User, UserStatus};
use crate::outbox::MessageKind;
use crate::triggers::{self, Call, TriggerKind};
use crate::accounts::users::Outgoing;
use crate::{accounts::attributes, accounts::password, accounts::users, ops::views};

fn invitations(ctx: &Ctx, pool: &Pool, user: &User, mediums: &[String], temp: &str) -> Vec<Outgoing> {
    [("EMAIL", "email"), ("SMS", "phone_number")]
        .into_iter()
        .filter(|(medium, _)| mediums.iter().any(|m| m == medium))
        .filter_map(|(medium, attr)| user.attr(attr).map(|d| users::message(ctx, pool, user, medium, d, MessageKind::TemporaryPassword, temp)))
        .collect()
}

pub fn handle(ctx: &Ctx, req: AdminCreateUserRequest) -> Result<AdminCreateUserResponse> {
    let action = req.message_action.as_deref();
    if let Some(a) = action.filter(|a| !matches!(*a, "RESEND" | "SUPPRESS")) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{a}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]"
        )));
    }
    let mediums = req.desired_delivery_mediums.clone().unwrap_or_else(|| vec!["SMS".into()]);
    let now = ctx.now();
    // Plan.
    let (user, temp) = ctx.store.with(|state| -> Result<_> {
        let pool = state.pool(&req.user_pool_id)?;
        let policy = password::policy(pool);
        let temp = match &req.temporary_password {
            Some(p) => {
                password::check_policy(&policy, p.expose())?;
                p.expose().clone()
            }
            None => password::temporary(&policy),
        };
        let days = policy.temporary_password_validity_days.unwrap_or(7);
        let until = Some(now + days * 86_400);
        let user = if action == Some("RESEND") {
            let existing = pool.user(&req.username)?.clone();
            if existing.status != UserStatus::ForceChangePassword {
                return Err(CognitoError {
                    kind: cognito_protocol::wire::ErrorKind::UnsupportedUserState,
                    message: format!("Resend not possible. {} status is not FORCE_CHANGE_PASSWORD", existing.username),
                });
            }
            let mut user = existing;
            user.password = Some(password::record(&pool.id, &user.username, &temp, until));
            user
        } else {
            let attrs = req.user_attributes.clone().unwrap_or_default();
            let mut user = users::build(ctx, pool, &req.username, &attrs, UserStatus::ForceChangePassword)
                .map_err(|e| if e.message == "User already exists" { CognitoError::username_exists("User account already exists") } else { e })?;
            attributes::validate(pool, &attrs)?;
            user.password = Some(password::record(&pool.id, &user.username, &temp, until));
            user
        };
        Ok((user, temp))
    })?;

    // PreSignUp (for new users), outside the lock; an administrator's user is not auto-confirmed.
    if action != Some("RESEND") {
        let validation = req.validation_data.as_ref().map(|list| {
            serde_json::Value::Object(list.iter().map(|a| (a.name.clone(), serde_json::Value::String(a.value.clone().unwrap_or_default()))).collect())
        });
        triggers::invoke(ctx, TriggerKind::PreSignUp, Call {
            pool_id: &req.user_pool_id,
            client_id: None,
            user_name: &user.username,
            source: "PreSignUp_AdminCreateUser",
            request: serde_json::json!({
                "userAttributes": triggers::attributes_map(&user.attributes),
                "validationData": validation,
                "clientMetadata": req.client_metadata,
            }),
        })?;
    }

    // Commit, then send the invitation.
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        if action != Some("RESEND") && pool.users.contains_key(&pool.user_key(&user.username)) {
            return Err(CognitoError::username_exists("User account already exists"));
        }
        let outgoing = if action == Some("SUPPRESS") { Vec::new() } else { invitations(ctx, pool, &user, &mediums, &temp) };
        let view = views::user(&user, None);
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.insert_user(user);
        Ok((view, outgoing))
    })
    .and_then(|(view, outgoing)| {
        users::deliver(ctx, None, outgoing, req.client_metadata.as_ref())?;
        Ok(AdminCreateUserResponse { user: Some(view) })
    })
}
