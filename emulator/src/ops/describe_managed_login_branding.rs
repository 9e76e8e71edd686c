//! DescribeManagedLoginBranding: a style by id. `ReturnMergedResources` returns the same: the
//! emulator does not hold Cognito's default values to merge in.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    managed_login_branding_id: String,
}

/// `ResourceNotFoundException` for a style that does not exist.
pub(crate) fn missing(id: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Managed login branding {id} does not exist."))
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let b = pool
            .stored
            .branding
            .get(&req.managed_login_branding_id)
            .ok_or_else(|| missing(&req.managed_login_branding_id))?;
        Ok(json!({ "ManagedLoginBranding": b.style }))
    })
}
