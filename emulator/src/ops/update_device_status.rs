//! UpdateDeviceStatus: the signed-in user remembers a device, or stops remembering it.

use cognito_protocol::wire::{Empty, UpdateDeviceStatusRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{signin::devices, tokens};

pub fn handle(ctx: &Ctx, req: UpdateDeviceStatusRequest) -> Result<Empty> {
    super::non_empty(&req.device_key, "deviceKey")?;
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        devices::set_status(
            ctx,
            &mut user,
            &req.device_key,
            req.device_remembered_status.as_deref(),
        )?;
        Ok(Empty {})
    })
}
