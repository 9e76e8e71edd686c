//! ListTagsForResource for identity pools (see `tag_resource`).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    resource_arn: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let id = super::tag_resource::pool_of_arn(ctx, state, &req.resource_arn)?;
        let tags = state.identity.pools.get(&id).and_then(|p| p.settings.identity_pool_tags.clone()).unwrap_or_default();
        Ok(json!({"Tags": tags}))
    })
}
