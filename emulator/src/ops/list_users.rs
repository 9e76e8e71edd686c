//! ListUsers: filtered, paginated, optionally only some attributes. A page starts at its
//! token's key in the pool's ordered user map, so paging costs the same at any depth and pool
//! size (a filter that matches few users still scans until the page is full).

use cognito_sdk::wire::{ListUsersRequest, ListUsersResponse};

use super::{key_token, page_size, token_key};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::{filter, views};

pub fn handle(ctx: &Ctx, req: ListUsersRequest) -> Result<ListUsersResponse> {
    let limit = page_size(req.limit, "limit")?;
    let filter = filter::parse(req.filter.as_deref().unwrap_or(""))?;
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let only = req.attributes_to_get.as_deref();
        let start = match req.pagination_token.as_deref() {
            Some(t) => token_key(t)?,
            None => String::new(),
        };
        let mut matching = pool
            .users
            .range(start..)
            .filter(|(_, u)| filter.as_ref().is_none_or(|f| f.matches(u)));
        let users = matching
            .by_ref()
            .take(limit)
            .map(|(_, u)| views::user(u, only))
            .collect();
        let pagination_token = matching.next().map(|(k, _)| key_token(k));
        Ok(ListUsersResponse { users, pagination_token })
    })
}
