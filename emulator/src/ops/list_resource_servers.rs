//! ListResourceServers, paginated by identifier.

use cognito_protocol::wire::{ListResourceServersRequest, ListResourceServersResponse};

use super::paginate;
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: ListResourceServersRequest) -> Result<ListResourceServersResponse> {
    // The model bounds MaxResults to 1–50 (checked before the handler runs).
    let limit = req.max_results.and_then(|n| usize::try_from(n).ok()).unwrap_or(50);
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let all: Vec<_> = pool.resource_servers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let (resource_servers, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListResourceServersResponse { resource_servers, next_token })
    })
}
