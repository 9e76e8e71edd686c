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
        let key = super::set_ui_customization::scope_key(state, &req.user_pool_id, req.client_id.as_deref())?;
        let pool = state.pool(&req.user_pool_id)?;
        let found = pool.stored.risk.get(&key).or_else(|| pool.stored.risk.get("ALL")).cloned();
        Ok(json!({"RiskConfiguration": found.unwrap_or_else(|| json!({"UserPoolId": pool.id}))}))
    })
}
