//! ListDevices: the signed-in user's confirmed devices, a page at a time.

use cognito_protocol::wire::{ListDevicesRequest, ListDevicesResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{signin::devices, tokens};

pub fn handle(ctx: &Ctx, req: ListDevicesRequest) -> Result<ListDevicesResponse> {
    let limit = super::page_size(req.limit, "limit")?;
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let user = state.pool(&pool_id)?.user(&username)?;
        let (page, next) = super::paginate(
            &devices::listed(user),
            req.pagination_token.as_deref(),
            limit,
        )?;
        Ok(ListDevicesResponse {
            devices: Some(page),
            pagination_token: next,
        })
    })
}
