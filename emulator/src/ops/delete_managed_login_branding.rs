//! DeleteManagedLoginBranding: removes a style (its client has none afterwards).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    managed_login_branding_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.stored
            .branding
            .remove(&req.managed_login_branding_id)
            .ok_or_else(|| super::describe_managed_login_branding::missing(&req.managed_login_branding_id))?;
        Ok(json!({}))
    })
}
