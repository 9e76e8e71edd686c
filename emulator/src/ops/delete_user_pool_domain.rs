//! DeleteUserPoolDomain.

use cognito_protocol::wire::{Empty, UserPoolDomainRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: UserPoolDomainRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        if pool.domain.as_deref() != Some(req.domain.as_str()) {
            return Err(CognitoError::invalid_parameter("No such domain for this user pool."));
        }
        pool.domain = None;
        pool.domain_settings = None;
        state.domains.remove(&req.domain);
        Ok(Empty {})
    })
}
