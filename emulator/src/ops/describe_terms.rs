//! DescribeTerms: one terms document by id.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    terms_id: String,
}

/// `ResourceNotFoundException` for terms that do not exist.
pub(crate) fn missing(id: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Terms {id} do not exist."))
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let terms = pool.stored.terms.get(&req.terms_id).ok_or_else(|| missing(&req.terms_id))?;
        Ok(json!({ "Terms": terms }))
    })
}
