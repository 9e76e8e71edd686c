//! AdminUpdateAuthEventFeedback: marks one of a user's sign-in events valid or invalid
//! (`EventFeedback` with provider `Admin`). No risk model learns from it here.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::signin::events;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    username: String,
    event_id: String,
    feedback_value: String,
}

/// Sets the feedback of a user's event; `ResourceNotFoundException` when there is no such
/// event.
pub(crate) fn set_feedback(
    ctx: &Ctx,
    state: &mut crate::state::records::State,
    pool_id: &str,
    sub: &str,
    event_id: &str,
    value: &str,
    provider: &str,
) -> Result<()> {
    let key = events::key(pool_id, sub);
    let mut history = state.auth_events.get(&key).cloned().unwrap_or_default();
    let event = history
        .iter_mut()
        .find(|e| e["EventId"] == event_id)
        .ok_or_else(|| CognitoError::resource_not_found(format!("Auth event {event_id} does not exist.")))?;
    event["EventFeedback"] = json!({
        "FeedbackValue": value,
        "Provider": provider,
        "FeedbackDate": ctx.clock.now_epoch_f64(),
    });
    state.auth_events.insert(key, history);
    Ok(())
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        super::admin_list_user_auth_events::needs_threat_protection(pool)?;
        let (pool_id, sub) = (pool.id.clone(), pool.user(&req.username)?.sub.clone());
        set_feedback(ctx, state, &pool_id, &sub, &req.event_id, &req.feedback_value, "Admin")?;
        Ok(json!({}))
    })
}
