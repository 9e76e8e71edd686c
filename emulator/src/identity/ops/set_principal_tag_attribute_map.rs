//! SetPrincipalTagAttributeMap: which claims of an identity provider's tokens become principal
//! (session) tags, or the defaults. Stored and returned: the tags would only matter to IAM
//! policy evaluation, which does not exist offline.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity;
use crate::state::identity::PrincipalTagMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    identity_pool_id: String,
    identity_provider_name: String,
    use_defaults: Option<bool>,
    principal_tags: Option<BTreeMap<String, String>>,
}

/// Fails unless the provider is one the pool accepts logins from.
pub(crate) fn known_provider(pool: &identity::IdentityPoolRecord, name: &str) -> Result<()> {
    let s = &pool.settings;
    let known = s.supported_login_providers.as_ref().is_some_and(|p| p.contains_key(name))
        || s.cognito_identity_providers
            .iter()
            .flatten()
            .any(|p| p.provider_name.as_deref() == Some(name))
        || s.open_id_connect_provider_arns.iter().flatten().any(|a| a == name)
        || s.saml_provider_arns.iter().flatten().any(|a| a == name);
    if known {
        Ok(())
    } else {
        Err(CognitoError::resource_not_found(format!(
            "{name} is not an identity provider of this identity pool."
        )))
    }
}

/// The map's answer.
pub(crate) fn render(pool_id: &str, provider: &str, map: &PrincipalTagMap) -> Value {
    json!({
        "IdentityPoolId": pool_id,
        "IdentityProviderName": provider,
        "UseDefaults": map.use_defaults,
        "PrincipalTags": map.tags,
    })
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        known_provider(identity::pool(state, &req.identity_pool_id)?, &req.identity_provider_name)?;
        let map = PrincipalTagMap {
            use_defaults: req.use_defaults.unwrap_or(false),
            tags: req.principal_tags.unwrap_or_default(),
        };
        let out = render(&req.identity_pool_id, &req.identity_provider_name, &map);
        if let Some(pool) = state.identity.pools.get_mut(&req.identity_pool_id) {
            pool.principal_tags.insert(req.identity_provider_name, map);
        }
        Ok(out)
    })
}
