//! UpdateAuthEventFeedback: the user's own answer to a risk notification, authorized by the
//! event's feedback token (Cognito puts it in the notification email; the emulator shows it at
//! `GET /_emulator/auth-events`), compared in constant time.

use serde::Deserialize;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use cognito_protocol::wire::Sensitive;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::signin::events;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    username: String,
    event_id: String,
    feedback_token: Sensitive<String>,
    feedback_value: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        super::admin_list_user_auth_events::needs_threat_protection(pool)?;
        let (pool_id, sub) = (pool.id.clone(), pool.user(&req.username)?.sub.clone());
        let expected = events::feedback_token(ctx, &pool_id, &sub, &req.event_id);
        let ok: bool = expected.as_bytes().ct_eq(req.feedback_token.expose().as_bytes()).into();
        if !ok {
            return Err(CognitoError::not_authorized("Invalid feedback token."));
        }
        super::admin_update_auth_event_feedback::set_feedback(
            ctx, state, &pool_id, &sub, &req.event_id, &req.feedback_value, "User",
        )?;
        Ok(json!({}))
    })
}
