//! CreateIdentityPool.

use cognito_protocol::wire::{IdentityPool, IdentityPoolSettings};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity::{new_id, IdentityPoolRecord};

pub fn handle(ctx: &Ctx, settings: IdentityPoolSettings) -> Result<IdentityPool> {
    check(&settings)?;
    let id = new_id(&ctx.region());
    ctx.store.with(|state| {
        state.identity.pools.insert(
            id.clone(),
            IdentityPoolRecord {
                id: id.clone(),
                settings: settings.clone(),
                roles: Default::default(),
                role_mappings: None,
                principal_tags: Default::default(),
            },
        );
    });
    Ok(IdentityPool {
        identity_pool_id: id,
        settings,
    })
}

/// The checks CreateIdentityPool and UpdateIdentityPool share: the name's pattern and a name
/// for every user-pool provider.
pub(crate) fn check(settings: &IdentityPoolSettings) -> Result<()> {
    let name = &settings.identity_pool_name;
    if name.is_empty()
        || name.chars().count() > 128
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '+' | '=' | ',' | '.' | '@' | '-'))
    {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{name}' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"
        )));
    }
    for provider in settings.cognito_identity_providers.iter().flatten() {
        if provider.provider_name.as_deref().is_none_or(str::is_empty) {
            return Err(CognitoError::invalid_parameter(
                "CognitoIdentityProviders: every provider needs a ProviderName.",
            ));
        }
    }
    Ok(())
}
