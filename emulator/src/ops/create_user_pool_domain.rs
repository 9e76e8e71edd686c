//! CreateUserPoolDomain: a hosted-UI domain prefix for the pool, served by the emulator at
//! `{endpoint}/domains/{domain}` (`/oauth2/authorize`, `/oauth2/token`, …).

use cognito_protocol::wire::{Empty, UserPoolDomainRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: UserPoolDomainRequest) -> Result<Empty> {
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
    ctx.store.with(|state| {
        if state.domains.contains_key(d) {
            return Err(CognitoError::invalid_parameter("Domain already associated with another user pool."));
        }
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.domain.is_some() {
            return Err(CognitoError::invalid_parameter("The user pool already has a domain."));
        }
        pool.domain = Some(d.clone());
        state.domains.insert(d.clone(), req.user_pool_id.clone());
        Ok(Empty {})
    })
}
