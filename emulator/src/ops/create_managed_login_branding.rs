//! CreateManagedLoginBranding: a managed login (version 2) style for an app client: settings
//! (a JSON document) and image assets, or Cognito's defaults (`UseCognitoProvidedValues`). One
//! style per client. The hosted UI's pages take its light-mode colors and form logo
//! (`oauth::look`); the rest is stored and returned.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::Branding;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: String,
    use_cognito_provided_values: Option<bool>,
    settings: Option<Value>,
    assets: Option<Vec<Value>>,
}

/// Fails when Cognito's defaults are asked for together with settings or assets.
pub(crate) fn defaults_alone(
    defaults: Option<bool>,
    settings: Option<&Value>,
    assets: Option<&Vec<Value>>,
) -> Result<()> {
    if defaults == Some(true) && (settings.is_some() || assets.is_some_and(|a| !a.is_empty())) {
        return Err(CognitoError::invalid_parameter(
            "UseCognitoProvidedValues cannot be true when Settings or Assets are given.",
        ));
    }
    Ok(())
}

/// Fails when two assets share a category and color mode.
pub(crate) fn distinct_assets(assets: &[Value]) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for a in assets {
        if !seen.insert((a["Category"].to_string(), a["ColorMode"].to_string())) {
            return Err(CognitoError::invalid_parameter(format!(
                "More than one asset for category {} and color mode {}.",
                a["Category"], a["ColorMode"]
            )));
        }
    }
    Ok(())
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    defaults_alone(req.use_cognito_provided_values, req.settings.as_ref(), req.assets.as_ref())?;
    let assets = req.assets.unwrap_or_default();
    distinct_assets(&assets)?;
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.client_mut(&req.client_id)?;
        if pool.stored.branding.values().any(|b| b.client_id == req.client_id) {
            return Err(CognitoError::managed_login_branding_exists(format!(
                "Client {} already has a managed login branding style.",
                req.client_id
            )));
        }
        let id = crate::ids::uuid();
        let defaults = req.use_cognito_provided_values.unwrap_or(req.settings.is_none());
        let style = json!({
            "ManagedLoginBrandingId": id,
            "UserPoolId": pool.id,
            "UseCognitoProvidedValues": defaults,
            "Settings": req.settings.unwrap_or_else(|| json!({})),
            "Assets": assets,
            "CreationDate": now,
            "LastModifiedDate": now,
        });
        pool.stored.branding.insert(
            id,
            Branding {
                client_id: req.client_id,
                style: style.clone(),
            },
        );
        Ok(json!({ "ManagedLoginBranding": style }))
    })
}
