//! SetUICustomization: CSS and a logo for the classic hosted UI, for the pool (`ClientId`
//! absent or `ALL`) or one client. Stored and returned as Cognito returns them; the emulator's
//! hosted UI does not apply them (its page has a strict content-security policy, and branding
//! is not what tests check). A logo (`ImageFile`) is checked for size and not kept, so no
//! `ImageUrl` is returned.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: Option<String>,
    #[serde(rename = "CSS")]
    css: Option<String>,
    image_file: Option<String>,
}

/// The largest logo Cognito takes (100 KB).
const MAX_IMAGE: usize = 100 * 1024;

/// The key per-client stored settings are kept under: the client's id (which must exist in the
/// pool), or `ALL` for the pool's default.
pub(crate) fn scope_key(state: &crate::state::records::State, pool_id: &str, client_id: Option<&str>) -> Result<String> {
    match client_id.filter(|c| !c.is_empty() && *c != "ALL") {
        Some(c) => {
            state.client_in(pool_id, c)?;
            Ok(c.to_owned())
        }
        None => Ok("ALL".to_owned()),
    }
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    if req.css.as_ref().is_some_and(|c| c.len() > 131_072) {
        return Err(CognitoError::invalid_parameter("CSS must be at most 131072 characters."));
    }
    if req.image_file.as_ref().is_some_and(|i| i.len() * 3 / 4 > MAX_IMAGE) {
        return Err(CognitoError::invalid_parameter("The image file must be at most 100 KB."));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let key = scope_key(state, &req.user_pool_id, req.client_id.as_deref())?;
        let pool = state.pool_mut(&req.user_pool_id)?;
        let created = pool.stored.ui.get(&key).and_then(|v| v["CreationDate"].as_f64()).unwrap_or(now);
        let mut ui = json!({
            "UserPoolId": req.user_pool_id, "ClientId": key, "CSSVersion": format!("{}", now as i64),
            "CreationDate": created, "LastModifiedDate": now,
        });
        if let Some(css) = req.css {
            ui["CSS"] = json!(css);
        }
        pool.stored.ui.insert(key, ui.clone());
        Ok(json!({"UICustomization": ui}))
    })
}
