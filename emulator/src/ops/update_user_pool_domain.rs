//! UpdateUserPoolDomain: a pool's domain gets a new managed login version (1, the classic hosted
//! UI, or 2, managed login), custom domain configuration or routing. The emulator stores and
//! returns them (it serves the same hosted UI for both versions, and no certificate or
//! CloudFront distribution exists offline).

use cognito_protocol::wire::{UserPoolDomainRequest, UserPoolDomainResponse};

use super::create_user_pool_domain::{answer, check_version};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: UserPoolDomainRequest) -> Result<UserPoolDomainResponse> {
    check_version(req.managed_login_version)?;
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.domain.as_deref() != Some(req.domain.as_str()) {
            return Err(CognitoError::resource_not_found(format!(
                "Domain {} does not belong to user pool {}.",
                req.domain, req.user_pool_id
            )));
        }
        let before = pool.domain_settings.clone().unwrap_or_default();
        let settings = UserPoolDomainRequest {
            managed_login_version: req.managed_login_version.or(before.managed_login_version),
            custom_domain_config: req.custom_domain_config.clone().or(before.custom_domain_config),
            routing: req.routing.clone().or(before.routing),
            ..req
        };
        let out = answer(ctx, &settings);
        pool.domain_settings = Some(settings);
        Ok(out)
    })
}
