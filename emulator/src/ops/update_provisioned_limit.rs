//! UpdateProvisionedLimit: raises an API category's rate. The emulator's quota bucket for the
//! category takes the new rate at once (and starts full), so raising a limit really raises what
//! `--throttle` lets through. As in Cognito the value cannot be below the default (free) limit;
//! the account maximum of Service Quotas does not exist offline, so any higher value is taken.

use serde::Deserialize;
use serde_json::Value;

use super::get_provisioned_limit::{category_of, limit};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::pipeline::quota::Quota;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    limit_definition: Value,
    requested_limit_value: i64,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let category = category_of(&req.limit_definition)?;
    let free = category.default_rate().round() as i64;
    if req.requested_limit_value < free {
        return Err(CognitoError::invalid_parameter(format!(
            "The requested limit {} is below the default limit {free} of {}.",
            req.requested_limit_value,
            category.name()
        )));
    }
    ctx.throttle
        .set_quota(category.name(), Quota::per_second(req.requested_limit_value as f64))
        .map_err(|e| CognitoError::invalid_parameter(e.to_string()))?;
    Ok(limit(ctx, category, &req.limit_definition))
}
