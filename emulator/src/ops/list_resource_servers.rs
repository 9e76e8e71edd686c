//! ListResourceServers, paginated by identifier.

use cognito_protocol::wire::{ListResourceServersRequest, ListResourceServersResponse};

use super::paginate;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: ListResourceServersRequest) -> Result<ListResourceServersResponse> {
    if !(1..=50).contains(&req.max_results) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50",
            req.max_results
        )));
    }
    let limit = usize::try_from(req.max_results).unwrap_or(50);
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let all: Vec<_> = pool.resource_servers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let (resource_servers, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListResourceServersResponse { resource_servers, next_token })
    })
}
