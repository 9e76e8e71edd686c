//! CreateIdentityProvider: an external provider (Facebook, Google, SAML, OIDC …) clients can
//! name in `identity_provider=` on the hosted UI. No real provider is reachable here, so the
//! emulator's federation stub signs in the external user the provider's details name
//! (`emulator_subject`, `emulator_email`).

use cognito_protocol::wire::{CreateIdentityProviderRequest, IdentityProviderResponse, IdentityProviderType};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

const TYPES: &[&str] = &["SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC"];

pub fn handle(ctx: &Ctx, req: CreateIdentityProviderRequest) -> Result<IdentityProviderResponse> {
    super::non_empty(&req.provider_name, "providerName")?;
    if !TYPES.contains(&req.provider_type.as_str()) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            req.provider_type,
            TYPES.join(", ")
        )));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.identity_providers.contains_key(&req.provider_name) {
            return Err(CognitoError::duplicate_provider(format!(
                "A provider with the name {} already exists in this user pool.",
                req.provider_name
            )));
        }
        let provider = IdentityProviderType {
            user_pool_id: Some(req.user_pool_id.clone()),
            provider_name: Some(req.provider_name.clone()),
            provider_type: Some(req.provider_type),
            provider_details: Some(req.provider_details),
            attribute_mapping: req.attribute_mapping,
            idp_identifiers: req.idp_identifiers,
            last_modified_date: Some(now),
            creation_date: Some(now),
        };
        pool.identity_providers
            .insert(req.provider_name, provider.clone());
        Ok(IdentityProviderResponse { identity_provider: provider })
    })
}
