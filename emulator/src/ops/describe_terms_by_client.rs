//! DescribeTermsByClient: an app client's terms document of one name.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: String,
    terms_name: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let (pool, _) = state.client_in(&req.user_pool_id, &req.client_id)?;
        let terms = pool
            .stored
            .terms
            .values()
            .find(|t| t["ClientId"] == req.client_id.as_str() && t["TermsName"] == req.terms_name.as_str())
            .ok_or_else(|| {
                CognitoError::resource_not_found(format!(
                    "Client {} has no {} terms.",
                    req.client_id, req.terms_name
                ))
            })?;
        Ok(json!({ "Terms": terms }))
    })
}
