//! AdminListUserAuthEvents: a user's sign-in history, newest first (see `signin::events`).
//! Needs threat protection (AdvancedSecurityMode AUDIT or ENFORCED) on the pool.

use serde::Deserialize;
use serde_json::{json, Value};

use super::paginate;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::signin::events;
use crate::state::records::Pool;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    username: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// Fails unless the pool's threat protection is on.
pub(crate) fn needs_threat_protection(pool: &Pool) -> Result<()> {
    if events::enabled(pool) {
        Ok(())
    } else {
        Err(CognitoError::user_pool_add_on_not_enabled(
            "Threat protection (UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for this user pool.",
        ))
    }
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let limit = match req.max_results {
        Some(n) if n > 0 => usize::try_from(n).unwrap_or(60),
        _ => 60,
    };
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        needs_threat_protection(pool)?;
        let sub = pool.user(&req.username)?.sub.clone();
        let history = state
            .auth_events
            .get(&events::key(&pool.id, &sub))
            .cloned()
            .unwrap_or_default();
        // Newest first; keys sort the same way (position from the newest, zero-padded).
        let all: Vec<(String, Value)> = history
            .into_iter()
            .rev()
            .enumerate()
            .map(|(i, e)| (format!("{i:08}"), e))
            .collect();
        let (page, next) = paginate(&all, req.next_token.as_deref(), limit)?;
        let mut out = json!({ "AuthEvents": page });
        if let Some(next) = next {
            out["NextToken"] = json!(next);
        }
        Ok(out)
    })
}
