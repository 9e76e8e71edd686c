//! DescribeManagedLoginBrandingByClient: the style assigned to an app client.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let (pool, _) = state.client_in(&req.user_pool_id, &req.client_id)?;
        let b = pool
            .stored
            .branding
            .values()
            .find(|b| b.client_id == req.client_id)
            .ok_or_else(|| {
                CognitoError::resource_not_found(format!(
                    "Client {} has no managed login branding style.",
                    req.client_id
                ))
            })?;
        Ok(json!({ "ManagedLoginBranding": b.style }))
    })
}
