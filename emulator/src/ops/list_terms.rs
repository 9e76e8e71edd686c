//! ListTerms: the pool's terms documents (id, name, enforcement, dates), paginated by id.

use serde::Deserialize;
use serde_json::{json, Value};

use super::paginate;
use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let limit = req.max_results.and_then(|n| usize::try_from(n).ok()).unwrap_or(60);
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let all: Vec<(String, Value)> = pool
            .stored
            .terms
            .iter()
            .map(|(id, t)| {
                let brief = json!({
                    "TermsId": id,
                    "TermsName": t["TermsName"],
                    "Enforcement": t["Enforcement"],
                    "CreationDate": t["CreationDate"],
                    "LastModifiedDate": t["LastModifiedDate"],
                });
                (id.clone(), brief)
            })
            .collect();
        let token = req.next_token.as_deref().filter(|t| !t.is_empty());
        let (terms, next) = paginate(&all, token, limit)?;
        let mut out = json!({ "Terms": terms });
        if let Some(next) = next {
            out["NextToken"] = json!(next);
        }
        Ok(out)
    })
}
