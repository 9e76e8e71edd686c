//! GetPrincipalTagAttributeMap: what SetPrincipalTagAttributeMap set for a provider (the
//! defaults, with no tags, until then).

use serde::Deserialize;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::Result;
use crate::identity;
use crate::state::identity::PrincipalTagMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    identity_pool_id: String,
    identity_provider_name: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = identity::pool(state, &req.identity_pool_id)?;
        super::set_principal_tag_attribute_map::known_provider(pool, &req.identity_provider_name)?;
        let map = pool
            .principal_tags
            .get(&req.identity_provider_name)
            .cloned()
            .unwrap_or(PrincipalTagMap { use_defaults: true, tags: Default::default() });
        Ok(super::set_principal_tag_attribute_map::render(&pool.id, &req.identity_provider_name, &map))
    })
}
