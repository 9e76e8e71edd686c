//! AdminForgetDevice: a user's device is forgotten; refresh tokens bound to it stop working.

use cognito_protocol::wire::{AdminForgetDeviceRequest, Empty};

use crate::ctx::Ctx;
use crate::signin::devices;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminForgetDeviceRequest) -> Result<Empty> {
    super::non_empty(&req.device_key, "deviceKey")?;
    ctx.store.with(|state| {
        let mut user = state
            .pool_mut(&req.user_pool_id)?
            .user_mut(&req.username)?;
        devices::forget(&mut user, &req.device_key)?;
        Ok(Empty {})
    })
}
