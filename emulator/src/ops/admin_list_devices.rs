//! AdminListDevices: a user's confirmed devices, a page at a time.

use cognito_protocol::wire::{AdminListDevicesRequest, ListDevicesResponse};

use crate::ctx::Ctx;
use crate::signin::devices;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminListDevicesRequest) -> Result<ListDevicesResponse> {
    let limit = super::page_size(req.limit, "limit")?;
    ctx.store.with(|state| {
        let user = state.pool(&req.user_pool_id)?.user(&req.username)?;
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
