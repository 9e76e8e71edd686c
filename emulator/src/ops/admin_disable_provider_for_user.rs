//! AdminDisableProviderForUser: an external identity can no longer sign in as the native user
//! it was linked to (its link and its entry in the native user's `identities` go; it signs in
//! as a separate federated user again), and an external user created by the hosted UI is
//! disabled. Native users (`ProviderName: Cognito`) are not handled: use AdminDisableUser.

use serde::Deserialize;
use serde_json::{json, Value};

use super::admin_link_provider_for_user::ProviderUser;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    user: ProviderUser,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let provider = req.user.provider_name.clone().unwrap_or_default();
    let subject = req.user.provider_attribute_value.clone().unwrap_or_default();
    if provider.is_empty() || provider == "Cognito" || subject.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "User must name an external identity provider and a subject (for native users, use AdminDisableUser).",
        ));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let provider_type = pool.identity_providers.get(&provider).and_then(|p| p.provider_type.clone());
        req.user.check_attribute(provider_type.as_deref())?;
        let key = format!("{provider}|{subject}");
        let linked = pool.provider_links.remove(&key);
        let federated = format!("{provider}_{subject}");
        let found_federated = pool.find_user(&federated).is_some();
        if linked.is_none() && !found_federated {
            return Err(CognitoError::user_not_found("User does not exist."));
        }
        if let Some(native) = linked {
            let mut user = pool.user_mut(&native)?;
            let identities: Vec<Value> = user.attr("identities").and_then(|v| serde_json::from_str(v).ok()).unwrap_or_default();
            let kept: Vec<Value> = identities
                .into_iter()
                .filter(|i| !(i["providerName"] == provider.as_str() && i["userId"] == subject.as_str()))
                .collect();
            user.set_attr("identities", &Value::Array(kept).to_string());
            user.modified = now;
        }
        if found_federated {
            let mut user = pool.user_mut(&federated)?;
            user.enabled = false;
            user.modified = now;
        }
        Ok(json!({}))
    })
}
