//! GetProvisionedLimit: an API category's rate, from the emulator's quota buckets: the rate in
//! force (what `--quota`, the control plane or UpdateProvisionedLimit set, else Cognito's
//! default) and the default, the free limit.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::pipeline::quota::Category;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    limit_definition: Value,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let category = category_of(&req.limit_definition)?;
    Ok(limit(ctx, category, &req.limit_definition))
}

/// The user-pool API category a `LimitDefinition` names (`{"LimitClass": "API_CATEGORY",
/// "Attributes": {"Category": "UserAuthentication"}}`).
pub(crate) fn category_of(definition: &Value) -> Result<Category> {
    if definition["LimitClass"] != "API_CATEGORY" {
        return Err(CognitoError::invalid_parameter("LimitClass must be API_CATEGORY."));
    }
    let name = definition["Attributes"]["Category"].as_str().unwrap_or_default();
    Category::parse(name)
        .filter(|c| !c.name().starts_with("Identity."))
        .ok_or_else(|| CognitoError::resource_not_found(format!("No API category {name}.")))
}

/// The `Limit` answer for a category.
pub(crate) fn limit(ctx: &Ctx, category: Category, definition: &Value) -> Value {
    let current = ctx
        .throttle
        .quotas()
        .get(category.name())
        .map_or(category.default_rate(), |q| q.rate);
    json!({"Limit": {
        "LimitDefinition": definition,
        "ProvisionedLimitValue": current.round() as i64,
        "FreeLimitValue": category.default_rate().round() as i64,
    }})
}
