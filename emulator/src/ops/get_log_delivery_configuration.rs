//! GetLogDeliveryConfiguration: what SetLogDeliveryConfiguration stored (none at first).

use cognito_protocol::wire::UserPoolIdRequest;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: UserPoolIdRequest) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let configurations = pool.stored.log_configurations.clone().unwrap_or_else(|| json!([]));
        Ok(json!({"LogDeliveryConfiguration": {"UserPoolId": pool.id, "LogConfigurations": configurations}}))
    })
}
