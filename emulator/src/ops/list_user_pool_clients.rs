//! ListUserPoolClients, paginated by client id.

use cognito_protocol::wire::{ListUserPoolClientsRequest, ListUserPoolClientsResponse, UserPoolClientDescription};

use super::{page_size, paginate};
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: ListUserPoolClientsRequest) -> Result<ListUserPoolClientsResponse> {
    let limit = page_size(req.max_results, "maxResults")?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let all: Vec<_> = pool
            .clients
            .values()
            .map(|c| {
                let d = UserPoolClientDescription {
                    client_id: Some(c.id.clone()),
                    user_pool_id: Some(pool.id.clone()),
                    client_name: Some(c.name.clone()),
                };
                (c.id.clone(), d)
            })
            .collect();
        let (user_pool_clients, next_token) = paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListUserPoolClientsResponse { user_pool_clients, next_token })
    })
}
