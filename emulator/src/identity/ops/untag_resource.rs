//! UntagResource for identity pools (see `tag_resource`).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    resource_arn: String,
    tag_keys: Vec<String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let id = super::tag_resource::pool_of_arn(ctx, state, &req.resource_arn)?;
        if let Some(tags) = state.identity.pools.get_mut(&id).and_then(|p| p.settings.identity_pool_tags.as_mut()) {
            for key in &req.tag_keys {
                tags.remove(key);
            }
        }
        Ok(json!({}))
    })
}
