//! SetUserPoolClientSessionConfiguration: how long an app client may silently reuse an SSO
//! session (0–129,600 minutes). Needs session tracking on and an Essentials or Plus pool.
//! Stored and returned: the emulator's hosted UI keeps no SSO session to reuse.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsoSession {
    max_validity_minutes: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: String,
    #[serde(rename = "SSOSession")]
    sso_session: SsoSession,
}

/// The configuration's answer.
pub(crate) fn render(pool_id: &str, client_id: &str, minutes: i64) -> Value {
    json!({
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "SSOSession": {"MaxValidityMinutes": minutes},
    })
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        super::set_user_pool_session_configuration::needs_essentials(pool)?;
        pool.client_mut(&req.client_id)?;
        if !pool.stored.session_tracking.unwrap_or_default().enabled {
            return Err(CognitoError::invalid_parameter(
                "Session tracking is not enabled for the user pool: call SetUserPoolSessionConfiguration first.",
            ));
        }
        let minutes = req.sso_session.max_validity_minutes;
        pool.stored.client_sso_minutes.insert(req.client_id.clone(), minutes);
        Ok(render(&pool.id, &req.client_id, minutes))
    })
}
