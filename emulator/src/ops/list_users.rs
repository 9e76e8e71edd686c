//! ListUsers: filtered, paginated, optionally only some attributes.

use cognito_sdk::wire::{ListUsersRequest, ListUsersResponse};

use super::{page_size, paginate};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::{filter, views};

pub fn handle(ctx: &Ctx, req: ListUsersRequest) -> Result<ListUsersResponse> {
    let limit = page_size(req.limit, "limit")?;
    let filter = filter::parse(req.filter.as_deref().unwrap_or(""))?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let only = req.attributes_to_get.as_deref();
        let matching: Vec<_> = pool
            .users
            .iter()
            .filter(|(_, u)| filter.as_ref().is_none_or(|f| f.matches(u)))
            .map(|(k, u)| (k.clone(), views::user(u, only)))
            .collect();
        let (users, pagination_token) = paginate(&matching, req.pagination_token.as_deref(), limit)?;
        Ok(ListUsersResponse { users, pagination_token })
    })
}
