//! AdminLinkProviderForUser: an external identity (a provider of the pool and the subject it
//! names) is linked to a native user, who then signs in through the hosted UI with that provider
//! (`identity_provider=`) as themselves, with their own attributes, groups and MFA settings. The
//! native user's `identities` attribute lists the link. A subject already linked to another user
//! is refused.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

/// A user named by provider: `Cognito` and a username for native users, or an identity
/// provider of the pool, the attribute (`Cognito_Subject`) and its value.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderUser {
    pub(crate) provider_name: Option<String>,
    pub(crate) provider_attribute_name: Option<String>,
    pub(crate) provider_attribute_value: Option<String>,
}

impl ProviderUser {
    /// Social and OIDC providers name their users by `Cognito_Subject`; SAML ones by any claim.
    pub(crate) fn check_attribute(&self, provider_type: Option<&str>) -> Result<()> {
        match self.provider_attribute_name.as_deref() {
            Some(name) if provider_type != Some("SAML") && name != "Cognito_Subject" => Err(CognitoError::invalid_parameter(
                format!("ProviderAttributeName must be Cognito_Subject for a {} provider, not {name}.", provider_type.unwrap_or("non-SAML")),
            )),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    destination_user: ProviderUser,
    source_user: ProviderUser,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    if req.destination_user.provider_name.as_deref() != Some("Cognito") {
        return Err(CognitoError::invalid_parameter("DestinationUser.ProviderName must be Cognito."));
    }
    let native = req.destination_user.provider_attribute_value.clone().unwrap_or_default();
    let provider = req.source_user.provider_name.clone().unwrap_or_default();
    let subject = req.source_user.provider_attribute_value.clone().unwrap_or_default();
    if provider.is_empty() || provider == "Cognito" || subject.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "SourceUser must name an external identity provider and a subject.",
        ));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let provider_type = pool
            .identity_providers
            .get(&provider)
            .and_then(|p| p.provider_type.clone())
            .ok_or_else(|| CognitoError::invalid_parameter(format!("Identity provider {provider} does not exist in this pool.")))?;
        req.source_user.check_attribute(Some(&provider_type))?;
        let key = format!("{provider}|{subject}");
        let canonical = pool.user(&native)?.username.clone();
        if pool.provider_links.get(&key).is_some_and(|u| *u != canonical) {
            return Err(CognitoError {
                kind: cognito_protocol::wire::ErrorKind::AliasExists,
                message: format!("{provider} user {subject} is already linked to another user."),
            });
        }
        let mut user = pool.user_mut(&canonical)?;
        let mut identities: Vec<Value> = user.attr("identities").and_then(|v| serde_json::from_str(v).ok()).unwrap_or_default();
        if !identities.iter().any(|i| i["providerName"] == provider.as_str() && i["userId"] == subject.as_str()) {
            identities.push(json!({
                "userId": subject, "providerName": provider, "providerType": provider_type,
                "issuer": null, "primary": "false", "dateCreated": (now * 1000.0) as i64,
            }));
        }
        user.set_attr("identities", &Value::Array(identities).to_string());
        user.modified = now;
        drop(user);
        pool.provider_links.insert(key, canonical);
        Ok(json!({}))
    })
}
