//! CreateUserPoolReplica: a replica of the pool in another region. Recorded and listed with
//! its status (the create call answers `CREATING`; the replica is `ACTIVE` once it returns):
//! the emulator is one process, so nothing is copied anywhere.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::Pool;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    region_name: String,
    user_pool_tags: Option<Map<String, Value>>,
}

/// The region a pool lives in (its id's prefix).
pub(crate) fn home_region(pool: &Pool) -> &str {
    pool.id.split('_').next().unwrap_or_default()
}

/// A replica as the API shows it.
pub(crate) fn view(pool: &Pool, region: &str, status: &str) -> Value {
    let primary = region == home_region(pool);
    let arn = pool.arn.replacen(
        &format!(":{}:", home_region(pool)),
        &format!(":{region}:"),
        1,
    );
    json!({
        "RegionName": region,
        "Status": status,
        "Role": if primary { "PRIMARY" } else { "SECONDARY" },
        "UserPoolArn": arn,
    })
}

/// Fails unless `region` looks like an AWS region name (`eu-west-1`, `us-gov-east-1`).
pub(crate) fn check_region(region: &str) -> Result<()> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !ok {
        return Err(CognitoError::invalid_parameter(format!(
            "{region} is not a valid region name."
        )));
    }
    Ok(())
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    check_region(&req.region_name)?;
    if let Some(tags) = &req.user_pool_tags {
        if tags.len() > 50 {
            return Err(CognitoError::invalid_parameter("A user pool can have at most 50 tags."));
        }
    }
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if req.region_name == home_region(pool) {
            return Err(CognitoError::invalid_parameter(format!(
                "The user pool's primary region is {}; a replica must be in another region.",
                req.region_name
            )));
        }
        if pool.stored.replicas.contains_key(&req.region_name) {
            return Err(CognitoError::invalid_parameter(format!(
                "The user pool already has a replica in {}.",
                req.region_name
            )));
        }
        pool.stored.replicas.insert(req.region_name.clone(), "ACTIVE".into());
        Ok(json!({ "UserPoolReplica": view(pool, &req.region_name, "CREATING") }))
    })
}
