//! UpdateUserPoolReplica: activates or deactivates a replica (not the primary).

use serde::Deserialize;
use serde_json::{json, Value};

use super::create_user_pool_replica::{home_region, view};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    region_name: String,
    status: String,
}

/// `ResourceNotFoundException` for a region without a replica.
pub(crate) fn no_replica(region: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("The user pool has no replica in {region}."))
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if req.region_name == home_region(pool) {
            return Err(CognitoError::invalid_parameter(
                "The primary region's status cannot be changed.",
            ));
        }
        let status = pool
            .stored
            .replicas
            .get_mut(&req.region_name)
            .ok_or_else(|| no_replica(&req.region_name))?;
        status.clone_from(&req.status);
        Ok(json!({ "UserPoolReplica": view(pool, &req.region_name, &req.status) }))
    })
}
