//! DeleteTerms: removes a terms document.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    terms_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.stored
            .terms
            .remove(&req.terms_id)
            .ok_or_else(|| super::describe_terms::missing(&req.terms_id))?;
        Ok(json!({}))
    })
}
