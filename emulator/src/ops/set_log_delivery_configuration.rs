//! SetLogDeliveryConfiguration: where Cognito would send user-notification and auth-event
//! logs (CloudWatch Logs, S3, Firehose). Validated (at most two configurations, levels ERROR or
//! INFO, sources userNotification or userAuthEvents, one destination each), stored and
//! returned; no log leaves the machine: the journal (`/_emulator/journal`) is the emulator's log.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    log_configurations: Vec<Value>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    if req.log_configurations.len() > 2 {
        return Err(CognitoError::invalid_parameter("At most 2 log configurations."));
    }
    for c in &req.log_configurations {
        let level = c["LogLevel"].as_str().unwrap_or_default();
        let source = c["EventSource"].as_str().unwrap_or_default();
        if !["ERROR", "INFO"].contains(&level) || !["userNotification", "userAuthEvents"].contains(&source) {
            return Err(CognitoError::invalid_parameter(
                "Each log configuration needs LogLevel ERROR or INFO and EventSource userNotification or userAuthEvents.",
            ));
        }
        let destinations = ["CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration"]
            .iter()
            .filter(|d| c.get(**d).is_some())
            .count();
        if destinations != 1 {
            return Err(CognitoError::invalid_parameter("Each log configuration needs exactly one destination."));
        }
    }
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let configurations = Value::Array(req.log_configurations);
        pool.stored.log_configurations = Some(configurations.clone());
        Ok(json!({"LogDeliveryConfiguration": {"UserPoolId": pool.id, "LogConfigurations": configurations}}))
    })
}
