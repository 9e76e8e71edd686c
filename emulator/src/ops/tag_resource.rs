//! TagResource: adds or replaces tags on a user pool, named by its ARN
//! (`arn:aws:cognito-idp:{region}:{account}:userpool/{pool id}`, as DescribeUserPool gives it).
//! The tags are the pool's `UserPoolTags`: CreateUserPool and UpdateUserPool set the same map.
//! Cognito allows 50 tags per pool; keys are 1–128 characters, values up to 256.

use std::collections::BTreeMap;

use cognito_protocol::wire::{Empty, TagResourceRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::State;

/// The most tags a pool may carry.
const MAX_TAGS: usize = 50;

pub fn handle(ctx: &Ctx, req: TagResourceRequest) -> Result<Empty> {
    check_tags(&req.tags)?;
    ctx.store.with(|state| {
        let id = pool_of_arn(state, &req.resource_arn)?;
        let pool = state.pool_mut(&id)?;
        let tags = pool.settings.user_pool_tags.get_or_insert_with(BTreeMap::new);
        let mut merged = tags.clone();
        merged.extend(req.tags);
        if merged.len() > MAX_TAGS {
            return Err(CognitoError::invalid_parameter(format!("A user pool can have at most {MAX_TAGS} tags.")));
        }
        *tags = merged;
        Ok(Empty {})
    })
}

/// The id of the pool an ARN names; `ResourceNotFoundException` when there is none.
pub(crate) fn pool_of_arn(state: &State, arn: &str) -> Result<String> {
    if arn.len() < 20 || !arn.starts_with("arn:") {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{arn}' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?"
        )));
    }
    state
        .pools
        .values()
        .find(|p| p.arn == arn)
        .map(|p| p.id.clone())
        .ok_or_else(|| CognitoError::resource_not_found(format!("Resource {arn} does not exist.")))
}

/// Keys of 1–128 characters, values of up to 256, at most 50 of them.
pub(crate) fn check_tags(tags: &BTreeMap<String, String>) -> Result<()> {
    if tags.len() > MAX_TAGS {
        return Err(CognitoError::invalid_parameter(format!("A user pool can have at most {MAX_TAGS} tags.")));
    }
    for (k, v) in tags {
        if k.is_empty() || k.chars().count() > 128 {
            return Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value '{k}' at 'tags' failed to satisfy constraint: Map keys must have length between 1 and 128"
            )));
        }
        if v.chars().count() > 256 {
            return Err(CognitoError::invalid_parameter(
                "1 validation error detected: Value at 'tags' failed to satisfy constraint: Map values must have length less than or equal to 256",
            ));
        }
    }
    Ok(())
}
