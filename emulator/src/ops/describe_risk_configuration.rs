//! DescribeRiskConfiguration: what SetRiskConfiguration stored for the client, else for the
//! pool, else a configuration naming only the pool.

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
        if let Some(c) = req.client_id.as_deref().filter(|c| !c.is_empty()) {
            state.client_in(&req.user_pool_id, c)?;
        }
        let found = req
            .client_id
            .as_ref()
            .and_then(|c| pool.stored.risk.get(c))
            .or_else(|| pool.stored.risk.get("ALL"))
            .cloned();
        Ok(json!({"RiskConfiguration": found.unwrap_or_else(|| json!({"UserPoolId": pool.id}))}))
    })
}
