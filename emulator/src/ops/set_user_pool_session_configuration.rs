//! SetUserPoolSessionConfiguration: turns session tracking on or off and sets how many token
//! sessions a user may hold (see `tokens::sessions`). A full replacement; Essentials and Plus
//! pools only.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{Pool, SessionTracking};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenSession {
    max_per_user: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    user_session_tracking: String,
    token_session: TokenSession,
}

/// Fails on the Lite tier, as session management needs Essentials or Plus.
pub(crate) fn needs_essentials(pool: &Pool) -> Result<()> {
    if pool.settings.user_pool_tier.as_deref() == Some("LITE") {
        return Err(CognitoError::feature_unavailable_in_tier(
            "Session management is available in the Essentials and Plus feature plans.",
        ));
    }
    Ok(())
}

/// The configuration's answer.
pub(crate) fn render(pool_id: &str, t: SessionTracking) -> Value {
    json!({
        "UserPoolId": pool_id,
        "UserSessionTracking": if t.enabled { "ENABLED" } else { "DISABLED" },
        "TokenSession": {"MaxPerUser": t.max_per_user},
    })
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        needs_essentials(pool)?;
        let tracking = SessionTracking {
            enabled: req.user_session_tracking == "ENABLED",
            max_per_user: req.token_session.max_per_user,
        };
        pool.stored.session_tracking = Some(tracking);
        Ok(render(&pool.id, tracking))
    })
}
