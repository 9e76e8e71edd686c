//! DeleteUserPoolReplica: removes an INACTIVE replica (answered as `DELETING`).

use serde::Deserialize;
use serde_json::{json, Value};

use super::create_user_pool_replica::view;
use super::update_user_pool_replica::no_replica;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    region_name: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let status = pool
            .stored
            .replicas
            .get(&req.region_name)
            .ok_or_else(|| no_replica(&req.region_name))?;
        if status != "INACTIVE" {
            return Err(CognitoError::invalid_parameter(
                "Only an INACTIVE replica can be deleted: deactivate it with UpdateUserPoolReplica first.",
            ));
        }
        pool.stored.replicas.remove(&req.region_name);
        Ok(json!({ "UserPoolReplica": view(pool, &req.region_name, "DELETING") }))
    })
}
