//! AdminGetDevice: one of a user's devices.

use cognito_protocol::wire::{AdminGetDeviceRequest, GetDeviceResponse};

use crate::ctx::Ctx;
use crate::signin::devices;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminGetDeviceRequest) -> Result<GetDeviceResponse> {
    super::non_empty(&req.device_key, "deviceKey")?;
    ctx.store.with(|state| {
        let user = state.pool(&req.user_pool_id)?.user(&req.username)?;
        Ok(GetDeviceResponse {
            device: Some(devices::get(user, &req.device_key)?),
        })
    })
}
