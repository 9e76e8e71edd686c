//! UpdateManagedLoginBranding: changes a style, keeping what the request does not give:
//! settings are merged key by key (objects recursively), assets replace the asset of the same
//! category and color mode; `UseCognitoProvidedValues` resets the style to Cognito's defaults.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: Option<String>,
    managed_login_branding_id: Option<String>,
    use_cognito_provided_values: Option<bool>,
    settings: Option<Value>,
    assets: Option<Vec<Value>>,
}

/// `patch` merged into `base`: objects key by key, anything else replaced.
fn merge(base: &mut Value, patch: Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, p) => *b = p,
    }
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    use super::create_managed_login_branding::{defaults_alone, distinct_assets};
    use super::describe_managed_login_branding::missing;
    defaults_alone(req.use_cognito_provided_values, req.settings.as_ref(), req.assets.as_ref())?;
    let pool_id = super::required(req.user_pool_id, "UserPoolId")?;
    let id = super::required(req.managed_login_branding_id, "ManagedLoginBrandingId")?;
    if let Some(a) = &req.assets {
        distinct_assets(a)?;
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&pool_id)?;
        let b = pool.stored.branding.get_mut(&id).ok_or_else(|| missing(&id))?;
        let style = &mut b.style;
        if req.use_cognito_provided_values == Some(true) {
            style["UseCognitoProvidedValues"] = json!(true);
            style["Settings"] = json!({});
            style["Assets"] = json!([]);
        }
        if let Some(settings) = req.settings {
            merge(&mut style["Settings"], settings);
            style["UseCognitoProvidedValues"] = json!(false);
        }
        if let Some(assets) = req.assets {
            let mut current: Vec<Value> = style["Assets"].as_array().cloned().unwrap_or_default();
            for a in assets {
                current.retain(|c| !(c["Category"] == a["Category"] && c["ColorMode"] == a["ColorMode"]));
                current.push(a);
            }
            style["Assets"] = Value::Array(current);
            style["UseCognitoProvidedValues"] = json!(false);
        }
        style["LastModifiedDate"] = json!(now);
        Ok(json!({ "ManagedLoginBranding": style }))
    })
}
