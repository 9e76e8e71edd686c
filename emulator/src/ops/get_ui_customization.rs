//! GetUICustomization: what SetUICustomization stored for the client, else the pool's default
//! (`ALL`), else an empty customization naming the pool.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: Option<String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let client = req.client_id.clone().filter(|c| !c.is_empty() && c != "ALL");
        if let Some(c) = &client {
            state.client_in(&req.user_pool_id, c)?;
        }
        let found = client
            .as_ref()
            .and_then(|c| pool.stored.ui.get(c))
            .or_else(|| pool.stored.ui.get("ALL"))
            .cloned();
        Ok(json!({"UICustomization": found.unwrap_or_else(|| json!({"UserPoolId": pool.id, "ClientId": client.unwrap_or_else(|| "ALL".into())}))}))
    })
}
