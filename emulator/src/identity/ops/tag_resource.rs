//! TagResource for identity pools: tags on a pool named by its ARN
//! (`arn:aws:cognito-identity:{region}:{account}:identitypool/{id}`). They are the pool's
//! `IdentityPoolTags`, which CreateIdentityPool and UpdateIdentityPool set too; 50 at most,
//! keys 1–128 characters, values up to 256.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::State;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    resource_arn: String,
    tags: BTreeMap<String, String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    crate::ops::tag_resource::check_tags(&req.tags)?;
    ctx.store.with(|state| {
        let id = pool_of_arn(ctx, state, &req.resource_arn)?;
        let Some(pool) = state.identity.pools.get_mut(&id) else {
            return Err(missing(&req.resource_arn));
        };
        let mut merged = pool.settings.identity_pool_tags.clone().unwrap_or_default();
        merged.extend(req.tags);
        crate::ops::tag_resource::check_tags(&merged)?;
        pool.settings.identity_pool_tags = Some(merged);
        Ok(json!({}))
    })
}

fn missing(arn: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Resource {arn} does not exist."))
}

/// The identity pool an ARN names.
pub(crate) fn pool_of_arn(ctx: &Ctx, state: &State, arn: &str) -> Result<String> {
    let id = arn
        .strip_prefix("arn:aws:cognito-identity:")
        .and_then(|rest| rest.split_once(":identitypool/"))
        .filter(|(scope, _)| scope.ends_with(&ctx.config.account_id))
        .map(|(_, id)| id.to_owned())
        .ok_or_else(|| missing(arn))?;
    if state.identity.pools.contains_key(&id) {
        Ok(id)
    } else {
        Err(missing(arn))
    }
}
