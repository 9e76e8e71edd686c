//! ForgotPassword: a reset code goes to the user's verified email (else verified phone number).

use cognito_protocol::wire::{AttributeType, CodeDeliveryDetailsType, CodeDeliveryResponse, ForgotPasswordRequest};

use crate::signin::client::{app_request, prevents_existence_errors, unknown_user};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::outbox::MessageKind;
use crate::triggers::{self, Call, TriggerKind};
use crate::{accounts::attributes, accounts::lifecycle, accounts::users};

/// UserMigration_ForgotPassword: an unknown user may come from a legacy store, with their
/// attributes but no password (status RESET_REQUIRED), so the reset can proceed.
fn migrate_if_unknown(ctx: &Ctx, req: &ForgotPasswordRequest) -> Result<()> {
    let (pool_id, known) = ctx.store.with(|state| -> Result<_> {
        let (pool, _) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        Ok((pool.id.clone(), pool.find_user(&req.username).is_some()))
    })?;
    if known || !ctx.triggers.has(&pool_id, TriggerKind::UserMigration) {
        return Ok(());
    }
    let response = triggers::invoke(ctx, TriggerKind::UserMigration, Call {
        pool_id: &pool_id,
        client_id: Some(&req.client_id),
        user_name: &req.username,
        source: "UserMigration_ForgotPassword",
        request: serde_json::json!({"validationData": null, "clientMetadata": req.client_metadata}),
    })?
    .unwrap_or_default();
    let attrs: Vec<AttributeType> = response
        .get("userAttributes")
        .and_then(|a| a.as_object())
        .map(|m| m.iter().map(|(k, v)| AttributeType::new(k, v.as_str().unwrap_or_default())).collect())
        .unwrap_or_default();
    if attrs.is_empty() {
        return Ok(());
    }
    ctx.store.with(|state| {
        let pool = state.pool(&pool_id)?;
        let user = users::build(ctx, pool, &req.username, &attrs, UserStatus::ResetRequired)?;
        let pool = state.pool_mut(&pool_id)?;
        pool.insert_user(user);
        Ok(())
    })
}

pub fn handle(ctx: &Ctx, req: ForgotPasswordRequest) -> Result<CodeDeliveryResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    migrate_if_unknown(ctx, &req)?;
    ctx.store.with(|state| {
        let (pool, client) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        let pool_id = pool.id.clone();
        let prevent = prevents_existence_errors(client);
        let Some(user) = pool.find_user(&req.username).cloned() else {
            if prevent {
                // Cognito answers as if a code had been sent, so the caller learns nothing.
                let details = CodeDeliveryDetailsType {
                    destination: Some(attributes::mask("EMAIL", &req.username)),
                    delivery_medium: Some("EMAIL".into()),
                    attribute_name: Some("email".into()),
                };
                return Ok((details, Vec::new()));
            }
            return Err(unknown_user(client));
        };
        if !user.enabled {
            return Err(CognitoError::not_authorized("User is disabled."));
        }
        let (medium, attr, destination) = lifecycle::reset_target(&user).ok_or_else(|| {
            CognitoError::invalid_parameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
        })?;
        let (issued, details, outgoing) = users::send_code(ctx, pool, &user, medium, attr, &destination, MessageKind::ForgotPassword);
        state.pool_mut(&pool_id)?.user_mut(&user.username)?.reset_code = Some(issued);
        Ok((details, vec![outgoing]))
    })
    .and_then(|(details, outgoing)| {
        users::deliver(ctx, Some(&req.client_id), outgoing, req.client_metadata.as_ref())?;
        Ok(CodeDeliveryResponse { code_delivery_details: Some(details) })
    })
}
