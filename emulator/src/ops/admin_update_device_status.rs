//! AdminUpdateDeviceStatus: remembers a user's device, or stops remembering it.

use cognito_protocol::wire::{AdminUpdateDeviceStatusRequest, Empty};

use crate::ctx::Ctx;
use crate::signin::devices;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminUpdateDeviceStatusRequest) -> Result<Empty> {
    super::non_empty(&req.device_key, "deviceKey")?;
    ctx.store.with(|state| {
        let mut user = state
            .pool_mut(&req.user_pool_id)?
            .user_mut(&req.username)?;
        devices::set_status(
            ctx,
            &mut user,
            &req.device_key,
            req.device_remembered_status.as_deref(),
        )?;
        Ok(Empty {})
    })
}
