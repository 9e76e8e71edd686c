//! CreateUserPoolDomain: a hosted-UI domain prefix for the pool, served by the emulator at
//! `{endpoint}/domains/{domain}` (`/oauth2/authorize`, `/oauth2/token`, …).

use cognito_protocol::wire::{UserPoolDomainRequest, UserPoolDomainResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: UserPoolDomainRequest) -> Result<UserPoolDomainResponse> {
    let d = &req.domain;
    let valid = (1..=63).contains(&d.len())
        && d.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !d.starts_with('-')
        && !d.ends_with('-');
    if !valid {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{d}' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{{0,61}}[a-z0-9])?$"
        )));
    }
    check_version(req.managed_login_version)?;
    ctx.store.with(|state| {
        if state.domains.contains_key(d) {
            return Err(CognitoError::invalid_parameter("Domain already associated with another user pool."));
        }
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.domain.is_some() {
            return Err(CognitoError::invalid_parameter("The user pool already has a domain."));
        }
        pool.domain = Some(d.clone());
        let answer = answer(ctx, &req);
        pool.domain_settings = Some(req.clone());
        state.domains.insert(d.clone(), req.user_pool_id.clone());
        Ok(answer)
    })
}

/// What CreateUserPoolDomain and UpdateUserPoolDomain return for these settings.
pub(crate) fn answer(ctx: &Ctx, req: &UserPoolDomainRequest) -> UserPoolDomainResponse {
    UserPoolDomainResponse {
        managed_login_version: Some(req.managed_login_version.unwrap_or(1)),
        cloud_front_domain: Some(served_from(ctx)),
        routing: req.routing.clone(),
    }
}

/// The host and port the emulator serves hosted-UI domains from (where Cognito names a
/// CloudFront host).
pub(crate) fn served_from(ctx: &Ctx) -> String {
    let base = &ctx.config.base_url;
    base.split_once("://").map_or(base.as_str(), |(_, rest)| rest).trim_end_matches('/').to_owned()
}

/// ManagedLoginVersion is 1 (classic hosted UI) or 2 (managed login).
pub(crate) fn check_version(version: Option<i64>) -> Result<()> {
    match version {
        None | Some(1 | 2) => Ok(()),
        Some(v) => Err(CognitoError::invalid_parameter(format!("ManagedLoginVersion {v} is not 1 or 2."))),
    }
}
