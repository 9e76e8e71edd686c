//! UpdateTerms: changes a terms document's name, source, enforcement or links (what is not
//! given is kept).

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    terms_id: String,
    terms_name: Option<String>,
    terms_source: Option<String>,
    enforcement: Option<String>,
    links: Option<Map<String, Value>>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let current = pool
            .stored
            .terms
            .get(&req.terms_id)
            .ok_or_else(|| super::describe_terms::missing(&req.terms_id))?;
        if let Some(name) = &req.terms_name {
            let client = current["ClientId"].as_str().unwrap_or_default().to_owned();
            super::create_terms::name_free(&pool.stored.terms, &client, name, Some(&req.terms_id))?;
        }
        let terms = pool
            .stored
            .terms
            .get_mut(&req.terms_id)
            .ok_or_else(|| super::describe_terms::missing(&req.terms_id))?;
        for (member, value) in [
            ("TermsName", req.terms_name.map(Value::from)),
            ("TermsSource", req.terms_source.map(Value::from)),
            ("Enforcement", req.enforcement.map(Value::from)),
            ("Links", req.links.map(Value::Object)),
        ] {
            if let Some(v) = value {
                terms[member] = v;
            }
        }
        terms["LastModifiedDate"] = json!(now);
        Ok(json!({ "Terms": terms }))
    })
}
