//! GetUserPoolClientSessionConfiguration: the app client's SSO session validity (60 minutes
//! until SetUserPoolClientSessionConfiguration is called).

use serde::Deserialize;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        state.client_in(&pool.id, &req.client_id)?;
        let minutes = pool.stored.client_sso_minutes.get(&req.client_id).copied().unwrap_or(60);
        Ok(super::set_user_pool_client_session_configuration::render(&pool.id, &req.client_id, minutes))
    })
}
