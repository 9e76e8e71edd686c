//! SetRiskConfiguration: threat-protection rules for the pool (`ClientId` absent) or one
//! client: compromised-credentials and account-takeover actions and IP exceptions. Stored and
//! returned; the emulator evaluates no risk (there is no threat intelligence offline), so no
//! sign-in is blocked or challenged because of them.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: Option<String>,
    compromised_credentials_risk_configuration: Option<Value>,
    account_takeover_risk_configuration: Option<Value>,
    risk_exception_configuration: Option<Value>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    if let Some(ct) = &req.compromised_credentials_risk_configuration {
        let action = ct["Actions"]["EventAction"].as_str().unwrap_or_default();
        if !["BLOCK", "NO_ACTION"].contains(&action) {
            return Err(CognitoError::invalid_parameter(
                "CompromisedCredentialsRiskConfiguration.Actions.EventAction must be BLOCK or NO_ACTION.",
            ));
        }
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let key = super::set_ui_customization::scope_key(state, &req.user_pool_id, req.client_id.as_deref())?;
        let pool = state.pool_mut(&req.user_pool_id)?;
        let mut risk = json!({"UserPoolId": pool.id, "LastModifiedDate": now});
        if key != "ALL" {
            risk["ClientId"] = json!(key);
        }
        for (name, value) in [
            ("CompromisedCredentialsRiskConfiguration", req.compromised_credentials_risk_configuration),
            ("AccountTakeoverRiskConfiguration", req.account_takeover_risk_configuration),
            ("RiskExceptionConfiguration", req.risk_exception_configuration),
        ] {
            if let Some(v) = value {
                risk[name] = v;
            }
        }
        pool.stored.risk.insert(key, risk.clone());
        Ok(json!({"RiskConfiguration": risk}))
    })
}
