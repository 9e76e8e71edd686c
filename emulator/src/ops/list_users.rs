//! ListUsers: filtered, paginated, optionally only some attributes. A page starts at its
//! token's key in the pool's ordered user map, so paging costs the same at any depth and pool
//! size (a filter that matches few users still scans until the page is full).

use cognito_protocol::wire::{ListUsersRequest, ListUsersResponse};

use super::{page_size, user_page};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::{accounts::filter, ops::views};

pub fn handle(ctx: &Ctx, req: ListUsersRequest) -> Result<ListUsersResponse> {
    let limit = page_size(req.limit, "limit")?;
    let filter = filter::parse(req.filter.as_deref().unwrap_or(""))?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let only = req.attributes_to_get.as_deref();
        let (users, pagination_token) = user_page(
            pool,
            req.pagination_token.as_deref(),
            limit,
            |u| filter.as_ref().is_none_or(|f| f.matches(u)),
            |u| views::user(u, only),
        )?;
        Ok(ListUsersResponse { users, pagination_token })
    })
}
